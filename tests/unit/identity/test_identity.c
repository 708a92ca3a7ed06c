/* test_identity.c — the identity workflows (identity/identity.h) on a real store with a
 * manual clock: 誤入力チェック verdicts and 閲覧停止 on registration, its lifting by correction
 * and by 理由付き疑いなし, J-LIS outages, My Number acquisition (reminder, J-LIS on 5情報, the
 * review items, settling), reports, and the role and input checks of work items. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "identity/identity.h"
#include "registry/filing.h"
#include "registry/registry.h"

#define NOW     1763683200000LL /* 2025-11-21T00:00:00Z */
#define DAY     SK_MS_PER_DAY
#define KYOKAI  "01130012"
#define MN_TARO "123456789018"
#define MN_HANA "100000000013"
#define MN_JIRO "200000000018"
#define MN_SABU "300000000012"
#define MN_KEN1 "400000000017"
#define MN_KEN2 "500000000011"
#define MN_UME  "600000000016"

static const char *register_csv =
    "mynumber,name,kana,birthdate,sex,address,old_name,alias\n" MN_TARO
    ",山田　太郎,ヤマダ　タロウ,1990-04-01,1,東京都千代田区千代田1-1,,\n" MN_HANA
    ",鈴木　花子,スズキ　ハナコ,1985-02-02,2,東京都新宿区西新宿2-8-1,,\n" MN_JIRO
    ",佐藤　次郎,サトウ　ジロウ,2000-06-06,1,東京都千代田区千代田2-2,,\n" MN_SABU
    ",田中　三郎,タナカ　サブロウ,1970-07-07,1,大阪府大阪市北区中之島1-3-20,,\n" MN_KEN1
    ",伊藤　健,イトウ　ケン,1980-01-01,1,埼玉県さいたま市浦和区高砂3-15-1,,\n" MN_KEN2
    ",伊藤　健,イトウ　ケン,1980-01-01,1,千葉県千葉市中央区市場町1-1,,\n" MN_UME
    ",髙橋　梅,タカハシ　ウメ,1950-03-03,2,東京都千代田区千代田1-1,,\n";

/* a J-LIS that can be switched off */
typedef struct flaky {
    sk_jlis *inner;
    bool down;
    const char *broken; /* a name whose search fails (not an outage) */
} flaky;

static sk_err f_by_number(void *self, const sk_mynumber *n, sk_jlis_person *out, sk_diag *d)
{
    flaky *f = self;
    if (f->down)
        return sk_diag_set(d, SK_C_JLIS_UNAVAILABLE, "jlis", "J-LIS is down (test)");
    return sk_jlis_by_number(f->inner, n, out, d);
}

static sk_err f_search(void *self, const sk_ident *q, unsigned items, sk_jlis_person *out,
                       size_t cap, size_t *n, sk_diag *d)
{
    flaky *f = self;
    if (f->down)
        return sk_diag_set(d, SK_C_JLIS_UNAVAILABLE, "jlis", "J-LIS is down (test)");
    if (f->broken && q->name && strcmp(q->name, f->broken) == 0)
        return sk_diag_set(d, SK_C_INTERNAL, "jlis", "broken record (test)");
    return sk_jlis_search(f->inner, q, items, out, cap, n, d);
}

static const sk_jlis_ops flaky_ops = {
    .name = "flaky", .by_number = f_by_number, .search = f_search};

