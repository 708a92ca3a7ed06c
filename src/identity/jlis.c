/* jlis.c — the J-LIS adapter (jlis.h): dispatch over an ops table, and the local
 * resident-register file implementation. A loaded register is an immutable snapshot (records
 * sorted by My Number, an index sorted by birth date, normalised name/address keys); reload
 * builds a new snapshot and swaps it under a write lock. */
#include "identity/jlis.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/normalize.h"
#include "util/arena.h"
#include "util/csv.h"

struct sk_jlis {
    const sk_jlis_ops *ops;
    void *self;
};

sk_err sk_jlis_wrap(const sk_jlis_ops *ops, void *self, sk_jlis **out, sk_diag *d)
{
    sk_jlis *j = calloc(1, sizeof(*j));
    if (!j)
        return sk_diag_set(d, SK_C_NOMEM, "jlis", "out of memory");
    j->ops = ops;
    j->self = self;
    *out = j;
    return SK_OK;
}

void sk_jlis_free(sk_jlis *j)
{
    if (!j)
        return;
    if (j->ops->destroy)
        j->ops->destroy(j->self);
    free(j);
}

bool sk_jlis_default_path(const char *db, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s.jlis.csv", db);
    return n > 0 && (size_t)n < cap && access(out, R_OK) == 0;
}

sk_err sk_jlis_by_number(sk_jlis *j, const sk_mynumber *n, sk_jlis_person *out, sk_diag *d)
{
    return j->ops->by_number(j->self, n, out, d);
}

sk_err sk_jlis_search(sk_jlis *j, const sk_ident *q, unsigned items, sk_jlis_person *out,
                      size_t cap, size_t *n, sk_diag *d)
{
    *n = 0;
    return j->ops->search(j->self, q, items, out, cap, n, d);
}

sk_err sk_jlis_reload(sk_jlis *j, sk_diag *d)
{
    return j->ops->reload ? j->ops->reload(j->self, d) : SK_OK;
}

size_t sk_jlis_count(sk_jlis *j)
{
    return j->ops->count ? j->ops->count(j->self) : 0;
}

sk_err sk_jlis_health(sk_jlis *j, sk_diag *d)
{
    return j->ops->health ? j->ops->health(j->self, d) : SK_OK;
}

void sk_jlis_person_ident(const sk_jlis_person *p, sk_ident *out)
{
    sk_ident_of(&p->info, out);
    out->alt_names[0] = p->old_name[0] ? p->old_name : NULL;
    out->alt_names[1] = p->alias[0] ? p->alias : NULL;
}

void sk_jlis_person_wipe(sk_jlis_person *p)
{
    sk_mynumber_wipe(&p->mynumber);
}

/* ---------------- the resident-register file ---------------- */

/* Compact: the texts live in the snapshot's arena (a register of millions of residents must
 * not cost sizeof(sk_jlis_person) each); copied into an sk_jlis_person on look-up. */
typedef struct resident {
    sk_mynumber mynumber;
    sk_date birthdate;
    sk_sex sex;
    bool twin_household;
    const char *name, *kana, *address, *old_name, *alias;             /* "" when absent */
    const char *name_key, *old_key, *alias_key, *addr_key, *kana_key; /* normalised; NULL when
                                                                        absent */
} resident;

static void person_of(const resident *r, sk_jlis_person *out)
{
    memset(out, 0, sizeof(*out));
    out->mynumber = r->mynumber;
    out->info.birthdate = r->birthdate;
    out->info.sex = r->sex;
    out->twin_household = r->twin_household;
    snprintf(out->info.name, sizeof(out->info.name), "%s", r->name);
    snprintf(out->info.kana, sizeof(out->info.kana), "%s", r->kana);
    snprintf(out->info.address, sizeof(out->info.address), "%s", r->address);
    snprintf(out->old_name, sizeof(out->old_name), "%s", r->old_name);
    snprintf(out->alias, sizeof(out->alias), "%s", r->alias);
}

typedef struct snapshot {
    sk_arena *arena;
    resident *r; /* sorted by My Number */
    size_t n;
    struct birth_ix {
        int32_t days; /* birth date */
        uint32_t i;   /* index into r */
    } * by_birth;     /* sorted by birth date */
} snapshot;

