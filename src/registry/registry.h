/* registry.h — the registry service: the insurer side's records of record. This header has the
 * service's handle and insurers and employers (事業所); 届出 → registered qualifications and
 * the reads of them are filing.h, 特定疾病 certificates too. Every change is validated with the
 * core rules and audited in the same transaction.
 *
 * The services, in the order they are built on one another (each may call those before it,
 * never one after it; docs/architecture.md): access < registry < identity < checks, documents
 * < verify. A service is a handle opened over the store (and the services it needs), freed
 * after every service opened over it. */
#ifndef SK_REGISTRY_REGISTRY_H
#define SK_REGISTRY_REGISTRY_H

#include <stdint.h>

#include "store/store.h"
#include "util/err.h"

typedef struct sk_registry sk_registry;

/* What a deployment may set (`shikaku serve` configuration, docs/cli.md). Zero = default. */
typedef struct sk_registry_options {
    /* how far ahead of today an event date (acquired_on, event_date) of a 届出 may lie: the
     * 事前提出 horizon of core/qualification.h sk_filing_dates_check, in days; 0 = the default
     * SK_PREFILE_DAYS_DEFAULT, negative = 0 (no filing ahead), at most SK_PREFILE_DAYS_MAX */
    int prefile_days;
} sk_registry_options;

/* The service over a store (borrowed: it must outlive the handle) with default options.
 * Thread-safe once opened; its hook (filing.h sk_registry_set_check) is set before the handle
 * is shared between threads. */
sk_err sk_registry_open(sk_store *s, sk_registry **out, sk_diag *d);
/* The same with options (NULL = defaults); SK_C_CONFIG_VALUE naming registry.prefile_days when
 * it is beyond SK_PREFILE_DAYS_MAX. */
sk_err sk_registry_open_with(sk_store *s, const sk_registry_options *opt, sk_registry **out,
                             sk_diag *d);
void sk_registry_free(sk_registry *r);
/* The store the service works on. */
sk_store *sk_registry_store(const sk_registry *r);

/* Registers an insurer. The number is checked (core/insurer.h: digits, 都道府県, 検証番号,
 * 法別番号 allow-list) and its kind follows from it. SK_C_DUPLICATE when already registered.
 * Fields named in diagnostics: number, name, numbering_rule. */
sk_err sk_registry_insurer_add(sk_registry *r, const char *number, const char *name,
                               const char *numbering_rule, const char *actor, int64_t now_ms,
                               sk_insurer_rec *out, sk_diag *d);

/* Registers an employer under a registered insurer (SK_C_NOT_FOUND naming `insurer`
 * otherwise). Fields: insurer, name, office_code. */
sk_err sk_registry_employer_add(sk_registry *r, const char *insurer_number, const char *name,
                                const char *office_code, const char *actor, int64_t now_ms,
                                sk_employer_rec *out, sk_diag *d);

#endif
