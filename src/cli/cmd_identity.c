/* cmd_identity.c — `shikaku work` (list, show and resolve identity work items as an insurer,
 * an employer or the operator) and `shikaku identity` (re-check every record against the
 * resident register; check a register file). The workflows are identity/identity.h. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "identity/identity.h"
#include "util/clock.h"
#include "util/config.h"

const char sk_cli_work_usage[] =
    "usage: shikaku work list    --db PATH --as WHO [--state open|resolved] [--kind KIND]\n"
    "       shikaku work show    ID --db PATH --as WHO\n"
    "       shikaku work resolve ID[,ID...] --db PATH --as WHO --resolution R [--reason TEXT]\n"
    "                            [--mynumber N] [--documents-verified yes] [--jlis FILE]\n\n"
    "Identity work items (誤入力チェック mismatches, J-LIS retrievals to review, 督促, reports of\n"
    "another person's data shown): the same rules as GET/POST /v1/work-items. WHO is\n"
    "`operator`, `insurer:保険者番号` or `employer:ID`; only an item's assignee resolves it.\n"
    "Resolutions per kind: check_mismatch no_suspicion; jlis_* mynumber_set ask_again reject;\n"
    "mynumber_reminder cannot_obtain; check_retry recheck; report stop dismiss; report_stop\n"
    "corrected no_suspicion. A reason is required except for mynumber_set and recheck.\n"
    "--jlis FILE (default PATH.jlis.csv) is needed when the resolution checks against J-LIS\n"
    "(mynumber_set, recheck). Every resolution is audited.\n";

const char sk_cli_identity_usage[] =
    "usage: shikaku identity check-all --db PATH [--jlis FILE]\n"
    "       shikaku identity jlis-check FILE\n\n"
    "check-all   runs the 個人番号誤入力チェック of every person with a My Number against the\n"
    "            resident register (default PATH.jlis.csv) and prints the verdicts; each\n"
    "            mismatch stops display and becomes a work item (as at registration).\n"
    "jlis-check  reads a resident-register file and reports its first bad line (exit 3) or\n"
    "            the number of residents.\n";

static int parse_who(const char *as, sk_principal *who, const char *usage, const char *cmd)
{
    memset(who, 0, sizeof(*who));
    snprintf(who->label, sizeof(who->label), "cli:%s", cmd);
    if (as && strcmp(as, "operator") == 0) {
        who->role = SK_ROLE_OPERATOR;
        return 0;
    }
    if (as && strncmp(as, "insurer:", 8) == 0 && as[8]) {
        who->role = SK_ROLE_INSURER;
        snprintf(who->scope, sizeof(who->scope), "%s", as + 8);
        return 0;
    }
    if (as && strncmp(as, "employer:", 9) == 0 && as[9]) {
        who->role = SK_ROLE_EMPLOYER;
        snprintf(who->scope, sizeof(who->scope), "%s", as + 9);
        return 0;
    }
    fprintf(stderr, "shikaku %s: --as is operator, insurer:NUMBER or employer:ID\n%s", cmd, usage);
    return SK_EXIT_USAGE;
}

static void print_item(const sk_work_item_rec *w, bool full)
{
    const char *kind = sk_work_kind_name(w->kind), *state = sk_work_state_name(w->state),
               *risk = w->risk != SK_RISK_NONE ? sk_risk_name(w->risk) : "-",
               *role = sk_role_name(w->assignee_role);
    if (!full) {
        printf("%" PRId64 "\t%s\t%s\t%s\t%s:%s\t%s\n", w->id, kind, state, risk, role,
               w->assignee_scope[0] ? w->assignee_scope : "-", w->detail);
        return;
    }
    printf("id: %" PRId64 "\nkind: %s\nstate: %s\nrisk: %s\nassignee: %s %s\ninsurer: %s\n"
           "detail: %s\nresolutions: %s\n",
           w->id, kind, state, risk, role, w->assignee_scope[0] ? w->assignee_scope : "-",
           w->insurer_number, w->detail, sk_identity_resolutions(w->kind));
    if (w->notification_id)
        printf("notification: %" PRId64 "\n", w->notification_id);
    if (w->resolved_ms)
        printf("resolution: %s\nreason: %s\nresolved_by: %s\n", w->resolution, w->reason,
               w->resolved_by);
}

static sk_err list_cb(void *ctx, const sk_work_item_rec *r)
{
    int *n = ctx;
    (*n)++;
    print_item(r, false);
    return SK_OK;
}

/* The services a command works with; services_close frees what services_open opened. */
typedef struct services {
    sk_store *s;
    sk_registry *reg;
    sk_jlis *j;
    sk_identity *id;
} services;

