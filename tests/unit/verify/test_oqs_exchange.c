/* test_oqs_exchange.c — the OQS exchanges over a registry: golden answers of OQSsiquc01 for
 * every validity, 閲覧停止 and the error paths, in UTF-8, Shift_JIS and the Web-API JSON form;
 * bulk 一括照会 in its two phases; 照会番号 registration, single and bulk. The message formats
 * themselves are tests/unit/oqs/test_oqs.c's.
 *
 * Golden files live in tests/data/oqs/golden; SK_UPDATE_GOLDEN=1 rewrites them (review the
 * diff before committing). */
#define _GNU_SOURCE /* memmem */
#include "support.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../oqs/oqs_support.h"
#include "core/checkdigit.h"
#include "util/text.h"
#include "verify/oqs_exchange.h"

#define NOW_MS 1795226400000LL /* 2026-11-21 02:00 UTC = 11:00 JST */
#define CLINIC "0110113719"

/* ---- golden answers ---- */

typedef struct world {
    char *dir;
    sk_store *s;
    char numbers[16][13];
    int nnum;
} world;

static int64_t add_person(world *w, sk_tx *tx, const char *name, const char *kana, sk_date birth,
                          sk_sex sex, const char *address)
{
    sk_person_rec p;
    memset(&p, 0, sizeof(p));
    snprintf(p.info.name, sizeof(p.info.name), "%s", name);
    snprintf(p.info.kana, sizeof(p.info.kana), "%s", kana);
    p.info.birthdate = birth;
    p.info.sex = sex;
    snprintf(p.info.address, sizeof(p.info.address), "%s", address);
    snprintf(p.postcode, sizeof(p.postcode), "100-0001");
    char *mn = w->numbers[w->nnum];
    snprintf(mn, 13, "5%010d", 1234567 + w->nnum * 7919);
    mn[11] = (char)('0' + sk_checkdigit_mynumber(mn));
    mn[12] = '\0';
    sk_diag d;
    assert_int_equal(sk_mynumber_parse(mn, 12, &p.mynumber, "", &d), SK_OK);
    p.has_mynumber = true;
    w->nnum++;
    p.created_ms = p.updated_ms = NOW_MS;
    if (sk_store_person_add(tx, &p, &d))
        fail_msg("person: %s", d.message);
    return p.id;
}

static void add_qual(sk_tx *tx, int64_t person, int64_t insured, const char *insurer,
                     const char *sym, const char *num, const char *branch, sk_date from,
                     const sk_date *lost, const char *reason, sk_limit limit, bool stopped)
{
    sk_qualification_rec q;
    memset(&q, 0, sizeof(q));
    q.person_id = person;
    q.insured_person_id = insured;
    q.relationship = person == insured ? SK_REL_INSURED : SK_REL_DEPENDENT;
    snprintf(q.insurer_number, sizeof(q.insurer_number), "%s", insurer);
    snprintf(q.key.symbol, sizeof(q.key.symbol), "%s", sym);
    snprintf(q.key.number, sizeof(q.key.number), "%s", num);
    snprintf(q.key.branch, sizeof(q.key.branch), "%s", branch);
    snprintf(q.card_class, sizeof(q.card_class), "01");
    q.acquired_on = from;
    if (lost) {
        q.has_lost = true;
        q.lost_on = *lost;
        snprintf(q.loss_reason, sizeof(q.loss_reason), "%s", reason);
    }
    q.limit = limit;
    q.registered_ms = NOW_MS - 1000;
    q.display_stopped = stopped;
    q.created_ms = q.updated_ms = NOW_MS;
    sk_diag d;
    if (sk_store_qualification_add(tx, &q, &d))
        fail_msg("qualification: %s", d.message);
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof(*w));
    w->dir = sk_test_tmpdir();
    char db[4200];
    snprintf(db, sizeof(db), "%s/o.db", w->dir);
    sk_store_options o = {.dsn = db};
    sk_diag d;
    if (sk_store_create(&o, &d) || sk_store_open(&o, &w->s, &d))
        return -1;
    sk_tx *tx;
    assert_int_equal(sk_store_begin(w->s, &tx, &d), SK_OK);
    sk_insurer_rec ins[] = {
        {.number = "06130017", .kind = SK_INSURER_KUMIAI, .name = "診療健康保険組合"},
        {.number = "131011", .kind = SK_INSURER_KOKUHO, .name = "千代田区国民健康保険"},
        {.number = "39130018", .kind = SK_INSURER_KOUKI, .name = "東京都後期高齢者医療広域連合"}};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(sk_store_insurer_add(tx, &ins[i], &d), SK_OK);
    sk_date lost2025 = D(2025, 4, 1), lost2026 = D(2026, 4, 1);
    /* 有効, 限度額 ウ, an address with 𠮷 (no Shift_JIS form) */
    int64_t taro = add_person(w, tx, "診療 太郎", "シンリョウ タロウ", D(1980, 4, 1), SK_SEX_MALE,
                              "東京都千代田区𠮷野町１－１");
    add_qual(tx, taro, taro, "06130017", "12", "345", "00", D(2020, 4, 1), NULL, "", SK_LIMIT_A03,
             false);
    /* 特定疾病: 人工透析 (20,000 yen: under 70, high income), and an expired 血友病 one */
    sk_disease_cert_rec c1 = {.qualification_id = 1,
                              .category = 1,
                              .certificate_date = D(2024, 3, 15),
                              .valid_from = D(2024, 4, 1),
                              .self_pay = 20000,
                              .created_ms = NOW_MS};
    sk_disease_cert_rec c2 = {.qualification_id = 1,
                              .category = 2,
                              .certificate_date = D(2021, 3, 15),
                              .valid_from = D(2021, 4, 1),
                              .has_until = true,
                              .valid_until = D(2022, 3, 31),
                              .self_pay = 10000,
                              .created_ms = NOW_MS};
    assert_int_equal(sk_store_disease_cert_add(tx, &c1, &d), SK_OK);
    assert_int_equal(sk_store_disease_cert_add(tx, &c2, &d), SK_OK);
    /* 家族, 未就学 */
    int64_t hana = add_person(w, tx, "診療 花", "シンリョウ ハナ", D(2022, 5, 5), SK_SEX_FEMALE,
                              "東京都千代田区𠮷野町１－１");
    add_qual(tx, hana, taro, "06130017", "12", "345", "01", D(2022, 5, 5), NULL, "", SK_LIMIT_NONE,
             false);
    /* twins: 枝番 omitted → 複数該当 */
    int64_t t1 = add_person(w, tx, "診療 一郎", "シンリョウ イチロウ", D(2015, 6, 6), SK_SEX_MALE,
                            "東京都千代田区𠮷野町１－１");
    int64_t t2 = add_person(w, tx, "診療 次郎", "シンリョウ ジロウ", D(2015, 6, 6), SK_SEX_MALE,
                            "東京都千代田区𠮷野町１－１");
    add_qual(tx, t1, taro, "06130017", "12", "345", "02", D(2020, 4, 1), NULL, "", SK_LIMIT_NONE,
             false);
    add_qual(tx, t2, taro, "06130017", "12", "345", "03", D(2020, 4, 1), NULL, "", SK_LIMIT_NONE,
             false);
    /* 無効 */
    int64_t gone = add_person(w, tx, "保険 退子", "ホケン タイコ", D(1990, 1, 2), SK_SEX_FEMALE,
                              "東京都港区芝公園４－２－８");
    add_qual(tx, gone, gone, "06130017", "12", "400", "00", D(2019, 1, 1), &lost2025, "99",
             SK_LIMIT_NONE, false);
    /* 無効（新しい資格あり）: left for 国保 */
    int64_t moved = add_person(w, tx, "国保 移子", "コクホ イコ", D(1985, 3, 3), SK_SEX_FEMALE,
                               "東京都千代田区九段南１－２－１");
    add_qual(tx, moved, moved, "06130017", "12", "500", "00", D(2015, 4, 1), &lost2026, "03",
             SK_LIMIT_NONE, false);
    add_qual(tx, moved, moved, "131011", "", "K500", "00", D(2026, 4, 1), NULL, "", SK_LIMIT_NONE,
             false);
    /* 閲覧停止 */
    int64_t stop = add_person(w, tx, "停止 中", "テイシ ナカ", D(1970, 7, 7), SK_SEX_MALE,
                              "東京都千代田区霞が関１－２－２");
    add_qual(tx, stop, stop, "06130017", "12", "700", "00", D(2018, 4, 1), NULL, "", SK_LIMIT_NONE,
             true);
    /* 70–74: 高齢受給者 */
    int64_t old = add_person(w, tx, "高齢 受給", "コウレイ ジュキュウ", D(1954, 1, 10), SK_SEX_MALE,
                             "東京都千代田区一番町１");
    add_qual(tx, old, old, "131011", "", "K800", "00", D(2010, 1, 1), NULL, "", SK_LIMIT_NONE,
             false);
    /* 後期高齢者: no 本人・家族 */
    int64_t kouki = add_person(w, tx, "後期 長寿", "コウキ チョウジュ", D(1945, 2, 11),
                               SK_SEX_FEMALE, "東京都千代田区二番町２");
    add_qual(tx, kouki, kouki, "39130018", "", "90000001", "", D(2020, 2, 11), NULL, "",
             SK_LIMIT_NONE, false);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    sk_store_close(w->s);
    sk_test_rmtree(w->dir);
    free(w->dir);
    free(w);
    return 0;
}

