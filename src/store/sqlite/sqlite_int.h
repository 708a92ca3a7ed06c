/* sqlite_int.h — private to the SQLite driver (src/store/sqlite): its connection pool, the
 * parts of it each file owns, and the dialect's statement table.
 *   driver.c      create, open, close: the driver table
 *   connection.c  one connection per thread, the group commit's writer, transactions, sync
 *   snapshots.c   read snapshots kept between look-ups, the janitor, checkpoints
 *   dialect.c     the SQL layer's connection calls (sql/sql.h) and error mapping
 *   statements.c  the text of every statement
 *   migrate.c     applying migrations.c; shared_map.c: one map of each file for all readers
 * docs/design/store.md. */
#ifndef SK_STORE_SQLITE_INT_H
#define SK_STORE_SQLITE_INT_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include <sqlite3.h>

#include "store/sqlite/migrations.h"
#include "store/store_driver.h"

/* transaction control statements, cached per connection */
enum {
    TX_BEGIN_W,
    TX_BEGIN_R,
    TX_COMMIT,
    TX_ROLLBACK,
    TX_SAVEPOINT,
    TX_RELEASE,
    TX_ROLLBACK_TO,
    TX__COUNT
};

typedef struct pool pool;

typedef struct conn {
    sqlite3 *h;
    sqlite3_stmt *st[SQ__COUNT]; /* the SQL layer's statements, prepared on first use */
    sqlite3_stmt *tx[TX__COUNT]; /* transaction control */
    struct conn *next;
    pool *owner;
    bool mapped; /* mmap_size set: the thread has run a read-only transaction */
    /* read snapshots: mu is held by the owning thread from begin to commit/rollback and
     * taken by the janitor to end an idle snapshot */
    pthread_mutex_t mu;
    bool reading;    /* the open transaction is read-only */
    bool snap_ok;    /* snap is the WAL-index header the read transaction started on */
    bool held;       /* a read transaction is open though its caller is done */
    int64_t held_ns; /* when it was last let go (monotonic) */
    uint8_t snap[48];
} conn;

struct pool {
    char *path;
    dev_t db_dev; /* the database file opened (a file put in its place is not it) */
    ino_t db_ino;
    int busy_ms;
    uint32_t checkpoint_frames; /* the janitor checkpoints when this many frames wait */
    int cache_mib;              /* 0 = SQLite's default page cache per connection */
    long long mmap_bytes;       /* read-only transactions' memory map; 0 = none */
    sk_store_kind kind;
    const sk_sqlite_migration *migrations;
    int version;
    pthread_key_t key;
    pthread_mutex_t mu;
    conn *all;
    conn *writer; /* the group commit's connection (one leader at a time uses it) */
    /* a registry's reader kept for threads that cannot open their own (the file was removed
     * or its folder made unreadable while the daemon runs): they read through it one at a
     * time, and look-ups go on. In all, not in any thread's slot. */
    conn *spare;
    /* the writer commits with synchronous=NORMAL (its frames reach the WAL, unsynced) and
     * sk_sqlite_sync makes them durable with fdatasync on this descriptor of the WAL file */
    int wal_fd;
    dev_t wal_dev;
    ino_t wal_ino;
    /* read snapshots: the WAL-index as SQLite maps it for the anchor, read only (NULL: no
     * reuse), and the janitor that ends idle ones */
    const volatile uint8_t *shm;
    sqlite3 *anchor; /* open for the pool's life: the -shm file, its map and SQLite's lock stay */
    bool janitor_on, janitor_stop;
    pthread_t janitor;
    pthread_cond_t janitor_cv;
};

#define SNAPSHOT_IDLE_MS        50    /* an unused read snapshot is ended after this */
#define AUTOCHECKPOINT_BACKSTOP 65536 /* a committing connection checkpoints past this */

/* dialect.c */
extern const char *const sk_sqlite_statements[SQ__COUNT];
extern const sk_sql_conn sk_sqlite_conn_calls;
/* An SQLite result code as an sk_err with its diagnostic (what: the field named). */
sk_err sk_sqlite_error(sqlite3 *h, int rc, const char *what, sk_diag *d);
sk_err sk_sqlite_exec(sqlite3 *h, const char *sql, const char *what, sk_diag *d);

/* connection.c */
sk_err sk_sqlite_open_handle(const char *path, int busy_ms, bool create, sqlite3 **out, sk_diag *d);
sk_err sk_sqlite_new_conn(pool *pl, conn **out, sk_diag *d);
/* the calling thread's connection (made on first use) */
sk_err sk_sqlite_get_conn(pool *pl, conn **out, sk_diag *d);
void sk_sqlite_conn_free(conn *c);
void sk_sqlite_conn_thread_exit(void *p);
/* runs a transaction control statement */
sk_err sk_sqlite_run(conn *c, int id, sk_diag *d);
sk_err sk_sqlite_begin(void *db, bool write, void **txh, sk_diag *d);
sk_err sk_sqlite_begin_writer(void *db, void **txh, sk_diag *d);
sk_err sk_sqlite_sync(void *db, sk_diag *d);
sk_err sk_sqlite_writable(void *db, bool space, sk_diag *d);
sk_err sk_sqlite_commit(void *txh, sk_diag *d);
void sk_sqlite_rollback(void *txh);
sk_err sk_sqlite_savepoint(void *txh, sk_diag *d);
sk_err sk_sqlite_release(void *txh, bool undo, sk_diag *d);

/* snapshots.c */
/* The WAL-index header now; false when the two copies differ (a writer is updating it). */
bool sk_sqlite_wal_header(const pool *pl, uint8_t h[48]);
void sk_sqlite_map_wal_index(pool *pl);
/* Ends a held snapshot (c->mu held). */
void sk_sqlite_snapshot_end(conn *c);
/* The end of a read-only transaction: held when nothing was committed since it began, else
 * rolled back. Releases c->mu. */
void sk_sqlite_read_end(conn *c);
void *sk_sqlite_janitor_main(void *arg);

/* migrate.c */
int sk_sqlite_latest_version(const sk_sqlite_migration *list);
/* Refuses a registry opened as a look-up log and the other way round. */
sk_err sk_sqlite_check_kind(sqlite3 *h, sk_store_kind kind, const char *path, sk_diag *d);
/* Applies the pending migrations in one transaction; *version = the schema's version. */
sk_err sk_sqlite_migrate(sqlite3 *h, const sk_sqlite_migration *list, int *version, sk_diag *d);

#endif
