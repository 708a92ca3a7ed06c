/* eligibility.h — the online verification decision (QualificationValidity, oqs-messages §4.1,
 * §6.5): given the registered qualifications whose card key matched a query, the birth date
 * asked and the confirmation date, which answer a medical institution gets and which records
 * it may see. Pure: the lookup is verify/'s work.
 *
 * Rules, in order:
 *   1. Only registered records count (a 届出 still waiting for its My Number is not in the
 *      intermediate server yet), and only those whose person has the birth date asked: a key
 *      that matches with another birth date answers 4 該当資格なし and shows nothing.
 *   2. If any remaining record is under 閲覧停止, the answer is "stopped": no validity and
 *      no record (a suspected mis-linkage must not be shown, not even partly).
 *   3. Records of two or more persons remain (the 枝番 was omitted): 5 複数該当, with each
 *      person's record for the date.
 *   4. One person: a record valid on the date (acquired_on <= date < lost_on) → 1 有効.
 *      Otherwise the latest record that began on or before the date (it has ended) →
 *      3 無効（新しい資格あり） when the person holds a later registered qualification that has
 *      not ended by the date (at any insurer; only the fact is told, never that record),
 *      else 2 無効. A key whose records all begin after the date (pre-hire) → 2 無効 with the
 *      earliest of them. */
#ifndef SK_CORE_ELIGIBILITY_H
#define SK_CORE_ELIGIBILITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"

typedef enum sk_validity {
    SK_VALIDITY_VALID = 1,         /* 1 有効 */
    SK_VALIDITY_INVALID = 2,       /* 2 無効 */
    SK_VALIDITY_INVALID_NEWER = 3, /* 3 無効（新しい資格あり） */
    SK_VALIDITY_NONE = 4,          /* 4 該当資格なし */
    SK_VALIDITY_MULTIPLE = 5       /* 5 複数該当 */
} sk_validity;

/* OQS code "1".."5" and the Japanese label. */
const char *sk_validity_code(sk_validity v);
const char *sk_validity_label(sk_validity v);

/* One registered qualification as the decision sees it. */
typedef struct sk_elig_record {
    int64_t person_id;
    sk_date birthdate; /* the person's */
    sk_date acquired_on;
    bool has_lost;
    sk_date lost_on;
    bool registered;
    bool display_stopped; /* 閲覧停止 */
    bool newer_exists;    /* sk_eligibility_newer_exists for this record's person */
} sk_elig_record;

/* A qualification period of a person (all insurers), for the "newer" test. */
typedef struct sk_elig_period {
    sk_date acquired_on;
    bool has_lost;
    sk_date lost_on;
    bool registered;
} sk_elig_period;

/* Whether, besides the record acquired on `acquired_on`, the person holds a registered
 * qualification acquired later that has not ended by `on`. */
bool sk_eligibility_newer_exists(sk_date acquired_on, const sk_elig_period *all, size_t n,
                                 sk_date on);

#define SK_ELIG_MAX_CHOSEN 8

typedef struct sk_elig_decision {
    bool stopped; /* 閲覧停止: no validity, no record */
    sk_validity validity;
    size_t chosen[SK_ELIG_MAX_CHOSEN]; /* indexes into the records given, in answer order */
    size_t nchosen;
} sk_elig_decision;

/* Decides for the records that matched the card key (any order). More than
 * SK_ELIG_MAX_CHOSEN persons in a 複数該当 answer: the first ones by person id are shown. */
void sk_eligibility_decide(const sk_elig_record *recs, size_t n, sk_date birthdate, sk_date on,
                           sk_elig_decision *out);

#endif
