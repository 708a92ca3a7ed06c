/* test_filing.c — 届出: each kind, each transition, the bad inputs of issue #3 (nothing is
 * written), idempotency, numbering and 枝番, scope, batches and concurrent group commits. */
#include "support.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/qualification.h"
#include "registry/filing.h"
#include "registry/registry.h"

#define NOW       1763683200000LL /* 2025-11-21T00:00:00Z */
#define KYOKAI    "01130012"
#define KUMIAI    "06130017"
#define MN_TARO   "123456789018"
#define MN_HANA   "100000000013"
#define MN_OTHER  "200000000018"
#define MN_FOURTH "300000000012"

typedef struct fx {
    char *dir;
    sk_store *s;
    sk_registry *reg;
    sk_arena *a;
    sk_principal emp, emp2, ins, ins2, inst;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof(*f));
    f->dir = sk_test_tmpdir();
    char db[4200];
    snprintf(db, sizeof(db), "%s/f.db", f->dir);
    sk_store_options o = {.dsn = db};
    sk_diag d;
    sk_insurer_rec ins;
    sk_employer_rec e1, e2;
    if (sk_store_create(&o, &d) || sk_store_open(&o, &f->s, &d) ||
        sk_registry_open(f->s, &f->reg, &d) ||
        sk_registry_insurer_add(f->reg, KYOKAI, "協会けんぽ東京", "", "t", NOW, &ins, &d) ||
        sk_registry_insurer_add(f->reg, KUMIAI, "シカク健保組合", "symbol=10;number={seq:6}", "t",
                                NOW, &ins, &d) ||
        sk_registry_employer_add(f->reg, KYOKAI, "株式会社一", "5001", "t", NOW, &e1, &d) ||
        sk_registry_employer_add(f->reg, KYOKAI, "株式会社二", "5002", "t", NOW, &e2, &d)) {
        fprintf(stderr, "setup: %s %s\n", d.field, d.message);
        return -1;
    }
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)e1.id);
    f->emp = sk_test_principal(SK_ROLE_EMPLOYER, id);
    snprintf(id, sizeof(id), "%lld", (long long)e2.id);
    f->emp2 = sk_test_principal(SK_ROLE_EMPLOYER, id);
    f->ins = sk_test_principal(SK_ROLE_INSURER, KYOKAI);
    f->ins2 = sk_test_principal(SK_ROLE_INSURER, KUMIAI);
    f->inst = sk_test_principal(SK_ROLE_INSTITUTION, "1311234567");
    f->a = sk_arena_alloc(64 * 1024, 16 * 1024 * 1024);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    sk_arena_free(f->a);
    sk_registry_free(f->reg);
    sk_store_close(f->s);
    sk_test_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* Files a 届出 given as "name", "value", … NULL. */
static sk_err file_as(fx *f, const sk_principal *who, const char *idem, sk_notification_view *v,
                      sk_diag *d, ...)
{
    sk_field fl[32];
    size_t n = 0;
    va_list ap;
    va_start(ap, d);
    const char *name;
    while ((name = va_arg(ap, const char *)) && n < 32) {
        fl[n].name = name;
        fl[n].value = va_arg(ap, const char *);
        n++;
    }
    va_end(ap);
    sk_filing in = {.fields = fl, .nfields = n, .idem_key = idem};
    sk_diag_clear(d);
    return sk_registry_file(f->reg, who, &in, NOW, f->a, v, d);
}

#define TARO_FIELDS(acq)                                                                           \
    "kind", "acquisition", "name", "山田　太郎", "kana", "ヤマダ タロウ", "birthdate",             \
        "1990-04-01", "sex", "1", "address", "東京都千代田区千代田1-1", "acquired_on", acq

typedef struct state_count {
    const char *state;
    int64_t n;
} state_count;

static sk_err count_cb(void *ctx, const char *st, int64_t n)
{
    state_count *c = ctx;
    if (strcmp(st, c->state) == 0)
        c->n = n;
    return SK_OK;
}

static int64_t count_state(fx *f, sk_notification_state state)
{
    state_count c = {sk_notification_state_name(state), 0};
    sk_tx *tx;
    sk_diag d;
    sk_store_begin_read(f->s, &tx, &d);
    sk_store_notification_count_by_state(tx, count_cb, &c, &d);
    sk_tx_rollback(tx);
    return c.n;
}

static void test_acquisition_registers_and_numbers(void **state)
{
    fx *f = *state;
    sk_notification_view v;
    sk_diag d;
    assert_int_equal(file_as(f, &f->emp, NULL, &v, &d, TARO_FIELDS("2025-11-20"), "mynumber",
                             MN_TARO, "certificate", "true", NULL),
                     SK_OK);
    assert_int_equal(v.n.state, SK_STATE_REGISTERED);
    assert_true(v.has_qual);
    assert_string_equal(v.q.key.symbol, "5001"); /* default rule: 事業所記号 */
    assert_string_equal(v.q.key.number, "1");
    assert_string_equal(v.q.key.branch, "00");
    assert_int_equal(v.q.registered_ms, NOW);
    assert_int_equal(v.n.registered_ms, NOW);
    assert_int_equal(v.n.filed_ms, NOW);
    assert_date(v.n.event_date, 2025, 11, 20);
    /* the stored payload never holds the number */
    assert_null(strstr(v.n.payload, MN_TARO));
    assert_non_null(strstr(v.n.payload, "\"mynumber\":\"provided\""));

    /* the insurer's own rule: 健保組合 symbol=10, 6-digit numbers */
    assert_int_equal(
        file_as(f, &f->ins2, NULL, &v, &d, TARO_FIELDS("2025-11-01"), "mynumber", MN_OTHER, NULL),
        SK_OK);
    assert_string_equal(v.q.key.symbol, "10");
    assert_string_equal(v.q.key.number, "000001");
    assert_int_equal(
        file_as(f, &f->ins2, NULL, &v, &d, TARO_FIELDS("2025-11-01"), "name", "別人", NULL),
        SK_ERR_INVALID); /* name twice */
    assert_int_equal(d.code, SK_C_UNKNOWN_FIELD);
}

