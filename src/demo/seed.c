/* seed.c — synthetic registry data (see demo.h). Everything goes through the services
 * (sk_registry_insurer_add, sk_registry_file_many, sk_access_issue), so the demo data obeys
 * the same rules as real 届出. */
#include "demo/demo.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/checkdigit.h"
#include "core/date.h"
#include "registry/filing.h"
#include "registry/registry.h"

#define CHUNK 256 /* households per batch */

static const struct {
    const char *number, *name, *rule;
} insurers[] = {
    {"01130012", "全国健康保険協会 東京支部", ""},
    {"06130017", "シカク健康保険組合", "symbol=10;number={seq:6}"},
    {"31130016", "東京都職員共済組合", "symbol=共済;number={seq:7}"},
    {"131011", "千代田区国民健康保険", "symbol=;number=C{seq:7}"},
    {"133017", "東京食品販売国民健康保険組合", "symbol=食品;number={seq:6}"},
    {"39130018", "東京都後期高齢者医療広域連合", "symbol=;number={seq:8}"},
};
enum { I_KYOKAI, I_KUMIAI, I_KYOSAI, I_KOKUHO, I_KOKUHO_KUMIAI, I_KOUKI, NINSURERS };

static const struct {
    int insurer;
    const char *name, *office;
} employers[] = {
    {I_KYOKAI, "株式会社資格商事", "5101"},
    {I_KYOKAI, "有限会社髙橋製作所", "5102"},
    {I_KYOKAI, "合同会社ひまわり保育", "5103"},
    {I_KUMIAI, "シカク電機株式会社", ""},
    {I_KYOSAI, "東京都庁", ""},
};
#define NEMPLOYERS ((int)(sizeof(employers) / sizeof(employers[0])))

/* family names: kanji (旧字体, 異体字 and an IVS sequence among them) and kana */
static const struct {
    const char *kanji, *kana;
} families[] = {
    {"佐藤", "サトウ"},   {"鈴木", "スズキ"},   {"髙橋", "タカハシ"},
    {"田中", "タナカ"},   {"伊藤", "イトウ"},   {"渡邊", "ワタナベ"},
    {"山本", "ヤマモト"}, {"中村", "ナカムラ"}, {"齋藤", "サイトウ"},
    {"小林", "コバヤシ"}, {"加藤", "カトウ"},   {"吉田", "ヨシダ"},
    {"山田", "ヤマダ"},   {"濵田", "ハマダ"},   {"葛\xf3\xa0\x84\x80城", "カツラギ"},
    {"邉見", "ヘンミ"},   {"松本", "マツモト"}, {"井上", "イノウエ"},
    {"木村", "キムラ"},   {"林", "ハヤシ"},     {"﨑山", "サキヤマ"},
    {"清水", "シミズ"},   {"𠮷田", "ヨシダ"},   {"森", "モリ"},
};
static const struct {
    const char *kanji, *kana;
    int sex;
} givens[] = {
    {"太郎", "タロウ", 1}, {"健", "ケン", 1},   {"翔", "ショウ", 1},     {"大輔", "ダイスケ", 1},
    {"浩二", "コウジ", 1}, {"蓮", "レン", 1},   {"悠真", "ユウマ", 1},   {"正", "タダシ", 1},
    {"花子", "ハナコ", 2}, {"陽菜", "ヒナ", 2}, {"美咲", "ミサキ", 2},   {"由美子", "ユミコ", 2},
    {"結衣", "ユイ", 2},   {"恵", "メグミ", 2}, {"さくら", "サクラ", 2}, {"和子", "カズコ", 2},
};
static const struct {
    const char *addr, *postcode;
} places[] = {
    {"東京都千代田区千代田１－１", "100-0001"},
    {"東京都新宿区西新宿二丁目８番１号", "163-8001"},
    {"東京都世田谷区世田谷４－２１－２７", "154-8504"},
    {"神奈川県横浜市中区日本大通１", "231-0021"},
    {"埼玉県さいたま市浦和区高砂３－１５－１", "330-9301"},
    {"千葉県千葉市中央区市場町１－１", "260-8667"},
    {"東京都八王子市元本郷町三丁目２４番１号", "192-8501"},
};