/* Opens the store and the services, and the register when there is one (or when
 * `need_jlis`). */
static int services_open(const char *db, const char *jlis_path, bool need_jlis, services *sv)
{
    sk_diag d;
    char def[4200];
    sk_store_options o = {.dsn = db};
    *sv = (services){0};
    if (sk_store_open(&o, &sv->s, &d) != SK_OK || sk_registry_open(sv->s, &sv->reg, &d) != SK_OK)
        return sk_cli_fail(&d);
    if (!jlis_path && sk_jlis_default_path(db, def, sizeof(def)))
        jlis_path = def;
    if (jlis_path && sk_jlis_file_open(jlis_path, &sv->j, &d) != SK_OK)
        return sk_cli_fail(&d);
    if (need_jlis && !sv->j) {
        fprintf(stderr, "shikaku: no resident register: give --jlis FILE\n");
        return SK_EXIT_CONFIG;
    }
    if (sk_identity_alloc(sv->reg, sv->j, sk_clock_system(), NULL, &sv->id, &d) != SK_OK)
        return sk_cli_fail(&d);
    if (sv->j)
        sk_identity_install(sv->id); /* a mynumber_set is checked like any registration */
    return SK_EXIT_OK;
}

static void services_close(services *sv)
{
    sk_identity_free(sv->id);
    sk_jlis_free(sv->j);
    sk_registry_free(sv->reg);
    sk_store_close(sv->s);
}

