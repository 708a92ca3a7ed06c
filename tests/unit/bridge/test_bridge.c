/* test_bridge.c — the folder exchange with a stand-in server: name mapping, answers written
 * whole and never rewritten, refusals as .err, retries that keep the request, a restart after a
 * crash between writing the answer and removing the request, the folder lock. */
#include "support.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bridge/bridge.h"

typedef struct fake {
    unsigned status;
    const char *body;
    bool fail; /* transport error */
    int calls;
    char last_message[32];
    char last_key[96];
} fake;

static sk_err fake_send(void *ctx, const char *message, const char *idem_key, const char *bytes,
                        size_t len, unsigned *status, sk_buf *body, sk_diag *d)
{
    fake *f = ctx;
    snprintf(f->last_key, sizeof(f->last_key), "%s", idem_key ? idem_key : "");
    (void)bytes;
    (void)len;
    f->calls++;
    snprintf(f->last_message, sizeof(f->last_message), "%s", message);
    if (f->fail)
        return sk_diag_set(d, SK_C_IO, "server", "connection refused");
    *status = f->status;
    return sk_buf_puts(body, f->body);
}

static void put(const char *dir, const char *sub, const char *name, const char *text)
{
    char p[4300];
    snprintf(p, sizeof(p), "%s/%s/%s", dir, sub, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *get(const char *dir, const char *sub, const char *name)
{
    char p[4300];
    snprintf(p, sizeof(p), "%s/%s/%s", dir, sub, name);
    FILE *f = fopen(p, "rb");
    if (!f)
        return NULL;
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static bool exists(const char *dir, const char *sub, const char *name)
{
    char p[4300];
    snprintf(p, sizeof(p), "%s/%s/%s", dir, sub, name);
    return access(p, F_OK) == 0;
}

static char *folder(void)
{
    char *dir = sk_test_tmpdir();
    char p[4200];
    snprintf(p, sizeof(p), "%s/req", dir);
    assert_int_equal(mkdir(p, 0700), 0);
    return dir;
}

static const char ok_xml[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XmlMsg><MessageHeader>"
                             "<SegmentOfResult>1</SegmentOfResult></MessageHeader></XmlMsg>\n";
static const char err_xml[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XmlMsg><MessageHeader>"
                              "<SegmentOfResult>9</SegmentOfResult><ErrorCode>SKF001</ErrorCode>"
                              "</MessageHeader></XmlMsg>\n";

static void test_names(void **state)
{
    (void)state;
    char m[17], r[SK_BRIDGE_NAME_MAX], e[SK_BRIDGE_NAME_MAX];
    assert_true(sk_bridge_names("OQSsiquc01req_202611210001.xml", m, r, e));
    assert_string_equal(m, "OQSsiquc01");
    assert_string_equal(r, "OQSsiquc01res_202611210001.xml");
    assert_string_equal(e, "OQSsiquc01req_202611210001.err");
    assert_true(sk_bridge_names("OQSmuquc02req_a.b-c_d.xml", m, r, e));
    assert_string_equal(r, "OQSmuquc02res_a.b-c_d.xml");
    static const char *bad[] = {"OQSsiquc01req_.xml",
                                "req_1.xml",
                                "OQSsiquc01req_1.txt",
                                "OQS siquc01req_1.xml",
                                "OQSsiquc01req_1 2.xml",
                                "OQSsiquc01req_../x.xml",
                                "OQSsiquc01res_1.xml",
                                "OQSsiquc01req_"
                                "12345678901234567890123456789012345678901234567890123456789012345"
                                ".xml",
                                "ABCDEFGHIJKLMNOPQreq_1.xml"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
        if (sk_bridge_names(bad[i], m, r, e))
            fail_msg("%s accepted", bad[i]);
}

static void test_answer_refusal_retry(void **state)
{
    (void)state;
    char *dir = folder();
    fake f = {.status = 200, .body = ok_xml};
    sk_bridge *b;
    sk_diag d;
    assert_int_equal(sk_bridge_open(dir, fake_send, &f, &b, &d), SK_OK);

    put(dir, "req", "OQSsiquc01req_1.xml", "<XmlMsg/>");
    assert_int_equal(sk_bridge_process(b, "OQSsiquc01req_1.xml", &d), SK_BRIDGE_ANSWERED);
    assert_string_equal(f.last_message, "OQSsiquc01");
    assert_string_equal(get(dir, "res", "OQSsiquc01res_1.xml"), ok_xml);
    assert_false(exists(dir, "req", "OQSsiquc01req_1.xml"));
    assert_false(exists(dir, "res", ".OQSsiquc01res_1.xml.tmp"));

    /* the server refuses the file: its OQS error document becomes the .err */
    f.status = 400;
    f.body = err_xml;
    put(dir, "req", "OQSsiquc01req_2.xml", "<XmlMsg");
    assert_int_equal(sk_bridge_process(b, "OQSsiquc01req_2.xml", &d), SK_BRIDGE_REJECTED);
    assert_string_equal(get(dir, "res", "OQSsiquc01req_2.err"), err_xml);
    assert_false(exists(dir, "res", "OQSsiquc01res_2.xml"));
    /* an answer that is not an OQS document (unknown message) is wrapped into one */
    f.status = 404;
    f.body = "{\"error\":{\"code\":\"not_found\"}}";
    put(dir, "req", "OQSmuimm01req_3.xml", "<XmlMsg/>");
    assert_int_equal(sk_bridge_process(b, "OQSmuimm01req_3.xml", &d), SK_BRIDGE_REJECTED);
    char *e = get(dir, "res", "OQSmuimm01req_3.err");
    assert_non_null(strstr(e, "<SegmentOfResult>9</SegmentOfResult>"));
    assert_non_null(strstr(e, "<ErrorCode>SKF003</ErrorCode>"));
    assert_non_null(strstr(e, "HTTP 404"));

    /* unreachable, unauthenticated or busy: the request stays, nothing is written; every
     * attempt carries the same idempotency key (name + bytes), so a bulk file resent after a
     * crash is one request at the server */
    static const unsigned retry_status[] = {0, 401, 500, 503};
    char first_key[96] = "";
    for (size_t i = 0; i < 4; i++) {
        f.fail = retry_status[i] == 0;
        f.status = retry_status[i];
        f.body = err_xml;
        put(dir, "req", "OQSsiquc01req_4.xml", "<XmlMsg/>");
        assert_int_equal(sk_bridge_process(b, "OQSsiquc01req_4.xml", &d), SK_BRIDGE_RETRY);
        assert_int_equal(strlen(f.last_key), 7 + 64);
        assert_memory_equal(f.last_key, "bridge-", 7);
        if (i == 0)
            snprintf(first_key, sizeof(first_key), "%s", f.last_key);
        assert_string_equal(f.last_key, first_key);
        assert_true(exists(dir, "req", "OQSsiquc01req_4.xml"));
        assert_false(exists(dir, "res", "OQSsiquc01res_4.xml"));
        assert_false(exists(dir, "res", "OQSsiquc01req_4.err"));
    }
    f.fail = true;
    put(dir, "req", "OQSsiquc01req_6.xml", "<XmlMsg/>");
    assert_int_equal(sk_bridge_process(b, "OQSsiquc01req_6.xml", &d), SK_BRIDGE_RETRY);
    assert_string_not_equal(f.last_key, first_key);
    f.fail = false;
    char p6[4300];
    snprintf(p6, sizeof(p6), "%s/req/OQSsiquc01req_6.xml", dir);
    unlink(p6);
    /* not request files: temporary, hidden, another extension */
    int calls = f.calls;
    put(dir, "req", ".OQSsiquc01req_5.xml", "x");
    put(dir, "req", "OQSsiquc01req_5.xml.tmp", "x");
    assert_int_equal(sk_bridge_process(b, ".OQSsiquc01req_5.xml", &d), SK_BRIDGE_IGNORED);
    assert_int_equal(sk_bridge_process(b, "OQSsiquc01req_5.xml.tmp", &d), SK_BRIDGE_IGNORED);
    assert_int_equal(sk_bridge_process(b, "gone.xml", &d), SK_BRIDGE_IGNORED);
    assert_int_equal(f.calls, calls);
    /* a .xml file with a name that is not a request name gets an .err without being sent */
    put(dir, "req", "karte 1.xml", "<XmlMsg/>");
    assert_int_equal(sk_bridge_process(b, "karte 1.xml", &d), SK_BRIDGE_REJECTED);
    assert_non_null(strstr(get(dir, "res", "karte 1.err"), "SKF003"));
    assert_int_equal(f.calls, calls);

    /* a second bridge on the same folder is refused */
    sk_bridge *b2;
    assert_int_not_equal(sk_bridge_open(dir, fake_send, &f, &b2, &d), SK_OK);
    assert_int_equal(d.code, SK_C_BRIDGE_LOCKED);
    sk_bridge_close(b);
    sk_test_rmtree(dir);
    free(dir);
}

/* A stop between writing the answer and removing the request: the restart removes the
 * request, does not ask again and leaves the delivered answer as it was. */
static void test_restart_after_crash(void **state)
{
    (void)state;
    char *dir = folder();
    fake f = {.status = 200, .body = ok_xml};
    sk_bridge *b;
    sk_diag d;
    assert_int_equal(sk_bridge_open(dir, fake_send, &f, &b, &d), SK_OK);
    put(dir, "req", "OQSsiquc01req_7.xml", "<XmlMsg/>");
    put(dir, "res", "OQSsiquc01res_7.xml", "delivered before the crash");
    put(dir, "req", "OQSsiquc01req_8.xml", "<XmlMsg/>");
    put(dir, "res", "OQSsiquc01req_8.err", "refused before the crash");
    put(dir, "req", "OQSsiquc01req_9.xml", "<XmlMsg/>");
    volatile sig_atomic_t stop = 0;
    assert_int_equal(sk_bridge_run(b, &stop, true, &d), SK_OK);
    assert_int_equal(f.calls, 1); /* only 9 was sent */
    assert_string_equal(get(dir, "res", "OQSsiquc01res_7.xml"), "delivered before the crash");
    assert_string_equal(get(dir, "res", "OQSsiquc01req_8.err"), "refused before the crash");
    assert_string_equal(get(dir, "res", "OQSsiquc01res_9.xml"), ok_xml);
    assert_false(exists(dir, "req", "OQSsiquc01req_7.xml"));
    assert_false(exists(dir, "req", "OQSsiquc01req_8.xml"));
    assert_false(exists(dir, "req", "OQSsiquc01req_9.xml"));
    sk_bridge_stats st = sk_bridge_get_stats(b);
    assert_int_equal(st.answered, 1);
    assert_int_equal(st.done, 2);
    sk_bridge_close(b);
    /* the lock is free again after close */
    assert_int_equal(sk_bridge_open(dir, fake_send, &f, &b, &d), SK_OK);
    sk_bridge_close(b);
    /* a folder without req/ is refused */
    char other[4200];
    snprintf(other, sizeof(other), "%s/nowhere", dir);
    assert_int_not_equal(sk_bridge_open(other, fake_send, &f, &b, &d), SK_OK);
    assert_int_equal(d.code, SK_C_IO);
    sk_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_answer_refusal_retry),
        cmocka_unit_test(test_restart_after_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
