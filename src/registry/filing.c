/* filing.c — 届出 schemas, checks and processing into qualifications (see filing.h).
 * Input checks that need no data run on the caller's thread before the store job; the job
 * (one savepoint in a group commit) does the checks against the registry and the writes. */
#include "registry/filing.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/date.h"
#include "core/insurer.h"
#include "core/mynumber.h"
#include "core/person.h"
#include "core/qualification.h"
#include "registry/numbering.h"
#include "registry/registry_int.h"

/* ---- kinds and their schemas ---- */

static const char *const kind_names[] = {
    [SK_FILING_ACQUISITION] = "acquisition",
    [SK_FILING_DEPENDENT_ADD] = "dependent_add",
    [SK_FILING_DEPENDENT_REMOVE] = "dependent_remove",
    [SK_FILING_LOSS] = "loss",
    [SK_FILING_MYNUMBER_REGISTER] = "mynumber_register",
    [SK_FILING_MYNUMBER_CHANGE] = "mynumber_change",
    [SK_FILING_NAME_CHANGE] = "name_change",
    [SK_FILING_ADDRESS_CHANGE] = "address_change",
};
#define NKINDS ((int)(sizeof(kind_names) / sizeof(kind_names[0])))

const char *sk_filing_kind_name(sk_filing_kind k)
{
    return (int)k > 0 && (int)k < NKINDS ? kind_names[k] : "unknown";
}

sk_err sk_filing_kind_parse(const char *s, sk_filing_kind *out, sk_diag *d)
{
    if (!s || !*s)
        return sk_diag_set(d, SK_C_REQUIRED, "kind", "kind is required");
    for (int k = 1; k < NKINDS; k++)
        if (strcmp(s, kind_names[k]) == 0) {
            *out = (sk_filing_kind)k;
            return SK_OK;
        }
    return sk_diag_set(d, SK_C_UNKNOWN_KIND, "kind", "unknown kind of 届出");
}

typedef enum field_id {
    F_INSURER,
    F_MYNUMBER,
    F_NAME,
    F_KANA,
    F_BIRTHDATE,
    F_SEX,
    F_ADDRESS,
    F_POSTCODE,
    F_ACQUIRED_ON,
    F_EVENT_DATE,
    F_CERTIFICATE,
    F_DISABILITY,
    F_SUCCESSOR,
    F_REASON,
    F_PERSON,
    F_INSURED,
    F_RELATION,
    F__COUNT
} field_id;

static const char *const field_names[F__COUNT] = {
    [F_INSURER] = "insurer",
    [F_MYNUMBER] = "mynumber",
    [F_NAME] = "name",
    [F_KANA] = "kana",
    [F_BIRTHDATE] = "birthdate",
    [F_SEX] = "sex",
    [F_ADDRESS] = "address",
    [F_POSTCODE] = "postcode",
    [F_ACQUIRED_ON] = "acquired_on",
    [F_EVENT_DATE] = "event_date",
    [F_CERTIFICATE] = "certificate",
    [F_DISABILITY] = "disability",
    [F_SUCCESSOR] = "successor",
    [F_REASON] = "reason",
    [F_PERSON] = "person",
    [F_INSURED] = "insured",
    [F_RELATION] = "relation",
};

#define B(f)     (1u << (f))
#define PERSON_5 (B(F_NAME) | B(F_KANA) | B(F_BIRTHDATE) | B(F_SEX) | B(F_ADDRESS))

static const struct schema {
    unsigned allowed, required;
} schemas[] = {
    [SK_FILING_ACQUISITION] = {B(F_INSURER) | PERSON_5 | B(F_MYNUMBER) | B(F_POSTCODE) |
                                   B(F_ACQUIRED_ON) | B(F_CERTIFICATE),
                               PERSON_5 | B(F_ACQUIRED_ON)},
    [SK_FILING_DEPENDENT_ADD] = {B(F_INSURER) | PERSON_5 | B(F_MYNUMBER) | B(F_POSTCODE) |
                                     B(F_ACQUIRED_ON) | B(F_CERTIFICATE) | B(F_INSURED) |
                                     B(F_DISABILITY) | B(F_RELATION),
                                 PERSON_5 | B(F_ACQUIRED_ON) | B(F_INSURED)},
    [SK_FILING_DEPENDENT_REMOVE] = {B(F_INSURER) | B(F_INSURED) | B(F_PERSON) | B(F_REASON) |
                                        B(F_EVENT_DATE) | B(F_SUCCESSOR),
                                    B(F_INSURED) | B(F_PERSON) | B(F_REASON)},
    [SK_FILING_LOSS] = {B(F_INSURER) | B(F_PERSON) | B(F_REASON) | B(F_EVENT_DATE) | B(F_SUCCESSOR),
                        B(F_PERSON) | B(F_REASON)},
    [SK_FILING_MYNUMBER_REGISTER] = {B(F_INSURER) | B(F_PERSON) | B(F_MYNUMBER),
                                     B(F_PERSON) | B(F_MYNUMBER)},
    [SK_FILING_MYNUMBER_CHANGE] = {B(F_INSURER) | B(F_PERSON) | B(F_MYNUMBER),
                                   B(F_PERSON) | B(F_MYNUMBER)},
    [SK_FILING_NAME_CHANGE] = {B(F_INSURER) | B(F_PERSON) | B(F_NAME) | B(F_KANA) | B(F_EVENT_DATE),
                               B(F_PERSON) | B(F_NAME)},
    [SK_FILING_ADDRESS_CHANGE] = {B(F_INSURER) | B(F_PERSON) | B(F_ADDRESS) | B(F_POSTCODE) |
                                      B(F_EVENT_DATE),
                                  B(F_PERSON) | B(F_ADDRESS)},
};

static const struct {
    const char *name;
    sk_loss_event event;
} loss_reasons[] = {
    {"retirement", SK_LOSS_RETIREMENT}, {"death", SK_LOSS_DEATH},
    {"age_75", SK_LOSS_AGE_75},         {"other_insurance", SK_LOSS_OTHER_INSURANCE},
    {"welfare", SK_LOSS_WELFARE},       {"moved_out", SK_LOSS_MOVED_OUT},
    {"other", SK_LOSS_OTHER},
};

/* ---- a parsed 届出 ---- */
typedef struct parsed {
    sk_filing_kind kind;
    unsigned present;
    char insurer[9];
    sk_mynumber mn;
    sk_person_info info; /* 5情報 */
    char postcode[9];
    sk_date acquired_on, event_date;
    bool certificate, disability, successor;
    sk_loss_event reason;
    char person[SK_PID_LEN + 1], insured[SK_PID_LEN + 1];
    char relation[64];
    char *payload; /* canonical JSON without the My Number (arena) */
} parsed;

#define HAS(p, f) (((p)->present & B(f)) != 0)

static sk_err parse_bool(const char *v, bool *out, const char *field, sk_diag *d)
{
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0 || strcmp(v, "要") == 0) {
        *out = true;
        return SK_OK;
    }
    if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0 || strcmp(v, "不要") == 0 || !*v) {
        *out = false;
        return SK_OK;
    }
    return sk_diag_set(d, SK_C_FIELD_TYPE, field, "expected true or false (or 要/不要, 1/0)");
}

