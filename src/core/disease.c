/* disease.c — 特定疾病療養受療証 rules (see disease.h). */
#include "core/disease.h"

#include <string.h>

static const char *const labels[] = {
    [SK_DISEASE_DIALYSIS] = "人工透析を必要とする慢性腎不全",
    [SK_DISEASE_HEMOPHILIA] = "先天性血液凝固因子障害(第VIII因子・第IX因子)",
    [SK_DISEASE_HIV] = "血液凝固因子製剤の投与に起因するHIV感染症",
};

sk_err sk_disease_parse(const char *s, sk_disease *out, const char *field, sk_diag *d)
{
    if (s && s[0] >= '1' && s[0] <= '3' && s[1] == '\0') {
        *out = (sk_disease)(s[0] - '0');
        return SK_OK;
    }
    return sk_diag_set(d, SK_C_SPECIFIC_DISEASE, field,
                       "認定疾病区分 must be 1 (人工透析), 2 (血友病) or 3 (HIV)");
}

const char *sk_disease_label(sk_disease c)
{
    return c >= SK_DISEASE_DIALYSIS && c <= SK_DISEASE_HIV ? labels[c] : "";
}

sk_err sk_disease_self_pay_check(sk_disease c, long long yen, sk_date birth, sk_date on,
                                 const char *field, sk_diag *d)
{
    if (yen == 10000)
        return SK_OK;
    if (yen == 20000 && c == SK_DISEASE_DIALYSIS && sk_age_on(birth, on) < 70)
        return SK_OK;
    return sk_diag_set(d, SK_C_SPECIFIC_DISEASE, field,
                       "自己負担限度額 is 10000 yen, or 20000 yen only for 人工透析 under 70");
}

bool sk_disease_certificate_valid_on(sk_date from, bool has_until, sk_date until, sk_date on)
{
    return sk_date_cmp(from, on) <= 0 && (!has_until || sk_date_cmp(on, until) <= 0);
}
