/* fuzz_import.c — the CSV import of 届出 as a whole, rows to filings (shikaku import
 * notifications, without the store): the CSV reader, the row → 届出 mapping and every check a
 * 届出 gets before it is filed. Never crash; every refusal is the input's (a code other than
 * internal, with a message); an accepted row has a kind of 届出. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "registry/filing.h"
#include "util/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    char *text = malloc(size + 1);
    sk_arena *a = sk_arena_alloc(0, 1 << 20);
    if (!text || !a) {
        free(text);
        sk_arena_free(a);
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    sk_csv csv;
    sk_csv_init(&csv, text, size);
    char *header[SK_CSV_MAX_FIELDS], *row[SK_CSV_MAX_FIELDS];
    size_t nh = 0, nr = 0, line = 0;
    sk_diag d;
    sk_diag_clear(&d);
    sk_err err = sk_csv_next(&csv, header, &nh, &line, &d);
    for (int rows = 0; !err && rows < 64; rows++) {
        err = sk_csv_next(&csv, row, &nr, &line, &d);
        if (err) {
            FUZZ_ASSERT(err == SK_ERR_NOTFOUND || d.code == SK_C_CSV);
            break;
        }
        if (nr != nh)
            continue; /* reported per row by the import, skipped */
        sk_field fields[SK_CSV_MAX_FIELDS];
        sk_filing f;
        sk_filing_from_row(header, row, nh, fields, &f);
        FUZZ_ASSERT(f.nfields <= nh);
        sk_diag_clear(&d);
        /* judged on a fixed day (2026-04-01 JST), so that a date's verdict is reproducible */
        sk_err e = sk_filing_check(&f, 1775001600000LL, a, &d);
        if (e) {
            /* a refusal of the input, never an internal error */
            FUZZ_ASSERT(d.err == e && d.code != SK_C_INTERNAL && d.message[0]);
        } else {
            bool has_kind = false;
            for (size_t i = 0; i < f.nfields; i++)
                has_kind |= strcmp(f.fields[i].name, "kind") == 0;
            FUZZ_ASSERT(has_kind);
        }
        sk_arena_reset(a);
    }
    sk_arena_free(a);
    free(text);
    return 0;
}
