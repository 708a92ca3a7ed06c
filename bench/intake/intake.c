/* intake.c — load generator for bench/intake: C concurrent clients, each on its own keep-alive
 * loopback connection, POST 資格取得届 (each with a fresh, valid My Number, so each is
 * registered, not just queued) for S seconds and count the acknowledged ones (HTTP 201).
 * Also measures the disk's fsync rate in DIR for comparison.
 *   usage: intake PORT TOKEN SECONDS CLIENTS SERIAL_BASE
 *          intake --fsync DIR SECONDS
 *          intake --register FILE SERIAL_BASE CLIENTS PER_CLIENT
 * --register appends to a resident register (identity/jlis.h format) the persons the clients
 * of one level will file (the first PER_CLIENT of each), so that the daemon's 誤入力チェック
 * finds them as in production (一致) instead of taking the not-found path every time.
 * Prints one line: "clients=C acked=N seconds=S rate=R/s p50_ms=… p99_ms=… errors=E". */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/checkdigit.h"

static int port;
static const char *token;
static double seconds;
static long long serial_base;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct client {
    int id;
    long acked, errors;
    double *lat;
    long nlat, caplat;
} client;

static int dial(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads one HTTP response; returns its status or -1. */
static int read_response(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    char *hdr_end = NULL;
    while (!hdr_end) {
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r <= 0)
            return -1;
        n += (size_t)r;
        buf[n] = '\0';
        hdr_end = strstr(buf, "\r\n\r\n");
        if (!hdr_end && n >= cap - 1)
            return -1;
    }
    int status = atoi(buf + 9);
    char *cl = strcasestr(buf, "Content-Length:");
    size_t body = cl ? (size_t)strtoul(cl + 15, NULL, 10) : 0;
    size_t have = n - (size_t)(hdr_end + 4 - buf);
    while (have < body) {
        ssize_t r = read(fd, buf, cap - 1);
        if (r <= 0)
            return -1;
        have += (size_t)r;
    }
    return status;
}

/* The person a client files as its k-th 届出: one serial, one My Number. */
#define PERSON_FMT "負荷　%lld"
static long long serial_of(int client_id, long long k)
{
    return serial_base + (long long)client_id * 100000000LL + k;
}

static void mynumber_of(long long serial, char mn[24])
{
    snprintf(mn, 24, "%011lld", 10000000000LL + serial % 89999999999LL);
    mn[11] = (char)('0' + sk_checkdigit_mynumber(mn));
    mn[12] = '\0';
}

static int write_register(const char *path, int clients, long long per_client)
{
    FILE *f = fopen(path, "a");
    if (!f)
        return 1;
    char mn[24];
    for (int c = 0; c < clients; c++)
        for (long long k = 0; k < per_client; k++) {
            long long serial = serial_of(c, k);
            mynumber_of(serial, mn);
            fprintf(f, "%s," PERSON_FMT ",フカ,1990-04-01,1,東京都,,\n", mn, serial);
        }
    return fclose(f) == 0 ? 0 : 1;
}

