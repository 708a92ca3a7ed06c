/* cmd_audit.c — `shikaku audit verify`: walks the hash chain of the audit table (every 届出,
 * principal and work item) and of the look-up log beside the database (every eligibility
 * look-up, store.h SK_STORE_LOOKUP_LOG), and names the first row that does not fit. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/store.h"

const char sk_cli_audit_usage[] =
    "usage: shikaku audit verify --db PATH [--lookup-log FILE]\n\n"
    "Checks the audit chains: each row's hash must cover its fields and the previous row's hash.\n"
    "Two chains: the database's audit table (届出, principals, work items) and the look-up log\n"
    "(every eligibility look-up; default PATH.lookups, skipped when there is none). Prints the\n"
    "rows checked and 'intact' for each, or the id of the first row that was altered, inserted\n"
    "or follows a removed one, and exits 1.\n";

/* Verifies one chain; 0 intact, 1 broken, else the exit code of a failure. */
static int verify(const sk_store_options *o, const char *what)
{
    sk_diag d;
    sk_diag_clear(&d);
    sk_store *s = NULL;
    int64_t first_bad = 0, rows = 0;
    if (sk_store_open(o, &s, &d) != SK_OK || sk_store_audit_verify(s, &first_bad, &rows, &d)) {
        sk_store_close(s);
        return sk_cli_fail(&d);
    }
    sk_store_close(s);
    if (first_bad) {
        printf("%s chain BROKEN at row %lld (%lld rows checked)\n", what, (long long)first_bad,
               (long long)rows);
        return SK_EXIT_FAIL;
    }
    printf("%s chain intact: %lld rows\n", what, (long long)rows);
    return SK_EXIT_OK;
}

int sk_cli_audit(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "verify") != 0) {
        fprintf(stderr, "shikaku audit: expected 'verify'\n%s", sk_cli_audit_usage);
        return SK_EXIT_USAGE;
    }
    const char *db = NULL, *log = NULL;
    sk_cli_flag flags[] = {{"--db", &db}, {"--lookup-log", &log}, {NULL, NULL}};
    int rc = sk_cli_flags(argc, argv, 2, flags, sk_cli_audit_usage, "audit");
    if (rc || (rc = sk_cli_need(db, "--db PATH", sk_cli_audit_usage, "audit")))
        return rc;
    char log_default[4096];
    if (log && access(log, F_OK) != 0) {
        sk_diag d;
        sk_diag_set(&d, SK_C_IO, "lookup_log", "no look-up log at %s", log);
        return sk_cli_fail(&d);
    }
    if (!log) {
        if (!sk_store_lookup_log_path(db, log_default, sizeof(log_default))) {
            fprintf(stderr, "shikaku audit: database path too long\n");
            return SK_EXIT_USAGE;
        }
        log = access(log_default, F_OK) == 0 ? log_default : NULL; /* none yet: nothing asked */
    }
    sk_store_options o = {.dsn = db};
    int main_rc = verify(&o, "audit");
    if (main_rc != SK_EXIT_OK && main_rc != SK_EXIT_FAIL)
        return main_rc;
    if (!log) {
        printf("look-up log: none (no look-up answered yet)\n");
        return main_rc;
    }
    sk_store_options lo = {.dsn = log, .kind = SK_STORE_LOOKUP_LOG};
    int log_rc = verify(&lo, "look-up log");
    return log_rc != SK_EXIT_OK ? log_rc : main_rc;
}
