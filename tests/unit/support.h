/* support.h — helpers shared by the unit tests: cmocka includes, a scratch directory. */
#ifndef SK_TEST_SUPPORT_H
#define SK_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* A fresh empty directory under $TMPDIR, removed by sk_test_rmtree. */
char *sk_test_tmpdir(void);
void sk_test_rmtree(const char *dir);

#endif
