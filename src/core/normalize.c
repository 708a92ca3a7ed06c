/* normalize.c — matching normalisation (domain-rules §13). NFKC comes from utf8proc; the
 * Japanese-specific folds are the tables below. Works on code-point arrays in the arena. */
#include "core/normalize.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "util/utf8.h"

#define NORM_MAX_INPUT 1024

/* 異体字/旧字体 → the form used for comparison; sorted by source code point. Add rows here
 * only for variants that are the same name in practice; the flag SK_NORM_F_ITAIJI tells the
 * matcher that a fold was needed. */
static const struct {
    uint32_t from, to;
} itaiji[] = {
    {0x04F5B, 0x4ECF}, /* 佛 → 仏 */
    {0x04F86, 0x6765}, /* 來 → 来 */
    {0x051A8, 0x5BCC}, /* 冨 → 富 */
    {0x0570B, 0x56FD}, /* 國 → 国 */
    {0x05713, 0x5186}, /* 圓 → 円 */
    {0x058FD, 0x5BFF}, /* 壽 → 寿 */
    {0x05B78, 0x5B66}, /* 學 → 学 */
    {0x05BE6, 0x5B9F}, /* 實 → 実 */
    {0x05C07, 0x5C06}, /* 將 → 将 */
    {0x05D5C, 0x5D0E}, /* 嵜 → 崎 */
    {0x05D8B, 0x5CF6}, /* 嶋 → 島 */
    {0x05D8C, 0x5CF6}, /* 嶌 → 島 */
    {0x05EE3, 0x5E83}, /* 廣 → 広 */
    {0x05F4C, 0x5F25}, /* 彌 → 弥 */
    {0x05FB7, 0x5FB3}, /* 德 → 徳 */
    {0x060E0, 0x6075}, /* 惠 → 恵 */
    {0x0658E, 0x6589}, /* 斎 → 斉 */
    {0x066FE, 0x66FD}, /* 曾 → 曽 */
    {0x06703, 0x4F1A}, /* 會 → 会 */
    {0x06801, 0x67F3}, /* 栁 → 柳 */
    {0x0689D, 0x6761}, /* 條 → 条 */
    {0x069AE, 0x6804}, /* 榮 → 栄 */
    {0x069C7, 0x69D9}, /* 槇 → 槙 */
    {0x06AFB, 0x685C}, /* 櫻 → 桜 */
    {0x06DFA, 0x6D45}, /* 淺 → 浅 */
    {0x06FA4, 0x6CA2}, /* 澤 → 沢 */
    {0x06FF1, 0x6D5C}, /* 濱 → 浜 */
    {0x06FF5, 0x6D5C}, /* 濵 → 浜 */
    {0x07028, 0x702C}, /* 瀨 → 瀬 */
    {0x0771E, 0x771F}, /* 眞 → 真 */
    {0x07E23, 0x770C}, /* 縣 → 県 */
    {0x08207, 0x4E0E}, /* 與 → 与 */
    {0x0838A, 0x8358}, /* 莊 → 荘 */
    {0x0842C, 0x4E07}, /* 萬 → 万 */
    {0x085CF, 0x8535}, /* 藏 → 蔵 */
    {0x09089, 0x8FBA}, /* 邉 → 辺 */
    {0x0908A, 0x8FBA}, /* 邊 → 辺 */
    {0x090A8, 0x6751}, /* 邨 → 村 */
    {0x095DC, 0x95A2}, /* 關 → 関 */
    {0x0975C, 0x9759}, /* 靜 → 静 */
    {0x09A52, 0x9A28}, /* 驒 → 騨 */
    {0x09AD9, 0x9AD8}, /* 髙 → 高 */
    {0x09ED1, 0x9ED2}, /* 黑 → 黒 */
    {0x09F4A, 0x6589}, /* 齊 → 斉 */
    {0x09F4B, 0x6589}, /* 齋 → 斉 */
    {0x09F9C, 0x4E80}, /* 龜 → 亀 */
    {0x0FA11, 0x5D0E}, /* 﨑 → 崎 (no NFKC decomposition) */
    {0x0FA14, 0x6B05}, /* 﨔 → 欅 */
    {0x20BB7, 0x5409}, /* 𠮷 → 吉 */
};

