/* cmd_list.c — the registry read from the command line: `shikaku notification list` (届出),
 * `shikaku member list` (an insurer's card keys), `shikaku person list --name` (persons under a
 * name). Each reads through the store and the registry — never the database file — so an
 * operator's script, and the system tests, work the same on any store driver. Output: a header
 * line, then one tab-separated line per row (cli.h sk_cli_field); --count prints how many.
 * Nothing here prints a My Number. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/insurer.h"
#include "registry/filing.h"
#include "util/clock.h"

const char sk_cli_notification_usage[] =
    "usage: shikaku notification list --db PATH [--insurer 保険者番号] [--state STATE]\n"
    "                                 [--after ID] [--limit N] [--count]\n\n"
    "Prints the 届出, oldest first, one tab-separated line each after a header: id, kind,\n"
    "state, insurer, employer, submitter, filed_at (UTC), idempotency_key ('-' for none).\n"
    "--insurer keeps one insurer's, --state those in one state (received, pending_my_number,\n"
    "registered, withdrawn, invalid), --after ID those after that 届出, --limit N the first N;\n"
    "--count prints only how many. The payload (5情報) is not printed.\n";

const char sk_cli_member_usage[] =
    "usage: shikaku member list --db PATH [--insurer 保険者番号] [--on YYYY-MM-DD] [--registered]\n"
    "                           [--count]\n\n"
    "Prints the qualifications in force on a day (--on; default today in Japan) of one insurer,\n"
    "or of every insurer by number, one tab-separated line each after a header: insurer,\n"
    "symbol, number, branch (記号・番号・枝番; symbol '-' when there is none), birthdate, person\n"
    "(its public id), relationship (insured, dependent), acquired_on, lost_on ('-': none),\n"
    "registered (in the intermediate server), display_stopped (閲覧停止), both yes or no.\n"
    "--registered keeps the registered ones; --count prints only how many. Never a My Number.\n";

const char sk_cli_person_usage[] =
    "usage: shikaku person list --db PATH --name NAME [--count]\n\n"
    "Prints the persons whose stored name is exactly NAME (as filed: 旧字体 as written, a\n"
    "full-width space between family and given name), one tab-separated line each after a\n"
    "header: person (its public id), name, kana, birthdate, sex (1 male, 2 female, 3 unset),\n"
    "has_mynumber (yes or no: never the number). Reads every person: an operator's search.\n"
    "--count prints only how many.\n";

/* Rows read per read transaction (and per call of a paged service). */
#define PAGE 1000

static const char *yes_no(bool b)
{
    return b ? "yes" : "no";
}

/* A 保険者番号 given as --insurer, checked and registered; its canonical digits into out. */
static int insurer_arg(sk_store *s, const char *given, char out[9])
{
    sk_diag d;
    sk_insurer_number num;
    sk_tx *tx = NULL;
    sk_insurer_rec r;
    if (sk_insurer_number_parse(given, strlen(given), &num, "insurer", &d))
        return sk_cli_fail(&d);
    if (sk_store_begin_read(s, &tx, &d))
        return sk_cli_fail(&d);
    sk_err err = sk_store_insurer_get(tx, num.digits, &r, &d);
    sk_tx_rollback(tx);
    if (err == SK_ERR_NOTFOUND)
        sk_diag_set(&d, SK_C_NOT_FOUND, "insurer", "no insurer %s is registered", num.digits);
    if (err)
        return sk_cli_fail(&d);
    memcpy(out, num.digits, 9);
    return SK_EXIT_OK;
}

static int open_store(const char *db, sk_store **s)
{
    sk_diag d;
    sk_store_options o = {.dsn = db};
    if (sk_store_open(&o, s, &d) != SK_OK)
        return sk_cli_fail(&d);
    return SK_EXIT_OK;
}

/* ---- notification list ---- */

