/* access.c — principals, tokens, authentication. */
#include "access/access.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/insurer.h"
#include "core/medinst.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/crypto.h"

sk_err sk_role_parse(const char *s, sk_role *out, sk_diag *d)
{
    if (sk_role_from_name(s, out))
        return SK_OK;
    return sk_diag_set(d, SK_C_ROLE, "role",
                       "role must be operator, insurer, employer, institution or person");
}

/* Scope rules per role; looks up referenced records inside tx. */
static sk_err check_scope(sk_tx *tx, sk_role role, const char *scope, sk_diag *d)
{
    size_t n = strlen(scope);
    switch (role) {
    case SK_ROLE_OPERATOR:
        if (n)
            return sk_diag_set(d, SK_C_SCOPE, "scope", "an operator has no scope");
        return SK_OK;
    case SK_ROLE_INSURER: {
        sk_insurer_number num;
        sk_insurer_rec rec;
        sk_err err = sk_insurer_number_parse(scope, n, &num, "scope", d);
        if (err)
            return err;
        if (sk_store_insurer_get(tx, num.digits, &rec, d) != SK_OK)
            return sk_diag_set(d, SK_C_SCOPE, "scope", "no insurer %s in this database",
                               num.digits);
        return SK_OK;
    }
    case SK_ROLE_EMPLOYER: {
        long long id;
        sk_employer_rec rec;
        if (sk_parse_ll(scope, n, 1, INT64_MAX, &id) != SK_OK)
            return sk_diag_set(d, SK_C_SCOPE, "scope", "an employer scope is an employer id");
        if (sk_store_employer_get(tx, id, &rec, d) != SK_OK)
            return sk_diag_set(d, SK_C_SCOPE, "scope", "no employer %lld in this database", id);
        return SK_OK;
    }
    case SK_ROLE_INSTITUTION: {
        sk_medinst_code c;
        return sk_medinst_code_parse(scope, n, &c, "scope", d);
    }
    case SK_ROLE_PERSON: {
        sk_person_rec p;
        if (n != SK_PID_LEN || sk_store_person_get_by_pid(tx, scope, false, &p, d) != SK_OK)
            return sk_diag_set(d, SK_C_SCOPE, "scope", "no person with this id");
        return SK_OK;
    }
    }
    return sk_diag_set(d, SK_C_ROLE, "role", "unknown role");
}

sk_err sk_access_issue(sk_store *s, sk_role role, const char *scope, const char *label,
                       const char *actor, int64_t now_ms, sk_principal *out,
                       char token_out[SK_TOKEN_LEN + 1], sk_diag *d)
{
    sk_tx *tx = NULL;
    uint8_t rnd[32];
    sk_principal_rec rec;
    memset(&rec, 0, sizeof(rec));
    if (strlen(scope) >= sizeof(rec.scope))
        return sk_diag_set(d, SK_C_TOO_LONG, "scope", "scope longer than %zu bytes",
                           sizeof(rec.scope) - 1);
    if (strlen(label) >= sizeof(rec.label))
        return sk_diag_set(d, SK_C_TOO_LONG, "label", "label longer than %zu bytes",
                           sizeof(rec.label) - 1);
    sk_err err = sk_store_begin(s, &tx, d);
    if (err)
        return err;
    err = check_scope(tx, role, scope, d);
    if (err) {
        sk_tx_rollback(tx);
        return err;
    }
    if (sk_random_bytes(rnd, sizeof(rnd)) != SK_OK) {
        sk_tx_rollback(tx);
        return sk_diag_set(d, SK_C_INTERNAL, "", "no random bytes available");
    }
    memcpy(token_out, SK_TOKEN_PREFIX, 4);
    sk_hex_encode(rnd, sizeof(rnd), token_out + 4);
    sk_secure_zero(rnd, sizeof(rnd));
    sk_sha256(token_out, SK_TOKEN_LEN, rec.token_hash);
    rec.role = role;
    snprintf(rec.scope, sizeof(rec.scope), "%s", scope);
    snprintf(rec.label, sizeof(rec.label), "%s", label);
    rec.created_ms = now_ms;
    sk_store_principal_add(tx, &rec, d);
    char object[64];
    snprintf(object, sizeof(object), "principal:%lld", (long long)rec.id);
    sk_store_audit_add(tx, now_ms, actor, "principal.add", object, d, "role=%s scope=%s",
                       sk_role_name(rec.role), rec.scope);
    err = sk_tx_commit(tx, d);
    if (err) {
        sk_secure_zero(token_out, SK_TOKEN_LEN + 1);
        return err;
    }
    out->id = rec.id;
    out->role = role;
    snprintf(out->scope, sizeof(out->scope), "%s", rec.scope);
    snprintf(out->label, sizeof(out->label), "%s", rec.label);
    return SK_OK;
}

