/* fuzz_config.c — configuration text: never crashes; an error names a line. */
#include <string.h>

#include "fuzz.h"
#include "util/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    sk_config *c = sk_config_alloc();
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_config_load_text(c, text, "fuzz", &d) != SK_OK)
        FUZZ_ASSERT(strncmp(d.field, "fuzz", 4) == 0);
    sk_config_free(c);
    free(text);
    return 0;
}
