/* cmd_import.c — `shikaku import notifications FILE.csv`: 届出 in bulk from a spreadsheet.
 * Header row = field names of the 届出 schema (registry/filing.h) plus an optional
 * idempotency_key column; UTF-8 or Shift_JIS. One result line per row; valid rows proceed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/qualification.h"
#include "identity/identity.h"
#include "registry/filing.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/csv.h"
#include "util/text.h"

#define ROWS_PER_BATCH 500
#define MAX_FILE       (256u * 1024 * 1024)

const char sk_cli_import_usage[] =
    "usage: shikaku import notifications --db PATH (--employer ID | --insurer 保険者番号)\n"
    "                                    [--encoding auto|utf-8|shift_jis] [--jlis FILE] "
    "FILE.csv\n\n"
    "Files every row of FILE.csv as a 届出 of that employer (or insurer). The header row names\n"
    "the fields (kind, name, kana, birthdate, …, as in docs/api/openapi.yaml) and may add an\n"
    "idempotency_key column: a row whose key was filed before returns its first result, so a\n"
    "file can be imported again safely. Prints `row N: STATUS …` per row and a summary; exit\n"
    "status 1 when any row was rejected (the valid rows are registered all the same).\n"
    "Every registered person gets the 誤入力チェック against the resident register, as through\n"
    "the API: --jlis FILE, else PATH.jlis.csv when it exists; without one the rows are filed\n"
    "unchecked (a warning says so; `shikaku identity check-all` checks them later).\n";

static int read_file(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "shikaku import: cannot open %s\n", path);
        return SK_EXIT_CONFIG;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            if (cap >= MAX_FILE) {
                fprintf(stderr, "shikaku import: %s is larger than 256 MiB\n", path);
                free(buf);
                fclose(f);
                return SK_EXIT_FAIL;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb)
                free(buf);
            buf = nb;
            cap *= 2;
        }
    }
    bool failed = ferror(f) || !buf;
    fclose(f);
    if (failed) {
        free(buf);
        fprintf(stderr, "shikaku import: cannot read %s\n", path);
        return SK_EXIT_CONFIG;
    }
    *out = buf;
    *len = n;
    return 0;
}

typedef struct batch {
    sk_filing in[ROWS_PER_BATCH];
    sk_field fields[ROWS_PER_BATCH][SK_CSV_MAX_FIELDS];
    size_t line[ROWS_PER_BATCH];
    sk_notification_view v[ROWS_PER_BATCH];
    sk_err e[ROWS_PER_BATCH];
    sk_diag d[ROWS_PER_BATCH];
    size_t n;
} batch;

static void flush(sk_registry *s, const sk_principal *who, batch *b, sk_arena *a, size_t *ok,
                  size_t *replayed, size_t *failed)
{
    sk_registry_file_many(s, who, b->in, b->n, sk_clock_now_ms(sk_clock_system()), a, b->v, b->e,
                          b->d);
    for (size_t i = 0; i < b->n; i++) {
        if (b->e[i]) {
            (*failed)++;
            printf("row %zu: error %s %s: %s\n", b->line[i], sk_code_name(b->d[i].code),
                   b->d[i].field, b->d[i].message);
            continue;
        }
        const sk_notification_view *v = &b->v[i];
        (*(v->replayed ? replayed : ok))++;
        printf("row %zu: %s notification=%lld state=%s person=%s", b->line[i],
               v->replayed ? "replayed" : "filed", (long long)v->n.id,
               sk_notification_state_name(v->n.state), v->person_pid);
        if (v->has_qual)
            printf(" key=%s/%s/%s", v->q.key.symbol, v->q.key.number, v->q.key.branch);
        printf("\n");
    }
    b->n = 0;
}

int sk_cli_import(int argc, char **argv)
{
    const char *db = NULL, *employer = NULL, *insurer = NULL, *enc_s = "auto", *jlis_path = NULL;
    sk_cli_flag flags[] = {{"--db", &db},           {"--employer", &employer},
                           {"--insurer", &insurer}, {"--encoding", &enc_s},
                           {"--jlis", &jlis_path},  {NULL, NULL}};
    if (argc < 3 || strcmp(argv[1], "notifications") != 0) {
        fprintf(stderr, "shikaku import: expected 'notifications FILE.csv'\n%s",
                sk_cli_import_usage);
        return SK_EXIT_USAGE;
    }
    const char *path = argv[argc - 1];
    int rc;
    if ((rc = sk_cli_flags(argc - 1, argv, 2, flags, sk_cli_import_usage, "import")) ||
        (rc = sk_cli_need(db, "--db PATH", sk_cli_import_usage, "import")))
        return rc;
    if (!employer == !insurer) {
        fprintf(stderr, "shikaku import: give exactly one of --employer and --insurer\n%s",
                sk_cli_import_usage);
        return SK_EXIT_USAGE;
    }
    sk_diag d;
    sk_text_encoding enc, used;
    if (sk_text_encoding_parse(enc_s, &enc, &d))
        return sk_cli_fail(&d);
    sk_principal who = {.role = employer ? SK_ROLE_EMPLOYER : SK_ROLE_INSURER};
    snprintf(who.scope, sizeof(who.scope), "%s", employer ? employer : insurer);
    snprintf(who.label, sizeof(who.label), "cli:import");
    char *raw = NULL, *text = NULL;
    size_t raw_len = 0, len = 0;
    if ((rc = read_file(path, &raw, &raw_len)))
        return rc;
    sk_arena *fa = sk_arena_alloc(1 << 20, (size_t)MAX_FILE * 2 + (1 << 20));
    sk_arena *a = sk_arena_alloc(1 << 20, 512u << 20);
    batch *b = calloc(1, sizeof(*b));
    sk_store *s = NULL;
    sk_registry *reg = NULL;
    sk_jlis *jlis = NULL;
    sk_identity *identity = NULL;
    sk_store_options o = {.dsn = db};
    rc = SK_EXIT_OK;
    if (!fa || !a || !b) {
        fprintf(stderr, "shikaku import: out of memory\n");
        rc = SK_EXIT_FAIL;
        goto out;
    }
    if (sk_text_to_utf8(raw, raw_len, enc, fa, &text, &len, &used, &d)) {
        rc = sk_cli_fail(&d);
        goto out;
    }
    /* the daemon's 事前提出 horizon, from SHIKAKU_REGISTRY_PREFILE_DAYS as `serve` reads it */
    sk_config *cfg = sk_config_alloc();
    long long prefile = SK_PREFILE_DAYS_DEFAULT;
    sk_err cerr = cfg ? sk_config_get_int(cfg, "registry.prefile_days", SK_PREFILE_DAYS_DEFAULT, 0,
                                          SK_PREFILE_DAYS_MAX, &prefile, &d)
                      : sk_diag_set(&d, SK_C_NOMEM, "", "out of memory");
    sk_config_free(cfg);
    sk_registry_options ro = {.prefile_days = prefile ? (int)prefile : -1};
    if (cerr || sk_store_open(&o, &s, &d) || sk_registry_open_with(s, &ro, &reg, &d)) {
        rc = sk_cli_fail(&d);
        goto out;
    }
    /* the 誤入力チェック on every registration, as the daemon does */
    char jdef[4200];
    if (!jlis_path && sk_jlis_default_path(db, jdef, sizeof(jdef)))
        jlis_path = jdef;
    if (jlis_path && (sk_jlis_file_open(jlis_path, &jlis, &d) ||
                      sk_identity_alloc(reg, jlis, sk_clock_system(), NULL, &identity, &d))) {
        rc = sk_cli_fail(&d);
        goto out;
    }
    if (identity)
        sk_identity_install(identity);
    else
        fprintf(stderr, "shikaku import: no resident register (--jlis): the rows are filed "
                        "without the 誤入力チェック\n");
    sk_csv csv;
    sk_csv_init(&csv, text, len);
    char *header[SK_CSV_MAX_FIELDS], *row[SK_CSV_MAX_FIELDS];
    size_t nh = 0, nr = 0, line = 0, ok = 0, replayed = 0, failed = 0;
    sk_err err = sk_csv_next(&csv, header, &nh, &line, &d);
    if (err == SK_ERR_NOTFOUND)
        err = sk_diag_set(&d, SK_C_CSV, "line 1", "the file is empty: a header row is needed");
    if (err) {
        rc = sk_cli_fail(&d);
        goto out;
    }
    for (;;) {
        err = sk_csv_next(&csv, row, &nr, &line, &d);
        if (err == SK_ERR_NOTFOUND)
            break;
        if (err) {
            flush(reg, &who, b, a, &ok, &replayed, &failed);
            /* a broken line cannot be split into rows reliably: report it and stop; the rows
             * before it are filed */
            failed++;
            printf("row %zu: error %s %s: %s\n", line, sk_code_name(d.code), d.field, d.message);
            break;
        }
        if (nr != nh) {
            flush(reg, &who, b, a, &ok, &replayed, &failed); /* keeps the output in row order */
            failed++;
            printf("row %zu: error csv line %zu: %zu columns where the header has %zu\n", line,
                   line, nr, nh);
            continue;
        }
        sk_filing_from_row(header, row, nh, b->fields[b->n], &b->in[b->n]);
        b->line[b->n++] = line;
        if (b->n == ROWS_PER_BATCH) {
            flush(reg, &who, b, a, &ok, &replayed, &failed);
            sk_arena_reset(a);
        }
    }
    flush(reg, &who, b, a, &ok, &replayed, &failed);
    if (replayed) /* rows whose idempotency_key was filed before: answered as then */
        printf("%zu rows filed, %zu already filed, %zu rejected (%s)\n", ok, replayed, failed,
               used == SK_ENC_SJIS ? "Shift_JIS" : "UTF-8");
    else
        printf("%zu rows filed, %zu rejected (%s)\n", ok, failed,
               used == SK_ENC_SJIS ? "Shift_JIS" : "UTF-8");
    rc = failed ? SK_EXIT_FAIL : SK_EXIT_OK;
out:
    sk_identity_free(identity);
    sk_jlis_free(jlis);
    sk_registry_free(reg);
    sk_store_close(s);
    free(b);
    sk_arena_free(a);
    sk_arena_free(fa);
    free(raw);
    return rc;
}
