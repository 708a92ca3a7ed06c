/* test_oqs.c — the OQS message formats: every sample of the spec parses; encodings (BOM,
 * declaration, CP932 characters, ● for what Shift_JIS cannot hold, invalid bytes); the reader's
 * refusals (DTD, duplicates, mixed content, depth, size); the fast paths against libxml2 and
 * jansson; every code of the table documented. The exchanges' golden answers are
 * verify/test_oqs_exchange.c's. */
#include "support.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oqs/oqs_int.h"
#include "oqs_support.h"

/* ---- samples ---- */

static void parse_samples_in(const char *dir, int *count)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return;
    struct dirent *de;
    while ((de = readdir(dh))) {
        const char *dot = strrchr(de->d_name, '.');
        if (!dot || (strcmp(dot, ".xml") != 0 && strcmp(dot, ".json") != 0))
            continue;
        char path[4200];
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        size_t len;
        char *bytes = slurp(path, &len);
        assert_non_null(bytes);
        sk_arena *a = arena();
        sk_oqs_node *root = NULL;
        sk_oqs_error e = {0};
        sk_oqs_charset cs;
        sk_err err = strcmp(dot, ".xml") == 0 ? sk_oqs_xml_read(a, bytes, len, &root, &cs, &e)
                                              : sk_oqs_json_read(a, bytes, len, &root, &e);
        if (err)
            fail_msg("%s: %s %s: %s", path, sk_oqs_code_id(e.code), e.element, e.detail);
        assert_string_equal(root->name, "XmlMsg");
        assert_non_null(sk_oqs_child(root, "MessageHeader"));
        assert_non_null(sk_oqs_child(root, "MessageBody"));
        (*count)++;
        sk_arena_free(a);
        free(bytes);
    }
    closedir(dh);
}

/* The Web-API reader's fast path (oqs/json.c) must read what it takes exactly as jansson does,
 * and give every other body to jansson, whose refusals then stand. */
static void assert_same_tree(const sk_oqs_node *x, const sk_oqs_node *y)
{
    assert_string_equal(x->name, y->name);
    assert_int_equal(x->text == NULL, y->text == NULL);
    if (x->text)
        assert_string_equal(x->text, y->text);
    assert_int_equal(x->list, y->list);
    const sk_oqs_node *a = x->child, *b = y->child;
    for (; a && b; a = a->next, b = b->next)
        assert_same_tree(a, b);
    assert_null(a);
    assert_null(b);
}

typedef struct fast_case {
    const char *body;
    bool fast; /* the fast path takes it */
} fast_case;

/* Each body read three ways — the fast path alone, the reader, the full reader (jansson or
 * libxml2) — must give the same outcome, and the fast path must take exactly the plain ones. */
static void check_fast_path(const fast_case *cases, size_t n, bool xml)
{
    for (size_t i = 0; i < n; i++) {
        const char *b = cases[i].body;
        size_t len = strlen(b);
        sk_arena *a = arena();
        sk_oqs_node *fast = NULL, *viaread = NULL, *full = NULL;
        sk_oqs_error e1 = {0}, e2 = {0};
        sk_oqs_charset c1 = SK_OQS_SJIS, c2 = SK_OQS_SJIS;
        bool took =
            xml ? sk_oqs_xml_read_fast(a, b, len, &fast) : sk_oqs_json_read_fast(a, b, len, &fast);
        if (took != cases[i].fast)
            fail_msg("case %zu: the fast path %s it", i, took ? "took" : "did not take");
        sk_err r1 = xml ? sk_oqs_xml_read(a, b, len, &viaread, &c1, &e1)
                        : sk_oqs_json_read(a, b, len, &viaread, &e1);
        sk_err r2 = xml ? sk_oqs_xml_read_full(a, b, len, &full, &c2, &e2)
                        : sk_oqs_json_read_full(a, b, len, &full, &e2);
        if (r1 != r2 || e1.code != e2.code)
            fail_msg("case %zu: %d %s / %d %s", i, r1, e1.detail, r2, e2.detail);
        assert_int_equal(c1, c2);
        assert_string_equal(e1.element, e2.element);
        assert_string_equal(e1.detail, e2.detail);
        if (took) {
            if (r2 != SK_OK)
                fail_msg("case %zu: taken by the fast path, refused by the full reader: %s", i,
                         e2.detail);
            assert_same_tree(fast, full);
        }
        if (!r1)
            assert_same_tree(viaread, full);
        sk_arena_free(a);
    }
}