unsigned int sk_itaiji_fold(unsigned int cp)
{
    size_t lo = 0, hi = sizeof(itaiji) / sizeof(itaiji[0]);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (itaiji[mid].from == cp)
            return itaiji[mid].to;
        if (itaiji[mid].from < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return cp;
}

static bool is_vs(uint32_t cp)
{
    return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) ||
           (cp >= 0x180B && cp <= 0x180D);
}

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000 || cp == 0x00A0 || cp == 0x200B;
}

static bool is_kanji(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x20000 && cp <= 0x3FFFF) || (cp >= 0xF900 && cp <= 0xFAFF) || cp == 0x3005;
}

static bool is_digit(uint32_t cp)
{
    return cp >= '0' && cp <= '9';
}

static bool is_dash(uint32_t cp)
{
    switch (cp) {
    case '-':
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
    case 0x2500: /* ─ box drawing, seen in hand-typed addresses */
        return true;
    default:
        return false;
    }
}

static uint32_t small_kana_fold(uint32_t cp)
{
    /* small katakana in U+30A1…U+30EE sit just before their large forms */
    switch (cp) {
    case 0x30A1:
    case 0x30A3:
    case 0x30A5:
    case 0x30A7:
    case 0x30A9: /* ァィゥェォ */
    case 0x30C3: /* ッ */
    case 0x30E3:
    case 0x30E5:
    case 0x30E7: /* ャュョ */
    case 0x30EE: /* ヮ */
        return cp + 1;
    case 0x30F5:
        return 0x30AB; /* ヵ → カ */
    case 0x30F6:
        return 0x30B1; /* ヶ → ケ */
    case 0x30F0:
        return 0x30A4; /* ヰ → イ */
    case 0x30F1:
        return 0x30A8; /* ヱ → エ */
    default:
        break;
    }
    /* Katakana Phonetic Extensions ㇰ…ㇿ (U+31F0…U+31FF) */
    static const uint16_t ext[16] = {0x30AF, 0x30B7, 0x30B9, 0x30C8, 0x30CC, 0x30CF,
                                     0x30D2, 0x30D5, 0x30D8, 0x30DB, 0x30E0, 0x30E9,
                                     0x30EA, 0x30EB, 0x30EC, 0x30ED};
    if (cp >= 0x31F0 && cp <= 0x31FF)
        return ext[cp - 0x31F0];
    return cp;
}

static int kanji_digit(uint32_t cp)
{
    switch (cp) {
    case 0x3007:
        return 0; /* 〇 */
    case 0x96F6:
        return 0; /* 零 */
    case 0x4E00:
        return 1; /* 一 */
    case 0x4E8C:
        return 2; /* 二 */
    case 0x4E09:
        return 3; /* 三 */
    case 0x56DB:
        return 4; /* 四 */
    case 0x4E94:
        return 5; /* 五 */
    case 0x516D:
        return 6; /* 六 */
    case 0x4E03:
        return 7; /* 七 */
    case 0x516B:
        return 8; /* 八 */
    case 0x4E5D:
        return 9; /* 九 */
    default:
        return -1;
    }
}

static int kanji_unit(uint32_t cp)
{
    switch (cp) {
    case 0x5341:
        return 10; /* 十 */
    case 0x767E:
        return 100; /* 百 */
    case 0x5343:
        return 1000; /* 千 */
    default:
        return 0;
    }
}

static bool is_kanji_numeral(uint32_t cp)
{
    return kanji_digit(cp) >= 0 || kanji_unit(cp) > 0;
}

/* Address-number suffixes that become '-': 丁目 番地 番 号 条 地割 の(between numbers). */
static size_t suffix_len(const uint32_t *s, size_t n)
{
    if (n >= 2 && s[0] == 0x4E01 && s[1] == 0x76EE) /* 丁目 */
        return 2;
    if (n >= 2 && s[0] == 0x756A && s[1] == 0x5730) /* 番地 */
        return 2;
    if (n >= 2 && s[0] == 0x5730 && s[1] == 0x5272) /* 地割 */
        return 2;
    if (n >= 1 && (s[0] == 0x756A || s[0] == 0x53F7 || s[0] == 0x6761)) /* 番 号 条 */
        return 1;
    return 0;
}

