/* csv.c — CSV records and Shift_JIS → UTF-8 (see csv.h). */
#include "util/csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <strings.h>
#include <string.h>

#include "util/utf8.h"

void sk_csv_init(sk_csv *c, char *text, size_t len)
{
    c->p = text;
    c->end = text + len;
    c->line = 1;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        c->p += 3;
}

sk_err sk_csv_next(sk_csv *c, char **fields, size_t *n, size_t *line, sk_diag *d)
{
    /* skip blank lines */
    while (c->p < c->end && (*c->p == '\n' || *c->p == '\r')) {
        if (*c->p == '\n')
            c->line++;
        c->p++;
    }
    if (c->p >= c->end)
        return SK_ERR_NOTFOUND;
    *line = c->line;
    *n = 0;
    char field_name[32];
    for (;;) {
        if (*n >= SK_CSV_MAX_FIELDS) {
            snprintf(field_name, sizeof(field_name), "line %zu", *line);
            return sk_diag_set(d, SK_C_CSV, field_name, "more than %d columns", SK_CSV_MAX_FIELDS);
        }
        char *start = c->p, *out = c->p; /* unescaped text is written over the input */
        if (c->p < c->end && *c->p == '"') {
            c->p++;
            for (;;) {
                if (c->p >= c->end) {
                    snprintf(field_name, sizeof(field_name), "line %zu", *line);
                    return sk_diag_set(d, SK_C_CSV, field_name, "a quoted field is not closed");
                }
                if (*c->p == '"') {
                    if (c->p + 1 < c->end && c->p[1] == '"') {
                        *out++ = '"';
                        c->p += 2;
                        continue;
                    }
                    c->p++;
                    break;
                }
                if (*c->p == '\n')
                    c->line++;
                *out++ = *c->p++;
            }
            if (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
                snprintf(field_name, sizeof(field_name), "line %zu", c->line);
                return sk_diag_set(d, SK_C_CSV, field_name, "text after a closing quote");
            }
        } else {
            while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
                if (*c->p == '"') {
                    snprintf(field_name, sizeof(field_name), "line %zu", c->line);
                    return sk_diag_set(d, SK_C_CSV, field_name, "a quote inside an unquoted field");
                }
                c->p++;
            }
            out = c->p;
        }
        char sep = c->p < c->end ? *c->p : '\n';
        *out = '\0'; /* out <= c->p: at most the separator is overwritten, after reading it */
        fields[(*n)++] = start;
        if (c->p < c->end)
            c->p++;
        if (sep == ',')
            continue;
        if (sep == '\r' && c->p < c->end && *c->p == '\n')
            c->p++;
        c->line++;
        return SK_OK;
    }
}

sk_err sk_text_encoding_parse(const char *s, sk_text_encoding *out, sk_diag *d)
{
    if (!s || !strcmp(s, "auto"))
        *out = SK_ENC_AUTO;
    else if (!strcasecmp(s, "utf-8") || !strcasecmp(s, "utf8"))
        *out = SK_ENC_UTF8;
    else if (!strcasecmp(s, "shift_jis") || !strcasecmp(s, "sjis") || !strcasecmp(s, "cp932"))
        *out = SK_ENC_SJIS;
    else
        return sk_diag_set(d, SK_C_ENCODING, "encoding", "encoding is auto, utf-8 or shift_jis");
    return SK_OK;
}

sk_err sk_text_to_utf8(const char *in, size_t len, sk_text_encoding enc, sk_arena *a, char **out,
                       size_t *out_len, sk_text_encoding *used, sk_diag *d)
{
    if (enc == SK_ENC_AUTO)
        enc = sk_utf8_valid(in, len) ? SK_ENC_UTF8 : SK_ENC_SJIS;
    *used = enc;
    if (enc == SK_ENC_UTF8) {
        if (!sk_utf8_valid(in, len))
            return sk_diag_set(d, SK_C_ENCODING, "file", "the file is not valid UTF-8");
        *out = sk_arena_strndup(a, in, len);
        *out_len = len;
        return *out ? SK_OK : sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    }
    /* CP932 is Microsoft's Shift_JIS (NEC/IBM extensions, ～ and － as spreadsheets write them) */
    iconv_t cd = iconv_open("UTF-8", "CP932");
    if (cd == (iconv_t)-1)
        return sk_diag_set(d, SK_C_ENCODING, "encoding", "this system cannot convert Shift_JIS");
    size_t cap = len * 3 / 2 + 4; /* a 2-byte SJIS character is at most 3 UTF-8 bytes */
    char *buf = sk_arena_array(a, cap, 1);
    if (!buf) {
        iconv_close(cd);
        return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    }
    char *src = (char *)in, *dst = buf;
    size_t inleft = len, outleft = cap - 1;
    size_t rc = iconv(cd, &src, &inleft, &dst, &outleft);
    iconv_close(cd);
    if (rc == (size_t)-1)
        return sk_diag_set(d, SK_C_ENCODING, "file", "not valid Shift_JIS at byte %zu%s",
                           (size_t)(src - in), errno == E2BIG ? " (output too long)" : "");
    *dst = '\0';
    *out = buf;
    *out_len = (size_t)(dst - buf);
    return SK_OK;
}