static sk_err parse_pid(const char *v, char out[SK_PID_LEN + 1], const char *field, sk_diag *d)
{
    size_t n = strlen(v);
    if (n != SK_PID_LEN || strspn(v, "0123456789abcdef") != n)
        return sk_diag_set(d, SK_C_UNKNOWN_PERSON, field,
                           "not a person id (32 lower-case hex digits from an earlier answer)");
    memcpy(out, v, n + 1);
    return SK_OK;
}

static sk_err copy_text(char *dst, size_t cap, const char *v, const char *field, sk_diag *d)
{
    size_t n = strlen(v);
    sk_err err = sk_text_check(v, n, cap - 1, field, d);
    if (!err)
        memcpy(dst, v, n + 1);
    return err;
}

static sk_err parse_field(parsed *p, field_id f, const char *v, sk_diag *d)
{
    const char *name = field_names[f];
    size_t n = strlen(v);
    switch (f) {
    case F_INSURER: {
        sk_insurer_number num;
        sk_err err = sk_insurer_number_parse(v, n, &num, name, d);
        if (!err)
            memcpy(p->insurer, num.digits, sizeof(p->insurer));
        return err;
    }
    case F_MYNUMBER:
        return sk_mynumber_parse(v, n, &p->mn, name, d);
    case F_NAME:
        return copy_text(p->info.name, sizeof(p->info.name), v, name, d);
    case F_KANA: {
        sk_err err = sk_kana_check(v, n, name, d);
        return err ? err : copy_text(p->info.kana, sizeof(p->info.kana), v, name, d);
    }
    case F_BIRTHDATE:
        return sk_date_parse(v, n, &p->info.birthdate, name, d);
    case F_SEX:
        return sk_sex_parse(v, n, &p->info.sex, name, d);
    case F_ADDRESS:
        return copy_text(p->info.address, sizeof(p->info.address), v, name, d);
    case F_POSTCODE:
        return sk_postcode_parse(v, n, p->postcode, name, d);
    case F_ACQUIRED_ON:
        return sk_date_parse(v, n, &p->acquired_on, name, d);
    case F_EVENT_DATE:
        return sk_date_parse(v, n, &p->event_date, name, d);
    case F_CERTIFICATE:
        return parse_bool(v, &p->certificate, name, d);
    case F_DISABILITY:
        return parse_bool(v, &p->disability, name, d);
    case F_SUCCESSOR:
        return parse_bool(v, &p->successor, name, d);
    case F_REASON:
        for (size_t i = 0; i < sizeof(loss_reasons) / sizeof(loss_reasons[0]); i++)
            if (strcmp(v, loss_reasons[i].name) == 0) {
                p->reason = loss_reasons[i].event;
                return SK_OK;
            }
        return sk_diag_set(d, SK_C_LOSS_REASON, name,
                           "reason is not retirement, death, age_75, other_insurance, welfare, "
                           "moved_out or other");
    case F_PERSON:
        return parse_pid(v, p->person, name, d);
    case F_INSURED:
        return parse_pid(v, p->insured, name, d);
    case F_RELATION:
        return copy_text(p->relation, sizeof(p->relation), v, name, d);
    case F__COUNT:
        break;
    }
    return sk_diag_set(d, SK_C_INTERNAL, name, "unhandled field");
}

/* The flags take true/false (a JSON boolean, or the text of a CSV cell); every other field
 * takes text only. */
static bool is_flag(field_id f)
{
    return f == F_CERTIFICATE || f == F_DISABILITY || f == F_SUCCESSOR;
}

static const char *type_name(sk_field_type t)
{
    switch (t) {
    case SK_FIELD_TEXT:
        return "a string";
    case SK_FIELD_BOOL:
        return "a boolean";
    case SK_FIELD_NUMBER:
        return "a number";
    case SK_FIELD_COMPOUND:
        break;
    }
    return "an object or an array";
}

/* An idempotency key: 1-127 printable ASCII characters (it is echoed in answers and logs). */
static sk_err check_idem_key(const char *k, sk_diag *d)
{
    size_t n = strlen(k);
    if (n > 127)
        return sk_diag_set(d, SK_C_TOO_LONG, "idempotency_key",
                           "the idempotency key is longer than 127 bytes");
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)k[i] < 0x20 || (unsigned char)k[i] > 0x7E)
            return sk_diag_set(d, SK_C_BAD_CHAR, "idempotency_key",
                               "the idempotency key may hold only printable ASCII characters");
    return SK_OK;
}

/* Checks a 届出 against its kind's schema and the core rules that need no data, on `today`
 * with the 事前提出 horizon prefile_days. */
static sk_err parse(int prefile_days, const sk_filing *in, sk_date today, sk_arena *a, parsed *p,
                    sk_diag *d)
{
    memset(p, 0, sizeof(*p));
    const char *kind = NULL;
    for (size_t i = 0; i < in->nfields; i++)
        if (strcmp(in->fields[i].name, "kind") == 0) {
            if (in->types && in->types[i] != SK_FIELD_TEXT)
                return sk_diag_set(d, SK_C_FIELD_TYPE, "kind", "kind must be a string, not %s",
                                   type_name(in->types[i]));
            kind = in->fields[i].value;
        }
    sk_err err = sk_filing_kind_parse(kind, &p->kind, d);
    if (err)
        return err;
    const struct schema *sc = &schemas[p->kind];
    if (in->idem_key && (err = check_idem_key(in->idem_key, d)))
        return err;
    json_t *payload = json_object();
    if (!payload)
        return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    for (size_t i = 0; i < in->nfields && !err; i++) {
        const sk_field *fl = &in->fields[i];
        if (strcmp(fl->name, "kind") == 0)
            continue;
        int f = 0;
        while (f < F__COUNT && strcmp(field_names[f], fl->name) != 0)
            f++;
        if (f == F__COUNT || !(sc->allowed & B(f))) {
            err = sk_diag_set(d, SK_C_UNKNOWN_FIELD, fl->name, "%s is not a field of %s",
                              f == F__COUNT ? "this" : fl->name, kind);
            break;
        }
        if (p->present & B(f)) {
            err = sk_diag_set(d, SK_C_UNKNOWN_FIELD, fl->name, "the field is given twice");
            break;
        }
        sk_field_type ty = in->types ? in->types[i] : SK_FIELD_TEXT;
        if (ty != SK_FIELD_TEXT && !(is_flag((field_id)f) && ty == SK_FIELD_BOOL)) {
            err = sk_diag_set(d, SK_C_FIELD_TYPE, fl->name, "%s must be %s, not %s", fl->name,
                              is_flag((field_id)f) ? "true or false" : "a string", type_name(ty));
            break;
        }
        /* an empty optional value means "not given" (CSV cells, blank form fields); an empty
         * required one is missing, whatever the field */
        if (!*fl->value && !(sc->required & B(f)))
            continue;
        if (!*fl->value) {
            err = sk_diag_set(d, SK_C_REQUIRED, fl->name, "%s is required for %s", fl->name, kind);
            break;
        }
        if ((err = parse_field(p, (field_id)f, fl->value, d)))
            break;
        p->present |= B(f);
        /* the stored payload never holds the number itself */
        json_object_set_new(payload, fl->name,
                            json_string(f == F_MYNUMBER ? "provided" : fl->value));
    }
    for (int f = 0; !err && f < F__COUNT; f++)
        if ((sc->required & B(f)) && !(p->present & B(f)))
            err = sk_diag_set(d, SK_C_REQUIRED, field_names[f], "%s is required for %s",
                              field_names[f], kind);
    if (!err && (p->kind == SK_FILING_LOSS || p->kind == SK_FILING_DEPENDENT_REMOVE) &&
        p->reason != SK_LOSS_AGE_75 && !HAS(p, F_EVENT_DATE))
        err = sk_diag_set(d, SK_C_REQUIRED, "event_date",
                          "event_date (the last day worked, the day of death …) is required");
    if (!err) {
        sk_filing_dates fd = {.has_birthdate = HAS(p, F_BIRTHDATE),
                              .has_acquired_on = HAS(p, F_ACQUIRED_ON),
                              .has_event_date = HAS(p, F_EVENT_DATE),
                              .birthdate = p->info.birthdate,
                              .acquired_on = p->acquired_on,
                              .event_date = p->event_date};
        err = sk_filing_dates_check(&fd, today, prefile_days, d);
    }
    if (!err) {
        json_object_set_new(payload, "kind", json_string(kind));
        char *text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
        p->payload = text ? sk_arena_strndup(a, text, strlen(text)) : NULL;
        free(text);
        if (!p->payload)
            err = sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    }
    json_decref(payload);
    return err;
}

