/* crypto.c — OpenSSL-backed primitives and the key file. */
#include "util/crypto.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#define SEAL_VERSION 1

sk_err sk_random_bytes(void *out, size_t n)
{
    if (n > (size_t)INT32_MAX)
        return SK_ERR_RANGE;
    return RAND_bytes(out, (int)n) == 1 ? SK_OK : SK_ERR_CRYPTO;
}

/* SHA-256 fetched once: OpenSSL 3's one-shot SHA256() looks the algorithm up on every call,
 * which doubles its cost on the look-up and intake paths (0.56 against 0.28 µs for 150 bytes). */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

/* One digest context per thread, reused: EVP_Digest allocates, clears and frees one per call,
 * a third of the cost of hashing an audit row. Freed at thread exit. */
static pthread_key_t sha256_ctx_key;
static void sha256_ctx_free(void *ctx)
{
    EVP_MD_CTX_free(ctx);
}
static void sha256_fetch(void)
{
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
    if (sha256_md && pthread_key_create(&sha256_ctx_key, sha256_ctx_free) != 0) {
        EVP_MD_free(sha256_md);
        sha256_md = NULL;
    }
}

void sk_sha256(const void *data, size_t len, uint8_t out[SK_SHA256_BYTES])
{
    pthread_once(&sha256_once, sha256_fetch);
    EVP_MD_CTX *ctx = sha256_md ? pthread_getspecific(sha256_ctx_key) : NULL;
    if (sha256_md && !ctx && (ctx = EVP_MD_CTX_new()) != NULL &&
        pthread_setspecific(sha256_ctx_key, ctx) != 0) {
        EVP_MD_CTX_free(ctx);
        ctx = NULL;
    }
    if (!ctx || !EVP_DigestInit_ex2(ctx, sha256_md, NULL) || !EVP_DigestUpdate(ctx, data, len) ||
        !EVP_DigestFinal_ex(ctx, out, NULL))
        SHA256(data, len, out); /* no context: the slow path still gives the digest */
}

/* HMAC-SHA-256 through one MAC context per thread, its digest set once: the one-shot HMAC()
 * fetches SHA-256 and allocates three digest contexts on every call (the blind index of each
 * My Number sealed or looked up, each Web-API idToken issued or first checked). EVP_MAC_init
 * with the key alone keeps the digest. The context holds the last key's padded state until
 * the next call or the thread's exit, when it is freed (and cleansed by OpenSSL); the keys
 * themselves live in the process for as long (sk_keyring, the idToken key). */
static EVP_MAC *hmac_mac;
static pthread_key_t hmac_ctx_key;
static pthread_once_t hmac_once = PTHREAD_ONCE_INIT;
static void hmac_ctx_free(void *ctx)
{
    EVP_MAC_CTX_free(ctx);
}
static void hmac_fetch(void)
{
    hmac_mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (hmac_mac && pthread_key_create(&hmac_ctx_key, hmac_ctx_free) != 0) {
        EVP_MAC_free(hmac_mac);
        hmac_mac = NULL;
    }
}
static EVP_MAC_CTX *hmac_ctx(void)
{
    pthread_once(&hmac_once, hmac_fetch);
    if (!hmac_mac)
        return NULL;
    EVP_MAC_CTX *ctx = pthread_getspecific(hmac_ctx_key);
    if (ctx)
        return ctx;
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
                           OSSL_PARAM_construct_end()};
    if (!(ctx = EVP_MAC_CTX_new(hmac_mac)))
        return NULL;
    if (!EVP_MAC_CTX_set_params(ctx, params) || pthread_setspecific(hmac_ctx_key, ctx) != 0) {
        EVP_MAC_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

sk_err sk_hmac_sha256(const uint8_t *key, size_t keylen, const void *data, size_t len,
                      uint8_t out[SK_SHA256_BYTES])
{
    if (keylen > (size_t)INT32_MAX)
        return SK_ERR_RANGE;
    EVP_MAC_CTX *ctx = hmac_ctx();
    size_t olen = 0;
    if (ctx) {
        if (!EVP_MAC_init(ctx, key, keylen, NULL) || !EVP_MAC_update(ctx, data, len) ||
            !EVP_MAC_final(ctx, out, &olen, SK_SHA256_BYTES) || olen != SK_SHA256_BYTES)
            return SK_ERR_CRYPTO;
        return SK_OK;
    }
    unsigned int n = 0; /* no context: the slow path still gives the MAC */
    if (!HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &n) || n != SK_SHA256_BYTES)
        return SK_ERR_CRYPTO;
    return SK_OK;
}