#define N(a) ((int)(sizeof(a) / sizeof(a[0])))

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next(rng *r)
{
    /* xorshift64* */
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 2685821657736338717ULL;
}

static int pick(rng *r, int n)
{
    return (int)(next(r) % (uint64_t)n);
}

void sk_demo_mynumber(uint64_t serial, uint64_t seed, char out[13])
{
    uint64_t base = (serial * 7919ULL + seed * 1000003ULL) % 90000000000ULL + 10000000000ULL;
    snprintf(out, 13, "%011" PRIu64, base);
    int cd = sk_checkdigit_mynumber(out);
    out[11] = (char)('0' + cd);
    out[12] = '\0';
}

typedef struct member_spec {
    char name[96], kana[96], birthdate[11], sex[2], acquired[11], mynumber[13], address[128],
        postcode[9], insured[SK_PID_LEN + 1];
    int insurer, employer; /* employer < 0: filed by the insurer itself */
    bool dependent;
} member_spec;

static void fill(member_spec *m, rng *r, int family, sk_date birth, int place, uint64_t serial,
                 uint64_t seed, bool with_number)
{
    int g = pick(r, N(givens));
    snprintf(m->name, sizeof(m->name), "%s　%s", families[family].kanji, givens[g].kanji);
    snprintf(m->kana, sizeof(m->kana), "%s %s", families[family].kana, givens[g].kana);
    snprintf(m->sex, sizeof(m->sex), "%d", givens[g].sex);
    sk_date_format(birth, m->birthdate);
    snprintf(m->address, sizeof(m->address), "%s", places[place].addr);
    snprintf(m->postcode, sizeof(m->postcode), "%s", places[place].postcode);
    if (with_number)
        sk_demo_mynumber(serial, seed, m->mynumber);
    else
        m->mynumber[0] = '\0';
}

static size_t fields_of(const member_spec *m, sk_field *fl)
{
    size_t n = 0;
#define ADD(k, v) (fl[n].name = (k), fl[n].value = (v), n++)
    ADD("kind", m->dependent ? "dependent_add" : "acquisition");
    ADD("name", m->name);
    ADD("kana", m->kana);
    ADD("birthdate", m->birthdate);
    ADD("sex", m->sex);
    ADD("address", m->address);
    ADD("postcode", m->postcode);
    ADD("acquired_on", m->acquired);
    if (m->mynumber[0])
        ADD("mynumber", m->mynumber);
    if (m->dependent)
        ADD("insured", m->insured);
#undef ADD
    return n;
}

typedef struct seed_ctx {
    sk_registry *reg;
    sk_arena *a;
    sk_principal ins_p[NINSURERS], emp_p[NEMPLOYERS];
    int64_t now_ms;
    sk_demo_result *out;
} seed_ctx;

/* Files a chunk of members with the principal each belongs to; fills pids back. */
static sk_err file_chunk(seed_ctx *c, member_spec *ms, int n, char (*pids)[SK_PID_LEN + 1],
                         sk_diag *d)
{
    /* the demo runs on one thread: big scratch arrays live outside the stack */
    static sk_filing in[CHUNK * 3];
    static sk_field fl[CHUNK * 3][12];
    static int idx[CHUNK * 3];
    static sk_notification_view v[CHUNK * 3];
    static sk_err e[CHUNK * 3];
    static sk_diag ds[CHUNK * 3];
    /* grouped by principal: one batch per insurer/employer present */
    for (int who = 0; who < NINSURERS + NEMPLOYERS; who++) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            int w = ms[i].employer >= 0 ? NINSURERS + ms[i].employer : ms[i].insurer;
            if (w != who)
                continue;
            in[k] = (sk_filing){.fields = fl[k], .nfields = fields_of(&ms[i], fl[k])};
            idx[k++] = i;
        }
        if (!k)
            continue;
        const sk_principal *p = who < NINSURERS ? &c->ins_p[who] : &c->emp_p[who - NINSURERS];
        sk_registry_file_many(c->reg, p, in, (size_t)k, c->now_ms, c->a, v, e, ds);
        for (int j = 0; j < k; j++) {
            if (e[j]) {
                *d = ds[j];
                sk_diag_prefix_field(d, ms[idx[j]].name);
                return e[j];
            }
            memcpy(pids[idx[j]], v[j].person_pid, SK_PID_LEN + 1);
            c->out->persons++;
            c->out->notifications++;
            if (v[j].n.state == SK_STATE_PENDING_MYNUMBER)
                c->out->pending++;
        }
        sk_arena_reset(c->a);
    }
    return SK_OK;
}

