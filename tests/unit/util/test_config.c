/* test_config.c — configuration file + environment overrides. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/config.h"

static void test_file_and_env(void **state)
{
    (void)state;
    sk_config *c = sk_config_alloc();
    sk_diag d;
    assert_int_equal(sk_config_load_text(c,
                                         "# shikaku\n"
                                         "listen = 127.0.0.1:8080\n"
                                         "\n"
                                         "  store.busy_timeout_ms=2500  \r\n"
                                         "log.level = info\n",
                                         "test.conf", &d),
                     SK_OK);
    assert_string_equal(sk_config_get(c, "listen", NULL), "127.0.0.1:8080");
    assert_null(sk_config_get(c, "missing", NULL));
    assert_string_equal(sk_config_get(c, "missing", "def"), "def");
    long long v;
    assert_int_equal(sk_config_get_int(c, "store.busy_timeout_ms", 5000, 0, 60000, &v, &d), SK_OK);
    assert_int_equal(v, 2500);
    char *env[] = {"SHIKAKU_STORE_BUSY_TIMEOUT_MS=100", "SHIKAKU_LOG_LEVEL=debug", "OTHER=1", NULL};
    sk_config_set_environ(c, env);
    assert_int_equal(sk_config_get_int(c, "store.busy_timeout_ms", 5000, 0, 60000, &v, &d), SK_OK);
    assert_int_equal(v, 100);
    assert_string_equal(sk_config_get(c, "log.level", NULL), "debug");
    sk_config_free(c);
}

static void test_errors_name_the_line_and_change_nothing(void **state)
{
    (void)state;
    sk_config *c = sk_config_alloc();
    sk_diag d;
    assert_int_equal(sk_config_set(c, "a", "1"), SK_OK);
    assert_int_equal(sk_config_load_text(c, "a = 2\nno equals sign\n", "x.conf", &d),
                     SK_ERR_CONFIG);
    assert_int_equal(d.code, SK_C_CONFIG_SYNTAX);
    assert_string_equal(d.field, "x.conf:2");
    assert_string_equal(sk_config_get(c, "a", NULL), "1"); /* line 1 was not applied */
    assert_int_equal(sk_config_load_text(c, "Bad-Key = 1\n", "x.conf", &d), SK_ERR_CONFIG);
    assert_string_equal(d.field, "x.conf:1");

    char *env[] = {NULL};
    sk_config_set_environ(c, env);
    long long v;
    sk_config_set(c, "n", "12x");
    assert_int_equal(sk_config_get_int(c, "n", 0, 0, 100, &v, &d), SK_ERR_CONFIG);
    assert_int_equal(d.code, SK_C_CONFIG_VALUE);
    assert_string_equal(d.field, "n");
    sk_config_set(c, "n", "101");
    assert_int_equal(sk_config_get_int(c, "n", 0, 0, 100, &v, &d), SK_ERR_CONFIG);
    bool b;
    sk_config_set(c, "flag", "yes");
    assert_int_equal(sk_config_get_bool(c, "flag", false, &b, &d), SK_OK);
    assert_true(b);
    sk_config_set(c, "flag", "maybe");
    assert_int_equal(sk_config_get_bool(c, "flag", false, &b, &d), SK_ERR_CONFIG);
    assert_int_equal(sk_config_load_file(c, "/nonexistent/shikaku.conf", &d), SK_ERR_IO);
    sk_config_free(c);
}

static void test_load_file(void **state)
{
    (void)state;
    char *dir = sk_test_tmpdir();
    char path[4200];
    snprintf(path, sizeof(path), "%s/s.conf", dir);
    FILE *f = fopen(path, "w");
    fputs("db = /var/lib/shikaku/shikaku.db\n", f);
    fclose(f);
    sk_config *c = sk_config_alloc();
    sk_diag d;
    assert_int_equal(sk_config_load_file(c, path, &d), SK_OK);
    assert_string_equal(sk_config_get(c, "db", NULL), "/var/lib/shikaku/shikaku.db");
    sk_config_free(c);
    sk_test_rmtree(dir);
    free(dir);
}

static void test_parse_ll(void **state)
{
    (void)state;
    long long v;
    assert_int_equal(sk_parse_ll("0", 1, 0, 10, &v), SK_OK);
    assert_int_equal(sk_parse_ll("-5", 2, -10, 10, &v), SK_OK);
    assert_int_equal(v, -5);
    assert_int_equal(sk_parse_ll("9223372036854775807", 19, 0, INT64_MAX, &v), SK_OK);
    assert_int_equal(sk_parse_ll("9223372036854775808", 19, 0, INT64_MAX, &v), SK_ERR_RANGE);
    assert_int_equal(sk_parse_ll("", 0, 0, 10, &v), SK_ERR_INVALID);
    assert_int_equal(sk_parse_ll("-", 1, -10, 10, &v), SK_ERR_INVALID);
    assert_int_equal(sk_parse_ll(" 1", 2, 0, 10, &v), SK_ERR_INVALID);
    assert_int_equal(sk_parse_ll("11", 2, 0, 10, &v), SK_ERR_RANGE);
}

static void test_word_in(void **state)
{
    (void)state;
    assert_true(sk_word_in("stop dismiss", "stop"));
    assert_true(sk_word_in("stop dismiss", "dismiss"));
    assert_false(sk_word_in("stop dismiss", "dis"));
    assert_false(sk_word_in("mynumber_set ask_again", "ask"));
    assert_false(sk_word_in("stop", ""));
    assert_false(sk_word_in("", "stop"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_and_env),
        cmocka_unit_test(test_errors_name_the_line_and_change_nothing),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_parse_ll),
        cmocka_unit_test(test_word_in),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
