/* test_date.c — calendar, legal ages (到達日), 29 February, 和暦 (domain-rules §5). */
#include "support.h"

#include <string.h>

#include "core/date.h"

static void test_calendar(void **state)
{
    (void)state;
    assert_true(sk_is_leap_year(2024));
    assert_false(sk_is_leap_year(1900));
    assert_true(sk_is_leap_year(2000));
    assert_false(sk_is_leap_year(2100));
    assert_int_equal(sk_days_in_month(2024, 2), 29);
    assert_int_equal(sk_days_in_month(2026, 2), 28);
    assert_int_equal(sk_date_to_days(D(1970, 1, 1)), 0);
    assert_int_equal(sk_date_to_days(D(2000, 3, 1)), 11017);
    assert_int_equal(sk_date_to_days(D(1969, 12, 31)), -1);
    /* round trip across the whole supported range */
    for (int32_t z = sk_date_to_days(D(1800, 1, 1)); z <= sk_date_to_days(D(2999, 12, 31));
         z += 97) {
        sk_date d = sk_date_from_days(z);
        assert_true(sk_date_valid(d));
        assert_int_equal(sk_date_to_days(d), z);
    }
    assert_date(sk_date_add_days(D(2024, 2, 28), 1), 2024, 2, 29);
    assert_date(sk_date_add_days(D(2025, 12, 31), 1), 2026, 1, 1);
    assert_date(sk_date_add_months(D(2025, 1, 31), 1), 2025, 2, 28);
    assert_date(sk_date_add_months(D(2024, 1, 31), 1), 2024, 2, 29);
    assert_date(sk_date_add_months(D(2025, 11, 30), 3), 2026, 2, 28);
    assert_date(sk_date_add_months(D(2025, 3, 15), -3), 2024, 12, 15);
    assert_date(sk_date_last_of_month(D(2026, 2, 14)), 2026, 2, 28);
    assert_date(sk_date_first_of_next_month(D(2025, 12, 30)), 2026, 1, 1);
    assert_int_equal(sk_date_diff_days(D(2026, 4, 1), D(2026, 4, 6)), 5);
    assert_int_equal(sk_date_cmp(D(2026, 1, 2), D(2026, 1, 1)), 1);
}

static void test_jst(void **state)
{
    (void)state;
    /* 2026-11-20T15:00:00Z is 2026-11-21 00:00 JST; one ms earlier is still the 20th */
    int64_t ms = (int64_t)sk_date_to_days(D(2026, 11, 20)) * 86400000LL + 15LL * 3600000LL;
    assert_date(sk_date_from_unix_ms(ms), 2026, 11, 21);
    assert_date(sk_date_from_unix_ms(ms - 1), 2026, 11, 20);
    assert_date(sk_date_from_unix_ms(-1), 1970, 1, 1); /* 08:59:59.999 JST */
}

static void test_parse_and_format(void **state)
{
    (void)state;
    sk_date d;
    sk_diag g;
    assert_int_equal(sk_date_parse("2024-02-29", 10, &d, "birthdate", &g), SK_OK);
    assert_date(d, 2024, 2, 29);
    assert_int_equal(sk_date_parse_compact("20240229", 8, &d, "Birthdate", &g), SK_OK);
    char c[9];
    sk_date_format_compact(d, c);
    assert_string_equal(c, "20240229");
    static const struct {
        const char *s;
        int compact;
        sk_code code;
    } bad[] = {
        {"2025-02-29", 0, SK_C_DATE_INVALID}, {"2025-13-01", 0, SK_C_DATE_INVALID},
        {"2025-04-31", 0, SK_C_DATE_INVALID}, {"2025-00-10", 0, SK_C_DATE_INVALID},
        {"2025/01/01", 0, SK_C_DATE_FORMAT},  {"2025-1-01", 0, SK_C_DATE_FORMAT},
        {"20250101", 0, SK_C_DATE_FORMAT},    {"1799-12-31", 0, SK_C_DATE_RANGE},
        {"3000-01-01", 0, SK_C_DATE_RANGE},   {"2025-01-01", 1, SK_C_DATE_FORMAT},
        {"2025010", 1, SK_C_DATE_FORMAT},     {"20250230", 1, SK_C_DATE_INVALID},
        {"2025０101", 1, SK_C_DATE_FORMAT},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        sk_err e = bad[i].compact ? sk_date_parse_compact(bad[i].s, strlen(bad[i].s), &d, "f", &g)
                                  : sk_date_parse(bad[i].s, strlen(bad[i].s), &d, "f", &g);
        assert_int_not_equal(e, SK_OK);
        if (g.code != bad[i].code)
            fail_msg("case %zu '%s': code %s", i, bad[i].s, sk_code_name(g.code));
        assert_string_equal(g.field, "f");
    }
}