/* ---- the store job ---- */

typedef struct job {
    const sk_registry *reg;
    const sk_principal *who;
    const parsed *p;
    const char *idem_key;
    int64_t now_ms;
    sk_arena *a;
    char submitter[64];
    char actor[64];
    sk_notification_view *out;
} job;

static void submitter_of(const sk_principal *who, char *out, size_t n)
{
    snprintf(out, n, "%.11s:%.50s", sk_role_name(who->role), who->scope);
}

static void actor_of(const sk_principal *who, char *out, size_t n)
{
    if (who->id)
        snprintf(out, n, "principal:%" PRId64, who->id);
    else
        snprintf(out, n, "%.60s", who->label[0] ? who->label : "cli");
}

static sk_err forbidden(sk_diag *d, const char *field, const char *why)
{
    return sk_diag_set(d, SK_C_FORBIDDEN, field, "%s", why);
}

/* The insurer the 届出 goes to, and the filing employer (id 0 for an insurer). */
static sk_err resolve_insurer(sk_tx *tx, const job *j, sk_insurer_rec *ins, sk_employer_rec *emp,
                              sk_diag *d)
{
    const parsed *p = j->p;
    const char *number;
    memset(emp, 0, sizeof(*emp));
    if (j->who->role == SK_ROLE_EMPLOYER) {
        char *end = NULL;
        long long id = strtoll(j->who->scope, &end, 10);
        if (sk_store_employer_get(tx, id, emp, d))
            return forbidden(d, "", "the token's employer is not in the registry");
        number = emp->insurer_number;
    } else if (j->who->role == SK_ROLE_INSURER) {
        number = j->who->scope;
    } else {
        return forbidden(d, "", "only an employer or an insurer files 届出");
    }
    if (HAS(p, F_INSURER) && strcmp(p->insurer, number) != 0)
        return forbidden(d, "insurer",
                         "the insurer is not the one this token files with (a foreign insurer)");
    if (sk_store_insurer_get(tx, number, ins, d))
        return forbidden(d, "insurer", "the token's insurer is not in the registry");
    return SK_OK;
}

typedef struct qual_scan {
    const char *insurer;
    int64_t employer_id; /* 0 = any */
    sk_date on;
    bool want_open_insured;    /* the open 本人 qualification */
    bool want_overlap;         /* anything valid on or after `on` */
    int64_t insured_person_id; /* with want_dependent */
    bool want_dependent;       /* the open dependent qualification under insured_person_id */
    bool found;
    sk_qualification_rec q;
} qual_scan;

static bool valid_on(const sk_qualification_rec *q, sk_date on)
{
    return sk_period_covers(q->acquired_on, q->has_lost, q->lost_on, on);
}

static sk_err scan_cb(void *ctx, const sk_qualification_rec *q)
{
    qual_scan *sc = ctx;
    if (strcmp(q->insurer_number, sc->insurer) != 0)
        return SK_OK;
    if (sc->employer_id && q->employer_id != sc->employer_id)
        return SK_OK;
    bool hit = false;
    if (sc->want_overlap) /* the new period is [on, ∞) */
        hit = sk_period_open_on(q->has_lost, q->lost_on, sc->on);
    else if (sc->want_open_insured)
        hit = q->relationship == SK_REL_INSURED && !q->has_lost;
    else if (sc->want_dependent)
        hit = q->relationship == SK_REL_DEPENDENT &&
              q->insured_person_id == sc->insured_person_id && !q->has_lost;
    else /* any qualification in scope: the person is a member */
        hit = true;
    if (hit) {
        sc->found = true;
        sc->q = *q; /* the latest one wins (the list is oldest first) */
    }
    return SK_OK;
}

/* A person by id given in the 届出, visible to the filer (a member of the insurer; for an
 * employer, filed by it). */
static sk_err person_in_scope(sk_tx *tx, const sk_insurer_rec *ins, const sk_employer_rec *emp,
                              const char *pid, const char *field, sk_person_rec *out, sk_diag *d)
{
    if (sk_store_person_get_by_pid(tx, pid, false, out, d) == SK_OK) {
        qual_scan sc = {.insurer = ins->number, .employer_id = emp->id};
        if (sk_store_qualification_list_by_person(tx, out->id, scan_cb, &sc, d))
            return sk_tx_error(tx);
        if (sc.found)
            return SK_OK;
    }
    if (sk_tx_error(tx))
        return sk_tx_error(tx);
    return sk_diag_set(d, SK_C_UNKNOWN_PERSON, field, "no such person among this %s's members",
                       emp->id ? "employer" : "insurer");
}

/* Finds the person a filing with My Number names, or records a new one; updates the 5情報
 * of a known person from the filing (the newest word on them). */
static sk_err upsert_person(sk_tx *tx, const job *j, sk_person_rec *per, sk_diag *d)
{
    const parsed *p = j->p;
    bool known = false;
    if (HAS(p, F_MYNUMBER)) {
        sk_err err = sk_store_person_find_by_mynumber(tx, &p->mn, per, d);
        if (err && err != SK_ERR_NOTFOUND)
            return err;
        known = err == SK_OK;
    }
    if (!known)
        memset(per, 0, sizeof(*per));
    per->info = p->info;
    memcpy(per->postcode, p->postcode, sizeof(per->postcode));
    per->updated_ms = j->now_ms;
    if (known)
        return sk_store_person_update(tx, per, d);
    per->created_ms = j->now_ms;
    per->has_mynumber = HAS(p, F_MYNUMBER);
    if (per->has_mynumber)
        per->mynumber = p->mn;
    sk_err err = sk_store_person_add(tx, per, d);
    sk_mynumber_wipe(&per->mynumber);
    return err;
}

