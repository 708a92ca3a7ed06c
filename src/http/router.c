/* router.c — the route table and the operational endpoints (/healthz, /readyz, /metrics).
 * Unknown paths get 404, known paths with another method 405 with Allow. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "http/http_int.h"
#include "util/config.h"
#include "util/utf8.h"
#include "verify/verify.h"

typedef struct route {
    const char *method;
    const char *path; /* literal, with {…} for one path segment (a parameter) */
    const char *name; /* metrics label */
    sk_http_handler fn;
    bool auth;  /* needs Authorization: Bearer; the handler sees req->principal */
    bool waits; /* writes: waits for its group commit, so it runs on a worker (server.c) */
    const char *waits_for; /* …or only for these ?message= (space-separated: they store) */
} route;

json_t *sk_http_iso_time(int64_t ms)
{
    if (!ms)
        return json_null();
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    char buf[40];
    if (!gmtime_r(&t, &tm))
        return json_null();
    size_t n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, sizeof(buf) - n, ".%03dZ", (int)(ms % 1000));
    return json_string(buf);
}

bool sk_http_parse_id(const char *s, int64_t *out)
{
    if (!s || !*s || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s))
        return false;
    *out = strtoll(s, NULL, 10);
    return *out > 0;
}

bool sk_http_page_query(const sk_http_request *req, sk_http_response *res, int64_t max_limit,
                        int64_t *after, int64_t *limit)
{
    const char *after_s = sk_http_query(req, "after"), *limit_s = sk_http_query(req, "limit");
    *after = 0;
    *limit = 100;
    if (after_s && !sk_http_parse_id(after_s, after)) {
        sk_http_error(res, 400, SK_C_QUERY, "after", "after must be a positive integer");
        return false;
    }
    if (limit_s && (!sk_http_parse_id(limit_s, limit) || *limit > max_limit)) {
        sk_http_error(res, 400, SK_C_QUERY, "limit", "limit must be 1-%lld", (long long)max_limit);
        return false;
    }
    return true;
}

void sk_http_json(sk_http_response *res, unsigned status, json_t *value)
{
    res->status = status;
    res->content_type = "application/json";
    sk_buf_reset(&res->body);
    char *text = value ? json_dumps(value, JSON_COMPACT) : NULL;
    json_decref(value);
    if (!text || sk_buf_puts(&res->body, text) != SK_OK || sk_buf_putc(&res->body, '\n')) {
        res->status = 500;
        sk_buf_reset(&res->body);
        sk_buf_puts(&res->body, "{\"error\":{\"code\":\"internal\",\"field\":\"\",\"message\":"
                                "\"response could not be encoded\"}}\n");
    }
    free(text);
}

/* One pass over a flat object; gives up (false) at anything it does not take. */
bool sk_http_body_flat(const sk_http_request *req, const char *const *names, const char *kinds,
                       size_t n, const char **out)
{
    const char *p = req->body, *end = req->body ? req->body + req->body_len : NULL;
    for (size_t i = 0; i < n; i++)
        out[i] = NULL;
    bool seen[32] = {false};
    if (!p || n > 32)
        return false;
#define WS()                                                                                       \
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))                       \
    p++
    WS();
    if (p >= end || *p++ != '{')
        return false;
    WS();
    if (p < end && *p == '}') {
        p++;
        WS();
        return p == end;
    }
    for (;;) {
        /* the member's name: one of names[], not seen before */
        WS();
        if (p >= end || *p++ != '"')
            return false;
        const char *k = p;
        while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20 &&
               (unsigned char)*p < 0x7F)
            p++;
        if (p >= end || *p != '"')
            return false;
        size_t klen = (size_t)(p++ - k), i = 0;
        while (i < n && (strlen(names[i]) != klen || memcmp(names[i], k, klen) != 0))
            i++;
        if (i == n || seen[i])
            return false;
        seen[i] = true;
        WS();
        if (p >= end || *p++ != ':')
            return false;
        WS();
        if (p < end && *p == '"' && kinds[i] == 's') {
            const char *v = ++p;
            while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20 &&
                   (unsigned char)*p < 0x7F)
                p++;
            if (p >= end || *p != '"' ||
                !(out[i] = sk_arena_strndup(req->arena, v, (size_t)(p - v))))
                return false;
            p++;
        } else if (end - p >= 4 && memcmp(p, "null", 4) == 0) {
            p += 4;
        } else if (kinds[i] == 'b' && end - p >= 4 && memcmp(p, "true", 4) == 0) {
            p += 4;
            out[i] = "true";
        } else if (kinds[i] == 'b' && end - p >= 5 && memcmp(p, "false", 5) == 0) {
            p += 5;
            out[i] = "false";
        } else {
            return false;
        }
        WS();
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        if (p >= end || *p++ != '}')
            return false;
        WS();
        return p == end;
    }
