/* ops.c — every store operation in SQL, once for every dialect: the generated shapes of
 * store_ops.h (GET, GETA, LIST, LISTA, LIST0, EXEC) and the operations written by hand (CUSTOM).
 * Statement texts are the dialect's (sqlite/statements.c); rows are mapped in rows.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sql/sql_int.h"

/* ---- the generated shapes ---- */
#define SQ_DEF_GET(name, params, bind, ent, arena)                                                 \
    static sk_err sq_##name(const sk_sql *q, SK_UNPAREN params, sk_diag *d)                        \
    {                                                                                              \
        sq_st st;                                                                                  \
        bool row = false;                                                                          \
        sk_err err = sq_prepare(q, SQ_##name, &st, d);                                             \
        if (err)                                                                                   \
            return err;                                                                            \
        SQ_BIND_ALL(&st, SK_UNPAREN bind);                                                         \
        if (!(err = sq_step(&st, &row, SQ_WHAT_##ent, d)))                                         \
            err = row ? sq_read_##ent(&st, out, arena, d) : sq_notfound_##ent(d);                  \
        sq_reset(&st);                                                                             \
        return err;                                                                                \
    }
/* binding: the statement that binds the parameters to st */
#define SQ_DEF_LIST(name, params, binding, ent, arena)                                             \
    static sk_err sq_##name(const sk_sql *q, SK_UNPAREN params, sk_diag *d)                        \
    {                                                                                              \
        sq_st st;                                                                                  \
        bool row = false;                                                                          \
        sk_##ent##_rec r;                                                                          \
        sk_err err = sq_prepare(q, SQ_##name, &st, d);                                             \
        if (err)                                                                                   \
            return err;                                                                            \
        binding;                                                                                   \
        while (!(err = sq_step(&st, &row, SQ_WHAT_##ent, d)) && row)                               \
            if ((err = sq_read_##ent(&st, &r, arena, d)) || (err = cb(ctx, &r)))                   \
                break;                                                                             \
        sq_reset(&st);                                                                             \
        return err;                                                                                \
    }
#define SQ_DEF_GENERATED_GET(name, params, bind, ent)  SQ_DEF_GET(name, params, bind, ent, NULL)
#define SQ_DEF_GENERATED_GETA(name, params, bind, ent) SQ_DEF_GET(name, params, bind, ent, a)
#define SQ_DEF_GENERATED_LIST(name, params, bind, ent)                                             \
    SQ_DEF_LIST(name, params, SQ_BIND_ALL(&st, SK_UNPAREN bind), ent, NULL)
#define SQ_DEF_GENERATED_LISTA(name, params, bind, ent)                                            \
    SQ_DEF_LIST(name, params, SQ_BIND_ALL(&st, SK_UNPAREN bind), ent, a)
#define SQ_DEF_GENERATED_LIST0(name, params, bind, ent)                                            \
    SQ_DEF_LIST(name, params, (void)0, ent, NULL)
#define SQ_DEF_GENERATED_EXEC(name, params, bind, ent)                                             \
    static sk_err sq_##name(const sk_sql *q, SK_UNPAREN params, sk_diag *d)                        \
    {                                                                                              \
        sq_st st;                                                                                  \
        sk_err err = sq_prepare(q, SQ_##name, &st, d);                                             \
        if (err)                                                                                   \
            return err;                                                                            \
        SQ_BIND_ALL(&st, SK_UNPAREN bind);                                                         \
        return sq_exec(&st, SQ_WHAT_##ent, d);                                                     \
    }
#define SQ_DEF_GENERATED_CUSTOM(name, params, bind, ent) /* below, by hand */

#define SK_STORE_OP(shape, name, params, bind, ent)                                                \
    SQ_DEF_GENERATED_##shape(name, params, bind, ent)
#define SK_STORE_OP_INTERNAL SK_STORE_OP
#include "store/store_ops.h"
#undef SK_STORE_OP
#undef SK_STORE_OP_INTERNAL

/* Prepares statement id of q into st, or returns its error. */
#define SQ_PREPARE(q, id, st, d)                                                                   \
    do {                                                                                           \
        sk_err e_ = sq_prepare((q), (id), (st), (d));                                              \
        if (e_)                                                                                    \
            return e_;                                                                             \
    } while (0)

/* ---- insurers ---- */
static sk_err sq_insurer_add(const sk_sql *q, const sk_insurer_rec *r, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_insurer_add, &s, d);
    sq_bind_text(&s, 1, r->number);
    sq_bind_text(&s, 2, sk_insurer_kind_name(r->kind));
    sq_bind_text(&s, 3, r->name);
    sq_bind_text(&s, 4, r->numbering_rule);
    sq_bind_i64(&s, 5, r->created_ms);
    return sq_exec(&s, SQ_WHAT_insurer, d);
}

/* ---- employers ---- */
static sk_err sq_employer_add(const sk_sql *q, sk_employer_rec *r, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_employer_add, &s, d);
    sq_bind_text(&s, 1, r->insurer_number);
    sq_bind_text(&s, 2, r->name);
    sq_bind_text(&s, 3, r->office_code);
    sq_bind_i64(&s, 4, r->created_ms);
    return sq_insert_id(&s, &r->id, SQ_WHAT_employer, d);
}

/* ---- persons ---- */
static void bind_sealed(sq_st *s, int i, const sk_sealed_mynumber *mn)
{
    if (mn && mn->present) {
        s->c->bind_blob(s->st, i, mn->ct, mn->ct_len);
        sq_bind_hash(s, i + 1, mn->idx);
    } else {
        sq_bind_null(s, i);
        sq_bind_null(s, i + 1);
    }
}

static sk_err sq_person_insert(const sk_sql *q, sk_person_rec *r, const sk_sealed_mynumber *mn,
                               sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_person_insert, &s, d);
    sq_bind_text(&s, 1, r->pid);
    sq_bind_text(&s, 2, r->info.name);
    sq_bind_text(&s, 3, r->info.kana);
    sq_bind_date(&s, 4, r->info.birthdate);
    sq_bind_int(&s, 5, (int)r->info.sex);
    sq_bind_text(&s, 6, r->info.address);
    sq_bind_text(&s, 7, r->postcode);
    bind_sealed(&s, 8, mn);
    sq_bind_i64(&s, 10, r->created_ms);
    sq_bind_i64(&s, 11, r->updated_ms);
    return sq_insert_id(&s, &r->id, SQ_WHAT_person, d);
}

static sk_err person_one(sq_st *s, sk_person_rec *out, sk_sealed_mynumber *mn, sk_diag *d)
{
    bool row = false;
    sk_err err = sq_step(s, &row, SQ_WHAT_person, d);
    if (!err)
        err = row ? sq_read_person_at(s, 0, out, mn, d) : sq_notfound_person(d);
    sq_reset(s);
    return err;
}

static sk_err sq_person_fetch(const sk_sql *q, int64_t id, const char *pid, sk_person_rec *out,
                              sk_sealed_mynumber *mn, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, pid ? SQ_person_fetch_by_pid : SQ_person_fetch, &s, d);
    if (pid)
        sq_bind_text(&s, 1, pid);
    else
        sq_bind_i64(&s, 1, id);
    return person_one(&s, out, mn, d);
}

static sk_err sq_person_find_by_index(const sk_sql *q, const uint8_t idx[SK_SHA256_BYTES],
                                      sk_person_rec *out, sk_sealed_mynumber *mn, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_person_find_by_index, &s, d);
    sq_bind_hash(&s, 1, idx);
    return person_one(&s, out, mn, d);
}

static sk_err sq_person_next_id(const sk_sql *q, int64_t after_id, int64_t *out, sk_diag *d)
{
    sq_st s;
    bool row = false;
    SQ_PREPARE(q, SQ_person_next_id, &s, d);
    sq_bind_i64(&s, 1, after_id);
    sk_err err = sq_step(&s, &row, "persons", d);
    if (!err && row)
        *out = sq_i64(&s, 0);
    else if (!err)
        err = SK_ERR_NOTFOUND;
    sq_reset(&s);
    return err;
}

static sk_err sq_person_set_sealed(const sk_sql *q, int64_t id, int64_t at_ms,
                                   const sk_sealed_mynumber *mn, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_person_set_sealed, &s, d);
    bind_sealed(&s, 1, mn);
    sq_bind_i64(&s, 3, at_ms);
    sq_bind_i64(&s, 4, id);
    return sq_exec_one(&s, SQ_WHAT_person, d);
}

static sk_err sq_person_update(const sk_sql *q, const sk_person_rec *r, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_person_update, &s, d);
    sq_bind_text(&s, 1, r->info.name);
    sq_bind_text(&s, 2, r->info.kana);
    sq_bind_date(&s, 3, r->info.birthdate);
    sq_bind_int(&s, 4, (int)r->info.sex);
    sq_bind_text(&s, 5, r->info.address);
    sq_bind_text(&s, 6, r->postcode);
    sq_bind_i64(&s, 7, r->updated_ms);
    sq_bind_i64(&s, 8, r->id);
    return sq_exec_one(&s, SQ_WHAT_person, d);
}

/* ---- qualifications ---- */
static void bind_lost(sq_st *s, int i, const sk_qualification_rec *r)
{
    if (r->has_lost)
        sq_bind_date(s, i, r->lost_on);
    else
        sq_bind_null(s, i);
}

static sk_err sq_qualification_add(const sk_sql *q, sk_qualification_rec *r, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_qualification_add, &s, d);
    sq_bind_i64(&s, 1, r->person_id);
    sq_bind_text(&s, 2, r->insurer_number);
    sq_bind_text(&s, 3, r->key.symbol);
    sq_bind_text(&s, 4, r->key.number);
    sq_bind_text(&s, 5, r->key.branch);
    sq_bind_int(&s, 6, (int)r->relationship);
    sq_bind_i64(&s, 7, r->insured_person_id);
    sq_bind_text(&s, 8, r->card_class[0] ? r->card_class : "01");
    sq_bind_date(&s, 9, r->acquired_on);
    bind_lost(&s, 10, r);
    sq_bind_text(&s, 11, r->loss_reason);
    sq_bind_int(&s, 12, (int)r->ratio_class);
    sq_bind_int(&s, 13, (int)r->limit);
    sq_bind_i64(&s, 14, r->registered_ms);
    sq_bind_bool(&s, 15, r->display_stopped);
    sq_bind_i64(&s, 16, r->created_ms);
    sq_bind_i64(&s, 17, r->updated_ms);
    sq_bind_opt_id(&s, 18, r->employer_id);
    return sq_insert_id(&s, &r->id, SQ_WHAT_qualification, d);
}

static sk_err sq_qualification_update(const sk_sql *q, const sk_qualification_rec *r, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_qualification_update, &s, d);
    bind_lost(&s, 1, r);
    sq_bind_text(&s, 2, r->loss_reason);
    sq_bind_int(&s, 3, (int)r->ratio_class);
    sq_bind_int(&s, 4, (int)r->limit);
    sq_bind_i64(&s, 5, r->registered_ms);
    sq_bind_bool(&s, 6, r->display_stopped);
    sq_bind_i64(&s, 7, r->updated_ms);
    sq_bind_i64(&s, 8, r->id);
    return sq_exec_one(&s, SQ_WHAT_qualification, d);
}

/* A key's rows, oldest acquisition first. They are read in key order and sorted here: a key
 * has one row, or a family's few, and ORDER BY in SQL cost a sorter per look-up (a sixth of
 * a look-up's instructions on SQLite). More rows than KEY_ROWS (a long history under one key)
 * take the statement with ORDER BY. Two kinds of row share this: a qualification, and an
 * eligibility row (which begins with one, so by_acquisition sorts both). */
#define KEY_ROWS 8
typedef struct key_search {
    sk_sql_id by_key, by_key_branch;   /* key order, sorted here */
    sk_sql_id ordered, ordered_branch; /* ORDER BY acquired_on, id */
    const char *institution;           /* ?5, for eligibility rows */
    size_t size;                       /* of a row */
    bool elig;                         /* eligibility rows, else qualifications */
    sk_qualification_cb qual;
    sk_elig_row_cb elig_cb;
    void *ctx;
} key_search;

static int by_acquisition(const void *a, const void *b)
{
    const sk_qualification_rec *x = a, *y = b;
    int c = sk_date_cmp(x->acquired_on, y->acquired_on);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

static sk_err key_read(const key_search *ks, const sq_st *s, void *row, sk_diag *d)
{
    return ks->elig ? sq_read_elig_row(s, row, d) : sq_read_qualification(s, row, NULL, d);
}

static sk_err key_emit(const key_search *ks, const void *row)
{
    return ks->elig ? ks->elig_cb(ks->ctx, row) : ks->qual(ks->ctx, row);
}

static sk_err key_bind(const sk_sql *q, const key_search *ks, sk_sql_id id, const char *insurer,
                       const char *symbol, const char *number, const char *branch, sq_st *s,
                       sk_diag *d)
{
    sk_err err = sq_prepare(q, id, s, d);
    if (err)
        return err;
    sq_bind_text(s, 1, insurer);
    sq_bind_text(s, 2, number);
    sq_bind_text(s, 3, symbol ? symbol : "");
    if (branch)
        sq_bind_text(s, 4, branch);
    if (ks->institution)
        sq_bind_text(s, 5, ks->institution);
    return SK_OK;
}

static sk_err key_rows(const sk_sql *q, const key_search *ks, const char *insurer,
                       const char *symbol, const char *number, const char *branch, sk_diag *d)
{
    _Alignas(max_align_t) unsigned char rows[KEY_ROWS * sizeof(sk_elig_row)];
    size_t n = 0;
    bool row = false;
    sq_st s;
    sk_err err = key_bind(q, ks, branch ? ks->by_key_branch : ks->by_key, insurer, symbol, number,
                          branch, &s, d);
    if (err)
        return err;
    while (!(err = sq_step(&s, &row, SQ_WHAT_qualification, d)) && row && n < KEY_ROWS) {
        if ((err = key_read(ks, &s, rows + n * ks->size, d)))
            break;
        n++;
    }
    sq_reset(&s);
    if (err)
        return err;
    if (row) { /* more than KEY_ROWS: stream them from the ordered statement */
        err = key_bind(q, ks, branch ? ks->ordered_branch : ks->ordered, insurer, symbol, number,
                       branch, &s, d);
        if (err)
            return err;
        while (!(err = sq_step(&s, &row, SQ_WHAT_qualification, d)) && row)
            if ((err = key_read(ks, &s, rows, d)) || (err = key_emit(ks, rows)))
                break;
        sq_reset(&s);
        return err;
    }
    if (n > 1)
        qsort(rows, n, ks->size, by_acquisition);
    for (size_t i = 0; !err && i < n; i++)
        err = key_emit(ks, rows + i * ks->size);
    return err;
}

static sk_err sq_qualification_find_by_key(const sk_sql *q, const char *insurer_number,
                                           const char *symbol, const char *number,
                                           const char *branch, sk_qualification_cb cb, void *ctx,
                                           sk_diag *d)
{
    key_search ks = {.by_key = SQ_qualification_by_key,
                     .by_key_branch = SQ_qualification_by_key_branch,
                     .ordered = SQ_qualification_by_key_sorted,
                     .ordered_branch = SQ_qualification_by_key_branch_sorted,
                     .size = sizeof(sk_qualification_rec),
                     .qual = cb,
                     .ctx = ctx};
    return key_rows(q, &ks, insurer_number, symbol, number, branch, d);
}

static sk_err sq_eligibility_by_key(const sk_sql *q, const char *insurer_number, const char *symbol,
                                    const char *number, const char *branch, const char *institution,
                                    sk_elig_row_cb cb, void *ctx, sk_diag *d)
{
    key_search ks = {.by_key = SQ_eligibility_by_key,
                     .by_key_branch = SQ_eligibility_by_key_branch,
                     .ordered = SQ_eligibility_by_key_sorted,
                     .ordered_branch = SQ_eligibility_by_key_branch_sorted,
                     .institution = institution ? institution : "",
                     .size = sizeof(sk_elig_row),
                     .elig = true,
                     .elig_cb = cb,
                     .ctx = ctx};
    return key_rows(q, &ks, insurer_number, symbol, number, branch, d);
}

/* ---- counters ---- */
static sk_err sq_counter_next(const sk_sql *q, const char *insurer_number, const char *scope,
                              int64_t *out, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_counter_next, &s, d);
    sq_bind_text(&s, 1, insurer_number);
    sq_bind_text(&s, 2, scope);
    return sq_insert_id(&s, out, SQ_WHAT_counter, d);
}

/* ---- notifications ---- */
static sk_err add_event(const sk_sql *q, int64_t id, const char *state, int64_t at_ms,
                        const char *note, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_notification_event_add, &s, d);
    sq_bind_i64(&s, 1, id);
    sq_bind_text(&s, 2, state);
    sq_bind_i64(&s, 3, at_ms);
    sq_bind_text(&s, 4, note ? note : "");
    return sq_exec(&s, SQ_WHAT_notification, d);
}

static sk_err sq_notification_add(const sk_sql *q, sk_notification_rec *r, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_notification_add, &s, d);
    sq_bind_text(&s, 1, r->kind);
    sq_bind_text(&s, 2, r->insurer_number);
    sq_bind_opt_id(&s, 3, r->employer_id);
    sq_bind_text(&s, 4, r->submitter);
    sq_bind_opt_text(&s, 5, r->idem_key);
    sq_bind_text(&s, 6, sk_notification_state_name(r->state));
    if (r->has_event_date)
        sq_bind_date(&s, 7, r->event_date);
    else
        sq_bind_null(&s, 7);
    sq_bind_i64(&s, 8, r->filed_ms);
    sq_bind_i64(&s, 9, r->registered_ms);
    sq_bind_opt_id(&s, 10, r->person_id);
    sq_bind_text(&s, 11, r->payload ? r->payload : "{}");
    sq_bind_text(&s, 12, r->errors ? r->errors : "");
    sq_bind_opt_id(&s, 13, r->qualification_id);
    sk_err err = sq_insert_id(&s, &r->id, SQ_WHAT_notification, d);
    return err ? err
               : add_event(q, r->id, sk_notification_state_name(r->state), r->filed_ms, "filed", d);
}

static sk_err sq_notification_transition(const sk_sql *q, const sk_notification_rec *r,
                                         int64_t at_ms, const char *note, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_notification_transition, &s, d);
    sq_bind_text(&s, 1, sk_notification_state_name(r->state));
    sq_bind_i64(&s, 2, r->registered_ms);
    sq_bind_opt_id(&s, 3, r->person_id);
    sq_bind_text(&s, 4, r->errors ? r->errors : "");
    sq_bind_opt_id(&s, 5, r->qualification_id);
    sq_bind_i64(&s, 6, r->id);
    sk_err err = sq_exec_one(&s, SQ_WHAT_notification, d);
    return err ? err : add_event(q, r->id, sk_notification_state_name(r->state), at_ms, note, d);
}

