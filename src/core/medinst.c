/* medinst.c — 医療機関コード rules (domain-rules §3). */
#include "core/medinst.h"

#include <string.h>

#include "core/checkdigit.h"

sk_err sk_medinst_code_parse(const char *in, size_t len, sk_medinst_code *out, const char *field,
                             sk_diag *d)
{
    memset(out, 0, sizeof(*out));
    if (len != 10)
        return sk_diag_set(d, SK_C_MEDINST_FORMAT, field, "医療機関コード must be 10 digits");
    for (size_t i = 0; i < 10; i++)
        if (in[i] < '0' || in[i] > '9')
            return sk_diag_set(d, SK_C_MEDINST_FORMAT, field, "医療機関コード must be 10 digits");
    int p = (in[0] - '0') * 10 + (in[1] - '0');
    if (p < 1 || p > 47)
        return sk_diag_set(d, SK_C_MEDINST_PREFECTURE, field,
                           "医療機関コード 都道府県番号 %02d is not 01-47", p);
    int t = in[2] - '0';
    if (t != 1 && t != 3 && t != 4 && t != 6)
        return sk_diag_set(d, SK_C_MEDINST_TABLE, field,
                           "医療機関コード 点数表番号 %d is not 1, 3, 4 or 6", t);
    if (sk_checkdigit_luhn(in, 9) != in[9] - '0')
        return sk_diag_set(d, SK_C_MEDINST_CHECK_DIGIT, field,
                           "医療機関コード 検証番号 does not match");
    memcpy(out->digits, in, 10);
    out->prefecture = (unsigned char)p;
    out->table = (sk_tensu_table)t;
    return SK_OK;
}
