/* test_qualification.c — loss dates, dependents' age, overlaps (domain-rules §7, §8, §15). */
#include "support.h"

#include <stdint.h>
#include <string.h>

#include "core/qualification.h"

typedef struct {
    sk_insurer_kind kind;
    sk_loss_event event;
    sk_date event_date;
    sk_date birth;
    bool successor;
    sk_date want;
    const char *reason;
} loss_case;

/* acquired_on <= on < lost_on: the loss date is the first day without cover (健保法36条). */
static void test_period_covers(void **state)
{
    (void)state;
    const struct {
        sk_date from;
        bool has_lost;
        sk_date lost, on;
        bool covers, open;
    } v[] = {
        {D(2024, 4, 1), false, D(1, 1, 1), D(2024, 3, 31), false, true},   /* before it began */
        {D(2024, 4, 1), false, D(1, 1, 1), D(2024, 4, 1), true, true},     /* its first day */
        {D(2024, 4, 1), false, D(1, 1, 1), D(2099, 12, 31), true, true},   /* no end */
        {D(2024, 4, 1), true, D(2025, 4, 1), D(2025, 3, 31), true, true},  /* its last day */
        {D(2024, 4, 1), true, D(2025, 4, 1), D(2025, 4, 1), false, false}, /* the loss date */
        {D(2024, 4, 1), true, D(2024, 4, 1), D(2024, 4, 1), false,
         false}, /* lost the day it began */
        {D(2024, 4, 1), true, D(2025, 4, 1), D(2024, 1, 1), false, true}, /* not yet: still open */
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        assert_int_equal(sk_period_covers(v[i].from, v[i].has_lost, v[i].lost, v[i].on),
                         v[i].covers);
        assert_int_equal(sk_period_open_on(v[i].has_lost, v[i].lost, v[i].on), v[i].open);
    }
}

static void test_loss_dates(void **state)
{
    (void)state;
    static const loss_case v[] = {
        /* 健保法36条: the day after leaving or death */
        {SK_INSURER_KUMIAI,
         SK_LOSS_RETIREMENT,
         {2026, 3, 31},
         {1980, 1, 1},
         false,
         {2026, 4, 1},
         "99"},
        {SK_INSURER_KYOKAI, SK_LOSS_DEATH, {2026, 12, 31}, {1980, 1, 1}, false, {2027, 1, 1}, "01"},
        /* the same day when a 被保険者 again that day */
        {SK_INSURER_KYOKAI,
         SK_LOSS_OTHER_INSURANCE,
         {2026, 4, 1},
         {1980, 1, 1},
         true,
         {2026, 4, 1},
         "03"},
        /* 75th birthday: lost on the birthday itself, 29 Feb on 1 Mar */
        {SK_INSURER_KYOKAI, SK_LOSS_AGE_75, {0, 0, 0}, {1951, 6, 15}, false, {2026, 6, 15}, "99"},
        {SK_INSURER_KOKUHO, SK_LOSS_AGE_75, {0, 0, 0}, {1952, 2, 29}, false, {2027, 3, 1}, "99"},
        /* 国保法8条: the day after joining 被用者保険 (1-day overlap) */
        {SK_INSURER_KOKUHO,
         SK_LOSS_OTHER_INSURANCE,
         {2026, 4, 1},
         {1990, 1, 1},
         false,
         {2026, 4, 2},
         "03"},
        /* the same day on 生活保護, or moving to another municipality, or a 国保組合 */
        {SK_INSURER_KOKUHO, SK_LOSS_WELFARE, {2026, 4, 1}, {1990, 1, 1}, false, {2026, 4, 1}, "02"},
        {SK_INSURER_KOKUHO,
         SK_LOSS_MOVED_OUT,
         {2026, 4, 1},
         {1990, 1, 1},
         true,
         {2026, 4, 1},
         "99"},
        {SK_INSURER_KOKUHO_KUMIAI,
         SK_LOSS_DEATH,
         {2026, 4, 1},
         {1990, 1, 1},
         false,
         {2026, 4, 2},
         "01"},
        /* 後期 (高確法52条): the day after leaving the area, the same day into another */
        {SK_INSURER_KOUKI,
         SK_LOSS_MOVED_OUT,
         {2026, 4, 1},
         {1940, 1, 1},
         false,
         {2026, 4, 2},
         "99"},
        {SK_INSURER_KOUKI, SK_LOSS_MOVED_OUT, {2026, 4, 1}, {1940, 1, 1}, true, {2026, 4, 1}, "99"},
        {SK_INSURER_KOUKI, SK_LOSS_DEATH, {2026, 2, 28}, {1940, 1, 1}, false, {2026, 3, 1}, "01"},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        sk_loss_input in = {v[i].kind, v[i].event, v[i].event_date, v[i].birth, v[i].successor};
        sk_date got;
        char reason[3];
        sk_diag d;
        if (sk_loss_date(&in, &got, reason, &d) != SK_OK)
            fail_msg("case %zu: %s", i, d.message);
        assert_date(got, v[i].want.y, v[i].want.m, v[i].want.d);
        assert_string_equal(reason, v[i].reason);
    }
    sk_loss_input bad = {SK_INSURER_KOUKI, SK_LOSS_AGE_75, {0, 0, 0}, {1940, 1, 1}, false};
    sk_date got;
    char reason[3];
    sk_diag d;
    assert_int_equal(sk_loss_date(&bad, &got, reason, &d), SK_ERR_INVALID);
    sk_loss_input bad2 = {SK_INSURER_KYOKAI, SK_LOSS_DEATH, {2025, 2, 29}, {1940, 1, 1}, false};
    assert_int_equal(sk_loss_date(&bad2, &got, reason, &d), SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_DATE_INVALID);
}

