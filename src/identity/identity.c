/* identity.c — 誤入力チェック, 閲覧停止, My Number acquisition and work items (identity.h).
 * Every write runs as a store job (group commit) and is audited in the same transaction. */
#define _GNU_SOURCE /* pthread_setname_np */
#include "identity/identity.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "core/insurer.h"
#include "core/match.h"
#include "registry/filing.h"
#include "util/config.h"
#include "util/log.h"

#define REASON_MAX      500
#define ACTOR_SCHEDULER "identity:scheduler"

struct sk_identity {
    sk_registry *reg;
    sk_store *store;
    sk_jlis *jlis;
    sk_clock *clock;
    sk_identity_options opt;
    bool installed;
    /* scheduler thread */
    pthread_t thread;
    bool running;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop, reload;
    int64_t interval_ms;
};

static int64_t now_of(const sk_identity *id)
{
    return sk_clock_now_ms(id->clock);
}

sk_err sk_identity_alloc(sk_registry *reg, sk_jlis *jlis, sk_clock *clock,
                         const sk_identity_options *opt, sk_identity **out, sk_diag *d)
{
    sk_identity *id = calloc(1, sizeof(*id));
    if (!id)
        return sk_diag_set(d, SK_C_NOMEM, "identity", "out of memory");
    id->reg = reg;
    id->store = sk_registry_store(reg);
    id->jlis = jlis;
    id->clock = clock ? clock : sk_clock_system();
    if (opt)
        id->opt = *opt;
    if (id->opt.reminder_after_ms <= 0)
        id->opt.reminder_after_ms = SK_IDENTITY_REMINDER_DAYS * SK_MS_PER_DAY;
    if (id->opt.jlis_after_ms <= 0)
        id->opt.jlis_after_ms = SK_IDENTITY_JLIS_AFTER_DAYS * SK_MS_PER_DAY;
    if (id->opt.retry_ms <= 0)
        id->opt.retry_ms = SK_IDENTITY_RETRY_MINUTES * 60000LL;
    if (id->opt.max_attempts <= 0)
        id->opt.max_attempts = SK_IDENTITY_MAX_ATTEMPTS;
    pthread_mutex_init(&id->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&id->cv, &ca);
    pthread_condattr_destroy(&ca);
    *out = id;
    return SK_OK;
}

void sk_identity_free(sk_identity *id)
{
    if (!id)
        return;
    sk_identity_stop(id);
    if (id->installed)
        sk_registry_set_check(id->reg, NULL, NULL);
    pthread_cond_destroy(&id->cv);
    pthread_mutex_destroy(&id->mu);
    free(id);
}

/* ---------------- small helpers ---------------- */

/* A run of 12 or more digits, ASCII or full-width (what a My Number would look like in free
 * text); spaces and hyphens inside the run do not break it (1234 5678 9018). */
static bool has_12_digits(const char *s)
{
    size_t run = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p >= '0' && *p <= '9') {
            run++;
            p++;
        } else if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x90 && p[2] <= 0x99) { /* ０-９ */
            run++;
            p += 3;
        } else if (run && (*p == ' ' || *p == '-')) {
            p++;
        } else {
            run = 0;
            p++;
        }
        if (run >= 12)
            return true;
    }
    return false;
}

/* A JSON object into a bounded buffer (work item details). Takes the reference. */
static void detail_put(json_t *o, char *out, size_t cap)
{
    size_t n = o ? json_dumpb(o, out, cap - 1, JSON_COMPACT) : 0;
    if (n == 0 || n >= cap - 1)
        snprintf(out, cap, "{}");
    else
        out[n] = '\0';
    json_decref(o);
}

static sk_risk risk_of(sk_verdict verdict)
{
    switch (verdict) {
    case SK_VERDICT_MISMATCH_HIGH:
    case SK_VERDICT_NOT_FOUND:
        return SK_RISK_HIGH;
    case SK_VERDICT_MISMATCH_LOW:
        return SK_RISK_LOW;
    case SK_VERDICT_MATCH:
    case SK_VERDICT_PENDING:
        break;
    }
    return SK_RISK_NONE;
}

typedef struct qvec {
    sk_qualification_rec *v;
    size_t n, cap;
} qvec;

static sk_err qvec_cb(void *ctx, const sk_qualification_rec *q)
{
    qvec *qv = ctx;
    if (qv->n == qv->cap) {
        size_t nc = qv->cap ? qv->cap * 2 : 8;
        sk_qualification_rec *v = realloc(qv->v, nc * sizeof(*v));
        if (!v)
            return SK_ERR_NOMEM;
        qv->v = v;
        qv->cap = nc;
    }
    qv->v[qv->n++] = *q;
    return SK_OK;
}

/* The person's qualifications that were registered (the ones OQS could show). */
static sk_err registered_quals(sk_tx *tx, int64_t person_id, qvec *out, sk_diag *d)
{
    memset(out, 0, sizeof(*out));
    sk_store_qualification_list_by_person(tx, person_id, qvec_cb, out, d);
    size_t k = 0;
    for (size_t i = 0; i < out->n; i++)
        if (out->v[i].registered_ms)
            out->v[k++] = out->v[i];
    out->n = k;
    return sk_tx_error(tx);
}

/* A record has at most a few open stops (one per cause and item) and a person a few open items
 * of a kind (one per insurer): these lists are bounded, and a list that would not fit is an
 * error (the job is undone), never a silent truncation. */
#define OPEN_MAX 16

typedef struct stopvec {
    sk_stop_rec v[OPEN_MAX];
    size_t n;
    bool overflow;
} stopvec;

static sk_err stop_cb(void *ctx, const sk_stop_rec *r)
{
    stopvec *sv = ctx;
    if (sv->n == OPEN_MAX)
        sv->overflow = true;
    else
        sv->v[sv->n++] = *r;
    return SK_OK;
}

/* The open stops of a qualification. */
static sk_err open_stops(sk_tx *tx, int64_t qualification_id, stopvec *sv, sk_diag *d)
{
    sv->n = 0;
    sv->overflow = false;
    if (sk_store_stop_list(tx, qualification_id, true, stop_cb, sv, d))
        return sk_tx_error(tx);
    if (sv->overflow)
        return sk_diag_set(d, SK_C_INTERNAL, "qualification",
                           "more than %d open 閲覧停止 on qualification %" PRId64, OPEN_MAX,
                           qualification_id);
    return SK_OK;
}

/* Sets qualification.display_stopped from its open stops (the flag OQS reads). */
static sk_err refresh_display(sk_tx *tx, int64_t qualification_id, int64_t now_ms, sk_diag *d)
{
    stopvec sv;
    sk_qualification_rec q;
    sk_err err;
    if (sk_store_qualification_get(tx, qualification_id, &q, d))
        return sk_tx_error(tx);
    if ((err = open_stops(tx, qualification_id, &sv, d)))
        return err;
    bool stopped = sv.n > 0;
    if (q.display_stopped != stopped) {
        q.display_stopped = stopped;
        q.updated_ms = now_ms;
        sk_store_qualification_update(tx, &q, d);
    }
    return sk_tx_error(tx);
}

/* Closes the open stops of a qualification with this cause (and, when work_item_id is not 0,
 * only those opened for that item). */
static sk_err close_stops(sk_tx *tx, int64_t qualification_id, sk_stop_cause cause,
                          int64_t work_item_id, const char *actor, const char *resolution,
                          const char *reason, int64_t now_ms, int *closed, sk_diag *d)
{
    stopvec sv;
    sk_err err = open_stops(tx, qualification_id, &sv, d);
    if (err)
        return err;
    for (size_t i = 0; i < sv.n; i++) {
        sk_stop_rec *s = &sv.v[i];
        if (s->cause != cause || (work_item_id && s->work_item_id != work_item_id))
            continue;
        s->closed_ms = now_ms;
        snprintf(s->closed_by, sizeof(s->closed_by), "%s", actor);
        snprintf(s->resolution, sizeof(s->resolution), "%s", resolution);
        snprintf(s->reason, sizeof(s->reason), "%s", reason);
        sk_store_stop_close(tx, s, d);
        if (closed)
            (*closed)++;
    }
    if (sk_tx_error(tx))
        return sk_tx_error(tx);
    return refresh_display(tx, qualification_id, now_ms, d);
}

/* Opens a stop on q and sets its display flag (q is updated in memory too). fresh: q was read
 * in this transaction and nothing else changed it since; otherwise it is read again first
 * (a close_stops may have cleared the flag meanwhile). */
