/* person.c — 5情報 field rules. */
#include "core/person.h"

#include <stdbool.h>
#include <string.h>

#include "util/utf8.h"

sk_err sk_sex_parse(const char *s, size_t len, sk_sex *out, const char *field, sk_diag *d)
{
    if (len == 1 && s[0] >= '1' && s[0] <= '3') {
        *out = (sk_sex)(s[0] - '0');
        return SK_OK;
    }
    return sk_diag_set(d, SK_C_SEX, field, "性別 must be 1 (男), 2 (女) or 3 (未設定)");
}

sk_err sk_postcode_parse(const char *s, size_t len, char out[9], const char *field, sk_diag *d)
{
    char digits[7];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] >= '0' && s[i] <= '9' && n < 7)
            digits[n++] = s[i];
        else if (!(s[i] == '-' && i == 3 && len == 8))
            return sk_diag_set(d, SK_C_POSTCODE, field, "郵便番号 must be NNN-NNNN or NNNNNNN");
    }
    if (n != 7)
        return sk_diag_set(d, SK_C_POSTCODE, field, "郵便番号 must be NNN-NNNN or NNNNNNN");
    memcpy(out, digits, 3);
    out[3] = '-';
    memcpy(out + 4, digits + 3, 4);
    out[8] = '\0';
    return SK_OK;
}

sk_err sk_text_check(const char *s, size_t len, size_t max, const char *field, sk_diag *d)
{
    if (len == 0)
        return sk_diag_set(d, SK_C_REQUIRED, field, "%s is required", field);
    if (len > max)
        return sk_diag_set(d, SK_C_TOO_LONG, field, "%s is longer than %zu bytes", field, max);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t l = sk_utf8_decode(s + i, len - i, &cp);
        if (!l)
            return sk_diag_set(d, SK_C_BAD_UTF8, field, "%s is not valid UTF-8", field);
        if (sk_utf8_is_control(cp))
            return sk_diag_set(d, SK_C_BAD_CHAR, field, "%s contains a control character", field);
        i += l;
    }
    return SK_OK;
}

sk_err sk_kana_check(const char *s, size_t len, const char *field, sk_diag *d)
{
    sk_err err = sk_text_check(s, len, SK_NAME_MAX_BYTES, field, d);
    if (err)
        return err;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t l = sk_utf8_decode(s + i, len - i, &cp);
        bool ok = (cp >= 0x30A1 && cp <= 0x30FA) || cp == 0x30FC || /* katakana, ー */
                  (cp >= 0xFF66 && cp <= 0xFF9F) ||                 /* half-width katakana */
                  cp == ' ' || cp == 0x3000 || cp == 0x30FB;        /* spaces, ・ */
        if (!ok)
            return sk_diag_set(d, SK_C_KANA, field,
                               "カナ氏名 may contain only katakana, ー and spaces");
        i += l;
    }
    return SK_OK;
}
