/* jlis_demo.c — the demo's resident register (jlis.h file format), written from the persons in
 * the store so that it agrees with them, plus the traps of domain-rules §13–§14:
 *   旧字体/異体字   some names spelled in the other form (髙/高, 﨑/崎, 邊/辺, 齋/斎, 濵/浜)
 *   kana variants  some カナ in hiragana, as the old 住民票 furigana sometimes were
 *   moved          some residents at a new address the insurer does not know (不一致, low risk)
 *   birth date     one 届出 typo: the register is a day off (不一致, high risk)
 *   twins          a twin of some persons: same household and birth date, other given name
 *   parent/child   a parent of the same name at the same address
 *   namesake       a same-name, same-birthday resident elsewhere (複数該当 for a waiting person
 *                  who moved)
 * Persons still waiting for a My Number get one here, so that the scheduler's J-LIS look-up
 * finds them (the first one has moved: it becomes a review item, never a link). */
#include "demo/demo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"

static const char *const moved_to[] = {
    "大阪府大阪市北区中之島1-3-20", "福岡県福岡市中央区天神1-8-1", "北海道札幌市中央区北1条西2-1"};
static const char *const twin_given[][2] = {
    {"優斗", "ユウト"}, {"美月", "ミツキ"}, {"蒼", "アオイ"}};

/* one CSV field: quoted when it needs to be */
static void put_field(FILE *f, const char *s, bool last)
{
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputc(last ? '\n' : ',', f);
}

static void put_row(FILE *f, const char *mn, const char *name, const char *kana, sk_date birth,
                    sk_sex sex, const char *address)
{
    char b[11], s[2] = {(char)('0' + (int)sex), '\0'};
    sk_date_format(birth, b);
    put_field(f, mn, false);
    put_field(f, name, false);
    put_field(f, kana, false);
    put_field(f, b, false);
    put_field(f, s, false);
    put_field(f, address, false);
    put_field(f, "", false);
    put_field(f, "", true);
}

/* Replaces the first 異体字 pair found (either direction); false when the name has none. */
static bool swap_itaiji(const char *in, char *out, size_t cap)
{
    static const char *const pairs[][2] = {{"髙", "高"}, {"﨑", "崎"}, {"邊", "辺"},
                                           {"邉", "辺"}, {"齋", "斎"}, {"濵", "浜"}};
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
        for (int dir = 0; dir < 2; dir++) {
            const char *from = pairs[i][dir], *to = pairs[i][1 - dir];
            const char *p = strstr(in, from);
            if (!p)
                continue;
            snprintf(out, cap, "%.*s%s%s", (int)(p - in), in, to, p + strlen(from));
            return true;
        }
    return false;
}

/* Full-width katakana → hiragana (U+30A1–U+30F6 → U+3041–U+3096); other characters copied. */
static void to_hiragana(const char *in, char *out, size_t cap)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && o + 4 < cap;) {
        if (p[0] == 0xE3 && (p[1] == 0x82 || p[1] == 0x83)) {
            unsigned cp = 0x3000u | ((unsigned)(p[1] & 0x0F) << 6) | (p[2] & 0x3Fu);
            if (cp >= 0x30A1 && cp <= 0x30F6) {
                cp -= 0x60;
                out[o++] = (char)0xE3;
                out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                out[o++] = (char)(0x80 | (cp & 0x3F));
                p += 3;
                continue;
            }
        }
        out[o++] = (char)*p++;
    }
    out[o] = '\0';
}

