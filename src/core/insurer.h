/* insurer.h — 保険者番号 (insurer number): layout, 検証番号, 法別番号 allow-list and the two
 * padding conventions (domain-rules §2, oqs-messages §7).
 *
 * The canonical value is the 6- or 8-digit number itself. Padding happens only at a boundary:
 * OQS messages left-pad 6-digit numbers with two spaces ("  131011"); レセプト/FHIR contexts
 * pad with zeros ("00131011"). Never store a padded form. */
#ifndef SK_CORE_INSURER_H
#define SK_CORE_INSURER_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

/* What kind of insurer a number belongs to, from its 法別番号 (or, for 6-digit numbers, from
 * the 保険者別番号: 国保組合 start with 3). */
typedef enum sk_insurer_kind {
    SK_INSURER_KYOKAI = 1,       /* 01 全国健康保険協会 (協会けんぽ) */
    SK_INSURER_SENIN,            /* 02 船員保険 */
    SK_INSURER_HIYATOI,          /* 03/04 日雇特例被保険者 */
    SK_INSURER_KUMIAI,           /* 06 組合管掌健康保険 (健保組合) */
    SK_INSURER_JIEIKAN,          /* 07 自衛官等 */
    SK_INSURER_KYOSAI,           /* 31-34 共済組合 */
    SK_INSURER_KOUKI,            /* 39 後期高齢者医療広域連合 */
    SK_INSURER_TOKUREI_TAISHOKU, /* 63, 72-75 特例退職被保険者 */
    SK_INSURER_KOKUHO_TAISHOKU,  /* 67 国保 退職者医療 (closed to new entrants) */
    SK_INSURER_KOKUHO,           /* 6 digits: 市町村国保 */
    SK_INSURER_KOKUHO_KUMIAI     /* 6 digits, 保険者別番号 3xx: 国民健康保険組合 */
} sk_insurer_kind;

typedef struct sk_insurer_number {
    char digits[9]; /* canonical: 6 or 8 ASCII digits, NUL-terminated */
    unsigned char len;
    sk_insurer_kind kind;
    unsigned char houbetsu;   /* 法別番号 (0 for 6-digit numbers) */
    unsigned char prefecture; /* 都道府県番号 1-47 */
} sk_insurer_number;

/* Parses a canonical 6- or 8-digit number. */
sk_err sk_insurer_number_parse(const char *in, size_t len, sk_insurer_number *out,
                               const char *field, sk_diag *d);
/* Parses the 8-character OQS field: "12345678", "  123456"; as a tolerance also a bare
 * "123456" and a zero-padded "00123456" (no 法別番号 is 00). */
sk_err sk_insurer_number_parse_oqs(const char *in, size_t len, sk_insurer_number *out,
                                   const char *field, sk_diag *d);
/* 8 characters for OQS messages: 6-digit numbers left-padded with two spaces. */
void sk_insurer_number_oqs(const sk_insurer_number *n, char out[9]);
/* 8 characters for レセプト-style contexts: 6-digit numbers left-padded with "00". */
void sk_insurer_number_zero_padded(const sk_insurer_number *n, char out[9]);

/* True for 被用者保険 (employee insurance: 健保, 船員, 共済, 自衛官, 日雇, 特例退職), whose
 * members may have 被扶養者. False for 国保, 国保組合, 後期 (every member is a 被保険者). */
bool sk_insurer_kind_is_employee(sk_insurer_kind kind);
bool sk_insurer_kind_is_kokuho(sk_insurer_kind kind);
/* Stable lower-case name ("kyokai", "kokuho_kumiai") and Japanese label. */
const char *sk_insurer_kind_name(sk_insurer_kind kind);
const char *sk_insurer_kind_label(sk_insurer_kind kind);
sk_err sk_insurer_kind_from_name(const char *name, sk_insurer_kind *out);

#endif
