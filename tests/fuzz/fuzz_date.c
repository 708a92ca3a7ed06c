/* fuzz_date.c — both date forms: an accepted date formats back to the same text, and the ages
 * and periods computed from it do not crash or go backwards. */
#include <string.h>

#include "core/date.h"
#include "core/ratio.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sk_date dt;
    char buf[11];
    if (sk_date_parse((const char *)data, size, &dt, "f", NULL) == SK_OK) {
        sk_date_format(dt, buf);
        FUZZ_ASSERT(size == 10 && memcmp(buf, data, 10) == 0);
        FUZZ_ASSERT(sk_date_cmp(sk_preschool_end(dt), dt) > 0);
        FUZZ_ASSERT(sk_date_cmp(sk_elderly_start(dt), sk_kouki_start(dt)) < 0);
        FUZZ_ASSERT(sk_age_on(dt, sk_age_reached(dt, 70)) == 70);
        char w[64];
        sk_wareki_format(dt, w, sizeof(w));
    }
    if (sk_date_parse_compact((const char *)data, size, &dt, "f", NULL) == SK_OK) {
        sk_date_format_compact(dt, buf);
        FUZZ_ASSERT(size == 8 && memcmp(buf, data, 8) == 0);
    }
    return 0;
}