int sk_cli_work(int argc, char **argv)
{
    const char *db = NULL, *as = NULL, *state = NULL, *kind = NULL, *resolution = NULL,
               *reason = NULL, *mynumber = NULL, *docs = NULL, *jlis_path = NULL;
    sk_cli_flag flags[] = {{"--db", &db},
                           {"--as", &as},
                           {"--state", &state},
                           {"--kind", &kind},
                           {"--resolution", &resolution},
                           {"--reason", &reason},
                           {"--mynumber", &mynumber},
                           {"--documents-verified", &docs},
                           {"--jlis", &jlis_path},
                           {NULL, NULL}};
    if (argc < 2 || (strcmp(argv[1], "list") != 0 && strcmp(argv[1], "show") != 0 &&
                     strcmp(argv[1], "resolve") != 0)) {
        fprintf(stderr, "shikaku work: expected list, show or resolve\n%s", sk_cli_work_usage);
        return SK_EXIT_USAGE;
    }
    bool listing = strcmp(argv[1], "list") == 0;
    long long wid = 0;
    int rc;
    /* show takes one id; resolve one or several, comma-separated (the bulk 理由付き疑いなし) */
    long long ids[500];
    size_t nids = 0;
    if (!listing && argc >= 3) {
        size_t cap = strcmp(argv[1], "resolve") == 0 ? sizeof(ids) / sizeof(ids[0]) : 1;
        const char *p = argv[2];
        bool bad = false;
        for (;;) {
            size_t len = strcspn(p, ",");
            if (nids == cap || sk_parse_ll(p, len, 1, INT64_MAX, &ids[nids]) != SK_OK) {
                bad = true;
                break;
            }
            nids++;
            if (!p[len])
                break;
            p += len + 1;
        }
        if (bad)
            nids = 0; /* something was not an id, or too many */
        wid = nids ? ids[0] : 0;
    }
    if (!listing && nids == 0) {
        fprintf(stderr, "shikaku work: %s needs the work item's id first (resolve: ID[,ID...])\n%s",
                argv[1], sk_cli_work_usage);
        return SK_EXIT_USAGE;
    }
    if ((rc = sk_cli_flags(argc, argv, listing ? 2 : 3, flags, sk_cli_work_usage, "work")) ||
        (rc = sk_cli_need(db, "--db PATH", sk_cli_work_usage, "work")))
        return rc;
    sk_principal who;
    if ((rc = parse_who(as, &who, sk_cli_work_usage, "work")))
        return rc;
    if (docs && strcmp(docs, "yes") != 0 && strcmp(docs, "no") != 0) {
        fprintf(stderr, "shikaku work: --documents-verified is yes or no\n%s", sk_cli_work_usage);
        return SK_EXIT_USAGE;
    }
    services sv = {0};
    sk_diag d;
    sk_diag_clear(&d);
    if ((rc = services_open(db, jlis_path, false, &sv)))
        goto out;
    sk_work_item_rec w;
    if (listing) {
        int listed = 0;
        if (sk_identity_work_item_list(sv.id, &who, state, kind, 0, 500, list_cb, &listed, &d))
            rc = sk_cli_fail(&d);
        else if (!listed) /* stdout stays empty for scripts; a person at a terminal is told */
            fprintf(stderr, "no work items for %s%s%s%s%s\n", as, state ? ", state " : "",
                    state ? state : "", kind ? ", kind " : "", kind ? kind : "");
    } else if (strcmp(argv[1], "show") == 0) {
        if (sk_identity_work_item_get(sv.id, &who, wid, &w, &d))
            rc = sk_cli_fail(&d);
        else
            print_item(&w, true);
    } else {
        sk_resolution r = {.resolution = resolution,
                           .reason = reason,
                           .mynumber = mynumber,
                           .documents_verified = docs && strcmp(docs, "yes") == 0};
        for (size_t i = 0; i < nids; i++) {
            sk_diag_clear(&d);
            if (sk_identity_work_item_resolve(sv.id, &who, ids[i], &r, &w, &d))
                rc = nids == 1 ? sk_cli_fail(&d)
                               : (fprintf(stderr, "work item %lld: ", ids[i]), sk_cli_fail(&d));
            else if (nids == 1)
                print_item(&w, true);
            else
                printf("%lld\tresolved\t%s\n", ids[i], w.resolution);
        }
    }
out:
    services_close(&sv);
    return rc;
}

int sk_cli_identity(int argc, char **argv)
{
    sk_diag d;
    sk_diag_clear(&d);
    if (argc == 3 && strcmp(argv[1], "jlis-check") == 0) {
        sk_jlis *j = NULL;
        if (sk_jlis_file_open(argv[2], &j, &d) != SK_OK)
            return sk_cli_fail(&d);
        printf("%s: %zu residents\n", argv[2], sk_jlis_count(j));
        sk_jlis_free(j);
        return SK_EXIT_OK;
    }
    if (argc < 2 || strcmp(argv[1], "check-all") != 0) {
        fprintf(stderr, "shikaku identity: expected check-all or jlis-check\n%s",
                sk_cli_identity_usage);
        return SK_EXIT_USAGE;
    }
    const char *db = NULL, *jlis_path = NULL;
    sk_cli_flag flags[] = {{"--db", &db}, {"--jlis", &jlis_path}, {NULL, NULL}};
    int rc;
    if ((rc = sk_cli_flags(argc, argv, 2, flags, sk_cli_identity_usage, "identity")) ||
        (rc = sk_cli_need(db, "--db PATH", sk_cli_identity_usage, "identity")))
        return rc;
    services sv = {0};
    if ((rc = services_open(db, jlis_path, true, &sv)))
        goto out;
    sk_identity_recheck_stats st;
    if (sk_identity_check_all(sv.id, "recheck", "cli:identity", &st, &d)) {
        rc = sk_cli_fail(&d);
        goto out;
    }
    printf("checked %" PRId64 " persons: %" PRId64 " match, %" PRId64 " mismatch_high, %" PRId64
           " mismatch_low, %" PRId64 " not_found, %" PRId64 " pending\n",
           st.persons, st.match, st.mismatch_high, st.mismatch_low, st.not_found, st.pending);
out:
    services_close(&sv);
    return rc;
}
