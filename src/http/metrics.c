/* metrics.c — request counters and latency histograms per route, lock-free (atomics), rendered
 * in the Prometheus text format. */
#include <stdatomic.h>
#include <stdio.h>

#include "http/http_int.h"

/* Upper bounds in seconds; the last bucket is +Inf. */
static const double bucket_le[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                   0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
#define NBUCKETS (sizeof(bucket_le) / sizeof(bucket_le[0]))

typedef struct series {
    _Atomic uint64_t by_class[6]; /* 1xx … 5xx, index = status / 100 */
    _Atomic uint64_t buckets[NBUCKETS + 1];
    _Atomic uint64_t sum_ns;
    _Atomic uint64_t count;
} series;

static series g_series[SK_HTTP_ROUTES_MAX];

void sk_http_metrics_observe(int route, unsigned status, int64_t duration_ns)
{
    if (route < 0 || route >= SK_HTTP_ROUTES_MAX)
        return;
    series *s = &g_series[route];
    unsigned cls = status / 100;
    if (cls > 5)
        cls = 5;
    atomic_fetch_add(&s->by_class[cls], 1);
    double secs = (double)duration_ns / 1e9;
    size_t b = 0;
    while (b < NBUCKETS && secs > bucket_le[b])
        b++;
    atomic_fetch_add(&s->buckets[b], 1);
    atomic_fetch_add(&s->sum_ns, (uint64_t)(duration_ns > 0 ? duration_ns : 0));
    atomic_fetch_add(&s->count, 1);
}

sk_err sk_http_metrics_render(sk_buf *out, unsigned in_flight)
{
    sk_err err = SK_OK;
#define EMIT(...)                                                                                  \
    do {                                                                                           \
        if (!err)                                                                                  \
            err = sk_buf_printf(out, __VA_ARGS__);                                                 \
    } while (0)
    EMIT("# HELP shikaku_http_requests_total HTTP requests by route and status class.\n"
         "# TYPE shikaku_http_requests_total counter\n");
    for (int r = 0; r < sk_http_route_count(); r++) {
        for (int c = 1; c <= 5; c++) {
            uint64_t v = atomic_load(&g_series[r].by_class[c]);
            if (v)
                EMIT("shikaku_http_requests_total{route=\"%s\",code=\"%dxx\"} %llu\n",
                     sk_http_route_name(r), c, (unsigned long long)v);
        }
    }
    EMIT("# HELP shikaku_http_request_duration_seconds Time from the first byte of a request "
         "to its response.\n"
         "# TYPE shikaku_http_request_duration_seconds histogram\n");
    for (int r = 0; r < sk_http_route_count(); r++) {
        series *s = &g_series[r];
        uint64_t count = atomic_load(&s->count);
        if (!count)
            continue;
        uint64_t cum = 0;
        for (size_t b = 0; b <= NBUCKETS; b++) {
            cum += atomic_load(&s->buckets[b]);
            if (b < NBUCKETS)
                EMIT("shikaku_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} "
                     "%llu\n",
                     sk_http_route_name(r), bucket_le[b], (unsigned long long)cum);
            else
                EMIT("shikaku_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} "
                     "%llu\n",
                     sk_http_route_name(r), (unsigned long long)cum);
        }
        EMIT("shikaku_http_request_duration_seconds_sum{route=\"%s\"} %.9f\n",
             sk_http_route_name(r), (double)atomic_load(&s->sum_ns) / 1e9);
        EMIT("shikaku_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
             sk_http_route_name(r), (unsigned long long)count);
    }
    EMIT("# HELP shikaku_http_requests_in_flight Requests being processed.\n"
         "# TYPE shikaku_http_requests_in_flight gauge\n"
         "shikaku_http_requests_in_flight %u\n",
         in_flight);
#undef EMIT
    return err;
}