static sk_err sq_notification_count_by_state(const sk_sql *q, sk_state_count_cb cb, void *ctx,
                                             sk_diag *d)
{
    sq_st s;
    bool row = false;
    char state[24];
    sk_err err;
    SQ_PREPARE(q, SQ_notification_count_by_state, &s, d);
    while (!(err = sq_step(&s, &row, SQ_WHAT_notification, d)) && row)
        if ((err = sq_text(&s, 0, state, sizeof(state), d)) ||
            (err = cb(ctx, state, sq_i64(&s, 1))))
            break;
    sq_reset(&s);
    return err;
}

/* ---- audit ---- */
static sk_err sq_audit_last(const sk_sql *q, bool *found, int64_t *id,
                            uint8_t hash[SK_SHA256_BYTES], sk_diag *d)
{
    sq_st s;
    bool row = false;
    SQ_PREPARE(q, SQ_audit_last, &s, d);
    *found = false;
    *id = 0;
    memset(hash, 0, SK_SHA256_BYTES);
    sk_err err = sq_step(&s, &row, SQ_WHAT_audit, d);
    if (!err && row) {
        *id = sq_i64(&s, 0);
        err = sq_hash(&s, 1, hash, d);
        *found = true;
    }
    sq_reset(&s);
    return err;
}