bool sk_ct_equal(const void *a, const void *b, size_t n)
{
    return CRYPTO_memcmp(a, b, n) == 0;
}

void sk_secure_zero(void *p, size_t n)
{
    OPENSSL_cleanse(p, n);
}

void sk_hex_encode(const void *in, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    const uint8_t *p = in;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[p[i] >> 4];
        out[2 * i + 1] = hex[p[i] & 15];
    }
    out[2 * n] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

sk_err sk_hex_decode(const char *hex, size_t hexlen, void *out, size_t n)
{
    if (hexlen != 2 * n)
        return SK_ERR_INVALID;
    uint8_t *o = out;
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return SK_ERR_INVALID;
        o[i] = (uint8_t)(hi << 4 | lo);
    }
    return SK_OK;
}

/* AES-256-GCM fetched once, for the same reason: EVP_aes_256_gcm() in an init looks the
 * implementation up in the provider store on every seal and unseal. */
static EVP_CIPHER *aes_gcm;
static pthread_once_t aes_gcm_once = PTHREAD_ONCE_INIT;
static void aes_gcm_fetch(void)
{
    aes_gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
}
static const EVP_CIPHER *gcm(void)
{
    pthread_once(&aes_gcm_once, aes_gcm_fetch);
    return aes_gcm ? aes_gcm : EVP_aes_256_gcm();
}

sk_err sk_seal(const sk_keyring *k, const void *aad, size_t aadlen, const void *pt, size_t ptlen,
               uint8_t *out, size_t outcap, size_t *outlen)
{
    sk_err err = SK_ERR_CRYPTO;
    EVP_CIPHER_CTX *ctx = NULL;
    int n = 0;
    if (ptlen > 65536 || aadlen > 65536 || outcap < ptlen + SK_SEAL_OVERHEAD)
        return SK_ERR_TOOBIG;
    uint8_t *nonce = out + 2, *ct = out + 2 + SK_GCM_NONCE, *tag = ct + ptlen;
    out[0] = SEAL_VERSION;
    out[1] = k->id;
    if (sk_random_bytes(nonce, SK_GCM_NONCE) != SK_OK)
        goto out;
    if (!(ctx = EVP_CIPHER_CTX_new()))
        goto out;
    if (EVP_EncryptInit_ex(ctx, gcm(), NULL, k->enc, nonce) != 1)
        goto out;
    /* the header is authenticated too, so a changed key id or version is detected */
    if (EVP_EncryptUpdate(ctx, NULL, &n, out, 2) != 1)
        goto out;
    if (aadlen && EVP_EncryptUpdate(ctx, NULL, &n, aad, (int)aadlen) != 1)
        goto out;
    if (EVP_EncryptUpdate(ctx, ct, &n, pt, (int)ptlen) != 1 || (size_t)n != ptlen)
        goto out;
    if (EVP_EncryptFinal_ex(ctx, ct + n, &n) != 1)
        goto out;
    if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, SK_GCM_TAG, tag) != 1)
        goto out;
    *outlen = ptlen + SK_SEAL_OVERHEAD;
    err = SK_OK;
out:
    EVP_CIPHER_CTX_free(ctx);
    return err;
}

sk_err sk_unseal(const sk_keyring *k, const void *aad, size_t aadlen, const uint8_t *blob,
                 size_t bloblen, void *out, size_t outcap, size_t *outlen)
{
    sk_err err = SK_ERR_CRYPTO;
    EVP_CIPHER_CTX *ctx = NULL;
    int n = 0;
    if (bloblen < SK_SEAL_OVERHEAD || blob[0] != SEAL_VERSION || blob[1] != k->id)
        return SK_ERR_CRYPTO;
    size_t ctlen = bloblen - SK_SEAL_OVERHEAD;
    if (ctlen > outcap || aadlen > 65536)
        return SK_ERR_TOOBIG;
    const uint8_t *nonce = blob + 2, *ct = blob + 2 + SK_GCM_NONCE, *tag = ct + ctlen;
    if (!(ctx = EVP_CIPHER_CTX_new()))
        goto out;
    if (EVP_DecryptInit_ex(ctx, gcm(), NULL, k->enc, nonce) != 1)
        goto out;
    if (EVP_DecryptUpdate(ctx, NULL, &n, blob, 2) != 1)
        goto out;
    if (aadlen && EVP_DecryptUpdate(ctx, NULL, &n, aad, (int)aadlen) != 1)
        goto out;
    if (EVP_DecryptUpdate(ctx, out, &n, ct, (int)ctlen) != 1)
        goto out;
    if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, SK_GCM_TAG, (void *)tag) != 1)
        goto out;
    if (EVP_DecryptFinal_ex(ctx, (uint8_t *)out + n, &n) != 1) {
        sk_secure_zero(out, ctlen);
        goto out;
    }
    *outlen = ctlen;
    err = SK_OK;