static sk_err open_stop(sk_tx *tx, sk_qualification_rec *q, bool fresh, sk_stop_cause cause,
                        int64_t work_item_id, const char *actor, int64_t now_ms, sk_diag *d)
{
    if (!fresh && sk_store_qualification_get(tx, q->id, q, d))
        return sk_tx_error(tx);
    sk_stop_rec s;
    memset(&s, 0, sizeof(s));
    s.qualification_id = q->id;
    s.cause = cause;
    s.work_item_id = work_item_id;
    s.opened_ms = now_ms;
    snprintf(s.opened_by, sizeof(s.opened_by), "%s", actor);
    if (sk_store_stop_add(tx, &s, d))
        return sk_tx_error(tx);
    if (!q->display_stopped) {
        q->display_stopped = true;
        q->updated_ms = now_ms;
        sk_store_qualification_update(tx, q, d);
    }
    return sk_tx_error(tx);
}

static sk_err report_stop(sk_tx *tx, int64_t qualification_id, int64_t work_item_id,
                          const char *actor, int64_t now_ms, sk_diag *d)
{
    sk_qualification_rec q = {.id = qualification_id};
    return open_stop(tx, &q, false, SK_STOP_REPORT, work_item_id, actor, now_ms, d);
}

/* Whether an open stop of this cause (and item) exists; an error counts as yes (the caller
 * then opens none, and the transaction's error is reported by the job). */
static bool has_open_stop(sk_tx *tx, int64_t qualification_id, sk_stop_cause cause,
                          int64_t work_item_id, sk_diag *d)
{
    stopvec sv;
    if (open_stops(tx, qualification_id, &sv, d))
        return true;
    for (size_t i = 0; i < sv.n; i++)
        if (sv.v[i].cause == cause && (!work_item_id || sv.v[i].work_item_id == work_item_id))
            return true;
    return false;
}

typedef struct itemvec {
    sk_work_item_rec v[OPEN_MAX];
    size_t n;
    bool overflow;
} itemvec;

static sk_err item_cb(void *ctx, const sk_work_item_rec *r)
{
    itemvec *iv = ctx;
    if (iv->n == OPEN_MAX)
        iv->overflow = true;
    else
        iv->v[iv->n++] = *r;
    return SK_OK;
}

static sk_err open_items(sk_tx *tx, sk_work_kind kind, int64_t person_id, int64_t notification_id,
                         itemvec *out, sk_diag *d)
{
    out->n = 0;
    out->overflow = false;
    sk_work_item_filter f = {.state = SK_WORK_OPEN,
                             .kind = kind,
                             .person_id = person_id,
                             .notification_id = notification_id,
                             .limit = OPEN_MAX + 1};
    if (sk_store_work_item_list(tx, &f, item_cb, out, d))
        return sk_tx_error(tx);
    if (out->overflow)
        return sk_diag_set(d, SK_C_INTERNAL, "person",
                           "more than %d open work items of one kind for one person or 届出",
                           OPEN_MAX);
    return SK_OK;
}

static sk_err close_item(sk_tx *tx, sk_work_item_rec *w, const char *actor, const char *resolution,
                         const char *reason, int64_t now_ms, sk_diag *d)
{
    w->state = SK_WORK_RESOLVED;
    w->resolved_ms = now_ms;
    snprintf(w->resolved_by, sizeof(w->resolved_by), "%s", actor);
    snprintf(w->resolution, sizeof(w->resolution), "%s", resolution);
    snprintf(w->reason, sizeof(w->reason), "%s", reason);
    sk_store_work_item_resolve(tx, w, d);
    char object[48];
    snprintf(object, sizeof(object), "work_item:%" PRId64, w->id);
    sk_store_audit_add(tx, now_ms, actor, "work_item.resolve", object, d, "kind=%s resolution=%s",
                       sk_work_kind_name(w->kind), resolution);
    return sk_tx_error(tx);
}

static sk_err new_item(sk_tx *tx, sk_work_item_rec *w, const char *actor, int64_t now_ms,
                       sk_diag *d)
{
    w->created_ms = now_ms;
    if (sk_store_work_item_add(tx, w, d))
        return sk_tx_error(tx);
    char object[48];
    snprintf(object, sizeof(object), "work_item:%" PRId64, w->id);
    sk_store_audit_add(tx, now_ms, actor, "work_item.open", object, d,
                       "kind=%s assignee=%s:%s risk=%s", sk_work_kind_name(w->kind),
                       sk_role_name(w->assignee_role), w->assignee_scope, sk_risk_name(w->risk));
    return sk_tx_error(tx);
}

/* ---------------- 誤入力チェック ---------------- */

/* What the register says for the items that differ (the insurer compares it with its record;
 * never the My Number). */
static json_t *register_values(const sk_jlis_person *reg, unsigned differ);

/* The finding of a check, as a work item records it: the same finding (verdict, items, and the
 * values on both sides) is one matter, however often it is checked again. */
static bool same_finding(json_t *a, json_t *b)
{
    static const char *const keys[] = {"verdict", "differ", "register", "record"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        json_t *x = json_object_get(a, keys[i]), *y = json_object_get(b, keys[i]);
        if (!x || !y || !json_equal(x, y))
            return false;
    }
    return true;
}

/* Whether the insurer already cleared this very finding with 理由付き疑いなし: it stands until
 * the data or the register change (then the finding is another one). */
static sk_err cleared_before(sk_tx *tx, int64_t person_id, const char *insurer, json_t *finding,
                             bool *out, sk_diag *d)
{
    *out = false;
    int64_t after = 0;
    for (;;) {
        itemvec iv = {.n = 0};
        sk_work_item_filter f = {.state = SK_WORK_RESOLVED,
                                 .kind = SK_WORK_CHECK_MISMATCH,
                                 .person_id = person_id,
                                 .after_id = after,
                                 .limit = OPEN_MAX};
        if (sk_store_work_item_list(tx, &f, item_cb, &iv, d))
            return sk_tx_error(tx);
        for (size_t k = 0; k < iv.n; k++) {
            after = iv.v[k].id;
            if (strcmp(iv.v[k].assignee_scope, insurer) != 0 ||
                strcmp(iv.v[k].resolution, "no_suspicion") != 0)
                continue;
            json_t *old = json_loads(iv.v[k].detail, 0, NULL);
            *out = same_finding(old, finding);
            json_decref(old);
            if (*out)
                return SK_OK;
        }
        if (iv.n < OPEN_MAX)
            return SK_OK;
    }
}

/* Our record's values for the items that differ (beside the register's, for the insurer). */
static json_t *record_values(const sk_person_rec *p, unsigned differ)
{
    sk_jlis_person as;
    memset(&as, 0, sizeof(as));
    snprintf(as.info.name, sizeof(as.info.name), "%s", p->info.name);
    snprintf(as.info.kana, sizeof(as.info.kana), "%s", p->info.kana);
    snprintf(as.info.address, sizeof(as.info.address), "%s", p->info.address);
    as.info.birthdate = p->info.birthdate;
    as.info.sex = p->info.sex;
    return register_values(&as, differ);
}

static json_t *register_values(const sk_jlis_person *reg, unsigned differ)
{
    json_t *o = json_object();
    char b[11];
    if (differ & SK_ITEM_NAME)
        json_object_set_new(o, "name", json_string(reg->info.name));
    if (differ & SK_ITEM_KANA)
        json_object_set_new(o, "kana", json_string(reg->info.kana));
    if (differ & SK_ITEM_BIRTHDATE) {
        sk_date_format(reg->info.birthdate, b);
        json_object_set_new(o, "birthdate", json_string(b));
    }
    if (differ & SK_ITEM_SEX) {
        b[0] = (char)('0' + (int)reg->info.sex);
        b[1] = '\0';
        json_object_set_new(o, "sex", json_string(b));
    }
    if (differ & SK_ITEM_ADDRESS)
        json_object_set_new(o, "address", json_string(reg->info.address));
    return o;
}

