/* text.h — the two encodings Japanese files come in: UTF-8 and Shift_JIS, read and written as
 * CP932 (Microsoft's Shift_JIS, which spreadsheets and レセコン on Windows produce: NEC and IBM
 * extensions such as ①, 髙, 﨑, and ～ － as they write them). glibc's iconv does the mapping. */
#ifndef SK_UTIL_TEXT_H
#define SK_UTIL_TEXT_H

#include <stddef.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

typedef enum sk_text_encoding { SK_ENC_AUTO = 0, SK_ENC_UTF8, SK_ENC_SJIS } sk_text_encoding;

sk_err sk_text_encoding_parse(const char *s, sk_text_encoding *out, sk_diag *d);
/* Returns the text as UTF-8 in arena a (NUL-terminated). AUTO: valid UTF-8 is UTF-8, else
 * Shift_JIS. SK_C_ENCODING (with the byte offset) when the bytes are not valid in it. */
sk_err sk_text_to_utf8(const char *in, size_t len, sk_text_encoding enc, sk_arena *a, char **out,
                       size_t *out_len, sk_text_encoding *used, sk_diag *d);

/* Appends the UTF-8 text in[len] to out as CP932. A character CP932 cannot hold is written as
 * ● (U+25CF, 0x819C), added to *replaced (may be NULL) and logged with its code point;
 * JIS-form code points such as U+301C WAVE DASH go to their CP932 bytes. SK_ERR_INVALID when
 * in is not UTF-8. */
sk_err sk_text_utf8_to_cp932(const char *in, size_t len, sk_buf *out, size_t *replaced);

#endif
