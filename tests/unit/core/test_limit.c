/* test_limit.c — 限度額適用 categories and their OQS codes (domain-rules §6, OQSCD012). */
#include "support.h"

#include <string.h>

#include "core/limit.h"

static void test_codes_roundtrip(void **state)
{
    (void)state;
    static const char *codes[] = {"A01", "A02", "A03", "A04", "A05", "A06", "B01", "B02",
                                  "B03", "B04", "B05", "B06", "B07", "B08", "B09", "B10"};
    for (size_t i = 0; i < 16; i++) {
        sk_limit l;
        assert_int_equal(sk_limit_parse(codes[i], 3, &l, "f", NULL), SK_OK);
        assert_string_equal(sk_limit_code(l), codes[i]);
        assert_int_equal(sk_limit_is_70_plus(l), codes[i][0] == 'B');
        assert_true(strlen(sk_limit_label(l)) > 0);
    }
    sk_limit l;
    sk_diag d;
    assert_int_equal(sk_limit_parse("A07", 3, &l, "limit", &d), SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_LIMIT_CATEGORY);
    assert_int_equal(sk_limit_parse("B1", 2, &l, "limit", &d), SK_ERR_INVALID);
    assert_int_equal(sk_limit_parse("a01", 3, &l, "limit", &d), SK_ERR_INVALID);
    assert_string_equal(sk_limit_label(SK_LIMIT_A01), "ア");
    assert_string_equal(sk_limit_label(SK_LIMIT_B01), "現役並みⅢ");
    assert_string_equal(sk_limit_code(SK_LIMIT_NONE), "");
    assert_string_equal(sk_limit_certificate_kind(SK_LIMIT_A03), "01");
    assert_string_equal(sk_limit_certificate_kind(SK_LIMIT_B05), "02");
    assert_null(sk_limit_certificate_kind(SK_LIMIT_B04));
    assert_int_equal(sk_limit_check_age(SK_LIMIT_A01, true, "limit", &d), SK_ERR_INVALID);
    assert_int_equal(sk_limit_check_age(SK_LIMIT_B01, false, "limit", &d), SK_ERR_INVALID);
    assert_int_equal(sk_limit_check_age(SK_LIMIT_B01, true, "limit", &d), SK_OK);
    assert_int_equal(sk_limit_check_age(SK_LIMIT_NONE, false, "limit", &d), SK_OK);
}

typedef struct {
    sk_limit_input in;
    sk_limit want;
} limit_case;

