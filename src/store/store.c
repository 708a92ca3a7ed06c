/* store.c — the generic store: driver selection, transactions (first error wins), My Number
 * sealing and blind index, the audit hash chain. */
#include "store/store.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_driver.h"
#include "util/log.h"

static const sk_store_driver *const drivers[] = {&sk_store_sqlite_driver, NULL};
static const char *const driver_names[] = {"sqlite", NULL};

#define GROUP_MAX 256 /* jobs per transaction */

struct sk_store {
    const sk_store_driver *drv;
    void *db;
    sk_keyring keys;
    /* group commit: queued jobs, and whether a caller is running a batch now */
    pthread_mutex_t gmu;
    sk_store_job *head, *tail;
    bool leading;
    /* durability of batches (drivers with a deferred sync): batches committed and made
     * durable so far, whether a sync runs now, and the sync failure that stops all writes */
    pthread_cond_t synccv;
    uint64_t committed, synced;
    bool syncing;
    sk_err sync_err;
    sk_diag sync_diag;
    /* insurer rows: never changed once added (the store has no update for them), read on every
     * eligibility answer; kept here once a read-only transaction has seen them committed.
     * Read without a lock (every look-up of every thread): an entry is written before icn
     * counts it (release) and never changes after; icmu orders the writers only. */
    pthread_mutex_t icmu;
    sk_insurer_rec icache[32];
    _Atomic size_t icn;
};

struct sk_tx {
    sk_store *s;
    void *h;
    bool read_only;
    sk_err err;
    sk_diag diag;
    /* the audit chain's last hash as this transaction left it: a batch of rows reads it once
     * (forgotten when a savepoint is rolled back, which may remove rows) */
    bool head_known;
    uint8_t head[SK_SHA256_BYTES];
};

const char *const *sk_store_drivers(void)
{
    return driver_names;
}

static const sk_store_driver *find_driver(const char *name)
{
    if (!name || !*name)
        name = "sqlite";
    for (size_t i = 0; drivers[i]; i++)
        if (strcmp(drivers[i]->name, name) == 0)
            return drivers[i];
    return NULL;
}

static void key_path(const sk_store_options *opt, char *out, size_t n)
{
    if (opt->key_file && *opt->key_file)
        snprintf(out, n, "%s", opt->key_file);
    else
        snprintf(out, n, "%s.key", opt->path);
}

int sk_store_schema_latest(const char *driver)
{
    const sk_store_driver *drv = find_driver(driver);
    return drv ? drv->latest_version : 0;
}

sk_err sk_store_create(const sk_store_options *opt, sk_diag *d)
{
    const sk_store_driver *drv = find_driver(opt->driver);
    char kp[4096];
    if (!drv)
        return sk_diag_set(d, SK_C_CONFIG_VALUE, "driver", "unknown store driver");
    if (!opt->path || !*opt->path)
        return sk_diag_set(d, SK_C_REQUIRED, "db", "a database path is required");
    key_path(opt, kp, sizeof(kp));
    sk_err err = sk_keyring_create_file(kp, d);
    if (err)
        return err;
    err = drv->create(opt, d);
    if (err) {
        remove(kp); /* do not leave a key without its database */
        return err;
    }
    return SK_OK;
}

bool sk_store_lookup_log_path(const char *db, char *out, size_t n)
{
    int k = snprintf(out, n, "%s.lookups", db);
    return k > 0 && (size_t)k < n;
}

