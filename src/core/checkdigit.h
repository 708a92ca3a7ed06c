/* checkdigit.h — every check-digit algorithm of the domain, in one place.
 *   My Number 検査用数字: 総務省令第85号 第5条 (domain-rules §1)
 *   保険者番号 / 医療機関コード 検証番号: Luhn over the body (domain-rules §2, §3) */
#ifndef SK_CORE_CHECKDIGIT_H
#define SK_CORE_CHECKDIGIT_H

#include <stddef.h>

/* Check digit (0-9) for the 11 base digits of a My Number (ASCII '0'-'9'), or -1. */
int sk_checkdigit_mynumber(const char base[11]);
/* Luhn check digit over n ASCII digits, weights 2,1,2,… from the rightmost digit, a two-digit
 * product counted as the sum of its digits; -1 if a character is not a digit. */
int sk_checkdigit_luhn(const char *digits, size_t n);

#endif
