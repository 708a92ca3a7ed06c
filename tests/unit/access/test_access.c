/* test_access.c — roles, scopes, token issuance and authentication. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/access.h"

typedef struct fx {
    char *dir;
    sk_store *s;
    int64_t employer_id;
    char pid[SK_PID_LEN + 1];
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof(*f));
    f->dir = sk_test_tmpdir();
    char db[4200];
    snprintf(db, sizeof(db), "%s/a.db", f->dir);
    sk_store_options o = {.dsn = db};
    sk_diag d;
    if (sk_store_create(&o, &d) || sk_store_open(&o, &f->s, &d))
        return -1;
    sk_tx *tx;
    sk_store_begin(f->s, &tx, &d);
    sk_insurer_rec ins = {.number = "01130012", .kind = SK_INSURER_KYOKAI, .name = "協会"};
    sk_store_insurer_add(tx, &ins, &d);
    sk_employer_rec e = {.insurer_number = "01130012", .name = "株式会社シカク"};
    sk_store_employer_add(tx, &e, &d);
    sk_person_rec p = {.info.name = "診療　太郎",
                       .info.kana = "ｼﾝﾘｮｳ ﾀﾛｳ",
                       .info.birthdate = D(1985, 7, 1),
                       .info.sex = SK_SEX_MALE,
                       .info.address = "東京都"};
    sk_store_person_add(tx, &p, &d);
    if (sk_tx_commit(tx, &d))
        return -1;
    f->employer_id = e.id;
    memcpy(f->pid, p.pid, sizeof(f->pid));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    sk_store_close(f->s);
    sk_test_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static void test_roles(void **state)
{
    (void)state;
    static const char *names[] = {"operator", "insurer", "employer", "institution", "person"};
    for (int i = 0; i < 5; i++) {
        sk_role r;
        assert_int_equal(sk_role_parse(names[i], &r, NULL), SK_OK);
        assert_string_equal(sk_role_name(r), names[i]);
    }
    sk_role r;
    sk_diag d;
    assert_int_equal(sk_role_parse("admin", &r, &d), SK_ERR_INVALID);
    assert_int_equal(d.code, SK_C_ROLE);
    assert_int_equal(sk_role_parse("Operator", &r, &d), SK_ERR_INVALID);
}

static void test_issue_and_authenticate_every_role(void **state)
{
    fx *f = *state;
    char emp[32];
    snprintf(emp, sizeof(emp), "%lld", (long long)f->employer_id);
    const struct {
        sk_role role;
        const char *scope;
    } ok[] = {{SK_ROLE_OPERATOR, ""},
              {SK_ROLE_INSURER, "01130012"},
              {SK_ROLE_EMPLOYER, emp},
              {SK_ROLE_INSTITUTION, "0110113719"},
              {SK_ROLE_PERSON, f->pid}};
    char seen[5][SK_TOKEN_LEN + 1];
    for (int i = 0; i < 5; i++) {
        sk_principal p, who;
        char tok[SK_TOKEN_LEN + 1];
        sk_diag d;
        if (sk_access_issue(f->s, ok[i].role, ok[i].scope, "label", "test", 1000, &p, tok, &d))
            fail_msg("role %d: %s", i, d.message);
        assert_int_equal(strlen(tok), SK_TOKEN_LEN);
        assert_memory_equal(tok, "skt_", 4);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(tok, seen[j]);
        memcpy(seen[i], tok, sizeof(tok));
        char header[128];
        snprintf(header, sizeof(header), "Bearer %s", tok);
        assert_int_equal(sk_access_authenticate(f->s, header, &who, &d), SK_OK);
        assert_int_equal(who.id, p.id);
        assert_int_equal(who.role, ok[i].role);
        assert_string_equal(who.scope, ok[i].scope);
        snprintf(header, sizeof(header), "bearer  %s", tok); /* scheme is case-insensitive */
        assert_int_equal(sk_access_authenticate(f->s, header, &who, &d), SK_OK);
    }
    /* each issue is audited, and the chain holds */
    int64_t bad, rows;
    sk_diag d;
    assert_int_equal(sk_store_audit_verify(f->s, &bad, &rows, &d), SK_OK);
    assert_int_equal(rows, 5);
    assert_int_equal(bad, 0);
}

static void test_scope_rules(void **state)
{
    fx *f = *state;
    const struct {
        sk_role role;
        const char *scope;
        sk_code code;
    } bad[] = {
        {SK_ROLE_OPERATOR, "01130012", SK_C_SCOPE},
        {SK_ROLE_INSURER, "", SK_C_INSURER_FORMAT},
        {SK_ROLE_INSURER, "33120015", SK_C_SCOPE}, /* valid number, not in the database */
        {SK_ROLE_INSURER, "33120016", SK_C_INSURER_CHECK_DIGIT},
        {SK_ROLE_EMPLOYER, "abc", SK_C_SCOPE},
        {SK_ROLE_EMPLOYER, "999", SK_C_SCOPE},
        {SK_ROLE_INSTITUTION, "0110113718", SK_C_MEDINST_CHECK_DIGIT},
        {SK_ROLE_PERSON, "00000000000000000000000000000000", SK_C_SCOPE},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        sk_principal p;
        char tok[SK_TOKEN_LEN + 1];
        sk_diag d;
        assert_int_not_equal(
            sk_access_issue(f->s, bad[i].role, bad[i].scope, "", "test", 1, &p, tok, &d), SK_OK);
        if (d.code != bad[i].code)
            fail_msg("case %zu: code %s", i, sk_code_name(d.code));
        assert_string_equal(d.field, "scope");
    }
    /* nothing was written */
    int64_t badrow, rows;
    sk_diag d;
    assert_int_equal(sk_store_audit_verify(f->s, &badrow, &rows, &d), SK_OK);
    assert_int_equal(rows, 0);
}

