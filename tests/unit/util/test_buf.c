/* test_buf.c — bounded buffer. */
#include "support.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"

static void test_append_and_cstr(void **state)
{
    (void)state;
    sk_buf b;
    sk_buf_init(&b, 1000);
    assert_string_equal(sk_buf_cstr(&b), "");
    assert_int_equal(sk_buf_puts(&b, "資格"), SK_OK);
    assert_int_equal(sk_buf_putc(&b, '!'), SK_OK);
    assert_int_equal(sk_buf_printf(&b, " %03d", 7), SK_OK);
    assert_string_equal(sk_buf_cstr(&b), "資格! 007");
    assert_int_equal(b.len, strlen("資格! 007"));
    sk_buf_truncate(&b, 6);
    assert_string_equal(sk_buf_cstr(&b), "資格");
    sk_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(sk_buf_cstr(&b), "");
    sk_buf_deinit(&b);
}

static void test_hard_maximum_is_all_or_nothing(void **state)
{
    (void)state;
    sk_buf b;
    sk_buf_init(&b, 8);
    assert_int_equal(sk_buf_puts(&b, "12345"), SK_OK);
    assert_int_equal(sk_buf_puts(&b, "6789"), SK_ERR_TOOBIG);
    assert_string_equal(sk_buf_cstr(&b), "12345"); /* unchanged */
    assert_int_equal(sk_buf_printf(&b, "%s", "abcd"), SK_ERR_TOOBIG);
    assert_string_equal(sk_buf_cstr(&b), "12345");
    assert_int_equal(sk_buf_puts(&b, "678"), SK_OK); /* exactly the maximum */
    assert_int_equal(b.len, 8);
    assert_int_equal(sk_buf_putc(&b, 'x'), SK_ERR_TOOBIG);
    assert_int_equal(sk_buf_reserve(&b, SIZE_MAX), SK_ERR_TOOBIG);
    sk_buf_deinit(&b);
}

static void test_growth_and_take(void **state)
{
    (void)state;
    sk_buf b;
    sk_buf_init(&b, 1 << 20);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(sk_buf_putc(&b, (char)('a' + i % 26)), SK_OK);
    assert_int_equal(b.len, 10000);
    assert_int_equal(b.data[9999], 'a' + 9999 % 26);
    char *p = sk_buf_take(&b);
    assert_non_null(p);
    assert_int_equal(strlen(p), 10000);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    free(p);
    p = sk_buf_take(&b); /* empty buffer hands out "" */
    assert_string_equal(p, "");
    free(p);
}

/* JSON strings: the escapes, and the same text whether the worst case fits under the bound
 * (one reservation) or only the exact text does (byte by byte). */
static void test_json_string(void **state)
{
    (void)state;
    static const char in[] = "a\"b\\c\nd\re\tf\x01g\x1fh 山田";
    static const char want[] = "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001fh 山田\"";
    sk_buf b;
    sk_buf_init(&b, 1 << 20);
    assert_int_equal(sk_buf_putc(&b, '['), SK_OK);
    assert_int_equal(sk_buf_json_string(&b, in), SK_OK);
    assert_int_equal(sk_buf_json_string(&b, ""), SK_OK);
    assert_string_equal(b.data + 1, "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001fh 山田\"\"\"");
    sk_buf_deinit(&b);
    /* a bound the exact text fits but six bytes per byte would not */
    sk_buf_init(&b, strlen(want));
    assert_int_equal(sk_buf_json_string(&b, in), SK_OK);
    assert_string_equal(b.data, want);
    sk_buf_deinit(&b);
    /* one byte less: refused */
    sk_buf_init(&b, strlen(want) - 1);
    assert_int_equal(sk_buf_json_string(&b, in), SK_ERR_TOOBIG);
    sk_buf_deinit(&b);
}

/* The answer writers' escaping, byte by byte, as the reference for the word-at-a-time path. */
static void escape_ref(const char *s, char *out)
{
    *out++ = '"';
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            out += sprintf(out, "\\%c", c);
        else if (c == '\n')
            out += sprintf(out, "\\n");
        else if (c == '\r')
            out += sprintf(out, "\\r");
        else if (c == '\t')
            out += sprintf(out, "\\t");
        else if (c < 0x20)
            out += sprintf(out, "\\u%04x", c);
        else
            *out++ = (char)c;
    }
    *out++ = '"';
    *out = '\0';
}

/* Every byte value at every place of strings of 1 to 24 bytes (so in each lane of a word, in a
 * word's tail and next to another escape) comes out as the byte-by-byte reference writes it. */
static void test_json_string_every_byte_everywhere(void **state)
{
    (void)state;
    char in[32], want[200];
    sk_buf b;
    sk_buf_init(&b, 1 << 20);
    for (size_t len = 1; len <= 24; len++)
        for (size_t at = 0; at < len; at++)
            for (int c = 1; c < 256; c++) {
                memset(in, 'x', len);
                in[len] = '\0';
                in[at] = (char)c;
                if (at + 3 < len)
                    in[at + 3] = '"'; /* a second escape in the same word */
                escape_ref(in, want);
                sk_buf_reset(&b);
                assert_int_equal(sk_buf_json_string(&b, in), SK_OK);
                assert_string_equal(b.data, want);
            }
    sk_buf_deinit(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_and_cstr),
        cmocka_unit_test(test_hard_maximum_is_all_or_nothing),
        cmocka_unit_test(test_growth_and_take),
        cmocka_unit_test(test_json_string),
        cmocka_unit_test(test_json_string_every_byte_everywhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
