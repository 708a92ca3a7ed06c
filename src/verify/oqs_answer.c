/* oqs_answer.c — the OQS 資格確認 exchange (OQSsiquc01, oqs-messages §4.1, §5): a request tree
 * in, a result tree out, whatever the format it came in. The look-up and the content are
 * verify.c's; this file maps elements to fields, errors to the code table (oqs/codes.def) and
 * the answer to elements in table order. Element order in requests is free; an element that
 * occurs once may not occur twice; unknown elements are ignored (clients add their own). */
#include <stdio.h>
#include <string.h>

#include "verify/oqs_int.h"

/* A diagnostic from the query parser or the look-up as a record- or file-level code. */
sk_oqs_code sk_oqs_code_for_diag(const sk_diag *d)
{
    switch (d->code) {
    case SK_C_REQUIRED:
        return SK_OQS_SEARCH_MISSING;
    case SK_C_NOT_FOUND:
        return SK_OQS_NO_MATCH;
    case SK_C_KEY_AMBIGUOUS:
        return SK_OQS_AMBIGUOUS;
    case SK_C_DISPLAY_STOPPED:
        return SK_OQS_DISPLAY_STOPPED;
    case SK_C_DATE_RANGE:
    case SK_C_DATE_ORDER:
        return SK_OQS_SEARCH_DATE;
    case SK_C_FORBIDDEN:
        return SK_OQS_INSTITUTION;
    case SK_C_STORE_BUSY:
    case SK_C_NOMEM:
    case SK_C_DB_MISSING: /* the database cannot be written now (issue 19 B.6) */
    case SK_C_DB_READ_ONLY:
    case SK_C_DISK_FULL:
        return SK_OQS_BUSY;
    case SK_C_STORE:
    case SK_C_INTERNAL:
    case SK_C_IO:
        return SK_OQS_INTERNAL;
    default:
        return SK_OQS_SEARCH_INVALID;
    }
}

static sk_err read_search(const sk_oqs_node *body, sk_oqs_request *r, sk_oqs_error *e)
{
    const sk_oqs_node *s = NULL;
    for (const sk_oqs_node *c = body->child; c; c = c->next) {
        if (strcmp(c->name, "QualificationConfirmSearchInfo") != 0)
            continue;
        if (s) {
            sk_oqs_error_set(e, SK_OQS_DUPLICATE, c->name, "occurs more than once in MessageBody");
            return SK_ERR_INVALID;
        }
        s = c;
    }
    r->search = s;
    if (!s || s->text) {
        sk_oqs_error_set(e, SK_OQS_SEARCH_MISSING, "QualificationConfirmSearchInfo",
                         s ? "holds no elements" : "missing from MessageBody");
        return SK_ERR_INVALID;
    }
    return sk_oqs_read_fields(s, r->v, e);
}

/* ---- the result ---- */

