/* verify.h — online eligibility verification (オンライン資格確認): from a medical institution's
 * query by card key and birth date to the answer's content, computed from the registry and the
 * rules in core/ on the confirmation date. Formats (plain JSON, OQS XML, Web-API JSON) parse
 * into sk_verify_query and render sk_verify_answer; none of them decides anything.
 *
 * An answer never holds a My Number: the answer types below have no field that could carry
 * one, persons are read without decrypting it, and tests scan every rendered answer. */
#ifndef SK_VERIFY_VERIFY_H
#define SK_VERIFY_VERIFY_H

#include <stdbool.h>

#include "access/access.h"
#include "core/cardkey.h"
#include "core/date.h"
#include "core/eligibility.h"
#include "core/insurer.h"
#include "core/person.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/clock.h"

/* The raw text of a query as a format read it, with the names its diagnostics use for each
 * field (format-specific: "InsurerNumber" in XML, "insurer_number" in /v1). NULL = absent. */
typedef struct sk_verify_fields {
    const char *insurer_number, *symbol, *number, *branch, *birthdate, *confirmation_date,
        *limit_consent;
    struct {
        const char *insurer_number, *symbol, *number, *branch, *birthdate, *confirmation_date,
            *limit_consent;
    } name;
    bool oqs; /* OQS forms: dates YYYYMMDD, insurer number space-padded; else YYYY-MM-DD */
} sk_verify_fields;

typedef struct sk_verify_query {
    sk_insurer_number insurer;
    sk_cardkey key; /* branch "" = omitted: every 枝番 */
    sk_date birthdate;
    sk_date on; /* 資格確認日 */
    bool limit_consent;
} sk_verify_query;

/* Checks and converts the fields. A missing confirmation date means `today`; a date after
 * `today` is refused (date_range), as is a birth date after the confirmation date. */
sk_err sk_verify_query_parse(const sk_verify_fields *f, sk_date today, sk_verify_query *out,
                             sk_diag *d);

#define SK_VERIFY_MAX_DISEASES 3 /* one certificate per category */

/* One ResultOfQualificationConfirmation (oqs-messages §5.3). Dates are "YYYYMMDD" strings in
 * OQS forms; kept as sk_date here, has_* marks presence. */
typedef struct sk_verify_record {
    char person_pid[SK_PID_LEN + 1]; /* for the audit row only; no format renders it */
    char reference_number[SK_REFNO_MAX_BYTES + 1]; /* 照会番号 the asking institution set; "" */
    char card_class[3];                            /* InsuredCardClassification "01" … */
    sk_insurer_number insurer;                     /* canonical; formats pad it */
    char insurer_name[128];                        /* InsurerName */
    sk_cardkey key;          /* InsuredCardSymbol, …IdentificationNumber, …BranchNumber */
    char personal_family[2]; /* PersonalFamilyClassification "1"/"2"; "" for 後期 */
    char insured_name[SK_NAME_MAX_BYTES * 2]; /* InsuredName, for 家族 only */
    char name[SK_NAME_MAX_BYTES * 2];         /* Name, 全角 space between family and given */
    char name_kana[SK_NAME_MAX_BYTES * 2];    /* NameKana, 半角 */
    char sex1[2];                             /* Sex1 "1" "2" "3" */
    sk_date birthdate;
    char address[SK_ADDRESS_MAX_BYTES + 1];
    char post_number[9];
    sk_date qualification_date;
    bool has_disqualification;
    sk_date disqualification_date;
    /* the card's dates (docs/oqs.md "Card dates"): InsuredCertificateIssuanceDate = the JST day
     * the qualification was registered (absent while unregistered), InsuredCardValidDate =
     * acquired_on, InsuredCardExpirationDate = the day before lost_on (only when lost) */
    bool has_issuance;
    sk_date issuance_date;
    sk_date card_valid_from;
    bool has_card_expiration;
    sk_date card_expiration;
    char reason_of_loss[3];
    char contribution_ratio[4]; /* the ratio on the date, "030" (every record, /v1 answers) */
    bool card_ratio;            /* the card prints it (後期高齢者医療 only): OQS sends it as
                                   InsuredPartialContributionRatio; 70–74 have ElderlyRecipient… instead */
    bool preschool;             /* PreschoolClassification "1" */
    bool elderly;               /* ElderlyRecipientCertificateInfo (70–74) */
    sk_date elderly_date, elderly_start, elderly_end;
    char elderly_ratio[4];
    bool limit; /* LimitApplicationCertificateRelatedInfo (consent given and recorded) */
    char limit_class[3], limit_flag[4];
    sk_date limit_date, limit_start, limit_end;
    size_t ndisease; /* SpecificDiseasesCertificateInfo valid on the date (consent given) */
    struct {
        char category[2]; /* OQSCD013 "1".."3" */
        sk_date certificate_date, start;
        bool has_end;
        sk_date end;
        long long self_pay; /* yen a month */
    } disease[SK_VERIFY_MAX_DISEASES];
} sk_verify_record;

typedef struct sk_verify_answer {
    sk_date on;
    bool stopped; /* 閲覧停止: no validity, no record */
    sk_validity validity;
    size_t n;
    sk_verify_record rec[SK_ELIG_MAX_CHOSEN];
} sk_verify_answer;