typedef struct fx {
    char *dir;
    sk_store *s;
    sk_registry *reg;
    sk_arena *a;
    sk_clock *clock;
    flaky fl;
    sk_jlis *jlis;
    sk_identity *id;
    sk_principal emp, ins, inst, op, person;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof(*f));
    f->dir = sk_test_tmpdir();
    char db[4200], reg[4200];
    snprintf(db, sizeof(db), "%s/f.db", f->dir);
    snprintf(reg, sizeof(reg), "%s/jlis.csv", f->dir);
    FILE *fp = fopen(reg, "w");
    fputs(register_csv, fp);
    fclose(fp);
    sk_store_options o = {.dsn = db};
    sk_diag d;
    sk_insurer_rec ins;
    sk_employer_rec e1;
    if (sk_store_create(&o, &d) || sk_store_open(&o, &f->s, &d) ||
        sk_registry_open(f->s, &f->reg, &d) ||
        sk_registry_insurer_add(f->reg, KYOKAI, "協会けんぽ東京", "", "t", NOW, &ins, &d) ||
        sk_registry_employer_add(f->reg, KYOKAI, "株式会社一", "5001", "t", NOW, &e1, &d) ||
        sk_jlis_file_open(reg, &f->fl.inner, &d) ||
        sk_jlis_wrap(&flaky_ops, &f->fl, &f->jlis, &d)) {
        fprintf(stderr, "setup: %s %s\n", d.field, d.message);
        return -1;
    }
    f->clock = sk_clock_manual_alloc(NOW);
    sk_identity_options io = {.retry_ms = 3600 * 1000LL, .max_attempts = 2};
    if (sk_identity_alloc(f->reg, f->jlis, f->clock, &io, &f->id, &d))
        return -1;
    sk_identity_install(f->id);
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)e1.id);
    f->emp = sk_test_principal(SK_ROLE_EMPLOYER, id);
    f->ins = sk_test_principal(SK_ROLE_INSURER, KYOKAI);
    f->inst = sk_test_principal(SK_ROLE_INSTITUTION, "1311234567");
    f->op = sk_test_principal(SK_ROLE_OPERATOR, "");
    f->a = sk_arena_alloc(64 * 1024, 16 * 1024 * 1024);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    sk_identity_free(f->id);
    sk_jlis_free(f->jlis);
    sk_jlis_free(f->fl.inner);
    sk_clock_free(f->clock);
    sk_arena_free(f->a);
    sk_registry_free(f->reg);
    sk_store_close(f->s);
    sk_test_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static int64_t now(fx *f)
{
    return sk_clock_now_ms(f->clock);
}

static sk_err file_as(fx *f, const sk_principal *who, sk_notification_view *v, sk_diag *d, ...)
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
    sk_filing in = {.fields = fl, .nfields = n};
    sk_diag_clear(d);
    return sk_registry_file(f->reg, who, &in, now(f), f->a, v, d);
}

static void acquire(fx *f, sk_notification_view *v, const char *name, const char *kana,
                    const char *birth, const char *sex, const char *address, const char *mn)
{
    sk_diag d;
    sk_err e = mn ? file_as(f, &f->emp, v, &d, "kind", "acquisition", "name", name, "kana", kana,
                            "birthdate", birth, "sex", sex, "address", address, "acquired_on",
                            "2025-11-21", "mynumber", mn, NULL)
                  : file_as(f, &f->emp, v, &d, "kind", "acquisition", "name", name, "kana", kana,
                            "birthdate", birth, "sex", sex, "address", address, "acquired_on",
                            "2025-11-21", NULL);
    if (e)
        fail_msg("acquisition %s: %s %s", name, d.field, d.message);
}

static bool stopped(fx *f, int64_t qid)
{
    sk_tx *tx;
    sk_qualification_rec q;
    assert_int_equal(sk_store_begin_read(f->s, &tx, NULL), SK_OK);
    sk_store_qualification_get(tx, qid, &q, NULL);
    assert_int_equal(sk_tx_commit(tx, NULL), SK_OK);
    return q.display_stopped;
}

static void last_check(fx *f, int64_t person_id, sk_identity_check_rec *out)
{
    sk_tx *tx;
    assert_int_equal(sk_store_begin_read(f->s, &tx, NULL), SK_OK);
    assert_int_equal(sk_store_identity_check_last(tx, person_id, out, NULL), SK_OK);
    assert_int_equal(sk_tx_commit(tx, NULL), SK_OK);
}

typedef struct items {
    sk_work_item_rec v[16];
    int n;
} items;

static sk_err collect(void *ctx, const sk_work_item_rec *r)
{
    items *it = ctx;
    if (it->n < 16)
        it->v[it->n++] = *r;
    return SK_OK;
}

static items list(fx *f, const sk_principal *who, const char *state, const char *kind)
{
    items it = {.n = 0};
    sk_diag d;
    if (sk_identity_work_item_list(f->id, who, state, kind, 0, 100, collect, &it, &d))
        fail_msg("list: %s", d.message);
    return it;
}

