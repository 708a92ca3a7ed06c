/* server.c — libmicrohttpd glue: bounded request reading, request ids, dispatch, metrics,
 * access log, graceful drain, and what is refused before a handler runs: a malformed head
 * (control characters in a header, an ambiguous body length, a URL or head beyond the limits)
 * in the JSON error form, and a head that does not arrive in time (the header watchdog).
 * Routes that wait for a durable commit run on a worker pool while their connection is
 * suspended, so the event-loop threads never wait for a commit. They do wait
 * for a read from disk when the page cache does not hold the pages a look-up needs (a page
 * fault on the database's map, a pread beyond it); there are four per core by default so that
 * such waits overlap instead of stopping every connection (docs/design/http.md). */
#include <arpa/inet.h>
#include <netdb.h>
#include <pthread.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

/* The header watchdog. libmicrohttpd's connection timeout counts idleness: a client sending
 * one byte of its head every few seconds is held for ever (issue 19 B.4). Each connection gets
 * a deadline instead — its head must be complete within http.header_timeout_s of the
 * connection opening or of the request line arriving, and a kept-alive connection waits at
 * most http.timeout_s for its next request line — and a thread closes those past it, with a
 * 408 in the JSON error form when a request line had arrived. */
enum { WATCH_IDLE, WATCH_HEAD, WATCH_BUSY, WATCH_CLOSING };
typedef struct conn_watch {
    struct conn_watch *prev, *next;
    MHD_socket fd;
    _Atomic int state;           /* WATCH_* */
    _Atomic int64_t deadline_ms; /* monotonic; for WATCH_IDLE and WATCH_HEAD */
    _Atomic size_t uri_len;      /* of the request line's target, as sent */
} conn_watch;

struct sk_http_server {
    struct MHD_Daemon *mhd;
    char bind_error[128]; /* libmicrohttpd's reason when it cannot listen (its own text names
                             "port 0": it is given a socket address) */
    sk_app *app;
    sk_workq *workers;
    sk_http_options opt;
    uint16_t port;
    _Atomic unsigned in_flight;
    _Atomic uint64_t seq;
    char id_prefix[9]; /* random per process, so ids do not repeat across restarts */
    /* the watchdog: the open connections (a list under watch_mu; libmicrohttpd notifies a
     * connection's close before it closes the socket, so a socket in the list is still its
     * connection's while watch_mu is held) */
    pthread_mutex_t watch_mu;
    pthread_cond_t watch_cv;
    conn_watch *watched;
    bool watch_stop, watch_running;
    pthread_t watch_thread;
};

