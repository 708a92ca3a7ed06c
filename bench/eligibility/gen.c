/* gen.c — dataset generator for bench/eligibility: creates a database with N insured persons
 * (default 10,000,000), each with a sealed My Number and one registered qualification spread
 * over four insurers (協会けんぽ, 健保組合, 共済, 市町村国保), written through the store in large
 * transactions (its bulk path: one commit per BATCH persons). Writes a sample of the keys
 * (insurer, symbol, number, branch, birth date) for the load script to ask at random.
 *   usage: gen DB N KEYS_FILE [SAMPLE (default 100000)]
 * Prints "persons=N seconds=S rate=R/s". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/checkdigit.h"
#include "store/store.h"

#define BATCH 50000

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static const char *const family[] = {"佐藤", "鈴木", "高橋", "田中",
                                     "伊藤", "渡辺", "山本", "中村"};
static const char *const family_kana[] = {"サトウ", "スズキ",   "タカハシ", "タナカ",
                                          "イトウ", "ワタナベ", "ヤマモト", "ナカムラ"};
static const char *const given[] = {"太郎", "花子", "一郎", "陽菜", "蓮", "結衣", "大翔", "葵"};
static const char *const given_kana[] = {"タロウ", "ハナコ", "イチロウ", "ヒナ",
                                         "レン",   "ユイ",   "ヒロト",   "アオイ"};

static const struct {
    const char *number, *name, *symbol;
    sk_insurer_kind kind;
} insurers[] = {{"01130012", "全国健康保険協会東京支部", "B", SK_INSURER_KYOKAI},
                {"06130017", "ベンチ健康保険組合", "K", SK_INSURER_KUMIAI},
                {"31130016", "ベンチ共済組合", "S", SK_INSURER_KYOSAI},
                {"131011", "千代田区国民健康保険", "", SK_INSURER_KOKUHO}};

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: gen DB N KEYS_FILE [SAMPLE]\n");
        return 2;
    }
    long long n = atoll(argv[2]);
    long long sample = argc > 4 ? atoll(argv[4]) : 100000;
    if (n < 1 || sample < 1) {
        fprintf(stderr, "gen: N and SAMPLE must be positive\n");
        return 2;
    }
    /* the random-key indexes (public ids, My Number index) stay in memory while loading */
    sk_store_options o = {.dsn = argv[1], .sqlite.cache_mib = 4096};
    sk_diag d;
    sk_store *s = NULL;
    if (sk_store_create(&o, &d) || sk_store_open(&o, &s, &d)) {
        fprintf(stderr, "gen: %s %s\n", d.field, d.message);
        return 1;
    }
    FILE *keys = fopen(argv[3], "w");
    if (!keys) {
        perror(argv[3]);
        return 1;
    }
    int64_t now_ms = (int64_t)time(NULL) * 1000;
    sk_tx *tx;
    if (sk_store_begin(s, &tx, &d))
        goto fail;
    for (size_t i = 0; i < 4; i++) {
        sk_insurer_rec ins = {.kind = insurers[i].kind, .created_ms = now_ms};
        snprintf(ins.number, sizeof(ins.number), "%s", insurers[i].number);
        snprintf(ins.name, sizeof(ins.name), "%s", insurers[i].name);
        sk_store_insurer_add(tx, &ins, &d);
    }
    if (sk_tx_commit(tx, &d))
        goto fail;
    double t0 = now_s();
    long long every = n / sample > 0 ? n / sample : 1;
    for (long long i = 0; i < n; i += BATCH) {
        if (sk_store_begin(s, &tx, &d))
            goto fail;
        for (long long j = i; j < n && j < i + BATCH; j++) {
            uint64_t r = next();
            sk_person_rec p;
            memset(&p, 0, sizeof(p));
            size_t f = r % 8, g = (r >> 3) % 8;
            snprintf(p.info.name, sizeof(p.info.name), "%s %s", family[f], given[g]);
            snprintf(p.info.kana, sizeof(p.info.kana), "%s %s", family_kana[f], given_kana[g]);
            p.info.birthdate = sk_date_from_days((int32_t)(-10957 + (int32_t)((r >> 6) % 29200)));
            p.info.sex = (r >> 20) & 1 ? SK_SEX_MALE : SK_SEX_FEMALE;
            snprintf(p.info.address, sizeof(p.info.address), "東京都千代田区千代田%lld-%lld",
                     (long long)(j % 9 + 1), (long long)(j % 97 + 1));
            snprintf(p.postcode, sizeof(p.postcode), "100-0001");
            char mn[24];
            snprintf(mn, sizeof(mn), "3%010lld", j % 10000000000LL);
            mn[11] = (char)('0' + sk_checkdigit_mynumber(mn));
            mn[12] = '\0';
            sk_mynumber_parse(mn, 12, &p.mynumber, "", &d);
            p.has_mynumber = true;
            p.created_ms = p.updated_ms = now_ms;
            sk_store_person_add(tx, &p, &d);
            size_t k = (size_t)(j % 4);
            sk_qualification_rec q;
            memset(&q, 0, sizeof(q));
            q.person_id = q.insured_person_id = p.id;
            q.relationship = SK_REL_INSURED;
            snprintf(q.insurer_number, sizeof(q.insurer_number), "%s", insurers[k].number);
            snprintf(q.key.symbol, sizeof(q.key.symbol), "%s", insurers[k].symbol);
            snprintf(q.key.number, sizeof(q.key.number), "%lld", j / 4 + 1);
            snprintf(q.key.branch, sizeof(q.key.branch), "00");
            snprintf(q.card_class, sizeof(q.card_class), "01");
            q.acquired_on = sk_date_from_days(18000); /* 2019-04-14 */
            if (sk_date_cmp(q.acquired_on, p.info.birthdate) < 0)
                q.acquired_on = p.info.birthdate;
            q.registered_ms = q.created_ms = q.updated_ms = now_ms;
            sk_store_qualification_add(tx, &q, &d);
            if (j % every == 0) {
                char b[11];
                sk_date_format(p.info.birthdate, b);
                fprintf(keys, "%s\t%s\t%s\t%s\t%s\n", insurers[k].number, insurers[k].symbol,
                        q.key.number, q.key.branch, b);
            }
        }
        if (sk_tx_commit(tx, &d))
            goto fail;
        if ((i / BATCH) % 20 == 19)
            fprintf(stderr, "gen: %lld persons, %.0f/s\n", i + BATCH,
                    (double)(i + BATCH) / (now_s() - t0));
    }
    double dt = now_s() - t0;
    fclose(keys);
    sk_store_close(s);
    printf("persons=%lld seconds=%.1f rate=%.0f/s\n", n, dt, (double)n / dt);
    return 0;
fail:
    fprintf(stderr, "gen: %s %s: %s\n", sk_code_name(d.code), d.field, d.message);
    return 1;
}
