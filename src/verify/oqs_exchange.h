/* oqs_exchange.h — the OQS exchanges (oqs-messages §4, §5): a request tree read by oqs.h's
 * readers in, a result tree out, whatever the format it came in — 資格確認 (OQSsiquc01),
 * 照会番号 registration (OQSsiimm01) and their bulk forms with the processor that answers
 * them. The look-up and its content are verify.h's; the message formats are oqs.h's. */
#ifndef SK_VERIFY_OQS_EXCHANGE_H
#define SK_VERIFY_OQS_EXCHANGE_H

#include <stdbool.h>
#include <stdint.h>

#include "access/access.h"
#include "store/store.h"
#include "util/arena.h"
#include "oqs/oqs.h"

/* One request as the exchanges see it. */
typedef struct sk_oqs_exchange {
    sk_store *store;
    struct sk_lookup_audit *audit; /* where the look-up is recorded (verify.h) */
    const sk_principal *who;       /* the authenticated institution */
    int64_t now_ms;
    sk_oqs_charset cs;    /* of the answer: the request's */
    const char *idem_key; /* the client's Idempotency-Key header, NULL = none (bulk phase 1) */
} sk_oqs_exchange;

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