static void test_json_fast_path_agrees(void **state)
{
    (void)state;
    static const fast_case cases[] = {
        {"{\"XmlMsg\":{\"MessageHeader\":{\"QualificationConfirmationDate\":\"20261122\","
         "\"MedicalInstitutionCode\":\"0110113719\"},\"MessageBody\":{"
         "\"QualificationConfirmSearchInfo\":{\"InsurerNumber\":\"  131011\","
         "\"InsuredIdentificationNumber\":\"1\",\"InsuredBranchNumber\":\"00\","
         "\"Birthdate\":\"19800101\",\"LimitApplicationCertificateRelatedConsFlg\":\"1\"}}}}",
         true},
        {" \r\n{ \"XmlMsg\" : { \"A\" : null , \"B\" : { } ,\"C\":[ ],\"D\":[{\"E\":\"1\"},"
         "{\"E\":\"2\",\"F\":\"\"}] } }\n",
         true},
        {"{\"XmlMsg\":{}}", true},
        {"{\"XmlMsg\":{\"A\":{\"B\":{\"C\":{\"D\":{\"E\":{\"F\":{\"G\":{\"H\":{\"I\":{\"J\":"
         "{\"K\":\"deep\"}}}}}}}}}}}}",
         true},
        /* depth 13: the limit (refused by both) */
        {"{\"XmlMsg\":{\"A\":{\"B\":{\"C\":{\"D\":{\"E\":{\"F\":{\"G\":{\"H\":{\"I\":{\"J\":"
         "{\"K\":{\"L\":\"x\"}}}}}}}}}}}}}",
         false},
        {"{\"XmlMsg\":{\"A\":\"\\u0031\"}}", false},       /* an escape */
        {"{\"XmlMsg\":{\"A\":\"a\\\"b\"}}", false},        /* an escaped quote */
        {"{\"XmlMsg\":{\"A\":\"山田\"}}", false},          /* not ASCII */
        {"{\"XmlMsg\":{\"A\":1}}", false},                 /* a number */
        {"{\"XmlMsg\":{\"A\":true}}", false},              /* a boolean */
        {"{\"XmlMsg\":{\"A\":\"1\",\"A\":\"2\"}}", false}, /* a duplicate */
        {"{\"XmlMsg\":{\"D\":[{\"E\":\"1\",\"E\":\"2\"}]}}", false},
        {"{\"XmlMsg\":{\"1A\":\"x\"}}", false}, /* not an element name */
        {"{\"XmlMsg\":{\"\":\"x\"}}", false},
        {"{\"XmlMsg\":{\"A-B\":\"x\"}}", false},
        {"{\"XmlMsg\":{\"A\":\"x\"}} x", false}, /* trailing bytes */
        {"{\"XmlMsg\":{\"A\":\"x\"},\"Other\":{}}", false},
        {"{\"Other\":{}}", false},
        {"{\"XmlMsg\":\"x\"}", false},
        {"{\"XmlMsg\":{\"A\":\"x\"}", false}, /* cut short */
        {"{\"XmlMsg\":{\"A\":\"x", false},
        {"{\"XmlMsg\":{\"A\":nul}}", false},
        {"{\"XmlMsg\":{\"A\":nullx}}", false},
        {"{\"XmlMsg\":{\"D\":[\"x\"]}}", false},  /* an array of strings */
        {"{\"XmlMsg\":{\"A\":\"a\tb\"}}", false}, /* a raw control character */
        {"{\"XmlMsg\":{\"A\":\"x\",}}", false},   /* a trailing comma */
        {"", false},
        {"[]", false},
    };
    check_fast_path(cases, sizeof(cases) / sizeof(cases[0]), false);
}