static void test_pending_until_mynumber(void **state)
{
    fx *f = *state;
    sk_notification_view v, reg, got;
    sk_diag d;
    assert_int_equal(file_as(f, &f->emp, NULL, &v, &d, TARO_FIELDS("2025-11-20"), NULL), SK_OK);
    assert_int_equal(v.n.state, SK_STATE_PENDING_MYNUMBER);
    assert_int_equal(v.q.registered_ms, 0);
    assert_int_equal(v.n.registered_ms, 0);
    /* 個人番号登録届 completes it */
    assert_int_equal(file_as(f, &f->emp, NULL, &reg, &d, "kind", "mynumber_register", "person",
                             v.person_pid, "mynumber", MN_TARO, NULL),
                     SK_OK);
    assert_int_equal(reg.n.state, SK_STATE_REGISTERED);
    assert_int_equal(sk_registry_notification_get(f->reg, &f->emp, v.n.id, f->a, &got, &d), SK_OK);
    assert_int_equal(got.n.state, SK_STATE_REGISTERED);
    assert_int_equal(got.n.registered_ms, NOW);
    assert_int_equal(got.q.registered_ms, NOW);
    /* a second registration is a change, not a registration */
    assert_int_equal(file_as(f, &f->emp, NULL, &reg, &d, "kind", "mynumber_register", "person",
                             v.person_pid, "mynumber", MN_TARO, NULL),
                     SK_ERR_CONFLICT);
    assert_int_equal(d.code, SK_C_STATE);
    assert_int_equal(file_as(f, &f->emp, NULL, &reg, &d, "kind", "mynumber_change", "person",
                             v.person_pid, "mynumber", MN_HANA, NULL),
                     SK_OK);
}

static void test_idempotency(void **state)
{
    fx *f = *state;
    sk_notification_view v1, v2;
    sk_diag d;
    assert_int_equal(
        file_as(f, &f->emp, "key-1", &v1, &d, TARO_FIELDS("2025-11-20"), "mynumber", MN_TARO, NULL),
        SK_OK);
    assert_false(v1.replayed);
    assert_int_equal(
        file_as(f, &f->emp, "key-1", &v2, &d, TARO_FIELDS("2025-11-20"), "mynumber", MN_TARO, NULL),
        SK_OK);
    assert_true(v2.replayed);
    assert_int_equal(v2.n.id, v1.n.id);
    assert_string_equal(v2.q.key.number, v1.q.key.number);
    /* the same key for another 届出 */
    assert_int_equal(
        file_as(f, &f->emp, "key-1", &v2, &d, TARO_FIELDS("2025-11-21"), "mynumber", MN_TARO, NULL),
        SK_ERR_CONFLICT);
    assert_int_equal(d.code, SK_C_IDEMPOTENCY);
    assert_int_equal(count_state(f, SK_STATE_REGISTERED), 1);
    /* the key belongs to the employer, not the token: another employer's key is its own */
    assert_int_equal(file_as(f, &f->emp2, "key-1", &v2, &d, TARO_FIELDS("2026-01-01"), "mynumber",
                             MN_HANA, NULL),
                     SK_OK);
    assert_false(v2.replayed);
}

