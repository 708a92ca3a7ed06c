/* oqs_refno.c — OQS 照会番号 registration, single (OQSsiimm01, oqs-messages §4.3, §5.4): a clinic
 * gives its own patient number to the person behind a card key; later answers to that clinic
 * carry it as ReferenceNumber (verify.c reads it per institution). */
#include <string.h>

#include "verify/oqs_int.h"

void sk_oqs_register(const sk_oqs_exchange *x, const char *const *v, sk_oqs_error *fe,
                     sk_oqs_error *re)
{
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_verify_refno_register(x->store, x->who, v[1], v[2], v[3], v[4], v[0], x->now_ms, &d)) {
        sk_oqs_code c = sk_oqs_code_for_diag(&d);
        sk_oqs_error_set(sk_oqs_code_level(c) == SK_OQS_FILE ? fe : re, c, d.field, "%s",
                         d.message);
    }
}

sk_oqs_node *sk_oqs_siimm01(sk_arena *a, const sk_oqs_exchange *x, const sk_oqs_node *req,
                            const sk_oqs_error *read_err, sk_oqs_code *file_code)
{
    sk_oqs_request rq;
    memset(&rq, 0, sizeof(rq));
    sk_oqs_error fe = {.code = SK_OQS_OK}, re = {.code = SK_OQS_OK};
    const sk_oqs_node *body = NULL, *info = NULL;
    const char *v[5] = {0};
    if (!req || read_err->code) /* unreadable, or read but not authenticated */
        fe = *read_err;
    else if (sk_oqs_read_header(req, false, &rq, &body, &fe) == SK_OK &&
             sk_oqs_check_institution(x, &rq, &fe) == SK_OK) {
        for (const sk_oqs_node *c = body->child; c && !fe.code; c = c->next)
            if (strcmp(c->name, "ReferenceNumberRegistrationInfo") == 0) {
                if (info)
                    sk_oqs_error_set(&fe, SK_OQS_DUPLICATE, c->name,
                                     "occurs more than once in MessageBody");
                info = c;
            }
        if (!fe.code && (!info || info->text))
            sk_oqs_error_set(&re, SK_OQS_SEARCH_MISSING, "ReferenceNumberRegistrationInfo", "%s",
                             info ? "holds no elements" : "missing from MessageBody");
        for (size_t i = 0; !fe.code && !re.code && i < 5; i++)
            sk_oqs_single_text(info, sk_oqs_refno_elements[i], &v[i], &fe);
    }
    if (!fe.code && !re.code)
        sk_oqs_register(x, v, &fe, &re);
    if (fe.code)
        sk_oqs_peek_header(req, &rq);
    sk_oqs_node *hdr, *out, *root = sk_oqs_result_start(a, x->now_ms, &hdr, &out);
    if (!root)
        return NULL;
    LEAF_IF(hdr, "MedicalInstitutionCode", rq.institution);
    LEAF_IF(hdr, "ArbitraryFileIdentifier", rq.file_id);
    if (!sk_oqs_put_segment(a, hdr, "1", &fe))
        return NULL;
    LEAF(hdr, "CharacterCodeIdentifier", x->cs == SK_OQS_SJIS ? "1" : "0");
    *file_code = fe.code;
    if (fe.code)
        return sk_oqs_put_refusal_body(a, out, &fe) ? root : NULL;
    LEAF(out, "ProcessingResultStatus", re.code ? "2" : "1");
    if (re.code) {
        LEAF(out, "ProcessingResultCode", sk_oqs_code_id(re.code));
        LEAF(out, "ProcessingResultMessage", sk_oqs_error_message(a, &re));
    }
    LEAF_IF(out, "ReferenceNumber", v[0]);
    return root;
}
