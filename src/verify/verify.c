/* verify.c — the eligibility look-up: query checks, the store reads, the decision
 * (core/eligibility) and the answer's content from core's rules. */
#include "verify/verify.h"

#include <stdio.h>
#include <string.h>

#include "core/disease.h"
#include "core/limit.h"
#include "core/ratio.h"
#include "util/utf8.h"

static bool present(const char *s)
{
    return s && *s;
}

sk_err sk_verify_query_parse(const sk_verify_fields *f, sk_date today, sk_verify_query *out,
                             sk_diag *d)
{
    sk_err err;
    memset(out, 0, sizeof(*out));
    if (!present(f->insurer_number))
        return sk_diag_set(d, SK_C_REQUIRED, f->name.insurer_number, "保険者番号 is required");
    err = f->oqs ? sk_insurer_number_parse_oqs(f->insurer_number, strlen(f->insurer_number),
                                               &out->insurer, f->name.insurer_number, d)
                 : sk_insurer_number_parse(f->insurer_number, strlen(f->insurer_number),
                                           &out->insurer, f->name.insurer_number, d);
    if (err)
        return err;
    const char *sym = f->symbol ? f->symbol : "", *num = f->number ? f->number : "",
               *br = f->branch ? f->branch : "";
    if (!*num)
        return sk_diag_set(d, SK_C_REQUIRED, f->name.number, "被保険者証番号 is required");
    if ((err = sk_card_symbol_check(sym, strlen(sym), f->name.symbol, d)) ||
        (err = sk_card_number_check(num, strlen(num), f->name.number, d)) ||
        (err = sk_card_branch_check(br, strlen(br), f->name.branch, d)))
        return err;
    memcpy(out->key.symbol, sym, strlen(sym)); /* lengths bounded by the checks */
    memcpy(out->key.number, num, strlen(num));
    memcpy(out->key.branch, br, strlen(br));

    sk_err (*parse_date)(const char *, size_t, sk_date *, const char *, sk_diag *) =
        f->oqs ? sk_date_parse_compact : sk_date_parse;
    if (!present(f->birthdate))
        return sk_diag_set(d, SK_C_REQUIRED, f->name.birthdate, "生年月日 is required");
    if ((err =
             parse_date(f->birthdate, strlen(f->birthdate), &out->birthdate, f->name.birthdate, d)))
        return err;
    out->on = today;
    if (present(f->confirmation_date) &&
        (err = parse_date(f->confirmation_date, strlen(f->confirmation_date), &out->on,
                          f->name.confirmation_date, d)))
        return err;
    if (sk_date_cmp(out->on, today) > 0)
        return sk_diag_set(d, SK_C_DATE_RANGE, f->name.confirmation_date,
                           "資格確認日 is after today: only today or a past date can be answered");
    if (sk_date_cmp(out->birthdate, out->on) > 0)
        return sk_diag_set(d, SK_C_DATE_ORDER, f->name.birthdate,
                           "生年月日 is after the 資格確認日");
    const char *c = f->limit_consent;
    /* OQS knows 0 and 1 only (OQSCD001); the /v1 query's words are not OQS values */
    if (!present(c) || strcmp(c, "0") == 0 || (!f->oqs && strcmp(c, "false") == 0))
        out->limit_consent = false;
    else if (strcmp(c, "1") == 0 || (!f->oqs && strcmp(c, "true") == 0))
        out->limit_consent = true;
    else
        return sk_diag_set(d, SK_C_CONSENT_FLAG, f->name.limit_consent,
                           "限度額適用認定証提供同意フラグ must be %s",
                           f->oqs ? "0 or 1" : "true or false");
    return SK_OK;
}

/* ---- the look-up ---- */

#define MAX_KEYED   64 /* records under one card key that one answer considers */
#define MAX_PERIODS 64

typedef struct keyed {
    sk_elig_row r[MAX_KEYED]; /* a qualification, its person, the institution's 照会番号 */
    size_t n;
} keyed;