sk_err sk_store_open(const sk_store_options *opt, sk_store **out, sk_diag *d)
{
    const sk_store_driver *drv = find_driver(opt->driver);
    char kp[4096];
    if (!drv)
        return sk_diag_set(d, SK_C_CONFIG_VALUE, "driver", "unknown store driver");
    sk_store *s = calloc(1, sizeof(*s));
    if (!s)
        return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    s->drv = drv;
    sk_err err = SK_OK;
    if (opt->kind == SK_STORE_REGISTRY) { /* the look-up log holds nothing sealed */
        key_path(opt, kp, sizeof(kp));
        err = sk_keyring_load_file(kp, &s->keys, d);
        if (err)
            goto fail;
    }
    err = drv->open(opt, &s->db, d);
    if (err)
        goto fail;
    pthread_mutex_init(&s->gmu, NULL);
    pthread_mutex_init(&s->icmu, NULL);
    pthread_cond_init(&s->synccv, NULL);
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
    tx->read_only = !write;
    sk_err err = s->drv->begin(s->db, write, &tx->h, d);
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
    if (err) {
        if (d)
            *d = tx->diag;
        tx->s->drv->rollback(tx->h);
    } else {
        err = tx->s->drv->commit(tx->h, d);
    }
    free(tx);
    return err;
}

void sk_tx_rollback(sk_tx *tx)
{
    if (!tx)
        return;
    tx->s->drv->rollback(tx->h);
    free(tx);
}

sk_err sk_tx_error(const sk_tx *tx)
{
    return tx->err;
}

/* ---- group commit ----
 * Leader/follower: a caller that finds no batch running takes every queued job (its own
 * included), runs them in one transaction — each in a savepoint so one failure undoes only
 * that job — and commits once; the others wait and are woken with their results. While a
 * batch commits, new callers queue up for the next one.
 * With a driver whose writer commits are not durable by themselves (drv->sync), the leader
 * hands the writer to the next leader as soon as its COMMIT returns and then waits for a
 * sync that covers its batch: one fdatasync serves every batch committed before it started,
 * and the next batch's work overlaps this one's disk flush. Results are handed out only
 * after that, so a 2xx still means durable. A failed sync fails its batches and every later
 * write (the log's state on disk is then unknown: restart, and SQLite recovers). */

static void fail_batch(sk_store_job *b, sk_err err, const sk_diag *d)
{
    for (sk_store_job *j = b; j; j = j->next_) {
        if (!j->err) {
            j->err = err;
            j->diag = *d;
        }
    }
}

/* Runs a batch in one transaction; true when it committed (its results may still wait for
 * the sync). */
static bool run_batch(sk_store *s, sk_store_job *batch)
{
    sk_diag d;
    sk_diag_clear(&d);
    sk_tx *tx = calloc(1, sizeof(*tx));
    sk_err err = tx ? s->drv->begin_writer(s->db, &tx->h, &d)
                    : sk_diag_set(&d, SK_C_NOMEM, "", "out of memory");
    if (err) {
        free(tx);
        fail_batch(batch, err, &d);
        return false;
    }
    tx->s = s;
    for (sk_store_job *j = batch; j; j = j->next_) {
        sk_diag_clear(&j->diag);
        if ((err = s->drv->savepoint(tx->h, &d)))
            break;
        sk_err e = j->fn(tx, j->ctx, &j->diag);
        if (!e && tx->err) {
            e = tx->err;
            j->diag = tx->diag;
        }
        if (e && !j->diag.err)
            sk_diag_set(&j->diag, SK_C_INTERNAL, "", "job failed: %s", sk_strerror(e));
        j->err = e;
        tx->err = SK_OK;
        if (e)
            tx->head_known = false;
        if ((err = s->drv->release(tx->h, e != SK_OK, &d)))
            break;
    }
    if (err) {
        for (sk_store_job *j = batch; j; j = j->next_)
            j->err = SK_OK; /* every job's writes are lost with the transaction */
        fail_batch(batch, err, &d);
        sk_tx_rollback(tx);
        return false;
    }
    err = sk_tx_commit(tx, &d);
    if (err) {
        for (sk_store_job *j = batch; j; j = j->next_)
            if (!j->err) {
                j->err = err;
                j->diag = d;
            }
        return false;
    }
    return true;
}

/* Called with gmu held after batch number `seq` committed: returns once a sync started after
 * that commit has finished (running it when none is under way), or the sync failure. */
