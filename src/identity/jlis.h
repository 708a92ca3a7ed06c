/* jlis.h — the J-LIS (住基ネット) adapter: an interface with two look-ups, and a local
 * implementation backed by a resident-register file (development, demo, tests).
 *
 *   by number     My Number → that resident's 5情報 (基本4情報 + カナ)  (誤入力チェック)
 *   search        5, 4 or 3 情報 (氏名, 生年月日, 住所 always; 性別 and カナ as asked) →
 *                 candidate My Numbers with their 5情報, to be confirmed on all five
 *                 (acquisition, domain-rules §12)
 *
 * The file (UTF-8 CSV, '#' comment lines, header required, columns in any order):
 *   mynumber,name,kana,birthdate,sex,address[,old_name][,alias]
 * birthdate YYYY-MM-DD, sex 1/2 (OQSCD007), old_name the full name with the 旧氏, alias the
 * 通称; both optional and accepted in place of the name when comparing (flagged as a fold).
 * A bad line refuses the whole file (SK_C_JLIS_FILE naming path:line) and, on reload, keeps
 * the register already loaded. Reload is atomic: look-ups see the old register or the new
 * one, never a mix.
 *
 * Local search semantics (J-LIS tolerates notation variants since 2023-12-18): candidates
 * share the birth date, the normalised name (or 旧氏/通称), and the sex and the カナ when asked.
 * Of those, the ones at the same address (after normalisation, or but for a building name:
 * match.h M5) are the answer when there are any, else all of them — so a person who moved comes
 * back as one candidate that differs in address (不一致), never as 該当なし.
 *
 * Plain My Numbers exist only inside the adapter and in sk_jlis_person (wipe it after use). */
#ifndef SK_IDENTITY_JLIS_H
#define SK_IDENTITY_JLIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/match.h"
#include "core/mynumber.h"
#include "util/err.h"

typedef struct sk_jlis_person {
    sk_mynumber mynumber;
    sk_person_info info;                  /* 5情報 as registered */
    char old_name[SK_NAME_MAX_BYTES + 1]; /* "" = none */
    char alias[SK_NAME_MAX_BYTES + 1];    /* "" = none */
    bool twin_household; /* another resident with the same birth date at the same address
                            (match.h M4) */
} sk_jlis_person;

#define SK_JLIS_MAX_CANDIDATES 8

typedef struct sk_jlis sk_jlis;

/* What an adapter implements. Each returns SK_C_JLIS_UNAVAILABLE (SK_ERR_BUSY) when J-LIS
 * cannot be asked right now; callers retry later. */
typedef struct sk_jlis_ops {
    const char *name;
    /* SK_ERR_NOTFOUND (no diagnostic needed) when no resident has the number. */
    sk_err (*by_number)(void *self, const sk_mynumber *n, sk_jlis_person *out, sk_diag *d);
    /* Up to cap candidates into out (*n, possibly more than cap: then only cap are filled).
     * items: SK_ITEM_* to match; name, birthdate and address are required, sex and kana
     * optional (SK_ITEMS_BASIC4 = the 4情報 search, SK_ITEMS_ALL5 = the 5情報 one). */
    sk_err (*search)(void *self, const sk_ident *q, unsigned items, sk_jlis_person *out, size_t cap,
                     size_t *n, sk_diag *d);
    /* Re-reads the source; the old register stays on error. */
    sk_err (*reload)(void *self, sk_diag *d);
    /* Residents in the register now (for status and logs). */
    size_t (*count)(void *self);
    /* SK_OK when J-LIS can be asked and nothing is amiss; else why (readiness): unavailable
     * (jlis_unavailable), or the register's source is gone though a copy is in use
     * (jlis_file). NULL: always SK_OK. */
    sk_err (*health)(void *self, sk_diag *d);
    void (*destroy)(void *self);
} sk_jlis_ops;

/* Wraps an implementation (for tests: a failing or counting J-LIS). */
sk_err sk_jlis_wrap(const sk_jlis_ops *ops, void *self, sk_jlis **out, sk_diag *d);
/* The local implementation over a resident-register file. */
sk_err sk_jlis_file_open(const char *path, sk_jlis **out, sk_diag *d);
/* The same, for the daemon: a file that cannot be read (missing, no permission — not one with
 * a bad line, which is refused) leaves J-LIS unavailable (every look-up answers
 * jlis_unavailable, as a remote J-LIS that does not answer would) until a reload reads it. */
sk_err sk_jlis_file_attach(const char *path, sk_jlis **out, sk_diag *d);
/* Whether J-LIS can be asked now (jlis.h sk_jlis_ops.health). */
sk_err sk_jlis_health(sk_jlis *j, sk_diag *d);
/* The same over text in memory (tests, fuzzing); `label` names it in diagnostics; it cannot
 * be reloaded. */
sk_err sk_jlis_memory_open(const char *text, size_t len, const char *label, sk_jlis **out,
                           sk_diag *d);
void sk_jlis_free(sk_jlis *j);

/* Where a database's resident register lives by default: DB.jlis.csv beside it (`shikaku demo`
 * writes it there, `serve` and the CLI look there). Returns whether that file is readable. */
bool sk_jlis_default_path(const char *db, char *out, size_t cap);

sk_err sk_jlis_by_number(sk_jlis *j, const sk_mynumber *n, sk_jlis_person *out, sk_diag *d);
sk_err sk_jlis_search(sk_jlis *j, const sk_ident *q, unsigned items, sk_jlis_person *out,
                      size_t cap, size_t *n, sk_diag *d);
sk_err sk_jlis_reload(sk_jlis *j, sk_diag *d);
size_t sk_jlis_count(sk_jlis *j);

/* The register side of a comparison (its names as alternatives). */
void sk_jlis_person_ident(const sk_jlis_person *p, sk_ident *out);
void sk_jlis_person_wipe(sk_jlis_person *p);

#endif
