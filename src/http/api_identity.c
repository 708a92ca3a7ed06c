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
                     (json_int_t)w->id, "kind", w->kind, "assignee", "role", w->assignee_role,
                     "scope", w->assignee_scope, "insurer_number", w->insurer_number, "risk",
                     str_or_null(w->risk), "notification",
                     w->notification_id ? json_integer(w->notification_id) : json_null(), "detail",
                     detail, "state", w->state, "created_at", sk_http_iso_time(w->created_ms),
                     "resolved_at", sk_http_iso_time(w->resolved_ms), "resolved_by",
                     str_or_null(w->resolved_by), "resolution", str_or_null(w->resolution),
                     "reason", str_or_null(w->reason), "resolutions", res);
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
    const char *after = sk_http_query(req, "after");
    const char *limit_s = sk_http_query(req, "limit");
    int64_t after_id = 0, limit = 100;
    if (after && !sk_http_parse_id(after, &after_id))
        return sk_http_error(res, 400, SK_C_QUERY, "after", "after must be a positive integer");
    if (limit_s && (!sk_http_parse_id(limit_s, &limit) || limit > 500))
        return sk_http_error(res, 400, SK_C_QUERY, "limit", "limit must be 1-500");
    if (kind && !*sk_identity_resolutions(kind))
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
        return sk_http_error(res, 404, SK_C_NOT_FOUND, "id", "no such work item");
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
        return sk_http_error(res, 404, SK_C_NOT_FOUND, "id", "no such work item");
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
