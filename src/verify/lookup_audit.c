/* lookup_audit.c — every eligibility look-up becomes a row of the hash-chained audit table:
 * rows queue in memory and one thread appends them in batches through the store's group
 * commit, at the latest flush_ms after they were queued (docs/design/verify.md "Audit of
 * look-ups"). By default the answer does not wait for its row; with `durable` it waits until
 * its batch is durable (a look-up starts a batch at once when the writer is idle, as 届出 do).
 * A full queue refuses the look-up rather than answer it unrecorded. A write that fails is
 * retried with a back-off, logged at most once per LOG_EVERY_MS; a stop retries for at most
 * stop_timeout_ms and reports the rows it could not write. The writer also records the
 * log's head in the registry's chain now and then (lookup_log.checkpoint), so that a look-up
 * log removed with its anchor is still missed by `shikaku audit verify`. */
#define _GNU_SOURCE /* pthread_setname_np */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/config.h"
#include "verify/verify.h"

#define BATCH_MAX      4096 /* rows per transaction */
#define BACKOFF_MIN_MS 100  /* after a failed write, doubling */
#define BACKOFF_MAX_MS 8000
#define LOG_EVERY_MS   10000 /* a failure that repeats is logged this often */
#define WAIT_MAX_MS    5000  /* durable: the longest a look-up waits for its row */

/* What a look-up leaves in the queue: the facts, not yet the row's text. The row is written
 * out (masking, digest, formatting) by the writer thread, off the answer's path. */
typedef struct fact {
    int64_t at_ms;
    int64_t queued_ns; /* monotonic, for the writer's lag */
    int64_t principal;
    char scope[sizeof(((sk_principal *)0)->scope)]; /* 医療機関コード */
    sk_verify_query q;
    const char *result; /* a static code */
    unsigned char n;
    char pid[SK_ELIG_MAX_CHOSEN][SK_PID_LEN + 1];
} fact;

/* The queue is a ring that look-ups fill without a lock (every event-loop thread adds to it on
 * every answer, and a mutex there was the daemon's most contended one): a look-up claims the
 * next position by compare-and-swap on `tail`, writes its facts into the slot, then publishes
 * it by setting the slot's `seq` to position + 1. The one writer thread reads published slots
 * in place from `head` on and, once their batch is durable, hands each slot back by setting
 * `seq` to position + ring size, the value the look-up one lap later waits for. */
typedef struct slot {
    _Atomic uint64_t seq;
    fact f;
} slot;

struct sk_lookup_audit {
    sk_store *store;
    sk_clock *clock;
    unsigned flush_ms, stop_timeout_ms, checkpoint_ms;
    size_t max_queue;
    bool durable;
    sk_store *registry; /* checkpoints go there; NULL: none */
    slot *ring;
    uint64_t mask;                      /* ring size - 1 (a power of two ≥ max_queue) */
    _Alignas(64) _Atomic uint64_t tail; /* the next position a look-up claims */
    _Alignas(64) _Atomic uint64_t head; /* the first position not yet durable */
    _Atomic bool kicked;                /* a full batch is waiting and the writer has been woken */
    pthread_mutex_t mu;                 /* the fields below, and the sleep of the writer */
    pthread_cond_t wake, drained;
    bool stopping, writing;
    bool asked; /* sync wants what is queued written now (kept until the writer looks) */
    uint64_t written, failures;
    int64_t lag_ms_last, lag_ms_max;
    _Atomic bool failing; /* the last batch failed: fail is why (mu) */
    sk_diag fail;
    uint64_t lost; /* rows given up on at stop */
    /* the writer's own (no lock) */
    sk_log_limit log_limit;
    uint64_t failed_in_a_row;
    int64_t checkpoint_id, checkpoint_ns; /* the log's head last recorded, and when */
    pthread_t thread;
};

