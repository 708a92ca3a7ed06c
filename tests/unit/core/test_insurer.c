/* test_insurer.c — 保険者番号: layout, 検証番号, 法別番号 allow-list, padding (domain-rules §2,
 * oqs-messages §7). */
#include "support.h"

#include <stdio.h>
#include <string.h>

#include "core/checkdigit.h"
#include "core/insurer.h"

/* Builds a valid number from a body by appending the Luhn digit. */
static void with_check(const char *body, char *out)
{
    size_t n = strlen(body);
    memcpy(out, body, n);
    out[n] = (char)('0' + sk_checkdigit_luhn(body, n));
    out[n + 1] = '\0';
}

static void test_spec_vectors(void **state)
{
    (void)state;
    sk_insurer_number n;
    sk_diag d;
    assert_int_equal(sk_insurer_number_parse("33120015", 8, &n, "insurer_number", &d), SK_OK);
    assert_int_equal(n.kind, SK_INSURER_KYOSAI);
    assert_int_equal(n.houbetsu, 33);
    assert_int_equal(n.prefecture, 12);
    assert_int_equal(sk_insurer_number_parse("01130012", 8, &n, "f", &d), SK_OK);
    assert_int_equal(n.kind, SK_INSURER_KYOKAI);
    assert_int_equal(n.prefecture, 13);
    assert_int_equal(sk_insurer_number_parse("131011", 6, &n, "f", &d), SK_OK);
    assert_int_equal(n.kind, SK_INSURER_KOKUHO);
    assert_int_equal(n.len, 6);
    assert_int_equal(sk_insurer_number_parse("33120016", 8, &n, "insurer_number", &d),
                     SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_INSURER_CHECK_DIGIT);
    assert_string_equal(d.field, "insurer_number");
}

static void test_houbetsu_allow_list(void **state)
{
    (void)state;
    /* every two-digit prefix: accepted exactly when it is on the list */
    static const int allowed[] = {1, 2, 3, 4, 6, 7, 31, 32, 33, 34, 39, 63, 67, 72, 73, 74, 75};
    for (int h = 1; h < 100; h++) {
        char body[8], num[9];
        snprintf(body, sizeof(body), "%02d13001", h);
        with_check(body, num);
        int expect = 0;
        for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
            expect |= allowed[i] == h;
        sk_insurer_number n;
        sk_diag d;
        sk_err e = sk_insurer_number_parse(num, 8, &n, "f", &d);
        if (expect) {
            assert_int_equal(e, SK_OK);
        } else {
            assert_int_equal(e, SK_ERR_INVALID);
            assert_int_equal(d.code, SK_C_INSURER_HOUBETSU);
        }
    }
}

static void test_public_expense_numbers_rejected(void **state)
{
    (void)state;
    /* 公費 法別番号: 12 生活保護, 21 精神通院, 52 小児慢性, 54 難病, 10-25, 28-30, 38, 51-54, 66,
     * 79 */
    static const int kouhi[] = {10, 12, 15, 21, 25, 28, 29, 30, 38, 51, 52, 53, 54, 66, 79};
    for (size_t i = 0; i < sizeof(kouhi) / sizeof(kouhi[0]); i++) {
        char body[8], num[9];
        snprintf(body, sizeof(body), "%02d13001", kouhi[i]);
        with_check(body, num);
        sk_diag d;
        sk_insurer_number n;
        assert_int_equal(sk_insurer_number_parse(num, 8, &n, "f", &d), SK_ERR_INVALID);
        assert_int_equal(d.code, SK_C_INSURER_HOUBETSU);
    }
}

static void test_kinds(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        sk_insurer_kind kind;
        bool employee;
    } v[] = {
        {"0113001", SK_INSURER_KYOKAI, true},
        {"0213001", SK_INSURER_SENIN, true},
        {"0613001", SK_INSURER_KUMIAI, true},
        {"3113001", SK_INSURER_KYOSAI, true},
        {"3913001", SK_INSURER_KOUKI, false},
        {"6313001", SK_INSURER_TOKUREI_TAISHOKU, true},
        {"6713001", SK_INSURER_KOKUHO_TAISHOKU, false},
        {"13101", SK_INSURER_KOKUHO, false},
        {"13301", SK_INSURER_KOKUHO_KUMIAI, false}, /* 保険者別番号 3xx */
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        char num[9];
        with_check(v[i].body, num);
        sk_insurer_number n;
        assert_int_equal(sk_insurer_number_parse(num, strlen(num), &n, "f", NULL), SK_OK);
        assert_int_equal(n.kind, v[i].kind);
        assert_int_equal(sk_insurer_kind_is_employee(n.kind), v[i].employee);
        sk_insurer_kind back;
        assert_int_equal(sk_insurer_kind_from_name(sk_insurer_kind_name(n.kind), &back), SK_OK);
        assert_int_equal(back, n.kind);
    }
    assert_true(sk_insurer_kind_is_kokuho(SK_INSURER_KOKUHO_KUMIAI));
    assert_false(sk_insurer_kind_is_kokuho(SK_INSURER_KOUKI));
}

static void test_format_errors(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        sk_code code;
    } v[] = {
        {"", SK_C_INSURER_FORMAT},
        {"1310111", SK_C_INSURER_FORMAT},
        {"13101a", SK_C_INSURER_FORMAT},
        {"  131011", SK_C_INSURER_FORMAT}, /* OQS form */
        {"00131011", SK_C_INSURER_FORMAT}, /* canonical never zero-padded */
        {"481013", SK_C_INSURER_PREFECTURE},
        {"001016", SK_C_INSURER_PREFECTURE},
        {"01480017", SK_C_INSURER_PREFECTURE},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        sk_insurer_number n;
        sk_diag d;
        assert_int_equal(sk_insurer_number_parse(v[i].in, strlen(v[i].in), &n, "f", &d),
                         SK_ERR_INVALID);
        assert_int_equal(d.code, v[i].code);
    }
}

static void test_oqs_and_zero_padding(void **state)
{
    (void)state;
    sk_insurer_number n;
    char out[9];
    /* accepted OQS inputs for a 6-digit number, all normalised to the canonical value */
    static const char *forms[] = {"  131011", "131011", "00131011"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(sk_insurer_number_parse_oqs(forms[i], strlen(forms[i]), &n, "f", NULL),
                         SK_OK);
        assert_string_equal(n.digits, "131011");
        sk_insurer_number_oqs(&n, out);
        assert_string_equal(out, "  131011");
        sk_insurer_number_zero_padded(&n, out);
        assert_string_equal(out, "00131011");
    }
    assert_int_equal(sk_insurer_number_parse_oqs("01130012", 8, &n, "f", NULL), SK_OK);
    sk_insurer_number_oqs(&n, out);
    assert_string_equal(out, "01130012");
    sk_insurer_number_zero_padded(&n, out);
    assert_string_equal(out, "01130012");
    sk_diag d;
    assert_int_equal(sk_insurer_number_parse_oqs(" 131011", 7, &n, "InsurerNumber", &d),
                     SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_INSURER_FORMAT);
    assert_string_equal(d.field, "InsurerNumber");
    assert_int_equal(sk_insurer_number_parse_oqs("  13101X", 8, &n, "f", &d), SK_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_vectors),
        cmocka_unit_test(test_houbetsu_allow_list),
        cmocka_unit_test(test_public_expense_numbers_rejected),
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_format_errors),
        cmocka_unit_test(test_oqs_and_zero_padding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
