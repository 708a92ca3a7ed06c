/* test_medinst.c — 医療機関コード (domain-rules §3). */
#include "support.h"

#include <string.h>

#include "core/medinst.h"

static void test_vectors(void **state)
{
    (void)state;
    sk_medinst_code c;
    sk_diag d;
    assert_int_equal(sk_medinst_code_parse("0110113719", 10, &c, "f", &d), SK_OK);
    assert_int_equal(c.prefecture, 1);
    assert_int_equal(c.table, SK_TENSU_IKA);
    assert_int_equal(sk_medinst_code_parse("3618010015", 10, &c, "f", &d), SK_OK);
    assert_int_equal(c.prefecture, 36);
    /* the check over the 6 short digits alone would be 9: wrong */
    assert_int_equal(sk_medinst_code_parse("3618010019", 10, &c, "f", &d), SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_MEDINST_CHECK_DIGIT);

    static const struct {
        const char *in;
        sk_code code;
    } bad[] = {
        {"011011371", SK_C_MEDINST_FORMAT},      {"01101137190", SK_C_MEDINST_FORMAT},
        {"011011371X", SK_C_MEDINST_FORMAT},     {"4810113719", SK_C_MEDINST_PREFECTURE},
        {"0000113719", SK_C_MEDINST_PREFECTURE}, {"0120113719", SK_C_MEDINST_TABLE},
        {"0150113719", SK_C_MEDINST_TABLE},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(sk_medinst_code_parse(bad[i].in, strlen(bad[i].in), &c, "code", &d),
                         SK_ERR_INVALID);
        assert_int_equal(d.code, bad[i].code);
        assert_string_equal(d.field, "code");
    }
}

static void test_tables_3_4_6(void **state)
{
    (void)state;
    /* 歯科, 調剤, 訪問看護 with correct check digits (Luhn over all 9) */
    static const char *ok[] = {"1331234565", "1341234563", "1361234568"};
    static const sk_tensu_table t[] = {SK_TENSU_SHIKA, SK_TENSU_CHOZAI, SK_TENSU_HOMONKANGO};
    for (size_t i = 0; i < 3; i++) {
        sk_medinst_code c;
        sk_diag d;
        if (sk_medinst_code_parse(ok[i], 10, &c, "f", &d) != SK_OK)
            fail_msg("%s: %s", ok[i], d.message);
        assert_int_equal(c.table, t[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_tables_3_4_6),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