static sk_err sq_audit_insert(const sk_sql *q, sk_audit_rec *r, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_audit_insert, &s, d);
    sq_bind_i64(&s, 1, r->at_ms);
    sq_bind_text(&s, 2, r->actor);
    sq_bind_text(&s, 3, r->action);
    sq_bind_text(&s, 4, r->object);
    sq_bind_text(&s, 5, r->detail);
    sq_bind_hash(&s, 6, r->prev_hash);
    sq_bind_hash(&s, 7, r->hash);
    return sq_insert_id(&s, &r->id, SQ_WHAT_audit, d);
}

/* ---- OQS bulk requests ---- */
static sk_err sq_bulk_add(const sk_sql *q, sk_bulk_rec *r, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_bulk_add, &s, d);
    sq_bind_text(&s, 1, r->reception);
    sq_bind_text(&s, 2, r->message);
    sq_bind_text(&s, 3, r->institution);
    sq_bind_i64(&s, 4, r->principal_id);
    sq_bind_int(&s, 5, r->charset);
    sq_bind_text(&s, 6, r->request);
    sq_bind_i64(&s, 7, r->created_ms);
    sq_bind_opt_text(&s, 8, r->idem_key);
    sk_err err = sq_insert_id(&s, &r->id, SQ_WHAT_bulk, d);
    if (err && d && (d->code == SK_C_DUPLICATE || d->code == SK_C_FOREIGN_KEY))
        return sk_diag_set(d, SK_C_DUPLICATE, "reception_number",
                           "reception number or idempotency key taken");
    return err;
}