static sk_err check_overlap(sk_tx *tx, const sk_insurer_rec *ins, int64_t person_id, sk_date from,
                            sk_diag *d)
{
    qual_scan sc = {.insurer = ins->number, .on = from, .want_overlap = true};
    if (sk_store_qualification_list_by_person(tx, person_id, scan_cb, &sc, d))
        return sk_tx_error(tx);
    if (sc.found) {
        char a[11];
        sk_date_format(sc.q.acquired_on, a);
        return sk_diag_set(d, SK_C_OVERLAP, "acquired_on",
                           "the person already has a qualification at this insurer from %s that "
                           "is still valid on that date",
                           a);
    }
    return SK_OK;
}

typedef struct branch_scan {
    int64_t person_id;
    sk_branch_alloc alloc;
} branch_scan;

static sk_err branch_cb(void *ctx, const sk_qualification_rec *q)
{
    branch_scan *b = ctx;
    sk_branch_seen(&b->alloc, q->key.branch, q->person_id == b->person_id);
    return SK_OK;
}

/* Stores the new qualification in j->out->q for person per: registered now when the person
 * has a My Number, else waiting for one (pending_my_number). */
static sk_err record_qualification(sk_tx *tx, job *j, const sk_person_rec *per, sk_diag *d)
{
    sk_notification_view *v = j->out;
    sk_qualification_rec *q = &v->q;
    q->registered_ms = per->has_mynumber ? j->now_ms : 0;
    q->created_ms = q->updated_ms = j->now_ms;
    sk_store_qualification_add(tx, q, d);
    v->has_qual = true;
    memcpy(v->person_pid, per->pid, sizeof(v->person_pid));
    v->n.person_id = per->id;
    v->n.event_date = j->p->acquired_on;
    v->n.has_event_date = true;
    v->n.state = per->has_mynumber ? SK_STATE_REGISTERED : SK_STATE_PENDING_MYNUMBER;
    return sk_tx_error(tx);
}

static sk_err do_acquisition(sk_tx *tx, job *j, const sk_insurer_rec *ins,
                             const sk_employer_rec *emp, sk_diag *d)
{
    const parsed *p = j->p;
    sk_notification_view *v = j->out;
    sk_person_rec per;
    sk_err err;
    if ((err = upsert_person(tx, j, &per, d)) ||
        (per.id && (err = check_overlap(tx, ins, per.id, p->acquired_on, d))))
        return err;
    sk_qualification_rec *q = &v->q;
    memset(q, 0, sizeof(*q));
    memcpy(q->insurer_number, ins->number, sizeof(q->insurer_number));
    int64_t seq = 0;
    if ((err = sk_numbering_symbol(ins->numbering_rule, emp->office_code, q->key.symbol, d)))
        return err;
    if (sk_store_counter_next(tx, ins->number, q->key.symbol, &seq, d))
        return sk_tx_error(tx);
    if ((err = sk_numbering_number(ins->numbering_rule, emp->office_code, seq, q->key.number, d)))
        return err;
    memcpy(q->key.branch, SK_BRANCH_INSURED, 3);
    q->person_id = per.id;
    q->relationship = SK_REL_INSURED;
    q->insured_person_id = per.id;
    memcpy(q->card_class, "01", 3);
    q->acquired_on = p->acquired_on;
    q->ratio_class = SK_INCOME_GENERAL;
    q->employer_id = emp->id;
    return record_qualification(tx, j, &per, d);
}

static sk_err do_dependent_add(sk_tx *tx, job *j, const sk_insurer_rec *ins,
                               const sk_employer_rec *emp, sk_diag *d)
{
    const parsed *p = j->p;
    sk_notification_view *v = j->out;
    sk_person_rec insured, per;
    sk_err err;
    /* the 被保険者 must be qualified (as 本人) at this insurer on the dependent's first day */
    qual_scan sc = {.insurer = ins->number, .employer_id = emp->id, .want_open_insured = true};
    if (sk_store_person_get_by_pid(tx, p->insured, false, &insured, d) == SK_OK)
        sk_store_qualification_list_by_person(tx, insured.id, scan_cb, &sc, d);
    if (sk_tx_error(tx))
        return sk_tx_error(tx);
    if (!sc.found || !valid_on(&sc.q, p->acquired_on))
        return sk_diag_set(d, SK_C_NO_INSURED, "insured",
                           "no insured person (被保険者) qualified at this insurer on acquired_on "
                           "with that id");
    /* 健保法3条7項: 後期高齢者医療の被保険者 (75+, or 65-74 with 障害認定) cannot be a dependent */
    if (!sk_dependent_age_ok(p->info.birthdate, p->acquired_on, p->disability))
        return sk_diag_set(d, SK_C_DEPENDENT_AGE, "birthdate",
                           "the person is in 後期高齢者医療 on acquired_on and cannot be a "
                           "dependent");
    if ((err = upsert_person(tx, j, &per, d)))
        return err;
    if (per.id == insured.id)
        return sk_diag_set(d, SK_C_OVERLAP, "mynumber",
                           "the dependent's My Number is the insured person's own");
    if ((err = check_overlap(tx, ins, per.id, p->acquired_on, d)))
        return err;
    /* 枝番 (core/cardkey.h): the person's own under the 記号・番号, else the next free one */
    branch_scan b = {.person_id = per.id};
    sk_branch_alloc_init(&b.alloc);
    if (sk_store_qualification_find_by_key(tx, ins->number, sc.q.key.symbol, sc.q.key.number, NULL,
                                           branch_cb, &b, d))
        return sk_tx_error(tx);
    sk_qualification_rec *q = &v->q;
    *q = sc.q;
    q->id = 0;
    if ((err = sk_branch_next(&b.alloc, q->key.branch, "insured", d)))
        return err;
    q->person_id = per.id;
    q->relationship = SK_REL_DEPENDENT;
    q->insured_person_id = insured.id;
    q->acquired_on = p->acquired_on;
    q->has_lost = false;
    q->loss_reason[0] = '\0';
    q->display_stopped = false;
    return record_qualification(tx, j, &per, d);
}

/* Computes the loss date with the core rules and closes q. */
static sk_err close_qualification(sk_tx *tx, job *j, const sk_insurer_rec *ins,
                                  const sk_person_rec *per, sk_qualification_rec *q, sk_diag *d)
{
    const parsed *p = j->p;
    sk_loss_input li = {.kind = ins->kind,
                        .event = p->reason,
                        .event_date = p->event_date,
                        .birthdate = per->info.birthdate,
                        .same_day_successor = p->successor};
    sk_date lost;
    char reason[3];
    sk_err err = sk_loss_date(&li, &lost, reason, d);
    if (err)
        return err;
    if (sk_date_cmp(lost, q->acquired_on) < 0) {
        char a[11];
        sk_date_format(q->acquired_on, a);
        return sk_diag_set(d, SK_C_DATE_ORDER, "event_date",
                           "the loss date would be before the acquisition on %s", a);
    }
    q->has_lost = true;
    q->lost_on = lost;
    memcpy(q->loss_reason, reason, sizeof(q->loss_reason));
    q->updated_ms = j->now_ms;
    sk_store_qualification_update(tx, q, d);
    j->out->n.event_date = HAS(p, F_EVENT_DATE) ? p->event_date : lost;
    j->out->n.has_event_date = true;
    return sk_tx_error(tx);
}

typedef struct cascade {
    sk_tx *tx;
    int64_t insured_id;
    sk_date lost;
    int64_t now_ms;
    sk_diag *d;
} cascade;

