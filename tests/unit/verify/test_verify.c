/* test_verify.c — the eligibility look-up over a generated registry: every registered member
 * is found by card key and birth date, a wrong birth date shows nothing, 閲覧停止 shows
 * nothing, only institutions may ask, and no rendered answer contains any person's My Number
 * (nor any run of 12 digits at all). */
#include "support.h"

#include <ctype.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "demo/demo.h"
#include "verify/verify.h"

#define NOW_MS 1795226400000LL /* 2026-11-21 02:00 UTC = 11:00 JST */
#define MAX_Q  4096

typedef struct world {
    char *dir;
    sk_store *s;
    sk_qualification_rec *q;
    size_t nq;
    char (*numbers)[SK_MYNUMBER_LEN + 1];
    size_t nnum;
} world;

static sk_err collect(void *ctx, const sk_qualification_rec *r)
{
    world *w = ctx;
    if (w->nq < MAX_Q)
        w->q[w->nq++] = *r;
    return SK_OK;
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof(*w));
    w->dir = sk_test_tmpdir();
    char db[4200];
    snprintf(db, sizeof(db), "%s/v.db", w->dir);
    sk_store_options o = {.dsn = db};
    sk_diag d;
    sk_demo_options dopt = {.persons = 400, .seed = 7, .now_ms = NOW_MS};
    sk_demo_result dr;
    sk_registry *reg = NULL;
    bool ok = !sk_store_create(&o, &d) && !sk_store_open(&o, &w->s, &d) &&
              !sk_registry_open(w->s, &reg, &d) && !sk_demo_seed(reg, &dopt, &dr, &d);
    sk_registry_free(reg);
    if (!ok) {
        fprintf(stderr, "setup: %s\n", d.message);
        return -1;
    }
    w->q = calloc(MAX_Q, sizeof(*w->q));
    w->numbers = calloc(MAX_Q, sizeof(*w->numbers));
    static const char *const insurers[] = {"01130012", "06130017", "31130016",
                                           "131011",   "133017",   "39130018"};
    sk_tx *tx;
    assert_int_equal(sk_store_begin_read(w->s, &tx, &d), SK_OK);
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(sk_store_qualification_list_by_insurer(tx, insurers[i], D(2026, 11, 21), 0,
                                                                10000, collect, w, &d),
                         SK_OK);
    for (size_t i = 0; i < w->nq; i++) {
        sk_person_rec p;
        assert_int_equal(sk_store_person_get(tx, w->q[i].person_id, true, &p, &d), SK_OK);
        if (p.has_mynumber)
            memcpy(w->numbers[w->nnum++], p.mynumber.digits, SK_MYNUMBER_LEN);
        sk_mynumber_wipe(&p.mynumber);
    }
    sk_tx_rollback(tx);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    sk_store_close(w->s);
    sk_test_rmtree(w->dir);
    free(w->dir);
    free(w->q);
    free(w->numbers);
    free(w);
    return 0;
}

static const sk_principal clinic = {.id = 1, .role = SK_ROLE_INSTITUTION, .scope = "0110113719"};

static sk_verify_query query_for(const sk_qualification_rec *q, sk_date birth)
{
    sk_verify_query qy;
    memset(&qy, 0, sizeof(qy));
    sk_diag d;
    assert_int_equal(
        sk_insurer_number_parse(q->insurer_number, strlen(q->insurer_number), &qy.insurer, "", &d),
        SK_OK);
    qy.key = q->key;
    qy.birthdate = birth;
    qy.on = D(2026, 11, 21);
    qy.limit_consent = true;
    return qy;
}

static bool has_12_digit_run(const char *s)
{
    int run = 0;
    for (; *s; s++) {
        run = isdigit((unsigned char)*s) ? run + 1 : 0;
        if (run >= 12)
            return true;
    }
    return false;
}