static void test_legal_age(void **state)
{
    (void)state;
    /* 到達日 = the day before the birthday */
    assert_date(sk_age_reached(D(2019, 4, 2), 6), 2025, 4, 1);
    assert_date(sk_age_reached(D(2019, 4, 1), 6), 2025, 3, 31);
    assert_date(sk_age_reached(D(1955, 5, 1), 70), 2025, 4, 30); /* born on the 1st */
    assert_date(sk_age_reached(D(2000, 1, 1), 1), 2000, 12, 31);
    assert_int_equal(sk_age_on(D(2000, 1, 1), D(2000, 12, 30)), 0);
    assert_int_equal(sk_age_on(D(2000, 1, 1), D(2000, 12, 31)), 1); /* same calendar year */
    assert_int_equal(sk_age_on(D(1955, 5, 2), D(2025, 4, 30)), 69);
    assert_int_equal(sk_age_on(D(1955, 5, 2), D(2025, 5, 1)), 70);
    assert_int_equal(sk_age_on(D(1955, 5, 2), D(2025, 5, 2)), 70);
    assert_int_equal(sk_age_on(D(2020, 1, 1), D(2019, 1, 1)), 0); /* before birth */
    assert_int_equal(sk_age_on(D(1926, 12, 25), D(2026, 12, 24)), 100);
}

static void test_29_february(void **state)
{
    (void)state;
    sk_date b = D(2004, 2, 29);
    /* birthday in common years on 1 March (not confirmed rule), so reached on 28 February */
    assert_date(sk_birthday(b, 1), 2005, 3, 1);
    assert_date(sk_age_reached(b, 1), 2005, 2, 28);
    assert_date(sk_birthday(b, 4), 2008, 2, 29);
    assert_date(sk_age_reached(b, 4), 2008, 2, 28);
    assert_int_equal(sk_age_on(b, D(2005, 2, 27)), 0);
    assert_int_equal(sk_age_on(b, D(2005, 2, 28)), 1);
    assert_int_equal(sk_age_on(b, D(2008, 2, 28)), 4);
    assert_int_equal(sk_age_on(b, D(2008, 2, 27)), 3);
}

static void test_wareki(void **state)
{
    (void)state;
    static const struct {
        sk_date d;
        const char *long_form;
        const char *short_form;
    } v[] = {
        {{2019, 5, 1}, "令和元年5月1日", "R01.05.01"},
        {{2019, 4, 30}, "平成31年4月30日", "H31.04.30"},
        {{1989, 1, 8}, "平成元年1月8日", "H01.01.08"},
        {{1989, 1, 7}, "昭和64年1月7日", "S64.01.07"},
        {{1926, 12, 25}, "昭和元年12月25日", "S01.12.25"},
        {{1926, 12, 24}, "大正15年12月24日", "T15.12.24"},
        {{1912, 7, 30}, "大正元年7月30日", "T01.07.30"},
        {{1912, 7, 29}, "明治45年7月29日", "M45.07.29"},
        {{1873, 1, 1}, "明治6年1月1日", "M06.01.01"},
        {{2026, 11, 21}, "令和8年11月21日", "R08.11.21"},
        {{1955, 12, 31}, "昭和30年12月31日", "S30.12.31"},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        char buf[64], s[10];
        assert_int_equal(sk_wareki_format(v[i].d, buf, sizeof(buf)), SK_OK);
        assert_string_equal(buf, v[i].long_form);
        assert_int_equal(sk_wareki_format_short(v[i].d, s), SK_OK);
        assert_string_equal(s, v[i].short_form);
    }
    sk_wareki w;
    assert_int_equal(sk_wareki_of(D(1872, 12, 31), &w), SK_ERR_RANGE); /* lunisolar era */
    char small[8];
    assert_int_equal(sk_wareki_format(D(2026, 11, 21), small, sizeof(small)), SK_ERR_TOOBIG);
    assert_string_equal(sk_era_name(SK_ERA_SHOWA), "昭和");
    assert_int_equal(sk_era_letter(SK_ERA_HEISEI), 'H');
}

/* ProcessExecutionTime and the like: JST, 14 digits, across a day's change in JST. */
static void test_timestamp_compact(void **state)
{
    (void)state;
    static const struct {
        int64_t ms;
        const char *want;
    } cases[] = {{1795316645000, "20261122120405"},
                 {1795316645999, "20261122120405"},
                 {1795273200000, "20261122000000"},
                 {1795273199000, "20261121235959"},
                 {0, "19700101090000"}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[15];
        sk_timestamp_compact(cases[i].ms, out);
        assert_string_equal(out, cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar),         cmocka_unit_test(test_jst),
        cmocka_unit_test(test_parse_and_format), cmocka_unit_test(test_legal_age),
        cmocka_unit_test(test_29_february),      cmocka_unit_test(test_timestamp_compact),
        cmocka_unit_test(test_wareki),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
