/* store_ops.h — THE list of store operations, written once (no include guard: an X-macro list).
 *
 * Each entry generates, wherever this file is included with its own SK_STORE_OP:
 *   - the public function sk_store_<name>(sk_tx *tx, <params>, sk_diag *d) (store.h declares
 *     it, store.c defines it with the transaction's first-error rule);
 *   - a slot in sk_store_ops (store_driver.h), the table the generic store calls, filled with
 *     the SQL layer's implementation (src/store/sql/) unless a driver overrides the slot;
 *   - a statement id SQ_<name> (src/store/sql/sql.h), whose text each dialect gives in its
 *     statement table (src/store/<dialect>/statements.c).
 * SK_STORE_OP_INTERNAL entries are the same without the public function: the generic store
 * wraps them by hand (My Number sealing, the insurer cache, the audit chain).
 *
 * SK_STORE_OP(shape, name, (params), (bind), entity):
 *   GET    bind the `bind` arguments, read one row of `entity` into the last param `out`;
 *          none: SK_ERR_NOTFOUND (with the entity's not-found diagnostic, if it has one)
 *   GETA   the same with an arena param `a` (before `out`) for the entity's variable-size text
 *   LIST   bind, then each row of `entity` to the params `cb` and `ctx`, in the statement's order
 *   LISTA  the same with an arena param `a` (before `cb`)
 *   LIST0  LIST of a statement without parameters (params only cb, ctx; bind ())
 *   EXEC   bind every param, run the statement (a write), expect no row
 *   CUSTOM written by hand as sq_<name> in src/store/sql/ops.c; `bind` is the whole call
 * The generated shapes bind by type (_Generic: int64_t, int, bool, text, sk_date, a 32-byte
 * hash), to ?1, ?2, … in order. Adding an operation of a generated shape touches three places:
 * an entry here, its SQL text per dialect, a test.
 *
 * Every call belongs to a transaction (sk_store_begin / sk_store_begin_read / sk_store_run);
 * a look-up that finds nothing (SK_ERR_NOTFOUND) does not poison it. */

/* ---- insurers ---- */
SK_STORE_OP(CUSTOM, insurer_add, (const sk_insurer_rec *r), (r), insurer)
/* by number (the public sk_store_insurer_get keeps committed rows in a per-store cache) */
SK_STORE_OP_INTERNAL(GET, insurer_get, (const char *number, sk_insurer_rec *out), (number), insurer)
/* every insurer by number */
SK_STORE_OP(LIST0, insurer_list, (sk_insurer_cb cb, void *ctx), (), insurer)

/* ---- employers ---- */
/* sets r->id */
SK_STORE_OP(CUSTOM, employer_add, (sk_employer_rec * r), (r), employer)
SK_STORE_OP(GET, employer_get, (int64_t id, sk_employer_rec *out), (id), employer)

/* ---- persons: the generic store seals and unseals the My Number (store.h) ---- */
SK_STORE_OP_INTERNAL(CUSTOM, person_insert, (sk_person_rec * r, const sk_sealed_mynumber *mn),
                     (r, mn), person)
/* by id when pid is NULL, else by pid; the sealed number into mn */
SK_STORE_OP_INTERNAL(CUSTOM, person_fetch,
                     (int64_t id, const char *pid, sk_person_rec *out, sk_sealed_mynumber *mn),
                     (id, pid, out, mn), person)
SK_STORE_OP_INTERNAL(CUSTOM, person_find_by_index,
                     (const uint8_t idx[SK_SHA256_BYTES], sk_person_rec *out,
                      sk_sealed_mynumber *mn),
                     (idx, out, mn), person)
/* the smallest person id above after_id; SK_ERR_NOTFOUND after the last */
SK_STORE_OP_INTERNAL(CUSTOM, person_next_id, (int64_t after_id, int64_t *out), (after_id, out),
                     person)
SK_STORE_OP_INTERNAL(CUSTOM, person_set_sealed,
                     (int64_t id, int64_t at_ms, const sk_sealed_mynumber *mn), (id, at_ms, mn),
                     person)
