/* connection.c — the SQLite driver's connections and transactions: WAL, foreign keys, busy
 * timeout, synchronous=FULL (a commit is on disk when it returns) except on the group
 * commit's writer connection (NORMAL, made durable by sk_sqlite_sync), one connection per
 * thread (created on the thread's first transaction, closed at thread exit or store close),
 * prepared statements cached per connection. Read-only transactions may be kept as a read
 * snapshot between look-ups (snapshots.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "store/sqlite/sqlite_int.h"
#include "store/sqlite/shared_map.h"

static const char *const tx_text[TX__COUNT] = {
    [TX_BEGIN_W] = "BEGIN IMMEDIATE",
    [TX_BEGIN_R] = "BEGIN",
    [TX_COMMIT] = "COMMIT",
    [TX_ROLLBACK] = "ROLLBACK",
    [TX_SAVEPOINT] = "SAVEPOINT job",
    [TX_RELEASE] = "RELEASE job",
    [TX_ROLLBACK_TO] = "ROLLBACK TO job",
};

void sk_sqlite_conn_free(conn *c)
{
    for (int i = 0; i < SQ__COUNT; i++)
        sqlite3_finalize(c->st[i]);
    for (int i = 0; i < TX__COUNT; i++)
        sqlite3_finalize(c->tx[i]);
    sqlite3_close_v2(c->h); /* ends a held read snapshot too */
    pthread_mutex_destroy(&c->mu);
    free(c);
}

void sk_sqlite_conn_thread_exit(void *p)
{
    conn *c = p;
    pool *pl = c->owner;
    pthread_mutex_lock(&pl->mu);
    for (conn **pp = &pl->all; *pp; pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    }
    pthread_mutex_unlock(&pl->mu);
    sk_sqlite_conn_free(c);
}

/* Once per process, before any connection: SQLite's memory statistics take one global mutex
 * on every allocation, which serialised the group-commit writer against every reader (seen
 * as futex waits under sqlite3Malloc in an off-CPU profile). We do not read them. */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;
static void sqlite_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); /* SQLITE_MISUSE if already initialised */
    sqlite3_initialize();
}

