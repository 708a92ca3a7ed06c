/* oqs_support.h — helpers the OQS suites share, the codec's (oqs/test_oqs.c) and the
 * exchanges' (verify/test_oqs_exchange.c): an arena, a file's bytes, the text at a path of element
 * names. */
#ifndef SK_TEST_OQS_SUPPORT_H
#define SK_TEST_OQS_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oqs/oqs.h"

static inline sk_arena *arena(void)
{
    return sk_arena_alloc(0, 8u << 20);
}

static inline char *slurp(const char *path, size_t *len)
{
    *len = 0; /* also on failure: once inlined, GCC sees the callers read it */
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    *len = fread(p, 1, (size_t)n, f);
    p[*len] = '\0';
    fclose(f);
    return p;
}

static inline const char *text_at(const sk_oqs_node *n, const char *path)
{
    char part[64];
    while (n && *path) {
        size_t k = strcspn(path, "/");
        snprintf(part, sizeof(part), "%.*s", (int)k, path);
        n = sk_oqs_child(n, part);
        path += k + (path[k] == '/');
    }
    return n ? n->text : NULL;
}

#endif
