/* oqs_bulk.c — OQS 一括照会 and bulk 照会番号 registration (oqs-messages §4.2, §4.3, §5.4): phase 1
 * stores the request and answers a ReceptionNumber, a processor answers its blocks in the
 * background, phase 2 returns the result (SegmentOfResult 2 until then). The request and the
 * finished result are kept in the store (bulk_requests) in the Web-API JSON form, so a restart
 * loses neither; a request is answered in one write, so a result is all or nothing. */
#define _GNU_SOURCE /* pthread_setname_np */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/crypto.h"
#include "util/log.h"
#include "verify/oqs_int.h"

#define BULK_ARENA_MAX (512u << 20)

/* The two bulk exchanges: 資格確認 (muquc) and 照会番号 registration (muimm). */
typedef struct kind {
    const char *message; /* phase-1 message, stored with the request */
    const char *block;   /* the repeated element */
    const char *unit;    /* its answer element in phase 2 */
    bool need_date;
} kind;
static const kind QUC = {"OQSmuquc01", "QualificationConfirmSearchInfo", "BulkConfirmUnit", true};
static const kind IMM = {"OQSmuimm01", "ReferenceNumberRegistrationInfo", "BulkRegistrationUnit",
                         false};

static bool is_block(const kind *k, const sk_oqs_node *c)
{
    return strcmp(c->name, k->block) == 0;
}

/* ---- phase 1 ---- */

typedef struct add_job {
    sk_bulk_rec rec;
    sk_arena *a;
    bool replayed; /* the key was seen with the same request: rec is the first one */
} add_job;

/* Stores the request — or, when its idempotency key is known with the same request, answers
 * the first one again (SK_C_IDEMPOTENCY when the key came with another request). */
static sk_err add_fn(sk_tx *tx, void *ctx, sk_diag *d)
{
    add_job *j = ctx;
    if (j->rec.idem_key[0]) {
        sk_bulk_rec first;
        sk_err err =
            sk_store_bulk_find_idem(tx, j->rec.institution, j->rec.idem_key, j->a, &first, d);
        if (err == SK_OK) {
            if (strcmp(first.message, j->rec.message) != 0 ||
                strcmp(first.request, j->rec.request) != 0)
                return sk_diag_set(d, SK_C_IDEMPOTENCY, "Idempotency-Key",
                                   "this key was used for another bulk request");
            memcpy(j->rec.reception, first.reception, sizeof(j->rec.reception));
            j->rec.created_ms = first.created_ms;
            j->replayed = true;
            return SK_OK;
        }
        if (err != SK_ERR_NOTFOUND)
            return err;
    }
    return sk_store_bulk_add(tx, &j->rec, d);
}

/* An Idempotency-Key: 1-127 printable ASCII characters. */
static bool idem_key_ok(const char *k)
{
    size_t n = strlen(k);
    if (n == 0 || n > 127)
        return false;
    for (size_t i = 0; i < n; i++)
        if (k[i] < 0x21 || k[i] > 0x7e)
            return false;
    return true;
}

/* 16 decimal digits */
static sk_err reception_number(char out[24])
{
    uint8_t r[16];
    if (sk_random_bytes(r, sizeof(r)))
        return SK_ERR_INTERNAL;
    for (size_t i = 0; i < 16; i++)
        out[i] = (char)('0' + r[i] % 10);
    out[16] = '\0';
    return SK_OK;
}

