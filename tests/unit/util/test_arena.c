/* test_arena.c — region allocator. */
#include "support.h"

#include <stdalign.h>
#include <string.h>

#include "util/arena.h"

static void test_zeroed_aligned(void **state)
{
    (void)state;
    sk_arena *a = sk_arena_alloc(256, 0);
    assert_non_null(a);
    for (int i = 1; i < 100; i++) {
        unsigned char *p = sk_arena_calloc(a, (size_t)i);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
        for (int k = 0; k < i; k++)
            assert_int_equal(p[k], 0);
        memset(p, 0xAB, (size_t)i);
    }
    sk_arena_free(a);
}

static void test_large_allocation_and_strings(void **state)
{
    (void)state;
    sk_arena *a = sk_arena_alloc(64, 0);
    char *small = sk_arena_strndup(a, "高橋", strlen("高橋"));
    char *big = sk_arena_calloc(a, 10000); /* larger than a block */
    assert_non_null(big);
    char *small2 = sk_arena_strndup(a, "﨑", strlen("﨑"));
    assert_string_equal(small, "高橋");
    assert_string_equal(small2, "﨑");
    int v = 42;
    int *copy = sk_arena_memdup(a, &v, sizeof(v));
    assert_int_equal(*copy, 42);
    assert_null(sk_arena_array(a, SIZE_MAX / 2, 4)); /* overflow */
    sk_arena_free(a);
}

static void test_maximum_and_reset(void **state)
{
    (void)state;
    sk_arena *a = sk_arena_alloc(128, 1024);
    size_t got = 0;
    while (sk_arena_calloc(a, 100))
        got++;
    assert_true(got >= 8 && got <= 10);
    assert_true(sk_arena_used(a) <= 1024);
    assert_null(sk_arena_calloc(a, 2000));
    sk_arena_reset(a);
    assert_int_equal(sk_arena_used(a), 0);
    assert_non_null(sk_arena_calloc(a, 100));
    sk_arena_free(a);
    sk_arena_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zeroed_aligned),
        cmocka_unit_test(test_large_allocation_and_strings),
        cmocka_unit_test(test_maximum_and_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
