/* cmd_serve.c — `shikaku serve`: opens the store, loads the resident register, starts the
 * identity scheduler and the HTTP server, waits for SIGTERM or SIGINT (SIGHUP reloads the
 * resident register), then drains the requests in flight and exits 0 — or 8 when look-ups
 * were answered whose audit rows could not be written (a disk that failed meanwhile). */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/qualification.h"
#include "http/http.h"
#include "identity/identity.h"
#include "util/config.h"
#include "util/log.h"
#include "verify/oqs_exchange.h"
#include "verify/verify.h"

/* the text of a number macro, for the usage text */
#define STR_(x) #x
#define STR(x)  STR_(x)

const char sk_cli_serve_usage[] =
    "usage: shikaku serve --db PATH [--listen HOST:PORT] [--config FILE] [--threads N]\n\n"
    "Runs the shikaku daemon: the HTTP API and the operational endpoints\n"
    "  GET /healthz  the process answers\n"
    "  GET /readyz   the database answers (503 otherwise)\n"
    "  GET /metrics  Prometheus text: requests and latency per route, 届出 per state\n"
    "Prints 'listening on http://HOST:PORT' when ready. SIGTERM or SIGINT stops accepting\n"
    "connections, lets requests in flight finish (up to http.drain_ms) and exits 0. SIGHUP\n"
    "reloads the resident register (J-LIS file); a bad file keeps the old one.\n\n"
    "options (flags win over the config file; SHIKAKU_<KEY> environment variables win over it\n"
    "too, e.g. SHIKAKU_HTTP_THREADS=4):\n"
    "  --db PATH          database created by `shikaku init` (config: db)\n"
    "  --listen HOST:PORT default 127.0.0.1:8080; port 0 picks a free port (config: listen)\n"
    "  --config FILE      key = value file\n"
    "  --threads N        event-loop threads, default four per core, at most 64 (config:\n"
    "                     http.threads)\n"
    "config keys also: http.workers (threads for writes, default 64), http.max_body (bytes, "
    "default 1048576), http.max_header (bytes, default\n"
    "32768), http.timeout_s (default 30), http.header_timeout_s (a request's line and headers\n"
    "arrive within this, default 10), http.max_connections (default 1024), http.drain_ms\n"
    "(default 10000), registry.prefile_days (how far ahead of today a 届出's event date may\n"
    "lie, default 90, 0 = none),\n"
    "store.busy_timeout_ms (default 5000), store.mmap_mib (reads map up to\n"
    "this much of the database, one map for all threads, default 2560, -1 = off), log.level\n"
    "(default info),\n"
    "audit.lookup_log (the look-up log, default PATH.lookups), audit.flush_ms (look-up audit\n"
    "rows are durable within this, default 200, max 1000),\n"
    "audit.max_queue (rows waiting before look-ups are refused, default 65536),\n"
    "audit.durable_answers (a look-up is answered once its row is durable, default false;\n"
    "with it http.threads defaults to 16 per core, at most 64),\n"
    "audit.stop_timeout_ms (a stop retries failing look-up rows this long, default 5000),\n"
    "audit.checkpoint_ms (the look-up log's head into the registry's chain, default 60000),\n"
    "identity.jlis_file (resident register for 誤入力チェック and My Number acquisition;\n"
    "default PATH.jlis.csv beside the database when it exists, else both are off),\n"
    "identity.tick_ms (scheduler pass, default 60000), identity.reminder_days (届出 to 督促,\n"
    "default " STR(
        SK_IDENTITY_REMINDER_DAYS) "), identity.jlis_after_days (督促 to J-LIS, "
                                   "default " STR(
                                       SK_IDENTITY_JLIS_AFTER_DAYS) "),\n"
                                                                    "identity.retry_minutes (J-LIS "
                                                                    "unavailable: first retry, "
                                                                    "doubling, default " STR(
                                                                        SK_IDENTITY_RETRY_MINUTES) "),\n"
                                                                                                   "identity.max_attempts (then the employer is asked again, default " STR(
                                                                                                       SK_IDENTITY_MAX_ATTEMPTS) ")\n";

/* the usage text above writes the default out */
_Static_assert(SK_PREFILE_DAYS_DEFAULT == 90, "registry.prefile_days default in the usage");