static sk_oqs_node *phase1(sk_arena *a, const sk_oqs_exchange *x, const sk_oqs_node *req,
                           const sk_oqs_error *read_err, sk_oqs_code *file_code, const kind *k)
{
    sk_oqs_request rq;
    memset(&rq, 0, sizeof(rq));
    sk_oqs_error fe = {.code = SK_OQS_OK};
    const sk_oqs_node *body = NULL;
    char reception[24] = "", at[15];
    sk_timestamp_compact(x->now_ms, at);
    if (!req || read_err->code) /* unreadable, or read but not authenticated */
        fe = *read_err;
    else if (sk_oqs_read_header(req, k->need_date, &rq, &body, &fe) == SK_OK &&
             sk_oqs_check_institution(x, &rq, &fe) == SK_OK) {
        size_t n = 0;
        for (const sk_oqs_node *c = body->child; c; c = c->next)
            n += is_block(k, c);
        if (n == 0)
            sk_oqs_error_set(&fe, SK_OQS_STRUCTURE, k->block, "a bulk request holds at least one");
        else if (n > SK_OQS_BULK_MAX)
            sk_oqs_error_set(&fe, SK_OQS_TOO_LARGE, k->block,
                             "%zu blocks; at most %d in one bulk request", n, SK_OQS_BULK_MAX);
    }
    if (fe.code == SK_OQS_OK && x->idem_key && !idem_key_ok(x->idem_key))
        sk_oqs_error_set(&fe, SK_OQS_IDEMPOTENCY, "Idempotency-Key",
                         "1-127 printable ASCII characters");
    if (fe.code == SK_OQS_OK) {
        /* the blocks repeat: in JSON they go as an array under MessageBody */
        ((sk_oqs_node *)body)->list = true;
        sk_buf json;
        sk_buf_init(&json, 256u << 20);
        sk_diag d;
        sk_diag_clear(&d);
        sk_err err = sk_oqs_json_write(req, &json);
        add_job j = {.rec = {.principal_id = x->who->id,
                             .charset = x->cs == SK_OQS_SJIS ? 1 : 0,
                             .request = json.data,
                             .created_ms = x->now_ms},
                     .a = a};
        if (x->idem_key)
            snprintf(j.rec.idem_key, sizeof(j.rec.idem_key), "%s", x->idem_key);
        snprintf(j.rec.message, sizeof(j.rec.message), "%s", k->message);
        snprintf(j.rec.institution, sizeof(j.rec.institution), "%s", rq.institution);
        /* a taken reception number is drawn again; a key stored meanwhile by a concurrent
         * resend is found on the next attempt */
        for (int attempt = 0; !err && attempt < 3; attempt++) {
            if ((err = reception_number(j.rec.reception)))
                break;
            err = sk_store_run(x->store, add_fn, &j, &d);
            if (err != SK_ERR_EXISTS)
                break;
        }
        sk_buf_deinit(&json);
        if (err == SK_ERR_CONFLICT && d.code == SK_C_IDEMPOTENCY)
            sk_oqs_error_set(&fe, SK_OQS_IDEMPOTENCY, "Idempotency-Key", "%s", d.message);
        else if (err)
            sk_oqs_error_set(&fe, err == SK_ERR_BUSY ? SK_OQS_BUSY : SK_OQS_INTERNAL, "", "%s",
                             d.message[0] ? d.message : "the request could not be stored");
        else {
            snprintf(reception, sizeof(reception), "%s", j.rec.reception);
            sk_timestamp_compact(j.rec.created_ms, at); /* a replay answers the first time */
        }
    }

    if (fe.code)
        sk_oqs_peek_header(req, &rq);
    sk_oqs_node *hdr, *out, *root = sk_oqs_result_start(a, x->now_ms, &hdr, &out);
    if (!root)
        return NULL;
    LEAF_IF(hdr, "MedicalInstitutionCode", rq.institution);
    LEAF_IF(hdr, "ArbitraryFileIdentifier", rq.file_id);
    LEAF(hdr, "CharacterCodeIdentifier", x->cs == SK_OQS_SJIS ? "1" : "0");
    if (!sk_oqs_put_segment(a, hdr, "1", &fe))
        return NULL;
    if (!fe.code) {
        LEAF(out, "ReceptionNumber", reception);
        LEAF(out, "ReceptionDateTime", at);
    } else if (!sk_oqs_put_refusal_body(a, out, &fe))
        return NULL;
    *file_code = fe.code;
    return root;
}