static sk_err sq_bulk_next_pending(const sk_sql *q, sk_arena *a, sk_bulk_rec *out, sk_diag *d)
{
    sq_st s;
    bool row = false;
    SQ_PREPARE(q, SQ_bulk_next_pending, &s, d);
    sk_err err = sq_step(&s, &row, SQ_WHAT_bulk, d);
    if (!err)
        err = row ? sq_read_bulk(&s, out, a, d) : sq_notfound_bulk(d);
    sq_reset(&s);
    return err;
}

static sk_err sq_bulk_finish(const sk_sql *q, int64_t id, const char *result, int64_t done_ms,
                             sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_bulk_finish, &s, d);
    sq_bind_text(&s, 1, result);
    sq_bind_i64(&s, 2, done_ms);
    sq_bind_i64(&s, 3, id);
    sk_err err = sq_exec(&s, SQ_WHAT_bulk, d);
    if (!err && s.c->changes(s.h) != 1)
        return sk_diag_set(d, SK_C_STATE, "bulk_requests", "bulk request %lld is not pending",
                           (long long)id);
    return err;
}

static sk_err sq_bulk_purge(const sk_sql *q, int64_t before_ms, int64_t *removed, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_bulk_purge, &s, d);
    sq_bind_i64(&s, 1, before_ms);
    sk_err err = sq_exec(&s, SQ_WHAT_bulk, d);
    *removed = err ? 0 : s.c->changes(s.h);
    return err;
}