int sk_cli_serve(int argc, char **argv)
{
    const char *db = NULL, *listen = NULL, *config = NULL, *threads = NULL;
    sk_cli_flag flags[] = {{"--db", &db},
                           {"--listen", &listen},
                           {"--config", &config},
                           {"--threads", &threads},
                           {NULL, NULL}};
    int frc = sk_cli_flags(argc, argv, 1, flags, sk_cli_serve_usage, "serve");
    if (frc)
        return frc;

    int rc = SK_EXIT_OK;
    sk_diag d;
    sk_diag_clear(&d);
    sk_store *store = NULL, *log = NULL;
    sk_http_server *srv = NULL;
    sk_lookup_audit *audit = NULL;
    sk_oqs_bulk *bulk = NULL;
    sk_jlis *jlis = NULL;
    sk_registry *registry = NULL;
    sk_identity *identity = NULL;
    char jlis_default[4096], log_default[4096];
    sk_config *cfg = sk_config_alloc();
    if (!cfg)
        return SK_EXIT_INTERNAL;
    if ((config && sk_config_load_file(cfg, config, &d) != SK_OK) ||
        (db && sk_config_set(cfg, "db", db) != SK_OK) ||
        (listen && sk_config_set(cfg, "listen", listen) != SK_OK) ||
        (threads && sk_config_set(cfg, "http.threads", threads) != SK_OK)) {
        rc = d.err ? sk_cli_fail(&d) : SK_EXIT_USAGE;
        goto out;
    }
    long long n_threads, n_workers, max_body, max_header, timeout_s, max_conn, drain_ms, busy_ms,
        audit_ms, audit_queue, audit_stop_ms, audit_cp_ms, mmap_mib, tick_ms, reminder_days,
        jlis_days, retry_min, max_attempts, header_timeout_s, prefile_days;
    bool durable_answers = false;
    char key_path[4096];
    sk_log_level level;
    const char *lvl = sk_config_get(cfg, "log.level", "info");
    if (sk_log_level_parse(lvl, &level) != SK_OK) {
        sk_diag_set(&d, SK_C_CONFIG_VALUE, "log.level", "must be debug, info, warn, error or off");
        rc = sk_cli_fail(&d);
        goto out;
    }
    sk_log_set_level(level);
    if (sk_config_get_int(cfg, "http.threads", 0, 0, 256, &n_threads, &d) ||
        sk_config_get_int(cfg, "http.workers", 64, 1, 1024, &n_workers, &d) ||
        sk_config_get_int(cfg, "http.max_body", 1 << 20, 1024, 256LL << 20, &max_body, &d) ||
        sk_config_get_int(cfg, "http.max_header", 32 << 10, 4096, 1 << 20, &max_header, &d) ||
        sk_config_get_int(cfg, "http.timeout_s", 30, 1, 3600, &timeout_s, &d) ||
        sk_config_get_int(cfg, "http.max_connections", 1024, 1, 65536, &max_conn, &d) ||
        sk_config_get_int(cfg, "http.drain_ms", 10000, 0, 600000, &drain_ms, &d) ||
        sk_config_get_int(cfg, "store.busy_timeout_ms", 5000, 0, 600000, &busy_ms, &d) ||
        sk_config_get_int(cfg, "store.mmap_mib", SK_STORE_MMAP_MIB_DEFAULT, -1, 1 << 20, &mmap_mib,
                          &d) ||
        sk_config_get_int(cfg, "audit.flush_ms", 200, 10, 1000, &audit_ms, &d) ||
        sk_config_get_int(cfg, "audit.max_queue", 65536, 1024, 1 << 22, &audit_queue, &d) ||
        sk_config_get_bool(cfg, "audit.durable_answers", false, &durable_answers, &d) ||
        sk_config_get_int(cfg, "audit.stop_timeout_ms", 5000, 100, 600000, &audit_stop_ms, &d) ||
        sk_config_get_int(cfg, "audit.checkpoint_ms", 60000, 1000, 86400000, &audit_cp_ms, &d) ||
        sk_config_get_int(cfg, "identity.tick_ms", 60000, 100, 86400000, &tick_ms, &d) ||
        sk_config_get_int(cfg, "identity.reminder_days", SK_IDENTITY_REMINDER_DAYS, 1, 365,
                          &reminder_days, &d) ||
        sk_config_get_int(cfg, "identity.jlis_after_days", SK_IDENTITY_JLIS_AFTER_DAYS, 1, 365,
                          &jlis_days, &d) ||
        sk_config_get_int(cfg, "identity.retry_minutes", SK_IDENTITY_RETRY_MINUTES, 1, 10080,
                          &retry_min, &d) ||
        sk_config_get_int(cfg, "identity.max_attempts", SK_IDENTITY_MAX_ATTEMPTS, 1, 100,
                          &max_attempts, &d) ||
        sk_config_get_int(cfg, "http.header_timeout_s", 10, 1, 3600, &header_timeout_s, &d) ||
        sk_config_get_int(cfg, "registry.prefile_days", SK_PREFILE_DAYS_DEFAULT, 0,
                          SK_PREFILE_DAYS_MAX, &prefile_days, &d)) {
        rc = sk_cli_fail(&d);
        goto out;
    }
    if (durable_answers && !n_threads) {
        /* an answer waits for its row's fdatasync on its event loop: a batch holds at most one
         * row per loop, so more loops make fewer, larger batches (docs/performance.md "Durable
         * answers": 32 loops for 32 connections gave twice the look-ups of 8) */
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        n_threads = ncpu > 0 && ncpu < 4 ? 16 * ncpu : 64;
    }
    const char *dbpath = sk_config_get(cfg, "db", NULL);
    if ((rc = sk_cli_need(dbpath, "--db PATH", sk_cli_serve_usage, "serve")))
        goto out;
    sk_store_options so = {.dsn = dbpath,
                           .key_file = sk_config_get(cfg, "key_file", NULL),
                           .sqlite.busy_timeout_ms = (int)busy_ms,
                           .sqlite.mmap_mib = (int)mmap_mib};
    if (sk_store_open(&so, &store, &d) != SK_OK) {
        rc = sk_cli_fail(&d);
        goto out;
    }
    /* the look-ups' audit rows go to a file of their own (store.h SK_STORE_LOOKUP_LOG) */
    const char *log_path = sk_config_get(cfg, "audit.lookup_log", NULL);
    if (!log_path && !sk_store_lookup_log_path(dbpath, log_default, sizeof(log_default))) {
        sk_diag_set(&d, SK_C_CONFIG_VALUE, "db", "database path too long");
        rc = sk_cli_fail(&d);
        goto out;
    }
    /* the registry's key file keys the look-up log's anchor too */
    if (sk_store_key_file(&so, key_path, sizeof(key_path), &d) != SK_OK) {
        rc = sk_cli_fail(&d);
        goto out;
    }
    sk_store_options lo = {.dsn = log_path ? log_path : log_default,
                           .key_file = key_path,
                           .kind = SK_STORE_LOOKUP_LOG,
                           .sqlite.busy_timeout_ms = (int)busy_ms,
                           .sqlite.mmap_mib = -1};
    if (sk_store_open(&lo, &log, &d) != SK_OK) {
        rc = sk_cli_fail(&d);
        goto out;
    }

    /* what cannot be done from the start is said at the start (and on /readyz) */
    sk_store *stores[] = {store, log};
    for (int i = 0; i < 2; i++) {
        sk_diag hd;
        sk_diag_clear(&hd);
        if (sk_store_health(stores[i], &hd) != SK_OK)
            SK_ERROR("%s: %s %s (%s)", i ? "look-up log" : "registry database",
                     sk_code_name(hd.code), hd.message,
                     hd.code == SK_C_AUDIT_ANCHOR
                         ? "the anchor is left as it is; run `shikaku audit verify`"
                         : "answering what can be read; writes are refused");
    }

    /* block the stop signals before any thread starts: workers inherit the mask and the main
     * thread takes them synchronously with sigwait */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    sk_registry_options ro = {.prefile_days = prefile_days ? (int)prefile_days : -1};
    if (sk_registry_open_with(store, &ro, &registry, &d) != SK_OK) {
        rc = sk_cli_fail(&d);
        goto out;
    }
    sk_app app = {.store = store, .registry = registry, .clock = sk_clock_system()};
    sk_lookup_audit_options ao = {.flush_ms = (unsigned)audit_ms,
                                  .max_queue = (size_t)audit_queue,
                                  .durable = durable_answers,
                                  .stop_timeout_ms = (unsigned)audit_stop_ms,
                                  .registry = store,
                                  .checkpoint_ms = (unsigned)audit_cp_ms};
    if (sk_lookup_audit_start(log, app.clock, &ao, &audit, &d) != SK_OK) {
        rc = sk_cli_fail(&d);
        goto out;
    }
    app.audit = audit;
    if (sk_oqs_bulk_start(store, audit, app.clock, &bulk, &d) != SK_OK) {
        rc = sk_cli_fail(&d);
        goto out;
    }
    app.bulk = bulk;

    /* identity: the resident register (J-LIS), the 誤入力チェック on every registration and the
     * acquisition scheduler */
    const char *jlis_path = sk_config_get(cfg, "identity.jlis_file", NULL);
    if (!jlis_path && sk_jlis_default_path(dbpath, jlis_default, sizeof(jlis_default)))
        jlis_path = jlis_default;
    /* a register that cannot be read now is J-LIS unavailable, not a reason to stay down
     * (read again at every scheduler pass); one with a bad line is a mistake: refused */
    if (jlis_path && sk_jlis_file_attach(jlis_path, &jlis, &d) != SK_OK) {
        rc = sk_cli_fail(&d);
        goto out;
    }
    sk_identity_options io = {.reminder_after_ms = reminder_days * SK_MS_PER_DAY,
                              .jlis_after_ms = jlis_days * SK_MS_PER_DAY,
                              .retry_ms = retry_min * 60000LL,
                              .max_attempts = (int)max_attempts};
    if (sk_identity_alloc(registry, jlis, app.clock, &io, &identity, &d) != SK_OK) {
        rc = sk_cli_fail(&d);
        goto out;
    }
    app.identity = identity;
    if (jlis) {
        sk_identity_install(identity);
        if (sk_identity_start(identity, tick_ms, &d) != SK_OK) {
            rc = sk_cli_fail(&d);
            goto out;
        }
        sk_diag jd;
        sk_diag_clear(&jd);
        if (sk_jlis_health(jlis, &jd) != SK_OK)
            SK_WARN("%s: J-LIS is unavailable until it can be read (a 届出 to check meanwhile "
                    "waits, its record not shown: W11.4)",
                    jd.message);
        else
            SK_INFO("resident register %s: %zu residents; 誤入力チェック on", jlis_path,
                    sk_jlis_count(jlis));
    } else {
        SK_WARN("no resident register (identity.jlis_file): 誤入力チェック and My Number "
                "acquisition from J-LIS are off");
    }
    sk_http_options ho = {.listen = sk_config_get(cfg, "listen", "127.0.0.1:8080"),
                          .threads = (unsigned)n_threads,
                          .workers = (unsigned)n_workers,
                          .max_body = (size_t)max_body,
                          .max_header = (size_t)max_header,
                          .timeout_s = (unsigned)timeout_s,
                          .header_timeout_s = (unsigned)header_timeout_s,
                          .max_connections = (unsigned)max_conn};
    if (sk_http_server_start(&ho, &app, &srv, &d) != SK_OK) {
        rc = sk_cli_fail(&d);
        goto out;
    }
    const char *host = ho.listen;
    const char *colon = strrchr(host, ':');
    printf("listening on http://%.*s:%u\n", (int)(colon - host), host,
           (unsigned)sk_http_server_port(srv));
    fflush(stdout);
    SK_INFO("serving %s on %s (schema %d)", dbpath, ho.listen, sk_store_schema_version(store));

    int sig = 0;
    while (sigwait(&stop, &sig) == 0 && sig == SIGHUP) {
        if (jlis)
            sk_identity_request_reload(identity);
        else
            SK_WARN("SIGHUP: no resident register to reload");
    }
    SK_INFO("signal %d: draining %u request(s) in flight", sig, sk_http_server_in_flight(srv));
    unsigned left = sk_http_server_stop(srv, (unsigned)drain_ms);
    srv = NULL;
    if (left)
        SK_WARN("%u request(s) still in flight after %lld ms; closed", left, drain_ms);
    SK_INFO("stopped");
out:
    sk_http_server_stop(srv, 0);
    sk_identity_free(identity); /* stops the scheduler; a pass in progress finishes first */
    sk_jlis_free(jlis);
    sk_oqs_bulk_stop(bulk); /* a request it was answering is answered again at start */
    /* after the server: the last look-ups' rows are written (or, on a failing disk, given up
     * on after audit.stop_timeout_ms and counted) */
    uint64_t unrecorded = sk_lookup_audit_stop(audit);
    if (unrecorded) {
        fprintf(stderr,
                "shikaku serve: %llu look-up(s) were answered but their audit rows could not be "
                "written (see the log); exit %d\n",
                (unsigned long long)unrecorded, SK_EXIT_UNRECORDED);
        if (rc == SK_EXIT_OK)
            rc = SK_EXIT_UNRECORDED;
    }
    sk_registry_free(registry); /* after the services opened over it */
    sk_store_close(log);
    sk_store_close(store);
    sk_config_free(cfg);
    return rc;
}
