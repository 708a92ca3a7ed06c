/* test_err.c — sk_err names, the code table, diagnostics, and docs/errors.md coverage. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

static void test_strerror_covers_every_error(void **state)
{
    (void)state;
    for (int e = 0; e >= SK_ERR_INTERNAL; e--) {
        assert_string_not_equal(sk_strerror((sk_err)e), "unknown error");
        assert_string_not_equal(sk_err_name((sk_err)e), "SK_ERR_UNKNOWN");
    }
    assert_string_equal(sk_strerror((sk_err)-999), "unknown error");
}

static void test_code_names_unique_and_wellformed(void **state)
{
    (void)state;
    for (int i = 0; i < SK_C__COUNT; i++) {
        const char *n = sk_code_name((sk_code)i);
        assert_non_null(n);
        assert_true(strlen(n) > 0);
        for (const char *p = n; *p; p++)
            assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_');
        assert_true(sk_code_err((sk_code)i) < 0);
        for (int j = i + 1; j < SK_C__COUNT; j++)
            assert_string_not_equal(n, sk_code_name((sk_code)j));
    }
}

static void test_every_code_documented(void **state)
{
    (void)state;
    FILE *f = fopen(SK_SOURCE_DIR "/docs/errors.md", "r");
    assert_non_null(f);
    static char doc[1 << 18];
    size_t n = fread(doc, 1, sizeof(doc) - 1, f);
    fclose(f);
    doc[n] = '\0';
    for (int i = 0; i < SK_C__COUNT; i++) {
        char needle[96];
        snprintf(needle, sizeof(needle), "`%s`", sk_code_name((sk_code)i));
        if (!strstr(doc, needle))
            fail_msg("docs/errors.md does not document %s", needle);
    }
}

static void test_diag_set_and_prefix(void **state)
{
    (void)state;
    sk_diag d;
    sk_diag_clear(&d);
    sk_err e = sk_diag_set(&d, SK_C_DATE_FORMAT, "birthdate", "bad %d", 7);
    assert_int_equal(e, SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_DATE_FORMAT);
    assert_string_equal(d.field, "birthdate");
    assert_string_equal(d.message, "bad 7");
    sk_diag_prefix_field(&d, "dependents[1]");
    assert_string_equal(d.field, "dependents[1].birthdate");
    /* NULL diag: just the class */
    assert_int_equal(sk_diag_set(NULL, SK_C_FILE_EXISTS, "x", "y"), SK_ERR_EXISTS);
    /* truncation stays bounded and terminated */
    char longf[200];
    memset(longf, 'f', sizeof(longf) - 1);
    longf[sizeof(longf) - 1] = '\0';
    sk_diag_set(&d, SK_C_REQUIRED, longf, "%s", longf);
    assert_int_equal(strlen(d.field), SK_DIAG_FIELD_MAX - 1);
    sk_diag_prefix_field(&d, "p");
    assert_int_equal(strlen(d.field), SK_DIAG_FIELD_MAX - 1);
    assert_memory_equal(d.field, "p.fff", 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror_covers_every_error),
        cmocka_unit_test(test_code_names_unique_and_wellformed),
        cmocka_unit_test(test_every_code_documented),
        cmocka_unit_test(test_diag_set_and_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
