/* buf.h — a growable byte buffer with a hard maximum. Appends are all-or-nothing: an append
 * that would pass the maximum returns SK_ERR_TOOBIG and leaves the buffer as it was. The
 * contents are always NUL-terminated once anything has been appended. */
#ifndef SK_UTIL_BUF_H
#define SK_UTIL_BUF_H

#include <stddef.h>

#include "util/err.h"

typedef struct sk_buf {
    char *data;
    size_t len; /* bytes in use, excluding the terminating NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* the most len may ever be */
} sk_buf;

void sk_buf_init(sk_buf *b, size_t max);
void sk_buf_deinit(sk_buf *b);
/* Empties the buffer, keeping its memory. */
void sk_buf_reset(sk_buf *b);
/* Makes room for `extra` more bytes. */
sk_err sk_buf_reserve(sk_buf *b, size_t extra);
sk_err sk_buf_append(sk_buf *b, const void *p, size_t n);
sk_err sk_buf_puts(sk_buf *b, const char *s);
sk_err sk_buf_putc(sk_buf *b, char c);
sk_err sk_buf_printf(sk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Shrinks len to n (n <= len). */
void sk_buf_truncate(sk_buf *b, size_t n);
/* The contents as a C string ("" when empty); valid until the next change. */
const char *sk_buf_cstr(const sk_buf *b);
/* s (UTF-8) as a JSON string with its quotes: ", \ and control characters escaped, the rest
 * copied (the answers written without a JSON library, on the look-up paths). */
sk_err sk_buf_json_string(sk_buf *b, const char *s);
/* s[0..n) escaped as sk_buf_json_string does, without the quotes, at out, which has room for
 * 6 * n bytes; returns the end. For a writer that reserves once for several strings. */
char *sk_json_escape(char *out, const char *s, size_t n);
/* Hands the heap block to the caller (free() it) and leaves the buffer empty.
 * Returns NULL on allocation failure. */
char *sk_buf_take(sk_buf *b);

#endif
