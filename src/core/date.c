/* date.c — calendar arithmetic, legal ages, 和暦. */
#include "core/date.h"

#include <stdio.h>
#include <string.h>

bool sk_is_leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int sk_days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && sk_is_leap_year(y) ? 29 : dm[m - 1];
}

bool sk_date_valid(sk_date d)
{
    return d.y >= SK_DATE_MIN_YEAR && d.y <= SK_DATE_MAX_YEAR && d.m >= 1 && d.m <= 12 &&
           d.d >= 1 && d.d <= sk_days_in_month(d.y, d.m);
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int32_t sk_date_to_days(sk_date d)
{
    int y = d.y - (d.m <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int mp = d.m > 2 ? d.m - 3 : d.m + 9;
    int doy = (153 * mp + 2) / 5 + d.d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

sk_date sk_date_from_days(int32_t z)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp < 10 ? mp + 3 : mp - 9;
    sk_date r = {(int16_t)(y + (m <= 2)), (int8_t)m, (int8_t)d};
    return r;
}

sk_date sk_date_from_unix_ms(int64_t ms)
{
    int64_t s = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    s += 9 * 3600; /* JST */
    int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
    return sk_date_from_days((int32_t)days);
}

static void put_digits(char *out, int v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void sk_timestamp_compact(int64_t ms, char out[15])
{
    int64_t s = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    s += 9 * 3600; /* JST */
    int64_t sec = s % 86400;
    if (sec < 0)
        sec += 86400;
    sk_date_format_compact(sk_date_from_unix_ms(ms), out);
    put_digits(out + 8, (int)(sec / 3600), 2);
    put_digits(out + 10, (int)(sec / 60 % 60), 2);
    put_digits(out + 12, (int)(sec % 60), 2);
    out[14] = '\0';
}

int sk_date_cmp(sk_date a, sk_date b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    if (a.d != b.d)
        return a.d < b.d ? -1 : 1;
    return 0;
}

sk_date sk_date_add_days(sk_date d, int32_t n)
{
    return sk_date_from_days(sk_date_to_days(d) + n);
}

sk_date sk_date_add_months(sk_date d, int n)
{
    int total = d.y * 12 + (d.m - 1) + n;
    int y = total / 12, m = total % 12 + 1;
    int dim = sk_days_in_month(y, m);
    sk_date r = {(int16_t)y, (int8_t)m, (int8_t)(d.d > dim ? dim : d.d)};
    return r;
}

sk_date sk_date_last_of_month(sk_date d)
{
    d.d = (int8_t)sk_days_in_month(d.y, d.m);
    return d;
}

sk_date sk_date_first_of_next_month(sk_date d)
{
    sk_date r = sk_date_add_months(d, 1);
    r.d = 1;
    return r;
}

int32_t sk_date_diff_days(sk_date a, sk_date b)
{
    return sk_date_to_days(b) - sk_date_to_days(a);
}

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

static sk_err finish(int y, int m, int dd, sk_date *out, const char *field, sk_diag *d)
{
    if (y < SK_DATE_MIN_YEAR || y > SK_DATE_MAX_YEAR)
        return sk_diag_set(d, SK_C_DATE_RANGE, field, "year %d is outside %d-%d", y,
                           SK_DATE_MIN_YEAR, SK_DATE_MAX_YEAR);
    sk_date r = {(int16_t)y, (int8_t)m, (int8_t)dd};
    if (m < 1 || m > 12 || dd < 1 || dd > sk_days_in_month(y, m))
        return sk_diag_set(d, SK_C_DATE_INVALID, field, "%04d-%02d-%02d does not exist", y, m, dd);
    *out = r;
    return SK_OK;
}

sk_err sk_date_parse(const char *s, size_t len, sk_date *out, const char *field, sk_diag *d)
{
    int y, m, dd;
    if (len != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &m) ||
        !digits(s + 8, 2, &dd))
        return sk_diag_set(d, SK_C_DATE_FORMAT, field, "date must be YYYY-MM-DD");
    return finish(y, m, dd, out, field, d);
}

sk_err sk_date_parse_compact(const char *s, size_t len, sk_date *out, const char *field, sk_diag *d)
{
    int y, m, dd;
    if (len != 8 || !digits(s, 4, &y) || !digits(s + 4, 2, &m) || !digits(s + 6, 2, &dd))
        return sk_diag_set(d, SK_C_DATE_FORMAT, field, "date must be YYYYMMDD");
    return finish(y, m, dd, out, field, d);
}

void sk_date_format(sk_date d, char out[11])
{
    put_digits(out, d.y, 4);
    out[4] = '-';
    put_digits(out + 5, d.m, 2);
    out[7] = '-';
    put_digits(out + 8, d.d, 2);
    out[10] = '\0';
}

void sk_date_format_compact(sk_date d, char out[9])
{
    put_digits(out, d.y, 4);
    put_digits(out + 4, d.m, 2);
    put_digits(out + 6, d.d, 2);
    out[8] = '\0';
}

sk_date sk_birthday(sk_date birth, int n)
{
    sk_date r = birth;
    r.y = (int16_t)(birth.y + n);
    if (birth.m == 2 && birth.d == 29 && !sk_is_leap_year(r.y)) {
        r.m = 3;
        r.d = 1;
    }
    return r;
}

sk_date sk_age_reached(sk_date birth, int n)
{
    return sk_date_add_days(sk_birthday(birth, n), -1);
}

int sk_age_on(sk_date birth, sk_date on)
{
    if (sk_date_cmp(on, birth) < 0)
        return 0;
    /* someone born on 1 January reaches the next age on 31 December of the same year, so
     * start one above the difference in years and come down */
    int n = on.y - birth.y + 1;
    while (n > 0 && sk_date_cmp(sk_age_reached(birth, n), on) > 0)
        n--;
    return n;
}

static const struct {
    sk_era era;
    sk_date start;
    const char *name;
    char letter;
} eras[] = {
    {SK_ERA_REIWA, {2019, 5, 1}, "令和", 'R'},   {SK_ERA_HEISEI, {1989, 1, 8}, "平成", 'H'},
    {SK_ERA_SHOWA, {1926, 12, 25}, "昭和", 'S'}, {SK_ERA_TAISHO, {1912, 7, 30}, "大正", 'T'},
    {SK_ERA_MEIJI, {1868, 1, 25}, "明治", 'M'},
};

sk_err sk_wareki_of(sk_date d, sk_wareki *out)
{
    static const sk_date gregorian = {1873, 1, 1};
    if (!sk_date_valid(d) || sk_date_cmp(d, gregorian) < 0)
        return SK_ERR_RANGE;
    for (size_t i = 0; i < sizeof(eras) / sizeof(eras[0]); i++) {
        if (sk_date_cmp(d, eras[i].start) >= 0) {
            out->era = eras[i].era;
            out->year = d.y - eras[i].start.y + 1;
            return SK_OK;
        }
    }
    return SK_ERR_RANGE;
}

const char *sk_era_name(sk_era era)
{
    for (size_t i = 0; i < sizeof(eras) / sizeof(eras[0]); i++)
        if (eras[i].era == era)
            return eras[i].name;
    return "";
}

char sk_era_letter(sk_era era)
{
    for (size_t i = 0; i < sizeof(eras) / sizeof(eras[0]); i++)
        if (eras[i].era == era)
            return eras[i].letter;
    return '?';
}

sk_err sk_wareki_format(sk_date d, char *out, size_t outsz)
{
    sk_wareki w;
    sk_err err = sk_wareki_of(d, &w);
    if (err)
        return err;
    int n;
    if (w.year == 1)
        n = snprintf(out, outsz, "%s元年%d月%d日", sk_era_name(w.era), d.m, d.d);
    else
        n = snprintf(out, outsz, "%s%d年%d月%d日", sk_era_name(w.era), w.year, d.m, d.d);
    return n < 0 || (size_t)n >= outsz ? SK_ERR_TOOBIG : SK_OK;
}

sk_err sk_wareki_format_short(sk_date d, char out[10])
{
    sk_wareki w;
    sk_err err = sk_wareki_of(d, &w);
    if (err)
        return err;
    out[0] = sk_era_letter(w.era);
    put_digits(out + 1, w.year, 2);
    out[3] = '.';
    put_digits(out + 4, d.m, 2);
    out[6] = '.';
    put_digits(out + 7, d.d, 2);
    out[9] = '\0';
    return SK_OK;
}
