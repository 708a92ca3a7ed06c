/* lookup.c — the eligibility look-up alone, without HTTP or a load generator: runs
 * sk_verify_lookup over random keys of the generator's sample on T threads for S seconds and
 * prints look-ups per second and CPU microseconds per look-up. It isolates the store and the
 * decision from the network so that a change to them can be measured in a few seconds with
 * little noise (bench/eligibility/run.sh measures the whole daemon).
 *   usage: lookup DB KEYS_FILE [SECONDS (default 3)] [THREADS (default 1)] [--audit]
 * --audit also queues every look-up's audit row for the look-up log (DB.lookups), as the
 * daemon does. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/date.h"
#include "util/clock.h"
#include "verify/verify.h"

typedef struct key {
    char ins[16], sym[64], num[64], br[8], birth[16];
} key;

static key *keys;
static size_t nkeys;
static double seconds = 3;
static sk_store *store, *lookup_log; /* the registry; the look-up log (--audit) */
static sk_lookup_audit *audit;
static sk_date today;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int load_keys(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t cap = 0;
    char line[512];
    while (fgets(line, sizeof(line), f)) {
        if (nkeys == cap) {
            cap = cap ? cap * 2 : 1024;
            key *k = realloc(keys, cap * sizeof(*k));
            if (!k) {
                fclose(f);
                return -1;
            }
            keys = k;
        }
        key *k = &keys[nkeys];
        memset(k, 0, sizeof(*k));
        char *fields[5] = {k->ins, k->sym, k->num, k->br, k->birth};
        size_t sizes[5] = {sizeof(k->ins), sizeof(k->sym), sizeof(k->num), sizeof(k->br),
                           sizeof(k->birth)};
        char *p = line;
        int i = 0;
        for (; i < 5 && p; i++) {
            char *end = strpbrk(p, "\t\n");
            size_t n = end ? (size_t)(end - p) : strlen(p);
            if (n >= sizes[i])
                break;
            memcpy(fields[i], p, n);
            p = end && *end == '\t' ? end + 1 : NULL;
        }
        if (i == 5)
            nkeys++;
    }
    fclose(f);
    return nkeys ? 0 : -1;
}

typedef struct result {
    unsigned long long n, found, failed;
    uint64_t seed; /* thread i asks the same keys in the same order in every run and build */
} result;

static void *worker(void *arg)
{
    result *r = arg;
    uint64_t rng = 0x9E3779B97F4A7C15ull ^ (r->seed * 0xD1B54A32D192ED03ull);
    sk_principal who = {.id = 1, .role = SK_ROLE_INSTITUTION};
    snprintf(who.scope, sizeof(who.scope), "0110113719");
    static _Thread_local sk_verify_answer a;
    double end = now_s() + seconds;
    while (now_s() < end) {
        for (int i = 0; i < 64; i++) {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            const key *k = &keys[rng % nkeys];
            sk_verify_fields f = {.insurer_number = k->ins,
                                  .symbol = k->sym,
                                  .number = k->num,
                                  .branch = k->br,
                                  .birthdate = k->birth,
                                  .limit_consent = "true"};
            sk_verify_query q;
            sk_diag d;
            sk_diag_clear(&d);
            if (sk_verify_query_parse(&f, today, &q, &d) ||
                sk_verify_lookup(store, audit, &who, &q, &a, &d)) {
                if (!r->failed++)
                    fprintf(stderr, "lookup: %s %s\n", sk_code_name(d.code), d.message);
            } else if (a.validity == SK_VALIDITY_VALID) {
                r->found++;
            }
            r->n++;
        }
    }
    return NULL;
}

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: lookup DB KEYS_FILE [SECONDS] [THREADS] [--audit]\n");
        return 2;
    }
    int threads = 1;
    bool with_audit = false;
    int pos = 0;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--audit") == 0)
            with_audit = true;
        else if (pos++ == 0)
            seconds = atof(argv[i]);
        else
            threads = atoi(argv[i]);
    }
    if (seconds <= 0 || threads < 1 || threads > 64) {
        fprintf(stderr, "lookup: SECONDS must be positive and THREADS 1..64\n");
        return 2;
    }
    if (load_keys(argv[2])) {
        fprintf(stderr, "lookup: cannot read keys from %s\n", argv[2]);
        return 1;
    }
    sk_diag d;
    sk_diag_clear(&d);
    sk_store_options o = {.dsn = argv[1]};
    sk_clock *clock = sk_clock_system();
    today = sk_date_from_unix_ms(sk_clock_now_ms(clock));
    char log_path[4096];
    sk_store_options lo = {.dsn = log_path, .kind = SK_STORE_LOOKUP_LOG, .sqlite.mmap_mib = -1};
    if (sk_store_open(&o, &store, &d) ||
        (with_audit && (!sk_store_lookup_log_path(argv[1], log_path, sizeof(log_path)) ||
                        sk_store_open(&lo, &lookup_log, &d) ||
                        sk_lookup_audit_start(lookup_log, clock, NULL, &audit, &d)))) {
        fprintf(stderr, "lookup: %s %s\n", sk_code_name(d.code), d.message);
        return 1;
    }
    result r[64];
    memset(r, 0, sizeof(r));
    pthread_t t[64];
    double c0 = cpu_s(), t0 = now_s();
    for (int i = 0; i < threads; i++) {
        r[i].seed = (uint64_t)i + 1;
        pthread_create(&t[i], NULL, worker, &r[i]);
    }
    result all = {0};
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        all.n += r[i].n;
        all.found += r[i].found;
        all.failed += r[i].failed;
    }
    double el = now_s() - t0;
    if (audit) /* the rows still queued are part of the look-ups' cost */
        sk_lookup_audit_stop(audit);
    double cpu = cpu_s() - c0;
    sk_store_close(lookup_log);
    sk_store_close(store);
    printf("lookups=%llu valid=%llu failed=%llu threads=%d rate=%.0f/s cpu_per_lookup_us=%.2f\n",
           all.n, all.found, all.failed, threads, (double)all.n / el, cpu * 1e6 / (double)all.n);
    free(keys);
    return all.failed ? 1 : 0;
}
