/* test_utf8.c — strict UTF-8. */
#include "support.h"

#include <string.h>

#include "util/utf8.h"

static void test_decode_valid(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(sk_utf8_decode("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(sk_utf8_decode("é", 2, &cp), 2);
    assert_int_equal(cp, 0xE9);
    assert_int_equal(sk_utf8_decode("高", 3, &cp), 3);
    assert_int_equal(cp, 0x9AD8);
    assert_int_equal(sk_utf8_decode("𠮷", 4, &cp), 4);
    assert_int_equal(cp, 0x20BB7);
    char buf[4];
    assert_int_equal(sk_utf8_encode(0x20BB7, buf), 4);
    assert_memory_equal(buf, "𠮷", 4);
    assert_int_equal(sk_utf8_encode(0xD800, buf), 0);
    assert_int_equal(sk_utf8_encode(0x110000, buf), 0);
    assert_int_equal(sk_utf8_count("髙橋 ｶﾞ", strlen("髙橋 ｶﾞ")), 5);
}

static void test_decode_invalid(void **state)
{
    (void)state;
    static const char *bad[] = {
        "\x80",             /* lone continuation */
        "\xC0\xAF",         /* overlong '/' */
        "\xE0\x80\xAF",     /* overlong */
        "\xED\xA0\x80",     /* surrogate U+D800 */
        "\xF4\x90\x80\x80", /* > U+10FFFF */
        "\xE9\xAB",         /* truncated */
        "\xFF",
    };
    uint32_t cp;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(sk_utf8_decode(bad[i], strlen(bad[i]), &cp), 0);
        assert_false(sk_utf8_valid(bad[i], strlen(bad[i])));
    }
    /* Shift_JIS bytes of 高 are not UTF-8 */
    assert_false(sk_utf8_valid("\x8d\x82", 2));
    assert_true(sk_utf8_valid("", 0));
}

/* general category Cf at its edges; the Mn variation selectors and ordinary text are not */
static void test_format_characters(void **state)
{
    (void)state;
    static const uint32_t cf[] = {0x00AD,  0x061C,  0x200B,  0x200C,  0x200D, 0x200E, 0x200F,
                                  0x202A,  0x202E,  0x2060,  0x2066,  0x2069, 0xFEFF, 0xFFF9,
                                  0x110BD, 0x1343F, 0xE0001, 0xE0020, 0xE007F};
    static const uint32_t not_cf[] = {'a',     0x00AC,  0x00AE,  0x200A,  0x2010,  0x2029,
                                      0x202F,  0x3000,  0x9AD9,  0xFE00,  0xFE0F,  0xFEFE,
                                      0xE0000, 0xE0080, 0xE0100, 0xE01EF, 0x20BB7, 0xFFFC};
    for (size_t i = 0; i < sizeof(cf) / sizeof(cf[0]); i++)
        assert_true(sk_utf8_is_format(cf[i]));
    for (size_t i = 0; i < sizeof(not_cf) / sizeof(not_cf[0]); i++)
        assert_false(sk_utf8_is_format(not_cf[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_valid),
        cmocka_unit_test(test_decode_invalid),
        cmocka_unit_test(test_format_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