sk_err sk_sqlite_open_handle(const char *path, int busy_ms, bool create, sqlite3 **out, sk_diag *d)
{
    pthread_once(&sqlite_once, sqlite_setup);
    sqlite3 *h = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    /* the VFS whose page fetches come from one map per file for all connections (reads that
     * enable mapping use it; the rest of the file I/O is the default VFS's) */
    int rc = sqlite3_open_v2(path, &h, flags, sk_sqlite_shared_map_vfs());
    if (rc != SQLITE_OK) {
        sk_err err = sk_diag_set(d, SK_C_STORE, "db", "cannot open database %s: %s", path,
                                 h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close_v2(h);
        return err;
    }
    sqlite3_extended_result_codes(h, 1);
    sqlite3_busy_timeout(h, busy_ms);
    sk_err err = sk_sqlite_exec(h,
                                "PRAGMA journal_mode = WAL;"
                                "PRAGMA synchronous = FULL;"
                                "PRAGMA foreign_keys = ON;"
                                "PRAGMA trusted_schema = OFF;"
                                "PRAGMA temp_store = MEMORY;"
                                "PRAGMA wal_autocheckpoint = 8192;",
                                "db", d);
    if (err) {
        sqlite3_close_v2(h);
        return err;
    }
    *out = h;
    return SK_OK;
}

sk_err sk_sqlite_new_conn(pool *pl, conn **out, sk_diag *d)
{
    conn *c = calloc(1, sizeof(*c));
    if (!c)
        return sk_diag_set(d, SK_C_NOMEM, "db", "out of memory");
    sk_err err = sk_sqlite_open_handle(pl->path, pl->busy_ms, false, &c->h, d);
    if (err) {
        free(c);
        /* a daemon's thread opening its first connection: the file it serves may be gone */
        struct stat st;
        if (stat(pl->path, &st) != 0 && errno == ENOENT)
            return sk_diag_set(d, SK_C_DB_MISSING, "db", "database %s is gone (removed or moved)",
                               pl->path);
        return err;
    }
    if (pl->cache_mib > 0) {
        char pragma[64];
        snprintf(pragma, sizeof(pragma), "PRAGMA cache_size = -%d;", pl->cache_mib * 1024);
        if ((err = sk_sqlite_exec(c->h, pragma, "db", d))) {
            sqlite3_close(c->h);
            free(c);
            return err;
        }
    }
    if (pl->janitor_on) { /* it checkpoints; this connection only as a backstop */
        char pragma[64];
        snprintf(pragma, sizeof(pragma), "PRAGMA wal_autocheckpoint = %d;",
                 AUTOCHECKPOINT_BACKSTOP);
        if ((err = sk_sqlite_exec(c->h, pragma, "db", d))) {
            sqlite3_close(c->h);
            free(c);
            return err;
        }
    }
    c->owner = pl;
    pthread_mutex_init(&c->mu, NULL);
    *out = c;
    return SK_OK;
}

sk_err sk_sqlite_get_conn(pool *pl, conn **out, sk_diag *d)
{
    conn *c = pthread_getspecific(pl->key);
    if (c) {
        *out = c;
        return SK_OK;
    }
    sk_err err = sk_sqlite_new_conn(pl, &c, d);
    if (err && pl->spare) { /* asked again next time: the file may be back */
        *out = pl->spare;
        return SK_OK;
    }
    if (err)
        return err;
    pthread_mutex_lock(&pl->mu);
    c->next = pl->all;
    pl->all = c;
    pthread_mutex_unlock(&pl->mu);
    pthread_setspecific(pl->key, c);
    *out = c;
    return SK_OK;
}

sk_err sk_sqlite_run(conn *c, int id, sk_diag *d)
{
    if (!c->tx[id]) {
        int rc =
            sqlite3_prepare_v3(c->h, tx_text[id], -1, SQLITE_PREPARE_PERSISTENT, &c->tx[id], NULL);
        if (rc != SQLITE_OK)
            return sk_sqlite_error(c->h, rc, "db", d);
    }
    int rc = sqlite3_step(c->tx[id]);
    sk_err err = rc == SQLITE_DONE ? SK_OK : sk_sqlite_error(c->h, rc, "db", d);
    sqlite3_reset(c->tx[id]);
    return err;
}

sk_err sk_sqlite_begin(void *db, bool write, void **txh, sk_diag *d)
{
    conn *c = NULL;
    pool *pl = db;
    sk_err err = sk_sqlite_get_conn(db, &c, d);
    if (err)
        return err;
    pthread_mutex_lock(&c->mu); /* released when the transaction ends */
    if (c->held) {
        uint8_t h[48];
        if (!write && sk_sqlite_wal_header(pl, h) && memcmp(h, c->snap, 48) == 0) {
            c->held = false; /* nothing committed since: the snapshot is today's */
            c->reading = true;
            *txh = c;
            return SK_OK;
        }
        sk_sqlite_snapshot_end(c);
    }
    if (!sqlite3_get_autocommit(c->h)) {
        pthread_mutex_unlock(&c->mu);
        return sk_diag_set(d, SK_C_INTERNAL, "db",
                           "a transaction is already open on this thread's connection");
    }
    if (!write && !c->mapped && c->owner->mmap_bytes > 0) {
        /* only threads that read fetch pages from the map (shared_map.c: one per file for
         * the process; this size only turns fetching on, SQLite caps it at 2 GiB): a read-only
         * look-up then costs no system call and no copy per page */
        char pragma[64];
        snprintf(pragma, sizeof(pragma), "PRAGMA mmap_size = %lld;", c->owner->mmap_bytes);
        if ((err = sk_sqlite_exec(c->h, pragma, "db", d))) {
            pthread_mutex_unlock(&c->mu);
            return err;
        }
        c->mapped = true;
    }
    /* the header before BEGIN: if it is unchanged when the caller is done, the snapshot the
     * first statement took is this one */
    c->snap_ok = !write && pl->shm && sk_sqlite_wal_header(pl, c->snap);
    c->reading = !write;
    err = sk_sqlite_run(c, write ? TX_BEGIN_W : TX_BEGIN_R, d);
    if (err) {
        c->reading = false;
        pthread_mutex_unlock(&c->mu);
        return err;
    }
    *txh = c;
    return SK_OK;
}

/* The group commit runs every batch on one connection, whichever thread leads: its page
 * cache stays warm (a per-thread connection would see the others' commits and re-read). */
sk_err sk_sqlite_begin_writer(void *db, void **txh, sk_diag *d)
{
    pool *pl = db;
    if (!pl->writer) {
        sk_err err = sk_sqlite_new_conn(pl, &pl->writer, d);
        if (!err)
            err = sk_sqlite_exec(pl->writer->h, "PRAGMA synchronous = NORMAL;", "db", d);
        if (err) {
            if (pl->writer)
                sk_sqlite_conn_free(pl->writer);
            pl->writer = NULL;
            return err;
        }
    }
    conn *c = pl->writer;
    pthread_mutex_lock(&c->mu); /* uncontended (one leader at a time); released at the end */
    if (!sqlite3_get_autocommit(c->h)) {
        pthread_mutex_unlock(&c->mu);
        return sk_diag_set(d, SK_C_INTERNAL, "db", "the writer connection is already in use");
    }
    sk_err err = sk_sqlite_run(c, TX_BEGIN_W, d);
    if (err) {
        pthread_mutex_unlock(&c->mu);
        return err;
    }
    *txh = c;
    return SK_OK;
}

/* Makes every commit of the writer connection durable: fdatasync of the WAL file, through a
 * descriptor of our own (fsync applies to the file, whichever descriptor asks). The WAL is
 * never replaced while the writer connection is open; a changed inode is still detected and
 * the file reopened, and a new descriptor also syncs the directory that holds its name. */
sk_err sk_sqlite_sync(void *db, sk_diag *d)
{
    pool *pl = db;
    char wal[4096];
    struct stat st;
    if ((size_t)snprintf(wal, sizeof(wal), "%s-wal", pl->path) >= sizeof(wal))
        return sk_diag_set(d, SK_C_IO, "db", "database path too long");
    if (stat(wal, &st) != 0)
        return sk_diag_set(d, sk_store_errno_code(errno), "db",
                           "cannot find the write-ahead log %s: %s", wal, strerror(errno));
    if (pl->wal_fd < 0 || st.st_dev != pl->wal_dev || st.st_ino != pl->wal_ino) {
        if (pl->wal_fd >= 0)
            close(pl->wal_fd);
        pl->wal_fd = open(wal, O_RDONLY | O_CLOEXEC);
        if (pl->wal_fd < 0)
            return sk_diag_set(d, sk_store_errno_code(errno), "db",
                               "cannot open the write-ahead log %s: %s", wal, strerror(errno));
        if (fstat(pl->wal_fd, &st) != 0) {
            close(pl->wal_fd);
            pl->wal_fd = -1;
            return sk_diag_set(d, SK_C_IO, "db", "cannot stat %s: %s", wal, strerror(errno));
        }
        pl->wal_dev = st.st_dev;
        pl->wal_ino = st.st_ino;
        char dir[4096];
        snprintf(dir, sizeof(dir), "%s", wal);
        char *slash = strrchr(dir, '/');
        if (slash)
            *(slash == dir ? slash + 1 : slash) = '\0';
        int dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0 || fsync(dfd) != 0) {
            if (dfd >= 0)
                close(dfd);
            return sk_diag_set(d, SK_C_IO, "db", "cannot sync the directory of %s: %s", wal,
                               strerror(errno));
        }
        close(dfd);
    }
    if (fdatasync(pl->wal_fd) != 0)
        return sk_diag_set(d, sk_store_errno_code(errno), "db",
                           "fdatasync of the write-ahead log failed: %s", strerror(errno));
    return SK_OK;
}

