/* test_sqlite.c — what only the SQLite driver has: its files (WAL, -shm, the WAL-index lock),
 * read snapshots seen from other connections, checkpoints off the commit path, a failed WAL
 * sync, and rows changed behind the store's back (through SQLite's C API, as a bug or an
 * attacker with the file might). The contract every driver keeps is ../test_store.c. */
#include "../store_fixture.h"

#include <ctype.h>
#include <sqlite3.h>

#include "core/workflow.h"
#include "store/sqlite/sqlite_int.h"

/* Runs sql on the database file through a connection of its own (not the store's). */
static void behind_the_store(const char *db, const char *sql)
{
    sqlite3 *h = NULL;
    char *em = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    int rc = sqlite3_exec(h, sql, NULL, NULL, &em);
    if (rc != SQLITE_OK)
        fprintf(stderr, "behind_the_store: %s\n", em ? em : sqlite3_errstr(rc));
    sqlite3_free(em);
    assert_int_equal(sqlite3_close(h), SQLITE_OK);
    assert_int_equal(rc, SQLITE_OK);
}

static void test_sealed_number_bound_to_its_row(void **state)
{
    fixture *f = *state;
    sk_tx *tx;
    sk_diag d;
    sk_person_rec a = person("双子　一", "ﾌﾀｺﾞ ﾊｼﾞﾒ", D(2001, 5, 5), "123456789018");
    sk_person_rec b = person("双子　二", "ﾌﾀｺﾞ ﾂｷﾞ", D(2001, 5, 5), "621498320257");
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    sk_store_person_add(tx, &a, &d);
    sk_store_person_add(tx, &b, &d);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);
    sk_store_close(f->s);
    f->s = NULL;
    /* swap the two ciphertexts behind the store's back, as a family-swap bug or an attacker
     * with database access might: decryption must refuse rather than show the other number */
    char sql[256];
    snprintf(sql, sizeof(sql),
             "UPDATE persons SET mynumber_ct = (SELECT mynumber_ct FROM persons WHERE id = %lld) "
             "WHERE id = %lld",
             (long long)b.id, (long long)a.id);
    behind_the_store(f->db, sql);
    sk_store_options o = {.dsn = f->dsn};
    assert_int_equal(sk_store_open(&o, &f->s, &d), SK_OK);
    sk_person_rec got;
    assert_int_equal(sk_store_begin_read(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_person_get(tx, a.id, true, &got, &d), SK_ERR_CRYPTO);
    assert_int_equal(d.code, SK_C_CRYPTO);
    assert_string_equal(got.mynumber.digits, "");
    sk_tx_rollback(tx);
}

/* A row changed after the fact breaks the chain at that row. */
static void test_audit_chain_tampered(void **state)
{
    fixture *f = *state;
    sk_tx *tx;
    sk_diag d;
    int64_t bad = -1, rows = -1;
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    for (int i = 0; i < 5; i++) {
        sk_audit_rec r = {.at_ms = 1000 + i, .actor = "insurer:01130012", .action = "view"};
        snprintf(r.object, sizeof(r.object), "person:%d", i);
        assert_int_equal(sk_store_audit_append(tx, &r, &d), SK_OK);
    }
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);
    assert_int_equal(sk_store_audit_verify(f->s, &bad, &rows, &d), SK_OK);
    assert_int_equal(bad, 0);
    behind_the_store(f->db, "UPDATE audit SET object = 'person:99' WHERE id = 3");
    assert_int_equal(sk_store_audit_verify(f->s, &bad, &rows, &d), SK_OK);
    assert_int_equal(rows, 5);
    assert_int_equal(bad, 3);
}

/* A commit by a connection the store does not know (another process's, here one of the test's
 * own) ends a kept read snapshot; an idle snapshot is let go, so a checkpoint that must wait
 * for every reader completes. */
static void test_read_snapshot_sees_foreign_commits(void **state)
{
    fixture *f = *state;
    assert_int_equal(audit_rows(f->s), 0); /* this thread now holds a snapshot */
    assert_int_equal(audit_rows(f->s), 0);
    behind_the_store(f->db, "INSERT INTO audit (at_ms, actor, action, object, prev_hash, hash) "
                            "VALUES (1, 'p', 'q', 'r', x'00', x'00')");
    assert_int_equal(audit_rows(f->s), 1);
    assert_int_equal(audit_rows(f->s), 1);
    sk_test_sleep_ms(300);
    /* as `PRAGMA wal_checkpoint(TRUNCATE)` says it: not busy, nothing left in the WAL */
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(f->db, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int busy = sqlite3_column_int(st, 0), log = sqlite3_column_int(st, 1),
        copied = sqlite3_column_int(st, 2);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_close(h), SQLITE_OK);
    assert_int_equal(busy, 0);
    assert_int_equal(log, 0);
    assert_int_equal(copied, 0);
    assert_int_equal(audit_rows(f->s), 1);
}

