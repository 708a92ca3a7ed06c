/* test_shared_map.c — the SQLite driver's VFS that serves page fetches from one map of each
 * database file for all connections (src/store/sqlite/shared_map.c), through SQLite itself. */
#include "support.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store/sqlite/shared_map.h"

#define ROW_BYTES 1000

static void fill(unsigned char *b, int id)
{
    for (int i = 0; i < ROW_BYTES; i++)
        b[i] = (unsigned char)(id * 31 + i * 7);
}

static sqlite3 *open_db(const char *path)
{
    sqlite3 *h = NULL;
    const char *vfs = sk_sqlite_shared_map_vfs();
    assert_non_null(vfs);
    assert_int_equal(
        sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        vfs),
        SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "PRAGMA journal_mode = WAL;", NULL, NULL, NULL), SQLITE_OK);
    return h;
}

/* rows [from, to) of ROW_BYTES each, then everything checkpointed into the file */
static void add_rows(sqlite3 *h, int from, int to)
{
    sqlite3_stmt *s;
    unsigned char b[ROW_BYTES];
    assert_int_equal(sqlite3_exec(h,
                                  "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v BLOB);"
                                  "BEGIN;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, "INSERT INTO t VALUES (?, ?)", -1, &s, NULL), SQLITE_OK);
    for (int id = from; id < to; id++) {
        fill(b, id);
        sqlite3_bind_int(s, 1, id);
        sqlite3_bind_blob(s, 2, b, ROW_BYTES, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(s), SQLITE_DONE);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    assert_int_equal(sqlite3_exec(h, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE);", NULL, NULL, NULL),
                     SQLITE_OK);
}

/* Reads every row through a mapped read transaction; returns how many there were, each
 * checked byte for byte. */
static int read_all(sqlite3 *h)
{
    sqlite3_stmt *s;
    unsigned char want[ROW_BYTES];
    int n = 0;
    assert_int_equal(sqlite3_exec(h, "PRAGMA mmap_size = 1073741824;", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT id, v FROM t ORDER BY id", -1, &s, NULL),
                     SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        fill(want, sqlite3_column_int(s, 0));
        assert_int_equal(sqlite3_column_bytes(s, 1), ROW_BYTES);
        assert_memory_equal(sqlite3_column_blob(s, 1), want, ROW_BYTES);
        n++;
    }
    sqlite3_finalize(s);
    return n;
}

static int64_t file_size(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (int64_t)st.st_size;
}

/* Two connections read the same file through one map (mapped once, not once per connection);
 * a file that grows is read whole, its new part mapped on a later fetch; closing the last
 * handle removes the map. */
static void test_one_map_for_all_connections(void **state)
{
    (void)state;
    char *dir = sk_test_tmpdir();
    char path[512];
    snprintf(path, sizeof(path), "%s/m.db", dir);
    int64_t before = sk_sqlite_shared_map_bytes();
    sk_sqlite_shared_map_budget((int64_t)64 << 20);
    sqlite3 *w = open_db(path);
    add_rows(w, 0, 2000);
    sqlite3 *a = open_db(path), *b = open_db(path);
    assert_int_equal(read_all(a), 2000);
    assert_int_equal(read_all(b), 2000);
    int64_t size = file_size(path);
    int64_t mapped = sk_sqlite_shared_map_bytes() - before;
    assert_true(mapped > 0);
    assert_int_equal(mapped, size - size % (64 << 10)); /* once, whole 64 KiB units */

    add_rows(w, 2000, 3000); /* the file grows past the map */
    assert_true(file_size(path) > size);
    assert_int_equal(read_all(a), 3000); /* new pages read from the file meanwhile */
    sk_test_sleep_ms(150);               /* a growing file is looked at 10 times a second */
    assert_int_equal(read_all(b), 3000);
    assert_true(sk_sqlite_shared_map_bytes() - before > mapped);

    sqlite3_close(a);
    sqlite3_close(b);
    assert_true(sk_sqlite_shared_map_bytes() - before > 0); /* w still has the file open */
    sqlite3_close(w);
    assert_int_equal(sk_sqlite_shared_map_bytes(), before);
    sk_test_rmtree(dir);
    free(dir);
}

/* A file larger than the budget: the map covers the budget and every row still reads. */
static void test_budget_smaller_than_file(void **state)
{
    (void)state;
    char *dir = sk_test_tmpdir();
    char path[512];
    snprintf(path, sizeof(path), "%s/b.db", dir);
    int64_t before = sk_sqlite_shared_map_bytes();
    sk_sqlite_shared_map_budget((int64_t)256 << 10);
    sqlite3 *w = open_db(path);
    add_rows(w, 0, 3000);
    assert_true(file_size(path) > ((int64_t)1 << 20));
    sqlite3 *r = open_db(path);
    assert_int_equal(read_all(r), 3000);
    assert_int_equal(sk_sqlite_shared_map_bytes() - before, (int64_t)256 << 10);
    sqlite3_close(r);
    sqlite3_close(w);
    assert_int_equal(sk_sqlite_shared_map_bytes(), before);
    sk_sqlite_shared_map_budget((int64_t)1 << 30);
    sk_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_map_for_all_connections),
        cmocka_unit_test(test_budget_smaller_than_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
