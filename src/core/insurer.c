/* insurer.c — 保険者番号 rules (domain-rules §2, oqs-messages §7). */
#include "core/insurer.h"

#include <string.h>

#include "core/checkdigit.h"

/* 法別番号 allow-list (domain-rules §2). Everything else — notably the 公費 numbers 10-25,
 * 28-30, 38, 51-54, 66, 79 — is not a medical-insurance insurer. */
static int kind_for_houbetsu(int h, sk_insurer_kind *kind)
{
    switch (h) {
    case 1:
        *kind = SK_INSURER_KYOKAI;
        return 1;
    case 2:
        *kind = SK_INSURER_SENIN;
        return 1;
    case 3:
    case 4:
        *kind = SK_INSURER_HIYATOI;
        return 1;
    case 6:
        *kind = SK_INSURER_KUMIAI;
        return 1;
    case 7:
        *kind = SK_INSURER_JIEIKAN;
        return 1;
    case 31:
    case 32:
    case 33:
    case 34:
        *kind = SK_INSURER_KYOSAI;
        return 1;
    case 39:
        *kind = SK_INSURER_KOUKI;
        return 1;
    case 63:
    case 72:
    case 73:
    case 74:
    case 75:
        *kind = SK_INSURER_TOKUREI_TAISHOKU;
        return 1;
    case 67:
        *kind = SK_INSURER_KOKUHO_TAISHOKU;
        return 1;
    default:
        return 0;
    }
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

sk_err sk_insurer_number_parse(const char *in, size_t len, sk_insurer_number *out,
                               const char *field, sk_diag *d)
{
    memset(out, 0, sizeof(*out));
    if ((len != 6 && len != 8) || !all_digits(in, len))
        return sk_diag_set(d, SK_C_INSURER_FORMAT, field, "保険者番号 must be 6 or 8 digits");
    if (len == 8 && in[0] == '0' && in[1] == '0')
        return sk_diag_set(d, SK_C_INSURER_FORMAT, field,
                           "保険者番号 starting 00 is a zero-padded 6-digit number; give the 6 "
                           "digits");
    const char *pref = len == 8 ? in + 2 : in;
    int p = (pref[0] - '0') * 10 + (pref[1] - '0');
    if (p < 1 || p > 47)
        return sk_diag_set(d, SK_C_INSURER_PREFECTURE, field,
                           "保険者番号 都道府県番号 %02d is not 01-47", p);
    if (sk_checkdigit_luhn(in, len - 1) != in[len - 1] - '0')
        return sk_diag_set(d, SK_C_INSURER_CHECK_DIGIT, field,
                           "保険者番号 検証番号 does not match");
    if (len == 8) {
        int h = (in[0] - '0') * 10 + (in[1] - '0');
        if (!kind_for_houbetsu(h, &out->kind))
            return sk_diag_set(d, SK_C_INSURER_HOUBETSU, field,
                               "法別番号 %02d is not a medical-insurance insurer (公費 and other "
                               "numbers are not accepted)",
                               h);
        out->houbetsu = (unsigned char)h;
    } else {
        /* 国保組合: 保険者別番号 starts with 3 */
        out->kind = in[2] == '3' ? SK_INSURER_KOKUHO_KUMIAI : SK_INSURER_KOKUHO;
    }
    memcpy(out->digits, in, len);
    out->digits[len] = '\0';
    out->len = (unsigned char)len;
    out->prefecture = (unsigned char)p;
    return SK_OK;
}

sk_err sk_insurer_number_parse_oqs(const char *in, size_t len, sk_insurer_number *out,
                                   const char *field, sk_diag *d)
{
    if (len == 8 && in[0] == ' ' && in[1] == ' ')
        return sk_insurer_number_parse(in + 2, 6, out, field, d);
    if (len == 8 && in[0] == '0' && in[1] == '0' && all_digits(in, 8))
        return sk_insurer_number_parse(in + 2, 6, out, field, d);
    if (len == 6 || len == 8)
        return sk_insurer_number_parse(in, len, out, field, d);
    memset(out, 0, sizeof(*out));
    return sk_diag_set(d, SK_C_INSURER_FORMAT, field,
                       "InsurerNumber must be 8 characters (6-digit numbers padded with two "
                       "spaces)");
}

void sk_insurer_number_oqs(const sk_insurer_number *n, char out[9])
{
    if (n->len == 6) {
        out[0] = out[1] = ' ';
        memcpy(out + 2, n->digits, 6);
    } else {
        memcpy(out, n->digits, 8);
    }
    out[8] = '\0';
}

void sk_insurer_number_zero_padded(const sk_insurer_number *n, char out[9])
{
    if (n->len == 6) {
        out[0] = out[1] = '0';
        memcpy(out + 2, n->digits, 6);
    } else {
        memcpy(out, n->digits, 8);
    }
    out[8] = '\0';
}

bool sk_insurer_kind_is_employee(sk_insurer_kind kind)
{
    switch (kind) {
    case SK_INSURER_KYOKAI:
    case SK_INSURER_SENIN:
    case SK_INSURER_HIYATOI:
    case SK_INSURER_KUMIAI:
    case SK_INSURER_JIEIKAN:
    case SK_INSURER_KYOSAI:
    case SK_INSURER_TOKUREI_TAISHOKU:
        return true;
    default:
        return false;
    }
}

bool sk_insurer_kind_is_kokuho(sk_insurer_kind kind)
{
    return kind == SK_INSURER_KOKUHO || kind == SK_INSURER_KOKUHO_KUMIAI ||
           kind == SK_INSURER_KOKUHO_TAISHOKU;
}

static const struct {
    sk_insurer_kind kind;
    const char *name;
    const char *label;
} kinds[] = {
    {SK_INSURER_KYOKAI, "kyokai", "全国健康保険協会"},
    {SK_INSURER_SENIN, "senin", "船員保険"},
    {SK_INSURER_HIYATOI, "hiyatoi", "日雇特例被保険者"},
    {SK_INSURER_KUMIAI, "kumiai", "健康保険組合"},
    {SK_INSURER_JIEIKAN, "jieikan", "自衛官等"},
    {SK_INSURER_KYOSAI, "kyosai", "共済組合"},
    {SK_INSURER_KOUKI, "kouki", "後期高齢者医療広域連合"},
    {SK_INSURER_TOKUREI_TAISHOKU, "tokurei_taishoku", "特例退職被保険者"},
    {SK_INSURER_KOKUHO_TAISHOKU, "kokuho_taishoku", "国民健康保険(退職者医療)"},
    {SK_INSURER_KOKUHO, "kokuho", "市町村国民健康保険"},
    {SK_INSURER_KOKUHO_KUMIAI, "kokuho_kumiai", "国民健康保険組合"},
};

const char *sk_insurer_kind_name(sk_insurer_kind kind)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (kinds[i].kind == kind)
            return kinds[i].name;
    return "unknown";
}

const char *sk_insurer_kind_label(sk_insurer_kind kind)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (kinds[i].kind == kind)
            return kinds[i].label;
    return "不明";
}

sk_err sk_insurer_kind_from_name(const char *name, sk_insurer_kind *out)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(kinds[i].name, name) == 0) {
            *out = kinds[i].kind;
            return SK_OK;
        }
    }
    return SK_ERR_INVALID;
}