#undef WS
}

/* The member whose value is the number ending at byte `end` of a JSON text (`"name": 1e999`),
 * copied into out; "" when the number is an array's element or cannot be found. */
static void member_before(const char *text, size_t end, char *out, size_t cap)
{
    size_t i = end;
    out[0] = '\0';
    while (i > 0 && strchr("0123456789+-.eE", text[i - 1]))
        i--;
    while (i > 0 && strchr(" \t\r\n", text[i - 1]))
        i--;
    if (i == 0 || text[i - 1] != ':')
        return;
    i--;
    while (i > 0 && strchr(" \t\r\n", text[i - 1]))
        i--;
    if (i == 0 || text[i - 1] != '"')
        return;
    size_t close = --i;
    while (i > 0 && !(text[i - 1] == '"' && (i < 2 || text[i - 2] != '\\')))
        i--;
    if (i == 0 || close - i >= cap)
        return;
    memcpy(out, text + i, close - i);
    out[close - i] = '\0';
}

json_t *sk_http_json_parse(const sk_http_request *req, size_t flags, sk_diag *d)
{
    json_error_t je;
    const char *text = req->body ? req->body : "";
    json_t *root = json_loadb(text, req->body_len, JSON_REJECT_DUPLICATES | flags, &je);
    if (root)
        return root;
    if (json_error_code(&je) == json_error_numeric_overflow) {
        char field[SK_DIAG_FIELD_MAX];
        member_before(text, je.position > 0 ? (size_t)je.position : 0, field, sizeof(field));
        sk_diag_set(d, SK_C_NUMBER_RANGE, field,
                    "a number too big to read: %s (line %d, column %d)", je.text, je.line,
                    je.column);
    } else {
        sk_diag_set(d, SK_C_BAD_JSON, "", "not JSON: %s (line %d, column %d)", je.text, je.line,
                    je.column);
    }
    return NULL;
}

sk_err sk_http_body_members(const sk_http_request *req, const char *const *names, size_t n,
                            json_t **root, json_t **out, sk_diag *d)
{
    *root = sk_http_json_parse(req, 0, d);
    for (size_t i = 0; i < n; i++)
        out[i] = NULL;
    if (!*root)
        return d->err;
    if (!json_is_object(*root))
        return sk_diag_set(d, SK_C_BAD_JSON, "", "the body must be one JSON object");
    const char *key;
    json_t *val;
    json_object_foreach(*root, key, val)
    {
        size_t i = 0;
        while (i < n && strcmp(names[i], key) != 0)
            i++;
        if (i == n)
            return sk_diag_set(d, SK_C_UNKNOWN_FIELD, key, "unknown member");
        if (!json_is_null(val))
            out[i] = val;
    }
    return SK_OK;
}

/* Copies text into out (cap bytes) as valid UTF-8: each byte that does not begin a valid
 * character becomes U+FFFD, so that an error quoting the request (a method or a path with
 * bytes that are not UTF-8) can still be written as JSON. */
static void utf8_clean(const char *text, char *out, size_t cap)
{
    size_t o = 0, n = strlen(text);
    for (size_t i = 0; i < n;) {
        size_t l = sk_utf8_char_len(text + i, n - i);
        const char *c = l ? text + i : "\xEF\xBF\xBD";
        size_t cl = l ? l : 3;
        if (o + cl + 1 > cap)
            break;
        memcpy(out + o, c, cl);
        o += cl;
        i += l ? l : 1;
    }
    out[o] = '\0';
}

