/* health.c — what GET /readyz asks: whether the daemon can do all of its work now. Ready means
 * the registry database answers and can be written, the look-up log's rows are being written,
 * and J-LIS can be asked (when configured). Not ready names the first cause with its code
 * (db_missing, db_read_only, disk_full, io, audit_anchor, jlis_unavailable, jlis_file): the
 * daemon still answers what it can meanwhile (docs/errors.md "Storage faults"). */
#include <stdio.h>

#include "http/http_int.h"
#include "identity/identity.h"
#include "verify/verify.h"

/* Prefixes d's message with what it is about. */
static sk_err about(sk_err err, const char *what, const char *field, sk_diag *d)
{
    char msg[SK_DIAG_MESSAGE_MAX];
    snprintf(msg, sizeof(msg), "%s", d->message);
    sk_diag_set(d, d->code, field, "%s: %s", what, msg);
    return err;
}

sk_err sk_http_ready(const sk_app *app, sk_diag *d)
{
    sk_tx *tx = NULL;
    sk_err err = sk_store_begin_read(app->store, &tx, d);
    if (err)
        return about(err, "the registry database does not answer", "db", d);
    sk_tx_rollback(tx);
    if ((err = sk_store_health(app->store, d)))
        return about(err, "the registry database cannot be written", "db", d);
    if (app->audit && (err = sk_lookup_audit_health(app->audit, d)))
        return about(err, "the look-up log", "lookup_log", d);
    if (app->identity && (err = sk_identity_health(app->identity, d)))
        return about(err, "J-LIS", "jlis", d);
    return SK_OK;
}
