/* medinst.h — 医療機関コード (10 digits; domain-rules §3):
 * 都道府県番号(2) + 点数表番号(1) + 郡市区番号(2) + 医療機関番号(4) + 検証番号(1), the check digit
 * being the Luhn of all 9 preceding digits. */
#ifndef SK_CORE_MEDINST_H
#define SK_CORE_MEDINST_H

#include <stddef.h>

#include "util/err.h"

typedef enum sk_tensu_table {
    SK_TENSU_IKA = 1,       /* 医科 */
    SK_TENSU_SHIKA = 3,     /* 歯科 */
    SK_TENSU_CHOZAI = 4,    /* 調剤 (not confirmed) */
    SK_TENSU_HOMONKANGO = 6 /* 訪問看護 (not confirmed) */
} sk_tensu_table;

typedef struct sk_medinst_code {
    char digits[11];
    unsigned char prefecture;
    sk_tensu_table table;
} sk_medinst_code;

sk_err sk_medinst_code_parse(const char *in, size_t len, sk_medinst_code *out, const char *field,
                             sk_diag *d);

#endif
