/* crypto.h — the few primitives shikaku needs, over OpenSSL 3: random bytes, SHA-256,
 * HMAC-SHA-256, AES-256-GCM sealing, constant-time compare, hex, and the key file.
 *
 * Key file (created by `shikaku init`, mode 0600, refused when group/other may read it):
 *     shikaku-keyring v1
 *     key 1 <64 hex: AES-256-GCM key> <64 hex: HMAC-SHA-256 blind-index key>
 * Sealed blobs carry the key id so keys can be rotated later without a format change. */
#ifndef SK_UTIL_CRYPTO_H
#define SK_UTIL_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define SK_KEY_BYTES    32
#define SK_SHA256_BYTES 32
#define SK_GCM_NONCE    12
#define SK_GCM_TAG      16
/* version(1) + key id(1) + nonce + tag */
#define SK_SEAL_OVERHEAD (2 + SK_GCM_NONCE + SK_GCM_TAG)

typedef struct sk_keyring {
    uint8_t id;
    uint8_t enc[SK_KEY_BYTES];
    uint8_t mac[SK_KEY_BYTES];
} sk_keyring;

sk_err sk_random_bytes(void *out, size_t n);
void sk_sha256(const void *data, size_t len, uint8_t out[SK_SHA256_BYTES]);
sk_err sk_hmac_sha256(const uint8_t *key, size_t keylen, const void *data, size_t len,
                      uint8_t out[SK_SHA256_BYTES]);
bool sk_ct_equal(const void *a, const void *b, size_t n);
void sk_secure_zero(void *p, size_t n);

/* Lower-case hex; out needs 2n+1 bytes. */
void sk_hex_encode(const void *in, size_t n, char *out);
/* Exactly 2n hex characters into n bytes. */
sk_err sk_hex_decode(const char *hex, size_t hexlen, void *out, size_t n);

/* Encrypts pt under the ring's key, binding aad (authenticated, not stored). out must hold
 * ptlen + SK_SEAL_OVERHEAD bytes. */
sk_err sk_seal(const sk_keyring *k, const void *aad, size_t aadlen, const void *pt, size_t ptlen,
               uint8_t *out, size_t outcap, size_t *outlen);
/* Reverses sk_seal; SK_ERR_CRYPTO when the key, the aad or the blob does not fit. */
sk_err sk_unseal(const sk_keyring *k, const void *aad, size_t aadlen, const uint8_t *blob,
                 size_t bloblen, void *out, size_t outcap, size_t *outlen);

/* Creates a new key file with fresh random keys (O_EXCL, mode 0600). */
sk_err sk_keyring_create_file(const char *path, sk_diag *d);
/* Loads a key file; refuses one that group or others may access. */
sk_err sk_keyring_load_file(const char *path, sk_keyring *out, sk_diag *d);
void sk_keyring_wipe(sk_keyring *k);

#endif