static void test_bad_input_writes_nothing(void **state)
{
    fx *f = *state;
    sk_notification_view v;
    sk_diag d;
    assert_int_equal(
        file_as(f, &f->emp, NULL, &v, &d, TARO_FIELDS("2025-11-20"), "mynumber", MN_TARO, NULL),
        SK_OK);
    const char *pid = v.person_pid;
    char taro[SK_PID_LEN + 1];
    memcpy(taro, pid, sizeof(taro));
    static const char *ghost = "0123456789abcdef0123456789abcdef";
    static const struct {
        const char *what;
        sk_code code;
        const char *field;
    } want[] = {
        {"unknown kind", SK_C_UNKNOWN_KIND, "kind"},
        {"no kind", SK_C_REQUIRED, "kind"},
        {"unknown field", SK_C_UNKNOWN_FIELD, "bonus"},
        {"missing name", SK_C_REQUIRED, "name"},
        {"bad My Number", SK_C_MYNUMBER_CHECK_DIGIT, "mynumber"},
        {"bad date", SK_C_DATE_INVALID, "acquired_on"},
        {"acquired before birth", SK_C_DATE_ORDER, "acquired_on"},
        {"bad kana", SK_C_KANA, "kana"},
        {"foreign insurer", SK_C_FORBIDDEN, "insurer"},
        {"bad insurer number", SK_C_INSURER_CHECK_DIGIT, "insurer"},
        {"overlap", SK_C_OVERLAP, "acquired_on"},
        {"loss before acquisition", SK_C_DATE_ORDER, "event_date"},
        {"dependent without insured", SK_C_NO_INSURED, "insured"},
        {"dependent 75+", SK_C_DEPENDENT_AGE, "birthdate"},
        {"unknown person", SK_C_UNKNOWN_PERSON, "person"},
        {"bad loss reason", SK_C_LOSS_REASON, "reason"},
        {"loss without event_date", SK_C_REQUIRED, "event_date"},
        {"institution files", SK_C_FORBIDDEN, ""},
        {"other employer's person", SK_C_UNKNOWN_PERSON, "person"},
    };
    sk_err e[sizeof(want) / sizeof(want[0])];
    sk_diag ds[sizeof(want) / sizeof(want[0])];
    int i = 0;
#define F(...) (e[i] = file_as(f, &f->emp, NULL, &v, &ds[i], __VA_ARGS__, NULL), i++)
    F("kind", "hire");
    F("name", "x");
    F(TARO_FIELDS("2025-11-20"), "bonus", "1");
    F("kind", "acquisition", "kana", "ア", "birthdate", "1990-01-01", "sex", "1", "address", "x",
      "acquired_on", "2025-11-20");
    F(TARO_FIELDS("2025-11-20"), "mynumber", "123456789012");
    F(TARO_FIELDS("2025-02-30"));
    F(TARO_FIELDS("1980-01-01"));
    F("kind", "acquisition", "name", "x", "kana", "やまだ", "birthdate", "1990-01-01", "sex", "1",
      "address", "x", "acquired_on", "2025-11-20");
    F(TARO_FIELDS("2025-11-20"), "insurer", KUMIAI);
    F(TARO_FIELDS("2025-11-20"), "insurer", "01130013");
    F(TARO_FIELDS("2025-12-01"), "mynumber", MN_TARO);
    F("kind", "loss", "person", taro, "reason", "retirement", "event_date", "2025-11-01");
    F("kind", "dependent_add", "insured", ghost, "name", "花子", "kana", "ハナコ", "birthdate",
      "2000-01-01", "sex", "2", "address", "x", "acquired_on", "2025-11-20");
    F("kind", "dependent_add", "insured", taro, "name", "祖母", "kana", "ソボ", "birthdate",
      "1945-01-01", "sex", "2", "address", "x", "acquired_on", "2025-11-20");
    F("kind", "name_change", "person", ghost, "name", "新");
    F("kind", "loss", "person", taro, "reason", "fired", "event_date", "2025-12-01");
    F("kind", "loss", "person", taro, "reason", "retirement");
    e[i] = file_as(f, &f->inst, NULL, &v, &ds[i], TARO_FIELDS("2025-11-20"), NULL), i++;
    e[i] = file_as(f, &f->emp2, NULL, &v, &ds[i], "kind", "address_change", "person", taro,
                   "address", "大阪府", NULL),
    i++;
#undef F
    assert_int_equal(i, (int)(sizeof(want) / sizeof(want[0])));
    for (int k = 0; k < i; k++) {
        if (e[k] == SK_OK || ds[k].code != want[k].code || strcmp(ds[k].field, want[k].field))
            fail_msg("%s: got %s field '%s' (%s)", want[k].what, sk_code_name(ds[k].code),
                     ds[k].field, ds[k].message);
    }
    /* only the first acquisition is in the store */
    assert_int_equal(count_state(f, SK_STATE_REGISTERED), 1);
    assert_int_equal(count_state(f, SK_STATE_PENDING_MYNUMBER), 0);
}

/* issue 19 B.2, B.3: a field's JSON type is the registry's rule (flags take booleans, the rest
 * text), text never holds a control or bidi character, an idempotency key is printable ASCII */
static void test_field_types_and_characters(void **state)
{
    fx *f = *state;
    sk_field fl[] = {{"kind", "acquisition"},       {"name", "型　太郎"},   {"kana", "カタ タロウ"},
                     {"birthdate", "1990-04-01"},   {"sex", "1"},           {"address", "東京都"},
                     {"acquired_on", "2025-11-20"}, {"certificate", "true"}};
    enum { N = sizeof(fl) / sizeof(fl[0]) };
    static const struct {
        int at;             /* the field given another type (or value) */
        sk_field_type type; /* its type */
        const char *value;  /* NULL = unchanged */
        const char *idem;
        sk_code code; /* SK_C__COUNT = filed */
        const char *field;
    } t[] = {
        {1, SK_FIELD_BOOL, "true", NULL, SK_C_FIELD_TYPE, "name"},
        {1, SK_FIELD_NUMBER, "1", NULL, SK_C_FIELD_TYPE, "name"},
        {1, SK_FIELD_COMPOUND, "", NULL, SK_C_FIELD_TYPE, "name"},
        {0, SK_FIELD_NUMBER, "1", NULL, SK_C_FIELD_TYPE, "kind"},
        {4, SK_FIELD_NUMBER, "1", NULL, SK_C_FIELD_TYPE, "sex"},
        {3, SK_FIELD_BOOL, "false", NULL, SK_C_FIELD_TYPE, "birthdate"},
        {7, SK_FIELD_NUMBER, "1", NULL, SK_C_FIELD_TYPE, "certificate"},
        {7, SK_FIELD_COMPOUND, "", NULL, SK_C_FIELD_TYPE, "certificate"},
        {1, SK_FIELD_TEXT, "型\u202Eウロタ", NULL, SK_C_BAD_CHAR, "name"},
        {5, SK_FIELD_TEXT, "東京都\u2066千代田区", NULL, SK_C_BAD_CHAR, "address"},
        {1, SK_FIELD_TEXT, "型\u200D太郎", NULL, SK_C_BAD_CHAR, "name"},
        {2, SK_FIELD_TEXT, "カタ\u200Bタロウ", NULL, SK_C_BAD_CHAR, "kana"},
        {0, SK_FIELD_TEXT, NULL, "key\twith-tab", SK_C_BAD_CHAR, "idempotency_key"},
        {0, SK_FIELD_TEXT, NULL, "キー", SK_C_BAD_CHAR, "idempotency_key"},
        {7, SK_FIELD_BOOL, "true", NULL, SK_C__COUNT, ""}, /* a JSON boolean flag */
        {7, SK_FIELD_TEXT, "要", NULL, SK_C__COUNT, ""},   /* a CSV cell */
        {1, SK_FIELD_TEXT, "葛\U000E0100西　花子", "ok-key_1", SK_C__COUNT, ""}, /* IVS */
    };
    int filed = 0;
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        sk_field g[N];
        sk_field_type ty[N];
        memcpy(g, fl, sizeof(g));
        for (size_t k = 0; k < N; k++)
            ty[k] = k == 7 ? SK_FIELD_BOOL : SK_FIELD_TEXT;
        ty[t[i].at] = t[i].type;
        if (t[i].value)
            g[t[i].at].value = t[i].value;
        char name[32];
        snprintf(name, sizeof(name), "型　%zu", i); /* a new person each time */
        if (t[i].at != 1)
            g[1].value = name;
        sk_filing in = {g, N, t[i].idem, ty};
        sk_notification_view v;
        sk_diag d;
        sk_diag_clear(&d);
        sk_err err = sk_registry_file(f->reg, &f->emp, &in, NOW, f->a, &v, &d);
        if (t[i].code == SK_C__COUNT) {
            if (err)
                fail_msg("case %zu refused: %s %s", i, d.field, d.message);
            filed++;
        } else if (!err || d.code != t[i].code || strcmp(d.field, t[i].field) != 0) {
            fail_msg("case %zu: got %s/%s, want %s/%s", i, sk_code_name(d.code), d.field,
                     sk_code_name(t[i].code), t[i].field);
        }
    }
    assert_int_equal(count_state(f, SK_STATE_PENDING_MYNUMBER), filed);
    /* an unknown member is named as such whatever its type */
    sk_field u[] = {{"kind", "acquisition"}, {"bonus", "1"}};
    sk_field_type uty[] = {SK_FIELD_TEXT, SK_FIELD_NUMBER};
    sk_filing in = {u, 2, NULL, uty};
    sk_notification_view v;
    sk_diag d;
    assert_int_equal(sk_registry_file(f->reg, &f->emp, &in, NOW, f->a, &v, &d), SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_UNKNOWN_FIELD);
    assert_string_equal(d.field, "bonus");
    /* an empty required value is missing, whichever field it is (not a sex or date error) */
    static const char *const required[] = {"sex", "birthdate", "acquired_on", "name"};
    for (size_t i = 0; i < 4; i++) {
        sk_field g[N];
        memcpy(g, fl, sizeof(g));
        for (size_t k = 0; k < N; k++)
            if (strcmp(g[k].name, required[i]) == 0)
                g[k].value = "";
        sk_filing e = {g, N, NULL, NULL};
        assert_int_equal(sk_registry_file(f->reg, &f->emp, &e, NOW, f->a, &v, &d), SK_ERR_INVALID);
        assert_int_equal(d.code, SK_C_REQUIRED);
        assert_string_equal(d.field, required[i]);
    }
}

