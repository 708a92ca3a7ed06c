/* api_registry.c — the /v1 registry endpoints: 届出 (file, batch, read, withdraw, reject),
 * persons and insurer member lists. JSON in, JSON out; the rules live in src/registry. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "core/qualification.h"
#include "http/http_int.h"
#include "registry/filing.h"
#include "util/clock.h"

#define BATCH_MAX 1000

/* ---- rendering ---- */

static json_t *date_json(bool has, sk_date d)
{
    if (!has)
        return json_null();
    char s[11];
    sk_date_format(d, s);
    return json_string(s);
}

static json_t *qual_json(const sk_qualification_rec *q)
{
    return json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s*,s:b,s:o,s:b}", "insurer", q->insurer_number,
        "symbol", q->key.symbol, "number", q->key.number, "branch", q->key.branch, "relationship",
        q->relationship == SK_REL_INSURED ? "insured" : "dependent", "card_class", q->card_class,
        "acquired_on", date_json(true, q->acquired_on), "lost_on",
        date_json(q->has_lost, q->lost_on), "loss_reason",
        q->loss_reason[0] ? q->loss_reason : NULL, "registered", q->registered_ms != 0,
        "registered_at", sk_http_iso_time(q->registered_ms), "display_stopped", q->display_stopped);
}

/* The per-stage clocks of the follow-up survey (workflows §2: C1 event → 届出, C2 届出 →
 * registration). Days are JST calendar days; a 届出 filed before its event (pre-hire) has a
 * negative C1. */
static json_t *clocks_json(const sk_notification_rec *n)
{
    json_t *c = json_object();
    if (n->has_event_date) {
        int32_t days = sk_date_diff_days(n->event_date, sk_date_from_unix_ms(n->filed_ms));
        json_object_set_new(c, "event_to_filing_days", json_integer(days));
        json_object_set_new(
            c, "event_to_filing_within_5_days",
            json_boolean(sk_within_deadline(n->event_date, sk_date_from_unix_ms(n->filed_ms))));
    }
    if (n->registered_ms) {
        json_object_set_new(c, "filing_to_registration_ms",
                            json_integer(n->registered_ms - n->filed_ms));
        json_object_set_new(
            c, "filing_to_registration_within_5_days",
            json_boolean(sk_within_deadline(sk_date_from_unix_ms(n->filed_ms),
                                            sk_date_from_unix_ms(n->registered_ms))));
    }
    return c;
}

static json_t *view_json(const sk_notification_view *v)
{
    const sk_notification_rec *n = &v->n;
    json_t *errors = NULL;
    if (n->errors && *n->errors)
        errors = json_loads(n->errors, 0, NULL);
    if (!errors)
        errors = json_array();
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:s,s:o,s:s*,s:o,s:o,s:o,s:o,s:o,s:o,s:s*}", "id", (json_int_t)n->id, "kind",
        n->kind, "state", sk_notification_state_name(n->state), "insurer", n->insurer_number,
        "employer", n->employer_id ? json_integer(n->employer_id) : json_null(), "person",
        v->person_pid[0] ? v->person_pid : NULL, "event_date",
        date_json(n->has_event_date, n->event_date), "filed_at", sk_http_iso_time(n->filed_ms),
        "registered_at", sk_http_iso_time(n->registered_ms), "clocks", clocks_json(n),
        "qualification", v->has_qual ? qual_json(&v->q) : json_null(), "errors", errors,
        "idempotency_key", n->idem_key[0] ? n->idem_key : NULL);
    return o;
}

/* ---- reading a 届出 from JSON ---- */

/* Flattens a JSON object into fields with the JSON type of each (null is absent); which
 * types a field takes is the registry's rule (filing.h sk_field_type). `skip` (may be NULL) is
 * a member taken out (the batch item's idempotency_key). */
