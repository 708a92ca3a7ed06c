/* cmd_audit.c — `shikaku audit verify`: walks the hash chain of the audit table (every 届出,
 * principal and work item) and of the look-up log beside the database (every eligibility
 * look-up, store.h SK_STORE_LOOKUP_LOG), names the first row that does not fit, and holds
 * each chain against its anchor — and the look-up log against the registry's last record of
 * its head — so that rows removed at the end, a removed log and an edited anchor are found,
 * each with its own exit code.
 * `shikaku audit list`: the rows of either chain, or how many, through the store (never the
 * database file), so that what an operator or a test reads does not depend on the driver. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/store.h"
#include "util/config.h"
#include "verify/verify.h"

const char sk_cli_audit_usage[] =
    "usage: shikaku audit verify --db PATH [--lookup-log FILE]\n"
    "       shikaku audit list   --db PATH [--lookups] [--lookup-log FILE] [--action ACTION]\n"
    "                            [--after ID] [--limit N] [--count]\n\n"
    "verify  checks the audit chains: each row's hash must cover its fields and the previous\n"
    "        row's hash, and each chain must reach its anchor (PATH.anchor, PATH.lookups.anchor:\n"
    "        the head kept under a MAC). Two chains: the database's audit table (届出,\n"
    "        principals, work items) and the look-up log (every eligibility look-up; default\n"
    "        PATH.lookups), which must also reach the head the registry last recorded of it.\n"
    "        Prints 'intact' and the rows checked for each, or what is wrong; exits 1 for a row\n"
    "        altered, inserted or following a removed one (BROKEN), 5 for rows missing at the\n"
    "        end (TRUNCATED), 6 for a look-up log that is gone (MISSING), 7 for an anchor that\n"
    "        does not verify or is gone (ANCHOR).\n"
    "list    prints the rows of the database's audit table, or with --lookups those of the\n"
    "        look-up log (--lookup-log FILE: another file than PATH.lookups), oldest first, one\n"
    "        tab-separated line each after a header: id, at (UTC), actor, action, object,\n"
    "        detail. --action keeps one action's rows (e.g. eligibility.lookup), --after ID\n"
    "        the rows after that one, --limit N the first N; --count prints only how many.\n";

/* Rows read per read transaction: a long listing never holds one snapshot open for long. */
#define PAGE 1000

/* The look-up log to read: the file named (which must exist: SK_EXIT_CONFIG otherwise), else
 * PATH.lookups when there is one, else none (*out NULL: no look-up answered yet). */
static int lookup_log(const char *db, const char *named, char *buf, size_t n, const char **out)
{
    *out = NULL;
    if (named) {
        if (access(named, F_OK) != 0) {
            sk_diag d;
            sk_diag_set(&d, SK_C_IO, "lookup_log", "no look-up log at %s", named);
            return sk_cli_fail(&d);
        }
        *out = named;
        return SK_EXIT_OK;
    }
    if (!sk_store_lookup_log_path(db, buf, n)) {
        fprintf(stderr, "shikaku audit: database path too long\n");
        return SK_EXIT_USAGE;
    }
    if (access(buf, F_OK) == 0)
        *out = buf;
    return SK_EXIT_OK;
}

/* Verifies one chain against its anchor and `reach` (NULL: none): the exit code of its
 * outcome (0 intact). */
static int verify(const sk_store_options *o, const char *what, const sk_audit_head *reach)
{
    sk_diag d;
    sk_diag_clear(&d);
    sk_store *s = NULL;
    sk_audit_check c;
    if (sk_store_open(o, &s, &d) != SK_OK || sk_store_audit_check(s, reach, &c, &d)) {
        sk_store_close(s);
        return sk_cli_fail(&d);
    }
    sk_store_close(s);
    switch (c.outcome) {
    case SK_AUDIT_INTACT:
        if (c.anchored)
            printf("%s chain intact: %lld rows (anchored at row %lld)\n", what, (long long)c.rows,
                   (long long)c.anchor.last_id);
        else
            printf("%s chain intact: %lld rows\n", what, (long long)c.rows);
        return SK_EXIT_OK;
    case SK_AUDIT_BROKEN:
        printf("%s chain BROKEN at row %lld (%lld rows checked): %s\n", what,
               (long long)c.first_bad, (long long)c.rows, c.why);
        return SK_EXIT_FAIL;
    case SK_AUDIT_TRUNCATED:
        printf("%s chain TRUNCATED: %s\n", what, c.why);
        return SK_EXIT_TRUNCATED;
    case SK_AUDIT_ANCHOR_FORGED:
        printf("%s chain ANCHOR FORGED (%lld rows checked): %s\n", what, (long long)c.rows, c.why);
        return SK_EXIT_ANCHOR;
    case SK_AUDIT_ANCHOR_MISSING:
    default:
        printf("%s chain ANCHOR MISSING: %s\n", what, c.why);
        return SK_EXIT_ANCHOR;
    }
}

