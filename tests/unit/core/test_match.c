/* test_match.c — identity matching rules M1–M6 (core/match.h), one table row per rule case. */
#include "support.h"

#include <string.h>

#include "core/match.h"

static sk_arena *arena;

static int setup(void **state)
{
    (void)state;
    arena = sk_arena_alloc(0, 1 << 22);
    return arena ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sk_arena_free(arena);
    return 0;
}

static const sk_ident base = {.name = "髙橋　眞理",
                              .kana = "タカハシ　マリ",
                              .birthdate = {1990, 4, 1},
                              .sex = SK_SEX_FEMALE,
                              .address = "東京都千代田区霞が関2-1-2ハイツ桜101"};

typedef struct {
    const char *what;
    sk_ident ours; /* fields left NULL/0 are taken from base */
    bool twin;
    sk_match_result want;
    unsigned differ, folded;
} match_case;

static sk_ident with_base(sk_ident o)
{
    if (!o.name)
        o.name = base.name;
    if (!o.kana)
        o.kana = base.kana;
    if (!o.birthdate.y)
        o.birthdate = base.birthdate;
    if (!o.sex)
        o.sex = base.sex;
    if (!o.address)
        o.address = base.address;
    return o;
}

static void test_rules(void **state)
{
    (void)state;
    static const match_case v[] = {
        {"M1 exact", {0}, false, SK_MATCH_EQUAL, 0, 0},
        {"M1 spaces and half-width kana",
         {.name = "髙橋眞理", .kana = "ﾀｶﾊｼ ﾏﾘ"},
         false,
         SK_MATCH_EQUAL,
         0,
         0},
        {"M1 異体字 is flagged", {.name = "高橋　真理"}, false, SK_MATCH_EQUAL, 0, SK_ITEM_NAME},
        {"M1 hiragana kana is flagged",
         {.kana = "たかはし　まり"},
         false,
         SK_MATCH_EQUAL,
         0,
         SK_ITEM_KANA},
        {"M1 address notation is flagged",
         {.address = "東京都千代田区霞ケ関二丁目1番地2号ハイツ桜101"},
         false,
         SK_MATCH_EQUAL,
         0,
         SK_ITEM_ADDRESS},
        {"M3 birth date differs: high",
         {.birthdate = {1990, 4, 2}},
         false,
         SK_MATCH_DIFF_HIGH,
         SK_ITEM_BIRTHDATE,
         0},
        {"M3 sex differs: high", {.sex = SK_SEX_MALE}, false, SK_MATCH_DIFF_HIGH, SK_ITEM_SEX, 0},
        {"M3 sex unknown is not equal",
         {.sex = SK_SEX_UNSET},
         false,
         SK_MATCH_DIFF_HIGH,
         SK_ITEM_SEX,
         0},
        {"M3 name only: low", {.name = "鈴木　眞理"}, false, SK_MATCH_DIFF_LOW, SK_ITEM_NAME, 0},
        {"M3 kana only: low",
         {.kana = "タカバシ　マリ"},
         false,
         SK_MATCH_DIFF_LOW,
         SK_ITEM_KANA,
         0},
        {"M3 name and birth date: high",
         {.name = "髙橋　真由", .birthdate = {1991, 4, 1}},
         false,
         SK_MATCH_DIFF_HIGH,
         SK_ITEM_NAME | SK_ITEM_BIRTHDATE,
         0},
        {"M4 twins: no 異体字 bridge",
         {.name = "髙橋　真理"},
         true,
         SK_MATCH_DIFF_LOW,
         SK_ITEM_NAME,
         0},
        {"M4 twins: exact name still links",
         {.name = "髙橋 眞理", .kana = "ﾀｶﾊｼﾏﾘ"},
         true,
         SK_MATCH_EQUAL,
         0,
         0},
        {"M5 building name omitted",
         {.address = "東京都千代田区霞が関２－１－２"},
         false,
         SK_MATCH_EQUAL,
         0,
         SK_ITEM_ADDRESS},
        {"M5 another room of the building",
         {.address = "東京都千代田区霞が関2-1-2ハイツ桜102"},
         false,
         SK_MATCH_DIFF_LOW,
         SK_ITEM_ADDRESS,
         0},
        {"M5 a room number is not a building",
         {.address = "東京都千代田区霞が関2-1"},
         false,
         SK_MATCH_DIFF_LOW,
         SK_ITEM_ADDRESS,
         0},
        {"M5 moved",
         {.address = "大阪府大阪市北区中之島1-3-20"},
         false,
         SK_MATCH_DIFF_LOW,
         SK_ITEM_ADDRESS,
         0},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        sk_ident o = with_base(v[i].ours);
        sk_match m;
        sk_diag d;
        if (sk_match_compare(arena, &o, &base, SK_ITEMS_ALL5, v[i].twin, &m, &d) != SK_OK)
            fail_msg("%s: %s", v[i].what, d.message);
        if (m.result != v[i].want || m.differ != v[i].differ ||
            (m.folded & v[i].folded) != v[i].folded)
            fail_msg("%s: result %d differ %#x folded %#x; want %d %#x %#x", v[i].what, m.result,
                     m.differ, m.folded, v[i].want, v[i].differ, v[i].folded);
        assert_int_equal(m.twin_rule, v[i].twin);
    }
}

