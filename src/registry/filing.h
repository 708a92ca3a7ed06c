/* filing.h — 届出: an employer's (or an insurer's own) filing becomes registered 加入者情報.
 *
 * A 届出 arrives as flat named string fields (a JSON object's members, a CSV row under its
 * header), is checked against its kind's schema here — the one place that says which fields
 * each kind has — and is processed in one store job (sk_store_run: group commit, durable when
 * it returns):
 *
 *   received ──► registered          complete: the qualification is recorded, numbered and
 *      │                               registered in the same request
 *      ├──────► pending_my_number ──► registered   (a later mynumber_register for the person)
 *      │                          ├─► withdrawn    (the filer withdraws it)
 *      │                          └─► invalid      (the insurer rejects it, with its errors)
 *      └──────► (bad input: an error, nothing is written)
 *
 * Kinds (wire name — 届出; required fields in capitals, others optional):
 *   acquisition       資格取得届 (被保険者)   NAME KANA BIRTHDATE SEX ADDRESS ACQUIRED_ON
 *                                             mynumber postcode certificate insurer
 *   dependent_add     被扶養者(異動)届 追加    INSURED NAME KANA BIRTHDATE SEX ADDRESS ACQUIRED_ON
 *                                             mynumber postcode certificate disability relation
 *   dependent_remove  被扶養者(異動)届 削除    INSURED PERSON REASON event_date successor
 *   loss              資格喪失届              PERSON REASON event_date successor
 *   mynumber_register 個人番号登録届          PERSON MYNUMBER
 *   mynumber_change   個人番号変更届          PERSON MYNUMBER
 *   name_change       氏名変更届              PERSON NAME kana event_date
 *   address_change    住所変更届              PERSON ADDRESS postcode event_date
 * event_date is required for the loss kinds unless reason is age_75. `certificate` is the
 * 資格確認書要否 column, `disability` the 65-74 障害認定, `successor` that the person joined
 * another insurance on the event day (loss the same day). person/insured are person ids
 * (the `person` of an earlier answer). All kinds accept `insurer`: it must be the filer's own.
 *
 * Dates: no birthdate after today, no event (acquired_on, event_date) further ahead than the
 * registry's prefile_days (事前提出, core/qualification.h sk_filing_dates_check).
 *
 * A plain My Number is never stored in the 届出: the stored payload says "provided". */
#ifndef SK_REGISTRY_FILING_H
#define SK_REGISTRY_FILING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "access/access.h"
#include "registry/registry.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

typedef enum sk_filing_kind {
    SK_FILING_ACQUISITION = 1,
    SK_FILING_DEPENDENT_ADD,
    SK_FILING_DEPENDENT_REMOVE,
    SK_FILING_LOSS,
    SK_FILING_MYNUMBER_REGISTER,
    SK_FILING_MYNUMBER_CHANGE,
    SK_FILING_NAME_CHANGE,
    SK_FILING_ADDRESS_CHANGE
} sk_filing_kind;

/* Processing states: sk_notification_state (SK_STATE_*) in core/workflow.h. */

const char *sk_filing_kind_name(sk_filing_kind k);
sk_err sk_filing_kind_parse(const char *s, sk_filing_kind *out, sk_diag *d);

typedef struct sk_field {
    const char *name;
    const char *value; /* UTF-8, NUL-terminated */
} sk_field;

/* What a field's value was where it came from: a CSV cell is always text; a JSON member may
 * be any JSON type, and a 届出 takes text for every field and, for the flags (certificate,
 * disability, successor), a JSON boolean too — anything else is SK_C_FIELD_TYPE naming the
 * field, so `"name": true` is refused, never stored as "true". */
typedef enum sk_field_type {
    SK_FIELD_TEXT = 0, /* value is the text */
    SK_FIELD_BOOL,     /* value is "true" or "false" */
    SK_FIELD_NUMBER,   /* value is the number as written */
    SK_FIELD_COMPOUND  /* an object or an array; value is "" */
} sk_field_type;

/* One 届出 as received: its fields (including "kind") and an optional idempotency key. */
typedef struct sk_filing {
    const sk_field *fields;
    size_t nfields;
    const char *idem_key; /* NULL or "" = none; at most 127 printable ASCII characters */
    /* the type of each field as received (JSON), parallel to fields; NULL = all text (CSV) */
    const sk_field_type *types;
} sk_filing;

/* A 届出 with what it created or changed, as the API shows it. */
typedef struct sk_notification_view {
    sk_notification_rec n;
    char person_pid[SK_PID_LEN + 1]; /* "" when none */
    bool has_qual;
    sk_qualification_rec q;
    bool replayed; /* an idempotent retry answered with the first result */
} sk_notification_view;

/* Whether `who` may file 届出 at all (an employer or an insurer): SK_C_FORBIDDEN otherwise,
 * before anything is read — a batch by such a role is refused as a whole. */
sk_err sk_registry_may_file(const sk_principal *who, sk_diag *d);

/* One CSV row under its header as a 届出 (the import, docs/cli.md): the `idempotency_key`
 * column becomes the key, every other column a field; fields has room for n. The strings are
 * borrowed from header and row. */
void sk_filing_from_row(char *const *header, char *const *row, size_t n, sk_field *fields,
                        sk_filing *out);

/* The checks a 届出 gets before it touches the store — its kind, fields and values, its dates
 * on the day of now_ms with the default 事前提出 horizon (SK_PREFILE_DAYS_DEFAULT) — with the
 * error sk_registry_file would answer; nothing is read or written. (The rules that need the
 * store — the insured person, overlaps — come when it is filed.) */
sk_err sk_filing_check(const sk_filing *in, int64_t now_ms, sk_arena *a, sk_diag *d);