/* Dependents lose with the insured person (workflows W6.3), on the same day — or on their
 * own first day if that is later (filed ahead, never valid). */
static sk_err cascade_cb(void *ctx, const sk_qualification_rec *q)
{
    cascade *c = ctx;
    if (q->relationship != SK_REL_DEPENDENT || q->insured_person_id != c->insured_id ||
        (q->has_lost && sk_date_cmp(q->lost_on, c->lost) <= 0))
        return SK_OK;
    sk_qualification_rec u = *q;
    u.has_lost = true;
    u.lost_on = sk_date_cmp(c->lost, q->acquired_on) < 0 ? q->acquired_on : c->lost;
    memcpy(u.loss_reason, "99", 3);
    u.updated_ms = c->now_ms;
    return sk_store_qualification_update(c->tx, &u, c->d);
}

static sk_err do_loss(sk_tx *tx, job *j, const sk_insurer_rec *ins, const sk_employer_rec *emp,
                      sk_diag *d)
{
    const parsed *p = j->p;
    sk_notification_view *v = j->out;
    sk_person_rec per;
    sk_err err;
    bool dependent = p->kind == SK_FILING_DEPENDENT_REMOVE;
    sk_person_rec insured;
    if (dependent && (err = person_in_scope(tx, ins, emp, p->insured, "insured", &insured, d)))
        return err;
    if ((err = person_in_scope(tx, ins, emp, p->person, "person", &per, d)))
        return err;
    qual_scan sc = {.insurer = ins->number,
                    .employer_id = emp->id,
                    .want_open_insured = !dependent,
                    .want_dependent = dependent,
                    .insured_person_id = dependent ? insured.id : 0};
    if (sk_store_qualification_list_by_person(tx, per.id, scan_cb, &sc, d))
        return sk_tx_error(tx);
    if (!sc.found)
        return sk_diag_set(d, SK_C_ALREADY_LOST, "person",
                           dependent ? "the person is not a current dependent of that insured "
                                       "person here"
                                     : "the person has no current qualification as 被保険者 here");
    v->q = sc.q;
    if ((err = close_qualification(tx, j, ins, &per, &v->q, d)))
        return err;
    if (!dependent) {
        cascade c = {tx, per.id, v->q.lost_on, j->now_ms, d};
        if (sk_store_qualification_find_by_key(tx, ins->number, v->q.key.symbol, v->q.key.number,
                                               NULL, cascade_cb, &c, d))
            return sk_tx_error(tx);
    }
    v->has_qual = true;
    memcpy(v->person_pid, per.pid, sizeof(v->person_pid));
    v->n.person_id = per.id;
    v->n.state = SK_STATE_REGISTERED;
    return sk_tx_error(tx);
}

typedef struct pending {
    sk_tx *tx;
    int64_t now_ms;
    sk_diag *d;
} pending;

static sk_err register_cb(void *ctx, const sk_qualification_rec *q)
{
    pending *pd = ctx;
    if (q->registered_ms)
        return SK_OK;
    sk_qualification_rec u = *q;
    u.registered_ms = u.updated_ms = pd->now_ms;
    return sk_store_qualification_update(pd->tx, &u, pd->d);
}

static sk_err complete_cb(void *ctx, const sk_notification_rec *n)
{
    pending *pd = ctx;
    sk_notification_rec u = *n;
    u.state = SK_STATE_REGISTERED;
    u.registered_ms = pd->now_ms;
    return sk_store_notification_transition(pd->tx, &u, pd->now_ms, "my number registered", pd->d);
}

static sk_err do_person_change(sk_tx *tx, job *j, const sk_insurer_rec *ins,
                               const sk_employer_rec *emp, sk_diag *d)
{
    const parsed *p = j->p;
    sk_notification_view *v = j->out;
    sk_person_rec per;
    sk_err err;
    if ((err = person_in_scope(tx, ins, emp, p->person, "person", &per, d)))
        return err;
    switch (p->kind) {
    case SK_FILING_MYNUMBER_REGISTER:
    case SK_FILING_MYNUMBER_CHANGE:
        if (p->kind == SK_FILING_MYNUMBER_REGISTER && per.has_mynumber)
            return sk_diag_set(d, SK_C_STATE, "person",
                               "the person already has a My Number; file mynumber_change");
        if (p->kind == SK_FILING_MYNUMBER_CHANGE && !per.has_mynumber)
            return sk_diag_set(d, SK_C_STATE, "person",
                               "the person has no My Number yet; file mynumber_register");
        if ((err = sk_store_person_set_mynumber(tx, per.id, &p->mn, j->now_ms, d)))
            return err;
        if (p->kind == SK_FILING_MYNUMBER_REGISTER) {
            /* the number completes what waited for it (workflows W2.3 → W1 step 5) */
            pending pd = {tx, j->now_ms, d};
            sk_store_qualification_list_by_person(tx, per.id, register_cb, &pd, d);
            sk_store_notification_list_by_person(
                tx, per.id, sk_notification_state_name(SK_STATE_PENDING_MYNUMBER), j->a,
                complete_cb, &pd, d);
        }
        break;
    case SK_FILING_NAME_CHANGE:
        memcpy(per.info.name, p->info.name, sizeof(per.info.name));
        if (HAS(p, F_KANA))
            memcpy(per.info.kana, p->info.kana, sizeof(per.info.kana));
        break;
    case SK_FILING_ADDRESS_CHANGE:
        memcpy(per.info.address, p->info.address, sizeof(per.info.address));
        memcpy(per.postcode, p->postcode, sizeof(per.postcode));
        break;
    default:
        return sk_diag_set(d, SK_C_INTERNAL, "kind", "not a change");
    }
    if (p->kind == SK_FILING_NAME_CHANGE || p->kind == SK_FILING_ADDRESS_CHANGE) {
        per.updated_ms = j->now_ms;
        sk_store_person_update(tx, &per, d);
    }
    memcpy(v->person_pid, per.pid, sizeof(v->person_pid));
    v->n.person_id = per.id;
    v->n.has_event_date = HAS(p, F_EVENT_DATE);
    v->n.event_date = p->event_date;
    v->n.state = SK_STATE_REGISTERED;
    return sk_tx_error(tx);
}

static sk_err load_view(sk_tx *tx, int64_t id, sk_arena *a, sk_notification_view *v, sk_diag *d);

void sk_registry_set_check(sk_registry *r, sk_registry_check_fn fn, void *ctx)
{
    r->check = fn;
    r->check_ctx = ctx;
}

/* The kinds after which the person's 5情報 or My Number must be checked against J-LIS. */
static bool needs_check(const parsed *p, const sk_notification_rec *n)
{
    if (n->state != SK_STATE_REGISTERED || !n->person_id)
        return false;
    switch (p->kind) {
    case SK_FILING_ACQUISITION:
    case SK_FILING_DEPENDENT_ADD:
    case SK_FILING_MYNUMBER_REGISTER:
    case SK_FILING_MYNUMBER_CHANGE:
    case SK_FILING_NAME_CHANGE:
    case SK_FILING_ADDRESS_CHANGE:
        return true;
    default:
        return false;
    }
}

