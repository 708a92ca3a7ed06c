/* test_numbering.c — insurers' numbering rules for 記号・番号. */
#include "support.h"

#include <string.h>

#include "registry/numbering.h"

static void test_render(void **state)
{
    (void)state;
    static const struct {
        const char *rule, *office;
        long long seq;
        const char *symbol, *number;
    } v[] = {
        {"", "1234", 7, "1234", "7"},                          /* default: 事業所記号 + seq */
        {"", "", 7, "", "7"},                                  /* no office code: no 記号 */
        {"symbol=10;number={seq:6}", "x", 42, "10", "000042"}, /* 健保組合 */
        {"number=K{seq:7};symbol=", "x", 3, "", "K0000003"},   /* order is free */
        {"symbol={office}A;number={office}{seq:3}", "12", 5, "12A", "12005"},
        {"symbol=記号;number={seq}", "", 1, "記号", "1"}, /* full-width 記号 */
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        char sym[SK_CARD_FIELD_MAX_BYTES], num[SK_CARD_FIELD_MAX_BYTES];
        sk_diag d;
        if (sk_numbering_check(v[i].rule, &d))
            fail_msg("%s: %s", v[i].rule, d.message);
        assert_int_equal(sk_numbering_symbol(v[i].rule, v[i].office, sym, &d), SK_OK);
        assert_int_equal(sk_numbering_number(v[i].rule, v[i].office, v[i].seq, num, &d), SK_OK);
        assert_string_equal(sym, v[i].symbol);
        assert_string_equal(num, v[i].number);
    }
}

static void test_bad_rules(void **state)
{
    (void)state;
    static const char *bad[] = {
        "symbol",                  /* no = */
        "color=red",               /* unknown part */
        "symbol=1;symbol=2",       /* twice */
        "number=1",                /* no {seq}: every number the same */
        "symbol={seq}",            /* {seq} in the symbol */
        "number={seq:0}",          /* width 0 */
        "number={seq:11}",         /* width too large */
        "number={seq:x}",          /* bad width */
        "number={serial}",         /* unknown placeholder */
        "number={seq",             /* unclosed */
        "number={seq}}",           /* stray } */
        "symbol=A B;number={seq}", /* a space is not a valid 記号 */
        "symbol=Aａ;number={seq}", /* mixed widths */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        sk_diag d;
        sk_diag_clear(&d);
        if (sk_numbering_check(bad[i], &d) == SK_OK)
            fail_msg("rule accepted: %s", bad[i]);
        assert_int_equal(d.code, SK_C_NUMBERING_RULE);
        assert_string_equal(d.field, "numbering_rule");
    }
}

static void test_width_exhausted(void **state)
{
    (void)state;
    char num[SK_CARD_FIELD_MAX_BYTES];
    sk_diag d;
    assert_int_equal(sk_numbering_number("number={seq:3}", "", 999, num, &d), SK_OK);
    assert_string_equal(num, "999");
    assert_int_not_equal(sk_numbering_number("number={seq:3}", "", 1000, num, &d), SK_OK);
    assert_int_equal(d.code, SK_C_NUMBERING_RULE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_bad_rules),
        cmocka_unit_test(test_width_exhausted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