static sk_err resolve(fx *f, const sk_principal *who, int64_t wid, const char *res,
                      const char *reason, bool docs, const char *mn, sk_diag *d)
{
    sk_resolution r = {
        .resolution = res, .reason = reason, .mynumber = mn, .documents_verified = docs};
    sk_work_item_rec out;
    sk_diag_clear(d);
    return sk_identity_work_item_resolve(f->id, who, wid, &r, &out, d);
}

static void tick(fx *f, sk_identity_tick_stats *st)
{
    sk_diag d;
    if (sk_identity_tick(f->id, st, &d))
        fail_msg("tick: %s %s", d.field, d.message);
}

/* ---- 誤入力チェック ---- */

static void test_check_match(void **state)
{
    fx *f = *state;
    sk_notification_view v;
    /* 異体字 and width in the 届出: still 一致, and the fold is recorded */
    acquire(f, &v, "山田 太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", "1990-04-01", "1", "東京都千代田区千代田一丁目1番",
            MN_TARO);
    assert_int_equal(v.n.state, SK_STATE_REGISTERED);
    assert_false(v.q.display_stopped);
    sk_identity_check_rec c;
    last_check(f, v.n.person_id, &c);
    assert_int_equal(c.verdict, SK_VERDICT_MATCH);
    assert_string_equal(c.trigger, "acquisition");
    assert_string_equal(c.folded, "address");
    assert_int_equal(list(f, &f->ins, "open", NULL).n, 0);
}

static void test_check_high_risk_and_clearing(void **state)
{
    fx *f = *state;
    sk_notification_view v;
    /* the register says 1985-02-02: a 生年月日 mismatch stops display at once */
    acquire(f, &v, "鈴木　花子", "スズキ　ハナコ", "1985-02-03", "2", "東京都新宿区西新宿2-8-1",
            MN_HANA);
    assert_int_equal(v.n.state, SK_STATE_REGISTERED);
    assert_true(v.q.display_stopped);
    assert_true(stopped(f, v.q.id));
    sk_identity_check_rec c;
    last_check(f, v.n.person_id, &c);
    assert_int_equal(c.verdict, SK_VERDICT_MISMATCH_HIGH);
    assert_string_equal(c.differ, "birthdate");
    items it = list(f, &f->ins, "open", "check_mismatch");
    assert_int_equal(it.n, 1);
    assert_int_equal(it.v[0].risk, SK_RISK_HIGH);
    assert_non_null(strstr(it.v[0].detail, "\"register\":{\"birthdate\":\"1985-02-02\"}"));
    assert_null(strstr(it.v[0].detail, MN_HANA));
    int64_t wid = it.v[0].id;
    sk_diag d;
    /* high risk: no clearing without documents, no clearing without a reason */
    assert_int_equal(resolve(f, &f->ins, wid, "no_suspicion", "表記ゆれ", false, NULL, &d),
                     SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_DOCUMENTS_REQUIRED);
    assert_int_equal(resolve(f, &f->ins, wid, "no_suspicion", NULL, true, NULL, &d),
                     SK_ERR_INVALID);
    assert_string_equal(d.field, "reason");
    assert_int_equal(resolve(f, &f->ins, wid, "stop", "x", true, NULL, &d), SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_RESOLUTION);
    assert_int_equal(
        resolve(f, &f->ins, wid, "no_suspicion", "番号 123456789018 確認", true, NULL, &d),
        SK_ERR_INVALID);
    assert_string_equal(d.field, "reason");
    /* nobody but the assignee */
    assert_int_equal(resolve(f, &f->emp, wid, "no_suspicion", "x", true, NULL, &d),
                     SK_ERR_NOTFOUND);
    assert_int_equal(resolve(f, &f->op, wid, "no_suspicion", "x", true, NULL, &d), SK_ERR_PERM);
    assert_true(stopped(f, v.q.id)); /* none of that changed anything */
    assert_int_equal(resolve(f, &f->ins, wid, "no_suspicion",
                             "住民票の写しで生年月日を確認、住基の記載誤り", true, NULL, &d),
                     SK_OK);
    assert_false(stopped(f, v.q.id));
    assert_int_equal(resolve(f, &f->ins, wid, "no_suspicion", "again", true, NULL, &d),
                     SK_ERR_CONFLICT);
    assert_int_equal(d.code, SK_C_STATE);
    /* the clearance stands while the finding is the same: a later 届出 for the person that
     * leaves the same 生年月日 difference does not stop display again */
    sk_notification_view w;
    assert_int_equal(file_as(f, &f->ins, &w, &d, "kind", "address_change", "person", v.person_pid,
                             "address", "東京都新宿区西新宿二丁目8番1号", NULL),
                     SK_OK);
    assert_false(stopped(f, v.q.id));
    assert_int_equal(list(f, &f->ins, "open", "check_mismatch").n, 0);
    /* another finding (the name now differs too) is a new matter */
    assert_int_equal(file_as(f, &f->ins, &w, &d, "kind", "name_change", "person", v.person_pid,
                             "name", "鈴木　花江", NULL),
                     SK_OK);
    assert_true(stopped(f, v.q.id));
    it = list(f, &f->ins, "open", "check_mismatch");
    assert_int_equal(it.n, 1);
    assert_non_null(strstr(it.v[0].detail, "\"record\":{\"name\":\"鈴木　花江\""));
}