/* Per-request state, from the first callback to the completion notice. */
typedef struct request_ctx {
    sk_arena *arena;
    sk_buf body;
    bool too_big;
    bool early;            /* refused from its head alone (head_refusal): already answered */
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
    const char *v = NULL;
    size_t n = 0;
    if (MHD_lookup_connection_value_n(req->conn, MHD_HEADER_KIND, name, strlen(name), &v, &n) !=
        MHD_YES)
        return NULL;
    /* a NUL inside would cut the value short (`Bearer <token>\0junk`): such a header is
     * refused before routing (head_check); this keeps any caller from seeing a prefix of it */
    return v && strlen(v) == n ? v : NULL;
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

static int64_t now_ms(void)
{
    return sk_monotonic_ms();
}

static conn_watch *watch_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* ---- what is refused from the head alone (before a handler, before the body is read) ---- */

typedef struct head_check {
    char bad[SK_DIAG_FIELD_MAX]; /* a header with a control character */
    bool bad_seen;
    /* the NUL check (hidden_bytes): the end of the previous header's value and its name */
    bool layout_known;
    const char *prev_end;
    const char *prev_key;
    size_t prev_key_len;
    const char *length; /* the first Content-Length */
    size_t length_len;
    bool length_differs, has_length, has_encoding;
    const char *encoding;
    size_t encoding_len;
} head_check;

/* A header name as a diagnostic's field: printable ASCII only (it goes into the JSON). */
static void field_name(char *out, size_t cap, const char *key, size_t n)
{
    size_t i = 0;
    for (; i < n && i + 1 < cap; i++)
        out[i] = (key[i] > 0x20 && key[i] < 0x7F) ? key[i] : '?';
    out[i] = '\0';
}

/* A NUL inside a header line: libmicrohttpd 0.9.75 reads a line up to its end but takes the
 * value with strlen, so `Authorization: Bearer <token>\0junk` reaches us as a clean token and
 * nothing of the API shows the rest (issue 19 B.3). That version parses the head in place, in
 * one buffer: a header's name and value point into it, in the order received, and between the
 * end of one value and the next name there is only the line end it overwrote with NULs (one
 * for LF, two for CRLF); after the last value, that and the empty line (2 to 4 bytes up to
 * method + REQUEST_HEADER_SIZE). Anything else there — bytes after a NUL, or a value that is
 * not in place (obs-fold, RFC 9112 §5.2: a server may refuse it) — refuses the request naming
 * the header. Only ever used with the version it was checked against (hidden_bytes_known). */
static bool gap_clean(const char *from, const char *to, uintptr_t min, uintptr_t max)
{
    /* addresses compared as integers: the two may not be in one object when the layout is
     * not the one expected */
    uintptr_t a = (uintptr_t)from, b = (uintptr_t)to;
    if (!from || !to || b < a + min || b > a + max)
        return false;
    for (uintptr_t i = 0; i < b - a; i++)
        if (from[i] != '\0')
            return false;
    return true;
}

static bool hidden_bytes_known(void)
{
    static _Atomic int known = -1;
    int k = atomic_load(&known);
    if (k < 0) {
        const char *v = MHD_get_version();
        k = v && strcmp(v, "0.9.75") == 0;
        atomic_store(&known, k);
        if (!k)
            SK_WARN("libmicrohttpd %s: a NUL inside a request header cannot be detected "
                    "(checked with 0.9.75 only)",
                    v ? v : "?");
    }
    return k == 1;
}

static void head_bad(head_check *h, const char *key, size_t n)
{
    field_name(h->bad, sizeof(h->bad), key, n);
    h->bad_seen = true;
}

/* The name of a folded header. libmicrohttpd 0.9.75 appends the continuation line to the
 * header's name (in a copy; the first line's value stays in place, followed by the line end it
 * overwrote with NULs and the continuation line): the name as received is that copy without
 * the continuation's text at its end. */
static void folded_name(head_check *h, const char *key, size_t key_size, const char *value,
                        size_t value_size)
{
    const char *p = value + value_size;
    for (int i = 0; i < 2 && *p == '\0'; i++)
        p++;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t n = strnlen(p, key_size);
    if (n && n < key_size && memcmp(key + key_size - n, p, n) == 0)
        key_size -= n;
    head_bad(h, key, key_size);
}

static enum MHD_Result head_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                   size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    head_check *h = cls;
    if (h->layout_known) {
        /* this header out of place (folded onto the next line: libmicrohttpd joined the lines
         * elsewhere), or bytes hidden after the previous one's value */
        if ((uintptr_t)value <= (uintptr_t)key + key_size) {
            folded_name(h, key, key_size, value, value_size);
            return MHD_NO;
        }
        if (h->prev_end && !gap_clean(h->prev_end, key, 1, 2)) {
            head_bad(h, h->prev_key, h->prev_key_len);
            return MHD_NO;
        }
        h->prev_end = value + value_size;
        h->prev_key = key;
        h->prev_key_len = key_size;
    }
    /* RFC 9110 §5.5 allows HTAB inside a value; no header shikaku reads needs one, and a TAB
     * or any other control character (NUL included) in a token or a key is a mistake or an
     * attack: refused, naming the header */
    for (size_t i = 0; i < value_size; i++) {
        unsigned char c = (unsigned char)value[i];
        if (c < 0x20 || c == 0x7F) {
            head_bad(h, key, key_size);
            return MHD_NO;
        }
    }
    if (key_size == 14 && strncasecmp(key, "Content-Length", 14) == 0) {
        if (h->has_length && (value_size != h->length_len || memcmp(value, h->length, value_size)))
            h->length_differs = true;
        h->has_length = true;
        h->length = value;
        h->length_len = value_size;
    } else if (key_size == 17 && strncasecmp(key, "Transfer-Encoding", 17) == 0) {
        h->has_encoding = true;
        h->encoding = value;
        h->encoding_len = value_size;
    }
    return MHD_YES;
}

