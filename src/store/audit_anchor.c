/* audit_anchor.c — the audit chain's anchor: its head (rows, last id, hash) in a small file
 * beside the database, rewritten and fdatasync'ed once its rows are durable, under a MAC, so
 * that rows removed at the end of the chain — or a whole look-up log — are told from a chain
 * that never had them (store.h sk_audit_check, docs/design/store.md "Anchors").
 *
 * The file is one line, always the same length for a chain, overwritten in place (a 512-byte
 * sector is written whole, so a crash leaves the old line or the new one):
 *     shikaku-anchor v1 chain=registry rows=00000000000000000042 last_id=00000000000000000042
 *     hash=<64 hex> mac=<64 hex>
 * mac = HMAC-SHA-256(K, the line before " mac="), K = HMAC-SHA-256(the key file's MAC key,
 * "shikaku/audit-anchor/v1"): a key of its own, so that an anchor is never a blind index. The
 * chain's name is covered: a registry anchor copied over the look-up log's does not verify.
 * Writers in several processes (the daemon, a CLI command) take an flock and only ever move
 * the anchor forward.
 *
 * The line is rewritten after every sync that made new rows durable, before their callers are
 * answered, but fdatasync'ed at most every SK_ANCHOR_SYNC_MS (and at close): an anchor on
 * disk may lag the chain after a power loss — it only ever names rows already durable, so it
 * is never ahead — while a second device flush per batch cost intake 10–30 %
 * (docs/performance.md "Audit anchors"). `audit verify` reads what was written, synced or not. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_int.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"

#define ANCHOR_MAX 512
#define KEY_LABEL  "shikaku/audit-anchor/v1"
#define FAULT_NS   (30LL * 1000000000LL) /* a failed write is readiness's cause this long */
#ifndef SK_ANCHOR_SYNC_MS
#define SK_ANCHOR_SYNC_MS 50 /* the anchor is fdatasync'ed at most this often (0: every write) */
#endif

sk_err sk_anchor_key(const sk_keyring *k, uint8_t out[SK_SHA256_BYTES])
{
    return sk_hmac_sha256(k->mac, SK_KEY_BYTES, KEY_LABEL, strlen(KEY_LABEL), out);
}

/* The line for h, with its MAC; its length (0 when it did not fit). */
static size_t format(const char *chain, const uint8_t key[SK_SHA256_BYTES], const sk_audit_head *h,
                     char *out, size_t cap)
{
    char hash[2 * SK_SHA256_BYTES + 1], mac_hex[2 * SK_SHA256_BYTES + 1];
    uint8_t mac[SK_SHA256_BYTES];
    sk_hex_encode(h->hash, SK_SHA256_BYTES, hash);
    int n = snprintf(out, cap, "shikaku-anchor v1 chain=%s rows=%020lld last_id=%020lld hash=%s",
                     chain, (long long)h->rows, (long long)h->last_id, hash);
    if (n < 0 || (size_t)n >= cap || sk_hmac_sha256(key, SK_SHA256_BYTES, out, (size_t)n, mac))
        return 0;
    sk_hex_encode(mac, SK_SHA256_BYTES, mac_hex);
    int m = snprintf(out + n, cap - (size_t)n, " mac=%s\n", mac_hex);
    if (m < 0 || (size_t)m >= cap - (size_t)n)
        return 0;
    return (size_t)n + (size_t)m;
}

/* Reads "NAME=" and a field of exactly len characters at *p; false when it is not there. */
static bool field(const char **p, const char *end, const char *name, size_t len, const char **v)
{
    size_t nl = strlen(name);
    if ((size_t)(end - *p) < nl + 1 + len || memcmp(*p, name, nl) != 0 || (*p)[nl] != '=')
        return false;
    *v = *p + nl + 1;
    *p = *v + len;
    if (*p < end && **p == ' ')
        (*p)++;
    return true;
}

static sk_err forged(const char *path, sk_diag *d, const char *why)
{
    return sk_diag_set(d, SK_C_AUDIT_ANCHOR, "anchor",
                       "the anchor %s does not verify: %s (edited, damaged, or made with another "
                       "key file)",
                       path, why);
}

