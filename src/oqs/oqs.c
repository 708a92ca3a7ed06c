/* oqs.c — the OQS message frame shared by every exchange and by the clinic-side bridge: the
 * code table (codes.def) and its errors, a request's header and search blocks as the spec's
 * tables name them (oqs-messages §4, §5), and a result's frame down to a whole file-level
 * refusal. Pure: what the elements mean for a person is verify's. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/medinst.h"
#include "oqs/oqs.h"

static const struct {
    const char *id, *message, *text;
    sk_oqs_level level;
} codes[] = {
    {"", "", "", SK_OQS_FILE},
#define SK_OQS_CODE(id, code, level, ja, en) {code, ja, en, level},
#include "oqs/codes.def"
#undef SK_OQS_CODE
};

#define ROW(c) codes[(size_t)(c)]

const char *sk_oqs_code_id(sk_oqs_code c)
{
    return c < SK_OQS__COUNT ? ROW(c).id : "SKF099";
}

const char *sk_oqs_code_message(sk_oqs_code c)
{
    return c < SK_OQS__COUNT ? ROW(c).message : "";
}

const char *sk_oqs_code_text(sk_oqs_code c)
{
    return c < SK_OQS__COUNT ? ROW(c).text : "";
}

sk_oqs_level sk_oqs_code_level(sk_oqs_code c)
{
    return c < SK_OQS__COUNT ? ROW(c).level : SK_OQS_FILE;
}

sk_err sk_oqs_error_set(sk_oqs_error *e, sk_oqs_code code, const char *element, const char *fmt,
                        ...)
{
    if (e) {
        e->code = code;
        snprintf(e->element, sizeof(e->element), "%s", element ? element : "");
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
        va_end(ap);
    }
    return code == SK_OQS_TOO_LARGE ? SK_ERR_TOOBIG : SK_ERR_INVALID;
}

/* "<日本語メッセージ>（<element>: <detail>）" */
const char *sk_oqs_error_message(sk_arena *a, const sk_oqs_error *e)
{
    char msg[512];
    if (e->element[0])
        snprintf(msg, sizeof(msg), "%s（%s: %s）", sk_oqs_code_message(e->code), e->element,
                 e->detail);
    else if (e->detail[0])
        snprintf(msg, sizeof(msg), "%s（%s）", sk_oqs_code_message(e->code), e->detail);
    else
        snprintf(msg, sizeof(msg), "%s", sk_oqs_code_message(e->code));
    return sk_arena_strndup(a, msg, strlen(msg));
}

/* ---- a request ---- */

const char *const sk_oqs_search_elements[SK_OQS_N_SEARCH] = {
    "InsurerNumber",       "InsuredCardSymbol", "InsuredIdentificationNumber",
    "InsuredBranchNumber", "Birthdate",         "LimitApplicationCertificateRelatedConsFlg",
    "ArbitraryIdentifier"};

sk_err sk_oqs_read_header(const sk_oqs_node *root, bool need_date, sk_oqs_request *r,
                          const sk_oqs_node **body, sk_oqs_error *e)
{
    const sk_oqs_node *hdr = NULL;
    *body = NULL;
    if (strcmp(root->name, "XmlMsg") != 0) {
        sk_oqs_error_set(e, SK_OQS_STRUCTURE, root->name, "the root element must be XmlMsg");
        return SK_ERR_INVALID;
    }
    for (const sk_oqs_node *c = root->child; c; c = c->next) {
        const sk_oqs_node **slot = strcmp(c->name, "MessageHeader") == 0 ? &hdr
                                   : strcmp(c->name, "MessageBody") == 0 ? body
                                                                         : NULL;
        if (!slot)
            continue;
        if (*slot) {
            sk_oqs_error_set(e, SK_OQS_DUPLICATE, c->name, "occurs more than once in XmlMsg");
            return SK_ERR_INVALID;
        }
        *slot = c;
    }
    if (!hdr || !*body) {
        sk_oqs_error_set(e, SK_OQS_STRUCTURE, hdr ? "MessageBody" : "MessageHeader",
                         "missing from XmlMsg");
        return SK_ERR_INVALID;
    }
    if (sk_oqs_single_text(hdr, "QualificationConfirmationDate", &r->date, e) ||
        sk_oqs_single_text(hdr, "MedicalInstitutionCode", &r->institution, e) ||
        sk_oqs_single_text(hdr, "ArbitraryFileIdentifier", &r->file_id, e))
        return SK_ERR_INVALID;
    if (!r->institution) {
        sk_oqs_error_set(e, SK_OQS_HEADER_MISSING, "MedicalInstitutionCode", "required");
        return SK_ERR_INVALID;
    }
    if (!r->date && need_date) {
        sk_oqs_error_set(e, SK_OQS_HEADER_MISSING, "QualificationConfirmationDate", "required");
        return SK_ERR_INVALID;
    }
    sk_diag d;
    sk_medinst_code mc;
    sk_date on;
    if (sk_medinst_code_parse(r->institution, strlen(r->institution), &mc, "MedicalInstitutionCode",
                              &d) ||
        (r->date && sk_date_parse_compact(r->date, strlen(r->date), &on,
                                          "QualificationConfirmationDate", &d))) {
        sk_oqs_error_set(e, SK_OQS_HEADER_INVALID, d.field, "%s", d.message);
        return SK_ERR_INVALID;
    }
    return SK_OK;
}