/* audit: write the check's own audit row (not when the registry's row carries the verdict). */
static sk_err check_person(sk_identity *id, sk_tx *tx, int64_t person_id,
                           const sk_person_rec *known, const char *trigger, const char *actor,
                           int64_t now_ms, char verdict_out[16], bool audit, sk_diag *d)
{
    sk_person_rec p;
    sk_jlis_person reg;
    memset(&reg, 0, sizeof(reg));
    qvec qv = {0};
    sk_arena *a = NULL;
    sk_err err;
    if (verdict_out)
        verdict_out[0] = '\0';
    if (!id->jlis)
        return sk_diag_set(d, SK_C_JLIS_UNAVAILABLE, "jlis", "no resident register is configured");
    if (known)
        p = *known;
    else if ((err = sk_store_person_get(tx, person_id, true, &p, d)))
        return err;
    if (!p.has_mynumber)
        return SK_OK;

    sk_identity_check_rec c;
    memset(&c, 0, sizeof(c));
    c.person_id = person_id;
    c.at_ms = now_ms;
    snprintf(c.trigger, sizeof(c.trigger), "%s", trigger);
    sk_diag jd;
    sk_diag_clear(&jd);
    unsigned differ_bits = 0;
    sk_err je = sk_jlis_by_number(id->jlis, &p.mynumber, &reg, &jd);
    sk_mynumber_wipe(&p.mynumber);
    if (je == SK_ERR_NOTFOUND) {
        c.verdict = SK_VERDICT_NOT_FOUND;
    } else if (je) {
        /* J-LIS could not be asked: W11.4, the record is not shown meanwhile */
        c.verdict = SK_VERDICT_PENDING;
        sk_log(SK_LOG_WARN, "identity: J-LIS unavailable for a check of person %s: %s", p.pid,
               jd.message);
    } else {
        if (!(a = sk_arena_alloc(0, 1 << 20))) {
            err = sk_diag_set(d, SK_C_NOMEM, "identity", "out of memory");
            goto out;
        }
        sk_ident ours;
        sk_ident_of(&p.info, &ours);
        sk_ident theirs;
        sk_jlis_person_ident(&reg, &theirs);
        sk_match m;
        if ((err = sk_match_compare(a, &ours, &theirs, SK_ITEMS_ALL5, reg.twin_household, &m, d)))
            goto out;
        c.verdict = m.result == SK_MATCH_EQUAL      ? SK_VERDICT_MATCH
                    : m.result == SK_MATCH_DIFF_LOW ? SK_VERDICT_MISMATCH_LOW
                                                    : SK_VERDICT_MISMATCH_HIGH;
        sk_match_items_format(m.differ, c.differ, sizeof(c.differ));
        differ_bits = m.differ;
        sk_match_items_format(m.folded, c.folded, sizeof(c.folded));
    }
    sk_jlis_person_wipe(&reg);
    /* A person whose last check matched (or who was never checked) has no open check stops or
     * items: a match then only needs recording (the common case, on the registration path). */
    sk_identity_check_rec last;
    bool had_last = sk_store_identity_check_last(tx, person_id, &last, d) == SK_OK;
    bool clean_before = !had_last || last.verdict == SK_VERDICT_MATCH;
    bool retry_before = had_last && last.verdict == SK_VERDICT_PENDING;
    sk_store_identity_check_add(tx, &c, d);
    if (audit) {
        char object[48];
        snprintf(object, sizeof(object), "person:%s", p.pid);
        sk_store_audit_add(tx, now_ms, actor, "identity.check", object, d,
                           "trigger=%s verdict=%s differ=%s folded=%s", c.trigger,
                           sk_verdict_name(c.verdict), c.differ, c.folded);
    }
    if (verdict_out)
        snprintf(verdict_out, 16, "%s", sk_verdict_name(c.verdict));
    if (c.verdict == SK_VERDICT_MATCH && clean_before) {
        err = sk_tx_error(tx);
        goto out;
    }
    if ((err = registered_quals(tx, person_id, &qv, d)))
        goto out;

    bool pending = c.verdict == SK_VERDICT_PENDING;
    itemvec iv;
    if (!pending && retry_before) { /* the check happened: a waiting retry is done */
        if ((err = open_items(tx, SK_WORK_CHECK_RETRY, person_id, 0, &iv, d)))
            goto out;
        for (size_t i = 0; i < iv.n; i++)
            if ((err = close_item(tx, &iv.v[i], actor, "rechecked", sk_verdict_name(c.verdict),
                                  now_ms, d)))
                goto out;
    }
    if (c.verdict == SK_VERDICT_MATCH) {
        /* the data were corrected (or were right): lift the check's stops */
        if ((err = open_items(tx, SK_WORK_CHECK_MISMATCH, person_id, 0, &iv, d)))
            goto out;
        for (size_t i = 0; i < iv.n; i++)
            if ((err = close_item(tx, &iv.v[i], actor, "corrected",
                                  "a later 誤入力チェック matched J-LIS", now_ms, d)))
                goto out;
        for (size_t i = 0; i < qv.n; i++)
            if ((err = close_stops(tx, qv.v[i].id, SK_STOP_CHECK, 0, actor, "corrected",
                                   "a later 誤入力チェック matched J-LIS", now_ms, NULL, d)))
                goto out;
        goto out;
    }
    if (pending) {
        sk_work_item_rec w;
        iv.n = 0;
        if (retry_before && (err = open_items(tx, SK_WORK_CHECK_RETRY, person_id, 0, &iv, d)))
            goto out;
        if (iv.n) {
            w = iv.v[0];
        } else {
            memset(&w, 0, sizeof(w));
            w.kind = SK_WORK_CHECK_RETRY;
            w.assignee_role = SK_ROLE_OPERATOR;
            snprintf(w.insurer_number, sizeof(w.insurer_number), "%s",
                     qv.n ? qv.v[0].insurer_number : "");
            w.person_id = person_id;
            detail_put(json_pack("{s:s, s:s}", "person", p.pid, "trigger", trigger), w.detail,
                       sizeof(w.detail));
            if (!w.insurer_number[0]) /* nothing registered yet: nothing to stop or retry */
                goto out;
            if ((err = new_item(tx, &w, actor, now_ms, d)))
                goto out;
        }
        for (size_t i = 0; i < qv.n; i++)
            if ((clean_before || !has_open_stop(tx, qv.v[i].id, SK_STOP_CHECK, 0, d)) &&
                (err =
                     open_stop(tx, &qv.v[i], clean_before, SK_STOP_CHECK, w.id, actor, now_ms, d)))
                goto out;
        err = sk_tx_error(tx);
        goto out;
    }
    /* 不一致 / not_found: one item per insurer concerned, every registered record stopped */
    for (size_t i = 0; i < qv.n; i++) {
        const char *ins = qv.v[i].insurer_number;
        bool seen = false;
        for (size_t k = 0; k < i; k++)
            seen |= strcmp(qv.v[k].insurer_number, ins) == 0;
        if (seen)
            continue;
        iv.n = 0;
        if (!clean_before && (err = open_items(tx, SK_WORK_CHECK_MISMATCH, person_id, 0, &iv, d)))
            goto out;
        sk_work_item_rec w;
        memset(&w, 0, sizeof(w));
        json_t *finding =
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "person", p.pid, "verdict",
                      sk_verdict_name(c.verdict), "differ", c.differ, "folded", c.folded, "trigger",
                      trigger, "register", register_values(&reg, differ_bits), "record",
                      record_values(&p, differ_bits));
        detail_put(json_incref(finding), w.detail, sizeof(w.detail));
        bool keep = false;
        for (size_t k = 0; k < iv.n; k++) {
            if (strcmp(iv.v[k].assignee_scope, ins) != 0)
                continue;
            json_t *old = json_loads(iv.v[k].detail, 0, NULL);
            bool same = same_finding(old, finding);
            json_decref(old);
            if (same) {
                keep = true;
                w = iv.v[k];
                continue;
            }
            /* an older finding: this check replaces it */
            for (size_t q = 0; q < qv.n; q++)
                if (strcmp(qv.v[q].insurer_number, ins) == 0 &&
                    (err = close_stops(tx, qv.v[q].id, SK_STOP_CHECK, iv.v[k].id, actor,
                                       "superseded", "a later 誤入力チェック", now_ms, NULL, d)))
                    break;
            if (err || (err = close_item(tx, &iv.v[k], actor, "superseded",
                                         "a later 誤入力チェック", now_ms, d)))
                break;
        }
        if (err) {
            json_decref(finding);
            goto out;
        }
        bool cleared = false;
        if (!keep && (err = cleared_before(tx, person_id, ins, finding, &cleared, d))) {
            json_decref(finding);
            goto out;
        }
        json_decref(finding);
        if (cleared) /* 理由付き疑いなし for this very finding stands: no new stop */
            continue;
        if (!keep) {
            w.kind = SK_WORK_CHECK_MISMATCH;
            w.assignee_role = SK_ROLE_INSURER;
            snprintf(w.assignee_scope, sizeof(w.assignee_scope), "%s", ins);
            snprintf(w.insurer_number, sizeof(w.insurer_number), "%s", ins);
            w.person_id = person_id;
            w.risk = risk_of(c.verdict);
            if ((err = new_item(tx, &w, actor, now_ms, d)))
                goto out;
        }
        for (size_t q = 0; q < qv.n; q++)
            if (strcmp(qv.v[q].insurer_number, ins) == 0 &&
                (clean_before || !has_open_stop(tx, qv.v[q].id, SK_STOP_CHECK, w.id, d)) &&
                (err =
                     open_stop(tx, &qv.v[q], clean_before, SK_STOP_CHECK, w.id, actor, now_ms, d)))
                goto out;
    }
    err = sk_tx_error(tx);