static uint64_t queued(sk_lookup_audit *la)
{
    return atomic_load_explicit(&la->tail, memory_order_acquire) -
           atomic_load_explicit(&la->head, memory_order_acquire);
}

/* Appends s to the bounded text at *at (a row's fields are far below their bounds; a longer
 * one is cut, never overrun). */
static void put(char *buf, size_t size, size_t *at, const char *s)
{
    size_t n = strlen(s);
    if (*at + n >= size)
        n = *at + 1 < size ? size - 1 - *at : 0;
    memcpy(buf + *at, s, n);
    *at += n;
    buf[*at] = '\0';
}

/* The row for one look-up: who, when, what was asked (the number masked, the whole key as a
 * digest an auditor can recompute from a candidate key) and what was answered (validity and
 * the public ids of the persons shown). Written with put(), not printf: the writer formats
 * every look-up of the daemon. */
static void row_of(const fact *f, sk_audit_rec *r)
{
    const sk_verify_query *q = &f->q;
    char num[24], birth[9], on[9], masked[64], keyfmt[256], digest[17];
    uint8_t h[SK_SHA256_BYTES];
    size_t at = 0;
    r->id = 0;
    r->at_ms = f->at_ms;
    snprintf(num, sizeof(num), "%lld", (long long)f->principal);
    put(r->actor, sizeof(r->actor), &at, "principal:");
    put(r->actor, sizeof(r->actor), &at, num);
    at = 0;
    put(r->action, sizeof(r->action), &at, "eligibility.lookup");
    at = 0;
    put(r->object, sizeof(r->object), &at, "institution:");
    put(r->object, sizeof(r->object), &at, f->scope);
    sk_date_format_compact(q->birthdate, birth);
    sk_date_format_compact(q->on, on);
    sk_mask_tail(q->key.number, strlen(q->key.number), 2, masked, sizeof(masked));
    at = 0;
    const char *key[] = {q->insurer.digits, q->key.symbol, q->key.number, q->key.branch, birth};
    for (size_t i = 0; i < 5; i++) {
        if (i)
            put(keyfmt, sizeof(keyfmt), &at, "|");
        put(keyfmt, sizeof(keyfmt), &at, key[i]);
    }
    sk_sha256(keyfmt, at, h);
    sk_hex_encode(h, 8, digest);
    digest[16] = '\0';
    const char *parts[] = {"insurer=",
                           q->insurer.digits,
                           " number=",
                           masked,
                           " branch=",
                           q->key.branch[0] ? q->key.branch : "*",
                           " on=",
                           on,
                           q->limit_consent ? " consent=1" : " consent=0",
                           " key_sha256=",
                           digest,
                           " result=",
                           f->result};
    at = 0;
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
        put(r->detail, sizeof(r->detail), &at, parts[i]);
    for (size_t i = 0; i < f->n; i++) {
        put(r->detail, sizeof(r->detail), &at, i ? "," : " persons=");
        put(r->detail, sizeof(r->detail), &at, f->pid[i]);
    }
}

typedef struct batch {
    sk_lookup_audit *la;
    uint64_t from, n; /* ring positions [from, from + n) */
} batch;

static sk_err append_job(sk_tx *tx, void *ctx, sk_diag *d)
{
    batch *b = ctx;
    sk_audit_rec r;
    for (uint64_t i = 0; i < b->n; i++) {
        row_of(&b->la->ring[(b->from + i) & b->la->mask].f, &r);
        if (sk_store_audit_append(tx, &r, d))
            return sk_tx_error(tx);
    }
    return SK_OK;
}

/* Writes the published rows from head on (at most BATCH_MAX), read in place; they leave the
 * ring only once they are durable. Only this thread moves head. */
