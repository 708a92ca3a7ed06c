/* bridge.c — the clinic-side req/ → res/ folder exchange (see bridge.h for the guarantees). */
#include "bridge/bridge.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "oqs/oqs.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/log.h"

#define MAX_PENDING    4096
#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 60000
#define SETTLE_MS      2000 /* a file changed this recently may still be being written */

typedef struct pending {
    char name[SK_BRIDGE_NAME_MAX];
    int64_t due_ms;
    int64_t backoff_ms;
} pending;

struct sk_bridge {
    int req_fd, res_fd, lock_fd, inotify_fd;
    char *req_dir, *res_dir;
    sk_bridge_send_fn send;
    void *send_ctx;
    pending *pend;
    size_t npend;
    sk_bridge_stats stats;
};

static bool id_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

bool sk_bridge_names(const char *req, char message[17], char res[SK_BRIDGE_NAME_MAX],
                     char err[SK_BRIDGE_NAME_MAX])
{
    const char *mark = strstr(req, "req_");
    size_t n = strlen(req);
    if (!mark || n < 9 || n >= SK_BRIDGE_NAME_MAX || strcmp(req + n - 4, ".xml") != 0)
        return false;
    size_t plen = (size_t)(mark - req);
    if (plen < 1 || plen > 16)
        return false;
    for (size_t i = 0; i < plen; i++)
        if (!((req[i] >= 'A' && req[i] <= 'Z') || (req[i] >= 'a' && req[i] <= 'z') ||
              (req[i] >= '0' && req[i] <= '9')))
            return false;
    const char *id = mark + 4, *id_end = req + n - 4;
    if (id_end <= id || id_end - id > 64)
        return false;
    for (const char *p = id; p < id_end; p++)
        if (!id_char(*p))
            return false;
    memcpy(message, req, plen);
    message[plen] = '\0';
    snprintf(res, SK_BRIDGE_NAME_MAX, "%sres_%.*s.xml", message, (int)(id_end - id), id);
    snprintf(err, SK_BRIDGE_NAME_MAX, "%.*s.err", (int)(n - 4), req);
    return true;
}

static char *join(const char *dir, const char *sub)
{
    size_t n = strlen(dir) + strlen(sub) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, sub);
    return p;
}

