/* router.c — the route table and the operational endpoints (/healthz, /readyz, /metrics).
 * Unknown paths get 404, known paths with another method 405 with Allow. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "http/http_int.h"

typedef void (*handler_fn)(const sk_http_request *req, sk_http_response *res);

typedef struct route {
    const char *method;
    const char *path;
    const char *name; /* metrics label */
    handler_fn fn;
    bool auth; /* needs Authorization: Bearer; the handler sees req->principal */
} route;

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

void sk_http_error(sk_http_response *res, unsigned status, sk_code code, const char *field,
                   const char *fmt, ...)
{
    char msg[SK_DIAG_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    json_t *err = json_pack("{s:{s:s,s:s,s:s}}", "error", "code", sk_code_name(code), "field",
                            field ? field : "", "message", msg);
    sk_http_json(res, status, err);
}

static void healthz(const sk_http_request *req, sk_http_response *res)
{
    (void)req;
    sk_http_json(res, 200, json_pack("{s:s}", "status", "ok"));
}

static void readyz(const sk_http_request *req, sk_http_response *res)
{
    sk_tx *tx = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_store_begin_read(req->app->store, &tx, &d) != SK_OK) {
        sk_http_error(res, 503, d.code, d.field, "not ready: %s", d.message);
        return;
    }
    sk_tx_rollback(tx);
    sk_http_json(res, 200,
                 json_pack("{s:s,s:i}", "status", "ready", "schema",
                           sk_store_schema_version(req->app->store)));
}

static sk_err count_line(void *ctx, const char *state, int64_t count)
{
    return sk_buf_printf(ctx, "shikaku_notifications{state=\"%s\"} %lld\n", state,
                         (long long)count);
}

static void metrics(const sk_http_request *req, sk_http_response *res)
{
    sk_buf *b = &res->body;
    sk_buf_reset(b);
    sk_err err = sk_http_metrics_render(b, sk_http_server_in_flight(req->server));
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
    {"GET", "/healthz", "healthz", healthz, false},
    {"GET", "/readyz", "readyz", readyz, false},
    {"GET", "/metrics", "metrics", metrics, false},
    {"GET", "/v1/whoami", "whoami", whoami, true},
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

int sk_http_dispatch(const sk_http_request *req, sk_http_response *res)
{
    bool path_known = false;
    for (int i = 0; i < NROUTES; i++) {
        if (strcmp(routes[i].path, req->path) != 0)
            continue;
        path_known = true;
        if (strcmp(routes[i].method, req->method) == 0 ||
            (strcmp(req->method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0)) {
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
            if (strcmp(routes[i].path, req->path) == 0)
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