static sk_err flush_once(sk_lookup_audit *la, sk_diag *d)
{
    uint64_t from = atomic_load_explicit(&la->head, memory_order_relaxed), k = 0;
    while (k < BATCH_MAX && atomic_load_explicit(&la->ring[(from + k) & la->mask].seq,
                                                 memory_order_acquire) == from + k + 1)
        k++;
    if (!k)
        return SK_OK;
    pthread_mutex_lock(&la->mu);
    la->writing = true;
    pthread_mutex_unlock(&la->mu);
    batch b = {.la = la, .from = from, .n = k};
    int64_t oldest_ns =
        la->ring[from & la->mask].f.queued_ns; /* the slot is ours until handed back */
    sk_err err = sk_store_run(la->store, append_job, &b, d);
    int64_t lag_ms = (sk_monotonic_ns() - oldest_ns) / 1000000;
    if (!err) {
        for (uint64_t i = 0; i < k; i++)
            atomic_store_explicit(&la->ring[(from + i) & la->mask].seq, from + i + la->mask + 1,
                                  memory_order_release);
        atomic_store_explicit(&la->head, from + k, memory_order_release);
    }
    pthread_mutex_lock(&la->mu);
    la->writing = false;
    if (!err) {
        la->written += k;
        la->lag_ms_last = lag_ms;
        if (lag_ms > la->lag_ms_max)
            la->lag_ms_max = lag_ms;
        atomic_store(&la->failing, false);
    } else {
        la->failures++;
        la->fail = *d;
        atomic_store(&la->failing, true);
    }
    pthread_cond_broadcast(&la->drained);
    pthread_mutex_unlock(&la->mu);
    return err;
}

/* ---- checkpoints of the log's head in the registry's chain ---- */

typedef struct checkpoint {
    sk_lookup_audit *la;
    sk_audit_head h;
} checkpoint;

static sk_err checkpoint_job(sk_tx *tx, void *ctx, sk_diag *d)
{
    const checkpoint *c = ctx;
    char hash[2 * SK_SHA256_BYTES + 1];
    sk_hex_encode(c->h.hash, SK_SHA256_BYTES, hash);
    return sk_store_audit_add(tx, sk_clock_now_ms(c->la->clock), "system", SK_LOOKUP_LOG_CHECKPOINT,
                              "lookup_log", d, "rows=%lld last_id=%lld hash=%s",
                              (long long)c->h.rows, (long long)c->h.last_id, hash);
}

/* "rows=N last_id=N hash=HEX", as checkpoint_job writes it */
static bool parse_checkpoint(const char *detail, sk_audit_head *h)
{
    const char *p = detail, *e;
    long long v;
    if (strncmp(p, "rows=", 5) != 0 || !(e = strchr(p += 5, ' ')) ||
        sk_parse_ll(p, (size_t)(e - p), 0, INT64_MAX, &v))
        return false;
    h->rows = v;
    p = e + 1;
    if (strncmp(p, "last_id=", 8) != 0 || !(e = strchr(p += 8, ' ')) ||
        sk_parse_ll(p, (size_t)(e - p), 0, INT64_MAX, &v))
        return false;
    h->last_id = v;
    p = e + 1;
    return strncmp(p, "hash=", 5) == 0 && strlen(p + 5) == 2 * SK_SHA256_BYTES &&
           sk_hex_decode(p + 5, 2 * SK_SHA256_BYTES, h->hash, SK_SHA256_BYTES) == SK_OK;
}

typedef struct cp_scan {
    int64_t last_row;
    bool found;
    int64_t at_ms;
    sk_audit_head h;
} cp_scan;

static sk_err checkpoint_row(void *ctx, const sk_audit_rec *r)
{
    cp_scan *c = ctx;
    c->last_row = r->id;
    sk_audit_head h;
    if (parse_checkpoint(r->detail, &h) && (!c->found || h.last_id >= c->h.last_id)) {
        c->found = true;
        c->h = h;
        c->at_ms = r->at_ms;
    }
    return SK_OK;
}