typedef struct gcase {
    const char *name; /* golden file stem */
    const char *insurer, *symbol, *number, *branch, *birth, *date, *consent, *institution;
    const char *expect; /* SegmentOfResult / ProcessingResultStatus / Validity summary */
} gcase;

static const gcase cases[] = {
    {"valid", "06130017", "12", "345", "00", "19800401", "20261121", "1", CLINIC, "1/1/1"},
    {"dependent-preschool", "06130017", "12", "345", "01", "20220505", "20261121", "0", CLINIC,
     "1/1/1"},
    {"multiple", "06130017", "12", "345", "", "20150606", "20261121", "0", CLINIC, "1/1/5"},
    {"invalid", "06130017", "12", "400", "00", "19900102", "20261121", "0", CLINIC, "1/1/2"},
    {"invalid-newer", "06130017", "12", "500", "00", "19850303", "20261121", "0", CLINIC, "1/1/3"},
    {"valid-on-past-date", "06130017", "12", "500", "00", "19850303", "20260331", "0", CLINIC,
     "1/1/1"},
    {"none", "06130017", "12", "999", "00", "19800401", "20261121", "0", CLINIC, "1/1/4"},
    {"wrong-birthdate", "06130017", "12", "345", "00", "19800402", "20261121", "0", CLINIC,
     "1/1/4"},
    {"display-stopped", "06130017", "12", "700", "00", "19700707", "20261121", "0", CLINIC,
     "1/2/-"},
    {"elderly", "  131011", "", "K800", "00", "19540110", "20261121", "0", CLINIC, "1/1/1"},
    {"kouki", "39130018", "", "90000001", "", "19450211", "20261121", "0", CLINIC, "1/1/1"},
    {"bad-check-digit", "06130018", "12", "345", "00", "19800401", "20261121", "0", CLINIC,
     "1/2/-"},
    {"future-date", "06130017", "12", "345", "00", "19800401", "20261122", "0", CLINIC, "1/2/-"},
    {"other-institution", "06130017", "12", "345", "00", "19800401", "20261121", "0", "1331234565",
     "9/2/-"},
    {"missing-number", "06130017", "12", "", "00", "19800401", "20261121", "0", CLINIC, "1/2/-"},
};

static void build_request(const gcase *c, sk_oqs_charset cs, sk_buf *b)
{
    sk_buf_reset(b);
    sk_buf_printf(b,
                  "<?xml version='1.0' encoding='%s' standalone='no'?>\n<XmlMsg>\n"
                  "<MessageBody>\n  <QualificationConfirmSearchInfo >\n",
                  cs == SK_OQS_SJIS ? "Shift_JIS" : "UTF-8");
    /* order is free: the body first, fields shuffled */
    sk_buf_printf(b, "    <Birthdate>%s</Birthdate>\n", c->birth);
    sk_buf_printf(b, "    <InsuredIdentificationNumber>%s</InsuredIdentificationNumber>\n",
                  c->number);
    sk_buf_printf(b, "    <InsurerNumber>%s</InsurerNumber>\n", c->insurer);
    if (*c->symbol)
        sk_buf_printf(b, "    <InsuredCardSymbol>%s</InsuredCardSymbol>\n", c->symbol);
    sk_buf_printf(b, "    <InsuredBranchNumber>%s</InsuredBranchNumber>\n", c->branch);
    sk_buf_printf(b,
                  "    <LimitApplicationCertificateRelatedConsFlg>%s"
                  "</LimitApplicationCertificateRelatedConsFlg>\n",
                  c->consent);
    sk_buf_printf(b,
                  "  </QualificationConfirmSearchInfo>\n</MessageBody>\n<MessageHeader>\n"
                  "  <ArbitraryFileIdentifier >%s-ｶﾙﾃ</ArbitraryFileIdentifier >\n"
                  "  <MedicalInstitutionCode>%s</MedicalInstitutionCode>\n"
                  "  <QualificationConfirmationDate>%s</QualificationConfirmationDate>\n"
                  "</MessageHeader>\n</XmlMsg>\n",
                  c->name, c->institution, c->date);
    if (cs == SK_OQS_SJIS) {
        sk_buf sj;
        sk_buf_init(&sj, 1 << 16);
        assert_int_equal(sk_text_utf8_to_cp932(b->data, b->len, &sj, NULL), SK_OK);
        sk_buf_reset(b);
        sk_buf_append(b, sj.data, sj.len);
        sk_buf_deinit(&sj);
    }
}

