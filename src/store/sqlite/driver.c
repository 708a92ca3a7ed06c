/* driver.c — the SQLite driver: create, open and close a database (DSN "sqlite:PATH"), and
 * the driver table. Connections and transactions: connection.c; read snapshots and
 * checkpoints: snapshots.c; the SQL layer's calls: dialect.c; statement texts: statements.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/sqlite/sqlite_int.h"
#include "store/sqlite/shared_map.h"

static sk_err drv_create(const sk_store_target *t, sk_diag *d)
{
    const char *path = t->location;
    const sk_sqlite_options *o = t->sqlite;
    sqlite3 *h = NULL;
    int v = 0;
    /* create the file ourselves: owner-only (it holds 5情報) and never over an existing one;
     * SQLite gives the -wal and -shm files the same mode */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return sk_diag_set(d, SK_C_FILE_EXISTS, "db", "database %s already exists", path);
        return sk_diag_set(d, SK_C_IO, "db", "cannot create %s: %s", path, strerror(errno));
    }
    close(fd);
    sk_err err = sk_sqlite_open_handle(path, o->busy_timeout_ms > 0 ? o->busy_timeout_ms : 5000,
                                       true, &h, d);
    if (err)
        return err;
    err = sk_sqlite_migrate(
        h, t->kind == SK_STORE_LOOKUP_LOG ? sk_sqlite_log_migrations : sk_sqlite_migrations, &v, d);
    sqlite3_close_v2(h);
    if (err)
        remove(path);
    return err;
}

static sk_err drv_open(const sk_store_target *t, void **db, sk_diag *d)
{
    const sk_sqlite_options *opt = t->sqlite;
    const char *path = t->location;
    pool *pl = calloc(1, sizeof(*pl));
    sqlite3 *h = NULL;
    if (!pl)
        return sk_diag_set(d, SK_C_NOMEM, "db", "out of memory");
    pl->busy_ms = opt->busy_timeout_ms > 0 ? opt->busy_timeout_ms : 5000;
    pl->checkpoint_frames = opt->checkpoint_frames > 0 ? (uint32_t)opt->checkpoint_frames : 8192;
    pl->cache_mib = opt->cache_mib > 0 ? opt->cache_mib : 0;
    pl->mmap_bytes = opt->mmap_mib < 0
                         ? 0
                         : (long long)(opt->mmap_mib ? opt->mmap_mib : SK_STORE_MMAP_MIB_DEFAULT)
                               << 20;
    if (t->kind == SK_STORE_LOOKUP_LOG)
        pl->mmap_bytes = 0; /* written, and read only by `audit verify`: never mapped */
    else if (pl->mmap_bytes > 0)
        sk_sqlite_shared_map_budget(pl->mmap_bytes); /* process-wide: the registry's setting */
    pl->kind = t->kind;
    pl->migrations =
        t->kind == SK_STORE_LOOKUP_LOG ? sk_sqlite_log_migrations : sk_sqlite_migrations;
    pl->wal_fd = -1;
    pl->path = strdup(path);
    if (!pl->path) {
        free(pl);
        return sk_diag_set(d, SK_C_NOMEM, "db", "out of memory");
    }
    if (t->kind == SK_STORE_LOOKUP_LOG) {
        /* created on first open, owner-only like the db; an existing file is left alone (a
         * descriptor closed on a file SQLite has open would release its locks, fcntl(2)) */
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            close(fd);
        } else if (errno != EEXIST) {
            free(pl->path);
            free(pl);
            return sk_diag_set(d, SK_C_IO, "db", "cannot create %s: %s", path, strerror(errno));
        }
    }
    sk_err err = SK_OK;
    struct stat st;
    if (t->kind == SK_STORE_REGISTRY && stat(path, &st) != 0) {
        if (errno == ENOENT)
            err = sk_diag_set(d, SK_C_NO_DATABASE, "db",
                              "no database at %s (`shikaku init` or `shikaku demo` creates one)",
                              path);
        else
            err =
                sk_diag_set(d, SK_C_IO, "db", "cannot open database %s: %s", path, strerror(errno));
    }
    if (!err)
        err = sk_sqlite_open_handle(pl->path, pl->busy_ms, false, &h, d);
    if (!err)
        err = sk_sqlite_check_kind(h, pl->kind, pl->path, d);
    if (!err)
        err = sk_sqlite_migrate(h, pl->migrations, &pl->version, d);
    if (err) {
        sqlite3_close_v2(h);
        free(pl->path);
        free(pl);
        return err;
    }
    if (stat(pl->path, &st) == 0) {
        pl->db_dev = st.st_dev;
        pl->db_ino = st.st_ino;
    }
    /* this handle stays open until close: the WAL-index stays mapped (pl->shm), and the
     * process holds SQLite's lock that says the -shm file is in use */
    pl->anchor = h;
    sk_sqlite_map_wal_index(pl);
    pthread_mutex_init(&pl->mu, NULL);
    pthread_cond_init(&pl->janitor_cv, NULL);
    pthread_key_create(&pl->key, sk_sqlite_conn_thread_exit);
    sk_diag sd;
    if (t->kind == SK_STORE_REGISTRY && sk_sqlite_new_conn(pl, &pl->spare, &sd) == SK_OK) {
        pl->spare->next = pl->all;
        pl->all = pl->spare;
    }
    if (pl->shm)
        pl->janitor_on = pthread_create(&pl->janitor, NULL, sk_sqlite_janitor_main, pl) == 0;
    if (!pl->janitor_on) /* no janitor, no reuse: a snapshot must not linger */
        pl->shm = NULL;
    *db = pl;
    return SK_OK;
}

static void drv_close(void *db)
{
    pool *pl = db;
    if (!pl)
        return;
    if (pl->janitor_on) {
        pthread_mutex_lock(&pl->mu);
        pl->janitor_stop = true;
        pthread_cond_signal(&pl->janitor_cv);
        pthread_mutex_unlock(&pl->mu);
        pthread_join(pl->janitor, NULL);
    }
    pthread_key_delete(pl->key); /* no destructor runs after this */
    if (pl->writer)
        sk_sqlite_conn_free(pl->writer);
    if (pl->wal_fd >= 0)
        close(pl->wal_fd);
    conn *c = pl->all;
    while (c) {
        conn *n = c->next;
        sk_sqlite_conn_free(c);
        c = n;
    }
    sqlite3_close_v2(pl->anchor); /* the last: the -shm file (and pl->shm with it) may go now */
    pthread_cond_destroy(&pl->janitor_cv);
    pthread_mutex_destroy(&pl->mu);
    free(pl->path);
    free(pl);
}

static int drv_schema_version(void *db)
{
    return ((pool *)db)->version;
}

const sk_store_driver sk_store_sqlite_driver = {
    .name = "sqlite",
    .latest_version = 10, /* the last entry of sk_sqlite_migrations; test_migrations checks it */
    .create = drv_create,
    .open = drv_open,
    .close = drv_close,
    .schema_version = drv_schema_version,
    .begin = sk_sqlite_begin,
    .begin_writer = sk_sqlite_begin_writer,
    .sync = sk_sqlite_sync,
    .commit = sk_sqlite_commit,
    .rollback = sk_sqlite_rollback,
    .savepoint = sk_sqlite_savepoint,
    .release = sk_sqlite_release,
    .writable = sk_sqlite_writable,
    .conn = &sk_sqlite_conn_calls,
    .overrides = NULL, /* every operation is the SQL layer's */
};
