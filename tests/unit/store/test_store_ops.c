/* test_store_ops.c — the rest of the store contract (store.h): the calls test_store.c does not
 * make. Every test runs once per compiled-in driver (sk_store_drivers()), like test_store.c, so
 * a second driver is held to the same suite unchanged. */
#include "store_fixture.h"

#include "core/disease.h"

static sk_diag d; /* the last call's diagnostic */

#define OK(e)    assert_int_equal((e), SK_OK)
#define NF(e)    assert_int_equal((e), SK_ERR_NOTFOUND)
#define FAILS(e) assert_int_not_equal((e), SK_OK)

static sk_tx *begin(sk_store *s, bool write)
{
    sk_tx *tx = NULL;
    OK(write ? sk_store_begin(s, &tx, &d) : sk_store_begin_read(s, &tx, &d));
    return tx;
}

static void commit(sk_tx *tx)
{
    if (sk_tx_commit(tx, &d) != SK_OK)
        fail_msg("commit: %s", d.message);
}

/* ---- a small registry most tests start from ---- */

#define INS_X "01130012"
#define INS_Y "06139999"
#define NONE  100000 /* an id no test's table reaches */

typedef struct world {
    int64_t employer; /* under INS_X */
    sk_person_rec p1; /* with a My Number */
    sk_person_rec p2; /* without */
    int64_t q1, q2;   /* p1's and p2's qualifications under INS_X, numbers "1" and "2" */
} world;

static int64_t add_qual(sk_tx *tx, int64_t person_id, const char *insurer, const char *number,
                        sk_date acquired, const sk_date *lost)
{
    sk_qualification_rec q = {.person_id = person_id,
                              .relationship = SK_REL_INSURED,
                              .insured_person_id = person_id,
                              .card_class = "01",
                              .acquired_on = acquired,
                              .has_lost = lost != NULL,
                              .lost_on = lost ? *lost : acquired,
                              .loss_reason = "",
                              .created_ms = 1,
                              .updated_ms = 1};
    snprintf(q.insurer_number, sizeof(q.insurer_number), "%s", insurer);
    snprintf(q.loss_reason, sizeof(q.loss_reason), "%s", lost ? "01" : "");
    OK(sk_cardkey_make("記号", strlen("記号"), number, strlen(number), "00", 2, &q.key, &d));
    OK(sk_store_qualification_add(tx, &q, &d));
    return q.id;
}

static world build(sk_store *s)
{
    world w;
    sk_tx *tx = begin(s, true);
    sk_insurer_rec x = {.number = INS_X, .kind = SK_INSURER_KYOKAI, .name = "協会けんぽ東京"};
    sk_insurer_rec y = {.number = INS_Y, .kind = SK_INSURER_KUMIAI, .name = "資格健康保険組合"};
    OK(sk_store_insurer_add(tx, &x, &d));
    OK(sk_store_insurer_add(tx, &y, &d));
    sk_employer_rec e = {.insurer_number = INS_X, .name = "株式会社シカク", .office_code = "ｱｲｳ"};
    OK(sk_store_employer_add(tx, &e, &d));
    w.employer = e.id;
    w.p1 = person("資格　一郎", "ｼｶｸ ｲﾁﾛｳ", D(1980, 1, 1), "123456789018");
    w.p2 = person("資格　花子", "ｼｶｸ ﾊﾅｺ", D(1982, 2, 2), NULL);
    OK(sk_store_person_add(tx, &w.p1, &d));
    OK(sk_store_person_add(tx, &w.p2, &d));
    w.q1 = add_qual(tx, w.p1.id, INS_X, "1", D(2024, 4, 1), NULL);
    w.q2 = add_qual(tx, w.p2.id, INS_X, "2", D(2024, 4, 1), NULL);
    commit(tx);
    return w;
}

static int64_t add_notif(sk_tx *tx, const char *state, int64_t person_id, int64_t employer_id,
                         int64_t filed_ms, const char *payload)
{
    sk_notification_rec n = {.kind = "acquisition",
                             .insurer_number = INS_X,
                             .employer_id = employer_id,
                             .submitter = "insurer:" INS_X,
                             .filed_ms = filed_ms,
                             .person_id = person_id,
                             .payload = payload};
    assert_true(sk_notification_state_from_name(state, &n.state));
    OK(sk_store_notification_add(tx, &n, &d));
    return n.id;
}

static void transition(sk_tx *tx, int64_t id, int64_t person_id, const char *to, int64_t at_ms,
                       const char *note)
{
    sk_notification_rec t = {.id = id, .person_id = person_id, .errors = ""};
    assert_true(sk_notification_state_from_name(to, &t.state));
    OK(sk_store_notification_transition(tx, &t, at_ms, note, &d));
}

/* ---- what a listing gives, in the order it gives it ---- */

/* Ids, for listings checked for which rows and in what order. */
typedef struct ids {
    int n;
    int64_t v[16];
} ids;

static void push(ids *s, int64_t v)
{
    if (s->n < 16)
        s->v[s->n] = v;
    s->n++;
}

/* Fails at the caller's line (file, line) when got is not want[0..n). */
static void expect_ids(const char *file, int line, ids got, const int64_t *want, int n)
{
    bool same = got.n == n;
    for (int i = 0; same && i < n; i++)
        same = got.v[i] == want[i];
    if (same)
        return;
    print_error("%d rows:", got.n);
    for (int i = 0; i < got.n && i < 16; i++)
        print_error(" %lld", (long long)got.v[i]);
    print_error("; %d wanted:", n);
    for (int i = 0; i < n; i++)
        print_error(" %lld", (long long)want[i]);
    print_error("\n");
    _fail(file, line);
}
#define EXPECT_IDS(got, ...)                                                                       \
    expect_ids(__FILE__, __LINE__, (got), (const int64_t[]){__VA_ARGS__},                          \
               (int)(sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t)))
#define EXPECT_NONE(got) assert_int_equal((got).n, 0)

#define ID_CB(name, T, field)                                                                      \
    static sk_err name(void *ctx, const T *r)                                                      \
    {                                                                                              \
        push(ctx, r->field);                                                                       \
        return SK_OK;                                                                              \
    }
ID_CB(qual_cb, sk_qualification_rec, id)
ID_CB(wi_cb, sk_work_item_rec, id)
ID_CB(acq_cb, sk_acquisition_rec, notification_id)

static ids by_insurer(sk_tx *tx, const char *insurer, sk_date as_of, int64_t after, int limit)
{
    ids got = {0};
    OK(sk_store_qualification_list_by_insurer(tx, insurer, as_of, after, limit, qual_cb, &got, &d));
    return got;
}

