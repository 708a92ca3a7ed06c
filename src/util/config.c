/* config.c — key/value configuration with environment overrides. */
#include "util/config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

extern char **environ;

typedef struct entry {
    char key[SK_CONFIG_KEY_MAX];
    char *value;
} entry;

struct sk_config {
    entry *items;
    size_t n, cap;
    char **envp;
    bool env_set;
};

sk_config *sk_config_alloc(void)
{
    return calloc(1, sizeof(sk_config));
}

void sk_config_free(sk_config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->n; i++)
        free(cfg->items[i].value);
    free(cfg->items);
    free(cfg);
}

static bool key_ok(const char *k, size_t n)
{
    if (n == 0 || n >= SK_CONFIG_KEY_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = k[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_'))
            return false;
    }
    return true;
}

sk_err sk_config_set(sk_config *cfg, const char *key, const char *value)
{
    size_t kl = strlen(key), vl = strlen(value);
    if (!key_ok(key, kl))
        return SK_ERR_INVALID;
    if (vl >= SK_CONFIG_VALUE_MAX)
        return SK_ERR_TOOBIG;
    char *v = strdup(value);
    if (!v)
        return SK_ERR_NOMEM;
    for (size_t i = 0; i < cfg->n; i++) {
        if (strcmp(cfg->items[i].key, key) == 0) {
            free(cfg->items[i].value);
            cfg->items[i].value = v;
            return SK_OK;
        }
    }
    if (cfg->n == cfg->cap) {
        size_t nc = cfg->cap ? cfg->cap * 2 : 16;
        entry *ni = realloc(cfg->items, nc * sizeof(*ni));
        if (!ni) {
            free(v);
            return SK_ERR_NOMEM;
        }
        cfg->items = ni;
        cfg->cap = nc;
    }
    memcpy(cfg->items[cfg->n].key, key, kl + 1);
    cfg->items[cfg->n].value = v;
    cfg->n++;
    return SK_OK;
}

void sk_config_set_environ(sk_config *cfg, char **envp)
{
    cfg->envp = envp;
    cfg->env_set = envp != NULL;
}

static const char *trim(const char *s, const char *e, size_t *len)
{
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        e--;
    *len = (size_t)(e - s);
    return s;
}

sk_err sk_config_load_text(sk_config *cfg, const char *text, const char *origin, sk_diag *d)
{
    /* parse into a scratch config first so that a bad line changes nothing */
    sk_config *tmp = sk_config_alloc();
    if (!tmp)
        return sk_diag_set(d, SK_C_NOMEM, origin, "out of memory");
    sk_err err = SK_OK;
    const char *p = text;
    int lineno = 0;
    while (*p) {
        lineno++;
        const char *eol = strchr(p, '\n');
        if (!eol)
            eol = p + strlen(p);
        size_t ll;
        const char *line = trim(p, eol, &ll);
        char where[SK_DIAG_FIELD_MAX];
        snprintf(where, sizeof(where), "%s:%d", origin, lineno);
        if (ll > 0 && line[0] != '#') {
            const char *eq = memchr(line, '=', ll);
            if (!eq) {
                err = sk_diag_set(d, SK_C_CONFIG_SYNTAX, where, "expected `key = value`");
                goto out;
            }
            size_t kl, vl;
            const char *k = trim(line, eq, &kl);
            const char *v = trim(eq + 1, line + ll, &vl);
            if (!key_ok(k, kl)) {
                err = sk_diag_set(d, SK_C_CONFIG_SYNTAX, where,
                                  "key must be 1-63 characters of a-z 0-9 . _");
                goto out;
            }
            if (vl >= SK_CONFIG_VALUE_MAX) {
                err = sk_diag_set(d, SK_C_CONFIG_VALUE, where, "value longer than %d bytes",
                                  SK_CONFIG_VALUE_MAX - 1);
                goto out;
            }
            char key[SK_CONFIG_KEY_MAX], val[SK_CONFIG_VALUE_MAX];
            memcpy(key, k, kl);
            key[kl] = '\0';
            memcpy(val, v, vl);
            val[vl] = '\0';
            err = sk_config_set(tmp, key, val);
            if (err) {
                sk_diag_set(d, SK_C_NOMEM, where, "out of memory");
                goto out;
            }
        }
        p = *eol ? eol + 1 : eol;
    }
    for (size_t i = 0; i < tmp->n; i++) {
        err = sk_config_set(cfg, tmp->items[i].key, tmp->items[i].value);
        if (err) {
            sk_diag_set(d, SK_C_NOMEM, origin, "out of memory");
            goto out;
        }
    }
out:
    sk_config_free(tmp);
    return err;
}

sk_err sk_config_load_file(sk_config *cfg, const char *path, sk_diag *d)
{
    sk_err err = SK_OK;
    sk_buf b;
    sk_buf_init(&b, 1 << 20);
    FILE *f = fopen(path, "r");
    if (!f)
        return sk_diag_set(d, SK_C_IO, path, "cannot open configuration: %s", strerror(errno));
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if ((err = sk_buf_append(&b, chunk, n)) != SK_OK) {
            sk_diag_set(d, SK_C_TOO_LONG, path, "configuration larger than 1 MiB");
            goto out;
        }
    }
    if (ferror(f)) {
        err = sk_diag_set(d, SK_C_IO, path, "cannot read configuration");
        goto out;
    }
    if (memchr(sk_buf_cstr(&b), '\0', b.len)) {
        err = sk_diag_set(d, SK_C_CONFIG_SYNTAX, path, "configuration contains a NUL byte");
        goto out;
    }
    err = sk_config_load_text(cfg, sk_buf_cstr(&b), path, d);
out:
    fclose(f);
    sk_buf_deinit(&b);
    return err;
}