static sk_principal as(sk_role role, const char *scope)
{
    sk_principal p = {.role = role};
    snprintf(p.scope, sizeof(p.scope), "%s", scope);
    snprintf(p.label, sizeof(p.label), "demo");
    return p;
}

sk_err sk_demo_seed(sk_registry *reg, const sk_demo_options *opt, sk_demo_result *out, sk_diag *d)
{
    sk_store *s = sk_registry_store(reg);
    static member_spec heads[CHUNK], deps[CHUNK * 3];
    static char head_pids[CHUNK][SK_PID_LEN + 1], dep_pids[CHUNK * 3][SK_PID_LEN + 1];
    memset(out, 0, sizeof(*out));
    int persons = opt->persons > 0 ? opt->persons : 200;
    uint64_t seed = opt->seed ? opt->seed : 1;
    rng r = {seed * 0x9E3779B97F4A7C15ULL + 1};
    seed_ctx c = {.reg = reg, .now_ms = opt->now_ms, .out = out};
    sk_date today = sk_date_from_unix_ms(opt->now_ms);
    sk_err err;
    for (int i = 0; i < NINSURERS; i++) {
        sk_insurer_rec ins;
        if ((err = sk_registry_insurer_add(reg, insurers[i].number, insurers[i].name,
                                           insurers[i].rule, "demo", opt->now_ms, &ins, d)))
            return err;
        c.ins_p[i] = as(SK_ROLE_INSURER, ins.number);
        out->insurers++;
    }
    for (int i = 0; i < NEMPLOYERS; i++) {
        sk_employer_rec e;
        if ((err = sk_registry_employer_add(reg, insurers[employers[i].insurer].number,
                                            employers[i].name, employers[i].office, "demo",
                                            opt->now_ms, &e, d)))
            return err;
        char id[24];
        snprintf(id, sizeof(id), "%" PRId64, e.id);
        c.emp_p[i] = as(SK_ROLE_EMPLOYER, id);
        out->employers++;
    }
    c.a = sk_arena_alloc(256 * 1024, 256 * 1024 * 1024);
    if (!c.a)
        return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    uint64_t serial = 0;
    char first_person[SK_PID_LEN + 1] = "";
    err = SK_OK;
    while (!err && out->persons < persons) {
        int nh = 0, nd = 0;
        while (nh < CHUNK && out->persons + nh + nd < persons) {
            member_spec *h = &heads[nh];
            memset(h, 0, sizeof(*h));
            int age = 18 + pick(&r, 83); /* 18-100 */
            sk_date birth = sk_date_add_days(sk_date_add_months(today, -12 * age), -pick(&r, 365));
            int family = pick(&r, N(families)), place = pick(&r, N(places));
            bool with_number = pick(&r, 100) >= 4; /* ~4% still without a My Number */
            fill(h, &r, family, birth, place, ++serial, seed, with_number);
            int years = age - 18 < 10 ? age - 18 : 10;
            sk_date acq = sk_date_add_days(today, -pick(&r, 365 * years + 1));
            if (pick(&r, 50) == 0)
                acq = sk_date_add_days(today, 1 + pick(&r, 30)); /* pre-hire 届出 */
            if (age >= 75) {
                h->insurer = I_KOUKI;
                h->employer = -1;
                sk_date b75 = sk_birthday(birth, 75);
                if (sk_date_cmp(acq, b75) < 0)
                    acq = b75; /* 後期 from the 75th birthday */
            } else if (age >= 65) {
                h->insurer = pick(&r, 10) ? I_KOKUHO : I_KOKUHO_KUMIAI;
                h->employer = -1;
            } else {
                h->employer = pick(&r, NEMPLOYERS);
                h->insurer = employers[h->employer].insurer;
            }
            sk_date_format(acq, h->acquired);
            /* the family: employees' spouses and children are dependents (国保/後期 have no
             * dependents: each member is insured in their own right) */
            if (h->employer >= 0 && age < 65) {
                int kids = age >= 25 && age <= 55 ? pick(&r, 3) : 0;
                bool spouse = age >= 25 && pick(&r, 2);
                for (int k = 0; k < (spouse ? 1 : 0) + kids && nd < CHUNK * 3; k++) {
                    member_spec *m = &deps[nd];
                    memset(m, 0, sizeof(*m));
                    int dage = k == 0 && spouse ? age - 3 + pick(&r, 7) : pick(&r, age - 22);
                    if (dage < 0)
                        dage = 0;
                    sk_date db =
                        sk_date_add_days(sk_date_add_months(today, -12 * dage), -pick(&r, 365));
                    fill(m, &r, family, db, place, ++serial, seed, pick(&r, 100) >= 4);
                    sk_date dacq = sk_date_cmp(db, acq) > 0 ? db : acq;
                    sk_date_format(dacq, m->acquired);
                    m->insurer = h->insurer;
                    m->employer = h->employer;
                    m->dependent = true;
                    /* the head's pid is filled in after the heads are filed */
                    snprintf(m->insured, sizeof(m->insured), "%d", nh);
                    nd++;
                }
            }
            nh++;
        }
        if ((err = file_chunk(&c, heads, nh, head_pids, d)))
            break;
        /* the person token's person: a member of the insurer token's insurer (協会けんぽ), so
         * that the insurer can read the person it is shown */
        for (int i = 0; i < nh && !first_person[0]; i++)
            if (heads[i].insurer == I_KYOKAI)
                memcpy(first_person, head_pids[i], sizeof(first_person));
        for (int k = 0; k < nd; k++) {
            int h = (int)(deps[k].insured[0] - '0');
            for (size_t q = 1; deps[k].insured[q]; q++)
                h = h * 10 + (deps[k].insured[q] - '0');
            memcpy(deps[k].insured, head_pids[h], sizeof(deps[k].insured));
        }
        if ((err = file_chunk(&c, deps, nd, dep_pids, d)))
            break;
        /* some employees have left: 資格喪失届 (退職), dependents lose with them */
        for (int i = 0; i < nh && !err; i++) {
            if (heads[i].employer < 0 || pick(&r, 12))
                continue;
            sk_date acq;
            sk_date_parse(heads[i].acquired, 10, &acq, "acquired_on", d);
            if (sk_date_cmp(acq, today) >= 0)
                continue;
            sk_date last = sk_date_add_days(acq, pick(&r, sk_date_diff_days(acq, today) + 1));
            char ev[11];
            sk_date_format(last, ev);
            sk_field fl[] = {{"kind", "loss"},
                             {"person", head_pids[i]},
                             {"reason", "retirement"},
                             {"event_date", ev}};
            sk_filing in = {.fields = fl, .nfields = 4};
            sk_notification_view v;
            err = sk_registry_file(reg, &c.emp_p[heads[i].employer], &in, opt->now_ms, c.a, &v, d);
            if (!err) {
                out->losses++;
                out->notifications++;
            }
            sk_arena_reset(c.a);
        }
    }
    sk_arena_free(c.a);
    if (err)
        return err;
    /* one principal per role */
    static const char *const inst = "0110113719";
    const char *scopes[5] = {"", insurers[I_KYOKAI].number, c.emp_p[0].scope, inst, first_person};
    for (int i = 0; i < 5; i++) {
        sk_principal p;
        sk_demo_token *t = &out->tokens[i];
        t->role = (sk_role)(SK_ROLE_OPERATOR + i);
        snprintf(t->scope, sizeof(t->scope), "%s", scopes[i]);
        if ((err = sk_access_issue(s, t->role, t->scope, "demo", "demo", opt->now_ms, &p, t->token,
                                   d)))
            return err;
    }
    return SK_OK;
}
