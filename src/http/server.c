/* server.c — libmicrohttpd glue: bounded request reading, request ids, dispatch, metrics,
 * access log, graceful drain. Routes that wait for a durable commit run on a worker pool while
 * their connection is suspended, so the event-loop threads never wait for a commit. They do wait
 * for a read from disk when the page cache does not hold the pages a look-up needs (a page
 * fault on the database's map, a pread beyond it); there are four per core by default so that
 * such waits overlap instead of stopping every connection (docs/design/http.md). */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http/http_int.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/workq.h"

struct sk_http_server {
    struct MHD_Daemon *mhd;
    sk_app *app;
    sk_workq *workers;
    sk_http_options opt;
    uint16_t port;
    _Atomic unsigned in_flight;
    _Atomic uint64_t seq;
    char id_prefix[9]; /* random per process, so ids do not repeat across restarts */
};

/* Per-request state, from the first callback to the completion notice. */
typedef struct request_ctx {
    sk_arena *arena;
    sk_buf body;
    bool too_big;
    _Atomic bool answered; /* a worker has filled res; the connection was resumed */
    int64_t start_ns;
    char id[32];
    sk_http_request req;
    sk_http_response res;
    int route;
} request_ctx;

/* "<prefix>-<seq>" (8 hex digits, a dash, decimal): every request gets one */
static void request_id(char out[32], const char prefix[9], uint64_t seq)
{
    char digits[21];
    size_t n = 0;
    do
        digits[n++] = (char)('0' + seq % 10);
    while ((seq /= 10) != 0);
    size_t p = strnlen(prefix, 8);
    memcpy(out, prefix, p);
    out[p++] = '-';
    while (n)
        out[p++] = digits[--n];
    out[p] = '\0';
}

const char *sk_http_query(const sk_http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *sk_http_header(const sk_http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

static enum MHD_Result send_response(struct MHD_Connection *conn, const request_ctx *ctx,
                                     sk_http_response *res)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        res->body.len, (void *)sk_buf_cstr(&res->body), MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            res->content_type ? res->content_type : "application/json");
    MHD_add_response_header(r, "X-Request-Id", ctx->id);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (res->allow)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, res->allow);
    if (res->challenge)
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"shikaku\"");
    enum MHD_Result ret = MHD_queue_response(conn, res->status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Sends the answer in ctx->res, then counts and logs the request. */
static enum MHD_Result finish(struct MHD_Connection *conn, request_ctx *ctx)
{
    sk_log_set_context(ctx->id);
    enum MHD_Result ret = send_response(conn, ctx, &ctx->res);
    int64_t dur = sk_monotonic_ns() - ctx->start_ns;
    unsigned status = ctx->res.status;
    sk_http_metrics_observe(ctx->route >= 0 ? ctx->route : sk_http_route_count() - 1, status, dur);
    sk_log(status >= 500 ? SK_LOG_ERROR : SK_LOG_INFO, "%s %s %u %.3fms", ctx->req.method,
           ctx->req.path, status, (double)dur / 1e6);
    sk_log_set_context(NULL);
    return ret;
}

/* On a worker: run the handler (it may wait for its commit), then hand the connection back to
 * its event loop, which calls on_request again to send the answer. */
static void run_on_worker(void *arg)
{
    request_ctx *ctx = arg;
    sk_log_set_context(ctx->id);
    ctx->route = sk_http_dispatch(&ctx->req, &ctx->res);
    sk_log_set_context(NULL);
    atomic_store(&ctx->answered, true);
    MHD_resume_connection(ctx->req.conn);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    sk_http_server *s = cls;
    request_ctx *ctx = *con_cls;
    if (!ctx) {
        /* first call: headers are in; set up the request */
        ctx = calloc(1, sizeof(*ctx));
        if (!ctx)
            return MHD_NO;
        ctx->arena = sk_arena_alloc(0, s->opt.max_body * 4 + (1 << 20));
        if (!ctx->arena) {
            free(ctx);
            return MHD_NO;
        }
        sk_buf_init(&ctx->body, s->opt.max_body);
        ctx->start_ns = sk_monotonic_ns();
        ctx->route = -1;
        request_id(ctx->id, s->id_prefix, atomic_fetch_add(&s->seq, 1) + 1);
        const char *cl =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        long long n;
        if (cl && sk_parse_ll(cl, strlen(cl), 0, INT64_MAX, &n) == SK_OK &&
            (unsigned long long)n > s->opt.max_body)
            ctx->too_big = true;
        atomic_fetch_add(&s->in_flight, 1);
        *con_cls = ctx;
        return MHD_YES;
    }
    if (*upload_data_size) {
        /* body: keep it while within the limit, then only drain */
        if (!ctx->too_big && sk_buf_append(&ctx->body, upload_data, *upload_data_size) != SK_OK)
            ctx->too_big = true;
        *upload_data_size = 0;
        return MHD_YES;
    }

    if (atomic_load(&ctx->answered))
        return finish(conn, ctx); /* called again after the worker resumed us */
    ctx->req = (sk_http_request){.method = method,
                                 .path = url,
                                 .body = sk_buf_cstr(&ctx->body),
                                 .body_len = ctx->body.len,
                                 .request_id = ctx->id,
                                 .arena = ctx->arena,
                                 .app = s->app,
                                 .server = s,
                                 .conn = conn};
    ctx->res = (sk_http_response){.status = 500};
    sk_buf_init(&ctx->res.body, 64u << 20);
    if (ctx->too_big) {
        sk_http_error(&ctx->res, 413, SK_C_TOO_LONG, "body", "request body larger than %zu bytes",
                      s->opt.max_body);
        return finish(conn, ctx);
    }
    if (sk_http_route_waits(method, url,
                            MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "message"))) {
        /* suspend first: the worker may resume the connection before this callback returns */
        MHD_suspend_connection(conn);
        if (sk_workq_submit(s->workers, run_on_worker, ctx) == SK_OK)
            return MHD_YES;
        sk_http_error(&ctx->res, 503, SK_C_STORE_BUSY, "", "the server is busy or stopping; retry");
        atomic_store(&ctx->answered, true);
        MHD_resume_connection(conn);
        return MHD_YES;
    }
    sk_log_set_context(ctx->id);
    ctx->route = sk_http_dispatch(&ctx->req, &ctx->res);
    sk_log_set_context(NULL);
    return finish(conn, ctx);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    sk_http_server *s = cls;
    request_ctx *ctx = *con_cls;
    if (!ctx)
        return;
    sk_buf_deinit(&ctx->body);
    sk_buf_deinit(&ctx->res.body);
    sk_arena_free(ctx->arena);
    free(ctx);
    *con_cls = NULL;
    atomic_fetch_sub(&s->in_flight, 1);
}

