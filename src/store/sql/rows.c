/* rows.c — the row mapping of every entity, written once for every dialect: which column holds
 * which field (in the order the statements select them: the *_COLS lists of each dialect's
 * statements.c), with bounded copies, dates parsed and checked, and what "not found" says. */
#include <string.h>

#include "store/sql/sql_int.h"

/* ---- helpers ---- */
void sq_bind_date(sq_st *s, int i, sk_date v)
{
    char buf[11];
    sk_date_format(v, buf);
    s->c->bind_text(s->st, i, buf, 10, true);
}

sk_err sq_exec(sq_st *s, const char *what, sk_diag *d)
{
    bool row = false;
    sk_err err = sq_step(s, &row, what, d);
    while (!err && row) /* a write that returns rows: run it to its end */
        err = sq_step(s, &row, what, d);
    sq_reset(s);
    return err;
}

sk_err sq_exec_one(sq_st *s, const char *what, sk_diag *d)
{
    sk_err err = sq_exec(s, what, d);
    if (!err && s->c->changes(s->h) != 1)
        return sk_diag_set(d, SK_C_NOT_FOUND, what, "no such record");
    return err;
}

sk_err sq_insert_id(sq_st *s, int64_t *id, const char *what, sk_diag *d)
{
    bool row = false;
    sk_err err = sq_step(s, &row, what, d);
    if (!err && row) { /* the row is in by the first step; RETURNING gives its id */
        *id = sq_i64(s, 0);
        while (!err && row)
            err = sq_step(s, &row, what, d);
    } else if (!err) { /* the dialect's own: SQLite's rowid (cheaper than RETURNING) */
        *id = s->c->last_id(s->h);
    }
    sq_reset(s);
    return err;
}

sk_err sq_text(const sq_st *s, int i, char *dst, size_t cap, sk_diag *d)
{
    size_t n = 0;
    const char *t = s->c->column_text(s->st, i, &n);
    if (n >= cap)
        return sk_diag_set(d, SK_C_STORE, s->c->column_name(s->st, i),
                           "stored value longer than %zu bytes", cap - 1);
    if (n)
        memcpy(dst, t, n);
    dst[n] = '\0';
    return SK_OK;
}

sk_err sq_date(const sq_st *s, int i, sk_date *out, sk_diag *d)
{
    size_t n = 0;
    const char *t = s->c->column_text(s->st, i, &n);
    if (!t || sk_date_parse(t, n, out, s->c->column_name(s->st, i), NULL) != SK_OK)
        return sk_diag_set(d, SK_C_STORE, s->c->column_name(s->st, i), "stored date is malformed");
    return SK_OK;
}

sk_err sq_opt_date(const sq_st *s, int i, bool *has, sk_date *out, sk_diag *d)
{
    *has = !sq_null(s, i);
    return *has ? sq_date(s, i, out, d) : SK_OK;
}

sk_err sq_hash(const sq_st *s, int i, uint8_t out[SK_SHA256_BYTES], sk_diag *d)
{
    size_t n = 0;
    const void *p = s->c->column_blob(s->st, i, &n);
    if (n != SK_SHA256_BYTES || !p)
        return sk_diag_set(d, SK_C_STORE, s->c->column_name(s->st, i), "stored hash is malformed");
    memcpy(out, p, SK_SHA256_BYTES);
    return SK_OK;
}

const char *sq_strdup(const sq_st *s, int i, sk_arena *a, bool *ok)
{
    if (sq_null(s, i))
        return NULL;
    size_t n = 0;
    const char *t = s->c->column_text(s->st, i, &n);
    const char *r = sk_arena_strndup(a, t ? t : "", n);
    if (!r)
        *ok = false;
    return r;
}

/* A stored name of a core/workflow.h list into its enum: an unknown name is a damaged store
 * (or a newer writer), never silently a default. */