/* ---- 特定疾病療養受療証 ---- */
static sk_err sq_disease_cert_add(const sk_sql *q, sk_disease_cert_rec *r, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_disease_cert_add, &s, d);
    sq_bind_i64(&s, 1, r->qualification_id);
    sq_bind_int(&s, 2, r->category);
    sq_bind_date(&s, 3, r->certificate_date);
    sq_bind_date(&s, 4, r->valid_from);
    if (r->has_until)
        sq_bind_date(&s, 5, r->valid_until);
    else
        sq_bind_null(&s, 5);
    sq_bind_i64(&s, 6, r->self_pay);
    sq_bind_i64(&s, 7, r->created_ms);
    return sq_insert_id(&s, &r->id, SQ_WHAT_disease_cert, d);
}

/* ---- identity ---- */
static sk_err sq_identity_check_add(const sk_sql *q, sk_identity_check_rec *r, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_identity_check_add, &s, d);
    sq_bind_i64(&s, 1, r->person_id);
    sq_bind_i64(&s, 2, r->at_ms);
    sq_bind_text(&s, 3, r->trigger);
    sq_bind_text(&s, 4, sk_verdict_name(r->verdict));
    sq_bind_text(&s, 5, r->differ);
    sq_bind_text(&s, 6, r->folded);
    sk_err err = sq_exec(&s, SQ_WHAT_identity_check, d);
    if (!err)
        r->id = r->person_id;
    return err;
}

