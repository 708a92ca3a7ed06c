/* registry_int.h — the registry service's handle, shared by its files (not public). */
#ifndef SK_REGISTRY_REGISTRY_INT_H
#define SK_REGISTRY_REGISTRY_INT_H

#include "registry/filing.h"
#include "registry/registry.h"

struct sk_registry {
    sk_store *store;
    int prefile_days; /* resolved from sk_registry_options: 0..SK_PREFILE_DAYS_MAX */
    /* the 誤入力チェック (filing.h); set before the handle is shared, NULL = none */
    sk_registry_check_fn check;
    void *check_ctx;
};

#endif
