/* store_int.h — private to the generic store (store.c, group_commit.c, seal.c, audit.c): the
 * store and transaction handles, and the first-error rule every operation follows. */
#ifndef SK_STORE_INT_H
#define SK_STORE_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "store/store_driver.h"

struct sk_store {
    const sk_store_driver *drv;
    sk_store_ops ops; /* the SQL layer's operations, with the driver's overrides */
    void *db;
    sk_keyring keys;
    /* group commit (group_commit.c): queued jobs, and whether a caller is running a batch */
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
    sk_sql q; /* the driver's connection calls and its transaction handle */
    bool read_only;
    sk_err err;
    sk_diag diag;
    /* the audit chain's last hash as this transaction left it: a batch of rows reads it once
     * (forgotten when a savepoint is rolled back, which may remove rows) */
    bool head_known;
    uint8_t head[SK_SHA256_BYTES];
};

/* Records a failure as the transaction's first error; NOTFOUND is an answer, not a failure. */
static inline sk_err sk_tx_track(sk_tx *tx, sk_err err, const sk_diag *local, sk_diag *d)
{
    if (d && err)
        *d = *local;
    if (err && err != SK_ERR_NOTFOUND && !tx->err) {
        tx->err = err;
        tx->diag = *local;
    }
    return err;
}

/* Runs an operation with the first-error rule: returns the transaction's first error at once
 * once there is one; `call` reports into local_. */
#define SK_TX_CALL(tx, d, call)                                                                    \
    do {                                                                                           \
        if ((tx)->err) {                                                                           \
            if (d)                                                                                 \
                *(d) = (tx)->diag;                                                                 \
            return (tx)->err;                                                                      \
        }                                                                                          \
        sk_diag local_;                                                                            \
        sk_diag_clear(&local_);                                                                    \
        sk_err e_ = (call);                                                                        \
        return sk_tx_track((tx), e_, &local_, (d));                                                \
    } while (0)

#endif
