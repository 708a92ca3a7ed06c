/* test_crypto.c — hashes against published vectors, sealing, the key file's safety rules. */
#define _GNU_SOURCE /* memmem */
#include "support.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/crypto.h"

static void hex(const uint8_t *p, size_t n, char *out)
{
    sk_hex_encode(p, n, out);
}

static void test_sha256_and_hmac_vectors(void **state)
{
    (void)state;
    uint8_t h[32];
    char x[65];
    sk_sha256("abc", 3, h); /* FIPS 180-2 */
    hex(h, 32, x);
    assert_string_equal(x, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /* RFC 4231 test case 2 */
    assert_int_equal(
        sk_hmac_sha256((const uint8_t *)"Jefe", 4, "what do ya want for nothing?", 28, h), SK_OK);
    hex(h, 32, x);
    assert_string_equal(x, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

/* RFC 4231 cases 1 and 6 in turn, on this thread and another: the MAC context each thread
 * keeps must take each call's key (a short one, then one longer than SHA-256's block). */
static void *hmac_rounds(void *arg)
{
    uint8_t short_key[20], long_key[131], h[32];
    char x[65];
    memset(short_key, 0x0b, sizeof(short_key));
    memset(long_key, 0xaa, sizeof(long_key));
    const char *msg6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    for (int i = 0; i < 3; i++) {
        if (sk_hmac_sha256(short_key, sizeof(short_key), "Hi There", 8, h) != SK_OK)
            return "case 1 failed";
        hex(h, 32, x);
        if (strcmp(x, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7") != 0)
            return "case 1 differs";
        if (sk_hmac_sha256(long_key, sizeof(long_key), msg6, strlen(msg6), h) != SK_OK)
            return "case 6 failed";
        hex(h, 32, x);
        if (strcmp(x, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54") != 0)
            return "case 6 differs";
    }
    (void)arg;
    return NULL;
}

static void test_hmac_key_changes_and_threads(void **state)
{
    (void)state;
    const char *err = hmac_rounds(NULL);
    assert_null(err);
    pthread_t t;
    void *res = "not run";
    assert_int_equal(pthread_create(&t, NULL, hmac_rounds, NULL), 0);
    assert_int_equal(pthread_join(t, &res), 0);
    assert_null(res);
}

static void test_hex(void **state)
{
    (void)state;
    uint8_t b[3];
    assert_int_equal(sk_hex_decode("0aFf10", 6, b, 3), SK_OK);
    assert_int_equal(b[0], 0x0a);
    assert_int_equal(b[1], 0xff);
    assert_int_equal(sk_hex_decode("0g0000", 6, b, 3), SK_ERR_INVALID);
    assert_int_equal(sk_hex_decode("00", 2, b, 3), SK_ERR_INVALID);
}

static void test_seal_roundtrip_and_tamper(void **state)
{
    (void)state;
    sk_keyring k = {.id = 1};
    assert_int_equal(sk_random_bytes(k.enc, 32), SK_OK);
    uint8_t blob[64];
    size_t bl = 0, ol = 0;
    char out[32];
    assert_int_equal(sk_seal(&k, "pid-1", 5, "123456789018", 12, blob, sizeof(blob), &bl), SK_OK);
    assert_int_equal(bl, 12 + SK_SEAL_OVERHEAD);
    assert_null(memmem(blob, bl, "123456789018", 12)); /* not in plain */
    assert_int_equal(sk_unseal(&k, "pid-1", 5, blob, bl, out, sizeof(out), &ol), SK_OK);
    assert_int_equal(ol, 12);
    assert_memory_equal(out, "123456789018", 12);
    /* bound to its row: another aad does not open it (no swapping numbers between persons) */
    assert_int_equal(sk_unseal(&k, "pid-2", 5, blob, bl, out, sizeof(out), &ol), SK_ERR_CRYPTO);
    /* every single bit flip is detected */
    for (size_t i = 0; i < bl; i++) {
        blob[i] ^= 0x01;
        assert_int_not_equal(sk_unseal(&k, "pid-1", 5, blob, bl, out, sizeof(out), &ol), SK_OK);
        blob[i] ^= 0x01;
    }
    /* another key does not open it */
    sk_keyring k2 = k;
    k2.enc[0] ^= 1;
    assert_int_equal(sk_unseal(&k2, "pid-1", 5, blob, bl, out, sizeof(out), &ol), SK_ERR_CRYPTO);
    /* two seals of one value differ (random nonce) */
    uint8_t blob2[64];
    size_t bl2;
    assert_int_equal(sk_seal(&k, "pid-1", 5, "123456789018", 12, blob2, sizeof(blob2), &bl2),
                     SK_OK);
    assert_memory_not_equal(blob, blob2, bl);
    assert_int_equal(sk_seal(&k, "", 0, "123456789018", 12, blob2, 20, &bl2), SK_ERR_TOOBIG);
    assert_int_equal(sk_unseal(&k, "", 0, blob, 5, out, sizeof(out), &ol), SK_ERR_CRYPTO);
}

static void test_key_file(void **state)
{
    (void)state;
    char *dir = sk_test_tmpdir();
    char path[4200];
    snprintf(path, sizeof(path), "%s/k.key", dir);
    sk_diag d;
    assert_int_equal(sk_keyring_create_file(path, &d), SK_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* never overwritten */
    assert_int_equal(sk_keyring_create_file(path, &d), SK_ERR_EXISTS);
    assert_int_equal(d.code, SK_C_FILE_EXISTS);
    sk_keyring k1, k2;
    assert_int_equal(sk_keyring_load_file(path, &k1, &d), SK_OK);
    assert_int_equal(sk_keyring_load_file(path, &k2, &d), SK_OK);
    assert_memory_equal(&k1, &k2, sizeof(k1));
    assert_memory_not_equal(k1.enc, k1.mac, 32);
    /* readable by others: refused, and the message says how to fix it */
    chmod(path, 0640);
    assert_int_equal(sk_keyring_load_file(path, &k2, &d), SK_ERR_CONFIG);
    assert_int_equal(d.code, SK_C_KEY_FILE);
    assert_non_null(strstr(d.message, "0600"));
    chmod(path, 0600);
    /* malformed */
    char bad[4200];
    snprintf(bad, sizeof(bad), "%s/bad.key", dir);
    FILE *f = fopen(bad, "w");
    fputs("shikaku-keyring v1\nkey 1 zz\n", f);
    fclose(f);
    chmod(bad, 0600);
    assert_int_equal(sk_keyring_load_file(bad, &k2, &d), SK_ERR_CONFIG);
    assert_int_equal(sk_keyring_load_file("/nonexistent/k", &k2, &d), SK_ERR_CONFIG);
    sk_keyring_wipe(&k1);
    sk_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_and_hmac_vectors),
        cmocka_unit_test(test_hmac_key_changes_and_threads),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_seal_roundtrip_and_tamper),
        cmocka_unit_test(test_key_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