out:
    sk_jlis_person_wipe(&reg);
    sk_arena_free(a);
    free(qv.v);
    return err ? err : sk_tx_error(tx);
}

sk_err sk_identity_check_person(sk_identity *id, sk_tx *tx, int64_t person_id, const char *trigger,
                                const char *actor, int64_t now_ms, char verdict[16], sk_diag *d)
{
    return check_person(id, tx, person_id, NULL, trigger, actor, now_ms, verdict, true, d);
}

static sk_err hook(void *ctx, sk_tx *tx, int64_t person_id, const sk_person_rec *known,
                   const char *trigger, const char *actor, int64_t now_ms, char verdict[16],
                   sk_diag *d)
{
    return check_person(ctx, tx, person_id, known, trigger, actor, now_ms, verdict, false, d);
}

void sk_identity_install(sk_identity *id)
{
    sk_registry_set_check(id->reg, hook, id);
    id->installed = true;
}

/* ---------------- acquisition (W2) ---------------- */

static sk_err seed_job(sk_tx *tx, void *ctx, sk_diag *d)
{
    void **c = ctx;
    sk_identity *id = c[0];
    int64_t *added = c[1];
    return sk_store_acquisition_seed(tx, id->opt.reminder_after_ms, now_of(id), added, d);
}

typedef struct acq_job {
    sk_identity *id;
    sk_acquisition_rec a; /* as read; re-read and checked in the job */
    const char *action;   /* remind, settle, jlis_review, jlis_unavailable, jlis_done */
    const char *outcome;  /* J-LIS outcome name */
    const char *detail;   /* JSON for a review item */
    const char *actor;
    int64_t now_ms;
} acq_job;

static sk_err remind(sk_tx *tx, acq_job *j, sk_acquisition_rec *a, const char *why, sk_diag *d)
{
    sk_person_rec p;
    itemvec iv;
    sk_err err = open_items(tx, SK_WORK_MYNUMBER_REMINDER, 0, a->notification_id, &iv, d);
    for (size_t i = 0; !err && i < iv.n; i++) /* one reminder at a time: the newest counts */
        err = close_item(tx, &iv.v[i], j->actor, "superseded", "a new reminder", j->now_ms, d);
    if (err)
        return err;
    if (sk_store_person_get(tx, a->person_id, false, &p, d))
        return sk_tx_error(tx);
    sk_work_item_rec w;
    memset(&w, 0, sizeof(w));
    w.kind = SK_WORK_MYNUMBER_REMINDER;
    if (a->employer_id) {
        w.assignee_role = SK_ROLE_EMPLOYER;
        snprintf(w.assignee_scope, sizeof(w.assignee_scope), "%" PRId64, a->employer_id);
    } else { /* filed by the insurer itself: it asks the member */
        w.assignee_role = SK_ROLE_INSURER;
        snprintf(w.assignee_scope, sizeof(w.assignee_scope), "%s", a->insurer_number);
    }
    snprintf(w.insurer_number, sizeof(w.insurer_number), "%s", a->insurer_number);
    w.person_id = a->person_id;
    w.notification_id = a->notification_id;
    detail_put(json_pack("{s:s, s:I, s:s, s:s}", "person", p.pid, "notification",
                         (json_int_t)a->notification_id, "person_name", p.info.name, "why", why),
               w.detail, sizeof(w.detail));
    err = new_item(tx, &w, j->actor, j->now_ms, d);
    if (err)
        return err;
    a->stage = SK_ACQ_REMINDED;
    a->reminded_ms = j->now_ms;
    a->next_ms = j->now_ms + j->id->opt.jlis_after_ms;
    a->attempts = 0;
    return SK_OK;
}

static sk_err close_acq_items(sk_tx *tx, acq_job *j, int64_t notification_id,
                              const char *resolution, const char *reason, sk_diag *d)
{
    itemvec iv;
    sk_err err = open_items(tx, 0, 0, notification_id, &iv, d);
    for (size_t i = 0; !err && i < iv.n; i++)
        err = close_item(tx, &iv.v[i], j->actor, resolution, reason, j->now_ms, d);
    return err;
}

static sk_err acq_step_job(sk_tx *tx, void *ctx, sk_diag *d)
{
    acq_job *j = ctx;
    sk_acquisition_rec a;
    sk_err err;
    if ((err = sk_store_acquisition_get(tx, j->a.notification_id, &a, d)))
        return err;
    /* someone else acted meanwhile (a resolution, another pass) */
    if (a.stage != j->a.stage || a.next_ms != j->a.next_ms)
        return SK_OK;
    char object[48];
    snprintf(object, sizeof(object), "notification:%" PRId64, a.notification_id);
    if (strcmp(j->action, "remind") == 0) {
        if ((err = remind(tx, j, &a, "reminder", d)))
            return err;
        sk_store_audit_add(tx, j->now_ms, j->actor, "identity.reminder", object, d, "stage=%s",
                           sk_acq_stage_name(a.stage));
    } else if (strcmp(j->action, "settle") == 0) {
        sk_notification_rec n;
        sk_arena *ar = sk_arena_alloc(0, 1 << 16);
        if (!ar)
            return sk_diag_set(d, SK_C_NOMEM, "identity", "out of memory");
        err = sk_store_notification_get(tx, a.notification_id, ar, &n, d);
        char reason[64];
        snprintf(reason, sizeof(reason), "the 届出 is now %s",
                 err ? "?" : sk_notification_state_name(n.state));
        sk_arena_free(ar);
        if (err)
            return err;
        if ((err = close_acq_items(tx, j, a.notification_id, "settled", reason, d)))
            return err;
        a.stage = SK_ACQ_DONE;
        a.next_ms = 0;
        sk_store_audit_add(tx, j->now_ms, j->actor, "identity.acquisition_done", object, d, "%s",
                           reason);
    } else if (strcmp(j->action, "jlis_unavailable") == 0) {
        a.attempts++;
        if (a.attempts >= j->id->opt.max_attempts) {
            /* W2: J-LIS could not be asked — ask the employer again */
            if ((err = close_acq_items(tx, j, a.notification_id, "superseded",
                                       "J-LIS unavailable; asked again", d)) ||
                (err = remind(tx, j, &a, "jlis_unavailable", d)))
                return err;
        } else {
            a.next_ms = j->now_ms + (j->id->opt.retry_ms << (a.attempts - 1));
        }
        sk_store_audit_add(tx, j->now_ms, j->actor, "identity.jlis", object, d,
                           "outcome=unavailable attempts=%d", a.attempts);
    } else if (strcmp(j->action, "jlis_review") == 0) {
        sk_work_item_rec w;
        memset(&w, 0, sizeof(w));
        char kind[32];
        snprintf(kind, sizeof(kind), "jlis_%s", j->outcome);
        if (!sk_work_kind_from_name(kind, &w.kind))
            return sk_diag_set(d, SK_C_INTERNAL, "outcome", "no work item for J-LIS outcome %s",
                               j->outcome);
        w.assignee_role = SK_ROLE_INSURER;
        snprintf(w.assignee_scope, sizeof(w.assignee_scope), "%s", a.insurer_number);
        snprintf(w.insurer_number, sizeof(w.insurer_number), "%s", a.insurer_number);
        w.person_id = a.person_id;
        w.notification_id = a.notification_id;
        snprintf(w.detail, sizeof(w.detail), "%s", j->detail ? j->detail : "{}");
        if ((err = new_item(tx, &w, j->actor, j->now_ms, d)))
            return err;
        a.stage = SK_ACQ_REVIEW;
        a.next_ms = 0;
        snprintf(a.outcome, sizeof(a.outcome), "%s", j->outcome);
        sk_store_audit_add(tx, j->now_ms, j->actor, "identity.jlis", object, d, "outcome=%s",
                           j->outcome);
    } else if (strcmp(j->action, "jlis_done") == 0) {
        if ((err = close_acq_items(tx, j, a.notification_id, "jlis_match",
                                   "My Number obtained from J-LIS on all 5情報", d)))
            return err;
        a.stage = SK_ACQ_DONE;
        a.next_ms = 0;
        snprintf(a.outcome, sizeof(a.outcome), "match");
        sk_store_audit_add(tx, j->now_ms, j->actor, "identity.jlis", object, d, "outcome=match");
    }
    a.updated_ms = j->now_ms;
    sk_store_acquisition_update(tx, &a, d);
    return sk_tx_error(tx);
}