/* The audit of look-ups (lookup_audit.c): every look-up answered becomes a row of the
 * hash-chained audit table (actor principal:<id>, action eligibility.lookup, object
 * institution:<code>, detail: insurer, masked number, branch, date, consent, a SHA-256 digest of
 * the whole key asked, the result and the public ids of the persons shown). Rows are queued and
 * written in batches by one thread, woken every flush_ms; at most max_queue wait,
 * beyond that look-ups are refused with store_busy. */
typedef struct sk_lookup_audit sk_lookup_audit;
typedef struct sk_lookup_audit_options {
    unsigned flush_ms; /* the writer wakes at least this often; 0 = 200 (under load a row also
                          waits for the batches ahead of it and for the disk: the lag below) */
    size_t max_queue;  /* rows waiting before look-ups are refused; 0 = 65536 */
    /* the answer waits until its row is durable (group commit: the first look-up to find the
     * writer idle starts a batch, the others join it); a look-up whose row cannot be written
     * is refused with the cause. false: answered at once, durable within flush_ms and the
     * batches ahead (a crash loses that window's rows) */
    bool durable;
    unsigned stop_timeout_ms; /* a stop retries failing writes this long; 0 = 5000 */
    sk_store *registry;       /* where the log's head is recorded (lookup_log.checkpoint) every
                                 checkpoint_ms and at stop, when it moved; NULL = never */
    unsigned checkpoint_ms;   /* 0 = 60000 */
} sk_lookup_audit_options;
/* The action of the registry's rows that record the look-up log's head: detail
 * "rows=N last_id=N hash=HEX" (`shikaku audit verify` holds the log against the last one). */
#define SK_LOOKUP_LOG_CHECKPOINT "lookup_log.checkpoint"
/* The furthest head of the look-up log recorded in the registry's chain (*found false: never),
 * with the time of its row. The furthest: a log removed and started again (a new chain from
 * row 1, checkpointed since) still falls short of it, or differs at its row. */
sk_err sk_lookup_log_last_checkpoint(sk_store *registry, bool *found, sk_audit_head *out,
                                     int64_t *at_ms, sk_diag *d);
sk_err sk_lookup_audit_start(sk_store *s, sk_clock *clock, const sk_lookup_audit_options *opt,
                             sk_lookup_audit **out, sk_diag *d);
/* Writes what is queued (retrying a failing write for at most stop_timeout_ms), records the
 * head in the registry, stops the thread and frees la. Returns the rows it could not write:
 * look-ups answered whose audit rows are lost (logged). */
uint64_t sk_lookup_audit_stop(sk_lookup_audit *la);
/* SK_OK while rows are written; else why not (the last batch's failure: db_missing,
 * db_read_only, disk_full, io) or the log store's own health (sk_store_health). */
sk_err sk_lookup_audit_health(sk_lookup_audit *la, sk_diag *d);
/* Waits until every row queued so far is durable (or a write failed: SK_C_STORE). */
sk_err sk_lookup_audit_sync(sk_lookup_audit *la, sk_diag *d);
/* What the writer has done so far (for /metrics): the lag of a batch is the time from the
 * look-up of its oldest row to the batch being durable (monotonic clock). */
typedef struct sk_lookup_audit_stats {
    uint64_t written;  /* rows durable */
    uint64_t queued;   /* rows waiting now */
    uint64_t failures; /* batches whose write failed (their rows are retried) */
    int64_t lag_ms_last, lag_ms_max;
} sk_lookup_audit_stats;
void sk_lookup_audit_stats_get(sk_lookup_audit *la, sk_lookup_audit_stats *out);
/* Queues the row for one answered look-up. */
sk_err sk_lookup_audit_add(sk_lookup_audit *la, const sk_principal *who, const sk_verify_query *q,
                           const sk_verify_answer *a, sk_diag *d);

/* Answers a query for an institution principal (SK_C_FORBIDDEN for any other role) and queues
 * its audit row; when the row cannot be queued the look-up fails (store_busy) — no answer goes
 * out unrecorded. audit NULL = not recorded (tests and tools only; the daemon always has one). */
sk_err sk_verify_lookup(sk_store *s, sk_lookup_audit *audit, const sk_principal *who,
                        const sk_verify_query *q, sk_verify_answer *out, sk_diag *d);

/* 照会番号 registration (OQSsiimm01): the institution `who` gives its own number (1–50
 * characters, no controls) to the person whose registered qualification has this 保険者番号
 * (OQS form) and 記号・番号[・枝番]. Refused: no such record (not_found), several persons without
 * 枝番 (key_ambiguous), a record under 閲覧停止 (display_stopped). Durable and audited
 * (reference_number.set) on SK_OK. Field names are the OQS element names. */
sk_err sk_verify_refno_register(sk_store *s, const sk_principal *who, const char *insurer,
                                const char *symbol, const char *number, const char *branch,
                                const char *refno, int64_t now_ms, sk_diag *d);

/* The plain JSON form of an answer (answer_json.c) into out (reset first), with a final
 * newline. SK_ERR_TOOBIG when out's maximum is reached. */
sk_err sk_verify_answer_json_write(const sk_verify_answer *a, sk_buf *out);

#endif
