/* oqs_int.h — private to the OQS exchanges (oqs_answer.c, oqs_refno.c, oqs_bulk.c): checking
 * who asks, one look-up's outcome, one registration, and the element writers. Reading a
 * request's header and search blocks is oqs.h's. */
#ifndef SK_VERIFY_OQS_INT_H
#define SK_VERIFY_OQS_INT_H

#include "verify/oqs_exchange.h"
#include "verify/verify.h"

/* The institution in the header must be the authenticated one (SKF006). */
sk_err sk_oqs_check_institution(const sk_oqs_exchange *x, const sk_oqs_request *rq,
                                sk_oqs_error *fe);
/* Parses and answers one search block: sets *fe for a file-level failure (busy, internal),
 * *re for a record-level one (bad value, 閲覧停止), else ans holds the answer. */
void sk_oqs_look_up(const sk_oqs_exchange *x, const char *date, const char *const *v,
                    sk_verify_answer *ans, sk_oqs_error *fe, sk_oqs_error *re);
/* Appends one outcome to `into`: single — ProcessingResultStatus…, ResultList, echo; bulk
 * (a BulkConfirmUnit) — echo, ProcessingResultStatus…, records directly. */
sk_oqs_node *sk_oqs_write_outcome(sk_arena *a, sk_oqs_node *into, const char *const *v,
                                  bool has_search, const sk_verify_answer *ans,
                                  const sk_oqs_error *re, const char *now, bool bulk);
/* 照会番号: one registration from the values of ReferenceNumberRegistrationInfo (in the order
 * of sk_oqs_refno_elements) with its error mapped to the table (file level into *fe, record
 * level into *re). */
void sk_oqs_register(const sk_oqs_exchange *x, const char *const *v, sk_oqs_error *fe,
                     sk_oqs_error *re);

/* The code of the table for a diagnostic of verify/ or the store (file or record level). */
sk_oqs_code sk_oqs_code_for_diag(const sk_diag *d);

#define LEAF(parent, name, value)                                                                  \
    do {                                                                                           \
        if (!sk_oqs_leaf(a, parent, name, value))                                                  \
            return NULL;                                                                           \
    } while (0)
#define LEAF_IF(parent, name, value)                                                               \
    do {                                                                                           \
        const char *v_ = (value);                                                                  \
        if (v_ && *v_)                                                                             \
            LEAF(parent, name, v_);                                                                \
    } while (0)
#define DATE(parent, name, d)                                                                      \
    do {                                                                                           \
        char s_[9];                                                                                \
        sk_date_format_compact(d, s_);                                                             \
        LEAF(parent, name, s_);                                                                    \
    } while (0)

#endif
