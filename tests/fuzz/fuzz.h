/* fuzz.h — the libFuzzer entry point every harness defines. The same harness is linked either
 * with libFuzzer (`make fuzz`, clang) or with replay.c, which runs the committed corpus in
 * tests/fuzz/corpus/<harness>/ as part of `make test`. */
#ifndef SK_FUZZ_H
#define SK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property that must hold for every input: abort (a crash the fuzzer reports) otherwise. */
#define FUZZ_ASSERT(cond)                                                                          \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

#endif