static sk_err run_acq(sk_identity *id, const sk_acquisition_rec *a, const char *action,
                      const char *outcome, const char *detail, sk_diag *d)
{
    acq_job j = {.id = id,
                 .a = *a,
                 .action = action,
                 .outcome = outcome,
                 .detail = detail,
                 .actor = ACTOR_SCHEDULER,
                 .now_ms = now_of(id)};
    return sk_store_run(id->store, acq_step_job, &j, d);
}

typedef struct acqvec {
    sk_acquisition_rec v[64];
    size_t n;
} acqvec;

static sk_err acq_cb(void *ctx, const sk_acquisition_rec *r)
{
    acqvec *av = ctx;
    if (av->n < sizeof(av->v) / sizeof(av->v[0]))
        av->v[av->n++] = *r;
    return SK_OK;
}

/* Files the number J-LIS gave as the insurer's 個人番号登録届 (the registry checks it). */
static sk_err register_number(sk_identity *id, const sk_acquisition_rec *a, const char *pid,
                              const sk_mynumber *n, const char *label, sk_diag *d)
{
    sk_principal ins = {.id = 0, .role = SK_ROLE_INSURER};
    snprintf(ins.scope, sizeof(ins.scope), "%s", a->insurer_number);
    snprintf(ins.label, sizeof(ins.label), "%s", label);
    sk_field f[] = {{"kind", "mynumber_register"}, {"person", pid}, {"mynumber", n->digits}};
    char idem[64];
    snprintf(idem, sizeof(idem), "identity-%s-%" PRId64, label, a->notification_id);
    sk_filing in = {.fields = f, .nfields = 3, .idem_key = idem};
    sk_arena *ar = sk_arena_alloc(0, 1 << 20);
    if (!ar)
        return sk_diag_set(d, SK_C_NOMEM, "identity", "out of memory");
    sk_notification_view v;
    sk_err err = sk_registry_file(id->reg, &ins, &in, now_of(id), ar, &v, d);
    sk_arena_free(ar);
    return err;
}

/* The J-LIS step of one acquisition: 4情報 search, confirmation on all five (M6). */
static sk_err jlis_step(sk_identity *id, const sk_acquisition_rec *a, sk_identity_tick_stats *st,
                        sk_diag *d)
{
    sk_person_rec p;
    sk_tx *tx = NULL;
    sk_err err = sk_store_begin_read(id->store, &tx, d);
    if (err)
        return err;
    sk_store_person_get(tx, a->person_id, false, &p, d);
    if ((err = sk_tx_commit(tx, d)))
        return err;
    sk_ident q;
    sk_ident_of(&p.info, &q);
    sk_jlis_person c[SK_JLIS_MAX_CANDIDATES];
    size_t n = 0;
    sk_diag jd;
    sk_diag_clear(&jd);
    /* 基本4情報 (the 3 without 性別 when it is unknown); the カナ is confirmed after, so that a
     * kana difference shows as 不一致, not as 該当なし */
    unsigned items = p.info.sex == SK_SEX_MALE || p.info.sex == SK_SEX_FEMALE
                         ? SK_ITEMS_BASIC4
                         : SK_ITEMS_BASIC4 & ~SK_ITEM_SEX;
    err = sk_jlis_search(id->jlis, &q, items, c, SK_JLIS_MAX_CANDIDATES, &n, &jd);
    if (err == SK_ERR_BUSY) {
        st->jlis_unavailable++;
        return run_acq(id, a, "jlis_unavailable", NULL, NULL, d);
    }
    if (err) {
        if (d)
            *d = jd;
        return err;
    }
    sk_match only;
    memset(&only, 0, sizeof(only));
    sk_arena *ar = sk_arena_alloc(0, 1 << 20);
    if (!ar)
        return sk_diag_set(d, SK_C_NOMEM, "identity", "out of memory");
    if (n == 1) {
        sk_ident t;
        sk_jlis_person_ident(&c[0], &t);
        err = sk_match_compare(ar, &q, &t, SK_ITEMS_ALL5, c[0].twin_household, &only, d);
    }
    sk_arena_free(ar);
    if (err && err != SK_ERR_NOMEM) {
        /* texts that cannot be compared: a person has to look (never a link) */
        char detail[512];
        detail_put(json_pack("{s:s, s:s, s:s}", "person", p.pid, "outcome", "error", "error",
                             d ? d->message : ""),
                   detail, sizeof(detail));
        for (size_t i = 0; i < n && i < SK_JLIS_MAX_CANDIDATES; i++)
            sk_jlis_person_wipe(&c[i]);
        st->jlis_review++;
        return run_acq(id, a, "jlis_review", "mismatch", detail, d);
    }
    sk_jlis_outcome o = sk_match_outcome(n, &only);
    char differ[64] = "", folded[64] = "";
    sk_match_items_format(only.differ, differ, sizeof(differ));
    sk_match_items_format(only.folded, folded, sizeof(folded));
    if (!err && o == SK_JLIS_MATCH) {
        err = register_number(id, a, p.pid, &c[0].mynumber, "jlis", d);
        if (!err) {
            st->jlis_matched++;
            err = run_acq(id, a, "jlis_done", "match", NULL, d);
        } else if (d && (d->code == SK_C_MYNUMBER_TAKEN || d->code == SK_C_STATE)) {
            /* the number is another person record's, or one was filed meanwhile: a person
             * decides */
            char detail[256];
            detail_put(json_pack("{s:s, s:s, s:i, s:s}", "person", p.pid, "outcome", "match",
                                 "candidates", 1, "conflict",
                                 d->code == SK_C_STATE ? "already_has_mynumber" : "mynumber_taken"),
                       detail, sizeof(detail));
            st->jlis_review++;
            err = run_acq(id, a, "jlis_review", "mismatch", detail, d);
        }
    } else if (!err) {
        char detail[512];
        detail_put(json_pack("{s:s, s:s, s:i, s:s, s:s}", "person", p.pid, "outcome",
                             sk_jlis_outcome_name(o), "candidates", (int)n, "differ", differ,
                             "folded", folded),
                   detail, sizeof(detail));
        st->jlis_review++;
        err = run_acq(id, a, "jlis_review", sk_jlis_outcome_name(o), detail, d);
    }
    for (size_t i = 0; i < n && i < SK_JLIS_MAX_CANDIDATES; i++)
        sk_jlis_person_wipe(&c[i]);
    return err;
}

static void item_failed(sk_identity_tick_stats *st, const char *what, const sk_acquisition_rec *a,
                        const sk_diag *d)
{
    st->failed++;
    sk_log(SK_LOG_ERROR, "identity: %s for 届出 %" PRId64 " failed: %s: %s", what,
           a->notification_id, d ? d->field : "", d ? d->message : "");
}

typedef struct recheck_job {
    sk_identity *id;
    int64_t person_id;
    char verdict[16];
} recheck_job;

static sk_err recheck_fn(sk_tx *tx, void *ctx, sk_diag *d)
{
    recheck_job *r = ctx;
    return sk_identity_check_person(r->id, tx, r->person_id, "recheck", ACTOR_SCHEDULER,
                                    now_of(r->id), r->verdict, d);
}

typedef struct check_job {
    sk_identity *id;
    int64_t person_id;
    const char *trigger, *actor;
    int64_t now_ms;
    char verdict[16];
} check_job;

static sk_err check_fn(sk_tx *tx, void *ctx, sk_diag *d)
{
    check_job *c = ctx;
    return sk_identity_check_person(c->id, tx, c->person_id, c->trigger, c->actor, c->now_ms,
                                    c->verdict, d);
}

sk_err sk_identity_check_all(sk_identity *id, const char *trigger, const char *actor,
                             sk_identity_recheck_stats *st, sk_diag *d)
{
    enum { BATCH = 256 };
    memset(st, 0, sizeof(*st));
    check_job *cj = calloc(BATCH, sizeof(*cj));
    sk_store_job *sj = calloc(BATCH, sizeof(*sj));
    sk_err err = SK_OK;
    if (!cj || !sj) {
        err = sk_diag_set(d, SK_C_NOMEM, "identity", "out of memory");
        goto out;
    }
    int64_t after = 0;
    for (;;) {
        size_t n = 0;
        sk_tx *tx = NULL;
        if ((err = sk_store_begin_read(id->store, &tx, d)))
            goto out;
        sk_person_rec p;
        while (n < BATCH && sk_store_person_next(tx, after, false, &p, d) == SK_OK) {
            after = p.id;
            if (!p.has_mynumber)
                continue;
            cj[n] = (check_job){.id = id,
                                .person_id = p.id,
                                .trigger = trigger,
                                .actor = actor,
                                .now_ms = now_of(id)};
            sj[n] = (sk_store_job){.fn = check_fn, .ctx = &cj[n]};
            n++;
        }
        if ((err = sk_tx_commit(tx, d)))
            goto out;
        if (n == 0)
            break;
        sk_store_run_many(id->store, sj, n);
        for (size_t i = 0; i < n; i++) {
            if (sj[i].err) {
                if (d)
                    *d = sj[i].diag;
                err = sj[i].err;
                goto out;
            }
            st->persons++;
            const char *v = cj[i].verdict;
            st->match += strcmp(v, "match") == 0;
            st->mismatch_high += strcmp(v, "mismatch_high") == 0;
            st->mismatch_low += strcmp(v, "mismatch_low") == 0;
            st->not_found += strcmp(v, "not_found") == 0;
            st->pending += strcmp(v, "pending") == 0;
        }
    }
out:
    free(cj);
    free(sj);
    return err;
}