static sk_err file_job(sk_tx *tx, void *ctx, sk_diag *d)
{
    job *j = ctx;
    const parsed *p = j->p;
    sk_notification_view *v = j->out;
    sk_insurer_rec ins;
    sk_employer_rec emp;
    sk_err err;
    memset(v, 0, sizeof(*v));
    if (j->idem_key && *j->idem_key) {
        sk_notification_rec first;
        err = sk_store_notification_find_idem(tx, j->submitter, j->idem_key, j->a, &first, d);
        if (err == SK_OK) {
            if (strcmp(first.payload, p->payload) != 0)
                return sk_diag_set(
                    d, SK_C_IDEMPOTENCY, "idempotency_key",
                    "this key was used for a different 届出 (notification %" PRId64 ")", first.id);
            err = load_view(tx, first.id, j->a, v, d);
            v->replayed = true;
            return err;
        }
        if (err != SK_ERR_NOTFOUND)
            return err;
    }
    if ((err = resolve_insurer(tx, j, &ins, &emp, d)))
        return err;
    switch (p->kind) {
    case SK_FILING_ACQUISITION:
        err = do_acquisition(tx, j, &ins, &emp, d);
        break;
    case SK_FILING_DEPENDENT_ADD:
        err = do_dependent_add(tx, j, &ins, &emp, d);
        break;
    case SK_FILING_DEPENDENT_REMOVE:
    case SK_FILING_LOSS:
        err = do_loss(tx, j, &ins, &emp, d);
        break;
    default:
        err = do_person_change(tx, j, &ins, &emp, d);
        break;
    }
    if (err)
        return err;
    sk_notification_rec *n = &v->n;
    snprintf(n->kind, sizeof(n->kind), "%s", sk_filing_kind_name(p->kind));
    memcpy(n->insurer_number, ins.number, sizeof(n->insurer_number));
    n->employer_id = emp.id;
    snprintf(n->submitter, sizeof(n->submitter), "%s", j->submitter);
    snprintf(n->idem_key, sizeof(n->idem_key), "%s", j->idem_key ? j->idem_key : "");
    n->filed_ms = j->now_ms;
    n->registered_ms = n->state == SK_STATE_REGISTERED ? j->now_ms : 0;
    n->payload = p->payload;
    n->errors = "";
    n->qualification_id = v->has_qual ? v->q.id : 0;
    sk_store_notification_add(tx, n, d);
    if ((err = sk_tx_error(tx)))
        return err;
    /* the 誤入力チェック before anyone can see the record; its verdict goes into this 届出's
     * audit row */
    char verdict[16] = "";
    if (j->reg->check && needs_check(p, n)) {
        /* an acquisition carries the whole 5情報 and the number: no need to read them back */
        sk_person_rec known;
        bool whole = (p->kind == SK_FILING_ACQUISITION || p->kind == SK_FILING_DEPENDENT_ADD) &&
                     HAS(p, F_MYNUMBER);
        if (whole) {
            memset(&known, 0, sizeof(known));
            known.id = n->person_id;
            memcpy(known.pid, v->person_pid, sizeof(known.pid));
            known.info = p->info;
            known.has_mynumber = true;
            known.mynumber = p->mn;
        }
        err = j->reg->check(j->reg->check_ctx, tx, n->person_id, whole ? &known : NULL, n->kind,
                            j->actor, j->now_ms, verdict, d);
        if (whole)
            sk_mynumber_wipe(&known.mynumber);
        if (err)
            return err;
        if (v->has_qual && strcmp(verdict, "match") != 0) /* its display may be stopped */
            sk_store_qualification_get(tx, v->q.id, &v->q, d);
    }
    char object[48];
    snprintf(object, sizeof(object), "notification:%" PRId64, n->id);
    sk_store_audit_add(tx, j->now_ms, j->actor, "notification.file", object, d,
                       "kind=%s insurer=%s person=%s state=%s%s%s", n->kind, n->insurer_number,
                       v->person_pid, sk_notification_state_name(n->state),
                       verdict[0] ? " check=" : "", verdict);
    return sk_tx_error(tx);
}

static void job_init(job *j, const sk_registry *reg, const sk_principal *who, const parsed *p,
                     const char *idem, int64_t now_ms, sk_arena *a, sk_notification_view *out)
{
    memset(j, 0, sizeof(*j));
    j->reg = reg;
    j->who = who;
    j->p = p;
    j->idem_key = idem;
    j->now_ms = now_ms;
    j->a = a;
    j->out = out;
    submitter_of(who, j->submitter, sizeof(j->submitter));
    actor_of(who, j->actor, sizeof(j->actor));
}

sk_err sk_registry_may_file(const sk_principal *who, sk_diag *d)
{
    if (who->role != SK_ROLE_EMPLOYER && who->role != SK_ROLE_INSURER)
        return forbidden(d, "", "only an employer or an insurer files 届出");
    return SK_OK;
}

void sk_filing_from_row(char *const *header, char *const *row, size_t n, sk_field *fields,
                        sk_filing *out)
{
    *out = (sk_filing){.fields = fields};
    for (size_t i = 0; i < n; i++) {
        if (strcmp(header[i], "idempotency_key") == 0)
            out->idem_key = row[i];
        else
            fields[out->nfields++] = (sk_field){header[i], row[i]};
    }
}

sk_err sk_filing_check(const sk_filing *in, int64_t now_ms, sk_arena *a, sk_diag *d)
{
    parsed *p = sk_arena_calloc(a, sizeof(*p));
    if (!p)
        return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    sk_err err = parse(SK_PREFILE_DAYS_DEFAULT, in, sk_date_from_unix_ms(now_ms), a, p, d);
    sk_mynumber_wipe(&p->mn);
    return err;
}

sk_err sk_registry_file(sk_registry *reg, const sk_principal *who, const sk_filing *in,
                        int64_t now_ms, sk_arena *a, sk_notification_view *out, sk_diag *d)
{
    sk_store *s = reg->store;
    parsed *p = sk_arena_calloc(a, sizeof(*p));
    if (!p)
        return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    sk_err err = sk_registry_may_file(who, d);
    if (!err)
        err = parse(reg->prefile_days, in, sk_date_from_unix_ms(now_ms), a, p, d);
    if (!err) {
        job j;
        job_init(&j, reg, who, p, in->idem_key, now_ms, a, out);
        err = sk_store_run(s, file_job, &j, d);
    }
    sk_mynumber_wipe(&p->mn);
    return err;
}

void sk_registry_file_many(sk_registry *reg, const sk_principal *who, const sk_filing *in, size_t n,
                           int64_t now_ms, sk_arena *a, sk_notification_view *out, sk_err *errs,
                           sk_diag *diags)
{
    sk_store *s = reg->store;
    parsed *ps = sk_arena_array(a, n ? n : 1, sizeof(parsed));
    job *js = sk_arena_array(a, n ? n : 1, sizeof(job));
    sk_store_job *sj = sk_arena_array(a, n ? n : 1, sizeof(sk_store_job));
    size_t *idx = sk_arena_array(a, n ? n : 1, sizeof(size_t)); /* job k → filing idx[k] */
    if (!ps || !js || !sj || !idx) {
        for (size_t i = 0; i < n; i++)
            errs[i] = sk_diag_set(&diags[i], SK_C_NOMEM, "", "out of memory");
        return;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        sk_diag_clear(&diags[i]);
        memset(&out[i], 0, sizeof(out[i]));
        if (!(errs[i] = sk_registry_may_file(who, &diags[i])))
            errs[i] = parse(reg->prefile_days, &in[i], sk_date_from_unix_ms(now_ms), a, &ps[i],
                            &diags[i]);
        if (errs[i])
            continue;
        job_init(&js[i], reg, who, &ps[i], in[i].idem_key, now_ms, a, &out[i]);
        sj[m] = (sk_store_job){.fn = file_job, .ctx = &js[i]};
        idx[m++] = i;
    }
    sk_store_run_many(s, sj, m);
    for (size_t k = 0; k < m; k++) {
        errs[idx[k]] = sj[k].err;
        diags[idx[k]] = sj[k].diag;
    }
    for (size_t i = 0; i < n; i++)
        sk_mynumber_wipe(&ps[i].mn);
}

