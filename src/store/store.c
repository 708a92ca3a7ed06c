/* store.c — the generic store: the DSN and driver selection, opening and closing, transactions
 * (first error wins), the insurer cache, and the public function of every operation of
 * store_ops.h (generated). Group commit: group_commit.c; My Number sealing: seal.c; the audit
 * chain: audit.c; the operations in SQL: sql/. */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static const sk_store_driver *const drivers[] = {&sk_store_sqlite_driver, NULL};
static const char *const driver_names[] = {"sqlite", NULL};

const char *const *sk_store_drivers(void)
{
    return driver_names;
}

static const sk_store_driver *find_driver(const char *name, size_t n)
{
    for (size_t i = 0; drivers[i]; i++)
        if (strlen(drivers[i]->name) == n && memcmp(drivers[i]->name, name, n) == 0)
            return drivers[i];
    return NULL;
}

/* "sqlite:PATH" or a bare PATH: SQLite; "SCHEME://…": the driver named SCHEME, its location
 * the whole DSN. */
static sk_err parse_dsn(const sk_store_options *opt, const sk_store_driver **drv, const char **loc,
                        sk_diag *d)
{
    const char *dsn = opt->dsn;
    if (!dsn || !*dsn)
        return sk_diag_set(d, SK_C_REQUIRED, "db", "a database (DSN or SQLite path) is required");
    const char *colon = strchr(dsn, ':');
    size_t n = colon ? (size_t)(colon - dsn) : 0;
    bool scheme = colon && n > 0 && strspn(dsn, "abcdefghijklmnopqrstuvwxyz0123456789+.-") == n;
    if (scheme && strncmp(dsn, "sqlite:", 7) == 0) {
        *drv = &sk_store_sqlite_driver;
        *loc = dsn + 7;
    } else if (scheme && strncmp(colon, "://", 3) == 0) {
        *drv = find_driver(dsn, n);
        *loc = dsn;
        if (!*drv)
            return sk_diag_set(d, SK_C_CONFIG_VALUE, "driver",
                               "unknown store driver \"%.*s\" (this program has: sqlite)", (int)n,
                               dsn);
    } else {
        *drv = &sk_store_sqlite_driver;
        *loc = dsn;
    }
    if (!**loc)
        return sk_diag_set(d, SK_C_REQUIRED, "db", "a database path is required");
    return SK_OK;
}

static sk_err key_path(const sk_store_options *opt, const sk_store_driver *drv, const char *loc,
                       char *out, size_t n, sk_diag *d)
{
    int k;
    if (opt->key_file && *opt->key_file)
        k = snprintf(out, n, "%s", opt->key_file);
    else if (drv == &sk_store_sqlite_driver)
        k = snprintf(out, n, "%s.key", loc);
    else
        return sk_diag_set(d, SK_C_REQUIRED, "key_file", "a key file is required with %s",
                           drv->name);
    if (k < 0 || (size_t)k >= n)
        return sk_diag_set(d, SK_C_CONFIG_VALUE, "key_file", "key file path too long");
    return SK_OK;
}

/* The anchor's path: the option, else "<PATH>.anchor" for SQLite; "" when there is none. */
static sk_err anchor_path(const sk_store_options *opt, const sk_store_driver *drv, const char *loc,
                          char *out, size_t n, sk_diag *d)
{
    int k = 0;
    out[0] = '\0';
    if (opt->anchor_file && *opt->anchor_file)
        k = snprintf(out, n, "%s", opt->anchor_file);
    else if (drv == &sk_store_sqlite_driver)
        k = snprintf(out, n, "%s.anchor", loc);
    if (k < 0 || (size_t)k >= n)
        return sk_diag_set(d, SK_C_CONFIG_VALUE, "anchor_file", "anchor path too long");
    return SK_OK;
}

static const char *chain_of(sk_store_kind kind)
{
    return kind == SK_STORE_LOOKUP_LOG ? "lookup_log" : "registry";
}

/* The keyring a store of this kind uses: the registry's always, a look-up log's only when a
 * key file is named (it then keys the log's anchor). *have false: none. */
static sk_err load_keys(const sk_store_options *opt, const sk_store_driver *drv, const char *loc,
                        sk_keyring *k, bool *have, sk_diag *d)
{
    char kp[4096];
    *have = false;
    if (opt->kind != SK_STORE_REGISTRY && !(opt->key_file && *opt->key_file))
        return SK_OK;
    sk_err err = key_path(opt, drv, loc, kp, sizeof(kp), d);
    if (!err)
        err = sk_keyring_load_file(kp, k, d);
    *have = !err;
    return err;
}