static ids list_wi(sk_tx *tx, sk_work_item_filter flt)
{
    ids got = {0};
    flt.limit = flt.limit ? flt.limit : 100;
    OK(sk_store_work_item_list(tx, &flt, wi_cb, &got, &d));
    return got;
}
#define WI(...) list_wi(tx, (sk_work_item_filter){__VA_ARGS__})

static ids due(sk_tx *tx, int64_t now_ms, int limit)
{
    ids got = {0};
    OK(sk_store_acquisition_due(tx, now_ms, limit, acq_cb, &got, &d));
    return got;
}

static ids settled(sk_tx *tx, int limit)
{
    ids got = {0};
    OK(sk_store_acquisition_settled(tx, limit, acq_cb, &got, &d));
    return got;
}

/* Text, for rows checked field by field: each row as a line of its fields, appended to a buffer
 * of TEXT bytes and compared whole with what the test expects (printf-formatted). */
#define TEXT 4096
static __attribute__((format(printf, 2, 3))) void put(char *acc, const char *fmt, ...)
{
    size_t n = strlen(acc);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(acc + n, TEXT - n, fmt, ap);
    va_end(ap);
}

static __attribute__((format(printf, 4, 5))) void
expect_text_at(const char *file, int line, const char *got, const char *fmt, ...)
{
    char want[TEXT];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(want, sizeof(want), fmt, ap);
    va_end(ap);
    _assert_string_equal(got, want, file, line);
}
#define expect_text(...) expect_text_at(__FILE__, __LINE__, __VA_ARGS__)

static char *date_text(sk_date v, bool has, char out[11])
{
    if (has)
        sk_date_format(v, out);
    else
        snprintf(out, 11, "-");
    return out;
}

static sk_err insurer_text(void *ctx, const sk_insurer_rec *r)
{
    put(ctx, "%s %d %s;", r->number, (int)r->kind, r->name);
    return SK_OK;
}

static sk_err notif_text(void *ctx, const sk_notification_rec *r)
{
    put(ctx, "%lld %s %s;", (long long)r->id, sk_notification_state_name(r->state), r->payload);
    return SK_OK;
}

static sk_err event_text(void *ctx, const sk_notification_event *e)
{
    put(ctx, "%s@%lld:%s;", sk_notification_state_name(e->state), (long long)e->at_ms, e->note);
    return SK_OK;
}

static sk_err refno_text(void *ctx, const sk_elig_row *r)
{
    put(ctx, "%lld:%s;", (long long)r->p.id, r->refno);
    return SK_OK;
}

static sk_err cert_text(void *ctx, const sk_disease_cert_rec *r)
{
    char cd[11], from[11], until[11];
    put(ctx, "%lld q%lld %d %s %s %s %lld %lld;", (long long)r->id, (long long)r->qualification_id,
        r->category, date_text(r->certificate_date, true, cd), date_text(r->valid_from, true, from),
        date_text(r->valid_until, r->has_until, until), r->self_pay, (long long)r->created_ms);
    return SK_OK;
}

static sk_err stop_text(void *ctx, const sk_stop_rec *r)
{
    put(ctx, "%lld q%lld w%lld %s %lld %s %lld %s %s %s;", (long long)r->id,
        (long long)r->qualification_id, (long long)r->work_item_id, sk_stop_cause_name(r->cause),
        (long long)r->opened_ms, r->opened_by, (long long)r->closed_ms, r->closed_by, r->resolution,
        r->reason);
    return SK_OK;
}

static const char *wi_text(char *acc, const sk_work_item_rec *r)
{
    put(acc, "%lld %s %s/%s %s p%lld n%lld q%lld %s %s %s %lld %lld %s %s %s", (long long)r->id,
        sk_work_kind_name(r->kind), sk_role_name(r->assignee_role), r->assignee_scope,
        r->insurer_number, (long long)r->person_id, (long long)r->notification_id,
        (long long)r->qualification_id, sk_risk_name(r->risk), r->detail,
        sk_work_state_name(r->state), (long long)r->created_ms, (long long)r->resolved_ms,
        r->resolved_by, r->resolution, r->reason);
    return acc;
}

static const char *acq_text(char *acc, const sk_acquisition_rec *r)
{
    put(acc, "n%lld p%lld e%lld %s %s %lld %lld %lld %d %s %lld", (long long)r->notification_id,
        (long long)r->person_id, (long long)r->employer_id, r->insurer_number,
        sk_acq_stage_name(r->stage), (long long)r->requested_ms, (long long)r->reminded_ms,
        (long long)r->next_ms, r->attempts, r->outcome, (long long)r->updated_ms);
    return acc;
}

static const char *check_text(char *acc, const sk_identity_check_rec *r)
{
    put(acc, "%lld p%lld %lld %s %s [%s] [%s]", (long long)r->id, (long long)r->person_id,
        (long long)r->at_ms, r->trigger, sk_verdict_name(r->verdict), r->differ, r->folded);
    return acc;
}

static const char *person_text(char *acc, const sk_person_rec *r)
{
    char birth[11];
    put(acc, "%lld %s %s %s %s %d %s %s %d [%s]", (long long)r->id, r->pid, r->info.name,
        r->info.kana, date_text(r->info.birthdate, true, birth), (int)r->info.sex, r->info.address,
        r->postcode, r->has_mynumber, r->mynumber.digits);
    return acc;
}

/* A fresh buffer for one listing or record. */
static char text[TEXT];
#define T0() (text[0] = '\0', text)

/* ---- tests ---- */

/* Insurers listed whole with their fields; an employer read back by id, NOTFOUND for none. */
static void test_insurers_and_employers(void **state)
{
    fixture *f = *state;
    sk_tx *tx = begin(f->s, false);
    OK(sk_store_insurer_list(tx, insurer_text, T0(), &d));
    assert_string_equal(text, "");
    sk_tx_rollback(tx);
    world w = build(f->s);
    tx = begin(f->s, false);
    OK(sk_store_insurer_list(tx, insurer_text, T0(), &d));
    char x[160], y[160]; /* the header names no order */
    snprintf(x, sizeof(x), "%s %d 協会けんぽ東京;", INS_X, (int)SK_INSURER_KYOKAI);
    snprintf(y, sizeof(y), "%s %d 資格健康保険組合;", INS_Y, (int)SK_INSURER_KUMIAI);
    assert_int_equal(strlen(text), strlen(x) + strlen(y));
    assert_non_null(strstr(text, x));
    assert_non_null(strstr(text, y));
    sk_employer_rec e;
    OK(sk_store_employer_get(tx, w.employer, &e, &d));
    assert_true(e.id == w.employer && strcmp(e.insurer_number, INS_X) == 0);
    assert_string_equal(e.name, "株式会社シカク");
    assert_string_equal(e.office_code, "ｱｲｳ");
    NF(sk_store_employer_get(tx, NONE, &e, &d));
    OK(sk_tx_error(tx));
    sk_tx_rollback(tx);
}

