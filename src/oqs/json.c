/* json.c — the Web-API JSON form of OQS messages (oqs-messages §1.2): the XML element
 * names as nested objects under "XmlMsg", every leaf a string, ResultList an array of
 * {"ResultOfQualificationConfirmation": {…}} even for one record. Reading accepts an array
 * anywhere a repeated group may come (its objects' members become the children) and null as
 * an absent value; a number or boolean leaf is refused, since it would lose leading zeros. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "oqs/oqs_int.h"

static sk_err from_json(sk_arena *a, const char *name, json_t *v, sk_oqs_node *parent, int depth,
                        sk_oqs_node **out, sk_oqs_error *e);

/* OQS element names are ASCII letters and digits; anything else cannot be an element. */
static bool element_name(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z') ||
              (n && s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
            return false;
    return n > 0 && n < 64;
}

/* XML cannot carry C0 controls other than tab, CR and LF, nor U+FFFE and U+FFFF (XML 1.0
 * "Char"), so no OQS value holds them (found by fuzz_oqs: such a value did not survive its
 * XML form). The text is valid UTF-8 here (jansson checked it). */
static bool text_ok(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 && c != '\t' && c != '\r' && c != '\n')
            return false;
        if (c == 0xEF && (unsigned char)s[1] == 0xBF &&
            ((unsigned char)s[2] == 0xBE || (unsigned char)s[2] == 0xBF))
            return false;
    }
    return true;
}

static sk_err members(sk_arena *a, json_t *obj, sk_oqs_node *n, int depth, sk_oqs_error *e)
{
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val)
    {
        sk_err err = from_json(a, key, val, n, depth + 1, NULL, e);
        if (err)
            return err;
    }
    return SK_OK;
}

static sk_err from_json(sk_arena *a, const char *name, json_t *v, sk_oqs_node *parent, int depth,
                        sk_oqs_node **out, sk_oqs_error *e)
{
    if (depth > SK_OQS_MAX_DEPTH)
        return sk_oqs_error_set(e, SK_OQS_TOO_LARGE, name, "objects are nested too deep");
    if (!element_name(name))
        return sk_oqs_error_set(e, SK_OQS_STRUCTURE, "", "a member name is not an element name");
    if (json_is_string(v) && !text_ok(json_string_value(v)))
        return sk_oqs_error_set(e, SK_OQS_HEADER_INVALID, name,
                                "a value holds a control character");
    char *copy = sk_arena_strndup(a, name, strlen(name));
    if (!copy)
        return sk_oqs_error_set(e, SK_OQS_TOO_LARGE, name, "the message is too large");
    sk_oqs_node *n = NULL;
    sk_err err = SK_OK;
    if (json_is_string(v)) {
        n = sk_oqs_leaf(a, parent, copy, json_string_value(v));
    } else if (json_is_null(v)) {
        n = sk_oqs_leaf(a, parent, copy, "");
    } else if (json_is_object(v)) {
        if ((n = sk_oqs_group(a, parent, copy)))
            err = members(a, v, n, depth, e);
    } else if (json_is_array(v)) {
        if ((n = sk_oqs_group(a, parent, copy))) {
            n->list = true;
            size_t i;
            json_t *item;
            json_array_foreach(v, i, item)
            {
                if (!json_is_object(item))
                    return sk_oqs_error_set(e, SK_OQS_STRUCTURE, name,
                                            "an array in an OQS message holds objects only");
                if ((err = members(a, item, n, depth, e)))
                    return err;
            }
        }
    } else {
        return sk_oqs_error_set(e, SK_OQS_HEADER_INVALID, name,
                                "%s must be a string (every value in the Web-API form is)", name);
    }
    if (!n)
        return sk_oqs_error_set(e, SK_OQS_TOO_LARGE, name, "the message is too large");
    if (out)
        *out = n;
    return err;
}

/* ---- the fast path ----
 * A request from a receipt computer is ASCII: element names, digits, dates, flags. For such a
 * body the tree is built in one pass over the bytes, without jansson's tree, hash tables and
 * allocations (they were a tenth of the daemon's CPU per Web-API look-up). Anything else —
 * a byte outside printable ASCII, an escape, a number or boolean, a duplicate member, a member
 * name that is no element name, too deep, not well formed — makes the fast path give up and
 * the jansson path below read the body, so the accepted trees and every refusal (code, detail)
 * are the jansson path's. tests/unit/oqs/test_oqs.c and fuzz_oqs compare the two. */

typedef struct fast {
    sk_arena *a;
    const char *p, *end;
} fast;

