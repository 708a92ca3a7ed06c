/* test_csv.c — CSV records (RFC 4180) and Shift_JIS → UTF-8. */
#include "support.h"

#include <stdio.h>
#include <string.h>

#include "util/csv.h"
#include "util/text.h"

static void test_records(void **state)
{
    (void)state;
    char text[] = "\xef\xbb\xbf"
                  "a,b,c\r\n"
                  "1,\"two, with comma\",\"say \"\"hi\"\"\"\r\n"
                  "\n"
                  "x,\"multi\nline\",\r\n"
                  "last,,end";
    sk_csv c;
    sk_csv_init(&c, text, strlen(text));
    char *f[SK_CSV_MAX_FIELDS];
    size_t n, line;
    sk_diag d;
    assert_int_equal(sk_csv_next(&c, f, &n, &line, &d), SK_OK);
    assert_int_equal(n, 3);
    assert_string_equal(f[0], "a"); /* BOM skipped */
    assert_int_equal(line, 1);
    assert_int_equal(sk_csv_next(&c, f, &n, &line, &d), SK_OK);
    assert_int_equal(n, 3);
    assert_string_equal(f[1], "two, with comma");
    assert_string_equal(f[2], "say \"hi\"");
    assert_int_equal(line, 2);
    assert_int_equal(sk_csv_next(&c, f, &n, &line, &d), SK_OK); /* blank line skipped */
    assert_int_equal(line, 4);
    assert_int_equal(n, 3);
    assert_string_equal(f[1], "multi\nline");
    assert_string_equal(f[2], "");
    assert_int_equal(sk_csv_next(&c, f, &n, &line, &d), SK_OK);
    assert_int_equal(line, 6);
    assert_int_equal(n, 3);
    assert_string_equal(f[1], "");
    assert_string_equal(f[2], "end");
    assert_int_equal(sk_csv_next(&c, f, &n, &line, &d), SK_ERR_NOTFOUND);
}

static void test_malformed(void **state)
{
    (void)state;
    static const char *bad[] = {"a,\"open\n", "a,\"x\"y\n", "a,b\"c\n"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char text[64];
        snprintf(text, sizeof(text), "%s", bad[i]);
        sk_csv c;
        sk_csv_init(&c, text, strlen(text));
        char *f[SK_CSV_MAX_FIELDS];
        size_t n, line;
        sk_diag d;
        sk_diag_clear(&d);
        assert_int_equal(sk_csv_next(&c, f, &n, &line, &d), SK_ERR_INVALID);
        assert_int_equal(d.code, SK_C_CSV);
        assert_string_equal(d.field, "line 1");
    }
}

static void test_shift_jis(void **state)
{
    (void)state;
    /* 髙橋　太郎,ｶﾅ (CP932: 髙 is an IBM extension; full-width space; half-width kana) */
    static const char sjis[] = "\xfb\xfc\x8b\xb4\x81\x40\x91\xbe\x98\x59,\xb6\xc5";
    sk_arena *a = sk_arena_alloc(4096, 1 << 20);
    char *out;
    size_t len;
    sk_text_encoding used;
    sk_diag d;
    assert_int_equal(sk_text_to_utf8(sjis, strlen(sjis), SK_ENC_AUTO, a, &out, &len, &used, &d),
                     SK_OK);
    assert_int_equal(used, SK_ENC_SJIS);
    assert_string_equal(out, "髙橋　太郎,ｶﾅ");
    assert_int_equal(sk_text_to_utf8("髙橋", strlen("髙橋"), SK_ENC_AUTO, a, &out, &len, &used, &d),
                     SK_OK);
    assert_int_equal(used, SK_ENC_UTF8);
    /* a lone lead byte is not Shift_JIS; declared UTF-8 must be UTF-8 */
    assert_int_equal(sk_text_to_utf8("a\x81", 2, SK_ENC_SJIS, a, &out, &len, &used, &d),
                     SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_ENCODING);
    assert_int_equal(sk_text_to_utf8(sjis, strlen(sjis), SK_ENC_UTF8, a, &out, &len, &used, &d),
                     SK_ERR_INVALID);
    sk_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_shift_jis),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
