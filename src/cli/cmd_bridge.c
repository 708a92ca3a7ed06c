/* cmd_bridge.c — `shikaku bridge`: the clinic-side folder exchange (src/bridge). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "access/access.h"
#include "bridge/bridge.h"
#include "cli/cli.h"
#include "util/crypto.h"
#include "util/log.h"

const char sk_cli_bridge_usage[] =
    "usage: shikaku bridge --dir PATH --server URL --token-file FILE [--once]\n\n"
    "Serves an OQS request/result folder for a clinic's レセコン: each file written to\n"
    "PATH/req/ (<prefix>req_<id>.xml, UTF-8 or Shift_JIS) is sent to the shikaku server at\n"
    "URL (POST /oqs/v1/xml) and its answer written to PATH/res/<prefix>res_<id>.xml; a file the\n"
    "server refuses gets PATH/res/<prefix>req_<id>.err (an OQS result with SegmentOfResult 9,\n"
    "docs/oqs.md). Answers are written whole (temporary name, then rename) and never rewritten;\n"
    "a request is removed only after its answer is on disk, so stopping or crashing loses\n"
    "nothing and a restart does not answer a file twice. An unreachable or busy server is\n"
    "retried (1 s doubling to 60 s). SIGTERM or SIGINT stops after the file in hand.\n\n"
    "  --dir PATH         the shared folder (holds req/; res/ is created)\n"
    "  --server URL       e.g. http://127.0.0.1:8080\n"
    "  --token-file FILE  the institution's API token (skt_…), mode 0600\n"
    "  --once             handle what req/ holds now, then exit (exit 1 if any must be retried)\n";

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

/* The token: one line "skt_…", in a file only its owner may read. */
static sk_err read_token(const char *path, char out[SK_TOKEN_LEN + 1], sk_diag *d)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sk_diag_set(d, SK_C_TOKEN_FILE, "token-file", "%s: %s", path, strerror(errno));
    struct stat st;
    char buf[256];
    ssize_t n = -1;
    sk_err err = SK_OK;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        err = sk_diag_set(d, SK_C_TOKEN_FILE, "token-file", "%s is not a regular file", path);
    else if (st.st_mode & (S_IRWXG | S_IRWXO))
        err = sk_diag_set(d, SK_C_TOKEN_FILE, "token-file",
                          "%s is readable by others than its owner (chmod 600 it)", path);
    else
        n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (err)
        return err;
    if (n < 0)
        n = 0;
    buf[n] = '\0';
    size_t len = strcspn(buf, "\r\n");
    if (len != SK_TOKEN_LEN || strncmp(buf, SK_TOKEN_PREFIX, 4) != 0) {
        sk_secure_zero(buf, sizeof(buf));
        return sk_diag_set(d, SK_C_TOKEN_FILE, "token-file",
                           "%s does not hold one skt_ token on its first line", path);
    }
    memcpy(out, buf, SK_TOKEN_LEN);
    out[SK_TOKEN_LEN] = '\0';
    sk_secure_zero(buf, sizeof(buf));
    return SK_OK;
}

int sk_cli_bridge(int argc, char **argv)
{
    bool once = false;
    int kept = 1;
    for (int i = 1; i < argc; i++) { /* --once takes no value */
        if (strcmp(argv[i], "--once") == 0)
            once = true;
        else
            argv[kept++] = argv[i];
    }
    argc = kept;
    const char *dir = NULL, *server = NULL, *token_file = NULL;
    sk_cli_flag flags[] = {
        {"--dir", &dir}, {"--server", &server}, {"--token-file", &token_file}, {NULL, NULL}};
    int rc = sk_cli_flags(argc, argv, 1, flags, sk_cli_bridge_usage, "bridge");
    if (rc || (rc = sk_cli_need(dir, "--dir PATH", sk_cli_bridge_usage, "bridge")) ||
        (rc = sk_cli_need(server, "--server URL", sk_cli_bridge_usage, "bridge")) ||
        (rc = sk_cli_need(token_file, "--token-file FILE", sk_cli_bridge_usage, "bridge")))
        return rc;

    sk_diag d;
    sk_diag_clear(&d);
    char token[SK_TOKEN_LEN + 1];
    sk_bridge_http *http = NULL;
    sk_bridge *b = NULL;
    if (read_token(token_file, token, &d) || sk_bridge_http_alloc(server, token, &http, &d) ||
        sk_bridge_open(dir, sk_bridge_http_send, http, &b, &d)) {
        sk_secure_zero(token, sizeof(token));
        sk_bridge_http_free(http);
        return sk_cli_fail(&d);
    }
    sk_secure_zero(token, sizeof(token));

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal; /* no SA_RESTART: the wait returns at once */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    SK_INFO("bridge: serving %s for %s", dir, server);
    if (!once) {
        printf("bridge serving %s\n", dir);
        fflush(stdout);
    }
    sk_err err = sk_bridge_run(b, &stop_flag, once, &d);
    sk_bridge_stats st = sk_bridge_get_stats(b);
    SK_INFO("bridge: stopped: %llu answered, %llu rejected (.err), %llu already answered, "
            "%llu retries",
            (unsigned long long)st.answered, (unsigned long long)st.rejected,
            (unsigned long long)st.done, (unsigned long long)st.retried);
    if (once)
        printf("answered %llu, rejected %llu, already answered %llu, to retry %llu\n",
               (unsigned long long)st.answered, (unsigned long long)st.rejected,
               (unsigned long long)st.done, (unsigned long long)st.retried);
    sk_bridge_close(b);
    sk_bridge_http_free(http);
    if (err)
        return sk_cli_fail(&d);
    return once && st.retried ? SK_EXIT_FAIL : SK_EXIT_OK;
}
