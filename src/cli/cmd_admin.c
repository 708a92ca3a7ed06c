/* cmd_admin.c — administration from the command line: `shikaku insurer add`,
 * `shikaku employer add`, `shikaku user add`. Each opens the store, calls a service
 * (registry/, access/) with actor "cli" and prints the result; the services validate and audit. */
#include <stdio.h>
#include <string.h>

#include "access/access.h"
#include "cli/cli.h"
#include "core/insurer.h"
#include "registry/registry.h"
#include "util/clock.h"

const char sk_cli_insurer_usage[] =
    "usage: shikaku insurer add --db PATH --number 保険者番号 --name NAME [--numbering RULE]\n\n"
    "Registers an insurer. The kind (協会けんぽ, 健保組合, 共済, 国保, 国保組合, 後期 …) follows\n"
    "from the number's 法別番号; the number's 検証番号 is checked. Prints the insurer.\n";

const char sk_cli_employer_usage[] =
    "usage: shikaku employer add --db PATH --insurer 保険者番号 --name NAME [--office-code C]\n\n"
    "Registers an employer (事業所) under one insurer. Prints its id as the last line.\n";

const char sk_cli_user_usage[] =
    "usage: shikaku user add --db PATH --role ROLE [--scope SCOPE] [--label TEXT]\n\n"
    "Creates an API principal and prints its token as the last line of output. The token is\n"
    "shown once: only its SHA-256 hash is stored. Send it as `Authorization: Bearer TOKEN`.\n\n"
    "roles and scopes:\n"
    "  operator     no scope                 the intermediate server's operator\n"
    "  insurer      保険者番号               an insurer registered with `shikaku insurer add`\n"
    "  employer     employer id              an employer from `shikaku employer add`\n"
    "  institution  医療機関コード           a medical institution or pharmacy\n"
    "  person       person id                an insured person\n";

static int open_store(const char *db, sk_store **s)
{
    sk_diag d;
    sk_store_options o = {.dsn = db};
    if (sk_store_open(&o, s, &d) != SK_OK)
        return sk_cli_fail(&d);
    return 0;
}

static int sub_is_add(int argc, char **argv, const char *usage, const char *cmd)
{
    if (argc < 2 || strcmp(argv[1], "add") != 0) {
        fprintf(stderr, "shikaku %s: expected 'add'\n%s", cmd, usage);
        return SK_EXIT_USAGE;
    }
    return 0;
}

int sk_cli_insurer(int argc, char **argv)
{
    const char *db = NULL, *number = NULL, *name = NULL, *rule = "";
    sk_cli_flag flags[] = {{"--db", &db},
                           {"--number", &number},
                           {"--name", &name},
                           {"--numbering", &rule},
                           {NULL, NULL}};
    int rc;
    if ((rc = sub_is_add(argc, argv, sk_cli_insurer_usage, "insurer")) ||
        (rc = sk_cli_flags(argc, argv, 2, flags, sk_cli_insurer_usage, "insurer add")) ||
        (rc = sk_cli_need(db, "--db PATH", sk_cli_insurer_usage, "insurer add")) ||
        (rc = sk_cli_need(number, "--number", sk_cli_insurer_usage, "insurer add")) ||
        (rc = sk_cli_need(name, "--name", sk_cli_insurer_usage, "insurer add")))
        return rc;
    sk_store *s = NULL;
    if ((rc = open_store(db, &s)))
        return rc;
    sk_diag d;
    sk_insurer_rec r;
    sk_registry *reg = NULL;
    sk_err err = sk_registry_open(s, &reg, &d);
    if (!err)
        err = sk_registry_insurer_add(reg, number, name, rule, "cli",
                                      sk_clock_now_ms(sk_clock_system()), &r, &d);
    sk_registry_free(reg);
    sk_store_close(s);
    if (err)
        return sk_cli_fail(&d);
    printf("insurer %s %s (%s)\n", r.number, r.name, sk_insurer_kind_label(r.kind));
    return SK_EXIT_OK;
}

int sk_cli_employer(int argc, char **argv)
{
    const char *db = NULL, *insurer = NULL, *name = NULL, *office = "";
    sk_cli_flag flags[] = {{"--db", &db},
                           {"--insurer", &insurer},
                           {"--name", &name},
                           {"--office-code", &office},
                           {NULL, NULL}};
    int rc;
    if ((rc = sub_is_add(argc, argv, sk_cli_employer_usage, "employer")) ||
        (rc = sk_cli_flags(argc, argv, 2, flags, sk_cli_employer_usage, "employer add")) ||
        (rc = sk_cli_need(db, "--db PATH", sk_cli_employer_usage, "employer add")) ||
        (rc = sk_cli_need(insurer, "--insurer", sk_cli_employer_usage, "employer add")) ||
        (rc = sk_cli_need(name, "--name", sk_cli_employer_usage, "employer add")))
        return rc;
    sk_store *s = NULL;
    if ((rc = open_store(db, &s)))
        return rc;
    sk_diag d;
    sk_employer_rec r;
    sk_registry *reg = NULL;
    sk_err err = sk_registry_open(s, &reg, &d);
    if (!err)
        err = sk_registry_employer_add(reg, insurer, name, office, "cli",
                                       sk_clock_now_ms(sk_clock_system()), &r, &d);
    sk_registry_free(reg);
    sk_store_close(s);
    if (err)
        return sk_cli_fail(&d);
    printf("employer %lld under %s: %s\n%lld\n", (long long)r.id, r.insurer_number, r.name,
           (long long)r.id);
    return SK_EXIT_OK;
}

int sk_cli_user(int argc, char **argv)
{
    const char *db = NULL, *role = NULL, *scope = "", *label = "";
    sk_cli_flag flags[] = {
        {"--db", &db}, {"--role", &role}, {"--scope", &scope}, {"--label", &label}, {NULL, NULL}};
    int rc;
    if ((rc = sub_is_add(argc, argv, sk_cli_user_usage, "user")) ||
        (rc = sk_cli_flags(argc, argv, 2, flags, sk_cli_user_usage, "user add")) ||
        (rc = sk_cli_need(db, "--db PATH", sk_cli_user_usage, "user add")) ||
        (rc = sk_cli_need(role, "--role", sk_cli_user_usage, "user add")))
        return rc;
    sk_diag d;
    sk_role r;
    if (sk_role_parse(role, &r, &d) != SK_OK)
        return sk_cli_fail(&d);
    sk_store *s = NULL;
    if ((rc = open_store(db, &s)))
        return rc;
    sk_principal p;
    char token[SK_TOKEN_LEN + 1];
    if (sk_access_issue(s, r, scope, label, "cli", sk_clock_now_ms(sk_clock_system()), &p, token,
                        &d) != SK_OK) {
        sk_store_close(s);
        return sk_cli_fail(&d);
    }
    sk_store_close(s);
    printf("principal %lld: %s%s%s (the token below is shown once; store it safely)\n%s\n",
           (long long)p.id, sk_role_name(p.role), p.scope[0] ? " " : "", p.scope, token);
    return SK_EXIT_OK;
}