/* Compares with (or, under SK_UPDATE_GOLDEN, writes) tests/data/oqs/golden/<stem>. */
static void golden(const char *stem, const sk_buf *got)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/oqs/golden/%s", SK_TEST_DATA, stem);
    if (getenv("SK_UPDATE_GOLDEN")) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fwrite(got->data, 1, got->len, f);
        fclose(f);
        return;
    }
    size_t len;
    char *want = slurp(path, &len);
    if (!want)
        fail_msg("no golden file %s (run with SK_UPDATE_GOLDEN=1 and review it)", path);
    if (len != got->len || memcmp(want, got->data, len) != 0) {
        fprintf(stderr, "--- want %s\n%s\n--- got\n%.*s\n", path, want, (int)got->len, got->data);
        free(want);
        fail_msg("%s differs from its golden answer", stem);
    }
    free(want);
}

/* A run of exactly 12 digits: the shape of a My Number (timestamps have 14). */
static bool has_12_digit_run(const char *s, size_t n)
{
    int run = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && isdigit((unsigned char)s[i])) {
            run++;
            continue;
        }
        if (run == 12)
            return true;
        run = 0;
    }
    return false;
}

static void check_summary(const sk_oqs_node *root, const char *expect, const char *name)
{
    char got[32];
    const char *seg = text_at(root, "MessageHeader/SegmentOfResult");
    const char *st = text_at(root, "MessageBody/ProcessingResultStatus");
    const char *va = text_at(root, "MessageBody/QualificationValidity");
    snprintf(got, sizeof(got), "%s/%s/%s", seg ? seg : "-", st ? st : "-", va ? va : "-");
    if (strcmp(got, expect) != 0)
        fail_msg("%s: got %s, want %s", name, got, expect);
}

static void test_golden_answers(void **state)
{
    world *w = *state;
    sk_principal clinic = {.id = 1, .role = SK_ROLE_INSTITUTION, .scope = CLINIC};
    sk_buf req, out;
    sk_buf_init(&req, 1 << 16);
    sk_buf_init(&out, 1 << 20);
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        for (int enc = 0; enc < 3; enc++) {
            const gcase *c = &cases[i];
            sk_oqs_charset cs = enc == 1 ? SK_OQS_SJIS : SK_OQS_UTF8;
            build_request(c, cs, &req);
            sk_arena *a = arena();
            sk_oqs_node *root = NULL;
            sk_oqs_error e = {.code = SK_OQS_OK};
            sk_oqs_charset got_cs;
            assert_int_equal(sk_oqs_xml_read(a, req.data, req.len, &root, &got_cs, &e), SK_OK);
            assert_int_equal(got_cs, cs);
            if (enc == 2) { /* the same request in the Web-API form */
                assert_int_equal(sk_oqs_json_write(root, &out), SK_OK);
                assert_int_equal(sk_oqs_json_read(a, out.data, out.len, &root, &e), SK_OK);
            }
            sk_oqs_exchange x = {.store = w->s, .who = &clinic, .now_ms = NOW_MS, .cs = cs};
            sk_oqs_code code;
            sk_oqs_node *ans = sk_oqs_siquc01(a, &x, root, &e, &code);
            assert_non_null(ans);
            check_summary(ans, c->expect, c->name);
            assert_string_equal(text_at(ans, "MessageHeader/CharacterCodeIdentifier"),
                                cs == SK_OQS_SJIS ? "1" : "0");
            char stem[128];
            if (enc == 2) {
                assert_int_equal(sk_oqs_json_write(ans, &out), SK_OK);
                snprintf(stem, sizeof(stem), "%s.webapi.json", c->name);
            } else {
                assert_int_equal(sk_oqs_xml_write(ans, cs, &out, NULL), SK_OK);
                snprintf(stem, sizeof(stem), "%s.%s.xml", c->name,
                         cs == SK_OQS_SJIS ? "sjis" : "utf8");
                /* the answer reads back, echoing ArbitraryFileIdentifier in its encoding */
                sk_oqs_node *back;
                sk_oqs_charset back_cs;
                assert_int_equal(sk_oqs_xml_read(a, out.data, out.len, &back, &back_cs, &e), SK_OK);
                assert_int_equal(back_cs, cs);
                char fid[64];
                snprintf(fid, sizeof(fid), "%s-ｶﾙﾃ", c->name);
                assert_string_equal(text_at(back, "MessageHeader/ArbitraryFileIdentifier"), fid);
            }
            assert_false(has_12_digit_run(out.data, out.len));
            for (int k = 0; k < w->nnum; k++)
                assert_null(memmem(out.data, out.len, w->numbers[k], 12));
            golden(stem, &out);
            sk_arena_free(a);
        }
    }
    sk_buf_deinit(&req);
    sk_buf_deinit(&out);
}

/* ---- bulk 一括照会 ---- */

static sk_oqs_node *exchange(sk_arena *a, world *w, const sk_principal *who, const char *xml,
                             sk_oqs_node *(*fn)(sk_arena *, const sk_oqs_exchange *,
                                                const sk_oqs_node *, const sk_oqs_error *,
                                                sk_oqs_code *),
                             sk_oqs_code *code)
{
    sk_oqs_node *root;
    sk_oqs_error e = {.code = SK_OQS_OK};
    sk_oqs_charset cs;
    sk_oqs_xml_read(a, xml, strlen(xml), &root, &cs, &e);
    sk_oqs_exchange x = {.store = w->s, .who = who, .now_ms = NOW_MS, .cs = cs};
    sk_oqs_node *out = fn(a, &x, root, &e, code);
    assert_non_null(out);
    return out;
}