static void fast_ws(fast *f)
{
    while (f->p < f->end && (*f->p == ' ' || *f->p == '\t' || *f->p == '\n' || *f->p == '\r'))
        f->p++;
}

/* Skips blanks and then `c`; false when another byte comes. */
static bool fast_byte(fast *f, char c)
{
    fast_ws(f);
    if (f->p >= f->end || *f->p != c)
        return false;
    f->p++;
    return true;
}

/* A string of printable ASCII without escapes, copied into the arena; NULL otherwise. */
static const char *fast_string(fast *f)
{
    if (f->p >= f->end || *f->p != '"')
        return NULL;
    const char *s = ++f->p;
    while (f->p < f->end && *f->p != '"') {
        unsigned char c = (unsigned char)*f->p;
        if (c < 0x20 || c > 0x7E || c == '\\')
            return NULL;
        f->p++;
    }
    if (f->p >= f->end)
        return NULL;
    const char *copy = sk_arena_strndup(f->a, s, (size_t)(f->p - s));
    f->p++;
    return copy;
}

static bool fast_value(fast *f, const char *name, sk_oqs_node *parent, int depth,
                       sk_oqs_node **out);

/* After an item: skips a ',' (1: another item follows) or the closing byte (0: done); -1 when
 * neither comes. */
static int fast_next(fast *f, char close)
{
    fast_ws(f);
    if (f->p < f->end && (*f->p == ',' || *f->p == close))
        return *f->p++ == ',' ? 1 : 0;
    return -1;
}

/* The members of an object, added to n; f->p at '{'. */
static bool fast_members(fast *f, sk_oqs_node *n, int depth)
{
    f->p++;
    fast_ws(f);
    if (f->p < f->end && *f->p == '}') {
        f->p++;
        return true;
    }
    sk_oqs_node *first = n->last; /* an array's objects share n: duplicates are per object */
    for (;;) {
        fast_ws(f);
        const char *key = fast_string(f);
        if (!key || !element_name(key))
            return false;
        for (sk_oqs_node *c = first ? first->next : n->child; c; c = c->next)
            if (strcmp(c->name, key) == 0)
                return false;
        if (!fast_byte(f, ':'))
            return false;
        fast_ws(f);
        if (!fast_value(f, key, n, depth + 1, NULL))
            return false;
        int next = fast_next(f, '}');
        if (next <= 0)
            return next == 0;
    }
}

static bool fast_value(fast *f, const char *name, sk_oqs_node *parent, int depth, sk_oqs_node **out)
{
    if (depth > SK_OQS_MAX_DEPTH || f->p >= f->end)
        return false;
    sk_oqs_node *n = NULL;
    if (*f->p == '"') {
        const char *text = fast_string(f);
        n = text ? sk_oqs_leaf(f->a, parent, name, text) : NULL;
    } else if (f->end - f->p >= 4 && memcmp(f->p, "null", 4) == 0) {
        f->p += 4;
        n = sk_oqs_leaf(f->a, parent, name, "");
    } else if (*f->p == '{') {
        n = sk_oqs_group(f->a, parent, name);
        if (n && !fast_members(f, n, depth))
            return false;
    } else if (*f->p == '[') {
        n = sk_oqs_group(f->a, parent, name);
        if (!n)
            return false;
        n->list = true;
        f->p++;
        fast_ws(f);
        if (f->p < f->end && *f->p == ']') {
            f->p++;
        } else {
            int next = 1;
            while (next == 1) {
                fast_ws(f);
                if (f->p >= f->end || *f->p != '{' || !fast_members(f, n, depth))
                    return false;
                next = fast_next(f, ']');
            }
            if (next < 0)
                return false;
        }
    } else {
        return false;
    }
    if (!n)
        return false;
    if (out)
        *out = n;
    return true;
}

bool sk_oqs_json_read_fast(sk_arena *a, const char *bytes, size_t len, sk_oqs_node **root)
{
    fast f = {a, bytes, bytes + len};
    if (!fast_byte(&f, '{'))
        return false;
    fast_ws(&f);
    const char *key = fast_string(&f);
    if (!key || strcmp(key, "XmlMsg") != 0 || !fast_byte(&f, ':'))
        return false;
    fast_ws(&f);
    if (f.p >= f.end || *f.p != '{' || !fast_value(&f, key, NULL, 1, root) || !fast_byte(&f, '}'))
        return false;
    fast_ws(&f);
    return f.p == f.end;
}

