/* test_jlis.c — the resident-register adapter (identity/jlis.h) and the labelled identity
 * corpus (tests/data/identity): no pair of different people may ever link, and the recall on
 * pairs of one person is printed. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "identity/jlis.h"

#define CORPUS SK_TEST_DATA "/identity"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/sk-jlis-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static sk_mynumber mn(const char *s)
{
    sk_mynumber n;
    if (sk_mynumber_parse(s, strlen(s), &n, "mynumber", NULL) != SK_OK)
        fail_msg("bad test number %s", s);
    return n;
}

#define HEADER "mynumber,name,kana,birthdate,sex,address,old_name,alias\n"
/* 123456789018 and 314159339194 have valid check digits */
#define ROW_A                                                                                      \
    "123456789018,山田　花子,ヤマダ　ハナコ,1980-05-05,2,東京都新宿区西新宿2-8-1,鈴木　花子,\n"
#define ROW_B "314159339194,髙橋　太郎,タカハシ　タロウ,1950-01-01,1,東京都千代田区霞が関2-1-2,,\n"

static void test_file_lookups(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof(path), "%s/reg.csv", dir);
    write_file(path, "# comment line\n" HEADER ROW_A ROW_B);
    sk_jlis *j = NULL;
    sk_diag d;
    if (sk_jlis_file_open(path, &j, &d) != SK_OK)
        fail_msg("%s: %s", d.field, d.message);
    assert_int_equal(sk_jlis_count(j), 2);
    sk_jlis_person p;
    sk_mynumber n = mn("123456789018");
    assert_int_equal(sk_jlis_by_number(j, &n, &p, &d), SK_OK);
    assert_string_equal(p.info.name, "山田　花子");
    assert_string_equal(p.old_name, "鈴木　花子");
    n = mn("111111111118");
    assert_int_equal(sk_jlis_by_number(j, &n, &p, &d), SK_ERR_NOTFOUND);

    /* search: notation variants and the 旧氏 find the resident */
    sk_jlis_person c[SK_JLIS_MAX_CANDIDATES];
    size_t k = 0;
    sk_ident q = {.name = "高橋 太郎",
                  .birthdate = {1950, 1, 1},
                  .sex = SK_SEX_MALE,
                  .address = "東京都千代田区霞ケ関二丁目1番地2号"};
    assert_int_equal(sk_jlis_search(j, &q, SK_ITEMS_BASIC4, c, SK_JLIS_MAX_CANDIDATES, &k, &d),
                     SK_OK);
    assert_int_equal(k, 1);
    assert_string_equal(c[0].mynumber.digits, "314159339194");
    /* 5情報: the カナ must match too (after folding: half-width is the same kana) */
    q.kana = "ﾀｶﾊｼ ﾀﾛｳ";
    assert_int_equal(sk_jlis_search(j, &q, SK_ITEMS_ALL5, c, SK_JLIS_MAX_CANDIDATES, &k, &d),
                     SK_OK);
    assert_int_equal(k, 1);
    q.kana = "タカバシ　タロウ";
    assert_int_equal(sk_jlis_search(j, &q, SK_ITEMS_ALL5, c, SK_JLIS_MAX_CANDIDATES, &k, &d),
                     SK_OK);
    assert_int_equal(k, 0);
    q.kana = NULL;
    assert_int_equal(sk_jlis_search(j, &q, SK_ITEMS_ALL5, c, SK_JLIS_MAX_CANDIDATES, &k, &d),
                     SK_ERR_INVALID);
    q = (sk_ident){.name = "鈴木　花子", .birthdate = {1980, 5, 5}, .address = "大阪府大阪市北区"};
    assert_int_equal(
        sk_jlis_search(j, &q, SK_ITEMS_BASIC4 & ~SK_ITEM_SEX, c, SK_JLIS_MAX_CANDIDATES, &k, &d),
        SK_OK);
    assert_int_equal(k, 1); /* moved: found on name and birth date, the address will differ */
    q.sex = SK_SEX_MALE;
    assert_int_equal(sk_jlis_search(j, &q, SK_ITEMS_BASIC4, c, SK_JLIS_MAX_CANDIDATES, &k, &d),
                     SK_OK);
    assert_int_equal(k, 0);
    q.address = NULL;
    assert_int_equal(sk_jlis_search(j, &q, SK_ITEMS_BASIC4, c, SK_JLIS_MAX_CANDIDATES, &k, &d),
                     SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_MATCH_ITEMS);

    /* reload: a new register replaces the old at once; a bad one leaves it in place */
    write_file(path, HEADER ROW_B);
    assert_int_equal(sk_jlis_reload(j, &d), SK_OK);
    assert_int_equal(sk_jlis_count(j), 1);
    write_file(path, HEADER ROW_B "999999999999,x,ｴｯｸｽ,2000-01-01,1,どこか,,\n");
    assert_int_equal(sk_jlis_reload(j, &d), SK_ERR_CONFIG);
    assert_int_equal(d.code, SK_C_JLIS_FILE);
    assert_non_null(strstr(d.field, ":3"));
    assert_int_equal(sk_jlis_count(j), 1);
    n = mn("314159339194");
    assert_int_equal(sk_jlis_by_number(j, &n, &p, &d), SK_OK);
    sk_jlis_free(j);
}

