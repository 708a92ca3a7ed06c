/* test_store.c — the store contract. Every test runs once per compiled-in driver
 * (sk_store_drivers()), so a second driver is held to the same suite unchanged; what only
 * SQLite has (its files, WAL, checkpoints, tampering with rows) is tested in sqlite/. */
#define _GNU_SOURCE /* memmem */
#include "store_fixture.h"
static void test_schema_and_files(void **state)
{
    fixture *f = *state;
    assert_int_equal(sk_store_schema_version(f->s), sk_store_schema_latest(f->driver));
    assert_true(sk_store_schema_latest(f->driver) >= 1);
    assert_string_equal(sk_store_driver_name(f->s), f->driver);
    struct stat st;
    char key[4300];
    snprintf(key, sizeof(key), "%s.key", f->db);
    assert_int_equal(stat(key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(f->db, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* create refuses to overwrite the database or its key */
    sk_store_options o = {.dsn = f->dsn};
    sk_diag d;
    assert_int_equal(sk_store_create(&o, &d), SK_ERR_EXISTS);
    assert_int_equal(stat(key, &st), 0); /* the existing key survived */
    /* reopening applies nothing new and keeps data */
    add_insurer(f->s, "01130012", SK_INSURER_KYOKAI, "全国健康保険協会東京支部");
    sk_store_close(f->s);
    assert_int_equal(sk_store_open(&o, &f->s, &d), SK_OK);
    sk_tx *tx;
    sk_insurer_rec r;
    assert_int_equal(sk_store_begin_read(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_insurer_get(tx, "01130012", &r, &d), SK_OK);
    sk_tx_rollback(tx);
    assert_string_equal(r.name, "全国健康保険協会東京支部");
    assert_int_equal(r.kind, SK_INSURER_KYOKAI);
    /* insurers are remembered once committed (a read answers from memory the second time), but
     * one seen only inside a write transaction that rolls back is never remembered */
    assert_int_equal(sk_store_begin_read(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_insurer_get(tx, "01130012", &r, &d), SK_OK);
    sk_tx_rollback(tx);
    assert_string_equal(r.name, "全国健康保険協会東京支部");
    sk_insurer_rec x = {.kind = SK_INSURER_KYOKAI};
    snprintf(x.number, sizeof(x.number), "01130020");
    snprintf(x.name, sizeof(x.name), "ロールバックされる支部");
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_insurer_add(tx, &x, &d), SK_OK);
    assert_int_equal(sk_store_insurer_get(tx, "01130020", &r, &d), SK_OK);
    sk_tx_rollback(tx);
    assert_int_equal(sk_store_begin_read(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_insurer_get(tx, "01130020", &r, &d), SK_ERR_NOTFOUND);
    sk_tx_rollback(tx);
}

static void test_open_refuses_unsafe_key_and_missing_db(void **state)
{
    fixture *f = *state;
    char key[4300];
    snprintf(key, sizeof(key), "%s.key", f->db);
    chmod(key, 0644);
    sk_store *s2 = NULL;
    sk_store_options o = {.dsn = f->dsn};
    sk_diag d;
    assert_int_equal(sk_store_open(&o, &s2, &d), SK_ERR_CONFIG);
    assert_int_equal(d.code, SK_C_KEY_FILE);
    chmod(key, 0600);
    sk_store_options missing = {.dsn = "/nonexistent/dir/x.db", .key_file = key};
    assert_int_not_equal(sk_store_open(&missing, &s2, &d), SK_OK);
    sk_store_options bad = {.dsn = "oracle://localhost/shikaku"};
    assert_int_equal(sk_store_open(&bad, &s2, &d), SK_ERR_CONFIG);
}

/* The key file: the one named, else the driver's default beside the database; a DSN of an
 * unknown driver is refused. */
static void test_key_file(void **state)
{
    fixture *f = *state;
    char key[4400], want[4400];
    sk_diag d;
    sk_store_options o = {.dsn = f->dsn};
    assert_int_equal(sk_store_key_file(&o, key, sizeof(key), &d), SK_OK);
    snprintf(want, sizeof(want), "%s.key", f->db);
    assert_string_equal(key, want);
    sk_store_options bare = {.dsn = f->db};
    assert_int_equal(sk_store_key_file(&bare, key, sizeof(key), &d), SK_OK);
    assert_string_equal(key, want);
    sk_store_options named = {.dsn = f->dsn, .key_file = "/etc/shikaku/keys"};
    assert_int_equal(sk_store_key_file(&named, key, sizeof(key), &d), SK_OK);
    assert_string_equal(key, "/etc/shikaku/keys");
    sk_store_options bad = {.dsn = "oracle://localhost/shikaku"};
    assert_int_equal(sk_store_key_file(&bad, key, sizeof(key), &d), SK_ERR_CONFIG);
    assert_string_equal(d.field, "driver");
    sk_store_options none = {.dsn = ""};
    assert_int_equal(sk_store_key_file(&none, key, sizeof(key), &d), SK_ERR_INVALID);
    assert_string_equal(d.field, "db");
}

static void test_person_mynumber_sealed(void **state)
{
    fixture *f = *state;
    sk_tx *tx;
    sk_diag d;
    sk_person_rec p = person("髙橋　花子", "ﾀｶﾊｼ ﾊﾅｺ", D(1990, 2, 28), "123456789018");
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_person_add(tx, &p, &d), SK_OK);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);
    assert_true(p.id > 0);
    assert_int_equal(strlen(p.pid), SK_PID_LEN);

    /* the plain number is nowhere in the database files */
    sk_store_close(f->s);
    f->s = NULL;
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char path[4300];
        snprintf(path, sizeof(path), "%s%s", f->db, suffix[i]);
        FILE *fp = fopen(path, "rb");
        if (!fp)
            continue;
        static char buf[1 << 22];
        size_t n = fread(buf, 1, sizeof(buf), fp);
        fclose(fp);
        assert_null(memmem(buf, n, "123456789018", 12));
        assert_null(memmem(buf, n, "12345678", 8));
    }
    sk_store_options o = {.dsn = f->dsn};
    assert_int_equal(sk_store_open(&o, &f->s, &d), SK_OK);

    sk_person_rec got;
    assert_int_equal(sk_store_begin_read(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_person_get(tx, p.id, false, &got, &d), SK_OK);
    assert_true(got.has_mynumber);
    assert_string_equal(got.mynumber.digits, ""); /* not decrypted unless asked */
    assert_string_equal(got.info.name, "髙橋　花子");
    assert_int_equal(got.info.birthdate.d, 28);
    assert_int_equal(sk_store_person_get_by_pid(tx, p.pid, true, &got, &d), SK_OK);
    assert_string_equal(got.mynumber.digits, "123456789018");
    sk_mynumber probe;
    sk_mynumber_parse("1234-5678-9018", 14, &probe, "mn", NULL);
    assert_int_equal(sk_store_person_find_by_mynumber(tx, &probe, &got, &d), SK_OK);
    assert_int_equal(got.id, p.id);
    sk_mynumber_parse("621498320257", 12, &probe, "mn", NULL);
    assert_int_equal(sk_store_person_find_by_mynumber(tx, &probe, &got, &d), SK_ERR_NOTFOUND);
    assert_int_equal(sk_tx_error(tx), SK_OK); /* not-found does not poison */
    sk_tx_rollback(tx);
}

typedef struct person_names {
    int n;
    int64_t id[4];
    bool has_mynumber[4];
    char mynumber[4][16];
    int bd[4];
} person_names;

static sk_err person_name_cb(void *ctx, const sk_person_rec *r)
{
    person_names *s = ctx;
    if (s->n < 4) {
        s->id[s->n] = r->id;
        s->has_mynumber[s->n] = r->has_mynumber;
        snprintf(s->mynumber[s->n], sizeof(s->mynumber[0]), "%s", r->mynumber.digits);
        s->bd[s->n] = r->info.birthdate.d;
    }
    s->n++;
    return SK_OK;
}

/* Persons by their exact stored name, by id, in pages; a list never carries a My Number, only
 * whether one is on file. */
static void test_person_list_by_name(void **state)
{
    fixture *f = *state;
    sk_tx *tx;
    sk_diag d;
    sk_person_rec ps[] = {person("齋藤　\"二郎\"", "ｻｲﾄｳ ｼﾞﾛｳ", D(1985, 3, 3), "123456789018"),
                          person("齋藤　二郎", "ｻｲﾄｳ ｼﾞﾛｳ", D(1985, 3, 3), NULL),
                          person("斎藤　\"二郎\"", "ｻｲﾄｳ ｼﾞﾛｳ", D(1985, 3, 3), NULL),
                          person("齋藤　\"二郎\"", "ｻｲﾄｳ ｼﾞﾛｳ", D(1985, 3, 4), NULL)};
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++)
        assert_int_equal(sk_store_person_add(tx, &ps[i], &d), SK_OK);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);

    assert_int_equal(sk_store_begin_read(f->s, &tx, &d), SK_OK);
    person_names all = {0};
    assert_int_equal(
        sk_store_person_list_by_name(tx, "齋藤　\"二郎\"", 0, 10, person_name_cb, &all, &d), SK_OK);
    assert_int_equal(all.n, 2);
    assert_true(all.id[0] == ps[0].id && all.id[1] == ps[3].id);
    assert_true(all.has_mynumber[0] && !all.has_mynumber[1]);
    assert_string_equal(all.mynumber[0], ""); /* never the number itself */
    assert_int_equal(all.bd[1], 4);
    person_names page = {0};
    assert_int_equal(
        sk_store_person_list_by_name(tx, "齋藤　\"二郎\"", 0, 1, person_name_cb, &page, &d), SK_OK);
    assert_int_equal(page.n, 1);
    person_names next = {0};
    assert_int_equal(sk_store_person_list_by_name(tx, "齋藤　\"二郎\"", page.id[0], 1,
                                                  person_name_cb, &next, &d),
                     SK_OK);
    assert_true(next.n == 1 && next.id[0] == ps[3].id);
    person_names none = {0};
    assert_int_equal(sk_store_person_list_by_name(tx, "齋藤", 0, 10, person_name_cb, &none, &d),
                     SK_OK);
    assert_int_equal(none.n, 0);
    assert_int_equal(sk_tx_error(tx), SK_OK);
    sk_tx_rollback(tx);
}

static void test_mynumber_unique_and_rollback(void **state)
{
    fixture *f = *state;
    sk_tx *tx;
    sk_diag d;
    sk_person_rec a = person("山﨑　一郎", "ﾔﾏｻﾞｷ ｲﾁﾛｳ", D(1980, 4, 1), "621498320257");
    sk_person_rec b = person("山崎　一郎", "ﾔﾏｻﾞｷ ｲﾁﾛｳ", D(1981, 4, 1), "621498320257");
    sk_person_rec c = person("佐藤　次郎", "ｻﾄｳ ｼﾞﾛｳ", D(1970, 1, 1), NULL);
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_person_add(tx, &a, &d), SK_OK);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);

    /* a second person with the same number: the whole transaction rolls back, first error wins */
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_person_add(tx, &c, &d), SK_OK);
    assert_int_equal(sk_store_person_add(tx, &b, &d), SK_ERR_EXISTS);
    assert_int_equal(d.code, SK_C_MYNUMBER_TAKEN);
    sk_insurer_rec ins = {.number = "01130012", .kind = SK_INSURER_KYOKAI, .name = "x"};
    assert_int_equal(sk_store_insurer_add(tx, &ins, &d), SK_ERR_EXISTS); /* short-circuits */
    assert_int_equal(d.code, SK_C_MYNUMBER_TAKEN);
    sk_diag cd;
    assert_int_equal(sk_tx_commit(tx, &cd), SK_ERR_EXISTS);
    assert_int_equal(cd.code, SK_C_MYNUMBER_TAKEN);

    assert_int_equal(sk_store_begin_read(f->s, &tx, &d), SK_OK);
    sk_person_rec got;
    assert_int_equal(sk_store_person_get(tx, c.id, false, &got, &d), SK_ERR_NOTFOUND);
    assert_int_equal(sk_store_insurer_get(tx, "01130012", &ins, &d), SK_ERR_NOTFOUND);
    sk_tx_rollback(tx);

    /* set_mynumber on a person without one, then a change of number */
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_person_add(tx, &c, &d), SK_OK);
    sk_mynumber n;
    sk_mynumber_parse("983205673214", 12, &n, "mn", NULL);
    assert_int_equal(sk_store_person_set_mynumber(tx, c.id, &n, 2000, &d), SK_OK);
    assert_int_equal(sk_store_person_get(tx, c.id, true, &got, &d), SK_OK);
    assert_string_equal(got.mynumber.digits, "983205673214");
    assert_int_equal(got.updated_ms, 2000);
    sk_mynumber_parse("621498320257", 12, &n, "mn", NULL); /* a's number */
    assert_int_equal(sk_store_person_set_mynumber(tx, c.id, &n, 3000, &d), SK_ERR_EXISTS);
    assert_int_equal(d.code, SK_C_MYNUMBER_TAKEN);
    sk_tx_rollback(tx);
}