/* person_update replaces the 5情報 and leaves the sealed number alone; person_next walks every
 * person by id, with or without the number, and answers NOTFOUND after the last. */
static void test_person_update_and_next(void **state)
{
    fixture *f = *state;
    world w = build(f->s);
    sk_tx *tx = begin(f->s, true);
    sk_person_rec u = person("改姓　一郎", "ｶｲｾｲ ｲﾁﾛｳ", D(1980, 1, 2), NULL);
    u.id = w.p1.id;
    u.info.sex = SK_SEX_MALE;
    snprintf(u.info.address, sizeof(u.info.address), "大阪府大阪市北区1-1");
    snprintf(u.postcode, sizeof(u.postcode), "530-0001");
    OK(sk_store_person_update(tx, &u, &d));
    u.id = NONE;
    NF(sk_store_person_update(tx, &u, &d));
    OK(sk_tx_error(tx)); /* not found: the transaction goes on */
    commit(tx);

    /* the public id and the sealed number stay; the other person is untouched */
    char p1[512], p2[512];
    snprintf(p1, sizeof(p1),
             "%lld %s 改姓　一郎 ｶｲｾｲ ｲﾁﾛｳ 1980-01-02 %d 大阪府大阪市北区1-1 530-0001",
             (long long)w.p1.id, w.p1.pid, (int)SK_SEX_MALE);
    snprintf(p2, sizeof(p2),
             "%lld %s 資格　花子 ｼｶｸ ﾊﾅｺ 1982-02-02 %d 東京都千代田区霞が関1-2-2 100-8916 0 []",
             (long long)w.p2.id, w.p2.pid, (int)SK_SEX_FEMALE);
    sk_person_rec got;
    tx = begin(f->s, false);
    OK(sk_store_person_get(tx, w.p1.id, true, &got, &d));
    expect_text(person_text(T0(), &got), "%s 1 [123456789018]", p1);
    OK(sk_store_person_get(tx, w.p2.id, false, &got, &d));
    expect_text(person_text(T0(), &got), "%s", p2);

    OK(sk_store_person_next(tx, 0, true, &got, &d));
    expect_text(person_text(T0(), &got), "%s 1 [123456789018]", p1);
    OK(sk_store_person_next(tx, 0, false, &got, &d));
    expect_text(person_text(T0(), &got), "%s 1 []", p1); /* not decrypted unless asked */
    OK(sk_store_person_next(tx, w.p1.id, true, &got, &d));
    expect_text(person_text(T0(), &got), "%s", p2);
    NF(sk_store_person_next(tx, w.p2.id, true, &got, &d));
    NF(sk_store_person_next(tx, NONE, false, &got, &d));
    OK(sk_tx_error(tx));
    ids seen = {0};
    for (int64_t after = 0; sk_store_person_next(tx, after, false, &got, &d) == SK_OK;
         after = got.id)
        push(&seen, got.id);
    EXPECT_IDS(seen, w.p1.id, w.p2.id);
    sk_tx_rollback(tx);
}

/* An insurer's members on a date: acquired_on <= as_of < lost_on, by id, in pages. */
static void test_qualification_list_by_insurer(void **state)
{
    fixture *f = *state;
    world w = build(f->s); /* q1, q2: INS_X from 2024-04-01, not lost */
    sk_tx *tx = begin(f->s, true);
    sk_date lost1 = D(2024, 4, 1), lost2 = D(2024, 4, 2);
    int64_t later = add_qual(tx, w.p1.id, INS_X, "3", D(2024, 4, 2), NULL);
    int64_t lost_on_day = add_qual(tx, w.p1.id, INS_X, "4", D(2023, 1, 1), &lost1);
    int64_t lost_after = add_qual(tx, w.p1.id, INS_X, "5", D(2023, 1, 1), &lost2);
    int64_t other = add_qual(tx, w.p2.id, INS_Y, "6", D(2020, 1, 1), NULL);
    commit(tx);

    tx = begin(f->s, false);
    EXPECT_IDS(by_insurer(tx, INS_X, D(2024, 4, 1), 0, 100), w.q1, w.q2, lost_after);
    EXPECT_IDS(by_insurer(tx, INS_X, D(2024, 3, 31), 0, 100), lost_on_day, lost_after);
    EXPECT_IDS(by_insurer(tx, INS_X, D(2024, 4, 2), 0, 100), w.q1, w.q2, later);
    EXPECT_IDS(by_insurer(tx, INS_X, D(2023, 1, 1), 0, 100), lost_on_day, lost_after);
    EXPECT_IDS(by_insurer(tx, INS_Y, D(2024, 4, 1), 0, 100), other);
    EXPECT_NONE(by_insurer(tx, INS_X, D(2022, 12, 31), 0, 100));
    /* pages, each continuing after the last id seen */
    EXPECT_IDS(by_insurer(tx, INS_X, D(2024, 4, 1), 0, 2), w.q1, w.q2);
    EXPECT_IDS(by_insurer(tx, INS_X, D(2024, 4, 1), w.q2, 2), lost_after);
    EXPECT_IDS(by_insurer(tx, INS_X, D(2024, 4, 1), w.q1, 1), w.q2);
    EXPECT_NONE(by_insurer(tx, INS_X, D(2024, 4, 1), lost_after, 2));
    sk_tx_rollback(tx);
}

static int64_t next_no(sk_tx *tx, const char *insurer, const char *scope)
{
    int64_t v = -1;
    OK(sk_store_counter_next(tx, insurer, scope, &v, &d));
    return v;
}

/* One sequence per insurer and scope; a rolled-back transaction gives its numbers back. */
static void test_counters(void **state)
{
    fixture *f = *state;
    build(f->s);
    sk_tx *tx = begin(f->s, true);
    assert_int_equal(next_no(tx, INS_X, ""), 1);
    assert_int_equal(next_no(tx, INS_X, ""), 2);
    assert_int_equal(next_no(tx, INS_X, "記号"), 1);
    assert_int_equal(next_no(tx, INS_Y, ""), 1);
    commit(tx);
    tx = begin(f->s, true);
    assert_int_equal(next_no(tx, INS_X, ""), 3);
    assert_int_equal(next_no(tx, INS_X, "新記号"), 1);
    sk_tx_rollback(tx);
    tx = begin(f->s, true);
    assert_int_equal(next_no(tx, INS_X, ""), 3); /* the rolled-back 3 was not used up */
    assert_int_equal(next_no(tx, INS_X, "新記号"), 1);
    assert_int_equal(next_no(tx, INS_X, "記号"), 2);
    assert_int_equal(next_no(tx, INS_Y, ""), 2);
    commit(tx);
}