/* One file of the database may be written: it exists (and, for the database itself, is still
 * the file opened) and this process may write it. */
static sk_err file_writable(const pool *pl, const char *path, bool main_file, sk_diag *d)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT && !main_file)
            return SK_OK; /* a -wal file comes and goes with the connections */
        return sk_diag_set(d, sk_store_errno_code(errno), "db", "database file %s: %s", path,
                           strerror(errno));
    }
    if (main_file && (st.st_dev != pl->db_dev || st.st_ino != pl->db_ino))
        return sk_diag_set(d, SK_C_DB_MISSING, "db",
                           "database %s was replaced by another file since it was opened", path);
    if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) != 0)
        return sk_diag_set(d, sk_store_errno_code(errno), "db", "database file %s: %s", path,
                           strerror(errno));
    return SK_OK;
}

/* Free space below this is a full disk for readiness: SQLite would fail the next batch. */
#define SPACE_MIN_BYTES (1LL << 20)

sk_err sk_sqlite_writable(void *db, bool space, sk_diag *d)
{
    pool *pl = db;
    char wal[4096];
    if ((size_t)snprintf(wal, sizeof(wal), "%s-wal", pl->path) >= sizeof(wal))
        return sk_diag_set(d, SK_C_IO, "db", "database path too long");
    sk_err err = file_writable(pl, pl->path, true, d);
    if (!err)
        err = file_writable(pl, wal, false, d);
    if (err || !space)
        return err;
    struct statvfs vs;
    if (statvfs(pl->path, &vs) == 0 &&
        (long long)vs.f_bavail * (long long)vs.f_frsize < SPACE_MIN_BYTES)
        return sk_diag_set(d, SK_C_DISK_FULL, "db",
                           "the file system of %s has %lld bytes free (less than %lld)", pl->path,
                           (long long)vs.f_bavail * (long long)vs.f_frsize, SPACE_MIN_BYTES);
    return SK_OK;
}

sk_err sk_sqlite_commit(void *txh, sk_diag *d)
{
    conn *c = txh;
    if (c->reading) { /* nothing to commit: the snapshot may be kept */
        sk_sqlite_read_end(c);
        return SK_OK;
    }
    sk_err err = sk_sqlite_run(c, TX_COMMIT, d);
    if (err && !sqlite3_get_autocommit(c->h))
        sk_sqlite_run(c, TX_ROLLBACK, NULL);
    pthread_mutex_unlock(&c->mu);
    return err;
}

void sk_sqlite_rollback(void *txh)
{
    conn *c = txh;
    if (c->reading) {
        sk_sqlite_read_end(c);
        return;
    }
    if (!sqlite3_get_autocommit(c->h))
        sk_sqlite_run(c, TX_ROLLBACK, NULL);
    pthread_mutex_unlock(&c->mu);
}

/* Savepoints let a group commit run many jobs in one transaction and undo one job alone. */
sk_err sk_sqlite_savepoint(void *txh, sk_diag *d)
{
    return sk_sqlite_run(txh, TX_SAVEPOINT, d);
}

sk_err sk_sqlite_release(void *txh, bool undo, sk_diag *d)
{
    sk_err err = undo ? sk_sqlite_run(txh, TX_ROLLBACK_TO, d) : SK_OK;
    if (!err)
        err = sk_sqlite_run(txh, TX_RELEASE, d);
    return err;
}