static void test_check_low_risk_corrected(void **state)
{
    fx *f = *state;
    sk_notification_view v, w;
    /* register: 大阪; the 届出 has an old address → 不一致 (低リスク) */
    acquire(f, &v, "田中　三郎", "タナカ　サブロウ", "1970-07-07", "1", "東京都港区芝公園4-2-8",
            MN_SABU);
    assert_true(v.q.display_stopped);
    sk_identity_check_rec c;
    last_check(f, v.n.person_id, &c);
    assert_int_equal(c.verdict, SK_VERDICT_MISMATCH_LOW);
    assert_string_equal(c.differ, "address");
    sk_diag d;
    /* a wrong name on top: the finding changes, the old item is superseded, display stays
     * stopped throughout */
    assert_int_equal(file_as(f, &f->ins, &w, &d, "kind", "name_change", "person", v.person_pid,
                             "name", "田中　三朗", NULL),
                     SK_OK);
    assert_true(stopped(f, v.q.id));
    items it = list(f, &f->ins, "open", "check_mismatch");
    assert_int_equal(it.n, 1);
    assert_non_null(strstr(it.v[0].detail, "\"differ\":\"name address\""));
    assert_int_equal(list(f, &f->ins, "resolved", "check_mismatch").n, 1);
    assert_string_equal(list(f, &f->ins, "resolved", "check_mismatch").v[0].resolution,
                        "superseded");
    assert_int_equal(file_as(f, &f->ins, &w, &d, "kind", "name_change", "person", v.person_pid,
                             "name", "田中　三郎", NULL),
                     SK_OK);
    assert_true(stopped(f, v.q.id)); /* the address still differs */
    /* the insurer corrects the address with a 届出: the check runs again and lifts the stop */
    assert_int_equal(file_as(f, &f->ins, &w, &d, "kind", "address_change", "person", v.person_pid,
                             "address", "大阪府大阪市北区中之島一丁目3番20号", NULL),
                     SK_OK);
    last_check(f, v.n.person_id, &c);
    assert_int_equal(c.verdict, SK_VERDICT_MATCH);
    assert_string_equal(c.trigger, "address_change");
    assert_false(stopped(f, v.q.id));
    assert_int_equal(list(f, &f->ins, "open", "check_mismatch").n, 0);
    it = list(f, &f->ins, "resolved", "check_mismatch");
    assert_int_equal(it.n, 3);
    assert_string_equal(it.v[2].resolution, "corrected");
}