static sk_oqs_node *record_node(sk_arena *a, sk_oqs_node *list, const sk_verify_record *r,
                                const char *arbitrary, bool consent, const char *now)
{
    sk_oqs_node *n = sk_oqs_group(a, list, "ResultOfQualificationConfirmation");
    if (!n)
        return NULL;
    char ins[9];
    sk_insurer_number_oqs(&r->insurer, ins);
    LEAF(n, "InsuredCardClassification", r->card_class);
    LEAF(n, "InsurerNumber", ins);
    LEAF_IF(n, "InsuredCardSymbol", r->key.symbol);
    LEAF(n, "InsuredIdentificationNumber", r->key.number);
    LEAF_IF(n, "InsuredBranchNumber", r->key.branch);
    LEAF_IF(n, "PersonalFamilyClassification", r->personal_family);
    LEAF_IF(n, "InsuredName", r->insured_name);
    LEAF(n, "Name", r->name);
    LEAF(n, "NameKana", r->name_kana);
    LEAF(n, "Sex1", r->sex1);
    DATE(n, "Birthdate", r->birthdate);
    LEAF_IF(n, "Address", r->address);
    LEAF_IF(n, "PostNumber", r->post_number);
    DATE(n, "QualificationDate", r->qualification_date);
    if (r->has_disqualification)
        DATE(n, "DisqualificationDate", r->disqualification_date);
    if (r->has_issuance)
        DATE(n, "InsuredCertificateIssuanceDate", r->issuance_date);
    DATE(n, "InsuredCardValidDate", r->card_valid_from);
    if (r->has_card_expiration)
        DATE(n, "InsuredCardExpirationDate", r->card_expiration);
    if (r->card_ratio) /* only the 後期高齢者医療 card prints a ratio (docs/oqs.md) */
        LEAF(n, "InsuredPartialContributionRatio", r->contribution_ratio);
    if (r->preschool)
        LEAF(n, "PreschoolClassification", "1");
    LEAF_IF(n, "ReasonOfLoss", r->reason_of_loss);
    LEAF_IF(n, "InsurerName", r->insurer_name);
    if (r->elderly) {
        sk_oqs_node *g = sk_oqs_group(a, n, "ElderlyRecipientCertificateInfo");
        if (!g)
            return NULL;
        DATE(g, "ElderlyRecipientCertificateDate", r->elderly_date);
        DATE(g, "ElderlyRecipientValidStartDate", r->elderly_start);
        DATE(g, "ElderlyRecipientValidEndDate", r->elderly_end);
        LEAF(g, "ElderlyRecipientContributionRatio", r->elderly_ratio);
    }
    LEAF(n, "LimitApplicationCertificateRelatedConsFlg", consent ? "1" : "0");
    if (consent)
        LEAF(n, "LimitApplicationCertificateRelatedConsTime", now);
    if (r->limit) {
        sk_oqs_node *g = sk_oqs_group(a, n, "LimitApplicationCertificateRelatedInfo");
        if (!g)
            return NULL;
        LEAF(g, "LimitApplicationCertificateClassification", r->limit_class);
        LEAF(g, "LimitApplicationCertificateClassificationFlag", r->limit_flag);
        DATE(g, "LimitApplicationCertificateDate", r->limit_date);
        DATE(g, "LimitApplicationCertificateValidStartDate", r->limit_start);
        DATE(g, "LimitApplicationCertificateValidEndDate", r->limit_end);
    }
    if (consent)
        LEAF(n, "SpecificDiseasesCertificateRelatedConsFlg", "1");
    if (r->ndisease) {
        sk_oqs_node *certs = sk_oqs_group(a, n, "SpecificDiseasesCertificateList");
        if (!certs)
            return NULL;
        certs->list = true;
        for (size_t i = 0; i < r->ndisease; i++) {
            sk_oqs_node *g = sk_oqs_group(a, certs, "SpecificDiseasesCertificateInfo");
            char yen[24];
            snprintf(yen, sizeof(yen), "%lld", r->disease[i].self_pay);
            if (!g)
                return NULL;
            LEAF(g, "SpecificDiseasesDiseaseCategory", r->disease[i].category);
            DATE(g, "SpecificDiseasesCertificateDate", r->disease[i].certificate_date);
            DATE(g, "SpecificDiseasesValidStartDate", r->disease[i].start);
            if (r->disease[i].has_end)
                DATE(g, "SpecificDiseasesValidEndDate", r->disease[i].end);
            LEAF(g, "SpecificDiseasesSelfPay", yen);
        }
    }
    LEAF_IF(n, "ReferenceNumber", r->reference_number);
    LEAF_IF(n, "ArbitraryIdentifier", arbitrary);
    return n;
}

/* The request's search block, echoed in table order with every element, empty when the request
 * had none (clients read each one without checking). LimitApplicationCertificateRelatedConsFlg
 * is the flag as read — `0` when omitted — and never a value outside OQSCD001: an invalid one
 * is answered as a record-level SKR002 and echoed as `0`, the consent not given. */
static sk_oqs_node *echo_search(sk_arena *a, sk_oqs_node *into, const char *const *v)
{
    sk_oqs_node *g = sk_oqs_group(a, into, "QualificationConfirmSearchInfo");
    if (!g)
        return NULL;
    for (size_t i = 0; i < SK_OQS_N_SEARCH; i++) {
        const char *t = v[i] ? v[i] : "";
        if (i == 5)
            t = strcmp(t, "1") == 0 ? "1" : "0";
        LEAF(g, sk_oqs_search_elements[i], t);
    }
    return g;
}

void sk_oqs_look_up(const sk_oqs_exchange *x, const char *date, const char *const *v,
                    sk_verify_answer *ans, sk_oqs_error *fe, sk_oqs_error *re)
{
    sk_verify_fields f = {.insurer_number = v[0],
                          .symbol = v[1],
                          .number = v[2],
                          .branch = v[3],
                          .birthdate = v[4],
                          .confirmation_date = date,
                          .limit_consent = v[5],
                          .name = {sk_oqs_search_elements[0], sk_oqs_search_elements[1],
                                   sk_oqs_search_elements[2], sk_oqs_search_elements[3],
                                   sk_oqs_search_elements[4], "QualificationConfirmationDate",
                                   sk_oqs_search_elements[5]},
                          .oqs = true};
    sk_verify_query q;
    sk_diag d;
    sk_diag_clear(&d);
    sk_date today = sk_date_from_unix_ms(x->now_ms);
    if (sk_verify_query_parse(&f, today, &q, &d) == SK_OK &&
        sk_verify_lookup(x->store, x->audit, x->who, &q, ans, &d) == SK_OK) {
        if (ans->stopped)
            sk_oqs_error_set(re, SK_OQS_DISPLAY_STOPPED, "", "%s", "");
        return;
    }
    sk_oqs_code c = sk_oqs_code_for_diag(&d);
    sk_oqs_error_set(sk_oqs_code_level(c) == SK_OQS_FILE ? fe : re, c, d.field, "%s", d.message);
}