/* The refusal of a request from its head alone, into res (status 0 = none). `method` is the
 * handler's argument: the start of the head in libmicrohttpd's buffer. */
static void head_refusal(const sk_http_server *s, struct MHD_Connection *conn, const conn_watch *w,
                         const char *method, sk_http_response *res)
{
    head_check h;
    memset(&h, 0, sizeof(h));
    const union MHD_ConnectionInfo *hs =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    h.layout_known = hs && hidden_bytes_known();
    MHD_get_connection_values_n(conn, MHD_HEADER_KIND, head_header, &h);
    if (h.layout_known && !h.bad_seen && h.prev_end && hs &&
        !gap_clean(h.prev_end, method + hs->header_size, 2, 4))
        head_bad(&h, h.prev_key, h.prev_key_len);
    size_t uri_len = w ? atomic_load(&w->uri_len) : 0;
    if (uri_len > SK_HTTP_URL_MAX)
        sk_http_error(res, 414, SK_C_TOO_LONG, "url", "the URL is longer than %d bytes",
                      SK_HTTP_URL_MAX);
    else if (hs && hs->header_size > s->opt.max_header / 2)
        sk_http_error(res, 431, SK_C_TOO_LONG, "headers",
                      "the request line and headers are longer than %zu bytes",
                      s->opt.max_header / 2);
    else if (h.bad_seen)
        sk_http_error(res, 400, SK_C_HEADER, h.bad,
                      "the %s header holds a control character (a TAB, a NUL …) or is folded "
                      "onto the next line",
                      h.bad);
    else if (h.length_differs)
        sk_http_error(res, 400, SK_C_HEADER, "Content-Length",
                      "Content-Length is given twice with different values");
    else if (h.has_encoding && h.has_length)
        sk_http_error(res, 400, SK_C_HEADER, "Transfer-Encoding",
                      "Transfer-Encoding and Content-Length together");
    else if (h.has_encoding && !(h.encoding_len == 7 && strncasecmp(h.encoding, "chunked", 7) == 0))
        sk_http_error(res, 400, SK_C_HEADER, "Transfer-Encoding",
                      "the only Transfer-Encoding accepted is chunked");
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
        atomic_fetch_add(&s->in_flight, 1);
        *con_cls = ctx;
        /* the head is complete: the watchdog lets go of it, unless it has just closed it */
        conn_watch *w = watch_of(conn);
        if (w && atomic_exchange(&w->state, WATCH_BUSY) == WATCH_CLOSING) {
            atomic_store(&w->state, WATCH_CLOSING);
            return MHD_NO;
        }
        ctx->req = (sk_http_request){.method = method,
                                     .path = url,
                                     .request_id = ctx->id,
                                     .arena = ctx->arena,
                                     .app = s->app,
                                     .server = s,
                                     .conn = conn};
        ctx->res = (sk_http_response){.status = 0};
        sk_buf_init(&ctx->res.body, 64u << 20);
        head_refusal(s, conn, w, method, &ctx->res);
        if (ctx->res.status) {
            /* answered now, the body (if any) unread: libmicrohttpd then closes the
             * connection after the answer */
            ctx->early = true;
            return finish(conn, ctx);
        }
        const char *cl =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        long long n;
        if (cl && sk_parse_ll(cl, strlen(cl), 0, INT64_MAX, &n) == SK_OK &&
            (unsigned long long)n > s->opt.max_body)
            ctx->too_big = true;
        return MHD_YES;
    }
    if (ctx->early) {
        *upload_data_size = 0; /* refused from its head: the body is not kept */
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
    ctx->res.status = 500;
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
    (void)toe;
    sk_http_server *s = cls;
    request_ctx *ctx = *con_cls;
    conn_watch *w = watch_of(conn);
    if (w) { /* kept alive: the next request line is due within the idle timeout */
        atomic_store(&w->deadline_ms, now_ms() + (int64_t)s->opt.timeout_s * 1000);
        int busy = WATCH_BUSY;
        atomic_compare_exchange_strong(&w->state, &busy, WATCH_IDLE);
    }
    if (!ctx)
        return;
    sk_buf_deinit(&ctx->body);
    sk_buf_deinit(&ctx->res.body);
    sk_arena_free(ctx->arena);
    free(ctx);
    *con_cls = NULL;
    atomic_fetch_sub(&s->in_flight, 1);
}

