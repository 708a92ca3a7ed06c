/* test_text.c — UTF-8 ↔ Shift_JIS (CP932): the Windows extensions round-trip, JIS-form code
 * points map to their CP932 bytes, what CP932 cannot hold becomes ● and is counted, and bad
 * input is refused. (Shift_JIS → UTF-8 for CSV files is also covered by test_csv.) */
#include "support.h"

#include <string.h>

#include "util/text.h"

static void test_round_trip(void **state)
{
    (void)state;
    static const char utf8[] = "ｼﾝﾘｮｳ 診療　太郎①髙﨑～－";
    sk_buf b;
    sk_buf_init(&b, 1024);
    size_t replaced = 0;
    assert_int_equal(sk_text_utf8_to_cp932(utf8, sizeof(utf8) - 1, &b, &replaced), SK_OK);
    assert_int_equal(replaced, 0);
    sk_arena *a = sk_arena_alloc(0, 1 << 20);
    char *back;
    size_t n;
    sk_text_encoding used;
    sk_diag d;
    assert_int_equal(sk_text_to_utf8(b.data, b.len, SK_ENC_SJIS, a, &back, &n, &used, &d), SK_OK);
    assert_string_equal(back, utf8);
    sk_arena_free(a);
    sk_buf_deinit(&b);
}

static void test_unencodable_and_invalid(void **state)
{
    (void)state;
    sk_buf b;
    sk_buf_init(&b, 1024);
    size_t replaced = 0;
    /* 𠮷 (U+20BB7) and 🏥 have no CP932 form; 〜 (U+301C) is written as 0x8160 */
    assert_int_equal(sk_text_utf8_to_cp932("a𠮷〜🏥", strlen("a𠮷〜🏥"), &b, &replaced), SK_OK);
    assert_int_equal(replaced, 2);
    assert_int_equal(b.len, 7);
    assert_memory_equal(b.data, "a\x81\x9c\x81\x60\x81\x9c", 7);
    sk_buf_reset(&b);
    assert_int_equal(sk_text_utf8_to_cp932("a\xff", 2, &b, NULL), SK_ERR_INVALID);
    sk_buf_deinit(&b);
    sk_buf small;
    sk_buf_init(&small, 3);
    assert_int_equal(sk_text_utf8_to_cp932("診療太郎", strlen("診療太郎"), &small, NULL),
                     SK_ERR_TOOBIG);
    sk_buf_deinit(&small);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_unencodable_and_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