static sk_err fields_of(json_t *obj, sk_arena *a, const char *skip, sk_filing *f, sk_diag *d)
{
    size_t n = json_object_size(obj), i = 0;
    sk_field *fl = sk_arena_array(a, n ? n : 1, sizeof(sk_field));
    sk_field_type *ty = sk_arena_array(a, n ? n : 1, sizeof(sk_field_type));
    if (!fl || !ty)
        return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val)
    {
        if ((skip && strcmp(key, skip) == 0) || json_is_null(val))
            continue;
        const char *s = "";
        if (json_is_string(val)) {
            s = json_string_value(val);
            ty[i] = SK_FIELD_TEXT;
            if (strlen(s) != json_string_length(val))
                return sk_diag_set(d, SK_C_BAD_CHAR, key, "a NUL character is not allowed");
        } else if (json_is_boolean(val)) {
            s = json_is_true(val) ? "true" : "false";
            ty[i] = SK_FIELD_BOOL;
        } else {
            ty[i] = json_is_number(val) ? SK_FIELD_NUMBER : SK_FIELD_COMPOUND;
        }
        fl[i].name = sk_arena_strndup(a, key, strlen(key));
        fl[i].value = s; /* owned by the JSON document, which outlives the filing */
        if (!fl[i].name)
            return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
        i++;
    }
    f->fields = fl;
    f->types = ty;
    f->nfields = i;
    return SK_OK;
}

static json_t *parse_body(const sk_http_request *req, sk_diag *d)
{
    return sk_http_json_parse(req, JSON_ALLOW_NUL, d);
}

static int64_t now_ms(const sk_http_request *req)
{
    return sk_clock_now_ms(req->app->clock);
}

/* ---- handlers ---- */

void sk_api_notification_post(const sk_http_request *req, sk_http_response *res)
{
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_registry_may_file(req->principal, &d))
        return sk_http_diag(res, &d); /* before the body is read */
    json_t *root = parse_body(req, &d);
    if (!root)
        return sk_http_diag(res, &d);
    sk_filing f = {.idem_key = sk_http_header(req, "Idempotency-Key")};
    sk_notification_view *v = sk_arena_calloc(req->arena, sizeof(*v));
    sk_err err = SK_OK;
    if (!v)
        err = sk_diag_set(&d, SK_C_NOMEM, "", "out of memory");
    else if (!json_is_object(root))
        err = sk_diag_set(&d, SK_C_BAD_JSON, "", "the body must be one JSON object");
    if (!err)
        err = fields_of(root, req->arena, NULL, &f, &d);
    if (!err)
        err = sk_registry_file(req->app->registry, req->principal, &f, now_ms(req), req->arena, v,
                               &d);
    if (err)
        sk_http_diag(res, &d);
    else
        sk_http_json(res, v->replayed ? 200 : 201, view_json(v));
    json_decref(root);
}

