/* test_cardkey.c — 記号・番号・枝番 character classes and lengths (domain-rules §4). */
#include "support.h"

#include <string.h>

#include "core/cardkey.h"

typedef struct {
    const char *s;
    int ok;
} field_case;

static void test_symbol(void **state)
{
    (void)state;
    static const field_case v[] = {
        {"", 1}, /* cards with only a 番号 */
        {"1234", 1},
        {"AB12", 1},
        {"ab12", 1},
        {"記号01", 0},   /* kanji with half-width digits: mixed */
        {"記号０１", 1}, /* all full-width */
        {"ＡＢ１２", 1},
        {"きごう", 1},
        {"キゴウ", 1},
        {"ｷｺﾞｳ", 0},                 /* half-width kana */
        {"12 34", 0},                /* half-width space */
        {"１２　３４", 0},           /* full-width space */
        {"12-34", 0},                /* half-width symbol */
        {"１２－３４", 1},           /* full-width symbol */
        {"AＢ", 0},                  /* mixed Latin widths */
        {"12345678901234567890", 1}, /* 20 characters */
        {"123456789012345678901", 0},
        {"一二三四五六七八九十一二三四五六七八九十", 1},
        {"一二三四五六七八九十一二三四五六七八九十一", 0},
        {"𠮷田", 1}, /* outside the BMP, full-width */
        {"\xe9\xab", 0},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        sk_diag d;
        sk_err e = sk_card_symbol_check(v[i].s, strlen(v[i].s), "symbol", &d);
        if (v[i].ok != (e == SK_OK))
            fail_msg("symbol case %zu '%s': got %s", i, v[i].s, e ? d.message : "ok");
        if (e)
            assert_string_equal(d.field, "symbol");
    }
}

static void test_number_and_branch(void **state)
{
    (void)state;
    sk_diag d;
    assert_int_equal(sk_card_number_check("", 0, "number", &d), SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_REQUIRED);
    assert_int_equal(sk_card_number_check("0012", 4, "number", &d), SK_OK);
    assert_int_equal(sk_card_number_check("１２３", strlen("１２３"), "number", &d), SK_OK);
    assert_int_equal(sk_card_number_check("12３", strlen("12３"), "number", &d), SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_CARD_NUMBER);

    static const field_case b[] = {{"", 1},    {"00", 1}, {"01", 1},   {"99", 1}, {"0", 0},
                                   {"000", 0}, {"1a", 0}, {"０１", 0}, {" 1", 0}};
    for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
        sk_err e = sk_card_branch_check(b[i].s, strlen(b[i].s), "branch", &d);
        assert_int_equal(e == SK_OK, b[i].ok);
        if (e)
            assert_int_equal(d.code, SK_C_CARD_BRANCH);
    }
}

static void test_make_and_compare_exactly(void **state)
{
    (void)state;
    sk_cardkey a, b;
    sk_diag d;
    assert_int_equal(sk_cardkey_make("記号０１", strlen("記号０１"), "0012", 4, "01", 2, &a, &d),
                     SK_OK);
    assert_string_equal(a.symbol, "記号０１");
    assert_int_equal(sk_cardkey_make("記号０１", strlen("記号０１"), "12", 2, "01", 2, &b, &d),
                     SK_OK);
    assert_false(sk_cardkey_equal(&a, &b)); /* leading zeros are significant */
    assert_int_equal(sk_cardkey_make("", 0, "0012", 4, "", 0, &b, &d), SK_OK);
    assert_false(sk_cardkey_equal(&a, &b));
    assert_int_equal(sk_cardkey_make("記号０１", strlen("記号０１"), "0012", 4, "01", 2, &b, &d),
                     SK_OK);
    assert_true(sk_cardkey_equal(&a, &b));
    assert_int_equal(sk_cardkey_make("", 0, "1", 1, "1", 1, &b, &d), SK_ERR_INVALID);
    assert_string_equal(d.field, "branch");
    /* the longest accepted value fits the buffer */
    const char *longest = "𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷";
    assert_int_equal(
        sk_cardkey_make(longest, strlen(longest), longest, strlen(longest), "", 0, &b, &d), SK_OK);
    assert_string_equal(b.number, longest);
}

/* 枝番 allocation: the person's own is kept, else the next after the highest; never reused. */
static void test_branch_allocation(void **state)
{
    (void)state;
    static const struct {
        const char *seen[6]; /* stored 枝番 under the 記号・番号 */
        int same;            /* index of the person's own in seen, -1 = none */
        const char *want;    /* NULL = SK_C_TOO_LONG */
    } cases[] = {
        {{"00"}, -1, "01"},             /* the first dependent */
        {{"00", "01", "02"}, -1, "03"}, /* the next */
        {{"00", "01", "03"}, -1, "04"}, /* a gap (a 枝番 of someone who left) is not reused */
        {{"00", "01", "02"}, 1, "01"},  /* coming back: the person's own */
        {{""}, -1, "01"},               /* a 記号・番号 recorded without 枝番 counts as 00 */
        {{}, -1, "01"},                 /* nothing seen: 00 is still the insured's */
        {{"00", "98"}, -1, "99"},       /* the last one */
        {{"00", "99"}, -1, NULL},       /* none left */
        {{"00", "99", "05"}, 2, "05"},  /* none left, but the person has one */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sk_branch_alloc b;
        sk_branch_alloc_init(&b);
        for (int k = 0; k < 6 && cases[i].seen[k]; k++)
            sk_branch_seen(&b, cases[i].seen[k], k == cases[i].same);
        char out[3] = "xx";
        sk_diag d;
        sk_err err = sk_branch_next(&b, out, "insured", &d);
        if (cases[i].want) {
            assert_int_equal(err, SK_OK);
            assert_string_equal(out, cases[i].want);
        } else {
            assert_int_not_equal(err, SK_OK);
            assert_int_equal(d.code, SK_C_TOO_LONG);
            assert_string_equal(d.field, "insured");
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_symbol),
        cmocka_unit_test(test_number_and_branch),
        cmocka_unit_test(test_make_and_compare_exactly),
        cmocka_unit_test(test_branch_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
