/* config.h — configuration from a file of `key = value` lines, overridden by the environment:
 * key `store.busy_timeout_ms` is overridden by SHIKAKU_STORE_BUSY_TIMEOUT_MS. Keys are
 * lower-case [a-z0-9._]; '#' starts a comment line. Values are bounded (1 KiB). */
#ifndef SK_UTIL_CONFIG_H
#define SK_UTIL_CONFIG_H

#include <stdbool.h>

#include "util/err.h"

#define SK_CONFIG_KEY_MAX   64
#define SK_CONFIG_VALUE_MAX 1024

typedef struct sk_config sk_config;

sk_config *sk_config_alloc(void);
void sk_config_free(sk_config *cfg);

/* Reads a file; an error names the line ("config:12") in d->field and changes nothing. */
sk_err sk_config_load_file(sk_config *cfg, const char *path, sk_diag *d);
/* Parses text as if it were a file's contents (used by load_file and tests). */
sk_err sk_config_load_text(sk_config *cfg, const char *text, const char *origin, sk_diag *d);
sk_err sk_config_set(sk_config *cfg, const char *key, const char *value);
/* Replaces the environment consulted for overrides (NULL-terminated "K=V" array; NULL means
 * the process environment). For tests. */
void sk_config_set_environ(sk_config *cfg, char **envp);

/* The value for key: environment first, then file, then def. */
const char *sk_config_get(const sk_config *cfg, const char *key, const char *def);
/* Integer in [min, max]; a malformed or out-of-range value is SK_C_CONFIG_VALUE naming key. */
sk_err sk_config_get_int(const sk_config *cfg, const char *key, long long def, long long min,
                         long long max, long long *out, sk_diag *d);
/* true/false, yes/no, on/off, 1/0. */
sk_err sk_config_get_bool(const sk_config *cfg, const char *key, bool def, bool *out, sk_diag *d);

/* Strict decimal parse of the whole string s into [min, max] (no sign for min >= 0). Used
 * wherever text becomes a number, instead of atoi. */
sk_err sk_parse_ll(const char *s, size_t len, long long min, long long max, long long *out);

/* Whether word is one of the space-separated words of list ("a bc d" holds "bc", not "b"). An
 * empty word is in no list. */
bool sk_word_in(const char *list, const char *word);

#endif