static void test_dependent_age(void **state)
{
    (void)state;
    assert_true(sk_dependent_age_ok(D(1951, 6, 15), D(2026, 6, 14), false));
    assert_false(sk_dependent_age_ok(D(1951, 6, 15), D(2026, 6, 15), false)); /* 75 today */
    assert_false(sk_dependent_age_ok(D(1940, 1, 1), D(2026, 1, 1), false));
    assert_true(sk_dependent_age_ok(D(1960, 1, 1), D(2026, 1, 1), false));
    assert_false(sk_dependent_age_ok(D(1960, 1, 1), D(2026, 1, 1), true)); /* 66, 障害認定 */
    assert_true(sk_dependent_age_ok(D(1970, 1, 1), D(2026, 1, 1), true));  /* 56 */
}

static void test_overlaps(void **state)
{
    (void)state;
    /* 国保 [2020-01-01, 2026-04-02) and 健保 from 2026-04-01: one shared day */
    int32_t days =
        sk_overlap_days(D(2020, 1, 1), true, D(2026, 4, 2), D(2026, 4, 1), false, D(0, 0, 0));
    assert_int_equal(days, 1);
    assert_true(sk_overlap_lawful(SK_INSURER_KOKUHO, SK_INSURER_KYOKAI, days));
    assert_true(sk_overlap_lawful(SK_INSURER_KUMIAI, SK_INSURER_KOKUHO, days));
    assert_false(sk_overlap_lawful(SK_INSURER_KOKUHO, SK_INSURER_KYOKAI, 2));
    /* 国保 + 国保組合, 後期 + anything, two 健保: never */
    assert_false(sk_overlap_lawful(SK_INSURER_KOKUHO, SK_INSURER_KOKUHO_KUMIAI, 1));
    assert_false(sk_overlap_lawful(SK_INSURER_KOUKI, SK_INSURER_KYOKAI, 1));
    assert_false(sk_overlap_lawful(SK_INSURER_KYOKAI, SK_INSURER_KUMIAI, 1));
    assert_true(sk_overlap_lawful(SK_INSURER_HIYATOI, SK_INSURER_KOKUHO, 300));
    /* touching periods do not overlap: loss date is the first day without cover */
    assert_int_equal(
        sk_overlap_days(D(2024, 1, 1), true, D(2025, 1, 1), D(2025, 1, 1), true, D(2026, 1, 1)), 0);
    assert_int_equal(
        sk_overlap_days(D(2024, 1, 1), false, D(0, 0, 0), D(2025, 1, 1), true, D(2025, 1, 11)), 10);
    assert_int_equal(
        sk_overlap_days(D(2024, 1, 1), false, D(0, 0, 0), D(2025, 1, 1), false, D(0, 0, 0)),
        INT32_MAX);
    assert_true(sk_overlap_lawful(SK_INSURER_KYOKAI, SK_INSURER_KUMIAI, 0));
}