static sk_err wait_durable(sk_store *s, uint64_t seq, sk_diag *d)
{
    while (s->synced < seq && !s->sync_err) {
        if (s->syncing) {
            pthread_cond_wait(&s->synccv, &s->gmu);
            continue;
        }
        s->syncing = true;
        uint64_t upto = s->committed;
        pthread_mutex_unlock(&s->gmu);
        sk_diag sd;
        sk_diag_clear(&sd);
        sk_err err = s->drv->sync(s->db, &sd);
        pthread_mutex_lock(&s->gmu);
        s->syncing = false;
        if (err) {
            SK_ERROR("write-ahead log sync failed, refusing further writes: %s", sd.message);
            s->sync_err = err;
            s->sync_diag = sd;
        } else {
            s->synced = upto;
        }
        pthread_cond_broadcast(&s->synccv);
    }
    if (s->sync_err) {
        *d = s->sync_diag;
        return s->sync_err;
    }
    return SK_OK;
}

/* Each caller sleeps on its own condition variable, woken only when its jobs are done or
 * when it is next in line to lead (no thundering herd on a shared one). */
typedef struct waiter {
    pthread_cond_t cv;
} waiter;

static void wake(sk_store_job *j)
{
    if (j && j->waiter_)
        pthread_cond_signal(&((waiter *)j->waiter_)->cv);
}

void sk_store_run_many(sk_store *s, sk_store_job *jobs, size_t n)
{
    if (!n)
        return;
    waiter me;
    pthread_cond_init(&me.cv, NULL);
    pthread_mutex_lock(&s->gmu);
    for (size_t i = 0; i < n; i++) {
        jobs[i].err = SK_OK;
        jobs[i].done_ = false;
        jobs[i].next_ = NULL;
        jobs[i].waiter_ = &me;
        if (s->tail)
            s->tail->next_ = &jobs[i];
        else
            s->head = &jobs[i];
        s->tail = &jobs[i];
    }
    size_t next_undone = 0;
    for (;;) {
        while (next_undone < n && jobs[next_undone].done_)
            next_undone++;
        if (next_undone == n)
            break;
        /* a job of ours not done is queued, in the running batch, or in a committed batch
         * waiting for its sync; only queued work calls for a leader */
        if (s->leading || !s->head) {
            pthread_cond_wait(&me.cv, &s->gmu);
            continue;
        }
        s->leading = true;
        sk_store_job *batch = s->head, *last = batch;
        for (int k = 1; k < GROUP_MAX && last->next_; k++)
            last = last->next_;
        s->head = last->next_;
        if (!s->head)
            s->tail = NULL;
        last->next_ = NULL;
        bool committed = false;
        if (s->sync_err) {
            fail_batch(batch, s->sync_err, &s->sync_diag);
        } else {
            pthread_mutex_unlock(&s->gmu);
            committed = run_batch(s, batch);
            pthread_mutex_lock(&s->gmu);
        }
        uint64_t seq = committed ? ++s->committed : 0;
        s->leading = false;
        wake(s->head); /* the next in line leads the next batch (while this one syncs) */
        if (committed && s->drv->sync) {
            sk_diag sd;
            sk_err err = wait_durable(s, seq, &sd);
            if (err)
                for (sk_store_job *j = batch; j; j = j->next_)
                    if (!j->err) {
                        j->err = err; /* committed, but not known to be on disk */
                        j->diag = sd;
                    }
        }
        /* a job's owner may free it as soon as it is done and the lock is released: read
         * next_ first, and wake owners only after marking (they wait for this lock) */
        for (sk_store_job *j = batch, *nx; j; j = nx) {
            nx = j->next_;
            j->done_ = true;
            if (j->waiter_ != &me)
                wake(j);
        }
    }
    pthread_mutex_unlock(&s->gmu);
    pthread_cond_destroy(&me.cv);
}

