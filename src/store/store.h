/* store.h — the only way services reach storage. Typed functions over a driver table
 * (store_driver.h); SQLite is the embedded default (sqlite/), PostgreSQL comes later.
 *
 * Transactions: sk_store_begin() opens one; every call on it returns at once with the
 * transaction's first error once one happened, so a workflow makes its calls and checks once
 * at sk_tx_commit(), which rolls back and returns that first error (with its diagnostic).
 * A look-up that finds nothing (SK_ERR_NOTFOUND) is an answer, not a failure: it does not
 * poison the transaction.
 *
 * My Number: a person's number is sealed with AES-256-GCM (bound to the person's public id)
 * and indexed with HMAC-SHA-256 here, above the driver, so no driver ever sees it in plain.
 * Notification payloads are stored as given: callers must not put a plain My Number in them. */
#ifndef SK_STORE_STORE_H
#define SK_STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/cardkey.h"
#include "core/date.h"
#include "core/insurer.h"
#include "core/limit.h"
#include "core/mynumber.h"
#include "core/person.h"
#include "core/workflow.h"
#include "util/arena.h"
#include "util/crypto.h"
#include "util/err.h"

typedef struct sk_store sk_store;
typedef struct sk_tx sk_tx;

/* What a database file holds. */
typedef enum sk_store_kind {
    SK_STORE_REGISTRY = 0, /* persons, qualifications, 届出, principals, work items, audit */
    /* the look-up log: only the hash-chained audit rows of eligibility look-ups, in a file of
     * its own ("<db>.lookups", sk_store_lookup_log_path) so that the look-ups' steady stream
     * of writes never touches the registry's file, whose readers then keep their caches; no
     * keyring; created empty on first open */
    SK_STORE_LOOKUP_LOG,
} sk_store_kind;

/* The SQLite driver's own settings (ignored by other drivers). */
typedef struct sk_sqlite_options {
    int busy_timeout_ms;   /* default 5000 */
    int cache_mib;         /* page cache per connection in MiB; 0 = SQLite's default (bulk
                              loads with random-key indexes want much more) */
    int checkpoint_frames; /* the WAL is copied into the database, off the commit path, once
                              this many pages wait in it; 0 = 8192 (32 MiB of 4 KiB pages) */
    int mmap_mib;          /* read-only transactions read the file through one memory map of
                              up to this many MiB per file, shared by every connection of the
                              process (no copy, no system call per page; the pages are the
                              kernel's page cache, shared and reclaimable); 0 = the default
                              (SK_STORE_MMAP_MIB_DEFAULT), -1 = off */
} sk_sqlite_options;

typedef struct sk_store_options {
    /* where the data is: "sqlite:PATH", or a bare PATH (SQLite); "SCHEME://…" picks the
     * driver of that name (sk_store_drivers) */
    const char *dsn;
    /* keyring; for SQLite, default "<PATH>.key". A look-up log has none of its own: given
     * (the registry's), it keys the MAC of the log's anchor; not given, the log is not
     * anchored (read-only tools) */
    const char *key_file;
    /* the audit chain's anchor (sk_store_audit_check); for SQLite, default "<PATH>.anchor";
     * other drivers need one to anchor */
    const char *anchor_file;
    sk_store_kind kind; /* default SK_STORE_REGISTRY */
    sk_sqlite_options sqlite;
} sk_store_options;

/* 2.5 GiB: at 10M persons (a 5.1 GB file) half the file, and a peak RSS of 2.6 GB with it
 * (docs/performance.md); on a smaller database, the whole file. */
#define SK_STORE_MMAP_MIB_DEFAULT 2560

/* "<db>.lookups": where the look-up log of the registry database `db` lives by default (the
 * daemon's --lookup-log). False when the path does not fit. */
bool sk_store_lookup_log_path(const char *db, char *out, size_t n);