void sk_http_error(sk_http_response *res, unsigned status, sk_code code, const char *field,
                   const char *fmt, ...)
{
    char raw[SK_DIAG_MESSAGE_MAX], msg[SK_DIAG_MESSAGE_MAX], fld[SK_DIAG_FIELD_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof(raw), fmt, ap);
    va_end(ap);
    utf8_clean(raw, msg, sizeof(msg));
    utf8_clean(field ? field : "", fld, sizeof(fld));
    json_t *err = json_pack("{s:{s:s,s:s,s:s}}", "error", "code", sk_code_name(code), "field", fld,
                            "message", msg);
    sk_http_json(res, status, err);
}

unsigned sk_http_status_for(sk_code code)
{
    switch (code) {
    case SK_C_BAD_JSON:
    case SK_C_UNKNOWN_FIELD:
    case SK_C_FIELD_TYPE:
    case SK_C_QUERY:
        return 400;
    case SK_C_UNAUTHENTICATED:
        return 401;
    case SK_C_JLIS_FILE: /* the register file asked for is bad; the old one stays */
        return 422;
    default:
        break;
    }
    switch (sk_code_err(code)) {
    case SK_ERR_INVALID:
    case SK_ERR_RANGE:
    case SK_ERR_TOOBIG:
        return 422;
    case SK_ERR_NOTFOUND:
        return 404;
    case SK_ERR_EXISTS:
    case SK_ERR_CONFLICT:
        return 409;
    case SK_ERR_PERM:
        return 403;
    case SK_ERR_BUSY:
    case SK_ERR_NOMEM:
    case SK_ERR_IO: /* the server's files: db_missing, db_read_only, disk_full, io */
        return 503;
    default:
        return 500;
    }
}

void sk_http_diag(sk_http_response *res, const sk_diag *d)
{
    sk_http_error(res, sk_http_status_for(d->code), d->code, d->field, "%s", d->message);
}

static void healthz(const sk_http_request *req, sk_http_response *res)
{
    (void)req;
    sk_http_json(res, 200, json_pack("{s:s}", "status", "ok"));
}

static void readyz(const sk_http_request *req, sk_http_response *res)
{
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_http_ready(req->app, &d) != SK_OK) { /* health.c: the cause, named */
        sk_http_error(res, 503, d.code, d.field, "not ready: %s", d.message);
        return;
    }
    sk_http_json(res, 200,
                 json_pack("{s:s,s:i}", "status", "ready", "schema",
                           sk_store_schema_version(req->app->store)));
}

static sk_err count_line(void *ctx, const char *state, int64_t count)
{
    return sk_buf_printf(ctx, "shikaku_notifications{state=\"%s\"} %lld\n", state,
                         (long long)count);
}

/* The look-up log writer (verify.h): how long look-ups wait for their rows to be durable. */
static sk_err audit_metrics(sk_buf *b, sk_lookup_audit *la)
{
    sk_lookup_audit_stats st;
    sk_lookup_audit_stats_get(la, &st);
    return sk_buf_printf(
        b,
        "# HELP shikaku_lookup_audit_rows_written_total Look-up audit rows made durable.\n"
        "# TYPE shikaku_lookup_audit_rows_written_total counter\n"
        "shikaku_lookup_audit_rows_written_total %llu\n"
        "# HELP shikaku_lookup_audit_rows_queued Look-up audit rows not yet durable.\n"
        "# TYPE shikaku_lookup_audit_rows_queued gauge\n"
        "shikaku_lookup_audit_rows_queued %llu\n"
        "# HELP shikaku_lookup_audit_write_failures_total Look-up audit batches that failed "
        "(and are retried).\n"
        "# TYPE shikaku_lookup_audit_write_failures_total counter\n"
        "shikaku_lookup_audit_write_failures_total %llu\n"
        "# HELP shikaku_lookup_audit_lag_seconds From the look-up of a batch's oldest row to the "
        "batch being durable, for the last batch.\n"
        "# TYPE shikaku_lookup_audit_lag_seconds gauge\n"
        "shikaku_lookup_audit_lag_seconds %.3f\n"
        "# HELP shikaku_lookup_audit_lag_seconds_max The most of that lag since the start.\n"
        "# TYPE shikaku_lookup_audit_lag_seconds_max gauge\n"
        "shikaku_lookup_audit_lag_seconds_max %.3f\n",
        (unsigned long long)st.written, (unsigned long long)st.queued,
        (unsigned long long)st.failures, (double)st.lag_ms_last / 1000.0,
        (double)st.lag_ms_max / 1000.0);
}

