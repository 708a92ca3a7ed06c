/* test_normalize.c — matching normalisation (domain-rules §13): width, kana, 異体字 with IVS,
 * addresses. Each case says what both spellings must become and which flags must be raised. */
#include "support.h"

#include <string.h>

#include "core/normalize.h"

static sk_arena *arena;

static int setup(void **state)
{
    (void)state;
    arena = sk_arena_alloc(0, 1 << 20);
    return arena ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sk_arena_free(arena);
    return 0;
}

typedef struct {
    sk_norm_kind kind;
    const char *in;
    const char *out;
    unsigned flags; /* flags that must be set (others may be too) */
} norm_case;

static const char *norm(sk_norm_kind kind, const char *in, unsigned *flags)
{
    char *out = NULL;
    size_t len = 0;
    sk_diag d;
    sk_err e = sk_normalize(arena, kind, in, strlen(in), &out, &len, flags, &d);
    if (e)
        fail_msg("normalize '%s': %s", in, d.message);
    assert_int_equal(strlen(out), len);
    return out;
}

static void run(const norm_case *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned f = 0;
        const char *got = norm(v[i].kind, v[i].in, &f);
        if (strcmp(got, v[i].out) != 0)
            fail_msg("case %zu '%s': got '%s', want '%s'", i, v[i].in, got, v[i].out);
        if ((f & v[i].flags) != v[i].flags)
            fail_msg("case %zu '%s': flags %#x lack %#x", i, v[i].in, f, v[i].flags);
    }
}

static void test_names_itaiji(void **state)
{
    (void)state;
    /* the list, every pair, plus IVS sequences dropped for matching */
    static const norm_case v[] = {
        {SK_NORM_NAME, "髙橋", "高橋", SK_NORM_F_ITAIJI},
        {SK_NORM_NAME, "山﨑", "山崎", SK_NORM_F_ITAIJI},
        {SK_NORM_NAME, "渡邊", "渡辺", SK_NORM_F_ITAIJI},
        {SK_NORM_NAME, "渡邉", "渡辺", SK_NORM_F_ITAIJI},
        {SK_NORM_NAME, "齋藤", "斉藤", SK_NORM_F_ITAIJI},
        {SK_NORM_NAME, "齊藤", "斉藤", SK_NORM_F_ITAIJI},
        {SK_NORM_NAME, "斎藤", "斉藤", SK_NORM_F_ITAIJI},
        {SK_NORM_NAME, "斉藤", "斉藤", 0},
        {SK_NORM_NAME, "濵田", "浜田", SK_NORM_F_ITAIJI},
        {SK_NORM_NAME, "濱田", "浜田", SK_NORM_F_ITAIJI},
        {SK_NORM_NAME, "德川", "徳川", SK_NORM_F_ITAIJI},
        {SK_NORM_NAME, "櫻井", "桜井", SK_NORM_F_ITAIJI},
        {SK_NORM_NAME, "澤田", "沢田", SK_NORM_F_ITAIJI},
        {SK_NORM_NAME, "廣瀬", "広瀬", SK_NORM_F_ITAIJI},
        {SK_NORM_NAME, "國分", "国分", SK_NORM_F_ITAIJI},
        {SK_NORM_NAME, "眞鍋", "真鍋", SK_NORM_F_ITAIJI},
        {SK_NORM_NAME, "中邨", "中村", SK_NORM_F_ITAIJI},
        {SK_NORM_NAME, "𠮷田", "吉田", SK_NORM_F_ITAIJI},
        /* IVS: 葛 + VS17 (U+E0100), 辻 + VS18 */
        {SK_NORM_NAME, "葛\xf3\xa0\x84\x80城", "葛城", SK_NORM_F_IVS},
        {SK_NORM_NAME, "辻\xf3\xa0\x84\x81本", "辻本", SK_NORM_F_IVS},
        {SK_NORM_NAME, "邊\xf3\xa0\x84\x82", "辺", SK_NORM_F_IVS | SK_NORM_F_ITAIJI},
        /* spaces of both widths between family and given name */
        {SK_NORM_NAME, "診療　太郎", "診療太郎", SK_NORM_F_SPACE},
        {SK_NORM_NAME, "診療 太郎", "診療太郎", SK_NORM_F_SPACE},
        /* CJK compatibility ideograph with a canonical decomposition: NFKC folds it */
        {SK_NORM_NAME, "\xef\xa4\xa9", "朗", SK_NORM_F_WIDTH}, /* U+F929 → 朗 U+6717 */
        /* 外字 stand-in is kept and flagged */
        {SK_NORM_NAME, "●田", "●田", SK_NORM_F_GAIJI},
        {SK_NORM_NAME, "ＴＡＲＯ", "TARO", SK_NORM_F_WIDTH},
    };
    run(v, sizeof(v) / sizeof(v[0]));
}