/* The key file opt names, or the driver's default for its DSN (SQLite: "PATH.key"). */
sk_err sk_store_key_file(const sk_store_options *opt, char *out, size_t n, sk_diag *d);

/* Names of the compiled-in drivers, NULL-terminated. */
const char *const *sk_store_drivers(void);

/* Creates a new database (schema applied) and its key file (mode 0600). Refuses to touch an
 * existing database or key file (SK_C_FILE_EXISTS). */
sk_err sk_store_create(const sk_store_options *opt, sk_diag *d);
/* Opens an existing database, applying pending migrations; SK_C_STORE_VERSION when the file
 * is newer than this program. */
sk_err sk_store_open(const sk_store_options *opt, sk_store **out, sk_diag *d);
void sk_store_close(sk_store *s);
/* The highest migration applied, and the highest this program knows. */
int sk_store_schema_version(sk_store *s);
int sk_store_schema_latest(const char *driver);
const char *sk_store_driver_name(const sk_store *s);

sk_err sk_store_begin(sk_store *s, sk_tx **out, sk_diag *d);      /* read-write */
sk_err sk_store_begin_read(sk_store *s, sk_tx **out, sk_diag *d); /* read-only */
/* Commits, or — when any call failed — rolls back and returns the first error. Frees tx. */
sk_err sk_tx_commit(sk_tx *tx, sk_diag *d);
/* Rolls back and frees tx. */
void sk_tx_rollback(sk_tx *tx);
/* The transaction's first error so far (SK_OK if none). */
sk_err sk_tx_error(const sk_tx *tx);

/* Runs fn in a write transaction and commits it. Concurrent callers are grouped: one writer
 * runs many jobs in one transaction, each inside its own savepoint (a failing job is undone
 * alone and gets its own error), and one commit — one fsync — acknowledges them all. When
 * this returns SK_OK, fn's writes are on disk. fn may run on another thread; it must not
 * depend on thread-local state, and anything it writes for the caller counts only on SK_OK.
 * On error, d holds fn's diagnostic (or the commit's). Readers may see a batch from its
 * commit on, a moment (one fdatasync) before its callers are answered. If making the log
 * durable ever fails, that batch and every later call fail with SK_ERR_IO (code io, field
 * db) until the process restarts. */
typedef sk_err (*sk_store_job_fn)(sk_tx *tx, void *ctx, sk_diag *d);
sk_err sk_store_run(sk_store *s, sk_store_job_fn fn, void *ctx, sk_diag *d);
/* The same for n jobs at once (a batch): each gets its own err/diag; returns when all are
 * done. The calling thread must not have a transaction open. */
typedef struct sk_store_job {
    sk_store_job_fn fn;
    void *ctx;
    sk_err err;   /* out */
    sk_diag diag; /* out */
    /* private to the store */
    bool done_;
    struct sk_store_job *next_;
    void *waiter_;
} sk_store_job;
void sk_store_run_many(sk_store *s, sk_store_job *jobs, size_t n);

/* ---- insurers ---- */
typedef struct sk_insurer_rec {
    char number[9]; /* canonical 6 or 8 digits */
    sk_insurer_kind kind;
    char name[128];
    char numbering_rule[128]; /* how 記号・番号 are assigned; interpreted by registry/ */
    int64_t created_ms;
} sk_insurer_rec;

/* By number; committed rows are kept in a per-store cache (they never change). */
sk_err sk_store_insurer_get(sk_tx *tx, const char *number, sk_insurer_rec *out, sk_diag *d);
typedef sk_err (*sk_insurer_cb)(void *ctx, const sk_insurer_rec *r);

/* ---- employers ---- */
typedef struct sk_employer_rec {
    int64_t id;
    char insurer_number[9];
    char name[256];
    char office_code[32]; /* 事業所記号 etc. */
    int64_t created_ms;
} sk_employer_rec;

