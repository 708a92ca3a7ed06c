/* support.h — helpers shared by the unit tests: cmocka includes, a scratch directory, a
 * principal. */
#ifndef SK_TEST_SUPPORT_H
#define SK_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "access/access.h"
#include "core/date.h"

/* A date literal, and an assertion that prints both dates when they differ. */
sk_date sk_test_date(int y, int m, int d);
void sk_test_assert_date(sk_date got, int y, int m, int d);
#define D(y, m, d)                sk_test_date(y, m, d)
#define assert_date(got, y, m, d) sk_test_assert_date(got, y, m, d)

/* A fresh empty directory under $TMPDIR, removed by sk_test_rmtree. */
char *sk_test_tmpdir(void);
void sk_test_rmtree(const char *dir);

/* A principal of this role and scope, labelled "test" (id 0: not stored). */
sk_principal sk_test_principal(sk_role role, const char *scope);

/* Sleeps ms milliseconds (for a background thread to do its part). */
void sk_test_sleep_ms(int ms);

#endif
