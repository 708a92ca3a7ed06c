/* limit.c — 限度額適用 categories (domain-rules §6, oqs-messages §6.10–6.11). */
#include "core/limit.h"

#include <string.h>

static const struct {
    const char *code;
    const char *label;
    const char *cert;
} table[] = {
    [SK_LIMIT_NONE] = {"", "", NULL},
    [SK_LIMIT_A01] = {"A01", "ア", "01"},
    [SK_LIMIT_A02] = {"A02", "イ", "01"},
    [SK_LIMIT_A03] = {"A03", "ウ", "01"},
    [SK_LIMIT_A04] = {"A04", "エ", "01"},
    [SK_LIMIT_A05] = {"A05", "オ", "02"},
    [SK_LIMIT_A06] = {"A06", "オ(境)", "02"},
    [SK_LIMIT_B01] = {"B01", "現役並みⅢ", NULL},
    [SK_LIMIT_B02] = {"B02", "現役並みⅡ", "01"},
    [SK_LIMIT_B03] = {"B03", "現役並みⅠ", "01"},
    [SK_LIMIT_B04] = {"B04", "一般", NULL},
    [SK_LIMIT_B05] = {"B05", "低所得Ⅱ", "02"},
    [SK_LIMIT_B06] = {"B06", "低所得Ⅰ", "02"},
    [SK_LIMIT_B07] = {"B07", "低所得Ⅰ(老福)", "02"},
    [SK_LIMIT_B08] = {"B08", "低所得Ⅰ(境)", "02"},
    [SK_LIMIT_B09] = {"B09", "一般Ⅱ", NULL},
    [SK_LIMIT_B10] = {"B10", "一般Ⅰ", NULL},
};

#define NLIMITS ((int)(sizeof(table) / sizeof(table[0])))

const char *sk_limit_code(sk_limit l)
{
    return (int)l >= 0 && (int)l < NLIMITS ? table[l].code : "";
}

const char *sk_limit_label(sk_limit l)
{
    return (int)l >= 0 && (int)l < NLIMITS ? table[l].label : "";
}

const char *sk_limit_certificate_kind(sk_limit l)
{
    return (int)l >= 0 && (int)l < NLIMITS ? table[l].cert : NULL;
}

bool sk_limit_is_70_plus(sk_limit l)
{
    return l >= SK_LIMIT_B01 && l <= SK_LIMIT_B10;
}

sk_err sk_limit_parse(const char *s, size_t len, sk_limit *out, const char *field, sk_diag *d)
{
    for (int i = 1; i < NLIMITS; i++) {
        if (len == 3 && memcmp(s, table[i].code, 3) == 0) {
            *out = (sk_limit)i;
            return SK_OK;
        }
    }
    return sk_diag_set(d, SK_C_LIMIT_CATEGORY, field,
                       "限度額適用区分 must be one of A01-A06 or B01-B10");
}

sk_err sk_limit_check_age(sk_limit l, bool seventy_plus, const char *field, sk_diag *d)
{
    if (l == SK_LIMIT_NONE || sk_limit_is_70_plus(l) == seventy_plus)
        return SK_OK;
    return sk_diag_set(d, SK_C_LIMIT_CATEGORY, field,
                       seventy_plus ? "A-codes are for under 70; use B01-B10"
                                    : "B-codes are for 70 and over; use A01-A06");
}

sk_err sk_limit_for(const sk_limit_input *in, sk_limit *out, sk_diag *d)
{
    if (in->standard_monthly_yen < 0 || in->kyu_tadashigaki_yen < 0 || in->taxable_income_yen < 0)
        return sk_diag_set(d, SK_C_INCOME, "income", "income must not be negative");
    bool employee = in->scheme == SK_SCHEME_EMPLOYEE;
    if (!in->seventy_plus && in->scheme != SK_SCHEME_KOUKI) {
        if (in->boundary)
            *out = SK_LIMIT_A06;
        else if (in->tax_exempt)
            *out = SK_LIMIT_A05;
        else if (employee)
            *out = in->standard_monthly_yen >= 830000   ? SK_LIMIT_A01
                   : in->standard_monthly_yen >= 530000 ? SK_LIMIT_A02
                   : in->standard_monthly_yen >= 280000 ? SK_LIMIT_A03
                                                        : SK_LIMIT_A04;
        else
            *out = in->kyu_tadashigaki_yen > 9010000   ? SK_LIMIT_A01
                   : in->kyu_tadashigaki_yen > 6000000 ? SK_LIMIT_A02
                   : in->kyu_tadashigaki_yen > 2100000 ? SK_LIMIT_A03
                                                       : SK_LIMIT_A04;
        return SK_OK;
    }
    if (in->boundary)
        *out = SK_LIMIT_B08;
    else if (in->old_age_welfare_pension)
        *out = SK_LIMIT_B07;
    else if (in->tax_exempt && in->no_income)
        *out = SK_LIMIT_B06;
    else if (in->tax_exempt)
        *out = SK_LIMIT_B05;
    else if (employee)
        *out = in->standard_monthly_yen >= 830000   ? SK_LIMIT_B01
               : in->standard_monthly_yen >= 530000 ? SK_LIMIT_B02
               : in->standard_monthly_yen >= 280000 ? SK_LIMIT_B03
                                                    : SK_LIMIT_B04;
    else if (in->taxable_income_yen >= 6900000)
        *out = SK_LIMIT_B01;
    else if (in->taxable_income_yen >= 3800000)
        *out = SK_LIMIT_B02;
    else if (in->taxable_income_yen >= 1450000)
        *out = SK_LIMIT_B03;
    else if (in->scheme == SK_SCHEME_KOUKI)
        *out = in->kouki_class == SK_INCOME_KOUKI_2WARI ? SK_LIMIT_B09 : SK_LIMIT_B10;
    else
        *out = SK_LIMIT_B04;
    return SK_OK;
}

void sk_limit_year(sk_date on, sk_date *first, sk_date *last)
{
    *first = (sk_date){(int16_t)(on.y - (on.m < 8)), 8, 1};
    *last = (sk_date){(int16_t)(first->y + 1), 7, 31};
}
