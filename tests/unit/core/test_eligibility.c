/* test_eligibility.c — every QualificationValidity answer and the 閲覧停止 one
 * (core/eligibility.h, oqs-messages §4.1, §6.5). */
#include "support.h"

#include <string.h>

#include "core/eligibility.h"

#define BIRTH D(1990, 4, 1)
#define ON    D(2026, 6, 15)

static sk_elig_record rec(int64_t person, sk_date from, bool lost, sk_date to)
{
    sk_elig_record r = {.person_id = person,
                        .birthdate = BIRTH,
                        .acquired_on = from,
                        .has_lost = lost,
                        .lost_on = to,
                        .registered = true};
    return r;
}

static void decide(const sk_elig_record *r, size_t n, sk_elig_decision *out)
{
    sk_eligibility_decide(r, n, BIRTH, ON, out);
}

static void test_codes_and_labels(void **state)
{
    (void)state;
    static const struct {
        sk_validity v;
        const char *code, *label;
    } t[] = {{SK_VALIDITY_VALID, "1", "有効"},
             {SK_VALIDITY_INVALID, "2", "無効"},
             {SK_VALIDITY_INVALID_NEWER, "3", "無効（新しい資格あり）"},
             {SK_VALIDITY_NONE, "4", "該当資格なし"},
             {SK_VALIDITY_MULTIPLE, "5", "複数該当"}};
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        assert_string_equal(sk_validity_code(t[i].v), t[i].code);
        assert_string_equal(sk_validity_label(t[i].v), t[i].label);
    }
}

static void test_valid_on_boundaries(void **state)
{
    (void)state;
    sk_elig_decision d;
    /* acquired on the day itself: valid */
    sk_elig_record r = rec(1, ON, false, D(1, 1, 1));
    decide(&r, 1, &d);
    assert_int_equal(d.validity, SK_VALIDITY_VALID);
    assert_false(d.stopped);
    assert_int_equal(d.nchosen, 1);
    assert_int_equal(d.chosen[0], 0);
    /* lost the day after: still valid on ON */
    r = rec(1, D(2020, 4, 1), true, sk_date_add_days(ON, 1));
    decide(&r, 1, &d);
    assert_int_equal(d.validity, SK_VALIDITY_VALID);
    /* lost on ON itself: the first day without cover */
    r = rec(1, D(2020, 4, 1), true, ON);
    decide(&r, 1, &d);
    assert_int_equal(d.validity, SK_VALIDITY_INVALID);
    assert_int_equal(d.nchosen, 1);
}

static void test_invalid_and_newer(void **state)
{
    (void)state;
    sk_elig_decision d;
    sk_elig_record r = rec(1, D(2020, 4, 1), true, D(2026, 4, 1));
    decide(&r, 1, &d);
    assert_int_equal(d.validity, SK_VALIDITY_INVALID);
    r.newer_exists = true;
    decide(&r, 1, &d);
    assert_int_equal(d.validity, SK_VALIDITY_INVALID_NEWER);
    assert_int_equal(d.nchosen, 1); /* the old record only; the new one is never shown */

    /* the newer test itself */
    sk_elig_period all[] = {
        {D(2020, 4, 1), true, D(2026, 4, 1), true}, /* this one */
        {D(2026, 4, 1), false, D(1, 1, 1), true},   /* a later one, open */
    };
    assert_true(sk_eligibility_newer_exists(D(2020, 4, 1), all, 2, ON));
    all[1].registered = false; /* not yet in the intermediate server */
    assert_false(sk_eligibility_newer_exists(D(2020, 4, 1), all, 2, ON));
    all[1] = (sk_elig_period){D(2026, 4, 1), true, D(2026, 5, 1), true}; /* ended before ON */
    assert_false(sk_eligibility_newer_exists(D(2020, 4, 1), all, 2, ON));
    all[1] = (sk_elig_period){D(2026, 7, 1), false, D(1, 1, 1), true}; /* starts after ON */
    assert_true(sk_eligibility_newer_exists(D(2020, 4, 1), all, 2, ON));
    all[1] = (sk_elig_period){D(2019, 4, 1), false, D(1, 1, 1), true}; /* older */
    assert_false(sk_eligibility_newer_exists(D(2020, 4, 1), all, 2, ON));
}