/* Parses and verifies a line read from path. */
static sk_err parse(const char *path, const char *chain, const uint8_t key[SK_SHA256_BYTES],
                    const char *buf, size_t n, sk_audit_head *out, sk_diag *d)
{
    const char *end = memchr(buf, '\n', n);
    if (!end)
        return forged(path, d, "no complete line");
    const char *mac_at = NULL;
    for (const char *q = buf; q + 5 <= end; q++)
        if (memcmp(q, " mac=", 5) == 0)
            mac_at = q;
    if (!mac_at || end - (mac_at + 5) != 2 * SK_SHA256_BYTES)
        return forged(path, d, "no MAC");
    uint8_t mac[SK_SHA256_BYTES], want[SK_SHA256_BYTES];
    if (sk_hex_decode(mac_at + 5, 2 * SK_SHA256_BYTES, mac, sizeof(mac)) != SK_OK ||
        sk_hmac_sha256(key, SK_SHA256_BYTES, buf, (size_t)(mac_at - buf), want) != SK_OK ||
        !sk_ct_equal(mac, want, SK_SHA256_BYTES))
        return forged(path, d, "its MAC does not match its content");
    const char *p = buf, *v;
    static const char magic[] = "shikaku-anchor v1 ";
    long long rows, last;
    size_t cl = strlen(chain);
    if ((size_t)(mac_at - p) < sizeof(magic) - 1 || memcmp(p, magic, sizeof(magic) - 1) != 0)
        return forged(path, d, "not an anchor");
    p += sizeof(magic) - 1;
    if (!field(&p, mac_at, "chain", cl, &v) || memcmp(v, chain, cl) != 0)
        return forged(path, d, "the anchor of another chain");
    if (!field(&p, mac_at, "rows", 20, &v) || sk_parse_ll(v, 20, 0, INT64_MAX, &rows) ||
        !field(&p, mac_at, "last_id", 20, &v) || sk_parse_ll(v, 20, 0, INT64_MAX, &last) ||
        !field(&p, mac_at, "hash", 2 * SK_SHA256_BYTES, &v) ||
        sk_hex_decode(v, 2 * SK_SHA256_BYTES, out->hash, SK_SHA256_BYTES) != SK_OK || p != mac_at)
        return forged(path, d, "a field is malformed");
    out->rows = rows;
    out->last_id = last;
    return SK_OK;
}

sk_err sk_anchor_read_file(const char *path, const char *chain, const uint8_t key[SK_SHA256_BYTES],
                           bool *found, sk_audit_head *out, sk_diag *d)
{
    char buf[ANCHOR_MAX];
    *found = false;
    memset(out, 0, sizeof(*out));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return SK_OK;
        return sk_diag_set(d, SK_C_IO, "anchor", "cannot read the anchor %s: %s", path,
                           strerror(errno));
    }
    ssize_t n = pread(fd, buf, sizeof(buf), 0);
    int e = errno;
    close(fd);
    if (n < 0)
        return sk_diag_set(d, SK_C_IO, "anchor", "cannot read the anchor %s: %s", path,
                           strerror(e));
    *found = true;
    return parse(path, chain, key, buf, (size_t)n, out, d);
}

sk_err sk_store_anchor_read(sk_store *s, bool *found, sk_audit_head *out, sk_diag *d)
{
    return sk_anchor_read_file(s->anchor_path, s->chain, s->anchor_key, found, out, d);
}

/* fsync of the folder that holds path: a new file's name is durable too */
static int sync_dir(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Opens (creating, owner-only) the anchor file; -1 with errno on failure. */
static int open_anchor(const char *path)
{
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        if (sync_dir(path) != 0) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        return fd;
    }
    return errno == EEXIST ? open(path, O_RDWR | O_CLOEXEC) : -1;
}

/* Under the file's lock: h replaces the anchor on file unless that one is as new or newer;
 * an anchor on file that does not verify is never overwritten. */
