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

#endif
