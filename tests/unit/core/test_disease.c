/* test_disease.c — 特定疾病療養受療証: categories, the monthly limit, validity on a date. */
#include "support.h"

#include "core/disease.h"

static void test_categories(void **state)
{
    (void)state;
    sk_disease c;
    sk_diag d;
    assert_int_equal(sk_disease_parse("1", &c, "f", &d), SK_OK);
    assert_int_equal(c, SK_DISEASE_DIALYSIS);
    assert_int_equal(sk_disease_parse("3", &c, "f", &d), SK_OK);
    assert_int_equal(c, SK_DISEASE_HIV);
    static const char *bad[] = {"0", "4", "12", "", "a"};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(sk_disease_parse(bad[i], &c, "category", &d), SK_ERR_INVALID);
        assert_int_equal(d.code, SK_C_SPECIFIC_DISEASE);
        assert_string_equal(d.field, "category");
    }
    assert_int_equal(sk_disease_parse(NULL, &c, "f", &d), SK_ERR_INVALID);
    assert_string_equal(sk_disease_label(SK_DISEASE_DIALYSIS), "人工透析を必要とする慢性腎不全");
}

static void test_self_pay(void **state)
{
    (void)state;
    sk_diag d;
    sk_date on = D(2026, 11, 21);
    static const struct {
        sk_disease c;
        long long yen;
        int by;
        sk_err want;
    } t[] = {
        {SK_DISEASE_DIALYSIS, 10000, 1960, SK_OK},
        {SK_DISEASE_DIALYSIS, 20000, 1960, SK_OK},          /* 66: under 70 */
        {SK_DISEASE_DIALYSIS, 20000, 1956, SK_ERR_INVALID}, /* 70 on 2026-11-21 */
        {SK_DISEASE_HEMOPHILIA, 20000, 1990, SK_ERR_INVALID},
        {SK_DISEASE_HIV, 10000, 1990, SK_OK},
        {SK_DISEASE_HIV, 15000, 1990, SK_ERR_INVALID},
        {SK_DISEASE_DIALYSIS, 0, 1990, SK_ERR_INVALID},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++)
        assert_int_equal(
            sk_disease_self_pay_check(t[i].c, t[i].yen, D(t[i].by, 11, 21), on, "self_pay", &d),
            t[i].want);
    /* legal age (年齢計算ニ関スル法律): 70 is reached the day before the 70th birthday */
    assert_int_equal(
        sk_disease_self_pay_check(SK_DISEASE_DIALYSIS, 20000, D(1956, 11, 22), on, "s", &d),
        SK_ERR_INVALID);
    assert_int_equal(
        sk_disease_self_pay_check(SK_DISEASE_DIALYSIS, 20000, D(1956, 11, 23), on, "s", &d), SK_OK);
}

static void test_validity(void **state)
{
    (void)state;
    assert_true(sk_disease_certificate_valid_on(D(2026, 4, 1), false, D(1, 1, 1), D(2026, 4, 1)));
    assert_false(sk_disease_certificate_valid_on(D(2026, 4, 1), false, D(1, 1, 1), D(2026, 3, 31)));
    assert_true(
        sk_disease_certificate_valid_on(D(2026, 4, 1), true, D(2027, 3, 31), D(2027, 3, 31)));
    assert_false(
        sk_disease_certificate_valid_on(D(2026, 4, 1), true, D(2027, 3, 31), D(2027, 4, 1)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_categories),
        cmocka_unit_test(test_self_pay),
        cmocka_unit_test(test_validity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