sk_err sk_oqs_read_fields(const sk_oqs_node *block, const char *v[SK_OQS_N_SEARCH], sk_oqs_error *e)
{
    for (size_t i = 0; i < SK_OQS_N_SEARCH; i++)
        if (sk_oqs_single_text(block, sk_oqs_search_elements[i], &v[i], e))
            return SK_ERR_INVALID;
    return SK_OK;
}

const char *const sk_oqs_refno_elements[5] = {"ReferenceNumber", "InsurerNumber",
                                              "InsuredCardSymbol", "InsuredIdentificationNumber",
                                              "InsuredBranchNumber"};

/* ---- a result ---- */

sk_oqs_node *sk_oqs_result_start(sk_arena *a, int64_t now_ms, sk_oqs_node **hdr, sk_oqs_node **body)
{
    char now[15];
    sk_timestamp_compact(now_ms, now);
    sk_oqs_node *root = sk_oqs_group(a, NULL, "XmlMsg");
    *hdr = root ? sk_oqs_group(a, root, "MessageHeader") : NULL;
    *body = *hdr ? sk_oqs_group(a, root, "MessageBody") : NULL;
    return *body && sk_oqs_leaf(a, *hdr, "ProcessExecutionTime", now) ? root : NULL;
}

bool sk_oqs_put_segment(sk_arena *a, sk_oqs_node *hdr, const char *segment, const sk_oqs_error *fe)
{
    if (!sk_oqs_leaf(a, hdr, "SegmentOfResult", fe->code ? "9" : segment))
        return false;
    return !fe->code || (sk_oqs_leaf(a, hdr, "ErrorCode", sk_oqs_code_id(fe->code)) &&
                         sk_oqs_leaf(a, hdr, "ErrorMessage", sk_oqs_error_message(a, fe)));
}

bool sk_oqs_put_refusal_body(sk_arena *a, sk_oqs_node *body, const sk_oqs_error *fe)
{
    return sk_oqs_leaf(a, body, "ProcessingResultStatus", "2") &&
           sk_oqs_leaf(a, body, "ProcessingResultCode", sk_oqs_code_id(fe->code)) &&
           sk_oqs_leaf(a, body, "ProcessingResultMessage", sk_oqs_error_message(a, fe));
}

/* The text of the only leaf `name` of hdr, or NULL (absent, empty, a group, repeated). */
static const char *peek_leaf(const sk_oqs_node *hdr, const char *name)
{
    const char *t = NULL;
    sk_oqs_error ignored;
    if (sk_oqs_single_text(hdr, name, &t, &ignored) != SK_OK)
        return NULL;
    return t;
}

void sk_oqs_peek_header(const sk_oqs_node *req, sk_oqs_request *r)
{
    r->date = r->institution = r->file_id = NULL;
    const sk_oqs_node *hdr = NULL;
    if (!req || strcmp(req->name, "XmlMsg") != 0)
        return;
    for (const sk_oqs_node *c = req->child; c; c = c->next)
        if (strcmp(c->name, "MessageHeader") == 0) {
            if (hdr)
                return; /* two headers: neither is the header */
            hdr = c;
        }
    if (!hdr)
        return;
    const char *date = peek_leaf(hdr, "QualificationConfirmationDate");
    const char *inst = peek_leaf(hdr, "MedicalInstitutionCode");
    sk_diag d;
    sk_date on;
    sk_medinst_code mc;
    if (date && sk_date_parse_compact(date, strlen(date), &on, "", &d) == SK_OK)
        r->date = date;
    if (inst && sk_medinst_code_parse(inst, strlen(inst), &mc, "", &d) == SK_OK)
        r->institution = inst;
    r->file_id = peek_leaf(hdr, "ArbitraryFileIdentifier");
}

sk_oqs_node *sk_oqs_error_result(sk_arena *a, const sk_oqs_error *e, sk_oqs_charset cs,
                                 int64_t now_ms)
{
    sk_oqs_node *h, *b, *root = sk_oqs_result_start(a, now_ms, &h, &b);
    if (!root || !sk_oqs_put_segment(a, h, "9", e) ||
        !sk_oqs_leaf(a, h, "CharacterCodeIdentifier", cs == SK_OQS_SJIS ? "1" : "0") ||
        !sk_oqs_put_refusal_body(a, b, e))
        return NULL;
    return root;
}
