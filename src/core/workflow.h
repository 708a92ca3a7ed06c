/* workflow.h — the states and kinds of shikaku's workflows, and their names. Each list below is
 * the one place that names its values: the enum, the name the database stores and the API
 * shows, and the look-up of a name all come from it (workflow.c); the database's CHECK
 * constraints and the states written into SQL are tested against these names
 * (tests/unit/store/sqlite/test_sqlite.c). The workflows themselves are described where they
 * run: 届出 in registry/filing.h; 誤入力チェック, 閲覧停止, acquisition and work items in
 * identity/identity.h.
 *
 * Every enum but sk_risk starts at 1, so that 0 means "not set" (in a filter: any). For each
 * type T: const char *sk_T_name(sk_T v) ("?" for a value out of range) and
 * bool sk_T_from_name(const char *name, sk_T *out) (false, *out untouched, for an unknown name). */
#ifndef SK_CORE_WORKFLOW_H
#define SK_CORE_WORKFLOW_H

#include <stdbool.h>

/* X(ENUMERATOR, value, "name") for each value. */

/* who is who: a principal's role; whom a work item is assigned to */
#define SK_ROLE_LIST(X)                                                                            \
    X(SK_ROLE_OPERATOR, 1, "operator")                                                             \
    X(SK_ROLE_INSURER, 2, "insurer")                                                               \
    X(SK_ROLE_EMPLOYER, 3, "employer")                                                             \
    X(SK_ROLE_INSTITUTION, 4, "institution")                                                       \
    X(SK_ROLE_PERSON, 5, "person")

/* a 届出 (registry/filing.h) */
#define SK_NOTIFICATION_STATE_LIST(X)                                                              \
    X(SK_STATE_RECEIVED, 1, "received")                                                            \
    X(SK_STATE_INVALID, 2, "invalid")                                                              \
    X(SK_STATE_PENDING_MYNUMBER, 3, "pending_my_number")                                           \
    X(SK_STATE_REGISTERED, 4, "registered")                                                        \
    X(SK_STATE_WITHDRAWN, 5, "withdrawn")

/* 本人確認判定 of a 誤入力チェック (identity/identity.h) */
#define SK_VERDICT_LIST(X)                                                                         \
    X(SK_VERDICT_MATCH, 1, "match")                                                                \
    X(SK_VERDICT_MISMATCH_HIGH, 2, "mismatch_high")                                                \
    X(SK_VERDICT_MISMATCH_LOW, 3, "mismatch_low")                                                  \
    X(SK_VERDICT_NOT_FOUND, 4, "not_found")                                                        \
    X(SK_VERDICT_PENDING, 5, "pending")

/* a work item for an insurer, an employer or the operator (identity/identity.h) */
#define SK_WORK_KIND_LIST(X)                                                                       \
    X(SK_WORK_MYNUMBER_REMINDER, 1, "mynumber_reminder")                                           \
    X(SK_WORK_JLIS_MISMATCH, 2, "jlis_mismatch")                                                   \
    X(SK_WORK_JLIS_NONE, 3, "jlis_none")                                                           \
    X(SK_WORK_JLIS_MULTIPLE, 4, "jlis_multiple")                                                   \
    X(SK_WORK_CHECK_MISMATCH, 5, "check_mismatch")                                                 \
    X(SK_WORK_CHECK_RETRY, 6, "check_retry")                                                       \
    X(SK_WORK_REPORT, 7, "report")                                                                 \
    X(SK_WORK_REPORT_STOP, 8, "report_stop")

#define SK_WORK_STATE_LIST(X)                                                                      \
    X(SK_WORK_OPEN, 1, "open")                                                                     \
    X(SK_WORK_RESOLVED, 2, "resolved")

/* the risk of a check_mismatch item; none ("") for the other kinds */
#define SK_RISK_LIST(X)                                                                            \
    X(SK_RISK_NONE, 0, "")                                                                         \
    X(SK_RISK_HIGH, 1, "high")                                                                     \
    X(SK_RISK_LOW, 2, "low")

/* why display is stopped (閲覧停止) */
#define SK_STOP_CAUSE_LIST(X)                                                                      \
    X(SK_STOP_CHECK, 1, "check")                                                                   \
    X(SK_STOP_REPORT, 2, "report")

/* a My Number acquisition (W2) */
#define SK_ACQ_STAGE_LIST(X)                                                                       \
    X(SK_ACQ_REQUESTED, 1, "requested")                                                            \
    X(SK_ACQ_REMINDED, 2, "reminded")                                                              \
    X(SK_ACQ_REVIEW, 3, "review")                                                                  \
    X(SK_ACQ_DONE, 4, "done")

#define SK_WF_ENUMERATOR_(e, v, name) e = v,
#define SK_WF_TYPE_(T, LIST)                                                                       \
    typedef enum sk_##T{LIST(SK_WF_ENUMERATOR_)} sk_##T;                                           \
    const char *sk_##T##_name(sk_##T v);                                                           \
    bool sk_##T##_from_name(const char *name, sk_##T *out);

SK_WF_TYPE_(role, SK_ROLE_LIST)
SK_WF_TYPE_(notification_state, SK_NOTIFICATION_STATE_LIST)
SK_WF_TYPE_(verdict, SK_VERDICT_LIST)
SK_WF_TYPE_(work_kind, SK_WORK_KIND_LIST)
SK_WF_TYPE_(work_state, SK_WORK_STATE_LIST)
SK_WF_TYPE_(risk, SK_RISK_LIST)
SK_WF_TYPE_(stop_cause, SK_STOP_CAUSE_LIST)
SK_WF_TYPE_(acq_stage, SK_ACQ_STAGE_LIST)

/* The names of a list, in order, for tests and help texts: *n gets the count. */
const char *const *sk_workflow_names(const char *list, int *n);

#endif
