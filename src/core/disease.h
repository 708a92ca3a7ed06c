/* disease.h — 特定疾病療養受療証 (高額療養費の特例, 健保法施行令42条9項, 国保法施行令29条の4第7項):
 * a person with one of three long-term diseases pays at most a fixed amount a month per
 * institution. OQS shows the certificate as SpecificDiseasesCertificateInfo (oqs-messages §5.3,
 * §6.12).
 *
 *   category (OQSCD013)  disease                                             monthly limit
 *   1                    人工透析を必要とする慢性腎不全                         10,000 yen; 20,000
 * yen for 70歳未満 上位所得者 (標準報酬月額 53万円以上 / 国保 所得 600万円超) 2
 * 先天性血液凝固因子障害 (第VIII・第IX因子)                10,000 yen 3
 * 血液凝固因子製剤の投与に起因するHIV感染症                 10,000 yen */
#ifndef SK_CORE_DISEASE_H
#define SK_CORE_DISEASE_H

#include <stdbool.h>

#include "core/date.h"
#include "util/err.h"

typedef enum sk_disease {
    SK_DISEASE_DIALYSIS = 1,   /* 人工透析を必要とする慢性腎不全 */
    SK_DISEASE_HEMOPHILIA = 2, /* 先天性血液凝固因子障害 */
    SK_DISEASE_HIV = 3         /* 血液凝固因子製剤の投与に起因するHIV感染症 */
} sk_disease;

/* "1", "2" or "3" (OQS code) into a category; SK_C_SPECIFIC_DISEASE otherwise. */
sk_err sk_disease_parse(const char *s, sk_disease *out, const char *field, sk_diag *d);
const char *sk_disease_label(sk_disease c);

/* The monthly limit in yen is 10,000, or 20,000 for 人工透析 of a person under 70 (legal age
 * on `on`, the certificate's start) with high income; anything else is refused
 * (SK_C_SPECIFIC_DISEASE). Whether the income is high is the insurer's finding, not checked. */
sk_err sk_disease_self_pay_check(sk_disease c, long long yen, sk_date birth, sk_date on,
                                 const char *field, sk_diag *d);

/* Whether a certificate valid from `from` (to `until` inclusive when has_until) covers `on`. */
bool sk_disease_certificate_valid_on(sk_date from, bool has_until, sk_date until, sk_date on);

#endif