/* The same with an Idempotency-Key. */
static sk_oqs_node *exchange_key(sk_arena *a, world *w, const sk_principal *who, const char *xml,
                                 const char *key, sk_oqs_code *code)
{
    sk_oqs_node *root;
    sk_oqs_error e = {.code = SK_OQS_OK};
    sk_oqs_charset cs;
    sk_oqs_xml_read(a, xml, strlen(xml), &root, &cs, &e);
    sk_oqs_exchange x = {.store = w->s, .who = who, .now_ms = NOW_MS, .cs = cs, .idem_key = key};
    sk_oqs_node *out = sk_oqs_muquc01(a, &x, root, &e, code);
    assert_non_null(out);
    return out;
}

static const char *block(const char *ins, const char *num, const char *br, const char *birth,
                         const char *id, char *buf, size_t n)
{
    snprintf(buf, n,
             "<QualificationConfirmSearchInfo><InsurerNumber>%s</InsurerNumber>"
             "<InsuredCardSymbol>12</InsuredCardSymbol>"
             "<InsuredIdentificationNumber>%s</InsuredIdentificationNumber>"
             "<InsuredBranchNumber>%s</InsuredBranchNumber><Birthdate>%s</Birthdate>"
             "<ArbitraryIdentifier>%s</ArbitraryIdentifier></QualificationConfirmSearchInfo>",
             ins, num, br, birth, id);
    return buf;
}

static void test_bulk(void **state)
{
    world *w = *state;
    sk_principal clinic = {.id = 1, .role = SK_ROLE_INSTITUTION, .scope = CLINIC};
    sk_principal other = {.id = 2, .role = SK_ROLE_INSTITUTION, .scope = "1331234565"};
    char b1[512], b2[512], b3[512], b4[512], req[4096];
    snprintf(req, sizeof(req),
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?><XmlMsg><MessageHeader>"
             "<QualificationConfirmationDate>20261121</QualificationConfirmationDate>"
             "<MedicalInstitutionCode>" CLINIC "</MedicalInstitutionCode>"
             "<ArbitraryFileIdentifier>bulk-1</ArbitraryFileIdentifier></MessageHeader>"
             "<MessageBody>%s%s%s%s</MessageBody></XmlMsg>",
             block("06130017", "345", "00", "19800401", "a", b1, sizeof(b1)),
             block("06130017", "345", "", "20150606", "b", b2, sizeof(b2)),
             block("06130017", "700", "00", "19700707", "c", b3, sizeof(b3)),
             block("06130018", "345", "00", "19800401", "d", b4, sizeof(b4)));
    sk_arena *a = arena();
    sk_oqs_code code;
    sk_oqs_node *r1 = exchange(a, w, &clinic, req, sk_oqs_muquc01, &code);
    assert_int_equal(code, SK_OQS_OK);
    assert_string_equal(text_at(r1, "MessageHeader/SegmentOfResult"), "1");
    const char *reception = text_at(r1, "MessageBody/ReceptionNumber");
    assert_non_null(reception);
    assert_int_equal(strlen(reception), 16);
    assert_non_null(text_at(r1, "MessageBody/ReceptionDateTime"));

    char ask[512];
    snprintf(ask, sizeof(ask),
             "<XmlMsg><MessageHeader><MedicalInstitutionCode>%s</MedicalInstitutionCode>"
             "</MessageHeader><MessageBody><ReceptionNumber>%s</ReceptionNumber></MessageBody>"
             "</XmlMsg>",
             CLINIC, reception);
    /* before the processor ran: 処理中 */
    sk_oqs_node *r2 = exchange(a, w, &clinic, ask, sk_oqs_muquc02, &code);
    assert_int_equal(code, SK_OQS_OK);
    assert_string_equal(text_at(r2, "MessageHeader/SegmentOfResult"), "2");
    assert_string_equal(text_at(r2, "MessageHeader/ReceptionNumber"), reception);
    assert_null(sk_oqs_child(sk_oqs_child(r2, "MessageBody"), "BulkConfirmUnit"));

    /* the store keeps it across a restart */
    char db[4200];
    snprintf(db, sizeof(db), "%s/o.db", w->dir);
    sk_store_close(w->s);
    sk_store_options o = {.dsn = db};
    sk_diag d;
    assert_int_equal(sk_store_open(&o, &w->s, &d), SK_OK);
    int finished;
    assert_int_equal(sk_oqs_bulk_process(w->s, NULL, NOW_MS, &finished, &d), SK_OK);
    assert_int_equal(finished, 1);
    assert_int_equal(sk_oqs_bulk_process(w->s, NULL, NOW_MS, &finished, &d), SK_OK);
    assert_int_equal(finished, 0);

    sk_oqs_node *r3 = exchange(a, w, &clinic, ask, sk_oqs_muquc02, &code);
    assert_int_equal(code, SK_OQS_OK);
    assert_string_equal(text_at(r3, "MessageHeader/SegmentOfResult"), "1");
    assert_string_equal(text_at(r3, "MessageHeader/NumberOfProcessingResult"), "4");
    assert_string_equal(text_at(r3, "MessageHeader/NumberOfNormalProcessing"), "2");
    assert_string_equal(text_at(r3, "MessageHeader/NumberOfError"), "2");
    assert_string_equal(text_at(r3, "MessageHeader/ArbitraryFileIdentifier"), "bulk-1");
    const char *want[][3] = {{"a", "1", "1"}, {"b", "1", "5"}, {"c", "2", NULL}, {"d", "2", NULL}};
    int i = 0;
    for (const sk_oqs_node *u = sk_oqs_child(r3, "MessageBody")->child; u; u = u->next, i++) {
        assert_string_equal(u->name, "BulkConfirmUnit");
        assert_string_equal(text_at(u, "QualificationConfirmSearchInfo/ArbitraryIdentifier"),
                            want[i][0]);
        assert_string_equal(text_at(u, "ProcessingResultStatus"), want[i][1]);
        const char *v = text_at(u, "QualificationValidity");
        if (want[i][2])
            assert_string_equal(v, want[i][2]);
        else
            assert_null(v);
    }
    assert_int_equal(i, 4);
    assert_string_equal(
        text_at(sk_oqs_child(r3, "MessageBody")->child->next->next, "ProcessingResultCode"),
        "SKR010");
    /* in Shift_JIS it goes out with CharacterCodeIdentifier 1; records name the twins */
    sk_buf out;
    sk_buf_init(&out, 1 << 20);
    assert_int_equal(sk_oqs_xml_write(r3, SK_OQS_UTF8, &out, NULL), SK_OK);
    assert_non_null(strstr(out.data, "<Name>診療　一郎</Name>")); /* both twins survive storage */
    assert_non_null(strstr(out.data, "<Name>診療　次郎</Name>"));
    assert_false(has_12_digit_run(out.data, out.len));
    sk_buf_deinit(&out);

    /* another institution cannot read it, nor can anyone ask for an unknown number */
    char ask_other[512];
    snprintf(ask_other, sizeof(ask_other),
             "<XmlMsg><MessageHeader><MedicalInstitutionCode>1331234565</MedicalInstitutionCode>"
             "</MessageHeader><MessageBody><ReceptionNumber>%s</ReceptionNumber></MessageBody>"
             "</XmlMsg>",
             reception);
    exchange(a, w, &other, ask_other, sk_oqs_muquc02, &code);
    assert_int_equal(code, SK_OQS_RECEPTION);
    char *unknown = strstr(ask, reception);
    memcpy(unknown, "9999999999999999", 16);
    exchange(a, w, &clinic, ask, sk_oqs_muquc02, &code);
    assert_int_equal(code, SK_OQS_RECEPTION);
    /* no blocks, or a header for someone else */
    exchange(a, w, &clinic,
             "<XmlMsg><MessageHeader><QualificationConfirmationDate>20261121"
             "</QualificationConfirmationDate><MedicalInstitutionCode>" CLINIC
             "</MedicalInstitutionCode></MessageHeader><MessageBody/></XmlMsg>",
             sk_oqs_muquc01, &code);
    assert_int_equal(code, SK_OQS_STRUCTURE);
    exchange(a, w, &other, req, sk_oqs_muquc01, &code);
    assert_int_equal(code, SK_OQS_INSTITUTION);

    /* a resend with the same Idempotency-Key is the same request; without a key it is new */
    sk_oqs_node *k1 = exchange_key(a, w, &clinic, req, "bridge-abc", &code);
    assert_int_equal(code, SK_OQS_OK);
    const char *kr = text_at(k1, "MessageBody/ReceptionNumber");
    sk_oqs_node *k2 = exchange_key(a, w, &clinic, req, "bridge-abc", &code);
    assert_int_equal(code, SK_OQS_OK);
    assert_string_equal(text_at(k2, "MessageBody/ReceptionNumber"), kr);
    assert_string_equal(text_at(k2, "MessageBody/ReceptionDateTime"),
                        text_at(k1, "MessageBody/ReceptionDateTime"));
    assert_string_not_equal(kr, reception);
    /* the same key from another institution is its own */
    char req_other[4096];
    snprintf(req_other, sizeof(req_other), "%s", req);
    memcpy(strstr(req_other, CLINIC), "1331234565", 10);
    sk_oqs_node *k3 = exchange_key(a, w, &other, req_other, "bridge-abc", &code);
    assert_int_equal(code, SK_OQS_OK);
    assert_string_not_equal(text_at(k3, "MessageBody/ReceptionNumber"), kr);
    /* the key with another request, or a malformed key: SKF011, nothing stored */
    char req2[4096];
    snprintf(req2, sizeof(req2), "%s", req);
    memcpy(strstr(req2, "bulk-1"), "bulk-2", 6);
    exchange_key(a, w, &clinic, req2, "bridge-abc", &code);
    assert_int_equal(code, SK_OQS_IDEMPOTENCY);
    exchange_key(a, w, &clinic, req, "two words", &code);
    assert_int_equal(code, SK_OQS_IDEMPOTENCY);
    exchange_key(a, w, &clinic, req, "", &code);
    assert_int_equal(code, SK_OQS_IDEMPOTENCY);
    sk_arena_free(a);
}

