/* test_demo.c — the demo's data: seeded through the registry's own 届出 path, deterministic for
 * a seed, refused over a seeded registry; its resident register agrees with the store. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "demo/demo.h"

#define NOW_MS 1795000000000LL /* 2026-11-18 */

typedef struct fx {
    char *dir;
    sk_store *s;
    sk_registry *reg;
} fx;

static int open_db(fx *f, const char *name)
{
    char db[4200];
    snprintf(db, sizeof(db), "%s/%s", f->dir, name);
    sk_store_options o = {.dsn = db};
    return sk_store_create(&o, NULL) || sk_store_open(&o, &f->s, NULL) ||
                   sk_registry_open(f->s, &f->reg, NULL)
               ? -1
               : 0;
}

static void close_db(fx *f)
{
    sk_registry_free(f->reg);
    sk_store_close(f->s);
    f->reg = NULL;
    f->s = NULL;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof(*f));
    f->dir = sk_test_tmpdir();
    *state = f;
    return open_db(f, "a.db");
}

static int teardown(void **state)
{
    fx *f = *state;
    close_db(f);
    sk_test_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static void test_seed_is_deterministic(void **state)
{
    fx *f = *state;
    sk_demo_options opt = {.persons = 120, .seed = 3, .now_ms = NOW_MS};
    sk_demo_result a, b;
    sk_diag d;
    assert_int_equal(sk_demo_seed(f->reg, &opt, &a, &d), SK_OK);
    assert_int_equal(a.insurers, 6);
    assert_true(a.persons >= 120);
    assert_int_equal(a.notifications, a.persons + a.losses);
    assert_true(a.pending > 0 && a.pending < a.persons); /* some still wait for a My Number */
    for (int i = 0; i < 5; i++)
        assert_int_equal(strlen(a.tokens[i].token), SK_TOKEN_LEN);
    /* every row of the audit chain verifies: the data went through the services */
    int64_t bad = -1, rows = 0;
    assert_int_equal(sk_store_audit_verify(f->s, &bad, &rows, &d), SK_OK);
    assert_int_equal(bad, 0);
    assert_true(rows >= a.notifications);
    /* the same seed on another database gives the same data */
    close_db(f);
    assert_int_equal(open_db(f, "b.db"), 0);
    assert_int_equal(sk_demo_seed(f->reg, &opt, &b, &d), SK_OK);
    assert_int_equal(b.persons, a.persons);
    assert_int_equal(b.pending, a.pending);
    assert_int_equal(b.losses, a.losses);
    assert_int_equal(b.employers, a.employers);
}

static void test_seed_refuses_a_seeded_registry(void **state)
{
    fx *f = *state;
    sk_demo_options opt = {.persons = 10, .seed = 1, .now_ms = NOW_MS};
    sk_demo_result r;
    sk_diag d;
    assert_int_equal(sk_demo_seed(f->reg, &opt, &r, &d), SK_OK);
    assert_int_equal(sk_demo_seed(f->reg, &opt, &r, &d), SK_ERR_EXISTS);
    assert_int_equal(d.code, SK_C_DUPLICATE);
}

static void test_resident_register(void **state)
{
    fx *f = *state;
    sk_demo_options opt = {.persons = 150, .seed = 5, .now_ms = NOW_MS};
    sk_demo_result r;
    sk_diag d;
    assert_int_equal(sk_demo_seed(f->reg, &opt, &r, &d), SK_OK);
    char path[4300];
    snprintf(path, sizeof(path), "%s/a.db.jlis.csv", f->dir);
    sk_jlis_demo_result jr;
    assert_int_equal(sk_jlis_demo_write(f->s, path, 5, &jr, &d), SK_OK);
    /* every person is a resident (the waiting ones too), plus the traps' extra residents */
    assert_true(jr.residents >= r.persons);
    assert_int_equal(jr.waiting, r.pending);
    assert_true(jr.twins > 0 && jr.moved > 0 && jr.itaiji > 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600); /* plain My Numbers */
    /* a directory that does not exist: an error, nothing half-written */
    snprintf(path, sizeof(path), "%s/missing/jlis.csv", f->dir);
    assert_int_not_equal(sk_jlis_demo_write(f->s, path, 5, &jr, &d), SK_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_seed_is_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seed_refuses_a_seeded_registry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resident_register, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
