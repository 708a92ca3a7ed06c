/* clock.c — system, manual and offset clocks. */
#include "util/clock.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

typedef enum { CLOCK_KIND_SYSTEM, CLOCK_KIND_MANUAL, CLOCK_KIND_OFFSET } clock_kind;

struct sk_clock {
    clock_kind kind;
    _Atomic int64_t ms; /* manual: the time; offset: the offset */
};

static sk_clock g_system = {CLOCK_KIND_SYSTEM, 0};

sk_clock *sk_clock_system(void)
{
    return &g_system;
}

static sk_clock *clock_new(clock_kind kind, int64_t ms)
{
    sk_clock *c = malloc(sizeof(*c));
    if (!c)
        return NULL;
    c->kind = kind;
    atomic_init(&c->ms, ms);
    return c;
}

sk_clock *sk_clock_manual_alloc(int64_t start_ms)
{
    return clock_new(CLOCK_KIND_MANUAL, start_ms);
}

sk_clock *sk_clock_offset_alloc(int64_t offset_ms)
{
    return clock_new(CLOCK_KIND_OFFSET, offset_ms);
}

void sk_clock_free(sk_clock *c)
{
    if (c && c != &g_system)
        free(c);
}

static int64_t real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t sk_clock_now_ms(const sk_clock *c)
{
    switch (c->kind) {
    case CLOCK_KIND_MANUAL:
        return atomic_load(&((sk_clock *)c)->ms);
    case CLOCK_KIND_OFFSET:
        return real_ms() + atomic_load(&((sk_clock *)c)->ms);
    case CLOCK_KIND_SYSTEM:
        break;
    }
    return real_ms();
}

void sk_clock_set_ms(sk_clock *c, int64_t ms)
{
    if (c->kind == CLOCK_KIND_MANUAL)
        atomic_store(&c->ms, ms);
}

void sk_clock_advance_ms(sk_clock *c, int64_t delta_ms)
{
    if (c->kind == CLOCK_KIND_MANUAL)
        atomic_fetch_add(&c->ms, delta_ms);
}

int64_t sk_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t sk_monotonic_ms(void)
{
    return sk_monotonic_ns() / 1000000;
}
