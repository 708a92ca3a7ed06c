/* eligibility.c — the QualificationValidity decision (rules in eligibility.h). */
#include "core/eligibility.h"
#include "core/qualification.h"

#include <string.h>

const char *sk_validity_code(sk_validity v)
{
    switch (v) {
    case SK_VALIDITY_VALID:
        return "1";
    case SK_VALIDITY_INVALID:
        return "2";
    case SK_VALIDITY_INVALID_NEWER:
        return "3";
    case SK_VALIDITY_NONE:
        return "4";
    case SK_VALIDITY_MULTIPLE:
        return "5";
    }
    return "4";
}

const char *sk_validity_label(sk_validity v)
{
    switch (v) {
    case SK_VALIDITY_VALID:
        return "有効";
    case SK_VALIDITY_INVALID:
        return "無効";
    case SK_VALIDITY_INVALID_NEWER:
        return "無効（新しい資格あり）";
    case SK_VALIDITY_NONE:
        return "該当資格なし";
    case SK_VALIDITY_MULTIPLE:
        return "複数該当";
    }
    return "該当資格なし";
}

bool sk_eligibility_newer_exists(sk_date acquired_on, const sk_elig_period *all, size_t n,
                                 sk_date on)
{
    for (size_t i = 0; i < n; i++) {
        const sk_elig_period *p = &all[i];
        if (p->registered && sk_date_cmp(p->acquired_on, acquired_on) > 0 &&
            sk_period_open_on(p->has_lost, p->lost_on, on))
            return true;
    }
    return false;
}

/* The record of one person to show for `on`: valid on it; else the latest begun by then;
 * else the earliest (all begin later). Returns its index or n when the person has none. */
static size_t best_of_person(const sk_elig_record *recs, size_t n, const bool *usable,
                             int64_t person, sk_date on, bool *valid)
{
    size_t valid_i = n, begun = n, future = n;
    for (size_t i = 0; i < n; i++) {
        const sk_elig_record *r = &recs[i];
        if (!usable[i] || r->person_id != person)
            continue;
        if (sk_period_covers(r->acquired_on, r->has_lost, r->lost_on, on)) {
            if (valid_i == n || sk_date_cmp(r->acquired_on, recs[valid_i].acquired_on) > 0)
                valid_i = i;
        } else if (sk_date_cmp(r->acquired_on, on) <= 0) {
            if (begun == n || sk_date_cmp(r->acquired_on, recs[begun].acquired_on) > 0)
                begun = i;
        } else if (future == n || sk_date_cmp(r->acquired_on, recs[future].acquired_on) < 0) {
            future = i;
        }
    }
    *valid = valid_i != n;
    return valid_i != n ? valid_i : begun != n ? begun : future;
}

void sk_eligibility_decide(const sk_elig_record *recs, size_t n, sk_date birthdate, sk_date on,
                           sk_elig_decision *out)
{
    memset(out, 0, sizeof(*out));
    out->validity = SK_VALIDITY_NONE;
    bool usable[256];
    if (n > sizeof(usable) / sizeof(usable[0]))
        n = sizeof(usable) / sizeof(usable[0]); /* a key shared by more is not a real card */
    size_t nusable = 0;
    for (size_t i = 0; i < n; i++) {
        usable[i] = recs[i].registered && sk_date_cmp(recs[i].birthdate, birthdate) == 0;
        if (usable[i]) {
            nusable++;
            if (recs[i].display_stopped) {
                out->stopped = true;
                return;
            }
        }
    }
    if (!nusable)
        return;
    /* distinct persons, ascending by id */
    int64_t persons[SK_ELIG_MAX_CHOSEN];
    size_t np = 0, total = 0;
    int64_t last = INT64_MIN;
    for (;;) {
        int64_t next = INT64_MAX;
        bool found = false;
        for (size_t i = 0; i < n; i++)
            if (usable[i] && recs[i].person_id > last && recs[i].person_id <= next) {
                next = recs[i].person_id;
                found = true;
            }
        if (!found)
            break;
        if (np < SK_ELIG_MAX_CHOSEN)
            persons[np++] = next;
        total++;
        last = next;
    }
    bool valid;
    if (total > 1) {
        out->validity = SK_VALIDITY_MULTIPLE;
        for (size_t k = 0; k < np; k++)
            out->chosen[out->nchosen++] = best_of_person(recs, n, usable, persons[k], on, &valid);
        return;
    }
    size_t i = best_of_person(recs, n, usable, persons[0], on, &valid);
    out->chosen[out->nchosen++] = i;
    if (valid)
        out->validity = SK_VALIDITY_VALID;
    else if (sk_date_cmp(recs[i].acquired_on, on) <= 0 && recs[i].newer_exists)
        out->validity = SK_VALIDITY_INVALID_NEWER;
    else
        out->validity = SK_VALIDITY_INVALID;
}
