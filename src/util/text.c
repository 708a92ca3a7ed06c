/* text.c — UTF-8 and Shift_JIS (CP932) conversions (see text.h). */
#include "util/text.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/log.h"
#include "util/utf8.h"

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
    /* a half-width katakana is 1 byte in Shift_JIS and 3 in UTF-8 */
    size_t cap = len * 3 + 4;
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

sk_err sk_text_utf8_to_cp932(const char *in, size_t len, sk_buf *out, size_t *replaced)
{
    iconv_t cd = iconv_open("CP932", "UTF-8"); /* cheap: glibc caches its conversion tables */
    if (cd == (iconv_t)-1)
        return SK_ERR_INTERNAL;
    sk_err err = sk_buf_reserve(out, len + 4);
    size_t i = 0;
    while (!err && i < len) {
        size_t run = i;
        while (run < len && (unsigned char)in[run] < 0x80)
            run++;
        if (run > i) { /* ASCII is the same in both */
            err = sk_buf_append(out, in + i, run - i);
            i = run;
            continue;
        }
        uint32_t cp;
        size_t n = sk_utf8_decode(in + i, len - i, &cp);
        if (n == 0) {
            err = SK_ERR_INVALID;
            break;
        }
        char bytes[4];
        char *src = (char *)in + i, *dst = bytes;
        size_t left = n, room = sizeof(bytes);
        if (iconv(cd, &src, &left, &dst, &room) == (size_t)-1) {
            iconv(cd, NULL, NULL, NULL, NULL);
            err = sk_buf_append(out, "\x81\x9c", 2); /* ● */
            if (replaced)
                (*replaced)++;
            SK_WARN("text: U+%04X has no Shift_JIS (CP932) form; written as U+25CF", (unsigned)cp);
        } else {
            err = sk_buf_append(out, bytes, sizeof(bytes) - room);
        }
        i += n;
    }
    iconv_close(cd);
    return err;
}