/* ---- persons (5情報 + sealed My Number) ---- */
#define SK_PID_LEN 32
typedef struct sk_person_rec {
    int64_t id;
    char pid[SK_PID_LEN + 1]; /* public id: 128 random bits in hex; used in URLs */
    sk_person_info info;      /* 5情報 */
    char postcode[9];
    bool has_mynumber;
    sk_mynumber mynumber; /* plain only in memory; filled on get when asked for */
    int64_t created_ms, updated_ms;
} sk_person_rec;

/* Inserts a person; sets id, pid. SK_C_MYNUMBER_TAKEN if the number belongs to another. */
sk_err sk_store_person_add(sk_tx *tx, sk_person_rec *r, sk_diag *d);
/* with_mynumber: decrypt the number into out->mynumber (only for the insurer's own work). */
sk_err sk_store_person_get(sk_tx *tx, int64_t id, bool with_mynumber, sk_person_rec *out,
                           sk_diag *d);
sk_err sk_store_person_get_by_pid(sk_tx *tx, const char *pid, bool with_mynumber,
                                  sk_person_rec *out, sk_diag *d);
sk_err sk_store_person_find_by_mynumber(sk_tx *tx, const sk_mynumber *n, sk_person_rec *out,
                                        sk_diag *d);
/* The person with the smallest id above after_id (a full scan, one at a time: checks of every
 * record, the demo's resident register); SK_ERR_NOTFOUND after the last. */
sk_err sk_store_person_next(sk_tx *tx, int64_t after_id, bool with_mynumber, sk_person_rec *out,
                            sk_diag *d);
/* A person as a list gives it: without the My Number (has_mynumber says whether one is on file). */
typedef sk_err (*sk_person_cb)(void *ctx, const sk_person_rec *r);
/* Sets or replaces the My Number of a person. */
sk_err sk_store_person_set_mynumber(sk_tx *tx, int64_t id, const sk_mynumber *n, int64_t at_ms,
                                    sk_diag *d);

/* ---- qualifications (加入者情報) ---- */
typedef enum sk_relationship { SK_REL_INSURED = 1, SK_REL_DEPENDENT = 2 } sk_relationship;

typedef struct sk_qualification_rec {
    int64_t id;
    int64_t person_id;
    char insurer_number[9];
    sk_cardkey key;
    sk_relationship relationship; /* 本人 / 家族 (OQS PersonalFamilyClassification) */
    int64_t insured_person_id;    /* the 被保険者 (the person itself for 本人) */
    char card_class[3];           /* InsuredCardClassification, "01" */
    sk_date acquired_on;
    bool has_lost;
    sk_date lost_on;
    char loss_reason[3]; /* ReasonOfLoss "01" "02" "03" "99", "" while valid */
    sk_income_class ratio_class;
    sk_limit limit;
    int64_t registered_ms; /* 0 until registered in the intermediate server */
    bool display_stopped;  /* 閲覧停止 */
    int64_t employer_id;   /* the employer that filed it (dependents: the insured's); 0 = none */
    int64_t created_ms, updated_ms;
} sk_qualification_rec;

typedef sk_err (*sk_qualification_cb)(void *ctx, const sk_qualification_rec *r);

/* ---- counters (記号・番号 numbering) ---- */

/* ---- notifications (届出) and their state history ---- */
typedef struct sk_notification_rec {
    int64_t id;
    char kind[32];
    char insurer_number[9];
    int64_t employer_id; /* 0 = none */
    char submitter[64];  /* principal that filed it */
    char idem_key[128];  /* "" = none; unique per submitter */
    sk_notification_state state;
    bool has_event_date;
    sk_date event_date;
    int64_t filed_ms;
    int64_t registered_ms;    /* 0 = not yet */
    int64_t person_id;        /* 0 = none yet */
    const char *payload;      /* JSON; never a plain My Number */
    const char *errors;       /* JSON array of errors, "" if none */
    int64_t qualification_id; /* the qualification it created or changed; 0 = none */
} sk_notification_rec;