static const char *env_lookup(const sk_config *cfg, const char *key)
{
    char name[SK_CONFIG_KEY_MAX + 16] = "SHIKAKU_";
    size_t o = strlen(name);
    for (const char *k = key; *k && o + 1 < sizeof(name); k++)
        name[o++] = (*k == '.') ? '_' : (char)((*k >= 'a' && *k <= 'z') ? *k - 32 : *k);
    name[o] = '\0';
    char **env = cfg->env_set ? cfg->envp : environ;
    if (!env)
        return NULL;
    for (char **e = env; *e; e++) {
        if (strncmp(*e, name, o) == 0 && (*e)[o] == '=')
            return *e + o + 1;
    }
    return NULL;
}

const char *sk_config_get(const sk_config *cfg, const char *key, const char *def)
{
    const char *v = env_lookup(cfg, key);
    if (v)
        return v;
    for (size_t i = 0; i < cfg->n; i++) {
        if (strcmp(cfg->items[i].key, key) == 0)
            return cfg->items[i].value;
    }
    return def;
}

sk_err sk_parse_ll(const char *s, size_t len, long long min, long long max, long long *out)
{
    size_t i = 0;
    bool neg = false;
    if (len == 0)
        return SK_ERR_INVALID;
    if (s[0] == '-') {
        neg = true;
        i = 1;
    }
    if (i == len)
        return SK_ERR_INVALID;
    unsigned long long v = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return SK_ERR_INVALID;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (ULLONG_MAX - d) / 10)
            return SK_ERR_RANGE;
        v = v * 10 + d;
    }
    long long r;
    if (neg) {
        if (v > (unsigned long long)LLONG_MAX + 1ULL)
            return SK_ERR_RANGE;
        r = v == (unsigned long long)LLONG_MAX + 1ULL ? LLONG_MIN : -(long long)v;
    } else {
        if (v > (unsigned long long)LLONG_MAX)
            return SK_ERR_RANGE;
        r = (long long)v;
    }
    if (r < min || r > max)
        return SK_ERR_RANGE;
    *out = r;
    return SK_OK;
}

sk_err sk_config_get_int(const sk_config *cfg, const char *key, long long def, long long min,
                         long long max, long long *out, sk_diag *d)
{
    const char *v = sk_config_get(cfg, key, NULL);
    if (!v) {
        *out = def;
        return SK_OK;
    }
    if (sk_parse_ll(v, strlen(v), min, max, out) != SK_OK)
        return sk_diag_set(d, SK_C_CONFIG_VALUE, key, "must be a whole number from %lld to %lld",
                           min, max);
    return SK_OK;
}

sk_err sk_config_get_bool(const sk_config *cfg, const char *key, bool def, bool *out, sk_diag *d)
{
    const char *v = sk_config_get(cfg, key, NULL);
    if (!v) {
        *out = def;
        return SK_OK;
    }
    static const char *yes[] = {"true", "yes", "on", "1"};
    static const char *no[] = {"false", "no", "off", "0"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(v, yes[i]) == 0) {
            *out = true;
            return SK_OK;
        }
        if (strcmp(v, no[i]) == 0) {
            *out = false;
            return SK_OK;
        }
    }
    return sk_diag_set(d, SK_C_CONFIG_VALUE, key, "must be true or false");
}

bool sk_word_in(const char *list, const char *word)
{
    size_t n = strlen(word);
    if (!n)
        return false;
    for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}