/* The same for XML: the fast path (oqs/xml.c) reads what it takes as libxml2 does. */
static void test_xml_fast_path_agrees(void **state)
{
    (void)state;
    static const fast_case cases[] = {
        {"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<XmlMsg>\n<MessageHeader>"
         "<QualificationConfirmationDate>20261122</QualificationConfirmationDate>"
         "<MedicalInstitutionCode>0110113719</MedicalInstitutionCode></MessageHeader>\n"
         "<MessageBody><QualificationConfirmSearchInfo><InsurerNumber>  131011</InsurerNumber>"
         "<InsuredIdentificationNumber>1</InsuredIdentificationNumber></"
         "QualificationConfirmSearchInfo>"
         "</MessageBody>\n</XmlMsg>\n",
         true},
        {"<XmlMsg><A/><B></B><C> </C><D >x y</D ><E\t/></XmlMsg>", true},
        {"<?xml version='1.0'?><XmlMsg><A>1</A><A>2</A></XmlMsg>", true}, /* repeats are kept */
        {"<?xml version=\"1.0\" encoding=\"utf-8\"?>\t\n <XmlMsg>a&gt;b</XmlMsg>", false},
        {"<XmlMsg>a>b</XmlMsg>", true},
        {"<XmlMsg>a]]>b</XmlMsg>", false},              /* not allowed in text */
        {"<XmlMsg>&#49;</XmlMsg>", false},              /* a reference */
        {"<XmlMsg a=\"1\"><A>1</A></XmlMsg>", false},   /* an attribute */
        {"<XmlMsg><!-- c --><A>1</A></XmlMsg>", false}, /* a comment */
        {"<XmlMsg><![CDATA[x]]></XmlMsg>", false},      /* CDATA */
        {"<?xml version=\"1.0\"?><?pi x?><XmlMsg/>", false},
        {"<!DOCTYPE XmlMsg><XmlMsg/>", false},
        {"<XmlMsg>\xe5\xb1\xb1</XmlMsg>", false}, /* not ASCII */
        {"<XmlMsg>a\r\nb</XmlMsg>", false},       /* a CR (line ends are folded) */
        {"<XmlMsg>x<A>1</A></XmlMsg>", false},    /* text beside elements */
        {"<XmlMsg><A>1</B></XmlMsg>", false},     /* mismatched */
        {"<XmlMsg><A>1</AB></XmlMsg>", false},
        {"<XmlMsg><A>1</A>", false},                  /* cut short */
        {"<XmlMsg/><Other/>", false},                 /* two roots */
        {"<ns:XmlMsg xmlns:ns=\"u\"/>", false},       /* a prefix */
        {" <?xml version=\"1.0\"?><XmlMsg/>", false}, /* declaration not first */
        {"<?xml version=\"1.1\"?><XmlMsg/>", false},
        {"<?xml encoding=\"UTF-8\" version=\"1.0\"?><XmlMsg/>", false},
        {"<?xml version=\"1.0\" standalone=\"maybe\"?><XmlMsg/>", false},
        {"<?xml version=\"1.0\"standalone=\"no\"?><XmlMsg/>", false},
        {"<?xml-stylesheet href=\"a\"?><XmlMsg/>", false},
        {"<A><B><C><D><E><F><G><H><I><J><K><L>x</L></K></J></I></H></G></F></E></D></C></B></A>",
         true},
        {"<A><B><C><D><E><F><G><H><I><J><K><L><M>x</M></L></K></J></I></H></G></F></E></D></C></B>"
         "</A>",
         false}, /* deeper than the limit */
        {"", false},
        {"<1A/>", false},
    };
    check_fast_path(cases, sizeof(cases) / sizeof(cases[0]), true);
}

static void test_every_spec_sample_parses(void **state)
{
    (void)state;
    int committed = 0, live = 0;
    parse_samples_in(SK_TEST_DATA "/oqs/spec-samples", &committed);
    assert_int_equal(committed, 6);
    /* the spec folder itself, when this checkout sits beside it */
    parse_samples_in(SK_SPEC_DIR "/samples", &live);
    assert_true(live == 0 || live >= committed);
}