typedef struct cp_ctx {
    bool found;
    int64_t at_ms;
    sk_audit_head h;
} cp_ctx;

/* The furthest head of the look-up log the registry's chain recorded (found false: never). */
static int last_checkpoint(const sk_store_options *o, cp_ctx *c)
{
    sk_diag d;
    sk_diag_clear(&d);
    sk_store *s = NULL;
    memset(c, 0, sizeof(*c));
    int rc = SK_EXIT_OK;
    if (sk_store_open(o, &s, &d) != SK_OK ||
        sk_lookup_log_last_checkpoint(s, &c->found, &c->h, &c->at_ms, &d))
        rc = sk_cli_fail(&d);
    sk_store_close(s);
    return rc;
}

/* A look-up log that is not there: MISSING when its anchor or the registry's record of it
 * names rows, else none was ever written. */
static int verify_absent(const sk_store_options *lo, const cp_ctx *cp)
{
    sk_diag d;
    sk_diag_clear(&d);
    bool found = false;
    sk_audit_head a;
    sk_err err = sk_store_anchor_peek(lo, &found, &a, &d);
    if (err && err != SK_ERR_CRYPTO)
        return sk_cli_fail(&d);
    if (err) {
        printf("look-up log MISSING: %s is gone, and %s\n", lo->dsn, d.message);
        return SK_EXIT_LOG_MISSING;
    }
    if (found && a.last_id > 0) {
        printf("look-up log MISSING: %s is gone, but its anchor names %lld rows up to id %lld\n",
               lo->dsn, (long long)a.rows, (long long)a.last_id);
        return SK_EXIT_LOG_MISSING;
    }
    if (cp->found && cp->h.last_id > 0) {
        char at[32];
        sk_cli_time(cp->at_ms, at);
        printf("look-up log MISSING: %s is gone, but the registry recorded it at %lld rows up "
               "to id %lld (%s)\n",
               lo->dsn, (long long)cp->h.rows, (long long)cp->h.last_id, at);
        return SK_EXIT_LOG_MISSING;
    }
    printf("look-up log: none (no look-up answered yet)\n");
    return SK_EXIT_OK;
}

static int run_verify(int argc, char **argv)
{
    const char *db = NULL, *named = NULL;
    sk_cli_flag flags[] = {{"--db", &db}, {"--lookup-log", &named}, {NULL, NULL}};
    int rc = sk_cli_flags(argc, argv, 2, flags, sk_cli_audit_usage, "audit verify");
    if (rc || (rc = sk_cli_need(db, "--db PATH", sk_cli_audit_usage, "audit verify")))
        return rc;
    char log_default[4096], key[4096];
    const char *log;
    if ((rc = lookup_log(db, named, log_default, sizeof(log_default), &log)))
        return rc;
    sk_store_options o = {.dsn = db};
    sk_diag d;
    if (sk_store_key_file(&o, key, sizeof(key), &d) != SK_OK)
        return sk_cli_fail(&d);
    int main_rc = verify(&o, "audit", NULL);
    if (main_rc == SK_EXIT_CONFIG || main_rc == SK_EXIT_INTERNAL)
        return main_rc;
    /* the log's head as the registry last recorded it (lookup_log.checkpoint) */
    cp_ctx cp;
    if ((rc = last_checkpoint(&o, &cp)))
        return rc;
    /* the registry's key file keys the log's anchor; the default log's path when none */
    sk_store_options lo = {
        .dsn = log ? log : log_default, .kind = SK_STORE_LOOKUP_LOG, .key_file = key};
    int log_rc =
        log ? verify(&lo, "look-up log", cp.found ? &cp.h : NULL) : verify_absent(&lo, &cp);
    return main_rc != SK_EXIT_OK ? main_rc : log_rc;
}

