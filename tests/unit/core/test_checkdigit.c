/* test_checkdigit.c — both check-digit algorithms against the worked examples of
 * domain-rules §1–§3. */
#include "support.h"

#include <string.h>

#include "core/checkdigit.h"

static void test_mynumber_vectors(void **state)
{
    (void)state;
    /* base → check digit (S and r from domain-rules §1) */
    static const struct {
        const char *base;
        int check;
    } v[] = {
        {"12345678901", 8}, /* S=212, r=3 */
        {"62149832025", 7}, /* S=180, r=4 */
        {"98320567321", 4}, /* S=238, r=7 */
        {"12345678905", 0}, /* S=220, r=0 → 0 */
        {"12345678900", 0}, /* S=210, r=1 → 0 */
        {"11111111111", 8}, {"00000000000", 0},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        assert_int_equal(sk_checkdigit_mynumber(v[i].base), v[i].check);
    assert_int_equal(sk_checkdigit_mynumber("1234567890A"), -1);
}

static void test_luhn_vectors(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        int check;
    } v[] = {
        {"3312001", 5},   /* 千葉県警察 33120015 */
        {"0113001", 2},   /* 01130012 */
        {"13101", 1},     /* 131011 */
        {"0013101", 1},   /* zero padding changes nothing */
        {"011011371", 9}, /* 医療機関コード 0110113719 */
        {"361801001", 5}, /* 徳島 3618010015 */
        {"801001", 9},    /* the short 6 digits alone give 9 (why the prefix counts) */
        {"", 0},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        assert_int_equal(sk_checkdigit_luhn(v[i].body, strlen(v[i].body)), v[i].check);
    assert_int_equal(sk_checkdigit_luhn("12a", 3), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mynumber_vectors),
        cmocka_unit_test(test_luhn_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
