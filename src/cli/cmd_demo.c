/* cmd_demo.c — `shikaku demo`: creates the database if needed and seeds synthetic data
 * (demo/demo.h), writes the resident register beside it and runs
 * the 誤入力チェック of every person against it, then prints one API token per role. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "demo/demo.h"
#include "identity/identity.h"
#include "registry/filing.h"
#include "util/clock.h"
#include "util/config.h"

const char sk_cli_demo_usage[] =
    "usage: shikaku demo --db PATH [--persons N] [--seed N]\n\n"
    "Creates the database (with its key file) if it does not exist, then seeds realistic\n"
    "synthetic data: six insurers of different kinds, employers, about N persons (default 200)\n"
    "in households, filed as real 届出. Refuses a database that already has insurers (exit 4).\n"
    "Writes PATH.jlis.csv, a resident register (J-LIS stand-in, mode 0600) that agrees with\n"
    "the persons except for deliberate traps (moved residents, a birth-date typo, 旧字体 and\n"
    "kana variants, twins, a parent of the same name, a namesake), and runs the 誤入力チェック\n"
    "of every person against it: the traps become work items and 閲覧停止.\n"
    "Then, when 協会けんぽ has one, a line `lookup INSURER SYMBOL NUMBER BRANCH BIRTHDATE`\n"
    "(SYMBOL `-` when none): a member a medical institution can look up today and find 有効\n"
    "(registered, valid, not under 閲覧停止). Then a tab-separated line `hire MYNUMBER NAME\n"
    "KANA BIRTHDATE SEX ADDRESS`: a resident of the register no insurer has yet, for a first\n"
    "資格取得届 that passes the 誤入力チェック. The last five lines are `ROLE SCOPE TOKEN`, one\n"
    "API token per role (shown once).\n";

/* The first member of an insurer, valid today, that a look-up answers 有効: registered, not
 * under 閲覧停止 (read after the 誤入力チェック has had its say) and with a 枝番, so that the key
 * names one person. */
typedef struct sample {
    bool found;
    sk_qualification_rec q;
    sk_date birthdate;
} sample;

static sk_err take_sample(void *ctx, const sk_qualification_rec *q, const sk_person_rec *p)
{
    sample *s = ctx;
    if (!s->found && q->registered_ms > 0 && !q->display_stopped && q->key.branch[0]) {
        s->found = true;
        s->q = *q;
        s->birthdate = p->info.birthdate;
    }
    return SK_OK;
}

static sk_err find_sample(sk_registry *s, const char *insurer, int64_t now_ms, sample *out,
                          sk_diag *d)
{
    const sk_principal op = {.role = SK_ROLE_OPERATOR, .label = "demo"};
    *out = (sample){0};
    return sk_registry_members(s, &op, insurer, sk_date_from_unix_ms(now_ms), 0, 100, take_sample,
                               out, d);
}

int sk_cli_demo(int argc, char **argv)
{
    const char *db = NULL, *persons_s = "200", *seed_s = "1";
    sk_cli_flag flags[] = {
        {"--db", &db}, {"--persons", &persons_s}, {"--seed", &seed_s}, {NULL, NULL}};
    int rc;
    if ((rc = sk_cli_flags(argc, argv, 1, flags, sk_cli_demo_usage, "demo")) ||
        (rc = sk_cli_need(db, "--db PATH", sk_cli_demo_usage, "demo")))
        return rc;
    long long persons = 0, seed = 0;
    sk_diag d;
    if (sk_parse_ll(persons_s, strlen(persons_s), 1, 10000000, &persons) ||
        sk_parse_ll(seed_s, strlen(seed_s), 1, 1LL << 62, &seed)) {
        fprintf(stderr, "shikaku demo: --persons is 1-10000000 and --seed a positive number\n%s",
                sk_cli_demo_usage);
        return SK_EXIT_USAGE;
    }
    sk_store_options o = {.dsn = db};
    if (access(db, F_OK) != 0 && sk_store_create(&o, &d) != SK_OK)
        return sk_cli_fail(&d);
    sk_store *s = NULL;
    if (sk_store_open(&o, &s, &d) != SK_OK)
        return sk_cli_fail(&d);
    sample smp;
    sk_demo_options opt = {.persons = (int)persons,
                           .seed = (uint64_t)seed,
                           .now_ms = sk_clock_now_ms(sk_clock_system())};
    sk_demo_result r;
    sk_registry *reg = NULL;
    sk_err err = sk_registry_open(s, &reg, &d);
    if (!err)
        err = sk_demo_seed(reg, &opt, &r, &d);
    if (err) {
        sk_registry_free(reg);
        sk_store_close(s);
        return sk_cli_fail(&d);
    }
    printf("seeded %s: %d insurers, %d employers, %d persons, %d 届出 (%d waiting for a My "
           "Number, %d losses)\n",
           db, r.insurers, r.employers, r.persons, r.notifications, r.pending, r.losses);

    /* the resident register, then the 誤入力チェック of every person against it */
    char jpath[4200];
    sk_jlis_default_path(db, jpath, sizeof(jpath)); /* written below */
    sk_jlis_demo_result jr;
    sk_jlis *jlis = NULL;
    sk_identity *id = NULL;
    sk_identity_recheck_stats st;
    err = sk_jlis_demo_write(s, jpath, (uint64_t)seed, &jr, &d);
    if (!err)
        err = sk_jlis_file_open(jpath, &jlis, &d);
    if (!err)
        err = sk_identity_alloc(reg, jlis, sk_clock_system(), NULL, &id, &d);
    if (!err)
        err = sk_identity_check_all(id, "registration", "demo", &st, &d);
    if (!err)
        err = find_sample(reg, r.tokens[1].scope /* the insurer token: 協会けんぽ */, opt.now_ms,
                          &smp, &d);
    sk_identity_free(id);
    sk_jlis_free(jlis);
    sk_registry_free(reg);
    sk_store_close(s);
    if (err)
        return sk_cli_fail(&d);
    printf("resident register %s: %d residents (traps: %d moved, %d birth-date typo, %d 旧字体, "
           "%d kana variants, %d twins, %d parents of the same name, %d namesakes)\n",
           jpath, jr.residents, jr.moved, jr.birth_typo, jr.itaiji, jr.kana_variants, jr.twins,
           jr.parents, jr.namesakes);
    printf("誤入力チェック of %lld persons: %lld match, %lld mismatch (high risk), %lld mismatch "
           "(low risk), %lld not found; each mismatch stops display and is a work item\n\n",
           (long long)st.persons, (long long)st.match, (long long)st.mismatch_high,
           (long long)st.mismatch_low, (long long)st.not_found);
    if (smp.found) {
        char birth[11];
        sk_date_format(smp.birthdate, birth);
        printf("lookup %s %s %s %s %s\n", smp.q.insurer_number,
               smp.q.key.symbol[0] ? smp.q.key.symbol : "-", smp.q.key.number, smp.q.key.branch,
               birth);
    }
    /* a resident of the register no insurer has yet: the example 資格取得届 of `make run` */
    char hb[11];
    sk_date_format(jr.hire.birthdate, hb);
    printf("hire\t%s\t%s\t%s\t%s\t%d\t%s\n", jr.hire_mynumber, jr.hire.name, jr.hire.kana, hb,
           (int)jr.hire.sex, jr.hire.address);
    printf("API tokens (shown once):\n");
    for (int i = 0; i < 5; i++)
        printf("%-11s %-32s %s\n", sk_role_name(r.tokens[i].role),
               r.tokens[i].scope[0] ? r.tokens[i].scope : "-", r.tokens[i].token);
    return SK_EXIT_OK;
}
