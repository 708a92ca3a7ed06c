/* audit.c — the audit log's hash chain: each row's hash covers the previous row's hash and
 * its own fields; appending reads the chain's head once per transaction; verifying walks it
 * and holds it against its anchor (audit_anchor.c). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"
#include "util/log.h"

/* ---- audit chain ---- */

/* A field in the hashed form: 4-byte big-endian length, then the bytes. Lengths make the
 * encoding unambiguous ("ab"+"c" differs from "a"+"bc"). */
static size_t put_field(uint8_t *p, const char *s)
{
    size_t n = strlen(s);
    p[0] = (uint8_t)(n >> 24);
    p[1] = (uint8_t)(n >> 16);
    p[2] = (uint8_t)(n >> 8);
    p[3] = (uint8_t)n;
    memcpy(p + 4, s, n);
    return 4 + n;
}

void sk_audit_hash(const sk_audit_rec *r, uint8_t out[SK_SHA256_BYTES])
{
    uint8_t buf[SK_SHA256_BYTES + 8 + 4 * 4 + sizeof(r->actor) + sizeof(r->action) +
                sizeof(r->object) + sizeof(r->detail)];
    size_t o = 0;
    memcpy(buf, r->prev_hash, SK_SHA256_BYTES);
    o += SK_SHA256_BYTES;
    uint64_t t = (uint64_t)r->at_ms;
    for (int i = 7; i >= 0; i--)
        buf[o++] = (uint8_t)(t >> (8 * i));
    o += put_field(buf + o, r->actor);
    o += put_field(buf + o, r->action);
    o += put_field(buf + o, r->object);
    o += put_field(buf + o, r->detail);
    sk_sha256(buf, o, out);
}

static sk_err audit_append(sk_tx *tx, sk_audit_rec *r, sk_diag *d)
{
    bool found = false;
    /* bounded fields must be NUL-terminated before hashing */
    r->actor[sizeof(r->actor) - 1] = r->action[sizeof(r->action) - 1] = '\0';
    r->object[sizeof(r->object) - 1] = r->detail[sizeof(r->detail) - 1] = '\0';
    sk_log_scrub(r->detail, strlen(r->detail)); /* a My Number never reaches the audit log */
    if (tx->head_known) {
        memcpy(r->prev_hash, tx->head, SK_SHA256_BYTES);
    } else {
        int64_t id;
        sk_err err = tx->s->ops.audit_last(&tx->q, &found, &id, r->prev_hash, d);
        if (err)
            return err;
    }
    sk_audit_hash(r, r->hash);
    tx->head_known = false;
    sk_err err = tx->s->ops.audit_insert(&tx->q, r, d);
    if (!err) {
        memcpy(tx->head, r->hash, SK_SHA256_BYTES);
        tx->head_known = true;
        tx->head_id = r->id;
        tx->appended = true;
    }
    return err;
}

sk_err sk_anchor_head_of(sk_tx *tx, sk_audit_head *out, sk_diag *d)
{
    bool found = false;
    if (tx->head_known) {
        out->last_id = tx->head_id;
        memcpy(out->hash, tx->head, SK_SHA256_BYTES);
    } else {
        sk_err err = tx->s->ops.audit_last(&tx->q, &found, &out->last_id, out->hash, d);
        if (err)
            return err;
    }
    out->rows = out->last_id; /* ids from 1, never deleted (store.h sk_audit_head) */
    return SK_OK;
}

sk_err sk_store_audit_append(sk_tx *tx, sk_audit_rec *r, sk_diag *d)
{
    SK_TX_CALL(tx, d, audit_append(tx, r, &local_));
}

sk_err sk_store_audit_add(sk_tx *tx, int64_t at_ms, const char *actor, const char *action,
                          const char *object, sk_diag *d, const char *fmt, ...)
{
    sk_audit_rec r = {.at_ms = at_ms};
    snprintf(r.actor, sizeof(r.actor), "%s", actor);
    snprintf(r.action, sizeof(r.action), "%s", action);
    snprintf(r.object, sizeof(r.object), "%s", object);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r.detail, sizeof(r.detail), fmt, ap);
    va_end(ap);
    return sk_store_audit_append(tx, &r, d);
}

/* A head the chain must contain (the anchor's, a checkpoint's), and what the walk found at
 * its row. */
typedef struct must_reach {
    const sk_audit_head *h;
    bool seen, same;
} must_reach;

typedef struct verify_state {
    uint8_t prev[SK_SHA256_BYTES];
    int64_t first_bad;
    int64_t rows, last_id;
    must_reach reach[2];
} verify_state;

