/* test_workq.c — the bounded work queue: every task runs once, in FIFO order on one worker,
 * concurrently on many, a full queue says busy, and stop runs what was queued. */
#include "support.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "util/workq.h"

typedef struct order {
    pthread_mutex_t mu;
    int seen[64];
    int n;
} order;

typedef struct item {
    order *o;
    int v;
} item;

static void record(void *arg)
{
    item *it = arg;
    pthread_mutex_lock(&it->o->mu);
    it->o->seen[it->o->n++] = it->v;
    pthread_mutex_unlock(&it->o->mu);
}

static void test_fifo_on_one_worker_and_stop_drains(void **state)
{
    (void)state;
    sk_workq *q = NULL;
    sk_diag d;
    assert_int_equal(sk_workq_start(1, 0, &q, &d), SK_OK);
    order o = {.mu = PTHREAD_MUTEX_INITIALIZER};
    item items[64];
    for (int i = 0; i < 64; i++) {
        items[i] = (item){&o, i};
        assert_int_equal(sk_workq_submit(q, record, &items[i]), SK_OK);
    }
    sk_workq_stop(q); /* runs all 64 before returning */
    assert_int_equal(o.n, 64);
    for (int i = 0; i < 64; i++)
        assert_int_equal(o.seen[i], i);
}

/* Tasks that each wait until all of them have started: finishes only if the workers really
 * run them at the same time. */
typedef struct gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int started, want;
} gate;

static void meet(void *arg)
{
    gate *g = arg;
    pthread_mutex_lock(&g->mu);
    g->started++;
    pthread_cond_broadcast(&g->cv);
    while (g->started < g->want)
        pthread_cond_wait(&g->cv, &g->mu);
    pthread_mutex_unlock(&g->mu);
}

static void test_workers_run_concurrently(void **state)
{
    (void)state;
    sk_workq *q = NULL;
    sk_diag d;
    assert_int_equal(sk_workq_start(8, 0, &q, &d), SK_OK);
    gate g = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER, .want = 8};
    for (int i = 0; i < 8; i++)
        assert_int_equal(sk_workq_submit(q, meet, &g), SK_OK);
    sk_workq_stop(q);
    assert_int_equal(g.started, 8);
}

static void block_until_open(void *arg)
{
    gate *g = arg;
    pthread_mutex_lock(&g->mu);
    g->started++;
    pthread_cond_broadcast(&g->cv);
    while (g->want)
        pthread_cond_wait(&g->cv, &g->mu);
    pthread_mutex_unlock(&g->mu);
}

static void test_full_queue_is_busy(void **state)
{
    (void)state;
    sk_workq *q = NULL;
    sk_diag d;
    assert_int_equal(sk_workq_start(1, 2, &q, &d), SK_OK);
    gate g = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER, .want = 1};
    assert_int_equal(sk_workq_submit(q, block_until_open, &g), SK_OK);
    pthread_mutex_lock(&g.mu);
    while (g.started < 1) /* the worker holds the first task; the queue is empty again */
        pthread_cond_wait(&g.cv, &g.mu);
    pthread_mutex_unlock(&g.mu);
    assert_int_equal(sk_workq_submit(q, block_until_open, &g), SK_OK);
    assert_int_equal(sk_workq_submit(q, block_until_open, &g), SK_OK);
    assert_int_equal(sk_workq_submit(q, block_until_open, &g), SK_ERR_BUSY);
    assert_int_equal(sk_workq_pending(q), 3);
    pthread_mutex_lock(&g.mu);
    g.want = 0;
    pthread_cond_broadcast(&g.cv);
    pthread_mutex_unlock(&g.mu);
    sk_workq_stop(q);
    assert_int_equal(g.started, 3);
}

static void test_needs_a_worker(void **state)
{
    (void)state;
    sk_workq *q = NULL;
    sk_diag d;
    assert_int_equal(sk_workq_start(0, 0, &q, &d), SK_ERR_CONFIG);
    assert_string_equal(d.field, "workers");
    assert_null(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_on_one_worker_and_stop_drains),
        cmocka_unit_test(test_workers_run_concurrently),
        cmocka_unit_test(test_full_queue_is_busy),
        cmocka_unit_test(test_needs_a_worker),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
