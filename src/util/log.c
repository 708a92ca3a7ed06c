/* log.c — levelled, scrubbed logging. */
#include "util/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/utf8.h"

static _Atomic int g_level = SK_LOG_INFO;
static sk_log_sink_fn g_sink;
static void *g_sink_ctx;
static _Thread_local char t_context[64];

void sk_log_set_level(sk_log_level level)
{
    atomic_store(&g_level, (int)level);
}

sk_log_level sk_log_get_level(void)
{
    return (sk_log_level)atomic_load(&g_level);
}

sk_err sk_log_level_parse(const char *s, sk_log_level *out)
{
    static const char *names[] = {"debug", "info", "warn", "error", "off"};
    for (int i = 0; i < 5; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (sk_log_level)i;
            return SK_OK;
        }
    }
    return SK_ERR_INVALID;
}

void sk_log_set_sink(sk_log_sink_fn fn, void *ctx)
{
    g_sink = fn;
    g_sink_ctx = ctx;
}

void sk_log_set_context(const char *id) /* set and cleared around every request */
{
    size_t n = id ? strnlen(id, sizeof(t_context) - 1) : 0;
    memcpy(t_context, id ? id : "", n);
    t_context[n] = '\0';
}

const char *sk_log_context(void)
{
    return t_context;
}

bool sk_log_limit_ok(sk_log_limit *l, int64_t interval_ms, uint64_t *held)
{
    int64_t now = sk_monotonic_ns();
    if (l->next_ns && now < l->next_ns) {
        l->suppressed++;
        return false;
    }
    *held = l->suppressed;
    l->suppressed = 0;
    l->next_ns = now + interval_ms * 1000000;
    return true;
}

/* Digit at p: 1 byte ASCII or 3 bytes full-width (U+FF10..U+FF19). Returns its length. */
static size_t digit_at(const char *p, size_t left)
{
    if (left >= 1 && p[0] >= '0' && p[0] <= '9')
        return 1;
    if (left >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBC &&
        (unsigned char)p[2] >= 0x90 && (unsigned char)p[2] <= 0x99)
        return 3;
    return 0;
}

/* A maximal run of digits: where it starts, where it ends (bytes) and how many digits. */
typedef struct {
    size_t start, end, digits;
} digit_group;

static void mask_group(char *text, const digit_group *g, size_t ndigits)
{
    size_t masked = 0;
    for (size_t p = g->start; p < g->end && masked < ndigits; masked++) {
        size_t l = digit_at(text + p, g->end - p);
        if (l == 0) /* already masked by an overlapping 4-4-4 match */
            l = 1;
        /* '*' for the digit; a full-width digit's other bytes become spaces so the byte
         * length of the line stays the same */
        text[p] = '*';
        for (size_t b = 1; b < l; b++)
            text[p + b] = ' ';
        p += l;
    }
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Where the hex token around the digits [g->start, g->end) ends, when it is an identifier or a
 * digest (HEX_TOKEN_MIN or more hex characters, a letter among them); 0 when it is not. */
#define HEX_TOKEN_MIN 16
static size_t hex_token_end(const char *text, size_t len, const digit_group *g)
{
    if (g->end - g->start != g->digits) /* full-width digits are no part of a hex token */
        return 0;
    size_t from = g->start, to = g->end;
    while (from > 0 && is_hex(text[from - 1]))
        from--;
    while (to < len && is_hex(text[to]))
        to++;
    /* the digit run is maximal: a hex character next to it is a letter */
    bool letter = from < g->start || to > g->end;
    return letter && to - from >= HEX_TOKEN_MIN ? to : 0;
}

void sk_log_scrub(char *text, size_t len)
{
    digit_group prev[2] = {{0, 0, 0}, {0, 0, 0}}; /* the two groups before this one */
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)text[i];
        /* most bytes are neither an ASCII digit nor the lead byte of a full-width one */
        if ((c < '0' || c > '9') && c != 0xEF) {
            i++;
            continue;
        }
        if (!digit_at(text + i, len - i)) {
            i++;
            continue;
        }
        digit_group g = {i, i, 0};
        size_t l;
        while (g.end < len && (l = digit_at(text + g.end, len - g.end)) != 0) {
            g.end += l;
            g.digits++;
        }
        size_t skip = hex_token_end(text, len, &g);
        if (skip) { /* a person's public id, a digest: its digits are no My Number */
            prev[0] = prev[1] = (digit_group){0, 0, 0};
            i = skip;
            continue;
        }
        if (g.digits == 12)
            mask_group(text, &g, 8);
        /* 4-4-4 groups joined by single spaces or hyphens */
        if (g.digits == 4 && prev[1].digits == 4 && prev[0].digits == 4 &&
            prev[1].end + 1 == g.start && prev[0].end + 1 == prev[1].start &&
            (text[prev[1].end] == ' ' || text[prev[1].end] == '-') &&
            text[prev[0].end] == text[prev[1].end]) {
            mask_group(text, &prev[0], 4);
            mask_group(text, &prev[1], 4);
        }
        prev[0] = prev[1];
        prev[1] = g;
        i = g.end;
    }
}