/* "host:port" or "[v6]:port" → a socket address. */
static sk_err parse_listen(const char *listen, struct sockaddr_storage *ss, sk_diag *d)
{
    char host[256];
    const char *colon;
    if (!listen || !*listen)
        return sk_diag_set(d, SK_C_REQUIRED, "listen", "a listen address HOST:PORT is required");
    if (listen[0] == '[') {
        const char *end = strchr(listen, ']');
        if (!end || end[1] != ':')
            return sk_diag_set(d, SK_C_CONFIG_VALUE, "listen", "expected [ADDRESS]:PORT");
        snprintf(host, sizeof(host), "%.*s", (int)(end - listen - 1), listen + 1);
        colon = end + 1;
    } else {
        colon = strrchr(listen, ':');
        if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof(host))
            return sk_diag_set(d, SK_C_CONFIG_VALUE, "listen", "expected HOST:PORT");
        snprintf(host, sizeof(host), "%.*s", (int)(colon - listen), listen);
    }
    long long port;
    if (sk_parse_ll(colon + 1, strlen(colon + 1), 0, 65535, &port) != SK_OK)
        return sk_diag_set(d, SK_C_CONFIG_VALUE, "listen", "port must be 0-65535");
    struct addrinfo hints = {
        .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
    struct addrinfo *ai = NULL;
    char ps[8];
    snprintf(ps, sizeof(ps), "%lld", port);
    int rc = getaddrinfo(host, ps, &hints, &ai);
    if (rc != 0 || !ai)
        return sk_diag_set(d, SK_C_CONFIG_VALUE, "listen", "cannot resolve %s: %s", host,
                           gai_strerror(rc));
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(ai);
    return SK_OK;
}

sk_err sk_http_server_start(const sk_http_options *opt, sk_app *app, sk_http_server **out,
                            sk_diag *d)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    sk_err err = parse_listen(opt->listen, &ss, d);
    if (err)
        return err;
    sk_http_server *s = calloc(1, sizeof(*s));
    if (!s)
        return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    s->app = app;
    s->opt = *opt;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    if (!s->opt.threads)
        s->opt.threads = ncpu > 0 ? (unsigned)(ncpu < 16 ? 4 * ncpu : 64) : 8;
    if (!s->opt.workers)
        s->opt.workers = 64;
    if (!s->opt.max_body)
        s->opt.max_body = 1u << 20;
    if (!s->opt.max_header)
        s->opt.max_header = 32u << 10;
    if (!s->opt.timeout_s)
        s->opt.timeout_s = 30;
    if (!s->opt.max_connections)
        s->opt.max_connections = 1024;
    uint8_t rnd[4];
    sk_random_bytes(rnd, sizeof(rnd));
    sk_hex_encode(rnd, sizeof(rnd), s->id_prefix);

    /* a request waits in the queue only while every worker is busy; beyond that many it is
     * turned away with 503 rather than held without bound */
    err = sk_workq_start(s->opt.workers, (size_t)s->opt.workers * 16, &s->workers, d);
    if (err) {
        free(s);
        return err;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO |
                     MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
                              (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
                              (unsigned int)s->opt.threads, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                              (size_t)s->opt.max_header, MHD_OPTION_CONNECTION_TIMEOUT,
                              (unsigned int)s->opt.timeout_s, MHD_OPTION_CONNECTION_LIMIT,
                              (unsigned int)s->opt.max_connections, MHD_OPTION_NOTIFY_COMPLETED,
                              on_completed, s, MHD_OPTION_END);
    if (!s->mhd) {
        sk_workq_stop(s->workers);
        free(s);
        return sk_diag_set(d, SK_C_IO, "listen", "cannot listen on %s (in use or not allowed)",
                           opt->listen);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    *out = s;
    return SK_OK;
}

uint16_t sk_http_server_port(const sk_http_server *s)
{
    return s->port;
}

unsigned sk_http_server_in_flight(const sk_http_server *s)
{
    return atomic_load(&((sk_http_server *)s)->in_flight);
}

unsigned sk_http_server_stop(sk_http_server *s, unsigned drain_ms)
{
    if (!s)
        return 0;
    /* stop accepting; connections already open finish their requests */
    MHD_socket ls = MHD_quiesce_daemon(s->mhd);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
    unsigned waited = 0;
    while (atomic_load(&s->in_flight) > 0 && waited < drain_ms) {
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
        waited += 10;
    }
    unsigned left = atomic_load(&s->in_flight);
    /* every suspended connection must be resumed before MHD stops: run what the workers hold */
    sk_workq_stop(s->workers);
    MHD_stop_daemon(s->mhd);
    free(s);
    return left;
}