static void test_dependents_and_branches(void **state)
{
    fx *f = *state;
    sk_notification_view t, h, c, r;
    sk_diag d;
    assert_int_equal(
        file_as(f, &f->emp, NULL, &t, &d, TARO_FIELDS("2025-04-01"), "mynumber", MN_TARO, NULL),
        SK_OK);
#define DEP(v, name, bd, mn)                                                                       \
    file_as(f, &f->emp, NULL, v, &d, "kind", "dependent_add", "insured", t.person_pid, "name",     \
            name, "kana", "ヤマダ", "birthdate", bd, "sex", "2", "address", "東京都",              \
            "acquired_on", "2025-04-01", "mynumber", mn, NULL)
    assert_int_equal(DEP(&h, "山田　花子", "1992-05-05", MN_HANA), SK_OK);
    assert_string_equal(h.q.key.symbol, t.q.key.symbol);
    assert_string_equal(h.q.key.number, t.q.key.number);
    assert_string_equal(h.q.key.branch, "01");
    assert_int_equal(h.q.relationship, SK_REL_DEPENDENT);
    assert_int_equal(h.q.insured_person_id, t.n.person_id);
    assert_int_equal(DEP(&c, "山田　一郎", "2020-02-29", MN_OTHER), SK_OK);
    assert_string_equal(c.q.key.branch, "02");
    /* removal: the day after (健保法36条), then re-adding keeps the person's 枝番 */
    assert_int_equal(file_as(f, &f->emp, NULL, &r, &d, "kind", "dependent_remove", "insured",
                             t.person_pid, "person", h.person_pid, "reason", "other", "event_date",
                             "2025-06-30", NULL),
                     SK_OK);
    assert_true(r.q.has_lost);
    assert_date(r.q.lost_on, 2025, 7, 1);
    assert_int_equal(file_as(f, &f->emp, NULL, &h, &d, "kind", "dependent_add", "insured",
                             t.person_pid, "name", "山田　花子", "kana", "ヤマダ", "birthdate",
                             "1992-05-05", "sex", "2", "address", "東京都", "acquired_on",
                             "2025-09-01", "mynumber", MN_HANA, NULL),
                     SK_OK);
    assert_string_equal(h.q.key.branch, "01");
    /* the insured person leaves: dependents lose with him on the same day */
    assert_int_equal(file_as(f, &f->emp, NULL, &r, &d, "kind", "loss", "person", t.person_pid,
                             "reason", "retirement", "event_date", "2025-10-31", NULL),
                     SK_OK);
    assert_date(r.q.lost_on, 2025, 11, 1);
    sk_notification_view g;
    assert_int_equal(sk_registry_notification_get(f->reg, &f->ins, c.n.id, f->a, &g, &d), SK_OK);
    assert_true(g.q.has_lost);
    assert_date(g.q.lost_on, 2025, 11, 1);
    /* and a second loss is refused */
    assert_int_equal(file_as(f, &f->emp, NULL, &r, &d, "kind", "loss", "person", t.person_pid,
                             "reason", "retirement", "event_date", "2025-10-31", NULL),
                     SK_ERR_CONFLICT);
    assert_int_equal(d.code, SK_C_ALREADY_LOST);
#undef DEP
}

