/* fuzz_oqs.c — OQS message readers (XML in UTF-8/Shift_JIS, Web-API JSON): never crash; a
 * refusal always carries a code of the table and a detail; an accepted message is a tree of
 * named elements whose XML rendering reads back (same root, same charset). The first byte
 * picks the reader: '{' = JSON, anything else = XML. */
#include <string.h>

#include "fuzz.h"
#include "oqs/oqs.h"
#include "oqs/oqs_int.h"

static size_t count(const sk_oqs_node *n, int depth)
{
    FUZZ_ASSERT(n->name && *n->name);
    FUZZ_ASSERT(depth <= SK_OQS_MAX_DEPTH);
    FUZZ_ASSERT(!n->text || !n->child);
    size_t k = 1;
    for (const sk_oqs_node *c = n->child; c; c = c->next)
        k += count(c, depth + 1);
    return k;
}

/* The same tree: the Web-API reader's fast path against jansson's. */
static void same(const sk_oqs_node *x, const sk_oqs_node *y)
{
    FUZZ_ASSERT(strcmp(x->name, y->name) == 0);
    FUZZ_ASSERT((x->text == NULL) == (y->text == NULL));
    FUZZ_ASSERT(!x->text || strcmp(x->text, y->text) == 0);
    FUZZ_ASSERT(x->list == y->list);
    const sk_oqs_node *a = x->child, *b = y->child;
    for (; a && b; a = a->next, b = b->next)
        same(a, b);
    FUZZ_ASSERT(!a && !b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sk_arena *a = sk_arena_alloc(0, 64u << 20);
    sk_oqs_node *root = NULL;
    sk_oqs_error e = {.code = SK_OQS_OK};
    sk_oqs_charset cs = SK_OQS_UTF8;
    const char *p = (const char *)data;
    sk_err err = size && p[0] == '{' ? sk_oqs_json_read(a, p, size, &root, &e)
                                     : sk_oqs_xml_read(a, p, size, &root, &cs, &e);
    { /* the fast paths read what jansson and libxml2 read, and alike */
        sk_oqs_node *full = NULL;
        sk_oqs_error e2 = {.code = SK_OQS_OK};
        sk_oqs_charset cs2 = SK_OQS_UTF8;
        sk_err err2 = size && p[0] == '{' ? sk_oqs_json_read_full(a, p, size, &full, &e2)
                                          : sk_oqs_xml_read_full(a, p, size, &full, &cs2, &e2);
        FUZZ_ASSERT(err == err2 && e.code == e2.code && cs == cs2);
        if (!err)
            same(root, full);
    }
    if (err) {
        FUZZ_ASSERT(!root);
        FUZZ_ASSERT(e.code > SK_OQS_OK && e.code < SK_OQS__COUNT);
        FUZZ_ASSERT(sk_oqs_code_level(e.code) == SK_OQS_FILE);
        FUZZ_ASSERT(e.detail[0]);
    } else {
        FUZZ_ASSERT(root);
        count(root, 1);
        sk_buf out;
        sk_buf_init(&out, 64u << 20);
        if (sk_oqs_xml_write(root, cs, &out, NULL) == SK_OK) {
            sk_oqs_node *again = NULL;
            sk_oqs_charset cs2;
            sk_err rerr = sk_oqs_xml_read(a, out.data, out.len, &again, &cs2, &e);
            FUZZ_ASSERT(rerr == SK_OK);
            FUZZ_ASSERT(strcmp(again->name, root->name) == 0);
            FUZZ_ASSERT(cs2 == cs);
        }
        sk_buf_deinit(&out);
    }
    sk_arena_free(a);
    return 0;
}
