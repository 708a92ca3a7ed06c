/* store_driver.h — the table a storage driver fills in (private to src/store). The generic
 * store (store.c, group_commit.c, seal.c, audit.c) owns transactions' first-error rule, group
 * commit, My Number sealing and the audit hash chain; the SQL layer (sql/) implements every
 * operation over the driver's connection (sql/sql.h); a driver opens databases, runs
 * transactions, gives its dialect's statement texts and connection calls, and may override
 * an operation. Drivers see My Numbers only sealed. */
#ifndef SK_STORE_DRIVER_H
#define SK_STORE_DRIVER_H

#include <errno.h>

#include "store/sql/sql.h"
#include "store/store.h"

/* The code that names why a file of the database cannot be written, from errno: removed
 * (db_missing), read-only (db_read_only), full (disk_full), or another I/O error (io). Every
 * one is an SK_ERR_IO: the daemon answers it with 503 and goes on reading. */
static inline sk_code sk_store_errno_code(int e)
{
    switch (e) {
    case ENOENT:
    case ESTALE:
        return SK_C_DB_MISSING;
    case EROFS:
    case EACCES:
    case EPERM:
        return SK_C_DB_READ_ONLY;
    case ENOSPC:
    case EDQUOT:
        return SK_C_DISK_FULL;
    default:
        return SK_C_IO;
    }
}

/* What a driver is asked to open, parsed from the DSN and the options. */
typedef struct sk_store_target {
    const char *location; /* the DSN less its scheme: a file path for SQLite */
    sk_store_kind kind;
    const sk_sqlite_options *sqlite;
} sk_store_target;

typedef struct sk_store_driver {
    const char *name; /* the DSN scheme: "sqlite" */
    int latest_version;

    sk_err (*create)(const sk_store_target *t, sk_diag *d);
    sk_err (*open)(const sk_store_target *t, void **db, sk_diag *d);
    void (*close)(void *db);
    int (*schema_version)(void *db);
    /* a transaction on the calling thread's connection */
    sk_err (*begin)(void *db, bool write, void **txh, sk_diag *d);
    /* a write transaction on the one connection the group commit uses (not thread-bound;
     * the store guarantees a single user at a time) */
    sk_err (*begin_writer)(void *db, void **txh, sk_diag *d);
    /* When set, a commit of begin_writer's transaction is atomic and visible but not yet
     * durable; sync makes every writer commit so far durable (called by one thread at a
     * time, while another batch may be running on the writer). NULL: commits are durable. */
    sk_err (*sync)(void *db, sk_diag *d);
    sk_err (*commit)(void *txh, sk_diag *d);
    void (*rollback)(void *txh);
    /* a nested savepoint inside an open write transaction; release with undo = true rolls
     * back to it first */
    sk_err (*savepoint)(void *txh, sk_diag *d);
    sk_err (*release)(void *txh, bool undo, sk_diag *d);
    /* Whether the database can be written now, asked before each write transaction (a few
     * system calls): its file is still the one opened (db_missing when removed or replaced)
     * and may be written (db_read_only: file mode, an immutable file, a read-only mount —
     * a descriptor opened before would still write, so the store refuses rather than write
     * what the operator made read-only). With space, also whether the disk has room
     * (disk_full): below 1 MiB free a write is refused before SQLite fills the last pages (a
     * WAL with room would take it, a checkpoint then fail; the store asks it before every
     * write). NULL: always. */
    sk_err (*writable)(void *db, bool space, sk_diag *d);

    /* the connection calls the SQL layer runs operations over */
    const sk_sql_conn *conn;
    /* operations this driver implements itself (NULL slots: the SQL layer's) */
    const sk_store_ops *overrides;
} sk_store_driver;

extern const sk_store_driver sk_store_sqlite_driver;

#endif