/* Replaces the 5情報 (name, kana, birthdate, sex, address, postcode) of r->id. */
SK_STORE_OP(CUSTOM, person_update, (const sk_person_rec *r), (r), person)
/* Persons whose stored name is exactly `name`, by id, after after_id, at most limit (a page:
 * pass the last id seen); the My Number is not read (has_mynumber says whether one is on
 * file). No index serves it: an operator's search (`shikaku person list`), not a request's. */
SK_STORE_OP(LIST, person_list_by_name,
            (const char *name, int64_t after_id, int limit, sk_person_cb cb, void *ctx),
            (name, after_id, limit), person)

/* ---- qualifications (加入者情報) ---- */
/* sets r->id */
SK_STORE_OP(CUSTOM, qualification_add, (sk_qualification_rec * r), (r), qualification)
SK_STORE_OP(GET, qualification_get, (int64_t id, sk_qualification_rec *out), (id), qualification)
/* Replaces the mutable fields: lost_on, loss_reason, ratio_class, limit, registered_ms,
 * display_stopped. */
SK_STORE_OP(CUSTOM, qualification_update, (const sk_qualification_rec *r), (r), qualification)
/* A person's qualifications, oldest acquisition first. */
SK_STORE_OP(LIST, qualification_list_by_person,
            (int64_t person_id, sk_qualification_cb cb, void *ctx), (person_id), qualification)
/* By (保険者番号, 記号, 番号) and, when branch is not NULL, 枝番; exact comparison; oldest
 * acquisition first. */
SK_STORE_OP(CUSTOM, qualification_find_by_key,
            (const char *insurer_number, const char *symbol, const char *number, const char *branch,
             sk_qualification_cb cb, void *ctx),
            (insurer_number, symbol, number, branch, cb, ctx), qualification)
/* Qualifications of an insurer in force on as_of (sk_period_covers: acquired_on <= as_of <
 * lost_on), by id, after after_id, at most limit rows (a page; pass the last id seen). */
SK_STORE_OP(LIST, qualification_list_by_insurer,
            (const char *insurer_number, sk_date as_of, int64_t after_id, int limit,
             sk_qualification_cb cb, void *ctx),
            (insurer_number, as_of, after_id, limit), qualification)

/* ---- counters (記号・番号 numbering) ---- */
/* The next value (1, 2, …) of the insurer's sequence `scope`; part of the transaction, so a
 * rolled-back registration does not use up a number. */
SK_STORE_OP(CUSTOM, counter_next, (const char *insurer_number, const char *scope, int64_t *out),
            (insurer_number, scope, out), counter)

/* ---- notifications (届出) and their state history ---- */
/* Inserts with its first state event; SK_C_DUPLICATE when (submitter, idem_key) exists. */
SK_STORE_OP(CUSTOM, notification_add, (sk_notification_rec * r), (r), notification)
/* payload/errors are copied into arena a. */
SK_STORE_OP(GETA, notification_get, (int64_t id, sk_arena *a, sk_notification_rec *out), (id),
            notification)
SK_STORE_OP(GETA, notification_find_idem,
            (const char *submitter, const char *key, sk_arena *a, sk_notification_rec *out),
            (submitter, key), notification)
/* Moves to a new state at at_ms and records the event; registered_ms/person_id/errors/
 * qualification_id are updated from r as well. */
SK_STORE_OP(CUSTOM, notification_transition,
            (const sk_notification_rec *r, int64_t at_ms, const char *note), (r, at_ms, note),
            notification)
/* A person's notifications in a state, oldest first; payload/errors copied into arena a. */
SK_STORE_OP(LISTA, notification_list_by_person,
            (int64_t person_id, const char *state, sk_arena *a, sk_notification_cb cb, void *ctx),
            (person_id, state), notification)
/* An insurer's notifications in a state, by id, after after_id, at most limit (a page: pass
 * the last id seen); payload/errors copied into arena a. */
SK_STORE_OP(LISTA, notification_list_by_insurer,
            (const char *insurer_number, const char *state, int64_t after_id, int limit,
             sk_arena *a, sk_notification_cb cb, void *ctx),
            (insurer_number, state, after_id, limit), notification)