sk_err sk_identity_tick(sk_identity *id, sk_identity_tick_stats *st, sk_diag *d)
{
    sk_identity_tick_stats local;
    if (!st)
        st = &local;
    memset(st, 0, sizeof(*st));
    if (!id->jlis)
        return sk_diag_set(d, SK_C_JLIS_UNAVAILABLE, "jlis", "no resident register is configured");
    int64_t added = 0;
    void *seed_ctx[2] = {id, &added};
    sk_err err = sk_store_run(id->store, seed_job, seed_ctx, d);
    if (err)
        return err;
    st->seeded = (int)added;

    /* 1. acquisitions whose 届出 no longer waits */
    acqvec av = {.n = 0};
    sk_tx *tx = NULL;
    if ((err = sk_store_begin_read(id->store, &tx, d)))
        return err;
    sk_store_acquisition_settled(tx, 64, acq_cb, &av, d);
    if ((err = sk_tx_commit(tx, d)))
        return err;
    for (size_t i = 0; i < av.n; i++) {
        if ((err = run_acq(id, &av.v[i], "settle", NULL, NULL, d)))
            item_failed(st, "settling", &av.v[i], d);
        else
            st->settled++;
    }
    /* 2. due: reminders and J-LIS look-ups */
    av.n = 0;
    if ((err = sk_store_begin_read(id->store, &tx, d)))
        return err;
    sk_store_acquisition_due(tx, now_of(id), 64, acq_cb, &av, d);
    if ((err = sk_tx_commit(tx, d)))
        return err;
    for (size_t i = 0; i < av.n; i++) {
        if (av.v[i].stage == SK_ACQ_REQUESTED) {
            err = run_acq(id, &av.v[i], "remind", NULL, NULL, d);
            st->reminders += !err;
        } else {
            err = jlis_step(id, &av.v[i], st, d);
        }
        if (err) /* one bad record must not hold up the others: logged, retried next pass */
            item_failed(st,
                        av.v[i].stage == SK_ACQ_REQUESTED ? "the reminder" : "the J-LIS look-up",
                        &av.v[i], d);
    }
    /* 3. checks that could not reach J-LIS */
    itemvec iv = {.n = 0};
    if ((err = sk_store_begin_read(id->store, &tx, d)))
        return err;
    sk_work_item_filter f = {.state = SK_WORK_OPEN, .kind = SK_WORK_CHECK_RETRY, .limit = 16};
    sk_store_work_item_list(tx, &f, item_cb, &iv, d);
    if ((err = sk_tx_commit(tx, d)))
        return err;
    for (size_t i = 0; i < iv.n; i++) {
        recheck_job r = {.id = id, .person_id = iv.v[i].person_id};
        if ((err = sk_store_run(id->store, recheck_fn, &r, d))) {
            st->failed++;
            sk_log(SK_LOG_ERROR, "identity: the recheck of work item %" PRId64 " failed: %s: %s",
                   iv.v[i].id, d ? d->field : "", d ? d->message : "");
            continue;
        }
        st->rechecked += strcmp(r.verdict, sk_verdict_name(SK_VERDICT_PENDING)) != 0;
    }
    return SK_OK;
}

/* ---------------- the scheduler thread ---------------- */

static void *scheduler_main(void *arg)
{
    sk_identity *id = arg;
    pthread_mutex_lock(&id->mu);
    while (!id->stop) {
        bool reload = id->reload;
        id->reload = false;
        pthread_mutex_unlock(&id->mu);
        sk_diag d;
        sk_diag_clear(&d);
        if (reload) {
            size_t n = 0;
            if (sk_identity_reload(id, &n, &d))
                sk_log(SK_LOG_ERROR,
                       "identity: resident register not reloaded (%s: %s); the old one "
                       "stays",
                       d.field, d.message);
            else
                sk_log(SK_LOG_INFO, "identity: resident register reloaded, %zu residents", n);
        } else if (id->jlis && sk_jlis_health(id->jlis, &d) == SK_ERR_BUSY) {
            /* never read (J-LIS unavailable since the start): asked again at every pass */
            size_t n = 0;
            sk_diag_clear(&d);
            if (sk_identity_reload(id, &n, &d) == SK_OK)
                sk_log(SK_LOG_INFO,
                       "identity: resident register read, %zu residents: J-LIS "
                       "is available",
                       n);
        }
        sk_diag_clear(&d);
        sk_identity_tick_stats st;
        if (sk_identity_tick(id, &st, &d))
            sk_log(SK_LOG_ERROR, "identity: scheduler pass failed: %s: %s", d.field, d.message);
        else if (st.seeded || st.reminders || st.jlis_matched || st.jlis_review ||
                 st.jlis_unavailable || st.settled || st.rechecked || st.failed)
            sk_log(SK_LOG_INFO,
                   "identity: %d new waiting, %d reminders, J-LIS %d matched / %d to review "
                   "/ %d unavailable, %d settled, %d rechecked, %d failed",
                   st.seeded, st.reminders, st.jlis_matched, st.jlis_review, st.jlis_unavailable,
                   st.settled, st.rechecked, st.failed);
        pthread_mutex_lock(&id->mu);
        if (id->stop || id->reload)
            continue;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        int64_t ns = ts.tv_nsec + (id->interval_ms % 1000) * 1000000LL;
        ts.tv_sec += (time_t)(id->interval_ms / 1000 + ns / 1000000000LL);
        ts.tv_nsec = (long)(ns % 1000000000LL);
        pthread_cond_timedwait(&id->cv, &id->mu, &ts);
    }
    pthread_mutex_unlock(&id->mu);
    return NULL;
}

sk_err sk_identity_start(sk_identity *id, int64_t interval_ms, sk_diag *d)
{
    if (id->running)
        return SK_OK;
    id->interval_ms = interval_ms > 0 ? interval_ms : 60000;
    id->stop = false;
    if (pthread_create(&id->thread, NULL, scheduler_main, id) != 0)
        return sk_diag_set(d, SK_C_INTERNAL, "identity", "cannot start the scheduler thread");
    pthread_setname_np(id->thread, "sk-identity");
    id->running = true;
    return SK_OK;
}

void sk_identity_stop(sk_identity *id)
{
    if (!id->running)
        return;
    pthread_mutex_lock(&id->mu);
    id->stop = true;
    pthread_cond_signal(&id->cv);
    pthread_mutex_unlock(&id->mu);
    pthread_join(id->thread, NULL);
    id->running = false;
}

void sk_identity_request_reload(sk_identity *id)
{
    pthread_mutex_lock(&id->mu);
    id->reload = true;
    pthread_cond_signal(&id->cv);
    pthread_mutex_unlock(&id->mu);
}

sk_err sk_identity_health(sk_identity *id, sk_diag *d)
{
    return id && id->jlis ? sk_jlis_health(id->jlis, d) : SK_OK;
}

sk_err sk_identity_reload(sk_identity *id, size_t *residents, sk_diag *d)
{
    if (!id->jlis)
        return sk_diag_set(d, SK_C_JLIS_FILE, "identity.jlis_file",
                           "no resident register is configured");
    sk_err err = sk_jlis_reload(id->jlis, d);
    if (!err && residents)
        *residents = sk_jlis_count(id->jlis);
    return err;
}

/* ---------------- work items ---------------- */

static bool may_see(const sk_principal *who, const sk_work_item_rec *w)
{
    if (who->role == SK_ROLE_OPERATOR)
        return true;
    return w->assignee_role == who->role && strcmp(w->assignee_scope, who->scope) == 0;
}

static bool is_assignee(const sk_principal *who, const sk_work_item_rec *w)
{
    return w->assignee_role == who->role &&
           strcmp(w->assignee_scope, who->role == SK_ROLE_OPERATOR ? "" : who->scope) == 0;
}

