/* cardkey.h — 被保険者等記号・番号・枝番 (健保法3条12項; domain-rules §4).
 * 記号 and 番号: either all half-width alphanumerics, or all full-width characters (then
 * kana, kanji, symbols and digits are all full-width); no spaces of either width; at most 20
 * characters (the OQS clients' limit). 記号 may be empty (cards with only a 番号); 番号 may
 * not. 枝番: exactly two half-width digits, or empty — never invented.
 * Values are compared exactly: no trimming, no width change inside stored values. */
#ifndef SK_CORE_CARDKEY_H
#define SK_CORE_CARDKEY_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

#define SK_CARD_FIELD_MAX_CHARS 20
/* 20 characters of up to 4 UTF-8 bytes + NUL */
#define SK_CARD_FIELD_MAX_BYTES (SK_CARD_FIELD_MAX_CHARS * 4 + 1)

typedef struct sk_cardkey {
    char symbol[SK_CARD_FIELD_MAX_BYTES]; /* 記号, "" when none */
    char number[SK_CARD_FIELD_MAX_BYTES]; /* 番号 */
    char branch[3];                       /* 枝番, "" when none */
} sk_cardkey;

sk_err sk_card_symbol_check(const char *s, size_t len, const char *field, sk_diag *d);
sk_err sk_card_number_check(const char *s, size_t len, const char *field, sk_diag *d);
sk_err sk_card_branch_check(const char *s, size_t len, const char *field, sk_diag *d);
/* Checks all three and fills out; fields are named "<prefix>symbol" etc. */
sk_err sk_cardkey_make(const char *symbol, size_t slen, const char *number, size_t nlen,
                       const char *branch, size_t blen, sk_cardkey *out, sk_diag *d);
bool sk_cardkey_equal(const sk_cardkey *a, const sk_cardkey *b);

/* 枝番 allocation under one 記号・番号 (domain-rules §4; 健保法施行規則 since 2021-01: the
 * 被保険者 is 00, each 被扶養者 gets their own). A person keeps the 枝番 they had under this
 * 記号・番号 (a dependent coming back), else takes the next after the highest in use (01 at the
 * least: 00 is the 被保険者's); a 枝番 once given is never given to another person; 99 is the
 * last. Feed every qualification under the 記号・番号 to sk_branch_seen, then ask
 * sk_branch_next. */
#define SK_BRANCH_INSURED "00"
typedef struct sk_branch_alloc {
    int max;       /* highest in use (00, the 被保険者's, is always taken) */
    char reuse[3]; /* the person's own earlier 枝番, "" = none */
} sk_branch_alloc;
void sk_branch_alloc_init(sk_branch_alloc *b);
/* branch: a stored 枝番 ("" counts as 00); same_person: the qualification is the person's. */
void sk_branch_seen(sk_branch_alloc *b, const char *branch, bool same_person);
/* The 枝番 for the person (out gets 3 bytes); SK_C_TOO_LONG naming field when 99 are used. */
sk_err sk_branch_next(const sk_branch_alloc *b, char out[3], const char *field, sk_diag *d);

#endif
