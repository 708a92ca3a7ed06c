/* identity.h — My Number acquisition, 個人番号誤入力チェック, 閲覧停止 and the insurers' work
 * items (domain-rules §12–§16, workflows W2, W11, W12). Rules of matching are core/match.h;
 * J-LIS is identity/jlis.h; this module owns the workflows and their records.
 *
 * 誤入力チェック (W11). On every registration and every change of a registered person's My
 * Number or 5情報 (the registry calls the hook installed by sk_identity_install, inside the
 * registering transaction) the person's 5情報 are compared with J-LIS's by My Number and a
 * 本人確認判定 is stored (identity_status, the latest per person; each check is also audited):
 *   match          一致 on all five items (folds flagged in `folded`)
 *   mismatch_high  不一致 on 生年月日 or 性別 — high risk (3.6 % real errors in 2023)
 *   mismatch_low   不一致 on 漢字氏名, カナ or 住所 only — low risk (表記ゆれ, a move, a new name)
 *   not_found      J-LIS has no resident with this number — high risk
 *   pending        J-LIS could not be asked; rechecked by the scheduler (check_retry)
 * Anything but match stops display (閲覧停止, cause "check") of every registered
 * qualification of the person at once, and gives each insurer concerned a check_mismatch
 * work item. The stop ends when a later check matches (the insurer corrected the data through
 * a 届出: resolution "corrected") or when the insurer clears it with a reason ("no_suspicion",
 * 理由付き疑いなし; for high risk only with documents_verified). A clearance stands for that very
 * finding (verdict, items, our values and the register's): later checks that find the same do
 * not stop display again; a different finding is a new item.
 *
 * Acquisition (W2). A 資格取得届/被扶養者届 without My Number waits in pending_my_number. The
 * scheduler (sk_identity_tick; in the daemon a thread) gives the employer a mynumber_reminder
 * (督促) reminder_after after the filing; jlis_after after the reminder, with no 個人番号登録届,
 * it asks J-LIS on 4情報 and confirms on all five (match.h M6): 一致 → the number is registered
 * by the insurer (a mynumber_register 届出, so the registry's rules and the 誤入力チェック apply);
 * 不一致, 該当なし, 複数該当 → a jlis_mismatch / jlis_none / jlis_multiple work item for the
 * insurer — never linked automatically. J-LIS unavailable → retried after retry_ms, doubling;
 * after max_attempts the employer is asked again (a new reminder, the week starts over).
 *
 * 閲覧停止 on report (W12). An institution, the insured person or the operator reports that
 * someone else's data was shown: a `report` item for the operator, who stops display at once
 * (resolution "stop": a stop with cause "report" and a report_stop item for the insurer) or
 * dismisses it with a reason; the insurer ends the stop ("corrected" or "no_suspicion").
 *
 * Work items: kind — assignee — resolutions
 *   mynumber_reminder  employer  cannot_obtain (J-LIS is asked at the next tick); closes
 *                                itself ("settled") when the 届出 stops waiting
 *   jlis_mismatch, jlis_none, jlis_multiple
 *                      insurer   mynumber_set (with mynumber, checked as any registration),
 *                                ask_again (a new reminder), reject (the 届出 becomes invalid)
 *   check_mismatch     insurer   no_suspicion; closes itself ("corrected") on a matching check
 *   check_retry        operator  recheck (the scheduler also retries every tick)
 *   report             operator  stop, dismiss
 *   report_stop        insurer   corrected, no_suspicion
 * Every resolution needs a reason (except mynumber_set and recheck) and is audited; only the
 * assignee (role and scope) may list, read and resolve its items; the operator reads all. */
#ifndef SK_IDENTITY_IDENTITY_H
#define SK_IDENTITY_IDENTITY_H

#include <stdbool.h>
#include <stdint.h>

#include "access/access.h"
#include "identity/jlis.h"
#include "registry/registry.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/err.h"

/* The defaults of sk_identity_options, written once here (in the units of `shikaku serve`'s
 * identity.* settings, which use them too). */
#define SK_IDENTITY_REMINDER_DAYS   5  /* 届出 → 督促 (workflows C2: 5 days to file) */
#define SK_IDENTITY_JLIS_AFTER_DAYS 7  /* 督促 → J-LIS on 5情報 (C3: after one week) */
#define SK_IDENTITY_RETRY_MINUTES   60 /* J-LIS unavailable: first retry, then doubling */
#define SK_IDENTITY_MAX_ATTEMPTS    3  /* then the employer is asked again */

/* A field at 0 (or below) takes its default. */
typedef struct sk_identity_options {
    int64_t reminder_after_ms; /* 届出 → 督促 */
    int64_t jlis_after_ms;     /* 督促 → J-LIS */
    int64_t retry_ms;          /* J-LIS unavailable: first retry, doubling */
    int max_attempts;          /* then the employer is asked again */
} sk_identity_options;

