/* err.h — the one error enum (sk_err), the stable machine codes that API errors carry
 * (sk_code, listed in codes.def and documented in docs/errors.md) and sk_diag, which
 * carries code + field + human message from where a rule fails to where it is reported. */
#ifndef SK_UTIL_ERR_H
#define SK_UTIL_ERR_H

#include <stddef.h>

typedef enum sk_err {
    SK_OK = 0,
    SK_ERR_NOMEM = -1,    /* allocation failed */
    SK_ERR_INVALID = -2,  /* input breaks a rule */
    SK_ERR_RANGE = -3,    /* value outside the supported range */
    SK_ERR_TOOBIG = -4,   /* a bounded buffer or a limit would be exceeded */
    SK_ERR_NOTFOUND = -5, /* no such record */
    SK_ERR_EXISTS = -6,   /* record or file already exists */
    SK_ERR_CONFLICT = -7, /* state conflict (overlap, wrong state) */
    SK_ERR_IO = -8,       /* file or socket I/O failed */
    SK_ERR_STORE = -9,    /* database failure */
    SK_ERR_BUSY = -10,    /* resource busy; may succeed on retry */
    SK_ERR_CRYPTO = -11,  /* encryption, decryption or authentication failed */
    SK_ERR_CONFIG = -12,  /* configuration missing or wrong */
    SK_ERR_PERM = -13,    /* permission: file mode, role or scope */
    SK_ERR_INTERNAL = -14 /* a bug: an invariant does not hold */
} sk_err;

/* Human-readable name of an error ("invalid input"). Never NULL. */
const char *sk_strerror(sk_err err);
/* Stable identifier of an error ("SK_ERR_INVALID"). Never NULL. */
const char *sk_err_name(sk_err err);

/* Stable machine codes carried by API errors. */
typedef enum sk_code {
#define SK_CODE(id, name, err, text) SK_C_##id,
#include "util/codes.def"
#undef SK_CODE
    SK_C__COUNT
} sk_code;

/* "mynumber_check_digit" — the stable string sent to clients. */
const char *sk_code_name(sk_code code);
/* The sk_err class a code belongs to. */
sk_err sk_code_err(sk_code code);
/* One-line description of the code, as in docs/errors.md. */
const char *sk_code_text(sk_code code);

#define SK_DIAG_FIELD_MAX   64
#define SK_DIAG_MESSAGE_MAX 256

/* A precise error: which rule (code), which input field, and a message for a person. */
typedef struct sk_diag {
    sk_err err;
    sk_code code;
    char field[SK_DIAG_FIELD_MAX];
    char message[SK_DIAG_MESSAGE_MAX];
} sk_diag;

void sk_diag_clear(sk_diag *d);
/* Fills d (if not NULL) and returns the code's error class, so callers write
 * `return sk_diag_set(d, SK_C_X, "field", "...");`. Field and message are truncated
 * to their bounds. The message must never contain a My Number. */
sk_err sk_diag_set(sk_diag *d, sk_code code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Prefixes the field path: "dependents[1]" + "birthdate" -> "dependents[1].birthdate". */
void sk_diag_prefix_field(sk_diag *d, const char *prefix);

#endif
