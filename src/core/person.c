/* person.c — 5情報 field rules. */
#include "core/person.h"

#include <stdbool.h>
#include <stdint.h>
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

bool sk_text_char_refused(uint32_t cp)
{
    /* Cc, Cf (bidi controls, ZWSP/ZWNJ/ZWJ, BOM, tags) and the line/paragraph separators
     * (Zl, Zp): none is written in a name or an address, and each can make two texts that
     * look alike differ, or one look like another (a bidi override reorders what follows) */
    return sk_utf8_is_control(cp) || sk_utf8_is_format(cp) || cp == 0x2028 || cp == 0x2029;
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
        if (sk_text_char_refused(cp))
            return sk_diag_set(d, SK_C_BAD_CHAR, field,
                               "%s contains U+%04X, a control or invisible formatting character",
                               field, (unsigned)cp);
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

/* U+30A1 ァ … U+30F6 ヶ → half-width katakana and a sound mark (1 ﾞ, 2 ﾟ). */
static const struct {
    uint16_t half;
    uint8_t mark;
} kata_half[] = {
    {0xFF67, 0}, {0xFF71, 0}, {0xFF68, 0}, {0xFF72, 0}, {0xFF69, 0}, {0xFF73, 0}, {0xFF6A, 0},
    {0xFF74, 0}, {0xFF6B, 0}, {0xFF75, 0}, {0xFF76, 0}, {0xFF76, 1}, {0xFF77, 0}, {0xFF77, 1},
    {0xFF78, 0}, {0xFF78, 1}, {0xFF79, 0}, {0xFF79, 1}, {0xFF7A, 0}, {0xFF7A, 1}, {0xFF7B, 0},
    {0xFF7B, 1}, {0xFF7C, 0}, {0xFF7C, 1}, {0xFF7D, 0}, {0xFF7D, 1}, {0xFF7E, 0}, {0xFF7E, 1},
    {0xFF7F, 0}, {0xFF7F, 1}, {0xFF80, 0}, {0xFF80, 1}, {0xFF81, 0}, {0xFF81, 1}, {0xFF6F, 0},
    {0xFF82, 0}, {0xFF82, 1}, {0xFF83, 0}, {0xFF83, 1}, {0xFF84, 0}, {0xFF84, 1}, {0xFF85, 0},
    {0xFF86, 0}, {0xFF87, 0}, {0xFF88, 0}, {0xFF89, 0}, {0xFF8A, 0}, {0xFF8A, 1}, {0xFF8A, 2},
    {0xFF8B, 0}, {0xFF8B, 1}, {0xFF8B, 2}, {0xFF8C, 0}, {0xFF8C, 1}, {0xFF8C, 2}, {0xFF8D, 0},
    {0xFF8D, 1}, {0xFF8D, 2}, {0xFF8E, 0}, {0xFF8E, 1}, {0xFF8E, 2}, {0xFF8F, 0}, {0xFF90, 0},
    {0xFF91, 0}, {0xFF92, 0}, {0xFF93, 0}, {0xFF6C, 0}, {0xFF94, 0}, {0xFF6D, 0}, {0xFF95, 0},
    {0xFF6E, 0}, {0xFF96, 0}, {0xFF97, 0}, {0xFF98, 0}, {0xFF99, 0}, {0xFF9A, 0}, {0xFF9B, 0},
    {0xFF9C, 0}, {0xFF9C, 0}, {0xFF72, 0}, {0xFF74, 0}, {0xFF66, 0}, {0xFF9D, 0}, {0xFF73, 1},
    {0xFF76, 0}, {0xFF79, 0},
};

static sk_err put(char *out, size_t cap, size_t *o, uint32_t cp)
{
    char b[4];
    size_t n = sk_utf8_encode(cp, b);
    if (*o + n + 1 > cap)
        return SK_ERR_TOOBIG;
    memcpy(out + *o, b, n);
    *o += n;
    return SK_OK;
}

/* Copies in to out code point by code point: kana → the NameKana form, else ' ' → U+3000. */
static sk_err transcode(const char *in, size_t len, char *out, size_t cap, bool kana)
{
    size_t o = 0;
    if (!cap)
        return SK_ERR_TOOBIG;
    for (size_t i = 0; i < len;) {
        uint32_t cp, mark = 0;
        size_t n = sk_utf8_decode(in + i, len - i, &cp);
        if (!n)
            return SK_ERR_INVALID;
        i += n;
        if (!kana) {
            cp = cp == ' ' ? 0x3000 : cp;
        } else if (cp >= 0x30A1 && cp <= 0x30F6) {
            uint8_t m = kata_half[cp - 0x30A1].mark;
            mark = m == 1 ? 0xFF9E : m == 2 ? 0xFF9F : 0;
            cp = kata_half[cp - 0x30A1].half;
        } else if (cp == 0x30FC || cp == 0x30FB || cp == 0x3000) {
            cp = cp == 0x30FC ? 0xFF70 : cp == 0x30FB ? 0xFF65 : ' ';
        }
        if (put(out, cap, &o, cp) || (mark && put(out, cap, &o, mark))) {
            out[0] = '\0';
            return SK_ERR_TOOBIG;
        }
    }
    out[o] = '\0';
    return SK_OK;
}

sk_err sk_kana_halfwidth(const char *in, size_t len, char *out, size_t cap)
{
    return transcode(in, len, out, cap, true);
}

sk_err sk_name_fullwidth_space(const char *in, size_t len, char *out, size_t cap)
{
    return transcode(in, len, out, cap, false);
}