static void test_every_member_found_and_no_my_number(void **state)
{
    world *w = *state;
    assert_true(w->nq > 300);
    assert_true(w->nnum > 300);
    static sk_verify_answer a;
    size_t valid = 0;
    for (size_t i = 0; i < w->nq; i++) {
        sk_tx *tx;
        sk_diag d;
        sk_person_rec p;
        assert_int_equal(sk_store_begin_read(w->s, &tx, &d), SK_OK);
        assert_int_equal(sk_store_person_get(tx, w->q[i].person_id, false, &p, &d), SK_OK);
        sk_tx_rollback(tx);
        sk_verify_query qy = query_for(&w->q[i], p.info.birthdate);
        assert_int_equal(sk_verify_lookup(w->s, NULL, &clinic, &qy, &a, &d), SK_OK);
        if (!w->q[i].registered_ms) {
            assert_int_equal(a.validity, SK_VALIDITY_NONE); /* waiting for its My Number */
            continue;
        }
        assert_false(a.stopped);
        assert_int_equal(a.validity, SK_VALIDITY_VALID);
        assert_int_equal(a.n, 1);
        assert_string_equal(a.rec[0].key.number, w->q[i].key.number);
        assert_int_equal(sk_date_cmp(a.rec[0].birthdate, p.info.birthdate), 0);
        valid++;
        sk_buf b;
        sk_buf_init(&b, 1 << 20);
        assert_int_equal(sk_verify_answer_json_write(&a, &b), SK_OK);
        const char *text = sk_buf_cstr(&b);
        json_error_t je; /* well-formed JSON */
        json_t *j = json_loads(text, 0, &je);
        if (!j)
            fail_msg("answer is not JSON: %s: %s", je.text, text);
        json_decref(j);
        assert_false(has_12_digit_run(text));
        for (size_t k = 0; k < w->nnum; k++)
            if (strstr(text, w->numbers[k]))
                fail_msg("answer for %s contains a My Number", w->q[i].key.number);
        sk_buf_deinit(&b);
    }
    assert_true(valid > 300);
}

static void test_wrong_birthdate_and_roles(void **state)
{
    world *w = *state;
    static sk_verify_answer a;
    sk_diag d;
    const sk_qualification_rec *q = &w->q[0];
    sk_verify_query qy = query_for(q, D(1901, 1, 1));
    assert_int_equal(sk_verify_lookup(w->s, NULL, &clinic, &qy, &a, &d), SK_OK);
    assert_int_equal(a.validity, SK_VALIDITY_NONE);
    assert_int_equal(a.n, 0);
    sk_principal insurer = {.id = 2, .role = SK_ROLE_INSURER, .scope = "01130012"};
    assert_int_equal(sk_verify_lookup(w->s, NULL, &insurer, &qy, &a, &d), SK_ERR_PERM);
    assert_string_equal(sk_code_name(d.code), "forbidden");
}

static void test_display_stopped(void **state)
{
    world *w = *state;
    static sk_verify_answer a;
    sk_diag d;
    sk_qualification_rec q = w->q[1];
    sk_tx *tx;
    sk_person_rec p;
    assert_int_equal(sk_store_begin(w->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_person_get(tx, q.person_id, false, &p, &d), SK_OK);
    q.display_stopped = true;
    sk_store_qualification_update(tx, &q, &d);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);
    sk_verify_query qy = query_for(&q, p.info.birthdate);
    assert_int_equal(sk_verify_lookup(w->s, NULL, &clinic, &qy, &a, &d), SK_OK);
    assert_true(a.stopped);
    assert_int_equal(a.n, 0);
}

static sk_err keep_last(void *ctx, const sk_audit_rec *r)
{
    *(sk_audit_rec *)ctx = *r;
    return SK_OK;
}

static uint64_t written(sk_lookup_audit *la)
{
    sk_lookup_audit_stats st;
    sk_lookup_audit_stats_get(la, &st);
    return st.written;
}

/* The look-up rows in order; a row that shows persons must name the one looked up. */
typedef struct {
    char (*pids)[SK_PID_LEN + 1];
    size_t n, seen, showing, named;
} pid_check;