static void test_kana(void **state)
{
    (void)state;
    static const norm_case v[] = {
        {SK_NORM_KANA, "ｼﾝﾘｮｳ ﾀﾛｳ", "シンリヨウタロウ", SK_NORM_F_WIDTH | SK_NORM_F_KANA},
        {SK_NORM_KANA, "シンリョウ　タロウ", "シンリヨウタロウ", SK_NORM_F_KANA},
        {SK_NORM_KANA, "しんりょう たろう", "シンリヨウタロウ", SK_NORM_F_KANA},
        {SK_NORM_KANA, "ｶﾞｯｺｳ", "ガツコウ", SK_NORM_F_WIDTH}, /* ｶﾞ composes to ガ */
        {SK_NORM_KANA, "ヶ", "ケ", SK_NORM_F_KANA},
        {SK_NORM_KANA, "ヵ", "カ", SK_NORM_F_KANA},
        {SK_NORM_KANA, "ヰヱ", "イエ", SK_NORM_F_KANA},
        {SK_NORM_KANA, "ｺｰﾀﾞｲ", "コーダイ", SK_NORM_F_WIDTH},
        {SK_NORM_KANA, "コ−ダイ", "コーダイ", SK_NORM_F_KANA}, /* minus sign as 長音 */
        {SK_NORM_KANA, "ㇰㇱ", "クシ", SK_NORM_F_KANA},
        {SK_NORM_KANA, "テスト", "テスト", 0},
        /* found by fuzzing: ｯﾞ is ッ + dakuten (not composable); after ッ → ツ it composes */
        {SK_NORM_KANA, "ｯﾞｳ", "ヅウ", SK_NORM_F_KANA},
    };
    run(v, sizeof(v) / sizeof(v[0]));
}

static void test_addresses(void **state)
{
    (void)state;
    static const norm_case v[] = {
        {SK_NORM_ADDRESS, "東京都千代田区霞が関2丁目1番地2号", "東京都千代田区霞ケ関2-1-2",
         SK_NORM_F_ADDRESS},
        {SK_NORM_ADDRESS, "東京都千代田区霞ケ関2-1-2", "東京都千代田区霞ケ関2-1-2", 0},
        {SK_NORM_ADDRESS, "東京都千代田区霞ヶ関２－１－２", "東京都千代田区霞ケ関2-1-2",
         SK_NORM_F_WIDTH},
        {SK_NORM_ADDRESS, "東京都千代田区霞が関二丁目一番二号", "東京都千代田区霞ケ関2-1-2",
         SK_NORM_F_ADDRESS},
        {SK_NORM_ADDRESS, "大阪市北区梅田三丁目十一番地", "大阪市北区梅田3-11", SK_NORM_F_ADDRESS},
        {SK_NORM_ADDRESS, "梅田3丁目11番地", "梅田3-11", SK_NORM_F_ADDRESS},
        {SK_NORM_ADDRESS, "梅田3−11", "梅田3-11", SK_NORM_F_ADDRESS},  /* U+2212 */
        {SK_NORM_ADDRESS, "梅田3ー11", "梅田3-11", SK_NORM_F_ADDRESS}, /* 長音 */
        {SK_NORM_ADDRESS, "梅田3‐11", "梅田3-11", SK_NORM_F_ADDRESS},  /* U+2010 */
        {SK_NORM_ADDRESS, "梅田3の11", "梅田3-11", SK_NORM_F_ADDRESS},
        {SK_NORM_ADDRESS, "梅田三の十一", "梅田3-11", SK_NORM_F_ADDRESS},
        {SK_NORM_ADDRESS, "梅田3-11 メゾン梅田101", "梅田3-11メゾン梅田101", 0},
        {SK_NORM_ADDRESS, "梅田3丁目11番地メゾン梅田101", "梅田3-11メゾン梅田101", 0},
        {SK_NORM_ADDRESS, "長野県上田市大字上田字中央1234", "長野県上田市上田字中央1234", 0},
        {SK_NORM_ADDRESS, "長野県上田市字中央1234", "長野県上田市中央1234", SK_NORM_F_ADDRESS},
        /* a place name with a numeral stays a name, and both spellings of の agree */
        {SK_NORM_ADDRESS, "千葉県市川市一ノ瀬", "千葉県市川市一ノ瀬", 0},
        {SK_NORM_ADDRESS, "千葉県市川市一の瀬", "千葉県市川市一ノ瀬", SK_NORM_F_ADDRESS},
        {SK_NORM_ADDRESS, "自由が丘1-2", "自由ケ丘1-2", SK_NORM_F_ADDRESS},
        {SK_NORM_ADDRESS, "自由ヶ丘一丁目2番", "自由ケ丘1-2", SK_NORM_F_ADDRESS},
        {SK_NORM_ADDRESS, "二十三番地", "23", SK_NORM_F_ADDRESS},
        {SK_NORM_ADDRESS, "百五番地", "105", SK_NORM_F_ADDRESS},
        {SK_NORM_ADDRESS, "二〇三号", "203", SK_NORM_F_ADDRESS},
        {SK_NORM_ADDRESS, "メゾン・ド・ール", "メゾン・ド・ール", 0}, /* ー after kana stays */
    };
    run(v, sizeof(v) / sizeof(v[0]));
}

