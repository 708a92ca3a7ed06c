/* workq.c — bounded FIFO of tasks served by a fixed set of pthreads. */
#include "util/workq.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct task {
    sk_workq_fn fn;
    void *arg;
    struct task *next;
} task;

struct sk_workq {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    task *head, *tail;
    size_t queued, running, capacity;
    bool stopping;
    unsigned nthreads;
    pthread_t *threads;
};

static void *worker(void *p)
{
    sk_workq *q = p;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (!q->head && !q->stopping)
            pthread_cond_wait(&q->cv, &q->mu);
        task *t = q->head;
        if (!t)
            break; /* stopping and nothing left */
        q->head = t->next;
        if (!q->head)
            q->tail = NULL;
        q->queued--;
        q->running++;
        pthread_mutex_unlock(&q->mu);
        t->fn(t->arg);
        free(t);
        pthread_mutex_lock(&q->mu);
        q->running--;
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

sk_err sk_workq_start(unsigned threads, size_t capacity, sk_workq **out, sk_diag *d)
{
    if (!threads)
        return sk_diag_set(d, SK_C_CONFIG_VALUE, "workers", "at least one worker thread needed");
    sk_workq *q = calloc(1, sizeof(*q));
    pthread_t *th = calloc(threads, sizeof(*th));
    if (!q || !th) {
        free(q);
        free(th);
        return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    }
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    q->capacity = capacity;
    q->threads = th;
    for (unsigned i = 0; i < threads; i++) {
        if (pthread_create(&th[i], NULL, worker, q) != 0) {
            q->nthreads = i;
            sk_workq_stop(q);
            return sk_diag_set(d, SK_C_NOMEM, "workers", "cannot start worker thread %u of %u",
                               i + 1, threads);
        }
    }
    q->nthreads = threads;
    *out = q;
    return SK_OK;
}

sk_err sk_workq_submit(sk_workq *q, sk_workq_fn fn, void *arg)
{
    task *t = malloc(sizeof(*t));
    if (!t)
        return SK_ERR_NOMEM;
    *t = (task){.fn = fn, .arg = arg};
    pthread_mutex_lock(&q->mu);
    if (q->stopping || (q->capacity && q->queued >= q->capacity)) {
        pthread_mutex_unlock(&q->mu);
        free(t);
        return SK_ERR_BUSY;
    }
    if (q->tail)
        q->tail->next = t;
    else
        q->head = t;
    q->tail = t;
    q->queued++;
    pthread_cond_signal(&q->cv);
    pthread_mutex_unlock(&q->mu);
    return SK_OK;
}

size_t sk_workq_pending(sk_workq *q)
{
    pthread_mutex_lock(&q->mu);
    size_t n = q->queued + q->running;
    pthread_mutex_unlock(&q->mu);
    return n;
}

void sk_workq_stop(sk_workq *q)
{
    if (!q)
        return;
    pthread_mutex_lock(&q->mu);
    q->stopping = true;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    for (unsigned i = 0; i < q->nthreads; i++)
        pthread_join(q->threads[i], NULL);
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
    free(q->threads);
    free(q);
}