static void *run(void *p)
{
    client *c = p;
    char body[1024], req[2048], res[16384], mn[24];
    int fd = dial();
    double end = now_s() + seconds;
    long long k = 0;
    while (fd >= 0 && now_s() < end) {
        long long serial = serial_of(c->id, k++);
        mynumber_of(serial, mn);
        int bl = snprintf(body, sizeof(body),
                          "{\"kind\":\"acquisition\",\"name\":\"" PERSON_FMT "\",\"kana\":\"フカ\","
                          "\"birthdate\":\"1990-04-01\",\"sex\":\"1\",\"address\":\"東京都\","
                          "\"acquired_on\":\"2026-04-01\",\"mynumber\":\"%s\"}",
                          serial, mn);
        int rl = snprintf(req, sizeof(req),
                          "POST /v1/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                          "Idempotency-Key: bench-%lld\r\nContent-Length: %d\r\n\r\n%s",
                          token, serial, bl, body);
        double t0 = now_s();
        if (write(fd, req, (size_t)rl) != rl) {
            c->errors++;
            close(fd);
            fd = dial();
            continue;
        }
        int st = read_response(fd, res, sizeof(res));
        double dt = now_s() - t0;
        if (st == 201) {
            c->acked++;
            if (c->nlat == c->caplat) {
                long cap = c->caplat ? c->caplat * 2 : 4096;
                double *lat = realloc(c->lat, (size_t)cap * sizeof(double));
                if (!lat) { /* out of memory: this client stops, its figures so far stand */
                    c->errors++;
                    break;
                }
                c->lat = lat;
                c->caplat = cap;
            }
            c->lat[c->nlat++] = dt;
        } else {
            c->errors++;
            if (st < 0) {
                close(fd);
                fd = dial();
            }
        }
    }
    if (fd >= 0)
        close(fd);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int fsync_rate(const char *dir, double secs)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/fsync.probe", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return 1;
    long n = 0;
    double t0 = now_s(), end = t0 + secs;
    char b[4096] = {0};
    while (now_s() < end) {
        if (pwrite(fd, b, sizeof(b), (off_t)((n % 256) * 4096)) != (ssize_t)sizeof(b) ||
            fsync(fd) != 0)
            return 1;
        n++;
    }
    double el = now_s() - t0;
    close(fd);
    unlink(path);
    printf("fsync_rate=%.0f/s\n", (double)n / el);
    return 0;
}

int main(int argc, char **argv)
{
    /* a connection the daemon closed (its idle or header timeout, a restart) is an error to
     * count and a reconnect, not a silent death by SIGPIPE with no figures printed */
    signal(SIGPIPE, SIG_IGN);
    if (argc == 4 && strcmp(argv[1], "--fsync") == 0)
        return fsync_rate(argv[2], atof(argv[3]));
    if (argc == 6 && strcmp(argv[1], "--register") == 0) {
        serial_base = atoll(argv[3]);
        return write_register(argv[2], atoi(argv[4]), atoll(argv[5]));
    }
    if (argc != 6) {
        fprintf(stderr, "usage: intake PORT TOKEN SECONDS CLIENTS SERIAL_BASE\n"
                        "       intake --fsync DIR SECONDS\n"
                        "       intake --register FILE SERIAL_BASE CLIENTS PER_CLIENT\n");
        return 2;
    }
    port = atoi(argv[1]);
    token = argv[2];
    seconds = atof(argv[3]);
    int n = atoi(argv[4]);
    serial_base = atoll(argv[5]);
    if (n < 1 || n > 256 || seconds <= 0 || seconds > 120)
        return 2;
    client *cs = calloc((size_t)n, sizeof(*cs));
    pthread_t *ts = calloc((size_t)n, sizeof(*ts));
    if (!cs || !ts) {
        fprintf(stderr, "intake: out of memory\n");
        return 1;
    }
    double t0 = now_s();
    for (int i = 0; i < n; i++) {
        cs[i].id = i;
        pthread_create(&ts[i], NULL, run, &cs[i]);
    }
    long acked = 0, errors = 0, nl = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(ts[i], NULL);
        acked += cs[i].acked;
        errors += cs[i].errors;
        nl += cs[i].nlat;
    }
    double el = now_s() - t0;
    double *all = malloc((size_t)(nl ? nl : 1) * sizeof(double));
    long k = 0;
    for (int i = 0; i < n; i++)
        for (long j = 0; j < cs[i].nlat; j++)
            all[k++] = cs[i].lat[j];
    qsort(all, (size_t)nl, sizeof(double), cmp);
    printf("clients=%d acked=%ld seconds=%.2f rate=%.0f/s p50_ms=%.2f p99_ms=%.2f errors=%ld\n", n,
           acked, el, (double)acked / el, nl ? all[nl / 2] * 1e3 : 0.0,
           nl ? all[(long)((double)nl * 0.99)] * 1e3 : 0.0, errors);
    for (int i = 0; i < n; i++)
        free(cs[i].lat);
    free(all);
    free(cs);
    free(ts);
    return 0;
}
