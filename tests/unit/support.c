/* support.c — test helpers. */
#define _XOPEN_SOURCE 700
#include "support.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

char *sk_test_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof(tmpl), "%s/shikaku-test-XXXXXX", base && *base ? base : "/tmp");
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void sk_test_rmtree(const char *dir)
{
    if (dir)
        nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

sk_date sk_test_date(int y, int m, int d)
{
    sk_date r = {(int16_t)y, (int8_t)m, (int8_t)d};
    return r;
}

void sk_test_assert_date(sk_date got, int y, int m, int d)
{
    char g[11], w[11];
    sk_date_format(got, g);
    sk_date_format(sk_test_date(y, m, d), w);
    assert_string_equal(g, w);
}

void sk_test_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

sk_principal sk_test_principal(sk_role role, const char *scope)
{
    sk_principal p = {.id = 0, .role = role};
    snprintf(p.scope, sizeof(p.scope), "%s", scope);
    snprintf(p.label, sizeof(p.label), "test");
    return p;
}
