/* mynumber.c — My Number rules (domain-rules §1). */
#include "core/mynumber.h"

#include <string.h>

#include "core/checkdigit.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/utf8.h"

static int separator(uint32_t cp)
{
    switch (cp) {
    case ' ':
    case 0x3000: /* full-width space */
    case '-':
    case 0x2010: /* ‐ */
    case 0x2011: /* ‑ */
    case 0x2013: /* – */
    case 0x2212: /* − */
    case 0x30FC: /* ー */
    case 0xFF0D: /* － */
    case 0xFF70: /* ｰ */
        return 1;
    default:
        return 0;
    }
}

sk_err sk_mynumber_parse(const char *in, size_t len, sk_mynumber *out, const char *field,
                         sk_diag *d)
{
    char digits[SK_MYNUMBER_LEN];
    size_t n = 0;
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t l = sk_utf8_decode(in + i, len - i, &cp);
        if (l == 0)
            return sk_diag_set(d, SK_C_MYNUMBER_FORMAT, field, "個人番号 is not valid UTF-8");
        i += l;
        if (separator(cp))
            continue;
        int v = -1;
        if (cp >= '0' && cp <= '9')
            v = (int)(cp - '0');
        else if (cp >= 0xFF10 && cp <= 0xFF19)
            v = (int)(cp - 0xFF10);
        if (v < 0) {
            sk_secure_zero(digits, sizeof(digits));
            return sk_diag_set(d, SK_C_MYNUMBER_FORMAT, field,
                               "個人番号 may contain only digits, spaces and hyphens");
        }
        if (n == SK_MYNUMBER_LEN) {
            sk_secure_zero(digits, sizeof(digits));
            return sk_diag_set(d, SK_C_MYNUMBER_FORMAT, field, "個人番号 has more than 12 digits");
        }
        digits[n++] = (char)('0' + v);
    }
    if (n != SK_MYNUMBER_LEN) {
        sk_secure_zero(digits, sizeof(digits));
        return sk_diag_set(d, SK_C_MYNUMBER_FORMAT, field, "個人番号 has %zu digits, not 12", n);
    }
    if (sk_checkdigit_mynumber(digits) != digits[11] - '0') {
        sk_secure_zero(digits, sizeof(digits));
        return sk_diag_set(d, SK_C_MYNUMBER_CHECK_DIGIT, field,
                           "個人番号 check digit does not match; please re-check the number");
    }
    if (memcmp(digits, "000000000000", 12) == 0)
        return sk_diag_set(d, SK_C_MYNUMBER_SENTINEL, field,
                           "個人番号 000000000000 is a placeholder, not a number");
    memcpy(out->digits, digits, SK_MYNUMBER_LEN);
    out->digits[SK_MYNUMBER_LEN] = '\0';
    sk_secure_zero(digits, sizeof(digits));
    return SK_OK;
}

void sk_mynumber_mask(const sk_mynumber *n, char out[13])
{
    sk_mask_mynumber(n->digits, SK_MYNUMBER_LEN, out);
}

void sk_mynumber_last4(const sk_mynumber *n, char out[5])
{
    memcpy(out, n->digits + 8, 4);
    out[4] = '\0';
}

void sk_mynumber_wipe(sk_mynumber *n)
{
    sk_secure_zero(n, sizeof(*n));
}
