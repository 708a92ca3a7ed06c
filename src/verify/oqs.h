/* oqs.h — the public OQS message formats (oqs-messages.md): a message is read into a tree of
 * named elements (sk_oqs_node) from XML (UTF-8 or Shift_JIS/CP932) or from the Web-API JSON
 * form, answered by the exchanges below, and the answer tree is written back as XML in the
 * request's encoding or as Web-API JSON. The look-up and its content are verify.h's; this
 * module only translates.
 *
 * Errors use the implementation-defined code table in oqs_codes.def (documented in
 * docs/oqs-codes.md; the official code list is not public): file-level codes go with
 * SegmentOfResult 9, record-level codes with ProcessingResultStatus 2. */
#ifndef SK_VERIFY_OQS_H
#define SK_VERIFY_OQS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "access/access.h"
#include "store/store.h"
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
#include "verify/oqs_codes.def"
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

/* One request as the exchanges see it. */
typedef struct sk_oqs_exchange {
    sk_store *store;
    struct sk_lookup_audit *audit; /* where the look-up is recorded (verify.h) */
    const sk_principal *who;       /* the authenticated institution */
    int64_t now_ms;
    sk_oqs_charset cs;    /* of the answer: the request's */
    const char *idem_key; /* the client's Idempotency-Key header, NULL = none (bulk phase 1) */
} sk_oqs_exchange;

/* A file-level refusal as a result document: MessageHeader with ProcessExecutionTime,
 * SegmentOfResult 9, ErrorCode, ErrorMessage ("<message>（<element>: <detail>）") and
 * CharacterCodeIdentifier, and an empty MessageBody. NULL when the arena is exhausted. */
sk_oqs_node *sk_oqs_error_result(sk_arena *a, const sk_oqs_error *e, sk_oqs_charset cs,
                                 int64_t now_ms);

/* Answers OQSsiquc01req (資格確認 by 記号・番号, ReferenceClassification 2). `req` is the read
 * tree, or NULL when reading failed with `read_err`. Returns the result tree; *file_code is
 * SK_OQS_OK or the file-level error it carries (SegmentOfResult 9). Record-level problems
 * (a bad search field, 閲覧停止) leave *file_code OK and set ProcessingResultStatus 2. NULL
 * only when the arena is exhausted. */
sk_oqs_node *sk_oqs_siquc01(sk_arena *a, const sk_oqs_exchange *x, const sk_oqs_node *req,
                            const sk_oqs_error *read_err, sk_oqs_code *file_code);

/* 照会番号 registration (OQSsiimm01req, oqs_refno.c): MessageHeader MedicalInstitutionCode
 * (+ ArbitraryFileIdentifier), MessageBody/ReferenceNumberRegistrationInfo with
 * ReferenceNumber, InsurerNumber, InsuredCardSymbol, InsuredIdentificationNumber,
 * InsuredBranchNumber. The answer: ProcessingResultStatus (+ code: SKR004 no match, SKR005
 * several persons, SKR010 閲覧停止, SKR001/002 bad input) and the ReferenceNumber. Arguments as
 * sk_oqs_siquc01. */
sk_oqs_node *sk_oqs_siimm01(sk_arena *a, const sk_oqs_exchange *x, const sk_oqs_node *req,
                            const sk_oqs_error *read_err, sk_oqs_code *file_code);

/* ---- bulk 一括照会 (oqs_bulk.c) ---- */

/* Most QualificationConfirmSearchInfo blocks one bulk request may hold (our limit; the official
 * one is not public) and how long an answered request is kept. */
#define SK_OQS_BULK_MAX     10000
#define SK_OQS_BULK_KEEP_MS (7LL * 86400 * 1000)

/* Phase 1 (OQSmuquc01req): checks the header, stores the request durably and answers its
 * ReceptionNumber (受付番号) and ReceptionDateTime; the blocks are answered later by the bulk
 * processor. Phase 2 (OQSmuquc02req): by ReceptionNumber, for the institution that sent it —
 * SegmentOfResult 2 while processing, then every BulkConfirmUnit (echo, status, validity,
 * records) with the counts in the header. Arguments and results as sk_oqs_siquc01. */
sk_oqs_node *sk_oqs_muquc01(sk_arena *a, const sk_oqs_exchange *x, const sk_oqs_node *req,
                            const sk_oqs_error *read_err, sk_oqs_code *file_code);
sk_oqs_node *sk_oqs_muquc02(sk_arena *a, const sk_oqs_exchange *x, const sk_oqs_node *req,
                            const sk_oqs_error *read_err, sk_oqs_code *file_code);
/* Bulk 照会番号 registration, the same two phases: OQSmuimm01req repeats
 * ReferenceNumberRegistrationInfo (no 資格確認日); OQSmuimm02 answers one
 * BulkRegistrationUnit per block (the echoed block, ProcessingResultStatus and, on refusal,
 * ProcessingResultCode/Message as OQSsiimm01). Each block is its own durable registration, so
 * a request interrupted by a restart is registered again from the start (same numbers). */
sk_oqs_node *sk_oqs_muimm01(sk_arena *a, const sk_oqs_exchange *x, const sk_oqs_node *req,
                            const sk_oqs_error *read_err, sk_oqs_code *file_code);
sk_oqs_node *sk_oqs_muimm02(sk_arena *a, const sk_oqs_exchange *x, const sk_oqs_node *req,
                            const sk_oqs_error *read_err, sk_oqs_code *file_code);

/* Answers every stored bulk request that has no result yet, oldest first, each in one durable
 * write; *finished counts them. Look-ups are audited like single ones. Also purges answered
 * requests older than SK_OQS_BULK_KEEP_MS. */
sk_err sk_oqs_bulk_process(sk_store *s, struct sk_lookup_audit *audit, int64_t now_ms,
                           int *finished, sk_diag *d);

/* The daemon's bulk processor: a thread that runs sk_oqs_bulk_process when kicked (a new
 * request) and every second (requests left by a restart or a busy store). */
typedef struct sk_oqs_bulk sk_oqs_bulk;
struct sk_clock;
sk_err sk_oqs_bulk_start(sk_store *s, struct sk_lookup_audit *audit, struct sk_clock *clock,
                         sk_oqs_bulk **out, sk_diag *d);
void sk_oqs_bulk_kick(sk_oqs_bulk *b);
void sk_oqs_bulk_stop(sk_oqs_bulk *b);

#endif