/* 照会番号: registered by key, shown to that institution only, refused when the key is
 * ambiguous, unknown or under 閲覧停止. */
static const char *refno_req(const char *inst, const char *refno, const char *num,
                             const char *branch, char *buf, size_t n)
{
    snprintf(buf, n,
             "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><XmlMsg><MessageHeader>"
             "<MedicalInstitutionCode>%s</MedicalInstitutionCode>"
             "<ArbitraryFileIdentifier>r</ArbitraryFileIdentifier></MessageHeader><MessageBody>"
             "<ReferenceNumberRegistrationInfo><ReferenceNumber>%s</ReferenceNumber>"
             "<InsurerNumber>06130017</InsurerNumber><InsuredCardSymbol>12</InsuredCardSymbol>"
             "<InsuredIdentificationNumber>%s</InsuredIdentificationNumber>"
             "<InsuredBranchNumber>%s</InsuredBranchNumber></ReferenceNumberRegistrationInfo>"
             "</MessageBody></XmlMsg>",
             inst, refno, num, branch);
    return buf;
}

static void test_reference_numbers(void **state)
{
    world *w = *state;
    sk_principal clinic = {.id = 1, .role = SK_ROLE_INSTITUTION, .scope = CLINIC};
    sk_principal other = {.id = 2, .role = SK_ROLE_INSTITUTION, .scope = "1331234565"};
    sk_arena *a = arena();
    char buf[1024];
    sk_oqs_code code;
    sk_oqs_node *r = exchange(a, w, &clinic, refno_req(CLINIC, "24434", "345", "00", buf, 1024),
                              sk_oqs_siimm01, &code);
    assert_int_equal(code, SK_OQS_OK);
    assert_string_equal(text_at(r, "MessageBody/ProcessingResultStatus"), "1");
    assert_string_equal(text_at(r, "MessageBody/ReferenceNumber"), "24434");
    /* replaced by a later registration */
    exchange(a, w, &clinic, refno_req(CLINIC, "K-0001", "345", "00", buf, 1024), sk_oqs_siimm01,
             &code);
    static const struct {
        const char *num, *branch, *refno, *code;
    } bad[] = {{"345", "", "x", "SKR005"},
               {"999", "00", "x", "SKR004"},
               {"700", "00", "x", "SKR010"},
               {"345", "00", "", "SKR001"},
               {"345", "0", "x", "SKR002"},
               {"345", "00", "123456789012345678901234567890123456789012345678901", "SKR002"}};
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        r = exchange(a, w, &clinic,
                     refno_req(CLINIC, bad[i].refno, bad[i].num, bad[i].branch, buf, 1024),
                     sk_oqs_siimm01, &code);
        assert_int_equal(code, SK_OQS_OK);
        assert_string_equal(text_at(r, "MessageBody/ProcessingResultStatus"), "2");
        assert_string_equal(text_at(r, "MessageBody/ProcessingResultCode"), bad[i].code);
    }
    exchange(a, w, &other, refno_req(CLINIC, "x", "345", "00", buf, 1024), sk_oqs_siimm01, &code);
    assert_int_equal(code, SK_OQS_INSTITUTION);

    /* the number comes back to this institution, not to another */
    char q[1024];
    snprintf(q, sizeof(q),
             "<XmlMsg><MessageHeader><QualificationConfirmationDate>20261121"
             "</QualificationConfirmationDate><MedicalInstitutionCode>%s</MedicalInstitutionCode>"
             "</MessageHeader><MessageBody><QualificationConfirmSearchInfo>"
             "<InsurerNumber>06130017</InsurerNumber><InsuredCardSymbol>12</InsuredCardSymbol>"
             "<InsuredIdentificationNumber>345</InsuredIdentificationNumber>"
             "<InsuredBranchNumber>00</InsuredBranchNumber><Birthdate>19800401</Birthdate>"
             "</QualificationConfirmSearchInfo></MessageBody></XmlMsg>",
             CLINIC);
    r = exchange(a, w, &clinic, q, sk_oqs_siquc01, &code);
    assert_string_equal(
        text_at(r, "MessageBody/ResultList/ResultOfQualificationConfirmation/ReferenceNumber"),
        "K-0001");
    char *p = strstr(q, CLINIC);
    memcpy(p, "1331234565", 10);
    r = exchange(a, w, &other, q, sk_oqs_siquc01, &code);
    assert_string_equal(text_at(r, "MessageBody/QualificationValidity"), "1");
    assert_null(
        text_at(r, "MessageBody/ResultList/ResultOfQualificationConfirmation/ReferenceNumber"));
    /* both registrations are audited */
    sk_diag d;
    int64_t bad_row, rows;
    assert_int_equal(sk_store_audit_verify(w->s, &bad_row, &rows, &d), SK_OK);
    assert_int_equal(bad_row, 0);
    assert_int_equal(rows, 2);

    /* in bulk: phase 1, processing, phase 2 with one unit per block */
    const char *bulk = "<XmlMsg><MessageHeader><MedicalInstitutionCode>" CLINIC
                       "</MedicalInstitutionCode></MessageHeader><MessageBody>"
                       "<ReferenceNumberRegistrationInfo><ReferenceNumber>T-1</ReferenceNumber>"
                       "<InsurerNumber>06130017</InsurerNumber><InsuredCardSymbol>12"
                       "</InsuredCardSymbol><InsuredIdentificationNumber>345"
                       "</InsuredIdentificationNumber><InsuredBranchNumber>02"
                       "</InsuredBranchNumber></ReferenceNumberRegistrationInfo>"
                       "<ReferenceNumberRegistrationInfo><ReferenceNumber>T-2</ReferenceNumber>"
                       "<InsurerNumber>06130017</InsurerNumber><InsuredCardSymbol>12"
                       "</InsuredCardSymbol><InsuredIdentificationNumber>345"
                       "</InsuredIdentificationNumber></ReferenceNumberRegistrationInfo>"
                       "</MessageBody></XmlMsg>";
    r = exchange(a, w, &clinic, bulk, sk_oqs_muimm01, &code);
    assert_int_equal(code, SK_OQS_OK);
    const char *rno = text_at(r, "MessageBody/ReceptionNumber");
    assert_non_null(rno);
    int finished;
    assert_int_equal(sk_oqs_bulk_process(w->s, NULL, NOW_MS, &finished, &d), SK_OK);
    assert_int_equal(finished, 1);
    char ask[512];
    snprintf(ask, sizeof(ask),
             "<XmlMsg><MessageHeader><MedicalInstitutionCode>%s</MedicalInstitutionCode>"
             "</MessageHeader><MessageBody><ReceptionNumber>%s</ReceptionNumber></MessageBody>"
             "</XmlMsg>",
             CLINIC, rno);
    r = exchange(a, w, &clinic, ask, sk_oqs_muimm02, &code);
    assert_int_equal(code, SK_OQS_OK);
    assert_string_equal(text_at(r, "MessageHeader/NumberOfProcessingResult"), "2");
    assert_string_equal(text_at(r, "MessageHeader/NumberOfError"), "1");
    const sk_oqs_node *u = sk_oqs_child(r, "MessageBody")->child;
    assert_string_equal(u->name, "BulkRegistrationUnit");
    assert_string_equal(text_at(u, "ProcessingResultStatus"), "1");
    assert_string_equal(text_at(u, "ReferenceNumberRegistrationInfo/ReferenceNumber"), "T-1");
    assert_string_equal(text_at(u->next, "ProcessingResultCode"), "SKR005");
    /* a registration's reception number is not a 資格確認 one */
    exchange(a, w, &clinic, ask, sk_oqs_muquc02, &code);
    assert_int_equal(code, SK_OQS_RECEPTION);
    sk_arena_free(a);
}