out:
    EVP_CIPHER_CTX_free(ctx);
    return err;
}

#define KEYFILE_MAGIC "shikaku-keyring v1\n"

sk_err sk_keyring_create_file(const char *path, sk_diag *d)
{
    sk_err err = SK_OK;
    sk_keyring k = {.id = 1};
    char line[256];
    char ehex[2 * SK_KEY_BYTES + 1], mhex[2 * SK_KEY_BYTES + 1];
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return sk_diag_set(d, SK_C_FILE_EXISTS, path, "key file already exists");
        return sk_diag_set(d, SK_C_IO, path, "cannot create key file: %s", strerror(errno));
    }
    if (sk_random_bytes(k.enc, sizeof(k.enc)) || sk_random_bytes(k.mac, sizeof(k.mac))) {
        err = sk_diag_set(d, SK_C_INTERNAL, path, "no random bytes available");
        goto fail;
    }
    sk_hex_encode(k.enc, sizeof(k.enc), ehex);
    sk_hex_encode(k.mac, sizeof(k.mac), mhex);
    int len = snprintf(line, sizeof(line), KEYFILE_MAGIC "key 1 %s %s\n", ehex, mhex);
    /* fchmod in case the umask widened nothing but the file existed with other bits */
    if (fchmod(fd, 0600) != 0 || write(fd, line, (size_t)len) != len || fsync(fd) != 0) {
        err = sk_diag_set(d, SK_C_IO, path, "cannot write key file: %s", strerror(errno));
        goto fail;
    }
    close(fd);
    sk_secure_zero(line, sizeof(line));
    sk_secure_zero(ehex, sizeof(ehex));
    sk_secure_zero(mhex, sizeof(mhex));
    sk_keyring_wipe(&k);
    return SK_OK;
fail:
    close(fd);
    unlink(path);
    sk_secure_zero(line, sizeof(line));
    sk_keyring_wipe(&k);
    return err;
}

sk_err sk_keyring_load_file(const char *path, sk_keyring *out, sk_diag *d)
{
    sk_err err = SK_OK;
    char buf[512];
    ssize_t n;
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sk_diag_set(d, SK_C_KEY_FILE, path, "cannot open key file: %s", strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        err = sk_diag_set(d, SK_C_KEY_FILE, path, "key file is not a regular file");
        goto out;
    }
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        err = sk_diag_set(d, SK_C_KEY_FILE, path,
                          "key file mode is %03o; it must be 0600 (chmod 600 %s)",
                          (unsigned)(st.st_mode & 0777), path);
        goto out;
    }
    n = read(fd, buf, sizeof(buf) - 1);
    if (n < 0) {
        err = sk_diag_set(d, SK_C_IO, path, "cannot read key file: %s", strerror(errno));
        goto out;
    }
    buf[n] = '\0';
    size_t ml = strlen(KEYFILE_MAGIC);
    const char *p = buf + ml;
    /* "key 1 " + 64 hex + " " + 64 hex + "\n" */
    if ((size_t)n < ml + 6 + 64 + 1 + 64 || memcmp(buf, KEYFILE_MAGIC, ml) != 0 ||
        memcmp(p, "key 1 ", 6) != 0 || p[6 + 64] != ' ' ||
        sk_hex_decode(p + 6, 64, out->enc, SK_KEY_BYTES) != SK_OK ||
        sk_hex_decode(p + 6 + 65, 64, out->mac, SK_KEY_BYTES) != SK_OK) {
        sk_keyring_wipe(out);
        err = sk_diag_set(d, SK_C_KEY_FILE, path, "key file is not a shikaku keyring v1");
        goto out;
    }
    out->id = 1;
out:
    sk_secure_zero(buf, sizeof(buf));
    close(fd);
    return err;
}

void sk_keyring_wipe(sk_keyring *k)
{
    sk_secure_zero(k, sizeof(*k));
}
