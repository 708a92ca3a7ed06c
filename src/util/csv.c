/* csv.c — CSV records (see csv.h). */
#include "util/csv.h"

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