static void test_loss_reasons(void **state)
{
    fx *f = *state;
    sk_notification_view t, r;
    sk_diag d;
    static const struct {
        const char *reason, *event, *successor;
        int y, m, dd;
        const char *code;
    } v[] = {
        {"retirement", "2025-10-31", "false", 2025, 11, 1, "99"},
        {"death", "2025-10-31", "false", 2025, 11, 1, "01"},
        {"other_insurance", "2025-10-31", "true", 2025, 10, 31, "03"},
        {"age_75", "", "false", 2026, 4, 1, "99"}, /* born 1951-04-01: the 75th birthday */
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        char mn[13];
        /* a fresh person per case (check digit computed by the core) */
        static const char *const numbers[] = {MN_TARO, MN_HANA, MN_OTHER, MN_FOURTH};
        snprintf(mn, sizeof(mn), "%s", numbers[i]);
        assert_int_equal(file_as(f, &f->emp, NULL, &t, &d, "kind", "acquisition", "name", "氏名",
                                 "kana", "シメイ", "birthdate", "1951-04-01", "sex", "1", "address",
                                 "東京都", "acquired_on", "2025-04-01", "mynumber", mn, NULL),
                         SK_OK);
        sk_err err =
            file_as(f, &f->emp, NULL, &r, &d, "kind", "loss", "person", t.person_pid, "reason",
                    v[i].reason, "event_date", v[i].event, "successor", v[i].successor, NULL);
        if (err)
            fail_msg("%s: %s %s", v[i].reason, d.field, d.message);
        assert_date(r.q.lost_on, v[i].y, v[i].m, v[i].dd);
        assert_string_equal(r.q.loss_reason, v[i].code);
    }
}

static void test_changes(void **state)
{
    fx *f = *state;
    sk_notification_view t, c;
    sk_diag d;
    assert_int_equal(
        file_as(f, &f->emp, NULL, &t, &d, TARO_FIELDS("2025-04-01"), "mynumber", MN_TARO, NULL),
        SK_OK);
    assert_int_equal(file_as(f, &f->emp, NULL, &c, &d, "kind", "name_change", "person",
                             t.person_pid, "name", "佐藤　太郎", "kana", "サトウ タロウ",
                             "event_date", "2025-06-01", NULL),
                     SK_OK);
    assert_int_equal(file_as(f, &f->ins, NULL, &c, &d, "kind", "address_change", "person",
                             t.person_pid, "address", "大阪府大阪市北区1-1", "postcode", "5300001",
                             NULL),
                     SK_OK);
    sk_person_rec p;
    assert_int_equal(sk_registry_person_get(f->reg, &f->ins, t.person_pid, &p, NULL, NULL, &d),
                     SK_OK);
    assert_string_equal(p.info.name, "佐藤　太郎");
    assert_string_equal(p.info.kana, "サトウ タロウ");
    assert_string_equal(p.info.address, "大阪府大阪市北区1-1");
    assert_string_equal(p.postcode, "530-0001");
    /* a number another person holds */
    sk_notification_view o;
    assert_int_equal(file_as(f, &f->emp, NULL, &o, &d, "kind", "acquisition", "name", "別人",
                             "kana", "ベツジン", "birthdate", "1980-01-01", "sex", "2", "address",
                             "x", "acquired_on", "2025-04-01", "mynumber", MN_HANA, NULL),
                     SK_OK);
    assert_int_equal(file_as(f, &f->emp, NULL, &c, &d, "kind", "mynumber_change", "person",
                             t.person_pid, "mynumber", MN_HANA, NULL),
                     SK_ERR_EXISTS);
    assert_int_equal(d.code, SK_C_MYNUMBER_TAKEN);
}

static void test_visibility(void **state)
{
    fx *f = *state;
    sk_notification_view t, g;
    sk_diag d;
    sk_person_rec p;
    assert_int_equal(
        file_as(f, &f->emp, NULL, &t, &d, TARO_FIELDS("2025-04-01"), "mynumber", MN_TARO, NULL),
        SK_OK);
    sk_principal op = sk_test_principal(SK_ROLE_OPERATOR, "");
    sk_principal me = sk_test_principal(SK_ROLE_PERSON, t.person_pid);
    sk_principal other = sk_test_principal(SK_ROLE_PERSON, "0123456789abcdef0123456789abcdef");
    assert_int_equal(sk_registry_notification_get(f->reg, &f->emp, t.n.id, f->a, &g, &d), SK_OK);
    assert_int_equal(sk_registry_notification_get(f->reg, &f->ins, t.n.id, f->a, &g, &d), SK_OK);
    assert_int_equal(sk_registry_notification_get(f->reg, &op, t.n.id, f->a, &g, &d), SK_OK);
    /* another filer's 届出 is answered exactly as a missing one: no oracle (issue 19 B.5) */
    sk_diag missing;
    assert_int_equal(sk_registry_notification_get(f->reg, &f->emp, 999, f->a, &g, &missing),
                     SK_ERR_NOTFOUND);
    const sk_principal *strangers[] = {&f->emp2, &f->ins2};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(sk_registry_notification_get(f->reg, strangers[i], t.n.id, f->a, &g, &d),
                         SK_ERR_NOTFOUND);
        assert_int_equal(d.code, missing.code);
        assert_string_equal(d.field, missing.field);
        assert_string_equal(d.message, missing.message);
        assert_int_equal(g.n.id, 0); /* nothing of it is handed back */
    }
    /* a role that never reads 届出 is refused whatever the id */
    assert_int_equal(sk_registry_notification_get(f->reg, &f->inst, t.n.id, f->a, &g, &d),
                     SK_ERR_PERM);
    assert_int_equal(sk_registry_notification_get(f->reg, &me, 999, f->a, &g, &d), SK_ERR_PERM);
    /* persons likewise: another's record is "no such person", a malformed id a query error */
    assert_int_equal(sk_registry_person_get(f->reg, &me, t.person_pid, &p, NULL, NULL, &d), SK_OK);
    assert_int_equal(sk_registry_person_get(f->reg, &op, "ffffffffffffffffffffffffffffffff", &p,
                                            NULL, NULL, &missing),
                     SK_ERR_NOTFOUND);
    const sk_principal *others[] = {&other, &f->ins2, &f->emp2};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(
            sk_registry_person_get(f->reg, others[i], t.person_pid, &p, NULL, NULL, &d),
            SK_ERR_NOTFOUND);
        assert_int_equal(d.code, missing.code);
        assert_string_equal(d.message, missing.message);
    }
    assert_int_equal(sk_registry_person_get(f->reg, &f->inst, t.person_pid, &p, NULL, NULL, &d),
                     SK_ERR_PERM);
    assert_int_equal(sk_registry_person_get(f->reg, &op, "abc", &p, NULL, NULL, &d),
                     SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_QUERY);
}

