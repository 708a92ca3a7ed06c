/* fuzz_normalize.c — all three normalisations: never crash, always valid UTF-8 out, bounded
 * growth, and names and kana are idempotent (normalising twice changes nothing). */
#include <string.h>

#include "core/normalize.h"
#include "fuzz.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sk_arena *a = sk_arena_alloc(0, 1 << 22);
    static const sk_norm_kind kinds[] = {SK_NORM_NAME, SK_NORM_KANA, SK_NORM_ADDRESS};
    for (int i = 0; i < 3; i++) {
        char *out, *again;
        size_t len, len2;
        if (sk_normalize(a, kinds[i], (const char *)data, size, &out, &len, NULL, NULL) != SK_OK)
            continue;
        FUZZ_ASSERT(sk_utf8_valid(out, len));
        FUZZ_ASSERT(strlen(out) == len);
        if (kinds[i] == SK_NORM_ADDRESS || len > 1024)
            continue;
        FUZZ_ASSERT(sk_normalize(a, kinds[i], out, len, &again, &len2, NULL, NULL) == SK_OK);
        FUZZ_ASSERT(len2 == len && memcmp(out, again, len) == 0);
    }
    sk_arena_free(a);
    return 0;
}
