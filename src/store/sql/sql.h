/* sql.h — the SQL layer's floor (private to src/store): the narrow connection interface every
 * dialect driver implements, the statement ids, and the SQL layer's table of store operations.
 *
 * The generic store (store.c) calls an operation through sk_store_ops; the SQL layer
 * (sql/ops.c, sql/rows.c) implements every operation once over sk_sql_conn, binding values
 * and mapping rows; a dialect (sqlite/, later postgres/) gives a statement text per id, the
 * connection calls below, transactions and migrations — and may override an operation with
 * its own code (a hot path). docs/design/store.md. */
#ifndef SK_STORE_SQL_SQL_H
#define SK_STORE_SQL_SQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* A My Number as drivers see it: sealed (AES-256-GCM) with its blind index. */
typedef struct sk_sealed_mynumber {
    bool present;
    uint8_t ct[SK_MYNUMBER_LEN + SK_SEAL_OVERHEAD];
    size_t ct_len;
    uint8_t idx[SK_SHA256_BYTES]; /* blind index */
} sk_sealed_mynumber;

/* Statement ids: one per operation (SQ_<name>, store_ops.h), then the extra statements some
 * hand-written operations use. A dialect's table gives the text of each; NULL = not used. */
typedef enum sk_sql_id {
#define SK_STORE_OP(shape, name, params, bind, ent)          SQ_##name,
#define SK_STORE_OP_INTERNAL(shape, name, params, bind, ent) SQ_##name,
#include "store/store_ops.h"
#undef SK_STORE_OP
#undef SK_STORE_OP_INTERNAL
    SQ_person_fetch_by_pid,
    SQ_qualification_by_key,        /* key order: sorted by the SQL layer */
    SQ_qualification_by_key_branch, /* the same with 枝番 */
    SQ_qualification_by_key_sorted, /* ORDER BY acquired_on, id: a long history */
    SQ_qualification_by_key_branch_sorted,
    SQ_eligibility_by_key_branch,
    SQ_eligibility_by_key_sorted,
    SQ_eligibility_by_key_branch_sorted,
    SQ_notification_event_add,
    SQ_work_item_list_assignee, /* work_item_list with its leading filter on an index */
    SQ_work_item_list_person,
    SQ_work_item_list_notification,
    SQ_work_item_list_kind,
    SQ__COUNT
} sk_sql_id;

/* A dialect's connection, as the SQL layer uses it. `txh` is the driver's transaction handle
 * (its connection), `st` a prepared statement of it. Parameters are numbered from 1, columns
 * from 0. A bound text or blob must stay valid until the statement is reset, unless copy. A
 * NULL column reads as 0, or as NULL text of length 0. */
typedef struct sk_sql_conn {
    const char *dialect;
    /* the statement `id` of this connection, prepared once and cached */
    sk_err (*prepare)(void *txh, sk_sql_id id, void **st, sk_diag *d);
    void (*bind_null)(void *st, int i);
    void (*bind_int64)(void *st, int i, int64_t v);
    void (*bind_text)(void *st, int i, const char *s, size_t n, bool copy);
    void (*bind_blob)(void *st, int i, const void *p, size_t n);
    /* SK_OK with *row = true (a row is there) or false (done); an error is mapped to a code
     * (busy, duplicate, reference, My Number taken, store) with `what` as the field */
    sk_err (*step)(void *txh, void *st, bool *row, const char *what, sk_diag *d);
    bool (*column_null)(void *st, int i);
    int64_t (*column_int64)(void *st, int i);
    const char *(*column_text)(void *st, int i, size_t *n);
    const void *(*column_blob)(void *st, int i, size_t *n);
    const char *(*column_name)(void *st, int i);
    /* ends a statement's run and clears its bindings */
    void (*reset)(void *st);
    /* rows changed by the last write statement of this connection */
    int64_t (*changes)(void *txh);
    /* the id of the row the last INSERT of this connection added (for a dialect whose inserts
     * do not return it with RETURNING) */
    int64_t (*last_id)(void *txh);
} sk_sql_conn;

/* A transaction's connection: what every operation gets. */
typedef struct sk_sql {
    const sk_sql_conn *c;
    void *h;
} sk_sql;

/* The store operations as functions of a transaction's connection: one slot per entry of
 * store_ops.h. */
typedef struct sk_store_ops {
#define SK_STORE_OP(shape, name, params, bind, ent)                                                \
    sk_err (*name)(const sk_sql *q, SK_UNPAREN params, sk_diag *d);
#define SK_STORE_OP_INTERNAL SK_STORE_OP
#include "store/store_ops.h"
#undef SK_STORE_OP
#undef SK_STORE_OP_INTERNAL
} sk_store_ops;

/* The SQL layer's implementation of every operation. */
extern const sk_store_ops sk_sql_store_ops;

#endif
