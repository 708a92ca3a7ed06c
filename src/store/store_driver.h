/* store_driver.h — the table a storage driver fills in (private to src/store). The generic
 * layer (store.c) owns transactions' first-error rule, My Number sealing and the audit hash
 * chain; a driver stores and fetches rows. Drivers see My Numbers only sealed. */
#ifndef SK_STORE_DRIVER_H
#define SK_STORE_DRIVER_H

#include "store/store.h"

typedef struct sk_sealed_mynumber {
    bool present;
    uint8_t ct[SK_MYNUMBER_LEN + SK_SEAL_OVERHEAD];
    size_t ct_len;
    uint8_t idx[SK_SHA256_BYTES]; /* blind index */
} sk_sealed_mynumber;

typedef struct sk_store_driver {
    const char *name;
    int latest_version;

    sk_err (*create)(const sk_store_options *opt, sk_diag *d);
    sk_err (*open)(const sk_store_options *opt, void **db, sk_diag *d);
    void (*close)(void *db);
    int (*schema_version)(void *db);
    sk_err (*begin)(void *db, bool write, void **txh, sk_diag *d);
    /* a write transaction on the one connection the group commit uses (not thread-bound;
     * the store guarantees a single user at a time) */
    sk_err (*begin_writer)(void *db, void **txh, sk_diag *d);
    /* When set, a commit of begin_writer's transaction is atomic and visible but not yet
     * durable; sync makes every writer commit so far durable (called by one thread at a
     * time, while another batch may be running on the writer). NULL: commits are durable. */
    sk_err (*sync)(void *db, sk_diag *d);
    sk_err (*commit)(void *txh, sk_diag *d);
    void (*rollback)(void *txh);
    /* a nested savepoint inside an open write transaction; release with undo = true rolls
     * back to it first */
    sk_err (*savepoint)(void *txh, sk_diag *d);
    sk_err (*release)(void *txh, bool undo, sk_diag *d);

    sk_err (*insurer_add)(void *txh, const sk_insurer_rec *r, sk_diag *d);
    sk_err (*insurer_get)(void *txh, const char *number, sk_insurer_rec *out, sk_diag *d);
    sk_err (*insurer_list)(void *txh, sk_insurer_cb cb, void *ctx, sk_diag *d);

    sk_err (*employer_add)(void *txh, sk_employer_rec *r, sk_diag *d);
    sk_err (*employer_get)(void *txh, int64_t id, sk_employer_rec *out, sk_diag *d);

    sk_err (*person_add)(void *txh, sk_person_rec *r, const sk_sealed_mynumber *mn, sk_diag *d);
    /* by id when pid is NULL, else by pid */
    sk_err (*person_next_id)(void *txh, int64_t after_id, int64_t *out, sk_diag *d);
    sk_err (*person_get)(void *txh, int64_t id, const char *pid, sk_person_rec *out,
                         sk_sealed_mynumber *mn, sk_diag *d);
    sk_err (*person_find_by_index)(void *txh, const uint8_t idx[SK_SHA256_BYTES],
                                   sk_person_rec *out, sk_sealed_mynumber *mn, sk_diag *d);
    sk_err (*person_update)(void *txh, const sk_person_rec *r, sk_diag *d);
    sk_err (*person_set_mynumber)(void *txh, int64_t id, int64_t at_ms,
                                  const sk_sealed_mynumber *mn, sk_diag *d);

    sk_err (*qualification_add)(void *txh, sk_qualification_rec *r, sk_diag *d);
    sk_err (*qualification_get)(void *txh, int64_t id, sk_qualification_rec *out, sk_diag *d);
    sk_err (*qualification_update)(void *txh, const sk_qualification_rec *r, sk_diag *d);
    sk_err (*qualification_list_by_person)(void *txh, int64_t person_id, sk_qualification_cb cb,
                                           void *ctx, sk_diag *d);
    sk_err (*qualification_find_by_key)(void *txh, const char *insurer, const char *symbol,
                                        const char *number, const char *branch,
                                        sk_qualification_cb cb, void *ctx, sk_diag *d);
    sk_err (*qualification_list_by_insurer)(void *txh, const char *insurer, sk_date as_of,
                                            int64_t after_id, int limit, sk_qualification_cb cb,
                                            void *ctx, sk_diag *d);
    sk_err (*counter_next)(void *txh, const char *insurer, const char *scope, int64_t *out,
                           sk_diag *d);

    sk_err (*notification_add)(void *txh, sk_notification_rec *r, sk_diag *d);
    sk_err (*notification_get)(void *txh, int64_t id, sk_arena *a, sk_notification_rec *out,
                               sk_diag *d);
    sk_err (*notification_find_idem)(void *txh, const char *submitter, const char *key, sk_arena *a,
                                     sk_notification_rec *out, sk_diag *d);
    sk_err (*notification_transition)(void *txh, const sk_notification_rec *r, int64_t at_ms,
                                      const char *note, sk_diag *d);
    sk_err (*notification_list_by_person)(void *txh, int64_t person_id, const char *state,
                                          sk_arena *a, sk_notification_cb cb, void *ctx,
                                          sk_diag *d);
    sk_err (*notification_events)(void *txh, int64_t id, sk_notification_event_cb cb, void *ctx,
                                  sk_diag *d);

    sk_err (*notification_count_by_state)(void *txh, sk_state_count_cb cb, void *ctx, sk_diag *d);

    /* the newest audit row's hash (all zero and *found = false for an empty chain) */
    sk_err (*audit_last)(void *txh, bool *found, uint8_t hash[SK_SHA256_BYTES], sk_diag *d);
    sk_err (*audit_insert)(void *txh, sk_audit_rec *r, sk_diag *d);
    /* every row in id order */
    sk_err (*audit_scan)(void *txh, sk_err (*cb)(void *ctx, const sk_audit_rec *r), void *ctx,
                         sk_diag *d);

    sk_err (*bulk_add)(void *txh, sk_bulk_rec *r, sk_diag *d);
    sk_err (*bulk_get)(void *txh, const char *reception, sk_arena *a, sk_bulk_rec *out, sk_diag *d);
    sk_err (*bulk_find_idem)(void *txh, const char *institution, const char *key, sk_arena *a,
                             sk_bulk_rec *out, sk_diag *d);
    sk_err (*bulk_next_pending)(void *txh, sk_arena *a, sk_bulk_rec *out, sk_diag *d);
    sk_err (*bulk_finish)(void *txh, int64_t id, const char *result, int64_t done_ms, sk_diag *d);
    sk_err (*bulk_purge)(void *txh, int64_t before_ms, int64_t *removed, sk_diag *d);

    sk_err (*refno_set)(void *txh, const char *institution, int64_t person_id, const char *refno,
                        int64_t now_ms, sk_diag *d);
    sk_err (*eligibility_by_key)(void *txh, const char *insurer, const char *symbol,
                                 const char *number, const char *branch, const char *institution,
                                 sk_elig_row_cb cb, void *ctx, sk_diag *d);

    sk_err (*disease_cert_add)(void *txh, sk_disease_cert_rec *r, sk_diag *d);
    sk_err (*disease_cert_list)(void *txh, int64_t qualification_id, sk_disease_cert_cb cb,
                                void *ctx, sk_diag *d);
    sk_err (*identity_check_add)(void *txh, sk_identity_check_rec *r, sk_diag *d);
    sk_err (*identity_check_last)(void *txh, int64_t person_id, sk_identity_check_rec *out,
                                  sk_diag *d);
    sk_err (*work_item_add)(void *txh, sk_work_item_rec *r, sk_diag *d);
    sk_err (*work_item_get)(void *txh, int64_t id, sk_work_item_rec *out, sk_diag *d);
    sk_err (*work_item_resolve)(void *txh, const sk_work_item_rec *r, sk_diag *d);
    sk_err (*work_item_list)(void *txh, const sk_work_item_filter *f, sk_work_item_cb cb, void *ctx,
                             sk_diag *d);
    sk_err (*stop_add)(void *txh, sk_stop_rec *r, sk_diag *d);
    sk_err (*stop_close)(void *txh, const sk_stop_rec *r, sk_diag *d);
    sk_err (*stop_list)(void *txh, int64_t qualification_id, bool open_only, sk_stop_cb cb,
                        void *ctx, sk_diag *d);
    sk_err (*acquisition_seed)(void *txh, int64_t first_delay_ms, int64_t now_ms, int64_t *added,
                               sk_diag *d);
    sk_err (*acquisition_due)(void *txh, int64_t now_ms, int limit, sk_acquisition_cb cb, void *ctx,
                              sk_diag *d);
    sk_err (*acquisition_settled)(void *txh, int limit, sk_acquisition_cb cb, void *ctx,
                                  sk_diag *d);
    sk_err (*acquisition_get)(void *txh, int64_t notification_id, sk_acquisition_rec *out,
                              sk_diag *d);
    sk_err (*acquisition_update)(void *txh, const sk_acquisition_rec *r, sk_diag *d);

    sk_err (*principal_add)(void *txh, sk_principal_rec *r, sk_diag *d);
    sk_err (*principal_find)(void *txh, const uint8_t hash[SK_SHA256_BYTES], sk_principal_rec *out,
                             sk_diag *d);
} sk_store_driver;

extern const sk_store_driver sk_store_sqlite_driver;

#endif