static sk_err count_cb(void *ctx, const sk_qualification_rec *r)
{
    (void)r;
    (*(int *)ctx)++;
    return SK_OK;
}

static sk_err keep_cb(void *ctx, const sk_qualification_rec *r)
{
    *(sk_qualification_rec *)ctx = *r;
    return SK_OK;
}

typedef struct key_rows {
    int n;
    sk_date on[32];
    int64_t id[32];
} key_rows;

static sk_err seen_cb(void *ctx, const sk_qualification_rec *r)
{
    key_rows *s = ctx;
    if (s->n < 32) {
        s->on[s->n] = r->acquired_on;
        s->id[s->n] = r->id;
    }
    s->n++;
    return SK_OK;
}

/* A key's rows come oldest acquisition first (then by id), whatever order they were added in:
 * a few rows are sorted by the driver, more than it sorts (a long history under one key) come
 * from the statement with ORDER BY; with and without 枝番. */
static void test_key_rows_in_acquisition_order(void **state)
{
    fixture *f = *state;
    sk_tx *tx;
    sk_diag d;
    add_insurer(f->s, "06139999", SK_INSURER_KUMIAI, "資格健康保険組合");
    sk_person_rec p = person("順序　一郎", "ｼﾞｭﾝｼﾞｮ ｲﾁﾛｳ", D(1980, 1, 1), NULL);
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_person_add(tx, &p, &d), SK_OK);
    const int counts[] = {3, 20}; /* number "3": three rows; number "20": twenty */
    for (int k = 0; k < 2; k++) {
        char num[4];
        snprintf(num, sizeof(num), "%d", counts[k]);
        for (int i = 0; i < counts[k]; i++) {
            sk_qualification_rec q = {.person_id = p.id,
                                      .insurer_number = "06139999",
                                      .relationship = SK_REL_INSURED,
                                      .insured_person_id = p.id,
                                      .card_class = "01",
                                      /* added newest first, two rows on each date */
                                      .acquired_on = D(2000 + (counts[k] - i) / 2, 4, 1),
                                      .has_lost = true,
                                      .lost_on = D(2001 + (counts[k] - i) / 2, 3, 31),
                                      .loss_reason = "99",
                                      .created_ms = 1,
                                      .updated_ms = 1};
            assert_int_equal(
                sk_cardkey_make("順", strlen("順"), num, strlen(num), "00", 2, &q.key, &d), SK_OK);
            assert_int_equal(sk_store_qualification_add(tx, &q, &d), SK_OK);
        }
    }
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);
    assert_int_equal(sk_store_begin_read(f->s, &tx, &d), SK_OK);
    for (int k = 0; k < 2; k++)
        for (int with_branch = 0; with_branch < 2; with_branch++) {
            char num[4];
            snprintf(num, sizeof(num), "%d", counts[k]);
            key_rows s = {0};
            assert_int_equal(sk_store_qualification_find_by_key(tx, "06139999", "順", num,
                                                                with_branch ? "00" : NULL, seen_cb,
                                                                &s, &d),
                             SK_OK);
            assert_int_equal(s.n, counts[k]);
            for (int i = 1; i < s.n; i++) {
                int c = sk_date_cmp(s.on[i - 1], s.on[i]);
                assert_true(c < 0 || (c == 0 && s.id[i - 1] < s.id[i]));
            }
        }
    sk_tx_rollback(tx);
}