sk_err sk_identity_work_item_list(sk_identity *id, const sk_principal *who, const char *state,
                                  const char *kind, int64_t after_id, int limit, sk_work_item_cb cb,
                                  void *ctx, sk_diag *d)
{
    if (who->role != SK_ROLE_OPERATOR && who->role != SK_ROLE_INSURER &&
        who->role != SK_ROLE_EMPLOYER)
        return sk_diag_set(d, SK_C_FORBIDDEN, "",
                           "work items are for insurers, employers and "
                           "the operator");
    sk_work_item_filter f = {.after_id = after_id,
                             .limit = limit > 0 && limit <= 500 ? limit : 100};
    if (state && !sk_work_state_from_name(state, &f.state))
        return sk_diag_set(d, SK_C_QUERY, "state", "state is open or resolved");
    if (kind && !sk_work_kind_from_name(kind, &f.kind))
        return sk_diag_set(d, SK_C_QUERY, "kind",
                           "kind is one of mynumber_reminder, jlis_mismatch, jlis_none, "
                           "jlis_multiple, check_mismatch, check_retry, report, report_stop");
    if (who->role != SK_ROLE_OPERATOR) {
        f.assignee_role = who->role;
        f.assignee_scope = who->scope;
    }
    sk_tx *tx = NULL;
    sk_err err = sk_store_begin_read(id->store, &tx, d);
    if (err)
        return err;
    sk_store_work_item_list(tx, &f, cb, ctx, d);
    return sk_tx_commit(tx, d);
}

sk_err sk_identity_work_item_get(sk_identity *id, const sk_principal *who, int64_t wid,
                                 sk_work_item_rec *out, sk_diag *d)
{
    sk_tx *tx = NULL;
    sk_err err = sk_store_begin_read(id->store, &tx, d);
    if (err)
        return err;
    err = sk_store_work_item_get(tx, wid, out, d);
    sk_tx_rollback(tx);
    if (err == SK_ERR_NOTFOUND || (!err && !may_see(who, out)))
        return sk_diag_set(d, SK_C_NOT_FOUND, "id", "no such work item");
    return err;
}

typedef struct resolve_job {
    sk_identity *id;
    const sk_principal *who;
    int64_t wid;
    const sk_resolution *r;
    char actor[64];
    int64_t now_ms;
    sk_work_item_rec *out;

} resolve_job;

const char *sk_identity_resolutions(sk_work_kind kind)
{
    switch (kind) {
    case SK_WORK_MYNUMBER_REMINDER:
        return "cannot_obtain";
    case SK_WORK_JLIS_MISMATCH:
    case SK_WORK_JLIS_NONE:
    case SK_WORK_JLIS_MULTIPLE:
        return "mynumber_set ask_again reject";
    case SK_WORK_CHECK_MISMATCH:
        return "no_suspicion";
    case SK_WORK_CHECK_RETRY:
        return "recheck";
    case SK_WORK_REPORT:
        return "stop dismiss";
    case SK_WORK_REPORT_STOP:
        return "corrected no_suspicion";
    }
    return "";
}

static sk_err resolve_fn(sk_tx *tx, void *ctx, sk_diag *d)
{
    resolve_job *j = ctx;
    const sk_resolution *r = j->r;
    sk_work_item_rec w;
    sk_err err = sk_store_work_item_get(tx, j->wid, &w, d);
    if (err == SK_ERR_NOTFOUND || (!err && !may_see(j->who, &w)))
        return sk_diag_set(d, SK_C_NOT_FOUND, "id", "no such work item");
    if (err)
        return err;
    if (!is_assignee(j->who, &w))
        return sk_diag_set(d, SK_C_FORBIDDEN, "id", "only the item's assignee (%s) resolves it",
                           sk_role_name(w.assignee_role));
    if (w.state != SK_WORK_OPEN)
        return sk_diag_set(d, SK_C_STATE, "id", "the work item is already resolved (%s)",
                           w.resolution);
    const char *res = r->resolution;
    if (!sk_word_in(sk_identity_resolutions(w.kind), res))
        return sk_diag_set(d, SK_C_RESOLUTION, "resolution",
                           "a %s item is resolved with one of: %s", sk_work_kind_name(w.kind),
                           sk_identity_resolutions(w.kind));
    const char *reason = r->reason ? r->reason : "";
    if (w.kind == SK_WORK_CHECK_MISMATCH && w.risk == SK_RISK_HIGH && !r->documents_verified)
        return sk_diag_set(d, SK_C_DOCUMENTS_REQUIRED, "documents_verified",
                           "a 生年月日/性別 (high-risk) mismatch is cleared only after checking "
                           "documents");
    sk_acquisition_rec a;
    bool has_acq =
        w.notification_id && sk_store_acquisition_get(tx, w.notification_id, &a, d) == SK_OK;
    if (sk_tx_error(tx))
        return sk_tx_error(tx);
    char object[48];
    snprintf(object, sizeof(object), "notification:%" PRId64, w.notification_id);

    if (strcmp(res, "cannot_obtain") == 0) {
        /* the employer cannot get the number: ask J-LIS at the next pass */
        if (has_acq && a.stage != SK_ACQ_DONE && a.stage != SK_ACQ_REVIEW) {
            a.stage = SK_ACQ_REMINDED;
            a.next_ms = j->now_ms;
            a.updated_ms = j->now_ms;
            sk_store_acquisition_update(tx, &a, d);
        }
    } else if (strcmp(res, "ask_again") == 0) {
        if (has_acq) {
            acq_job aj = {.id = j->id, .actor = j->actor, .now_ms = j->now_ms};
            if ((err = remind(tx, &aj, &a, "asked_again", d)))
                return err;
            a.updated_ms = j->now_ms;
            sk_store_acquisition_update(tx, &a, d);
            sk_store_audit_add(tx, j->now_ms, j->actor, "identity.reminder", object, d,
                               "stage=reminded why=asked_again");
        }
    } else if (strcmp(res, "no_suspicion") == 0 || strcmp(res, "corrected") == 0) {
        sk_stop_cause cause = w.kind == SK_WORK_CHECK_MISMATCH ? SK_STOP_CHECK : SK_STOP_REPORT;
        qvec qv = {0};
        if ((err = registered_quals(tx, w.person_id, &qv, d))) {
            free(qv.v);
            return err;
        }
        int closed = 0;
        for (size_t i = 0; !err && i < qv.n; i++)
            if (strcmp(qv.v[i].insurer_number, w.insurer_number) == 0)
                err = close_stops(tx, qv.v[i].id, cause, w.id, j->actor, res, reason, j->now_ms,
                                  &closed, d);
        free(qv.v);
        if (err)
            return err;
    } else if (strcmp(res, "stop") == 0) {
        /* W12: the operator stops display at once; the insurer investigates */
        sk_work_item_rec s;
        memset(&s, 0, sizeof(s));
        s.kind = SK_WORK_REPORT_STOP;
        s.assignee_role = SK_ROLE_INSURER;
        snprintf(s.assignee_scope, sizeof(s.assignee_scope), "%s", w.insurer_number);
        snprintf(s.insurer_number, sizeof(s.insurer_number), "%s", w.insurer_number);
        s.person_id = w.person_id;
        s.qualification_id = w.qualification_id;
        snprintf(s.detail, sizeof(s.detail), "%s", w.detail);
        if ((err = new_item(tx, &s, j->actor, j->now_ms, d)) ||
            (err = report_stop(tx, w.qualification_id, s.id, j->actor, j->now_ms, d)))
            return err;
    }
    /* dismiss, recheck (the retry runs below), mynumber_set (filed before this job) */
    if ((err = close_item(tx, &w, j->actor, res, reason, j->now_ms, d)))
        return err;
    if (strcmp(res, "recheck") == 0) {
        char verdict[16];
        if ((err = sk_identity_check_person(j->id, tx, w.person_id, "recheck", j->actor, j->now_ms,
                                            verdict, d)))
            return err;
    }
    *j->out = w;
    return sk_tx_error(tx);
}

