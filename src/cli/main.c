/* main.c — `shikaku`: dispatches to subcommands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "util/config.h"
#include "util/log.h"

static const sk_cli_cmd commands[] = {
    {"init", "create a new database and its key file", sk_cli_init_usage, sk_cli_init},
    {"insurer", "insurer add: register an insurer", sk_cli_insurer_usage, sk_cli_insurer},
    {"employer", "employer add: register an employer under an insurer", sk_cli_employer_usage,
     sk_cli_employer},
    {"user", "user add: create an API principal and print its token", sk_cli_user_usage,
     sk_cli_user},
    {"demo", "create (if needed) and seed a database with synthetic data; print tokens",
     sk_cli_demo_usage, sk_cli_demo},
    {"import", "import notifications FILE.csv: file 届出 in bulk (UTF-8 or Shift_JIS)",
     sk_cli_import_usage, sk_cli_import},
    {"serve", "run the daemon (HTTP API, health, metrics)", sk_cli_serve_usage, sk_cli_serve},
    {"bridge", "serve a clinic's OQS req/res folder against a shikaku server", sk_cli_bridge_usage,
     sk_cli_bridge},
    {"audit", "audit verify | list: check the audit chains' hashes; list their rows",
     sk_cli_audit_usage, sk_cli_audit},
    {"notification", "notification list: 届出 with kind, state and idempotency key",
     sk_cli_notification_usage, sk_cli_notification},
    {"member", "member list: an insurer's members (card keys, never a My Number)",
     sk_cli_member_usage, sk_cli_member},
    {"person", "person list --name NAME: the persons stored under a name", sk_cli_person_usage,
     sk_cli_person},
    {"work", "work list|show|resolve: identity work items (誤入力チェック, J-LIS, reports)",
     sk_cli_work_usage, sk_cli_work},
    {"identity", "identity check-all | jlis-check: re-check records against the resident register",
     sk_cli_identity_usage, sk_cli_identity},
    {"version", "print the program and schema versions", sk_cli_version_usage, sk_cli_version},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
    fprintf(f, "shikaku — online health-insurance eligibility (資格確認)\n\n"
               "usage: shikaku <command> [options]\n"
               "       shikaku <command> --help\n\n"
               "commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nexit codes: 0 ok, 1 operation failed, 2 usage, 3 configuration or I/O,\n"
               "            4 already exists, 70 internal error (docs/cli.md)\n");
}

int sk_cli_exit_code(sk_err err)
{
    switch (err) {
    case SK_OK:
        return SK_EXIT_OK;
    case SK_ERR_EXISTS:
        return SK_EXIT_EXISTS;
    case SK_ERR_CONFIG:
    case SK_ERR_IO:
    case SK_ERR_PERM:
        return SK_EXIT_CONFIG;
    case SK_ERR_INTERNAL:
        return SK_EXIT_INTERNAL;
    default:
        return SK_EXIT_FAIL;
    }
}

int sk_cli_options(int argc, char **argv, int first, const sk_cli_flag *flags,
                   const sk_cli_switch *switches, const char *usage, const char *cmd)
{
    for (int i = first; i < argc; i++) {
        const sk_cli_flag *f = NULL;
        const sk_cli_switch *sw = NULL;
        for (const sk_cli_flag *g = flags; g->name; g++)
            if (strcmp(argv[i], g->name) == 0)
                f = g;
        for (const sk_cli_switch *g = switches; g && g->name; g++)
            if (strcmp(argv[i], g->name) == 0)
                sw = g;
        if (sw) {
            *sw->on = true;
            continue;
        }
        if (!f || i + 1 >= argc) {
            fprintf(stderr, "shikaku %s: unexpected argument '%s'\n%s", cmd, argv[i], usage);
            return SK_EXIT_USAGE;
        }
        *f->slot = argv[++i];
    }
    return 0;
}

int sk_cli_flags(int argc, char **argv, int first, const sk_cli_flag *flags, const char *usage,
                 const char *cmd)
{
    return sk_cli_options(argc, argv, first, flags, NULL, usage, cmd);
}

int sk_cli_need(const char *value, const char *flag, const char *usage, const char *cmd)
{
    if (value)
        return 0;
    fprintf(stderr, "shikaku %s: %s is required\n%s", cmd, flag, usage);
    return SK_EXIT_USAGE;
}

int sk_cli_number(const char *value, long long min, long long max, long long *out, const char *flag,
                  const char *usage, const char *cmd)
{
    if (value && sk_parse_ll(value, strlen(value), min, max, out) == SK_OK)
        return 0;
    char range[64];
    if (max == INT64_MAX)
        snprintf(range, sizeof(range), "of at least %lld", min);
    else
        snprintf(range, sizeof(range), "from %lld to %lld", min, max);
    fprintf(stderr, "shikaku %s: %s is a whole number %s, not '%s'\n%s", cmd, flag, range,
            value ? value : "", usage);
    return SK_EXIT_USAGE;
}

void sk_cli_field(FILE *f, const char *s)
{
    if (!s || !*s) {
        fputc('-', f);
        return;
    }
    for (; *s; s++) {
        switch (*s) {
        case '\t':
            fputs("\\t", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

void sk_cli_time(int64_t ms, char out[32])
{
    struct tm tm;
    time_t t = (time_t)(ms / 1000);
    size_t n = 0;
    if (ms > 0 && gmtime_r(&t, &tm))
        n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    if (n)
        snprintf(out + n, 32 - n, ".%03dZ", (int)(ms % 1000));
    else
        snprintf(out, 32, "-");
}

bool sk_cli_row(sk_cli_rows *r)
{
    r->rows++;
    if (r->count_only)
        return false;
    if (!r->header_done) {
        fputs(r->header, stdout);
        r->header_done = true;
    }
    return true;
}

void sk_cli_rows_end(sk_cli_rows *r)
{
    if (r->count_only)
        printf("%lld\n", r->rows);
    else if (!r->header_done)
        fputs(r->header, stdout);
}

int sk_cli_fail(const sk_diag *d)
{
    fflush(stdout); /* what was printed before the error comes before it */
    fprintf(stderr, "shikaku: error %s%s%s: %s\n", sk_code_name(d->code), d->field[0] ? " " : "",
            d->field, d->message);
    return sk_cli_exit_code(d->err);
}

int main(int argc, char **argv)
{
    const char *lvl = getenv("SHIKAKU_LOG_LEVEL");
    sk_log_level level;
    if (lvl && sk_log_level_parse(lvl, &level) == SK_OK)
        sk_log_set_level(level);
    if (argc < 2) {
        usage(stderr);
        return SK_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        if (argc >= 3) {
            for (size_t i = 0; i < NCOMMANDS; i++) {
                if (strcmp(argv[2], commands[i].name) == 0) {
                    fputs(commands[i].usage, stdout);
                    return SK_EXIT_OK;
                }
            }
        }
        usage(stdout);
        return SK_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0)
        return sk_cli_version(argc - 1, argv + 1);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            for (int a = 2; a < argc; a++) {
                if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
                    fputs(commands[i].usage, stdout);
                    return SK_EXIT_OK;
                }
            }
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "shikaku: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return SK_EXIT_USAGE;
}