typedef struct elig_rows {
    int n;
    int64_t id[32];
    char name[32][sizeof(((sk_person_rec *)0)->info.name)], pid[32][SK_PID_LEN + 1],
        refno[32][SK_REFNO_MAX_BYTES + 1];
    bool any_mynumber;
} elig_rows;

static sk_err elig_cb(void *ctx, const sk_elig_row *r)
{
    elig_rows *e = ctx;
    if (e->n < 32) {
        e->id[e->n] = r->q.id;
        snprintf(e->name[e->n], sizeof(e->name[0]), "%s", r->p.info.name);
        snprintf(e->pid[e->n], sizeof(e->pid[0]), "%s", r->p.pid);
        snprintf(e->refno[e->n], sizeof(e->refno[0]), "%s", r->refno);
    }
    e->any_mynumber |= r->p.has_mynumber || r->p.mynumber.digits[0];
    e->n++;
    return SK_OK;
}

/* An eligibility look-up's rows: the same rows in the same order as find_by_key (a few,
 * sorted by the driver; many, from the ordered statement), each with its person — never the
 * My Number — and the 照会番号 of the institution asking only. */
static void test_eligibility_rows(void **state)
{
    fixture *f = *state;
    sk_tx *tx;
    sk_diag d;
    add_insurer(f->s, "06139999", SK_INSURER_KUMIAI, "資格健康保険組合");
    sk_person_rec a = person("資格　一郎", "ｼｶｸ ｲﾁﾛｳ", D(1980, 1, 1), "123456789018");
    sk_person_rec b = person("資格　花子", "ｼｶｸ ﾊﾅｺ", D(1982, 2, 2), NULL);
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_person_add(tx, &a, &d), SK_OK);
    assert_int_equal(sk_store_person_add(tx, &b, &d), SK_OK);
    const int counts[] = {3, 20}; /* number "3": three rows; number "20": twenty */
    for (int k = 0; k < 2; k++) {
        char num[4];
        snprintf(num, sizeof(num), "%d", counts[k]);
        for (int i = 0; i < counts[k]; i++) {
            const sk_person_rec *who = i % 2 ? &b : &a;
            sk_qualification_rec q = {.person_id = who->id,
                                      .insurer_number = "06139999",
                                      .relationship = SK_REL_INSURED,
                                      .insured_person_id = who->id,
                                      .card_class = "01",
                                      .acquired_on = D(2000 + (counts[k] - i) / 2, 4, 1),
                                      .created_ms = 1,
                                      .updated_ms = 1};
            assert_int_equal(sk_cardkey_make("記", strlen("記"), num, strlen(num),
                                             i % 2 ? "02" : "01", 2, &q.key, &d),
                             SK_OK);
            assert_int_equal(sk_store_qualification_add(tx, &q, &d), SK_OK);
        }
    }
    assert_int_equal(sk_store_refno_set(tx, "0110113719", b.id, "カルテ-7", 1, &d), SK_OK);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);
    assert_int_equal(sk_store_begin_read(f->s, &tx, &d), SK_OK);
    static const char *const branches[] = {NULL, "01", "02"};
    for (int k = 0; k < 2; k++)
        for (int br = 0; br < 3; br++) {
            char num[4];
            snprintf(num, sizeof(num), "%d", counts[k]);
            key_rows want = {0};
            assert_int_equal(sk_store_qualification_find_by_key(tx, "06139999", "記", num,
                                                                branches[br], seen_cb, &want, &d),
                             SK_OK);
            assert_true(want.n > 0);
            for (int inst = 0; inst < 2; inst++) {
                static elig_rows got;
                memset(&got, 0, sizeof(got));
                assert_int_equal(sk_store_eligibility_by_key(
                                     tx, "06139999", "記", num, branches[br],
                                     inst ? "1310000001" : "0110113719", elig_cb, &got, &d),
                                 SK_OK);
                assert_int_equal(got.n, want.n);
                assert_false(got.any_mynumber);
                for (int i = 0; i < got.n; i++) {
                    assert_int_equal(got.id[i], want.id[i]);
                    bool is_b = strcmp(got.pid[i], b.pid) == 0;
                    assert_true(is_b || strcmp(got.pid[i], a.pid) == 0);
                    assert_string_equal(got.name[i], is_b ? b.info.name : a.info.name);
                    assert_string_equal(got.refno[i], is_b && !inst ? "カルテ-7" : "");
                }
            }
        }
    static elig_rows none;
    memset(&none, 0, sizeof(none));
    assert_int_equal(sk_store_eligibility_by_key(tx, "06139999", "記", "999", NULL, "0110113719",
                                                 elig_cb, &none, &d),
                     SK_OK);
    assert_int_equal(none.n, 0);
    sk_tx_rollback(tx);
}

static void test_qualifications(void **state)
{
    fixture *f = *state;
    sk_tx *tx;
    sk_diag d;
    add_insurer(f->s, "06139999", SK_INSURER_KUMIAI, "資格健康保険組合");
    /* 06139999 may not pass the check digit; the store keeps what the registry validated */
    sk_person_rec ins = person("診療　太郎", "ｼﾝﾘｮｳ ﾀﾛｳ", D(1985, 7, 1), NULL);
    sk_person_rec dep = person("診療　花子", "ｼﾝﾘｮｳ ﾊﾅｺ", D(2019, 4, 1), NULL);
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    sk_store_person_add(tx, &ins, &d);
    sk_store_person_add(tx, &dep, &d);
    sk_qualification_rec q1 = {.person_id = ins.id,
                               .insurer_number = "06139999",
                               .relationship = SK_REL_INSURED,
                               .insured_person_id = ins.id,
                               .card_class = "01",
                               .acquired_on = D(2024, 4, 1),
                               .limit = SK_LIMIT_A03,
                               .created_ms = 1,
                               .updated_ms = 1};
    sk_cardkey_make("記号０１", strlen("記号０１"), "0012", 4, "00", 2, &q1.key, &d);
    sk_qualification_rec q2 = q1;
    q2.person_id = dep.id;
    q2.relationship = SK_REL_DEPENDENT;
    q2.limit = SK_LIMIT_NONE;
    snprintf(q2.key.branch, sizeof(q2.key.branch), "01");
    sk_store_qualification_add(tx, &q1, &d);
    sk_store_qualification_add(tx, &q2, &d);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);

    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    int n = 0;
    assert_int_equal(sk_store_qualification_find_by_key(tx, "06139999", "記号０１", "0012", NULL,
                                                        count_cb, &n, &d),
                     SK_OK);
    assert_int_equal(n, 2); /* 枝番 omitted: both family members */
    n = 0;
    sk_store_qualification_find_by_key(tx, "06139999", "記号０１", "0012", "01", count_cb, &n, &d);
    assert_int_equal(n, 1);
    n = 0;
    sk_store_qualification_find_by_key(tx, "06139999", "記号01", "0012", NULL, count_cb, &n, &d);
    assert_int_equal(n, 0); /* exact comparison: no width folding in keys */
    n = 0;
    sk_store_qualification_find_by_key(tx, "06139999", "記号０１", "12", NULL, count_cb, &n, &d);
    assert_int_equal(n, 0); /* leading zeros are significant */

    /* loss and 閲覧停止 */
    q1.has_lost = true;
    q1.lost_on = D(2026, 4, 1);
    snprintf(q1.loss_reason, sizeof(q1.loss_reason), "99");
    q1.display_stopped = true;
    q1.registered_ms = 5000;
    q1.updated_ms = 6000;
    assert_int_equal(sk_store_qualification_update(tx, &q1, &d), SK_OK);
    sk_qualification_rec got;
    assert_int_equal(sk_store_qualification_get(tx, q1.id, &got, &d), SK_OK);
    assert_true(got.has_lost);
    assert_int_equal(got.lost_on.y, 2026);
    assert_string_equal(got.loss_reason, "99");
    assert_true(got.display_stopped);
    assert_int_equal(got.limit, SK_LIMIT_A03);
    assert_string_equal(got.key.symbol, "記号０１");
    n = 0;
    sk_store_qualification_list_by_person(tx, dep.id, keep_cb, &got, &d);
    assert_int_equal(got.relationship, SK_REL_DEPENDENT);
    assert_int_equal(got.insured_person_id, ins.id);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);

    /* loss before acquisition is refused by the store as well */
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    q2.has_lost = true;
    q2.lost_on = D(2024, 3, 31);
    assert_int_not_equal(sk_store_qualification_update(tx, &q2, &d), SK_OK);
    sk_tx_rollback(tx);
    /* a qualification for a person who does not exist */
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    sk_qualification_rec q3 = q1;
    q3.person_id = 999999;
    assert_int_equal(sk_store_qualification_add(tx, &q3, &d), SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_FOREIGN_KEY);
    sk_tx_rollback(tx);
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    q3 = q1;
    q3.id = 424242;
    assert_int_equal(sk_store_qualification_update(tx, &q3, &d), SK_ERR_NOTFOUND);
    sk_tx_rollback(tx);
}

