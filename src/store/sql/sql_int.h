/* sql_int.h — private to src/store/sql: a statement in use, typed binding (by _Generic, so the
 * generated operations bind their parameters by type), column reading with bounds, and the
 * row mapping of every entity (rows.c). */
#ifndef SK_STORE_SQL_INT_H
#define SK_STORE_SQL_INT_H

#include <string.h>

#include "store/sql/sql.h"
#include "util/arena.h"

/* A statement being run on a transaction's connection. */
typedef struct sq_st {
    const sk_sql_conn *c;
    void *h;
    void *st;
} sq_st;

static inline sk_err sq_prepare(const sk_sql *q, sk_sql_id id, sq_st *st, sk_diag *d)
{
    st->c = q->c;
    st->h = q->h;
    st->st = NULL;
    return q->c->prepare(q->h, id, &st->st, d);
}

/* ---- binding (parameters from 1) ---- */
static inline void sq_bind_i64(sq_st *s, int i, int64_t v)
{
    s->c->bind_int64(s->st, i, v);
}
static inline void sq_bind_int(sq_st *s, int i, int v)
{
    s->c->bind_int64(s->st, i, v);
}
static inline void sq_bind_bool(sq_st *s, int i, bool v)
{
    s->c->bind_int64(s->st, i, v ? 1 : 0);
}
/* text that stays valid until the statement is reset; NULL binds NULL */
static inline void sq_bind_text(sq_st *s, int i, const char *t)
{
    if (t)
        s->c->bind_text(s->st, i, t, strlen(t), false);
    else
        s->c->bind_null(s->st, i);
}
void sq_bind_date(sq_st *s, int i, sk_date v);
static inline void sq_bind_hash(sq_st *s, int i, const uint8_t *h)
{
    s->c->bind_blob(s->st, i, h, SK_SHA256_BYTES);
}
static inline void sq_bind_null(sq_st *s, int i)
{
    s->c->bind_null(s->st, i);
}
/* 0 = no reference (NULL) */
static inline void sq_bind_opt_id(sq_st *s, int i, int64_t id)
{
    if (id)
        sq_bind_i64(s, i, id);
    else
        sq_bind_null(s, i);
}
/* "" or NULL = NULL */
static inline void sq_bind_opt_text(sq_st *s, int i, const char *t)
{
    sq_bind_text(s, i, t && *t ? t : NULL);
}

/* One parameter by its C type. */
#define SQ_BIND(s, i, v)                                                                           \
    _Generic((v),                                                                                  \
        int64_t: sq_bind_i64,                                                                      \
        int: sq_bind_int,                                                                          \
        bool: sq_bind_bool,                                                                        \
        const char *: sq_bind_text,                                                                \
        char *: sq_bind_text,                                                                      \
        sk_date: sq_bind_date,                                                                     \
        const uint8_t *: sq_bind_hash,                                                             \
        uint8_t *: sq_bind_hash)(s, i, v)

/* Every argument, to ?1, ?2, … in order (one to six). */
#define SQ_NARGS_(a1, a2, a3, a4, a5, a6, a7, a8, n, ...) n
#define SQ_NARGS(...)                                     SQ_NARGS_(__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define SQ_CAT_(a, b)                                     a##b
#define SQ_CAT(a, b)                                      SQ_CAT_(a, b)
#define SQ_BIND_1(s, a)                                   SQ_BIND(s, 1, a)
#define SQ_BIND_2(s, a, b)                                SQ_BIND_1(s, a), SQ_BIND(s, 2, b)
#define SQ_BIND_3(s, a, b, c)                             SQ_BIND_2(s, a, b), SQ_BIND(s, 3, c)
#define SQ_BIND_4(s, a, b, c, e)                          SQ_BIND_3(s, a, b, c), SQ_BIND(s, 4, e)
#define SQ_BIND_5(s, a, b, c, e, f)                       SQ_BIND_4(s, a, b, c, e), SQ_BIND(s, 5, f)
#define SQ_BIND_6(s, a, b, c, e, f, g)                    SQ_BIND_5(s, a, b, c, e, f), SQ_BIND(s, 6, g)
#define SQ_BIND_ALL(s, ...)                               SQ_CAT(SQ_BIND_, SQ_NARGS(__VA_ARGS__))(s, __VA_ARGS__)

/* ---- running ---- */
static inline sk_err sq_step(sq_st *s, bool *row, const char *what, sk_diag *d)
{
    return s->c->step(s->h, s->st, row, what, d);
}
static inline void sq_reset(sq_st *s)
{
    s->c->reset(s->st);
}
/* Runs a write to its end (no row expected) and resets it. */
sk_err sq_exec(sq_st *s, const char *what, sk_diag *d);
/* The same for an UPDATE that must change exactly one row (else SK_C_NOT_FOUND on what). */
sk_err sq_exec_one(sq_st *s, const char *what, sk_diag *d);
/* Runs an INSERT: *id from its RETURNING row, or the dialect's last inserted id; resets it. */
sk_err sq_insert_id(sq_st *s, int64_t *id, const char *what, sk_diag *d);