#define SQ_ENUM_READER(T)                                                                          \
    static sk_err sq_enum_##T(const sq_st *s, int i, sk_##T *out, sk_diag *d)                      \
    {                                                                                              \
        char name[32];                                                                             \
        sk_err err = sq_text(s, i, name, sizeof(name), d);                                         \
        if (!err && !sk_##T##_from_name(name, out))                                                \
            err = sk_diag_set(d, SK_C_STORE, #T, "stored " #T " '%s' is unknown", name);           \
        return err;                                                                                \
    }
SQ_ENUM_READER(role)
SQ_ENUM_READER(notification_state)
SQ_ENUM_READER(verdict)
SQ_ENUM_READER(work_kind)
SQ_ENUM_READER(work_state)
SQ_ENUM_READER(risk)
SQ_ENUM_READER(stop_cause)
SQ_ENUM_READER(acq_stage)

/* ---- insurers: number, kind, name, numbering_rule, created_ms ---- */
sk_err sq_read_insurer(const sq_st *s, sk_insurer_rec *r, sk_arena *a, sk_diag *d)
{
    (void)a;
    char kind[32];
    sk_err err;
    memset(r, 0, sizeof(*r));
    if ((err = sq_text(s, 0, r->number, sizeof(r->number), d)) ||
        (err = sq_text(s, 1, kind, sizeof(kind), d)) ||
        (err = sq_text(s, 2, r->name, sizeof(r->name), d)) ||
        (err = sq_text(s, 3, r->numbering_rule, sizeof(r->numbering_rule), d)))
        return err;
    if (sk_insurer_kind_from_name(kind, &r->kind) != SK_OK)
        return sk_diag_set(d, SK_C_STORE, "kind", "stored insurer kind is unknown");
    r->created_ms = sq_i64(s, 4);
    return SK_OK;
}

sk_err sq_notfound_insurer(sk_diag *d)
{
    return sk_diag_set(d, SK_C_NOT_FOUND, "insurer_number", "no insurer with this number");
}

/* ---- employers: id, insurer_number, name, office_code, created_ms ---- */
sk_err sq_read_employer(const sq_st *s, sk_employer_rec *r, sk_arena *a, sk_diag *d)
{
    (void)a;
    sk_err err;
    memset(r, 0, sizeof(*r));
    r->id = sq_i64(s, 0);
    r->created_ms = sq_i64(s, 4);
    if ((err = sq_text(s, 1, r->insurer_number, sizeof(r->insurer_number), d)) ||
        (err = sq_text(s, 2, r->name, sizeof(r->name), d)))
        return err;
    return sq_text(s, 3, r->office_code, sizeof(r->office_code), d);
}

sk_err sq_notfound_employer(sk_diag *d)
{
    return sk_diag_set(d, SK_C_NOT_FOUND, "employer_id", "no employer with this id");
}

/* ---- persons: id, pid, name, kana, birthdate, sex, address, postcode, mynumber_ct,
 * mynumber_idx, created_ms, updated_ms ---- */
sk_err sq_read_person_at(const sq_st *s, int o, sk_person_rec *r, sk_sealed_mynumber *mn,
                         sk_diag *d)
{
    sk_err err;
    memset(r, 0, sizeof(*r));
    memset(mn, 0, sizeof(*mn));
    r->id = sq_i64(s, o);
    if ((err = sq_text(s, o + 1, r->pid, sizeof(r->pid), d)) ||
        (err = sq_text(s, o + 2, r->info.name, sizeof(r->info.name), d)) ||
        (err = sq_text(s, o + 3, r->info.kana, sizeof(r->info.kana), d)) ||
        (err = sq_date(s, o + 4, &r->info.birthdate, d)) ||
        (err = sq_text(s, o + 6, r->info.address, sizeof(r->info.address), d)) ||
        (err = sq_text(s, o + 7, r->postcode, sizeof(r->postcode), d)))
        return err;
    r->info.sex = (sk_sex)sq_int(s, o + 5);
    if (!sq_null(s, o + 8)) {
        size_t n = 0;
        const void *ct = s->c->column_blob(s->st, o + 8, &n);
        if (!ct || n == 0 || n > sizeof(mn->ct))
            return sk_diag_set(d, SK_C_CRYPTO, "mynumber", "stored My Number is malformed");
        memcpy(mn->ct, ct, n);
        mn->ct_len = n;
        if ((err = sq_hash(s, o + 9, mn->idx, d)))
            return err;
        mn->present = true;
    }
    r->has_mynumber = mn->present;
    r->created_ms = sq_i64(s, o + 10);
    r->updated_ms = sq_i64(s, o + 11);
    return SK_OK;
}

sk_err sq_read_person(const sq_st *s, sk_person_rec *r, sk_arena *a, sk_diag *d)
{
    (void)a;
    sk_sealed_mynumber mn; /* ciphertext and blind index: not a list's business */
    return sq_read_person_at(s, 0, r, &mn, d);
}

sk_err sq_notfound_person(sk_diag *d)
{
    return sk_diag_set(d, SK_C_NOT_FOUND, "person", "no such person");
}

/* ---- qualifications: id, person_id, insurer_number, symbol, number, branch, relationship,
 * insured_person_id, card_class, acquired_on, lost_on, loss_reason, ratio_class,
 * limit_category, registered_ms, display_stopped, created_ms, updated_ms, employer_id ---- */
#define QUAL_NCOLS 19

sk_err sq_read_qualification(const sq_st *s, sk_qualification_rec *r, sk_arena *a, sk_diag *d)
{
    (void)a;
    sk_err err;
    memset(r, 0, sizeof(*r));
    r->id = sq_i64(s, 0);
    r->person_id = sq_i64(s, 1);
    if ((err = sq_text(s, 2, r->insurer_number, sizeof(r->insurer_number), d)) ||
        (err = sq_text(s, 3, r->key.symbol, sizeof(r->key.symbol), d)) ||
        (err = sq_text(s, 4, r->key.number, sizeof(r->key.number), d)) ||
        (err = sq_text(s, 5, r->key.branch, sizeof(r->key.branch), d)) ||
        (err = sq_text(s, 8, r->card_class, sizeof(r->card_class), d)) ||
        (err = sq_date(s, 9, &r->acquired_on, d)) ||
        (err = sq_opt_date(s, 10, &r->has_lost, &r->lost_on, d)) ||
        (err = sq_text(s, 11, r->loss_reason, sizeof(r->loss_reason), d)))
        return err;
    r->relationship = (sk_relationship)sq_int(s, 6);
    r->insured_person_id = sq_i64(s, 7);
    r->ratio_class = (sk_income_class)sq_int(s, 12);
    r->limit = (sk_limit)sq_int(s, 13);
    r->registered_ms = sq_i64(s, 14);
    r->display_stopped = sq_int(s, 15) != 0;
    r->created_ms = sq_i64(s, 16);
    r->updated_ms = sq_i64(s, 17);
    r->employer_id = sq_i64(s, 18);
    return SK_OK;
}

sk_err sq_notfound_qualification(sk_diag *d)
{
    return sk_diag_set(d, SK_C_NOT_FOUND, "qualification", "no such qualification");
}

/* An eligibility row: the qualification's columns, the person's (the My Number selected as
 * NULL: an answer to an institution never needs it), then the institution's 照会番号. */
sk_err sq_read_elig_row(const sq_st *s, sk_elig_row *r, sk_diag *d)
{
    sk_sealed_mynumber mn;
    sk_err err = sq_read_qualification(s, &r->q, NULL, d);
    if (err)
        return err;
    if (sq_null(s, QUAL_NCOLS))
        return sk_diag_set(d, SK_C_STORE, "person", "qualification %lld refers to a missing person",
                           (long long)r->q.id);
    if ((err = sq_read_person_at(s, QUAL_NCOLS, &r->p, &mn, d)))
        return err;
    return sq_text(s, QUAL_NCOLS + 12, r->refno, sizeof(r->refno), d);
}

/* ---- notifications: id, kind, insurer_number, employer_id, submitter, idem_key, state,
 * event_date, filed_ms, registered_ms, person_id, payload, errors, qualification_id ---- */
sk_err sq_read_notification(const sq_st *s, sk_notification_rec *r, sk_arena *a, sk_diag *d)
{
    sk_err err;
    bool ok = true;
    memset(r, 0, sizeof(*r));
    r->id = sq_i64(s, 0);
    r->employer_id = sq_i64(s, 3);
    if ((err = sq_text(s, 1, r->kind, sizeof(r->kind), d)) ||
        (err = sq_text(s, 2, r->insurer_number, sizeof(r->insurer_number), d)) ||
        (err = sq_text(s, 4, r->submitter, sizeof(r->submitter), d)) ||
        (err = sq_text(s, 5, r->idem_key, sizeof(r->idem_key), d)) ||
        (err = sq_enum_notification_state(s, 6, &r->state, d)) ||
        (err = sq_opt_date(s, 7, &r->has_event_date, &r->event_date, d)))
        return err;
    r->filed_ms = sq_i64(s, 8);
    r->registered_ms = sq_i64(s, 9);
    r->person_id = sq_i64(s, 10);
    r->payload = sq_strdup(s, 11, a, &ok);
    r->errors = sq_strdup(s, 12, a, &ok);
    if (!ok || !r->payload || !r->errors)
        return sk_diag_set(d, SK_C_NOMEM, "notification", "out of memory");
    r->qualification_id = sq_i64(s, 13);
    return SK_OK;
}

sk_err sq_notfound_notification(sk_diag *d)
{
    return sk_diag_set(d, SK_C_NOT_FOUND, "notification", "no such notification");
}

/* id, state, at_ms, note */
sk_err sq_read_notification_event(const sq_st *s, sk_notification_event_rec *r, sk_arena *a,
                                  sk_diag *d)
{
    (void)a;
    sk_err err;
    memset(r, 0, sizeof(*r));
    r->id = sq_i64(s, 0);
    r->at_ms = sq_i64(s, 2);
    if ((err = sq_enum_notification_state(s, 1, &r->state, d)))
        return err;
    return sq_text(s, 3, r->note, sizeof(r->note), d);
}

/* ---- audit: id, at_ms, actor, action, object, detail, prev_hash, hash ---- */
sk_err sq_read_audit(const sq_st *s, sk_audit_rec *r, sk_arena *a, sk_diag *d)
{
    (void)a;
    sk_err err;
    memset(r, 0, sizeof(*r));
    r->id = sq_i64(s, 0);
    r->at_ms = sq_i64(s, 1);
    if ((err = sq_text(s, 2, r->actor, sizeof(r->actor), d)) ||
        (err = sq_text(s, 3, r->action, sizeof(r->action), d)) ||
        (err = sq_text(s, 4, r->object, sizeof(r->object), d)) ||
        (err = sq_text(s, 5, r->detail, sizeof(r->detail), d)))
        return err;
    /* a malformed hash is a broken link, not a read failure */
    if (sq_hash(s, 6, r->prev_hash, NULL) || sq_hash(s, 7, r->hash, NULL))
        memset(r->hash, 0xFF, sizeof(r->hash));
    return SK_OK;
}

/* ---- bulk requests: id, reception_number, message, institution, principal_id, charset,
 * request, result, created_ms, done_ms, idem_key ---- */
sk_err sq_read_bulk(const sq_st *s, sk_bulk_rec *r, sk_arena *a, sk_diag *d)
{
    sk_err err;
    bool ok = true;
    memset(r, 0, sizeof(*r));
    r->id = sq_i64(s, 0);
    r->principal_id = sq_i64(s, 4);
    r->charset = sq_int(s, 5);
    r->created_ms = sq_i64(s, 8);
    r->done_ms = sq_i64(s, 9);
    if ((err = sq_text(s, 1, r->reception, sizeof(r->reception), d)) ||
        (err = sq_text(s, 2, r->message, sizeof(r->message), d)) ||
        (err = sq_text(s, 3, r->institution, sizeof(r->institution), d)) ||
        (err = sq_text(s, 10, r->idem_key, sizeof(r->idem_key), d)))
        return err;
    r->request = sq_strdup(s, 6, a, &ok);
    r->result = sq_strdup(s, 7, a, &ok);
    if (!ok || !r->request)
        return sk_diag_set(d, SK_C_NOMEM, "bulk_requests", "out of memory");
    return SK_OK;
}

sk_err sq_notfound_bulk(sk_diag *d)
{
    return sk_diag_set(d, SK_C_NOT_FOUND, "reception_number", "no such bulk request");
}

/* ---- 特定疾病: id, qualification_id, category, certificate_date, valid_from, valid_until,
 * self_pay, created_ms ---- */
sk_err sq_read_disease_cert(const sq_st *s, sk_disease_cert_rec *r, sk_arena *a, sk_diag *d)
{
    (void)a;
    sk_err err;
    memset(r, 0, sizeof(*r));
    r->id = sq_i64(s, 0);
    r->qualification_id = sq_i64(s, 1);
    r->category = sq_int(s, 2);
    r->self_pay = sq_i64(s, 6);
    r->created_ms = sq_i64(s, 7);
    if ((err = sq_date(s, 3, &r->certificate_date, d)) || (err = sq_date(s, 4, &r->valid_from, d)))
        return err;
    return sq_opt_date(s, 5, &r->has_until, &r->valid_until, d);
}

/* ---- 本人確認判定: person_id (as id), person_id, at_ms, trigger, verdict, differ, folded ---- */
sk_err sq_read_identity_check(const sq_st *s, sk_identity_check_rec *r, sk_arena *a, sk_diag *d)
{
    (void)a;
    sk_err err;
    memset(r, 0, sizeof(*r));
    r->id = sq_i64(s, 0);
    r->person_id = sq_i64(s, 1);
    r->at_ms = sq_i64(s, 2);
    if ((err = sq_text(s, 3, r->trigger, sizeof(r->trigger), d)) ||
        (err = sq_enum_verdict(s, 4, &r->verdict, d)) ||
        (err = sq_text(s, 5, r->differ, sizeof(r->differ), d)))
        return err;
    return sq_text(s, 6, r->folded, sizeof(r->folded), d);
}

sk_err sq_notfound_identity_check(sk_diag *d)
{
    (void)d;
    return SK_ERR_NOTFOUND;
}

/* ---- work items: id, kind, assignee_role, assignee_scope, insurer_number, person_id,
 * notification_id, qualification_id, risk, detail, state, created_ms, resolved_ms,
 * resolved_by, resolution, reason ---- */
sk_err sq_read_work_item(const sq_st *s, sk_work_item_rec *r, sk_arena *a, sk_diag *d)
{
    (void)a;
    sk_err err;
    memset(r, 0, sizeof(*r));
    r->id = sq_i64(s, 0);
    r->person_id = sq_i64(s, 5);
    r->notification_id = sq_i64(s, 6);
    r->qualification_id = sq_i64(s, 7);
    r->created_ms = sq_i64(s, 11);
    r->resolved_ms = sq_i64(s, 12);
    if ((err = sq_enum_work_kind(s, 1, &r->kind, d)) ||
        (err = sq_enum_role(s, 2, &r->assignee_role, d)) ||
        (err = sq_text(s, 3, r->assignee_scope, sizeof(r->assignee_scope), d)) ||
        (err = sq_text(s, 4, r->insurer_number, sizeof(r->insurer_number), d)) ||
        (err = sq_enum_risk(s, 8, &r->risk, d)) ||
        (err = sq_text(s, 9, r->detail, sizeof(r->detail), d)) ||
        (err = sq_enum_work_state(s, 10, &r->state, d)) ||
        (err = sq_text(s, 13, r->resolved_by, sizeof(r->resolved_by), d)) ||
        (err = sq_text(s, 14, r->resolution, sizeof(r->resolution), d)))
        return err;
    return sq_text(s, 15, r->reason, sizeof(r->reason), d);
}

sk_err sq_notfound_work_item(sk_diag *d)
{
    (void)d;
    return SK_ERR_NOTFOUND;
}

/* ---- 閲覧停止: id, qualification_id, cause, work_item_id, opened_ms, opened_by, closed_ms,
 * closed_by, resolution, reason ---- */
sk_err sq_read_stop(const sq_st *s, sk_stop_rec *r, sk_arena *a, sk_diag *d)
{
    (void)a;
    sk_err err;
    memset(r, 0, sizeof(*r));
    r->id = sq_i64(s, 0);
    r->qualification_id = sq_i64(s, 1);
    r->work_item_id = sq_i64(s, 3);
    r->opened_ms = sq_i64(s, 4);
    r->closed_ms = sq_i64(s, 6);
    if ((err = sq_enum_stop_cause(s, 2, &r->cause, d)) ||
        (err = sq_text(s, 5, r->opened_by, sizeof(r->opened_by), d)) ||
        (err = sq_text(s, 7, r->closed_by, sizeof(r->closed_by), d)) ||
        (err = sq_text(s, 8, r->resolution, sizeof(r->resolution), d)))
        return err;
    return sq_text(s, 9, r->reason, sizeof(r->reason), d);
}

/* ---- My Number acquisitions: notification_id, person_id, insurer_number, employer_id, stage,
 * requested_ms, reminded_ms, next_ms, attempts, outcome, updated_ms ---- */
sk_err sq_read_acquisition(const sq_st *s, sk_acquisition_rec *r, sk_arena *a, sk_diag *d)
{
    (void)a;
    sk_err err;
    memset(r, 0, sizeof(*r));
    r->notification_id = sq_i64(s, 0);
    r->person_id = sq_i64(s, 1);
    r->employer_id = sq_i64(s, 3);
    r->requested_ms = sq_i64(s, 5);
    r->reminded_ms = sq_i64(s, 6);
    r->next_ms = sq_i64(s, 7);
    r->attempts = sq_int(s, 8);
    r->updated_ms = sq_i64(s, 10);
    if ((err = sq_text(s, 2, r->insurer_number, sizeof(r->insurer_number), d)) ||
        (err = sq_enum_acq_stage(s, 4, &r->stage, d)))
        return err;
    return sq_text(s, 9, r->outcome, sizeof(r->outcome), d);
}

sk_err sq_notfound_acquisition(sk_diag *d)
{
    (void)d;
    return SK_ERR_NOTFOUND;
}

/* ---- principals: id, role, scope, token_hash, label, disabled, created_ms ---- */
sk_err sq_read_principal(const sq_st *s, sk_principal_rec *r, sk_arena *a, sk_diag *d)
{
    (void)a;
    sk_err err;
    memset(r, 0, sizeof(*r));
    r->id = sq_i64(s, 0);
    r->disabled = sq_int(s, 5) != 0;
    r->created_ms = sq_i64(s, 6);
    if ((err = sq_enum_role(s, 1, &r->role, d)) ||
        (err = sq_text(s, 2, r->scope, sizeof(r->scope), d)) ||
        (err = sq_hash(s, 3, r->token_hash, d)))
        return err;
    return sq_text(s, 4, r->label, sizeof(r->label), d);
}

sk_err sq_notfound_principal(sk_diag *d)
{
    return sk_diag_set(d, SK_C_NOT_FOUND, "token", "unknown token");
}