sk_err sk_lookup_log_last_checkpoint(sk_store *registry, bool *found, sk_audit_head *out,
                                     int64_t *at_ms, sk_diag *d)
{
    cp_scan c = {0};
    for (;;) { /* a page per read transaction */
        int64_t before = c.last_row;
        sk_tx *tx = NULL;
        sk_err err = sk_store_begin_read(registry, &tx, d);
        if (!err)
            err = sk_store_audit_list_page(tx, SK_LOOKUP_LOG_CHECKPOINT, c.last_row, 1000,
                                           checkpoint_row, &c, d);
        sk_tx_rollback(tx);
        if (err)
            return err;
        if (c.last_row == before)
            break;
    }
    *found = c.found;
    *out = c.h;
    *at_ms = c.at_ms;
    return SK_OK;
}

/* Records the log's durable head in the registry when it moved since the last record. */
static void record_checkpoint(sk_lookup_audit *la)
{
    checkpoint c = {.la = la};
    sk_diag d;
    sk_diag_clear(&d);
    la->checkpoint_ns = sk_monotonic_ns();
    if (!la->registry || sk_store_audit_head(la->store, &c.h, &d) ||
        c.h.last_id == la->checkpoint_id)
        return;
    if (sk_store_run(la->registry, checkpoint_job, &c, &d) == SK_OK) {
        la->checkpoint_id = c.h.last_id;
        return;
    }
    uint64_t held = 0;
    if (sk_log_limit_ok(&la->log_limit, LOG_EVERY_MS, &held))
        SK_ERROR("lookup audit: the log's head (row %lld) not recorded in the registry: %s %s",
                 (long long)c.h.last_id, sk_code_name(d.code), d.message);
}

/* ---- the writer ---- */

/* Sleeps until the deadline (monotonic ns) or, when wakeable, until woken; mu held. */
static void sleep_until(sk_lookup_audit *la, int64_t until_ns)
{
    struct timespec now, ts;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t left = until_ns - sk_monotonic_ns();
    if (left <= 0)
        return;
    int64_t ns = (int64_t)now.tv_nsec + left % 1000000000LL;
    ts.tv_sec = now.tv_sec + (time_t)(left / 1000000000LL) + (time_t)(ns / 1000000000LL);
    ts.tv_nsec = (long)(ns % 1000000000LL);
    pthread_cond_timedwait(&la->wake, &la->mu, &ts);
}

/* After a failed write: one line now and then, not one per attempt. */
static void note_failure(sk_lookup_audit *la, const sk_diag *d, bool stopping)
{
    uint64_t held = 0;
    la->failed_in_a_row++;
    if (sk_log_limit_ok(&la->log_limit, LOG_EVERY_MS, &held))
        SK_ERROR("lookup audit: %llu row(s) not written%s: %s %s (attempt %llu; retried with a "
                 "back-off, logged every %d s)",
                 (unsigned long long)queued(la), stopping ? " (stopping)" : "",
                 sk_code_name(d->code), d->message, (unsigned long long)la->failed_in_a_row,
                 LOG_EVERY_MS / 1000);
}