sk_oqs_node *sk_oqs_write_outcome(sk_arena *a, sk_oqs_node *into, const char *const *v,
                                  bool has_search, const sk_verify_answer *ans,
                                  const sk_oqs_error *re, const char *now, bool bulk)
{
    if (bulk && has_search && !echo_search(a, into, v))
        return NULL;
    if (re->code != SK_OQS_OK) {
        LEAF(into, "ProcessingResultStatus", "2");
        LEAF(into, "ProcessingResultCode", sk_oqs_code_id(re->code));
        LEAF(into, "ProcessingResultMessage", sk_oqs_error_message(a, re));
    } else {
        LEAF(into, "ProcessingResultStatus", "1");
        LEAF(into, "QualificationValidity", sk_validity_code(ans->validity));
        sk_oqs_node *list = into;
        if (ans->n && !bulk) { /* a single result lists records in ResultList */
            if (!(list = sk_oqs_group(a, into, "ResultList")))
                return NULL;
            list->list = true;
        }
        bool consent = v[5] && strcmp(v[5], "1") == 0;
        for (size_t i = 0; i < ans->n; i++)
            if (!record_node(a, list, &ans->rec[i], v[6], consent, now))
                return NULL;
    }
    if (!bulk && has_search && !echo_search(a, into, v))
        return NULL;
    return into;
}

sk_oqs_node *sk_oqs_siquc01(sk_arena *a, const sk_oqs_exchange *x, const sk_oqs_node *req,
                            const sk_oqs_error *read_err, sk_oqs_code *file_code)
{
    sk_oqs_request rq;
    memset(&rq, 0, sizeof(rq));
    sk_oqs_error fe = {.code = SK_OQS_OK}, re = {.code = SK_OQS_OK};
    const sk_oqs_node *body = NULL;
    if (!req || read_err->code) /* unreadable, or read but not authenticated */
        fe = *read_err;
    else if (sk_oqs_read_header(req, true, &rq, &body, &fe) == SK_OK &&
             sk_oqs_check_institution(x, &rq, &fe) == SK_OK)
        read_search(body, &rq, &re);

    static _Thread_local sk_verify_answer ans; /* large: one per thread */
    if (fe.code == SK_OQS_OK && re.code == SK_OQS_OK)
        sk_oqs_look_up(x, rq.date, rq.v, &ans, &fe, &re);

    if (fe.code) /* a refusal echoes what of the header is well formed */
        sk_oqs_peek_header(req, &rq);
    char now[15];
    sk_timestamp_compact(x->now_ms, now);
    sk_oqs_node *hdr, *out, *root = sk_oqs_result_start(a, x->now_ms, &hdr, &out);
    if (!root)
        return NULL;
    LEAF_IF(hdr, "QualificationConfirmationDate", rq.date);
    LEAF_IF(hdr, "MedicalInstitutionCode", rq.institution);
    LEAF_IF(hdr, "ArbitraryFileIdentifier", rq.file_id);
    LEAF(hdr, "ReferenceClassification", "2");
    bool file_error = fe.code != SK_OQS_OK;
    if (!sk_oqs_put_segment(a, hdr, "1", &fe))
        return NULL;
    LEAF(hdr, "CharacterCodeIdentifier", x->cs == SK_OQS_SJIS ? "1" : "0");
    *file_code = fe.code;
    if (file_error) /* nothing per record: the refusal again, where clients look */
        return sk_oqs_put_refusal_body(a, out, &fe) ? root : NULL;
    return sk_oqs_write_outcome(a, out, rq.v, rq.search != NULL, &ans, &re, now, false) ? root
                                                                                        : NULL;
}

sk_err sk_oqs_check_institution(const sk_oqs_exchange *x, const sk_oqs_request *rq,
                                sk_oqs_error *fe)
{
    if (x->who->role == SK_ROLE_INSTITUTION && strcmp(rq->institution, x->who->scope) == 0)
        return SK_OK;
    return sk_oqs_error_set(fe, SK_OQS_INSTITUTION, "MedicalInstitutionCode",
                            "not the institution this request is authenticated as");
}