sk_err sk_store_run(sk_store *s, sk_store_job_fn fn, void *ctx, sk_diag *d)
{
    sk_store_job j = {.fn = fn, .ctx = ctx};
    sk_store_run_many(s, &j, 1);
    if (d && j.err)
        *d = j.diag;
    return j.err;
}

/* Records a failure as the transaction's first error; NOTFOUND is an answer, not a failure. */
static sk_err track(sk_tx *tx, sk_err err, const sk_diag *local, sk_diag *d)
{
    if (d && err)
        *d = *local;
    if (err && err != SK_ERR_NOTFOUND && !tx->err) {
        tx->err = err;
        tx->diag = *local;
    }
    return err;
}

/* Runs a driver call with the first-error rule. */
#define TX_CALL(tx, d, call)                                                                       \
    do {                                                                                           \
        if ((tx)->err) {                                                                           \
            if (d)                                                                                 \
                *(d) = (tx)->diag;                                                                 \
            return (tx)->err;                                                                      \
        }                                                                                          \
        sk_diag local_;                                                                            \
        sk_diag_clear(&local_);                                                                    \
        sk_err e_ = (call);                                                                        \
        return track((tx), e_, &local_, (d));                                                      \
    } while (0)

#define DRV(tx) ((tx)->s->drv)

sk_err sk_store_insurer_add(sk_tx *tx, const sk_insurer_rec *r, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->insurer_add(tx->h, r, &local_));
}

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
    sk_err err = s->drv->insurer_get(tx->h, number, out, d);
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
    TX_CALL(tx, d, insurer_get(tx, number, out, &local_));
}

sk_err sk_store_insurer_list(sk_tx *tx, sk_insurer_cb cb, void *ctx, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->insurer_list(tx->h, cb, ctx, &local_));
}

sk_err sk_store_employer_add(sk_tx *tx, sk_employer_rec *r, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->employer_add(tx->h, r, &local_));
}

sk_err sk_store_employer_get(sk_tx *tx, int64_t id, sk_employer_rec *out, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->employer_get(tx->h, id, out, &local_));
}

/* ---- My Number sealing ---- */

#define AAD_PREFIX "shikaku/mynumber/v1/"

static sk_err blind_index(const sk_keyring *k, const sk_mynumber *n, uint8_t out[SK_SHA256_BYTES])
{
    return sk_hmac_sha256(k->mac, SK_KEY_BYTES, n->digits, SK_MYNUMBER_LEN, out);
}

static void aad_for(const char *pid, char *aad, size_t *len)
{
    size_t pl = strlen(AAD_PREFIX);
    memcpy(aad, AAD_PREFIX, pl);
    memcpy(aad + pl, pid, SK_PID_LEN);
    *len = pl + SK_PID_LEN;
}

static sk_err seal_mynumber(const sk_keyring *k, const char *pid, const sk_mynumber *n,
                            sk_sealed_mynumber *out, sk_diag *d)
{
    char aad[64];
    size_t aadlen;
    aad_for(pid, aad, &aadlen);
    memset(out, 0, sizeof(*out));
    if (sk_seal(k, aad, aadlen, n->digits, SK_MYNUMBER_LEN, out->ct, sizeof(out->ct),
                &out->ct_len) != SK_OK ||
        blind_index(k, n, out->idx) != SK_OK)
        return sk_diag_set(d, SK_C_CRYPTO, "mynumber", "could not seal the My Number");
    out->present = true;
    return SK_OK;
}