sk_oqs_node *sk_oqs_muquc01(sk_arena *a, const sk_oqs_exchange *x, const sk_oqs_node *req,
                            const sk_oqs_error *read_err, sk_oqs_code *file_code)
{
    return phase1(a, x, req, read_err, file_code, &QUC);
}

sk_oqs_node *sk_oqs_muimm01(sk_arena *a, const sk_oqs_exchange *x, const sk_oqs_node *req,
                            const sk_oqs_error *read_err, sk_oqs_code *file_code)
{
    return phase1(a, x, req, read_err, file_code, &IMM);
}

/* ---- processing ---- */

/* One 照会番号 block registered (its own durable write: registering again is harmless). */
static sk_err register_block(sk_arena *a, const sk_oqs_exchange *x, const sk_oqs_node *c,
                             sk_oqs_node *unit, bool *ok, sk_diag *d)
{
    const char *v[5] = {0};
    sk_oqs_error e = {.code = SK_OQS_OK}, re = {.code = SK_OQS_OK};
    for (size_t i = 0; !c->text && !e.code && i < 5; i++)
        sk_oqs_single_text(c, sk_oqs_refno_elements[i], &v[i], &e);
    if (c->text)
        sk_oqs_error_set(&re, SK_OQS_SEARCH_MISSING, c->name, "holds no elements");
    else if (e.code)
        sk_oqs_error_set(&re, SK_OQS_SEARCH_INVALID, e.element, "%s", e.detail);
    else {
        sk_oqs_error fe = {.code = SK_OQS_OK};
        sk_oqs_register(x, v, &fe, &re);
        if (fe.code) /* busy or broken now: the whole request is answered later */
            return sk_diag_set(d, SK_C_STORE_BUSY, "", "%s", fe.detail);
    }
    sk_oqs_node *echo = sk_oqs_group(a, unit, c->name);
    for (size_t i = 0; echo && i < 5; i++)
        if (v[i] && !sk_oqs_leaf(a, echo, sk_oqs_refno_elements[i], v[i]))
            echo = NULL;
    if (!echo || !sk_oqs_leaf(a, unit, "ProcessingResultStatus", re.code ? "2" : "1") ||
        (re.code &&
         (!sk_oqs_leaf(a, unit, "ProcessingResultCode", sk_oqs_code_id(re.code)) ||
          !sk_oqs_leaf(a, unit, "ProcessingResultMessage", sk_oqs_error_message(a, &re)))))
        return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    *ok = re.code == SK_OQS_OK;
    return SK_OK;
}

/* The result of one stored request as the phase-2 answer tree (MessageBody a list, for JSON).
 * SK_ERR_BUSY when a look-up could not be made now (retry later). */
