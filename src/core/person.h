/* person.h — rules for the 5情報 fields of a person: 性別 codes (OQSCD007), 郵便番号 and カナ
 * 氏名 character classes. 漢字氏名 and 住所 are free text (bounded, valid UTF-8); matching
 * them is normalize.h's job. */
#ifndef SK_CORE_PERSON_H
#define SK_CORE_PERSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "util/err.h"

typedef enum sk_sex {
    SK_SEX_MALE = 1,   /* 男 */
    SK_SEX_FEMALE = 2, /* 女 */
    SK_SEX_UNSET = 3   /* 未設定 */
} sk_sex;

#define SK_NAME_MAX_BYTES    256
#define SK_ADDRESS_MAX_BYTES 512

/* 5情報: 漢字氏名, カナ氏名, 生年月日, 性別, 住所 — a person as a 届出, the insurer's record and
 * the resident register (J-LIS) each know them. One type for the three; matching two of them is
 * match.h's (sk_ident_of). */
typedef struct sk_person_info {
    char name[SK_NAME_MAX_BYTES + 1]; /* family and given name, U+3000 between */
    char kana[SK_NAME_MAX_BYTES + 1];
    sk_date birthdate;
    sk_sex sex;
    char address[SK_ADDRESS_MAX_BYTES + 1];
} sk_person_info;

/* "1", "2", "3". */
sk_err sk_sex_parse(const char *s, size_t len, sk_sex *out, const char *field, sk_diag *d);
/* "123-4567" or "1234567" → "123-4567" (out needs 9 bytes). */
sk_err sk_postcode_parse(const char *s, size_t len, char out[9], const char *field, sk_diag *d);
/* カナ氏名: katakana (full- or half-width), ー, and spaces between family and given name;
 * no hiragana, kanji or Latin. */
sk_err sk_kana_check(const char *s, size_t len, const char *field, sk_diag *d);
/* OQS NameKana form (oqs-messages §5.3): full-width katakana → half-width (ガ → ｶﾞ; ヰ ヱ ヮ ヵ ヶ
 * → ｲ ｴ ﾜ ｶ ｹ, which have no half-width form), ー → ｰ, ・ → ･, U+3000 → ' '; anything else is
 * copied. out gets a NUL; SK_ERR_TOOBIG when cap is too small, SK_ERR_INVALID on bad UTF-8. */
sk_err sk_kana_halfwidth(const char *in, size_t len, char *out, size_t cap);
/* OQS Name form: a half-width space between family and given name becomes U+3000 (診療　太郎). */
sk_err sk_name_fullwidth_space(const char *in, size_t len, char *out, size_t cap);
/* Non-empty valid UTF-8 text of at most max bytes, without a character sk_text_char_refused
 * refuses (SK_C_BAD_CHAR naming field). */
sk_err sk_text_check(const char *s, size_t len, size_t max, const char *field, sk_diag *d);
/* The characters no text field (names, kana, addresses, reasons) may hold: control characters
 * (Cc: C0, DEL, C1; TAB and line breaks too), format characters (Cf: the bidi embeddings,
 * overrides and isolates U+202A–U+202E and U+2066–U+2069, U+200E/U+200F marks, ZERO WIDTH
 * SPACE, ZWNJ and ZWJ U+200B–U+200D, WORD JOINER, BOM, tags) and U+2028/U+2029. Kept: the
 * variation selectors (Mn: U+FE00–U+FE0F and the IVS U+E0100–U+E01EF, which pick a glyph of a
 * name's kanji such as 葛󠄀), private-use characters (外字 of older systems) and every other
 * printable character. ZWJ joins emoji and some scripts' letters, never the kanji, kana or
 * Latin letters of a Japanese name or address, and it makes two equal-looking names differ:
 * refused (docs/errors.md bad_character). */
bool sk_text_char_refused(uint32_t cp);

#endif