static sk_err write_locked(int fd, const char *path, const char *chain,
                           const uint8_t key[SK_SHA256_BYTES], const sk_audit_head *h, bool sync,
                           sk_diag *d)
{
    char cur[ANCHOR_MAX], line[ANCHOR_MAX];
    ssize_t n = pread(fd, cur, sizeof(cur), 0);
    if (n < 0)
        return sk_diag_set(d, sk_store_errno_code(errno), "anchor", "cannot read the anchor %s: %s",
                           path, strerror(errno));
    if (n > 0) {
        sk_audit_head on_file;
        sk_err err = parse(path, chain, key, cur, (size_t)n, &on_file, d);
        if (err)
            return err;
        if (on_file.last_id >= h->last_id)
            return SK_OK;
    }
    size_t len = format(chain, key, h, line, sizeof(line));
    if (!len)
        return sk_diag_set(d, SK_C_INTERNAL, "anchor", "the anchor line does not fit");
    ssize_t w = pwrite(fd, line, len, 0);
    if (w != (ssize_t)len)
        return sk_diag_set(d, w < 0 ? sk_store_errno_code(errno) : SK_C_DISK_FULL, "anchor",
                           "cannot write the anchor %s: %s", path,
                           w < 0 ? strerror(errno) : "short write");
    if (sync && fdatasync(fd) != 0)
        return sk_diag_set(d, sk_store_errno_code(errno), "anchor", "cannot sync the anchor %s: %s",
                           path, strerror(errno));
    return SK_OK;
}

sk_err sk_anchor_write_file(const char *path, const char *chain, const uint8_t key[SK_SHA256_BYTES],
                            const sk_audit_head *h, bool sync, int *fdp, sk_diag *d)
{
    int fd = fdp && *fdp >= 0 ? *fdp : open_anchor(path);
    if (fd < 0)
        return sk_diag_set(d, sk_store_errno_code(errno), "anchor", "cannot open the anchor %s: %s",
                           path, strerror(errno));
    if (fdp)
        *fdp = fd;
    sk_err err;
    if (flock(fd, LOCK_EX) != 0) {
        err = sk_diag_set(d, SK_C_IO, "anchor", "cannot lock the anchor %s: %s", path,
                          strerror(errno));
    } else {
        err = write_locked(fd, path, chain, key, h, sync, d);
        flock(fd, LOCK_UN);
    }
    if (!fdp)
        close(fd);
    return err;
}

/* ---- the store's anchor ---- */

void sk_store_fault_note(sk_store *s, sk_err err, const sk_diag *d)
{
    pthread_mutex_lock(&s->amu);
    s->fault = err;
    if (err) {
        s->fault_diag = *d;
        s->fault_ns = sk_monotonic_ns();
    }
    pthread_mutex_unlock(&s->amu);
}

/* The row at h->last_id (with the rows before it) is the one h names. */
static sk_err reaches(sk_store *s, const sk_audit_head *h, bool *ok, sk_diag *d);

sk_err sk_anchor_init(sk_store *s, const char *path, sk_diag *d)
{
    s->anchor_fd = -1;
    pthread_mutex_init(&s->amu, NULL);
    if (!path)
        return SK_OK;
    if (snprintf(s->anchor_path, sizeof(s->anchor_path), "%s", path) >= (int)sizeof(s->anchor_path))
        return sk_diag_set(d, SK_C_CONFIG_VALUE, "anchor", "anchor path too long");
    if (sk_anchor_key(&s->keys, s->anchor_key) != SK_OK)
        return sk_diag_set(d, SK_C_CRYPTO, "anchor", "cannot derive the anchor's key");
    s->anchor_on = true;
    /* a chain that does not reach the anchor on file is never anchored again here: the
     * anchor is the evidence (`audit verify` names what is missing) */
    bool found = false, ok = true;
    sk_audit_head on_file;
    sk_diag ad;
    sk_diag_clear(&ad);
    sk_err err = sk_store_anchor_read(s, &found, &on_file, &ad);
    if (!err && found && on_file.last_id > 0 && (err = reaches(s, &on_file, &ok, &ad)) == SK_OK &&
        !ok)
        sk_diag_set(&ad, SK_C_AUDIT_ANCHOR, "anchor",
                    "the %s chain does not reach its anchor %s (%lld rows up to id %lld): rows "
                    "were removed or replaced; run `shikaku audit verify`",
                    s->chain, s->anchor_path, (long long)on_file.rows, (long long)on_file.last_id);
    if (ad.err == SK_ERR_CRYPTO) { /* forged, or the chain falls short of it (health) */
        s->anchor_broken = true;
        s->anchor_diag = ad;
    }
    return SK_OK;
}

