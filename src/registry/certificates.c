/* certificates.c — an insurer records a 特定疾病療養受療証 on one of its members (core/disease.h
 * holds the rules; OQS answers show it, verify.c). */
#include <stdio.h>
#include <string.h>

#include "core/cardkey.h"
#include "core/disease.h"
#include "core/insurer.h"
#include "core/qualification.h"
#include "registry/filing.h"
#include "registry/registry_int.h"

typedef struct cert_job {
    const sk_principal *who;
    sk_insurer_number insurer;
    sk_cardkey key;
    sk_disease_cert_rec rec;
    char pid[SK_PID_LEN + 1];
} cert_job;

typedef struct pick {
    sk_date on;
    sk_qualification_rec best;
    bool found, covers;
} pick;

/* The registered qualification covering `on`, else the latest registered one. */
static sk_err pick_cb(void *ctx, const sk_qualification_rec *q)
{
    pick *p = ctx;
    if (!q->registered_ms)
        return SK_OK;
    bool covers = sk_period_covers(q->acquired_on, q->has_lost, q->lost_on, p->on);
    if (!p->found || (covers && !p->covers) ||
        (covers == p->covers && sk_date_cmp(q->acquired_on, p->best.acquired_on) > 0)) {
        p->best = *q;
        p->found = true;
        p->covers = covers;
    }
    return SK_OK;
}

static sk_err cert_fn(sk_tx *tx, void *ctx, sk_diag *d)
{
    cert_job *j = ctx;
    pick p = {.on = j->rec.valid_from};
    sk_err err = sk_store_qualification_find_by_key(tx, j->insurer.digits, j->key.symbol,
                                                    j->key.number, j->key.branch, pick_cb, &p, d);
    if (err && err != SK_ERR_NOTFOUND)
        return err;
    if (!p.found)
        return sk_diag_set(d, SK_C_NOT_FOUND, "number",
                           "no registered member of this insurer has these 記号・番号・枝番");
    sk_person_rec person;
    if (sk_store_person_get(tx, p.best.person_id, false, &person, d))
        return sk_tx_error(tx);
    if ((err = sk_disease_self_pay_check((sk_disease)j->rec.category, j->rec.self_pay,
                                         person.info.birthdate, j->rec.valid_from, "self_pay", d)))
        return err;
    j->rec.qualification_id = p.best.id;
    if (sk_store_disease_cert_add(tx, &j->rec, d))
        return sk_tx_error(tx);
    memcpy(j->pid, person.pid, sizeof(j->pid));
    char actor[40], object[48];
    snprintf(actor, sizeof(actor), "principal:%lld", (long long)j->who->id);
    snprintf(object, sizeof(object), "person:%s", person.pid);
    return sk_store_audit_add(tx, j->rec.created_ms, actor, "disease_certificate.add", object, d,
                              "insurer=%s category=%d self_pay=%lld", j->insurer.digits,
                              j->rec.category, j->rec.self_pay);
}

static sk_err parse_date_field(const char *s, const char *field, bool required, bool *has,
                               sk_date *out, sk_diag *d)
{
    *has = s && *s;
    if (!*has)
        return required ? sk_diag_set(d, SK_C_REQUIRED, field, "%s is required", field) : SK_OK;
    return sk_date_parse(s, strlen(s), out, field, d);
}

sk_err sk_registry_disease_cert_add(sk_registry *reg, const sk_principal *who,
                                    const char *insurer_number, const sk_disease_cert_input *in,
                                    int64_t now_ms, sk_disease_cert_rec *out, char pid_out[33],
                                    sk_diag *d)
{
    sk_store *s = reg->store;
    cert_job j;
    memset(&j, 0, sizeof(j));
    j.who = who;
    sk_err err =
        sk_insurer_number_parse(insurer_number, strlen(insurer_number), &j.insurer, "insurer", d);
    if (err)
        return err;
    if (!(who->role == SK_ROLE_INSURER && strcmp(who->scope, j.insurer.digits) == 0))
        return sk_diag_set(d, SK_C_FORBIDDEN, "insurer",
                           "only the insurer itself records its members' certificates");
    const char *sym = in->symbol ? in->symbol : "", *num = in->number ? in->number : "",
               *br = in->branch ? in->branch : "";
    if (!*num)
        return sk_diag_set(d, SK_C_REQUIRED, "number", "番号 is required");
    if (!*br)
        return sk_diag_set(d, SK_C_REQUIRED, "branch",
                           "枝番 is required: a certificate is one "
                           "person's");
    sk_disease cat;
    bool has;
    if ((err = sk_card_symbol_check(sym, strlen(sym), "symbol", d)) ||
        (err = sk_card_number_check(num, strlen(num), "number", d)) ||
        (err = sk_card_branch_check(br, strlen(br), "branch", d)) ||
        (err = sk_disease_parse(in->category, &cat, "category", d)) ||
        (err = parse_date_field(in->certificate_date, "certificate_date", true, &has,
                                &j.rec.certificate_date, d)) ||
        (err = parse_date_field(in->valid_from, "valid_from", true, &has, &j.rec.valid_from, d)) ||
        (err = parse_date_field(in->valid_until, "valid_until", false, &j.rec.has_until,
                                &j.rec.valid_until, d)))
        return err;
    if (j.rec.has_until && sk_date_cmp(j.rec.valid_until, j.rec.valid_from) < 0)
        return sk_diag_set(d, SK_C_DATE_ORDER, "valid_until", "valid_until is before valid_from");
    memcpy(j.key.symbol, sym, strlen(sym));
    memcpy(j.key.number, num, strlen(num));
    memcpy(j.key.branch, br, strlen(br));
    j.rec.category = (int)cat;
    j.rec.self_pay = in->self_pay;
    j.rec.created_ms = now_ms;
    if ((err = sk_store_run(s, cert_fn, &j, d)))
        return err;
    *out = j.rec;
    memcpy(pid_out, j.pid, SK_PID_LEN + 1);
    return SK_OK;
}