static void test_check_not_found_and_outage(void **state)
{
    fx *f = *state;
    sk_notification_view v;
    /* a valid number no resident has: high risk */
    acquire(f, &v, "山田　次子", "ヤマダ　ツギコ", "1991-01-01", "2", "東京都千代田区千代田1-1",
            "700000000010");
    sk_identity_check_rec c;
    last_check(f, v.n.person_id, &c);
    assert_int_equal(c.verdict, SK_VERDICT_NOT_FOUND);
    assert_true(v.q.display_stopped);
    assert_int_equal(list(f, &f->ins, "open", "check_mismatch").v[0].risk, SK_RISK_HIGH);

    /* J-LIS down during a registration: pending, not shown, retried by the scheduler */
    f->fl.down = true;
    sk_notification_view u;
    acquire(f, &u, "髙橋　梅", "タカハシ　ウメ", "1950-03-03", "2", "東京都千代田区千代田1-1",
            MN_UME);
    last_check(f, u.n.person_id, &c);
    assert_int_equal(c.verdict, SK_VERDICT_PENDING);
    assert_true(u.q.display_stopped);
    assert_int_equal(list(f, &f->op, "open", "check_retry").n, 1);
    sk_identity_tick_stats st;
    tick(f, &st); /* still down */
    assert_int_equal(st.rechecked, 0);
    assert_true(stopped(f, u.q.id));
    f->fl.down = false;
    tick(f, &st);
    assert_int_equal(st.rechecked, 1);
    last_check(f, u.n.person_id, &c);
    assert_int_equal(c.verdict, SK_VERDICT_MATCH);
    assert_false(stopped(f, u.q.id));
    assert_int_equal(list(f, &f->op, "open", "check_retry").n, 0);
}

/* ---- acquisition ---- */

static void test_acquisition_jlis_match(void **state)
{
    fx *f = *state;
    sk_notification_view v;
    acquire(f, &v, "佐藤　次郎", "サトウ　ジロウ", "2000-06-06", "1",
            "東京都千代田区千代田二丁目2番", NULL);
    assert_int_equal(v.n.state, SK_STATE_PENDING_MYNUMBER);
    sk_identity_tick_stats st;
    tick(f, &st);
    assert_int_equal(st.seeded, 1);
    assert_int_equal(st.reminders, 0);
    sk_clock_advance_ms(f->clock, 5 * DAY);
    tick(f, &st);
    assert_int_equal(st.reminders, 1);
    items it = list(f, &f->emp, "open", "mynumber_reminder");
    assert_int_equal(it.n, 1);
    assert_int_equal(it.v[0].notification_id, v.n.id);
    assert_int_equal(list(f, &f->ins, "open", NULL).n, 0); /* the employer's, not the insurer's */
    sk_clock_advance_ms(f->clock, 7 * DAY - 1);
    tick(f, &st);
    assert_int_equal(st.jlis_matched, 0); /* not yet a week */
    sk_clock_advance_ms(f->clock, 1);
    tick(f, &st);
    assert_int_equal(st.jlis_matched, 1);
    sk_notification_view n;
    sk_diag d;
    assert_int_equal(sk_registry_notification_get(f->reg, &f->ins, v.n.id, f->a, &n, &d), SK_OK);
    assert_int_equal(n.n.state, SK_STATE_REGISTERED);
    assert_false(n.q.display_stopped);
    sk_identity_check_rec c;
    last_check(f, v.n.person_id, &c);
    assert_int_equal(c.verdict, SK_VERDICT_MATCH);
    assert_string_equal(c.trigger, "mynumber_register");
    it = list(f, &f->emp, "resolved", "mynumber_reminder");
    assert_int_equal(it.n, 1);
    assert_string_equal(it.v[0].resolution, "jlis_match");
    tick(f, &st); /* nothing left to do */
    assert_int_equal(st.jlis_matched + st.reminders + st.settled + st.jlis_review, 0);
}