static sk_err event_cb(void *ctx, const sk_notification_event *e)
{
    char *acc = ctx;
    strcat(acc, sk_notification_state_name(e->state));
    strcat(acc, ";");
    return SK_OK;
}

static void test_notifications_and_idempotency(void **state)
{
    fixture *f = *state;
    sk_tx *tx;
    sk_diag d;
    add_insurer(f->s, "01130012", SK_INSURER_KYOKAI, "協会けんぽ東京");
    sk_employer_rec e = {.insurer_number = "01130012",
                         .name = "株式会社シカク",
                         .office_code = "ｱｲｳ",
                         .created_ms = 1};
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_employer_add(tx, &e, &d), SK_OK);
    sk_notification_rec n = {.kind = "acquisition",
                             .insurer_number = "01130012",
                             .employer_id = e.id,
                             .submitter = "employer:1",
                             .idem_key = "k-1",
                             .state = SK_STATE_RECEIVED,
                             .has_event_date = true,
                             .event_date = D(2026, 12, 1),
                             .filed_ms = 100,
                             .payload = "{\"name\":\"診療 太郎\"}"};
    assert_int_equal(sk_store_notification_add(tx, &n, &d), SK_OK);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);

    /* the same key again is a duplicate; the service answers with the first result */
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    sk_notification_rec dup = n;
    assert_int_equal(sk_store_notification_add(tx, &dup, &d), SK_ERR_EXISTS);
    assert_int_equal(d.code, SK_C_DUPLICATE);
    sk_tx_rollback(tx);

    sk_arena *a = sk_arena_alloc(0, 0);
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    sk_notification_rec got;
    assert_int_equal(sk_store_notification_find_idem(tx, "employer:1", "k-1", a, &got, &d), SK_OK);
    assert_int_equal(got.id, n.id);
    assert_string_equal(got.payload, "{\"name\":\"診療 太郎\"}");
    assert_int_equal(sk_store_notification_find_idem(tx, "employer:2", "k-1", a, &got, &d),
                     SK_ERR_NOTFOUND);
    got = n;
    got.state = SK_STATE_REGISTERED;
    got.registered_ms = 200;
    assert_int_equal(sk_store_notification_transition(tx, &got, 200, "registered at once", &d),
                     SK_OK);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);

    assert_int_equal(sk_store_begin_read(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_notification_get(tx, n.id, a, &got, &d), SK_OK);
    assert_int_equal(got.state, SK_STATE_REGISTERED);
    assert_int_equal(got.registered_ms, 200);
    assert_int_equal(got.filed_ms, 100);
    assert_true(got.has_event_date);
    assert_int_equal(got.employer_id, e.id);
    char events[256] = "";
    assert_int_equal(sk_store_notification_events(tx, n.id, event_cb, events, &d), SK_OK);
    assert_string_equal(events, "received;registered;");
    sk_employer_rec eg;
    assert_int_equal(sk_store_employer_get(tx, e.id, &eg, &d), SK_OK);
    assert_string_equal(eg.name, "株式会社シカク");
    assert_int_equal(sk_store_employer_get(tx, 9999, &eg, &d), SK_ERR_NOTFOUND);
    sk_tx_rollback(tx);
    sk_arena_free(a);
}

static sk_err count_state_cb(void *ctx, const char *state, int64_t count)
{
    char *acc = ctx;
    char part[64];
    snprintf(part, sizeof(part), "%s=%lld;", state, (long long)count);
    strcat(acc, part);
    return SK_OK;
}

static void test_notification_counts(void **state)
{
    fixture *f = *state;
    sk_tx *tx;
    sk_diag d;
    char acc[256] = "";
    add_insurer(f->s, "01130012", SK_INSURER_KYOKAI, "協会けんぽ東京");
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_notification_count_by_state(tx, count_state_cb, acc, &d), SK_OK);
    assert_string_equal(acc, "");
    static const char *states[] = {"registered", "invalid", "registered", "pending_my_number"};
    for (int i = 0; i < 4; i++) {
        sk_notification_rec n = {.kind = "acquisition",
                                 .insurer_number = "01130012",
                                 .submitter = "employer:1",
                                 .filed_ms = 1,
                                 .payload = "{}"};
        assert_true(sk_notification_state_from_name(states[i], &n.state));
        assert_int_equal(sk_store_notification_add(tx, &n, &d), SK_OK);
    }
    assert_int_equal(sk_store_notification_count_by_state(tx, count_state_cb, acc, &d), SK_OK);
    assert_string_equal(acc, "invalid=1;pending_my_number=1;registered=2;");
    sk_tx_rollback(tx);
}

typedef struct notif_ids {
    int n;
    int64_t id[8];
    char kind[8][32];
} notif_ids;

static sk_err notif_id_cb(void *ctx, const sk_notification_rec *r)
{
    notif_ids *s = ctx;
    if (s->n < 8) {
        s->id[s->n] = r->id;
        snprintf(s->kind[s->n], sizeof(s->kind[0]), "%s", r->kind);
    }
    s->n++;
    return SK_OK;
}

/* An insurer's 届出 in one state, by id, in pages; another insurer's and other states' are not
 * listed. */