static sk_err keyed_cb(void *ctx, const sk_elig_row *r)
{
    keyed *k = ctx;
    if (k->n < MAX_KEYED)
        k->r[k->n++] = *r;
    return SK_OK;
}

typedef struct periods {
    sk_elig_period p[MAX_PERIODS];
    size_t n;
} periods;

static sk_err period_cb(void *ctx, const sk_qualification_rec *r)
{
    periods *p = ctx;
    if (p->n < MAX_PERIODS)
        p->p[p->n++] = (sk_elig_period){.acquired_on = r->acquired_on,
                                        .has_lost = r->has_lost,
                                        .lost_on = r->lost_on,
                                        .registered = r->registered_ms != 0};
    return SK_OK;
}

static sk_scheme scheme_of(sk_insurer_kind k)
{
    if (k == SK_INSURER_KOUKI)
        return SK_SCHEME_KOUKI;
    return sk_insurer_kind_is_kokuho(k) ? SK_SCHEME_KOKUHO : SK_SCHEME_EMPLOYEE;
}

static sk_date min_date(sk_date a, sk_date b)
{
    return sk_date_cmp(a, b) <= 0 ? a : b;
}

static sk_date max_date(sk_date a, sk_date b)
{
    return sk_date_cmp(a, b) >= 0 ? a : b;
}

/* The last day of cover: the day before the loss date, or `fallback` when not lost. */
static sk_date cover_end(const sk_qualification_rec *q, sk_date fallback)
{
    return q->has_lost ? min_date(sk_date_add_days(q->lost_on, -1), fallback) : fallback;
}

typedef struct diseases {
    sk_verify_record *r;
    sk_date on;
} diseases;

/* A certificate valid on the date, the newest per category (a renewal replaces the old one). */
static sk_err disease_cb(void *ctx, const sk_disease_cert_rec *c)
{
    diseases *ds = ctx;
    sk_verify_record *r = ds->r;
    if (!sk_disease_certificate_valid_on(c->valid_from, c->has_until, c->valid_until, ds->on))
        return SK_OK;
    size_t i = 0;
    while (i < r->ndisease && r->disease[i].category[0] != (char)('0' + c->category))
        i++;
    if (i == SK_VERIFY_MAX_DISEASES)
        return SK_OK;
    if (i == r->ndisease)
        r->ndisease++;
    r->disease[i].category[0] = (char)('0' + c->category);
    r->disease[i].category[1] = '\0';
    r->disease[i].certificate_date = c->certificate_date;
    r->disease[i].start = c->valid_from;
    r->disease[i].has_end = c->has_until;
    r->disease[i].end = c->valid_until;
    r->disease[i].self_pay = c->self_pay;
    return SK_OK;
}

/* Copies a stored value into a record field, cut to the field (as snprintf "%s" would, without
 * its cost: a record has a dozen of these on every look-up). */
static void copy_field(char *dst, size_t cap, const char *src)
{
    size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}
#define COPY(field, src) copy_field(field, sizeof(field), src)

