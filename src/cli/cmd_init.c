/* cmd_init.c — `shikaku init` and `shikaku version`. */
#include <stdio.h>

#include "cli/cli.h"
#include "store/store.h"

const char sk_cli_init_usage[] =
    "usage: shikaku init --db PATH [--key-file PATH]\n\n"
    "Creates a new, empty shikaku database at PATH (SQLite, WAL) with the current schema, and\n"
    "a key file (default PATH.key, mode 0600) holding the keys that encrypt My Numbers at rest.\n"
    "Back the key file up separately from the database: without it the stored My Numbers\n"
    "cannot be read. Refuses to overwrite an existing database or key file (exit 4).\n\n"
    "options:\n"
    "  --db PATH         database to create: a file path or sqlite:PATH (required)\n"
    "  --key-file PATH   key file to create (default: PATH.key)\n";

const char sk_cli_version_usage[] = "usage: shikaku version\n\n"
                                    "Prints the program version and the database schema "
                                    "version this program writes.\n";

int sk_cli_init(int argc, char **argv)
{
    sk_store_options opt = {0};
    sk_diag d;
    sk_diag_clear(&d);
    sk_cli_flag flags[] = {{"--db", &opt.dsn}, {"--key-file", &opt.key_file}, {NULL, NULL}};
    int rc;
    if ((rc = sk_cli_flags(argc, argv, 1, flags, sk_cli_init_usage, "init")) ||
        (rc = sk_cli_need(opt.dsn, "--db PATH", sk_cli_init_usage, "init")))
        return rc;
    char key[4096];
    if (sk_store_key_file(&opt, key, sizeof(key), &d) != SK_OK ||
        sk_store_create(&opt, &d) != SK_OK)
        return sk_cli_fail(&d);
    printf("created %s (schema %d) and key file %s (mode 0600)\n", opt.dsn,
           sk_store_schema_latest(NULL), key);
    return SK_EXIT_OK;
}

int sk_cli_version(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "%s", sk_cli_version_usage);
        return SK_EXIT_USAGE;
    }
    printf("shikaku %s (schema %d, store drivers:", SK_VERSION, sk_store_schema_latest(NULL));
    for (const char *const *n = sk_store_drivers(); *n; n++)
        printf(" %s", *n);
    printf(")\n");
    return SK_EXIT_OK;
}
