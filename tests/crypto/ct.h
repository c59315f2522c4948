/*
 * tests/crypto/ct.h - the ctgrind method: mark secret bytes undefined for
 * valgrind's memcheck, which then reports every conditional jump and
 * every memory address computed from them.  Run the program under
 * valgrind --error-exitcode=N: no report means no secret-dependent branch
 * or index on the paths it ran.  Outside valgrind the marks do nothing.
 * CT_PUBLIC declassifies a result that is public by design (a tag
 * comparison's verdict, a ciphertext) before the test branches on it.
 */
#ifndef TUBES_TEST_CT_H
#define TUBES_TEST_CT_H

#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define CT_SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define CT_PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#define CT_HAVE_VALGRIND 1
#endif
#endif
#ifndef CT_SECRET
#define CT_SECRET(p, n) ((void)(p), (void)(n))
#define CT_PUBLIC(p, n) ((void)(p), (void)(n))
#define CT_HAVE_VALGRIND 0
#endif

#endif