static sk_err sq_work_item_add(const sk_sql *q, sk_work_item_rec *r, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_work_item_add, &s, d);
    sq_bind_text(&s, 1, sk_work_kind_name(r->kind));
    sq_bind_text(&s, 2, sk_role_name(r->assignee_role));
    sq_bind_text(&s, 3, r->assignee_scope);
    sq_bind_text(&s, 4, r->insurer_number);
    sq_bind_opt_id(&s, 5, r->person_id);
    sq_bind_opt_id(&s, 6, r->notification_id);
    sq_bind_opt_id(&s, 7, r->qualification_id);
    sq_bind_text(&s, 8, sk_risk_name(r->risk));
    sq_bind_text(&s, 9, r->detail[0] ? r->detail : "{}");
    sq_bind_i64(&s, 10, r->created_ms);
    sk_err err = sq_insert_id(&s, &r->id, SQ_WHAT_work_item, d);
    if (!err)
        r->state = SK_WORK_OPEN;
    return err;
}

static sk_err sq_work_item_resolve(const sk_sql *q, const sk_work_item_rec *r, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_work_item_resolve, &s, d);
    sq_bind_text(&s, 1, sk_work_state_name(r->state));
    sq_bind_i64(&s, 2, r->resolved_ms);
    sq_bind_text(&s, 3, r->resolved_by);
    sq_bind_text(&s, 4, r->resolution);
    sq_bind_text(&s, 5, r->reason);
    sq_bind_i64(&s, 6, r->id);
    return sq_exec_one(&s, SQ_WHAT_work_item, d);
}