/* A person's 届出 in one state, oldest first, with their payloads; the state history of one. */
static void test_notifications_by_person_and_events(void **state)
{
    fixture *f = *state;
    world w = build(f->s);
    sk_tx *tx = begin(f->s, true);
    long long n1 = add_notif(tx, "pending_my_number", w.p1.id, 0, 100, "{\"n\":1}");
    long long n2 = add_notif(tx, "registered", w.p1.id, 0, 200, "{\"n\":2}");
    long long n3 = add_notif(tx, "pending_my_number", w.p1.id, w.employer, 300, "{\"n\":3}");
    long long n4 = add_notif(tx, "pending_my_number", w.p2.id, 0, 400, "{\"n\":4}");
    transition(tx, n1, w.p1.id, "registered", 500, "番号が届いた");
    commit(tx);

    sk_arena *a = sk_arena_alloc(0, 1 << 16);
    tx = begin(f->s, false);
    OK(sk_store_notification_list_by_person(tx, w.p1.id, "registered", a, notif_text, T0(), &d));
    expect_text(text, "%lld registered {\"n\":1};%lld registered {\"n\":2};", n1, n2);
    OK(sk_store_notification_list_by_person(tx, w.p1.id, "pending_my_number", a, notif_text, T0(),
                                            &d));
    expect_text(text, "%lld pending_my_number {\"n\":3};", n3);
    OK(sk_store_notification_list_by_person(tx, w.p2.id, "pending_my_number", a, notif_text, T0(),
                                            &d));
    expect_text(text, "%lld pending_my_number {\"n\":4};", n4);
    OK(sk_store_notification_list_by_person(tx, w.p2.id, "registered", a, notif_text, T0(), &d));
    assert_string_equal(text, "");

    OK(sk_store_notification_events(tx, n1, event_text, T0(), &d));
    assert_string_equal(text, "pending_my_number@100:filed;registered@500:番号が届いた;");
    OK(sk_store_notification_events(tx, n3, event_text, T0(), &d));
    assert_string_equal(text, "pending_my_number@300:filed;");
    OK(sk_store_notification_events(tx, NONE, event_text, T0(), &d));
    assert_string_equal(text, "");
    sk_tx_rollback(tx);
    sk_arena_free(a);
}

/* Every audit row in id order, each chained onto the one before (the first onto zeros). */
typedef struct chain {
    int n, bad; /* rows, and rows that do not fit (counted: no assertion inside a callback) */
    int64_t last_id;
    uint8_t prev[SK_SHA256_BYTES];
    char text[TEXT];
} chain;

static sk_err audit_row(void *ctx, const sk_audit_rec *r)
{
    chain *c = ctx;
    uint8_t h[SK_SHA256_BYTES];
    sk_audit_hash(r, h);
    c->bad += memcmp(r->prev_hash, c->prev, SK_SHA256_BYTES) != 0 ||
              memcmp(r->hash, h, SK_SHA256_BYTES) != 0 || r->id <= c->last_id;
    memcpy(c->prev, r->hash, SK_SHA256_BYTES);
    c->last_id = r->id;
    c->n++;
    put(c->text, "%lld %s %s %s [%s];", (long long)r->at_ms, r->actor, r->action, r->object,
        r->detail);
    return SK_OK;
}

/* audit_add formats its detail (a My Number masked); rows of a rolled-back transaction are not
 * there. */
static void test_audit_add_and_list(void **state)
{
    fixture *f = *state;
    sk_tx *tx = begin(f->s, true);
    OK(sk_store_audit_add(tx, 1000, "insurer:1", "person.view", "person:1", &d, "%d rows, %s", 3,
                          "ok"));
    OK(sk_store_audit_add(tx, 1001, "operator", "stop.open", "qualification:9", &d, "cause=%s",
                          "check"));
    commit(tx);
    tx = begin(f->s, true);
    OK(sk_store_audit_add(tx, 1002, "x", "undone", "y", &d, "%s", ""));
    sk_tx_rollback(tx);
    tx = begin(f->s, true);
    OK(sk_store_audit_add(tx, 1003, "employer:7", "file", "notification:4", &d, "mynumber=%s",
                          "123456789018"));
    commit(tx);

    static chain c;
    memset(&c, 0, sizeof(c));
    tx = begin(f->s, false);
    OK(sk_store_audit_list(tx, audit_row, &c, &d));
    sk_tx_rollback(tx);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.bad, 0);
    assert_non_null(strstr(c.text, "1000 insurer:1 person.view person:1 [3 rows, ok];"
                                   "1001 operator stop.open qualification:9 [cause=check];"
                                   "1003 employer:7 file notification:4 [mynumber="));
    assert_null(strstr(c.text, "12345678"));
}

/* A bulk request found again by its institution's idempotency key, and only by it. */
static void test_bulk_find_idem(void **state)
{
    fixture *f = *state;
    sk_arena *a = sk_arena_alloc(0, 1 << 16);
    sk_bulk_rec r[5];
    for (int i = 0; i < 5; i++) {
        r[i] = (sk_bulk_rec){.message = "OQSmuquc01",
                             .institution = "0110113719",
                             .request = "{\"a\":1}",
                             .idem_key = "file-1"};
        snprintf(r[i].reception, sizeof(r[i].reception), "100000000000000%d", i);
    }
    memcpy(r[1].institution, "1310000001", 11); /* the same key at another institution */
    r[1].request = "{\"b\":2}";
    r[2].idem_key[0] = r[3].idem_key[0] = '\0'; /* "" is no key: any number of them */
    sk_tx *tx = begin(f->s, true);
    for (int i = 0; i < 4; i++)
        OK(sk_store_bulk_add(tx, &r[i], &d));
    commit(tx);
    tx = begin(f->s, true);
    assert_int_equal(sk_store_bulk_add(tx, &r[4], &d), SK_ERR_EXISTS); /* the key is taken */
    sk_tx_rollback(tx);

    sk_bulk_rec got;
    tx = begin(f->s, false);
    OK(sk_store_bulk_find_idem(tx, "0110113719", "file-1", a, &got, &d));
    assert_int_equal(got.id, r[0].id);
    assert_string_equal(got.reception, "1000000000000000");
    assert_string_equal(got.request, "{\"a\":1}");
    assert_string_equal(got.idem_key, "file-1");
    assert_null(got.result);
    OK(sk_store_bulk_find_idem(tx, "1310000001", "file-1", a, &got, &d));
    assert_int_equal(got.id, r[1].id);
    assert_string_equal(got.request, "{\"b\":2}");
    NF(sk_store_bulk_find_idem(tx, "0110113719", "file-2", a, &got, &d));
    NF(sk_store_bulk_find_idem(tx, "9999999999", "file-1", a, &got, &d));
    NF(sk_store_bulk_find_idem(tx, "0110113719", "", a, &got, &d));
    OK(sk_tx_error(tx));
    sk_tx_rollback(tx);
    sk_arena_free(a);
}