void sk_anchor_deinit(sk_store *s)
{
    if (s->anchor_fd >= 0) {
        if (s->anchor_dirty && fdatasync(s->anchor_fd) != 0)
            SK_ERROR("cannot sync the anchor %s: %s", s->anchor_path, strerror(errno));
        close(s->anchor_fd);
    }
    s->anchor_fd = -1;
    pthread_mutex_destroy(&s->amu);
}

void sk_anchor_advance(sk_store *s, const sk_audit_head *h)
{
    pthread_mutex_lock(&s->amu);
    s->head_durable = *h;
    s->head_durable_known = true;
    if (!s->anchor_on || s->anchor_broken) {
        pthread_mutex_unlock(&s->amu);
        return;
    }
    sk_diag d;
    sk_diag_clear(&d);
    int64_t now = sk_monotonic_ns();
    bool sync = now - s->anchor_synced_ns >= (int64_t)SK_ANCHOR_SYNC_MS * 1000000;
    sk_err err =
        sk_anchor_write_file(s->anchor_path, s->chain, s->anchor_key, h, sync, &s->anchor_fd, &d);
    if (!err && sync) {
        s->anchor_synced_ns = now;
        s->anchor_dirty = false;
    } else if (!err) {
        s->anchor_dirty = true;
    }
    if (err) {
        uint64_t held = 0;
        if (err == SK_ERR_CRYPTO) { /* forged meanwhile: kept as evidence */
            s->anchor_broken = true;
            s->anchor_diag = d;
        } else {
            s->fault = err;
            s->fault_diag = d;
            s->fault_ns = sk_monotonic_ns();
        }
        if (sk_log_limit_ok(&s->anchor_log, 10000, &held))
            SK_ERROR("audit anchor not advanced to row %lld: %s %s (%llu more held back)",
                     (long long)h->last_id, sk_code_name(d.code), d.message,
                     (unsigned long long)held);
    }
    pthread_mutex_unlock(&s->amu);
}

typedef struct reach_ctx {
    const sk_audit_head *h;
    bool seen, same;
} reach_ctx;

static sk_err reach_row(void *ctx, const sk_audit_rec *r)
{
    reach_ctx *c = ctx;
    if (r->id == c->h->last_id) {
        c->seen = true;
        c->same = sk_ct_equal(r->hash, c->h->hash, SK_SHA256_BYTES);
    }
    return SK_OK;
}

static sk_err reaches(sk_store *s, const sk_audit_head *h, bool *ok, sk_diag *d)
{
    sk_tx *tx = NULL;
    reach_ctx c = {.h = h};
    sk_err err = sk_store_begin_read(s, &tx, d);
    if (err)
        return err;
    err = s->ops.audit_list_page(&tx->q, NULL, h->last_id - 1, 1, reach_row, &c, d);
    sk_tx_rollback(tx);
    *ok = c.seen && c.same;
    return err;
}

sk_err sk_store_audit_head(sk_store *s, sk_audit_head *out, sk_diag *d)
{
    pthread_mutex_lock(&s->amu);
    bool known = s->head_durable_known;
    if (known)
        *out = s->head_durable;
    pthread_mutex_unlock(&s->amu);
    if (known)
        return SK_OK;
    sk_tx *tx = NULL;
    memset(out, 0, sizeof(*out));
    sk_err err = sk_store_begin_read(s, &tx, d);
    if (!err) {
        err = sk_anchor_head_of(tx, out, d);
        sk_tx_rollback(tx);
    }
    return err;
}

sk_err sk_store_health(sk_store *s, sk_diag *d)
{
    pthread_mutex_lock(&s->gmu);
    sk_err err = s->sync_err;
    if (err && d)
        *d = s->sync_diag;
    pthread_mutex_unlock(&s->gmu);
    if (err)
        return err;
    if (s->drv->writable && (err = s->drv->writable(s->db, true, d)))
        return err;
    pthread_mutex_lock(&s->amu);
    if (s->anchor_broken) {
        err = s->anchor_diag.err;
        if (d)
            *d = s->anchor_diag;
    } else if (s->fault && sk_monotonic_ns() - s->fault_ns < FAULT_NS) {
        err = s->fault;
        if (d)
            *d = s->fault_diag;
    }
    pthread_mutex_unlock(&s->amu);
    return err;
}