static void test_authentication_failures(void **state)
{
    fx *f = *state;
    sk_principal p;
    char tok[SK_TOKEN_LEN + 1];
    sk_diag d;
    assert_int_equal(sk_access_issue(f->s, SK_ROLE_OPERATOR, "", "", "t", 1, &p, tok, &d), SK_OK);
    char other[SK_TOKEN_LEN + 1];
    memcpy(other, tok, sizeof(other));
    other[10] = other[10] == 'a' ? 'b' : 'a';
    char h1[128], h2[128], h3[128];
    snprintf(h1, sizeof(h1), "Bearer %s", other);     /* unknown token */
    snprintf(h2, sizeof(h2), "Basic %s", tok);        /* wrong scheme */
    snprintf(h3, sizeof(h3), "Bearer %.*s", 60, tok); /* truncated */
    const char *bad[] = {NULL, "", h1, h2, h3, "Bearer skt_zz", "Bearer"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        sk_principal who;
        assert_int_equal(sk_access_authenticate(f->s, bad[i], &who, &d), SK_ERR_PERM);
        assert_int_equal(d.code, SK_C_UNAUTHENTICATED);
        assert_string_equal(d.field, "Authorization");
        /* the message never echoes the token */
        assert_null(strstr(d.message, "skt_"));
    }
}

/* Web-API id tokens: only an enabled institution with its own code logs in; the token names
 * its principal until it expires and cannot be altered. */
static void test_id_tokens(void **state)
{
    fx *f = *state;
    sk_principal inst, op, who;
    char tok[SK_TOKEN_LEN + 1], optok[SK_TOKEN_LEN + 1], id[SK_ID_TOKEN_MAX];
    int64_t exp;
    sk_diag d;
    assert_int_equal(
        sk_access_issue(f->s, SK_ROLE_INSTITUTION, "0110113719", "c", "t", 1, &inst, tok, &d),
        SK_OK);
    assert_int_equal(sk_access_issue(f->s, SK_ROLE_OPERATOR, "", "", "t", 1, &op, optok, &d),
                     SK_OK);
    int64_t now = 1795226400000LL;
    assert_int_equal(sk_access_id_token_issue(f->s, "0110113719", tok, now, id, &exp, &who, &d),
                     SK_OK);
    assert_int_equal(exp, now + SK_ID_TOKEN_TTL_MS);
    assert_int_equal(who.id, inst.id);
    assert_int_equal(sk_access_id_token_check(f->s, id, now + 1000, &who, &d), SK_OK);
    assert_int_equal(who.id, inst.id);
    assert_string_equal(who.scope, "0110113719");
    /* expired */
    assert_int_equal(sk_access_id_token_check(f->s, id, exp, &who, &d), SK_ERR_PERM);
    assert_int_equal(d.code, SK_C_UNAUTHENTICATED);
    /* altered expiry or MAC */
    char bad[SK_ID_TOKEN_MAX];
    snprintf(bad, sizeof(bad), "%s", id);
    bad[5 + 65] = bad[5 + 65] == '9' ? '8' : '9';
    assert_int_equal(sk_access_id_token_check(f->s, bad, now, &who, &d), SK_ERR_PERM);
    snprintf(bad, sizeof(bad), "%s", id);
    bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == 'a' ? 'b' : 'a';
    assert_int_equal(sk_access_id_token_check(f->s, bad, now, &who, &d), SK_ERR_PERM);
    assert_int_equal(sk_access_id_token_check(f->s, "", now, &who, &d), SK_ERR_PERM);
    assert_int_equal(sk_access_id_token_check(f->s, NULL, now, &who, &d), SK_ERR_PERM);
    /* wrong institution code, a non-institution token, a malformed password */
    assert_int_equal(sk_access_id_token_issue(f->s, "0110113727", tok, now, id, &exp, &who, &d),
                     SK_ERR_PERM);
    assert_int_equal(sk_access_id_token_issue(f->s, "", optok, now, id, &exp, &who, &d),
                     SK_ERR_PERM);
    assert_int_equal(sk_access_id_token_issue(f->s, "0110113719", "x", now, id, &exp, &who, &d),
                     SK_ERR_PERM);
    assert_string_equal(d.field, "password");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test_setup_teardown(test_issue_and_authenticate_every_role, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scope_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_authentication_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_id_tokens, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
