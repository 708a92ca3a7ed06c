/* fuzz_cardkey.c — 記号・番号・枝番: the input is split in three at 0x1F bytes; an accepted key
 * is stored byte for byte. */
#include <string.h>

#include "core/cardkey.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    const char *parts[3] = {p, p, p};
    size_t lens[3] = {0, 0, 0};
    int k = 0;
    const char *start = p;
    for (const char *q = p; q <= end && k < 3; q++) {
        if (q == end || *q == 0x1F) {
            parts[k] = start;
            lens[k] = (size_t)(q - start);
            k++;
            start = q + 1;
        }
    }
    sk_cardkey key;
    if (sk_cardkey_make(parts[0], lens[0], parts[1], lens[1], parts[2], lens[2], &key, NULL) ==
        SK_OK) {
        FUZZ_ASSERT(strlen(key.symbol) == lens[0] && memcmp(key.symbol, parts[0], lens[0]) == 0);
        FUZZ_ASSERT(strlen(key.number) == lens[1] && memcmp(key.number, parts[1], lens[1]) == 0);
        FUZZ_ASSERT(strlen(key.branch) == lens[2]);
    }
    return 0;
}