sk_err sk_jlis_demo_write(sk_store *s, const char *path, uint64_t seed, sk_jlis_demo_result *out,
                          sk_diag *d)
{
    memset(out, 0, sizeof(*out));
    char tmp[4200];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    /* the register holds plain My Numbers: owner-only, like the key file */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        return sk_diag_set(d, SK_C_JLIS_FILE, path, "cannot write the resident register: %s",
                           strerror(errno));
    }
    fputs("# shikaku demo resident register (J-LIS stand-in); contains plain My Numbers\n"
          "mynumber,name,kana,birthdate,sex,address,old_name,alias\n",
          f);
    sk_tx *tx = NULL;
    sk_err err = sk_store_begin_read(s, &tx, d);
    if (err)
        goto fail;
    sk_person_rec p;
    int64_t after = 0, k = 0, waiting = 0;
    uint64_t extra = SK_DEMO_SERIAL_EXTRA;
    char mn[13], name[SK_NAME_MAX_BYTES + 16], kana[SK_NAME_MAX_BYTES * 2];
    while (sk_store_person_next(tx, after, true, &p, d) == SK_OK) {
        after = p.id;
        k++;
        const char *address = p.info.address;
        sk_date birth = p.info.birthdate;
        snprintf(name, sizeof(name), "%s", p.info.name);
        snprintf(kana, sizeof(kana), "%s", p.info.kana);
        if (p.has_mynumber) {
            memcpy(mn, p.mynumber.digits, sizeof(mn));
            sk_mynumber_wipe(&p.mynumber);
            if (k == 3) {
                birth = sk_date_add_days(birth, 1);
                out->birth_typo++;
            } else if (k % 37 == 5) {
                address = moved_to[k % 3];
                out->moved++;
            } else if (k % 11 == 7 && swap_itaiji(p.info.name, name, sizeof(name))) {
                out->itaiji++;
            } else if (k % 13 == 9) {
                to_hiragana(p.info.kana, kana, sizeof(kana));
                out->kana_variants++;
            }
        } else {
            sk_demo_mynumber(extra++, seed, mn);
            waiting++;
            if (waiting == 1 || waiting == 2) {
                address = moved_to[(size_t)waiting];
                out->moved++;
            }
            if (waiting == 2) { /* a namesake elsewhere: two candidates, never picked */
                char nmn[13];
                sk_demo_mynumber(extra++, seed, nmn);
                put_row(f, nmn, p.info.name, p.info.kana, p.info.birthdate, p.info.sex,
                        moved_to[0]);
                out->namesakes++;
                out->residents++;
            }
            out->waiting++;
        }
        put_row(f, mn, name, kana, birth, p.info.sex, address);
        out->residents++;
        if (k % 50 == 1 && (size_t)out->twins < sizeof(twin_given) / sizeof(twin_given[0])) {
            /* a twin of this person: family name kept, another given name */
            const char *sp = strstr(p.info.name, "　");
            const char *kp = strchr(p.info.kana, ' ');
            if (sp && kp) {
                char tn[SK_NAME_MAX_BYTES + 16], tk[SK_NAME_MAX_BYTES + 16], tmn[13];
                snprintf(tn, sizeof(tn), "%.*s　%s", (int)(sp - p.info.name), p.info.name,
                         twin_given[out->twins][0]);
                snprintf(tk, sizeof(tk), "%.*s %s", (int)(kp - p.info.kana), p.info.kana,
                         twin_given[out->twins][1]);
                sk_demo_mynumber(extra++, seed, tmn);
                put_row(f, tmn, tn, tk, p.info.birthdate, p.info.sex, p.info.address);
                out->twins++;
                out->residents++;
            }
        } else if (k % 50 == 2 && out->parents < 3 && p.info.birthdate.y > 1930) {
            char pmn[13];
            sk_date pb = p.info.birthdate;
            pb.y = (int16_t)(pb.y - 30);
            if (!sk_date_valid(pb))
                pb.d = 28;
            sk_demo_mynumber(extra++, seed, pmn);
            put_row(f, pmn, p.info.name, p.info.kana, pb, p.info.sex, p.info.address);
            out->parents++;
            out->residents++;
        }
    }
    err = sk_tx_error(tx);
    sk_tx_rollback(tx);
    if (err)
        goto fail;
    /* the resident to hire (not in the store) */
    sk_person_info *h = &out->hire;
    snprintf(h->name, sizeof(h->name), "新井　一郎");
    snprintf(h->kana, sizeof(h->kana), "アライ イチロウ");
    h->birthdate = (sk_date){1998, 7, 7};
    h->sex = SK_SEX_MALE;
    snprintf(h->address, sizeof(h->address), "東京都千代田区千代田1-1");
    sk_demo_mynumber(extra++, seed, out->hire_mynumber);
    put_row(f, out->hire_mynumber, h->name, h->kana, h->birthdate, h->sex, h->address);
    out->residents++;
    if (fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0) {
        f = NULL;
        err = sk_diag_set(d, SK_C_JLIS_FILE, path, "cannot write the resident register: %s",
                          strerror(errno));
        goto fail;
    }
    f = NULL;
    if (rename(tmp, path) != 0) {
        err = sk_diag_set(d, SK_C_JLIS_FILE, path, "cannot rename the resident register: %s",
                          strerror(errno));
        goto fail;
    }
    return SK_OK;
fail:
    if (f)
        fclose(f);
    unlink(tmp);
    return err;
}
