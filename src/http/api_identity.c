/* api_identity.c — the identity endpoints: insurers', employers' and the operator's work items
 * (list, inspect, resolve), reports that another person's data was shown, and the operator's
 * reload of the resident register. Rules and workflows are identity/identity.h. */
#include <string.h>

#include <jansson.h>

#include "http/http_int.h"
#include "identity/identity.h"

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *work_item_json(const sk_work_item_rec *w)
{
    json_t *detail = json_loads(w->detail, 0, NULL);
    if (!detail)
        detail = json_object();
    json_t *res = json_array();
    const char *p = sk_identity_resolutions(w->kind);
    while (*p) {
        size_t n = strcspn(p, " ");
        json_array_append_new(res, json_stringn(p, n));
        p += n + (p[n] == ' ');
    }
    return json_pack("{s:I,s:s,s:{s:s,s:s},s:s,s:o,s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
                     (json_int_t)w->id, "kind", sk_work_kind_name(w->kind), "assignee", "role",
                     sk_role_name(w->assignee_role), "scope", w->assignee_scope, "insurer_number",
                     w->insurer_number, "risk", str_or_null(sk_risk_name(w->risk)), "notification",
                     w->notification_id ? json_integer(w->notification_id) : json_null(), "detail",
                     detail, "state", sk_work_state_name(w->state), "created_at",
                     sk_http_iso_time(w->created_ms), "resolved_at",
                     sk_http_iso_time(w->resolved_ms), "resolved_by", str_or_null(w->resolved_by),
                     "resolution", str_or_null(w->resolution), "reason", str_or_null(w->reason),
                     "resolutions", res);
}

static bool have_identity(const sk_http_request *req, sk_http_response *res)
{
    if (req->app->identity)
        return true;
    sk_http_error(res, 503, SK_C_JLIS_UNAVAILABLE, "", "the identity service is not running");
    return false;
}

static sk_err list_cb(void *ctx, const sk_work_item_rec *r)
{
    json_t *item = work_item_json(r);
    return item && json_array_append_new(ctx, item) == 0 ? SK_OK : SK_ERR_NOMEM;
}

/* GET /v1/work-items?state=open|resolved&kind=…&after=ID&limit=N */
void sk_api_work_items_get(const sk_http_request *req, sk_http_response *res)
{
    if (!have_identity(req, res))
        return;
    const char *state = sk_http_query(req, "state");
    const char *kind = sk_http_query(req, "kind");
    int64_t after_id, limit;
    if (!sk_http_page_query(req, res, 500, &after_id, &limit))
        return;
    sk_work_kind k;
    if (kind && !sk_work_kind_from_name(kind, &k))
        return sk_http_error(res, 400, SK_C_QUERY, "kind", "no such kind of work item");
    json_t *arr = json_array();
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_identity_work_item_list(req->app->identity, req->principal, state, kind, after_id,
                                   (int)limit, list_cb, arr, &d)) {
        json_decref(arr);
        return sk_http_diag(res, &d);
    }
    size_t n = json_array_size(arr);
    json_t *last = n ? json_object_get(json_array_get(arr, n - 1), "id") : NULL;
    json_t *next = n == (size_t)limit && last ? json_incref(last) : json_null();
    sk_http_json(res, 200, json_pack("{s:o,s:o}", "work_items", arr, "next_after", next));
}

/* GET /v1/work-items/{id} */
void sk_api_work_item_get(const sk_http_request *req, sk_http_response *res)
{
    if (!have_identity(req, res))
        return;
    int64_t id;
    if (!sk_http_parse_id(req->params[0], &id))
        return sk_http_error(res, 400, SK_C_QUERY, "id",
                             "a work item id is a positive integer of at most 18 digits");
    sk_work_item_rec w;
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_identity_work_item_get(req->app->identity, req->principal, id, &w, &d))
        return sk_http_diag(res, &d);
    sk_http_json(res, 200, work_item_json(&w));
}

/* POST /v1/work-items/{id}:resolve {"resolution","reason","mynumber","documents_verified"} */
void sk_api_work_item_resolve(const sk_http_request *req, sk_http_response *res)
{
    if (!have_identity(req, res))
        return;
    static const char *const members[] = {"resolution", "reason", "mynumber", "documents_verified"};
    int64_t id;
    if (!sk_http_parse_id(req->params[0], &id))
        return sk_http_error(res, 400, SK_C_QUERY, "id",
                             "a work item id is a positive integer of at most 18 digits");
    sk_diag d;
    sk_diag_clear(&d);
    json_t *root, *m[4];
    if (sk_http_body_members(req, members, 4, &root, m, &d)) {
        json_decref(root);
        return sk_http_diag(res, &d);
    }
    for (size_t i = 0; i < 3; i++)
        if (m[i] && !json_is_string(m[i])) {
            json_decref(root);
            return sk_http_error(res, 400, SK_C_FIELD_TYPE, members[i], "must be a string");
        }
    if (m[3] && !json_is_boolean(m[3])) {
        json_decref(root);
        return sk_http_error(res, 400, SK_C_FIELD_TYPE, "documents_verified",
                             "must be true or false");
    }
    sk_resolution r = {.resolution = m[0] ? json_string_value(m[0]) : NULL,
                       .reason = m[1] ? json_string_value(m[1]) : NULL,
                       .mynumber = m[2] ? json_string_value(m[2]) : NULL,
                       .documents_verified = m[3] && json_is_true(m[3])};
    sk_work_item_rec w;
    sk_err err = sk_identity_work_item_resolve(req->app->identity, req->principal, id, &r, &w, &d);
    json_decref(root);
    if (err)
        return sk_http_diag(res, &d);
    sk_http_json(res, 200, work_item_json(&w));
}

