/* seal.c — the My Number at rest: sealed with AES-256-GCM bound to the person's public id,
 * indexed with HMAC-SHA-256 (a blind index), here above the driver, so that no driver ever
 * sees it in plain; and the person operations that seal and unseal it. */
#include <string.h>

#include "store/store_int.h"
#include "util/log.h"

/* ---- My Number sealing ---- */

#define AAD_PREFIX "shikaku/mynumber/v1/"

static sk_err blind_index(const sk_keyring *k, const sk_mynumber *n, uint8_t out[SK_SHA256_BYTES])
{
    return sk_hmac_sha256(k->mac, SK_KEY_BYTES, n->digits, SK_MYNUMBER_LEN, out);
}

static void aad_for(const char *pid, char *aad, size_t *len)
{
    size_t pl = strlen(AAD_PREFIX);
    memcpy(aad, AAD_PREFIX, pl);
    memcpy(aad + pl, pid, SK_PID_LEN);
    *len = pl + SK_PID_LEN;
}

static sk_err seal_mynumber(const sk_keyring *k, const char *pid, const sk_mynumber *n,
                            sk_sealed_mynumber *out, sk_diag *d)
{
    char aad[64];
    size_t aadlen;
    aad_for(pid, aad, &aadlen);
    memset(out, 0, sizeof(*out));
    if (sk_seal(k, aad, aadlen, n->digits, SK_MYNUMBER_LEN, out->ct, sizeof(out->ct),
                &out->ct_len) != SK_OK ||
        blind_index(k, n, out->idx) != SK_OK)
        return sk_diag_set(d, SK_C_CRYPTO, "mynumber", "could not seal the My Number");
    out->present = true;
    return SK_OK;
}

static sk_err unseal_into(const sk_keyring *k, sk_person_rec *p, const sk_sealed_mynumber *mn,
                          sk_diag *d)
{
    char aad[64];
    size_t aadlen, outlen = 0;
    memset(&p->mynumber, 0, sizeof(p->mynumber));
    if (!mn->present)
        return SK_OK;
    aad_for(p->pid, aad, &aadlen);
    if (sk_unseal(k, aad, aadlen, mn->ct, mn->ct_len, p->mynumber.digits, SK_MYNUMBER_LEN,
                  &outlen) != SK_OK ||
        outlen != SK_MYNUMBER_LEN) {
        sk_mynumber_wipe(&p->mynumber);
        SK_ERROR("person %s: stored My Number failed authentication", p->pid);
        return sk_diag_set(d, SK_C_CRYPTO, "mynumber",
                           "stored My Number could not be decrypted (wrong key file or "
                           "tampered row)");
    }
    return SK_OK;
}

static sk_err person_add(sk_tx *tx, sk_person_rec *r, sk_diag *d)
{
    uint8_t rnd[SK_PID_LEN / 2];
    sk_sealed_mynumber mn = {0};
    if (sk_random_bytes(rnd, sizeof(rnd)) != SK_OK)
        return sk_diag_set(d, SK_C_INTERNAL, "", "no random bytes available");
    sk_hex_encode(rnd, sizeof(rnd), r->pid);
    if (r->has_mynumber) {
        sk_err err = seal_mynumber(&tx->s->keys, r->pid, &r->mynumber, &mn, d);
        if (err)
            return err;
    }
    return tx->s->ops.person_insert(&tx->q, r, &mn, d);
}

sk_err sk_store_person_add(sk_tx *tx, sk_person_rec *r, sk_diag *d)
{
    SK_TX_CALL(tx, d, person_add(tx, r, &local_));
}

static sk_err person_get(sk_tx *tx, int64_t id, const char *pid, bool with_mynumber,
                         sk_person_rec *out, sk_diag *d)
{
    sk_sealed_mynumber mn;
    memset(&mn, 0, sizeof(mn));
    sk_err err = tx->s->ops.person_fetch(&tx->q, id, pid, out, &mn, d);
    if (err)
        return err;
    out->has_mynumber = mn.present;
    return with_mynumber ? unseal_into(&tx->s->keys, out, &mn, d) : SK_OK;
}

sk_err sk_store_person_get(sk_tx *tx, int64_t id, bool with_mynumber, sk_person_rec *out,
                           sk_diag *d)
{
    SK_TX_CALL(tx, d, person_get(tx, id, NULL, with_mynumber, out, &local_));
}

sk_err sk_store_person_get_by_pid(sk_tx *tx, const char *pid, bool with_mynumber,
                                  sk_person_rec *out, sk_diag *d)
{
    SK_TX_CALL(tx, d, person_get(tx, 0, pid, with_mynumber, out, &local_));
}

static sk_err person_next(sk_tx *tx, int64_t after_id, bool with_mynumber, sk_person_rec *out,
                          sk_diag *d)
{
    int64_t id = 0;
    sk_err err = tx->s->ops.person_next_id(&tx->q, after_id, &id, d);
    return err ? err : person_get(tx, id, NULL, with_mynumber, out, d);
}

sk_err sk_store_person_next(sk_tx *tx, int64_t after_id, bool with_mynumber, sk_person_rec *out,
                            sk_diag *d)
{
    SK_TX_CALL(tx, d, person_next(tx, after_id, with_mynumber, out, &local_));
}

static sk_err person_find(sk_tx *tx, const sk_mynumber *n, sk_person_rec *out, sk_diag *d)
{
    uint8_t idx[SK_SHA256_BYTES];
    sk_sealed_mynumber mn;
    memset(&mn, 0, sizeof(mn));
    if (blind_index(&tx->s->keys, n, idx) != SK_OK)
        return sk_diag_set(d, SK_C_CRYPTO, "mynumber", "could not index the My Number");
    sk_err err = tx->s->ops.person_find_by_index(&tx->q, idx, out, &mn, d);
    if (err)
        return err;
    out->has_mynumber = mn.present;
    /* decrypt and compare: the index is a hash, the sealed value is the truth */
    err = unseal_into(&tx->s->keys, out, &mn, d);
    if (err)
        return err;
    if (!sk_ct_equal(out->mynumber.digits, n->digits, SK_MYNUMBER_LEN)) {
        sk_mynumber_wipe(&out->mynumber);
        return sk_diag_set(d, SK_C_CRYPTO, "mynumber", "blind index and sealed value disagree");
    }
    return SK_OK;
}

sk_err sk_store_person_find_by_mynumber(sk_tx *tx, const sk_mynumber *n, sk_person_rec *out,
                                        sk_diag *d)
{
    SK_TX_CALL(tx, d, person_find(tx, n, out, &local_));
}

static sk_err person_set_mynumber(sk_tx *tx, int64_t id, const sk_mynumber *n, int64_t at_ms,
                                  sk_diag *d)
{
    /* the person's public id is the sealing's associated data */
    sk_person_rec p;
    sk_sealed_mynumber mn, current;
    sk_err err = tx->s->ops.person_fetch(&tx->q, id, NULL, &p, &current, d);
    if (err)
        return err;
    err = seal_mynumber(&tx->s->keys, p.pid, n, &mn, d);
    if (err)
        return err;
    return tx->s->ops.person_set_sealed(&tx->q, id, at_ms, &mn, d);
}

sk_err sk_store_person_set_mynumber(sk_tx *tx, int64_t id, const sk_mynumber *n, int64_t at_ms,
                                    sk_diag *d)
{
    SK_TX_CALL(tx, d, person_set_mynumber(tx, id, n, at_ms, &local_));
}