typedef sk_err (*sk_notification_cb)(void *ctx, const sk_notification_rec *r);
typedef struct sk_notification_event {
    int64_t id;
    sk_notification_state state;
    int64_t at_ms;
    char note[256];
} sk_notification_event;
typedef sk_err (*sk_notification_event_cb)(void *ctx, const sk_notification_event *e);

/* Number of notifications in each state (for /metrics), one callback per state present. */
typedef sk_err (*sk_state_count_cb)(void *ctx, const char *state, int64_t count);

/* ---- audit (hash-chained) ---- */
typedef struct sk_audit_rec {
    int64_t id;
    int64_t at_ms;
    char actor[64];
    char action[64];
    char object[128];
    char detail[512]; /* never a My Number or full 記号・番号 */
    uint8_t prev_hash[SK_SHA256_BYTES];
    uint8_t hash[SK_SHA256_BYTES];
} sk_audit_rec;

/* Appends a row whose hash covers the previous row's hash and this row's fields. */
sk_err sk_store_audit_append(sk_tx *tx, sk_audit_rec *r, sk_diag *d);
/* The same, from its parts (bounded copies; the detail is printf-formatted). */
sk_err sk_store_audit_add(sk_tx *tx, int64_t at_ms, const char *actor, const char *action,
                          const char *object, sk_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Every audit row in id order. */
typedef sk_err (*sk_audit_cb)(void *ctx, const sk_audit_rec *r);
/* Walks the chain; *first_bad = 0 when intact, else the id of the first row that does not fit.
 * *rows = rows checked. (The hash chain alone: sk_store_audit_check also holds it against its
 * anchor.) */
sk_err sk_store_audit_verify(sk_store *s, int64_t *first_bad, int64_t *rows, sk_diag *d);

/* The head of a chain: its rows, the last row's id and hash. Rows are never deleted and ids
 * are given in order from 1, so rows = last_id in a chain that starts at 1. */
typedef struct sk_audit_head {
    int64_t rows, last_id;
    uint8_t hash[SK_SHA256_BYTES];
} sk_audit_head;

/* The anchor: the head of the chain kept beside the database in a small file
 * ("<db>.anchor", "<db>.lookups.anchor"), rewritten and fdatasync'ed after each durable batch
 * that appended rows, under HMAC-SHA-256 keyed from the key file (the MAC key's own
 * derivation: audit_anchor.c). Removing rows at the end of a chain, or the whole look-up log,
 * leaves a chain shorter than its anchor; an anchor edited by hand does not verify. A chain
 * whose anchor it does not reach is never anchored again by this store (the evidence stays):
 * sk_store_health names it. */
typedef enum sk_audit_outcome {
    SK_AUDIT_INTACT = 0,
    SK_AUDIT_BROKEN,         /* a row does not fit its predecessor or its own fields */
    SK_AUDIT_TRUNCATED,      /* rows are missing after the last one (the anchor names more) */
    SK_AUDIT_ANCHOR_FORGED,  /* the anchor does not verify (edited, damaged, another key) */
    SK_AUDIT_ANCHOR_MISSING, /* rows but no anchor (removed; or written before anchors) */
} sk_audit_outcome;
typedef struct sk_audit_check {
    sk_audit_outcome outcome;
    int64_t rows;      /* rows checked */
    int64_t last_id;   /* the last row's id, 0 for an empty chain */
    int64_t first_bad; /* BROKEN: the first row that does not fit */
    int64_t want_id;   /* TRUNCATED: the last id the anchor (or `reach`) names */
    bool anchored;     /* an anchor that verifies was found (anchor below) */
    sk_audit_head anchor;
    char why[SK_DIAG_MESSAGE_MAX]; /* a sentence for the outcome */
} sk_audit_check;
/* Walks the chain and holds it against its anchor (when the store has a key to verify it
 * with; without one, anchors are not read) and against `reach` (NULL: none), a head the chain
 * must contain — the furthest head of the look-up log the registry's chain recorded
 * (lookup_log.checkpoint rows). Outcome, in this order: BROKEN, ANCHOR_FORGED, TRUNCATED, a
 * row that differs from the anchor's or reach's head (BROKEN at it), ANCHOR_MISSING, INTACT. */
sk_err sk_store_audit_check(sk_store *s, const sk_audit_head *reach, sk_audit_check *out,
                            sk_diag *d);
/* The anchor of the store opt names, read without opening the store (nor creating a look-up
 * log that is not there): *found false when there is no anchor file; SK_C_AUDIT_ANCHOR when
 * it does not verify; a keyring is needed (opt->key_file, or the registry's default). */
sk_err sk_store_anchor_peek(const sk_store_options *opt, bool *found, sk_audit_head *out,
                            sk_diag *d);
/* The head of the chain as this process last made it durable, or as the database holds it
 * when this process has appended nothing yet. */
sk_err sk_store_audit_head(sk_store *s, sk_audit_head *out, sk_diag *d);

/* Whether writes can go on now (a daemon's readiness): SK_OK, or the cause — the file is gone
 * or replaced (db_missing), cannot be written (db_read_only), the disk is full or nearly
 * (disk_full), a sync failed (io: every write is refused until a restart), the last write
 * failed with one of those within the last 30 s and none has succeeded since, or the chain
 * does not reach its anchor (audit_anchor). Reads are not affected by any of them. */
sk_err sk_store_health(sk_store *s, sk_diag *d);
/* The hash of a row given the previous hash (what append stores and verify recomputes). */
void sk_audit_hash(const sk_audit_rec *r, uint8_t out[SK_SHA256_BYTES]);

/* ---- OQS bulk requests (一括照会, verify/bulk.c) ---- */
typedef struct sk_bulk_rec {
    int64_t id;
    char reception[24];   /* ReceptionNumber (受付番号) */
    char message[17];     /* "OQSmuquc01" */
    char institution[16]; /* 医療機関コード */
    int64_t principal_id;
    int charset;         /* 0 UTF-8, 1 Shift_JIS: the encoding the answer is wanted in */
    const char *request; /* the request message (Web-API JSON form) */
    const char *result;  /* its result (JSON), NULL while processing */
    int64_t created_ms, done_ms;
    char idem_key[128]; /* the client's Idempotency-Key, "" = none; unique per institution */
} sk_bulk_rec;

/* ---- 照会番号 (ReferenceNumber): an institution's own number for a person ---- */
#define SK_REFNO_MAX_BYTES 200 /* 50 characters of up to 4 bytes */
/* Read back with a look-up's rows: sk_store_eligibility_by_key. */

/* ---- an eligibility look-up's rows in one read ---- */
/* A qualification under the card key asked, with its person (5情報 and public id; the My
 * Number is not read, has_mynumber is false) and the asking institution's 照会番号 for that
 * person ("" when it registered none). */
typedef struct sk_elig_row {
    sk_qualification_rec q;
    sk_person_rec p;
    char refno[SK_REFNO_MAX_BYTES + 1];
} sk_elig_row;
typedef sk_err (*sk_elig_row_cb)(void *ctx, const sk_elig_row *r);

/* ---- 特定疾病療養受療証 (core/disease.h) ---- */
typedef struct sk_disease_cert_rec {
    int64_t id;
    int64_t qualification_id;
    int category; /* sk_disease */
    sk_date certificate_date, valid_from;
    bool has_until;
    sk_date valid_until;
    long long self_pay; /* yen a month */
    int64_t created_ms;
} sk_disease_cert_rec;
typedef sk_err (*sk_disease_cert_cb)(void *ctx, const sk_disease_cert_rec *r);

/* ---- identity (identity/): 誤入力チェック, 閲覧停止, work items, My Number acquisition ---- */
/* A person's latest 本人確認判定 (one per person; every check also leaves an audit row). */
typedef struct sk_identity_check_rec {
    int64_t id; /* = person_id */
    int64_t person_id, at_ms;
    char trigger[24];   /* what asked: registration, mynumber_register, mynumber_change,
                           name_change, address_change, recheck */
    sk_verdict verdict; /* 本人確認判定 */
    char differ[64];    /* items that differ ("name address"), "" when none */
    char folded[64];    /* items equal only through a fold */
} sk_identity_check_rec;

typedef struct sk_work_item_rec {
    int64_t id;
    sk_work_kind kind;
    sk_role assignee_role;   /* operator insurer employer */
    char assignee_scope[64]; /* 保険者番号, employer id, "" for the operator */
    char insurer_number[9];
    int64_t person_id, notification_id, qualification_id; /* 0 = none */
    sk_risk risk;
    char detail[2048]; /* JSON object; never a My Number */
    sk_work_state state;
    int64_t created_ms, resolved_ms;
    char resolved_by[64], resolution[24];
    char reason[512];
} sk_work_item_rec;

typedef struct sk_work_item_filter {
    sk_role assignee_role;              /* 0 = any */
    const char *assignee_scope;         /* NULL = any */
    sk_work_state state;                /* 0 = any */
    sk_work_kind kind;                  /* 0 = any */
    int64_t person_id, notification_id; /* 0 = any */
    int64_t after_id;                   /* a page: ids above this */
    int limit;
} sk_work_item_filter;
typedef sk_err (*sk_work_item_cb)(void *ctx, const sk_work_item_rec *r);

typedef struct sk_stop_rec {
    int64_t id, qualification_id, work_item_id; /* work_item_id 0 = none */
    sk_stop_cause cause;
    int64_t opened_ms;
    char opened_by[64];
    int64_t closed_ms; /* 0 = still stopping display */
    char closed_by[64], resolution[24];
    char reason[512];
} sk_stop_rec;

typedef sk_err (*sk_stop_cb)(void *ctx, const sk_stop_rec *r);

typedef struct sk_acquisition_rec {
    int64_t notification_id, person_id, employer_id; /* employer 0 = filed by the insurer */
    char insurer_number[9];
    sk_acq_stage stage;
    int64_t requested_ms, reminded_ms;
    int64_t next_ms;  /* when the scheduler acts next; 0 = never (review, done) */
    int attempts;     /* J-LIS attempts that found it unavailable, in this round */
    char outcome[16]; /* the last J-LIS outcome (match mismatch none multiple) or "" */
    int64_t updated_ms;
} sk_acquisition_rec;

typedef sk_err (*sk_acquisition_cb)(void *ctx, const sk_acquisition_rec *r);

/* ---- principals (API identities) ---- */
typedef struct sk_principal_rec {
    int64_t id;
    sk_role role;
    char scope[64]; /* 保険者番号, employer id, 医療機関コード, person pid; "" for operator */
    uint8_t token_hash[SK_SHA256_BYTES];
    char label[128];
    bool disabled;
    int64_t created_ms;
} sk_principal_rec;

/* ---- the operations: sk_store_<name>(tx, params…, d) for each entry of store_ops.h, where
 * each is documented ---- */
/* (a, b) → a, b: the parameter lists of store_ops.h are written in parentheses */
#define SK_UNPAREN(...) __VA_ARGS__
#define SK_STORE_OP(shape, name, params, bind, ent)                                                \
    sk_err sk_store_##name(sk_tx *tx, SK_UNPAREN params, sk_diag *d);
#define SK_STORE_OP_INTERNAL(shape, name, params, bind, ent)
#include "store/store_ops.h"
#undef SK_STORE_OP
#undef SK_STORE_OP_INTERNAL

#endif
