/* store_fixture.h — the store suites' fixture (a fresh database per test, for the driver
 * under test) and the helpers both suites use: the contract (test_store.c,
 * test_store_ops.c) and the SQLite driver's own (sqlite/test_sqlite.c). */
#ifndef SK_TEST_STORE_FIXTURE_H
#define SK_TEST_STORE_FIXTURE_H

#include "support.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"

typedef struct fixture {
    const char *driver;
    char *dir;
    char db[4200];  /* the database file (SQLite) */
    char dsn[4300]; /* "<driver>:<db>" */
    sk_store *s;
} fixture;

static const char *current_driver = "sqlite";

static inline int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    f->driver = current_driver;
    f->dir = sk_test_tmpdir();
    snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir);
    snprintf(f->dsn, sizeof(f->dsn), "%s:%s", f->driver, f->db);
    sk_store_options o = {.dsn = f->dsn};
    sk_diag d;
    if (sk_store_create(&o, &d) != SK_OK || sk_store_open(&o, &f->s, &d) != SK_OK) {
        fprintf(stderr, "setup: %s\n", d.message);
        return -1;
    }
    *state = f;
    return 0;
}

static inline int teardown(void **state)
{
    fixture *f = *state;
    sk_store_close(f->s);
    sk_test_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static inline void add_insurer(sk_store *s, const char *number, sk_insurer_kind kind,
                               const char *name)
{
    sk_tx *tx;
    sk_diag d;
    assert_int_equal(sk_store_begin(s, &tx, &d), SK_OK);
    sk_insurer_rec r = {.kind = kind, .created_ms = 1};
    snprintf(r.number, sizeof(r.number), "%s", number);
    snprintf(r.name, sizeof(r.name), "%s", name);
    sk_store_insurer_add(tx, &r, &d);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);
}

static inline sk_person_rec person(const char *name, const char *kana, sk_date birth,
                                   const char *mn)
{
    sk_person_rec p;
    memset(&p, 0, sizeof(p));
    snprintf(p.info.name, sizeof(p.info.name), "%s", name);
    snprintf(p.info.kana, sizeof(p.info.kana), "%s", kana);
    p.info.birthdate = birth;
    p.info.sex = SK_SEX_FEMALE;
    snprintf(p.info.address, sizeof(p.info.address), "東京都千代田区霞が関1-2-2");
    snprintf(p.postcode, sizeof(p.postcode), "100-8916");
    if (mn) {
        p.has_mynumber = true;
        assert_int_equal(sk_mynumber_parse(mn, strlen(mn), &p.mynumber, "mn", NULL), SK_OK);
    }
    p.created_ms = p.updated_ms = 1000;
    return p;
}

static inline sk_err one_row_job(sk_tx *tx, void *ctx, sk_diag *d)
{
    (void)ctx;
    sk_audit_rec r = {.at_ms = 9000, .actor = "t", .action = "snapshot", .object = "x"};
    sk_store_audit_append(tx, &r, d);
    return sk_tx_error(tx);
}

static inline int64_t audit_rows(sk_store *s)
{
    sk_diag d;
    int64_t bad = 0, rows = -1;
    assert_int_equal(sk_store_audit_verify(s, &bad, &rows, &d), SK_OK);
    return rows;
}

#endif