void sk_api_notification_batch(const sk_http_request *req, sk_http_response *res)
{
    sk_diag d;
    sk_diag_clear(&d);
    /* a role that can never file is refused as a whole, not item by item */
    if (sk_registry_may_file(req->principal, &d))
        return sk_http_diag(res, &d);
    json_t *root = parse_body(req, &d);
    if (!root)
        return sk_http_diag(res, &d);
    json_t *items = json_is_array(root) ? root : json_object_get(root, "notifications");
    size_t n = json_array_size(items);
    if (!json_is_array(items)) {
        sk_diag_set(&d, SK_C_BAD_JSON, "notifications",
                    "the body must be an array of 届出 or {\"notifications\": [...]}");
    } else if (n > BATCH_MAX) {
        sk_diag_set(&d, SK_C_TOO_LONG, "notifications", "at most %d 届出 per batch", BATCH_MAX);
    }
    if (d.err) {
        json_decref(root);
        return sk_http_diag(res, &d);
    }
    sk_arena *a = req->arena;
    size_t cap = n ? n : 1;
    sk_filing *fs = sk_arena_array(a, cap, sizeof(*fs));
    sk_notification_view *vs = sk_arena_array(a, cap, sizeof(*vs));
    sk_err *errs = sk_arena_array(a, cap, sizeof(*errs));
    sk_diag *ds = sk_arena_array(a, cap, sizeof(*ds));
    size_t *slot = sk_arena_array(a, cap, sizeof(*slot)); /* item → its index in fs, or n */
    if (!fs || !vs || !errs || !ds || !slot) {
        json_decref(root);
        return sk_http_error(res, 503, SK_C_NOMEM, "", "out of memory");
    }
    /* items that cannot be read get their error here; the rest go to the registry together */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(items, i);
        json_t *k = json_object_get(it, "idempotency_key");
        slot[i] = n;
        sk_diag_clear(&ds[i]);
        errs[i] = SK_OK;
        if (!json_is_object(it))
            errs[i] = sk_diag_set(&ds[i], SK_C_BAD_JSON, "", "each item must be a JSON object");
        else if (k && !json_is_string(k) && !json_is_null(k))
            errs[i] = sk_diag_set(&ds[i], SK_C_FIELD_TYPE, "idempotency_key", "must be a string");
        else if (!(errs[i] = fields_of(it, a, "idempotency_key", &fs[m], &ds[i]))) {
            fs[m].idem_key = k ? json_string_value(k) : NULL;
            slot[i] = m++;
        }
    }
    sk_notification_view *mv = sk_arena_array(a, m ? m : 1, sizeof(*mv));
    sk_err *merr = sk_arena_array(a, m ? m : 1, sizeof(*merr));
    sk_diag *md = sk_arena_array(a, m ? m : 1, sizeof(*md));
    if (!mv || !merr || !md) {
        json_decref(root);
        return sk_http_error(res, 503, SK_C_NOMEM, "", "out of memory");
    }
    sk_registry_file_many(req->app->registry, req->principal, fs, m, now_ms(req), a, mv, merr, md);
    for (size_t i = 0; i < n; i++) {
        if (slot[i] == n)
            continue;
        errs[i] = merr[slot[i]];
        ds[i] = md[slot[i]];
        vs[i] = mv[slot[i]];
    }
    json_t *results = json_array();
    size_t ok = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *r;
        if (errs[i]) {
            const sk_diag *e = &ds[i];
            r = json_pack("{s:I,s:i,s:{s:s,s:s,s:s}}", "index", (json_int_t)i, "status",
                          (int)sk_http_status_for(e->code), "error", "code", sk_code_name(e->code),
                          "field", e->field, "message", e->message);
        } else {
            ok++;
            r = json_pack("{s:I,s:i,s:o}", "index", (json_int_t)i, "status",
                          vs[i].replayed ? 200 : 201, "notification", view_json(&vs[i]));
        }
        json_array_append_new(results, r);
    }
    json_decref(root);
    sk_http_json(res, 200,
                 json_pack("{s:I,s:I,s:o}", "accepted", (json_int_t)ok, "rejected",
                           (json_int_t)(n - ok), "results", results));
}

/* The {id} of a /v1/notifications/{id} path and a view to fill; false when the answer (400
 * query, 503) is already set. */
static bool id_and_view(const sk_http_request *req, sk_http_response *res, int64_t *id,
                        sk_notification_view **v)
{
    if (!sk_http_parse_id(req->params[0], id)) {
        sk_http_error(res, 400, SK_C_QUERY, "id",
                      "a notification id is a positive integer of at most 18 digits");
        return false;
    }
    *v = sk_arena_calloc(req->arena, sizeof(**v));
    if (!*v) {
        sk_http_error(res, 503, SK_C_NOMEM, "", "out of memory");
        return false;
    }
    return true;
}

void sk_api_notification_get(const sk_http_request *req, sk_http_response *res)
{
    sk_diag d;
    sk_diag_clear(&d);
    int64_t id;
    sk_notification_view *v;
    if (!id_and_view(req, res, &id, &v))
        return;
    if (sk_registry_notification_get(req->app->registry, req->principal, id, req->arena, v, &d))
        return sk_http_diag(res, &d);
    sk_http_json(res, 200, view_json(v));
}