/* ---- the header watchdog ---- */

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    sk_http_server *s = cls;
    conn_watch *w = *socket_context;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (!ci || !(w = calloc(1, sizeof(*w))))
            return; /* not watched: libmicrohttpd's idle timeout still applies */
        w->fd = ci->connect_fd;
        atomic_init(&w->state, WATCH_IDLE);
        atomic_init(&w->deadline_ms, now_ms() + (int64_t)s->opt.header_timeout_s * 1000);
        atomic_init(&w->uri_len, 0);
        pthread_mutex_lock(&s->watch_mu);
        w->next = s->watched;
        if (s->watched)
            s->watched->prev = w;
        s->watched = w;
        pthread_mutex_unlock(&s->watch_mu);
        *socket_context = w;
        return;
    }
    if (!w)
        return;
    pthread_mutex_lock(&s->watch_mu);
    if (w->prev)
        w->prev->next = w->next;
    else
        s->watched = w->next;
    if (w->next)
        w->next->prev = w->prev;
    pthread_mutex_unlock(&s->watch_mu);
    free(w);
    *socket_context = NULL;
}

/* Called when a request line has been read: the rest of the head is due within the header
 * timeout (or earlier, when the connection's first head was already due). */
static void *on_request_line(void *cls, const char *uri, struct MHD_Connection *conn)
{
    sk_http_server *s = cls;
    conn_watch *w = watch_of(conn);
    if (w) {
        int64_t due = now_ms() + (int64_t)s->opt.header_timeout_s * 1000;
        if (due < atomic_load(&w->deadline_ms))
            atomic_store(&w->deadline_ms, due);
        atomic_store(&w->uri_len, uri ? strlen(uri) : 0);
        int idle = WATCH_IDLE;
        atomic_compare_exchange_strong(&w->state, &idle, WATCH_HEAD);
    }
    return NULL;
}

static void *watchdog(void *arg)
{
    sk_http_server *s = arg;
    char answer[512], body[256];
    int bn = snprintf(body, sizeof(body),
                      "{\"error\":{\"code\":\"%s\",\"field\":\"\",\"message\":\"the request "
                      "line and headers did not arrive within %u s\"}}\n",
                      sk_code_name(SK_C_REQUEST_TIMEOUT), s->opt.header_timeout_s);
    int an = snprintf(answer, sizeof(answer),
                      "HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\n"
                      "Cache-Control: no-store\r\nConnection: close\r\nContent-Length: %d\r\n"
                      "\r\n%s",
                      bn, body);
    pthread_mutex_lock(&s->watch_mu);
    while (!s->watch_stop) {
        int64_t now = now_ms();
        for (conn_watch *w = s->watched; w; w = w->next) {
            int st = atomic_load(&w->state);
            if ((st != WATCH_IDLE && st != WATCH_HEAD) || atomic_load(&w->deadline_ms) > now ||
                !atomic_compare_exchange_strong(&w->state, &st, WATCH_CLOSING))
                continue;
            /* nothing of an answer has been written for this request: libmicrohttpd writes
             * only once the head is complete, which it is not */
            if (st == WATCH_HEAD && an > 0 &&
                send(w->fd, answer, (size_t)an, MSG_DONTWAIT | MSG_NOSIGNAL) > 0)
                sk_http_metrics_observe(sk_http_route_count() - 1, 408, 0);
            shutdown(w->fd, SHUT_RDWR); /* libmicrohttpd reads the end and closes */
            SK_INFO("closed a connection whose %s did not arrive in time",
                    st == WATCH_HEAD ? "request headers" : "request");
        }
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += 200 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&s->watch_cv, &s->watch_mu, &ts);
    }
    pthread_mutex_unlock(&s->watch_mu);
    return NULL;
}

