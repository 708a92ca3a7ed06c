/* ratio.c — co-payment ratio rules (domain-rules §5). */
#include "core/ratio.h"

static const sk_date RATIO_RULES_FROM = {2008, 4, 1}; /* 後期高齢者医療制度, 未就学 2割 */
static const sk_date ELDERLY_2WARI_FROM = {2014, 4, 1}; /* 70–74 2割 (before: 1割 特例) */
static const sk_date ELDERLY_TOKUREI_BORN = {1944, 4, 1};
static const sk_date KOUKI_2WARI_FROM = {2022, 10, 1};

sk_date sk_preschool_end(sk_date birth)
{
    sk_date r6 = sk_age_reached(birth, 6);
    sk_date mar31 = {r6.y, 3, 31};
    if (sk_date_cmp(r6, mar31) > 0)
        mar31.y++;
    return mar31;
}

sk_date sk_elderly_start(sk_date birth)
{
    /* the month after the month containing the 到達日 of 70; for someone born on the 1st the
     * 到達日 is the last day of the previous month, so this gives the 1st of the birth month */
    return sk_date_first_of_next_month(sk_age_reached(birth, 70));
}

sk_date sk_elderly_end(sk_date birth)
{
    return sk_date_add_days(sk_birthday(birth, 75), -1);
}

sk_date sk_kouki_start(sk_date birth)
{
    return sk_birthday(birth, 75);
}

static int elderly_percent(sk_date birth, sk_date on, sk_income_class income)
{
    if (income == SK_INCOME_GENEKI)
        return 30;
    if (sk_date_cmp(on, ELDERLY_2WARI_FROM) < 0 || sk_date_cmp(birth, ELDERLY_TOKUREI_BORN) <= 0)
        return 10;
    return 20;
}

static int kouki_percent(sk_date on, sk_income_class income)
{
    if (income == SK_INCOME_GENEKI)
        return 30;
    if (income == SK_INCOME_KOUKI_2WARI && sk_date_cmp(on, KOUKI_2WARI_FROM) >= 0)
        return 20;
    return 10;
}

sk_err sk_ratio_on(sk_date birth, sk_date on, sk_scheme scheme, sk_income_class income,
                   sk_ratio *out, sk_diag *d)
{
    if (!sk_date_valid(birth) || !sk_date_valid(on))
        return sk_diag_set(d, SK_C_DATE_INVALID, "date", "date does not exist");
    if (sk_date_cmp(on, birth) < 0)
        return sk_diag_set(d, SK_C_DATE_ORDER, "date", "date is before the birth date");
    if (sk_date_cmp(on, RATIO_RULES_FROM) < 0)
        return sk_diag_set(d, SK_C_DATE_RANGE, "date",
                           "co-payment rules are implemented from 2008-04-01");
    if (scheme == SK_SCHEME_KOUKI) {
        out->band = SK_BAND_KOUKI;
        out->percent = kouki_percent(on, income);
        return SK_OK;
    }
    if (sk_date_cmp(on, sk_preschool_end(birth)) <= 0) {
        out->band = SK_BAND_PRESCHOOL;
        out->percent = 20;
    } else if (sk_date_cmp(on, sk_elderly_start(birth)) < 0) {
        out->band = SK_BAND_GENERAL;
        out->percent = 30;
    } else {
        out->band = SK_BAND_ELDERLY;
        out->percent = elderly_percent(birth, on, income);
    }
    return SK_OK;
}

void sk_ratio_oqs(int percent, char out[4])
{
    if (percent < 0 || percent > 100)
        percent = 0;
    out[0] = (char)('0' + percent / 100);
    out[1] = (char)('0' + percent / 10 % 10);
    out[2] = (char)('0' + percent % 10);
    out[3] = '\0';
}

sk_income_class sk_income_class_employee_elderly(const sk_employee_elderly_income *in)
{
    if (in->insured_under_70 || in->applied_low_income)
        return SK_INCOME_GENERAL;
    return in->standard_monthly_yen >= 280000 ? SK_INCOME_GENEKI : SK_INCOME_GENERAL;
}

sk_income_class sk_income_class_kokuho_elderly(long long max_taxable_income_yen)
{
    return max_taxable_income_yen >= 1450000 ? SK_INCOME_GENEKI : SK_INCOME_GENERAL;
}

sk_err sk_income_class_kouki(long long taxable_income_yen, long long pension_and_other_yen,
                             int kouki_members_in_household, sk_income_class *out, sk_diag *d)
{
    if (taxable_income_yen < 0 || pension_and_other_yen < 0)
        return sk_diag_set(d, SK_C_INCOME, "income", "income must not be negative");
    if (kouki_members_in_household < 1)
        return sk_diag_set(d, SK_C_INCOME, "kouki_members_in_household",
                           "a 後期 household has at least one 後期 member");
    if (taxable_income_yen >= 1450000)
        *out = SK_INCOME_GENEKI;
    else if (taxable_income_yen >= 280000 &&
             pension_and_other_yen >= (kouki_members_in_household == 1 ? 2000000 : 3200000))
        *out = SK_INCOME_KOUKI_2WARI;
    else
        *out = SK_INCOME_GENERAL;
    return SK_OK;
}