static sk_err fill_record(sk_tx *tx, const sk_verify_query *qy, const sk_qualification_rec *q,
                          const sk_person_rec *p, const sk_insurer_rec *ins, sk_verify_record *r,
                          sk_diag *d)
{
    memset(r, 0, sizeof(*r));
    sk_scheme scheme = scheme_of(ins->kind);
    COPY(r->person_pid, p->pid);
    COPY(r->card_class, q->card_class);
    if (sk_insurer_number_parse(q->insurer_number, strlen(q->insurer_number), &r->insurer,
                                "insurer_number", d))
        return sk_diag_set(d, SK_C_STORE, "insurer_number", "stored insurer number %s is invalid",
                           q->insurer_number);
    COPY(r->insurer_name, ins->name);
    r->key = q->key;
    if (scheme != SK_SCHEME_KOUKI)
        COPY(r->personal_family, q->relationship == SK_REL_INSURED ? "1" : "2");
    if (q->relationship != SK_REL_INSURED && q->insured_person_id) {
        sk_person_rec ip;
        if (sk_store_person_get(tx, q->insured_person_id, false, &ip, d) != SK_OK)
            return sk_tx_error(tx);
        /* written like Name: 全角 space between family and given name */
        if (sk_name_fullwidth_space(ip.info.name, strlen(ip.info.name), r->insured_name,
                                    sizeof(r->insured_name)))
            return sk_diag_set(d, SK_C_STORE, "name", "stored name of person %s is malformed",
                               ip.pid);
    }
    if (sk_name_fullwidth_space(p->info.name, strlen(p->info.name), r->name, sizeof(r->name)) ||
        sk_kana_halfwidth(p->info.kana, strlen(p->info.kana), r->name_kana, sizeof(r->name_kana)))
        return sk_diag_set(d, SK_C_STORE, "name", "stored name of person %s is malformed", p->pid);
    r->sex1[0] = (char)('0' + (int)p->info.sex % 10); /* 1 男, 2 女, 3 未設定 */
    r->sex1[1] = '\0';
    r->birthdate = p->info.birthdate;
    COPY(r->address, p->info.address);
    COPY(r->post_number, p->postcode);
    r->qualification_date = q->acquired_on;
    r->has_disqualification = q->has_lost;
    r->disqualification_date = q->lost_on;
    r->has_issuance = q->registered_ms != 0;
    if (r->has_issuance)
        r->issuance_date = sk_date_from_unix_ms(q->registered_ms); /* the JST day */
    r->card_valid_from = q->acquired_on;
    r->has_card_expiration = q->has_lost;
    if (q->has_lost)
        r->card_expiration = sk_date_add_days(q->lost_on, -1); /* the last day of cover */
    if (q->has_lost)
        COPY(r->reason_of_loss, q->loss_reason);

    /* the ratio on the date asked; for a record not valid then, on its last day of cover
     * (or its first, when it begins later) */
    sk_date at = qy->on;
    if (sk_date_cmp(at, q->acquired_on) < 0)
        at = q->acquired_on;
    at = cover_end(q, at);
    sk_ratio ratio;
    sk_err err = sk_ratio_on(p->info.birthdate, at, scheme, q->ratio_class, &ratio, d);
    if (err)
        return err;
    sk_ratio_oqs(ratio.percent, r->contribution_ratio);
    r->card_ratio = scheme == SK_SCHEME_KOUKI;
    r->preschool = ratio.band == SK_BAND_PRESCHOOL;
    if (ratio.band == SK_BAND_ELDERLY && scheme != SK_SCHEME_KOUKI) {
        r->elderly = true;
        r->elderly_start = max_date(sk_elderly_start(p->info.birthdate), q->acquired_on);
        r->elderly_end = cover_end(q, sk_elderly_end(p->info.birthdate));
        r->elderly_date = r->elderly_start;
        sk_ratio_oqs(ratio.percent, r->elderly_ratio);
    }
    if (qy->limit_consent && q->limit != SK_LIMIT_NONE) {
        sk_date year, year_end;
        sk_limit_year(at, &year, &year_end);
        const char *kind = sk_limit_certificate_kind(q->limit);
        r->limit = true;
        COPY(r->limit_class, kind ? kind : "01");
        COPY(r->limit_flag, sk_limit_code(q->limit));
        r->limit_start = max_date(year, q->acquired_on);
        r->limit_end = cover_end(q, year_end);
        r->limit_date = r->limit_start;
    }
    /* 特定疾病 is shown with the patient's consent, like 限度額 (workflows: "限度額/特定疾病
     * … only with the patient's consent"); a 記号・番号 request carries one consent flag */
    if (qy->limit_consent) {
        diseases ds = {r, at};
        sk_err e = sk_store_disease_cert_list(tx, q->id, disease_cb, &ds, d);
        if (e)
            return e;
    }
    return SK_OK;
}