void sk_mask_mynumber(const char *in, size_t len, char out[13])
{
    char digits[12];
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t l = digit_at(in + i, len - i);
        if (l) {
            if (n < 12)
                digits[n] = l == 1 ? in[i] : (char)('0' + ((unsigned char)in[i + 2] - 0x90));
            n++;
            i += l;
        } else {
            i++;
        }
    }
    if (n != 12) {
        memcpy(out, "****", 5);
        return;
    }
    memset(out, '*', 8);
    memcpy(out + 8, digits + 8, 4);
    out[12] = '\0';
}

sk_err sk_mask_tail(const char *s, size_t len, size_t keep, char *out, size_t outsz)
{
    if (outsz == 0)
        return SK_ERR_TOOBIG;
    size_t chars = sk_utf8_count(s, len);
    size_t o = 0, i = 0, c = 0;
    sk_err err = SK_OK;
    while (i < len) {
        size_t cl = sk_utf8_char_len(s + i, len - i);
        if (cl == 0)
            cl = 1;
        bool show = chars - c <= keep;
        size_t need = show ? cl : 1;
        if (o + need >= outsz) {
            err = SK_ERR_TOOBIG;
            break;
        }
        if (show)
            memcpy(out + o, s + i, cl);
        else
            out[o] = '*';
        o += need;
        i += cl;
        c++;
    }
    out[o] = '\0';
    return err;
}

static void default_sink(void *ctx, sk_log_level level, const char *line, size_t len)
{
    (void)ctx;
    (void)level;
    fwrite(line, 1, len, stderr);
}

void sk_log(sk_log_level level, const char *fmt, ...)
{
    if ((int)level < atomic_load(&g_level) || level >= SK_LOG_OFF)
        return;
    static const char *names[] = {"DEBUG", "INFO", "WARN", "ERROR"};
    char line[SK_LOG_LINE_MAX];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int h = snprintf(line, sizeof(line), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %-5s [%s] ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     ts.tv_nsec / 1000000L, names[level], t_context[0] ? t_context : "-");
    if (h < 0)
        return;
    size_t head = (size_t)h < sizeof(line) ? (size_t)h : sizeof(line) - 1;
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + head, sizeof(line) - head - 1, fmt, ap);
    va_end(ap);
    if (m < 0)
        return;
    size_t len = head + ((size_t)m < sizeof(line) - head - 1 ? (size_t)m : sizeof(line) - head - 2);
    sk_log_scrub(line + head, len - head);
    line[len++] = '\n';
    line[len] = '\0';
    if (g_sink)
        g_sink(g_sink_ctx, level, line, len);
    else
        default_sink(NULL, level, line, len);
}
