/* workq.h — a fixed set of threads taking tasks from one bounded FIFO queue. Used where a task
 * may block for a while (a request waiting for its group commit to reach the disk) so that the
 * threads that must never block (the HTTP event loops) hand it over instead. */
#ifndef SK_UTIL_WORKQ_H
#define SK_UTIL_WORKQ_H

#include <stddef.h>

#include "util/err.h"

typedef struct sk_workq sk_workq;
typedef void (*sk_workq_fn)(void *arg);

/* Starts `threads` workers (≥ 1) and a queue of at most `capacity` waiting tasks (0 = no
 * bound). */
sk_err sk_workq_start(unsigned threads, size_t capacity, sk_workq **out, sk_diag *d);
/* Queues fn(arg). SK_ERR_BUSY when the queue is full or stopping: the caller still owns arg. */
sk_err sk_workq_submit(sk_workq *q, sk_workq_fn fn, void *arg);
/* Tasks queued or running now. */
size_t sk_workq_pending(sk_workq *q);
/* Refuses new tasks, runs every task already queued, joins the workers and frees q. */
void sk_workq_stop(sk_workq *q);

#endif
