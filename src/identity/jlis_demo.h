/* jlis_demo.h — writes the demo's resident register (the J-LIS stand-in) from the persons in a
 * store, with the traps of domain-rules §13–§14 (jlis_demo.c lists them). `shikaku demo` writes
 * it beside the database as DB.jlis.csv, where `shikaku serve` finds it. */
#ifndef SK_IDENTITY_JLIS_DEMO_H
#define SK_IDENTITY_JLIS_DEMO_H

#include <stdint.h>

#include "store/store.h"
#include "util/err.h"

typedef struct sk_jlis_demo_result {
    int residents; /* rows written */
    int waiting;   /* persons without My Number in the store, given one here */
    int moved, birth_typo, itaiji, kana_variants, twins, parents, namesakes; /* traps */
} sk_jlis_demo_result;

/* Writes path atomically (temporary file, fsync, rename; mode 0600: plain My Numbers). seed is
 * the demo's seed (numbers for the waiting persons and the extra residents). */
sk_err sk_jlis_demo_write(sk_store *s, const char *path, uint64_t seed, sk_jlis_demo_result *out,
                          sk_diag *d);

#endif