/* ---- columns (from 0) ---- */
static inline int64_t sq_i64(const sq_st *s, int i)
{
    return s->c->column_int64(s->st, i);
}
static inline int sq_int(const sq_st *s, int i)
{
    return (int)s->c->column_int64(s->st, i);
}
static inline bool sq_null(const sq_st *s, int i)
{
    return s->c->column_null(s->st, i);
}
/* text into a bounded buffer (SK_C_STORE naming the column when it does not fit) */
sk_err sq_text(const sq_st *s, int i, char *dst, size_t cap, sk_diag *d);
sk_err sq_date(const sq_st *s, int i, sk_date *out, sk_diag *d);
/* a NULL column leaves *has false */
sk_err sq_opt_date(const sq_st *s, int i, bool *has, sk_date *out, sk_diag *d);
sk_err sq_hash(const sq_st *s, int i, uint8_t out[SK_SHA256_BYTES], sk_diag *d);
/* text copied into the arena; NULL for a NULL column; *ok false when out of memory */
const char *sq_strdup(const sq_st *s, int i, sk_arena *a, bool *ok);

/* ---- row mapping (rows.c): each entity's columns as its statements select them ---- */
typedef sk_notification_event sk_notification_event_rec;

sk_err sq_read_insurer(const sq_st *s, sk_insurer_rec *r, sk_arena *a, sk_diag *d);
sk_err sq_read_employer(const sq_st *s, sk_employer_rec *r, sk_arena *a, sk_diag *d);
/* the person's columns from column o on, the sealed My Number into mn */
sk_err sq_read_person_at(const sq_st *s, int o, sk_person_rec *r, sk_sealed_mynumber *mn,
                         sk_diag *d);
/* the same from column 0 for a list: the sealed number is read and dropped (has_mynumber) */
sk_err sq_read_person(const sq_st *s, sk_person_rec *r, sk_arena *a, sk_diag *d);
sk_err sq_read_qualification(const sq_st *s, sk_qualification_rec *r, sk_arena *a, sk_diag *d);
sk_err sq_read_elig_row(const sq_st *s, sk_elig_row *r, sk_diag *d);
sk_err sq_read_notification(const sq_st *s, sk_notification_rec *r, sk_arena *a, sk_diag *d);
sk_err sq_read_notification_event(const sq_st *s, sk_notification_event_rec *r, sk_arena *a,
                                  sk_diag *d);
sk_err sq_read_audit(const sq_st *s, sk_audit_rec *r, sk_arena *a, sk_diag *d);
sk_err sq_read_bulk(const sq_st *s, sk_bulk_rec *r, sk_arena *a, sk_diag *d);
sk_err sq_read_disease_cert(const sq_st *s, sk_disease_cert_rec *r, sk_arena *a, sk_diag *d);
sk_err sq_read_identity_check(const sq_st *s, sk_identity_check_rec *r, sk_arena *a, sk_diag *d);
sk_err sq_read_work_item(const sq_st *s, sk_work_item_rec *r, sk_arena *a, sk_diag *d);
sk_err sq_read_stop(const sq_st *s, sk_stop_rec *r, sk_arena *a, sk_diag *d);
sk_err sq_read_acquisition(const sq_st *s, sk_acquisition_rec *r, sk_arena *a, sk_diag *d);
sk_err sq_read_principal(const sq_st *s, sk_principal_rec *r, sk_arena *a, sk_diag *d);

/* What a look-up of each entity that finds nothing says (SK_ERR_NOTFOUND, with or without a
 * diagnostic), and the field named by a database error. */
sk_err sq_notfound_insurer(sk_diag *d);
sk_err sq_notfound_employer(sk_diag *d);
sk_err sq_notfound_person(sk_diag *d);
sk_err sq_notfound_qualification(sk_diag *d);
sk_err sq_notfound_notification(sk_diag *d);
sk_err sq_notfound_bulk(sk_diag *d);
sk_err sq_notfound_identity_check(sk_diag *d);
sk_err sq_notfound_work_item(sk_diag *d);
sk_err sq_notfound_acquisition(sk_diag *d);
sk_err sq_notfound_principal(sk_diag *d);

#define SQ_WHAT_insurer            "insurer"
#define SQ_WHAT_employer           "employer"
#define SQ_WHAT_person             "person"
#define SQ_WHAT_qualification      "qualification"
#define SQ_WHAT_counter            "counter"
#define SQ_WHAT_notification       "notification"
#define SQ_WHAT_notification_event "notification"
#define SQ_WHAT_audit              "audit"
#define SQ_WHAT_bulk               "bulk_requests"
#define SQ_WHAT_reference_numbers  "reference_numbers"
#define SQ_WHAT_disease_cert       "disease_certificates"
#define SQ_WHAT_identity_check     "identity_status"
#define SQ_WHAT_work_item          "work_items"
#define SQ_WHAT_stop               "display_stops"
#define SQ_WHAT_acquisition        "acquisitions"
#define SQ_WHAT_principal          "principal"

#endif
