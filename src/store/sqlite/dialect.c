/* dialect.c — the SQLite dialect's connection calls for the SQL layer (sql/sql.h): prepared
 * statements cached per connection, typed binding and columns, steps with SQLite's result
 * codes mapped to the store's error codes. */
#include <errno.h>
#include <string.h>

#include "store/sqlite/sqlite_int.h"

/* The files cannot be written: why, from SQLite's result and the system's errno behind it
 * (the daemon answers 503 with the cause: db_missing, db_read_only, disk_full, io). */
static sk_err file_error(sqlite3 *h, int rc, int ext, const char *msg, const char *what, sk_diag *d)
{
    int e = h ? sqlite3_system_errno(h) : 0;
    sk_code code;
    if ((rc & 0xFF) == SQLITE_FULL)
        code = SK_C_DISK_FULL;
    else if (ext == SQLITE_READONLY_DBMOVED)
        code = SK_C_DB_MISSING;
    else if ((rc & 0xFF) == SQLITE_READONLY)
        code = SK_C_DB_READ_ONLY;
    else
        code = sk_store_errno_code(e);
    if ((rc & 0xFF) == SQLITE_CANTOPEN && code == SK_C_IO)
        return sk_diag_set(d, SK_C_STORE, what, "sqlite: %s", msg);
    if (e)
        return sk_diag_set(d, code, what, "sqlite: %s (%s)", msg, strerror(e));
    return sk_diag_set(d, code, what, "sqlite: %s", msg);
}

sk_err sk_sqlite_error(sqlite3 *h, int rc, const char *what, sk_diag *d)
{
    int ext = h ? sqlite3_extended_errcode(h) : rc;
    const char *msg = h ? sqlite3_errmsg(h) : sqlite3_errstr(rc);
    switch (rc & 0xFF) {
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
        return file_error(h, rc, ext, msg, what, d);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return sk_diag_set(d, SK_C_STORE_BUSY, what, "database busy; retry");
    case SQLITE_CONSTRAINT:
        if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
            return sk_diag_set(d, SK_C_FOREIGN_KEY, what, "a referenced record does not exist");
        if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
            if (strstr(msg, "mynumber_idx"))
                return sk_diag_set(d, SK_C_MYNUMBER_TAKEN, "mynumber",
                                   "this My Number is already registered for another person");
            return sk_diag_set(d, SK_C_DUPLICATE, what, "a record with this key exists (%s)", msg);
        }
        return sk_diag_set(d, SK_C_STORE, what, "constraint failed: %s", msg);
    default:
        return sk_diag_set(d, SK_C_STORE, what, "sqlite: %s", msg);
    }
}

sk_err sk_sqlite_exec(sqlite3 *h, const char *sql, const char *what, sk_diag *d)
{
    char *em = NULL;
    int rc = sqlite3_exec(h, sql, NULL, NULL, &em);
    if (rc != SQLITE_OK) {
        int p = rc & 0xFF;
        sk_err err = p == SQLITE_FULL || p == SQLITE_READONLY || p == SQLITE_IOERR
                         ? file_error(h, sqlite3_extended_errcode(h), sqlite3_extended_errcode(h),
                                      em ? em : sqlite3_errstr(rc), what, d)
                         : sk_diag_set(d, p == SQLITE_BUSY ? SK_C_STORE_BUSY : SK_C_STORE, what,
                                       "sqlite: %s", em ? em : sqlite3_errstr(rc));
        sqlite3_free(em);
        return err;
    }
    return SK_OK;
}
/* ---- the SQL layer's calls ---- */
static sk_err c_prepare(void *txh, sk_sql_id id, void **st, sk_diag *d)
{
    conn *c = txh;
    if (!c->st[id]) {
        if (!sk_sqlite_statements[id])
            return sk_diag_set(d, SK_C_INTERNAL, "db", "statement %d has no SQLite text", (int)id);
        int rc = sqlite3_prepare_v3(c->h, sk_sqlite_statements[id], -1, SQLITE_PREPARE_PERSISTENT,
                                    &c->st[id], NULL);
        if (rc != SQLITE_OK)
            return sk_sqlite_error(c->h, rc, "db", d);
    }
    *st = c->st[id];
    return SK_OK;
}

static void c_bind_null(void *st, int i)
{
    sqlite3_bind_null(st, i);
}

static void c_bind_int64(void *st, int i, int64_t v)
{
    sqlite3_bind_int64(st, i, v);
}

static void c_bind_text(void *st, int i, const char *s, size_t n, bool copy)
{
    sqlite3_bind_text(st, i, s, (int)n, copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
}

static void c_bind_blob(void *st, int i, const void *p, size_t n)
{
    sqlite3_bind_blob(st, i, p, (int)n, SQLITE_STATIC);
}

static sk_err c_step(void *txh, void *st, bool *row, const char *what, sk_diag *d)
{
    /* a read-only transaction is a plain BEGIN that may be kept as a snapshot afterwards: a
     * write in it would be seen by the thread's next reads, and never committed */
    if (((conn *)txh)->reading && !sqlite3_stmt_readonly(st)) {
        *row = false;
        return sk_diag_set(d, SK_C_INTERNAL, what, "a write in a read-only transaction");
    }
    int rc = sqlite3_step(st);
    *row = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return SK_OK;
    return sk_sqlite_error(((conn *)txh)->h, rc, what, d);
}

static bool c_column_null(void *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL;
}

static int64_t c_column_int64(void *st, int i)
{
    return sqlite3_column_int64(st, i);
}

static const char *c_column_text(void *st, int i, size_t *n)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    *n = (size_t)sqlite3_column_bytes(st, i);
    return t;
}

static const void *c_column_blob(void *st, int i, size_t *n)
{
    const void *p = sqlite3_column_blob(st, i);
    *n = (size_t)sqlite3_column_bytes(st, i);
    return p;
}

static const char *c_column_name(void *st, int i)
{
    return sqlite3_column_name(st, i);
}

static void c_reset(void *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static int64_t c_changes(void *txh)
{
    return sqlite3_changes64(((conn *)txh)->h);
}

static int64_t c_last_id(void *txh)
{
    return sqlite3_last_insert_rowid(((conn *)txh)->h);
}

const sk_sql_conn sk_sqlite_conn_calls = {
    .dialect = "sqlite",
    .prepare = c_prepare,
    .bind_null = c_bind_null,
    .bind_int64 = c_bind_int64,
    .bind_text = c_bind_text,
    .bind_blob = c_bind_blob,
    .step = c_step,
    .column_null = c_column_null,
    .column_int64 = c_column_int64,
    .column_text = c_column_text,
    .column_blob = c_column_blob,
    .column_name = c_column_name,
    .reset = c_reset,
    .changes = c_changes,
    .last_id = c_last_id,
};
