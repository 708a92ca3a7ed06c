/* fuzz_csv.c — CSV records and encoding detection: never crash, never read past the text,
 * every field lies inside the buffer, errors name a line. */
#include <string.h>

#include "fuzz.h"
#include "util/csv.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sk_arena *a = sk_arena_alloc(4096, 64u << 20);
    char *text;
    size_t len;
    sk_text_encoding used;
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_text_to_utf8((const char *)data, size, SK_ENC_AUTO, a, &text, &len, &used, &d) ==
        SK_OK) {
        sk_csv c;
        sk_csv_init(&c, text, len);
        char *f[SK_CSV_MAX_FIELDS];
        size_t n, line, last = 0;
        sk_err err;
        while ((err = sk_csv_next(&c, f, &n, &line, &d)) == SK_OK) {
            FUZZ_ASSERT(n >= 1 && n <= SK_CSV_MAX_FIELDS);
            FUZZ_ASSERT(line > last);
            last = line;
            for (size_t i = 0; i < n; i++)
                FUZZ_ASSERT(f[i] >= text && f[i] + strlen(f[i]) <= text + len);
        }
        FUZZ_ASSERT(err == SK_ERR_NOTFOUND || strncmp(d.field, "line ", 5) == 0);
    } else {
        FUZZ_ASSERT(d.code == SK_C_ENCODING);
    }
    sk_arena_free(a);
    return 0;
}