static void state_change(const sk_http_request *req, sk_http_response *res, bool withdraw)
{
    sk_diag d;
    sk_diag_clear(&d);
    int64_t id;
    sk_notification_view *v;
    if (!id_and_view(req, res, &id, &v))
        return;
    sk_err err;
    if (withdraw) {
        err = sk_registry_withdraw(req->app->registry, req->principal, id, now_ms(req), req->arena,
                                   v, &d);
    } else {
        static const char *const members[] = {"reason"};
        json_t *root, *reason;
        if (sk_http_body_members(req, members, 1, &root, &reason, &d)) {
            json_decref(root);
            return sk_http_diag(res, &d);
        }
        if (reason && !json_is_string(reason)) {
            json_decref(root);
            return sk_http_error(res, 400, SK_C_FIELD_TYPE, "reason", "reason must be a string");
        }
        err = sk_registry_reject(req->app->registry, req->principal, id,
                                 reason ? json_string_value(reason) : "", now_ms(req), req->arena,
                                 v, &d);
        json_decref(root);
    }
    if (err)
        return sk_http_diag(res, &d);
    sk_http_json(res, 200, view_json(v));
}

void sk_api_notification_withdraw(const sk_http_request *req, sk_http_response *res)
{
    state_change(req, res, true);
}

void sk_api_notification_reject(const sk_http_request *req, sk_http_response *res)
{
    state_change(req, res, false);
}

static json_t *person_json(const sk_person_rec *p)
{
    char bd[11];
    sk_date_format(p->info.birthdate, bd);
    char sex[2] = {(char)('0' + (int)p->info.sex), '\0'};
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "id", p->pid, "name", p->info.name,
                     "kana", p->info.kana, "birthdate", bd, "sex", sex, "address", p->info.address,
                     "postcode", p->postcode, "has_mynumber", p->has_mynumber);
}

static sk_err person_q(void *ctx, const sk_person_rec *p, const sk_qualification_rec *q,
                       const char *insured_pid)
{
    (void)p;
    json_t *o = qual_json(q);
    json_object_set_new(o, "insured", json_string(insured_pid));
    return json_array_append_new(ctx, o) ? SK_ERR_NOMEM : SK_OK;
}

void sk_api_person_get(const sk_http_request *req, sk_http_response *res)
{
    sk_diag d;
    sk_diag_clear(&d);
    sk_person_rec p;
    json_t *quals = json_array();
    if (sk_registry_person_get(req->app->registry, req->principal, req->params[0], &p, person_q,
                               quals, &d)) {
        json_decref(quals);
        return sk_http_diag(res, &d);
    }
    json_t *o = person_json(&p);
    json_object_set_new(o, "qualifications", quals);
    sk_http_json(res, 200, o);
}

typedef struct members_ctx {
    json_t *list;
    int64_t last_id;
} members_ctx;

static sk_err member(void *ctx, const sk_qualification_rec *q, const sk_person_rec *p)
{
    members_ctx *mc = ctx;
    json_t *o = person_json(p);
    json_object_set_new(o, "qualification", qual_json(q));
    mc->last_id = q->id;
    return json_array_append_new(mc->list, o) ? SK_ERR_NOMEM : SK_OK;
}

void sk_api_members_get(const sk_http_request *req, sk_http_response *res)
{
    sk_diag d;
    sk_diag_clear(&d);
    const char *as_of = sk_http_query(req, "as_of");
    sk_date on = sk_date_from_unix_ms(now_ms(req));
    int64_t after_id, limit;
    if (as_of && sk_date_parse(as_of, strlen(as_of), &on, "as_of", &d))
        return sk_http_error(res, 400, SK_C_QUERY, "as_of", "%s", d.message);
    if (!sk_http_page_query(req, res, 1000, &after_id, &limit))
        return;
    members_ctx mc = {json_array(), 0};
    if (sk_registry_members(req->app->registry, req->principal, req->params[0], on, after_id,
                            (int)limit, member, &mc, &d)) {
        json_decref(mc.list);
        return sk_http_diag(res, &d);
    }
    size_t n = json_array_size(mc.list);
    sk_http_json(res, 200,
                 json_pack("{s:s,s:o,s:o,s:o}", "insurer", req->params[0], "as_of",
                           date_json(true, on), "members", mc.list, "next_after",
                           n == (size_t)limit ? json_integer(mc.last_id) : json_null()));
}