static sk_oqs_node *read_sample(sk_arena *a, const char *name, sk_oqs_charset *cs)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/oqs/spec-samples/%s", SK_TEST_DATA, name);
    size_t len;
    char *bytes = slurp(path, &len);
    sk_oqs_node *root = NULL;
    sk_oqs_error e;
    assert_int_equal(sk_oqs_xml_read(a, bytes, len, &root, cs, &e), SK_OK);
    free(bytes);
    return root;
}

static void test_sample_details(void **state)
{
    (void)state;
    sk_arena *a = arena();
    sk_oqs_charset cs;
    sk_oqs_node *face = read_sample(a, "face-response-utf8.xml", &cs);
    assert_int_equal(cs, SK_OQS_UTF8);
    const char *rec = "MessageBody/ResultList/ResultOfQualificationConfirmation/";
    char path[200];
    snprintf(path, sizeof(path), "%sInsurerNumber", rec);
    assert_string_equal(text_at(face, path), "  123456"); /* leading spaces kept */
    snprintf(path, sizeof(path), "%sName", rec);
    assert_string_equal(text_at(face, path), "診療　太郎");
    sk_oqs_node *mini = read_sample(a, "face-response-minimal.xml", &cs);
    snprintf(path, sizeof(path), "%sNameKana", rec);
    assert_string_equal(text_at(mini, path), "テスト");
    sk_oqs_node *tpl = read_sample(a, "qualification-request-template.xml", &cs);
    assert_string_equal(text_at(tpl, "MessageHeader/ArbitraryFileIdentifier"), "CLINICID");
    assert_string_equal(
        text_at(tpl, "MessageBody/QualificationConfirmSearchInfo/InsuredBranchNumber"), "");
    read_sample(a, "refno-registration-request.xml", &cs);
    assert_int_equal(cs, SK_OQS_SJIS);
    sk_oqs_node *dl = read_sample(a, "refno-bulk-download-request.xml", &cs);
    assert_int_equal(cs, SK_OQS_UTF8); /* no declaration */
    assert_string_equal(text_at(dl, "MessageBody/ReceptionNumber"), "123456...");

    size_t len;
    char *json = slurp(SK_TEST_DATA "/oqs/spec-samples/webapi-search-response.json", &len);
    sk_oqs_node *root;
    sk_oqs_error e;
    assert_int_equal(sk_oqs_json_read(a, json, len, &root, &e), SK_OK);
    const sk_oqs_node *list = sk_oqs_child(sk_oqs_child(root, "MessageBody"), "ResultList");
    assert_true(list->list);
    snprintf(
        path, sizeof(path),
        "%sLimitApplicationCertificateRelatedInfo/LimitApplicationCertificateClassificationFlag",
        rec);
    assert_string_equal(text_at(root, path), "A03");
    /* writing it back gives the same JSON (order kept, ResultList an array) */
    sk_buf out;
    sk_buf_init(&out, 1 << 20);
    assert_int_equal(sk_oqs_json_write(root, &out), SK_OK);
    sk_oqs_node *again;
    assert_int_equal(sk_oqs_json_read(a, out.data, out.len, &again, &e), SK_OK);
    assert_string_equal(text_at(again, path), "A03");
    assert_non_null(strstr(out.data, "\"ResultList\":[{\"ResultOfQualificationConfirmation\":{"));
    sk_buf_deinit(&out);
    free(json);
    sk_arena_free(a);
}

/* ---- encodings and refusals ---- */

static sk_oqs_code read_code(const char *bytes, size_t len, sk_oqs_charset *cs)
{
    sk_arena *a = arena();
    sk_oqs_node *root;
    sk_oqs_error e = {.code = SK_OQS_OK};
    sk_oqs_charset local;
    sk_err err = sk_oqs_xml_read(a, bytes, len, &root, cs ? cs : &local, &e);
    sk_arena_free(a);
    if (!err)
        return SK_OQS_OK;
    assert_int_not_equal(e.code, SK_OQS_OK);
    assert_true(e.detail[0] != '\0');
    return e.code;
}
#define READ(lit, cs) read_code(lit, sizeof(lit) - 1, cs)

