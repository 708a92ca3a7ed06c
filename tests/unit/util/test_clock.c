/* test_clock.c — clocks that tests can set and move. */
#include "support.h"

#include <time.h>

#include "util/clock.h"

static void test_manual_clock(void **state)
{
    (void)state;
    sk_clock *c = sk_clock_manual_alloc(1000);
    assert_int_equal(sk_clock_now_ms(c), 1000);
    sk_clock_advance_ms(c, 7 * SK_MS_PER_DAY);
    assert_int_equal(sk_clock_now_ms(c), 1000 + 7 * SK_MS_PER_DAY);
    sk_clock_set_ms(c, 5);
    assert_int_equal(sk_clock_now_ms(c), 5);
    sk_clock_free(c);
}

static void test_system_and_offset_clock(void **state)
{
    (void)state;
    int64_t now = (int64_t)time(NULL) * 1000;
    int64_t sys = sk_clock_now_ms(sk_clock_system());
    assert_true(sys >= now - 2000 && sys <= now + 2000);
    sk_clock_set_ms(sk_clock_system(), 0); /* ignored */
    assert_true(sk_clock_now_ms(sk_clock_system()) > 0);
    sk_clock *o = sk_clock_offset_alloc(-SK_MS_PER_DAY);
    int64_t diff = sk_clock_now_ms(sk_clock_system()) - sk_clock_now_ms(o);
    assert_true(diff >= SK_MS_PER_DAY - 2000 && diff <= SK_MS_PER_DAY + 2000);
    sk_clock_free(o);
    sk_clock_free(sk_clock_system()); /* never freed */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_manual_clock),
        cmocka_unit_test(test_system_and_offset_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