typedef struct sk_identity sk_identity;

/* The service over a registry (it files 届出 through it and works on its store). reg, jlis and
 * clock are borrowed and must outlive the service. jlis may be NULL (no resident register
 * configured): work items and reports still work, checks and J-LIS look-ups do not (do not
 * install or start the service then). */
sk_err sk_identity_alloc(sk_registry *reg, sk_jlis *jlis, sk_clock *clock,
                         const sk_identity_options *opt, sk_identity **out, sk_diag *d);
/* Stops the scheduler thread if running and removes the registry hook if installed. */
void sk_identity_free(sk_identity *id);

/* Installs the 誤入力チェック as its registry's hook (filing.h sk_registry_set_check); before the
 * registry is shared between threads. */
void sk_identity_install(sk_identity *id);

/* The 誤入力チェック of one person inside tx, audited as identity.check (the registration hook
 * runs the same check but leaves the verdict to the 届出's own audit row, check=VERDICT).
 * *verdict (may be NULL) gets the 本人確認判定. A person without My Number is not checked
 * (verdict ""). */
sk_err sk_identity_check_person(sk_identity *id, sk_tx *tx, int64_t person_id, const char *trigger,
                                const char *actor, int64_t now_ms, char verdict[16], sk_diag *d);

/* The 誤入力チェック of every person with a My Number (the 2023 re-check of all records; the
 * demo after seeding), in batches sharing commits. Counts per verdict. */
typedef struct sk_identity_recheck_stats {
    int64_t persons, match, mismatch_high, mismatch_low, not_found, pending;
} sk_identity_recheck_stats;
sk_err sk_identity_check_all(sk_identity *id, const char *trigger, const char *actor,
                             sk_identity_recheck_stats *st, sk_diag *d);

/* One scheduler pass at the clock's now. */
typedef struct sk_identity_tick_stats {
    int seeded, reminders, jlis_matched, jlis_review, jlis_unavailable, settled, rechecked;
    int failed; /* records whose step failed (logged; retried at the next pass) */
} sk_identity_tick_stats;
sk_err sk_identity_tick(sk_identity *id, sk_identity_tick_stats *st, sk_diag *d);

/* The daemon's scheduler: a thread ("sk-identity") that ticks every interval_ms and reloads
 * the resident register when reload is requested (sk_identity_request_reload, e.g. SIGHUP). */
sk_err sk_identity_start(sk_identity *id, int64_t interval_ms, sk_diag *d);
void sk_identity_stop(sk_identity *id);
void sk_identity_request_reload(sk_identity *id);
/* Whether J-LIS can be asked (readiness): SK_OK, jlis_unavailable (never read since the start),
 * or jlis_file (its file is gone; the copy loaded stays in use). SK_OK without J-LIS. */
sk_err sk_identity_health(sk_identity *id, sk_diag *d);
/* Reloads the resident register now (operator endpoint, tests): jlis_unavailable (503) when
 * its file cannot be read, jlis_file when it has a bad line; the old register stays. */
sk_err sk_identity_reload(sk_identity *id, size_t *residents, sk_diag *d);

/* ---- work items ---- */
sk_err sk_identity_work_item_list(sk_identity *id, const sk_principal *who, const char *state,
                                  const char *kind, int64_t after_id, int limit, sk_work_item_cb cb,
                                  void *ctx, sk_diag *d);
sk_err sk_identity_work_item_get(sk_identity *id, const sk_principal *who, int64_t wid,
                                 sk_work_item_rec *out, sk_diag *d);

/* The resolutions a kind of item accepts, space-separated ("" for an unknown kind). */
const char *sk_identity_resolutions(sk_work_kind kind);

typedef struct sk_resolution {
    const char *resolution;  /* one of the kind's resolutions (above) */
    const char *reason;      /* free text, ≤ 500 bytes; never a My Number */
    const char *mynumber;    /* mynumber_set only */
    bool documents_verified; /* no_suspicion on a high-risk mismatch */
} sk_resolution;
/* Fields in diagnostics: resolution, reason, mynumber, documents_verified. SK_C_STATE when the
 * item is already resolved. */
sk_err sk_identity_work_item_resolve(sk_identity *id, const sk_principal *who, int64_t wid,
                                     const sk_resolution *r, sk_work_item_rec *out, sk_diag *d);

/* ---- 閲覧停止 on report ---- */
typedef struct sk_report {
    const char *insurer_number, *symbol, *number, *branch; /* the card key that showed wrong data */
    const char *text;                                      /* what was seen (≤ 500 bytes) */
} sk_report;
/* By an institution, a person (only for their own qualification) or the operator. Fields:
 * insurer_number, symbol, number, branch, text. */
sk_err sk_identity_report(sk_identity *id, const sk_principal *who, const sk_report *r,
                          sk_work_item_rec *out, sk_diag *d);

#endif