static void *flusher(void *arg)
{
    sk_lookup_audit *la = arg;
    pthread_setname_np(pthread_self(), "sk-audit"); /* shown by top -H, perf, gdb */
    unsigned backoff_ms = 0;
    int64_t stop_by = 0; /* monotonic: a stop gives up on failing rows then */
    for (;;) {
        pthread_mutex_lock(&la->mu);
        /* a look-up that kicks from now on wakes us (an exchange: what it queued before its
         * kick is then seen by queued() below) */
        atomic_exchange(&la->kicked, false);
        if (backoff_ms) {
            /* after a failure nothing but a stop cuts the back-off short (look-ups keep
             * kicking): a failing disk is not asked again at the rate of the traffic */
            int64_t until = sk_monotonic_ns() + (int64_t)backoff_ms * 1000000;
            if (stop_by && until > stop_by)
                until = stop_by;
            bool was_stopping = la->stopping;
            while (sk_monotonic_ns() < until && la->stopping == was_stopping)
                sleep_until(la, until);
        } else if (!la->stopping && !la->asked &&
                   (la->durable ? queued(la) == 0 : queued(la) < BATCH_MAX)) {
            sleep_until(la, sk_monotonic_ns() + (int64_t)la->flush_ms * 1000000);
        }
        bool stop = la->stopping;
        la->asked = false;
        pthread_mutex_unlock(&la->mu);
        if (stop && !stop_by)
            stop_by = sk_monotonic_ns() + (int64_t)la->stop_timeout_ms * 1000000;
        if (stop && !queued(la))
            break;
        sk_diag d;
        sk_diag_clear(&d);
        if (flush_once(la, &d)) {
            note_failure(la, &d, stop);
            if (stop && sk_monotonic_ns() >= stop_by)
                break; /* bounded: the rows left are reported by sk_lookup_audit_stop */
            backoff_ms = backoff_ms
                             ? (backoff_ms < BACKOFF_MAX_MS / 2 ? backoff_ms * 2 : BACKOFF_MAX_MS)
                             : BACKOFF_MIN_MS;
            continue;
        }
        if (la->failed_in_a_row)
            SK_WARN("lookup audit: rows written again after %llu failed attempt(s)",
                    (unsigned long long)la->failed_in_a_row);
        la->failed_in_a_row = 0;
        backoff_ms = 0;
        if (!stop && la->registry &&
            sk_monotonic_ns() - la->checkpoint_ns >= (int64_t)la->checkpoint_ms * 1000000)
            record_checkpoint(la);
    }
    if (!queued(la))
        record_checkpoint(la); /* the log's final head, in the registry's chain */
    return NULL;
}

sk_err sk_lookup_audit_start(sk_store *s, sk_clock *clock, const sk_lookup_audit_options *opt,
                             sk_lookup_audit **out, sk_diag *d)
{
    *out = NULL;
    sk_lookup_audit *la = calloc(1, sizeof(*la));
    if (!la)
        return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    la->store = s;
    la->clock = clock;
    la->flush_ms = opt && opt->flush_ms ? opt->flush_ms : 200;
    la->max_queue = opt && opt->max_queue ? opt->max_queue : 65536;
    la->durable = opt && opt->durable;
    la->stop_timeout_ms = opt && opt->stop_timeout_ms ? opt->stop_timeout_ms : 5000;
    la->checkpoint_ms = opt && opt->checkpoint_ms ? opt->checkpoint_ms : 60000;
    la->registry = opt ? opt->registry : NULL;
    if (la->registry) { /* only what this process adds is recorded */
        sk_audit_head h;
        sk_diag hd;
        if (sk_store_audit_head(s, &h, &hd) == SK_OK)
            la->checkpoint_id = h.last_id;
        la->checkpoint_ns = sk_monotonic_ns();
    }
    uint64_t size = 1;
    while (size < la->max_queue)
        size <<= 1;
    la->mask = size - 1;
    la->ring = calloc(size, sizeof(*la->ring));
    if (la->ring)
        for (uint64_t i = 0; i < size; i++)
            atomic_init(&la->ring[i].seq, i);
    atomic_init(&la->tail, 0);
    atomic_init(&la->head, 0);
    atomic_init(&la->kicked, false);
    atomic_init(&la->failing, false);
    pthread_mutex_init(&la->mu, NULL);
    pthread_cond_init(&la->wake, NULL);
    pthread_cond_init(&la->drained, NULL);
    if (!la->ring || pthread_create(&la->thread, NULL, flusher, la) != 0) {
        pthread_mutex_destroy(&la->mu);
        pthread_cond_destroy(&la->wake);
        pthread_cond_destroy(&la->drained);
        free(la->ring);
        free(la);
        return sk_diag_set(d, SK_C_NOMEM, "", "cannot start the look-up audit writer");
    }
    *out = la;
    return SK_OK;
}