static sk_err many_rows_job(sk_tx *tx, void *ctx, sk_diag *d)
{
    (void)ctx;
    sk_audit_rec r = {.at_ms = 9000, .actor = "t", .action = "checkpoint", .object = "x"};
    memset(r.detail, 'd', 400);
    for (int i = 0; i < 200; i++)
        sk_store_audit_append(tx, &r, d);
    return sk_tx_error(tx);
}

/* The WAL-index header's frame counts, read through fd, a descriptor of the -shm file the test
 * keeps open until the store is closed: closing one would release the process's locks on the
 * file (fcntl(2)), SQLite's among them. */
static bool wal_frames(int fd, uint32_t *frames, uint32_t *copied)
{
    uint32_t w[25];
    bool ok = fd >= 0 && pread(fd, w, sizeof(w), 0) == (ssize_t)sizeof(w);
    *frames = ok ? w[16 / 4] : 0;
    *copied = ok ? w[96 / 4] : 0;
    return ok;
}

/* Opens the fixture's store again with the janitor's threshold at `frames`; returns a
 * descriptor of its -shm file for wal_frames. */
static int reopen_with_threshold(fixture *f, int frames)
{
    sk_diag d;
    sk_store_close(f->s);
    sk_store_options o = {.dsn = f->dsn, .sqlite.checkpoint_frames = frames};
    assert_int_equal(sk_store_open(&o, &f->s, &d), SK_OK);
    char shm[4300];
    snprintf(shm, sizeof(shm), "%s-shm", f->db);
    return open(shm, O_RDONLY | O_CLOEXEC);
}

static void test_checkpoint_without_a_commit(void **state)
{
    fixture *f = *state;
    sk_diag d;
    int fd = reopen_with_threshold(f, 1024);
    for (int i = 0; i < 60; i++)
        assert_int_equal(sk_store_run(f->s, many_rows_job, NULL, &d), SK_OK);
    uint32_t frames = 0, copied = 0;
    struct stat st = {0};
    for (int i = 0; i < 400 && (st.st_size < (2 << 20) || frames - copied >= 1024); i++) {
        sk_test_sleep_ms(10);
        assert_true(wal_frames(fd, &frames, &copied));
        assert_int_equal(stat(f->db, &st), 0);
    }
    assert_true(st.st_size >= (2 << 20)); /* the rows' pages are in the database file */
    assert_true(frames - copied < 1024);  /* what is left waits for the next 1,024 */
    assert_int_equal(audit_rows(f->s), 60 * 200);
    sk_store_close(f->s);
    f->s = NULL;
    close(fd);
}

/* Under a steady writer the WAL starts over from its beginning instead of growing for as long
 * as the writes go on (sqlite.c CHECKPOINT_PASSES): a batch every few ms, as the look-up log's
 * writer commits, and a janitor's first pass (2,048 frames, then an fsync of the database)
 * that always outlasts the pause between two batches. SQLite restarts the WAL only when a
 * transaction begins with every frame copied, so with one pass per threshold the WAL grew
 * past 8,000 frames here; with the passes that copy what came in meanwhile it starts over
 * (mxFrame falls) before it holds twice the threshold. */
static void test_the_wal_starts_over_under_a_steady_writer(void **state)
{
    fixture *f = *state;
    sk_diag d;
    int fd = reopen_with_threshold(f, 2048);
    uint32_t frames = 0, copied = 0, last = 0, most = 0;
    bool started_over = false;
    int batches = 0;
    for (; batches < 400 && !started_over; batches++) {
        assert_int_equal(sk_store_run(f->s, many_rows_job, NULL, &d), SK_OK);
        assert_true(wal_frames(fd, &frames, &copied));
        started_over = frames < last;
        last = frames;
        most = frames > most ? frames : most;
        sk_test_sleep_ms(8);
    }
    if (!started_over)
        fail_msg("the WAL grew to %u frames in %d batches without starting over", most, batches);
    assert_true(most < 2 * 2048 + 512);
    assert_int_equal(audit_rows(f->s), batches * 200);
    sk_store_close(f->s);
    f->s = NULL;
    close(fd);
}

/* Whether this process holds a POSIX lock on path's file, per /proc/locks. */
static bool holds_lock(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return false;
    FILE *fp = fopen("/proc/locks", "r");
    if (!fp)
        return false;
    char line[256], ino[40];
    snprintf(ino, sizeof(ino), ":%llu ", (unsigned long long)st.st_ino);
    bool held = false;
    while (!held && fgets(line, sizeof(line), fp)) {
        long pid = 0;
        char type[16];
        /* "1: POSIX  ADVISORY  READ 22640 fe:00:11034757 128 128"; "->" lines wait */
        if (!strstr(line, "->") && sscanf(line, "%*d: %15s %*s %*s %ld", type, &pid) == 2 &&
            strcmp(type, "POSIX") == 0 && pid == (long)getpid() && strstr(line, ino))
            held = true;
    }
    fclose(fp);
    return held;
}

