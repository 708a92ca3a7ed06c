/* ratio.h — 一部負担金割合 (co-payment ratio) on a date, by age band and income class
 * (domain-rules §5), and the 高齢受給者 and 未就学 periods.
 *
 *   未就学      2割  birth … the first 31 March on or after the 到達日 of 6
 *   一般        3割  … the day before the 70–74 start
 *   高齢受給者  2割 (現役並み 3割)  1st of the month after the month of the 到達日 of 70
 *               (born on the 1st: the 1st of the birth month) … the day before the 75th birthday
 *   後期高齢者  1割 / 2割 (from 2022-10-01) / 3割  from the 75th birthday itself
 *               (65–74 with 障害認定: from the 認定日 — the caller passes scheme KOUKI)
 *
 * Historical dates are answered as the law stood: 70–74 一般 was 1割 before 2014-04-01, and
 * people born on or before 1944-04-01 kept 1割 until 75 (特例措置); 後期 2割 did not exist
 * before 2022-10-01. Dates before 2008-04-01 (before 後期 and 未就学 2割) are SK_ERR_RANGE. */
#ifndef SK_CORE_RATIO_H
#define SK_CORE_RATIO_H

#include <stdbool.h>

#include "core/date.h"
#include "util/err.h"

typedef enum sk_scheme {
    SK_SCHEME_EMPLOYEE = 1, /* 被用者保険: 健保, 共済, 船員 … */
    SK_SCHEME_KOKUHO,       /* 国保, 国保組合 */
    SK_SCHEME_KOUKI         /* 後期高齢者医療 */
} sk_scheme;

typedef enum sk_income_class {
    SK_INCOME_GENERAL = 0,    /* 一般 (後期: 一般Ⅰ 1割) */
    SK_INCOME_GENEKI = 1,     /* 現役並み所得者: 3割 at 70–74 and in 後期 */
    SK_INCOME_KOUKI_2WARI = 2 /* 後期 一定以上所得 (一般Ⅱ): 2割 from 2022-10-01 */
} sk_income_class;

typedef enum sk_age_band {
    SK_BAND_PRESCHOOL = 1, /* 未就学 */
    SK_BAND_GENERAL,       /* 義務教育就学後 … 69 */
    SK_BAND_ELDERLY,       /* 高齢受給者 70–74 */
    SK_BAND_KOUKI          /* 後期高齢者 */
} sk_age_band;

typedef struct sk_ratio {
    int percent; /* 10, 20 or 30 */
    sk_age_band band;
} sk_ratio;

/* Ratio on `on` for a person born `birth` in `scheme` with `income`. SK_C_DATE_ORDER when
 * `on` is before birth, SK_C_DATE_RANGE before 2008-04-01. A KOUKI scheme under 75 is a
 * 障害認定 member (band KOUKI). An employee/国保 member aged 75+ (no 住民票, stays in 健保)
 * keeps the 70–74 rule. */
sk_err sk_ratio_on(sk_date birth, sk_date on, sk_scheme scheme, sk_income_class income,
                   sk_ratio *out, sk_diag *d);
/* OQS InsuredPartialContributionRatio / ElderlyRecipientContributionRatio: "010", "020",
 * "030" (oqs-messages §6.13). */
void sk_ratio_oqs(int percent, char out[4]);

/* Last day of 未就学: the first 31 March on or after the 到達日 of 6. */
sk_date sk_preschool_end(sk_date birth);
/* First day of 高齢受給者 (70–74). */
sk_date sk_elderly_start(sk_date birth);
/* Last day of 高齢受給者: the day before the 75th birthday. */
sk_date sk_elderly_end(sk_date birth);
/* First day of 後期高齢者 by age: the 75th birthday. */
sk_date sk_kouki_start(sk_date birth);

/* --- income judgements (domain-rules §5) --- */
/* 健保 70–74: 現役並み when 標準報酬月額 ≥ 280,000 yen, unless the member applied and the
 * household income is under 3,830,000 (single) / 5,200,000 (couple); a 70+ dependent of an
 * under-70 被保険者 is never 現役並み. */
typedef struct sk_employee_elderly_income {
    long long standard_monthly_yen; /* 標準報酬月額 of the 被保険者 */
    bool insured_under_70;          /* the person is a dependent of an under-70 被保険者 */
    bool applied_low_income;        /* 基準収入額適用申請 granted */
} sk_employee_elderly_income;
sk_income_class sk_income_class_employee_elderly(const sk_employee_elderly_income *in);
/* 国保 70–74: 現役並み when any 70–74 household member has 課税所得 ≥ 1,450,000 yen. */
sk_income_class sk_income_class_kokuho_elderly(long long max_taxable_income_yen);
/* 後期: 3割 if 課税所得 ≥ 1,450,000; 2割 if 課税所得 ≥ 280,000 and 年金収入+その他の合計所得
 * ≥ 2,000,000 (one 後期 member in the household) or ≥ 3,200,000 (two or more); else 1割. */
sk_err sk_income_class_kouki(long long taxable_income_yen, long long pension_and_other_yen,
                             int kouki_members_in_household, sk_income_class *out, sk_diag *d);

#endif
