/* api_oqs.c — the OQS-compatible endpoints (oqs-messages §1, §4, §5; docs/oqs.md):
 *   POST /oqs/v1/xml                                   a request file's bytes, XML in UTF-8 or
 *                                                      Shift_JIS; the result in the same encoding
 *   POST /oqs-api-pro/MSA12020/ILI12020SV01/auth       Web-API login → idToken
 *   POST /oqs-api-pro/MSA01030/ILI01030SV01/search     Web-API 資格確認 (raw idToken)
 * Every answer, errors included, is an OQS result document (SegmentOfResult 9 + ErrorCode for
 * a rejected file) so that OQS clients can read it; the HTTP status says the same for HTTP
 * clients (docs/oqs-codes.md). These routes authenticate themselves for that reason. */
#include <string.h>

#include <jansson.h>

#include "http/http_int.h"
#include "util/clock.h"
#include "util/log.h"
#include "verify/oqs_exchange.h"

/* The HTTP status that goes with a file-level code (docs/oqs-codes.md). */
static unsigned status_for(sk_oqs_code c)
{
    switch (c) {
    case SK_OQS_OK:
        return 200;
    case SK_OQS_INSTITUTION:
        return 403;
    case SK_OQS_TOO_LARGE:
        return 413;
    case SK_OQS_AUTH:
        return 401;
    case SK_OQS_BUSY:
        return 503;
    case SK_OQS_INTERNAL:
        return 500;
    default:
        return 400;
    }
}

static void internal_error(sk_http_response *res)
{
    sk_http_error(res, 500, SK_C_INTERNAL, "", "the OQS answer could not be built");
}

static void auth_error(sk_oqs_error *e, const sk_diag *d)
{
    sk_oqs_error_set(e, d->code == SK_C_UNAUTHENTICATED ? SK_OQS_AUTH : SK_OQS_BUSY, d->field, "%s",
                     d->message);
}

typedef sk_oqs_node *(*exchange_fn)(sk_arena *a, const sk_oqs_exchange *x, const sk_oqs_node *req,
                                    const sk_oqs_error *read_err, sk_oqs_code *file_code);

void sk_api_oqs_xml(const sk_http_request *req, sk_http_response *res)
{
    const char *message = sk_http_query(req, "message");
    exchange_fn fn = sk_oqs_siquc01;
    sk_arena *a = req->arena, *own = NULL;
    if (message && strcmp(message, "OQSsiquc01") != 0) {
        if (strcmp(message, "OQSmuquc01") == 0)
            fn = sk_oqs_muquc01;
        else if (strcmp(message, "OQSmuquc02") == 0)
            fn = sk_oqs_muquc02;
        else if (strcmp(message, "OQSsiimm01") == 0)
            fn = sk_oqs_siimm01;
        else if (strcmp(message, "OQSmuimm01") == 0)
            fn = sk_oqs_muimm01;
        else if (strcmp(message, "OQSmuimm02") == 0)
            fn = sk_oqs_muimm02;
        else {
            sk_http_error(res, 404, SK_C_NOT_FOUND, "message",
                          "message %s is not answered here (OQSsiquc01, OQSmuquc01/02, "
                          "OQSsiimm01 and OQSmuimm01/02 are)",
                          message);
            return;
        }
        /* a bulk request or result may hold thousands of records */
        if (!(a = own = sk_arena_alloc(1 << 20, 512u << 20))) {
            internal_error(res);
            return;
        }
    }
    sk_oqs_node *root = NULL;
    sk_oqs_charset cs = SK_OQS_UTF8;
    sk_oqs_error e = {.code = SK_OQS_OK};
    sk_oqs_xml_read(a, req->body ? req->body : "", req->body_len, &root, &cs, &e);

    sk_principal who;
    memset(&who, 0, sizeof(who));
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_access_authenticate(req->app->store, sk_http_header(req, "Authorization"), &who, &d)) {
        auth_error(&e, &d); /* root is kept: the refusal echoes its readable header */
        res->challenge = d.code == SK_C_UNAUTHENTICATED;
    }
    sk_oqs_exchange x = {.store = req->app->store,
                         .audit = req->app->audit,
                         .who = &who,
                         .now_ms = sk_clock_now_ms(req->app->clock),
                         .cs = cs,
                         .idem_key = sk_http_header(req, "Idempotency-Key")};
    sk_oqs_code code;
    sk_oqs_node *out = fn(a, &x, root, &e, &code);
    size_t replaced = 0;
    if (!out || sk_oqs_xml_write(out, cs, &res->body, &replaced)) {
        internal_error(res);
    } else {
        res->status = status_for(code);
        res->content_type = cs == SK_OQS_SJIS ? "application/xml; charset=Shift_JIS"
                                              : "application/xml; charset=UTF-8";
        if ((fn == sk_oqs_muquc01 || fn == sk_oqs_muimm01) && code == SK_OQS_OK)
            sk_oqs_bulk_kick(req->app->bulk);
    }
    sk_arena_free(own);
}

