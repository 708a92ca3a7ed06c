/* test_migrations.c — upgrading a database written by an older schema (SQLite driver,
 * src/store/sqlite/migrations.c): migration 10 clusters qualifications by card key. The rows,
 * their ids and every reference to them survive; new rows continue the ids; foreign keys are
 * enforced again afterwards; and a database whose references are already broken is refused
 * with nothing changed. The older database is built from the migrations' own SQL. */
#include "support.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/sqlite/migrations.h"
#include "store/store.h"

typedef struct fixture {
    char *dir;
    char db[4200];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    f->dir = sk_test_tmpdir();
    snprintf(f->db, sizeof(f->db), "%s/m.db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sk_test_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static void exec(sqlite3 *h, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, msg ? msg : "?");
        sqlite3_free(msg);
        fail();
    }
}

static int64_t query_int(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* The database as version 9 of the program left it (its key made by sk_store_create), with
 * three qualifications whose ids do not follow their keys' order, and rows referring to them. */
static void make_v9(fixture *f, bool dangling)
{
    sk_store_options o = {.dsn = f->db};
    sk_diag d;
    assert_int_equal(sk_store_create(&o, &d), SK_OK);
    unlink(f->db); /* keep the key, write the older schema in its place */
    sqlite3 *h;
    assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
    exec(h, "PRAGMA journal_mode = WAL; BEGIN;"
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))");
    for (const sk_sqlite_migration *m = sk_sqlite_migrations; m->version && m->version <= 9; m++) {
        exec(h, m->sql);
        char sql[128];
        snprintf(sql, sizeof(sql), "INSERT INTO schema_migrations (version, name) VALUES (%d, 'x')",
                 m->version);
        exec(h, sql);
    }
    exec(h,
         "INSERT INTO insurers (number, kind, name, created_ms) VALUES "
         "('06130017', 'kempo', 'テスト健康保険組合', 1);"
         "INSERT INTO persons (id, pid, name, kana, birthdate, sex, address, created_ms, "
         " updated_ms) VALUES "
         "(1, '0123456789abcdef0123456789abcdef', '山田 太郎', 'ヤマダ タロウ', '1980-04-01', 1,"
         " '東京都', 1, 1),"
         "(2, '1123456789abcdef0123456789abcdef', '山田 花子', 'ヤマダ ハナコ', '1982-05-02', 2,"
         " '東京都', 1, 1);"
         /* key order: (…, '100', …) id 9, (…, '200', '01') id 5, (…, '200', '02') id 7 */
         "INSERT INTO qualifications (id, person_id, insurer_number, symbol, number, branch,"
         " relationship, insured_person_id, acquired_on, lost_on, loss_reason, created_ms,"
         " updated_ms) VALUES "
         "(5, 1, '06130017', 'A', '200', '01', 1, 1, '2020-04-01', NULL, '', 1, 1),"
         "(7, 2, '06130017', 'A', '200', '02', 2, 1, '2020-04-01', NULL, '', 1, 1),"
         "(9, 1, '06130017', 'A', '100', '01', 1, 1, '2010-04-01', '2020-03-31', '1', 1, 1);"
         "INSERT INTO disease_certificates (qualification_id, category, certificate_date,"
         " valid_from, self_pay, created_ms) VALUES (9, 1, '2015-01-01', '2015-01-01', 10000, 1);"
         "INSERT INTO display_stops (qualification_id, cause, opened_ms, opened_by) VALUES "
         "(7, 'report', 1, 'test');");
    if (dangling) /* written past a program that did not enforce references */
        exec(h, "INSERT INTO display_stops (qualification_id, cause, opened_ms, opened_by) "
                "VALUES (42, 'report', 1, 'test')");
    exec(h, "COMMIT");
    sqlite3_close(h);
}

static sk_err keep(void *ctx, const sk_qualification_rec *r)
{
    sk_qualification_rec *out = ctx;
    for (int i = 0; i < 3; i++)
        if (!out[i].id) {
            out[i] = *r;
            break;
        }
    return SK_OK;
}