static sk_err count_member(void *ctx, const sk_qualification_rec *q, const sk_person_rec *p)
{
    (void)q;
    (void)p;
    (*(int *)ctx)++;
    return SK_OK;
}

static void test_prehire_and_members(void **state)
{
    fx *f = *state;
    sk_notification_view t;
    sk_diag d;
    /* filed on 2025-11-21 for a hire on 2026-04-01 (事前提出, workflows F10): 131 days ahead,
     * beyond the default horizon of 90 days, refused naming the field … */
    assert_int_equal(
        file_as(f, &f->emp, NULL, &t, &d, TARO_FIELDS("2026-04-01"), "mynumber", MN_TARO, NULL),
        SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_DATE_FUTURE);
    assert_string_equal(d.field, "acquired_on");
    /* … and accepted by a registry whose horizon is longer (registry.prefile_days) */
    sk_registry *wide;
    sk_registry_options o = {.prefile_days = 150};
    assert_int_equal(sk_registry_open_with(f->s, &o, &wide, &d), SK_OK);
    sk_field fl[] = {
        {"kind", "acquisition"},       {"name", "山田　太郎"}, {"kana", "ヤマダ タロウ"},
        {"birthdate", "1990-04-01"},   {"sex", "1"},           {"address", "東京都"},
        {"acquired_on", "2026-04-01"}, {"mynumber", MN_TARO}};
    sk_filing in = {fl, 8, NULL, NULL};
    assert_int_equal(sk_registry_file(wide, &f->emp, &in, NOW, f->a, &t, &d), SK_OK);
    sk_registry_free(wide);
    assert_int_equal(t.n.state, SK_STATE_REGISTERED);
    int n = 0;
    assert_int_equal(
        sk_registry_members(f->reg, &f->ins, KYOKAI, D(2026, 3, 31), 0, 100, count_member, &n, &d),
        SK_OK);
    assert_int_equal(n, 0);
    assert_int_equal(
        sk_registry_members(f->reg, &f->ins, KYOKAI, D(2026, 4, 1), 0, 100, count_member, &n, &d),
        SK_OK);
    assert_int_equal(n, 1);
    /* within the default horizon (2026-02-19 is NOW + 90 days); a birthdate tomorrow never */
    assert_int_equal(file_as(f, &f->emp, NULL, &t, &d, TARO_FIELDS("2026-02-19"), NULL), SK_OK);
    assert_int_equal(file_as(f, &f->emp, NULL, &t, &d, TARO_FIELDS("2026-02-20"), NULL),
                     SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_DATE_FUTURE);
    assert_int_equal(file_as(f, &f->emp, NULL, &t, &d, "kind", "acquisition", "name", "未来　子",
                             "kana", "ミライ コ", "birthdate", "2025-11-22", "sex", "2", "address",
                             "東京都", "acquired_on", "2025-11-22", NULL),
                     SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_DATE_FUTURE);
    assert_string_equal(d.field, "birthdate");
    o.prefile_days = SK_PREFILE_DAYS_MAX + 1;
    assert_int_equal(sk_registry_open_with(f->s, &o, &wide, &d), SK_ERR_CONFIG);
    assert_int_equal(
        sk_registry_members(f->reg, &f->ins2, KYOKAI, D(2026, 4, 1), 0, 100, count_member, &n, &d),
        SK_ERR_PERM);
    assert_int_equal(
        sk_registry_members(f->reg, &f->emp, KYOKAI, D(2026, 4, 1), 0, 100, count_member, &n, &d),
        SK_ERR_PERM);
}

static sk_err ev(void *ctx, const sk_notification_event *e)
{
    int *n = ctx;
    if (*n == 0)
        assert_int_equal(e->state, SK_STATE_PENDING_MYNUMBER);
    else
        assert_int_equal(e->at_ms, NOW + 1000);
    (*n)++;
    return SK_OK;
}