typedef struct list_ctx {
    sk_cli_rows out;
    int64_t last_id;
} list_ctx;

static sk_err list_row(void *ctx, const sk_audit_rec *r)
{
    list_ctx *c = ctx;
    c->last_id = r->id;
    if (!sk_cli_row(&c->out))
        return SK_OK;
    char at[32];
    sk_cli_time(r->at_ms, at);
    printf("%" PRId64 "\t%s\t", r->id, at);
    sk_cli_field(stdout, r->actor);
    putchar('\t');
    sk_cli_field(stdout, r->action);
    putchar('\t');
    sk_cli_field(stdout, r->object);
    putchar('\t');
    sk_cli_field(stdout, r->detail);
    putchar('\n');
    return SK_OK;
}

/* Lists (or counts) the rows of one chain, a page per read transaction. */
static int list_rows(const sk_store_options *o, const char *action, list_ctx *c, long long limit)
{
    sk_diag d;
    sk_diag_clear(&d);
    sk_store *s = NULL;
    sk_tx *tx = NULL;
    int rc = SK_EXIT_OK;
    if (sk_store_open(o, &s, &d) != SK_OK) {
        rc = sk_cli_fail(&d);
        goto out;
    }
    for (;;) {
        long long want = limit ? limit - c->out.rows : PAGE;
        int page = want < PAGE ? (int)want : PAGE;
        long long before = c->out.rows;
        if (page <= 0)
            break;
        if (sk_store_begin_read(s, &tx, &d) ||
            sk_store_audit_list_page(tx, action, c->last_id, page, list_row, c, &d)) {
            rc = sk_cli_fail(&d);
            goto out;
        }
        sk_tx_rollback(tx);
        tx = NULL;
        if (c->out.rows - before < page)
            break;
    }
out:
    sk_tx_rollback(tx);
    sk_store_close(s);
    return rc;
}

static int run_list(int argc, char **argv)
{
    const char *db = NULL, *named = NULL, *action = NULL, *after_s = NULL, *limit_s = NULL;
    bool lookups = false, count = false;
    sk_cli_flag flags[] = {{"--db", &db},         {"--lookup-log", &named}, {"--action", &action},
                           {"--after", &after_s}, {"--limit", &limit_s},    {NULL, NULL}};
    sk_cli_switch switches[] = {{"--lookups", &lookups}, {"--count", &count}, {NULL, NULL}};
    long long after = 0, limit = 0;
    int rc = sk_cli_options(argc, argv, 2, flags, switches, sk_cli_audit_usage, "audit list");
    if (rc || (rc = sk_cli_need(db, "--db PATH", sk_cli_audit_usage, "audit list")) ||
        (after_s && (rc = sk_cli_number(after_s, 0, INT64_MAX, &after, "--after",
                                        sk_cli_audit_usage, "audit list"))) ||
        (limit_s && (rc = sk_cli_number(limit_s, 1, INT64_MAX, &limit, "--limit",
                                        sk_cli_audit_usage, "audit list"))))
        return rc;
    if (action && !*action) {
        fprintf(stderr, "shikaku audit list: --action names an action, e.g. eligibility.lookup\n%s",
                sk_cli_audit_usage);
        return SK_EXIT_USAGE;
    }
    sk_store_options o = {.dsn = db};
    list_ctx c = {.out = {.header = "id\tat\tactor\taction\tobject\tdetail\n", .count_only = count},
                  .last_id = after};
    char log_default[4096];
    if (lookups || named) {
        const char *log;
        if ((rc = lookup_log(db, named, log_default, sizeof(log_default), &log)))
            return rc;
        if (!log) { /* no look-up answered yet: an empty chain, and no file created for it */
            sk_cli_rows_end(&c.out);
            return SK_EXIT_OK;
        }
        o = (sk_store_options){.dsn = log, .kind = SK_STORE_LOOKUP_LOG};
    }
    if ((rc = list_rows(&o, action, &c, limit)))
        return rc;
    sk_cli_rows_end(&c.out);
    return SK_EXIT_OK;
}

int sk_cli_audit(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "verify") == 0)
        return run_verify(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return run_list(argc, argv);
    fprintf(stderr, "shikaku audit: expected 'verify' or 'list'\n%s", sk_cli_audit_usage);
    return SK_EXIT_USAGE;
}