/* ---- Web-API ---- */

static void webapi_json(sk_http_response *res, unsigned status, json_t *v)
{
    sk_http_json(res, status, v);
    if (res->status == status)
        res->content_type = "application/json;charset=UTF-8";
}

/* Login. The official body layout is not public (§9); ours is
 * {"loginId": "<医療機関コード>", "password": "<the institution's API token>"} and the answer has
 * the public shape
 * {"status","msg","result":{"accessToken","refreshToken","idToken","linkSysCharCd"}} (docs/oqs.md).
 */
void sk_api_oqs_auth(const sk_http_request *req, sk_http_response *res)
{
    json_error_t je;
    json_t *body =
        json_loadb(req->body ? req->body : "", req->body_len, JSON_REJECT_DUPLICATES, &je);
    const char *login = NULL, *password = NULL;
    if (!body || json_unpack(body, "{s:s,s:s!}", "loginId", &login, "password", &password)) {
        json_decref(body);
        webapi_json(res, 400,
                    json_pack("{s:s,s:s,s:n}", "status", "1", "msg",
                              "SKF003 the body must be {\"loginId\": \"<医療機関コード>\", "
                              "\"password\": \"<API token>\"}",
                              "result"));
        return;
    }
    char id_token[SK_ID_TOKEN_MAX];
    int64_t expires;
    sk_principal who;
    sk_diag d;
    sk_diag_clear(&d);
    sk_err err =
        sk_access_id_token_issue(req->app->store, login, password, sk_clock_now_ms(req->app->clock),
                                 id_token, &expires, &who, &d);
    json_decref(body);
    if (err) {
        bool auth = d.code == SK_C_UNAUTHENTICATED;
        char msg[320];
        snprintf(msg, sizeof(msg), "%s %s", auth ? "SKF009" : "SKF098", d.message);
        webapi_json(res, auth ? 401 : 503,
                    json_pack("{s:s,s:s,s:n}", "status", "1", "msg", msg, "result"));
        return;
    }
    SK_INFO("oqs: web-api login by principal %lld", (long long)who.id);
    /* one token serves as access and id token; renewal is a new login (no refresh token) */
    webapi_json(res, 200,
                json_pack("{s:s,s:s,s:{s:s,s:s,s:s,s:s,s:I}}", "status", "0", "msg", "", "result",
                          "accessToken", id_token, "refreshToken", "", "idToken", id_token,
                          "linkSysCharCd", "0", "expiresAt", (json_int_t)expires));
}

void sk_api_oqs_search(const sk_http_request *req, sk_http_response *res)
{
    sk_oqs_node *root = NULL;
    sk_oqs_error e = {.code = SK_OQS_OK};
    sk_oqs_json_read(req->arena, req->body, req->body_len, &root, &e);
    sk_principal who;
    memset(&who, 0, sizeof(who));
    sk_diag d;
    sk_diag_clear(&d);
    int64_t now = sk_clock_now_ms(req->app->clock);
    if (sk_access_id_token_check(req->app->store, sk_http_header(req, "Authorization"), now, &who,
                                 &d)) {
        auth_error(&e, &d); /* root is kept: the refusal echoes its readable header */
    }
    sk_oqs_exchange x = {.store = req->app->store,
                         .audit = req->app->audit,
                         .who = &who,
                         .now_ms = now,
                         .cs = SK_OQS_UTF8};
    sk_oqs_code code;
    sk_oqs_node *out = sk_oqs_siquc01(req->arena, &x, root, &e, &code);
    if (!out || sk_oqs_json_write(out, &res->body)) {
        internal_error(res);
        return;
    }
    res->status = status_for(code);
    res->content_type = "application/json;charset=UTF-8";
}
