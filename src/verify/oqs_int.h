/* oqs_int.h — private to the OQS exchanges (oqs_answer.c, oqs_bulk.c): reading a request's
 * header and search blocks, one look-up's outcome, and the element writers. */
#ifndef SK_VERIFY_OQS_INT_H
#define SK_VERIFY_OQS_INT_H

#include "verify/oqs.h"
#include "verify/verify.h"

/* sk_oqs_json_read without its fast path: jansson reads every body. For tests and fuzzing,
 * which check that both read the same bodies the same way. */
sk_err sk_oqs_json_read_full(sk_arena *a, const char *bytes, size_t len, sk_oqs_node **root,
                             sk_oqs_error *e);
/* The fast path alone: true with *root set when it read the body ({"XmlMsg": {…}} in printable
 * ASCII, no escapes, numbers, booleans or duplicates), false when the full reader must. */
bool sk_oqs_json_read_fast(sk_arena *a, const char *bytes, size_t len, sk_oqs_node **root);
/* The same split for XML: sk_oqs_xml_read without its fast path (libxml2 reads every file), and
 * the fast path alone (true with *root set for a UTF-8 file of printable ASCII markup without
 * attributes, references, comments, PIs, CDATA or a DTD; false when libxml2 must read it). */
sk_err sk_oqs_xml_read_full(sk_arena *a, const char *bytes, size_t len, sk_oqs_node **root,
                            sk_oqs_charset *cs, sk_oqs_error *e);
bool sk_oqs_xml_read_fast(sk_arena *a, const char *bytes, size_t len, sk_oqs_node **root);

/* The elements of QualificationConfirmSearchInfo, in table order. */
#define SK_OQS_N_SEARCH 7
extern const char *const sk_oqs_search_elements[SK_OQS_N_SEARCH];

/* What a request's header (and, for a single request, its search block) said. */
typedef struct sk_oqs_request {
    const char *date, *institution, *file_id;
    const sk_oqs_node *search;
    const char *v[SK_OQS_N_SEARCH];
} sk_oqs_request;

/* XmlMsg with one MessageHeader and one MessageBody; MedicalInstitutionCode required and well
 * formed; QualificationConfirmationDate required when need_date, checked when present. */
sk_err sk_oqs_read_header(const sk_oqs_node *root, bool need_date, sk_oqs_request *r,
                          const sk_oqs_node **body, sk_oqs_error *e);
/* The institution in the header must be the authenticated one (SKF006). */
sk_err sk_oqs_check_institution(const sk_oqs_exchange *x, const sk_oqs_request *rq,
                                sk_oqs_error *fe);
/* The search elements of one block (a duplicate is SKF007). */
sk_err sk_oqs_read_fields(const sk_oqs_node *block, const char *v[SK_OQS_N_SEARCH],
                          sk_oqs_error *e);
/* Parses and answers one search block: sets *fe for a file-level failure (busy, internal),
 * *re for a record-level one (bad value, 閲覧停止), else ans holds the answer. */
void sk_oqs_look_up(const sk_oqs_exchange *x, const char *date, const char *const *v,
                    sk_verify_answer *ans, sk_oqs_error *fe, sk_oqs_error *re);
/* Appends one outcome to `into`: single — ProcessingResultStatus…, ResultList, echo; bulk
 * (a BulkConfirmUnit) — echo, ProcessingResultStatus…, records directly. */
sk_oqs_node *sk_oqs_write_outcome(sk_arena *a, sk_oqs_node *into, const char *const *v,
                                  bool has_search, const sk_verify_answer *ans,
                                  const sk_oqs_error *re, const char *now, bool bulk);
/* A result's frame: XmlMsg, MessageHeader with ProcessExecutionTime, MessageBody. */
sk_oqs_node *sk_oqs_result_start(sk_arena *a, int64_t now_ms, sk_oqs_node **hdr,
                                 sk_oqs_node **body);
/* SegmentOfResult (`segment`, or 9 with ErrorCode and ErrorMessage when fe holds an error). */
bool sk_oqs_put_segment(sk_arena *a, sk_oqs_node *hdr, const char *segment, const sk_oqs_error *fe);
/* 照会番号: the elements of ReferenceNumberRegistrationInfo, and one registration from their
 * values with its error mapped to the table (file level into *fe, record level into *re). */
extern const char *const sk_oqs_refno_elements[5];
void sk_oqs_register(const sk_oqs_exchange *x, const char *const *v, sk_oqs_error *fe,
                     sk_oqs_error *re);

/* The code of the table for a diagnostic of verify/ or the store (file or record level). */
sk_oqs_code sk_oqs_code_for_diag(const sk_diag *d);
/* "<日本語メッセージ>（<element>: <detail>）" in arena a. */
const char *sk_oqs_error_message(sk_arena *a, const sk_oqs_error *e);

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