static void test_withdraw_and_reject(void **state)
{
    fx *f = *state;
    sk_notification_view a, b, r;
    sk_diag d;
    assert_int_equal(file_as(f, &f->emp, NULL, &a, &d, TARO_FIELDS("2025-11-20"), NULL), SK_OK);
    assert_int_equal(file_as(f, &f->emp, NULL, &b, &d, TARO_FIELDS("2025-11-20"), NULL), SK_OK);
    /* only the filer withdraws (another employer is told there is no such 届出); only the
     * insurer rejects */
    assert_int_equal(sk_registry_withdraw(f->reg, &f->emp2, a.n.id, NOW, f->a, &r, &d),
                     SK_ERR_NOTFOUND);
    assert_int_equal(sk_registry_withdraw(f->reg, &f->ins, a.n.id, NOW, f->a, &r, &d),
                     SK_ERR_PERM); /* the insurer sees it, but did not file it */
    assert_int_equal(sk_registry_reject(f->reg, &f->ins2, a.n.id, "x", NOW, f->a, &r, &d),
                     SK_ERR_NOTFOUND);
    assert_int_equal(sk_registry_reject(f->reg, &f->emp, a.n.id, "x", NOW, f->a, &r, &d),
                     SK_ERR_PERM);
    assert_int_equal(sk_registry_withdraw(f->reg, &f->emp, a.n.id, NOW + 1000, f->a, &r, &d),
                     SK_OK);
    assert_int_equal(r.n.state, SK_STATE_WITHDRAWN);
    assert_true(r.q.has_lost); /* closed on its first day: never valid */
    assert_date(r.q.lost_on, 2025, 11, 20);
    assert_int_equal(
        sk_registry_reject(f->reg, &f->ins, b.n.id, "住所が不完全です", NOW, f->a, &r, &d), SK_OK);
    assert_int_equal(r.n.state, SK_STATE_INVALID);
    assert_non_null(strstr(r.n.errors, "住所が不完全です"));
    /* final states stay final */
    assert_int_equal(sk_registry_withdraw(f->reg, &f->emp, a.n.id, NOW, f->a, &r, &d),
                     SK_ERR_CONFLICT);
    assert_int_equal(d.code, SK_C_STATE);
    /* the events keep every stage's time */
    sk_tx *tx;
    int events = 0;
    sk_store_begin_read(f->s, &tx, &d);
    sk_store_notification_events(tx, a.n.id, ev, &events, &d);
    sk_tx_rollback(tx);
    assert_int_equal(events, 2);
}

static void test_batch(void **state)
{
    fx *f = *state;
    sk_field ok1[] = {{"kind", "acquisition"},      {"name", "一"}, {"kana", "イチ"},
                      {"birthdate", "1990-01-01"},  {"sex", "1"},   {"address", "東京都"},
                      {"acquired_on", "2025-11-01"}};
    sk_field bad[] = {{"kind", "acquisition"}, {"name", "二"}};
    sk_filing in[3] = {{ok1, 7, "b1", NULL}, {bad, 2, "b2", NULL}, {ok1, 7, "b3", NULL}};
    sk_notification_view v[3];
    sk_err e[3];
    sk_diag ds[3];
    sk_registry_file_many(f->reg, &f->emp, in, 3, NOW, f->a, v, e, ds);
    assert_int_equal(e[0], SK_OK);
    assert_int_equal(e[1], SK_ERR_INVALID);
    assert_int_equal(ds[1].code, SK_C_REQUIRED);
    assert_int_equal(e[2], SK_OK);
    assert_string_not_equal(v[0].q.key.number, v[2].q.key.number);
    /* the retry of the whole batch changes nothing */
    sk_registry_file_many(f->reg, &f->emp, in, 3, NOW, f->a, v, e, ds);
    assert_true(v[0].replayed && v[2].replayed);
    assert_int_equal(count_state(f, SK_STATE_PENDING_MYNUMBER), 2);
}

/* Many threads filing at once share group commits; every 届出 is registered once with its own
 * number. */
typedef struct worker {
    fx *f;
    int id, ok;
} worker;

static void *work(void *p)
{
    worker *w = p;
    sk_arena *a = sk_arena_alloc(16 * 1024, 4 * 1024 * 1024);
    for (int i = 0; i < 40; i++) {
        char idem[32];
        snprintf(idem, sizeof(idem), "w%d-%d", w->id, i);
        sk_field fl[] = {{"kind", "acquisition"},      {"name", "並行"}, {"kana", "ヘイコウ"},
                         {"birthdate", "1990-01-01"},  {"sex", "1"},     {"address", "東京都"},
                         {"acquired_on", "2025-11-01"}};
        sk_filing in = {fl, 7, idem, NULL};
        sk_notification_view v;
        sk_diag d;
        if (sk_registry_file(w->f->reg, &w->f->emp, &in, NOW, a, &v, &d) == SK_OK)
            w->ok++;
        sk_arena_reset(a);
    }
    sk_arena_free(a);
    return NULL;
}

static sk_err collect_number(void *ctx, const sk_qualification_rec *q, const sk_person_rec *p)
{
    (void)p;
    int *seen = ctx;
    int n = (int)strtol(q->key.number, NULL, 10);
    assert_in_range(n, 1, 320);
    assert_int_equal(seen[n], 0);
    seen[n] = 1;
    return SK_OK;
}

static void test_concurrent_group_commit(void **state)
{
    fx *f = *state;
    pthread_t t[8];
    worker w[8];
    for (int i = 0; i < 8; i++) {
        w[i] = (worker){f, i, 0};
        pthread_create(&t[i], NULL, work, &w[i]);
    }
    int ok = 0;
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        ok += w[i].ok;
    }
    assert_int_equal(ok, 320);
    assert_int_equal(count_state(f, SK_STATE_PENDING_MYNUMBER), 320);
    int seen[321] = {0};
    sk_diag d;
    sk_principal op = sk_test_principal(SK_ROLE_OPERATOR, "");
    for (int64_t after = 0, page = 0; page < 4; page++, after += 100)
        assert_int_equal(sk_registry_members(f->reg, &op, KYOKAI, D(2025, 11, 1), after, 100,
                                             collect_number, seen, &d),
                         SK_OK);
}

/* The 誤入力チェック hook belongs to a registry handle: a second handle over the same store has
 * none; an error of the hook fails the 届出 and writes nothing. */