static void test_acquisition_review(void **state)
{
    fx *f = *state;
    sk_notification_view moved, twin;
    sk_diag d;
    /* 田中 三郎 moved: one candidate that differs in address → 不一致, never linked */
    acquire(f, &moved, "田中　三郎", "タナカ　サブロウ", "1970-07-07", "1", "東京都港区芝公園4-2-8",
            NULL);
    /* two 伊藤 健 born the same day elsewhere → 複数該当 */
    acquire(f, &twin, "伊藤　健", "イトウ　ケン", "1980-01-01", "1", "東京都港区芝公園4-2-8", NULL);
    sk_identity_tick_stats st;
    tick(f, &st);
    sk_clock_advance_ms(f->clock, 12 * DAY);
    tick(f, &st); /* reminders */
    assert_int_equal(st.reminders, 2);
    sk_clock_advance_ms(f->clock, 7 * DAY);
    tick(f, &st);
    assert_int_equal(st.jlis_review, 2);
    assert_int_equal(st.jlis_matched, 0);
    items mm = list(f, &f->ins, "open", "jlis_mismatch");
    items mu = list(f, &f->ins, "open", "jlis_multiple");
    assert_int_equal(mm.n, 1);
    assert_int_equal(mu.n, 1);
    assert_non_null(strstr(mm.v[0].detail, "\"differ\":\"address\""));
    assert_non_null(strstr(mu.v[0].detail, "\"candidates\":2"));
    /* no My Number appears in any detail */
    assert_null(strstr(mu.v[0].detail, MN_KEN1));
    assert_null(strstr(mu.v[0].detail, MN_KEN2));
    sk_notification_view n;
    assert_int_equal(sk_registry_notification_get(f->reg, &f->ins, twin.n.id, f->a, &n, &d), SK_OK);
    assert_int_equal(n.n.state, SK_STATE_PENDING_MYNUMBER);

    /* the insurer confirmed the number with the member's documents */
    assert_int_equal(resolve(f, &f->ins, mu.v[0].id, "mynumber_set", NULL, false, "12345", &d),
                     SK_ERR_INVALID);
    assert_string_equal(d.field, "mynumber");
    assert_int_equal(resolve(f, &f->ins, mu.v[0].id, "mynumber_set", NULL, false, MN_KEN2, &d),
                     SK_OK);
    assert_int_equal(sk_registry_notification_get(f->reg, &f->ins, twin.n.id, f->a, &n, &d), SK_OK);
    assert_int_equal(n.n.state, SK_STATE_REGISTERED);
    /* the 誤入力チェック ran on it: 千葉 ≠ 港区, so it is registered but not shown */
    assert_true(n.q.display_stopped);
    assert_int_equal(list(f, &f->ins, "open", "check_mismatch").n, 1);

    /* the other: ask the employer again, then reject */
    assert_int_equal(
        resolve(f, &f->ins, mm.v[0].id, "ask_again", "住所相違、事業主に再確認", false, NULL, &d),
        SK_OK);
    items rem = list(f, &f->emp, "open", "mynumber_reminder");
    int fresh = 0;
    for (int i = 0; i < rem.n; i++)
        fresh += rem.v[i].notification_id == moved.n.id;
    assert_int_equal(fresh, 1);
    sk_clock_advance_ms(f->clock, 7 * DAY);
    tick(f, &st);
    assert_int_equal(st.settled, 1); /* 伊藤: registered by mynumber_set */
    mm = list(f, &f->ins, "open", "jlis_mismatch");
    assert_int_equal(mm.n, 1);
    assert_int_equal(resolve(f, &f->ins, mm.v[0].id, "reject", "本人確認できず", false, NULL, &d),
                     SK_OK);
    assert_int_equal(sk_registry_notification_get(f->reg, &f->ins, moved.n.id, f->a, &n, &d),
                     SK_OK);
    assert_int_equal(n.n.state, SK_STATE_INVALID);
    tick(f, &st);
    assert_int_equal(st.settled, 1); /* the rejected one (the other settled a pass earlier) */
    assert_int_equal(list(f, &f->emp, "open", "mynumber_reminder").n, 0);
}