/* A small cache of authenticated principals, so that a clinic asking thousands of times a
 * second does not cost a database read each time: direct-mapped by token hash, entries live
 * SK_AUTH_CACHE_MS, so a token disabled in the database stops working within that time. Only
 * successes are cached, per store. */
#define AUTH_CACHE_SLOTS 1024
#define SK_AUTH_CACHE_MS 1000
typedef struct auth_slot {
    const sk_store *store;
    uint8_t hash[SK_SHA256_BYTES];
    sk_principal who;
    int64_t until_ms;
} auth_slot;
static auth_slot auth_cache[AUTH_CACHE_SLOTS];
static pthread_mutex_t auth_mu = PTHREAD_MUTEX_INITIALIZER;

static size_t slot_of(const uint8_t h[SK_SHA256_BYTES])
{
    return ((size_t)h[0] | (size_t)h[1] << 8) % AUTH_CACHE_SLOTS;
}

static bool cache_get(const sk_store *s, const uint8_t h[SK_SHA256_BYTES], sk_principal *out)
{
    bool hit = false;
    int64_t now = sk_monotonic_ms();
    pthread_mutex_lock(&auth_mu);
    auth_slot *e = &auth_cache[slot_of(h)];
    if (e->store == s && e->until_ms > now && memcmp(e->hash, h, SK_SHA256_BYTES) == 0) {
        *out = e->who;
        hit = true;
    }
    pthread_mutex_unlock(&auth_mu);
    return hit;
}

static void cache_put(const sk_store *s, const uint8_t h[SK_SHA256_BYTES], const sk_principal *p)
{
    pthread_mutex_lock(&auth_mu);
    auth_slot *e = &auth_cache[slot_of(h)];
    e->store = s;
    memcpy(e->hash, h, SK_SHA256_BYTES);
    e->who = *p;
    e->until_ms = sk_monotonic_ms() + SK_AUTH_CACHE_MS;
    pthread_mutex_unlock(&auth_mu);
}

/* The principal whose API token has this hash, if enabled. */
static sk_err principal_by_hash(sk_store *s, const uint8_t h[SK_SHA256_BYTES], sk_principal *out,
                                sk_diag *d)
{
    if (cache_get(s, h, out))
        return SK_OK;
    sk_tx *tx = NULL;
    sk_principal_rec rec;
    sk_err err = sk_store_begin_read(s, &tx, d);
    if (err)
        return err;
    err = sk_store_principal_find_by_token_hash(tx, h, &rec, d);
    sk_tx_rollback(tx);
    if (err == SK_ERR_NOTFOUND || (!err && rec.disabled))
        return sk_diag_set(d, SK_C_UNAUTHENTICATED, "Authorization", "unknown or disabled token");
    if (err)
        return err;
    out->role = rec.role;
    out->id = rec.id;
    snprintf(out->scope, sizeof(out->scope), "%s", rec.scope);
    snprintf(out->label, sizeof(out->label), "%s", rec.label);
    cache_put(s, h, out);
    return SK_OK;
}