/* While the store is open, the process keeps SQLite's lock on the -shm file that tells other
 * processes the WAL-index is in use. Without it, the next process to open the database (an
 * operator's sqlite3, `shikaku audit verify`) takes itself for the first, truncates the -shm
 * file and rebuilds it under the daemon's readers: SIGBUS on the daemon's maps of it (seen as
 * a daemon that died in the CI) or a reader on a rewritten index. Any descriptor of ours on
 * the file, once closed, would release it. Also for the look-up log's file. */
static void test_the_wal_index_stays_locked(void **state)
{
    fixture *f = *state;
    sk_diag d;
    char shm[4300], log[4300], log_shm[4400];
    snprintf(shm, sizeof(shm), "%s-shm", f->db);
    assert_int_equal(audit_rows(f->s), 0); /* a reader's connection */
    assert_int_equal(sk_store_run(f->s, many_rows_job, NULL, &d), SK_OK); /* the writer's */
    assert_int_equal(audit_rows(f->s), 200);
    assert_true(holds_lock(shm));

    snprintf(log, sizeof(log), "%s/t.db.lookups", f->dir);
    snprintf(log_shm, sizeof(log_shm), "%s-shm", log);
    sk_store_options o = {.dsn = log, .kind = SK_STORE_LOOKUP_LOG};
    sk_store *ls = NULL;
    assert_int_equal(sk_store_open(&o, &ls, &d), SK_OK);
    assert_true(holds_lock(log_shm));
    sk_store_close(ls);
    assert_int_equal(sk_store_open(&o, &ls, &d), SK_OK); /* the file exists now */
    assert_true(holds_lock(log_shm));
    sk_store_close(ls);
    assert_true(holds_lock(shm)); /* the registry's, untouched by the other file's pool */
}

/* counts its runs, and appends an audit row */
static sk_err counting_job(sk_tx *tx, void *ctx, sk_diag *d)
{
    (*(int *)ctx)++;
    sk_audit_rec r = {.at_ms = 7, .actor = "t", .action = "run", .object = "obj:7"};
    sk_store_audit_append(tx, &r, d);
    return sk_tx_error(tx);
}

/* When the log cannot be made durable (here: the SQLite WAL file is gone from under the
 * writer), the batch fails with an I/O error naming the cause (db_missing: a file of the
 * database was removed) and no later job runs at all. */
static void test_failed_sync_stops_writes(void **state)
{
    fixture *f = *state;
    sk_diag d;
    int calls = 0;
    assert_int_equal(sk_store_run(f->s, counting_job, &calls, &d), SK_OK);
    char wal[4300];
    snprintf(wal, sizeof(wal), "%s-wal", f->db);
    assert_int_equal(unlink(wal), 0);
    assert_int_equal(sk_store_run(f->s, counting_job, &calls, &d), SK_ERR_IO);
    assert_string_equal(sk_code_name(d.code), "db_missing");
    assert_string_equal(d.field, "db");
    assert_int_equal(calls, 2);
    assert_int_equal(sk_store_run(f->s, counting_job, &calls, &d), SK_ERR_IO);
    assert_int_equal(calls, 2); /* refused before running */
    assert_non_null(strstr(d.message, "write-ahead log"));
}

/* Bulk requests: stored until answered, found by reception number, answered once, purged
 * only once answered and old. */

/* The names the database keeps are core/workflow.h's: every quoted literal that SQL compares
 * a workflow column with (CHECK constraints, partial indexes, statements) is a name of the
 * column's list, and each CHECK lists exactly the list's names (work_items.assignee_role: the
 * roles a work item can go to). */
static const struct {
    const char *column, *list;
} workflow_columns[] = {
    {"role", "role"},        {"assignee_role", "role"},
    {"state", NULL}, /* two lists */
    {"verdict", "verdict"},  {"risk", "risk"},
    {"cause", "stop_cause"}, {"stage", "acq_stage"},
    {"kind", NULL},
};

static bool in_list(const char *list, const char *name, size_t len)
{
    int n = 0;
    const char *const *names = sk_workflow_names(list, &n);
    for (int i = 0; i < n; i++)
        if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
            return true;
    return false;
}

/* Each literal compared with `column` in sql (column IN ('a', …), = 'a', != 'a', <> 'a'): calls
 * check(list, literal) and counts them. A column of two lists (state: 届出 and work items)
 * takes the literal if either has it; kind: 届出 kinds are registry's, work item kinds ours. */