static void test_notification_list_by_insurer(void **state)
{
    fixture *f = *state;
    sk_tx *tx;
    sk_diag d;
    sk_arena *a = sk_arena_alloc(0, 0);
    add_insurer(f->s, "01130012", SK_INSURER_KYOKAI, "協会けんぽ東京");
    add_insurer(f->s, "06139999", SK_INSURER_KUMIAI, "健保組合");
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    static const struct {
        const char *insurer, *state, *kind;
    } rows[] = {{"01130012", "pending_my_number", "acquisition"},
                {"06139999", "pending_my_number", "acquisition"},
                {"01130012", "registered", "loss"},
                {"01130012", "pending_my_number", "dependent_add"},
                {"01130012", "pending_my_number", "mynumber_register"}};
    int64_t ids[5];
    for (int i = 0; i < 5; i++) {
        sk_notification_rec n = {.insurer_number = "", .submitter = "employer:1", .filed_ms = 1};
        snprintf(n.insurer_number, sizeof(n.insurer_number), "%s", rows[i].insurer);
        assert_true(sk_notification_state_from_name(rows[i].state, &n.state));
        snprintf(n.kind, sizeof(n.kind), "%s", rows[i].kind);
        assert_int_equal(sk_store_notification_add(tx, &n, &d), SK_OK);
        ids[i] = n.id;
    }
    notif_ids got = {0};
    assert_int_equal(sk_store_notification_list_by_insurer(tx, "01130012", "pending_my_number", 0,
                                                           2, a, notif_id_cb, &got, &d),
                     SK_OK);
    assert_int_equal(got.n, 2);
    assert_true(got.id[0] == ids[0] && got.id[1] == ids[3]);
    assert_string_equal(got.kind[1], "dependent_add");
    notif_ids next = {0};
    assert_int_equal(sk_store_notification_list_by_insurer(tx, "01130012", "pending_my_number",
                                                           got.id[1], 2, a, notif_id_cb, &next, &d),
                     SK_OK);
    assert_int_equal(next.n, 1);
    assert_true(next.id[0] == ids[4]);
    notif_ids none = {0};
    assert_int_equal(sk_store_notification_list_by_insurer(tx, "06139999", "registered", 0, 10, a,
                                                           notif_id_cb, &none, &d),
                     SK_OK);
    assert_int_equal(none.n, 0);
    sk_tx_rollback(tx);
    sk_arena_free(a);
}

typedef struct notif_keys {
    int n;
    int64_t id[8];
    char key[8][128];
} notif_keys;

static sk_err notif_key_cb(void *ctx, const sk_notification_rec *r)
{
    notif_keys *s = ctx;
    if (s->n < 8) {
        s->id[s->n] = r->id;
        snprintf(s->key[s->n], sizeof(s->key[0]), "%s", r->idem_key);
    }
    s->n++;
    return SK_OK;
}

/* Every 届出, or an insurer's, or those in a state, or both, by id, in pages — with their
 * idempotency keys. */
static void test_notification_list_page(void **state)
{
    fixture *f = *state;
    sk_tx *tx;
    sk_diag d;
    sk_arena *a = sk_arena_alloc(0, 0);
    add_insurer(f->s, "01130012", SK_INSURER_KYOKAI, "協会けんぽ東京");
    add_insurer(f->s, "06139999", SK_INSURER_KUMIAI, "健保組合");
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    static const struct {
        const char *insurer, *state, *key;
    } rows[] = {{"01130012", "pending_my_number", "k-1"},
                {"06139999", "pending_my_number", ""},
                {"01130012", "registered", "k-3"},
                {"01130012", "pending_my_number", "k-4"},
                {"06139999", "registered", "k-5"}};
    int64_t ids[5];
    for (int i = 0; i < 5; i++) {
        sk_notification_rec n = {.kind = "acquisition", .submitter = "employer:1", .filed_ms = 1};
        snprintf(n.insurer_number, sizeof(n.insurer_number), "%s", rows[i].insurer);
        assert_true(sk_notification_state_from_name(rows[i].state, &n.state));
        snprintf(n.idem_key, sizeof(n.idem_key), "%s", rows[i].key);
        assert_int_equal(sk_store_notification_add(tx, &n, &d), SK_OK);
        ids[i] = n.id;
    }
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);

    assert_int_equal(sk_store_begin_read(f->s, &tx, &d), SK_OK);
    notif_keys all = {0};
    assert_int_equal(
        sk_store_notification_list_page(tx, NULL, NULL, 0, 10, a, notif_key_cb, &all, &d), SK_OK);
    assert_int_equal(all.n, 5);
    for (int i = 0; i < 5; i++) {
        assert_true(all.id[i] == ids[i]);
        assert_string_equal(all.key[i], rows[i].key);
    }
    notif_keys ins = {0};
    assert_int_equal(
        sk_store_notification_list_page(tx, "06139999", NULL, 0, 10, a, notif_key_cb, &ins, &d),
        SK_OK);
    assert_true(ins.n == 2 && ins.id[0] == ids[1] && ins.id[1] == ids[4]);
    notif_keys st = {0};
    assert_int_equal(
        sk_store_notification_list_page(tx, NULL, "registered", 0, 10, a, notif_key_cb, &st, &d),
        SK_OK);
    assert_true(st.n == 2 && st.id[0] == ids[2] && st.id[1] == ids[4]);
    notif_keys both = {0};
    assert_int_equal(sk_store_notification_list_page(tx, "01130012", "pending_my_number", 0, 10, a,
                                                     notif_key_cb, &both, &d),
                     SK_OK);
    assert_true(both.n == 2 && both.id[0] == ids[0] && both.id[1] == ids[3]);
    notif_keys page = {0}, next = {0};
    assert_int_equal(
        sk_store_notification_list_page(tx, NULL, NULL, 0, 2, a, notif_key_cb, &page, &d), SK_OK);
    assert_int_equal(page.n, 2);
    assert_int_equal(
        sk_store_notification_list_page(tx, NULL, NULL, page.id[1], 2, a, notif_key_cb, &next, &d),
        SK_OK);
    assert_true(next.n == 2 && next.id[0] == ids[2] && next.id[1] == ids[3]);
    notif_keys none = {0};
    assert_int_equal(sk_store_notification_list_page(tx, "01130012", "withdrawn", 0, 10, a,
                                                     notif_key_cb, &none, &d),
                     SK_OK);
    assert_int_equal(none.n, 0);
    sk_tx_rollback(tx);
    sk_arena_free(a);
}

typedef struct audit_seen {
    int n;
    int64_t id[8];
    char action[8][64];
    uint8_t hash[8][SK_SHA256_BYTES];
} audit_seen;

static sk_err audit_seen_cb(void *ctx, const sk_audit_rec *r)
{
    audit_seen *s = ctx;
    if (s->n < 8) {
        s->id[s->n] = r->id;
        snprintf(s->action[s->n], sizeof(s->action[0]), "%s", r->action);
        memcpy(s->hash[s->n], r->hash, SK_SHA256_BYTES);
    }
    s->n++;
    return SK_OK;
}

/* The audit chain's rows, all or one action's, by id, in pages: the rows audit_list gives. */
static void test_audit_list_page(void **state)
{
    fixture *f = *state;
    sk_tx *tx;
    sk_diag d;
    static const char *actions[] = {"notification.file", "principal.add", "notification.file",
                                    "work_item.resolve", "notification.file"};
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    for (int i = 0; i < 5; i++) {
        sk_audit_rec r = {.at_ms = 1000 + i, .actor = "cli", .object = "x"};
        snprintf(r.action, sizeof(r.action), "%s", actions[i]);
        assert_int_equal(sk_store_audit_append(tx, &r, &d), SK_OK);
    }
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);

    assert_int_equal(sk_store_begin_read(f->s, &tx, &d), SK_OK);
    audit_seen every = {0}, all = {0};
    assert_int_equal(sk_store_audit_list(tx, audit_seen_cb, &every, &d), SK_OK);
    assert_int_equal(sk_store_audit_list_page(tx, NULL, 0, 10, audit_seen_cb, &all, &d), SK_OK);
    assert_int_equal(all.n, 5);
    for (int i = 0; i < 5; i++) {
        assert_true(all.id[i] == every.id[i]);
        assert_string_equal(all.action[i], actions[i]);
        assert_memory_equal(all.hash[i], every.hash[i], SK_SHA256_BYTES);
    }
    audit_seen filed = {0};
    assert_int_equal(
        sk_store_audit_list_page(tx, "notification.file", 0, 10, audit_seen_cb, &filed, &d), SK_OK);
    assert_true(filed.n == 3 && filed.id[0] == all.id[0] && filed.id[1] == all.id[2] &&
                filed.id[2] == all.id[4]);
    audit_seen page = {0};
    assert_int_equal(
        sk_store_audit_list_page(tx, "notification.file", filed.id[0], 1, audit_seen_cb, &page, &d),
        SK_OK);
    assert_true(page.n == 1 && page.id[0] == all.id[2]);
    audit_seen none = {0};
    assert_int_equal(
        sk_store_audit_list_page(tx, "eligibility.lookup", 0, 10, audit_seen_cb, &none, &d), SK_OK);
    assert_int_equal(none.n, 0);
    sk_tx_rollback(tx);
}

