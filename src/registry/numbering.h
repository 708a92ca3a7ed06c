/* numbering.h — how an insurer assigns 記号・番号 (its numbering rule, configurable per insurer).
 *
 * A rule is "symbol=TEMPLATE;number=TEMPLATE" (either part may be left out; the empty rule is
 * "symbol={office};number={seq}"). A template is literal characters plus placeholders:
 *   {office}   the filing employer's office code (事業所記号), "" when there is none
 *   {seq}      the next value of the insurer's sequence for this 記号 (1, 2, …)
 *   {seq:N}    the same, zero-padded to N digits (1-10); running past N digits is an error
 * {seq} may appear only in the number, and the number must contain it (else numbers repeat).
 * The results must be valid 記号・番号 (core/cardkey.h). Examples:
 *   協会けんぽ  symbol={office};number={seq}          記号 = 事業所記号, 番号 per 事業所
 *   健保組合    symbol=10;number={seq:6}              one 記号, 6-digit numbers
 *   国保        symbol=;number=K{seq:7}               no 記号 */
#ifndef SK_REGISTRY_NUMBERING_H
#define SK_REGISTRY_NUMBERING_H

#include <stddef.h>
#include <stdint.h>

#include "core/cardkey.h"
#include "util/err.h"

/* SK_C_NUMBERING_RULE (field "numbering_rule") when the rule is malformed. */
sk_err sk_numbering_check(const char *rule, sk_diag *d);
/* The 記号 for an employer's office code; out has SK_CARD_FIELD_MAX_BYTES. */
sk_err sk_numbering_symbol(const char *rule, const char *office, char *out, sk_diag *d);
/* The 番号 for sequence value seq; out has SK_CARD_FIELD_MAX_BYTES. */
sk_err sk_numbering_number(const char *rule, const char *office, int64_t seq, char *out,
                           sk_diag *d);

#endif
