/* arena.c — chained-block arena. */
#include "util/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct block {
    struct block *next;
    size_t size; /* usable bytes after the header */
    size_t used;
    alignas(max_align_t) unsigned char mem[];
} block;

struct sk_arena {
    block *head;
    size_t block_size;
    size_t max;
    size_t total;
};

#define ALIGN      (alignof(max_align_t))
#define ROUNDUP(n) (((n) + (ALIGN - 1)) & ~(ALIGN - 1))

static block *block_new(size_t size)
{
    block *b = malloc(sizeof(block) + size);
    if (!b)
        return NULL;
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

sk_arena *sk_arena_alloc(size_t block_size, size_t max)
{
    sk_arena *a = calloc(1, sizeof(*a));
    if (!a)
        return NULL;
    a->block_size = block_size ? ROUNDUP(block_size) : 16384;
    a->max = max ? max : SIZE_MAX;
    return a;
}

void sk_arena_free(sk_arena *a)
{
    if (!a)
        return;
    block *b = a->head;
    while (b) {
        block *n = b->next;
        free(b);
        b = n;
    }
    free(a);
}

void sk_arena_reset(sk_arena *a)
{
    if (!a->head)
        return;
    /* keep the oldest block (the last in the chain), free the rest */
    block *b = a->head;
    while (b->next) {
        block *n = b->next;
        free(b);
        b = n;
    }
    b->used = 0;
    a->head = b;
    a->total = 0;
}

void *sk_arena_calloc(sk_arena *a, size_t n)
{
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX - ALIGN)
        return NULL;
    size_t need = ROUNDUP(n);
    if (need > a->max || a->total > a->max - need)
        return NULL;
    block *b = a->head;
    if (!b || b->size - b->used < need) {
        size_t size = need > a->block_size ? need : a->block_size;
        block *nb = block_new(size);
        if (!nb)
            return NULL;
        /* a large one-off allocation goes behind the current block so the current block
         * keeps serving small allocations */
        if (b && need > a->block_size) {
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
    }
    void *p = b->mem + b->used;
    b->used += need;
    a->total += need;
    memset(p, 0, n);
    return p;
}

void *sk_arena_array(sk_arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    return sk_arena_calloc(a, count * size);
}

void *sk_arena_memdup(sk_arena *a, const void *p, size_t n)
{
    void *q = sk_arena_calloc(a, n);
    if (q && n)
        memcpy(q, p, n);
    return q;
}

char *sk_arena_strndup(sk_arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *q = sk_arena_calloc(a, n + 1);
    if (q && n)
        memcpy(q, s, n);
    return q;
}

size_t sk_arena_used(const sk_arena *a)
{
    return a->total;
}