typedef struct list_ctx {
    sk_cli_rows out;
    int64_t last_id; /* the last row seen: the next page starts after it */
    int page_rows;   /* rows the page gave (those filtered out too) */
} list_ctx;

static sk_err notif_row(void *ctx, const sk_notification_rec *n)
{
    list_ctx *c = ctx;
    c->last_id = n->id;
    c->page_rows++;
    if (!sk_cli_row(&c->out))
        return SK_OK;
    char filed[32], employer[24] = "-";
    sk_cli_time(n->filed_ms, filed);
    if (n->employer_id)
        snprintf(employer, sizeof(employer), "%" PRId64, n->employer_id);
    printf("%" PRId64 "\t%s\t%s\t%s\t%s\t", n->id, n->kind, sk_notification_state_name(n->state),
           n->insurer_number, employer);
    sk_cli_field(stdout, n->submitter);
    printf("\t%s\t", filed);
    sk_cli_field(stdout, n->idem_key);
    putchar('\n');
    return SK_OK;
}

static bool known_state(const char *s)
{
    sk_notification_state st;
    return sk_notification_state_from_name(s, &st);
}

int sk_cli_notification(int argc, char **argv)
{
    const char *db = NULL, *insurer = NULL, *state = NULL, *after_s = NULL, *limit_s = NULL;
    bool count = false;
    sk_cli_flag flags[] = {{"--db", &db},         {"--insurer", &insurer}, {"--state", &state},
                           {"--after", &after_s}, {"--limit", &limit_s},   {NULL, NULL}};
    sk_cli_switch switches[] = {{"--count", &count}, {NULL, NULL}};
    const char *u = sk_cli_notification_usage, *cmd = "notification list";
    long long after = 0, limit = 0;
    int rc;
    if (argc < 2 || strcmp(argv[1], "list") != 0) {
        fprintf(stderr, "shikaku notification: expected 'list'\n%s", u);
        return SK_EXIT_USAGE;
    }
    if ((rc = sk_cli_options(argc, argv, 2, flags, switches, u, cmd)) ||
        (rc = sk_cli_need(db, "--db PATH", u, cmd)) ||
        (after_s && (rc = sk_cli_number(after_s, 0, INT64_MAX, &after, "--after", u, cmd))) ||
        (limit_s && (rc = sk_cli_number(limit_s, 1, INT64_MAX, &limit, "--limit", u, cmd))))
        return rc;
    if (state && !known_state(state)) {
        fprintf(stderr,
                "shikaku %s: --state is received, pending_my_number, registered, withdrawn or "
                "invalid, not '%s'\n%s",
                cmd, state, u);
        return SK_EXIT_USAGE;
    }
    sk_store *s = NULL;
    sk_tx *tx = NULL;
    sk_arena *a = NULL;
    char ins[9];
    if ((rc = open_store(db, &s)) || (insurer && (rc = insurer_arg(s, insurer, ins))))
        goto out;
    if (!(a = sk_arena_alloc(0, 0))) {
        fprintf(stderr, "shikaku %s: out of memory\n", cmd);
        rc = SK_EXIT_INTERNAL;
        goto out;
    }
    list_ctx c = {.out = {.header = "id\tkind\tstate\tinsurer\temployer\tsubmitter\tfiled_at\t"
                                    "idempotency_key\n",
                          .count_only = count},
                  .last_id = after};
    for (;;) {
        sk_diag d;
        long long want = limit ? limit - c.out.rows : PAGE;
        int page = want < PAGE ? (int)want : PAGE;
        if (page <= 0)
            break;
        c.page_rows = 0;
        if (sk_store_begin_read(s, &tx, &d) ||
            sk_store_notification_list_page(tx, insurer ? ins : NULL, state, c.last_id, page, a,
                                            notif_row, &c, &d)) {
            rc = sk_cli_fail(&d);
            goto out;
        }
        sk_tx_rollback(tx);
        tx = NULL;
        sk_arena_reset(a); /* the payloads of a page */
        if (c.page_rows < page)
            break;
    }
    sk_cli_rows_end(&c.out);
out:
    sk_tx_rollback(tx);
    sk_arena_free(a);
    sk_store_close(s);
    return rc;
}