/* ---- the card's dates ---- */

/* One 資格確認 request by 記号・番号 (UTF-8); `extra` goes inside the search block. */
static const char *single(const char *insurer, const char *number, const char *branch,
                          const char *birth, const char *extra, char *buf, size_t n)
{
    snprintf(buf, n,
             "<XmlMsg><MessageHeader>"
             "<QualificationConfirmationDate>20261121</QualificationConfirmationDate>"
             "<MedicalInstitutionCode>" CLINIC "</MedicalInstitutionCode></MessageHeader>"
             "<MessageBody><QualificationConfirmSearchInfo><InsurerNumber>%s</InsurerNumber>"
             "<InsuredIdentificationNumber>%s</InsuredIdentificationNumber>"
             "<InsuredBranchNumber>%s</InsuredBranchNumber><Birthdate>%s</Birthdate>%s"
             "</QualificationConfirmSearchInfo></MessageBody></XmlMsg>",
             insurer, number, branch, birth, extra);
    return buf;
}

#define SYM12 "<InsuredCardSymbol>12</InsuredCardSymbol>"
#define REC   "MessageBody/ResultList/ResultOfQualificationConfirmation/"

static void test_card_dates(void **state)
{
    world *w = *state;
    sk_principal clinic = {.id = 1, .role = SK_ROLE_INSTITUTION, .scope = CLINIC};
    /* registered at 00:30 JST on 1 April (15:30 UTC on 31 March), lost on 1 October */
    sk_tx *tx;
    sk_diag d;
    assert_int_equal(sk_store_begin(w->s, &tx, &d), SK_OK);
    int64_t p = add_person(w, tx, "期間 終子", "キカン シュウコ", D(1991, 9, 9), SK_SEX_FEMALE,
                           "東京都千代田区一番町３");
    sk_qualification_rec q;
    memset(&q, 0, sizeof(q));
    q.person_id = q.insured_person_id = p;
    q.relationship = SK_REL_INSURED;
    snprintf(q.insurer_number, sizeof(q.insurer_number), "06130017");
    snprintf(q.key.number, sizeof(q.key.number), "900");
    snprintf(q.key.branch, sizeof(q.key.branch), "00");
    snprintf(q.card_class, sizeof(q.card_class), "01");
    q.acquired_on = D(2026, 4, 1);
    q.has_lost = true;
    q.lost_on = D(2026, 10, 1);
    snprintf(q.loss_reason, sizeof(q.loss_reason), "99");
    q.registered_ms = 1774971000000LL;
    q.created_ms = q.updated_ms = NOW_MS;
    assert_int_equal(sk_store_qualification_add(tx, &q, &d), SK_OK);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);

    sk_arena *a = arena();
    sk_oqs_code code;
    char req[2048];
    sk_oqs_node *r =
        exchange(a, w, &clinic, single("06130017", "900", "00", "19910909", "", req, sizeof(req)),
                 sk_oqs_siquc01, &code);
    assert_string_equal(text_at(r, "MessageBody/QualificationValidity"), "2");
    assert_string_equal(text_at(r, REC "InsuredCertificateIssuanceDate"), "20260401");
    assert_string_equal(text_at(r, REC "InsuredCardValidDate"), "20260401");
    assert_string_equal(text_at(r, REC "InsuredCardExpirationDate"), "20260930");
    assert_string_equal(text_at(r, REC "DisqualificationDate"), "20261001");
    /* still covered: valid from acquired_on, no end */
    r = exchange(a, w, &clinic,
                 single("06130017", "345", "01", "20220505", SYM12, req, sizeof(req)),
                 sk_oqs_siquc01, &code);
    assert_string_equal(text_at(r, REC "InsuredCertificateIssuanceDate"), "20261121");
    assert_string_equal(text_at(r, REC "InsuredCardValidDate"), "20220505");
    assert_null(text_at(r, REC "InsuredCardExpirationDate"));
    sk_arena_free(a);
}