static sk_err check_pid(void *ctx, const sk_audit_rec *r)
{
    pid_check *c = ctx;
    if (strcmp(r->action, "eligibility.lookup") != 0 || c->seen >= c->n)
        return SK_OK;
    const char *persons = strstr(r->detail, " persons="); /* none when none was shown */
    c->showing += persons != NULL;
    c->named += persons && strstr(persons, c->pids[c->seen]);
    c->seen++;
    return SK_OK;
}

/* Every look-up through an audit becomes a chained row within the flush interval; the row
 * names the institution and the persons shown (their public ids whole: 32 hex characters hold
 * a run of 12 digits in about 3 % of ids, which the My Number scrubbing once masked), never
 * the whole card number. */
static void test_lookups_are_audited(void **state)
{
    world *w = *state;
    static sk_verify_answer a;
    sk_diag d;
    sk_clock *clock = sk_clock_manual_alloc(NOW_MS);
    sk_lookup_audit *la;
    assert_int_equal(
        sk_lookup_audit_start(w->s, clock, &(sk_lookup_audit_options){.flush_ms = 20}, &la, &d),
        SK_OK);
    int64_t bad0, rows0;
    assert_int_equal(sk_store_audit_verify(w->s, &bad0, &rows0, &d), SK_OK);
    size_t n = w->nq < 100 ? w->nq : 100;
    static char pids[100][SK_PID_LEN + 1];
    for (size_t i = 0; i < n; i++) {
        sk_tx *tx;
        sk_person_rec p;
        assert_int_equal(sk_store_begin_read(w->s, &tx, &d), SK_OK);
        assert_int_equal(sk_store_person_get(tx, w->q[i].person_id, false, &p, &d), SK_OK);
        sk_tx_rollback(tx);
        memcpy(pids[i], p.pid, sizeof(pids[i]));
        sk_verify_query qy = query_for(&w->q[i], p.info.birthdate);
        assert_int_equal(sk_verify_lookup(w->s, la, &clinic, &qy, &a, &d), SK_OK);
    }
    assert_int_equal(sk_lookup_audit_sync(la, &d), SK_OK);
    assert_int_equal(written(la), n);
    sk_lookup_audit_stop(la);
    sk_clock_free(clock);
    int64_t bad, rows;
    assert_int_equal(sk_store_audit_verify(w->s, &bad, &rows, &d), SK_OK);
    assert_int_equal(bad, 0);
    assert_int_equal(rows, rows0 + (int64_t)n);
    /* the last row is the last look-up */
    sk_tx *tx;
    assert_int_equal(sk_store_begin_read(w->s, &tx, &d), SK_OK);
    sk_audit_rec last;
    assert_int_equal(sk_store_audit_list(tx, keep_last, &last, &d), SK_OK);
    pid_check pc = {.pids = pids, .n = n};
    assert_int_equal(sk_store_audit_list(tx, check_pid, &pc, &d), SK_OK);
    sk_tx_rollback(tx);
    assert_int_equal(pc.seen, n);
    assert_true(pc.showing > n / 2);
    assert_int_equal(pc.named, pc.showing);
    assert_string_equal(last.action, "eligibility.lookup");
    assert_string_equal(last.object, "institution:0110113719");
    assert_int_equal(last.at_ms, NOW_MS);
    assert_non_null(strstr(last.detail, "result="));
    assert_non_null(strstr(last.detail, "key_sha256="));
    if (strlen(w->q[n - 1].key.number) > 2)
        assert_null(strstr(last.detail, w->q[n - 1].key.number));
}

/* A full queue refuses the look-up (store_busy) and queues nothing; once written, the queue
 * takes look-ups again. The writer sleeps far longer than the test, so only sync moves it. */