/* ---- reads and visibility ---- */

static bool may_see_notification(const sk_principal *who, const sk_notification_rec *n)
{
    char emp[24];
    switch (who->role) {
    case SK_ROLE_OPERATOR:
        return true;
    case SK_ROLE_INSURER:
        return strcmp(who->scope, n->insurer_number) == 0;
    case SK_ROLE_EMPLOYER:
        snprintf(emp, sizeof(emp), "%" PRId64, n->employer_id);
        return n->employer_id && strcmp(who->scope, emp) == 0;
    default:
        return false;
    }
}

static sk_err load_view(sk_tx *tx, int64_t id, sk_arena *a, sk_notification_view *v, sk_diag *d)
{
    memset(v, 0, sizeof(*v));
    sk_err err = sk_store_notification_get(tx, id, a, &v->n, d);
    if (err)
        return err;
    if (v->n.person_id) {
        sk_person_rec per;
        if ((err = sk_store_person_get(tx, v->n.person_id, false, &per, d)))
            return err;
        memcpy(v->person_pid, per.pid, sizeof(v->person_pid));
    }
    if (v->n.qualification_id) {
        if ((err = sk_store_qualification_get(tx, v->n.qualification_id, &v->q, d)))
            return err;
        v->has_qual = true;
    }
    return SK_OK;
}

sk_err sk_registry_notification_get(sk_registry *reg, const sk_principal *who, int64_t id,
                                    sk_arena *a, sk_notification_view *out, sk_diag *d)
{
    sk_store *s = reg->store;
    if (who->role != SK_ROLE_OPERATOR && who->role != SK_ROLE_INSURER &&
        who->role != SK_ROLE_EMPLOYER)
        return forbidden(d, "", "届出 are read by their filer, their insurer and the operator");
    sk_tx *tx = NULL;
    sk_err err = sk_store_begin_read(s, &tx, d);
    if (err)
        return err;
    err = load_view(tx, id, a, out, d);
    sk_tx_rollback(tx);
    /* another filer's 届出 is answered as one that does not exist (filing.h) */
    if (err == SK_ERR_NOTFOUND || (!err && !may_see_notification(who, &out->n))) {
        memset(out, 0, sizeof(*out));
        return sk_diag_set(d, SK_C_NOT_FOUND, "id", "no such notification");
    }
    return err;
}

/* ---- state changes after filing ---- */

typedef struct state_job {
    const sk_principal *who;
    int64_t id;
    sk_notification_state to;
    const char *reason;
    int64_t now_ms;
    sk_arena *a;
    sk_notification_view *out;
} state_job;

static sk_err state_fn(sk_tx *tx, void *ctx, sk_diag *d)
{
    state_job *sj = ctx;
    sk_notification_view *v = sj->out;
    sk_err err = load_view(tx, sj->id, sj->a, v, d);
    if (err == SK_ERR_NOTFOUND || (!err && !may_see_notification(sj->who, &v->n)))
        return sk_diag_set(d, SK_C_NOT_FOUND, "id", "no such notification");
    if (err)
        return err;
    char submitter[64], actor[64];
    submitter_of(sj->who, submitter, sizeof(submitter));
    actor_of(sj->who, actor, sizeof(actor));
    bool withdraw = sj->to == SK_STATE_WITHDRAWN;
    if (withdraw ? strcmp(v->n.submitter, submitter) != 0
                 : !(sj->who->role == SK_ROLE_INSURER &&
                     strcmp(sj->who->scope, v->n.insurer_number) == 0))
        return forbidden(d, "id",
                         withdraw ? "only the filer withdraws a 届出"
                                  : "only the insurer it was filed with rejects a 届出");
    if (v->n.state != SK_STATE_PENDING_MYNUMBER)
        return sk_diag_set(d, SK_C_STATE, "id", "the notification is %s, not %s",
                           sk_notification_state_name(v->n.state),
                           sk_notification_state_name(SK_STATE_PENDING_MYNUMBER));
    if (v->has_qual && !v->q.registered_ms) {
        /* never registered: close it on its first day so it is never valid */
        v->q.has_lost = true;
        v->q.lost_on = v->q.acquired_on;
        memcpy(v->q.loss_reason, "99", 3);
        v->q.updated_ms = sj->now_ms;
        sk_store_qualification_update(tx, &v->q, d);
    }
    v->n.state = sj->to;
    if (!withdraw) {
        json_t *errs = json_pack("[{s:s,s:s,s:s}]", "code", "rejected", "field", "", "message",
                                 sj->reason ? sj->reason : "");
        char *text = errs ? json_dumps(errs, JSON_COMPACT) : NULL;
        json_decref(errs);
        v->n.errors = text ? sk_arena_strndup(sj->a, text, strlen(text)) : NULL;
        free(text);
        if (!v->n.errors)
            return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    }
    sk_store_notification_transition(tx, &v->n, sj->now_ms, withdraw ? "withdrawn" : "rejected", d);
    char object[48];
    snprintf(object, sizeof(object), "notification:%" PRId64, v->n.id);
    sk_store_audit_add(tx, sj->now_ms, actor,
                       withdraw ? "notification.withdraw" : "notification.reject", object, d,
                       "state=%s", sk_notification_state_name(sj->to));
    return sk_tx_error(tx);
}

sk_err sk_registry_withdraw(sk_registry *reg, const sk_principal *who, int64_t id, int64_t now_ms,
                            sk_arena *a, sk_notification_view *out, sk_diag *d)
{
    sk_store *s = reg->store;
    sk_err err = sk_registry_may_file(who, d); /* a role that never files never withdraws */
    if (err)
        return err;
    state_job sj = {who, id, SK_STATE_WITHDRAWN, NULL, now_ms, a, out};
    return sk_store_run(s, state_fn, &sj, d);
}

sk_err sk_registry_reject(sk_registry *reg, const sk_principal *who, int64_t id, const char *reason,
                          int64_t now_ms, sk_arena *a, sk_notification_view *out, sk_diag *d)
{
    sk_store *s = reg->store;
    if (who->role != SK_ROLE_INSURER)
        return forbidden(d, "", "only the insurer a 届出 was filed with rejects it");
    if (!reason || !*reason)
        return sk_diag_set(d, SK_C_REQUIRED, "reason", "a reason for the employer is required");
    sk_err err = sk_text_check(reason, strlen(reason), 200, "reason", d);
    if (err)
        return err;
    state_job sj = {who, id, SK_STATE_INVALID, reason, now_ms, a, out};
    return sk_store_run(s, state_fn, &sj, d);
}