static void test_alt_names(void **state)
{
    (void)state;
    sk_ident reg = base;
    reg.name = "鈴木　眞理";
    reg.alt_names[0] = "髙橋　眞理"; /* 旧氏 */
    sk_match m;
    assert_int_equal(sk_match_compare(arena, &base, &reg, SK_ITEMS_ALL5, false, &m, NULL), SK_OK);
    assert_int_equal(m.result, SK_MATCH_EQUAL);
    assert_true(m.folded & SK_ITEM_NAME);
    reg.alt_names[0] = NULL;
    reg.alt_names[1] = "高橋　マリ"; /* a 通称 that is not this name */
    assert_int_equal(sk_match_compare(arena, &base, &reg, SK_ITEMS_ALL5, false, &m, NULL), SK_OK);
    assert_int_equal(m.result, SK_MATCH_DIFF_LOW);
}

static void test_refusals(void **state)
{
    (void)state;
    sk_match m;
    sk_diag d;
    /* M2: never on fewer than 基本4情報 (the 2021-22 links used カナ+生年月日+性別) */
    assert_int_equal(sk_match_compare(arena, &base, &base,
                                      SK_ITEM_KANA | SK_ITEM_BIRTHDATE | SK_ITEM_SEX, false, &m,
                                      &d),
                     SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_MATCH_ITEMS);
    /* an unknown item is never equal */
    sk_ident o = base;
    o.address = NULL;
    assert_int_equal(sk_match_compare(arena, &o, &base, SK_ITEMS_BASIC4, false, &m, &d), SK_OK);
    assert_int_equal(m.result, SK_MATCH_DIFF_LOW);
    assert_int_equal(m.differ, SK_ITEM_ADDRESS);
    /* bad text names its field */
    o = base;
    o.kana = "\xff\xfe";
    assert_int_equal(sk_match_compare(arena, &o, &base, SK_ITEMS_ALL5, false, &m, &d),
                     SK_ERR_INVALID);
    assert_string_equal(d.field, "kana");
}

static void test_outcome(void **state)
{
    (void)state;
    sk_match eq = {.result = SK_MATCH_EQUAL}, low = {.result = SK_MATCH_DIFF_LOW};
    assert_int_equal(sk_match_outcome(0, NULL), SK_JLIS_NONE);
    assert_int_equal(sk_match_outcome(1, &eq), SK_JLIS_MATCH);
    assert_int_equal(sk_match_outcome(1, &low), SK_JLIS_MISMATCH);
    assert_int_equal(sk_match_outcome(2, &eq), SK_JLIS_MULTIPLE); /* M6: never picked */
    assert_string_equal(sk_jlis_outcome_name(SK_JLIS_MULTIPLE), "multiple");
    char buf[64];
    sk_match_items_format(SK_ITEM_NAME | SK_ITEM_SEX, buf, sizeof(buf));
    assert_string_equal(buf, "name sex");
    sk_match_items_format(SK_ITEMS_ALL5, buf, 10);
    assert_true(strlen(buf) < 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_alt_names),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_outcome),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