static void test_file_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } v[] = {
        {"", "no header"},
        {"mynumber,name,kana,birthdate,sex\n", "lacks column address"},
        {HEADER "123456789018,a,ｱ,1980-13-01,1,x,,\n", "birthdate"},
        {HEADER "123456789018,,ｱ,1980-01-01,1,x,,\n", "name"},
        {"mynumber,name,kana,birthdate,sex,address,shoe_size\n", "unknown column"},
        {HEADER ROW_A ROW_A, "same My Number"},
    };
    char path[300];
    snprintf(path, sizeof(path), "%s/bad.csv", dir);
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        write_file(path, v[i].text);
        sk_jlis *j = NULL;
        sk_diag d;
        assert_int_equal(sk_jlis_file_open(path, &j, &d), SK_ERR_CONFIG);
        assert_int_equal(d.code, SK_C_JLIS_FILE);
        if (!strstr(d.message, v[i].want))
            fail_msg("case %zu: message '%s' lacks '%s'", i, d.message, v[i].want);
        /* the message never carries a whole My Number */
        assert_null(strstr(d.message, "123456789018"));
    }
    sk_jlis *j = NULL;
    sk_diag d;
    assert_int_equal(sk_jlis_file_open("/nonexistent/reg.csv", &j, &d), SK_ERR_CONFIG);
}

/* ---- the corpus ---- */

typedef struct pair {
    bool same;
    char kase[48];
    char truth[13];
    char name[257], kana[257], birth[11], address[513];
    int sex;
    char theirs[13];
} pair;

static size_t load_pairs(pair **out)
{
    FILE *f = fopen(CORPUS "/pairs.tsv", "r");
    assert_non_null(f);
    size_t n = 0, cap = 1024;
    pair *v = calloc(cap, sizeof(pair));
    char line[2048];
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        line[strcspn(line, "\n")] = '\0';
        char *col[9];
        char *p = line;
        for (int k = 0; k < 9; k++) {
            col[k] = p;
            p = strchr(p, '\t');
            if (!p && k < 8)
                fail_msg("pairs.tsv: short line %zu", n + 1);
            if (p)
                *p++ = '\0';
        }
        assert_true(n < cap);
        pair *x = &v[n++];
        x->same = strcmp(col[0], "same") == 0;
        assert_true(x->same || strcmp(col[0], "different") == 0);
        snprintf(x->kase, sizeof(x->kase), "%s", col[1]);
        snprintf(x->truth, sizeof(x->truth), "%s", col[2]);
        snprintf(x->name, sizeof(x->name), "%s", col[3]);
        snprintf(x->kana, sizeof(x->kana), "%s", col[4]);
        snprintf(x->birth, sizeof(x->birth), "%s", col[5]);
        x->sex = atoi(col[6]);
        snprintf(x->address, sizeof(x->address), "%s", col[7]);
        snprintf(x->theirs, sizeof(x->theirs), "%s", col[8]);
        /* the label agrees with the truth the corpus carries */
        assert_int_equal(x->same, strcmp(x->truth, x->theirs) == 0);
    }
    fclose(f);
    *out = v;
    return n;
}

static sk_ident ours_of(const pair *x)
{
    sk_ident o = {.name = x->name, .kana = x->kana, .sex = (sk_sex)x->sex, .address = x->address};
    sk_date_parse(x->birth, strlen(x->birth), &o.birthdate, "birthdate", NULL);
    return o;
}