static sk_err unseal_into(const sk_keyring *k, sk_person_rec *p, const sk_sealed_mynumber *mn,
                          sk_diag *d)
{
    char aad[64];
    size_t aadlen, outlen = 0;
    memset(&p->mynumber, 0, sizeof(p->mynumber));
    if (!mn->present)
        return SK_OK;
    aad_for(p->pid, aad, &aadlen);
    if (sk_unseal(k, aad, aadlen, mn->ct, mn->ct_len, p->mynumber.digits, SK_MYNUMBER_LEN,
                  &outlen) != SK_OK ||
        outlen != SK_MYNUMBER_LEN) {
        sk_mynumber_wipe(&p->mynumber);
        SK_ERROR("person %s: stored My Number failed authentication", p->pid);
        return sk_diag_set(d, SK_C_CRYPTO, "mynumber",
                           "stored My Number could not be decrypted (wrong key file or "
                           "tampered row)");
    }
    return SK_OK;
}

static sk_err person_add(sk_tx *tx, sk_person_rec *r, sk_diag *d)
{
    uint8_t rnd[SK_PID_LEN / 2];
    sk_sealed_mynumber mn = {0};
    if (sk_random_bytes(rnd, sizeof(rnd)) != SK_OK)
        return sk_diag_set(d, SK_C_INTERNAL, "", "no random bytes available");
    sk_hex_encode(rnd, sizeof(rnd), r->pid);
    if (r->has_mynumber) {
        sk_err err = seal_mynumber(&tx->s->keys, r->pid, &r->mynumber, &mn, d);
        if (err)
            return err;
    }
    return DRV(tx)->person_add(tx->h, r, &mn, d);
}

sk_err sk_store_person_add(sk_tx *tx, sk_person_rec *r, sk_diag *d)
{
    TX_CALL(tx, d, person_add(tx, r, &local_));
}

static sk_err person_get(sk_tx *tx, int64_t id, const char *pid, bool with_mynumber,
                         sk_person_rec *out, sk_diag *d)
{
    sk_sealed_mynumber mn;
    memset(&mn, 0, sizeof(mn));
    sk_err err = DRV(tx)->person_get(tx->h, id, pid, out, &mn, d);
    if (err)
        return err;
    out->has_mynumber = mn.present;
    return with_mynumber ? unseal_into(&tx->s->keys, out, &mn, d) : SK_OK;
}

sk_err sk_store_person_get(sk_tx *tx, int64_t id, bool with_mynumber, sk_person_rec *out,
                           sk_diag *d)
{
    TX_CALL(tx, d, person_get(tx, id, NULL, with_mynumber, out, &local_));
}

sk_err sk_store_person_get_by_pid(sk_tx *tx, const char *pid, bool with_mynumber,
                                  sk_person_rec *out, sk_diag *d)
{
    TX_CALL(tx, d, person_get(tx, 0, pid, with_mynumber, out, &local_));
}

static sk_err person_next(sk_tx *tx, int64_t after_id, bool with_mynumber, sk_person_rec *out,
                          sk_diag *d)
{
    int64_t id = 0;
    sk_err err = DRV(tx)->person_next_id(tx->h, after_id, &id, d);
    return err ? err : person_get(tx, id, NULL, with_mynumber, out, d);
}

sk_err sk_store_person_next(sk_tx *tx, int64_t after_id, bool with_mynumber, sk_person_rec *out,
                            sk_diag *d)
{
    TX_CALL(tx, d, person_next(tx, after_id, with_mynumber, out, &local_));
}

static sk_err person_find(sk_tx *tx, const sk_mynumber *n, sk_person_rec *out, sk_diag *d)
{
    uint8_t idx[SK_SHA256_BYTES];
    sk_sealed_mynumber mn;
    memset(&mn, 0, sizeof(mn));
    if (blind_index(&tx->s->keys, n, idx) != SK_OK)
        return sk_diag_set(d, SK_C_CRYPTO, "mynumber", "could not index the My Number");
    sk_err err = DRV(tx)->person_find_by_index(tx->h, idx, out, &mn, d);
    if (err)
        return err;
    out->has_mynumber = mn.present;
    /* decrypt and compare: the index is a hash, the sealed value is the truth */
    err = unseal_into(&tx->s->keys, out, &mn, d);
    if (err)
        return err;
    if (!sk_ct_equal(out->mynumber.digits, n->digits, SK_MYNUMBER_LEN)) {
        sk_mynumber_wipe(&out->mynumber);
        return sk_diag_set(d, SK_C_CRYPTO, "mynumber", "blind index and sealed value disagree");
    }
    return SK_OK;
}