sk_err sk_oqs_json_read(sk_arena *a, const char *bytes, size_t len, sk_oqs_node **root,
                        sk_oqs_error *e)
{
    *root = NULL;
    if (len > SK_OQS_MAX_BYTES)
        return sk_oqs_error_set(e, SK_OQS_TOO_LARGE, "", "the body is larger than the limit");
    if (bytes && sk_oqs_json_read_fast(a, bytes, len, root))
        return SK_OK;
    *root = NULL;
    return sk_oqs_json_read_full(a, bytes, len, root, e);
}

sk_err sk_oqs_json_read_full(sk_arena *a, const char *bytes, size_t len, sk_oqs_node **root,
                             sk_oqs_error *e)
{
    *root = NULL;
    if (len > SK_OQS_MAX_BYTES)
        return sk_oqs_error_set(e, SK_OQS_TOO_LARGE, "", "the body is larger than the limit");
    json_error_t je;
    json_t *doc = json_loadb(bytes ? bytes : "", len, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        return sk_oqs_error_set(e, strstr(je.text, "duplicate") ? SK_OQS_DUPLICATE : SK_OQS_NOT_XML,
                                "", "not JSON: %s (line %d, column %d)", je.text, je.line,
                                je.column);
    }
    sk_err err;
    if (!json_is_object(doc) || json_object_size(doc) != 1 || !json_object_get(doc, "XmlMsg"))
        err = sk_oqs_error_set(e, SK_OQS_STRUCTURE, "XmlMsg", "the body must be {\"XmlMsg\": {…}}");
    else
        err = from_json(a, "XmlMsg", json_object_get(doc, "XmlMsg"), NULL, 1, root, e);
    json_decref(doc);
    if (err)
        *root = NULL;
    return err;
}

/* Writing is direct (no jansson tree, util/buf.h sk_buf_json_string): this is on the path of
 * every Web-API answer. Names are element names; texts are UTF-8 (the trees come from our
 * readers or our answers). */

/* Whether two children share a name (a JSON object could not hold both). */
static bool repeats(const sk_oqs_node *n)
{
    for (const sk_oqs_node *c = n->child; c; c = c->next)
        for (const sk_oqs_node *e = c->next; e; e = e->next)
            if (c->name[0] == e->name[0] && strcmp(c->name, e->name) == 0)
                return true;
    return false;
}

/* A leaf member, `,{"Name":"text"}` (comma and braces as asked), into room reserved once for
 * its worst case; false (nothing written) when the buffer's bound is too tight for that, and
 * the caller writes it piece by piece. Most of an answer is leaves. */
static bool put_leaf(sk_buf *b, const sk_oqs_node *c, bool comma, bool wrap)
{
    size_t nn = strlen(c->name), nt = strlen(c->text);
    if (nn > SIZE_MAX / 16 || nt > SIZE_MAX / 16 || sk_buf_reserve(b, 6 * (nn + nt) + 8) != SK_OK)
        return false;
    char *o = b->data + b->len;
    if (comma)
        *o++ = ',';
    if (wrap)
        *o++ = '{';
    *o++ = '"';
    o = sk_json_escape(o, c->name, nn);
    *o++ = '"';
    *o++ = ':';
    *o++ = '"';
    o = sk_json_escape(o, c->text, nt);
    *o++ = '"';
    if (wrap)
        *o++ = '}';
    *o = '\0';
    b->len = (size_t)(o - b->data);
    return true;
}

static sk_err put_value(sk_buf *b, const sk_oqs_node *n)
{
    if (n->text)
        return sk_buf_json_string(b, n->text);
    /* a list, or a group with a repeated element (two records of a 複数該当 bulk unit), goes as
     * an array of one-member objects, which the reader turns back into the same children */
    bool list = n->list || repeats(n);
    sk_err err = sk_buf_putc(b, list ? '[' : '{');
    for (const sk_oqs_node *c = n->child; !err && c; c = c->next) {
        if (c->text && put_leaf(b, c, c != n->child, list))
            continue;
        if (c != n->child)
            err = sk_buf_putc(b, ',');
        if (!err && list)
            err = sk_buf_putc(b, '{');
        if (!err)
            err = sk_buf_json_string(b, c->name);
        if (!err)
            err = sk_buf_putc(b, ':');
        if (!err)
            err = put_value(b, c);
        if (!err && list)
            err = sk_buf_putc(b, '}');
    }
    return err ? err : sk_buf_putc(b, list ? ']' : '}');
}

sk_err sk_oqs_json_write(const sk_oqs_node *root, sk_buf *out)
{
    sk_buf_reset(out);
    sk_err err = sk_buf_putc(out, '{');
    if (!err)
        err = sk_buf_json_string(out, root->name);
    if (!err)
        err = sk_buf_putc(out, ':');
    if (!err)
        err = put_value(out, root);
    return err ? err : sk_buf_putc(out, '}');
}