sk_err sk_verify_lookup(sk_store *s, sk_lookup_audit *audit, const sk_principal *who,
                        const sk_verify_query *q, sk_verify_answer *out, sk_diag *d)
{
    /* the records are cleared one by one as they are filled (fill_record): clearing all
     * SK_ELIG_MAX_CHOSEN of them here cost more than the rest of a look-up's own work */
    out->on = q->on;
    out->stopped = false;
    out->n = 0;
    out->validity = SK_VALIDITY_NONE;
    if (who->role != SK_ROLE_INSTITUTION)
        return sk_diag_set(d, SK_C_FORBIDDEN, "",
                           "only a medical institution asks for eligibility");
    static _Thread_local keyed k; /* large; one per thread, reset each call */
    k.n = 0;
    sk_elig_record recs[MAX_KEYED];
    sk_tx *tx = NULL;
    sk_err err = sk_store_begin_read(s, &tx, d);
    if (err)
        return err;
    /* the key's qualifications with their persons and this institution's 照会番号, one read */
    err = sk_store_eligibility_by_key(tx, q->insurer.digits, q->key.symbol, q->key.number,
                                      q->key.branch[0] ? q->key.branch : NULL, who->scope, keyed_cb,
                                      &k, d);
    for (size_t i = 0; !err && i < k.n; i++) {
        const sk_qualification_rec *r = &k.r[i].q;
        const sk_person_rec *person = &k.r[i].p;
        recs[i] = (sk_elig_record){.person_id = r->person_id,
                                   .birthdate = person->info.birthdate,
                                   .acquired_on = r->acquired_on,
                                   .has_lost = r->has_lost,
                                   .lost_on = r->lost_on,
                                   .registered = r->registered_ms != 0,
                                   .display_stopped = r->display_stopped};
        /* "newer" is asked only for an ended record of the person asked about */
        if (r->registered_ms && sk_date_cmp(person->info.birthdate, q->birthdate) == 0 &&
            r->has_lost && sk_date_cmp(r->lost_on, q->on) <= 0) {
            periods ps = {.n = 0};
            err = sk_store_qualification_list_by_person(tx, r->person_id, period_cb, &ps, d);
            recs[i].newer_exists = sk_eligibility_newer_exists(r->acquired_on, ps.p, ps.n, q->on);
        }
    }
    sk_elig_decision dec;
    if (!err) {
        sk_eligibility_decide(recs, k.n, q->birthdate, q->on, &dec);
        out->stopped = dec.stopped;
        out->validity = dec.validity;
    }
    sk_insurer_rec ins;
    if (!err && dec.nchosen)
        err = sk_store_insurer_get(tx, q->insurer.digits, &ins, d);
    for (size_t c = 0; !err && c < dec.nchosen; c++) {
        size_t i = dec.chosen[c];
        sk_verify_record *r = &out->rec[out->n];
        err = fill_record(tx, q, &k.r[i].q, &k.r[i].p, &ins, r, d);
        if (!err) { /* the institution's own 照会番号, shown to it only */
            COPY(r->reference_number, k.r[i].refno);
            out->n++;
        }
    }
    sk_tx_rollback(tx);
    if (!err && audit)
        err = sk_lookup_audit_add(audit, who, q, out, d);
    return err;
}

/* ---- 照会番号 registration ---- */

typedef struct refno_job {
    const sk_principal *who;
    sk_insurer_number insurer;
    sk_cardkey key;
    const char *refno;
    int64_t now_ms;
} refno_job;