/* 届出 of an insurer (NULL: of every insurer) in a state (NULL: in any), by id, after
 * after_id, at most limit (a page: pass the last id seen); payload/errors copied into arena a
 * (`shikaku notification list`). */
SK_STORE_OP(LISTA, notification_list_page,
            (const char *insurer_number, const char *state, int64_t after_id, int limit,
             sk_arena *a, sk_notification_cb cb, void *ctx),
            (insurer_number, state, after_id, limit), notification)
/* A notification's state events, oldest first. */
SK_STORE_OP(LIST, notification_events, (int64_t id, sk_notification_event_cb cb, void *ctx), (id),
            notification_event)
/* Number of notifications in each state (for /metrics), one callback per state present. */
SK_STORE_OP(CUSTOM, notification_count_by_state, (sk_state_count_cb cb, void *ctx), (cb, ctx),
            notification)

/* ---- audit (the generic store keeps the hash chain: store.h) ---- */
/* the newest row's id and hash (0, all zero and *found = false for an empty chain) */
SK_STORE_OP_INTERNAL(CUSTOM, audit_last, (bool *found, int64_t *id, uint8_t hash[SK_SHA256_BYTES]),
                     (found, id, hash), audit)
SK_STORE_OP_INTERNAL(CUSTOM, audit_insert, (sk_audit_rec * r), (r), audit)
/* Every audit row in id order (a malformed stored hash reads as a broken link). */
SK_STORE_OP(LIST0, audit_list, (sk_audit_cb cb, void *ctx), (), audit)
/* Audit rows of an action (NULL: of every action), by id, after after_id, at most limit (a
 * page: pass the last id seen) — `shikaku audit list`, on the registry or the look-up log. */
SK_STORE_OP(LIST, audit_list_page,
            (const char *action, int64_t after_id, int limit, sk_audit_cb cb, void *ctx),
            (action, after_id, limit), audit)

/* ---- OQS bulk requests (一括照会) ---- */
/* Inserts a request (result NULL); sets id. SK_C_DUPLICATE if the reception number, or the
 * institution's idempotency key, is taken. */
SK_STORE_OP(CUSTOM, bulk_add, (sk_bulk_rec * r), (r), bulk)
/* By reception number; request/result copied into arena a. */
SK_STORE_OP(GETA, bulk_get, (const char *reception, sk_arena *a, sk_bulk_rec *out), (reception),
            bulk)
/* The institution's request stored under this idempotency key (SK_ERR_NOTFOUND when none). */
SK_STORE_OP(GETA, bulk_find_idem,
            (const char *institution, const char *key, sk_arena *a, sk_bulk_rec *out),
            (institution, key), bulk)
/* The oldest request still without a result (SK_ERR_NOTFOUND when none). */
SK_STORE_OP(CUSTOM, bulk_next_pending, (sk_arena * a, sk_bulk_rec *out), (a, out), bulk)
/* Stores the result of request id (SK_C_STATE when it is not pending). */
SK_STORE_OP(CUSTOM, bulk_finish, (int64_t id, const char *result, int64_t done_ms),
            (id, result, done_ms), bulk)
/* Removes answered requests created before before_ms; *removed = rows removed. */
SK_STORE_OP(CUSTOM, bulk_purge, (int64_t before_ms, int64_t *removed), (before_ms, removed), bulk)

/* ---- 照会番号 (ReferenceNumber): an institution's own number for a person ---- */
/* Sets (or replaces) the number institution uses for person_id; read back with a look-up's
 * rows (eligibility_by_key). */
SK_STORE_OP(EXEC, refno_set,
            (const char *institution, int64_t person_id, const char *refno, int64_t now_ms),
            (institution, person_id, refno, now_ms), reference_numbers)

/* ---- an eligibility look-up's rows in one read ---- */
/* The rows of qualification_find_by_key (same key, same order), each joined with its person
 * (no My Number) and the asking institution's 照会番号 — what sk_verify_lookup needs, in one
 * statement instead of one per row and table. */
SK_STORE_OP(CUSTOM, eligibility_by_key,
            (const char *insurer_number, const char *symbol, const char *number, const char *branch,
             const char *institution, sk_elig_row_cb cb, void *ctx),
            (insurer_number, symbol, number, branch, institution, cb, ctx), qualification)

