/* group_commit.c — many writers' jobs in one transaction and one fsync (sk_store_run). */
#include <stdlib.h>

#include "store/store_int.h"
#include "util/log.h"

#define GROUP_MAX 256 /* jobs per transaction */

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
 * write (the log's state on disk is then unknown: restart, and SQLite recovers).
 * The audit chain's anchor follows the sync that made its rows durable, written by the
 * thread that ran that sync before the batches' callers are answered (audit_anchor.c): one
 * anchor write per sync, whatever the number of batches it covered. Before a batch, the
 * driver is asked whether the database may be written (removed, read-only): a batch it
 * refuses fails whole with the cause, and the cause is the store's fault for readiness. */

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
 * the sync). *head: the chain's head after it, when it appended audit rows (*appended). */
static bool run_batch(sk_store *s, sk_store_job *batch, sk_audit_head *head, bool *appended)
{
    sk_diag d;
    sk_diag_clear(&d);
    *appended = false;
    sk_tx *tx = calloc(1, sizeof(*tx));
    sk_err err = !tx                ? sk_diag_set(&d, SK_C_NOMEM, "", "out of memory")
                 : s->drv->writable ? s->drv->writable(s->db, true, &d)
                                    : SK_OK;
    if (!err)
        err = s->drv->begin_writer(s->db, &tx->q.h, &d);
    if (err) {
        free(tx);
        fail_batch(batch, err, &d);
        return false;
    }
    tx->s = s;
    tx->q.c = s->drv->conn;
    tx->deferred = s->drv->sync != NULL;
    for (sk_store_job *j = batch; j; j = j->next_) {
        sk_diag_clear(&j->diag);
        if ((err = s->drv->savepoint(tx->q.h, &d)))
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
        if ((err = s->drv->release(tx->q.h, e != SK_OK, &d)))
            break;
    }
    if (err) {
        for (sk_store_job *j = batch; j; j = j->next_)
            j->err = SK_OK; /* every job's writes are lost with the transaction */
        fail_batch(batch, err, &d);
        sk_tx_rollback(tx);
        return false;
    }
    if (tx->appended && !tx->err && sk_anchor_head_of(tx, head, NULL) == SK_OK)
        *appended = true;
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
        /* the newest head committed so far: durable with this sync, anchored after it */
        bool anchor = s->head_pending;
        sk_audit_head head = s->head_committed;
        s->head_pending = false;
        pthread_mutex_unlock(&s->gmu);
        sk_diag sd;
        sk_diag_clear(&sd);
        sk_err err = s->drv->sync(s->db, &sd);
        if (!err && anchor)
            sk_anchor_advance(s, &head);
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
        bool committed = false, appended = false;
        sk_audit_head head;
        if (s->sync_err) {
            fail_batch(batch, s->sync_err, &s->sync_diag);
        } else {
            pthread_mutex_unlock(&s->gmu);
            committed = run_batch(s, batch, &head, &appended);
            pthread_mutex_lock(&s->gmu);
        }
        uint64_t seq = committed ? ++s->committed : 0;
        if (committed && appended) {
            s->head_committed = head;
            s->head_seq = seq;
            s->head_pending = true;
        }
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
        } else if (committed && appended) { /* commits durable by themselves */
            s->head_pending = false;
            pthread_mutex_unlock(&s->gmu);
            sk_anchor_advance(s, &head);
            pthread_mutex_lock(&s->gmu);
        }
        /* the cause of a write refused for the database's sake (removed, read-only, full),
         * for readiness; a batch that went through clears it */
        const sk_store_job *io = NULL;
        for (const sk_store_job *j = batch; j && !io; j = j->next_)
            if (j->err && sk_code_err(j->diag.code) == SK_ERR_IO)
                io = j;
        if (io || committed)
            sk_store_fault_note(s, io ? io->diag.err : SK_OK, io ? &io->diag : NULL);
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