sk_err sk_store_anchor_peek(const sk_store_options *opt, bool *found, sk_audit_head *out,
                            sk_diag *d)
{
    const sk_store_driver *drv;
    const char *loc;
    char ap[4096];
    sk_keyring k;
    bool have = false;
    uint8_t key[SK_SHA256_BYTES];
    *found = false;
    memset(out, 0, sizeof(*out));
    sk_err err = parse_dsn(opt, &drv, &loc, d);
    if (!err)
        err = anchor_path(opt, drv, loc, ap, sizeof(ap), d);
    if (!err)
        err = load_keys(opt, drv, loc, &k, &have, d);
    if (err || !have || !ap[0])
        goto out;
    if (sk_anchor_key(&k, key) != SK_OK) {
        err = sk_diag_set(d, SK_C_CRYPTO, "anchor", "cannot derive the anchor's key");
        goto out;
    }
    err = sk_anchor_read_file(ap, chain_of(opt->kind), key, found, out, d);
out:
    if (have)
        sk_keyring_wipe(&k);
    sk_secure_zero(key, sizeof(key));
    return err;
}

sk_err sk_store_key_file(const sk_store_options *opt, char *out, size_t n, sk_diag *d)
{
    const sk_store_driver *drv;
    const char *loc;
    sk_err err = parse_dsn(opt, &drv, &loc, d);
    return err ? err : key_path(opt, drv, loc, out, n, d);
}

int sk_store_schema_latest(const char *driver)
{
    const sk_store_driver *drv =
        driver && *driver ? find_driver(driver, strlen(driver)) : &sk_store_sqlite_driver;
    return drv ? drv->latest_version : 0;
}

sk_err sk_store_create(const sk_store_options *opt, sk_diag *d)
{
    const sk_store_driver *drv;
    const char *loc;
    char kp[4096];
    sk_err err = parse_dsn(opt, &drv, &loc, d);
    if (!err)
        err = key_path(opt, drv, loc, kp, sizeof(kp), d);
    if (err)
        return err;
    sk_store_target t = {.location = loc, .kind = opt->kind, .sqlite = &opt->sqlite};
    if ((err = sk_keyring_create_file(kp, d)))
        return err;
    if ((err = drv->create(&t, d))) {
        remove(kp); /* do not leave a key without its database */
        return err;
    }
    /* an anchor from the start (an empty chain): a chain with rows and no anchor is then
     * one whose anchor was removed */
    char ap[4096];
    sk_keyring k;
    uint8_t key[SK_SHA256_BYTES];
    sk_audit_head empty = {0};
    if (opt->kind == SK_STORE_REGISTRY && !(err = anchor_path(opt, drv, loc, ap, sizeof(ap), d)) &&
        ap[0] && !(err = sk_keyring_load_file(kp, &k, d))) {
        err = sk_anchor_key(&k, key)
                  ? sk_diag_set(d, SK_C_CRYPTO, "anchor", "no anchor key")
                  : sk_anchor_write_file(ap, "registry", key, &empty, true, NULL, d);
        sk_keyring_wipe(&k);
        sk_secure_zero(key, sizeof(key));
    }
    return err;
}

bool sk_store_lookup_log_path(const char *db, char *out, size_t n)
{
    int k = snprintf(out, n, "%s.lookups", db);
    return k > 0 && (size_t)k < n;
}

sk_err sk_store_open(const sk_store_options *opt, sk_store **out, sk_diag *d)
{
    const sk_store_driver *drv;
    const char *loc;
    char ap[4096];
    bool keys = false;
    sk_err err = parse_dsn(opt, &drv, &loc, d);
    if (!err)
        err = anchor_path(opt, drv, loc, ap, sizeof(ap), d);
    if (err)
        return err;
    sk_store *s = calloc(1, sizeof(*s));
    if (!s)
        return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    s->drv = drv;
    s->ops = sk_sql_store_ops;
    if (drv->overrides) { /* a driver's own code for an operation (a hot path) */
#define SK_STORE_OP(shape, name, params, bind, ent)                                                \
    if (drv->overrides->name)                                                                      \
        s->ops.name = drv->overrides->name;
#define SK_STORE_OP_INTERNAL SK_STORE_OP
#include "store/store_ops.h"
#undef SK_STORE_OP
#undef SK_STORE_OP_INTERNAL
    }
    /* the database first: a missing database is reported as such, not as its key file */
    sk_store_target t = {.location = loc, .kind = opt->kind, .sqlite = &opt->sqlite};
    if ((err = drv->open(&t, &s->db, d)))
        goto fail;
    /* the look-up log holds nothing sealed: a key only for its anchor */
    if ((err = load_keys(opt, drv, loc, &s->keys, &keys, d))) {
        drv->close(s->db);
        goto fail;
    }
    s->chain = chain_of(opt->kind);
    pthread_mutex_init(&s->gmu, NULL);
    pthread_mutex_init(&s->icmu, NULL);
    pthread_cond_init(&s->synccv, NULL);
    if ((err = sk_anchor_init(s, keys && ap[0] ? ap : NULL, d))) {
        sk_store_close(s);
        return err;
    }
    *out = s;
    return SK_OK;
fail:
    sk_keyring_wipe(&s->keys);
    free(s);
    return err;
}

