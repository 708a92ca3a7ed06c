/* store_int.h — private to the generic store (store.c, group_commit.c, seal.c, audit.c,
 * audit_anchor.c): the store and transaction handles, and the first-error rule every operation
 * follows. */
#ifndef SK_STORE_INT_H
#define SK_STORE_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "store/store_driver.h"
#include "util/log.h"

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
    /* the audit chain's anchor (audit_anchor.c): on when there is a key to MAC it with */
    bool anchor_on;
    const char *chain; /* "registry" or "lookup_log", in the anchor and its MAC */
    char anchor_path[4096];
    uint8_t anchor_key[SK_SHA256_BYTES];
    pthread_mutex_t amu; /* anchor writes and the fields below */
    int anchor_fd;
    bool anchor_dirty;        /* written since its last fdatasync */
    int64_t anchor_synced_ns; /* monotonic */
    bool anchor_broken;       /* the chain does not reach the anchor on file: never overwritten */
    sk_diag anchor_diag;
    /* the chain's head: as of the last committed batch that appended rows (gmu), and as last
     * made durable (amu) */
    bool head_pending;
    uint64_t head_seq;
    sk_audit_head head_committed;
    bool head_durable_known;
    sk_audit_head head_durable;
    sk_log_limit anchor_log; /* amu */
    /* the last failed write (amu): the cause readiness names for a while (sk_store_health) */
    sk_err fault;
    sk_diag fault_diag;
    int64_t fault_ns;
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
    int64_t head_id;
    bool appended; /* rows were appended (the anchor follows once they are durable) */
    bool deferred; /* the group commit's: its commit is durable only after the driver's sync */
};

/* audit_anchor.c */
/* The anchor's MAC key, from the key file's MAC key. */
sk_err sk_anchor_key(const sk_keyring *k, uint8_t out[SK_SHA256_BYTES]);
/* Reads and verifies the anchor at path (*found false when there is no file). */
sk_err sk_anchor_read_file(const char *path, const char *chain, const uint8_t key[SK_SHA256_BYTES],
                           bool *found, sk_audit_head *out, sk_diag *d);
/* Moves the anchor at path forward to h (creating it; never back, never over one that does
 * not verify), fdatasync'ed when sync; *fdp keeps the descriptor between calls (NULL: opened
 * and closed). */
sk_err sk_anchor_write_file(const char *path, const char *chain, const uint8_t key[SK_SHA256_BYTES],
                            const sk_audit_head *h, bool sync, int *fdp, sk_diag *d);
/* Sets up the anchor of a store being opened (path, key) and checks that the chain reaches
 * the anchor on file (else anchor_broken). */
sk_err sk_anchor_init(sk_store *s, const char *path, sk_diag *d);
void sk_anchor_deinit(sk_store *s);
/* The anchor on file: *found false when there is none; SK_ERR_CRYPTO (audit_anchor) when it
 * does not verify. */
sk_err sk_store_anchor_read(sk_store *s, bool *found, sk_audit_head *out, sk_diag *d);
/* Writes h as the anchor (once it is durable), unless the one on file is newer; a failure
 * is recorded as the store's fault and logged, never returned to the batch. */
void sk_anchor_advance(sk_store *s, const sk_audit_head *h);
/* The head of the chain in an open transaction (after its appends). */
sk_err sk_anchor_head_of(sk_tx *tx, sk_audit_head *out, sk_diag *d);
/* Records a failed write's cause (an SK_ERR_IO or audit_anchor diagnostic), or clears it. */
void sk_store_fault_note(sk_store *s, sk_err err, const sk_diag *d);

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
