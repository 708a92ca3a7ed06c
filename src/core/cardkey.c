/* cardkey.c — 記号・番号・枝番 character rules (domain-rules §4). */
#include "core/cardkey.h"

#include <string.h>

#include "util/utf8.h"

typedef enum { CLS_BAD, CLS_HALF, CLS_FULL } char_class;

static char_class classify(uint32_t cp)
{
    if ((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'))
        return CLS_HALF;
    if (cp < 0x80)
        return CLS_BAD; /* half-width symbols, spaces and controls */
    if (cp < 0x370)
        return CLS_BAD; /* Latin-1 and combining marks: not full-width text */
    if ((cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
        (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || cp == 0xFEFF)
        return CLS_BAD; /* spaces of every width, invisible format characters */
    if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF))
        return CLS_BAD; /* variation selectors */
    if (cp >= 0xFF61 && cp <= 0xFF9F)
        return CLS_BAD; /* half-width katakana */
    return CLS_FULL;
}

static sk_err check_field(const char *s, size_t len, bool allow_empty, sk_code code,
                          const char *label, const char *field, sk_diag *d)
{
    if (len == 0) {
        if (allow_empty)
            return SK_OK;
        return sk_diag_set(d, SK_C_REQUIRED, field, "%s is required", label);
    }
    char_class first = CLS_BAD;
    size_t chars = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t l = sk_utf8_decode(s + i, len - i, &cp);
        if (!l)
            return sk_diag_set(d, SK_C_BAD_UTF8, field, "%s is not valid UTF-8", label);
        char_class c = classify(cp);
        if (c == CLS_BAD)
            return sk_diag_set(d, code, field,
                               "%s character %zu is not allowed (spaces, half-width kana and "
                               "half-width symbols are not)",
                               label, chars + 1);
        if (chars == 0)
            first = c;
        else if (c != first)
            return sk_diag_set(d, code, field,
                               "%s mixes half-width and full-width characters; write it all "
                               "half-width or all full-width",
                               label);
        chars++;
        i += l;
    }
    if (chars > SK_CARD_FIELD_MAX_CHARS)
        return sk_diag_set(d, code, field, "%s has %zu characters; at most %d", label, chars,
                           SK_CARD_FIELD_MAX_CHARS);
    return SK_OK;
}

sk_err sk_card_symbol_check(const char *s, size_t len, const char *field, sk_diag *d)
{
    return check_field(s, len, true, SK_C_CARD_SYMBOL, "記号", field, d);
}

sk_err sk_card_number_check(const char *s, size_t len, const char *field, sk_diag *d)
{
    return check_field(s, len, false, SK_C_CARD_NUMBER, "番号", field, d);
}

sk_err sk_card_branch_check(const char *s, size_t len, const char *field, sk_diag *d)
{
    if (len == 0)
        return SK_OK;
    if (len != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return sk_diag_set(d, SK_C_CARD_BRANCH, field,
                           "枝番 must be exactly two half-width digits 00-99, or empty");
    return SK_OK;
}

sk_err sk_cardkey_make(const char *symbol, size_t slen, const char *number, size_t nlen,
                       const char *branch, size_t blen, sk_cardkey *out, sk_diag *d)
{
    sk_err err;
    memset(out, 0, sizeof(*out));
    if ((err = sk_card_symbol_check(symbol, slen, "symbol", d)) ||
        (err = sk_card_number_check(number, nlen, "number", d)) ||
        (err = sk_card_branch_check(branch, blen, "branch", d)))
        return err;
    /* the checks above bound the byte lengths: 20 characters of at most 4 bytes each */
    memcpy(out->symbol, symbol, slen);
    memcpy(out->number, number, nlen);
    memcpy(out->branch, branch, blen);
    return SK_OK;
}

bool sk_cardkey_equal(const sk_cardkey *a, const sk_cardkey *b)
{
    return strcmp(a->symbol, b->symbol) == 0 && strcmp(a->number, b->number) == 0 &&
           strcmp(a->branch, b->branch) == 0;
}

void sk_branch_alloc_init(sk_branch_alloc *b)
{
    b->max = 0;
    b->reuse[0] = '\0';
}

void sk_branch_seen(sk_branch_alloc *b, const char *branch, bool same_person)
{
    int v = 0;
    if (branch[0] >= '0' && branch[0] <= '9' && branch[1] >= '0' && branch[1] <= '9')
        v = (branch[0] - '0') * 10 + (branch[1] - '0');
    if (v > b->max)
        b->max = v;
    if (same_person && branch[0])
        memcpy(b->reuse, branch, 3);
}

sk_err sk_branch_next(const sk_branch_alloc *b, char out[3], const char *field, sk_diag *d)
{
    if (b->reuse[0]) {
        memcpy(out, b->reuse, 3);
        return SK_OK;
    }
    int next = b->max + 1;
    if (next > 99)
        return sk_diag_set(d, SK_C_TOO_LONG, field, "no 枝番 left under this 記号・番号 (99 used)");
    out[0] = (char)('0' + next / 10);
    out[1] = (char)('0' + next % 10);
    out[2] = '\0';
    return SK_OK;
}
