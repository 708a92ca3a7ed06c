/* oqs.h — the public OQS message formats (oqs-messages.md), pure: a message is read into a tree
 * of named elements (sk_oqs_node) from XML (UTF-8 or Shift_JIS/CP932) or from the Web-API JSON
 * form, and a tree is written back as XML in the request's encoding or as Web-API JSON; the
 * code table, a request's header and search blocks, and a result's frame. No store, no
 * access, no decision: the exchanges that answer a message are verify's (verify/oqs_exchange.h),
 * the clinic-side bridge writes its own refusals with this module alone.
 *
 * Errors use the implementation-defined code table in codes.def (documented in
 * docs/oqs-codes.md; the official code list is not public): file-level codes go with
 * SegmentOfResult 9, record-level codes with ProcessingResultStatus 2. */
#ifndef SK_OQS_OQS_H
#define SK_OQS_OQS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/buf.h"

/* Largest message accepted (a single request is < 2 KiB; bulk files are bigger). */
#define SK_OQS_MAX_BYTES (4u << 20)
/* Deepest element nesting a message may have (XmlMsg/MessageBody/…/Info/field is 5). */
#define SK_OQS_MAX_DEPTH 12

typedef enum sk_oqs_charset {
    SK_OQS_UTF8 = 0, /* CharacterCodeIdentifier 0 */
    SK_OQS_SJIS = 1  /* CharacterCodeIdentifier 1; read and written as CP932 */
} sk_oqs_charset;

typedef enum sk_oqs_code {
    SK_OQS_OK = 0, /* no error */
#define SK_OQS_CODE(id, code, level, ja, en) SK_OQS_##id,
#include "oqs/codes.def"
#undef SK_OQS_CODE
    SK_OQS__COUNT
} sk_oqs_code;

typedef enum sk_oqs_level {
    SK_OQS_FILE,   /* SegmentOfResult 9 + ErrorCode/ErrorMessage */
    SK_OQS_RECORD, /* ProcessingResultStatus 2 + ProcessingResultCode/Message */
} sk_oqs_level;

const char *sk_oqs_code_id(sk_oqs_code c);      /* "SKF001" */
const char *sk_oqs_code_message(sk_oqs_code c); /* the Japanese message clients display */
const char *sk_oqs_code_text(sk_oqs_code c);    /* English description (docs/oqs-codes.md) */
sk_oqs_level sk_oqs_code_level(sk_oqs_code c);

/* An error found while reading or answering a message: a code of the table and a detail
 * naming the element at fault. */
typedef struct sk_oqs_error {
    sk_oqs_code code;
    char element[64];
    char detail[256];
} sk_oqs_error;

/* Fills e (when not NULL) and returns SK_ERR_TOOBIG for SK_OQS_TOO_LARGE, else
 * SK_ERR_INVALID, so that readers write `return sk_oqs_error_set(e, …);`. */
sk_err sk_oqs_error_set(sk_oqs_error *e, sk_oqs_code code, const char *element, const char *fmt,
                        ...) __attribute__((format(printf, 4, 5)));

/* An element. A leaf has text ("" when empty, which OQS reads as absent) and no children; a
 * group has children and text NULL. `list` marks a group whose children the JSON form writes
 * as an array of one-member objects (ResultList). */
typedef struct sk_oqs_node {
    const char *name;
    const char *text;
    struct sk_oqs_node *child, *last, *next;
    bool list;
} sk_oqs_node;

/* Tree building (arena-allocated; NULL when the arena is exhausted). */
sk_oqs_node *sk_oqs_group(sk_arena *a, sk_oqs_node *parent, const char *name);
sk_oqs_node *sk_oqs_leaf(sk_arena *a, sk_oqs_node *parent, const char *name, const char *text);
/* The first child named `name`, or NULL. */
const sk_oqs_node *sk_oqs_child(const sk_oqs_node *n, const char *name);
/* The text of the only child `name` of n: *out = NULL when absent or empty. More than one such
 * child is an error (SKF007 duplicate element). */