/* 照会番号: set, replaced, read back with a look-up's rows for that institution only. */
static void test_refno_set_and_replace(void **state)
{
    fixture *f = *state;
    world w = build(f->s);
    const long long p1 = w.p1.id, p2 = w.p2.id;
    static const char *const inst[] = {"0110113719", "1310000001", "2710000002"};
    static const char *const want[2][3] = {{"カルテ-1", "", ""}, {"カルテ-2", "B-9", ""}};
    for (int round = 0; round < 2; round++) {
        sk_tx *tx = begin(f->s, true);
        OK(sk_store_refno_set(tx, inst[0], w.p1.id, want[round][0], 10, &d));
        if (round)
            OK(sk_store_refno_set(tx, inst[1], w.p1.id, "B-9", 20, &d));
        commit(tx);
        tx = begin(f->s, false);
        for (int i = 0; i < 3; i++) {
            OK(sk_store_eligibility_by_key(tx, INS_X, "記号", "1", i ? "00" : NULL, inst[i],
                                           refno_text, T0(), &d));
            expect_text(text, "%lld:%s;", p1, want[round][i]);
            OK(sk_store_eligibility_by_key(tx, INS_X, "記号", "2", NULL, inst[i], refno_text, T0(),
                                           &d));
            expect_text(text, "%lld:;", p2); /* p2 has none anywhere */
        }
        sk_tx_rollback(tx);
    }
    /* a person who does not exist has no number */
    sk_tx *tx = begin(f->s, true);
    FAILS(sk_store_refno_set(tx, inst[0], NONE, "X", 30, &d));
    sk_tx_rollback(tx);
}

/* 特定疾病療養受療証: a qualification's certificates oldest first, with and without an end. */
static void test_disease_certs(void **state)
{
    fixture *f = *state;
    world w = build(f->s);
    sk_disease_cert_rec c[3] = {{.qualification_id = w.q1,
                                 .category = SK_DISEASE_DIALYSIS,
                                 .certificate_date = D(2024, 5, 1),
                                 .valid_from = D(2024, 5, 2),
                                 .has_until = true,
                                 .valid_until = D(2025, 3, 31),
                                 .self_pay = 10000,
                                 .created_ms = 100}};
    c[1] = c[0];
    c[1].category = SK_DISEASE_HEMOPHILIA;
    c[1].certificate_date = c[1].valid_from = D(2024, 6, 1);
    c[1].has_until = false;
    c[1].self_pay = 20000;
    c[1].created_ms = 200;
    c[2] = c[1];
    c[2].qualification_id = w.q2;
    c[2].category = SK_DISEASE_HIV;
    sk_tx *tx = begin(f->s, true);
    for (int i = 0; i < 3; i++)
        OK(sk_store_disease_cert_add(tx, &c[i], &d));
    commit(tx);
    assert_true(c[0].id > 0 && c[1].id > c[0].id && c[2].id > c[1].id);

    const long long q1 = w.q1, q2 = w.q2;
    tx = begin(f->s, false);
    OK(sk_store_disease_cert_list(tx, w.q1, cert_text, T0(), &d));
    expect_text(text,
                "%lld q%lld 1 2024-05-01 2024-05-02 2025-03-31 10000 100;"
                "%lld q%lld 2 2024-06-01 2024-06-01 - 20000 200;",
                (long long)c[0].id, q1, (long long)c[1].id, q1);
    OK(sk_store_disease_cert_list(tx, w.q2, cert_text, T0(), &d));
    expect_text(text, "%lld q%lld 3 2024-06-01 2024-06-01 - 20000 200;", (long long)c[2].id, q2);
    OK(sk_store_disease_cert_list(tx, NONE, cert_text, T0(), &d));
    assert_string_equal(text, "");
    sk_tx_rollback(tx);
    /* an end before the start, and a certificate of no qualification, are refused */
    for (int i = 0; i < 2; i++) {
        sk_disease_cert_rec bad = c[0];
        bad.valid_until = i ? bad.valid_until : D(2024, 5, 1);
        bad.qualification_id = i ? NONE : bad.qualification_id;
        tx = begin(f->s, true);
        FAILS(sk_store_disease_cert_add(tx, &bad, &d));
        sk_tx_rollback(tx);
    }
}

/* 本人確認判定: one per person, each check replacing the one before. */
static void test_identity_checks(void **state)
{
    fixture *f = *state;
    world w = build(f->s);
    sk_identity_check_rec got;
    sk_tx *tx = begin(f->s, true);
    NF(sk_store_identity_check_last(tx, w.p1.id, &got, &d));
    OK(sk_tx_error(tx));
    sk_identity_check_rec c[3] = {{.person_id = w.p1.id,
                                   .at_ms = 100,
                                   .trigger = "registration",
                                   .verdict = SK_VERDICT_PENDING},
                                  {.person_id = w.p1.id,
                                   .at_ms = 200,
                                   .trigger = "recheck",
                                   .verdict = SK_VERDICT_MISMATCH_HIGH,
                                   .differ = "name address",
                                   .folded = "kana"},
                                  {.person_id = w.p2.id,
                                   .at_ms = 150,
                                   .trigger = "mynumber_register",
                                   .verdict = SK_VERDICT_MATCH}};
    OK(sk_store_identity_check_add(tx, &c[0], &d));
    assert_int_equal(c[0].id, w.p1.id);
    OK(sk_store_identity_check_last(tx, w.p1.id, &got, &d));
    assert_int_equal(got.verdict, SK_VERDICT_PENDING); /* seen at once in its transaction */
    OK(sk_store_identity_check_add(tx, &c[1], &d));
    OK(sk_store_identity_check_add(tx, &c[2], &d));
    commit(tx);

    const long long p1 = w.p1.id, p2 = w.p2.id;
    tx = begin(f->s, false);
    OK(sk_store_identity_check_last(tx, w.p1.id, &got, &d));
    expect_text(check_text(T0(), &got),
                "%lld p%lld 200 recheck mismatch_high [name address] [kana]", p1, p1);
    OK(sk_store_identity_check_last(tx, w.p2.id, &got, &d));
    expect_text(check_text(T0(), &got), "%lld p%lld 150 mynumber_register match [] []", p2, p2);
    NF(sk_store_identity_check_last(tx, NONE, &got, &d));
    sk_tx_rollback(tx);
    /* no check of a person who does not exist, nor a verdict outside the list */
    c[0].person_id = NONE;
    c[1].verdict = (sk_verdict)99; /* a name the database does not know ("?") */
    for (int i = 0; i < 2; i++) {
        tx = begin(f->s, true);
        FAILS(sk_store_identity_check_add(tx, &c[i], &d));
        sk_tx_rollback(tx);
    }
}

