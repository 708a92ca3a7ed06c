/* registry.c — insurers and employers. */
#include "registry/registry.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/insurer.h"
#include "core/person.h"
#include "core/qualification.h"
#include "registry/numbering.h"
#include "registry/registry_int.h"

sk_err sk_registry_open(sk_store *s, sk_registry **out, sk_diag *d)
{
    return sk_registry_open_with(s, NULL, out, d);
}

sk_err sk_registry_open_with(sk_store *s, const sk_registry_options *opt, sk_registry **out,
                             sk_diag *d)
{
    *out = NULL;
    if (!s)
        return sk_diag_set(d, SK_C_INTERNAL, "", "the registry needs an open store");
    int prefile = opt ? opt->prefile_days : 0;
    if (prefile > SK_PREFILE_DAYS_MAX)
        return sk_diag_set(d, SK_C_CONFIG_VALUE, "registry.prefile_days", "at most %d days ahead",
                           SK_PREFILE_DAYS_MAX);
    sk_registry *r = calloc(1, sizeof(*r));
    if (!r)
        return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    r->store = s;
    r->prefile_days = prefile == 0 ? SK_PREFILE_DAYS_DEFAULT : prefile < 0 ? 0 : prefile;
    *out = r;
    return SK_OK;
}

void sk_registry_free(sk_registry *r)
{
    free(r);
}

sk_store *sk_registry_store(const sk_registry *r)
{
    return r->store;
}

/* Copies a required, bounded text field. */
static sk_err text_field(char *dst, size_t cap, const char *src, bool required, const char *field,
                         sk_diag *d)
{
    size_t n = strlen(src);
    if (required || n) {
        sk_err err = sk_text_check(src, n, cap - 1, field, d);
        if (err)
            return err;
    }
    memcpy(dst, src, n + 1);
    return SK_OK;
}

sk_err sk_registry_insurer_add(sk_registry *reg, const char *number, const char *name,
                               const char *numbering_rule, const char *actor, int64_t now_ms,
                               sk_insurer_rec *out, sk_diag *d)
{
    sk_store *s = reg->store;
    sk_insurer_number num;
    sk_insurer_rec r = {.created_ms = now_ms};
    sk_err err;
    if ((err = sk_insurer_number_parse(number, strlen(number), &num, "number", d)) ||
        (err = text_field(r.name, sizeof(r.name), name, true, "name", d)) ||
        (err = text_field(r.numbering_rule, sizeof(r.numbering_rule), numbering_rule, false,
                          "numbering_rule", d)) ||
        (err = sk_numbering_check(r.numbering_rule, d)))
        return err;
    r.kind = num.kind;
    memcpy(r.number, num.digits, sizeof(r.number));
    char object[32];
    snprintf(object, sizeof(object), "insurer:%s", r.number);
    sk_tx *tx = NULL;
    if ((err = sk_store_begin(s, &tx, d)))
        return err;
    sk_store_insurer_add(tx, &r, d);
    sk_store_audit_add(tx, now_ms, actor, "insurer.add", object, d, "%s",
                       sk_insurer_kind_name(r.kind));
    if ((err = sk_tx_commit(tx, d)))
        return err;
    *out = r;
    return SK_OK;
}

sk_err sk_registry_employer_add(sk_registry *reg, const char *insurer_number, const char *name,
                                const char *office_code, const char *actor, int64_t now_ms,
                                sk_employer_rec *out, sk_diag *d)
{
    sk_store *s = reg->store;
    sk_insurer_number num;
    sk_employer_rec r = {.created_ms = now_ms};
    sk_err err;
    if ((err =
             sk_insurer_number_parse(insurer_number, strlen(insurer_number), &num, "insurer", d)) ||
        (err = text_field(r.name, sizeof(r.name), name, true, "name", d)) ||
        (err = text_field(r.office_code, sizeof(r.office_code), office_code, false, "office_code",
                          d)))
        return err;
    memcpy(r.insurer_number, num.digits, sizeof(r.insurer_number));
    sk_tx *tx = NULL;
    if ((err = sk_store_begin(s, &tx, d)))
        return err;
    sk_insurer_rec ins;
    if (sk_store_insurer_get(tx, r.insurer_number, &ins, d) == SK_ERR_NOTFOUND) {
        sk_tx_rollback(tx);
        return sk_diag_set(d, SK_C_NOT_FOUND, "insurer", "no insurer %s in this database",
                           r.insurer_number);
    }
    sk_store_employer_add(tx, &r, d);
    char object[48];
    snprintf(object, sizeof(object), "employer:%lld", (long long)r.id);
    sk_store_audit_add(tx, now_ms, actor, "employer.add", object, d, "insurer=%s",
                       r.insurer_number);
    if ((err = sk_tx_commit(tx, d)))
        return err;
    *out = r;
    return SK_OK;
}