static sk_err answer_request(sk_arena *a, sk_store *s, sk_lookup_audit *audit, int64_t now_ms,
                             const sk_bulk_rec *rec, sk_oqs_node **out, sk_diag *d)
{
    sk_oqs_node *req;
    sk_oqs_error e = {.code = SK_OQS_OK};
    if (sk_oqs_json_read(a, rec->request, strlen(rec->request), &req, &e))
        return sk_diag_set(d, SK_C_STORE, "request", "stored bulk request %s is unreadable: %s",
                           rec->reception, e.detail);
    sk_oqs_request rq;
    memset(&rq, 0, sizeof(rq));
    const sk_oqs_node *body;
    const kind *k = strcmp(rec->message, IMM.message) == 0 ? &IMM : &QUC;
    if (sk_oqs_read_header(req, k->need_date, &rq, &body, &e))
        return sk_diag_set(d, SK_C_STORE, "request", "stored bulk request %s: %s", rec->reception,
                           e.detail);
    sk_principal who = {.id = rec->principal_id, .role = SK_ROLE_INSTITUTION};
    snprintf(who.scope, sizeof(who.scope), "%s", rec->institution);
    sk_oqs_exchange x = {.store = s,
                         .audit = audit,
                         .who = &who,
                         .now_ms = now_ms,
                         .cs = rec->charset ? SK_OQS_SJIS : SK_OQS_UTF8};
    char now[15], count[3][24];
    sk_timestamp_compact(now_ms, now);
    sk_oqs_node *root = sk_oqs_group(a, NULL, "XmlMsg");
    sk_oqs_node *hdr = root ? sk_oqs_group(a, root, "MessageHeader") : NULL;
    sk_oqs_node *units = hdr ? sk_oqs_group(a, root, "MessageBody") : NULL;
    if (!units)
        return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    units->list = true;
    static _Thread_local sk_verify_answer ans;
    long n = 0, ok = 0;
    for (const sk_oqs_node *c = body->child; c; c = c->next) {
        if (!is_block(k, c))
            continue;
        sk_oqs_node *unit = sk_oqs_group(a, units, k->unit);
        if (!unit)
            return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
        bool good = false;
        if (k == &IMM) {
            sk_err err = register_block(a, &x, c, unit, &good, d);
            if (err)
                return err;
        } else {
            const char *v[SK_OQS_N_SEARCH] = {0};
            sk_oqs_error fe = {.code = SK_OQS_OK}, re = {.code = SK_OQS_OK};
            if (c->text) /* a block with no elements */
                sk_oqs_error_set(&re, SK_OQS_SEARCH_MISSING, c->name, "holds no elements");
            else if (sk_oqs_read_fields(c, v, &e))
                sk_oqs_error_set(&re, SK_OQS_SEARCH_INVALID, e.element, "%s", e.detail);
            else
                sk_oqs_look_up(&x, rq.date, v, &ans, &fe, &re);
            if (fe.code) /* busy or broken now: the whole request is answered later */
                return sk_diag_set(d, SK_C_STORE_BUSY, "", "bulk %s: %s", rec->reception,
                                   fe.detail);
            if (!sk_oqs_write_outcome(a, unit, v, true, &ans, &re, now, true))
                return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
            good = re.code == SK_OQS_OK;
        }
        n++;
        ok += good;
    }
    snprintf(count[0], sizeof(count[0]), "%ld", n);
    snprintf(count[1], sizeof(count[1]), "%ld", ok);
    snprintf(count[2], sizeof(count[2]), "%ld", n - ok);
    if (!sk_oqs_leaf(a, hdr, "ProcessExecutionTime", now) ||
        (rq.date && !sk_oqs_leaf(a, hdr, "QualificationConfirmationDate", rq.date)) ||
        !sk_oqs_leaf(a, hdr, "MedicalInstitutionCode", rq.institution) ||
        (rq.file_id && !sk_oqs_leaf(a, hdr, "ArbitraryFileIdentifier", rq.file_id)) ||
        !sk_oqs_leaf(a, hdr, "ReceptionNumber", rec->reception) ||
        !sk_oqs_leaf(a, hdr, "NumberOfProcessingResult", count[0]) ||
        !sk_oqs_leaf(a, hdr, "NumberOfNormalProcessing", count[1]) ||
        !sk_oqs_leaf(a, hdr, "NumberOfError", count[2]) ||
        (k == &QUC && !sk_oqs_leaf(a, hdr, "ReferenceClassification", "2")) ||
        !sk_oqs_leaf(a, hdr, "SegmentOfResult", "1") ||
        !sk_oqs_leaf(a, hdr, "CharacterCodeIdentifier", rec->charset ? "1" : "0"))
        return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    *out = root;
    return SK_OK;
}

typedef struct finish_job {
    int64_t id, now_ms;
    const char *result;
} finish_job;

static sk_err finish_fn(sk_tx *tx, void *ctx, sk_diag *d)
{
    finish_job *j = ctx;
    int64_t removed;
    if (sk_store_bulk_finish(tx, j->id, j->result, j->now_ms, d) ||
        sk_store_bulk_purge(tx, j->now_ms - SK_OQS_BULK_KEEP_MS, &removed, d))
        return sk_tx_error(tx);
    return SK_OK;
}