static void watchdog_stop(sk_http_server *s)
{
    if (!s->watch_running)
        return;
    pthread_mutex_lock(&s->watch_mu);
    s->watch_stop = true;
    pthread_cond_signal(&s->watch_cv);
    pthread_mutex_unlock(&s->watch_mu);
    pthread_join(s->watch_thread, NULL);
    s->watch_running = false;
}

/* URL decoding that leaves control characters encoded (%00, %0A, %7F …), so that a NUL in a
 * path or a query value cannot cut it short and a newline cannot reach a log line: such a
 * value stays malformed and is refused as one. */
static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static size_t unescape(void *cls, struct MHD_Connection *conn, char *str)
{
    (void)cls;
    (void)conn;
    char *w = str;
    const char *r = str;
    while (*r) {
        int hi, lo;
        if (r[0] == '%' && (hi = hexval(r[1])) >= 0 && (lo = hexval(r[2])) >= 0 &&
            hi * 16 + lo >= 0x20 && hi * 16 + lo != 0x7F) {
            *w++ = (char)(hi * 16 + lo);
            r += 3;
            continue;
        }
        *w++ = *r++;
    }
    *w = '\0';
    return (size_t)(w - str);
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

/* libmicrohttpd's own messages go to our log (warn), but for the one about binding, which
 * sk_http_server_start reports itself with the address it was given. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    sk_http_server *s = cls;
    char msg[256];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    if (strncmp(msg, "Failed to bind", 14) == 0) {
        const char *why = strstr(msg, ": ");
        snprintf(s->bind_error, sizeof(s->bind_error), "%.120s", why ? why + 2 : msg);
        return;
    }
    SK_WARN("libmicrohttpd: %s", msg);
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
    if (!s->opt.header_timeout_s)
        s->opt.header_timeout_s = 10;
    if (!s->opt.max_connections)
        s->opt.max_connections = 1024;
    uint8_t rnd[4];
    sk_random_bytes(rnd, sizeof(rnd));
    sk_hex_encode(rnd, sizeof(rnd), s->id_prefix);

    /* a request waits in the queue only while every worker is busy; beyond that many it is
     * turned away with 503 rather than held without bound */
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&s->watch_mu, NULL);
    pthread_cond_init(&s->watch_cv, &ca);
    pthread_condattr_destroy(&ca);
    err = sk_workq_start(s->opt.workers, (size_t)s->opt.workers * 16, &s->workers, d);
    if (err) {
        pthread_cond_destroy(&s->watch_cv);
        pthread_mutex_destroy(&s->watch_mu);
        free(s);
        return err;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO |
                     MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->mhd = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned int)s->opt.threads, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)s->opt.max_header,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)s->opt.timeout_s, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned int)s->opt.max_connections, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_URI_LOG_CALLBACK,
        on_request_line, s, MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
    if (s->mhd && pthread_create(&s->watch_thread, NULL, watchdog, s) == 0)
        s->watch_running = true;
    if (!s->watch_running) {
        if (s->mhd)
            MHD_stop_daemon(s->mhd);
        sk_workq_stop(s->workers);
        pthread_cond_destroy(&s->watch_cv);
        pthread_mutex_destroy(&s->watch_mu);
        char why[128];
        snprintf(why, sizeof(why), "%s",
                 s->bind_error[0] ? s->bind_error : "in use or not allowed");
        free(s);
        return sk_diag_set(d, SK_C_IO, "listen", "cannot listen on %s: %s", opt->listen, why);
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
    watchdog_stop(s);
    MHD_stop_daemon(s->mhd); /* closes the connections left: the watch list empties */
    pthread_cond_destroy(&s->watch_cv);
    pthread_mutex_destroy(&s->watch_mu);
    free(s);
    return left;
}
