/* qualification.h — when a qualification begins and ends, who may be a dependent, and which
 * overlaps of two qualifications the law allows (domain-rules §7, §8, §15).
 *
 * A qualification is valid on day d when acquired_on <= d < lost_on (the loss date is the first
 * day without cover; OQS DisqualificationDate carries it). */
#ifndef SK_CORE_QUALIFICATION_H
#define SK_CORE_QUALIFICATION_H

#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "core/insurer.h"
#include "util/err.h"

/* Whether a qualification [acquired_on, lost_on) covers day `on`: acquired_on <= on < lost_on,
 * lost_on being the first day without cover (an open end: has_lost = false). The one place
 * this rule is written; the store's SQL only takes `on` as a parameter. */
bool sk_period_covers(sk_date acquired_on, bool has_lost, sk_date lost_on, sk_date on);
/* Whether the period has not ended by `on` (on < lost_on), whenever it began. */
bool sk_period_open_on(bool has_lost, sk_date lost_on, sk_date on);

typedef enum sk_loss_event {
    SK_LOSS_RETIREMENT = 1,  /* 退職 / ceasing to qualify (被用者保険) */
    SK_LOSS_DEATH,           /* 死亡 */
    SK_LOSS_AGE_75,          /* 後期高齢者医療への移行 (75歳到達) */
    SK_LOSS_OTHER_INSURANCE, /* joined another medical insurance (国保: 被用者保険 etc.) */
    SK_LOSS_WELFARE,         /* 生活保護 started */
    SK_LOSS_MOVED_OUT,       /* 国保/後期: left the municipality or 広域連合's area */
    SK_LOSS_OTHER            /* その他 */
} sk_loss_event;

typedef struct sk_loss_input {
    sk_insurer_kind kind; /* the insurer the qualification is at */
    sk_loss_event event;
    sk_date event_date; /* the day of death, the last day worked, the day joined elsewhere… */
    sk_date birthdate;  /* for SK_LOSS_AGE_75 */
    /* 被用者保険: became a 被保険者 again (elsewhere) on the event day → loss the same day.
     * 国保: moved into another municipality that day, or joined a 国保組合 → same day.
     * 後期: entered another 広域連合's area that day → same day. */
    bool same_day_successor;
} sk_loss_input;

/* The loss date (資格喪失日) and the OQS ReasonOfLoss code ("01" 死亡, "02" 生活保護,
 * "03" 医療保険等の資格取得, "99" その他):
 *   被用者保険 (健保法36条): the day after death or leaving, the same day with a successor;
 *   国保 (国保法8条): the day after joining 被用者保険 (a lawful 1-day overlap), the same day on
 *     生活保護 or with a successor (another municipality, a 国保組合);
 *   後期 (高確法52条): the day after death or leaving the area, the same day into another area;
 *   75th birthday: the birthday itself for 健保 and 国保 (後期 starts that day); for
 *     SK_LOSS_AGE_75 event_date is ignored and the birthday is computed.
 * SK_C_DATE_ORDER if a 75-birthday loss is asked at a 後期 insurer. */
sk_err sk_loss_date(const sk_loss_input *in, sk_date *lost_on, char reason[3], sk_diag *d);

/* 健保法3条7項 / 高確法: a 後期 member — 75 or over on `on`, or 65–74 with 障害認定 — cannot
 * be a 被扶養者. */
bool sk_dependent_age_ok(sk_date birth, sk_date on, bool kouki_disability);

/* Days two validity periods [a_from, a_to) and [b_from, b_to) share; an open end is given with
 * has_to = false. */
int32_t sk_overlap_days(sk_date a_from, bool a_has_to, sk_date a_to, sk_date b_from, bool b_has_to,
                        sk_date b_to);

/* Whether `days` of overlap between a qualification at kind `a` and one at kind `b` (different
 * insurers) is lawful (domain-rules §15): only the 1-day 国保 ↔ 被用者保険 overlap, and 日雇特例
 * with 国保 (not confirmed). Two qualifications at the same insurer may never overlap. */
bool sk_overlap_lawful(sk_insurer_kind a, sk_insurer_kind b, int32_t days);

/* workflows §2: C1 (event → 届出) and C2 (届出 → registration) are each at most 5 days;
 * calendar days, the first day not counted (an event on 04-01 is in time through 04-06). A
 * 届出 filed before its event (pre-hire) is in time. */
#define SK_FILING_DEADLINE_DAYS 5
bool sk_within_deadline(sk_date from, sk_date to);

/* The dates a 届出 may carry, judged on `today` (JST):
 *   - a birthdate is never after today (date_future, field birthdate);
 *   - an event (acquired_on, event_date) may lie ahead of today by at most prefile_days: the
 *     事前提出 of workflows F10 — an employer files F1/F2 for a 内定者 before the hire date so
 *     that the マイナ保険証 works from that day. The spec sets no limit; one further ahead is a
 *     typo (2999 for 2029) rather than a plan (date_future naming the field);
 *   - no acquisition before birth (date_order, field acquired_on).
 * SK_PREFILE_DAYS_DEFAULT (90): the April peak (workflows W3) of new graduates hired on 04-01
 * can be filed from early January, once their data is final; a deployment that files at 内定
 * (October) sets registry.prefile_days higher (docs/cli.md). */
#define SK_PREFILE_DAYS_DEFAULT 90
#define SK_PREFILE_DAYS_MAX     366
typedef struct sk_filing_dates {
    bool has_birthdate, has_acquired_on, has_event_date;
    sk_date birthdate, acquired_on, event_date;
} sk_filing_dates;
sk_err sk_filing_dates_check(const sk_filing_dates *f, sk_date today, int prefile_days, sk_diag *d);

#endif
