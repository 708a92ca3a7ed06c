/* csv.h — RFC 4180 CSV reading (comma, "quoted" fields with "" escapes and line breaks,
 * CRLF or LF, a UTF-8 BOM skipped). The reader works in place on a caller's buffer; a
 * Shift_JIS file is turned into UTF-8 first (util/text.h). */
#ifndef SK_UTIL_CSV_H
#define SK_UTIL_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/err.h"

#define SK_CSV_MAX_FIELDS 64

typedef struct sk_csv {
    char *p, *end;
    size_t line; /* line number where the next record starts (1-based) */
} sk_csv;

/* text[len] must be a NUL; text stays alive and is modified (fields are NUL-terminated in
 * place). */
void sk_csv_init(sk_csv *c, char *text, size_t len);
/* The next record: *n fields in fields[] (pointers into the text). Returns SK_ERR_NOTFOUND at
 * the end, SK_C_CSV (field "line N") on an unterminated quote, text after a closing quote or
 * more than SK_CSV_MAX_FIELDS fields. *line is the record's first line. Blank lines are
 * skipped. */
sk_err sk_csv_next(sk_csv *c, char **fields, size_t *n, size_t *line, sk_diag *d);

#endif