static sk_work_item_rec wi(const char *kind, const char *role, const char *scope,
                           const char *insurer, int64_t person_id, int64_t created_ms)
{
    sk_work_item_rec r = {.person_id = person_id, .created_ms = created_ms};
    assert_true(sk_work_kind_from_name(kind, &r.kind));
    assert_true(sk_role_from_name(role, &r.assignee_role));
    snprintf(r.assignee_scope, sizeof(r.assignee_scope), "%s", scope);
    snprintf(r.insurer_number, sizeof(r.insurer_number), "%s", insurer);
    return r;
}

/* Work items: stored and read back whole, resolved, listed by every filter, by id. */
static void test_work_items(void **state)
{
    fixture *f = *state;
    world w = build(f->s);
    char emp[24];
    snprintf(emp, sizeof(emp), "%lld", (long long)w.employer);
    sk_tx *tx = begin(f->s, true);
    int64_t n = add_notif(tx, "pending_my_number", w.p1.id, w.employer, 100, "{}");
    sk_work_item_rec it[5] = {wi("check_mismatch", "insurer", INS_X, INS_X, w.p1.id, 1000),
                              wi("mynumber_reminder", "employer", emp, INS_X, w.p2.id, 1001),
                              wi("check_mismatch", "operator", "", INS_X, w.p2.id, 1002),
                              wi("check_mismatch", "insurer", INS_X, INS_X, w.p2.id, 1003),
                              wi("check_mismatch", "insurer", INS_Y, INS_Y, w.p1.id, 1004)};
    it[0].notification_id = n;
    it[0].risk = SK_RISK_HIGH;
    snprintf(it[0].detail, sizeof(it[0].detail), "{\"differ\":\"name\"}");
    it[2].qualification_id = w.q2;
    it[2].risk = SK_RISK_LOW;
    for (int i = 0; i < 5; i++) {
        OK(sk_store_work_item_add(tx, &it[i], &d));
        assert_int_equal(it[i].state, SK_WORK_OPEN);
        assert_true(i == 0 || it[i].id > it[i - 1].id);
    }
    sk_work_item_rec r = it[3];
    r.state = SK_WORK_RESOLVED;
    r.resolved_ms = 2000;
    snprintf(r.resolved_by, sizeof(r.resolved_by), "insurer:%s", INS_X);
    snprintf(r.resolution, sizeof(r.resolution), "confirmed");
    snprintf(r.reason, sizeof(r.reason), "本人に確認した");
    r.created_ms = 9999; /* not among the fields resolve stores */
    OK(sk_store_work_item_resolve(tx, &r, &d));
    r.id = NONE;
    NF(sk_store_work_item_resolve(tx, &r, &d));
    OK(sk_tx_error(tx));
    commit(tx);

    int64_t a = it[0].id, b = it[1].id, c = it[2].id, e = it[3].id, g = it[4].id;
    const long long p1 = w.p1.id, p2 = w.p2.id;
    sk_work_item_rec got;
    tx = begin(f->s, false);
    OK(sk_store_work_item_get(tx, a, &got, &d));
    expect_text(
        wi_text(T0(), &got),
        "%lld check_mismatch insurer/%s %s p%lld n%lld q0 high {\"differ\":\"name\"} open 1000 0 "
        "  ",
        (long long)a, INS_X, INS_X, p1, (long long)n);
    OK(sk_store_work_item_get(tx, b, &got, &d));
    expect_text(wi_text(T0(), &got),
                "%lld mynumber_reminder employer/%s %s p%lld n0 q0  {} open 1001 0   ",
                (long long)b, emp, INS_X, p2);
    OK(sk_store_work_item_get(tx, c, &got, &d));
    expect_text(wi_text(T0(), &got),
                "%lld check_mismatch operator/ %s p%lld n0 q%lld low {} open 1002 0   ",
                (long long)c, INS_X, p2, (long long)w.q2);
    OK(sk_store_work_item_get(tx, e, &got, &d));
    expect_text(wi_text(T0(), &got),
                "%lld check_mismatch insurer/%s %s p%lld n0 q0  {} resolved 1003 2000 insurer:%s "
                "confirmed 本人に確認した",
                (long long)e, INS_X, INS_X, p2, INS_X);
    NF(sk_store_work_item_get(tx, NONE, &got, &d));

    EXPECT_IDS(WI(.after_id = 0), a, b, c, e, g);
    EXPECT_IDS(WI(.assignee_role = SK_ROLE_INSURER, .assignee_scope = INS_X), a, e);
    EXPECT_IDS(WI(.assignee_role = SK_ROLE_INSURER, .assignee_scope = INS_X, .state = SK_WORK_OPEN),
               a);
    EXPECT_IDS(WI(.assignee_role = SK_ROLE_INSURER, .assignee_scope = INS_Y), g);
    EXPECT_IDS(WI(.assignee_role = SK_ROLE_EMPLOYER, .assignee_scope = emp), b);
    EXPECT_IDS(WI(.assignee_role = SK_ROLE_OPERATOR, .assignee_scope = ""), c);
    EXPECT_IDS(WI(.assignee_role = SK_ROLE_INSURER), a, e, g); /* any scope */
    EXPECT_IDS(WI(.assignee_scope = INS_X), a, e);             /* any role */
    EXPECT_IDS(WI(.state = SK_WORK_RESOLVED), e);
    EXPECT_IDS(WI(.state = SK_WORK_OPEN), a, b, c, g);
    EXPECT_IDS(WI(.kind = SK_WORK_MYNUMBER_REMINDER), b);
    EXPECT_IDS(WI(.kind = SK_WORK_CHECK_MISMATCH, .state = SK_WORK_OPEN), a, c, g);
    EXPECT_IDS(WI(.kind = SK_WORK_CHECK_MISMATCH, .person_id = w.p1.id), a, g);
    EXPECT_IDS(WI(.person_id = w.p2.id), b, c, e);
    EXPECT_IDS(WI(.person_id = w.p2.id, .state = SK_WORK_OPEN), b, c);
    EXPECT_IDS(WI(.notification_id = n), a);
    EXPECT_NONE(WI(.notification_id = NONE));
    EXPECT_NONE(WI(.kind = SK_WORK_REPORT_STOP)); /* a kind no item has */
    EXPECT_IDS(WI(.after_id = b), c, e, g);
    EXPECT_IDS(WI(.kind = SK_WORK_CHECK_MISMATCH, .after_id = a, .limit = 2), c, e);
    EXPECT_IDS(WI(.person_id = w.p2.id, .limit = 1), b);
    /* pages of two, each after the last id seen, give every item once */
    ids all = {0}, page;
    int64_t after = 0;
    do {
        page = WI(.after_id = after, .limit = 2);
        assert_true(page.n <= 2);
        for (int i = 0; i < page.n; i++)
            push(&all, after = page.v[i]);
    } while (page.n == 2);
    EXPECT_IDS(all, a, b, c, e, g);
    sk_tx_rollback(tx);
    /* a work item about a person who does not exist */
    tx = begin(f->s, true);
    it[1].person_id = NONE;
    FAILS(sk_store_work_item_add(tx, &it[1], &d));
    sk_tx_rollback(tx);
}

