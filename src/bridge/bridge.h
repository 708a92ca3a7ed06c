/* bridge.h — the clinic-side folder exchange (oqs-messages §1.1): a レセコン writes
 * `req/<prefix>req_<id>.xml`; the bridge sends it to shikaku and writes the answer as
 * `res/<prefix>res_<id>.xml`, or `res/<prefix>req_<id>.err` when the file itself was refused.
 *
 * Guarantees (docs/oqs.md "Folder bridge"):
 *   - an answer file appears whole or not at all: written under a hidden temporary name in
 *     res/, flushed to disk, then renamed; a delivered file is never rewritten;
 *   - a request file is removed only after its answer is on disk, so a crash or a stop at any
 *     point loses nothing: on restart a request whose answer already exists is just removed,
 *     any other is sent (again);
 *   - a server that cannot be reached, refuses the token (401) or is busy (5xx) leaves the
 *     request in req/ and it is retried with a backoff (1 s doubling to 60 s);
 *   - one bridge per folder (a lock file in res/).
 * The transport is a function so that tests can stand in for the server. */
#ifndef SK_BRIDGE_BRIDGE_H
#define SK_BRIDGE_BRIDGE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

/* Longest request file name handled (`<prefix>req_` + a 64-char id + `.xml`). */
#define SK_BRIDGE_NAME_MAX 96

/* Sends one request file (message = its prefix, e.g. "OQSsiquc01") with idem_key, the file's
 * idempotency key (sent as Idempotency-Key: a resent bulk file is one request). On a transport
 * failure returns SK_ERR_IO (retry later); otherwise SK_OK with the HTTP status and body. */
typedef sk_err (*sk_bridge_send_fn)(void *ctx, const char *message, const char *idem_key,
                                    const char *bytes, size_t len, unsigned *status, sk_buf *body,
                                    sk_diag *d);

typedef struct sk_bridge sk_bridge;

/* Opens the folder: req/ must exist, res/ is created if missing; takes the folder's lock
 * (SK_ERR_BUSY when another bridge holds it). */
sk_err sk_bridge_open(const char *dir, sk_bridge_send_fn send, void *send_ctx, sk_bridge **out,
                      sk_diag *d);
void sk_bridge_close(sk_bridge *b);

/* The answer names for a request name: "OQSsiquc01req_X.xml" → message "OQSsiquc01", result
 * "OQSsiquc01res_X.xml", error "OQSsiquc01req_X.err". False when the name is not a request
 * file (<1–16 letters/digits>req_<1–64 of [A-Za-z0-9._-]>.xml). */
bool sk_bridge_names(const char *req, char message[17], char res[SK_BRIDGE_NAME_MAX],
                     char err[SK_BRIDGE_NAME_MAX]);

typedef enum sk_bridge_outcome {
    SK_BRIDGE_ANSWERED, /* res/…res_….xml written, request removed */
    SK_BRIDGE_REJECTED, /* res/….err written, request removed */
    SK_BRIDGE_DONE,     /* an answer already existed (an earlier run); request removed */
    SK_BRIDGE_RETRY,    /* left in req/ for later */
    SK_BRIDGE_IGNORED   /* not a request file (hidden, temporary, not .xml) */
} sk_bridge_outcome;

/* Handles one file of req/ by name. */
sk_bridge_outcome sk_bridge_process(sk_bridge *b, const char *name, sk_diag *d);

/* Runs until *stop is set: handles what req/ holds, then every file closed after writing or
 * moved into it (inotify), and retries. With once = true, returns after the first pass over
 * what is there (files to retry are left). Counts go to the log. */
sk_err sk_bridge_run(sk_bridge *b, volatile sig_atomic_t *stop, bool once, sk_diag *d);

/* Totals since open. */
typedef struct sk_bridge_stats {
    uint64_t answered, rejected, done, retried;
} sk_bridge_stats;
sk_bridge_stats sk_bridge_get_stats(const sk_bridge *b);

/* The libcurl transport (client.c): POST {server}/oqs/v1/xml?message=M with the token as
 * Bearer; ctx from sk_bridge_http_alloc. */
typedef struct sk_bridge_http sk_bridge_http;
sk_err sk_bridge_http_alloc(const char *server, const char *token, sk_bridge_http **out,
                            sk_diag *d);
void sk_bridge_http_free(sk_bridge_http *h);
sk_err sk_bridge_http_send(void *ctx, const char *message, const char *idem_key, const char *bytes,
                           size_t len, unsigned *status, sk_buf *body, sk_diag *d);

#endif
