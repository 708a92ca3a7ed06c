/* cli.h — the `shikaku` command: subcommand table and the exit codes every subcommand uses
 * (documented in docs/cli.md). Subcommands translate arguments into library calls and results
 * into output; they hold no business rules. */
#ifndef SK_CLI_CLI_H
#define SK_CLI_CLI_H

#include <stdio.h>

#include "util/err.h"

enum {
    SK_EXIT_OK = 0,       /* success */
    SK_EXIT_FAIL = 1,     /* the operation failed (invalid data, conflict, store error) */
    SK_EXIT_USAGE = 2,    /* wrong arguments; nothing was done */
    SK_EXIT_CONFIG = 3,   /* environment: missing/unsafe key file, unreadable config, I/O */
    SK_EXIT_EXISTS = 4,   /* already exists: refused to overwrite a file or duplicate a record */
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

/* Parses argv[first..] as `--name value` pairs into the table; on an unknown flag or a missing
 * value prints "shikaku CMD: unexpected argument" and the usage, and returns SK_EXIT_USAGE. */
int sk_cli_flags(int argc, char **argv, int first, const sk_cli_flag *flags, const char *usage,
                 const char *cmd);
/* SK_EXIT_USAGE with "shikaku CMD: FLAG is required" when value is NULL, else 0. */
int sk_cli_need(const char *value, const char *flag, const char *usage, const char *cmd);

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

#endif