sk_err sk_identity_work_item_resolve(sk_identity *id, const sk_principal *who, int64_t wid,
                                     const sk_resolution *r, sk_work_item_rec *out, sk_diag *d)
{
    if (!r->resolution || !*r->resolution)
        return sk_diag_set(d, SK_C_REQUIRED, "resolution", "resolution is required");
    bool needs_reason =
        strcmp(r->resolution, "mynumber_set") != 0 && strcmp(r->resolution, "recheck") != 0;
    if (r->reason && *r->reason) {
        sk_err err = sk_text_check(r->reason, strlen(r->reason), REASON_MAX, "reason", d);
        if (err)
            return err;
        if (has_12_digits(r->reason)) /* free text must not carry a My Number */
            return sk_diag_set(d, SK_C_BAD_CHAR, "reason",
                               "a reason must not contain a 12-digit number");
    } else if (needs_reason) {
        return sk_diag_set(d, SK_C_REQUIRED, "reason",
                           "a reason is required (it is kept with the resolution)");
    }
    resolve_job j = {.id = id, .who = who, .wid = wid, .r = r, .now_ms = now_of(id), .out = out};
    if (who->id)
        snprintf(j.actor, sizeof(j.actor), "principal:%" PRId64, who->id);
    else
        snprintf(j.actor, sizeof(j.actor), "%.60s", who->label[0] ? who->label : "cli");
    bool outside =
        strcmp(r->resolution, "mynumber_set") == 0 || strcmp(r->resolution, "reject") == 0;
    sk_work_item_rec w;
    if (outside) {
        /* these act through the registry first (its own transaction and rules); the item is
         * closed after — should that fail, the settling pass closes it */
        sk_err err = sk_identity_work_item_get(id, who, wid, &w, d);
        if (err)
            return err;
        if (!is_assignee(who, &w))
            return sk_diag_set(d, SK_C_FORBIDDEN, "id", "only the item's assignee (%s) resolves it",
                               sk_role_name(w.assignee_role));
        if (!sk_word_in(sk_identity_resolutions(w.kind), r->resolution))
            return sk_diag_set(d, SK_C_RESOLUTION, "resolution",
                               "a %s item is resolved with one of: %s", sk_work_kind_name(w.kind),
                               sk_identity_resolutions(w.kind));
        if (w.state != SK_WORK_OPEN)
            return sk_diag_set(d, SK_C_STATE, "id", "the work item is already resolved (%s)",
                               w.resolution);
    }
    if (strcmp(r->resolution, "reject") == 0) {
        sk_arena *ar = sk_arena_alloc(0, 1 << 20);
        if (!ar)
            return sk_diag_set(d, SK_C_NOMEM, "identity", "out of memory");
        sk_notification_view v;
        sk_err err =
            sk_registry_reject(id->reg, who, w.notification_id, r->reason, j.now_ms, ar, &v, d);
        sk_arena_free(ar);
        if (err)
            return err;
    }
    if (strcmp(r->resolution, "mynumber_set") == 0) {
        /* the insurer files the number it confirmed; the registry checks it like any other
         * and the 誤入力チェック runs on it */
        sk_err err;
        if (!r->mynumber || !*r->mynumber)
            return sk_diag_set(d, SK_C_REQUIRED, "mynumber", "mynumber is required");
        sk_mynumber n;
        if ((err = sk_mynumber_parse(r->mynumber, strlen(r->mynumber), &n, "mynumber", d)))
            return err;
        sk_person_rec p;
        sk_tx *tx = NULL;
        if ((err = sk_store_begin_read(id->store, &tx, d)))
            return err;
        sk_store_person_get(tx, w.person_id, false, &p, d);
        if ((err = sk_tx_commit(tx, d)))
            return err;
        sk_acquisition_rec a = {.notification_id = w.notification_id};
        snprintf(a.insurer_number, sizeof(a.insurer_number), "%s", w.insurer_number);
        err = register_number(id, &a, p.pid, &n, "insurer", d);
        sk_mynumber_wipe(&n);
        if (err)
            return err;
    }
    return sk_store_run(id->store, resolve_fn, &j, d);
}

/* ---------------- reports (W12) ---------------- */

typedef struct report_job {
    sk_identity *id;
    const sk_principal *who;
    const sk_report *r;
    char insurer[9];
    char actor[64];
    int64_t now_ms;
    sk_work_item_rec *out;
} report_job;

typedef struct keyscan {
    sk_qualification_rec q;
    int n;
    int64_t persons[2];
} keyscan;

static sk_err key_cb(void *ctx, const sk_qualification_rec *q)
{
    keyscan *k = ctx;
    if (!q->registered_ms)
        return SK_OK;
    if (k->n == 0 || q->person_id != k->persons[0]) {
        if (k->n < 2)
            k->persons[k->n] = q->person_id;
        k->n++;
    }
    k->q = *q; /* the latest of the key */
    return SK_OK;
}

static sk_err report_fn(sk_tx *tx, void *ctx, sk_diag *d)
{
    report_job *j = ctx;
    const sk_report *r = j->r;
    keyscan ks;
    memset(&ks, 0, sizeof(ks));
    const char *branch = r->branch && *r->branch ? r->branch : NULL;
    if (sk_store_qualification_find_by_key(tx, j->insurer, r->symbol ? r->symbol : "", r->number,
                                           branch, key_cb, &ks, d))
        return sk_tx_error(tx);
    if (ks.n == 0)
        return sk_diag_set(d, SK_C_NOT_FOUND, "number",
                           "no registered qualification with this 記号・番号");
    if (ks.n > 1)
        return sk_diag_set(d, SK_C_KEY_AMBIGUOUS, "branch",
                           "the 記号・番号 belong to several persons; give the 枝番");
    sk_person_rec p;
    sk_err err = sk_store_person_get(tx, ks.q.person_id, false, &p, d);
    if (err)
        return err;
    /* a person reports only about their own qualification; another's is answered as one
     * that does not exist, so that a report never tells whether a 記号・番号 is in use */
    if (j->who->role == SK_ROLE_PERSON && strcmp(j->who->scope, p.pid) != 0)
        return sk_diag_set(d, SK_C_NOT_FOUND, "number",
                           "no registered qualification with this 記号・番号");
    sk_work_item_rec w;
    memset(&w, 0, sizeof(w));
    w.kind = SK_WORK_REPORT;
    w.assignee_role = SK_ROLE_OPERATOR;
    snprintf(w.insurer_number, sizeof(w.insurer_number), "%s", ks.q.insurer_number);
    w.person_id = p.id;
    w.qualification_id = ks.q.id;
    detail_put(json_pack("{s:s, s:s, s:s, s:s}", "reporter", sk_role_name(j->who->role),
                         "reporter_scope", j->who->role == SK_ROLE_PERSON ? "" : j->who->scope,
                         "person", p.pid, "text", r->text ? r->text : ""),
               w.detail, sizeof(w.detail));
    if ((err = new_item(tx, &w, j->actor, j->now_ms, d)))
        return err;
    char object[48];
    snprintf(object, sizeof(object), "person:%s", p.pid);
    sk_store_audit_add(tx, j->now_ms, j->actor, "identity.report", object, d,
                       "work_item=%" PRId64 " reporter=%s", w.id, sk_role_name(j->who->role));
    *j->out = w;
    return sk_tx_error(tx);
}

sk_err sk_identity_report(sk_identity *id, const sk_principal *who, const sk_report *r,
                          sk_work_item_rec *out, sk_diag *d)
{
    if (who->role != SK_ROLE_INSTITUTION && who->role != SK_ROLE_PERSON &&
        who->role != SK_ROLE_OPERATOR)
        return sk_diag_set(d, SK_C_FORBIDDEN, "",
                           "reports come from an institution, the insured person or the operator");
    report_job j = {.id = id, .who = who, .r = r, .now_ms = now_of(id), .out = out};
    sk_insurer_number ins;
    sk_err err;
    if (!r->insurer_number || !*r->insurer_number)
        return sk_diag_set(d, SK_C_REQUIRED, "insurer_number", "insurer_number is required");
    if ((err = sk_insurer_number_parse(r->insurer_number, strlen(r->insurer_number), &ins,
                                       "insurer_number", d)))
        return err;
    snprintf(j.insurer, sizeof(j.insurer), "%s", ins.digits);
    if (!r->number || !*r->number)
        return sk_diag_set(d, SK_C_REQUIRED, "number", "number is required");
    sk_cardkey key;
    if ((err = sk_cardkey_make(r->symbol ? r->symbol : "", r->symbol ? strlen(r->symbol) : 0,
                               r->number, strlen(r->number), r->branch ? r->branch : "",
                               r->branch ? strlen(r->branch) : 0, &key, d)))
        return err;
    if (!r->text || !*r->text)
        return sk_diag_set(d, SK_C_REQUIRED, "text", "say what was shown (text)");
    if ((err = sk_text_check(r->text, strlen(r->text), REASON_MAX, "text", d)))
        return err;
    if (has_12_digits(r->text)) /* free text must not carry a My Number */
        return sk_diag_set(d, SK_C_BAD_CHAR, "text", "the text must not contain a 12-digit number");
    if (who->id)
        snprintf(j.actor, sizeof(j.actor), "principal:%" PRId64, who->id);
    else
        snprintf(j.actor, sizeof(j.actor), "%.60s", who->label[0] ? who->label : "cli");
    return sk_store_run(id->store, report_fn, &j, d);
}
