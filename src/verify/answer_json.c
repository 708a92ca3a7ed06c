/* answer_json.c — the plain JSON form of an eligibility answer (POST /v1/eligibility;
 * docs/api/openapi.yaml). Dates ISO 8601, absent values null, codes as OQS strings. Written
 * directly into the response buffer (no JSON tree): this is on the path of every look-up. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

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

/* A member name is a literal, written with its quotes and colon as one constant: names are
 * plain ASCII and need no escaping, and this runs some forty times per answer. */
#define KEY(name) "\"" name "\":", sizeof("\"" name "\":") - 1

static void key(w *o, const char *lit, size_t n)
{
    if (o->err)
        return;
    if (!o->first && (o->err = sk_buf_putc(o->b, ',')))
        return;
    o->first = false;
    o->err = sk_buf_append(o->b, lit, n);
}

static void open_obj(w *o, const char *lit, size_t n) /* lit NULL: an array element */
{
    if (lit)
        key(o, lit, n);
    raw(o, "{");
    o->first = true;
}

static void close_obj(w *o)
{
    raw(o, "}");
    o->first = false;
}

/* A string member (NULL or "" → null), written into one reservation: the comma, the name, the
 * escaped value (at most six bytes for each of its bytes) and the quotes. */
static void str(w *o, const char *lit, size_t n, const char *v)
{
    if (o->err)
        return;
    size_t nv = v ? strlen(v) : 0;
    if (nv > SIZE_MAX / 8 || (o->err = sk_buf_reserve(o->b, 1 + n + 6 * nv + 4)))
        return;
    char *p = o->b->data + o->b->len;
    if (!o->first)
        *p++ = ',';
    o->first = false;
    memcpy(p, lit, n);
    p += n;
    if (nv) {
        *p++ = '"';
        p = sk_json_escape(p, v, nv);
        *p++ = '"';
    } else {
        memcpy(p, "null", 4);
        p += 4;
    }
    *p = '\0';
    o->b->len = (size_t)(p - o->b->data);
}

static void date(w *o, const char *lit, size_t n, bool has, sk_date d)
{
    char s[11];
    sk_date_format(d, s);
    str(o, lit, n, has ? s : NULL);
}

static void record(w *o, const sk_verify_record *r)
{
    open_obj(o, NULL, 0);
    str(o, KEY("card_classification"), r->card_class);
    str(o, KEY("insurer_number"), r->insurer.digits);
    str(o, KEY("insurer_name"), r->insurer_name);
    str(o, KEY("symbol"), r->key.symbol);
    str(o, KEY("number"), r->key.number);
    str(o, KEY("branch"), r->key.branch);
    str(o, KEY("personal_family_classification"), r->personal_family);
    str(o, KEY("insured_name"), r->insured_name);
    str(o, KEY("name"), r->name);
    str(o, KEY("name_kana"), r->name_kana);
    str(o, KEY("sex"), r->sex1);
    date(o, KEY("birthdate"), true, r->birthdate);
    str(o, KEY("address"), r->address);
    str(o, KEY("post_number"), r->post_number);
    date(o, KEY("qualification_date"), true, r->qualification_date);
    date(o, KEY("disqualification_date"), r->has_disqualification, r->disqualification_date);
    str(o, KEY("reason_of_loss"), r->reason_of_loss);
    str(o, KEY("contribution_ratio"), r->contribution_ratio);
    key(o, KEY("preschool"));
    raw(o, r->preschool ? "true" : "false");
    if (r->elderly) {
        open_obj(o, KEY("elderly_recipient"));
        date(o, KEY("certificate_date"), true, r->elderly_date);
        date(o, KEY("valid_start_date"), true, r->elderly_start);
        date(o, KEY("valid_end_date"), true, r->elderly_end);
        str(o, KEY("contribution_ratio"), r->elderly_ratio);
        close_obj(o);
    } else {
        str(o, KEY("elderly_recipient"), NULL);
    }
    if (r->limit) {
        open_obj(o, KEY("limit_application"));
        str(o, KEY("classification"), r->limit_class);
        str(o, KEY("classification_flag"), r->limit_flag);
        date(o, KEY("certificate_date"), true, r->limit_date);
        date(o, KEY("valid_start_date"), true, r->limit_start);
        date(o, KEY("valid_end_date"), true, r->limit_end);
        close_obj(o);
    } else {
        str(o, KEY("limit_application"), NULL);
    }
    str(o, KEY("reference_number"), r->reference_number);
    key(o, KEY("specific_diseases"));
    raw(o, "[");
    for (size_t i = 0; i < r->ndisease; i++) {
        if (i)
            raw(o, ",");
        open_obj(o, NULL, 0);
        str(o, KEY("category"), r->disease[i].category);
        date(o, KEY("certificate_date"), true, r->disease[i].certificate_date);
        date(o, KEY("valid_start_date"), true, r->disease[i].start);
        date(o, KEY("valid_end_date"), r->disease[i].has_end, r->disease[i].end);
        key(o, KEY("self_pay"));
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
    open_obj(&o, NULL, 0);
    str(&o, KEY("status"), a->stopped ? "display_stopped" : "ok");
    date(&o, KEY("confirmation_date"), true, a->on);
    if (a->stopped) {
        str(&o, KEY("validity"), NULL);
    } else {
        open_obj(&o, KEY("validity"));
        str(&o, KEY("code"), sk_validity_code(a->validity));
        str(&o, KEY("label"), sk_validity_label(a->validity));
        close_obj(&o);
    }
    key(&o, KEY("records"));
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
