/* demo.h — realistic synthetic data for demonstrations and benchmarks: insurers of six kinds
 * (協会けんぽ, 健保組合, 共済組合, 市町村国保, 国保組合, 後期高齢者医療広域連合) with valid
 * numbers, employers, households filed through the real 届出 path (employees with spouses and
 * children at the employee insurers, 65-74 at 国保, 75+ at 後期), ages 0-100, names in kanji
 * (incl. 旧字体 and IVS sequences) and kana, addresses, a few 届出 still waiting for a My
 * Number, a few losses, and one principal per role. Deterministic for a given seed. */
#ifndef SK_REGISTRY_DEMO_H
#define SK_REGISTRY_DEMO_H

#include <stdint.h>

#include "access/access.h"
#include "store/store.h"
#include "util/err.h"

typedef struct sk_demo_options {
    int persons;   /* about this many persons (default 200) */
    uint64_t seed; /* default 1 */
    int64_t now_ms;
} sk_demo_options;

typedef struct sk_demo_token {
    sk_role role;
    char scope[64];
    char token[SK_TOKEN_LEN + 1];
} sk_demo_token;

typedef struct sk_demo_result {
    int insurers, employers, persons, notifications, pending, losses;
    sk_demo_token tokens[5]; /* operator, insurer, employer, institution, person */
} sk_demo_result;

/* The demo's My Numbers: a bijection of serial (11 digits, spread by a multiplier) plus the
 * check digit. The seeding uses serials below 10^8; other demo data (identity's resident
 * register) takes its extra numbers from serials at or above SK_DEMO_SERIAL_EXTRA. */
#define SK_DEMO_SERIAL_EXTRA 50000000000ULL
void sk_demo_mynumber(uint64_t serial, uint64_t seed, char out[13]);

/* Seeds an empty registry (SK_C_DUPLICATE when it already has insurers). */
sk_err sk_demo_seed(sk_store *s, const sk_demo_options *opt, sk_demo_result *out, sk_diag *d);

#endif