typedef struct file_jlis {
    char *path;  /* the file, or the label of a register read from memory */
    bool memory; /* read from memory: nothing to reload */
    pthread_rwlock_t lock;
    snapshot *snap;                /* NULL: not read yet — J-LIS is unavailable (why) */
    char why[SK_DIAG_MESSAGE_MAX]; /* under lock */
} file_jlis;

/* J-LIS cannot be asked: the register was never read (sk_jlis_file_attach). lock held. */
static sk_err unavailable(const file_jlis *fj, sk_diag *d)
{
    return sk_diag_set(d, SK_C_JLIS_UNAVAILABLE, "jlis",
                       "the resident register %s is not loaded (%s); asked again at the next "
                       "reload",
                       fj->path, fj->why);
}

static void snapshot_free(snapshot *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        sk_mynumber_wipe(&s->r[i].mynumber);
    sk_arena_free(s->arena);
    free(s);
}

static int cmp_number(const void *a, const void *b)
{
    return strcmp(((const resident *)a)->mynumber.digits, ((const resident *)b)->mynumber.digits);
}

static int cmp_birth(const void *a, const void *b)
{
    const struct birth_ix *x = a, *y = b;
    return x->days < y->days ? -1 : x->days > y->days;
}

struct twin_ix {
    int32_t days;
    const char *addr;
    resident *r;
};

static int cmp_twin(const void *a, const void *b)
{
    const struct twin_ix *x = a, *y = b;
    if (x->days != y->days)
        return x->days < y->days ? -1 : 1;
    return strcmp(x->addr, y->addr);
}

enum { C_MYNUMBER, C_NAME, C_KANA, C_BIRTH, C_SEX, C_ADDRESS, C_OLD, C_ALIAS, NCOLS };
static const char *const col_names[NCOLS] = {"mynumber", "name",    "kana",     "birthdate",
                                             "sex",      "address", "old_name", "alias"};

static sk_err bad_line(sk_diag *d, const char *path, size_t line, const char *fmt, const char *what)
{
    char field[64];
    snprintf(field, sizeof(field), "%s:%zu", path, line);
    return sk_diag_set(d, SK_C_JLIS_FILE, field, fmt, what);
}

/* A checked copy of a column into the snapshot's arena; an absent optional column is "". */
static sk_err copy_text(sk_arena *a, const char **dst, const char *src, bool optional,
                        const char *path, size_t line, const char *col, size_t max, sk_diag *d)
{
    size_t len = strlen(src);
    if (optional && len == 0) {
        *dst = "";
        return SK_OK;
    }
    if (sk_text_check(src, len, max, col, NULL) != SK_OK)
        return bad_line(d, path, line, "column %s is empty, too long or not valid text", col);
    if (!(*dst = sk_arena_strndup(a, src, len)))
        return sk_diag_set(d, SK_C_NOMEM, path, "out of memory");
    return SK_OK;
}

/* A normalised key: computed in `scratch` (normalisation's buffers), kept in `a`. */
static sk_err key_of(sk_arena *a, sk_arena *scratch, const char *text, int is_address,
                     const char **out, const char *path, size_t line, const char *col, sk_diag *d)
{
    char *k = NULL;
    if (!*text) {
        *out = NULL;
        return SK_OK;
    }
    if (sk_match_key(scratch, text, is_address, &k, NULL) != SK_OK)
        return bad_line(d, path, line, "column %s cannot be normalised", col);
    if (!(*out = sk_arena_strndup(a, k, strlen(k))))
        return sk_diag_set(d, SK_C_NOMEM, path, "out of memory");
    return SK_OK;
}

static sk_err kana_key_of(sk_arena *a, sk_arena *scratch, const char *kana, const char **out,
                          const char *path, size_t line, sk_diag *d)
{
    char *k = NULL;
    if (sk_normalize(scratch, SK_NORM_KANA, kana, strlen(kana), &k, NULL, NULL, NULL) != SK_OK)
        return bad_line(d, path, line, "column %s cannot be normalised", "kana");
    if (!(*out = sk_arena_strndup(a, k, strlen(k))))
        return sk_diag_set(d, SK_C_NOMEM, path, "out of memory");
    return SK_OK;
}