static void test_encodings(void **state)
{
    (void)state;
    sk_oqs_charset cs;
    /* CP932-only characters (NEC and IBM extensions) decode */
    static const char sjis[] = "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>"
                               "<XmlMsg><A>\x87\x40\xfb\xfc\xfa\xb1</A></XmlMsg>";
    sk_arena *a = arena();
    sk_oqs_node *root;
    sk_oqs_error e;
    assert_int_equal(sk_oqs_xml_read(a, sjis, sizeof(sjis) - 1, &root, &cs, &e), SK_OK);
    assert_int_equal(cs, SK_OQS_SJIS);
    assert_string_equal(text_at(root, "A"), "①髙﨑");
    /* and go back out as the same bytes; 𠮷 has no CP932 form and becomes ● */
    sk_oqs_node *out = sk_oqs_group(a, NULL, "XmlMsg");
    sk_oqs_leaf(a, out, "A", "①髙﨑𠮷〜");
    sk_buf b;
    sk_buf_init(&b, 4096);
    size_t replaced;
    assert_int_equal(sk_oqs_xml_write(out, SK_OQS_SJIS, &b, &replaced), SK_OK);
    assert_int_equal(replaced, 1);
    assert_non_null(strstr(b.data, "encoding=\"Shift_JIS\""));
    assert_non_null(strstr(b.data, "<A>\x87\x40\xfb\xfc\xfa\xb1\x81\x9c\x81\x60</A>"));
    sk_buf_deinit(&b);
    sk_arena_free(a);

    assert_int_equal(READ("\xEF\xBB\xBF<XmlMsg><A>x</A></XmlMsg>", &cs), SK_OQS_OK);
    assert_int_equal(READ("<?xml version='1.0' encoding='utf-8'?><XmlMsg/>", &cs), SK_OQS_OK);
    assert_int_equal(cs, SK_OQS_UTF8);
    assert_int_equal(READ("<?xml version=\"1.0\" encoding = \"windows-31j\"?><XmlMsg/>", &cs),
                     SK_OQS_OK);
    assert_int_equal(cs, SK_OQS_SJIS);
    assert_int_equal(READ("<?xml version=\"1.0\" encoding=\"EUC-JP\"?><XmlMsg/>", NULL),
                     SK_OQS_ENCODING);
    assert_int_equal(READ("<XmlMsg><A>\xff\xfe</A></XmlMsg>", NULL), SK_OQS_ENCODING);
    assert_int_equal(READ("\xff\xfe<\0X\0", NULL), SK_OQS_ENCODING);
    assert_int_equal(
        READ("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><XmlMsg><A>\x81</A></XmlMsg>", NULL),
        SK_OQS_ENCODING);
}