static void metrics(const sk_http_request *req, sk_http_response *res)
{
    sk_buf *b = &res->body;
    sk_buf_reset(b);
    sk_err err = sk_http_metrics_render(b, sk_http_server_in_flight(req->server));
    if (!err && req->app->audit)
        err = audit_metrics(b, req->app->audit);
    if (!err)
        err = sk_buf_puts(b, "# HELP shikaku_notifications 届出 by processing state.\n"
                             "# TYPE shikaku_notifications gauge\n");
    sk_tx *tx = NULL;
    sk_diag d;
    if (!err && sk_store_begin_read(req->app->store, &tx, &d) == SK_OK) {
        err = sk_store_notification_count_by_state(tx, count_line, b, &d);
        sk_tx_rollback(tx);
    }
    if (err) {
        sk_http_error(res, 500, SK_C_INTERNAL, "", "metrics could not be rendered");
        return;
    }
    res->status = 200;
    res->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

/* GET /v1/whoami: the principal behind the token (lets a client check its token). */
static void whoami(const sk_http_request *req, sk_http_response *res)
{
    const sk_principal *p = req->principal;
    sk_http_json(res, 200,
                 json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)p->id, "role",
                           sk_role_name(p->role), "scope", p->scope, "label", p->label));
}

static const route routes[] = {
    {"GET", "/healthz", "healthz", healthz, false, false, NULL},
    {"GET", "/readyz", "readyz", readyz, false, false, NULL},
    {"GET", "/metrics", "metrics", metrics, false, false, NULL},
    {"GET", "/v1/whoami", "whoami", whoami, true, false, NULL},
    {"POST", "/v1/notifications", "notification_post", sk_api_notification_post, true, true, NULL},
    {"POST", "/v1/notifications:batch", "notification_batch", sk_api_notification_batch, true, true,
     NULL},
    {"GET", "/v1/notifications/{id}", "notification_get", sk_api_notification_get, true, false,
     NULL},
    {"POST", "/v1/notifications/{id}:withdraw", "notification_withdraw",
     sk_api_notification_withdraw, true, true, NULL},
    {"POST", "/v1/notifications/{id}:reject", "notification_reject", sk_api_notification_reject,
     true, true, NULL},
    {"GET", "/v1/persons/{id}", "person_get", sk_api_person_get, true, false, NULL},
    {"GET", "/v1/insurers/{number}/members", "members_get", sk_api_members_get, true, false, NULL},
    {"GET", "/v1/insurers/{number}/notifications", "insurer_notifications_get",
     sk_api_insurer_notifications_get, true, false, NULL},
    {"POST", "/v1/insurers/{number}/disease-certificates", "disease_cert_post",
     sk_api_disease_cert_post, true, true, NULL},
    {"POST", "/v1/eligibility", "eligibility", sk_api_eligibility_post, true, false, NULL},
    {"GET", "/v1/work-items", "work_items_get", sk_api_work_items_get, true, false, NULL},
    {"POST", "/v1/work-items:resolve", "work_items_resolve", sk_api_work_items_resolve, true, true,
     NULL},
    {"GET", "/v1/work-items/{id}", "work_item_get", sk_api_work_item_get, true, false, NULL},
    {"POST", "/v1/work-items/{id}:resolve", "work_item_resolve", sk_api_work_item_resolve, true,
     true, NULL},
    {"POST", "/v1/reports", "report_post", sk_api_report_post, true, true, NULL},
    {"POST", "/v1/jlis:reload", "jlis_reload", sk_api_jlis_reload, true, true, NULL},
    {"POST", "/oqs/v1/xml", "oqs_xml", sk_api_oqs_xml, false, false,
     "OQSmuquc01 OQSsiimm01 OQSmuimm01"},
    {"POST", "/oqs-api-pro/MSA12020/ILI12020SV01/auth", "oqs_webapi_auth", sk_api_oqs_auth, false,
     false, NULL},
    {"POST", "/oqs-api-pro/MSA01030/ILI01030SV01/search", "oqs_webapi_search", sk_api_oqs_search,
     false, false, NULL},
};
#define NROUTES ((int)(sizeof(routes) / sizeof(routes[0])))

