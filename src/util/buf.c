/* buf.c — bounded growable buffer. */
#include "util/buf.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sk_buf_init(sk_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void sk_buf_deinit(sk_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void sk_buf_reset(sk_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

sk_err sk_buf_reserve(sk_buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra)
        return SK_ERR_TOOBIG;
    size_t need = b->len + extra + 1; /* + NUL */
    if (need <= b->cap)
        return SK_OK;
    size_t ncap = b->cap ? b->cap : 64;
    while (ncap < need)
        ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
    if (ncap > b->max + 1)
        ncap = b->max + 1;
    char *p = realloc(b->data, ncap);
    if (!p)
        return SK_ERR_NOMEM;
    b->data = p;
    b->cap = ncap;
    return SK_OK;
}

sk_err sk_buf_append(sk_buf *b, const void *p, size_t n)
{
    sk_err err = sk_buf_reserve(b, n);
    if (err)
        return err;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return SK_OK;
}

sk_err sk_buf_puts(sk_buf *b, const char *s)
{
    return sk_buf_append(b, s, strlen(s));
}

sk_err sk_buf_putc(sk_buf *b, char c)
{
    if (b->len + 2 <= b->cap) { /* room for it and the NUL: cap never exceeds max + 1 */
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return SK_OK;
    }
    return sk_buf_append(b, &c, 1);
}

sk_err sk_buf_printf(sk_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return SK_ERR_INVALID;
    sk_err err = sk_buf_reserve(b, (size_t)n);
    if (err)
        return err;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return SK_OK;
}

void sk_buf_truncate(sk_buf *b, size_t n)
{
    if (n < b->len) {
        b->len = n;
        b->data[n] = '\0';
    }
}

const char *sk_buf_cstr(const sk_buf *b)
{
    return b->data ? b->data : "";
}

char *sk_buf_take(sk_buf *b)
{
    char *p = b->data;
    if (!p)
        p = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

/* Whether any of the eight bytes in v is below 0x20, '"' or '\\' (the bytes JSON escapes): the
 * zero-byte test of each, exact as a yes/no (a borrow only ever marks a byte above a true one). */
static inline bool needs_escape(uint64_t v)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t q = v ^ (ones * '"'), bs = v ^ (ones * '\\');
    uint64_t low = (v - ones * 0x20) & ~v;
    return ((low | ((q - ones) & ~q) | ((bs - ones) & ~bs)) & highs) != 0;
}

/* Byte by byte through sk_buf_append: for a string whose worst case would pass the bound. */
static sk_err json_string_bounded(sk_buf *b, const char *s)
{
    sk_err err = sk_buf_putc(b, '"');
    while (!err && *s) {
        size_t run = 0;
        while (s[run] && s[run] != '"' && s[run] != '\\' && (unsigned char)s[run] >= 0x20)
            run++;
        err = sk_buf_append(b, s, run);
        s += run;
        if (err || !*s)
            break;
        unsigned char c = (unsigned char)*s++;
        err = c == '"'    ? sk_buf_append(b, "\\\"", 2)
              : c == '\\' ? sk_buf_append(b, "\\\\", 2)
              : c == '\n' ? sk_buf_append(b, "\\n", 2)
              : c == '\r' ? sk_buf_append(b, "\\r", 2)
              : c == '\t' ? sk_buf_append(b, "\\t", 2)
                          : sk_buf_printf(b, "\\u%04x", c);
    }
    return err ? err : sk_buf_putc(b, '"');
}

char *sk_json_escape(char *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n;) {
        /* eight bytes at a time while none needs escaping (the room reserved covers it) */
        if (n - i >= 8) {
            uint64_t v;
            memcpy(&v, s + i, 8);
            if (!needs_escape(v)) {
                memcpy(o, &v, 8);
                o += 8;
                i += 8;
                continue;
            }
        }
        unsigned char c = (unsigned char)s[i++];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *o++ = (char)c;
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"':
        case '\\':
            *o++ = (char)c;
            break;
        case '\n':
            *o++ = 'n';
            break;
        case '\r':
            *o++ = 'r';
            break;
        case '\t':
            *o++ = 't';
            break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    return o;
}

sk_err sk_buf_json_string(sk_buf *b, const char *s)
{
    size_t n = strlen(s);
    /* room for the worst case (every byte a \u00XX) at once, then no check per byte; answers
     * are written this way, a string at a time */
    if (n > (SIZE_MAX - 2) / 6 || sk_buf_reserve(b, n * 6 + 2) != SK_OK)
        return json_string_bounded(b, s);
    char *o = b->data + b->len;
    *o++ = '"';
    o = sk_json_escape(o, s, n);
    *o++ = '"';
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
    return SK_OK;
}
