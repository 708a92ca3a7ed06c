/* clock.h — where "now" comes from. Services never read the system time directly: they ask a
 * clock, so tests can set "today" and move time forward (deadlines, reminders, expiry).
 * Times are Unix milliseconds (UTC); turning them into a Japanese calendar date is a domain
 * rule (core/date.h: sk_date_from_unix_ms, JST). */
#ifndef SK_UTIL_CLOCK_H
#define SK_UTIL_CLOCK_H

#include <stdint.h>

typedef struct sk_clock sk_clock;

/* The process-wide real clock (never freed). */
sk_clock *sk_clock_system(void);
/* A clock that stands still at start_ms until set or advanced. Thread-safe. */
sk_clock *sk_clock_manual_alloc(int64_t start_ms);
/* The real clock shifted by offset_ms (a demo or staging system living on another day). */
sk_clock *sk_clock_offset_alloc(int64_t offset_ms);
/* Frees a manual or offset clock; the system clock is ignored. */
void sk_clock_free(sk_clock *c);

int64_t sk_clock_now_ms(const sk_clock *c);
/* Manual clocks only (no effect on others). */
void sk_clock_set_ms(sk_clock *c, int64_t ms);
void sk_clock_advance_ms(sk_clock *c, int64_t delta_ms);

/* Elapsed time for durations, timeouts and caches (CLOCK_MONOTONIC): never jumps with the
 * wall clock and is not the domain's "now". */
int64_t sk_monotonic_ns(void);
int64_t sk_monotonic_ms(void);

#define SK_MS_PER_DAY (86400LL * 1000LL)

#endif
