/* answer_json.c — the plain JSON form of an eligibility answer (POST /v1/eligibility;
 * docs/api/openapi.yaml). Dates ISO 8601, absent values null, codes as OQS strings. Written
 * directly into the response buffer (no JSON tree): this is on the path of every look-up. */
#include <inttypes.h>
#include <stdio.h>

#include "verify/verify.h"

typedef struct w {
    sk_buf *b;
    sk_err err;
    bool first; /* no member written yet in the current object */
} w;

static void raw(w *o, const char *s)
{
    if (!o->err)
        o->err = sk_buf_puts(o->b, s);
}

static void key(w *o, const char *k)
{
    if (o->err)
        return;
    if (!o->first)
        o->err = sk_buf_putc(o->b, ',');
    o->first = false;
    if (!o->err)
        o->err = sk_buf_json_string(o->b, k);
    if (!o->err)
        o->err = sk_buf_putc(o->b, ':');
}

static void open_obj(w *o, const char *k)
{
    if (k)
        key(o, k);
    raw(o, "{");
    o->first = true;
}

static void close_obj(w *o)
{
    raw(o, "}");
    o->first = false;
}

static void str(w *o, const char *k, const char *v) /* NULL or "" → null */
{
    key(o, k);
    if (o->err)
        return;
    o->err = v && *v ? sk_buf_json_string(o->b, v) : sk_buf_puts(o->b, "null");
}

static void date(w *o, const char *k, bool has, sk_date d)
{
    char s[11];
    sk_date_format(d, s);
    str(o, k, has ? s : NULL);
}

static void record(w *o, const sk_verify_record *r)
{
    open_obj(o, NULL);
    str(o, "card_classification", r->card_class);
    str(o, "insurer_number", r->insurer.digits);
    str(o, "insurer_name", r->insurer_name);
    str(o, "symbol", r->key.symbol);
    str(o, "number", r->key.number);
    str(o, "branch", r->key.branch);
    str(o, "personal_family_classification", r->personal_family);
    str(o, "insured_name", r->insured_name);
    str(o, "name", r->name);
    str(o, "name_kana", r->name_kana);
    str(o, "sex", r->sex1);
    date(o, "birthdate", true, r->birthdate);
    str(o, "address", r->address);
    str(o, "post_number", r->post_number);
    date(o, "qualification_date", true, r->qualification_date);
    date(o, "disqualification_date", r->has_disqualification, r->disqualification_date);
    str(o, "reason_of_loss", r->reason_of_loss);
    str(o, "contribution_ratio", r->contribution_ratio);
    key(o, "preschool");
    raw(o, r->preschool ? "true" : "false");
    if (r->elderly) {
        open_obj(o, "elderly_recipient");
        date(o, "certificate_date", true, r->elderly_date);
        date(o, "valid_start_date", true, r->elderly_start);
        date(o, "valid_end_date", true, r->elderly_end);
        str(o, "contribution_ratio", r->elderly_ratio);
        close_obj(o);
    } else {
        str(o, "elderly_recipient", NULL);
    }
    if (r->limit) {
        open_obj(o, "limit_application");
        str(o, "classification", r->limit_class);
        str(o, "classification_flag", r->limit_flag);
        date(o, "certificate_date", true, r->limit_date);
        date(o, "valid_start_date", true, r->limit_start);
        date(o, "valid_end_date", true, r->limit_end);
        close_obj(o);
    } else {
        str(o, "limit_application", NULL);
    }
    str(o, "reference_number", r->reference_number);
    key(o, "specific_diseases");
    raw(o, "[");
    for (size_t i = 0; i < r->ndisease; i++) {
        if (i)
            raw(o, ",");
        open_obj(o, NULL);
        str(o, "category", r->disease[i].category);
        date(o, "certificate_date", true, r->disease[i].certificate_date);
        date(o, "valid_start_date", true, r->disease[i].start);
        date(o, "valid_end_date", r->disease[i].has_end, r->disease[i].end);
        key(o, "self_pay");
        if (!o->err)
            o->err = sk_buf_printf(o->b, "%lld", (long long)r->disease[i].self_pay);
        close_obj(o);
    }
    raw(o, "]");
    close_obj(o);
}

sk_err sk_verify_answer_json_write(const sk_verify_answer *a, sk_buf *out)
{
    w o = {.b = out};
    sk_buf_reset(out);
    open_obj(&o, NULL);
    str(&o, "status", a->stopped ? "display_stopped" : "ok");
    date(&o, "confirmation_date", true, a->on);
    if (a->stopped) {
        str(&o, "validity", NULL);
    } else {
        open_obj(&o, "validity");
        str(&o, "code", sk_validity_code(a->validity));
        str(&o, "label", sk_validity_label(a->validity));
        close_obj(&o);
    }
    key(&o, "records");
    raw(&o, "[");
    for (size_t i = 0; i < a->n; i++) {
        if (i)
            raw(&o, ",");
        record(&o, &a->rec[i]);
    }
    raw(&o, "]");
    close_obj(&o);
    raw(&o, "\n");
    return o.err;
}
