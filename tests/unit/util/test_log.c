/* test_log.c — levelled logging with request ids, and the My Number scrubbing that makes a
 * log line safe whatever a caller formats into it (domain-rules §17). */
#include "support.h"

#include <stdio.h>
#include <string.h>

#include "util/log.h"

static char captured[4096];
static int lines;

static void sink(void *ctx, sk_log_level level, const char *line, size_t len)
{
    (void)ctx;
    (void)level;
    size_t n = len < sizeof(captured) - 1 ? len : sizeof(captured) - 1;
    memcpy(captured, line, n);
    captured[n] = '\0';
    lines++;
}

static int setup(void **state)
{
    (void)state;
    sk_log_set_sink(sink, NULL);
    sk_log_set_level(SK_LOG_INFO);
    sk_log_set_context(NULL);
    captured[0] = '\0';
    lines = 0;
    return 0;
}

static void test_levels_and_context(void **state)
{
    (void)state;
    SK_DEBUG("hidden");
    assert_int_equal(lines, 0);
    sk_log_set_context("req-42");
    SK_INFO("filed %s", "資格取得届");
    assert_int_equal(lines, 1);
    assert_non_null(strstr(captured, " INFO  [req-42] filed 資格取得届\n"));
    assert_int_equal(captured[4], '-'); /* ISO timestamp first */
    assert_int_equal(captured[23], 'Z');
    sk_log_set_level(SK_LOG_ERROR);
    SK_WARN("hidden too");
    assert_int_equal(lines, 1);
    sk_log_level l;
    assert_int_equal(sk_log_level_parse("warn", &l), SK_OK);
    assert_int_equal(l, SK_LOG_WARN);
    assert_int_equal(sk_log_level_parse("loud", &l), SK_ERR_INVALID);
}

static void test_log_lines_never_carry_a_mynumber(void **state)
{
    (void)state;
    SK_INFO("person number %s registered", "123456789018");
    assert_null(strstr(captured, "12345678"));
    assert_non_null(strstr(captured, "********9018"));
    SK_INFO("grouped %s", "1234 5678 9018");
    assert_null(strstr(captured, "1234 5678"));
    assert_non_null(strstr(captured, "**** **** 9018"));
    SK_INFO("dated 2026-11-21 then 1234-5678-9018");
    assert_non_null(strstr(captured, "2026-11-21"));
    assert_non_null(strstr(captured, "****-****-9018"));
}

typedef struct {
    const char *in;
    const char *out;
} scrub_case;

static void test_scrub_vectors(void **state)
{
    (void)state;
    static const scrub_case cases[] = {
        {"123456789018", "********9018"},
        {"x123456789018y", "x********9018y"},
        {"1234567890189", "1234567890189"}, /* 13 digits: not a My Number */
        {"12345678901", "12345678901"},     /* 11 digits */
        {"2026-11-21T10:00:00", "2026-11-21T10:00:00"},
        {"090-1234-5678", "090-1234-5678"}, /* a phone number */
        {"1234 5678 9018", "**** **** 9018"},
        {"1234-5678-9018", "****-****-9018"},
        {"1234-5678 9018", "1234-5678 9018"}, /* mixed separators: not a grouped number */
        {"ids 111111111118 and 621498320257", "ids ********1118 and ********0257"},
        /* a person's public id (32 hex) and a digest (16 hex) keep their digits */
        {"persons=33dbb6c123456786770bd9a05387fc8d", "persons=33dbb6c123456786770bd9a05387fc8d"},
        {"key_sha256=a123456789012b3c result=1", "key_sha256=a123456789012b3c result=1"},
        {"0123456789abcdef 1234 5678 9018", "0123456789abcdef **** **** 9018"},
        /* shorter hex-looking text, or letters beyond f, do not protect a number */
        {"ab123456789018", "ab********9018"},
        {"abcdez123456789018", "abcdez********9018"},
        {"123456789018abc", "********9018abc"},
        {"abcdef１２３４５６７８９０１８", "abcdef*  *  *  *  *  *  *  *  ９０１８"},
        /* full-width digits keep their byte length: '*' plus two spaces */
        {"１２３４５６７８９０１８", "*  *  *  *  *  *  *  *  ９０１８"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char buf[128];
        snprintf(buf, sizeof(buf), "%s", cases[i].in);
        sk_log_scrub(buf, strlen(buf));
        assert_string_equal(buf, cases[i].out);
    }
}

static void test_mask_helpers(void **state)
{
    (void)state;
    char m[13];
    sk_mask_mynumber("123456789018", 12, m);
    assert_string_equal(m, "********9018");
    sk_mask_mynumber("1234-5678-9018", 14, m);
    assert_string_equal(m, "********9018");
    sk_mask_mynumber("１２３４５６７８９０１８", strlen("１２３４５６７８９０１８"), m);
    assert_string_equal(m, "********9018");
    sk_mask_mynumber("12345", 5, m);
    assert_string_equal(m, "****");

    char out[64];
    assert_int_equal(sk_mask_tail("記号01", strlen("記号01"), 2, out, sizeof(out)), SK_OK);
    assert_string_equal(out, "**01");
    assert_int_equal(sk_mask_tail("12345678", 8, 2, out, sizeof(out)), SK_OK);
    assert_string_equal(out, "******78");
    assert_int_equal(sk_mask_tail("ab", 2, 4, out, sizeof(out)), SK_OK);
    assert_string_equal(out, "ab");
    assert_int_equal(sk_mask_tail("abcdef", 6, 0, out, 4), SK_ERR_TOOBIG);
    assert_string_equal(out, "***");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_levels_and_context, setup),
        cmocka_unit_test_setup(test_log_lines_never_carry_a_mynumber, setup),
        cmocka_unit_test(test_scrub_vectors),
        cmocka_unit_test(test_mask_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