sk_err sk_store_person_find_by_mynumber(sk_tx *tx, const sk_mynumber *n, sk_person_rec *out,
                                        sk_diag *d)
{
    TX_CALL(tx, d, person_find(tx, n, out, &local_));
}

sk_err sk_store_person_update(sk_tx *tx, const sk_person_rec *r, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->person_update(tx->h, r, &local_));
}

static sk_err person_set_mynumber(sk_tx *tx, int64_t id, const sk_mynumber *n, int64_t at_ms,
                                  sk_diag *d)
{
    /* the person's public id is the sealing's associated data */
    sk_person_rec p;
    sk_sealed_mynumber mn, current;
    sk_err err = DRV(tx)->person_get(tx->h, id, NULL, &p, &current, d);
    if (err)
        return err;
    err = seal_mynumber(&tx->s->keys, p.pid, n, &mn, d);
    if (err)
        return err;
    return DRV(tx)->person_set_mynumber(tx->h, id, at_ms, &mn, d);
}

sk_err sk_store_person_set_mynumber(sk_tx *tx, int64_t id, const sk_mynumber *n, int64_t at_ms,
                                    sk_diag *d)
{
    TX_CALL(tx, d, person_set_mynumber(tx, id, n, at_ms, &local_));
}

sk_err sk_store_qualification_add(sk_tx *tx, sk_qualification_rec *r, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->qualification_add(tx->h, r, &local_));
}

sk_err sk_store_qualification_get(sk_tx *tx, int64_t id, sk_qualification_rec *out, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->qualification_get(tx->h, id, out, &local_));
}

sk_err sk_store_qualification_update(sk_tx *tx, const sk_qualification_rec *r, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->qualification_update(tx->h, r, &local_));
}

sk_err sk_store_qualification_list_by_person(sk_tx *tx, int64_t person_id, sk_qualification_cb cb,
                                             void *ctx, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->qualification_list_by_person(tx->h, person_id, cb, ctx, &local_));
}

sk_err sk_store_qualification_find_by_key(sk_tx *tx, const char *insurer_number, const char *symbol,
                                          const char *number, const char *branch,
                                          sk_qualification_cb cb, void *ctx, sk_diag *d)
{
    TX_CALL(tx, d,
            DRV(tx)->qualification_find_by_key(tx->h, insurer_number, symbol, number, branch, cb,
                                               ctx, &local_));
}

sk_err sk_store_qualification_list_by_insurer(sk_tx *tx, const char *insurer_number, sk_date as_of,
                                              int64_t after_id, int limit, sk_qualification_cb cb,
                                              void *ctx, sk_diag *d)
{
    TX_CALL(tx, d,
            DRV(tx)->qualification_list_by_insurer(tx->h, insurer_number, as_of, after_id, limit,
                                                   cb, ctx, &local_));
}

sk_err sk_store_counter_next(sk_tx *tx, const char *insurer_number, const char *scope, int64_t *out,
                             sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->counter_next(tx->h, insurer_number, scope, out, &local_));
}

sk_err sk_store_notification_list_by_person(sk_tx *tx, int64_t person_id, const char *state,
                                            sk_arena *a, sk_notification_cb cb, void *ctx,
                                            sk_diag *d)
{
    TX_CALL(tx, d,
            DRV(tx)->notification_list_by_person(tx->h, person_id, state, a, cb, ctx, &local_));
}

sk_err sk_store_notification_add(sk_tx *tx, sk_notification_rec *r, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->notification_add(tx->h, r, &local_));
}

sk_err sk_store_notification_get(sk_tx *tx, int64_t id, sk_arena *a, sk_notification_rec *out,
                                 sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->notification_get(tx->h, id, a, out, &local_));
}