static void test_audit_queue_full(void **state)
{
    world *w = *state;
    static sk_verify_answer a;
    a.validity = SK_VALIDITY_VALID;
    sk_diag d;
    sk_clock *clock = sk_clock_manual_alloc(NOW_MS);
    sk_lookup_audit *la;
    assert_int_equal(
        sk_lookup_audit_start(
            w->s, clock, &(sk_lookup_audit_options){.flush_ms = 600000, .max_queue = 5}, &la, &d),
        SK_OK);
    int64_t bad, rows0, rows;
    assert_int_equal(sk_store_audit_verify(w->s, &bad, &rows0, &d), SK_OK);
    sk_verify_query qy = query_for(&w->q[0], D(1980, 1, 1));
    for (int i = 0; i < 5; i++)
        assert_int_equal(sk_lookup_audit_add(la, &clinic, &qy, &a, &d), SK_OK);
    assert_int_not_equal(sk_lookup_audit_add(la, &clinic, &qy, &a, &d), SK_OK);
    assert_int_equal(d.code, SK_C_STORE_BUSY);
    assert_int_equal(sk_lookup_audit_sync(la, &d), SK_OK);
    assert_int_equal(written(la), 5);
    for (int i = 0; i < 5; i++) /* the ring has turned: its slots are free again */
        assert_int_equal(sk_lookup_audit_add(la, &clinic, &qy, &a, &d), SK_OK);
    assert_int_equal(sk_lookup_audit_sync(la, &d), SK_OK);
    assert_int_equal(written(la), 10);
    sk_lookup_audit_stop(la);
    sk_clock_free(clock);
    assert_int_equal(sk_store_audit_verify(w->s, &bad, &rows, &d), SK_OK);
    assert_int_equal(bad, 0);
    assert_int_equal(rows, rows0 + 10);
}

/* The writer reports what it has done and how long its rows waited: a row queued 60 ms before
 * the sync that writes it shows a lag of at least that (the writer itself would have slept
 * ten minutes). */
static void test_audit_stats_and_lag(void **state)
{
    world *w = *state;
    static sk_verify_answer a;
    a.validity = SK_VALIDITY_VALID;
    sk_diag d;
    sk_clock *clock = sk_clock_manual_alloc(NOW_MS);
    sk_lookup_audit *la = NULL;
    assert_int_equal(
        sk_lookup_audit_start(w->s, clock, &(sk_lookup_audit_options){.flush_ms = 600000}, &la, &d),
        SK_OK);
    sk_lookup_audit_stats st;
    sk_lookup_audit_stats_get(la, &st);
    assert_int_equal(st.written, 0);
    assert_int_equal(st.queued, 0);
    assert_int_equal(st.lag_ms_max, 0);
    sk_verify_query qy = query_for(&w->q[0], D(1980, 1, 1));
    for (int i = 0; i < 3; i++)
        assert_int_equal(sk_lookup_audit_add(la, &clinic, &qy, &a, &d), SK_OK);
    sk_lookup_audit_stats_get(la, &st);
    assert_int_equal(st.queued, 3);
    sk_test_sleep_ms(60);
    assert_int_equal(sk_lookup_audit_sync(la, &d), SK_OK);
    sk_lookup_audit_stats_get(la, &st);
    assert_int_equal(st.written, 3);
    assert_int_equal(st.queued, 0);
    assert_int_equal(st.failures, 0);
    assert_true(st.lag_ms_last >= 60);
    assert_true(st.lag_ms_max >= st.lag_ms_last);
    assert_true(st.lag_ms_max < 60000);
    sk_lookup_audit_stop(la);
    sk_clock_free(clock);
}

#define AUDIT_THREADS 4
#define AUDIT_EACH    3000

typedef struct adder {
    sk_lookup_audit *la;
    int t;
    sk_verify_query q;
    size_t busy;
} adder;

static void *add_many(void *arg)
{
    adder *ad = arg;
    static sk_verify_answer a; /* read only */
    sk_principal who = clinic;
    for (int i = 0; i < AUDIT_EACH; i++) {
        who.id = 1000000 + ad->t * AUDIT_EACH + i; /* names the look-up in its row */
        sk_diag d;
        while (sk_lookup_audit_add(ad->la, &who, &ad->q, &a, &d) != SK_OK) {
            if (d.code != SK_C_STORE_BUSY)
                return NULL;
            ad->busy++;
            sched_yield();
        }
    }
    return NULL;
}

typedef struct seen_rows {
    unsigned char hits[AUDIT_THREADS * AUDIT_EACH];
    int last[AUDIT_THREADS]; /* per thread, the last index seen: rows keep each thread's order */
    bool out_of_order, foreign;
} seen_rows;