/* Files one 届出 as principal `who` (employer or insurer; others get SK_C_FORBIDDEN). The
 * submitter, for idempotency and visibility, is the principal's role and scope, so a retry
 * through another token or the CSV import of the same employer is still recognised. */
sk_err sk_registry_file(sk_registry *r, const sk_principal *who, const sk_filing *in,
                        int64_t now_ms, sk_arena *a, sk_notification_view *out, sk_diag *d);

/* Files n 届出 at once (batch, CSV): each gets its own result in out[i]/errs[i]/diags[i]; the
 * valid ones are registered even when others fail. They share group commits. */
void sk_registry_file_many(sk_registry *r, const sk_principal *who, const sk_filing *in, size_t n,
                           int64_t now_ms, sk_arena *a, sk_notification_view *out, sk_err *errs,
                           sk_diag *diags);

/* pending_my_number → withdrawn, by the submitter. The qualification it recorded (never
 * registered) is closed on its first day, so it is never valid. */
sk_err sk_registry_withdraw(sk_registry *r, const sk_principal *who, int64_t id, int64_t now_ms,
                            sk_arena *a, sk_notification_view *out, sk_diag *d);
/* pending_my_number → invalid, by the insurer, with a reason recorded as its error. */
sk_err sk_registry_reject(sk_registry *r, const sk_principal *who, int64_t id, const char *reason,
                          int64_t now_ms, sk_arena *a, sk_notification_view *out, sk_diag *d);

/* ---- the 誤入力チェック hook ----
 * Called inside the registering transaction whenever a 届出 registered a person with a My
 * Number or changed a registered person's My Number or 5情報 (kinds acquisition and
 * dependent_add when registered, mynumber_register, mynumber_change, name_change,
 * address_change; trigger = the kind's wire name). identity/ installs its check here
 * (sk_identity_install) so that no record becomes visible unchecked; an error fails the 届出.
 * The hook writes its verdict (本人確認判定, "" if none) and does not audit it: the 届出's own
 * audit row carries it (check=VERDICT). `known` is the person as just registered, with the
 * plain number, when the 届出 itself carried all of it (acquisition, dependent_add), else NULL
 * (the hook reads the person). Set it before the first 届出 is filed; NULL removes it. */
typedef sk_err (*sk_registry_check_fn)(void *ctx, sk_tx *tx, int64_t person_id,
                                       const sk_person_rec *known, const char *trigger,
                                       const char *actor, int64_t now_ms, char verdict[16],
                                       sk_diag *d);
void sk_registry_set_check(sk_registry *r, sk_registry_check_fn fn, void *ctx);

/* ---- reads (each checks that `who` may see the record). A role that never sees such a record
 * gets SK_C_FORBIDDEN; one that could, asking for a record that is not its own, gets
 * SK_C_NOT_FOUND exactly as for a record that does not exist, so that an answer never tells
 * whether another filer's 届出 or another insurer's member exists (issue 19 B.5). ---- */
sk_err sk_registry_notification_get(sk_registry *r, const sk_principal *who, int64_t id,
                                    sk_arena *a, sk_notification_view *out, sk_diag *d);

/* A person with the qualifications `who` may see (an insurer: its own; an employer: those it
 * filed; the person and the operator: all), oldest first. */
typedef sk_err (*sk_person_view_cb)(void *ctx, const sk_person_rec *p,
                                    const sk_qualification_rec *q, const char *insured_pid);
sk_err sk_registry_person_get(sk_registry *r, const sk_principal *who, const char *pid,
                              sk_person_rec *out, sk_person_view_cb cb, void *ctx, sk_diag *d);

/* Members of an insurer valid on as_of (insurer itself or operator), a page at a time. */
typedef sk_err (*sk_member_cb)(void *ctx, const sk_qualification_rec *q, const sk_person_rec *p);
sk_err sk_registry_members(sk_registry *r, const sk_principal *who, const char *insurer_number,
                           sk_date as_of, int64_t after_id, int limit, sk_member_cb cb, void *ctx,
                           sk_diag *d);

/* An insurer's 届出 (its inbox), by id after after_id, at most limit (1-1000), in one state
 * (NULL: any; an unknown name is SK_C_QUERY naming `state`), for the insurer itself or the
 * operator; payload and errors copied into arena a. */
sk_err sk_registry_notifications(sk_registry *r, const sk_principal *who,
                                 const char *insurer_number, const char *state, int64_t after_id,
                                 int limit, sk_arena *a, sk_notification_cb cb, void *ctx,
                                 sk_diag *d);

/* ---- 特定疾病療養受療証 (certificates.c; rules in core/disease.h) ---- */
/* What an insurer sends: the member's card key (枝番 required: a certificate is one person's)
 * and the certificate. Dates YYYY-MM-DD; valid_until NULL = open-ended. */
typedef struct sk_disease_cert_input {
    const char *symbol, *number, *branch;
    const char *category, *certificate_date, *valid_from, *valid_until;
    long long self_pay;
} sk_disease_cert_input;

/* Records a certificate on the registered qualification with that key (the one covering
 * valid_from, else the latest), for the insurer itself only; checks the category, the dates
 * (valid_until >= valid_from) and the monthly limit against the person's age; audited
 * (disease_certificate.add). Fields in diagnostics: number, symbol, branch, category,
 * certificate_date, valid_from, valid_until, self_pay. */
sk_err sk_registry_disease_cert_add(sk_registry *r, const sk_principal *who,
                                    const char *insurer_number, const sk_disease_cert_input *in,
                                    int64_t now_ms, sk_disease_cert_rec *out, char pid_out[33],
                                    sk_diag *d);

#endif
