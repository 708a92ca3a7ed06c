/* test_ratio.c — co-payment ratio on a date (domain-rules §5), with the spec's vectors and the
 * edges: born on the 1st, 31 March, 29 February, historical rates. */
#include "support.h"

#include "core/ratio.h"

static void test_period_vectors(void **state)
{
    (void)state;
    assert_date(sk_preschool_end(D(2019, 4, 1)), 2025, 3, 31);
    assert_date(sk_preschool_end(D(2019, 4, 2)), 2026, 3, 31);
    assert_date(sk_preschool_end(D(2020, 3, 31)), 2026, 3, 31);
    /* reaches 6 on 2026-02-28 (birthday on 1 March in a common year): school from April 2026 */
    assert_date(sk_preschool_end(D(2020, 2, 29)), 2026, 3, 31);
    assert_date(sk_elderly_start(D(1955, 5, 1)), 2025, 5, 1);
    assert_date(sk_elderly_start(D(1955, 5, 2)), 2025, 6, 1);
    assert_date(sk_elderly_start(D(1955, 12, 31)), 2026, 1, 1);
    assert_date(sk_elderly_start(D(1956, 1, 1)), 2026, 1, 1);
    assert_date(sk_elderly_start(D(1956, 2, 29)), 2026, 3, 1); /* reached on 2026-02-28 */
    assert_date(sk_elderly_end(D(1950, 5, 2)), 2025, 5, 1);
    assert_date(sk_kouki_start(D(1950, 5, 2)), 2025, 5, 2);
    assert_date(sk_kouki_start(D(1952, 2, 29)), 2027, 3, 1);
}

typedef struct {
    sk_date birth, on;
    sk_scheme scheme;
    sk_income_class income;
    int percent;
    sk_age_band band;
} ratio_case;

static void test_ratio_table(void **state)
{
    (void)state;
    static const ratio_case v[] = {
        /* 未就学 2割 until the first 31 March after reaching 6 */
        {{2019, 4, 1}, {2025, 3, 31}, SK_SCHEME_EMPLOYEE, SK_INCOME_GENERAL, 20, SK_BAND_PRESCHOOL},
        {{2019, 4, 1}, {2025, 4, 1}, SK_SCHEME_EMPLOYEE, SK_INCOME_GENERAL, 30, SK_BAND_GENERAL},
        {{2019, 4, 2}, {2026, 3, 31}, SK_SCHEME_KOKUHO, SK_INCOME_GENERAL, 20, SK_BAND_PRESCHOOL},
        {{2019, 4, 2}, {2026, 4, 1}, SK_SCHEME_KOKUHO, SK_INCOME_GENERAL, 30, SK_BAND_GENERAL},
        {{2026, 11, 21},
         {2026, 11, 21},
         SK_SCHEME_EMPLOYEE,
         SK_INCOME_GENERAL,
         20,
         SK_BAND_PRESCHOOL}, /* born today */
        /* 70–74 from the 1st of the month after reaching 70 */
        {{1955, 5, 1}, {2025, 4, 30}, SK_SCHEME_EMPLOYEE, SK_INCOME_GENERAL, 30, SK_BAND_GENERAL},
        {{1955, 5, 1}, {2025, 5, 1}, SK_SCHEME_EMPLOYEE, SK_INCOME_GENERAL, 20, SK_BAND_ELDERLY},
        {{1955, 5, 2}, {2025, 5, 31}, SK_SCHEME_EMPLOYEE, SK_INCOME_GENERAL, 30, SK_BAND_GENERAL},
        {{1955, 5, 2}, {2025, 6, 1}, SK_SCHEME_EMPLOYEE, SK_INCOME_GENERAL, 20, SK_BAND_ELDERLY},
        {{1955, 5, 2}, {2025, 6, 1}, SK_SCHEME_EMPLOYEE, SK_INCOME_GENEKI, 30, SK_BAND_ELDERLY},
        {{1955, 12, 31}, {2026, 1, 1}, SK_SCHEME_KOKUHO, SK_INCOME_GENERAL, 20, SK_BAND_ELDERLY},
        /* 後期 from the 75th birthday itself */
        {{1950, 5, 2}, {2025, 5, 2}, SK_SCHEME_KOUKI, SK_INCOME_GENERAL, 10, SK_BAND_KOUKI},
        {{1950, 5, 2}, {2025, 5, 2}, SK_SCHEME_KOUKI, SK_INCOME_KOUKI_2WARI, 20, SK_BAND_KOUKI},
        {{1950, 5, 2}, {2025, 5, 2}, SK_SCHEME_KOUKI, SK_INCOME_GENEKI, 30, SK_BAND_KOUKI},
        /* 後期 2割 did not exist before 2022-10-01 */
        {{1940, 1, 1}, {2022, 9, 30}, SK_SCHEME_KOUKI, SK_INCOME_KOUKI_2WARI, 10, SK_BAND_KOUKI},
        {{1940, 1, 1}, {2022, 10, 1}, SK_SCHEME_KOUKI, SK_INCOME_KOUKI_2WARI, 20, SK_BAND_KOUKI},
        /* 障害認定 at 68 in 後期 */
        {{1958, 3, 3}, {2026, 11, 21}, SK_SCHEME_KOUKI, SK_INCOME_GENERAL, 10, SK_BAND_KOUKI},
        /* a 75+ employee without 住民票 stays in 健保 under the 70–74 rule */
        {{1945, 1, 10}, {2026, 11, 21}, SK_SCHEME_EMPLOYEE, SK_INCOME_GENERAL, 20, SK_BAND_ELDERLY},
        /* historical 70–74 特例 1割 */
        {{1943, 6, 1}, {2014, 3, 31}, SK_SCHEME_EMPLOYEE, SK_INCOME_GENERAL, 10, SK_BAND_ELDERLY},
        {{1944, 4, 1}, {2016, 4, 1}, SK_SCHEME_KOKUHO, SK_INCOME_GENERAL, 10, SK_BAND_ELDERLY},
        {{1944, 4, 2}, {2014, 5, 1}, SK_SCHEME_KOKUHO, SK_INCOME_GENERAL, 20, SK_BAND_ELDERLY},
        /* 29 February births */
        {{2020, 2, 29},
         {2026, 3, 31},
         SK_SCHEME_EMPLOYEE,
         SK_INCOME_GENERAL,
         20,
         SK_BAND_PRESCHOOL},
        {{2020, 2, 29}, {2026, 4, 1}, SK_SCHEME_EMPLOYEE, SK_INCOME_GENERAL, 30, SK_BAND_GENERAL},
        {{1956, 2, 29}, {2026, 2, 28}, SK_SCHEME_EMPLOYEE, SK_INCOME_GENERAL, 30, SK_BAND_GENERAL},
        {{1956, 2, 29}, {2026, 3, 1}, SK_SCHEME_EMPLOYEE, SK_INCOME_GENERAL, 20, SK_BAND_ELDERLY},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        sk_ratio r;
        sk_diag d;
        sk_err e = sk_ratio_on(v[i].birth, v[i].on, v[i].scheme, v[i].income, &r, &d);
        if (e)
            fail_msg("case %zu: %s", i, d.message);
        if (r.percent != v[i].percent || r.band != v[i].band)
            fail_msg("case %zu: got %d%% band %d, want %d%% band %d", i, r.percent, r.band,
                     v[i].percent, v[i].band);
    }
}

