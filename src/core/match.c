/* match.c — identity matching rules M1–M6 (match.h; domain-rules §12–§14). */
#include "core/match.h"

#include <stdio.h>
#include <string.h>

#include "core/normalize.h"

typedef struct norm_pair {
    char *full;   /* every fold of its kind (M1) */
    char *strict; /* width, spaces, variation selectors only */
} norm_pair;

static sk_err norm_both(sk_arena *a, sk_norm_kind kind, const char *s, const char *field,
                        norm_pair *out, sk_diag *d)
{
    size_t len = strlen(s);
    sk_err err = sk_normalize(a, kind, s, len, &out->full, NULL, NULL, d);
    if (!err)
        err = sk_normalize(a, SK_NORM_STRICT, s, len, &out->strict, NULL, NULL, d);
    if (err && d)
        snprintf(d->field, sizeof(d->field), "%s", field);
    return err;
}

/* M5: a building name omitted on one side. `shorter` must end in a digit and `longer` continue
 * with something that is neither a digit nor a hyphen (a room number alone is not a building:
 * 1-1 vs 1-1-101 differ). */
static bool building_omitted(const char *x, const char *y)
{
    size_t lx = strlen(x), ly = strlen(y);
    const char *s = lx < ly ? x : y, *l = lx < ly ? y : x;
    size_t ls = lx < ly ? lx : ly;
    if (ls == 0 || ls == strlen(l) || memcmp(s, l, ls) != 0)
        return false;
    char last = s[ls - 1], next = l[ls];
    return last >= '0' && last <= '9' && !(next >= '0' && next <= '9') && next != '-';
}

typedef enum { ITEM_DIFF, ITEM_EQUAL, ITEM_FOLDED } item_cmp;

static sk_err cmp_text(sk_arena *a, sk_norm_kind kind, const char *x, const char *y,
                       const char *field, bool strict_only, item_cmp *out, sk_diag *d)
{
    if (!x || !y || !*x || !*y) {
        *out = ITEM_DIFF; /* an unknown item is never equal */
        return SK_OK;
    }
    if (strcmp(x, y) == 0) { /* the same bytes: equal under every fold (the common case) */
        *out = ITEM_EQUAL;
        return SK_OK;
    }
    norm_pair nx, ny;
    sk_err err;
    if ((err = norm_both(a, kind, x, field, &nx, d)) ||
        (err = norm_both(a, kind, y, field, &ny, d)))
        return err;
    bool strict_eq = strcmp(nx.strict, ny.strict) == 0;
    if (strict_eq)
        *out = ITEM_EQUAL;
    else if (strict_only)
        *out = ITEM_DIFF;
    else if (strcmp(nx.full, ny.full) == 0)
        *out = ITEM_FOLDED;
    else if (kind == SK_NORM_ADDRESS && building_omitted(nx.full, ny.full))
        *out = ITEM_FOLDED;
    else
        *out = ITEM_DIFF;
    return SK_OK;
}