/* InsuredPartialContributionRatio is the ratio printed on a 後期高齢者医療 card: no other record
 * has it (a client read a 協会けんぽ member's as "後期高齢 3割"); 70–74 have theirs in
 * ElderlyRecipientCertificateInfo. */
static void test_card_ratio(void **state)
{
    world *w = *state;
    sk_principal clinic = {.id = 1, .role = SK_ROLE_INSTITUTION, .scope = CLINIC};
    sk_arena *a = arena();
    sk_oqs_code code;
    char req[2048];
    /* 健保組合 本人, under 70 */
    sk_oqs_node *r = exchange(a, w, &clinic,
                              single("06130017", "345", "00", "19800401", SYM12, req, sizeof(req)),
                              sk_oqs_siquc01, &code);
    assert_string_equal(text_at(r, "MessageBody/QualificationValidity"), "1");
    assert_null(text_at(r, REC "InsuredPartialContributionRatio"));
    /* 未就学 家族 */
    r = exchange(a, w, &clinic,
                 single("06130017", "345", "01", "20220505", SYM12, req, sizeof(req)),
                 sk_oqs_siquc01, &code);
    assert_string_equal(text_at(r, REC "PreschoolClassification"), "1");
    assert_null(text_at(r, REC "InsuredPartialContributionRatio"));
    /* 国保 70–74: the ratio is the 高齢受給者証's */
    r = exchange(a, w, &clinic, single("  131011", "K800", "00", "19540110", "", req, sizeof(req)),
                 sk_oqs_siquc01, &code);
    assert_null(text_at(r, REC "InsuredPartialContributionRatio"));
    assert_string_equal(
        text_at(r, REC "ElderlyRecipientCertificateInfo/ElderlyRecipientContributionRatio"), "020");
    /* 後期 */
    r = exchange(a, w, &clinic,
                 single("39130018", "90000001", "", "19450211", "", req, sizeof(req)),
                 sk_oqs_siquc01, &code);
    assert_string_equal(text_at(r, "MessageBody/QualificationValidity"), "1");
    assert_string_equal(text_at(r, REC "InsuredPartialContributionRatio"), "010");
    assert_null(text_at(r, REC "ElderlyRecipientCertificateInfo"));
    sk_arena_free(a);
}

/* The echoed QualificationConfirmSearchInfo has every element, empty when the request had none;
 * the consent flag is `0` when omitted, and an invalid one is a record-level error echoed as
 * `0`, never as received. */
#define ECHO "MessageBody/QualificationConfirmSearchInfo/"
#define FLAG "LimitApplicationCertificateRelatedConsFlg"

static void test_echo(void **state)
{
    world *w = *state;
    sk_principal clinic = {.id = 1, .role = SK_ROLE_INSTITUTION, .scope = CLINIC};
    sk_arena *a = arena();
    sk_oqs_code code;
    char req[2048];
    /* the flag omitted: read as 0, echoed as 0 */
    sk_oqs_node *r = exchange(a, w, &clinic,
                              single("06130017", "345", "00", "19800401", SYM12, req, sizeof(req)),
                              sk_oqs_siquc01, &code);
    assert_string_equal(text_at(r, "MessageBody/QualificationValidity"), "1");
    assert_string_equal(text_at(r, ECHO FLAG), "0");
    assert_string_equal(text_at(r, REC FLAG), "0");
    assert_null(text_at(r, REC "LimitApplicationCertificateRelatedInfo"));
    assert_string_equal(text_at(r, ECHO "InsuredCardSymbol"), "12");
    assert_string_equal(text_at(r, ECHO "ArbitraryIdentifier"), "");
    /* no 番号, no 記号: a record-level error, every key echoed (empty) */
    r = exchange(a, w, &clinic, single("06130017", "", "00", "19800401", "", req, sizeof(req)),
                 sk_oqs_siquc01, &code);
    assert_string_equal(text_at(r, "MessageBody/ProcessingResultCode"), "SKR001");
    assert_string_equal(text_at(r, ECHO "InsurerNumber"), "06130017");
    assert_string_equal(text_at(r, ECHO "InsuredCardSymbol"), "");
    assert_string_equal(text_at(r, ECHO "InsuredIdentificationNumber"), "");
    assert_string_equal(text_at(r, ECHO "InsuredBranchNumber"), "00");
    assert_string_equal(text_at(r, ECHO "Birthdate"), "19800401");
    assert_string_equal(text_at(r, ECHO FLAG), "0");
    /* the JSON form has each as a string */
    sk_buf out;
    sk_buf_init(&out, 1 << 16);
    assert_int_equal(sk_oqs_json_write(r, &out), SK_OK);
    sk_buf_append(&out, "", 1);
    assert_non_null(strstr(out.data, "\"InsuredIdentificationNumber\":\"\""));
    assert_non_null(strstr(out.data, "\"" FLAG "\":\"0\","));
    sk_buf_deinit(&out);
    /* invalid flags: a record-level SKR002, echoed as 0 */
    const char *bad[] = {"2", "x", " 1", "01", "１", "true", "false"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        char extra[256];
        snprintf(extra, sizeof(extra), SYM12 "<" FLAG ">%s</" FLAG ">", bad[i]);
        r = exchange(a, w, &clinic,
                     single("06130017", "345", "00", "19800401", extra, req, sizeof(req)),
                     sk_oqs_siquc01, &code);
        assert_int_equal(code, SK_OQS_OK);
        assert_string_equal(text_at(r, "MessageHeader/SegmentOfResult"), "1");
        assert_string_equal(text_at(r, "MessageBody/ProcessingResultStatus"), "2");
        assert_string_equal(text_at(r, "MessageBody/ProcessingResultCode"), "SKR002");
        assert_null(text_at(r, "MessageBody/ResultList"));
        assert_string_equal(text_at(r, ECHO FLAG), "0");
    }
    /* consent given: echoed as 1 */
    r = exchange(a, w, &clinic,
                 single("06130017", "345", "00", "19800401", SYM12 "<" FLAG ">1</" FLAG ">", req,
                        sizeof(req)),
                 sk_oqs_siquc01, &code);
    assert_string_equal(text_at(r, ECHO FLAG), "1");
    assert_string_equal(text_at(r, REC FLAG), "1");
    sk_arena_free(a);
}

