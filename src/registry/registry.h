/* registry.h — the insurer side's records of record: insurers and employers (事業所). The
 * processing of 届出 into registered qualifications lands here next (issue #3). Every change
 * is validated with the core rules and audited in the same transaction. */
#ifndef SK_REGISTRY_REGISTRY_H
#define SK_REGISTRY_REGISTRY_H

#include <stdint.h>

#include "store/store.h"
#include "util/err.h"

/* Registers an insurer. The number is checked (core/insurer.h: digits, 都道府県, 検証番号,
 * 法別番号 allow-list) and its kind follows from it. SK_C_DUPLICATE when already registered.
 * Fields named in diagnostics: number, name, numbering_rule. */
sk_err sk_registry_insurer_add(sk_store *s, const char *number, const char *name,
                               const char *numbering_rule, const char *actor, int64_t now_ms,
                               sk_insurer_rec *out, sk_diag *d);

/* Registers an employer under a registered insurer (SK_C_NOT_FOUND naming `insurer`
 * otherwise). Fields: insurer, name, office_code. */
sk_err sk_registry_employer_add(sk_store *s, const char *insurer_number, const char *name,
                                const char *office_code, const char *actor, int64_t now_ms,
                                sk_employer_rec *out, sk_diag *d);

#endif