/* ---- member list ---- */

typedef struct member_ctx {
    list_ctx l;
    bool registered_only;
} member_ctx;

static sk_err member_row(void *ctx, const sk_qualification_rec *q, const sk_person_rec *p)
{
    member_ctx *c = ctx;
    c->l.last_id = q->id;
    c->l.page_rows++;
    if ((c->registered_only && !q->registered_ms) || !sk_cli_row(&c->l.out))
        return SK_OK;
    char birth[11], acquired[11], lost[11] = "-";
    sk_date_format(p->info.birthdate, birth);
    sk_date_format(q->acquired_on, acquired);
    if (q->has_lost)
        sk_date_format(q->lost_on, lost);
    printf("%s\t", q->insurer_number);
    sk_cli_field(stdout, q->key.symbol);
    putchar('\t');
    sk_cli_field(stdout, q->key.number);
    putchar('\t');
    sk_cli_field(stdout, q->key.branch);
    printf("\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", birth, p->pid,
           q->relationship == SK_REL_INSURED ? "insured" : "dependent", acquired, lost,
           yes_no(q->registered_ms != 0), yes_no(q->display_stopped));
    return SK_OK;
}

/* 保険者番号 to list, in order */
typedef struct insurer_numbers {
    char (*n)[9];
    size_t len, cap;
} insurer_numbers;

static sk_err add_insurer(insurer_numbers *l, const char number[9])
{
    if (l->len == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        void *n = realloc(l->n, cap * sizeof(*l->n));
        if (!n)
            return SK_ERR_NOMEM;
        l->n = n;
        l->cap = cap;
    }
    memcpy(l->n[l->len++], number, 9);
    return SK_OK;
}

static sk_err collect_insurer(void *ctx, const sk_insurer_rec *r)
{
    return add_insurer(ctx, r->number);
}

int sk_cli_member(int argc, char **argv)
{
    const char *db = NULL, *insurer = NULL, *on_s = NULL;
    bool count = false, registered = false;
    sk_cli_flag flags[] = {{"--db", &db}, {"--insurer", &insurer}, {"--on", &on_s}, {NULL, NULL}};
    sk_cli_switch switches[] = {{"--registered", &registered}, {"--count", &count}, {NULL, NULL}};
    const char *u = sk_cli_member_usage, *cmd = "member list";
    int rc;
    if (argc < 2 || strcmp(argv[1], "list") != 0) {
        fprintf(stderr, "shikaku member: expected 'list'\n%s", u);
        return SK_EXIT_USAGE;
    }
    if ((rc = sk_cli_options(argc, argv, 2, flags, switches, u, cmd)) ||
        (rc = sk_cli_need(db, "--db PATH", u, cmd)))
        return rc;
    sk_date on = sk_date_from_unix_ms(sk_clock_now_ms(sk_clock_system()));
    if (on_s && sk_date_parse(on_s, strlen(on_s), &on, "on", NULL)) {
        fprintf(stderr, "shikaku %s: --on is a date YYYY-MM-DD, not '%s'\n%s", cmd, on_s, u);
        return SK_EXIT_USAGE;
    }
    sk_store *s = NULL;
    sk_registry *reg = NULL;
    sk_tx *tx = NULL;
    insurer_numbers ins = {0};
    sk_diag d;
    sk_diag_clear(&d);
    if ((rc = open_store(db, &s)))
        goto out;
    if (sk_registry_open(s, &reg, &d)) {
        rc = sk_cli_fail(&d);
        goto out;
    }
    if (insurer) {
        char one[9];
        if ((rc = insurer_arg(s, insurer, one)))
            goto out;
        if (add_insurer(&ins, one)) {
            fprintf(stderr, "shikaku %s: out of memory\n", cmd);
            rc = SK_EXIT_INTERNAL;
            goto out;
        }
    } else {
        if (sk_store_begin_read(s, &tx, &d) ||
            sk_store_insurer_list(tx, collect_insurer, &ins, &d)) {
            rc = sk_cli_fail(&d);
            goto out;
        }
        sk_tx_rollback(tx);
        tx = NULL;
    }
    /* the registry reads the members as the operator would through the API */
    sk_principal op = {.role = SK_ROLE_OPERATOR, .label = "cli:member"};
    member_ctx c = {.l.out = {.header = "insurer\tsymbol\tnumber\tbranch\tbirthdate\tperson\t"
                                        "relationship\tacquired_on\tlost_on\tregistered\t"
                                        "display_stopped\n",
                              .count_only = count},
                    .registered_only = registered};
    for (size_t i = 0; i < ins.len; i++) {
        c.l.last_id = 0;
        do {
            c.l.page_rows = 0;
            if (sk_registry_members(reg, &op, ins.n[i], on, c.l.last_id, PAGE, member_row, &c,
                                    &d)) {
                rc = sk_cli_fail(&d);
                goto out;
            }
        } while (c.l.page_rows == PAGE);
    }
    sk_cli_rows_end(&c.l.out);
out:
    sk_tx_rollback(tx);
    free(ins.n);
    sk_registry_free(reg);
    sk_store_close(s);
    return rc;
}