static void test_reader_refusals(void **state)
{
    (void)state;
    assert_int_equal(READ("<XmlMsg><A>x</XmlMsg>", NULL), SK_OQS_NOT_XML);
    assert_int_equal(READ("", NULL), SK_OQS_NOT_XML);
    assert_int_equal(READ("<!DOCTYPE XmlMsg [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]>"
                          "<XmlMsg><A>&b;</A></XmlMsg>",
                          NULL),
                     SK_OQS_STRUCTURE);
    assert_int_equal(READ("<XmlMsg><A>text<B>x</B></A></XmlMsg>", NULL), SK_OQS_STRUCTURE);
    char deep[2000] = "";
    for (int i = 0; i < 20; i++)
        strcat(deep, "<a>");
    for (int i = 0; i < 20; i++)
        strcat(deep, "</a>");
    assert_int_equal(read_code(deep, strlen(deep), NULL), SK_OQS_TOO_LARGE);
    /* XML's own entities and character references are fine */
    sk_arena *a = arena();
    sk_oqs_node *root;
    sk_oqs_error e;
    /* a Web-API value XML could not carry (U+FFFF, escaped or not) is refused */
    static const char nonchar[] = "{\"XmlMsg\":{\"A\":\"x\xef\xbf\xbfy\"}}";
    assert_int_equal(sk_oqs_json_read(a, nonchar, sizeof(nonchar) - 1, &root, &e), SK_ERR_INVALID);
    assert_int_equal(e.code, SK_OQS_HEADER_INVALID);
    static const char nonchar_esc[] = "{\"XmlMsg\":{\"A\":\"x\\ufffe\"}}";
    assert_int_equal(sk_oqs_json_read(a, nonchar_esc, sizeof(nonchar_esc) - 1, &root, &e),
                     SK_ERR_INVALID);
    sk_oqs_charset cs;
    static const char amp[] = "<XmlMsg><A>a&amp;b&#x3042;</A></XmlMsg>";
    assert_int_equal(sk_oqs_xml_read(a, amp, sizeof(amp) - 1, &root, &cs, &e), SK_OK);
    assert_string_equal(text_at(root, "A"), "a&bあ");
    /* written back: entities for & < >, indented groups, and read back to the same text */
    sk_oqs_node *w = sk_oqs_group(a, NULL, "XmlMsg");
    sk_oqs_node *g = sk_oqs_group(a, w, "G");
    assert_non_null(sk_oqs_leaf(a, g, "A", "a&b<c>d&&"));
    assert_non_null(sk_oqs_leaf(a, w, "B", ""));
    sk_buf wb;
    sk_buf_init(&wb, 1 << 16);
    assert_int_equal(sk_oqs_xml_write(w, SK_OQS_UTF8, &wb, NULL), SK_OK);
    assert_string_equal(wb.data, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
                                 "<XmlMsg>\n    <G>\n        <A>a&amp;b&lt;c&gt;d&amp;&amp;</A>\n"
                                 "    </G>\n    <B></B>\n</XmlMsg>\n");
    assert_int_equal(sk_oqs_xml_read(a, wb.data, wb.len, &root, &cs, &e), SK_OK);
    assert_string_equal(text_at(sk_oqs_child(root, "G"), "A"), "a&b<c>d&&");
    /* a bound the exact text fits but the worst case would not: written piece by piece */
    size_t exact = wb.len;
    sk_buf_deinit(&wb);
    sk_buf_init(&wb, exact);
    assert_int_equal(sk_oqs_xml_write(w, SK_OQS_UTF8, &wb, NULL), SK_OK);
    assert_int_equal(wb.len, exact);
    sk_buf_deinit(&wb);
    sk_buf_init(&wb, exact - 1);
    assert_int_equal(sk_oqs_xml_write(w, SK_OQS_UTF8, &wb, NULL), SK_ERR_TOOBIG);
    sk_buf_deinit(&wb);
    /* the Web-API form of a tree: escapes, a group, repeated names as an array of one-member
     * objects; the same with a bound the exact text fits (written piece by piece), one less */
    sk_oqs_node *j = sk_oqs_group(a, NULL, "XmlMsg");
    sk_oqs_node *jg = sk_oqs_group(a, j, "G");
    assert_non_null(sk_oqs_leaf(a, jg, "A", "a\"b\\c\n\x01"));
    assert_non_null(sk_oqs_leaf(a, j, "B", ""));
    assert_non_null(sk_oqs_leaf(a, j, "R", "1"));
    assert_non_null(sk_oqs_leaf(a, j, "R", "2"));
    static const char want_json[] = "{\"XmlMsg\":[{\"G\":{\"A\":\"a\\\"b\\\\c\\n\\u0001\"}},"
                                    "{\"B\":\"\"},{\"R\":\"1\"},{\"R\":\"2\"}]}";
    for (int bound = 0; bound < 3; bound++) {
        size_t max = bound == 0 ? 1 << 16 : sizeof(want_json) - (size_t)bound;
        sk_buf_init(&wb, max);
        sk_err werr = sk_oqs_json_write(j, &wb);
        if (bound < 2) {
            assert_int_equal(werr, SK_OK);
            assert_string_equal(wb.data, want_json);
        } else {
            assert_int_equal(werr, SK_ERR_TOOBIG);
        }
        sk_buf_deinit(&wb);
    }
    /* a duplicate singleton is refused where it is read */
    static const char dup[] = "<XmlMsg><A>1</A><A>2</A></XmlMsg>";
    assert_int_equal(sk_oqs_xml_read(a, dup, sizeof(dup) - 1, &root, &cs, &e), SK_OK);
    const char *v;
    assert_int_equal(sk_oqs_single_text(root, "A", &v, &e), SK_ERR_INVALID);
    assert_int_equal(e.code, SK_OQS_DUPLICATE);
    sk_arena_free(a);
}

