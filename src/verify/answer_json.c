/* answer_json.c — the plain JSON form of an eligibility answer (POST /v1/eligibility;
 * docs/api/openapi.yaml). Dates ISO 8601, absent values null, codes as OQS strings. */
#include <jansson.h>

#include "verify/verify.h"

static json_t *date_or_null(bool has, sk_date d)
{
    if (!has)
        return json_null();
    char s[11];
    sk_date_format(d, s);
    return json_string(s);
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *record_json(const sk_verify_record *r)
{
    json_t *elderly = json_null(), *limit = json_null();
    if (r->elderly)
        elderly =
            json_pack("{s:o,s:o,s:o,s:s}", "certificate_date", date_or_null(true, r->elderly_date),
                      "valid_start_date", date_or_null(true, r->elderly_start), "valid_end_date",
                      date_or_null(true, r->elderly_end), "contribution_ratio", r->elderly_ratio);
    if (r->limit)
        limit = json_pack("{s:s,s:s,s:o,s:o,s:o}", "classification", r->limit_class,
                          "classification_flag", r->limit_flag, "certificate_date",
                          date_or_null(true, r->limit_date), "valid_start_date",
                          date_or_null(true, r->limit_start), "valid_end_date",
                          date_or_null(true, r->limit_end));
    json_t *o = json_object();
    json_object_set_new(o, "card_classification", json_string(r->card_class));
    json_object_set_new(o, "insurer_number", json_string(r->insurer.digits));
    json_object_set_new(o, "insurer_name", json_string(r->insurer_name));
    json_object_set_new(o, "symbol", str_or_null(r->key.symbol));
    json_object_set_new(o, "number", json_string(r->key.number));
    json_object_set_new(o, "branch", str_or_null(r->key.branch));
    json_object_set_new(o, "personal_family_classification", str_or_null(r->personal_family));
    json_object_set_new(o, "insured_name", str_or_null(r->insured_name));
    json_object_set_new(o, "name", json_string(r->name));
    json_object_set_new(o, "name_kana", json_string(r->name_kana));
    json_object_set_new(o, "sex", json_string(r->sex1));
    json_object_set_new(o, "birthdate", date_or_null(true, r->birthdate));
    json_object_set_new(o, "address", json_string(r->address));
    json_object_set_new(o, "post_number", str_or_null(r->post_number));
    json_object_set_new(o, "qualification_date", date_or_null(true, r->qualification_date));
    json_object_set_new(o, "disqualification_date",
                        date_or_null(r->has_disqualification, r->disqualification_date));
    json_object_set_new(o, "reason_of_loss", str_or_null(r->reason_of_loss));
    json_object_set_new(o, "contribution_ratio", json_string(r->contribution_ratio));
    json_object_set_new(o, "preschool", json_boolean(r->preschool));
    json_object_set_new(o, "elderly_recipient", elderly);
    json_object_set_new(o, "limit_application", limit);
    json_object_set_new(o, "reference_number", str_or_null(r->reference_number));
    json_t *ds = json_array();
    for (size_t i = 0; i < r->ndisease; i++)
        json_array_append_new(
            ds, json_pack("{s:s,s:o,s:o,s:o,s:I}", "category", r->disease[i].category,
                          "certificate_date", date_or_null(true, r->disease[i].certificate_date),
                          "valid_start_date", date_or_null(true, r->disease[i].start),
                          "valid_end_date", date_or_null(r->disease[i].has_end, r->disease[i].end),
                          "self_pay", (json_int_t)r->disease[i].self_pay));
    json_object_set_new(o, "specific_diseases", ds);
    return o;
}

json_t *sk_verify_answer_json(const sk_verify_answer *a)
{
    json_t *recs = json_array();
    for (size_t i = 0; i < a->n; i++)
        json_array_append_new(recs, record_json(&a->rec[i]));
    json_t *validity = a->stopped ? json_null()
                                  : json_pack("{s:s,s:s}", "code", sk_validity_code(a->validity),
                                              "label", sk_validity_label(a->validity));
    return json_pack("{s:s,s:o,s:o,s:o}", "status", a->stopped ? "display_stopped" : "ok",
                     "confirmation_date", date_or_null(true, a->on), "validity", validity,
                     "records", recs);
}
