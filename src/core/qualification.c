/* qualification.c — acquisition/loss dates, dependents, overlaps (domain-rules §7, §8, §15). */
#include "core/qualification.h"

#include <string.h>

#include "core/ratio.h"

bool sk_period_open_on(bool has_lost, sk_date lost_on, sk_date on)
{
    return !has_lost || sk_date_cmp(on, lost_on) < 0;
}

bool sk_period_covers(sk_date acquired_on, bool has_lost, sk_date lost_on, sk_date on)
{
    return sk_date_cmp(acquired_on, on) <= 0 && sk_period_open_on(has_lost, lost_on, on);
}

static void set_reason(char reason[3], sk_loss_event e)
{
    const char *r = "99";
    if (e == SK_LOSS_DEATH)
        r = "01";
    else if (e == SK_LOSS_WELFARE)
        r = "02";
    else if (e == SK_LOSS_OTHER_INSURANCE)
        r = "03";
    memcpy(reason, r, 3);
}

sk_err sk_loss_date(const sk_loss_input *in, sk_date *lost_on, char reason[3], sk_diag *d)
{
    if (!sk_date_valid(in->event_date) && in->event != SK_LOSS_AGE_75)
        return sk_diag_set(d, SK_C_DATE_INVALID, "event_date", "event date does not exist");
    set_reason(reason, in->event);
    sk_date next = sk_date_add_days(in->event_date, 1);

    if (in->event == SK_LOSS_AGE_75) {
        if (in->kind == SK_INSURER_KOUKI)
            return sk_diag_set(d, SK_C_DATE_ORDER, "reason",
                               "a 後期 qualification does not end at 75");
        /* 健保 被保険者 and 被扶養者 lose on the 75th birthday; 後期 is acquired that day */
        *lost_on = sk_kouki_start(in->birthdate);
        return SK_OK;
    }
    if (in->kind == SK_INSURER_KOUKI) {
        /* 高確法52条: the day after; into another 広域連合's area the same day */
        *lost_on = in->same_day_successor && in->event == SK_LOSS_MOVED_OUT ? in->event_date : next;
        return SK_OK;
    }
    if (sk_insurer_kind_is_kokuho(in->kind)) {
        /* 国保法8条: the day after joining 被用者保険 (1-day overlap is lawful); the same day on
         * 生活保護, on moving into another municipality that day, or on joining a 国保組合 */
        if (in->event == SK_LOSS_WELFARE || in->same_day_successor)
            *lost_on = in->event_date;
        else
            *lost_on = next;
        return SK_OK;
    }
    /* 被用者保険, 健保法36条: the day after death or leaving; the same day if the person
     * becomes a 被保険者 again that day */
    *lost_on = in->same_day_successor ? in->event_date : next;
    return SK_OK;
}

bool sk_dependent_age_ok(sk_date birth, sk_date on, bool kouki_disability)
{
    if (sk_date_cmp(on, sk_kouki_start(birth)) >= 0)
        return false;
    if (kouki_disability && sk_age_on(birth, on) >= 65)
        return false;
    return true;
}

int32_t sk_overlap_days(sk_date a_from, bool a_has_to, sk_date a_to, sk_date b_from, bool b_has_to,
                        sk_date b_to)
{
    int32_t from = sk_date_to_days(a_from) > sk_date_to_days(b_from) ? sk_date_to_days(a_from)
                                                                     : sk_date_to_days(b_from);
    int32_t to;
    if (a_has_to && b_has_to)
        to = sk_date_to_days(a_to) < sk_date_to_days(b_to) ? sk_date_to_days(a_to)
                                                           : sk_date_to_days(b_to);
    else if (a_has_to)
        to = sk_date_to_days(a_to);
    else if (b_has_to)
        to = sk_date_to_days(b_to);
    else
        return INT32_MAX; /* both open: overlapping for ever from `from` */
    return to > from ? to - from : 0;
}

bool sk_overlap_lawful(sk_insurer_kind a, sk_insurer_kind b, int32_t days)
{
    if (days <= 0)
        return true;
    bool ka = sk_insurer_kind_is_kokuho(a), kb = sk_insurer_kind_is_kokuho(b);
    bool ea = sk_insurer_kind_is_employee(a), eb = sk_insurer_kind_is_employee(b);
    /* 日雇特例 alongside 国保 (domain-rules §15, not confirmed) */
    if ((a == SK_INSURER_HIYATOI && kb) || (b == SK_INSURER_HIYATOI && ka))
        return true;
    /* 国保 lost the day after joining 被用者保険: exactly one shared day */
    if (((ka && eb) || (kb && ea)) && days == 1)
        return true;
    return false;
}

bool sk_within_deadline(sk_date from, sk_date to)
{
    return sk_date_diff_days(from, to) <= SK_FILING_DEADLINE_DAYS;
}

static sk_err not_ahead(sk_date date, sk_date today, int prefile_days, const char *field,
                        sk_diag *d)
{
    if (sk_date_cmp(date, sk_date_add_days(today, prefile_days)) <= 0)
        return SK_OK;
    char a[11], t[11];
    sk_date_format(date, a);
    sk_date_format(today, t);
    return sk_diag_set(d, SK_C_DATE_FUTURE, field,
                       "%s %s is more than %d days after today (%s): a 届出 is filed at most that "
                       "far ahead of its event",
                       field, a, prefile_days, t);
}

sk_err sk_filing_dates_check(const sk_filing_dates *f, sk_date today, int prefile_days, sk_diag *d)
{
    sk_err err;
    if (f->has_birthdate && sk_date_cmp(f->birthdate, today) > 0) {
        char b[11], t[11];
        sk_date_format(f->birthdate, b);
        sk_date_format(today, t);
        return sk_diag_set(d, SK_C_DATE_FUTURE, "birthdate", "birthdate %s is after today (%s)", b,
                           t);
    }
    if (f->has_acquired_on &&
        (err = not_ahead(f->acquired_on, today, prefile_days, "acquired_on", d)))
        return err;
    if (f->has_event_date && (err = not_ahead(f->event_date, today, prefile_days, "event_date", d)))
        return err;
    if (f->has_birthdate && f->has_acquired_on && sk_date_cmp(f->acquired_on, f->birthdate) < 0)
        return sk_diag_set(d, SK_C_DATE_ORDER, "acquired_on", "acquired_on is before birthdate");
    return SK_OK;
}
