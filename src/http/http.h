/* http.h — the HTTP server of `shikaku serve` (libmicrohttpd, epoll, a thread pool sized to the
 * cores, plus a worker pool for handlers that wait for a durable commit). It bounds every request
 * (headers, body, idle time, connections), gives each one a request id (logged, and returned as
 * X-Request-Id) and an arena, routes it, counts it in the metrics, and on stop drains the requests
 * in flight before closing. Handlers translate requests into service calls; they hold no business
 * rules. */
#ifndef SK_HTTP_HTTP_H
#define SK_HTTP_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/clock.h"
#include "util/err.h"

typedef struct sk_http_options {
    const char *listen;        /* "127.0.0.1:8080", "[::1]:8080", port 0 = any free port */
    unsigned threads;          /* event-loop threads (epoll); 0 = four per core, at most 64 */
    unsigned workers;          /* threads for handlers that wait for a commit; 0 = 64 */
    size_t max_body;           /* bytes; larger bodies get 413 (default 1 MiB) */
    size_t max_header;         /* per-connection header memory (default 32 KiB): a head over half
                                  of it gets 431, one that does not fit libmicrohttpd's own
                                  431/414 (docs/errors.md) */
    unsigned timeout_s;        /* idle connection timeout (default 30); a kept-alive connection
                                  waits this long at most for its next request line */
    unsigned header_timeout_s; /* a request's line and headers must arrive within this of the
                                  connection opening or the request line (default 10); then 408
                                  and the connection is closed */
    unsigned max_connections;  /* concurrent connections (default 1024) */
} sk_http_options;

/* What handlers reach: the services' dependencies. */
typedef struct sk_app {
    sk_store *store;
    struct sk_registry *registry; /* 届出 and the registry's reads (registry/registry.h) */
    sk_clock *clock;
    struct sk_lookup_audit *audit; /* every eligibility look-up is recorded here (verify.h) */
    struct sk_oqs_bulk *bulk;      /* answers stored bulk requests (oqs_exchange.h); may be NULL */
    struct sk_identity *identity;  /* work items, reports, J-LIS (identity/identity.h); may be
                                      NULL */
} sk_app;

typedef struct sk_http_server sk_http_server;

sk_err sk_http_server_start(const sk_http_options *opt, sk_app *app, sk_http_server **out,
                            sk_diag *d);
/* The port actually bound (useful with port 0). */
uint16_t sk_http_server_port(const sk_http_server *s);
/* Requests being processed now. */
unsigned sk_http_server_in_flight(const sk_http_server *s);
/* Stops accepting connections, waits up to drain_ms for requests in flight to finish, then
 * closes everything and frees s. Returns how many requests were still in flight at the
 * deadline (0 = a clean drain). */
unsigned sk_http_server_stop(sk_http_server *s, unsigned drain_ms);

#endif