static void test_corpus(void **state)
{
    (void)state;
    sk_jlis *j = NULL;
    sk_diag d;
    if (sk_jlis_file_open(CORPUS "/register.csv", &j, &d) != SK_OK)
        fail_msg("%s: %s", d.field, d.message);
    pair *v = NULL;
    size_t n = load_pairs(&v);
    assert_true(n >= 300);
    sk_arena *a = sk_arena_alloc(0, 1 << 24);
    size_t same = 0, linked_same = 0, diff = 0, wrong = 0;
    size_t acq_same = 0, acq_linked = 0, acq_wrong = 0;
    for (size_t i = 0; i < n; i++) {
        const pair *x = &v[i];
        sk_ident o = ours_of(x);
        /* 1. the 誤入力チェック view: this record against the register entry of a number */
        sk_mynumber num = mn(x->theirs);
        sk_jlis_person reg;
        assert_int_equal(sk_jlis_by_number(j, &num, &reg, &d), SK_OK);
        sk_ident t;
        sk_jlis_person_ident(&reg, &t);
        sk_match m;
        if (sk_match_compare(a, &o, &t, SK_ITEMS_ALL5, reg.twin_household, &m, &d) != SK_OK)
            fail_msg("pair %zu: %s", i + 1, d.message);
        bool link = m.result == SK_MATCH_EQUAL;
        if (x->same) {
            same++;
            linked_same += link;
            if (!link && getenv("SK_CORPUS_VERBOSE"))
                print_message("not linked (%s): differ %#x: %s | %s\n", x->kase, m.differ,
                              x->address, reg.info.address);
        } else {
            diff++;
            if (link) {
                wrong++;
                print_message("WRONG LINK pair %zu (%s): %s / %s\n", i + 1, x->kase, x->name,
                              reg.info.name);
            }
        }
        /* 2. the acquisition view: search the whole register on 4情報, confirm on 5 */
        sk_jlis_person c[SK_JLIS_MAX_CANDIDATES];
        size_t k = 0;
        assert_int_equal(sk_jlis_search(j, &o, SK_ITEMS_BASIC4, c, SK_JLIS_MAX_CANDIDATES, &k, &d),
                         SK_OK);
        sk_match only = {0};
        if (k == 1) {
            sk_ident ct;
            sk_jlis_person_ident(&c[0], &ct);
            assert_int_equal(
                sk_match_compare(a, &o, &ct, SK_ITEMS_ALL5, c[0].twin_household, &only, &d), SK_OK);
        }
        if (x->same) {
            acq_same++;
            if (sk_match_outcome(k, &only) == SK_JLIS_MATCH) {
                if (strcmp(c[0].mynumber.digits, x->truth) == 0)
                    acq_linked++;
                else
                    acq_wrong++;
            } else if (getenv("SK_CORPUS_VERBOSE")) {
                print_message("acquisition not linked (%s): %zu candidates: %s %s | %s %s\n",
                              x->kase, k, x->name, x->address, k > 1 ? c[0].info.address : "",
                              k > 1 ? c[1].info.address : "");
            }
        } else if (sk_match_outcome(k, &only) == SK_JLIS_MATCH &&
                   strcmp(c[0].mynumber.digits, x->truth) != 0) {
            acq_wrong++;
            print_message("WRONG ACQUISITION pair %zu (%s)\n", i + 1, x->kase);
        }
        sk_arena_reset(a);
    }
    print_message("identity corpus: %zu pairs (%zu same, %zu different); 誤入力チェック view: "
                  "%zu wrong links, recall %.1f %% (%zu/%zu); acquisition view: %zu wrong links, "
                  "recall %.1f %% (%zu/%zu)\n",
                  n, same, diff, wrong, 100.0 * (double)linked_same / (double)same, linked_same,
                  same, acq_wrong, 100.0 * (double)acq_linked / (double)acq_same, acq_linked,
                  acq_same);
    assert_int_equal(wrong, 0);
    assert_int_equal(acq_wrong, 0);
    /* the folds must earn their keep: most same-person spellings link */
    assert_true(linked_same * 100 >= same * 80);
    sk_arena_free(a);
    free(v);
    sk_jlis_free(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_lookups),
        cmocka_unit_test(test_file_refusals),
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
