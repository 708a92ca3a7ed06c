/* checkdigit.c — check-digit algorithms (see checkdigit.h for the sources). */
#include "core/checkdigit.h"

int sk_checkdigit_mynumber(const char base[11])
{
    /* 総務省令第85号 第5条: Pn is the nth digit from the right (n = 1…11),
     * Qn = n + 1 for n <= 6, n - 5 for n >= 7; check = 11 - (Σ Pn·Qn mod 11), 0 if r <= 1. */
    int s = 0;
    for (int n = 1; n <= 11; n++) {
        char c = base[11 - n];
        if (c < '0' || c > '9')
            return -1;
        int q = n <= 6 ? n + 1 : n - 5;
        s += (c - '0') * q;
    }
    int r = s % 11;
    return r <= 1 ? 0 : 11 - r;
}

int sk_checkdigit_luhn(const char *digits, size_t n)
{
    int s = 0;
    for (size_t i = 0; i < n; i++) {
        char c = digits[n - 1 - i];
        if (c < '0' || c > '9')
            return -1;
        int v = (c - '0') * (i % 2 == 0 ? 2 : 1);
        s += v / 10 + v % 10;
    }
    return (10 - s % 10) % 10;
}
