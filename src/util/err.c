/* err.c — names of sk_err values and the sk_code table (codes.def). */
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *sk_strerror(sk_err err)
{
    switch (err) {
    case SK_OK:
        return "success";
    case SK_ERR_NOMEM:
        return "out of memory";
    case SK_ERR_INVALID:
        return "invalid input";
    case SK_ERR_RANGE:
        return "value out of range";
    case SK_ERR_TOOBIG:
        return "too large";
    case SK_ERR_NOTFOUND:
        return "not found";
    case SK_ERR_EXISTS:
        return "already exists";
    case SK_ERR_CONFLICT:
        return "conflict";
    case SK_ERR_IO:
        return "input/output error";
    case SK_ERR_STORE:
        return "database error";
    case SK_ERR_BUSY:
        return "busy";
    case SK_ERR_CRYPTO:
        return "cryptographic failure";
    case SK_ERR_CONFIG:
        return "configuration error";
    case SK_ERR_PERM:
        return "permission denied";
    case SK_ERR_INTERNAL:
        return "internal error";
    }
    return "unknown error";
}

const char *sk_err_name(sk_err err)
{
    switch (err) {
    case SK_OK:
        return "SK_OK";
    case SK_ERR_NOMEM:
        return "SK_ERR_NOMEM";
    case SK_ERR_INVALID:
        return "SK_ERR_INVALID";
    case SK_ERR_RANGE:
        return "SK_ERR_RANGE";
    case SK_ERR_TOOBIG:
        return "SK_ERR_TOOBIG";
    case SK_ERR_NOTFOUND:
        return "SK_ERR_NOTFOUND";
    case SK_ERR_EXISTS:
        return "SK_ERR_EXISTS";
    case SK_ERR_CONFLICT:
        return "SK_ERR_CONFLICT";
    case SK_ERR_IO:
        return "SK_ERR_IO";
    case SK_ERR_STORE:
        return "SK_ERR_STORE";
    case SK_ERR_BUSY:
        return "SK_ERR_BUSY";
    case SK_ERR_CRYPTO:
        return "SK_ERR_CRYPTO";
    case SK_ERR_CONFIG:
        return "SK_ERR_CONFIG";
    case SK_ERR_PERM:
        return "SK_ERR_PERM";
    case SK_ERR_INTERNAL:
        return "SK_ERR_INTERNAL";
    }
    return "SK_ERR_UNKNOWN";
}

static const struct {
    const char *name;
    sk_err err;
    const char *text;
} code_table[SK_C__COUNT] = {
#define SK_CODE(id, name, err, text) [SK_C_##id] = {name, err, text},
#include "util/codes.def"
#undef SK_CODE
};

const char *sk_code_name(sk_code code)
{
    if ((unsigned)code >= SK_C__COUNT)
        return "internal";
    return code_table[code].name;
}

sk_err sk_code_err(sk_code code)
{
    if ((unsigned)code >= SK_C__COUNT)
        return SK_ERR_INTERNAL;
    return code_table[code].err;
}

const char *sk_code_text(sk_code code)
{
    if ((unsigned)code >= SK_C__COUNT)
        return "internal error";
    return code_table[code].text;
}

void sk_diag_clear(sk_diag *d)
{
    /* the fields, not the buffers: every look-up clears several diagnostics */
    if (!d)
        return;
    d->err = SK_OK;
    d->code = (sk_code)0;
    d->field[0] = '\0';
    d->message[0] = '\0';
}

sk_err sk_diag_set(sk_diag *d, sk_code code, const char *field, const char *fmt, ...)
{
    sk_err err = sk_code_err(code);
    if (!d)
        return err;
    d->err = err;
    d->code = code;
    snprintf(d->field, sizeof(d->field), "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->message, sizeof(d->message), fmt, ap);
    va_end(ap);
    return err;
}

void sk_diag_prefix_field(sk_diag *d, const char *prefix)
{
    if (!d || !prefix || !*prefix)
        return;
    /* "prefix.field", truncated to the bound */
    char tmp[SK_DIAG_FIELD_MAX];
    size_t o = 0, cap = sizeof(tmp) - 1;
    for (const char *p = prefix; *p && o < cap; p++)
        tmp[o++] = *p;
    if (d->field[0] && o < cap)
        tmp[o++] = '.';
    for (const char *p = d->field; *p && o < cap; p++)
        tmp[o++] = *p;
    tmp[o] = '\0';
    memcpy(d->field, tmp, o + 1);
}
