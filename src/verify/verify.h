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

/* One ResultOfQualificationConfirmation (oqs-messages §5.3). Dates are "YYYYMMDD" strings in
 * OQS forms; kept as sk_date here, has_* marks presence. */
typedef struct sk_verify_record {
    char card_class[3];        /* InsuredCardClassification "01" … */
    sk_insurer_number insurer; /* canonical; formats pad it */
    char insurer_name[128];    /* InsurerName */
    sk_cardkey key;            /* InsuredCardSymbol, …IdentificationNumber, …BranchNumber */
    char personal_family[2];   /* PersonalFamilyClassification "1"/"2"; "" for 後期 */
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
    char reason_of_loss[3];
    char contribution_ratio[4]; /* InsuredPartialContributionRatio "030" */
    bool preschool;             /* PreschoolClassification "1" */
    bool elderly;               /* ElderlyRecipientCertificateInfo (70–74) */
    sk_date elderly_date, elderly_start, elderly_end;
    char elderly_ratio[4];
    bool limit; /* LimitApplicationCertificateRelatedInfo (consent given and recorded) */
    char limit_class[3], limit_flag[4];
    sk_date limit_date, limit_start, limit_end;
} sk_verify_record;

typedef struct sk_verify_answer {
    sk_date on;
    bool stopped; /* 閲覧停止: no validity, no record */
    sk_validity validity;
    size_t n;
    sk_verify_record rec[SK_ELIG_MAX_CHOSEN];
} sk_verify_answer;

/* Answers a query for an institution principal (SK_C_FORBIDDEN for any other role). */
sk_err sk_verify_lookup(sk_store *s, const sk_principal *who, const sk_verify_query *q,
                        sk_verify_answer *out, sk_diag *d);

/* The plain JSON form of an answer (answer_json.c), a new reference the caller owns; NULL when
 * out of memory. */
struct json_t;
struct json_t *sk_verify_answer_json(const sk_verify_answer *a);

#endif