sk_err sk_store_notification_find_idem(sk_tx *tx, const char *submitter, const char *key,
                                       sk_arena *a, sk_notification_rec *out, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->notification_find_idem(tx->h, submitter, key, a, out, &local_));
}

sk_err sk_store_notification_transition(sk_tx *tx, const sk_notification_rec *r, int64_t at_ms,
                                        const char *note, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->notification_transition(tx->h, r, at_ms, note, &local_));
}

sk_err sk_store_notification_events(sk_tx *tx, int64_t id, sk_notification_event_cb cb, void *ctx,
                                    sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->notification_events(tx->h, id, cb, ctx, &local_));
}

sk_err sk_store_notification_count_by_state(sk_tx *tx, sk_state_count_cb cb, void *ctx, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->notification_count_by_state(tx->h, cb, ctx, &local_));
}

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
        sk_err err = DRV(tx)->audit_last(tx->h, &found, r->prev_hash, d);
        if (err)
            return err;
    }
    sk_audit_hash(r, r->hash);
    tx->head_known = false;
    sk_err err = DRV(tx)->audit_insert(tx->h, r, d);
    if (!err) {
        memcpy(tx->head, r->hash, SK_SHA256_BYTES);
        tx->head_known = true;
    }
    return err;
}

sk_err sk_store_audit_append(sk_tx *tx, sk_audit_rec *r, sk_diag *d)
{
    TX_CALL(tx, d, audit_append(tx, r, &local_));
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

sk_err sk_store_audit_list(sk_tx *tx, sk_audit_cb cb, void *ctx, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->audit_scan(tx->h, cb, ctx, &local_));
}

typedef struct verify_state {
    uint8_t prev[SK_SHA256_BYTES];
    int64_t first_bad;
    int64_t rows;
} verify_state;

static sk_err verify_row(void *ctx, const sk_audit_rec *r)
{
    verify_state *v = ctx;
    uint8_t h[SK_SHA256_BYTES];
    v->rows++;
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

sk_err sk_store_audit_verify(sk_store *s, int64_t *first_bad, int64_t *rows, sk_diag *d)
{
    sk_tx *tx;
    verify_state v;
    memset(&v, 0, sizeof(v));
    sk_err err = sk_store_begin_read(s, &tx, d);
    if (err)
        return err;
    err = s->drv->audit_scan(tx->h, verify_row, &v, d);
    sk_tx_rollback(tx);
    if (err)
        return err;
    *first_bad = v.first_bad;
    *rows = v.rows;
    return SK_OK;
}

sk_err sk_store_bulk_add(sk_tx *tx, sk_bulk_rec *r, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->bulk_add(tx->h, r, &local_));
}

sk_err sk_store_bulk_get(sk_tx *tx, const char *reception, sk_arena *a, sk_bulk_rec *out,
                         sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->bulk_get(tx->h, reception, a, out, &local_));
}

sk_err sk_store_bulk_find_idem(sk_tx *tx, const char *institution, const char *key, sk_arena *a,
                               sk_bulk_rec *out, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->bulk_find_idem(tx->h, institution, key, a, out, &local_));
}

sk_err sk_store_bulk_next_pending(sk_tx *tx, sk_arena *a, sk_bulk_rec *out, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->bulk_next_pending(tx->h, a, out, &local_));
}

sk_err sk_store_bulk_finish(sk_tx *tx, int64_t id, const char *result, int64_t done_ms, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->bulk_finish(tx->h, id, result, done_ms, &local_));
}

sk_err sk_store_bulk_purge(sk_tx *tx, int64_t before_ms, int64_t *removed, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->bulk_purge(tx->h, before_ms, removed, &local_));
}

sk_err sk_store_refno_set(sk_tx *tx, const char *institution, int64_t person_id, const char *refno,
                          int64_t now_ms, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->refno_set(tx->h, institution, person_id, refno, now_ms, &local_));
}

