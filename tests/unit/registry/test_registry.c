/* test_registry.c — insurers and employers: validation, duplicates, audit in one transaction. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/registry.h"

static char *dir;
static sk_store *store;
static sk_registry *reg;

static int setup(void **state)
{
    (void)state;
    dir = sk_test_tmpdir();
    char db[4200];
    snprintf(db, sizeof(db), "%s/a.db", dir);
    sk_store_options o = {.dsn = db};
    return sk_store_create(&o, NULL) || sk_store_open(&o, &store, NULL) ||
                   sk_registry_open(store, &reg, NULL)
               ? -1
               : 0;
}

static int teardown(void **state)
{
    (void)state;
    sk_registry_free(reg);
    sk_store_close(store);
    sk_test_rmtree(dir);
    free(dir);
    return 0;
}

static int64_t audit_rows(void)
{
    int64_t bad = -1, rows = -1;
    assert_int_equal(sk_store_audit_verify(store, &bad, &rows, NULL), SK_OK);
    assert_int_equal(bad, 0);
    return rows;
}

static void test_insurers(void **state)
{
    (void)state;
    sk_insurer_rec r;
    sk_diag d;
    assert_int_equal(
        sk_registry_insurer_add(reg, "131011", "千代田区国民健康保険", "", "t", 5, &r, &d), SK_OK);
    assert_int_equal(r.kind, SK_INSURER_KOKUHO);
    assert_int_equal(audit_rows(), 1);
    assert_int_equal(sk_registry_insurer_add(reg, "131011", "again", "", "t", 6, &r, &d),
                     SK_ERR_EXISTS);
    assert_int_equal(d.code, SK_C_DUPLICATE);
    const struct {
        const char *number, *name;
        sk_code code;
        const char *field;
    } bad[] = {
        {"12130019", "生活保護", SK_C_INSURER_HOUBETSU, "number"},
        {"01130013", "協会", SK_C_INSURER_CHECK_DIGIT, "number"},
        {"01130012", "", SK_C_REQUIRED, "name"},
        {"01130012", "a\nb", SK_C_BAD_CHAR, "name"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(
            sk_registry_insurer_add(reg, bad[i].number, bad[i].name, "", "t", 7, &r, &d),
            SK_ERR_INVALID);
        assert_int_equal(d.code, bad[i].code);
        assert_string_equal(d.field, bad[i].field);
    }
    assert_int_equal(audit_rows(), 1); /* failures wrote nothing */
}

static void test_employers(void **state)
{
    (void)state;
    sk_insurer_rec ins;
    sk_employer_rec e;
    sk_diag d;
    assert_int_equal(
        sk_registry_employer_add(reg, "01130012", "株式会社シカク", "", "t", 1, &e, &d),
        SK_ERR_NOTFOUND);
    assert_string_equal(d.field, "insurer");
    assert_int_equal(
        sk_registry_insurer_add(reg, "01130012", "協会けんぽ東京", "", "t", 1, &ins, &d), SK_OK);
    assert_int_equal(
        sk_registry_employer_add(reg, "01130012", "株式会社シカク", "ｱｲｳ", "t", 2, &e, &d), SK_OK);
    assert_true(e.id > 0);
    assert_string_equal(e.office_code, "ｱｲｳ");
    assert_int_equal(sk_registry_employer_add(reg, "01130012", "", "", "t", 3, &e, &d),
                     SK_ERR_INVALID);
    assert_string_equal(d.field, "name");
    assert_int_equal(audit_rows(), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_insurers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_employers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