uint64_t sk_lookup_audit_stop(sk_lookup_audit *la)
{
    if (!la)
        return 0;
    pthread_mutex_lock(&la->mu);
    la->stopping = true;
    pthread_cond_signal(&la->wake);
    pthread_mutex_unlock(&la->mu);
    pthread_join(la->thread, NULL);
    uint64_t left = queued(la);
    if (left)
        SK_ERROR("lookup audit: %llu look-up(s) answered but not recorded: their audit rows could "
                 "not be written before stopping (%s %s)",
                 (unsigned long long)left, sk_code_name(la->fail.code), la->fail.message);
    pthread_mutex_destroy(&la->mu);
    pthread_cond_destroy(&la->wake);
    pthread_cond_destroy(&la->drained);
    free(la->ring);
    free(la);
    return left;
}

sk_err sk_lookup_audit_sync(sk_lookup_audit *la, sk_diag *d)
{
    /* what was queued before the call; a look-up still filling its slot is waited for */
    uint64_t until = atomic_load_explicit(&la->tail, memory_order_acquire);
    pthread_mutex_lock(&la->mu);
    la->asked = true; /* a signal alone is lost if the writer is not waiting yet */
    pthread_cond_signal(&la->wake);
    uint64_t failures = la->failures;
    while ((atomic_load_explicit(&la->head, memory_order_acquire) < until || la->writing) &&
           la->failures == failures)
        pthread_cond_wait(&la->drained, &la->mu);
    bool failed = atomic_load_explicit(&la->head, memory_order_acquire) < until;
    pthread_mutex_unlock(&la->mu);
    return failed ? sk_diag_set(d, SK_C_STORE, "audit", "look-up audit rows are not written yet")
                  : SK_OK;
}

/* Durable answers: waits until the row at pos is durable, its batch failed (the cause), or
 * WAIT_MAX_MS passed (store_busy). */
static sk_err wait_row(sk_lookup_audit *la, uint64_t pos, sk_diag *d)
{
    pthread_mutex_lock(&la->mu);
    uint64_t failures = la->failures;
    int64_t until = sk_monotonic_ns() + (int64_t)WAIT_MAX_MS * 1000000;
    while (atomic_load_explicit(&la->head, memory_order_acquire) <= pos &&
           la->failures == failures && sk_monotonic_ns() < until) {
        struct timespec now, ts;
        clock_gettime(CLOCK_REALTIME, &now);
        int64_t left = until - sk_monotonic_ns(), ns = (int64_t)now.tv_nsec + left % 1000000000LL;
        ts.tv_sec = now.tv_sec + (time_t)(left / 1000000000LL) + (time_t)(ns / 1000000000LL);
        ts.tv_nsec = (long)(ns % 1000000000LL);
        pthread_cond_timedwait(&la->drained, &la->mu, &ts);
    }
    sk_err err = SK_OK;
    if (atomic_load_explicit(&la->head, memory_order_acquire) <= pos) {
        if (la->failures != failures)
            err = sk_diag_set(d, la->fail.code, "audit",
                              "the look-up's audit row could not be written: %s", la->fail.message);
        else
            err = sk_diag_set(d, SK_C_STORE_BUSY, "audit",
                              "the look-up's audit row was not durable within %d ms (retry)",
                              WAIT_MAX_MS);
    }
    pthread_mutex_unlock(&la->mu);
    return err;
}

/* A look-up that cannot be recorded: the writer's failure when it fails (the cause: disk_full,
 * db_read_only, …), else the queue is full because the disk is slow (store_busy). */
static sk_err refused(sk_lookup_audit *la, sk_diag *d)
{
    if (atomic_load(&la->failing)) {
        pthread_mutex_lock(&la->mu);
        sk_diag f = la->fail;
        pthread_mutex_unlock(&la->mu);
        if (f.err)
            return sk_diag_set(d, f.code, "audit",
                               "look-ups are refused: their audit rows cannot be written (%s)",
                               f.message);
    }
    return sk_diag_set(d, SK_C_STORE_BUSY, "",
                       "the look-up audit cannot keep up; look-ups are paused (retry)");
}