static sk_err sq_work_item_list(const sk_sql *q, const sk_work_item_filter *f, sk_work_item_cb cb,
                                void *ctx, sk_diag *d)
{
    /* one statement per leading filter, so that each uses its index (an "?1 IS NULL OR" term
     * cannot) */
    sk_sql_id which = f->assignee_role && f->assignee_scope ? SQ_work_item_list_assignee
                      : f->person_id                        ? SQ_work_item_list_person
                      : f->notification_id                  ? SQ_work_item_list_notification
                      : f->kind                             ? SQ_work_item_list_kind
                                                            : SQ_work_item_list;
    sq_st s;
    bool row = false;
    sk_work_item_rec r;
    sk_err err;
    SQ_PREPARE(q, which, &s, d);
    sq_bind_opt_text(&s, 1, f->assignee_role ? sk_role_name(f->assignee_role) : NULL);
    sq_bind_text(&s, 2, f->assignee_scope); /* "" is the operator's scope, not "any" */
    sq_bind_opt_text(&s, 3, f->state ? sk_work_state_name(f->state) : NULL);
    sq_bind_opt_text(&s, 4, f->kind ? sk_work_kind_name(f->kind) : NULL);
    sq_bind_i64(&s, 5, f->person_id);
    sq_bind_i64(&s, 6, f->notification_id);
    sq_bind_i64(&s, 7, f->after_id);
    sq_bind_int(&s, 8, f->limit > 0 ? f->limit : 100);
    while (!(err = sq_step(&s, &row, SQ_WHAT_work_item, d)) && row)
        if ((err = sq_read_work_item(&s, &r, NULL, d)) || (err = cb(ctx, &r)))
            break;
    sq_reset(&s);
    return err;
}