sk_err sk_bridge_open(const char *dir, sk_bridge_send_fn send, void *send_ctx, sk_bridge **out,
                      sk_diag *d)
{
    *out = NULL;
    sk_bridge *b = calloc(1, sizeof(*b));
    if (!b)
        return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    b->req_fd = b->res_fd = b->lock_fd = b->inotify_fd = -1;
    b->send = send;
    b->send_ctx = send_ctx;
    b->req_dir = join(dir, "req");
    b->res_dir = join(dir, "res");
    b->pend = calloc(MAX_PENDING, sizeof(*b->pend));
    sk_err err = SK_OK;
    if (!b->req_dir || !b->res_dir || !b->pend) {
        err = sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
        goto fail;
    }
    b->req_fd = open(b->req_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (b->req_fd < 0) {
        err = sk_diag_set(d, SK_C_IO, "dir", "%s: %s (the folder must have req/)", b->req_dir,
                          strerror(errno));
        goto fail;
    }
    if (mkdir(b->res_dir, 0770) != 0 && errno != EEXIST) {
        err = sk_diag_set(d, SK_C_IO, "dir", "%s: %s", b->res_dir, strerror(errno));
        goto fail;
    }
    b->res_fd = open(b->res_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    b->lock_fd = b->res_fd < 0 ? -1
                               : openat(b->res_fd, ".shikaku-bridge.lock",
                                        O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (b->lock_fd < 0) {
        err = sk_diag_set(d, SK_C_IO, "dir", "%s: %s", b->res_dir, strerror(errno));
        goto fail;
    }
    if (flock(b->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        err = sk_diag_set(d, SK_C_BRIDGE_LOCKED, "dir",
                          "another bridge is serving %s (lock %s/.shikaku-bridge.lock)", dir,
                          b->res_dir);
        goto fail;
    }
    *out = b;
    return SK_OK;
fail:
    sk_bridge_close(b);
    return err;
}

void sk_bridge_close(sk_bridge *b)
{
    if (!b)
        return;
    if (b->inotify_fd >= 0)
        close(b->inotify_fd);
    if (b->lock_fd >= 0)
        close(b->lock_fd); /* releases the lock */
    if (b->res_fd >= 0)
        close(b->res_fd);
    if (b->req_fd >= 0)
        close(b->req_fd);
    free(b->req_dir);
    free(b->res_dir);
    free(b->pend);
    free(b);
}

sk_bridge_stats sk_bridge_get_stats(const sk_bridge *b)
{
    return b->stats;
}

/* Writes res/<name> whole: hidden temporary name, fsync, rename, fsync of the folder. A
 * delivered file is never replaced (EEXIST from link-free rename check below). */
static sk_err write_answer(sk_bridge *b, const char *name, const char *data, size_t len, sk_diag *d)
{
    char tmp[SK_BRIDGE_NAME_MAX + 16];
    snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
    int fd = openat(b->res_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0660);
    if (fd < 0)
        return sk_diag_set(d, SK_C_IO, "res", "%s/%s: %s", b->res_dir, tmp, strerror(errno));
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    bool ok = off == len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || renameat(b->res_fd, tmp, b->res_fd, name) != 0 || fsync(b->res_fd) != 0) {
        int e = errno;
        unlinkat(b->res_fd, tmp, 0);
        return sk_diag_set(d, SK_C_IO, "res", "%s/%s: %s", b->res_dir, name, strerror(e));
    }
    return SK_OK;
}

static void remove_request(sk_bridge *b, const char *name)
{
    if (unlinkat(b->req_fd, name, 0) != 0 && errno != ENOENT)
        SK_WARN("bridge: cannot remove req/%s: %s", name, strerror(errno));
    fsync(b->req_fd);
}

/* An .err document made by the bridge itself (the server never saw the file). */
static sk_err bridge_error(sk_bridge *b, const char *err_name, sk_oqs_code code, const char *detail,
                           sk_diag *d)
{
    sk_arena *a = sk_arena_alloc(0, 1 << 20);
    sk_buf out;
    sk_buf_init(&out, 1 << 20);
    sk_oqs_error e;
    sk_oqs_error_set(&e, code, "", "%s", detail);
    sk_oqs_node *doc =
        a ? sk_oqs_error_result(a, &e, SK_OQS_UTF8, (int64_t)time(NULL) * 1000) : NULL;
    sk_err err = doc ? sk_oqs_xml_write(doc, SK_OQS_UTF8, &out, NULL) : SK_ERR_NOMEM;
    if (!err)
        err = write_answer(b, err_name, out.data, out.len, d);
    else
        sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    sk_buf_deinit(&out);
    sk_arena_free(a);
    return err;
}

static bool exists_in_res(sk_bridge *b, const char *name)
{
    struct stat st;
    return fstatat(b->res_fd, name, &st, 0) == 0;
}

/* Reads req/<name>; SK_ERR_NOTFOUND when it is gone, SK_ERR_TOOBIG past the limit. */

/* "bridge-" + SHA-256 of the file name, a NUL and its bytes, in hex. */
static void idem_key_of(const char *name, const char *bytes, size_t len,
                        char out[8 + 2 * SK_SHA256_BYTES + 1])
{
    size_t n = strlen(name);
    char *buf = malloc(n + 1 + len);
    uint8_t h[SK_SHA256_BYTES];
    if (buf) {
        memcpy(buf, name, n + 1);
        memcpy(buf + n + 1, bytes, len);
        sk_sha256(buf, n + 1 + len, h);
        free(buf);
    } else {
        sk_sha256(bytes, len, h); /* out of memory: the content alone still identifies it */
    }
    memcpy(out, "bridge-", 7);
    sk_hex_encode(h, sizeof(h), out + 7);
    out[7 + 2 * SK_SHA256_BYTES] = '\0';
}

static sk_err read_request(sk_bridge *b, const char *name, sk_buf *into, sk_diag *d)
{
    int fd = openat(b->req_fd, name, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT
                   ? SK_ERR_NOTFOUND
                   : sk_diag_set(d, SK_C_IO, "req", "req/%s: %s", name, strerror(errno));
    sk_err err = SK_OK;
    char chunk[65536];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof(chunk));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            err = sk_diag_set(d, SK_C_IO, "req", "req/%s: %s", name, strerror(errno));
            break;
        }
        if (r == 0)
            break;
        if ((err = sk_buf_append(into, chunk, (size_t)r)))
            break;
    }
    close(fd);
    return err;
}

sk_bridge_outcome sk_bridge_process(sk_bridge *b, const char *name, sk_diag *d)
{
    char message[17], res[SK_BRIDGE_NAME_MAX], errn[SK_BRIDGE_NAME_MAX];
    size_t n = strlen(name);
    if (name[0] == '.' || n < 4 || strcmp(name + n - 4, ".xml") != 0)
        return SK_BRIDGE_IGNORED;
    struct stat st;
    if (fstatat(b->req_fd, name, &st, 0) != 0 || !S_ISREG(st.st_mode))
        return SK_BRIDGE_IGNORED;
    if (!sk_bridge_names(name, message, res, errn)) {
        char err_name[SK_BRIDGE_NAME_MAX + 8];
        snprintf(err_name, sizeof(err_name), "%.*s.err", (int)(n - 4), name);
        if (n >= SK_BRIDGE_NAME_MAX || exists_in_res(b, err_name)) {
            SK_WARN("bridge: req/%.80s is not a request file name; left as it is", name);
            return SK_BRIDGE_IGNORED;
        }
        if (bridge_error(b, err_name, SK_OQS_STRUCTURE,
                         "file name: expected <prefix>req_<id>.xml, id of 1-64 A-Z a-z 0-9 . _ -",
                         d))
            return SK_BRIDGE_RETRY;
        remove_request(b, name);
        b->stats.rejected++;
        SK_INFO("bridge: req/%s rejected: not a request file name", name);
        return SK_BRIDGE_REJECTED;
    }
    if (exists_in_res(b, res) || exists_in_res(b, errn)) {
        remove_request(b, name); /* answered before a stop; the answer stays as delivered */
        b->stats.done++;
        return SK_BRIDGE_DONE;
    }
    sk_buf req, body;
    sk_buf_init(&req, SK_OQS_MAX_BYTES);
    sk_buf_init(&body, 64u << 20);
    sk_bridge_outcome out = SK_BRIDGE_RETRY;
    sk_err err = read_request(b, name, &req, d);
    if (err == SK_ERR_NOTFOUND) {
        out = SK_BRIDGE_IGNORED;
        goto done;
    }
    if (err == SK_ERR_TOOBIG) {
        char detail[96];
        snprintf(detail, sizeof(detail), "the file is larger than %u bytes", SK_OQS_MAX_BYTES);
        if (bridge_error(b, errn, SK_OQS_TOO_LARGE, detail, d) == SK_OK) {
            remove_request(b, name);
            b->stats.rejected++;
            out = SK_BRIDGE_REJECTED;
        }
        goto done;
    }
    if (err)
        goto done;
    /* the same file (name and bytes) always carries the same key: resent after a crash, a bulk
     * request is not stored twice */
    char idem[8 + 2 * SK_SHA256_BYTES + 1];
    idem_key_of(name, req.data ? req.data : "", req.len, idem);
    unsigned status = 0;
    if (b->send(b->send_ctx, message, idem, req.data ? req.data : "", req.len, &status, &body, d)) {
        SK_WARN("bridge: req/%s not sent (%s); will retry", name, d->message);
        goto done;
    }
    bool xml = body.len >= 5 &&
               (memcmp(body.data, "<?xml", 5) == 0 || memcmp(body.data, "<XmlMsg", 7) == 0);
    if (status == 200 && xml) {
        if (write_answer(b, res, body.data, body.len, d) == SK_OK) {
            remove_request(b, name);
            b->stats.answered++;
            out = SK_BRIDGE_ANSWERED;
            SK_INFO("bridge: req/%s answered as res/%s", name, res);
        }
    } else if (status == 400 || status == 403 || status == 404 || status == 413 || status == 422) {
        /* the file itself is wrong: the server's OQS error document becomes the .err file;
         * an answer that is not one (e.g. an unknown message) is wrapped into one */
        if (xml) {
            err = write_answer(b, errn, body.data, body.len, d);
        } else {
            char detail[320];
            snprintf(detail, sizeof(detail), "HTTP %u: %.280s", status, body.data ? body.data : "");
            char *nl = strchr(detail, '\n');
            if (nl)
                *nl = '\0';
            err = bridge_error(b, errn, status == 413 ? SK_OQS_TOO_LARGE : SK_OQS_STRUCTURE, detail,
                               d);
        }
        if (!err) {
            remove_request(b, name);
            b->stats.rejected++;
            out = SK_BRIDGE_REJECTED;
            SK_INFO("bridge: req/%s rejected (HTTP %u) as res/%s", name, status, errn);
        }
    } else {
        SK_WARN("bridge: req/%s got HTTP %u; will retry", name, status);
    }
done:
    if (out == SK_BRIDGE_RETRY)
        b->stats.retried++;
    sk_buf_deinit(&req);
    sk_buf_deinit(&body);
    return out;
}

/* ---- the loop ---- */

static void schedule(sk_bridge *b, const char *name, int64_t due, int64_t backoff)
{
    for (size_t i = 0; i < b->npend; i++)
        if (strcmp(b->pend[i].name, name) == 0) {
            b->pend[i].due_ms = due;
            b->pend[i].backoff_ms = backoff;
            return;
        }
    if (b->npend == MAX_PENDING || strlen(name) >= SK_BRIDGE_NAME_MAX)
        return; /* picked up again by the next full scan */
    pending *p = &b->pend[b->npend++];
    snprintf(p->name, sizeof(p->name), "%s", name);
    p->due_ms = due;
    p->backoff_ms = backoff;
}

static void unschedule(sk_bridge *b, size_t i)
{
    b->pend[i] = b->pend[--b->npend];
}

static void handle(sk_bridge *b, const char *name, int64_t backoff)
{
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_bridge_process(b, name, &d) == SK_BRIDGE_RETRY) {
        int64_t next = backoff ? backoff * 2 : BACKOFF_MIN_MS;
        if (next > BACKOFF_MAX_MS)
            next = BACKOFF_MAX_MS;
        schedule(b, name, sk_monotonic_ms() + (backoff ? backoff : BACKOFF_MIN_MS), next);
    }
}

