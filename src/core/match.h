/* match.h — identity matching rules (domain-rules §12–§14): when two sets of 5情報 name the
 * same person, and how sure we are when they do not. Every rule of linking lives here:
 *
 *   M1  Items are compared on normalised copies (normalize.h: width, 異体字, small kana,
 *       address notation, spaces); a match that needed a 異体字/kana/address fold is flagged
 *       (`folded`), never silent.
 *   M2  A link needs every item asked for to be equal: all five (漢字氏名, カナ氏名, 生年月日,
 *       性別, 住所) for a J-LIS retrieval, never fewer than 基本4情報. A comparison asked for
 *       fewer than the four is refused (SK_C_MATCH_ITEMS).
 *   M3  生年月日 or 性別 different → 不一致, high risk (3.6 % real errors in the 2023 re-check);
 *       an unknown 性別 (3 未設定) on either side is not equal. Only name, kana or address
 *       different → 不一致, low risk (0.025 %; 表記ゆれ, a move, a new surname).
 *   M4  Twins: when the resident register holds another person of the same household
 *       (same normalised address) with the same birth date, the 漢字氏名 must be equal
 *       without the 異体字 fold (spaces and width aside) and the カナ without the small-kana
 *       fold — 佑斗/祐斗 or ﾕｳﾄ/ﾕｰﾄ must not be bridged by folding.
 *   M5  Address: equal after normalisation, or equal up to a building name that one side
 *       omits (the shorter ends in a number and the longer continues with a non-digit);
 *       flagged as an address fold. Different rooms in one building stay different.
 *   M6  Outcome of a J-LIS look-up (§12): 0 candidates → 該当なし, ≥ 2 → 複数該当 (never picked
 *       automatically), 1 → 一致 only when the comparison is equal, else 不一致.
 * Pure: no I/O; allocates only in the arena given. */
#ifndef SK_CORE_MATCH_H
#define SK_CORE_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/person.h"
#include "util/arena.h"
#include "util/err.h"

/* One side's 5情報 as stored (originals; NULL text = not known). */
typedef struct sk_ident {
    const char *name;         /* 漢字氏名 */
    const char *kana;         /* カナ氏名 */
    sk_date birthdate;        /* {0} = not known */
    sk_sex sex;               /* 0 or SK_SEX_UNSET = not known */
    const char *address;      /* 住所 */
    const char *alt_names[2]; /* register side: full name with the 旧氏, 通称 (NULL = none);
                                 a name equal to one of these is equal through a fold */
} sk_ident;

/* The view of 5情報 for matching (alt_names none). */
void sk_ident_of(const sk_person_info *p, sk_ident *out);

/* Items, as bits. */
enum {
    SK_ITEM_NAME = 1 << 0,
    SK_ITEM_KANA = 1 << 1,
    SK_ITEM_BIRTHDATE = 1 << 2,
    SK_ITEM_SEX = 1 << 3,
    SK_ITEM_ADDRESS = 1 << 4,
};
#define SK_ITEMS_BASIC4 (SK_ITEM_NAME | SK_ITEM_BIRTHDATE | SK_ITEM_SEX | SK_ITEM_ADDRESS)
#define SK_ITEMS_ALL5   (SK_ITEMS_BASIC4 | SK_ITEM_KANA)

typedef enum sk_match_result {
    SK_MATCH_EQUAL = 1, /* 一致: every compared item equal */
    SK_MATCH_DIFF_LOW,  /* 不一致, low risk: only 漢字氏名, カナ or 住所 differ */
    SK_MATCH_DIFF_HIGH  /* 不一致, high risk: 生年月日 or 性別 differ */
} sk_match_result;

typedef struct sk_match {
    sk_match_result result;
    unsigned differ; /* SK_ITEM_* that differ */
    unsigned folded; /* SK_ITEM_* equal only through a 異体字, kana or address fold (M1) */
    bool twin_rule;  /* M4 was applied */
} sk_match;

/* Compares `ours` (the insurer's record or 届出) with `theirs` (the resident register) on
 * `items` (must include SK_ITEMS_BASIC4). same_birth_household: M4 applies. Errors: text that
 * normalize.h refuses (field name, kana or address), SK_C_MATCH_ITEMS. */
sk_err sk_match_compare(sk_arena *a, const sk_ident *ours, const sk_ident *theirs, unsigned items,
                        bool same_birth_household, sk_match *out, sk_diag *d);

/* M6: the J-LIS outcome classes (stored and sent under these names). */
typedef enum sk_jlis_outcome {
    SK_JLIS_MATCH = 1, /* 一致 */
    SK_JLIS_MISMATCH,  /* 不一致 */
    SK_JLIS_NONE,      /* 該当なし */
    SK_JLIS_MULTIPLE   /* 複数該当 */
} sk_jlis_outcome;

/* ncandidates and, when it is 1, the comparison with that one candidate. */
sk_jlis_outcome sk_match_outcome(size_t ncandidates, const sk_match *only);
/* "match", "mismatch", "none", "multiple". */
const char *sk_jlis_outcome_name(sk_jlis_outcome o);
/* "name kana birthdate sex address" for the set bits (space separated) into out. */
void sk_match_items_format(unsigned items, char *out, size_t cap);

/* Normalised keys for a register's indexes (the same folds as the comparison): name and
 * address as compared by M1 (not M4/M5). */
sk_err sk_match_key(sk_arena *a, const char *text, int is_address, char **out, sk_diag *d);

/* M1 + M5 on two normalised address keys: equal, or equal but for a building name. */
bool sk_match_address_keys(const char *a, const char *b);

#endif