void sk_store_close(sk_store *s)
{
    if (!s)
        return;
    s->drv->close(s->db);
    sk_anchor_deinit(s);
    pthread_mutex_destroy(&s->gmu);
    pthread_mutex_destroy(&s->icmu);
    pthread_cond_destroy(&s->synccv);
    sk_keyring_wipe(&s->keys);
    free(s);
}

int sk_store_schema_version(sk_store *s)
{
    return s->drv->schema_version(s->db);
}

const char *sk_store_driver_name(const sk_store *s)
{
    return s->drv->name;
}

static sk_err begin(sk_store *s, bool write, sk_tx **out, sk_diag *d)
{
    sk_tx *tx = calloc(1, sizeof(*tx));
    if (!tx)
        return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    tx->s = s;
    tx->q.c = s->drv->conn;
    tx->read_only = !write;
    sk_err err = write && s->drv->writable ? s->drv->writable(s->db, true, d) : SK_OK;
    if (!err)
        err = s->drv->begin(s->db, write, &tx->q.h, d);
    if (err) {
        free(tx);
        return err;
    }
    *out = tx;
    return SK_OK;
}

sk_err sk_store_begin(sk_store *s, sk_tx **out, sk_diag *d)
{
    return begin(s, true, out, d);
}

sk_err sk_store_begin_read(sk_store *s, sk_tx **out, sk_diag *d)
{
    return begin(s, false, out, d);
}

sk_err sk_tx_commit(sk_tx *tx, sk_diag *d)
{
    sk_err err = tx->err;
    sk_store *s = tx->s;
    /* a write transaction of its own commits durably: its rows are anchored at once (the
     * group commit's wait for their sync: group_commit.c) */
    sk_audit_head h;
    bool anchor = !err && tx->appended && !tx->deferred && sk_anchor_head_of(tx, &h, NULL) == SK_OK;
    if (err) {
        if (d)
            *d = tx->diag;
        s->drv->rollback(tx->q.h);
    } else {
        err = s->drv->commit(tx->q.h, d);
    }
    free(tx);
    if (!err && anchor)
        sk_anchor_advance(s, &h);
    return err;
}

void sk_tx_rollback(sk_tx *tx)
{
    if (!tx)
        return;
    tx->s->drv->rollback(tx->q.h);
    free(tx);
}

sk_err sk_tx_error(const sk_tx *tx)
{
    return tx->err;
}

/* ---- insurers: committed rows are cached ---- */
static bool insurer_cached(sk_store *s, const char *number, sk_insurer_rec *out)
{
    size_t n = atomic_load_explicit(&s->icn, memory_order_acquire);
    for (size_t i = 0; i < n; i++)
        if (strcmp(s->icache[i].number, number) == 0) {
            *out = s->icache[i];
            return true;
        }
    return false;
}

static sk_err insurer_get(sk_tx *tx, const char *number, sk_insurer_rec *out, sk_diag *d)
{
    sk_store *s = tx->s;
    if (insurer_cached(s, number, out))
        return SK_OK;
    sk_err err = s->ops.insurer_get(&tx->q, number, out, d);
    if (!err && tx->read_only) { /* committed: it can no longer change or vanish */
        pthread_mutex_lock(&s->icmu);
        size_t n = atomic_load_explicit(&s->icn, memory_order_relaxed);
        bool have = false;
        for (size_t i = 0; i < n; i++)
            have |= strcmp(s->icache[i].number, number) == 0;
        if (!have && n < sizeof(s->icache) / sizeof(s->icache[0])) {
            s->icache[n] = *out;
            atomic_store_explicit(&s->icn, n + 1, memory_order_release);
        }
        pthread_mutex_unlock(&s->icmu);
    }
    return err;
}

sk_err sk_store_insurer_get(sk_tx *tx, const char *number, sk_insurer_rec *out, sk_diag *d)
{
    SK_TX_CALL(tx, d, insurer_get(tx, number, out, &local_));
}

/* ---- every other operation: sk_store_<name> calls the operation with the first-error rule
 * (store_ops.h) ---- */
#define SQ_CALL_GET(bind)    SK_UNPAREN bind, out
#define SQ_CALL_GETA(bind)   SK_UNPAREN bind, a, out
#define SQ_CALL_LIST(bind)   SK_UNPAREN bind, cb, ctx
#define SQ_CALL_LISTA(bind)  SK_UNPAREN bind, a, cb, ctx
#define SQ_CALL_LIST0(bind)  cb, ctx
#define SQ_CALL_EXEC(bind)   SK_UNPAREN bind
#define SQ_CALL_CUSTOM(bind) SK_UNPAREN bind
#define SK_STORE_OP(shape, name, params, bind, ent)                                                \
    sk_err sk_store_##name(sk_tx *tx, SK_UNPAREN params, sk_diag *d)                               \
    {                                                                                              \
        SK_TX_CALL(tx, d, tx->s->ops.name(&tx->q, SQ_CALL_##shape(bind), &local_));                \
    }
#define SK_STORE_OP_INTERNAL(shape, name, params, bind, ent)
#include "store/store_ops.h"
#undef SK_STORE_OP
#undef SK_STORE_OP_INTERNAL