/* ---- persons and members ---- */

typedef struct person_ctx {
    sk_tx *tx;
    const sk_principal *who;
    const sk_person_rec *p;
    sk_person_view_cb cb;
    void *ctx;
    int visible;
    sk_diag *d;
} person_ctx;

static bool may_see_qual(const sk_principal *who, const sk_qualification_rec *q)
{
    char emp[24];
    switch (who->role) {
    case SK_ROLE_OPERATOR:
    case SK_ROLE_PERSON:
        return true;
    case SK_ROLE_INSURER:
        return strcmp(who->scope, q->insurer_number) == 0;
    case SK_ROLE_EMPLOYER:
        snprintf(emp, sizeof(emp), "%" PRId64, q->employer_id);
        return q->employer_id && strcmp(who->scope, emp) == 0;
    default:
        return false;
    }
}

static sk_err person_q_cb(void *ctx, const sk_qualification_rec *q)
{
    person_ctx *pc = ctx;
    if (!may_see_qual(pc->who, q))
        return SK_OK;
    pc->visible++;
    if (!pc->cb)
        return SK_OK;
    sk_person_rec insured;
    const char *ipid = pc->p->pid;
    if (q->insured_person_id != q->person_id) {
        sk_err err = sk_store_person_get(pc->tx, q->insured_person_id, false, &insured, pc->d);
        if (err)
            return err;
        ipid = insured.pid;
    }
    return pc->cb(pc->ctx, pc->p, q, ipid);
}

sk_err sk_registry_person_get(sk_registry *reg, const sk_principal *who, const char *pid,
                              sk_person_rec *out, sk_person_view_cb cb, void *ctx, sk_diag *d)
{
    sk_store *s = reg->store;
    if (who->role == SK_ROLE_INSTITUTION)
        return forbidden(d, "", "institutions look people up through eligibility, not here");
    size_t n = strlen(pid);
    if (n != SK_PID_LEN || strspn(pid, "0123456789abcdef") != n)
        return sk_diag_set(d, SK_C_QUERY, "id",
                           "a person id is 32 lower-case hex digits (the person of an answer)");
    /* a record the caller may not see is answered as one that does not exist (filing.h) */
    if (who->role == SK_ROLE_PERSON && strcmp(who->scope, pid) != 0)
        return sk_diag_set(d, SK_C_NOT_FOUND, "id", "no such person");
    sk_tx *tx = NULL;
    sk_err err = sk_store_begin_read(s, &tx, d);
    if (err)
        return err;
    err = sk_store_person_get_by_pid(tx, pid, false, out, d);
    if (err == SK_ERR_NOTFOUND) {
        sk_tx_rollback(tx);
        return sk_diag_set(d, SK_C_NOT_FOUND, "id", "no such person");
    }
    person_ctx pc = {tx, who, out, NULL, NULL, 0, d};
    /* first pass: may the principal see this person at all? */
    if (!err)
        err = sk_store_qualification_list_by_person(tx, out->id, person_q_cb, &pc, d);
    if (!err && pc.visible == 0 && who->role != SK_ROLE_OPERATOR && who->role != SK_ROLE_PERSON) {
        sk_tx_rollback(tx);
        memset(out, 0, sizeof(*out));
        return sk_diag_set(d, SK_C_NOT_FOUND, "id", "no such person");
    }
    pc.cb = cb;
    pc.ctx = ctx;
    if (!err && cb)
        err = sk_store_qualification_list_by_person(tx, out->id, person_q_cb, &pc, d);
    sk_tx_rollback(tx);
    return err;
}

typedef struct member_ctx {
    sk_tx *tx;
    sk_member_cb cb;
    void *ctx;
    sk_diag *d;
} member_ctx;

static sk_err member_q_cb(void *ctx, const sk_qualification_rec *q)
{
    member_ctx *mc = ctx;
    sk_person_rec p;
    sk_err err = sk_store_person_get(mc->tx, q->person_id, false, &p, mc->d);
    return err ? err : mc->cb(mc->ctx, q, &p);
}

/* The insurer whose records are listed (its number parsed into num), if `who` is that insurer
 * or the operator; `what` names the records in the refusal. */
static sk_err insurer_listing(const sk_principal *who, const char *insurer_number, const char *what,
                              sk_insurer_number *num, sk_diag *d)
{
    sk_err err = sk_insurer_number_parse(insurer_number, strlen(insurer_number), num, "number", d);
    if (err)
        return err;
    if (!(who->role == SK_ROLE_OPERATOR ||
          (who->role == SK_ROLE_INSURER && strcmp(who->scope, num->digits) == 0)))
        return sk_diag_set(d, SK_C_FORBIDDEN, "number",
                           "only the insurer itself (or the operator) lists its %s", what);
    return SK_OK;
}

/* A page's limit checked, then a read transaction in which the insurer exists (*tx is left
 * for the caller to roll back, on error too). */
static sk_err insurer_page_begin(sk_registry *reg, const sk_insurer_number *num, int limit,
                                 sk_tx **tx, sk_diag *d)
{
    *tx = NULL;
    if (limit < 1 || limit > 1000)
        return sk_diag_set(d, SK_C_QUERY, "limit", "limit must be 1-1000");
    sk_err err = sk_store_begin_read(reg->store, tx, d);
    if (err)
        return err;
    sk_insurer_rec ins;
    err = sk_store_insurer_get(*tx, num->digits, &ins, d);
    if (err == SK_ERR_NOTFOUND)
        err = sk_diag_set(d, SK_C_NOT_FOUND, "number", "no such insurer");
    return err;
}

sk_err sk_registry_members(sk_registry *reg, const sk_principal *who, const char *insurer_number,
                           sk_date as_of, int64_t after_id, int limit, sk_member_cb cb, void *ctx,
                           sk_diag *d)
{
    sk_insurer_number num;
    sk_tx *tx = NULL;
    sk_err err = insurer_listing(who, insurer_number, "members", &num, d);
    if (err)
        return err;
    member_ctx mc = {NULL, cb, ctx, d};
    if (!(err = insurer_page_begin(reg, &num, limit, &tx, d))) {
        mc.tx = tx;
        err = sk_store_qualification_list_by_insurer(tx, num.digits, as_of, after_id, limit,
                                                     member_q_cb, &mc, d);
    }
    sk_tx_rollback(tx);
    return err;
}

sk_err sk_registry_notifications(sk_registry *reg, const sk_principal *who,
                                 const char *insurer_number, const char *state, int64_t after_id,
                                 int limit, sk_arena *a, sk_notification_cb cb, void *ctx,
                                 sk_diag *d)
{
    sk_insurer_number num;
    sk_tx *tx = NULL;
    sk_err err = insurer_listing(who, insurer_number, "届出", &num, d);
    if (err)
        return err;
    sk_notification_state st;
    if (state && !sk_notification_state_from_name(state, &st))
        return sk_diag_set(d, SK_C_QUERY, "state",
                           "state is received, pending_my_number, registered, withdrawn or "
                           "invalid");
    if (!(err = insurer_page_begin(reg, &num, limit, &tx, d)))
        err =
            sk_store_notification_list_page(tx, num.digits, state, after_id, limit, a, cb, ctx, d);
    sk_tx_rollback(tx);
    return err;
}