static void test_codes_documented(void **state)
{
    (void)state;
    size_t len;
    char *doc = slurp(SK_SOURCE_DIR "/docs/oqs-codes.md", &len);
    assert_non_null(doc);
    assert_non_null(strstr(doc, "not official"));
    for (int c = 1; c < SK_OQS__COUNT; c++) {
        char row[64];
        snprintf(row, sizeof(row), "| `%s` |", sk_oqs_code_id((sk_oqs_code)c));
        if (!strstr(doc, row))
            fail_msg("docs/oqs-codes.md has no row for %s", sk_oqs_code_id((sk_oqs_code)c));
        if (!strstr(doc, sk_oqs_code_message((sk_oqs_code)c)))
            fail_msg("docs/oqs-codes.md lacks the message of %s", sk_oqs_code_id((sk_oqs_code)c));
        for (const char *p = sk_oqs_code_id((sk_oqs_code)c); *p; p++)
            assert_true(isalnum((unsigned char)*p));
    }
    free(doc);
}

/* The bridge's own refusal document: SegmentOfResult 9 in the header and the same code and
 * message in the body with ProcessingResultStatus 2; the readable header of a refused request. */
static void test_error_result(void **state)
{
    (void)state;
    sk_arena *a = arena();
    sk_oqs_error e;
    sk_oqs_error_set(&e, SK_OQS_TOO_LARGE, "", "5 MiB");
    sk_oqs_node *r = sk_oqs_error_result(a, &e, SK_OQS_SJIS, 0);
    assert_non_null(r);
    assert_string_equal(text_at(r, "MessageHeader/SegmentOfResult"), "9");
    assert_string_equal(text_at(r, "MessageHeader/ErrorCode"), "SKF008");
    assert_string_equal(text_at(r, "MessageHeader/CharacterCodeIdentifier"), "1");
    assert_string_equal(text_at(r, "MessageBody/ProcessingResultStatus"), "2");
    assert_string_equal(text_at(r, "MessageBody/ProcessingResultCode"), "SKF008");
    assert_string_equal(text_at(r, "MessageBody/ProcessingResultMessage"),
                        text_at(r, "MessageHeader/ErrorMessage"));

    const char *x = "<XmlMsg><MessageHeader>"
                    "<QualificationConfirmationDate>20261121</QualificationConfirmationDate>"
                    "<MedicalInstitutionCode>01101137</MedicalInstitutionCode>"
                    "<ArbitraryFileIdentifier>a</ArbitraryFileIdentifier>"
                    "<ArbitraryFileIdentifier>b</ArbitraryFileIdentifier>"
                    "</MessageHeader><MessageBody/></XmlMsg>";
    sk_oqs_node *root;
    sk_oqs_charset cs;
    assert_int_equal(sk_oqs_xml_read(a, x, strlen(x), &root, &cs, &e), SK_OK);
    sk_oqs_request rq;
    sk_oqs_peek_header(root, &rq);
    assert_string_equal(rq.date, "20261121");
    assert_null(rq.institution); /* 8 digits: not a 医療機関コード */
    assert_null(rq.file_id);     /* twice: neither */
    sk_oqs_peek_header(NULL, &rq);
    assert_null(rq.date);
    sk_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_spec_sample_parses),
        cmocka_unit_test(test_json_fast_path_agrees),
        cmocka_unit_test(test_xml_fast_path_agrees),
        cmocka_unit_test(test_sample_details),
        cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_reader_refusals),
        cmocka_unit_test(test_codes_documented),
        cmocka_unit_test(test_error_result),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