/* GET /v1/insurers/{number}/notifications?state=&after=&limit=: the insurer's 届出, by id
 * (its inbox: what is pending_my_number, what was registered, withdrawn, invalid). */
typedef struct notifs_ctx {
    json_t *list;
    int64_t last_id;
} notifs_ctx;

static sk_err notif_item(void *ctx, const sk_notification_rec *n)
{
    notifs_ctx *c = ctx;
    sk_notification_view v = {.n = *n};
    c->last_id = n->id;
    return json_array_append_new(c->list, view_json(&v)) ? SK_ERR_NOMEM : SK_OK;
}

void sk_api_insurer_notifications_get(const sk_http_request *req, sk_http_response *res)
{
    sk_diag d;
    sk_diag_clear(&d);
    const char *state = sk_http_query(req, "state");
    int64_t after_id, limit;
    if (!sk_http_page_query(req, res, 1000, &after_id, &limit))
        return;
    notifs_ctx c = {json_array(), 0};
    if (sk_registry_notifications(req->app->registry, req->principal, req->params[0], state,
                                  after_id, (int)limit, req->arena, notif_item, &c, &d)) {
        json_decref(c.list);
        return sk_http_diag(res, &d);
    }
    size_t n = json_array_size(c.list);
    sk_http_json(res, 200,
                 json_pack("{s:s,s:o,s:o}", "insurer", req->params[0], "notifications", c.list,
                           "next_after",
                           n == (size_t)limit ? json_integer(c.last_id) : json_null()));
}

/* POST /v1/insurers/{number}/disease-certificates: the insurer records a 特定疾病療養受療証 on
 * one of its members (registry/certificates.c). */
void sk_api_disease_cert_post(const sk_http_request *req, sk_http_response *res)
{
    static const char *const members[] = {"symbol",      "number",           "branch",
                                          "category",    "certificate_date", "valid_from",
                                          "valid_until", "self_pay"};
    sk_diag d;
    sk_diag_clear(&d);
    json_t *root, *m[8];
    const char *v[7] = {0};
    long long self_pay = 0;
    if (sk_http_body_members(req, members, 8, &root, m, &d)) {
        json_decref(root);
        return sk_http_diag(res, &d);
    }
    for (size_t i = 0; i < 8; i++) {
        if (!m[i])
            continue;
        if (i == 7 ? !json_is_integer(m[i]) : !json_is_string(m[i])) {
            json_decref(root);
            return sk_http_error(res, 400, SK_C_FIELD_TYPE, members[i],
                                 i == 7 ? "must be an integer (yen)" : "must be a string");
        }
        if (i == 7)
            self_pay = (long long)json_integer_value(m[i]);
        else
            v[i] = json_string_value(m[i]);
    }
    sk_disease_cert_input in = {.symbol = v[0],
                                .number = v[1],
                                .branch = v[2],
                                .category = v[3],
                                .certificate_date = v[4],
                                .valid_from = v[5],
                                .valid_until = v[6],
                                .self_pay = self_pay};
    sk_disease_cert_rec rec;
    char pid[SK_PID_LEN + 1];
    sk_err err = sk_registry_disease_cert_add(req->app->registry, req->principal, req->params[0],
                                              &in, now_ms(req), &rec, pid, &d);
    json_decref(root);
    if (err)
        return sk_http_diag(res, &d);
    char cat[2] = {(char)('0' + rec.category), '\0'};
    sk_http_json(
        res, 201,
        json_pack("{s:I,s:s,s:s,s:o,s:o,s:o,s:I}", "id", (json_int_t)rec.id, "person", pid,
                  "category", cat, "certificate_date", date_json(true, rec.certificate_date),
                  "valid_from", date_json(true, rec.valid_from), "valid_until",
                  date_json(rec.has_until, rec.valid_until), "self_pay", (json_int_t)rec.self_pay));
}