sk_err sk_lookup_audit_health(sk_lookup_audit *la, sk_diag *d)
{
    if (atomic_load(&la->failing)) {
        pthread_mutex_lock(&la->mu);
        sk_err err = la->fail.err;
        sk_diag f = la->fail;
        uint64_t n = queued(la);
        pthread_mutex_unlock(&la->mu);
        if (err) {
            sk_diag_set(d, f.code, f.field,
                        "look-up audit rows cannot be written (%llu waiting): %s",
                        (unsigned long long)n, f.message);
            return err;
        }
    }
    return sk_store_health(la->store, d);
}

void sk_lookup_audit_stats_get(sk_lookup_audit *la, sk_lookup_audit_stats *out)
{
    pthread_mutex_lock(&la->mu);
    *out = (sk_lookup_audit_stats){.written = la->written,
                                   .failures = la->failures,
                                   .lag_ms_last = la->lag_ms_last,
                                   .lag_ms_max = la->lag_ms_max};
    pthread_mutex_unlock(&la->mu);
    out->queued = queued(la);
}

sk_err sk_lookup_audit_add(sk_lookup_audit *la, const sk_principal *who, const sk_verify_query *q,
                           const sk_verify_answer *a, sk_diag *d)
{
    int64_t now = sk_clock_now_ms(la->clock);
    if (la->durable && atomic_load_explicit(&la->failing, memory_order_relaxed))
        return refused(la, d); /* its row could not be made durable now: not answered */
    uint64_t pos = atomic_load_explicit(&la->tail, memory_order_relaxed);
    slot *s;
    for (;;) {
        if (pos - atomic_load_explicit(&la->head, memory_order_acquire) >= la->max_queue)
            return refused(la, d);
        s = &la->ring[pos & la->mask];
        uint64_t seq = atomic_load_explicit(&s->seq, memory_order_acquire);
        if (seq == pos) {
            if (atomic_compare_exchange_weak_explicit(&la->tail, &pos, pos + 1,
                                                      memory_order_relaxed, memory_order_relaxed))
                break; /* the slot is ours */
        } else {       /* another look-up took it first (or head moved meanwhile): look again */
            pos = atomic_load_explicit(&la->tail, memory_order_relaxed);
        }
    }
    fact *f = &s->f;
    f->at_ms = now;
    f->queued_ns = sk_monotonic_ns();
    f->principal = who->id;
    size_t scope_n = strnlen(who->scope, sizeof(f->scope) - 1);
    memcpy(f->scope, who->scope, scope_n);
    f->scope[scope_n] = '\0';
    f->q = *q;
    f->result = a->stopped ? "display_stopped" : sk_validity_code(a->validity);
    f->n = (unsigned char)(a->n < SK_ELIG_MAX_CHOSEN ? a->n : SK_ELIG_MAX_CHOSEN);
    for (size_t i = 0; i < f->n; i++)
        memcpy(f->pid[i], a->rec[i].person_pid, sizeof(f->pid[i]));
    atomic_store_explicit(&s->seq, pos + 1, memory_order_release); /* published */
    /* wake the writer: durable, at once (the first look-up since its last look starts the
     * next batch; the others join it); else once a full batch waits */
    if ((la->durable ||
         pos + 1 - atomic_load_explicit(&la->head, memory_order_acquire) >= BATCH_MAX) &&
        !atomic_exchange(&la->kicked, true)) {
        pthread_mutex_lock(&la->mu);
        pthread_cond_signal(&la->wake);
        pthread_mutex_unlock(&la->mu);
    }
    return la->durable ? wait_row(la, pos, d) : SK_OK;
}
