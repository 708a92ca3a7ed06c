/* xml.c — OQS XML files (oqs-messages §3, §8): reading with libxml2 into sk_oqs_node
 * trees, writing trees back in table order with a 4-space indent, and the node helpers.
 *
 * Reading: the encoding is taken from the declaration by us, not by libxml2, so that
 * Shift_JIS is decoded as CP932 and anything else is refused with SKF002; libxml2 then parses
 * UTF-8 with the declaration's encoding ignored. A DTD is refused (no entity can be declared,
 * so none can expand), the network is never used, and libxml2's own depth limit plus ours
 * bound the tree. Whitespace between elements is layout; text inside a leaf is kept exactly
 * (leading spaces are significant: `  123456`). */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "oqs/oqs_int.h"
#include "util/text.h"
#include "util/utf8.h"

/* ---- nodes ---- */

static sk_oqs_node *node_new(sk_arena *a, sk_oqs_node *parent, const char *name, const char *text)
{
    sk_oqs_node *n = sk_arena_calloc(a, sizeof(*n));
    if (!n)
        return NULL;
    n->name = name;
    n->text = text;
    if (parent) {
        if (parent->last)
            parent->last->next = n;
        else
            parent->child = n;
        parent->last = n;
    }
    return n;
}

sk_oqs_node *sk_oqs_group(sk_arena *a, sk_oqs_node *parent, const char *name)
{
    return node_new(a, parent, name, NULL);
}

sk_oqs_node *sk_oqs_leaf(sk_arena *a, sk_oqs_node *parent, const char *name, const char *text)
{
    char *copy = sk_arena_strndup(a, text ? text : "", text ? strlen(text) : 0);
    return copy ? node_new(a, parent, name, copy) : NULL;
}

