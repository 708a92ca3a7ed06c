/* test_mynumber.c — My Number normalisation and validation (domain-rules §1). */
#include "support.h"

#include <string.h>

#include "core/mynumber.h"

typedef struct {
    const char *in;
    sk_code code; /* 0 with ok = valid */
    int ok;
    const char *norm;
} mn_case;

static void test_vectors(void **state)
{
    (void)state;
    static const mn_case cases[] = {
        {"123456789018", 0, 1, "123456789018"},
        {"621498320257", 0, 1, "621498320257"},
        {"983205673214", 0, 1, "983205673214"},
        {"123456789050", 0, 1, "123456789050"},
        {"123456789000", 0, 1, "123456789000"},
        {"111111111118", 0, 1, "111111111118"},
        /* normalisation: spaces, hyphens, full-width digits and separators */
        {"1234 5678 9018", 0, 1, "123456789018"},
        {"1234-5678-9018", 0, 1, "123456789018"},
        {"１２３４５６７８９０１８", 0, 1, "123456789018"},
        {"１２３４－５６７８－９０１８", 0, 1, "123456789018"},
        {"1234　5678　9018", 0, 1, "123456789018"},
        {" 123456789018 ", 0, 1, "123456789018"},
        /* invalid */
        {"621498320258", SK_C_MYNUMBER_CHECK_DIGIT, 0, NULL},
        {"12345678901", SK_C_MYNUMBER_FORMAT, 0, NULL},
        {"1234567890189", SK_C_MYNUMBER_FORMAT, 0, NULL},
        {"12345678901A", SK_C_MYNUMBER_FORMAT, 0, NULL},
        {"000000000000", SK_C_MYNUMBER_SENTINEL, 0, NULL},
        {"", SK_C_MYNUMBER_FORMAT, 0, NULL},
        {"1234.5678.9018", SK_C_MYNUMBER_FORMAT, 0, NULL},
        {"１２３４５６７８９０１Ａ", SK_C_MYNUMBER_FORMAT, 0, NULL},
        {"\xff\xfe", SK_C_MYNUMBER_FORMAT, 0, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sk_mynumber n;
        sk_diag d;
        sk_diag_clear(&d);
        sk_err e = sk_mynumber_parse(cases[i].in, strlen(cases[i].in), &n, "my_number", &d);
        if (cases[i].ok) {
            if (e != SK_OK)
                fail_msg("case %zu (%s): %s", i, cases[i].in, d.message);
            assert_string_equal(n.digits, cases[i].norm);
        } else {
            assert_int_equal(e, SK_ERR_INVALID);
            assert_int_equal(d.code, cases[i].code);
            assert_string_equal(d.field, "my_number");
            /* the message never quotes the number */
            assert_null(strstr(d.message, "1234"));
            assert_null(strstr(d.message, "6214"));
        }
    }
}

static void test_mask_and_last4(void **state)
{
    (void)state;
    sk_mynumber n;
    assert_int_equal(sk_mynumber_parse("123456789018", 12, &n, "f", NULL), SK_OK);
    char m[13], l[5];
    sk_mynumber_mask(&n, m);
    assert_string_equal(m, "********9018");
    sk_mynumber_last4(&n, l);
    assert_string_equal(l, "9018");
    sk_mynumber_wipe(&n);
    assert_int_equal(n.digits[0], 0);
}

static void test_every_single_digit_error_is_caught(void **state)
{
    (void)state;
    /* the weights 2..7 are all below 11 and non-zero, so changing any one base digit changes
     * S mod 11; a changed digit is rejected unless it lands on a residue that also maps to the
     * same check digit (r = 0 and r = 1 both give 0). Count that nothing else slips through. */
    const char *good = "621498320257";
    int slipped = 0;
    for (int pos = 0; pos < 12; pos++) {
        for (char c = '0'; c <= '9'; c++) {
            char buf[13];
            memcpy(buf, good, 13);
            if (buf[pos] == c)
                continue;
            buf[pos] = c;
            sk_mynumber n;
            if (sk_mynumber_parse(buf, 12, &n, "f", NULL) == SK_OK)
                slipped++;
        }
    }
    /* only the r∈{0,1} collision can slip; with this number's r=4 none does */
    assert_int_equal(slipped, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_mask_and_last4),
        cmocka_unit_test(test_every_single_digit_error_is_caught),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