static void test_latest_record_of_a_person(void **state)
{
    (void)state;
    sk_elig_decision d;
    /* the same key twice for one person (lost, re-acquired): the valid one is chosen */
    sk_elig_record r[] = {rec(1, D(2018, 4, 1), true, D(2020, 4, 1)),
                          rec(1, D(2024, 4, 1), false, D(1, 1, 1))};
    decide(r, 2, &d);
    assert_int_equal(d.validity, SK_VALIDITY_VALID);
    assert_int_equal(d.chosen[0], 1);
    /* both ended: the later one */
    r[1].has_lost = true;
    r[1].lost_on = D(2025, 4, 1);
    decide(r, 2, &d);
    assert_int_equal(d.validity, SK_VALIDITY_INVALID);
    assert_int_equal(d.chosen[0], 1);
    /* pre-hire: only a record that begins after the date */
    sk_elig_record f = rec(1, D(2026, 7, 1), false, D(1, 1, 1));
    decide(&f, 1, &d);
    assert_int_equal(d.validity, SK_VALIDITY_INVALID);
    assert_int_equal(d.nchosen, 1);
}

static void test_none(void **state)
{
    (void)state;
    sk_elig_decision d;
    decide(NULL, 0, &d);
    assert_int_equal(d.validity, SK_VALIDITY_NONE);
    assert_int_equal(d.nchosen, 0);
    /* the key matched but the birth date differs: nothing shown */
    sk_elig_record r = rec(1, D(2020, 4, 1), false, D(1, 1, 1));
    r.birthdate = D(1990, 4, 2);
    decide(&r, 1, &d);
    assert_int_equal(d.validity, SK_VALIDITY_NONE);
    assert_int_equal(d.nchosen, 0);
    /* not registered yet (pending My Number) */
    r = rec(1, D(2020, 4, 1), false, D(1, 1, 1));
    r.registered = false;
    decide(&r, 1, &d);
    assert_int_equal(d.validity, SK_VALIDITY_NONE);
}

static void test_multiple(void **state)
{
    (void)state;
    sk_elig_decision d;
    /* twins under one 記号・番号, 枝番 omitted: both persons, each with its record */
    sk_elig_record r[] = {rec(7, D(2020, 4, 1), false, D(1, 1, 1)),
                          rec(3, D(2020, 4, 1), false, D(1, 1, 1)),
                          rec(3, D(2010, 4, 1), true, D(2015, 1, 1))};
    decide(r, 3, &d);
    assert_int_equal(d.validity, SK_VALIDITY_MULTIPLE);
    assert_int_equal(d.nchosen, 2);
    assert_int_equal(d.chosen[0], 1); /* person 3 first, its valid record */
    assert_int_equal(d.chosen[1], 0);
    /* a sibling with another birth date does not make it multiple */
    r[0].birthdate = D(1992, 1, 1);
    decide(r, 3, &d);
    assert_int_equal(d.validity, SK_VALIDITY_VALID);
    assert_int_equal(d.chosen[0], 1);
}

static void test_display_stopped_shows_nothing(void **state)
{
    (void)state;
    sk_elig_decision d;
    sk_elig_record r[] = {rec(1, D(2020, 4, 1), false, D(1, 1, 1)),
                          rec(2, D(2020, 4, 1), false, D(1, 1, 1))};
    r[1].display_stopped = true;
    decide(r, 2, &d);
    assert_true(d.stopped);
    assert_int_equal(d.nchosen, 0);
    decide(r, 1, &d); /* only the first: shown */
    assert_false(d.stopped);
    assert_int_equal(d.validity, SK_VALIDITY_VALID);
    /* a stopped record whose birth date was not asked does not block (it is not matched) */
    r[1].birthdate = D(2001, 1, 1);
    decide(r, 2, &d);
    assert_false(d.stopped);
    assert_int_equal(d.validity, SK_VALIDITY_VALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes_and_labels),
        cmocka_unit_test(test_valid_on_boundaries),
        cmocka_unit_test(test_invalid_and_newer),
        cmocka_unit_test(test_latest_record_of_a_person),
        cmocka_unit_test(test_none),
        cmocka_unit_test(test_multiple),
        cmocka_unit_test(test_display_stopped_shows_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