static sk_err refno_fn(sk_tx *tx, void *ctx, sk_diag *d)
{
    refno_job *j = ctx;
    static _Thread_local keyed k;
    k.n = 0;
    sk_err err = sk_store_eligibility_by_key(tx, j->insurer.digits, j->key.symbol, j->key.number,
                                             j->key.branch[0] ? j->key.branch : NULL, j->who->scope,
                                             keyed_cb, &k, d);
    if (err)
        return err;
    int64_t person = 0;
    const sk_person_rec *p = NULL;
    bool several = false;
    for (size_t i = 0; i < k.n; i++) {
        if (!k.r[i].q.registered_ms)
            continue;
        if (k.r[i].q.display_stopped)
            return sk_diag_set(d, SK_C_DISPLAY_STOPPED, "InsuredIdentificationNumber",
                               "the record is under 閲覧停止");
        if (person && person != k.r[i].q.person_id)
            several = true;
        person = k.r[i].q.person_id;
        p = &k.r[i].p;
    }
    if (!person)
        return sk_diag_set(d, SK_C_NOT_FOUND, "InsuredIdentificationNumber",
                           "no registered qualification has these 記号・番号");
    if (several)
        return sk_diag_set(d, SK_C_KEY_AMBIGUOUS, "InsuredBranchNumber",
                           "several persons have these 記号・番号; give the 枝番");
    char object[80];
    if (sk_store_refno_set(tx, j->who->scope, person, j->refno, j->now_ms, d))
        return sk_tx_error(tx);
    snprintf(object, sizeof(object), "person:%s", p->pid);
    char actor[40];
    snprintf(actor, sizeof(actor), "principal:%lld", (long long)j->who->id);
    return sk_store_audit_add(tx, j->now_ms, actor, "reference_number.set", object, d,
                              "institution=%s", j->who->scope);
}

sk_err sk_verify_refno_register(sk_store *s, const sk_principal *who, const char *insurer,
                                const char *symbol, const char *number, const char *branch,
                                const char *refno, int64_t now_ms, sk_diag *d)
{
    if (who->role != SK_ROLE_INSTITUTION)
        return sk_diag_set(d, SK_C_FORBIDDEN, "", "only a medical institution registers 照会番号");
    refno_job j = {.who = who, .refno = refno, .now_ms = now_ms};
    memset(&j.key, 0, sizeof(j.key));
    const char *sym = symbol ? symbol : "", *num = number ? number : "", *br = branch ? branch : "";
    sk_err err;
    if (!present(refno))
        return sk_diag_set(d, SK_C_REQUIRED, "ReferenceNumber", "照会番号 is required");
    size_t rn = strlen(refno), chars = sk_utf8_count(refno, rn);
    if (!sk_utf8_valid(refno, rn) || chars > 50 || rn > SK_REFNO_MAX_BYTES)
        return sk_diag_set(d, SK_C_TOO_LONG, "ReferenceNumber",
                           "照会番号 is at most 50 characters");
    for (size_t i = 0; i < rn; i++)
        if ((unsigned char)refno[i] < 0x20 || refno[i] == 0x7f)
            return sk_diag_set(d, SK_C_BAD_CHAR, "ReferenceNumber",
                               "照会番号 holds a control character");
    if (!present(insurer))
        return sk_diag_set(d, SK_C_REQUIRED, "InsurerNumber", "保険者番号 is required");
    if (!*num)
        return sk_diag_set(d, SK_C_REQUIRED, "InsuredIdentificationNumber",
                           "被保険者証番号 is required");
    if ((err = sk_insurer_number_parse_oqs(insurer, strlen(insurer), &j.insurer, "InsurerNumber",
                                           d)) ||
        (err = sk_card_symbol_check(sym, strlen(sym), "InsuredCardSymbol", d)) ||
        (err = sk_card_number_check(num, strlen(num), "InsuredIdentificationNumber", d)) ||
        (err = sk_card_branch_check(br, strlen(br), "InsuredBranchNumber", d)))
        return err;
    memcpy(j.key.symbol, sym, strlen(sym));
    memcpy(j.key.number, num, strlen(num));
    memcpy(j.key.branch, br, strlen(br));
    return sk_store_run(s, refno_fn, &j, d);
}
