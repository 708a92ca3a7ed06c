/* cli.h — the `shikaku` command: subcommand table and the exit codes every subcommand uses
 * (documented in docs/cli.md). Subcommands translate arguments into library calls and results
 * into output; they hold no business rules. */
#ifndef SK_CLI_CLI_H
#define SK_CLI_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util/err.h"

enum {
    SK_EXIT_OK = 0,     /* success */
    SK_EXIT_FAIL = 1,   /* the operation failed (invalid data, conflict, store error) */
    SK_EXIT_USAGE = 2,  /* wrong arguments; nothing was done */
    SK_EXIT_CONFIG = 3, /* environment: missing/unsafe key file, unreadable config, I/O */
    SK_EXIT_EXISTS = 4, /* already exists: refused to overwrite a file or duplicate a record */
    /* `audit verify`: what it found (docs/cli.md); 1 is a broken chain */
    SK_EXIT_TRUNCATED = 5,   /* rows missing at the end of a chain (its anchor names more) */
    SK_EXIT_LOG_MISSING = 6, /* the look-up log is gone though look-ups were recorded */
    SK_EXIT_ANCHOR = 7,      /* an anchor that does not verify, or none for a chain with rows */
    /* `serve`: look-ups were answered whose audit rows could not be written before the stop */
    SK_EXIT_UNRECORDED = 8,
    SK_EXIT_INTERNAL = 70 /* a bug (EX_SOFTWARE) */
};

typedef struct sk_cli_cmd {
    const char *name;
    const char *summary;
    const char *usage; /* full help text */
    int (*run)(int argc, char **argv);
} sk_cli_cmd;

/* A `--name value` flag and where its value goes. A table ends with {NULL, NULL}. */
typedef struct sk_cli_flag {
    const char *name;
    const char **slot;
} sk_cli_flag;

/* A switch `--name` (no value) and the bool it sets. A table ends with {NULL, NULL}. */
typedef struct sk_cli_switch {
    const char *name;
    bool *on;
} sk_cli_switch;

/* Parses argv[first..] as `--name value` pairs into the table; on an unknown flag or a missing
 * value prints "shikaku CMD: unexpected argument" and the usage, and returns SK_EXIT_USAGE. */
int sk_cli_flags(int argc, char **argv, int first, const sk_cli_flag *flags, const char *usage,
                 const char *cmd);
/* The same with switches as well (switches may be NULL). */
int sk_cli_options(int argc, char **argv, int first, const sk_cli_flag *flags,
                   const sk_cli_switch *switches, const char *usage, const char *cmd);
/* SK_EXIT_USAGE with "shikaku CMD: FLAG is required" when value is NULL, else 0. */
int sk_cli_need(const char *value, const char *flag, const char *usage, const char *cmd);

/* A whole number from min to max given to flag, into *out: 0, or SK_EXIT_USAGE with
 * "shikaku CMD: FLAG is a whole number from MIN to MAX, not 'VALUE'". */
int sk_cli_number(const char *value, long long min, long long max, long long *out, const char *flag,
                  const char *usage, const char *cmd);

/* ---- the list commands' output: one tab-separated line per row, a header line first ---- */
/* One field: "-" when empty; a tab, line break, carriage return or backslash inside it as
 * \t, \n, \r, \\, so that a line is a row and a tab ends a field. */
void sk_cli_field(FILE *f, const char *s);
/* Unix milliseconds as UTC ISO 8601 ("2026-12-08T01:03:06.123Z"); "-" for 0. */
void sk_cli_time(int64_t ms, char out[32]);
/* A listing's progress: its header, the rows so far, and whether only their count is wanted. */
typedef struct sk_cli_rows {
    const char *header; /* the header line, with its "\n" */
    bool count_only, header_done;
    long long rows;
} sk_cli_rows;
/* A row comes: counts it; true when it is to be printed (after the header, printed once). */
bool sk_cli_row(sk_cli_rows *r);
/* The listing ran to its end: prints the count (--count) or, when no row came, the header. */
void sk_cli_rows_end(sk_cli_rows *r);

/* Prints "shikaku: <code> <field>: <message>" and returns the exit code for the error. */
int sk_cli_fail(const sk_diag *d);
/* Exit code for an error class. */
int sk_cli_exit_code(sk_err err);

int sk_cli_init(int argc, char **argv);
int sk_cli_version(int argc, char **argv);
int sk_cli_serve(int argc, char **argv);
int sk_cli_insurer(int argc, char **argv);
int sk_cli_employer(int argc, char **argv);
int sk_cli_user(int argc, char **argv);
int sk_cli_demo(int argc, char **argv);
int sk_cli_import(int argc, char **argv);
int sk_cli_bridge(int argc, char **argv);
int sk_cli_audit(int argc, char **argv);
int sk_cli_work(int argc, char **argv);
int sk_cli_identity(int argc, char **argv);
int sk_cli_notification(int argc, char **argv);
int sk_cli_member(int argc, char **argv);
int sk_cli_person(int argc, char **argv);

extern const char sk_cli_init_usage[];
extern const char sk_cli_work_usage[];
extern const char sk_cli_identity_usage[];
extern const char sk_cli_version_usage[];
extern const char sk_cli_serve_usage[];
extern const char sk_cli_insurer_usage[];
extern const char sk_cli_employer_usage[];
extern const char sk_cli_user_usage[];
extern const char sk_cli_demo_usage[];
extern const char sk_cli_import_usage[];
extern const char sk_cli_bridge_usage[];
extern const char sk_cli_audit_usage[];
extern const char sk_cli_notification_usage[];
extern const char sk_cli_member_usage[];
extern const char sk_cli_person_usage[];

#endif