/* POST /v1/work-items:resolve {"ids":[…],"resolution","reason","documents_verified"} — the bulk
 * 理由付き疑いなし (domain-rules §16: bulk registration allowed): each item is resolved on its
 * own, as by :resolve, and gets its own result; one failing does not stop the others. */
#define RESOLVE_MANY_MAX 500
void sk_api_work_items_resolve(const sk_http_request *req, sk_http_response *res)
{
    if (!have_identity(req, res))
        return;
    static const char *const members[] = {"ids", "resolution", "reason", "documents_verified"};
    sk_diag d;
    sk_diag_clear(&d);
    json_t *root, *m[4];
    if (sk_http_body_members(req, members, 4, &root, m, &d)) {
        json_decref(root);
        return sk_http_diag(res, &d);
    }
    size_t n = json_array_size(m[0]);
    if (!m[0] || !json_is_array(m[0]) || n == 0)
        sk_diag_set(&d, m[0] && !json_is_array(m[0]) ? SK_C_FIELD_TYPE : SK_C_REQUIRED, "ids",
                    "ids is a non-empty array of work item ids");
    else if (n > RESOLVE_MANY_MAX)
        sk_diag_set(&d, SK_C_TOO_LONG, "ids", "at most %d items at once", RESOLVE_MANY_MAX);
    else if ((m[1] && !json_is_string(m[1])) || (m[2] && !json_is_string(m[2])))
        sk_diag_set(&d, SK_C_FIELD_TYPE, m[1] && !json_is_string(m[1]) ? "resolution" : "reason",
                    "must be a string");
    else if (m[3] && !json_is_boolean(m[3]))
        sk_diag_set(&d, SK_C_FIELD_TYPE, "documents_verified", "must be true or false");
    for (size_t i = 0; !d.err && i < n; i++)
        if (!json_is_integer(json_array_get(m[0], i)) ||
            json_integer_value(json_array_get(m[0], i)) < 1)
            sk_diag_set(&d, SK_C_FIELD_TYPE, "ids", "ids[%zu] is not a positive integer", i);
    if (d.err) {
        json_decref(root);
        return sk_http_diag(res, &d);
    }
    sk_resolution r = {.resolution = m[1] ? json_string_value(m[1]) : NULL,
                       .reason = m[2] ? json_string_value(m[2]) : NULL,
                       .documents_verified = m[3] && json_is_true(m[3])};
    json_t *results = json_array();
    size_t ok = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t id = (int64_t)json_integer_value(json_array_get(m[0], i));
        sk_work_item_rec w;
        sk_diag e;
        sk_diag_clear(&e);
        json_t *one;
        if (sk_identity_work_item_resolve(req->app->identity, req->principal, id, &r, &w, &e)) {
            one = json_pack("{s:I,s:i,s:{s:s,s:s,s:s}}", "id", (json_int_t)id, "status",
                            (int)sk_http_status_for(e.code), "error", "code", sk_code_name(e.code),
                            "field", e.field, "message", e.message);
        } else {
            ok++;
            one = json_pack("{s:I,s:i,s:o}", "id", (json_int_t)id, "status", 200, "work_item",
                            work_item_json(&w));
        }
        json_array_append_new(results, one);
    }
    json_decref(root);
    sk_http_json(res, 200,
                 json_pack("{s:I,s:I,s:o}", "resolved", (json_int_t)ok, "refused",
                           (json_int_t)(n - ok), "results", results));
}

/* POST /v1/reports {"insurer_number","symbol","number","branch","text"} */
void sk_api_report_post(const sk_http_request *req, sk_http_response *res)
{
    if (!have_identity(req, res))
        return;
    static const char *const members[] = {"insurer_number", "symbol", "number", "branch", "text"};
    sk_diag d;
    sk_diag_clear(&d);
    json_t *root, *m[5];
    if (sk_http_body_members(req, members, 5, &root, m, &d)) {
        json_decref(root);
        return sk_http_diag(res, &d);
    }
    const char *v[5] = {0};
    for (size_t i = 0; i < 5; i++) {
        if (m[i] && !json_is_string(m[i])) {
            json_decref(root);
            return sk_http_error(res, 400, SK_C_FIELD_TYPE, members[i], "must be a string");
        }
        v[i] = m[i] ? json_string_value(m[i]) : NULL;
    }
    sk_report r = {
        .insurer_number = v[0], .symbol = v[1], .number = v[2], .branch = v[3], .text = v[4]};
    sk_work_item_rec w;
    sk_err err = sk_identity_report(req->app->identity, req->principal, &r, &w, &d);
    json_decref(root);
    if (err)
        return sk_http_diag(res, &d);
    sk_http_json(res, 201, work_item_json(&w));
}

/* POST /v1/jlis:reload — the operator reloads the resident register. */
void sk_api_jlis_reload(const sk_http_request *req, sk_http_response *res)
{
    if (!have_identity(req, res))
        return;
    if (req->principal->role != SK_ROLE_OPERATOR)
        return sk_http_error(res, 403, SK_C_FORBIDDEN, "", "only the operator reloads J-LIS");
    sk_diag d;
    sk_diag_clear(&d);
    size_t n = 0;
    if (sk_identity_reload(req->app->identity, &n, &d))
        return sk_http_diag(res, &d);
    sk_http_json(res, 200, json_pack("{s:I}", "residents", (json_int_t)n));
}