sk_err sk_oqs_single_text(const sk_oqs_node *n, const char *name, const char **out,
                          sk_oqs_error *e);

/* Reads a message file: strips a UTF-8 BOM, takes the encoding from the XML declaration (none
 * = UTF-8; Shift_JIS and its Windows names decode as CP932), parses it (no DTD, no entities
 * beyond XML's own, no network) and returns the root element's tree. */
sk_err sk_oqs_xml_read(sk_arena *a, const char *bytes, size_t len, sk_oqs_node **root,
                       sk_oqs_charset *cs, sk_oqs_error *e);
/* Writes a tree as an XML file in `cs` with the matching declaration, one element per line
 * with a 4-space indent. A character Shift_JIS cannot hold is written as ● (U+25CF) and
 * counted in *replaced (may be NULL). */
sk_err sk_oqs_xml_write(const sk_oqs_node *root, sk_oqs_charset cs, sk_buf *out, size_t *replaced);

/* The Web-API JSON form: {"XmlMsg": {…}} with every leaf a string and ResultList an array. */
sk_err sk_oqs_json_read(sk_arena *a, const char *bytes, size_t len, sk_oqs_node **root,
                        sk_oqs_error *e);
sk_err sk_oqs_json_write(const sk_oqs_node *root, sk_buf *out);

/* "<日本語メッセージ>（<element>: <detail>）" in arena a. */
const char *sk_oqs_error_message(sk_arena *a, const sk_oqs_error *e);

/* ---- the message frame (oqs.c) ---- */

/* The elements of QualificationConfirmSearchInfo, in table order. */
#define SK_OQS_N_SEARCH 7
extern const char *const sk_oqs_search_elements[SK_OQS_N_SEARCH];
/* The elements of ReferenceNumberRegistrationInfo (照会番号 registration), in table order. */
extern const char *const sk_oqs_refno_elements[5];

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
/* The search elements of one block (a duplicate is SKF007). */
sk_err sk_oqs_read_fields(const sk_oqs_node *block, const char *v[SK_OQS_N_SEARCH],
                          sk_oqs_error *e);

/* A result's frame: XmlMsg, MessageHeader with ProcessExecutionTime, MessageBody. */
sk_oqs_node *sk_oqs_result_start(sk_arena *a, int64_t now_ms, sk_oqs_node **hdr,
                                 sk_oqs_node **body);
/* SegmentOfResult (`segment`, or 9 with ErrorCode and ErrorMessage when fe holds an error). */
bool sk_oqs_put_segment(sk_arena *a, sk_oqs_node *hdr, const char *segment, const sk_oqs_error *fe);
/* The MessageBody of a file-level refusal: ProcessingResultStatus 2 with ProcessingResultCode
 * and ProcessingResultMessage repeating ErrorCode and ErrorMessage, so that a client that reads
 * the body first still reaches the message (docs/oqs-codes.md). */
bool sk_oqs_put_refusal_body(sk_arena *a, sk_oqs_node *body, const sk_oqs_error *fe);
/* What a refused request's header holds that is well formed, for the echo: a valid
 * QualificationConfirmationDate, a valid MedicalInstitutionCode, ArbitraryFileIdentifier; the
 * others (malformed, repeated, absent) NULL. req may be NULL. */
void sk_oqs_peek_header(const sk_oqs_node *req, sk_oqs_request *r);
/* A file-level refusal as a result document: MessageHeader with ProcessExecutionTime,
 * SegmentOfResult 9, ErrorCode, ErrorMessage ("<message>（<element>: <detail>）") and
 * CharacterCodeIdentifier, and the refusal body above. NULL when the arena is exhausted. */
sk_oqs_node *sk_oqs_error_result(sk_arena *a, const sk_oqs_error *e, sk_oqs_charset cs,
                                 int64_t now_ms);

#endif