/* ---- 特定疾病療養受療証 (core/disease.h) ---- */
/* sets r->id */
SK_STORE_OP(CUSTOM, disease_cert_add, (sk_disease_cert_rec * r), (r), disease_cert)
/* A qualification's certificates, oldest first. */
SK_STORE_OP(LIST, disease_cert_list, (int64_t qualification_id, sk_disease_cert_cb cb, void *ctx),
            (qualification_id), disease_cert)

/* ---- identity (identity/): 誤入力チェック, 閲覧停止, work items, My Number acquisition ---- */
/* Records a check, replacing the person's previous one. */
SK_STORE_OP(CUSTOM, identity_check_add, (sk_identity_check_rec * r), (r), identity_check)
/* The person's latest check (SK_ERR_NOTFOUND when never checked). */
SK_STORE_OP(GET, identity_check_last, (int64_t person_id, sk_identity_check_rec *out), (person_id),
            identity_check)

/* sets r->id; the item starts open */
SK_STORE_OP(CUSTOM, work_item_add, (sk_work_item_rec * r), (r), work_item)
SK_STORE_OP(GET, work_item_get, (int64_t id, sk_work_item_rec *out), (id), work_item)
/* Stores state, resolved_ms, resolved_by, resolution, reason of r->id. */
SK_STORE_OP(CUSTOM, work_item_resolve, (const sk_work_item_rec *r), (r), work_item)
/* Matching items by id. */
SK_STORE_OP(CUSTOM, work_item_list, (const sk_work_item_filter *f, sk_work_item_cb cb, void *ctx),
            (f, cb, ctx), work_item)

/* sets r->id */
SK_STORE_OP(CUSTOM, stop_add, (sk_stop_rec * r), (r), stop)
/* Stores closed_ms, closed_by, resolution, reason of r->id (still open: else not found). */
SK_STORE_OP(CUSTOM, stop_close, (const sk_stop_rec *r), (r), stop)
/* A qualification's stops, oldest first; only those still open when open_only. */
SK_STORE_OP(LIST, stop_list, (int64_t qualification_id, bool open_only, sk_stop_cb cb, void *ctx),
            (qualification_id, open_only), stop)

/* Starts an acquisition for every pending_my_number 届出 without one: requested at its
 * filing time, next action at filing + first_delay_ms. *added = how many. (The states stay
 * literals in the SQL, as the scheduler's partial indexes are defined on them and a bound
 * state would not use them; each literal is checked to be a name of core/workflow.h by
 * tests/unit/store/sqlite/test_sqlite.c. The delays are identity/'s, passed in.) */
SK_STORE_OP(CUSTOM, acquisition_seed, (int64_t first_delay_ms, int64_t now_ms, int64_t *added),
            (first_delay_ms, now_ms, added), acquisition)
/* Acquisitions whose next action is due (requested/reminded, next_ms <= now_ms), oldest
 * first, at most limit. */
SK_STORE_OP(LIST, acquisition_due, (int64_t now_ms, int limit, sk_acquisition_cb cb, void *ctx),
            (now_ms, limit), acquisition)
/* Acquisitions not done whose 届出 is no longer pending_my_number (a 個人番号登録届 came,
 * or it was withdrawn or rejected), at most limit. */
SK_STORE_OP(LIST, acquisition_settled, (int limit, sk_acquisition_cb cb, void *ctx), (limit),
            acquisition)
SK_STORE_OP(GET, acquisition_get, (int64_t notification_id, sk_acquisition_rec *out),
            (notification_id), acquisition)
/* Stores stage, reminded_ms, next_ms, attempts, outcome, updated_ms of r->notification_id. */
SK_STORE_OP(CUSTOM, acquisition_update, (const sk_acquisition_rec *r), (r), acquisition)

/* ---- principals (API identities) ---- */
/* sets r->id */
SK_STORE_OP(CUSTOM, principal_add, (sk_principal_rec * r), (r), principal)
SK_STORE_OP(GET, principal_find_by_token_hash,
            (const uint8_t hash[SK_SHA256_BYTES], sk_principal_rec *out), (hash), principal)