typedef struct hook_count {
    int calls;
    sk_err fail;
} hook_count;

static sk_err counting_hook(void *ctx, sk_tx *tx, int64_t person_id, const sk_person_rec *known,
                            const char *trigger, const char *actor, int64_t now_ms,
                            char verdict[16], sk_diag *d)
{
    (void)tx, (void)person_id, (void)actor, (void)now_ms;
    hook_count *c = ctx;
    c->calls++;
    assert_non_null(known); /* an acquisition with a My Number carries the whole person */
    assert_string_equal(trigger, "acquisition");
    snprintf(verdict, 16, "match");
    return c->fail ? sk_diag_set(d, SK_C_JLIS_UNAVAILABLE, "", "J-LIS down") : SK_OK;
}

static void test_check_hook_per_handle(void **state)
{
    fx *f = *state;
    hook_count c = {0};
    sk_registry *other = NULL;
    sk_diag d;
    sk_notification_view v;
    assert_int_equal(sk_registry_open(f->s, &other, &d), SK_OK);
    assert_ptr_equal(sk_registry_store(other), f->s);
    sk_registry_set_check(f->reg, counting_hook, &c);
    assert_int_equal(
        file_as(f, &f->emp, "h1", &v, &d, TARO_FIELDS("2025-11-01"), "mynumber", MN_TARO, NULL),
        SK_OK);
    assert_int_equal(c.calls, 1);
    sk_field fl[] = {
        {"kind", "acquisition"},       {"name", "山田　花子"}, {"kana", "ヤマダ ハナコ"},
        {"birthdate", "1991-05-02"},   {"sex", "2"},           {"address", "東京都"},
        {"acquired_on", "2025-11-01"}, {"mynumber", MN_HANA}};
    sk_filing in = {fl, 8, "h2", NULL};
    assert_int_equal(sk_registry_file(other, &f->emp, &in, NOW, f->a, &v, &d), SK_OK);
    assert_int_equal(c.calls, 1); /* the other handle has no hook */
    /* a failing hook fails the 届出, which leaves nothing behind */
    c.fail = SK_ERR_BUSY;
    fl[1].value = "山田　三郎";
    fl[7].value = MN_OTHER;
    in.idem_key = "h3";
    assert_int_not_equal(sk_registry_file(f->reg, &f->emp, &in, NOW, f->a, &v, &d), SK_OK);
    assert_int_equal(c.calls, 2);
    sk_registry_set_check(f->reg, NULL, NULL);
    assert_int_equal(sk_registry_file(f->reg, &f->emp, &in, NOW, f->a, &v, &d), SK_OK);
    assert_int_equal(c.calls, 2);
    assert_false(v.replayed); /* the failed attempt had not recorded the key */
    sk_registry_free(other);
}

/* The insurer's inbox: its own 届出 only, by state, in pages; others are refused. */
static sk_err count_notif(void *ctx, const sk_notification_rec *n)
{
    int64_t *c = ctx;
    assert_string_equal(n->insurer_number, KYOKAI);
    c[0]++;
    c[1] = n->id;
    return SK_OK;
}

static void test_insurer_inbox(void **state)
{
    fx *f = *state;
    sk_notification_view v;
    sk_diag d;
    assert_int_equal(file_as(f, &f->emp, "i1", &v, &d, TARO_FIELDS("2025-11-01"), NULL), SK_OK);
    assert_int_equal(
        file_as(f, &f->emp, "i2", &v, &d, TARO_FIELDS("2025-11-01"), "mynumber", MN_TARO, NULL),
        SK_OK);
    int64_t c[2] = {0, 0};
    assert_int_equal(
        sk_registry_notifications(f->reg, &f->ins, KYOKAI, NULL, 0, 100, f->a, count_notif, c, &d),
        SK_OK);
    assert_int_equal(c[0], 2);
    c[0] = 0;
    assert_int_equal(sk_registry_notifications(f->reg, &f->ins, KYOKAI, "pending_my_number", 0, 100,
                                               f->a, count_notif, c, &d),
                     SK_OK);
    assert_int_equal(c[0], 1);
    c[0] = 0; /* a page of one, then the rest after it */
    assert_int_equal(
        sk_registry_notifications(f->reg, &f->ins, KYOKAI, NULL, 0, 1, f->a, count_notif, c, &d),
        SK_OK);
    assert_int_equal(
        sk_registry_notifications(f->reg, &f->ins, KYOKAI, NULL, c[1], 1, f->a, count_notif, c, &d),
        SK_OK);
    assert_int_equal(c[0], 2);
    assert_int_equal(
        sk_registry_notifications(f->reg, &f->ins, KYOKAI, "lost", 0, 10, f->a, count_notif, c, &d),
        SK_ERR_INVALID);
    assert_string_equal(d.field, "state");
    assert_int_equal(
        sk_registry_notifications(f->reg, &f->ins2, KYOKAI, NULL, 0, 10, f->a, count_notif, c, &d),
        SK_ERR_PERM);
    assert_int_equal(
        sk_registry_notifications(f->reg, &f->emp, KYOKAI, NULL, 0, 10, f->a, count_notif, c, &d),
        SK_ERR_PERM);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_acquisition_registers_and_numbers),
        T(test_pending_until_mynumber),
        T(test_idempotency),
        T(test_bad_input_writes_nothing),
        T(test_dependents_and_branches),
        T(test_loss_reasons),
        T(test_changes),
        T(test_field_types_and_characters),
        T(test_visibility),
        T(test_prehire_and_members),
        T(test_withdraw_and_reject),
        T(test_batch),
        T(test_concurrent_group_commit),
        T(test_check_hook_per_handle),
        T(test_insurer_inbox),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