static void test_acquisition_outage_and_employer(void **state)
{
    fx *f = *state;
    sk_notification_view v, w;
    sk_diag d;
    acquire(f, &v, "佐藤　次郎", "サトウ　ジロウ", "2000-06-06", "1", "東京都千代田区千代田2-2",
            NULL);
    sk_identity_tick_stats st;
    tick(f, &st);
    sk_clock_advance_ms(f->clock, 5 * DAY);
    tick(f, &st);
    sk_clock_advance_ms(f->clock, 7 * DAY);
    f->fl.down = true;
    tick(f, &st);
    assert_int_equal(st.jlis_unavailable, 1);
    sk_clock_advance_ms(f->clock, 3600 * 1000LL);
    tick(f, &st); /* second failure = max_attempts: the employer is asked again */
    assert_int_equal(st.jlis_unavailable, 1);
    items it = list(f, &f->emp, "open", "mynumber_reminder");
    assert_int_equal(it.n, 1);
    assert_non_null(strstr(it.v[0].detail, "jlis_unavailable"));
    assert_int_equal(list(f, &f->emp, "resolved", "mynumber_reminder").n, 1);
    /* the employer cannot obtain it: J-LIS is asked at the next pass (it is back) */
    assert_int_equal(resolve(f, &f->emp, it.v[0].id, "cannot_obtain", NULL, false, NULL, &d),
                     SK_ERR_INVALID);
    assert_int_equal(
        resolve(f, &f->emp, it.v[0].id, "cannot_obtain", "本人と連絡が取れない", false, NULL, &d),
        SK_OK);
    f->fl.down = false;
    tick(f, &st);
    assert_int_equal(st.jlis_matched, 1);

    /* an employer who files the 個人番号登録届 in time: the acquisition settles */
    acquire(f, &w, "山田　太郎", "ヤマダ　タロウ", "1990-04-01", "1", "東京都千代田区千代田1-1",
            NULL);
    tick(f, &st);
    sk_clock_advance_ms(f->clock, 5 * DAY);
    tick(f, &st);
    assert_int_equal(st.reminders, 1);
    sk_notification_view r;
    assert_int_equal(file_as(f, &f->emp, &r, &d, "kind", "mynumber_register", "person",
                             w.person_pid, "mynumber", MN_TARO, NULL),
                     SK_OK);
    tick(f, &st);
    assert_int_equal(st.settled, 1);
    assert_int_equal(list(f, &f->emp, "open", "mynumber_reminder").n, 0);
    sk_clock_advance_ms(f->clock, 30 * DAY);
    tick(f, &st);
    assert_int_equal(st.jlis_matched + st.jlis_review + st.jlis_unavailable, 0);
}

static void test_acquisition_failure_does_not_block(void **state)
{
    fx *f = *state;
    sk_notification_view broken, fine;
    acquire(f, &broken, "田中　三郎", "タナカ　サブロウ", "1970-07-07", "1",
            "大阪府大阪市北区中之島1-3-20", NULL);
    acquire(f, &fine, "佐藤　次郎", "サトウ　ジロウ", "2000-06-06", "1", "東京都千代田区千代田2-2",
            NULL);
    f->fl.broken = "田中　三郎";
    sk_identity_tick_stats st;
    tick(f, &st);
    sk_clock_advance_ms(f->clock, 12 * DAY);
    tick(f, &st);
    sk_clock_advance_ms(f->clock, 7 * DAY);
    tick(f, &st); /* the first one fails, the second is still served */
    assert_int_equal(st.failed, 1);
    assert_int_equal(st.jlis_matched, 1);
    f->fl.broken = NULL;
    tick(f, &st); /* retried at the next pass */
    assert_int_equal(st.failed, 0);
    assert_int_equal(st.jlis_matched, 1);
}

/* ---- 閲覧停止 on report ---- */