/* Checks the register text (text[len] must be a NUL; it is modified in place) into a new
 * snapshot; `path` names it in diagnostics. */
static sk_err parse(const char *path, char *text, size_t len, snapshot **out, sk_diag *d)
{
    sk_err err = SK_OK;
    snapshot *s = NULL;
    sk_arena *scratch = sk_arena_alloc(0, 1 << 20);
    if (!scratch || !(s = calloc(1, sizeof(*s))) || !(s->arena = sk_arena_alloc(0, 0))) {
        err = sk_diag_set(d, SK_C_NOMEM, path, "out of memory");
        goto out;
    }
    /* count lines for one allocation */
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    s->r = sk_arena_array(s->arena, lines, sizeof(resident));
    s->by_birth = sk_arena_array(s->arena, lines, sizeof(*s->by_birth));
    if (!s->r || !s->by_birth) {
        err = sk_diag_set(d, SK_C_NOMEM, path, "out of memory");
        goto out;
    }
    sk_csv c;
    sk_csv_init(&c, text, len);
    char *fields[SK_CSV_MAX_FIELDS];
    size_t nf, line;
    int col[NCOLS];
    bool header = false;
    for (;;) {
        err = sk_csv_next(&c, fields, &nf, &line, d);
        if (err == SK_ERR_NOTFOUND) {
            err = SK_OK;
            break;
        }
        if (err)
            goto out;
        if (nf >= 1 && fields[0][0] == '#')
            continue; /* comment */
        if (!header) {
            for (int k = 0; k < NCOLS; k++)
                col[k] = -1;
            for (size_t i = 0; i < nf; i++) {
                int k = 0;
                while (k < NCOLS && strcmp(fields[i], col_names[k]) != 0)
                    k++;
                if (k == NCOLS) {
                    err = bad_line(d, path, line, "unknown column %s", fields[i]);
                    goto out;
                }
                col[k] = (int)i;
            }
            for (int k = 0; k <= C_ADDRESS; k++)
                if (col[k] < 0) {
                    err = bad_line(d, path, line, "the header lacks column %s", col_names[k]);
                    goto out;
                }
            header = true;
            continue;
        }
        resident *r = &s->r[s->n];
        memset(r, 0, sizeof(*r));
        const char *v[NCOLS];
        for (int k = 0; k < NCOLS; k++)
            v[k] = col[k] >= 0 && (size_t)col[k] < nf ? fields[col[k]] : "";
        if (sk_mynumber_parse(v[C_MYNUMBER], strlen(v[C_MYNUMBER]), &r->mynumber, "mynumber",
                              NULL) != SK_OK) {
            err = bad_line(d, path, line, "column %s is not a valid My Number", "mynumber");
            goto out;
        }
        if (sk_date_parse(v[C_BIRTH], strlen(v[C_BIRTH]), &r->birthdate, "birthdate", NULL) ||
            sk_sex_parse(v[C_SEX], strlen(v[C_SEX]), &r->sex, "sex", NULL)) {
            err = bad_line(d, path, line, "column %s is not a date or 1/2/3", "birthdate or sex");
            goto out;
        }
        sk_arena *A = s->arena;
        if ((err = copy_text(A, &r->name, v[C_NAME], false, path, line, "name", SK_NAME_MAX_BYTES,
                             d)) ||
            (err = copy_text(A, &r->kana, v[C_KANA], false, path, line, "kana", SK_NAME_MAX_BYTES,
                             d)) ||
            (err = copy_text(A, &r->address, v[C_ADDRESS], false, path, line, "address",
                             SK_ADDRESS_MAX_BYTES, d)) ||
            (err = copy_text(A, &r->old_name, v[C_OLD], true, path, line, "old_name",
                             SK_NAME_MAX_BYTES, d)) ||
            (err = copy_text(A, &r->alias, v[C_ALIAS], true, path, line, "alias", SK_NAME_MAX_BYTES,
                             d)))
            goto out;
        sk_arena_reset(scratch);
        if ((err = key_of(A, scratch, r->name, 0, &r->name_key, path, line, "name", d)) ||
            (err = key_of(A, scratch, r->old_name, 0, &r->old_key, path, line, "old_name", d)) ||
            (err = key_of(A, scratch, r->alias, 0, &r->alias_key, path, line, "alias", d)) ||
            (err = key_of(A, scratch, r->address, 1, &r->addr_key, path, line, "address", d)) ||
            (err = kana_key_of(A, scratch, r->kana, &r->kana_key, path, line, d)))
            goto out;
        s->n++;
    }
    if (!header) {
        err =
            bad_line(d, path, 1, "no header line (%s)", "mynumber,name,kana,birthdate,sex,address");
        goto out;
    }
    qsort(s->r, s->n, sizeof(resident), cmp_number);
    for (size_t i = 1; i < s->n; i++)
        if (strcmp(s->r[i - 1].mynumber.digits, s->r[i].mynumber.digits) == 0) {
            err = sk_diag_set(d, SK_C_JLIS_FILE, path,
                              "two residents have the same My Number (ending %s)",
                              s->r[i].mynumber.digits + 8);
            goto out;
        }
    for (size_t i = 0; i < s->n; i++)
        s->by_birth[i] = (struct birth_ix){sk_date_to_days(s->r[i].birthdate), (uint32_t)i};
    qsort(s->by_birth, s->n, sizeof(*s->by_birth), cmp_birth);
    /* M4: residents sharing a birth date and an address (twins of one household): sort by
     * (birth date, address key) and mark equal neighbours — n log n, not n² per birthday */
    struct twin_ix *tw = sk_arena_array(s->arena, s->n ? s->n : 1, sizeof(*tw));
    if (!tw) {
        err = sk_diag_set(d, SK_C_NOMEM, path, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < s->n; i++)
        tw[i] = (struct twin_ix){s->by_birth[i].days, s->r[s->by_birth[i].i].addr_key,
                                 &s->r[s->by_birth[i].i]};
    qsort(tw, s->n, sizeof(*tw), cmp_twin);
    for (size_t i = 1; i < s->n; i++)
        if (tw[i].days == tw[i - 1].days && strcmp(tw[i].addr, tw[i - 1].addr) == 0)
            tw[i].r->twin_household = tw[i - 1].r->twin_household = true;
    *out = s;
    s = NULL;
out:
    snapshot_free(s);
    sk_arena_free(scratch);
    return err;
}

/* Reads the whole file and parses it; *unreadable: the file could not be read at all (as
 * against a bad line). */
static sk_err load(const char *path, snapshot **out, bool *unreadable, sk_diag *d)
{
    sk_err err = SK_OK;
    char *text = NULL;
    size_t len = 0, cap = 0;
    *unreadable = false;
    FILE *f = fopen(path, "rb");
    if (!f) {
        *unreadable = true;
        return sk_diag_set(d, SK_C_JLIS_FILE, path, "cannot open the resident register: %s",
                           strerror(errno));
    }
    for (;;) {
        if (len + 65536 + 1 > cap) {
            size_t nc = cap ? cap * 2 : 1 << 20;
            char *t = realloc(text, nc);
            if (!t) {
                err = sk_diag_set(d, SK_C_NOMEM, path, "out of memory");
                goto out;
            }
            text = t;
            cap = nc;
        }
        size_t got = fread(text + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        *unreadable = true;
        err = sk_diag_set(d, SK_C_JLIS_FILE, path, "cannot read the resident register");
        goto out;
    }
    text[len] = '\0';
    err = parse(path, text, len, out, d);
out:
    fclose(f);
    if (text) {
        memset(text, 0, len); /* the file holds plain My Numbers */
        free(text);
    }
    return err;
}

static sk_err file_by_number(void *self, const sk_mynumber *n, sk_jlis_person *out, sk_diag *d)
{
    file_jlis *fj = self;
    sk_err err = SK_ERR_NOTFOUND;
    pthread_rwlock_rdlock(&fj->lock);
    const snapshot *s = fj->snap;
    if (!s) {
        err = unavailable(fj, d);
        pthread_rwlock_unlock(&fj->lock);
        return err;
    }
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->r[mid].mynumber.digits, n->digits);
        if (c == 0) {
            person_of(&s->r[mid], out);
            err = SK_OK;
            break;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    pthread_rwlock_unlock(&fj->lock);
    return err;
}

static bool key_eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static sk_err file_search(void *self, const sk_ident *q, unsigned items, sk_jlis_person *out,
                          size_t cap, size_t *n, sk_diag *d)
{
    file_jlis *fj = self;
    if (!q->name || !q->address || !sk_date_valid(q->birthdate) ||
        (items & (SK_ITEM_NAME | SK_ITEM_BIRTHDATE | SK_ITEM_ADDRESS)) !=
            (SK_ITEM_NAME | SK_ITEM_BIRTHDATE | SK_ITEM_ADDRESS) ||
        ((items & SK_ITEM_KANA) && !q->kana))
        return sk_diag_set(
            d, SK_C_MATCH_ITEMS, "query",
            "a J-LIS search needs 氏名, 生年月日 and 住所 (性別 for 4情報, カナ for 5情報)");
    sk_arena *a = sk_arena_alloc(0, 1 << 20);
    if (!a)
        return sk_diag_set(d, SK_C_NOMEM, "jlis", "out of memory");
    char *name_key = NULL, *addr_key = NULL, *kana_key = NULL;
    sk_err err;
    if ((err = sk_match_key(a, q->name, 0, &name_key, d)) ||
        (err = sk_match_key(a, q->address, 1, &addr_key, d)) ||
        ((items & SK_ITEM_KANA) && (err = sk_normalize(a, SK_NORM_KANA, q->kana, strlen(q->kana),
                                                       &kana_key, NULL, NULL, d)))) {
        sk_arena_free(a);
        return err;
    }
    pthread_rwlock_rdlock(&fj->lock);
    const snapshot *s = fj->snap;
    if (!s) {
        err = unavailable(fj, d);
        pthread_rwlock_unlock(&fj->lock);
        sk_arena_free(a);
        return err;
    }
    /* first resident born on that day */
    int32_t days = sk_date_to_days(q->birthdate);
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->by_birth[mid].days < days)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t hits = 0, addr_hits = 0;
    const resident *found[64];
    for (size_t i = lo; i < s->n && hits < 64; i++) {
        const resident *r = &s->r[s->by_birth[i].i];
        if (s->by_birth[i].days != days)
            break;
        if ((items & SK_ITEM_SEX) && r->sex != q->sex)
            continue;
        if ((items & SK_ITEM_KANA) && !key_eq(r->kana_key, kana_key))
            continue;
        if (!key_eq(r->name_key, name_key) && !key_eq(r->old_key, name_key) &&
            !key_eq(r->alias_key, name_key))
            continue;
        found[hits++] = r;
        addr_hits += sk_match_address_keys(r->addr_key, addr_key);
    }
    size_t k = 0;
    for (size_t i = 0; i < hits; i++) {
        if (addr_hits && !sk_match_address_keys(found[i]->addr_key, addr_key))
            continue; /* the residents at that address are the answer */
        if (k < cap)
            person_of(found[i], &out[k]);
        k++;
    }
    pthread_rwlock_unlock(&fj->lock);
    sk_arena_free(a);
    *n = k;
    return SK_OK;
}

static sk_err file_reload(void *self, sk_diag *d)
{
    file_jlis *fj = self;
    if (fj->memory)
        return sk_diag_set(d, SK_C_JLIS_FILE, fj->path,
                           "a register read from memory has no file to reload");
    snapshot *s = NULL;
    bool unreadable = false;
    sk_err err = load(fj->path, &s, &unreadable, d);
    if (err && unreadable) { /* J-LIS cannot be asked (as a remote one that does not answer) */
        pthread_rwlock_wrlock(&fj->lock);
        size_t n = fj->snap ? fj->snap->n : 0;
        bool none = !fj->snap;
        if (none)
            snprintf(fj->why, sizeof(fj->why), "%s", d ? d->message : "unreadable");
        pthread_rwlock_unlock(&fj->lock);
        char msg[SK_DIAG_MESSAGE_MAX];
        snprintf(msg, sizeof(msg), "%s", d ? d->message : "unreadable");
        if (none)
            return sk_diag_set(d, SK_C_JLIS_UNAVAILABLE, fj->path, "%s; J-LIS stays unavailable",
                               msg);
        return sk_diag_set(d, SK_C_JLIS_UNAVAILABLE, fj->path,
                           "%s; the register loaded before (%zu residents) stays in use", msg, n);
    }
    if (err)
        return err;
    pthread_rwlock_wrlock(&fj->lock);
    snapshot *old = fj->snap;
    fj->snap = s;
    pthread_rwlock_unlock(&fj->lock);
    snapshot_free(old);
    return SK_OK;
}

static size_t file_count(void *self)
{
    file_jlis *fj = self;
    pthread_rwlock_rdlock(&fj->lock);
    size_t n = fj->snap ? fj->snap->n : 0;
    pthread_rwlock_unlock(&fj->lock);
    return n;
}

static sk_err file_health(void *self, sk_diag *d)
{
    file_jlis *fj = self;
    sk_err err = SK_OK;
    pthread_rwlock_rdlock(&fj->lock);
    if (!fj->snap)
        err = unavailable(fj, d);
    else if (!fj->memory && access(fj->path, R_OK) != 0)
        err = sk_diag_set(d, SK_C_JLIS_FILE, fj->path,
                          "the resident register file is gone or unreadable (%s): the %zu "
                          "residents loaded stay in use; a reload would fail",
                          strerror(errno), fj->snap->n);
    pthread_rwlock_unlock(&fj->lock);
    return err;
}

static void file_destroy(void *self)
{
    file_jlis *fj = self;
    snapshot_free(fj->snap);
    pthread_rwlock_destroy(&fj->lock);
    free(fj->path);
    free(fj);
}

static const sk_jlis_ops file_ops = {
    .name = "file",
    .by_number = file_by_number,
    .search = file_search,
    .reload = file_reload,
    .count = file_count,
    .health = file_health,
    .destroy = file_destroy,
};

static sk_err file_new(const char *label, bool memory, file_jlis **out, sk_diag *d)
{
    file_jlis *fj = calloc(1, sizeof(*fj));
    if (!fj || !(fj->path = strdup(label))) {
        free(fj);
        return sk_diag_set(d, SK_C_NOMEM, "jlis", "out of memory");
    }
    fj->memory = memory;
    pthread_rwlock_init(&fj->lock, NULL);
    *out = fj;
    return SK_OK;
}

sk_err sk_jlis_memory_open(const char *text, size_t len, const char *label, sk_jlis **out,
                           sk_diag *d)
{
    file_jlis *fj = NULL;
    char *copy = malloc(len + 1);
    sk_err err =
        copy ? file_new(label, true, &fj, d) : sk_diag_set(d, SK_C_NOMEM, "jlis", "out of memory");
    if (!err) {
        memcpy(copy, text, len);
        copy[len] = '\0';
        err = parse(label, copy, len, &fj->snap, d);
        memset(copy, 0, len); /* plain My Numbers */
    }
    free(copy);
    if (!err)
        err = sk_jlis_wrap(&file_ops, fj, out, d);
    if (err && fj)
        file_destroy(fj);
    return err;
}

static sk_err file_open(const char *path, bool attach, sk_jlis **out, sk_diag *d)
{
    file_jlis *fj = NULL;
    bool unreadable = false;
    sk_err err = file_new(path, false, &fj, d);
    if (err)
        return err;
    err = load(path, &fj->snap, &unreadable, d);
    if (err && attach && unreadable) {
        snprintf(fj->why, sizeof(fj->why), "%s", d ? d->message : "unreadable");
        err = SK_OK;
    }
    if (!err)
        err = sk_jlis_wrap(&file_ops, fj, out, d);
    if (err)
        file_destroy(fj);
    return err;
}

sk_err sk_jlis_file_open(const char *path, sk_jlis **out, sk_diag *d)
{
    return file_open(path, false, out, d);
}

sk_err sk_jlis_file_attach(const char *path, sk_jlis **out, sk_diag *d)
{
    return file_open(path, true, out, d);
}