static void test_audit_chain(void **state)
{
    fixture *f = *state;
    sk_tx *tx;
    sk_diag d;
    int64_t bad = -1, rows = -1;
    assert_int_equal(sk_store_audit_verify(f->s, &bad, &rows, &d), SK_OK);
    assert_int_equal(rows, 0);
    assert_int_equal(bad, 0);
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    for (int i = 0; i < 5; i++) {
        sk_audit_rec r = {.at_ms = 1000 + i, .actor = "insurer:01130012", .action = "view"};
        snprintf(r.object, sizeof(r.object), "person:%d", i);
        snprintf(r.detail, sizeof(r.detail),
                 "asked with 123456789018 persons=33dbb6c987654321770bd9a05387fc8d");
        assert_int_equal(sk_store_audit_append(tx, &r, &d), SK_OK);
        assert_null(strstr(r.detail, "12345678")); /* scrubbed before hashing and storing */
        /* a person's public id keeps its digits: the row still says whom it showed */
        assert_non_null(strstr(r.detail, "persons=33dbb6c987654321770bd9a05387fc8d"));
    }
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);
    assert_int_equal(sk_store_audit_verify(f->s, &bad, &rows, &d), SK_OK);
    assert_int_equal(rows, 5);
    assert_int_equal(bad, 0);
}

/* Jobs of one group commit share a transaction and the chain head it remembers; a job that
 * fails after appending rows is undone (savepoint), and the next job must chain onto the row
 * before it, not onto the undone one. */
static sk_err two_rows_job(sk_tx *tx, void *ctx, sk_diag *d)
{
    int n = *(int *)ctx;
    for (int i = 0; i < 2; i++) {
        sk_audit_rec r = {.at_ms = 2000 + n * 10 + i, .actor = "test", .action = "batch"};
        snprintf(r.object, sizeof(r.object), "job:%d", n);
        if (sk_store_audit_append(tx, &r, d))
            return sk_tx_error(tx);
    }
    if (n == 1)
        return sk_diag_set(d, SK_C_REQUIRED, "job", "job 1 fails after its rows");
    return SK_OK;
}

static void test_audit_chain_across_undone_job(void **state)
{
    fixture *f = *state;
    sk_diag d;
    int ids[3] = {0, 1, 2};
    sk_store_job jobs[3];
    memset(jobs, 0, sizeof(jobs));
    for (int i = 0; i < 3; i++)
        jobs[i] = (sk_store_job){.fn = two_rows_job, .ctx = &ids[i]};
    sk_store_run_many(f->s, jobs, 3);
    assert_int_equal(jobs[0].err, SK_OK);
    assert_int_equal(jobs[1].err, SK_ERR_INVALID);
    assert_int_equal(jobs[2].err, SK_OK);
    int64_t bad = -1, rows = -1;
    assert_int_equal(sk_store_audit_verify(f->s, &bad, &rows, &d), SK_OK);
    assert_int_equal(rows, 4);
    assert_int_equal(bad, 0);
}

/* The anchor follows the chain: after a group commit and after a transaction of its own it
 * names the head as it is durable; sk_store_audit_check finds the chain intact and anchored,
 * an anchor edited by hand forged, an anchor removed missing, and one that names more rows
 * than the chain holds (the chain cut short: here, the anchor of a longer copy) truncation. A
 * look-up log is anchored with the registry's key file, and its anchor is not the registry's. */
static void test_audit_anchor(void **state)
{
    fixture *f = *state;
    sk_diag d;
    sk_audit_check c;
    char anchor[4400];
    snprintf(anchor, sizeof(anchor), "%s.anchor", f->db);
    assert_int_equal(sk_store_audit_check(f->s, NULL, &c, &d), SK_OK);
    assert_int_equal(c.outcome, SK_AUDIT_INTACT); /* created with the database: 0 rows */
    assert_true(c.anchored);
    assert_int_equal(c.anchor.last_id, 0);
    int ids[3] = {0, 1, 2};
    sk_store_job jobs[3];
    memset(jobs, 0, sizeof(jobs));
    for (int i = 0; i < 3; i++)
        jobs[i] = (sk_store_job){.fn = two_rows_job, .ctx = &ids[i]};
    sk_store_run_many(f->s, jobs, 3); /* four rows: job 1 is undone */
    sk_audit_head h;
    assert_int_equal(sk_store_audit_head(f->s, &h, &d), SK_OK);
    assert_int_equal(h.last_id, 4);
    assert_int_equal(sk_store_audit_check(f->s, NULL, &c, &d), SK_OK);
    assert_int_equal(c.outcome, SK_AUDIT_INTACT);
    assert_true(c.anchored);
    assert_int_equal(c.anchor.last_id, 4);
    assert_int_equal(c.anchor.rows, 4);
    assert_memory_equal(c.anchor.hash, h.hash, SK_SHA256_BYTES);
    sk_tx *tx;
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    sk_audit_rec r = {.at_ms = 9000, .actor = "cli", .action = "direct", .object = "x"};
    assert_int_equal(sk_store_audit_append(tx, &r, &d), SK_OK);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);
    assert_int_equal(sk_store_audit_check(f->s, NULL, &c, &d), SK_OK);
    assert_int_equal(c.anchor.last_id, 5);
    /* a head the chain must reach: beyond its end is truncation */
    sk_audit_head beyond = h;
    beyond.last_id = beyond.rows = 9;
    assert_int_equal(sk_store_audit_check(f->s, &beyond, &c, &d), SK_OK);
    assert_int_equal(c.outcome, SK_AUDIT_TRUNCATED);
    assert_int_equal(c.want_id, 9);
    assert_non_null(strstr(c.why, "after id 5"));
    /* a head that differs at its row: the chain was cut and written again */
    assert_int_equal(sk_store_audit_check(f->s, &h, &c, &d), SK_OK);
    assert_int_equal(c.outcome, SK_AUDIT_INTACT);
    h.hash[0] ^= 1;
    assert_int_equal(sk_store_audit_check(f->s, &h, &c, &d), SK_OK);
    assert_int_equal(c.outcome, SK_AUDIT_BROKEN);
    assert_int_equal(c.first_bad, 4);
    /* edited: one digit of the rows */
    char buf[512];
    FILE *fp = fopen(anchor, "r+");
    assert_non_null(fp);
    size_t n = fread(buf, 1, sizeof(buf), fp);
    assert_true(n > 0);
    char *rows = strstr(buf, "rows=");
    assert_non_null(rows);
    rows[24] = '6'; /* rows=…05 → …06 */
    fseek(fp, 0, SEEK_SET);
    fwrite(buf, 1, n, fp);
    fclose(fp);
    assert_int_equal(sk_store_audit_check(f->s, NULL, &c, &d), SK_OK);
    assert_int_equal(c.outcome, SK_AUDIT_ANCHOR_FORGED);
    assert_non_null(strstr(c.why, "does not verify"));
    /* a forged anchor is never overwritten: the evidence stays */
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_audit_append(tx, &r, &d), SK_OK);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);
    assert_int_equal(sk_store_audit_check(f->s, NULL, &c, &d), SK_OK);
    assert_int_equal(c.outcome, SK_AUDIT_ANCHOR_FORGED);
    assert_int_equal(sk_store_health(f->s, &d), SK_ERR_CRYPTO);
    assert_int_equal(d.code, SK_C_AUDIT_ANCHOR);
    /* removed */
    assert_int_equal(remove(anchor), 0);
    assert_int_equal(sk_store_audit_check(f->s, NULL, &c, &d), SK_OK);
    assert_int_equal(c.outcome, SK_AUDIT_ANCHOR_MISSING);
    /* a look-up log keyed with the registry's key file has its own anchor */
    char path[4300], key[4300];
    assert_true(sk_store_lookup_log_path(f->db, path, sizeof(path)));
    snprintf(key, sizeof(key), "%s.key", f->db);
    sk_store_options o = {.dsn = path, .kind = SK_STORE_LOOKUP_LOG, .key_file = key};
    sk_store *log = NULL;
    assert_int_equal(sk_store_open(&o, &log, &d), SK_OK);
    assert_int_equal(sk_store_begin(log, &tx, &d), SK_OK);
    assert_int_equal(sk_store_audit_append(tx, &r, &d), SK_OK);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);
    bool found = false;
    assert_int_equal(sk_store_anchor_peek(&o, &found, &h, &d), SK_OK);
    assert_true(found);
    assert_int_equal(h.last_id, 1);
    sk_store_close(log);
    /* the registry's anchor put in its place does not verify (its chain is named) */
    char log_anchor[4400];
    snprintf(log_anchor, sizeof(log_anchor), "%s.anchor", path);
    sk_store_options ro = {.dsn = f->dsn};
    assert_int_equal(sk_store_open(&ro, &log, &d), SK_OK); /* a second registry handle */
    assert_int_equal(sk_store_begin(log, &tx, &d), SK_OK);
    assert_int_equal(sk_store_audit_append(tx, &r, &d), SK_OK);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK); /* writes a fresh registry anchor */
    sk_store_close(log);
    assert_int_equal(rename(anchor, log_anchor), 0);
    assert_int_equal(sk_store_anchor_peek(&o, &found, &h, &d), SK_ERR_CRYPTO);
    assert_non_null(strstr(d.message, "another chain"));
}