sk_err sk_access_authenticate(sk_store *s, const char *authorization, sk_principal *out, sk_diag *d)
{
    if (!authorization || !*authorization)
        return sk_diag_set(d, SK_C_UNAUTHENTICATED, "Authorization",
                           "send Authorization: Bearer <token>");
    if (strncasecmp(authorization, "Bearer ", 7) != 0)
        return sk_diag_set(d, SK_C_UNAUTHENTICATED, "Authorization",
                           "the Authorization scheme must be Bearer");
    const char *tok = authorization + 7;
    while (*tok == ' ')
        tok++;
    size_t n = strlen(tok);
    uint8_t raw[32];
    if (n != SK_TOKEN_LEN || memcmp(tok, SK_TOKEN_PREFIX, 4) != 0 ||
        sk_hex_decode(tok + 4, 64, raw, sizeof(raw)) != SK_OK)
        return sk_diag_set(d, SK_C_UNAUTHENTICATED, "Authorization", "malformed token");
    uint8_t h[SK_SHA256_BYTES];
    sk_sha256(tok, n, h);
    return principal_by_hash(s, h, out, d);
}

/* ---- Web-API id tokens ---- */

static uint8_t id_key[32];
static bool id_key_ok;
static pthread_once_t id_key_once = PTHREAD_ONCE_INIT;
static void id_key_init(void)
{
    id_key_ok = sk_random_bytes(id_key, sizeof(id_key)) == SK_OK;
}

/* hex(hmac(key, "<hash hex>.<expiry>")) into mac (65 bytes) */
static sk_err id_mac(const char *body, size_t n, char mac[65])
{
    pthread_once(&id_key_once, id_key_init);
    uint8_t m[SK_SHA256_BYTES];
    if (!id_key_ok || sk_hmac_sha256(id_key, sizeof(id_key), body, n, m) != SK_OK)
        return SK_ERR_INTERNAL;
    sk_hex_encode(m, sizeof(m), mac);
    mac[64] = '\0';
    return SK_OK;
}

sk_err sk_access_id_token_issue(sk_store *s, const char *institution, const char *token,
                                int64_t now_ms, char out[SK_ID_TOKEN_MAX], int64_t *expires_ms,
                                sk_principal *who, sk_diag *d)
{
    out[0] = '\0';
    uint8_t raw[32], h[SK_SHA256_BYTES];
    if (!institution || !token || strlen(token) != SK_TOKEN_LEN ||
        memcmp(token, SK_TOKEN_PREFIX, 4) != 0 ||
        sk_hex_decode(token + 4, 64, raw, sizeof(raw)) != SK_OK)
        return sk_diag_set(d, SK_C_UNAUTHENTICATED, "password",
                           "unknown institution or wrong password");
    sk_sha256(token, SK_TOKEN_LEN, h);
    sk_err err = principal_by_hash(s, h, who, d);
    if (err == SK_ERR_PERM ||
        (!err && (who->role != SK_ROLE_INSTITUTION || strcmp(who->scope, institution) != 0)))
        return sk_diag_set(d, SK_C_UNAUTHENTICATED, "password",
                           "unknown institution or wrong password");
    if (err)
        return err;
    char hex[65], body[96], mac[65];
    sk_hex_encode(h, sizeof(h), hex);
    hex[64] = '\0';
    *expires_ms = now_ms + SK_ID_TOKEN_TTL_MS;
    int n = snprintf(body, sizeof(body), "%s.%" PRId64, hex, *expires_ms);
    if ((err = id_mac(body, (size_t)n, mac)))
        return sk_diag_set(d, SK_C_INTERNAL, "", "no key for id tokens");
    snprintf(out, SK_ID_TOKEN_MAX, "oqs1.%s.%s", body, mac);
    return SK_OK;
}

/* Id tokens already verified: the MAC is checked once per token, not on every search (OpenSSL 3's
 * one-shot HMAC costs more than the rest of the check). Direct-mapped by the MAC's first hex
 * digits; a hit needs the whole token to be equal. Expiry is still checked on every use, and the
 * principal still comes through the 1 s principal cache, so a disabled token stops working. */