typedef struct cpvec {
    uint32_t *v;
    size_t n, cap;
} cpvec;

static void push(cpvec *o, uint32_t cp)
{
    if (o->n < o->cap)
        o->v[o->n++] = cp;
}

/* Converts a run of kanji numerals at s[0..n) to a number; returns the run length or 0. */
static size_t kanji_number(const uint32_t *s, size_t n, unsigned long *value)
{
    unsigned long total = 0, cur = 0;
    size_t i = 0;
    bool any = false;
    for (; i < n && i < 12; i++) {
        int dg = kanji_digit(s[i]);
        int un = kanji_unit(s[i]);
        if (dg >= 0) {
            cur = cur * 10 + (unsigned long)dg;
            any = true;
        } else if (un) {
            total += (cur ? cur : 1) * (unsigned long)un;
            cur = 0;
            any = true;
        } else {
            break;
        }
    }
    if (!any)
        return 0;
    *value = total + cur;
    return i;
}

static void push_number(cpvec *o, unsigned long v)
{
    char tmp[24];
    int k = 0;
    do {
        tmp[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v && k < 23);
    while (k > 0)
        push(o, (uint32_t)tmp[--k]);
}

static bool starts_with(const uint32_t *s, size_t n, uint32_t a, uint32_t b)
{
    return n >= 2 && s[0] == a && s[1] == b;
}

static void address_fold(const uint32_t *s, size_t n, cpvec *o, unsigned *flags)
{
    bool pending_dash = false; /* emit '-' only if a digit follows */
    for (size_t i = 0; i < n;) {
        uint32_t c = s[i];
        /* 大字 anywhere; 字 at the start or after 市/区/町/村/郡 */
        if (starts_with(s + i, n - i, 0x5927, 0x5B57)) { /* 大字 */
            i += 2;
            *flags |= SK_NORM_F_ADDRESS;
            continue;
        }
        if (c == 0x5B57 &&
            (o->n == 0 || o->v[o->n - 1] == 0x5E02 || o->v[o->n - 1] == 0x533A ||
             o->v[o->n - 1] == 0x753A || o->v[o->n - 1] == 0x6751 || o->v[o->n - 1] == 0x90E1)) {
            i++;
            *flags |= SK_NORM_F_ADDRESS;
            continue;
        }
        /* kanji numerals followed by a suffix, a dash or の become digits */
        unsigned long num;
        size_t kl = kanji_number(s + i, n - i, &num);
        if (kl) {
            size_t after = i + kl;
            /* の/ノ/ー count only when a number follows: "一の二" is 1-2, "一ノ瀬" a name */
            bool joiner = after + 1 < n &&
                          (s[after] == 0x306E || s[after] == 0x30CE || s[after] == 0x30FC) &&
                          (is_digit(s[after + 1]) || is_kanji_numeral(s[after + 1]));
            bool numeric_context =
                (after < n && (suffix_len(s + after, n - after) || is_dash(s[after]) || joiner)) ||
                (o->n > 0 && pending_dash);
            if (numeric_context) {
                if (pending_dash)
                    push(o, '-');
                pending_dash = false;
                push_number(o, num);
                i = after;
                *flags |= SK_NORM_F_ADDRESS;
                continue;
            }
        }
        if (is_digit(c)) {
            if (pending_dash)
                push(o, '-');
            pending_dash = false;
            push(o, c);
            i++;
            continue;
        }
        bool after_digit = o->n > 0 && is_digit(o->v[o->n - 1]) && !pending_dash;
        if (after_digit) {
            size_t sl = suffix_len(s + i, n - i);
            if (sl) {
                pending_dash = true;
                i += sl;
                *flags |= SK_NORM_F_ADDRESS;
                continue;
            }
            /* の/ノ/ー between numbers: "1の2", "1ー2" */
            if ((c == 0x306E || c == 0x30CE || c == 0x30FC) && i + 1 < n &&
                (is_digit(s[i + 1]) || is_kanji_numeral(s[i + 1]))) {
                pending_dash = true;
                i++;
                *flags |= SK_NORM_F_ADDRESS;
                continue;
            }
        }
        if (is_dash(c)) {
            if (c != '-')
                *flags |= SK_NORM_F_ADDRESS;
            if (o->n > 0)
                pending_dash = true;
            i++;
            continue;
        }
        if (pending_dash) {
            /* a dash not followed by a digit ("2-1-2号", "1-2 メゾン") is dropped */
            pending_dash = false;
            *flags |= SK_NORM_F_ADDRESS;
        }
        /* ケ/ヶ/が/ヵ and ノ/の between kanji: 霞が関 = 霞ケ関, 一の瀬 = 一ノ瀬 */
        bool between_kanji =
            o->n > 0 && is_kanji(o->v[o->n - 1]) && i + 1 < n && is_kanji(s[i + 1]);
        if (between_kanji &&
            (c == 0x30F6 || c == 0x304C || c == 0x30F5 || c == 0x30B1 || c == 0x30AC)) {
            if (c != 0x30B1)
                *flags |= SK_NORM_F_ADDRESS;
            push(o, 0x30B1); /* ケ */
            i++;
            continue;
        }
        if (between_kanji && (c == 0x306E || c == 0x30CE)) {
            if (c != 0x30CE)
                *flags |= SK_NORM_F_ADDRESS;
            push(o, 0x30CE); /* ノ */
            i++;
            continue;
        }
        push(o, c);
        i++;
    }
}

static void kana_fold(const uint32_t *s, size_t n, cpvec *o, unsigned *flags)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t c = s[i];
        if (c >= 0x3041 && c <= 0x3096) { /* hiragana → katakana */
            c += 0x60;
            *flags |= SK_NORM_F_KANA;
        }
        uint32_t f = small_kana_fold(c);
        if (f != c) {
            c = f;
            *flags |= SK_NORM_F_KANA;
        }
        if (is_dash(c) || c == 0x2015 || c == 0xFF5E || c == 0x301C) {
            c = 0x30FC; /* ー */
            *flags |= SK_NORM_F_KANA;
        }
        push(o, c);
    }
}

