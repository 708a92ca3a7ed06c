/* fuzz_body.c — a request body's two readers (src/http/router.c): the one-pass fast path for
 * the plainest bodies (sk_http_body_flat) against jansson's reading (sk_http_body_members).
 * Never crash; whatever the fast path accepts, the full reader accepts too, with the same value
 * for every member — a handler must not answer differently by the path a body took. The
 * members and kinds are POST /v1/eligibility's. */
#include <stdbool.h>
#include <string.h>

#include <jansson.h>

#include "fuzz.h"
#include "http/http_int.h"
#include "util/arena.h"

static const char *const names[] = {"insurer_number", "symbol",          "number",
                                    "branch",         "birthdate",       "confirmation_date",
                                    "limit_consent",  "institution_code"};
static const char kinds[] = "ssssssbs";
#define N (sizeof(names) / sizeof(names[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sk_arena *a = sk_arena_alloc(4096, 1 << 20);
    FUZZ_ASSERT(a);
    sk_http_request req = {.body = (const char *)data, .body_len = size, .arena = a};
    const char *flat[N];
    bool fast = sk_http_body_flat(&req, names, kinds, N, flat);
    json_t *root = NULL, *m[N];
    sk_diag d;
    sk_diag_clear(&d);
    sk_err err = sk_http_body_members(&req, names, N, &root, m, &d);
    if (fast) {
        FUZZ_ASSERT(err == SK_OK);
        for (size_t i = 0; i < N; i++) {
            if (!flat[i])
                FUZZ_ASSERT(!m[i]);
            else if (kinds[i] == 'b')
                FUZZ_ASSERT(m[i] && json_is_boolean(m[i]) &&
                            json_is_true(m[i]) == (strcmp(flat[i], "true") == 0));
            else
                FUZZ_ASSERT(m[i] && json_is_string(m[i]) &&
                            strcmp(json_string_value(m[i]), flat[i]) == 0);
        }
    } /* declined (an escape, a non-ASCII byte, a number...): the full reader alone decides */
    json_decref(root);
    sk_arena_free(a);
    return 0;
}
