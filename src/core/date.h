/* date.h — calendar dates (proleptic Gregorian, 1800-01-01…2999-12-31), the legal age rules
 * and 和暦 rendering. Every age boundary of the domain is computed here:
 *   到達日: a person reaches age N on the day before the Nth birthday (年齢計算ニ関スル法律);
 *   29 February birthdays fall on 1 March in common years (domain-rules §5, not confirmed),
 *   so such a person reaches an age on 28 February. */
#ifndef SK_CORE_DATE_H
#define SK_CORE_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef struct sk_date {
    int16_t y;
    int8_t m;
    int8_t d;
} sk_date;

#define SK_DATE_MIN_YEAR 1800
#define SK_DATE_MAX_YEAR 2999

bool sk_is_leap_year(int y);
int sk_days_in_month(int y, int m);
bool sk_date_valid(sk_date d);
/* Days since 1970-01-01 (negative before). */
int32_t sk_date_to_days(sk_date d);
sk_date sk_date_from_days(int32_t days);
/* The Japanese calendar day (JST, UTC+9, no DST) of a Unix time in milliseconds. */
sk_date sk_date_from_unix_ms(int64_t ms);
/* The JST wall-clock time of a Unix time in ms as YYYYMMDDHHmmss (OQS timestamps). */
void sk_timestamp_compact(int64_t ms, char out[15]);
int sk_date_cmp(sk_date a, sk_date b);
sk_date sk_date_add_days(sk_date d, int32_t n);
/* Adds months; a day past the new month's end becomes its last day (01-31 + 1 → 02-28). */
sk_date sk_date_add_months(sk_date d, int n);
sk_date sk_date_last_of_month(sk_date d);
sk_date sk_date_first_of_next_month(sk_date d);
/* Whole days from a to b (b - a). */
int32_t sk_date_diff_days(sk_date a, sk_date b);

/* "YYYY-MM-DD" (ISO; API, CSV). The diagnostic names `field`. */
sk_err sk_date_parse(const char *s, size_t len, sk_date *out, const char *field, sk_diag *d);
/* "YYYYMMDD" (OQS messages). */
sk_err sk_date_parse_compact(const char *s, size_t len, sk_date *out, const char *field,
                             sk_diag *d);
void sk_date_format(sk_date d, char out[11]);
void sk_date_format_compact(sk_date d, char out[9]);

/* --- ages (年齢計算ニ関スル法律) --- */
/* The Nth birthday; 29 February falls on 1 March in common years. */
sk_date sk_birthday(sk_date birth, int n);
/* 到達日 of age N: the day before the Nth birthday. */
sk_date sk_age_reached(sk_date birth, int n);
/* Legal age on a date: the largest N whose 到達日 is on or before `on` (0 before the first). */
int sk_age_on(sk_date birth, sk_date on);

/* --- 和暦 --- */
typedef enum sk_era {
    SK_ERA_MEIJI = 1, /* 明治 M: from 1868-01-25 (rendered only from 1873-01-01, see below) */
    SK_ERA_TAISHO,    /* 大正 T: from 1912-07-30 */
    SK_ERA_SHOWA,     /* 昭和 S: from 1926-12-25 */
    SK_ERA_HEISEI,    /* 平成 H: from 1989-01-08 */
    SK_ERA_REIWA      /* 令和 R: from 2019-05-01 */
} sk_era;

typedef struct sk_wareki {
    sk_era era;
    int year; /* 1 = 元年 */
} sk_wareki;

/* Dates before 1873-01-01 (明治6年, when Japan adopted the Gregorian calendar) were kept in
 * the lunisolar calendar, so their Gregorian month and day would be wrong in 和暦:
 * SK_ERR_RANGE. */
sk_err sk_wareki_of(sk_date d, sk_wareki *out);
const char *sk_era_name(sk_era era); /* "令和" */
char sk_era_letter(sk_era era);      /* 'R' */
/* "令和元年5月1日", "昭和30年12月31日" (documents). */
sk_err sk_wareki_format(sk_date d, char *out, size_t outsz);
/* "R01.05.01" (compact form on cards). */
sk_err sk_wareki_format_short(sk_date d, char out[10]);

#endif