/* 閲覧停止: opened, listed oldest first (all, or only those still open), closed once. */
static void test_display_stops(void **state)
{
    fixture *f = *state;
    world w = build(f->s);
    sk_tx *tx = begin(f->s, true);
    sk_work_item_rec item = wi("check_mismatch", "insurer", INS_X, INS_X, w.p1.id, 50);
    OK(sk_store_work_item_add(tx, &item, &d));
    sk_stop_rec s[3] = {
        {.qualification_id = w.q1, .cause = SK_STOP_CHECK, .opened_ms = 100, .opened_by = "system"},
        {.qualification_id = w.q1,
         .cause = SK_STOP_REPORT,
         .opened_ms = 200,
         .opened_by = "operator"},
        {.qualification_id = w.q2,
         .cause = SK_STOP_REPORT,
         .opened_ms = 300,
         .opened_by = "operator"}};
    s[0].work_item_id = item.id;
    for (int i = 0; i < 3; i++)
        OK(sk_store_stop_add(tx, &s[i], &d));
    assert_true(s[0].id > 0 && s[1].id > s[0].id);
    commit(tx);

    char open0[128], open1[128], closed0[256];
    snprintf(open0, sizeof(open0), "%lld q%lld w%lld check 100 system", (long long)s[0].id,
             (long long)w.q1, (long long)item.id);
    snprintf(open1, sizeof(open1), "%lld q%lld w0 report 200 operator 0   ;", (long long)s[1].id,
             (long long)w.q1);
    snprintf(closed0, sizeof(closed0), "%s 400 insurer:%s confirmed 本人確認済み;", open0, INS_X);
    tx = begin(f->s, true);
    OK(sk_store_stop_list(tx, w.q1, true, stop_text, T0(), &d));
    expect_text(text, "%s 0   ;%s", open0, open1);
    sk_stop_rec closing = s[0];
    closing.closed_ms = 400;
    snprintf(closing.closed_by, sizeof(closing.closed_by), "insurer:%s", INS_X);
    snprintf(closing.resolution, sizeof(closing.resolution), "confirmed");
    snprintf(closing.reason, sizeof(closing.reason), "本人確認済み");
    OK(sk_store_stop_close(tx, &closing, &d));
    commit(tx);

    /* a second close of the same stop fails and leaves the first close as it was; so does a
     * close of no stop */
    for (int i = 0; i < 2; i++) {
        sk_stop_rec again = closing;
        again.id = i ? NONE : s[0].id;
        again.closed_ms = 999;
        snprintf(again.closed_by, sizeof(again.closed_by), "someone else");
        tx = begin(f->s, true);
        FAILS(sk_store_stop_close(tx, &again, &d));
        sk_tx_rollback(tx);
    }

    tx = begin(f->s, false);
    OK(sk_store_stop_list(tx, w.q1, true, stop_text, T0(), &d));
    expect_text(text, "%s", open1);
    OK(sk_store_stop_list(tx, w.q1, false, stop_text, T0(), &d));
    expect_text(text, "%s%s", closed0, open1);
    OK(sk_store_stop_list(tx, w.q2, false, stop_text, T0(), &d));
    expect_text(text, "%lld q%lld w0 report 300 operator 0   ;", (long long)s[2].id,
                (long long)w.q2);
    OK(sk_store_stop_list(tx, NONE, false, stop_text, T0(), &d));
    assert_string_equal(text, "");
    sk_tx_rollback(tx);
}

static void update_acq(sk_tx *tx, int64_t id, const char *stage, int64_t reminded_ms,
                       int64_t next_ms, int attempts, const char *outcome, int64_t at_ms)
{
    sk_acquisition_rec u = {.notification_id = id,
                            .reminded_ms = reminded_ms,
                            .next_ms = next_ms,
                            .attempts = attempts,
                            .updated_ms = at_ms};
    assert_true(sk_acq_stage_from_name(stage, &u.stage));
    snprintf(u.outcome, sizeof(u.outcome), "%s", outcome);
    sk_err err = sk_store_acquisition_update(tx, &u, &d);
    assert_int_equal(err, id == NONE ? SK_ERR_NOTFOUND : SK_OK);
}

/* My Number acquisition: seeded from pending 届出, due by next action time, settled once the
 * 届出 is no longer pending, updated by the scheduler. */