static void test_errors_and_oqs(void **state)
{
    (void)state;
    sk_ratio r;
    sk_diag d;
    assert_int_equal(
        sk_ratio_on(D(2020, 1, 1), D(2019, 1, 1), SK_SCHEME_EMPLOYEE, SK_INCOME_GENERAL, &r, &d),
        SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_DATE_ORDER);
    assert_int_equal(
        sk_ratio_on(D(1950, 1, 1), D(2008, 3, 31), SK_SCHEME_EMPLOYEE, SK_INCOME_GENERAL, &r, &d),
        SK_ERR_RANGE);
    assert_int_equal(
        sk_ratio_on(D(2025, 2, 29), D(2026, 1, 1), SK_SCHEME_EMPLOYEE, SK_INCOME_GENERAL, &r, &d),
        SK_ERR_INVALID);
    char o[4];
    sk_ratio_oqs(10, o);
    assert_string_equal(o, "010");
    sk_ratio_oqs(20, o);
    assert_string_equal(o, "020");
    sk_ratio_oqs(30, o);
    assert_string_equal(o, "030");
}

static void test_income_judgements(void **state)
{
    (void)state;
    sk_employee_elderly_income in = {.standard_monthly_yen = 280000};
    assert_int_equal(sk_income_class_employee_elderly(&in), SK_INCOME_GENEKI);
    in.standard_monthly_yen = 260000;
    assert_int_equal(sk_income_class_employee_elderly(&in), SK_INCOME_GENERAL);
    in.standard_monthly_yen = 500000;
    in.applied_low_income = true;
    assert_int_equal(sk_income_class_employee_elderly(&in), SK_INCOME_GENERAL);
    in.applied_low_income = false;
    in.insured_under_70 = true; /* dependent of an under-70: never 現役並み */
    assert_int_equal(sk_income_class_employee_elderly(&in), SK_INCOME_GENERAL);
    assert_int_equal(sk_income_class_kokuho_elderly(1450000), SK_INCOME_GENEKI);
    assert_int_equal(sk_income_class_kokuho_elderly(1449999), SK_INCOME_GENERAL);

    sk_income_class c;
    sk_diag d;
    assert_int_equal(sk_income_class_kouki(1450000, 0, 1, &c, &d), SK_OK);
    assert_int_equal(c, SK_INCOME_GENEKI);
    assert_int_equal(sk_income_class_kouki(280000, 2000000, 1, &c, &d), SK_OK);
    assert_int_equal(c, SK_INCOME_KOUKI_2WARI);
    assert_int_equal(sk_income_class_kouki(280000, 1999999, 1, &c, &d), SK_OK);
    assert_int_equal(c, SK_INCOME_GENERAL);
    assert_int_equal(sk_income_class_kouki(280000, 3199999, 2, &c, &d), SK_OK);
    assert_int_equal(c, SK_INCOME_GENERAL);
    assert_int_equal(sk_income_class_kouki(280000, 3200000, 2, &c, &d), SK_OK);
    assert_int_equal(c, SK_INCOME_KOUKI_2WARI);
    assert_int_equal(sk_income_class_kouki(279999, 9000000, 1, &c, &d), SK_OK);
    assert_int_equal(c, SK_INCOME_GENERAL);
    assert_int_equal(sk_income_class_kouki(-1, 0, 1, &c, &d), SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_INCOME);
    assert_int_equal(sk_income_class_kouki(0, 0, 0, &c, &d), SK_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period_vectors),
        cmocka_unit_test(test_ratio_table),
        cmocka_unit_test(test_errors_and_oqs),
        cmocka_unit_test(test_income_judgements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