sk_err sk_match_compare(sk_arena *a, const sk_ident *ours, const sk_ident *theirs, unsigned items,
                        bool same_birth_household, sk_match *out, sk_diag *d)
{
    memset(out, 0, sizeof(*out));
    if ((items & SK_ITEMS_BASIC4) != SK_ITEMS_BASIC4)
        return sk_diag_set(d, SK_C_MATCH_ITEMS, "items",
                           "a comparison needs at least 基本4情報 (name, birthdate, sex, address)");
    item_cmp c;
    sk_err err;
    /* M4: twins of one household — the name and the kana must be equal without folding */
    bool strict = same_birth_household;
    out->twin_rule = strict;
    if ((err = cmp_text(a, SK_NORM_NAME, ours->name, theirs->name, "name", strict, &c, d)))
        return err;
    for (int k = 0; k < 2 && c == ITEM_DIFF; k++) {
        if (!theirs->alt_names[k] || !*theirs->alt_names[k])
            continue;
        if ((err = cmp_text(a, SK_NORM_NAME, ours->name, theirs->alt_names[k], "name", strict, &c,
                            d)))
            return err;
        if (c == ITEM_EQUAL)
            c = ITEM_FOLDED; /* the 旧氏 or 通称, not the registered name */
    }
    if (c == ITEM_DIFF)
        out->differ |= SK_ITEM_NAME;
    else if (c == ITEM_FOLDED)
        out->folded |= SK_ITEM_NAME;
    if (items & SK_ITEM_KANA) {
        if ((err = cmp_text(a, SK_NORM_KANA, ours->kana, theirs->kana, "kana", strict, &c, d)))
            return err;
        if (c == ITEM_DIFF)
            out->differ |= SK_ITEM_KANA;
        else if (c == ITEM_FOLDED)
            out->folded |= SK_ITEM_KANA;
    }
    if ((err =
             cmp_text(a, SK_NORM_ADDRESS, ours->address, theirs->address, "address", false, &c, d)))
        return err;
    if (c == ITEM_DIFF)
        out->differ |= SK_ITEM_ADDRESS;
    else if (c == ITEM_FOLDED)
        out->folded |= SK_ITEM_ADDRESS;
    /* M3: dates and sex compare exactly; unknown is not equal */
    if (!sk_date_valid(ours->birthdate) || !sk_date_valid(theirs->birthdate) ||
        sk_date_cmp(ours->birthdate, theirs->birthdate) != 0)
        out->differ |= SK_ITEM_BIRTHDATE;
    if ((ours->sex != SK_SEX_MALE && ours->sex != SK_SEX_FEMALE) || ours->sex != theirs->sex)
        out->differ |= SK_ITEM_SEX;
    if (out->differ & (SK_ITEM_BIRTHDATE | SK_ITEM_SEX))
        out->result = SK_MATCH_DIFF_HIGH;
    else if (out->differ)
        out->result = SK_MATCH_DIFF_LOW;
    else
        out->result = SK_MATCH_EQUAL;
    return SK_OK;
}

sk_jlis_outcome sk_match_outcome(size_t ncandidates, const sk_match *only)
{
    if (ncandidates == 0)
        return SK_JLIS_NONE;
    if (ncandidates > 1)
        return SK_JLIS_MULTIPLE; /* M6: never pick one automatically */
    return only && only->result == SK_MATCH_EQUAL ? SK_JLIS_MATCH : SK_JLIS_MISMATCH;
}

const char *sk_jlis_outcome_name(sk_jlis_outcome o)
{
    switch (o) {
    case SK_JLIS_MATCH:
        return "match";
    case SK_JLIS_MISMATCH:
        return "mismatch";
    case SK_JLIS_NONE:
        return "none";
    case SK_JLIS_MULTIPLE:
        return "multiple";
    }
    return "?";
}

void sk_match_items_format(unsigned items, char *out, size_t cap)
{
    static const char *names[] = {"name", "kana", "birthdate", "sex", "address"};
    size_t n = 0;
    if (cap)
        out[0] = '\0';
    for (unsigned i = 0; i < 5; i++) {
        if (!(items & (1u << i)))
            continue;
        int w = snprintf(out + n, cap > n ? cap - n : 0, "%s%s", n ? " " : "", names[i]);
        if (w > 0 && (size_t)w < cap - n)
            n += (size_t)w;
    }
}

sk_err sk_match_key(sk_arena *a, const char *text, int is_address, char **out, sk_diag *d)
{
    return sk_normalize(a, is_address ? SK_NORM_ADDRESS : SK_NORM_NAME, text, strlen(text), out,
                        NULL, NULL, d);
}

bool sk_match_address_keys(const char *a, const char *b)
{
    return a && b && (strcmp(a, b) == 0 || building_omitted(a, b));
}

void sk_ident_of(const sk_person_info *p, sk_ident *out)
{
    memset(out, 0, sizeof(*out));
    out->name = p->name;
    out->kana = p->kana;
    out->birthdate = p->birthdate;
    out->sex = p->sex;
    out->address = p->address;
}
