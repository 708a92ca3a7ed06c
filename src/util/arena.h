/* arena.h — region allocator: one per request or batch record, freed whole. Allocations are
 * zeroed and aligned for any type. A hard maximum bounds what one arena may hold, so a
 * hostile request cannot take the process's memory. */
#ifndef SK_UTIL_ARENA_H
#define SK_UTIL_ARENA_H

#include <stddef.h>

typedef struct sk_arena sk_arena;

/* block: size of each chunk requested from malloc (0 = 16 KiB); max: total bytes the arena
 * may hand out (0 = no limit). Returns NULL when out of memory. */
sk_arena *sk_arena_alloc(size_t block, size_t max);
void sk_arena_free(sk_arena *a);
/* Forgets every allocation but keeps the first block for reuse. */
void sk_arena_reset(sk_arena *a);

/* n zeroed bytes; NULL when the maximum would be passed or malloc fails. */
void *sk_arena_calloc(sk_arena *a, size_t n);
/* count * size zeroed bytes, with overflow checking. */
void *sk_arena_array(sk_arena *a, size_t count, size_t size);
void *sk_arena_memdup(sk_arena *a, const void *p, size_t n);
/* Copies n bytes of s and a terminating NUL. */
char *sk_arena_strndup(sk_arena *a, const char *s, size_t n);
/* Bytes handed out since allocation or the last reset. */
size_t sk_arena_used(const sk_arena *a);

#endif
