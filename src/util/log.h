/* log.h — levelled logging. Each line carries a UTC timestamp, the level and the request or
 * job id of the calling thread. Lines are scrubbed before they are written: any run of 12
 * digits (a possible My Number, even in 4-4-4 groups) is masked to its last 4 digits, so a
 * careless caller still cannot put a My Number in a log (番号法; domain-rules §17).
 * The masking helpers are also what documents and screens use to show identifiers. */
#ifndef SK_UTIL_LOG_H
#define SK_UTIL_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef enum sk_log_level {
    SK_LOG_DEBUG = 0,
    SK_LOG_INFO = 1,
    SK_LOG_WARN = 2,
    SK_LOG_ERROR = 3,
    SK_LOG_OFF = 4
} sk_log_level;

#define SK_LOG_LINE_MAX 2048

typedef void (*sk_log_sink_fn)(void *ctx, sk_log_level level, const char *line, size_t len);

void sk_log_set_level(sk_log_level level);
sk_log_level sk_log_get_level(void);
/* "debug", "info", "warn", "error", "off". */
sk_err sk_log_level_parse(const char *s, sk_log_level *out);
/* Where lines go; NULL restores the default (stderr). Not thread-safe: set at start-up. */
void sk_log_set_sink(sk_log_sink_fn fn, void *ctx);
/* The calling thread's request or job id ("" for none); copied, at most 63 bytes. */
void sk_log_set_context(const char *id);
const char *sk_log_context(void);

void sk_log(sk_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* At most one line per interval for a failure that repeats (a disk that stays full): a
 * writer retrying every 100 ms must not write megabytes of the same line. Zero-initialised. */
typedef struct sk_log_limit {
    int64_t next_ns;     /* monotonic: no line before this */
    uint64_t suppressed; /* lines held back since the last one written */
} sk_log_limit;
/* True when a line may be written now (then *held = how many were held back before it, and
 * the next may come interval_ms later); false (counted) otherwise. Not thread-safe: one per
 * thread, or under the caller's lock. */
bool sk_log_limit_ok(sk_log_limit *l, int64_t interval_ms, uint64_t *held);

#define SK_DEBUG(...) sk_log(SK_LOG_DEBUG, __VA_ARGS__)
#define SK_INFO(...)  sk_log(SK_LOG_INFO, __VA_ARGS__)
#define SK_WARN(...)  sk_log(SK_LOG_WARN, __VA_ARGS__)
#define SK_ERROR(...) sk_log(SK_LOG_ERROR, __VA_ARGS__)

/* Masks, in place, every run of exactly 12 digits (ASCII or full-width, optionally grouped
 * by single spaces or hyphens) except its last 4 digits. Digits inside a hex token of 16 or
 * more characters with a letter among them (a person's public id, a digest) are left alone:
 * masked, they made 1.2 % of the look-up audit rows name no person. */
void sk_log_scrub(char *text, size_t len);

/* My Number for display: "********9018" from any 12-digit input (separators ignored).
 * Input that is not 12 digits is fully masked ("****"). out needs 13 bytes. */
void sk_mask_mynumber(const char *in, size_t len, char out[13]);
/* Replaces all but the last `keep` characters (UTF-8 code points) of s with '*', one '*' per
 * character. Used for 記号・番号 outside insurance business (告知要求制限, domain-rules §4).
 * Writes at most outsz-1 bytes and a NUL; returns SK_ERR_TOOBIG when truncated. */
sk_err sk_mask_tail(const char *s, size_t len, size_t keep, char *out, size_t outsz);

#endif