sk_err sk_oqs_bulk_process(sk_store *s, sk_lookup_audit *audit, int64_t now_ms, int *finished,
                           sk_diag *d)
{
    *finished = 0;
    for (;;) {
        sk_arena *a = sk_arena_alloc(1 << 20, BULK_ARENA_MAX);
        if (!a)
            return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
        sk_tx *tx;
        sk_bulk_rec rec;
        sk_err err = sk_store_begin_read(s, &tx, d);
        if (!err) {
            err = sk_store_bulk_next_pending(tx, a, &rec, d);
            sk_tx_rollback(tx);
        }
        sk_oqs_node *result = NULL;
        sk_buf json;
        sk_buf_init(&json, 256u << 20);
        if (!err)
            err = answer_request(a, s, audit, now_ms, &rec, &result, d);
        if (!err && sk_oqs_json_write(result, &json))
            err = sk_diag_set(d, SK_C_TOO_LONG, "result", "bulk result too large");
        if (!err) {
            finish_job j = {.id = rec.id, .now_ms = now_ms, .result = json.data};
            err = sk_store_run(s, finish_fn, &j, d);
        }
        if (!err) {
            (*finished)++;
            SK_INFO("oqs: bulk %s answered", rec.reception);
        }
        sk_buf_deinit(&json);
        sk_arena_free(a);
        if (err == SK_ERR_NOTFOUND)
            return SK_OK;
        if (err)
            return err;
    }
}

/* ---- phase 2 ---- */

static sk_oqs_node *phase2(sk_arena *a, const sk_oqs_exchange *x, const sk_oqs_node *req,
                           const sk_oqs_error *read_err, sk_oqs_code *file_code, const kind *k)
{
    sk_oqs_request rq;
    memset(&rq, 0, sizeof(rq));
    sk_oqs_error fe = {.code = SK_OQS_OK};
    const sk_oqs_node *body = NULL;
    const char *reception = NULL;
    sk_bulk_rec rec;
    bool pending = false;
    if (!req || read_err->code) /* unreadable, or read but not authenticated */
        fe = *read_err;
    else if (sk_oqs_read_header(req, false, &rq, &body, &fe) == SK_OK &&
             sk_oqs_check_institution(x, &rq, &fe) == SK_OK &&
             sk_oqs_single_text(body, "ReceptionNumber", &reception, &fe) == SK_OK) {
        sk_diag d;
        sk_diag_clear(&d);
        sk_tx *tx;
        sk_err err = SK_ERR_NOTFOUND;
        if (!reception)
            sk_oqs_error_set(&fe, SK_OQS_HEADER_MISSING, "ReceptionNumber", "required");
        else if ((err = sk_store_begin_read(x->store, &tx, &d)) == SK_OK) {
            err = sk_store_bulk_get(tx, reception, a, &rec, &d);
            sk_tx_rollback(tx);
        }
        /* another institution's number, or one of the other bulk kind, is as unknown as a wrong one
         */
        if (reception &&
            (err == SK_ERR_NOTFOUND || (!err && (strcmp(rec.institution, x->who->scope) != 0 ||
                                                 strcmp(rec.message, k->message) != 0))))
            sk_oqs_error_set(&fe, SK_OQS_RECEPTION, "ReceptionNumber", "%s", reception);
        else if (reception && err)
            sk_oqs_error_set(&fe, err == SK_ERR_BUSY ? SK_OQS_BUSY : SK_OQS_INTERNAL, "", "%s",
                             d.message);
        else if (reception)
            pending = rec.result == NULL;
    }
    *file_code = fe.code;
    if (!fe.code && !pending) { /* the stored result, in this request's encoding */
        sk_oqs_node *root;
        sk_oqs_error e;
        if (sk_oqs_json_read(a, rec.result, strlen(rec.result), &root, &e))
            return NULL;
        sk_oqs_node *hdr = (sk_oqs_node *)sk_oqs_child(root, "MessageHeader");
        for (sk_oqs_node *c = hdr ? hdr->child : NULL; c; c = c->next)
            if (strcmp(c->name, "CharacterCodeIdentifier") == 0)
                c->text = x->cs == SK_OQS_SJIS ? "1" : "0";
        return root;
    }
    if (fe.code)
        sk_oqs_peek_header(req, &rq);
    sk_oqs_node *hdr, *out, *root = sk_oqs_result_start(a, x->now_ms, &hdr, &out);
    if (!root)
        return NULL;
    LEAF_IF(hdr, "MedicalInstitutionCode", rq.institution);
    LEAF_IF(hdr, "ArbitraryFileIdentifier", rq.file_id);
    LEAF_IF(hdr, "ReceptionNumber", reception);
    if (k == &QUC)
        LEAF(hdr, "ReferenceClassification", "2");
    if (!sk_oqs_put_segment(a, hdr, "2", &fe)) /* 2 処理中 */
        return NULL;
    LEAF(hdr, "CharacterCodeIdentifier", x->cs == SK_OQS_SJIS ? "1" : "0");
    if (fe.code && !sk_oqs_put_refusal_body(a, out, &fe))
        return NULL;
    return root;
}