int sk_http_route_count(void)
{
    return NROUTES + 1; /* + "other" for 404/405/413 */
}

const char *sk_http_route_name(int i)
{
    return i >= 0 && i < NROUTES ? routes[i].name : "other";
}

/* Matches a path against a route pattern; a {…} takes one non-empty segment up to the next
 * literal character of the pattern (no '/' or ':' inside), copied into params. */
static bool match(const char *pat, const char *path, sk_arena *a, const char **params)
{
    int np = 0;
    while (*pat) {
        if (*pat == '{') {
            const char *close = strchr(pat, '}');
            if (!close)
                return false;
            pat = close + 1;
            size_t n = strcspn(path, "/:");
            if (!n || np >= 2)
                return false;
            if (params) {
                params[np] = a ? sk_arena_strndup(a, path, n) : NULL;
                if (!params[np])
                    return false;
            }
            np++;
            path += n;
            continue;
        }
        if (*pat++ != *path++)
            return false;
    }
    return *path == '\0';
}

bool sk_http_route_waits(const char *method, const char *path, const char *message)
{
    for (int i = 0; i < NROUTES; i++)
        if ((routes[i].waits || (routes[i].waits_for && message && *message &&
                                 sk_word_in(routes[i].waits_for, message))) &&
            strcmp(routes[i].method, method) == 0 && match(routes[i].path, path, NULL, NULL))
            return true;
    return false;
}

int sk_http_dispatch(const sk_http_request *req, sk_http_response *res)
{
    bool path_known = false;
    const char *params[2] = {NULL, NULL};
    for (int i = 0; i < NROUTES; i++) {
        if (!match(routes[i].path, req->path, req->arena, params))
            continue;
        path_known = true;
        if (strcmp(routes[i].method, req->method) == 0 ||
            (strcmp(req->method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0)) {
            sk_http_request with = *req;
            memcpy(with.params, params, sizeof(params));
            req = &with;
            if (!routes[i].auth) {
                routes[i].fn(req, res);
                return i;
            }
            sk_principal who;
            sk_diag d;
            sk_diag_clear(&d);
            sk_err err = sk_access_authenticate(req->app->store,
                                                sk_http_header(req, "Authorization"), &who, &d);
            if (err) {
                res->challenge = d.code == SK_C_UNAUTHENTICATED;
                sk_http_error(res, d.code == SK_C_UNAUTHENTICATED ? 401 : 503, d.code, d.field,
                              "%s", d.message);
                return i;
            }
            sk_http_request authed = *req;
            authed.principal = &who;
            routes[i].fn(&authed, res);
            return i;
        }
    }
    if (path_known) {
        /* the methods this path accepts, built per request (workers run concurrently) */
        sk_buf allow;
        sk_buf_init(&allow, 256);
        for (int i = 0; i < NROUTES; i++)
            if (match(routes[i].path, req->path, NULL, NULL))
                sk_buf_printf(&allow, "%s%s", allow.len ? ", " : "", routes[i].method);
        res->allow = sk_arena_strndup(req->arena, sk_buf_cstr(&allow), allow.len);
        sk_buf_deinit(&allow);
        sk_http_error(res, 405, SK_C_METHOD, "method", "%s is not allowed on %s", req->method,
                      req->path);
        return -1;
    }
    sk_http_error(res, 404, SK_C_NOT_FOUND, "path", "no such endpoint");
    return -1;
}
