/* utf8.h — strict UTF-8 helpers (no overlongs, no surrogates, nothing above U+10FFFF). */
#ifndef SK_UTIL_UTF8_H
#define SK_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes one code point at s; returns its byte length (1-4) or 0 if the bytes are not valid
 * UTF-8 (then *cp is undefined). */
size_t sk_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Byte length of the character at s, or 0 if invalid. */
size_t sk_utf8_char_len(const char *s, size_t len);
/* Encodes cp into out (4 bytes room); returns the length, 0 for an invalid code point. */
size_t sk_utf8_encode(uint32_t cp, char out[4]);
bool sk_utf8_valid(const char *s, size_t len);
/* C0 and C1 control characters and DEL (tab included: callers decide whether it is a space). */
bool sk_utf8_is_control(uint32_t cp);
/* Unicode general category Cf (format characters, Unicode 15.1): invisible characters that
 * change how text around them is shown or joined — SOFT HYPHEN, the bidi embeddings, overrides
 * and isolates (U+202A–U+202E, U+2066–U+2069), ZERO WIDTH SPACE, (NON-)JOINER (U+200B–U+200D),
 * BOM, the tag characters. Variation selectors (U+FE00–U+FE0F, U+E0100–U+E01EF) are Mn, not
 * Cf. */
bool sk_utf8_is_format(uint32_t cp);
/* Number of code points; invalid bytes count one each. */
size_t sk_utf8_count(const char *s, size_t len);

#endif