#define ID_CACHE_SLOTS 512
typedef struct id_slot {
    const sk_store *store;
    char token[SK_ID_TOKEN_MAX];
    int64_t exp;
    uint8_t hash[SK_SHA256_BYTES];
} id_slot;
static id_slot id_cache[ID_CACHE_SLOTS];
/* read by every search of every thread, written once per new token: readers do not wait for
 * one another (a mutex here was the second most contended lock of the daemon) */
static pthread_rwlock_t id_mu = PTHREAD_RWLOCK_INITIALIZER;

static size_t id_slot_of(const char *mac)
{
    size_t v = 0;
    for (int i = 0; i < 4; i++)
        v = v * 16 + (size_t)(mac[i] >= 'a' ? mac[i] - 'a' + 10 : mac[i] - '0');
    return v % ID_CACHE_SLOTS;
}

static bool id_cache_get(const sk_store *s, const char *t, size_t n, const char *mac, int64_t *exp,
                         uint8_t h[SK_SHA256_BYTES])
{
    bool hit = false;
    pthread_rwlock_rdlock(&id_mu);
    id_slot *e = &id_cache[id_slot_of(mac)];
    if (e->store == s && strlen(e->token) == n && sk_ct_equal(e->token, t, n)) {
        *exp = e->exp;
        memcpy(h, e->hash, SK_SHA256_BYTES);
        hit = true;
    }
    pthread_rwlock_unlock(&id_mu);
    return hit;
}

static void id_cache_put(const sk_store *s, const char *t, size_t n, const char *mac, int64_t exp,
                         const uint8_t h[SK_SHA256_BYTES])
{
    if (n >= SK_ID_TOKEN_MAX)
        return;
    pthread_rwlock_wrlock(&id_mu);
    id_slot *e = &id_cache[id_slot_of(mac)];
    e->store = s;
    memcpy(e->token, t, n);
    e->token[n] = '\0';
    e->exp = exp;
    memcpy(e->hash, h, SK_SHA256_BYTES);
    pthread_rwlock_unlock(&id_mu);
}

sk_err sk_access_id_token_check(sk_store *s, const char *id_token, int64_t now_ms,
                                sk_principal *out, sk_diag *d)
{
    const char *t = id_token ? id_token : "";
    size_t n = strlen(t);
    const char *dot = n > 5 + 65 + 65 ? strrchr(t, '.') : NULL;
    if (!dot || strncmp(t, "oqs1.", 5) != 0 || t[5 + 64] != '.' || strlen(dot + 1) != 64)
        return sk_diag_set(d, SK_C_UNAUTHENTICATED, "Authorization",
                           "send the idToken from the login as the Authorization value");
    long long exp;
    int64_t cached_exp;
    uint8_t h[SK_SHA256_BYTES];
    if (id_cache_get(s, t, n, dot + 1, &cached_exp, h)) {
        exp = cached_exp;
    } else {
        char mac[65];
        if (id_mac(t + 5, (size_t)(dot - (t + 5)), mac) != SK_OK)
            return sk_diag_set(d, SK_C_INTERNAL, "", "no key for id tokens");
        if (!sk_ct_equal(mac, dot + 1, 64) ||
            sk_parse_ll(t + 5 + 65, (size_t)(dot - (t + 5 + 65)), 0, INT64_MAX, &exp) != SK_OK ||
            sk_hex_decode(t + 5, 64, h, sizeof(h)) != SK_OK)
            return sk_diag_set(d, SK_C_UNAUTHENTICATED, "Authorization", "invalid idToken");
        id_cache_put(s, t, n, dot + 1, exp, h);
    }
    if (exp <= now_ms)
        return sk_diag_set(d, SK_C_UNAUTHENTICATED, "Authorization",
                           "the idToken has expired; log in again");
    sk_err err = principal_by_hash(s, h, out, d);
    if (!err && out->role != SK_ROLE_INSTITUTION)
        return sk_diag_set(d, SK_C_UNAUTHENTICATED, "Authorization", "invalid idToken");
    return err;
}