static void test_clustered_by_key_keeps_rows_and_references(void **state)
{
    fixture *f = *state;
    make_v9(f, false);
    sk_store_options o = {.dsn = f->db};
    sk_store *s;
    sk_diag d;
    assert_int_equal(sk_store_open(&o, &s, &d), SK_OK);
    assert_int_equal(sk_store_schema_version(s), 10);
    sk_tx *tx;
    assert_int_equal(sk_store_begin_read(s, &tx, &d), SK_OK);
    sk_qualification_rec q;
    assert_int_equal(sk_store_qualification_get(tx, 9, &q, &d), SK_OK);
    assert_string_equal(q.key.number, "100");
    assert_true(q.has_lost);
    assert_string_equal(q.loss_reason, "1");
    assert_int_equal(sk_store_qualification_get(tx, 7, &q, &d), SK_OK);
    assert_int_equal(q.person_id, 2);
    assert_int_equal(q.insured_person_id, 1);
    sk_qualification_rec rows[3] = {0};
    assert_int_equal(
        sk_store_qualification_find_by_key(tx, "06130017", "A", "200", NULL, keep, rows, &d),
        SK_OK);
    assert_int_equal(rows[0].id, 5);
    assert_int_equal(rows[1].id, 7);
    assert_int_equal(rows[2].id, 0);
    sk_tx_rollback(tx);

    /* a new row takes the next id after the largest; a reference to no person is refused */
    assert_int_equal(sk_store_begin(s, &tx, &d), SK_OK);
    sk_qualification_rec n = {.person_id = 2,
                              .insured_person_id = 2,
                              .relationship = SK_REL_INSURED,
                              .acquired_on = {2024, 4, 1},
                              .created_ms = 2,
                              .updated_ms = 2};
    snprintf(n.insurer_number, sizeof(n.insurer_number), "06130017");
    snprintf(n.key.symbol, sizeof(n.key.symbol), "B");
    snprintf(n.key.number, sizeof(n.key.number), "1");
    assert_int_equal(sk_store_qualification_add(tx, &n, &d), SK_OK);
    assert_int_equal(n.id, 10);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);
    assert_int_equal(sk_store_begin(s, &tx, &d), SK_OK);
    n.person_id = 99;
    snprintf(n.key.number, sizeof(n.key.number), "2");
    assert_int_not_equal(sk_store_qualification_add(tx, &n, &d), SK_OK);
    assert_int_equal(d.code, SK_C_FOREIGN_KEY);
    sk_tx_rollback(tx);
    sk_store_close(s);

    sqlite3 *h;
    assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
    assert_int_equal(query_int(h, "SELECT count(*) FROM qualifications"), 4);
    assert_int_equal(query_int(h, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_int_equal(
        query_int(h, "SELECT count(*) FROM sqlite_schema WHERE name = 'qualifications' AND "
                     "sql LIKE '%WITHOUT ROWID%'"),
        1);
    assert_int_equal(query_int(h, "SELECT qualification_id FROM disease_certificates"), 9);
    sqlite3_close(h);
}

static void test_broken_reference_refuses_the_upgrade(void **state)
{
    fixture *f = *state;
    make_v9(f, true);
    sk_store_options o = {.dsn = f->db};
    sk_store *s = NULL;
    sk_diag d;
    assert_int_not_equal(sk_store_open(&o, &s, &d), SK_OK);
    assert_int_equal(d.code, SK_C_STORE);
    assert_non_null(strstr(d.message, "display_stops"));
    assert_non_null(strstr(d.message, "qualifications"));
    sqlite3 *h;
    assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
    assert_int_equal(query_int(h, "SELECT max(version) FROM schema_migrations"), 9);
    assert_int_equal(query_int(h, "SELECT count(*) FROM sqlite_schema WHERE name = "
                                  "'qualifications' AND sql LIKE '%id INTEGER PRIMARY KEY,%'"),
                     1);
    assert_int_equal(query_int(h, "SELECT count(*) FROM qualifications"), 3);
    assert_int_equal(query_int(h, "SELECT count(*) FROM sqlite_schema WHERE name = "
                                  "'qualifications_by_key'"),
                     0);
    sqlite3_close(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_clustered_by_key_keeps_rows_and_references, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_broken_reference_refuses_the_upgrade, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