static sk_err verify_row(void *ctx, const sk_audit_rec *r)
{
    verify_state *v = ctx;
    uint8_t h[SK_SHA256_BYTES];
    v->rows++;
    v->last_id = r->id;
    for (int i = 0; i < 2; i++) {
        must_reach *m = &v->reach[i];
        if (m->h && r->id == m->h->last_id) {
            m->seen = true;
            m->same = v->rows == m->h->rows && sk_ct_equal(r->hash, m->h->hash, SK_SHA256_BYTES);
        }
    }
    if (v->first_bad)
        return SK_OK;
    sk_audit_hash(r, h);
    if (!sk_ct_equal(r->prev_hash, v->prev, SK_SHA256_BYTES) ||
        !sk_ct_equal(r->hash, h, SK_SHA256_BYTES)) {
        v->first_bad = r->id;
        return SK_OK;
    }
    memcpy(v->prev, r->hash, SK_SHA256_BYTES);
    return SK_OK;
}

/* Walks the whole chain into v, in one read transaction. */
static sk_err walk_chain(sk_store *s, verify_state *v, sk_diag *d)
{
    sk_tx *tx;
    sk_err err = sk_store_begin_read(s, &tx, d);
    if (err)
        return err;
    err = s->ops.audit_list(&tx->q, verify_row, v, d);
    sk_tx_rollback(tx);
    return err;
}

sk_err sk_store_audit_verify(sk_store *s, int64_t *first_bad, int64_t *rows, sk_diag *d)
{
    verify_state v;
    memset(&v, 0, sizeof(v));
    sk_err err = walk_chain(s, &v, d);
    if (err)
        return err;
    *first_bad = v.first_bad;
    *rows = v.rows;
    return SK_OK;
}

/* Holds the walk against one head it must reach; true when it decided the outcome. */
static bool held_against(const verify_state *v, const must_reach *m, const char *what,
                         sk_audit_check *out)
{
    if (!m->h || !m->h->last_id)
        return false;
    if (!m->seen && v->last_id < m->h->last_id) {
        out->outcome = SK_AUDIT_TRUNCATED;
        out->want_id = m->h->last_id;
        snprintf(out->why, sizeof(out->why),
                 "rows missing after id %lld: %s names %lld rows up to id %lld",
                 (long long)v->last_id, what, (long long)m->h->rows, (long long)m->h->last_id);
        return true;
    }
    if (!m->seen || !m->same) {
        out->outcome = SK_AUDIT_BROKEN;
        out->first_bad = m->h->last_id;
        snprintf(out->why, sizeof(out->why),
                 "row %lld is not the one %s names (the chain was cut and written again)",
                 (long long)m->h->last_id, what);
        return true;
    }
    return false;
}

sk_err sk_store_audit_check(sk_store *s, const sk_audit_head *reach, sk_audit_check *out,
                            sk_diag *d)
{
    verify_state v;
    memset(&v, 0, sizeof(v));
    memset(out, 0, sizeof(*out));
    bool found = false;
    sk_diag ad;
    sk_diag_clear(&ad);
    /* the anchor first: a chain read after it is at least as long as it was then */
    sk_err aerr = s->anchor_on ? sk_store_anchor_read(s, &found, &out->anchor, &ad) : SK_OK;
    if (aerr && aerr != SK_ERR_CRYPTO) {
        if (d)
            *d = ad;
        return aerr;
    }
    out->anchored = !aerr && found;
    v.reach[0].h = out->anchored ? &out->anchor : NULL;
    v.reach[1].h = reach;
    sk_err err = walk_chain(s, &v, d);
    if (err)
        return err;
    out->rows = v.rows;
    out->last_id = v.last_id;
    if (v.first_bad) {
        out->outcome = SK_AUDIT_BROKEN;
        out->first_bad = v.first_bad;
        snprintf(out->why, sizeof(out->why),
                 "row %lld was altered or inserted, or follows a removed row",
                 (long long)v.first_bad);
    } else if (aerr) {
        out->outcome = SK_AUDIT_ANCHOR_FORGED;
        snprintf(out->why, sizeof(out->why), "%s", ad.message);
    } else if (held_against(&v, &v.reach[0], "its anchor", out) ||
               held_against(&v, &v.reach[1], "the registry's checkpoint of it", out)) {
    } else if (s->anchor_on && !found && v.rows > 0) {
        out->outcome = SK_AUDIT_ANCHOR_MISSING;
        size_t k = (size_t)snprintf(out->why, sizeof(out->why), "%lld rows but no anchor ",
                                    (long long)v.rows);
        /* the path last: a long one is cut, the sentence is not */
        snprintf(out->why + k, sizeof(out->why) - k, "(removed, or none written since): %.*s",
                 (int)(sizeof(out->why) - k - 40), s->anchor_path);
    }
    return SK_OK;
}