/* The look-up log: its own file beside the database, created owner-only on first open, with
 * its own intact chain; a registry is not a look-up log. */
static void test_lookup_log(void **state)
{
    fixture *f = *state;
    sk_diag d;
    char path[4300];
    assert_true(sk_store_lookup_log_path(f->db, path, sizeof(path)));
    assert_non_null(strstr(path, "t.db.lookups"));
    char tiny[8];
    assert_false(sk_store_lookup_log_path(f->db, tiny, sizeof(tiny)));
    sk_store_options o = {.dsn = path, .kind = SK_STORE_LOOKUP_LOG};
    sk_store *log = NULL;
    assert_int_equal(sk_store_open(&o, &log, &d), SK_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    sk_tx *tx;
    assert_int_equal(sk_store_begin(log, &tx, &d), SK_OK);
    for (int i = 0; i < 3; i++) {
        sk_audit_rec r = {.at_ms = 5000 + i,
                          .actor = "principal:1",
                          .action = "eligibility.lookup",
                          .object = "institution:0110113719"};
        assert_int_equal(sk_store_audit_append(tx, &r, &d), SK_OK);
    }
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);
    sk_store_close(log);
    assert_int_equal(sk_store_open(&o, &log, &d), SK_OK); /* reopened, not recreated */
    int64_t bad = -1, rows = -1;
    assert_int_equal(sk_store_audit_verify(log, &bad, &rows, &d), SK_OK);
    assert_int_equal(rows, 3);
    assert_int_equal(bad, 0);
    /* its rows are read the registry's way (`shikaku audit list --lookups`) */
    audit_seen seen = {0};
    assert_int_equal(sk_store_begin_read(log, &tx, &d), SK_OK);
    assert_int_equal(
        sk_store_audit_list_page(tx, "eligibility.lookup", 0, 10, audit_seen_cb, &seen, &d), SK_OK);
    sk_tx_rollback(tx);
    assert_int_equal(seen.n, 3);
    sk_store_close(log);
    /* the registry's own chain has none of them */
    assert_int_equal(sk_store_audit_verify(f->s, &bad, &rows, &d), SK_OK);
    assert_int_equal(rows, 0);
    /* a registry opened as a look-up log is refused */
    sk_store_options wrong = {.dsn = f->dsn, .kind = SK_STORE_LOOKUP_LOG};
    assert_int_not_equal(sk_store_open(&wrong, &log, &d), SK_OK);
    assert_non_null(strstr(d.message, "registry"));
}

/* A read-only transaction is kept for the thread's next one while nothing is committed
 * (sqlite.c "Read snapshots"): every commit must still be seen at once — by another
 * connection, another process, this store's group commit — and a snapshot left idle must
 * not hold back a checkpoint. */

static void test_read_snapshot_sees_every_commit(void **state)
{
    fixture *f = *state;
    sk_diag d;
    assert_int_equal(audit_rows(f->s), 0); /* this thread now holds a snapshot */
    assert_int_equal(audit_rows(f->s), 0);
    /* another connection (another pool on the same file) commits */
    sk_store_options o = {.dsn = f->dsn};
    sk_store *other = NULL;
    assert_int_equal(sk_store_open(&o, &other, &d), SK_OK);
    assert_int_equal(sk_store_run(other, one_row_job, NULL, &d), SK_OK);
    assert_int_equal(audit_rows(f->s), 1);
    sk_store_close(other);
    /* this store's group commit */
    assert_int_equal(sk_store_run(f->s, one_row_job, NULL, &d), SK_OK);
    assert_int_equal(audit_rows(f->s), 2);
}

/* Checkpoints run off the commit path (sqlite.c "Checkpoints"): with the janitor's threshold
 * at 1,024 frames, about 1,600 are written — far below the 8,192 at which a committing
 * connection would checkpoint — and the store's own thread copies them into the database file
 * (which grows past 2 MB) but for fewer than 1,024, with nothing more committed. Read from
 * the -shm file: mxFrame (offset 16) and nBackfill (offset 96), walformat.html §2. */

typedef struct race {
    sk_store *s;
    atomic_int phase; /* 0 reader reads, 1 writer commits, 2 reader checks, 3 stop */
    int rounds, stale, failed;
} race;

static void *race_reader(void *p)
{
    race *r = p;
    int64_t seen = -1;
    for (;;) {
        int ph;
        while ((ph = atomic_load(&r->phase)) == 1)
            sched_yield();
        if (ph == 3)
            return NULL;
        sk_diag d;
        int64_t bad = 0, rows = -1;
        if (sk_store_audit_verify(r->s, &bad, &rows, &d) != SK_OK)
            r->failed++;
        if (ph == 2 && rows != seen + 1)
            r->stale++;
        seen = rows;
        r->rounds++;
        atomic_store(&r->phase, 1);
    }
}

static void test_read_snapshot_under_concurrent_commits(void **state)
{
    fixture *f = *state;
    race r = {.s = f->s};
    atomic_init(&r.phase, 0);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, race_reader, &r), 0);
    sk_diag d;
    for (int n = 0; n < 200; n++) {
        while (atomic_load(&r.phase) != 1)
            sched_yield();
        assert_int_equal(sk_store_run(f->s, one_row_job, NULL, &d), SK_OK);
        atomic_store(&r.phase, 2);
    }
    while (atomic_load(&r.phase) != 1)
        sched_yield();
    atomic_store(&r.phase, 3);
    pthread_join(t, NULL);
    assert_int_equal(r.failed, 0);
    assert_int_equal(r.stale, 0);
    assert_int_equal(r.rounds, 201);
}

