/* numbering.c — rendering an insurer's numbering rule (see numbering.h). Pure: no I/O. */
#include "registry/numbering.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_SYMBOL "{office}"
#define DEFAULT_NUMBER "{seq}"
#define FIELD          "numbering_rule"

/* The template of one part ("symbol" or "number") as a pointer + length into rule. */
static sk_err part(const char *rule, const char *name, const char **t, size_t *tlen, sk_diag *d)
{
    *t = strcmp(name, "symbol") == 0 ? DEFAULT_SYMBOL : DEFAULT_NUMBER;
    *tlen = strlen(*t);
    const char *p = rule ? rule : "";
    bool seen[2] = {false, false};
    while (*p) {
        const char *end = strchr(p, ';');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        if (!eq)
            return sk_diag_set(d, SK_C_NUMBERING_RULE, FIELD, "expected symbol=… or number=…");
        size_t klen = (size_t)(eq - p);
        int which = klen == 6 && memcmp(p, "symbol", 6) == 0   ? 0
                    : klen == 6 && memcmp(p, "number", 6) == 0 ? 1
                                                               : -1;
        if (which < 0)
            return sk_diag_set(d, SK_C_NUMBERING_RULE, FIELD,
                               "unknown part %.*s (use symbol= and number=)", (int)klen, p);
        if (seen[which])
            return sk_diag_set(d, SK_C_NUMBERING_RULE, FIELD, "%s= given twice",
                               which ? "number" : "symbol");
        seen[which] = true;
        if ((which == 0) == (strcmp(name, "symbol") == 0)) {
            *t = eq + 1;
            *tlen = n - klen - 1;
        }
        p += n;
        if (*p == ';')
            p++;
    }
    return SK_OK;
}

/* Expands a template. seq < 0: the symbol (no {seq} allowed). */
static sk_err expand(const char *t, size_t tlen, const char *office, int64_t seq, char *out,
                     sk_diag *d)
{
    size_t o = 0, cap = SK_CARD_FIELD_MAX_BYTES;
    bool had_seq = false;
    for (size_t i = 0; i < tlen;) {
        char piece[32];
        const char *src;
        size_t n;
        if (t[i] == '{') {
            const char *close = memchr(t + i, '}', tlen - i);
            if (!close)
                return sk_diag_set(d, SK_C_NUMBERING_RULE, FIELD, "unclosed {");
            size_t plen = (size_t)(close - (t + i)) + 1;
            if (plen == 8 && memcmp(t + i, "{office}", 8) == 0) {
                src = office ? office : "";
                n = strlen(src);
            } else if ((plen == 5 && memcmp(t + i, "{seq}", 5) == 0) ||
                       (plen >= 7 && memcmp(t + i, "{seq:", 5) == 0)) {
                if (seq < 0)
                    return sk_diag_set(d, SK_C_NUMBERING_RULE, FIELD,
                                       "{seq} belongs in the number, not the symbol");
                int width = 0;
                for (size_t k = 5; k + 1 < plen; k++) {
                    if (t[i + k] < '0' || t[i + k] > '9' || width > 10)
                        return sk_diag_set(d, SK_C_NUMBERING_RULE, FIELD, "bad width in {seq:N}");
                    width = width * 10 + (t[i + k] - '0');
                }
                if (plen >= 7 && (width < 1 || width > 10))
                    return sk_diag_set(d, SK_C_NUMBERING_RULE, FIELD,
                                       "{seq:N} needs N between 1 and 10");
                int len = snprintf(piece, sizeof(piece), "%0*lld", width, (long long)seq);
                if (width && len > width)
                    return sk_diag_set(d, SK_C_NUMBERING_RULE, FIELD,
                                       "the sequence has run past %d digits", width);
                src = piece;
                n = (size_t)len;
                had_seq = true;
            } else {
                return sk_diag_set(d, SK_C_NUMBERING_RULE, FIELD,
                                   "unknown placeholder %.*s (use {office}, {seq}, {seq:N})",
                                   (int)plen, t + i);
            }
            i += plen;
        } else if (t[i] == '}' || t[i] == '=') {
            return sk_diag_set(d, SK_C_NUMBERING_RULE, FIELD, "stray %c", t[i]);
        } else {
            src = t + i;
            n = 1;
            i++;
        }
        if (o + n >= cap)
            return sk_diag_set(d, SK_C_NUMBERING_RULE, FIELD, "the result is too long");
        memcpy(out + o, src, n);
        o += n;
    }
    out[o] = '\0';
    if (seq >= 0 && !had_seq)
        return sk_diag_set(d, SK_C_NUMBERING_RULE, FIELD,
                           "the number needs {seq}, or every member would get the same one");
    return SK_OK;
}

static sk_err render(const char *rule, const char *which, const char *office, int64_t seq,
                     char *out, sk_diag *d)
{
    const char *t;
    size_t tlen;
    sk_err err = part(rule, which, &t, &tlen, d);
    if (!err)
        err = expand(t, tlen, office, seq, out, d);
    if (err)
        return err;
    sk_diag local;
    size_t n = strlen(out);
    err = seq < 0 ? sk_card_symbol_check(out, n, FIELD, &local)
                  : sk_card_number_check(out, n, FIELD, &local);
    if (err)
        return sk_diag_set(d, SK_C_NUMBERING_RULE, FIELD, "the %s it makes is not valid: %s", which,
                           local.message);
    return SK_OK;
}

sk_err sk_numbering_symbol(const char *rule, const char *office, char *out, sk_diag *d)
{
    return render(rule, "symbol", office, -1, out, d);
}

sk_err sk_numbering_number(const char *rule, const char *office, int64_t seq, char *out, sk_diag *d)
{
    return render(rule, "number", office, seq < 0 ? 0 : seq, out, d);
}

sk_err sk_numbering_check(const char *rule, sk_diag *d)
{
    char buf[SK_CARD_FIELD_MAX_BYTES];
    /* a representative office code; a rule may legitimately render an empty 記号 */
    sk_err err = sk_numbering_symbol(rule, "1", buf, d);
    if (!err)
        err = sk_numbering_number(rule, "1", 1, buf, d);
    return err;
}