const sk_oqs_node *sk_oqs_child(const sk_oqs_node *n, const char *name)
{
    for (const sk_oqs_node *c = n ? n->child : NULL; c; c = c->next)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

sk_err sk_oqs_single_text(const sk_oqs_node *n, const char *name, const char **out, sk_oqs_error *e)
{
    *out = NULL;
    const sk_oqs_node *found = NULL;
    for (const sk_oqs_node *c = n ? n->child : NULL; c; c = c->next) {
        if (strcmp(c->name, name) != 0)
            continue;
        if (found)
            return sk_oqs_error_set(e, SK_OQS_DUPLICATE, name, "%s occurs more than once in %s",
                                    name, n->name);
        found = c;
    }
    if (found && !found->text)
        return sk_oqs_error_set(e, SK_OQS_STRUCTURE, name,
                                "%s holds elements where a value belongs", name);
    if (found && *found->text)
        *out = found->text;
    return SK_OK;
}

/* ---- reading ---- */

/* The encoding named by an XML declaration at the start of p, copied into name ("" when
 * there is no declaration or it names none). */
static void declared_encoding(const char *p, size_t len, char name[32])
{
    name[0] = '\0';
    if (len < 5 || memcmp(p, "<?xml", 5) != 0)
        return;
    size_t end = 5;
    while (end + 1 < len && end < 512 && !(p[end] == '?' && p[end + 1] == '>'))
        end++;
    const char *key = NULL;
    for (size_t i = 5; i + 8 <= end; i++)
        if (memcmp(p + i, "encoding", 8) == 0) {
            key = p + i + 8;
            break;
        }
    if (!key)
        return;
    const char *q = key, *stop = p + end;
    while (q < stop && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n'))
        q++;
    if (q >= stop || *q++ != '=')
        return;
    while (q < stop && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n'))
        q++;
    if (q >= stop || (*q != '"' && *q != '\''))
        return;
    char quote = *q++;
    size_t n = 0;
    while (q < stop && *q != quote && n < 31)
        name[n++] = *q++;
    name[n] = '\0';
}

static bool charset_of(const char *name, sk_oqs_charset *cs)
{
    static const char *const utf8[] = {"UTF-8", "UTF8"};
    static const char *const sjis[] = {"Shift_JIS", "Shift-JIS", "SJIS",   "Windows-31J",
                                       "CP932",     "MS932",     "x-sjis", "MS_Kanji"};
    for (size_t i = 0; i < sizeof(utf8) / sizeof(*utf8); i++)
        if (strcasecmp(name, utf8[i]) == 0) {
            *cs = SK_OQS_UTF8;
            return true;
        }
    for (size_t i = 0; i < sizeof(sjis) / sizeof(*sjis); i++)
        if (strcasecmp(name, sjis[i]) == 0) {
            *cs = SK_OQS_SJIS;
            return true;
        }
    return false;
}

static bool all_space(const xmlChar *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return false;
    return true;
}

static sk_err convert(sk_arena *a, xmlNode *x, sk_oqs_node *parent, int depth, sk_oqs_node **out,
                      sk_oqs_error *e)
{
    const char *name = (const char *)x->name;
    if (depth > SK_OQS_MAX_DEPTH)
        return sk_oqs_error_set(e, SK_OQS_TOO_LARGE, name, "elements are nested more than %d deep",
                                SK_OQS_MAX_DEPTH);
    bool has_elements = false;
    for (xmlNode *c = x->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            has_elements = true;
    char *copy = sk_arena_strndup(a, name, strlen(name));
    sk_oqs_node *n = copy ? node_new(a, parent, copy, NULL) : NULL;
    if (!n)
        return sk_oqs_error_set(e, SK_OQS_TOO_LARGE, name, "the message has too many elements");
    if (has_elements) {
        for (xmlNode *c = x->children; c; c = c->next) {
            if (c->type == XML_ELEMENT_NODE) {
                sk_err err = convert(a, c, n, depth + 1, NULL, e);
                if (err)
                    return err;
            } else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
                       !all_space(c->content)) {
                return sk_oqs_error_set(e, SK_OQS_STRUCTURE, name, "%s mixes text and elements",
                                        name);
            }
        }
    } else {
        xmlChar *text = xmlNodeGetContent(x);
        const char *t = text ? (const char *)text : "";
        n->text = sk_arena_strndup(a, t, strlen(t));
        xmlFree(text);
        if (!n->text)
            return sk_oqs_error_set(e, SK_OQS_TOO_LARGE, name, "the message is too large");
    }
    if (out)
        *out = n;
    return SK_OK;
}

/* ---- the fast path ----
 * A receipt computer's request in UTF-8 is plain ASCII markup: a declaration, elements without
 * attributes, digits and flags. Such a file is read in one pass straight into the tree; libxml2
 * (below) reads every other one — any byte outside printable ASCII and tab/LF, a CR, an
 * attribute, an entity or character reference, a comment, a processing instruction, CDATA, a
 * DTD, a name with a colon, text beside elements, too deep, not well formed — so accepted
 * trees and every refusal are libxml2's. test_oqs and fuzz_oqs compare the two. */

typedef struct xfast {
    sk_arena *a;
    const char *p, *end;
} xfast;

static void xf_ws(xfast *f)
{
    while (f->p < f->end && (*f->p == ' ' || *f->p == '\t' || *f->p == '\n'))
        f->p++;
}

static bool xf_name_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool xf_name_char(char c)
{
    return xf_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* A name; its length, 0 when none starts here. */
static size_t xf_name(const xfast *f)
{
    size_t n = 0;
    if (f->p >= f->end || !xf_name_start(f->p[0]))
        return 0;
    while (f->p + n < f->end && xf_name_char(f->p[n]))
        n++;
    return n;
}

/* The declaration, strictly: version="1.0", then optionally encoding, then optionally
 * standalone yes/no, in that order; anything else is for libxml2. */
static bool xf_declaration(xfast *f)
{
    static const char *const names[] = {"version", "encoding", "standalone"};
    if (f->end - f->p < 5 || memcmp(f->p, "<?xml", 5) != 0)
        return true; /* none */
    f->p += 5;
    size_t next = 0;
    for (;;) {
        const char *before = f->p;
        xf_ws(f);
        if (f->end - f->p >= 2 && f->p[0] == '?' && f->p[1] == '>') {
            f->p += 2;
            return next > 0;
        }
        if (f->p == before) /* attributes are separated by blanks */
            return false;
        size_t n = xf_name(f);
        size_t k = next;
        while (k < 3 && (strlen(names[k]) != n || memcmp(f->p, names[k], n) != 0))
            k++;
        if (k == 3 || (next == 0 && k != 0))
            return false;
        f->p += n;
        xf_ws(f);
        if (f->p >= f->end || *f->p++ != '=')
            return false;
        xf_ws(f);
        if (f->p >= f->end || (*f->p != '"' && *f->p != '\''))
            return false;
        char quote = *f->p++;
        const char *v = f->p;
        while (f->p < f->end && *f->p != quote)
            f->p++;
        if (f->p >= f->end)
            return false;
        size_t vlen = (size_t)(f->p++ - v);
        if (k == 0 && !(vlen == 3 && memcmp(v, "1.0", 3) == 0))
            return false;
        if (k == 1 && !(vlen == 5 && strncasecmp(v, "UTF-8", 5) == 0))
            return false;
        if (k == 2 &&
            !((vlen == 3 && memcmp(v, "yes", 3) == 0) || (vlen == 2 && memcmp(v, "no", 2) == 0)))
            return false;
        next = k + 1;
    }
}

/* One element and its content; f->p at '<'. */
static bool xf_element(xfast *f, sk_oqs_node *parent, int depth, sk_oqs_node **out)
{
    if (depth > SK_OQS_MAX_DEPTH)
        return false;
    f->p++;
    size_t n = xf_name(f);
    if (!n)
        return false;
    const char *name = f->p;
    char *copy = sk_arena_strndup(f->a, name, n);
    sk_oqs_node *node = copy ? node_new(f->a, parent, copy, NULL) : NULL;
    if (!node)
        return false;
    f->p += n;
    xf_ws(f);
    if (f->end - f->p >= 2 && f->p[0] == '/' && f->p[1] == '>') {
        f->p += 2;
        node->text = "";
    } else {
        if (f->p >= f->end || *f->p++ != '>')
            return false; /* an attribute, or worse */
        const char *text = f->p;
        bool blank = true, children = false;
        for (;;) {
            while (f->p < f->end && *f->p != '<') {
                if (*f->p == '&' ||
                    (*f->p == '>' && f->p - text >= 2 && f->p[-1] == ']' && f->p[-2] == ']'))
                    return false;
                if (*f->p != ' ' && *f->p != '\t' && *f->p != '\n')
                    blank = false;
                f->p++;
            }
            if (f->p + 1 >= f->end)
                return false;
            if (f->p[1] == '/')
                break;
            if (!xf_name_start(f->p[1])) /* a comment, CDATA, a PI */
                return false;
            if (!blank) /* text beside elements */
                return false;
            children = true;
            if (!xf_element(f, node, depth + 1, NULL))
                return false;
            text = f->p;
        }
        if (!children && !(node->text = sk_arena_strndup(f->a, text, (size_t)(f->p - text))))
            return false;
        if (children && !blank)
            return false;
        f->p += 2;
        if ((size_t)(f->end - f->p) < n || memcmp(f->p, name, n) != 0)
            return false;
        f->p += n;
        if (f->p < f->end && xf_name_char(*f->p))
            return false;
        xf_ws(f);
        if (f->p >= f->end || *f->p++ != '>')
            return false;
    }
    if (out)
        *out = node;
    return true;
}

bool sk_oqs_xml_read_fast(sk_arena *a, const char *bytes, size_t len, sk_oqs_node **root)
{
    *root = NULL;
    for (size_t i = 0; i < len; i++) { /* printable ASCII, tab and LF only */
        unsigned char c = (unsigned char)bytes[i];
        if ((c < 0x20 && c != '\t' && c != '\n') || c > 0x7E)
            return false;
    }
    xfast f = {a, bytes, bytes + len};
    bool ok = xf_declaration(&f);
    if (ok) {
        xf_ws(&f);
        ok = f.p < f.end && *f.p == '<' && xf_element(&f, NULL, 1, root);
    }
    if (ok) {
        xf_ws(&f);
        ok = f.p == f.end;
    }
    if (!ok)
        *root = NULL;
    return ok;
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_init(void)
{
    xmlInitParser();
}

static sk_err xml_read(sk_arena *a, const char *bytes, size_t len, sk_oqs_node **root,
                       sk_oqs_charset *cs, sk_oqs_error *e, bool fast)
{
    *root = NULL;
    *cs = SK_OQS_UTF8;
    if (len > SK_OQS_MAX_BYTES)
        return sk_oqs_error_set(e, SK_OQS_TOO_LARGE, "", "the file has %zu bytes; the limit is %u",
                                len, SK_OQS_MAX_BYTES);
    if (len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) {
        bytes += 3;
        len -= 3;
    } else if (len >= 2 && ((unsigned char)bytes[0] == 0xFF || (unsigned char)bytes[0] == 0xFE)) {
        return sk_oqs_error_set(e, SK_OQS_ENCODING, "",
                                "UTF-16 files are not accepted; use UTF-8 or Shift_JIS");
    }
    char enc[32];
    declared_encoding(bytes, len, enc);
    if (enc[0] && !charset_of(enc, cs))
        return sk_oqs_error_set(e, SK_OQS_ENCODING, "",
                                "encoding \"%s\" is neither UTF-8 nor Shift_JIS", enc);

    const char *utf8 = bytes;
    size_t utf8_len = len;
    sk_err err = SK_OK;
    if (*cs == SK_OQS_SJIS) {
        char *text;
        sk_text_encoding used;
        sk_diag d;
        if (sk_text_to_utf8(bytes, len, SK_ENC_SJIS, a, &text, &utf8_len, &used, &d) != SK_OK)
            return sk_oqs_error_set(e, d.code == SK_C_NOMEM ? SK_OQS_TOO_LARGE : SK_OQS_ENCODING,
                                    "", "%s", d.message);
        utf8 = text;
    } else if (fast && sk_oqs_xml_read_fast(a, bytes, len, root)) {
        return SK_OK;
    } else if (!sk_utf8_valid(bytes, len)) {
        return sk_oqs_error_set(e, SK_OQS_ENCODING, "", "the file is not valid UTF-8");
    }
    if (utf8_len > INT32_MAX)
        return sk_oqs_error_set(e, SK_OQS_TOO_LARGE, "", "the file is too large");

    pthread_once(&xml_once, xml_init);
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return sk_oqs_error_set(e, SK_OQS_INTERNAL, "", "out of memory");
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, utf8, (int)utf8_len, NULL, "UTF-8",
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                          XML_PARSE_IGNORE_ENC | XML_PARSE_NOCDATA);
    if (!doc) {
        const xmlError *xe = xmlCtxtGetLastError(ctxt);
        char msg[160] = "not well-formed";
        if (xe && xe->message) {
            snprintf(msg, sizeof(msg), "%s", xe->message);
            size_t m = strlen(msg);
            while (m && (msg[m - 1] == '\n' || msg[m - 1] == ' '))
                msg[--m] = '\0';
        }
        err = sk_oqs_error_set(e, SK_OQS_NOT_XML, "", "not well-formed XML at line %d: %s",
                               xe ? xe->line : 0, msg);
    } else if (doc->intSubset || doc->extSubset) {
        err = sk_oqs_error_set(e, SK_OQS_STRUCTURE, "", "a DTD is not allowed in an OQS message");
    } else {
        xmlNode *top = xmlDocGetRootElement(doc);
        err = top ? convert(a, top, NULL, 1, root, e)
                  : sk_oqs_error_set(e, SK_OQS_NOT_XML, "", "the file has no element");
    }
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    if (err)
        *root = NULL;
    return err;
}

sk_err sk_oqs_xml_read(sk_arena *a, const char *bytes, size_t len, sk_oqs_node **root,
                       sk_oqs_charset *cs, sk_oqs_error *e)
{
    return xml_read(a, bytes, len, root, cs, e, true);
}

sk_err sk_oqs_xml_read_full(sk_arena *a, const char *bytes, size_t len, sk_oqs_node **root,
                            sk_oqs_charset *cs, sk_oqs_error *e)
{
    return xml_read(a, bytes, len, root, cs, e, false);
}

/* ---- writing ---- */

static sk_err put_escaped(sk_buf *b, const char *s)
{
    sk_err err = SK_OK;
    while (!err && *s) {
        size_t run = strcspn(s, "&<>");
        err = sk_buf_append(b, s, run);
        s += run;
        if (!err && *s) {
            err = sk_buf_puts(b, *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : "&gt;");
            s++;
        }
    }
    return err;
}

/* Piece by piece through sk_buf_append: for an element whose worst case would pass the bound. */
static sk_err put_node(sk_buf *b, const sk_oqs_node *n, int depth);
static sk_err put_node_bounded(sk_buf *b, const sk_oqs_node *n, int depth)
{
    static const char spaces[] = "                                                ";
    size_t indent = (size_t)depth * 4 < sizeof(spaces) - 1 ? (size_t)depth * 4 : sizeof(spaces) - 1;
    size_t name_len = strlen(n->name);
    sk_err err = sk_buf_append(b, spaces, indent);
    if (!err && !(err = sk_buf_putc(b, '<')) && !(err = sk_buf_append(b, n->name, name_len)))
        err = sk_buf_putc(b, '>');
    if (err)
        return err;
    if (n->text) {
        err = put_escaped(b, n->text);
    } else {
        err = sk_buf_putc(b, '\n');
        for (const sk_oqs_node *c = n->child; !err && c; c = c->next)
            err = put_node(b, c, depth + 1);
        if (!err)
            err = sk_buf_append(b, spaces, indent);
    }
    if (!err && !(err = sk_buf_append(b, "</", 2)) && !(err = sk_buf_append(b, n->name, name_len)))
        err = sk_buf_append(b, ">\n", 2);
    return err;
}

static char *put_raw(char *o, const char *s, size_t n)
{
    memcpy(o, s, n);
    return o + n;
}

/* An element with its text, or a group's opening tag, written into room reserved once for its
 * worst case (every text byte an entity), then the children; an answer has some forty. */
static sk_err put_node(sk_buf *b, const sk_oqs_node *n, int depth)
{
    static const char spaces[] = "                                                ";
    size_t indent = (size_t)depth * 4 < sizeof(spaces) - 1 ? (size_t)depth * 4 : sizeof(spaces) - 1;
    size_t name_len = strlen(n->name), text_len = n->text ? strlen(n->text) : 0;
    if (text_len > (SIZE_MAX / 2 - 2 * name_len - indent) / 5 ||
        sk_buf_reserve(b, indent + 2 * name_len + 5 * text_len + 6) != SK_OK)
        return put_node_bounded(b, n, depth);
    char *o = b->data + b->len;
    o = put_raw(o, spaces, indent);
    *o++ = '<';
    o = put_raw(o, n->name, name_len);
    *o++ = '>';
    if (!n->text) {
        *o++ = '\n';
        *o = '\0';
        b->len = (size_t)(o - b->data);
        sk_err err = SK_OK;
        for (const sk_oqs_node *c = n->child; !err && c; c = c->next)
            err = put_node(b, c, depth + 1);
        if (!err && !(err = sk_buf_append(b, spaces, indent)) &&
            !(err = sk_buf_append(b, "</", 2)) && !(err = sk_buf_append(b, n->name, name_len)))
            err = sk_buf_append(b, ">\n", 2);
        return err;
    }
    for (const char *s = n->text; *s; s++) {
        if (*s == '&')
            o = put_raw(o, "&amp;", 5);
        else if (*s == '<')
            o = put_raw(o, "&lt;", 4);
        else if (*s == '>')
            o = put_raw(o, "&gt;", 4);
        else
            *o++ = *s;
    }
    *o++ = '<';
    *o++ = '/';
    o = put_raw(o, n->name, name_len);
    *o++ = '>';
    *o++ = '\n';
    *o = '\0';
    b->len = (size_t)(o - b->data);
    return SK_OK;
}

sk_err sk_oqs_xml_write(const sk_oqs_node *root, sk_oqs_charset cs, sk_buf *out, size_t *replaced)
{
    if (replaced)
        *replaced = 0;
    sk_buf_reset(out);
    const char *decl = cs == SK_OQS_SJIS
                           ? "<?xml version=\"1.0\" encoding=\"Shift_JIS\" standalone=\"no\"?>\n"
                           : "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n";
    sk_err err = sk_buf_puts(out, decl);
    if (!err && cs == SK_OQS_UTF8)
        return put_node(out, root, 0);
    sk_buf utf8;
    sk_buf_init(&utf8, out->max);
    if (!err)
        err = put_node(&utf8, root, 0);
    if (!err)
        err = sk_text_utf8_to_cp932(utf8.data, utf8.len, out, replaced);
    sk_buf_deinit(&utf8);
    return err;
}