static void test_principals(void **state)
{
    fixture *f = *state;
    sk_tx *tx;
    sk_diag d;
    sk_principal_rec p = {
        .role = SK_ROLE_INSTITUTION, .scope = "0110113719", .label = "clinic", .created_ms = 1};
    sk_sha256("token", 5, p.token_hash);
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_principal_add(tx, &p, &d), SK_OK);
    sk_principal_rec bad = p;
    bad.role = (sk_role)99; /* a name the database does not know ("?") */
    sk_sha256("other", 5, bad.token_hash);
    assert_int_not_equal(sk_store_principal_add(tx, &bad, &d), SK_OK); /* role CHECK */
    sk_tx_rollback(tx);
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_principal_add(tx, &p, &d), SK_OK);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);
    sk_principal_rec got;
    assert_int_equal(sk_store_begin_read(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_principal_find_by_token_hash(tx, p.token_hash, &got, &d), SK_OK);
    assert_string_equal(got.scope, "0110113719");
    assert_int_equal(got.role, SK_ROLE_INSTITUTION);
    uint8_t h[32];
    sk_sha256("nope", 4, h);
    assert_int_equal(sk_store_principal_find_by_token_hash(tx, h, &got, &d), SK_ERR_NOTFOUND);
    sk_tx_rollback(tx);
}

typedef struct {
    sk_store *s;
    int base;
    sk_err err;
} writer_arg;

static void *writer(void *p)
{
    writer_arg *w = p;
    sk_diag d;
    for (int i = 0; i < 50 && !w->err; i++) {
        sk_tx *tx;
        w->err = sk_store_begin(w->s, &tx, &d);
        if (w->err)
            break;
        sk_audit_rec r = {.at_ms = w->base + i, .actor = "t", .action = "write"};
        snprintf(r.object, sizeof(r.object), "obj:%d:%d", w->base, i);
        sk_store_audit_append(tx, &r, &d);
        w->err = sk_tx_commit(tx, &d);
    }
    return NULL;
}

static void test_threads_share_a_store(void **state)
{
    fixture *f = *state;
    /* one connection per thread; writers serialise in the database, the chain stays intact */
    pthread_t t[4];
    writer_arg a[4];
    for (int i = 0; i < 4; i++) {
        a[i] = (writer_arg){f->s, i * 1000, SK_OK};
        pthread_create(&t[i], NULL, writer, &a[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(a[i].err, SK_OK);
    }
    int64_t bad, rows;
    sk_diag d;
    assert_int_equal(sk_store_audit_verify(f->s, &bad, &rows, &d), SK_OK);
    assert_int_equal(rows, 200);
    assert_int_equal(bad, 0);
}

/* ---- group commit (sk_store_run) ---- */

typedef struct run_arg {
    sk_store *s;
    int base, n;
    sk_err err;
} run_arg;

static sk_err audit_job(sk_tx *tx, void *ctx, sk_diag *d)
{
    int *v = ctx;
    sk_audit_rec r = {.at_ms = *v, .actor = "t", .action = "run"};
    snprintf(r.object, sizeof(r.object), "obj:%d", *v);
    sk_store_audit_append(tx, &r, d);
    return sk_tx_error(tx);
}

static void *runner(void *p)
{
    run_arg *a = p;
    sk_diag d;
    for (int i = 0; i < a->n && !a->err; i++) {
        int v = a->base + i;
        a->err = sk_store_run(a->s, audit_job, &v, &d);
    }
    return NULL;
}

/* Many threads through the group commit: every acknowledged job is there after the store is
 * closed and opened again, exactly once, in one intact chain. */
static void test_group_commit_survives_reopen(void **state)
{
    fixture *f = *state;
    pthread_t t[8];
    run_arg a[8];
    for (int i = 0; i < 8; i++) {
        a[i] = (run_arg){f->s, i * 1000, 40, SK_OK};
        pthread_create(&t[i], NULL, runner, &a[i]);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(a[i].err, SK_OK);
    }
    sk_store_close(f->s);
    sk_store_options o = {.dsn = f->dsn};
    sk_diag d;
    assert_int_equal(sk_store_open(&o, &f->s, &d), SK_OK);
    int64_t bad, rows;
    assert_int_equal(sk_store_audit_verify(f->s, &bad, &rows, &d), SK_OK);
    assert_int_equal(rows, 8 * 40);
    assert_int_equal(bad, 0);
}

static void test_bulk_requests(void **state)
{
    fixture *f = *state;
    sk_tx *tx;
    sk_diag d;
    sk_arena *a = sk_arena_alloc(0, 1 << 20);
    sk_bulk_rec r = {.reception = "1234567890123456",
                     .message = "OQSmuquc01",
                     .institution = "0110113719",
                     .principal_id = 7,
                     .charset = 1,
                     .request = "{\"XmlMsg\":{}}",
                     .created_ms = 1000};
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_bulk_add(tx, &r, &d), SK_OK);
    assert_true(r.id > 0);
    sk_bulk_rec dup = r;
    assert_int_equal(sk_store_bulk_add(tx, &dup, &d), SK_ERR_EXISTS);
    sk_tx_rollback(tx);
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_bulk_add(tx, &r, &d), SK_OK);
    r.created_ms = 5000;
    memcpy(r.reception, "2234567890123456", 17);
    assert_int_equal(sk_store_bulk_add(tx, &r, &d), SK_OK);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);

    sk_bulk_rec got;
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_bulk_next_pending(tx, a, &got, &d), SK_OK);
    assert_string_equal(got.reception, "1234567890123456"); /* oldest first */
    assert_string_equal(got.institution, "0110113719");
    assert_int_equal(got.charset, 1);
    assert_int_equal(got.principal_id, 7);
    assert_string_equal(got.request, "{\"XmlMsg\":{}}");
    assert_null(got.result);
    assert_int_equal(sk_store_bulk_finish(tx, got.id, "{\"r\":1}", 2000, &d), SK_OK);
    int64_t removed;
    assert_int_equal(sk_store_bulk_purge(tx, 1000, &removed, &d), SK_OK);
    assert_int_equal(removed, 0); /* created at 1000: not before 1000 */
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);

    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_bulk_finish(tx, got.id, "{}", 3000, &d), SK_ERR_CONFLICT);
    sk_tx_rollback(tx);
    assert_int_equal(sk_store_begin(f->s, &tx, &d), SK_OK);
    assert_int_equal(sk_store_bulk_get(tx, "1234567890123456", a, &got, &d), SK_OK);
    assert_string_equal(got.result, "{\"r\":1}");
    assert_int_equal(got.done_ms, 2000);
    assert_int_equal(sk_store_bulk_next_pending(tx, a, &got, &d), SK_OK);
    assert_string_equal(got.reception, "2234567890123456");
    assert_int_equal(sk_store_bulk_get(tx, "0000000000000000", a, &got, &d), SK_ERR_NOTFOUND);
    /* the pending one stays whatever its age; the answered one goes */
    assert_int_equal(sk_store_bulk_purge(tx, 1000000, &removed, &d), SK_OK);
    assert_int_equal(removed, 1);
    assert_int_equal(sk_store_bulk_get(tx, "2234567890123456", a, &got, &d), SK_OK);
    assert_int_equal(sk_tx_commit(tx, &d), SK_OK);
    sk_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_schema_and_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_refuses_unsafe_key_and_missing_db, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_key_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_mynumber_sealed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_list_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mynumber_unique_and_rollback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_qualifications, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_rows_in_acquisition_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eligibility_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notifications_and_idempotency, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notification_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notification_list_by_insurer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notification_list_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_list_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_chain_across_undone_job, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_anchor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lookup_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_snapshot_sees_every_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_snapshot_under_concurrent_commits, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_principals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_share_a_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_commit_survives_reopen, setup, teardown),
    };
    int failed = 0;
    for (const char *const *drv = sk_store_drivers(); *drv; drv++) {
        current_driver = *drv;
        char name[64];
        snprintf(name, sizeof(name), "store[%s]", *drv);
        failed +=
            _cmocka_run_group_tests(name, tests, sizeof(tests) / sizeof(tests[0]), NULL, NULL);
    }
    return failed;
}
