/* migrate.c — applies the SQLite schema's migrations (migrations.c) at create and open, in
 * one transaction, and refuses a file of the other kind (registry / look-up log). */
#include "store/sqlite/sqlite_int.h"

/* ---- migrations ---- */
int sk_sqlite_latest_version(const sk_sqlite_migration *list)
{
    int v = 0;
    for (const sk_sqlite_migration *m = list; m->version; m++)
        v = m->version;
    return v;
}

/* Refuses a registry opened as a look-up log and the other way round (each has a table the
 * other has not). */
sk_err sk_sqlite_check_kind(sqlite3 *h, sk_store_kind kind, const char *path, sk_diag *d)
{
    sqlite3_stmt *s = NULL;
    const char *other = kind == SK_STORE_LOOKUP_LOG ? "persons" : "lookup_log";
    int rc = sqlite3_prepare_v2(h, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?",
                                -1, &s, NULL);
    if (rc != SQLITE_OK)
        return sk_sqlite_error(h, rc, "db", d);
    sqlite3_bind_text(s, 1, other, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc == SQLITE_ROW)
        return sk_diag_set(d, SK_C_STORE, "db", "%s is %s, not %s", path,
                           kind == SK_STORE_LOOKUP_LOG ? "a registry database"
                                                       : "a look-up log (<db>.lookups)",
                           kind == SK_STORE_LOOKUP_LOG ? "a look-up log" : "a registry database");
    return rc == SQLITE_DONE ? SK_OK : sk_sqlite_error(h, rc, "db", d);
}

static sk_err current_version(sqlite3 *h, int *out, sk_diag *d)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(h, "SELECT coalesce(max(version), 0) FROM schema_migrations", -1,
                                &s, NULL);
    if (rc != SQLITE_OK)
        return sk_sqlite_error(h, rc, "db", d);
    rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? SK_OK : sk_sqlite_error(h, rc, "db", d);
}

/* After the migrations of one run, inside their transaction: every reference must still find
 * its row (they ran with enforcement off, see sk_sqlite_migrate). */
static sk_err references_hold(sqlite3 *h, int version, sk_diag *d)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(h, "PRAGMA foreign_key_check", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return sk_sqlite_error(h, rc, "db", d);
    rc = sqlite3_step(s);
    sk_err err = SK_OK;
    if (rc == SQLITE_ROW)
        err = sk_diag_set(d, SK_C_STORE, "db",
                          "migration to version %d stopped: a row of %s (rowid %lld) refers to a "
                          "missing row of %s; nothing was changed",
                          version, (const char *)sqlite3_column_text(s, 0),
                          (long long)sqlite3_column_int64(s, 1),
                          (const char *)sqlite3_column_text(s, 2));
    else if (rc != SQLITE_DONE)
        err = sk_sqlite_error(h, rc, "db", d);
    sqlite3_finalize(s);
    return err;
}

/* Applies the pending migrations in one transaction. Foreign keys are not enforced meanwhile
 * (SQLite's procedure for changing a table others refer to: a rebuild drops the old table
 * and renames the new one, which enforcement would refuse or turn into a cascade of checks);
 * instead the whole database must pass foreign_key_check before it commits. */
sk_err sk_sqlite_migrate(sqlite3 *h, const sk_sqlite_migration *list, int *version, sk_diag *d)
{
    sk_err err = sk_sqlite_exec(h, "PRAGMA foreign_keys = OFF", "db", d);
    if (err)
        return err;
    err = sk_sqlite_exec(h, "BEGIN IMMEDIATE", "db", d);
    if (err) {
        sk_sqlite_exec(h, "PRAGMA foreign_keys = ON", "db", NULL);
        return err;
    }
    int from = 0;
    err =
        sk_sqlite_exec(h,
                       "CREATE TABLE IF NOT EXISTS schema_migrations ("
                       " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                       " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))",
                       "db", d);
    int v = 0;
    if (!err)
        err = current_version(h, &v, d);
    from = v;
    if (!err && v > sk_sqlite_latest_version(list))
        err = sk_diag_set(d, SK_C_STORE_VERSION, "db",
                          "database schema version %d is newer than this program's %d", v,
                          sk_sqlite_latest_version(list));
    for (const sk_sqlite_migration *m = list; !err && m->version; m++) {
        if (m->version <= v)
            continue;
        err = sk_sqlite_exec(h, m->sql, "db", d);
        if (!err) {
            sqlite3_stmt *s = NULL;
            int rc = sqlite3_prepare_v2(
                h, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", -1, &s, NULL);
            if (rc == SQLITE_OK) {
                sqlite3_bind_int(s, 1, m->version);
                sqlite3_bind_text(s, 2, m->name, -1, SQLITE_STATIC);
                rc = sqlite3_step(s);
            }
            sqlite3_finalize(s);
            if (rc != SQLITE_DONE)
                err = sk_sqlite_error(h, rc, "db", d);
            else
                v = m->version;
        }
    }
    if (!err && v != from)
        err = references_hold(h, v, d);
    if (err)
        sk_sqlite_exec(h, "ROLLBACK", "db", NULL);
    else
        err = sk_sqlite_exec(h, "COMMIT", "db", d);
    sk_err on = sk_sqlite_exec(h, "PRAGMA foreign_keys = ON", "db", err ? NULL : d);
    if (!err)
        err = on;
    if (!err)
        *version = v;
    return err;
}