static void test_report(void **state)
{
    fx *f = *state;
    sk_notification_view v;
    sk_diag d;
    acquire(f, &v, "山田　太郎", "ヤマダ　タロウ", "1990-04-01", "1", "東京都千代田区千代田1-1",
            MN_TARO);
    assert_false(v.q.display_stopped);
    sk_work_item_rec w;
    sk_report bad = {.insurer_number = KYOKAI, .number = v.q.key.number, .branch = "00"};
    assert_int_equal(sk_identity_report(f->id, &f->inst, &bad, &w, &d), SK_ERR_INVALID);
    assert_string_equal(d.field, "text");
    bad.text = "x";
    bad.insurer_number = "01130013";
    assert_int_equal(sk_identity_report(f->id, &f->inst, &bad, &w, &d), SK_ERR_INVALID);
    assert_string_equal(d.field, "insurer_number");
    bad.insurer_number = KYOKAI;
    bad.number = "999999";
    assert_int_equal(sk_identity_report(f->id, &f->inst, &bad, &w, &d), SK_ERR_NOTFOUND);
    assert_int_equal(sk_identity_report(f->id, &f->emp, &bad, &w, &d), SK_ERR_PERM);
    bad.number = v.q.key.number;
    bad.text = "番号 123456789018 の人が表示された"; /* a My Number never enters a report */
    assert_int_equal(sk_identity_report(f->id, &f->inst, &bad, &w, &d), SK_ERR_INVALID);
    assert_string_equal(d.field, "text");
    bad.text = "１２３４ ５６７８ ９０１８";
    assert_int_equal(sk_identity_report(f->id, &f->inst, &bad, &w, &d), SK_ERR_INVALID);
    bad.text = "x";
    bad.number = "999999";
    sk_principal other = sk_test_principal(SK_ROLE_PERSON, "00000000000000000000000000000000");
    sk_report r = {.insurer_number = KYOKAI,
                   .symbol = v.q.key.symbol,
                   .number = v.q.key.number,
                   .branch = "00",
                   .text = "受付で別人の氏名が表示された"};
    /* another person's qualification is answered as one that does not exist */
    assert_int_equal(sk_identity_report(f->id, &other, &r, &w, &d), SK_ERR_NOTFOUND);
    assert_int_equal(d.code, SK_C_NOT_FOUND);
    assert_int_equal(sk_identity_report(f->id, &f->inst, &r, &w, &d), SK_OK);
    assert_int_equal(w.kind, SK_WORK_REPORT);
    assert_false(stopped(f, v.q.id)); /* the operator decides */
    /* the operator stops display at once */
    assert_int_equal(resolve(f, &f->op, w.id, "stop", "疑い高: 別人表示の申出", false, NULL, &d),
                     SK_OK);
    assert_true(stopped(f, v.q.id));
    items it = list(f, &f->ins, "open", "report_stop");
    assert_int_equal(it.n, 1);
    assert_non_null(strstr(it.v[0].detail, "別人"));
    /* the institution cannot see work items */
    items none = {.n = 0};
    assert_int_equal(
        sk_identity_work_item_list(f->id, &f->inst, NULL, NULL, 0, 10, collect, &none, &d),
        SK_ERR_PERM);
    assert_int_equal(
        resolve(f, &f->ins, it.v[0].id, "corrected", "資格情報を訂正", false, NULL, &d), SK_OK);
    assert_false(stopped(f, v.q.id));
    /* a dismissed report stops nothing */
    assert_int_equal(sk_identity_report(f->id, &f->inst, &r, &w, &d), SK_OK);
    assert_int_equal(resolve(f, &f->op, w.id, "dismiss", "本人の記憶違い", false, NULL, &d), SK_OK);
    assert_false(stopped(f, v.q.id));
    /* a check stop and a report stop are independent */
    assert_int_equal(sk_identity_report(f->id, &f->inst, &r, &w, &d), SK_OK);
    assert_int_equal(resolve(f, &f->op, w.id, "stop", "再発", false, NULL, &d), SK_OK);
    sk_notification_view m;
    assert_int_equal(file_as(f, &f->ins, &m, &d, "kind", "name_change", "person", v.person_pid,
                             "name", "山田　太朗", NULL),
                     SK_OK); /* 不一致 now: a check stop too */
    it = list(f, &f->ins, "open", "report_stop");
    assert_int_equal(resolve(f, &f->ins, it.v[0].id, "no_suspicion", "確認済み", false, NULL, &d),
                     SK_OK);
    assert_true(stopped(f, v.q.id)); /* the check's stop remains */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_check_match, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_high_risk_and_clearing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_low_risk_corrected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_not_found_and_outage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_acquisition_jlis_match, setup, teardown),
        cmocka_unit_test_setup_teardown(test_acquisition_review, setup, teardown),
        cmocka_unit_test_setup_teardown(test_acquisition_outage_and_employer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_acquisition_failure_does_not_block, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