sk_oqs_node *sk_oqs_muquc02(sk_arena *a, const sk_oqs_exchange *x, const sk_oqs_node *req,
                            const sk_oqs_error *read_err, sk_oqs_code *file_code)
{
    return phase2(a, x, req, read_err, file_code, &QUC);
}

sk_oqs_node *sk_oqs_muimm02(sk_arena *a, const sk_oqs_exchange *x, const sk_oqs_node *req,
                            const sk_oqs_error *read_err, sk_oqs_code *file_code)
{
    return phase2(a, x, req, read_err, file_code, &IMM);
}

/* ---- the processor thread ---- */

struct sk_oqs_bulk {
    sk_store *store;
    sk_lookup_audit *audit;
    sk_clock *clock;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool kicked, stopping;
    pthread_t thread;
};

static void *processor(void *arg)
{
    sk_oqs_bulk *b = arg;
    pthread_setname_np(pthread_self(), "sk-bulk");
    for (;;) {
        pthread_mutex_lock(&b->mu);
        if (!b->kicked && !b->stopping) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += 1;
            pthread_cond_timedwait(&b->cv, &b->mu, &until);
        }
        bool stop = b->stopping;
        b->kicked = false;
        pthread_mutex_unlock(&b->mu);
        if (stop)
            break;
        int done = 0;
        sk_diag d;
        sk_diag_clear(&d);
        if (sk_oqs_bulk_process(b->store, b->audit, sk_clock_now_ms(b->clock), &done, &d))
            SK_WARN("oqs: bulk processing paused (%s: %s); retrying", sk_code_name(d.code),
                    d.message);
    }
    return NULL;
}

sk_err sk_oqs_bulk_start(sk_store *s, sk_lookup_audit *audit, sk_clock *clock, sk_oqs_bulk **out,
                         sk_diag *d)
{
    *out = NULL;
    sk_oqs_bulk *b = calloc(1, sizeof(*b));
    if (!b)
        return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    b->store = s;
    b->audit = audit;
    b->clock = clock;
    b->kicked = true; /* requests left by an earlier run */
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->cv, NULL);
    if (pthread_create(&b->thread, NULL, processor, b) != 0) {
        free(b);
        return sk_diag_set(d, SK_C_NOMEM, "", "cannot start the bulk processor");
    }
    *out = b;
    return SK_OK;
}

void sk_oqs_bulk_kick(sk_oqs_bulk *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->mu);
    b->kicked = true;
    pthread_cond_signal(&b->cv);
    pthread_mutex_unlock(&b->mu);
}

void sk_oqs_bulk_stop(sk_oqs_bulk *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->mu);
    b->stopping = true;
    pthread_cond_signal(&b->cv);
    pthread_mutex_unlock(&b->mu);
    pthread_join(b->thread, NULL);
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->cv);
    free(b);
}
