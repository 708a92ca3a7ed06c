/* test_person.c — 5情報 field rules. */
#include "support.h"

#include <string.h>

#include "core/person.h"

static void test_sex(void **state)
{
    (void)state;
    sk_sex s;
    sk_diag d;
    assert_int_equal(sk_sex_parse("1", 1, &s, "sex", &d), SK_OK);
    assert_int_equal(s, SK_SEX_MALE);
    assert_int_equal(sk_sex_parse("3", 1, &s, "sex", &d), SK_OK);
    assert_int_equal(s, SK_SEX_UNSET);
    assert_int_equal(sk_sex_parse("0", 1, &s, "sex", &d), SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_SEX);
    assert_int_equal(sk_sex_parse("男", strlen("男"), &s, "sex", &d), SK_ERR_INVALID);
    assert_int_equal(sk_sex_parse("", 0, &s, "sex", &d), SK_ERR_INVALID);
}

static void test_postcode(void **state)
{
    (void)state;
    char p[9];
    sk_diag d;
    assert_int_equal(sk_postcode_parse("100-8916", 8, p, "postcode", &d), SK_OK);
    assert_string_equal(p, "100-8916");
    assert_int_equal(sk_postcode_parse("1008916", 7, p, "postcode", &d), SK_OK);
    assert_string_equal(p, "100-8916");
    static const char *bad[] = {"100-891",  "10-08916",       "1008-916",
                                "100 8916", "１００８９１６", ""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(sk_postcode_parse(bad[i], strlen(bad[i]), p, "postcode", &d),
                         SK_ERR_INVALID);
        assert_int_equal(d.code, SK_C_POSTCODE);
    }
}

static void test_kana_and_text(void **state)
{
    (void)state;
    sk_diag d;
    static const char *ok[] = {"シンリョウ タロウ", "ｼﾝﾘｮｳ ﾀﾛｳ", "ヴァン・デル　ベルク",
                               "コーダイ"};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        assert_int_equal(sk_kana_check(ok[i], strlen(ok[i]), "kana", &d), SK_OK);
    static const char *bad[] = {"しんりょう", "診療", "TARO", "ﾀﾛｳ1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(sk_kana_check(bad[i], strlen(bad[i]), "kana", &d), SK_ERR_INVALID);
        assert_int_equal(d.code, SK_C_KANA);
        assert_string_equal(d.field, "kana");
    }
    assert_int_equal(sk_kana_check("", 0, "kana", &d), SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_REQUIRED);
    assert_int_equal(
        sk_text_check("東京都\n千代田区", strlen("東京都\n千代田区"), 100, "address", &d),
        SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_BAD_CHAR);
    assert_int_equal(sk_text_check("abcd", 4, 3, "name", &d), SK_ERR_TOOBIG);
    assert_int_equal(d.code, SK_C_TOO_LONG);
    assert_int_equal(sk_text_check("\xff", 1, 3, "name", &d), SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_BAD_UTF8);
}

/* Which characters a text field refuses (issue 19 B.3): control and format characters, with
 * the variation selectors of kanji (IVS) kept. */
static void test_text_characters(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool ok;
    } t[] = {
        {"髙橋　太郎", true},        {"葛\U000E0100飾　花子", true}, /* IVS (Mn) after 葛 */
        {"辻\uFE00", true},                                          /* SVS (Mn) */
        {"渡邊\uE000", true}, /* private use: 外字 of an older system */
        {"Anne-Marie O'Neil", true}, {"東京都港区1-1 ﾋﾞﾙ", true},
        {"Ali\u202Ecba", false},   /* RIGHT-TO-LEFT OVERRIDE */
        {"a\u202Ab", false},       /* LEFT-TO-RIGHT EMBEDDING */
        {"a\u202Cb", false},       /* POP DIRECTIONAL FORMATTING */
        {"a\u2066b", false},       /* LEFT-TO-RIGHT ISOLATE */
        {"a\u2069b", false},       /* POP DIRECTIONAL ISOLATE */
        {"a\u200Eb", false},       /* LEFT-TO-RIGHT MARK */
        {"山\u200B田", false},     /* ZERO WIDTH SPACE */
        {"山\u200D田", false},     /* ZERO WIDTH JOINER */
        {"山\u200C田", false},     /* ZERO WIDTH NON-JOINER */
        {"\uFEFF山田", false},     /* BOM */
        {"山\u00AD田", false},     /* SOFT HYPHEN */
        {"山\u2060田", false},     /* WORD JOINER */
        {"山\U000E0041田", false}, /* TAG LATIN CAPITAL LETTER A */
        {"山\u2028田", false},     /* LINE SEPARATOR */
        {"山\u2029田", false},     /* PARAGRAPH SEPARATOR */
        {"山\xC2\x85田", false},   /* NEL (C1) */
        {"山\t田", false},           {"山\x7F田", false},
        {"山\r\n田", false},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        sk_diag d;
        sk_diag_clear(&d);
        sk_err err = sk_text_check(t[i].text, strlen(t[i].text), 100, "name", &d);
        if (t[i].ok) {
            assert_int_equal(err, SK_OK);
        } else {
            assert_int_equal(err, SK_ERR_INVALID);
            assert_int_equal(d.code, SK_C_BAD_CHAR);
            assert_string_equal(d.field, "name");
        }
    }
    assert_true(sk_text_char_refused(0x202E));
    assert_false(sk_text_char_refused(0xE0100));
}

static void test_oqs_name_forms(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } k[] = {
        {"シンリョウ タロウ", "ｼﾝﾘｮｳ ﾀﾛｳ"},
        {"シンリョウ　タロウ", "ｼﾝﾘｮｳ ﾀﾛｳ"},
        {"ガギグゲゴ パピプペポ", "ｶﾞｷﾞｸﾞｹﾞｺﾞ ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ"},
        {"ヴァイオリン", "ｳﾞｧｲｵﾘﾝ"},
        {"ヰヱヲヮヵヶ", "ｲｴｦﾜｶｹ"},
        {"ゴトー・ケイ", "ｺﾞﾄｰ･ｹｲ"},
        {"ｼﾝﾘｮｳ ﾀﾛｳ", "ｼﾝﾘｮｳ ﾀﾛｳ"}, /* already half-width */
        {"", ""},
    };
    char out[128];
    for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
        assert_int_equal(sk_kana_halfwidth(k[i].in, strlen(k[i].in), out, sizeof(out)), SK_OK);
        assert_string_equal(out, k[i].want);
    }
    assert_int_equal(sk_kana_halfwidth("ガガ", 6, out, 7), SK_ERR_TOOBIG); /* needs 12 + 1 */
    assert_int_equal(sk_kana_halfwidth("\xff", 1, out, sizeof(out)), SK_ERR_INVALID);
    assert_int_equal(sk_name_fullwidth_space("診療 太郎", strlen("診療 太郎"), out, sizeof(out)),
                     SK_OK);
    assert_string_equal(out, "診療　太郎");
    assert_int_equal(sk_name_fullwidth_space("診療　太郎", strlen("診療　太郎"), out, 4),
                     SK_ERR_TOOBIG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sex),
        cmocka_unit_test(test_postcode),
        cmocka_unit_test(test_kana_and_text),
        cmocka_unit_test(test_text_characters),
        cmocka_unit_test(test_oqs_name_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
