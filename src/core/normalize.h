/* normalize.h — normalised copies of names, kana and addresses for identity matching
 * (domain-rules §13). Compare these copies; always store and display the originals (IVS
 * sequences and 外字 markers included).
 *
 * All kinds: Unicode NFKC (width: full-width Latin/digits → ASCII, half-width kana →
 * full-width, ｶﾞ → ガ), variation selectors dropped (IVS kept only in the original), the
 * 異体字 table (髙→高, 﨑→崎, 邊/邉→辺, 齋/齊/斎→斉, 濵/濱→浜, 德→徳, 櫻→桜, 澤→沢, 廣→広,
 * 國→国, 眞→真, 邨→村 and more), all spaces removed.
 * KANA: hiragana → katakana, small kana → large (ァ→ア, ッ→ツ, ヵ→カ, ヶ→ケ), ヰ→イ, ヱ→エ,
 *   dash look-alikes → ー.
 * ADDRESS: hyphen look-alikes → '-', kanji numerals before 丁目/番地/番/号/条/の/- → digits,
 *   "2丁目1番地2号" → "2-1-2", "1の2" → "1-2", a hyphen not followed by a digit dropped,
 *   ケ/ヶ/が/ヵ between kanji → ケ (霞が関 = 霞ケ関), ノ/の between kanji → ノ, 大字 removed,
 *   字 removed after 市/区/町/村/郡 or at the start.
 *
 * The flags say which folds changed something, so a matcher can tell an exact match from a
 * match through 異体字 or notation ("flag the case rather than silently equating"). */
#ifndef SK_CORE_NORMALIZE_H
#define SK_CORE_NORMALIZE_H

#include <stddef.h>

#include "util/arena.h"
#include "util/err.h"

typedef enum sk_norm_kind {
    SK_NORM_NAME = 1, /* 漢字氏名 */
    SK_NORM_KANA,     /* カナ氏名 */
    SK_NORM_ADDRESS,  /* 住所 */
    SK_NORM_STRICT    /* NFKC, spaces and variation selectors only: no 異体字 or kana fold
                         (exact comparisons, match.h M4) */
} sk_norm_kind;

enum {
    SK_NORM_F_WIDTH = 1 << 0,   /* NFKC changed something (width, composition) */
    SK_NORM_F_ITAIJI = 1 << 1,  /* a 異体字/旧字体 was folded */
    SK_NORM_F_IVS = 1 << 2,     /* a variation selector was dropped */
    SK_NORM_F_SPACE = 1 << 3,   /* spaces were removed */
    SK_NORM_F_KANA = 1 << 4,    /* hiragana/small kana/old kana/dash folding */
    SK_NORM_F_ADDRESS = 1 << 5, /* address notation was rewritten */
    SK_NORM_F_GAIJI = 1 << 6    /* contains ● (U+25CF): an unencodable character stood here */
};

/* Normalises in[0..len) into a NUL-terminated arena string. SK_C_BAD_UTF8 on invalid input,
 * SK_C_BAD_CHAR on a control character (tab counts as a space),
 * SK_C_TOO_LONG over 1024 bytes of input. `flags` may be NULL. */
sk_err sk_normalize(sk_arena *a, sk_norm_kind kind, const char *in, size_t len, char **out,
                    size_t *outlen, unsigned *flags, sk_diag *d);

/* The 異体字 fold of one code point (itself when the table has no entry). */
unsigned int sk_itaiji_fold(unsigned int cp);

#endif
