/* fuzz_mynumber.c — sk_mynumber_parse: never crashes; an accepted number is 12 digits with a
 * correct check digit that parses again to itself; a rejection names the field. */
#include <string.h>

#include "core/checkdigit.h"
#include "core/mynumber.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sk_mynumber n;
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_mynumber_parse((const char *)data, size, &n, "f", &d) == SK_OK) {
        FUZZ_ASSERT(strlen(n.digits) == 12);
        FUZZ_ASSERT(sk_checkdigit_mynumber(n.digits) == n.digits[11] - '0');
        sk_mynumber again;
        FUZZ_ASSERT(sk_mynumber_parse(n.digits, 12, &again, "f", NULL) == SK_OK);
        FUZZ_ASSERT(memcmp(again.digits, n.digits, 13) == 0);
    } else {
        FUZZ_ASSERT(strcmp(d.field, "f") == 0);
        FUZZ_ASSERT(d.err == SK_ERR_INVALID);
    }
    return 0;
}