/* Every file in req/: recent ones are left for their close event (or a check in a moment). */
static sk_err scan(sk_bridge *b, bool once, sk_diag *d)
{
    int fd = dup(b->req_fd);
    DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
    if (!dir) {
        if (fd >= 0)
            close(fd);
        return sk_diag_set(d, SK_C_IO, "req", "%s: %s", b->req_dir, strerror(errno));
    }
    rewinddir(dir);
    struct dirent *de;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t now_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
    while ((de = readdir(dir))) {
        if (de->d_name[0] == '.')
            continue;
        struct stat st;
        if (fstatat(b->req_fd, de->d_name, &st, 0) != 0)
            continue;
        int64_t mtime = (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
        if (!once && now_ms - mtime < SETTLE_MS)
            schedule(b, de->d_name, sk_monotonic_ms() + SETTLE_MS, 0);
        else
            handle(b, de->d_name, 0);
    }
    closedir(dir);
    return SK_OK;
}

sk_err sk_bridge_run(sk_bridge *b, volatile sig_atomic_t *stop, bool once, sk_diag *d)
{
    if (!once && b->inotify_fd < 0) {
        b->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (b->inotify_fd < 0 ||
            inotify_add_watch(b->inotify_fd, b->req_dir, IN_CLOSE_WRITE | IN_MOVED_TO) < 0)
            return sk_diag_set(d, SK_C_IO, "req", "cannot watch %s: %s", b->req_dir,
                               strerror(errno));
    }
    /* the watch is in place before the scan, so no file falls between the two */
    sk_err err = scan(b, once, d);
    if (err || once)
        return err;
    int64_t last_scan = sk_monotonic_ms();
    char evbuf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    while (!*stop) {
        int64_t now = sk_monotonic_ms(), wait = 1000;
        for (size_t i = 0; i < b->npend; i++)
            if (b->pend[i].due_ms - now < wait)
                wait = b->pend[i].due_ms - now;
        struct pollfd pfd = {.fd = b->inotify_fd, .events = POLLIN};
        int rc = poll(&pfd, 1, wait < 0 ? 0 : (int)wait);
        if (rc < 0 && errno != EINTR)
            return sk_diag_set(d, SK_C_IO, "req", "poll: %s", strerror(errno));
        if (rc > 0) {
            ssize_t len;
            while ((len = read(b->inotify_fd, evbuf, sizeof(evbuf))) > 0) {
                for (char *p = evbuf; p < evbuf + len;) {
                    struct inotify_event *ev = (struct inotify_event *)p;
                    if (ev->mask & IN_Q_OVERFLOW)
                        last_scan = 0; /* events were lost: look at everything */
                    else if (ev->len && !*stop)
                        handle(b, ev->name, 0);
                    p += sizeof(*ev) + ev->len;
                }
            }
        }
        now = sk_monotonic_ms();
        for (size_t i = 0; i < b->npend && !*stop;) {
            if (b->pend[i].due_ms > now) {
                i++;
                continue;
            }
            pending p = b->pend[i];
            unschedule(b, i);
            handle(b, p.name, p.backoff_ms);
        }
        /* a periodic full look catches anything an event could not tell (overflow, files
         * that appeared while the folder was unmounted) */
        if (now - last_scan > 60000 && !*stop) {
            if ((err = scan(b, false, d)))
                return err;
            last_scan = now;
        }
    }
    return SK_OK;
}