sk_err sk_normalize(sk_arena *a, sk_norm_kind kind, const char *in, size_t len, char **out,
                    size_t *outlen, unsigned *flags_out, sk_diag *d)
{
    unsigned flags = 0;
    if (len > NORM_MAX_INPUT)
        return sk_diag_set(d, SK_C_TOO_LONG, "text", "text longer than %d bytes", NORM_MAX_INPUT);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t l = sk_utf8_decode(in + i, len - i, &cp);
        if (!l)
            return sk_diag_set(d, SK_C_BAD_UTF8, "text", "text is not valid UTF-8");
        /* control characters (NUL above all) never belong in a name, kana or address, and a
         * NUL would cut the normalised C string short */
        if (sk_utf8_is_control(cp) && cp != '\t')
            return sk_diag_set(d, SK_C_BAD_CHAR, "text", "text contains a control character");
        i += l;
    }

    /* 1. NFKC. Decompose into an arena buffer (growing once if needed), then compose. */
    utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE; /* NFKC */
    utf8proc_ssize_t cap = (utf8proc_ssize_t)len * 2 + 16;
    int32_t *buf = sk_arena_array(a, (size_t)cap, sizeof(int32_t));
    if (!buf)
        return sk_diag_set(d, SK_C_NOMEM, "text", "out of memory");
    utf8proc_ssize_t n =
        utf8proc_decompose((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)len, buf, cap, opt);
    if (n > cap) {
        cap = n;
        buf = sk_arena_array(a, (size_t)cap, sizeof(int32_t));
        if (!buf)
            return sk_diag_set(d, SK_C_NOMEM, "text", "out of memory");
        n = utf8proc_decompose((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)len, buf, cap, opt);
    }
    if (n < 0)
        return sk_diag_set(d, SK_C_BAD_UTF8, "text", "text could not be normalised");
    n = utf8proc_normalize_utf32(buf, n, opt);
    if (n < 0)
        return sk_diag_set(d, SK_C_BAD_UTF8, "text", "text could not be normalised");

    /* did NFKC change anything? compare with the plain decoding */
    {
        size_t i = 0, k = 0;
        bool same = true;
        while (i < len) {
            uint32_t cp;
            i += sk_utf8_decode(in + i, len - i, &cp);
            if ((utf8proc_ssize_t)k >= n || (uint32_t)buf[k] != cp) {
                same = false;
                break;
            }
            k++;
        }
        if (!same || (utf8proc_ssize_t)k != n)
            flags |= SK_NORM_F_WIDTH;
    }

    /* 2. common folds: variation selectors, spaces, 異体字, ● */
    cpvec base = {sk_arena_array(a, (size_t)n + 1, sizeof(uint32_t)), 0, (size_t)n + 1};
    if (!base.v)
        return sk_diag_set(d, SK_C_NOMEM, "text", "out of memory");
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        uint32_t c = (uint32_t)buf[i];
        if (is_vs(c)) {
            flags |= SK_NORM_F_IVS;
            continue;
        }
        if (is_space(c)) {
            flags |= SK_NORM_F_SPACE;
            continue;
        }
        if (c == 0x25CF)
            flags |= SK_NORM_F_GAIJI;
        uint32_t f = kind == SK_NORM_STRICT ? c : sk_itaiji_fold(c);
        if (f != c) {
            flags |= SK_NORM_F_ITAIJI;
            c = f;
        }
        push(&base, c);
    }

    /* 3. kind-specific folds (never longer than the input: numbers shrink) */
    cpvec fin = {sk_arena_array(a, base.n * 2 + 1, sizeof(uint32_t)), 0, base.n * 2 + 1};
    if (!fin.v)
        return sk_diag_set(d, SK_C_NOMEM, "text", "out of memory");
    if (kind == SK_NORM_KANA)
        kana_fold(base.v, base.n, &fin, &flags);
    else if (kind == SK_NORM_ADDRESS)
        address_fold(base.v, base.n, &fin, &flags);
    else {
        memcpy(fin.v, base.v, base.n * sizeof(uint32_t));
        fin.n = base.n;
    }

    /* 3b. folding can create new canonical pairs (ッ + ゛ is not composable, ツ + ゛ is ヅ) and
     * marks out of canonical order (゜ is NFKC space + U+309A; the space is dropped above and
     * the mark may land after a mark of a higher combining class): reorder each run of marks
     * by class (stable, as NFD does), then compose again, so that normalising twice changes
     * nothing */
    for (size_t i = 1; i < fin.n; i++) {
        uint32_t c = fin.v[i];
        int cc = utf8proc_get_property((utf8proc_int32_t)c)->combining_class;
        size_t j = i;
        while (cc > 0 && j > 0) {
            int pc = utf8proc_get_property((utf8proc_int32_t)fin.v[j - 1])->combining_class;
            if (pc <= cc) /* a starter (0) or a mark of a lower or equal class stays before */
                break;
            fin.v[j] = fin.v[j - 1];
            j--;
        }
        fin.v[j] = c;
    }
    if (fin.n > 0) {
        utf8proc_ssize_t m = utf8proc_normalize_utf32(
            (utf8proc_int32_t *)fin.v, (utf8proc_ssize_t)fin.n, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        if (m < 0)
            return sk_diag_set(d, SK_C_BAD_UTF8, "text", "text could not be normalised");
        fin.n = (size_t)m;
    }

    /* 4. back to UTF-8 */
    char *o = sk_arena_calloc(a, fin.n * 4 + 1);
    if (!o)
        return sk_diag_set(d, SK_C_NOMEM, "text", "out of memory");
    size_t ol = 0;
    for (size_t i = 0; i < fin.n; i++)
        ol += sk_utf8_encode(fin.v[i], o + ol);
    o[ol] = '\0';
    *out = o;
    if (outlen)
        *outlen = ol;
    if (flags_out)
        *flags_out = flags;
    return SK_OK;
}