sk_err sk_store_eligibility_by_key(sk_tx *tx, const char *insurer_number, const char *symbol,
                                   const char *number, const char *branch, const char *institution,
                                   sk_elig_row_cb cb, void *ctx, sk_diag *d)
{
    TX_CALL(tx, d,
            DRV(tx)->eligibility_by_key(tx->h, insurer_number, symbol, number, branch, institution,
                                        cb, ctx, &local_));
}

sk_err sk_store_disease_cert_add(sk_tx *tx, sk_disease_cert_rec *r, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->disease_cert_add(tx->h, r, &local_));
}

sk_err sk_store_disease_cert_list(sk_tx *tx, int64_t qualification_id, sk_disease_cert_cb cb,
                                  void *ctx, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->disease_cert_list(tx->h, qualification_id, cb, ctx, &local_));
}

sk_err sk_store_identity_check_add(sk_tx *tx, sk_identity_check_rec *r, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->identity_check_add(tx->h, r, &local_));
}

sk_err sk_store_identity_check_last(sk_tx *tx, int64_t person_id, sk_identity_check_rec *out,
                                    sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->identity_check_last(tx->h, person_id, out, &local_));
}

sk_err sk_store_work_item_add(sk_tx *tx, sk_work_item_rec *r, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->work_item_add(tx->h, r, &local_));
}

sk_err sk_store_work_item_get(sk_tx *tx, int64_t id, sk_work_item_rec *out, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->work_item_get(tx->h, id, out, &local_));
}

sk_err sk_store_work_item_resolve(sk_tx *tx, const sk_work_item_rec *r, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->work_item_resolve(tx->h, r, &local_));
}

sk_err sk_store_work_item_list(sk_tx *tx, const sk_work_item_filter *f, sk_work_item_cb cb,
                               void *ctx, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->work_item_list(tx->h, f, cb, ctx, &local_));
}

sk_err sk_store_stop_add(sk_tx *tx, sk_stop_rec *r, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->stop_add(tx->h, r, &local_));
}

sk_err sk_store_stop_close(sk_tx *tx, const sk_stop_rec *r, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->stop_close(tx->h, r, &local_));
}

sk_err sk_store_stop_list(sk_tx *tx, int64_t qualification_id, bool open_only, sk_stop_cb cb,
                          void *ctx, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->stop_list(tx->h, qualification_id, open_only, cb, ctx, &local_));
}

sk_err sk_store_acquisition_seed(sk_tx *tx, int64_t first_delay_ms, int64_t now_ms, int64_t *added,
                                 sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->acquisition_seed(tx->h, first_delay_ms, now_ms, added, &local_));
}

sk_err sk_store_acquisition_due(sk_tx *tx, int64_t now_ms, int limit, sk_acquisition_cb cb,
                                void *ctx, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->acquisition_due(tx->h, now_ms, limit, cb, ctx, &local_));
}

sk_err sk_store_acquisition_settled(sk_tx *tx, int limit, sk_acquisition_cb cb, void *ctx,
                                    sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->acquisition_settled(tx->h, limit, cb, ctx, &local_));
}

sk_err sk_store_acquisition_get(sk_tx *tx, int64_t notification_id, sk_acquisition_rec *out,
                                sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->acquisition_get(tx->h, notification_id, out, &local_));
}

sk_err sk_store_acquisition_update(sk_tx *tx, const sk_acquisition_rec *r, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->acquisition_update(tx->h, r, &local_));
}

sk_err sk_store_principal_add(sk_tx *tx, sk_principal_rec *r, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->principal_add(tx->h, r, &local_));
}

sk_err sk_store_principal_find_by_token_hash(sk_tx *tx, const uint8_t hash[SK_SHA256_BYTES],
                                             sk_principal_rec *out, sk_diag *d)
{
    TX_CALL(tx, d, DRV(tx)->principal_find(tx->h, hash, out, &local_));
}
