/* workflow.c — the names of workflow.h's lists. */
#include "core/workflow.h"

#include <stddef.h>
#include <string.h>

#define SK_WF_NAME_(e, v, name)   [v] = name,
#define SK_WF_VALUE_(e, v, name)  e,
#define SK_WF_LISTED_(e, v, name) name,

/* The table (indexed by value) and the two functions of one type. */
#define SK_WF_DEFINE_(T, LIST)                                                                     \
    static const char *const T##_by_value[] = {LIST(SK_WF_NAME_)};                                 \
    static const sk_##T T##_values[] = {LIST(SK_WF_VALUE_)};                                       \
    enum { T##_count = (int)(sizeof(T##_values) / sizeof(T##_values[0])) };                        \
    static const char *const T##_names[] = {LIST(SK_WF_LISTED_)};                                  \
    const char *sk_##T##_name(sk_##T v)                                                            \
    {                                                                                              \
        size_t i = (size_t)v;                                                                      \
        return i < sizeof(T##_by_value) / sizeof(T##_by_value[0]) && T##_by_value[i]               \
                   ? T##_by_value[i]                                                               \
                   : "?";                                                                          \
    }                                                                                              \
    bool sk_##T##_from_name(const char *name, sk_##T *out)                                         \
    {                                                                                              \
        for (int i = 0; name && i < T##_count; i++) {                                              \
            if (strcmp(name, T##_by_value[T##_values[i]]) == 0) {                                  \
                *out = T##_values[i];                                                              \
                return true;                                                                       \
            }                                                                                      \
        }                                                                                          \
        return false;                                                                              \
    }

SK_WF_DEFINE_(role, SK_ROLE_LIST)
SK_WF_DEFINE_(notification_state, SK_NOTIFICATION_STATE_LIST)
SK_WF_DEFINE_(verdict, SK_VERDICT_LIST)
SK_WF_DEFINE_(work_kind, SK_WORK_KIND_LIST)
SK_WF_DEFINE_(work_state, SK_WORK_STATE_LIST)
SK_WF_DEFINE_(risk, SK_RISK_LIST)
SK_WF_DEFINE_(stop_cause, SK_STOP_CAUSE_LIST)
SK_WF_DEFINE_(acq_stage, SK_ACQ_STAGE_LIST)

const char *const *sk_workflow_names(const char *list, int *n)
{
    static const struct {
        const char *list;
        const char *const *names;
        int n;
    } lists[] = {
        {"role", role_names, role_count},
        {"notification_state", notification_state_names, notification_state_count},
        {"verdict", verdict_names, verdict_count},
        {"work_kind", work_kind_names, work_kind_count},
        {"work_state", work_state_names, work_state_count},
        {"risk", risk_names, risk_count},
        {"stop_cause", stop_cause_names, stop_cause_count},
        {"acq_stage", acq_stage_names, acq_stage_count},
    };
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        if (strcmp(list, lists[i].list) == 0) {
            *n = lists[i].n;
            return lists[i].names;
        }
    }
    *n = 0;
    return NULL;
}
