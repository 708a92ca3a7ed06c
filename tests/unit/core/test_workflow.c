/* test_workflow.c — the lists of core/workflow.h and their names. (That the database keeps
 * exactly these names is tested per driver: store/sqlite/test_sqlite.c.) */
#include "support.h"

#include <string.h>

#include "core/workflow.h"

/* Each list of workflow.h: names unique, each name's value gives it back, unknown names
 * refused. */
static void test_names(void **state)
{
    (void)state;
    static const char *const lists[] = {"role",       "notification_state", "verdict",
                                        "work_kind",  "work_state",         "risk",
                                        "stop_cause", "acq_stage"};
    for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
        int n = 0;
        const char *const *names = sk_workflow_names(lists[l], &n);
        assert_non_null(names);
        assert_true(n >= 2);
        for (int i = 0; i < n; i++)
            for (int k = i + 1; k < n; k++)
                assert_string_not_equal(names[i], names[k]);
    }
    int n = 0;
    assert_null(sk_workflow_names("colour", &n));
    assert_int_equal(n, 0);
    sk_work_kind k;
    assert_true(sk_work_kind_from_name("check_mismatch", &k));
    assert_int_equal(k, SK_WORK_CHECK_MISMATCH);
    assert_string_equal(sk_work_kind_name(k), "check_mismatch");
    assert_false(sk_work_kind_from_name("check-mismatch", &k));
    assert_false(sk_work_kind_from_name(NULL, &k));
    assert_int_equal(k, SK_WORK_CHECK_MISMATCH); /* untouched */
    assert_string_equal(sk_work_kind_name((sk_work_kind)0), "?");
    assert_string_equal(sk_work_kind_name((sk_work_kind)99), "?");
    sk_risk r = SK_RISK_HIGH;
    assert_true(sk_risk_from_name("", &r));
    assert_int_equal(r, SK_RISK_NONE);
    sk_notification_state s;
    assert_true(sk_notification_state_from_name("pending_my_number", &s));
    assert_int_equal(s, SK_STATE_PENDING_MYNUMBER);
    sk_role role;
    assert_true(sk_role_from_name("institution", &role));
    assert_int_equal(role, SK_ROLE_INSTITUTION);
    assert_string_equal(sk_role_name(SK_ROLE_PERSON), "person");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