static void test_bands(void **state)
{
    (void)state;
    static const limit_case v[] = {
        /* 健保 under 70 by 標準報酬月額, at each boundary */
        {{.scheme = SK_SCHEME_EMPLOYEE, .standard_monthly_yen = 830000}, SK_LIMIT_A01},
        {{.scheme = SK_SCHEME_EMPLOYEE, .standard_monthly_yen = 790000}, SK_LIMIT_A02},
        {{.scheme = SK_SCHEME_EMPLOYEE, .standard_monthly_yen = 530000}, SK_LIMIT_A02},
        {{.scheme = SK_SCHEME_EMPLOYEE, .standard_monthly_yen = 500000}, SK_LIMIT_A03},
        {{.scheme = SK_SCHEME_EMPLOYEE, .standard_monthly_yen = 280000}, SK_LIMIT_A03},
        {{.scheme = SK_SCHEME_EMPLOYEE, .standard_monthly_yen = 260000}, SK_LIMIT_A04},
        {{.scheme = SK_SCHEME_EMPLOYEE, .tax_exempt = true}, SK_LIMIT_A05},
        {{.scheme = SK_SCHEME_EMPLOYEE, .boundary = true, .tax_exempt = true}, SK_LIMIT_A06},
        /* 国保 under 70 by 旧ただし書所得 */
        {{.scheme = SK_SCHEME_KOKUHO, .kyu_tadashigaki_yen = 9010001}, SK_LIMIT_A01},
        {{.scheme = SK_SCHEME_KOKUHO, .kyu_tadashigaki_yen = 9010000}, SK_LIMIT_A02},
        {{.scheme = SK_SCHEME_KOKUHO, .kyu_tadashigaki_yen = 6000001}, SK_LIMIT_A02},
        {{.scheme = SK_SCHEME_KOKUHO, .kyu_tadashigaki_yen = 6000000}, SK_LIMIT_A03},
        {{.scheme = SK_SCHEME_KOKUHO, .kyu_tadashigaki_yen = 2100001}, SK_LIMIT_A03},
        {{.scheme = SK_SCHEME_KOKUHO, .kyu_tadashigaki_yen = 2100000}, SK_LIMIT_A04},
        /* 70+ 健保 */
        {{.scheme = SK_SCHEME_EMPLOYEE, .seventy_plus = true, .standard_monthly_yen = 830000},
         SK_LIMIT_B01},
        {{.scheme = SK_SCHEME_EMPLOYEE, .seventy_plus = true, .standard_monthly_yen = 530000},
         SK_LIMIT_B02},
        {{.scheme = SK_SCHEME_EMPLOYEE, .seventy_plus = true, .standard_monthly_yen = 280000},
         SK_LIMIT_B03},
        {{.scheme = SK_SCHEME_EMPLOYEE, .seventy_plus = true, .standard_monthly_yen = 260000},
         SK_LIMIT_B04},
        /* 70+ 国保 / 後期 by 課税所得 */
        {{.scheme = SK_SCHEME_KOKUHO, .seventy_plus = true, .taxable_income_yen = 6900000},
         SK_LIMIT_B01},
        {{.scheme = SK_SCHEME_KOKUHO, .seventy_plus = true, .taxable_income_yen = 3800000},
         SK_LIMIT_B02},
        {{.scheme = SK_SCHEME_KOUKI, .taxable_income_yen = 1450000}, SK_LIMIT_B03},
        {{.scheme = SK_SCHEME_KOKUHO, .seventy_plus = true, .taxable_income_yen = 1449999},
         SK_LIMIT_B04},
        {{.scheme = SK_SCHEME_KOUKI, .kouki_class = SK_INCOME_KOUKI_2WARI}, SK_LIMIT_B09},
        {{.scheme = SK_SCHEME_KOUKI, .kouki_class = SK_INCOME_GENERAL}, SK_LIMIT_B10},
        {{.scheme = SK_SCHEME_KOUKI, .tax_exempt = true}, SK_LIMIT_B05},
        {{.scheme = SK_SCHEME_KOUKI, .tax_exempt = true, .no_income = true}, SK_LIMIT_B06},
        {{.scheme = SK_SCHEME_KOUKI, .tax_exempt = true, .old_age_welfare_pension = true},
         SK_LIMIT_B07},
        {{.scheme = SK_SCHEME_KOKUHO, .seventy_plus = true, .boundary = true}, SK_LIMIT_B08},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        sk_limit got;
        assert_int_equal(sk_limit_for(&v[i].in, &got, NULL), SK_OK);
        if (got != v[i].want)
            fail_msg("case %zu: got %s want %s", i, sk_limit_code(got), sk_limit_code(v[i].want));
    }
    sk_limit got;
    sk_diag d;
    sk_limit_input neg = {.scheme = SK_SCHEME_EMPLOYEE, .standard_monthly_yen = -1};
    assert_int_equal(sk_limit_for(&neg, &got, &d), SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_INCOME);
}

static void test_limit_year(void **state)
{
    (void)state;
    sk_date first, last;
    sk_limit_year(D(2026, 7, 31), &first, &last);
    assert_date(first, 2025, 8, 1);
    assert_date(last, 2026, 7, 31);
    sk_limit_year(D(2026, 8, 1), &first, &last);
    assert_date(first, 2026, 8, 1);
    assert_date(last, 2027, 7, 31);
    sk_limit_year(D(2027, 1, 1), &first, &last);
    assert_date(first, 2026, 8, 1);
    assert_date(last, 2027, 7, 31);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes_roundtrip),
        cmocka_unit_test(test_bands),
        cmocka_unit_test(test_limit_year),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
