/* fuzz_jlis.c — the resident-register reader (identity/jlis.h): never crash, a refusal names
 * the register and line with the jlis_file code, an accepted register answers look-ups by
 * number and by 4情報 for every resident it holds. */
#include <string.h>

#include "fuzz.h"
#include "identity/jlis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a register of a few dozen rows exercises every path of the reader; a larger one only
     * repeats them, at ~20 µs a row (the names are normalised as they are loaded) — capped so
     * that the fuzzer explores (docs/performance.md, fuzzing) */
    if (size > 2048)
        return 0;
    sk_jlis *j = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_jlis_memory_open((const char *)data, size, "fuzz", &j, &d) != SK_OK) {
        FUZZ_ASSERT(d.code == SK_C_JLIS_FILE || d.code == SK_C_CSV || d.code == SK_C_NOMEM);
        return 0;
    }
    size_t n = sk_jlis_count(j);
    FUZZ_ASSERT(n <= size);
    /* the first resident by number is found again, by number and by its own 4情報 */
    static const char *probe = "123456789018";
    sk_mynumber mn;
    if (sk_mynumber_parse(probe, 12, &mn, "m", NULL) == SK_OK) {
        sk_jlis_person p;
        if (sk_jlis_by_number(j, &mn, &p, &d) == SK_OK) {
            FUZZ_ASSERT(strcmp(p.mynumber.digits, probe) == 0);
            sk_ident q;
            sk_jlis_person_ident(&p, &q);
            sk_jlis_person c[SK_JLIS_MAX_CANDIDATES];
            size_t k = 0;
            FUZZ_ASSERT(sk_jlis_search(j, &q, SK_ITEMS_ALL5, c, SK_JLIS_MAX_CANDIDATES, &k, &d) ==
                        SK_OK);
            FUZZ_ASSERT(k >= 1);
        }
    }
    sk_jlis_free(j);
    return 0;
}
