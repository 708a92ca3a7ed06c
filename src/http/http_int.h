/* http_int.h — private to src/http: the request/response a handler sees, the router and the
 * metrics registry. */
#ifndef SK_HTTP_INT_H
#define SK_HTTP_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "access/access.h"
#include "http/http.h"
#include "util/arena.h"
#include "util/buf.h"

struct MHD_Connection;

typedef struct sk_http_request {
    const char *method;
    const char *path;
    const char *body;
    size_t body_len;
    const char *request_id;
    sk_arena *arena; /* freed when the request ends */
    sk_app *app;
    const sk_http_server *server;
    struct MHD_Connection *conn;
    const sk_principal *principal; /* set for authenticated routes, else NULL */
    const char *params[2];         /* path parameters ({…} in the route), in order */
} sk_http_request;

typedef struct sk_http_response {
    unsigned status;
    const char *content_type;
    sk_buf body;
    const char *allow; /* for 405 */
    bool challenge;    /* 401: add WWW-Authenticate: Bearer */
} sk_http_response;

/* The longest URL (request target with its query) answered; longer ones get 414 too_long. */
#define SK_HTTP_URL_MAX 8192

/* A request header (case-insensitive name), or NULL (also when a NUL is inside it). */
const char *sk_http_header(const sk_http_request *req, const char *name);
/* A query-string argument (decoded), or NULL. */
const char *sk_http_query(const sk_http_request *req, const char *name);
/* The HTTP status for an error: 400 for a request that cannot be read (bad_json,
 * unknown_field, field_type, query), 401/403/404, 409 for conflicts, 422 for input that
 * breaks a rule, 503 when busy, 500 otherwise (docs/errors.md). */
unsigned sk_http_status_for(sk_code code);
/* Sends a diagnostic as the error body with its status. */
void sk_http_diag(sk_http_response *res, const sk_diag *d);
/* Sets a JSON error body {"error":{"code","field","message"}} and the status. */
void sk_http_error(sk_http_response *res, unsigned status, sk_code code, const char *field,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The body as JSON (jansson flags beyond JSON_REJECT_DUPLICATES, e.g. JSON_ALLOW_NUL), or NULL
 * with d set: number_range naming the member when a number is too big to read (beyond a
 * 64-bit integer or a finite double), bad_json otherwise. */
struct json_t;
struct json_t *sk_http_json_parse(const sk_http_request *req, size_t flags, sk_diag *d);
/* A body that must be one JSON object with members from a fixed table (the /v1 forms that are
 * not 届出): *root is the document (json_decref it), out[i] the value of names[i] or NULL when
 * absent or null. bad_json when it is not a JSON object, unknown_field naming any other member;
 * each handler checks its values' types. */
struct json_t;
sk_err sk_http_body_members(const sk_http_request *req, const char *const *names, size_t n,
                            struct json_t **root, struct json_t **out, sk_diag *d);
/* The fast path for the plainest bodies (a look-up's): one object whose members are among
 * names (at most 32), each at most once, with kinds[i] 's' a string of printable ASCII without
 * escapes, 'b' true or false, or null for either. out[i] is the text ("true"/"false" for a
 * boolean; copied into the request's arena) or NULL when absent or null. False when the body is
 * anything else — then sk_http_body_members reads it and gives the exact refusal; a handler
 * must accept what this accepts exactly as it would from sk_http_body_members. */
bool sk_http_body_flat(const sk_http_request *req, const char *const *names, const char *kinds,
                       size_t n, const char **out);
/* An instant as "2025-11-21T09:00:00.000Z" (UTC), JSON null for 0. */
struct json_t *sk_http_iso_time(int64_t ms);
/* A positive decimal id (path segment or query value) of at most 18 digits. */
bool sk_http_parse_id(const char *s, int64_t *out);
/* A listing's page from the query: `after` (an id, default 0) and `limit` (1-max_limit,
 * default 100). false: the 400 query error naming the parameter is written into res. */
bool sk_http_page_query(const sk_http_request *req, sk_http_response *res, int64_t max_limit,
                        int64_t *after, int64_t *limit);
/* Sets a JSON body from a jansson value (stolen) and the status. */
struct json_t;
void sk_http_json(sk_http_response *res, unsigned status, struct json_t *value);

/* Handlers of the registry API (api_registry.c). */
typedef void (*sk_http_handler)(const sk_http_request *req, sk_http_response *res);
void sk_api_notification_post(const sk_http_request *req, sk_http_response *res);
void sk_api_notification_batch(const sk_http_request *req, sk_http_response *res);
void sk_api_notification_get(const sk_http_request *req, sk_http_response *res);
void sk_api_notification_withdraw(const sk_http_request *req, sk_http_response *res);
void sk_api_notification_reject(const sk_http_request *req, sk_http_response *res);
void sk_api_person_get(const sk_http_request *req, sk_http_response *res);
void sk_api_members_get(const sk_http_request *req, sk_http_response *res);
void sk_api_insurer_notifications_get(const sk_http_request *req, sk_http_response *res);
void sk_api_disease_cert_post(const sk_http_request *req, sk_http_response *res);

/* The identity endpoints (api_identity.c). */
void sk_api_work_items_get(const sk_http_request *req, sk_http_response *res);
void sk_api_work_item_get(const sk_http_request *req, sk_http_response *res);
void sk_api_work_item_resolve(const sk_http_request *req, sk_http_response *res);
void sk_api_work_items_resolve(const sk_http_request *req, sk_http_response *res);
void sk_api_report_post(const sk_http_request *req, sk_http_response *res);
void sk_api_jlis_reload(const sk_http_request *req, sk_http_response *res);

/* Whether the route for method and path (and, for the OQS XML path, its ?message=) writes and so
 * waits for a durable commit (it then runs on a worker thread, not on an event loop). */
bool sk_http_route_waits(const char *method, const char *path, const char *message);
/* The online eligibility verification (api_verify.c). */
void sk_api_eligibility_post(const sk_http_request *req, sk_http_response *res);
/* The OQS-compatible forms (api_oqs.c); they authenticate themselves so that every answer,
 * a refused one too, is an OQS result document. */
void sk_api_oqs_xml(const sk_http_request *req, sk_http_response *res);
void sk_api_oqs_auth(const sk_http_request *req, sk_http_response *res);
void sk_api_oqs_search(const sk_http_request *req, sk_http_response *res);

/* Readiness (health.c): SK_OK, or the first cause the daemon cannot do all of its work. */
sk_err sk_http_ready(const sk_app *app, sk_diag *d);

/* Routes a request; returns the route's metrics index. */
int sk_http_dispatch(const sk_http_request *req, sk_http_response *res);

/* Metrics: one series per route (index from sk_http_dispatch). */
#define SK_HTTP_ROUTES_MAX 32
int sk_http_route_count(void);
const char *sk_http_route_name(int i);
void sk_http_metrics_observe(int route, unsigned status, int64_t duration_ns);
/* Prometheus text exposition of the HTTP series plus the gauges passed in. */
sk_err sk_http_metrics_render(sk_buf *out, unsigned in_flight);

#endif
