/* mynumber.h — 個人番号 (My Number): normalisation and validation (domain-rules §1).
 * A valid check digit does not prove the number exists; only J-LIS does (§12). A plain
 * number must never reach a log, the database or an error message (§17): the store seals
 * it, logs are scrubbed, and this module's error messages never quote the input. */
#ifndef SK_CORE_MYNUMBER_H
#define SK_CORE_MYNUMBER_H

#include <stddef.h>

#include "util/err.h"

#define SK_MYNUMBER_LEN 12

/* A validated My Number: 12 ASCII digits and a NUL. */
typedef struct sk_mynumber {
    char digits[SK_MYNUMBER_LEN + 1];
} sk_mynumber;

/* Accepts ASCII or full-width digits, with ASCII/full-width spaces and hyphens (any of
 * - ‐ ‑ – − ー ｰ) anywhere; anything else is SK_C_MYNUMBER_FORMAT. Then checks the digit
 * (SK_C_MYNUMBER_CHECK_DIGIT) and rejects 000000000000 (SK_C_MYNUMBER_SENTINEL). `field` names
 * the input in the diagnostic. */
sk_err sk_mynumber_parse(const char *in, size_t len, sk_mynumber *out, const char *field,
                         sk_diag *d);
/* "********9018": the most of a My Number anything may ever show (domain-rules §10). */
void sk_mynumber_mask(const sk_mynumber *n, char out[13]);
/* The last 4 digits ("9018"), for the bulk 資格情報のお知らせ. */
void sk_mynumber_last4(const sk_mynumber *n, char out[5]);
void sk_mynumber_wipe(sk_mynumber *n);

#endif