static sk_err see_row(void *ctx, const sk_audit_rec *r)
{
    seen_rows *s = ctx;
    long long id;
    if (strcmp(r->action, "eligibility.lookup") != 0 ||
        sscanf(r->actor, "principal:%lld", &id) != 1 || id < 1000000)
        return SK_OK;
    id -= 1000000;
    if (id >= AUDIT_THREADS * AUDIT_EACH) {
        s->foreign = true;
        return SK_OK;
    }
    s->hits[id]++;
    int t = (int)(id / AUDIT_EACH), i = (int)(id % AUDIT_EACH);
    if (i <= s->last[t])
        s->out_of_order = true;
    s->last[t] = i;
    return SK_OK;
}

/* Look-ups from several threads at once through a small ring that turns many times, the
 * writer draining it meanwhile: every look-up is written exactly once, each thread's in its
 * order, and the chain holds. */
static void test_audit_concurrent_adds(void **state)
{
    world *w = *state;
    sk_diag d;
    sk_clock *clock = sk_clock_manual_alloc(NOW_MS);
    sk_lookup_audit *la;
    assert_int_equal(
        sk_lookup_audit_start(w->s, clock,
                              &(sk_lookup_audit_options){.flush_ms = 1, .max_queue = 64}, &la, &d),
        SK_OK);
    pthread_t th[AUDIT_THREADS];
    adder ad[AUDIT_THREADS];
    for (int t = 0; t < AUDIT_THREADS; t++) {
        ad[t] = (adder){.la = la, .t = t, .q = query_for(&w->q[t], D(1980, 1, 1))};
        assert_int_equal(pthread_create(&th[t], NULL, add_many, &ad[t]), 0);
    }
    for (int t = 0; t < AUDIT_THREADS; t++)
        pthread_join(th[t], NULL);
    assert_int_equal(sk_lookup_audit_sync(la, &d), SK_OK);
    assert_int_equal(written(la), AUDIT_THREADS * AUDIT_EACH);
    sk_lookup_audit_stop(la);
    sk_clock_free(clock);
    static seen_rows seen;
    memset(&seen, 0, sizeof(seen));
    for (int t = 0; t < AUDIT_THREADS; t++)
        seen.last[t] = -1;
    sk_tx *tx;
    assert_int_equal(sk_store_begin_read(w->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_audit_list(tx, see_row, &seen, &d), SK_OK);
    sk_tx_rollback(tx);
    for (size_t i = 0; i < AUDIT_THREADS * AUDIT_EACH; i++)
        assert_int_equal(seen.hits[i], 1);
    assert_false(seen.out_of_order);
    assert_false(seen.foreign);
    int64_t bad, rows;
    assert_int_equal(sk_store_audit_verify(w->s, &bad, &rows, &d), SK_OK);
    assert_int_equal(bad, 0);
}

/* The /v1 writer: values that need escaping come back unchanged through a JSON parser, an
 * empty value is null, members keep their commas, and a buffer too small refuses the answer. */
static void test_answer_json_strings(void **state)
{
    (void)state;
    static sk_verify_answer a;
    memset(&a, 0, sizeof(a));
    a.on = D(2026, 11, 21);
    a.validity = SK_VALIDITY_VALID;
    a.n = 2;
    sk_verify_record *r = &a.rec[0];
    const char *name = "山田\u3000\"太郎\\\x01\n\x1f";
    snprintf(r->name, sizeof(r->name), "%s", name);
    snprintf(r->address, sizeof(r->address), "東京都\t千代田区 </script>");
    snprintf(r->key.number, sizeof(r->key.number), "1234");
    r->birthdate = r->qualification_date = D(1980, 4, 1);
    a.rec[1] = *r;
    a.rec[1].name[0] = '\0';
    sk_buf b;
    sk_buf_init(&b, 1 << 20);
    assert_int_equal(sk_verify_answer_json_write(&a, &b), SK_OK);
    json_error_t je;
    json_t *j = json_loads(sk_buf_cstr(&b), 0, &je);
    if (!j)
        fail_msg("not JSON: %s: %s", je.text, sk_buf_cstr(&b));
    json_t *recs = json_object_get(j, "records");
    assert_int_equal(json_array_size(recs), 2);
    json_t *r0 = json_array_get(recs, 0), *r1 = json_array_get(recs, 1);
    assert_string_equal(json_string_value(json_object_get(r0, "name")), name);
    assert_string_equal(json_string_value(json_object_get(r0, "address")),
                        "東京都\t千代田区 </script>");
    assert_string_equal(json_string_value(json_object_get(r0, "number")), "1234");
    assert_string_equal(json_string_value(json_object_get(r0, "birthdate")), "1980-04-01");
    assert_true(json_is_null(json_object_get(r0, "insured_name")));
    assert_true(json_is_null(json_object_get(r0, "disqualification_date")));
    assert_true(json_is_null(json_object_get(r1, "name")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "validity"), "code")),
                        "1");
    size_t whole = b.len;
    json_decref(j);
    sk_buf_deinit(&b);
    sk_buf_init(&b, 64); /* far too small: refused, not cut */
    assert_int_not_equal(sk_verify_answer_json_write(&a, &b), SK_OK);
    sk_buf_deinit(&b);
    assert_true(whole > 64);
}

