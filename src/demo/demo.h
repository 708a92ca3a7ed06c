/* demo.h — the demo's data, kept out of the production library (libshikaku_demo, linked by the
 * `shikaku` program for `shikaku demo` and by the tests).
 *
 * The registry's seed (seed.c): realistic synthetic data for demonstrations and benchmarks:
 * insurers of six kinds (協会けんぽ, 健保組合, 共済組合, 市町村国保, 国保組合,
 * 後期高齢者医療広域連合) with valid numbers, employers, households filed through the real 届出
 * path (employees with spouses and children at the employee insurers, 65-74 at 国保, 75+ at 後期),
 * ages 0-100, names in kanji (incl. 旧字体 and IVS sequences) and kana, addresses, a few 届出 still
 * waiting for a My Number, a few losses, and one principal per role. Deterministic for a given
 * seed. */
#ifndef SK_DEMO_DEMO_H
#define SK_DEMO_DEMO_H

#include <stdint.h>

#include "access/access.h"
#include "registry/registry.h"
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

/* Seeds an empty registry through its own 届出 path (SK_C_DUPLICATE when it already has
 * insurers); the tokens are issued in the registry's store. */
sk_err sk_demo_seed(sk_registry *r, const sk_demo_options *opt, sk_demo_result *out, sk_diag *d);

/* ---- the demo's resident register (jlis_demo.c) ----
 * Writes the J-LIS stand-in from the persons in a store, with the traps of domain-rules
 * §13–§14 (jlis_demo.c lists them). `shikaku demo` writes it beside the database as
 * DB.jlis.csv, where `shikaku serve` finds it. */
typedef struct sk_jlis_demo_result {
    int residents; /* rows written */
    int waiting;   /* persons without My Number in the store, given one here */
    int moved, birth_typo, itaiji, kana_variants, twins, parents, namesakes; /* traps */
    /* a resident no insurer has yet: whom `make run`'s example 資格取得届 hires (its 5情報
     * and My Number agree with the register, so the 誤入力チェック matches) */
    sk_person_info hire;
    char hire_mynumber[13];
} sk_jlis_demo_result;

/* Writes path atomically (temporary file, fsync, rename; mode 0600: plain My Numbers). seed is
 * the demo's seed (numbers for the waiting persons and the extra residents). */
sk_err sk_jlis_demo_write(sk_store *s, const char *path, uint64_t seed, sk_jlis_demo_result *out,
                          sk_diag *d);

#endif