static void test_equal_pairs(void **state)
{
    (void)state;
    /* what matching relies on: both spellings give one string */
    static const struct {
        sk_norm_kind kind;
        const char *a, *b;
    } same[] = {
        {SK_NORM_NAME, "髙橋　﨑子", "高橋 崎子"},
        {SK_NORM_KANA, "ﾀｶﾊｼ ｻｷｺ", "タカハシ　サキコ"},
        {SK_NORM_ADDRESS, "東京都千代田区霞が関2丁目1番地2号", "東京都千代田区霞ケ関２－１－２"},
    };
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
        assert_string_equal(norm(same[i].kind, same[i].a, NULL),
                            norm(same[i].kind, same[i].b, NULL));
    /* and different people stay different */
    assert_string_not_equal(norm(SK_NORM_NAME, "高橋一郎", NULL),
                            norm(SK_NORM_NAME, "高橋二郎", NULL));
    assert_string_not_equal(norm(SK_NORM_ADDRESS, "梅田3-11", NULL),
                            norm(SK_NORM_ADDRESS, "梅田3-1-1", NULL));
}

/* Found by fuzzing: ゜ (U+309C) and ﾟ (U+FF9F) become the combining U+309A (class 8) after a
 * mark of class 220 (U+1AB7); the output must be in canonical order, so that normalising it
 * again changes nothing. */
static void test_marks_in_canonical_order(void **state)
{
    (void)state;
    sk_arena *a = sk_arena_alloc(0, 1 << 20);
    static const char in[] = "W[\xe1\xaa\xb7\xe3\x82\x9c\xef\xbe\x9f";
    static const sk_norm_kind kinds[] = {SK_NORM_NAME, SK_NORM_KANA};
    for (int k = 0; k < 2; k++) {
        char *out, *again;
        size_t len, len2;
        assert_int_equal(sk_normalize(a, kinds[k], in, strlen(in), &out, &len, NULL, NULL), SK_OK);
        assert_string_equal(out, "W[\xe3\x82\x9a\xe3\x82\x9a\xe1\xaa\xb7");
        assert_int_equal(sk_normalize(a, kinds[k], out, len, &again, &len2, NULL, NULL), SK_OK);
        assert_string_equal(again, out);
    }
    sk_arena_free(a);
}

static void test_errors(void **state)
{
    (void)state;
    char *out;
    size_t len;
    sk_diag d;
    assert_int_equal(sk_normalize(arena, SK_NORM_NAME, "\xe9\xab", 2, &out, &len, NULL, &d),
                     SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_BAD_UTF8);
    static char big[2000];
    memset(big, 'a', sizeof(big));
    assert_int_equal(sk_normalize(arena, SK_NORM_NAME, big, sizeof(big), &out, &len, NULL, &d),
                     SK_ERR_TOOBIG);
    /* found by fuzzing: a NUL passed through and cut the C string short */
    assert_int_equal(sk_normalize(arena, SK_NORM_NAME, "z1\0\0\0", 5, &out, &len, NULL, &d),
                     SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_BAD_CHAR);
    assert_int_equal(sk_normalize(arena, SK_NORM_ADDRESS, "a\nb", 3, &out, &len, NULL, &d),
                     SK_ERR_INVALID);
    assert_int_equal(sk_normalize(arena, SK_NORM_NAME, "a\tb", 3, &out, &len, NULL, &d), SK_OK);
    assert_string_equal(out, "ab");
    assert_int_equal(sk_normalize(arena, SK_NORM_NAME, "", 0, &out, &len, NULL, &d), SK_OK);
    assert_string_equal(out, "");
    assert_int_equal(sk_itaiji_fold(0x9AD9), 0x9AD8);
    assert_int_equal(sk_itaiji_fold('A'), 'A');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_itaiji), cmocka_unit_test(test_kana),
        cmocka_unit_test(test_addresses),    cmocka_unit_test(test_equal_pairs),
        cmocka_unit_test(test_errors),       cmocka_unit_test(test_marks_in_canonical_order),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