static int literals_ok(const char *sql, const char *column, const char *list, const char *where)
{
    int count = 0;
    size_t cl = strlen(column);
    for (const char *p = sql; (p = strstr(p, column)) != NULL; p += cl) {
        if (p > sql && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
            continue;
        const char *q = p + cl;
        while (*q == ' ')
            q++;
        bool in = strncmp(q, "IN", 2) == 0,
             eq = *q == '=' || strncmp(q, "!=", 2) == 0 || strncmp(q, "<>", 2) == 0;
        if (!in && !eq)
            continue;
        q += in || *q != '=' ? 2 : 1;
        while (*q == ' ' || *q == '(')
            q++;
        while (*q == '\'') {
            const char *e = strchr(q + 1, '\'');
            assert_non_null(e);
            size_t len = (size_t)(e - q - 1);
            bool ok = list                           ? in_list(list, q + 1, len)
                      : strcmp(column, "state") == 0 ? in_list("notification_state", q + 1, len) ||
                                                           in_list("work_state", q + 1, len)
                                                     : true;
            if (!ok)
                fail_msg("%s: %s compared with '%.*s', not a name of core/workflow.h", where,
                         column, (int)len, q + 1);
            count++;
            q = e + 1;
            if (!in)
                break;
            while (*q == ',' || *q == ' ')
                q++;
        }
    }
    return count;
}

static int collect_sql(void *ctx, int ncol, char **vals, char **cols)
{
    (void)ncol, (void)cols;
    int *count = ctx;
    for (size_t i = 0; i < sizeof(workflow_columns) / sizeof(workflow_columns[0]); i++)
        *count += literals_ok(vals[1] ? vals[1] : "", workflow_columns[i].column,
                              workflow_columns[i].list, vals[0]);
    return 0;
}

static void expect_names(sqlite3 *h, const char *table, const char *column, const char *list,
                         bool all)
{
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT sql FROM sqlite_master WHERE name = '%s'", table);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *text = (const char *)sqlite3_column_text(st, 0);
    char pat[64];
    snprintf(pat, sizeof(pat), "CHECK (%s IN (", column);
    const char *p = strstr(text, pat);
    if (!p)
        fail_msg("%s.%s has no CHECK (%s IN (…))", table, column, column);
    p += strlen(pat);
    int n = 0, seen = 0;
    const char *const *names = sk_workflow_names(list, &n);
    while (*p == '\'') {
        const char *e = strchr(p + 1, '\'');
        size_t len = (size_t)(e - p - 1);
        if (!in_list(list, p + 1, len))
            fail_msg("%s.%s allows '%.*s', not a %s", table, column, (int)len, p + 1, list);
        seen++;
        p = e + 1;
        while (*p == ',' || *p == ' ')
            p++;
    }
    if (all && seen != n)
        fail_msg("%s.%s allows %d of the %d names of %s (%s…)", table, column, seen, n, list,
                 names[0]);
    sqlite3_finalize(st);
}

static void test_stored_names_are_the_enums(void **state)
{
    fixture *f = *state;
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(f->db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    expect_names(h, "principals", "role", "role", true);
    expect_names(h, "work_items", "assignee_role", "role", false);
    expect_names(h, "work_items", "state", "work_state", true);
    expect_names(h, "work_items", "risk", "risk", true);
    expect_names(h, "identity_status", "verdict", "verdict", true);
    expect_names(h, "display_stops", "cause", "stop_cause", true);
    expect_names(h, "acquisitions", "stage", "acq_stage", true);
    /* every literal of the schema (CHECKs, partial indexes) and of every statement */
    int count = 0;
    char *em = NULL;
    assert_int_equal(sqlite3_exec(h, "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL",
                                  collect_sql, &count, &em),
                     SQLITE_OK);
    int in_schema = count;
    for (int i = 0; i < SQ__COUNT; i++) {
        char where[32];
        snprintf(where, sizeof(where), "statement %d", i);
        char *vals[2] = {where, (char *)sk_sqlite_statements[i]};
        collect_sql(&count, 2, vals, NULL);
    }
    /* the check saw what it is about: the CHECK lists and the scheduler's states in SQL */
    assert_true(in_schema >= 20);
    assert_true(count - in_schema >= 3);
    sqlite3_close(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sealed_number_bound_to_its_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_chain_tampered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_snapshot_sees_foreign_commits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint_without_a_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_wal_starts_over_under_a_steady_writer, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_the_wal_index_stays_locked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_sync_stops_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stored_names_are_the_enums, setup, teardown),
    };
    return cmocka_run_group_tests_name("store[sqlite]", tests, NULL, NULL);
}
