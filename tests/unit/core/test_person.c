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
        cmocka_unit_test(test_oqs_name_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