/* ---- person list ---- */

static sk_err person_row(void *ctx, const sk_person_rec *p)
{
    list_ctx *c = ctx;
    c->last_id = p->id;
    c->page_rows++;
    if (!sk_cli_row(&c->out))
        return SK_OK;
    char birth[11];
    sk_date_format(p->info.birthdate, birth);
    printf("%s\t", p->pid);
    sk_cli_field(stdout, p->info.name);
    putchar('\t');
    sk_cli_field(stdout, p->info.kana);
    printf("\t%s\t%d\t%s\n", birth, (int)p->info.sex, yes_no(p->has_mynumber));
    return SK_OK;
}

int sk_cli_person(int argc, char **argv)
{
    const char *db = NULL, *name = NULL;
    bool count = false;
    sk_cli_flag flags[] = {{"--db", &db}, {"--name", &name}, {NULL, NULL}};
    sk_cli_switch switches[] = {{"--count", &count}, {NULL, NULL}};
    const char *u = sk_cli_person_usage, *cmd = "person list";
    int rc;
    if (argc < 2 || strcmp(argv[1], "list") != 0) {
        fprintf(stderr, "shikaku person: expected 'list'\n%s", u);
        return SK_EXIT_USAGE;
    }
    if ((rc = sk_cli_options(argc, argv, 2, flags, switches, u, cmd)) ||
        (rc = sk_cli_need(db, "--db PATH", u, cmd)) ||
        (rc = sk_cli_need(name, "--name NAME", u, cmd)))
        return rc;
    if (!*name) {
        fprintf(stderr, "shikaku %s: --name is empty\n%s", cmd, u);
        return SK_EXIT_USAGE;
    }
    sk_store *s = NULL;
    sk_tx *tx = NULL;
    if ((rc = open_store(db, &s)))
        goto out;
    list_ctx c = {.out = {.header = "person\tname\tkana\tbirthdate\tsex\thas_mynumber\n",
                          .count_only = count}};
    for (;;) {
        sk_diag d;
        c.page_rows = 0;
        if (sk_store_begin_read(s, &tx, &d) ||
            sk_store_person_list_by_name(tx, name, c.last_id, PAGE, person_row, &c, &d)) {
            rc = sk_cli_fail(&d);
            goto out;
        }
        sk_tx_rollback(tx);
        tx = NULL;
        if (c.page_rows < PAGE)
            break;
    }
    sk_cli_rows_end(&c.out);
out:
    sk_tx_rollback(tx);
    sk_store_close(s);
    return rc;
}