static void test_deadline(void **state)
{
    (void)state;
    /* workflows §2 C1/C2: 5 calendar days, the first day not counted */
    assert_true(sk_within_deadline(D(2026, 4, 1), D(2026, 4, 1)));
    assert_true(sk_within_deadline(D(2026, 4, 1), D(2026, 4, 6)));
    assert_false(sk_within_deadline(D(2026, 4, 1), D(2026, 4, 7)));
    assert_true(sk_within_deadline(D(2026, 12, 29), D(2027, 1, 3))); /* across the year */
    assert_false(sk_within_deadline(D(2026, 2, 24), D(2026, 3, 2))); /* 28-day February */
    assert_true(sk_within_deadline(D(2026, 4, 1), D(2026, 3, 1)));   /* pre-hire filing */
}

/* issue 19 B.1: the dates a 届出 may carry, on 2026-12-08 with the default horizon */
static void test_filing_dates(void **state)
{
    (void)state;
    const sk_date today = D(2026, 12, 8);
    static const struct {
        int fields; /* 1 birthdate, 2 acquired_on, 4 event_date */
        sk_date birth, acq, event;
        int horizon;
        sk_code code; /* SK_C__COUNT = accepted */
        const char *field;
    } t[] = {
        {1, {2026, 12, 8}, {0}, {0}, 90, SK_C__COUNT, ""},               /* born today */
        {1, {2026, 12, 9}, {0}, {0}, 90, SK_C_DATE_FUTURE, "birthdate"}, /* tomorrow */
        {1, {2030, 1, 1}, {0}, {0}, 90, SK_C_DATE_FUTURE, "birthdate"},
        {3, {1990, 4, 1}, {2027, 3, 8}, {0}, 90, SK_C__COUNT, ""}, /* today + 90: pre-hire */
        {3, {1990, 4, 1}, {2027, 3, 9}, {0}, 90, SK_C_DATE_FUTURE, "acquired_on"},
        {3, {1990, 4, 1}, {2999, 12, 31}, {0}, 90, SK_C_DATE_FUTURE, "acquired_on"},
        {3, {1990, 4, 1}, {2027, 4, 1}, {0}, 120, SK_C__COUNT, ""}, /* a longer horizon */
        {3, {1990, 4, 1}, {2026, 12, 9}, {0}, 0, SK_C_DATE_FUTURE, "acquired_on"},
        {3, {1990, 4, 1}, {1990, 3, 31}, {0}, 90, SK_C_DATE_ORDER, "acquired_on"},
        {3, {1990, 4, 1}, {1990, 4, 1}, {0}, 90, SK_C__COUNT, ""}, /* a newborn dependent */
        {3, {2026, 12, 20}, {2026, 12, 25}, {0}, 90, SK_C_DATE_FUTURE, "birthdate"},
        {4, {0}, {0}, {2027, 3, 8}, 90, SK_C__COUNT, ""}, /* a known retirement */
        {4, {0}, {0}, {2027, 3, 9}, 90, SK_C_DATE_FUTURE, "event_date"},
        {4, {0}, {0}, {1950, 1, 1}, 90, SK_C__COUNT, ""}, /* late, not this rule's concern */
        {6, {0}, {2026, 1, 1}, {2999, 1, 1}, 90, SK_C_DATE_FUTURE, "event_date"},
        {7, {2027, 1, 1}, {2999, 1, 1}, {2999, 1, 1}, 90, SK_C_DATE_FUTURE, "birthdate"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        sk_filing_dates f = {.has_birthdate = t[i].fields & 1,
                             .has_acquired_on = (t[i].fields & 2) != 0,
                             .has_event_date = (t[i].fields & 4) != 0,
                             .birthdate = t[i].birth,
                             .acquired_on = t[i].acq,
                             .event_date = t[i].event};
        sk_diag d;
        sk_diag_clear(&d);
        sk_err err = sk_filing_dates_check(&f, today, t[i].horizon, &d);
        if (t[i].code == SK_C__COUNT) {
            if (err)
                fail_msg("case %zu refused: %s", i, d.message);
        } else {
            if (!err || d.code != t[i].code || strcmp(d.field, t[i].field) != 0)
                fail_msg("case %zu: got %s/%s, want %s/%s", i, sk_code_name(d.code), d.field,
                         sk_code_name(t[i].code), t[i].field);
        }
    }
    assert_int_equal(SK_PREFILE_DAYS_DEFAULT, 90);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadline),      cmocka_unit_test(test_filing_dates),
        cmocka_unit_test(test_period_covers), cmocka_unit_test(test_loss_dates),
        cmocka_unit_test(test_dependent_age), cmocka_unit_test(test_overlaps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