static void test_acquisitions(void **state)
{
    fixture *f = *state;
    world w = build(f->s);
    sk_acquisition_rec got;
    sk_tx *tx = begin(f->s, true);
    int64_t n1 = add_notif(tx, "pending_my_number", w.p1.id, w.employer, 1000, "{}");
    int64_t n2 = add_notif(tx, "pending_my_number", w.p2.id, 0, 500, "{}");
    int64_t n3 = add_notif(tx, "registered", w.p2.id, 0, 200, "{}");
    NF(sk_store_acquisition_get(tx, n1, &got, &d));
    int64_t added = -1;
    OK(sk_store_acquisition_seed(tx, 100, 5000, &added, &d));
    assert_int_equal(added, 2);
    OK(sk_store_acquisition_seed(tx, 100, 6000, &added, &d));
    assert_int_equal(added, 0); /* each 届出 once */
    commit(tx);

    char a1[64], a2[64]; /* notification, person, employer, insurer */
    snprintf(a1, sizeof(a1), "n%lld p%lld e%lld %s", (long long)n1, (long long)w.p1.id,
             (long long)w.employer, INS_X);
    snprintf(a2, sizeof(a2), "n%lld p%lld e0 %s", (long long)n2, (long long)w.p2.id, INS_X);
    tx = begin(f->s, true);
    /* requested at its filing time, next action at filing + first delay */
    OK(sk_store_acquisition_get(tx, n1, &got, &d));
    expect_text(acq_text(T0(), &got), "%s requested 1000 0 1100 0  5000", a1);
    OK(sk_store_acquisition_get(tx, n2, &got, &d));
    expect_text(acq_text(T0(), &got), "%s requested 500 0 600 0  5000", a2);
    NF(sk_store_acquisition_get(tx, n3, &got, &d));

    EXPECT_NONE(due(tx, 599, 10));
    EXPECT_IDS(due(tx, 600, 10), n2);
    EXPECT_IDS(due(tx, 1100, 10), n2, n1); /* oldest first */
    EXPECT_IDS(due(tx, 1100, 1), n2);

    update_acq(tx, n2, "reminded", 700, 2000, 1, "none", 700); /* acts again later */
    OK(sk_store_acquisition_get(tx, n2, &got, &d));
    expect_text(acq_text(T0(), &got), "%s reminded 500 700 2000 1 none 700", a2);
    EXPECT_IDS(due(tx, 1999, 10), n1);
    EXPECT_IDS(due(tx, 2000, 10), n1, n2);                   /* the longest due first */
    update_acq(tx, n1, "review", 0, 0, 3, "mismatch", 3000); /* never due */
    EXPECT_IDS(due(tx, 1000000, 10), n2);
    OK(sk_store_acquisition_get(tx, n1, &got, &d));
    expect_text(acq_text(T0(), &got), "%s review 1000 0 0 3 mismatch 3000", a1);
    update_acq(tx, NONE, "review", 0, 0, 3, "mismatch", 3000);
    OK(sk_tx_error(tx));

    /* settled: not done, 届出 no longer pending */
    EXPECT_NONE(settled(tx, 10));
    transition(tx, n2, w.p2.id, "registered", 4000, "");
    EXPECT_IDS(settled(tx, 10), n2);
    transition(tx, n1, w.p1.id, "withdrawn", 4100, "");
    ids both = settled(tx, 10); /* the header names no order */
    assert_int_equal(both.n, 2);
    assert_true((both.v[0] == n1 && both.v[1] == n2) || (both.v[0] == n2 && both.v[1] == n1));
    assert_int_equal(settled(tx, 1).n, 1);
    update_acq(tx, n2, "done", 700, 0, 1, "match", 4200);
    EXPECT_IDS(settled(tx, 10), n1);
    EXPECT_NONE(due(tx, 1000000, 10));
    commit(tx);

    /* nothing new to seed: the settled ones are not pending any more */
    tx = begin(f->s, true);
    OK(sk_store_acquisition_seed(tx, 100, 7000, &added, &d));
    assert_int_equal(added, 0);
    sk_tx_rollback(tx);
}

/* The first error of a transaction: kept by sk_tx_error, returned by every later call without
 * running it and by the commit, which rolls back; a NOTFOUND is no error of the transaction. */
static void test_tx_error_first_wins(void **state)
{
    fixture *f = *state;
    build(f->s);
    sk_tx *tx = begin(f->s, true);
    OK(sk_tx_error(tx));
    assert_int_equal(next_no(tx, INS_X, "tx"), 1);
    sk_work_item_rec got;
    NF(sk_store_work_item_get(tx, NONE, &got, &d));
    OK(sk_tx_error(tx));
    sk_work_item_rec bad = wi("check_mismatch", "insurer", INS_X, INS_X, NONE, 1);
    sk_err first = sk_store_work_item_add(tx, &bad, &d);
    assert_int_not_equal(first, SK_OK);
    assert_int_equal(sk_tx_error(tx), first);
    int64_t v = 0;
    assert_int_equal(sk_store_counter_next(tx, INS_X, "tx", &v, &d), first); /* not run */
    assert_int_equal(v, 0);
    assert_int_equal(sk_store_work_item_get(tx, NONE, &got, &d), first);
    assert_int_equal(sk_tx_commit(tx, &d), first);
    tx = begin(f->s, true); /* rolled back: the number taken before the error is free again */
    assert_int_equal(next_no(tx, INS_X, "tx"), 1);
    commit(tx);
}

/* A read-only transaction reads what was committed before it and writes nothing: a write in it
 * is refused, and nothing of it is seen afterwards — not by the thread's next read-only
 * transaction, not through the store's memory of insurers, not by a write transaction. */
static void test_read_transaction(void **state)
{
    fixture *f = *state;
    world w = build(f->s);
    sk_tx *tx = begin(f->s, false);
    sk_person_rec p;
    OK(sk_store_person_get(tx, w.p2.id, false, &p, &d));
    assert_string_equal(p.info.name, "資格　花子");
    sk_identity_check_rec c = {
        .person_id = w.p2.id, .at_ms = 1, .trigger = "recheck", .verdict = SK_VERDICT_MATCH};
    sk_insurer_rec z = {.number = "27000001", .kind = SK_INSURER_KUMIAI, .name = "読むだけ"};
    sk_err check = sk_store_identity_check_add(tx, &c, &d);
    sk_err insurer = sk_store_insurer_add(tx, &z, &d);
    sk_store_insurer_get(tx, z.number, &z, &d);
    sk_err first = sk_tx_error(tx);
    sk_tx_rollback(tx);
    tx = begin(f->s, false);
    sk_err read_check = sk_store_identity_check_last(tx, w.p2.id, &c, &d);
    sk_err read_insurer = sk_store_insurer_get(tx, z.number, &z, &d);
    sk_tx_rollback(tx);
    tx = begin(f->s, true);
    sk_err write_check = sk_store_identity_check_last(tx, w.p2.id, &c, &d);
    sk_err write_insurer = sk_store_insurer_get(tx, z.number, &z, &d);
    sk_tx_rollback(tx);
    if (check == SK_OK || insurer == SK_OK || first == SK_OK || read_check != SK_ERR_NOTFOUND ||
        read_insurer != SK_ERR_NOTFOUND || write_check != SK_ERR_NOTFOUND ||
        write_insurer != SK_ERR_NOTFOUND)
        fail_msg("in a read-only transaction: identity_check_add %s, insurer_add %s, tx error %s;"
                 " after its rollback, a read-only transaction finds the check: %s, the insurer: "
                 "%s; a write transaction finds the check: %s, the insurer: %s",
                 sk_err_name(check), sk_err_name(insurer), sk_err_name(first),
                 sk_err_name(read_check), sk_err_name(read_insurer), sk_err_name(write_check),
                 sk_err_name(write_insurer));
}

int main(void)
{
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_insurers_and_employers),
        T(test_person_update_and_next),
        T(test_qualification_list_by_insurer),
        T(test_counters),
        T(test_notifications_by_person_and_events),
        T(test_audit_add_and_list),
        T(test_bulk_find_idem),
        T(test_refno_set_and_replace),
        T(test_disease_certs),
        T(test_identity_checks),
        T(test_work_items),
        T(test_display_stops),
        T(test_acquisitions),
        T(test_tx_error_first_wins),
        T(test_read_transaction),
    };
    int failed = 0;
    for (const char *const *drv = sk_store_drivers(); *drv; drv++) {
        current_driver = *drv;
        char name[64];
        snprintf(name, sizeof(name), "store_ops[%s]", *drv);
        failed +=
            _cmocka_run_group_tests(name, tests, sizeof(tests) / sizeof(tests[0]), NULL, NULL);
    }
    return failed;
}