static sk_err sq_stop_add(const sk_sql *q, sk_stop_rec *r, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_stop_add, &s, d);
    sq_bind_i64(&s, 1, r->qualification_id);
    sq_bind_text(&s, 2, sk_stop_cause_name(r->cause));
    sq_bind_opt_id(&s, 3, r->work_item_id);
    sq_bind_i64(&s, 4, r->opened_ms);
    sq_bind_text(&s, 5, r->opened_by);
    return sq_insert_id(&s, &r->id, SQ_WHAT_stop, d);
}

static sk_err sq_stop_close(const sk_sql *q, const sk_stop_rec *r, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_stop_close, &s, d);
    sq_bind_i64(&s, 1, r->closed_ms);
    sq_bind_text(&s, 2, r->closed_by);
    sq_bind_text(&s, 3, r->resolution);
    sq_bind_text(&s, 4, r->reason);
    sq_bind_i64(&s, 5, r->id);
    return sq_exec_one(&s, SQ_WHAT_stop, d);
}

static sk_err sq_acquisition_seed(const sk_sql *q, int64_t first_delay_ms, int64_t now_ms,
                                  int64_t *added, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_acquisition_seed, &s, d);
    sq_bind_i64(&s, 1, first_delay_ms);
    sq_bind_i64(&s, 2, now_ms);
    sk_err err = sq_exec(&s, SQ_WHAT_acquisition, d);
    if (!err && added)
        *added = s.c->changes(s.h);
    return err;
}

static sk_err sq_acquisition_update(const sk_sql *q, const sk_acquisition_rec *r, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_acquisition_update, &s, d);
    sq_bind_text(&s, 1, sk_acq_stage_name(r->stage));
    sq_bind_opt_id(&s, 2, r->reminded_ms);
    sq_bind_opt_id(&s, 3, r->next_ms);
    sq_bind_int(&s, 4, r->attempts);
    sq_bind_text(&s, 5, r->outcome);
    sq_bind_i64(&s, 6, r->updated_ms);
    sq_bind_i64(&s, 7, r->notification_id);
    return sq_exec_one(&s, SQ_WHAT_acquisition, d);
}

/* ---- principals ---- */
static sk_err sq_principal_add(const sk_sql *q, sk_principal_rec *r, sk_diag *d)
{
    sq_st s;
    SQ_PREPARE(q, SQ_principal_add, &s, d);
    sq_bind_text(&s, 1, sk_role_name(r->role));
    sq_bind_text(&s, 2, r->scope);
    sq_bind_hash(&s, 3, r->token_hash);
    sq_bind_text(&s, 4, r->label);
    sq_bind_bool(&s, 5, r->disabled);
    sq_bind_i64(&s, 6, r->created_ms);
    return sq_insert_id(&s, &r->id, SQ_WHAT_principal, d);
}

/* ---- the table ---- */
const sk_store_ops sk_sql_store_ops = {
#define SK_STORE_OP(shape, name, params, bind, ent) .name = sq_##name,
#define SK_STORE_OP_INTERNAL                        SK_STORE_OP
#include "store/store_ops.h"
#undef SK_STORE_OP
#undef SK_STORE_OP_INTERNAL
};
