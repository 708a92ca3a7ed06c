/* limit.h — 限度額適用 categories (高額療養費 適用区分) with their OQS codes
 * (LimitApplicationCertificateClassificationFlag, OQSCD012; domain-rules §6) and the
 * certificate kinds (OQSCD011). A-codes are for under 70, B-codes for 70 and over. */
#ifndef SK_CORE_LIMIT_H
#define SK_CORE_LIMIT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/ratio.h"
#include "util/err.h"

typedef enum sk_limit {
    SK_LIMIT_NONE = 0,
    SK_LIMIT_A01, /* ア: 標準報酬月額 ≥ 83万 / 旧ただし書所得 > 901万 */
    SK_LIMIT_A02, /* イ: 53–79万 / 600–901万 */
    SK_LIMIT_A03, /* ウ: 28–50万 / 210–600万 */
    SK_LIMIT_A04, /* エ: ≤ 26万 / ≤ 210万 */
    SK_LIMIT_A05, /* オ: 住民税非課税 */
    SK_LIMIT_A06, /* オ(境): 境界層 */
    SK_LIMIT_B01, /* 現役並みⅢ: ≥ 83万 / 課税所得 ≥ 690万 */
    SK_LIMIT_B02, /* 現役並みⅡ: 53–79万 / ≥ 380万 */
    SK_LIMIT_B03, /* 現役並みⅠ: 28–50万 / ≥ 145万 */
    SK_LIMIT_B04, /* 一般 (70–74) */
    SK_LIMIT_B05, /* 低所得Ⅱ: 住民税非課税 */
    SK_LIMIT_B06, /* 低所得Ⅰ: 非課税 and no income */
    SK_LIMIT_B07, /* 低所得Ⅰ(老福) */
    SK_LIMIT_B08, /* 低所得Ⅰ(境) */
    SK_LIMIT_B09, /* 一般Ⅱ (後期 2割) */
    SK_LIMIT_B10  /* 一般Ⅰ (後期 1割) */
} sk_limit;

/* "A01" … "B10"; "" for NONE. */
const char *sk_limit_code(sk_limit l);
/* "ア", "現役並みⅢ", … */
const char *sk_limit_label(sk_limit l);
sk_err sk_limit_parse(const char *s, size_t len, sk_limit *out, const char *field, sk_diag *d);
bool sk_limit_is_70_plus(sk_limit l);
/* The certificate a category is issued on when paper is used: "01" 限度額適用認定証,
 * "02" 限度額適用・標準負担額減額認定証; NULL when the 高齢受給者証/被保険者証 itself shows the
 * category (B01, B04, B09, B10). "03" 標準負担額減額認定証 is issued for meal costs alone and is
 * not derived from the category. */
const char *sk_limit_certificate_kind(sk_limit l);
/* The year a category holds for: 8/1 … 7/31 around `on` (re-judged every 8/1 on the prior
 * year's income, domain-rules §5). */
void sk_limit_year(sk_date on, sk_date *first, sk_date *last);

typedef struct sk_limit_input {
    sk_scheme scheme;
    bool seventy_plus;              /* age 70 or over on the date (or 後期) */
    long long standard_monthly_yen; /* 健保: 標準報酬月額 */
    long long kyu_tadashigaki_yen;  /* 国保 under 70: 旧ただし書所得 (household) */
    long long taxable_income_yen;   /* 国保/後期 70+: 課税所得 */
    sk_income_class kouki_class;    /* 後期: the ratio class (decides B09/B10) */
    bool tax_exempt;                /* 住民税非課税 */
    bool no_income;                 /* 非課税 and every income 0 (低所得Ⅰ) */
    bool old_age_welfare_pension;   /* 老齢福祉年金 (低所得Ⅰ 老福) */
    bool boundary;                  /* 境界層該当 */
} sk_limit_input;

/* The category the rules give for these facts. */
sk_err sk_limit_for(const sk_limit_input *in, sk_limit *out, sk_diag *d);
/* SK_C_LIMIT_CATEGORY if an A-code is given for someone 70+ or a B-code under 70. */
sk_err sk_limit_check_age(sk_limit l, bool seventy_plus, const char *field, sk_diag *d);

#endif
