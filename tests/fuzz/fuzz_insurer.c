/* fuzz_insurer.c — 保険者番号 in canonical and OQS forms: an accepted number pads and parses back
 * to itself in both paddings. */
#include <string.h>

#include "core/insurer.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sk_insurer_number n, m;
    char out[9];
    if (sk_insurer_number_parse_oqs((const char *)data, size, &n, "f", NULL) == SK_OK) {
        FUZZ_ASSERT(n.len == 6 || n.len == 8);
        sk_insurer_number_oqs(&n, out);
        FUZZ_ASSERT(strlen(out) == 8);
        FUZZ_ASSERT(sk_insurer_number_parse_oqs(out, 8, &m, "f", NULL) == SK_OK);
        FUZZ_ASSERT(strcmp(m.digits, n.digits) == 0);
        sk_insurer_number_zero_padded(&n, out);
        FUZZ_ASSERT(sk_insurer_number_parse_oqs(out, 8, &m, "f", NULL) == SK_OK);
        FUZZ_ASSERT(strcmp(m.digits, n.digits) == 0);
        FUZZ_ASSERT(sk_insurer_number_parse(n.digits, n.len, &m, "f", NULL) == SK_OK);
    }
    sk_insurer_number_parse((const char *)data, size, &n, "f", NULL);
    return 0;
}