/* A file-level refusal carries ProcessingResultStatus 2 with the code and message in its
 * MessageBody, and echoes what of the header was well formed (SKF009 with the date and the
 * institution, so a client can file the answer and reach the message). */
static void check_refusal(const sk_oqs_node *r, const char *code)
{
    assert_string_equal(text_at(r, "MessageHeader/SegmentOfResult"), "9");
    assert_string_equal(text_at(r, "MessageHeader/ErrorCode"), code);
    assert_string_equal(text_at(r, "MessageBody/ProcessingResultStatus"), "2");
    assert_string_equal(text_at(r, "MessageBody/ProcessingResultCode"), code);
    assert_string_equal(text_at(r, "MessageBody/ProcessingResultMessage"),
                        text_at(r, "MessageHeader/ErrorMessage"));
    assert_null(text_at(r, "MessageBody/QualificationValidity"));
}

static void test_refusals(void **state)
{
    world *w = *state;
    sk_principal clinic = {.id = 1, .role = SK_ROLE_INSTITUTION, .scope = CLINIC};
    sk_principal nobody = {.id = 0};
    sk_arena *a = arena();
    char req[2048];
    single("06130017", "345", "00", "19800401", SYM12, req, sizeof(req));
    /* SKF009: read, but the token was refused (the HTTP layer sets the error, keeps the tree) */
    sk_oqs_node *root;
    sk_oqs_charset cs;
    sk_oqs_error e = {.code = SK_OQS_OK};
    assert_int_equal(sk_oqs_xml_read(a, req, strlen(req), &root, &cs, &e), SK_OK);
    sk_oqs_error_set(&e, SK_OQS_AUTH, "Authorization", "unknown token");
    sk_oqs_exchange x = {.store = w->s, .who = &nobody, .now_ms = NOW_MS, .cs = cs};
    sk_oqs_code code;
    sk_oqs_node *r = sk_oqs_siquc01(a, &x, root, &e, &code);
    assert_int_equal(code, SK_OQS_AUTH);
    check_refusal(r, "SKF009");
    assert_string_equal(text_at(r, "MessageHeader/QualificationConfirmationDate"), "20261121");
    assert_string_equal(text_at(r, "MessageHeader/MedicalInstitutionCode"), CLINIC);
    assert_non_null(strstr(text_at(r, "MessageBody/ProcessingResultMessage"), "認証"));
    /* the same in the Web-API form */
    sk_buf out;
    sk_buf_init(&out, 1 << 16);
    assert_int_equal(sk_oqs_json_write(r, &out), SK_OK);
    sk_buf_append(&out, "", 1);
    assert_non_null(strstr(out.data, "\"MessageBody\":{\"ProcessingResultStatus\":\"2\","));
    sk_buf_deinit(&out);
    /* the same for bulk and 照会番号 */
    r = sk_oqs_muquc01(a, &x, root, &e, &code);
    check_refusal(r, "SKF009");
    assert_string_equal(text_at(r, "MessageHeader/MedicalInstitutionCode"), CLINIC);
    r = sk_oqs_muquc02(a, &x, root, &e, &code);
    check_refusal(r, "SKF009");
    r = sk_oqs_siimm01(a, &x, root, &e, &code);
    check_refusal(r, "SKF009");
    /* unreadable: nothing to echo, the body still says it */
    sk_oqs_error_set(&e, SK_OQS_NOT_XML, "", "not XML");
    r = sk_oqs_siquc01(a, &x, NULL, &e, &code);
    check_refusal(r, "SKF001");
    assert_null(text_at(r, "MessageHeader/MedicalInstitutionCode"));
    /* SKF005: a malformed date is not echoed, the well-formed institution is */
    const char *bad = "<XmlMsg><MessageHeader>"
                      "<QualificationConfirmationDate>2026-11-21</QualificationConfirmationDate>"
                      "<MedicalInstitutionCode>" CLINIC "</MedicalInstitutionCode>"
                      "<ArbitraryFileIdentifier>f-1</ArbitraryFileIdentifier></MessageHeader>"
                      "<MessageBody/></XmlMsg>";
    r = exchange(a, w, &clinic, bad, sk_oqs_siquc01, &code);
    assert_int_equal(code, SK_OQS_HEADER_INVALID);
    check_refusal(r, "SKF005");
    assert_null(text_at(r, "MessageHeader/QualificationConfirmationDate"));
    assert_string_equal(text_at(r, "MessageHeader/MedicalInstitutionCode"), CLINIC);
    assert_string_equal(text_at(r, "MessageHeader/ArbitraryFileIdentifier"), "f-1");
    sk_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_golden_answers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reference_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_card_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_card_ratio, setup, teardown),
        cmocka_unit_test_setup_teardown(test_echo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