static void test_query_parse(void **state)
{
    (void)state;
    sk_verify_fields f = {.insurer_number = "  131011",
                          .number = "１２３",
                          .birthdate = "19900401",
                          .confirmation_date = "20261120",
                          .limit_consent = "1",
                          .name = {"InsurerNumber", "InsuredCardSymbol",
                                   "InsuredIdentificationNumber", "InsuredBranchNumber",
                                   "Birthdate", "QualificationConfirmationDate",
                                   "LimitApplicationCertificateRelatedConsFlg"},
                          .oqs = true};
    sk_verify_query q;
    sk_diag d;
    assert_int_equal(sk_verify_query_parse(&f, D(2026, 11, 21), &q, &d), SK_OK);
    assert_string_equal(q.insurer.digits, "131011");
    assert_true(q.limit_consent);
    assert_int_equal(sk_date_cmp(q.on, D(2026, 11, 20)), 0);
    f.confirmation_date = "20261122"; /* tomorrow */
    assert_int_equal(sk_verify_query_parse(&f, D(2026, 11, 21), &q, &d), SK_ERR_RANGE);
    assert_string_equal(d.field, "QualificationConfirmationDate");
    f.confirmation_date = NULL; /* today */
    f.limit_consent = "2";
    assert_int_equal(sk_verify_query_parse(&f, D(2026, 11, 21), &q, &d), SK_ERR_INVALID);
    assert_string_equal(sk_code_name(d.code), "consent_flag");
    f.limit_consent = "0";
    f.branch = "1";
    assert_int_equal(sk_verify_query_parse(&f, D(2026, 11, 21), &q, &d), SK_ERR_INVALID);
    assert_string_equal(d.field, "InsuredBranchNumber");
    f.branch = NULL;
    f.number = NULL;
    assert_int_equal(sk_verify_query_parse(&f, D(2026, 11, 21), &q, &d), SK_ERR_INVALID);
    assert_string_equal(d.field, "InsuredIdentificationNumber");
    f.number = "1";
    f.birthdate = "1990-04-01"; /* the /v1 form in an OQS field */
    assert_int_equal(sk_verify_query_parse(&f, D(2026, 11, 21), &q, &d), SK_ERR_INVALID);
    assert_string_equal(d.field, "Birthdate");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_member_found_and_no_my_number),
        cmocka_unit_test(test_wrong_birthdate_and_roles),
        cmocka_unit_test(test_display_stopped),
        cmocka_unit_test(test_lookups_are_audited),
        cmocka_unit_test(test_audit_queue_full),
        cmocka_unit_test(test_audit_concurrent_adds),
        cmocka_unit_test(test_audit_stats_and_lag),
        cmocka_unit_test(test_answer_json_strings),
        cmocka_unit_test(test_query_parse),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
