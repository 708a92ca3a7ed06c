/* api_verify.c — POST /v1/eligibility: the plain JSON form of the online eligibility
 * verification for new clients (the OQS XML and Web-API forms answer the same look-up). */
#include <string.h>

#include <jansson.h>

#include "http/http_int.h"
#include "util/clock.h"
#include "verify/verify.h"

static const char *const members[] = {"insurer_number", "symbol",          "number",
                                      "branch",         "birthdate",       "confirmation_date",
                                      "limit_consent",  "institution_code"};

void sk_api_eligibility_post(const sk_http_request *req, sk_http_response *res)
{
    sk_diag d;
    sk_diag_clear(&d);
    json_t *root, *m[8];
    const char *v[8] = {0};
    root = NULL;
    if (sk_http_body_flat(req, members, "ssssssbs", 8, v))
        goto read;
    if (sk_http_body_members(req, members, 8, &root, m, &d))
        goto fail;
    for (size_t i = 0; i < 8; i++) {
        if (!m[i])
            continue;
        if (i == 6 && json_is_boolean(m[i])) {
            v[i] = json_is_true(m[i]) ? "true" : "false";
            continue;
        }
        if (!json_is_string(m[i]) || i == 6) {
            sk_diag_set(&d, SK_C_FIELD_TYPE, members[i],
                        i == 6 ? "must be true or false" : "must be a string");
            goto fail;
        }
        v[i] = json_string_value(m[i]);
    }
read:;
    const sk_principal *who = req->principal; /* its role is checked by sk_verify_lookup */
    if (v[7] && strcmp(v[7], who->scope) != 0) {
        sk_diag_set(&d, SK_C_FORBIDDEN, "institution_code",
                    "the institution code is not the one of this token");
        goto fail;
    }
    sk_verify_fields f = {.insurer_number = v[0],
                          .symbol = v[1],
                          .number = v[2],
                          .branch = v[3],
                          .birthdate = v[4],
                          .confirmation_date = v[5],
                          .limit_consent = v[6],
                          .name = {members[0], members[1], members[2], members[3], members[4],
                                   members[5], members[6]}};
    sk_verify_query q;
    sk_date today = sk_date_from_unix_ms(sk_clock_now_ms(req->app->clock));
    if (sk_verify_query_parse(&f, today, &q, &d))
        goto fail;
    static _Thread_local sk_verify_answer a; /* large: one per thread */
    if (sk_verify_lookup(req->app->store, req->app->audit, who, &q, &a, &d))
        goto fail;
    json_decref(root);
    root = NULL;
    if (sk_verify_answer_json_write(&a, &res->body) != SK_OK) {
        sk_diag_set(&d, SK_C_INTERNAL, "", "the answer could not be written");
        goto fail;
    }
    res->status = 200;
    res->content_type = "application/json";
    return;
fail:
    json_decref(root);
    sk_http_diag(res, &d);
}
