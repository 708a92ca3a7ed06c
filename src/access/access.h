/* access.h — who may call shikaku: principals (API identities), their roles and scopes, token
 * issuance and authentication. A token is shown once when issued and stored only as its
 * SHA-256 hash.
 *
 *   role         scope                                  acts for
 *   operator     "" (none)                              the intermediate server as a whole
 *   insurer      保険者番号 (an insurer in the store)   its own members
 *   employer     employer id (in the store)             its own 届出, with its insurer only
 *   institution  医療機関コード                         eligibility look-ups
 *   person       person public id (in the store)        the person's own data */
#ifndef SK_ACCESS_ACCESS_H
#define SK_ACCESS_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/workflow.h" /* sk_role, sk_role_name */
#include "store/store.h"
#include "util/err.h"

/* "skt_" + 64 lower-case hex digits (256 random bits) */
#define SK_TOKEN_PREFIX "skt_"
#define SK_TOKEN_LEN    (4 + 64)

typedef struct sk_principal {
    int64_t id;
    sk_role role;
    char scope[64];
    char label[128];
} sk_principal;

/* A role's name (core/workflow.h) with a diagnostic naming the field "role". */
sk_err sk_role_parse(const char *s, sk_role *out, sk_diag *d);

/* Checks that the scope fits the role (format, and existence in the store for insurer,
 * employer and person), creates the principal and an audit row, and writes the new token into
 * token_out (SK_TOKEN_LEN + 1 bytes). All in one transaction; nothing is written on error. */
sk_err sk_access_issue(sk_store *s, sk_role role, const char *scope, const char *label,
                       const char *actor, int64_t now_ms, sk_principal *out,
                       char token_out[SK_TOKEN_LEN + 1], sk_diag *d);

/* Authenticates an Authorization header value ("Bearer skt_…"). SK_C_UNAUTHENTICATED when the
 * header is missing or malformed, the token unknown or its principal disabled. A success is
 * remembered for one second (a token disabled in the database stops working within 1 s). */
sk_err sk_access_authenticate(sk_store *s, const char *authorization, sk_principal *out,
                              sk_diag *d);

/* Web-API id tokens (the OQS Web-API login, oqs-messages §1.2): a short-lived token an
 * institution gets by logging in with its API token, sent later as the raw Authorization value.
 * Form: "oqs1." + hex(SHA-256 of the API token) + "." + expiry (Unix ms) + "." + hex(HMAC-SHA-256
 * under a key drawn at process start). Stateless; a restart or the expiry ends it, and the
 * principal behind it must still be enabled at every use. */
#define SK_ID_TOKEN_MAX    192
#define SK_ID_TOKEN_TTL_MS (3600LL * 1000LL)

/* Logs in: `token` must be an enabled institution's API token and `institution` its 医療機関コード.
 * Writes the id token and its expiry. SK_C_UNAUTHENTICATED otherwise (one message for every
 * cause, so a caller cannot probe which part was wrong). */
sk_err sk_access_id_token_issue(sk_store *s, const char *institution, const char *token,
                                int64_t now_ms, char out[SK_ID_TOKEN_MAX], int64_t *expires_ms,
                                sk_principal *who, sk_diag *d);
/* Authenticates a raw id token at now_ms. */
sk_err sk_access_id_token_check(sk_store *s, const char *id_token, int64_t now_ms,
                                sk_principal *out, sk_diag *d);

#endif
