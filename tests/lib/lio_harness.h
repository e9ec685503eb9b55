/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kselftest harness for the user-space unit builds (tests/unit,
 * tests/unit-rt), with LeakSanitizer made to run for every test: every
 * unit and unit-rt test includes this header, never kselftest_harness.h
 * itself.
 *
 * Why: the harness runs each test in a forked child (a TEST_F's body and
 * FIXTURE_SETUP/TEARDOWN in a grandchild) and ends those processes with
 * _exit(), which skips the atexit handler through which LeakSanitizer
 * reports; only the runner process that prints the TAP exits with
 * exit(), and it never runs a test body. So a leak in a test or in the
 * code under test went unseen.
 *
 * How: every _exit() the harness calls is inside its TEST/TEST_F macros
 * or in __run_test(), all of which are expanded in, or defined by, the
 * test file that includes this header. A function-like macro _exit(code)
 * defined before the include, and left defined for the rest of the
 * file, routes each of them through lio_harness_exit(), which runs
 * __lsan_do_recoverable_leak_check() first and turns a leak into
 * KSFT_FAIL. The harness's own hooks cannot do this: a plain TEST() has
 * no teardown, and a FIXTURE_TEARDOWN is each test file's own code. The
 * harness's status path then does the
 * rest: the grandchild's non-zero status becomes the test's exit code,
 * and the child's becomes "not ok" in the TAP. Tests do not call _exit()
 * themselves (a forked child of a test would get the same check).
 *
 * A test that fails an ASSERT leaves its allocations behind; those
 * leaks are reported too, next to the failure that caused them.
 */
#ifndef LIO_HARNESS_H
#define LIO_HARNESS_H

#include <stdio.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define LIO_HARNESS_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LIO_HARNESS_LSAN 1
#endif
#endif

#ifdef LIO_HARNESS_LSAN
#include <sanitizer/lsan_interface.h>
#endif

/* KSFT_FAIL, without kselftest.h's definitions coming before ours. */
#define LIO_HARNESS_FAIL	1

/*
 * The harness's _exit(code): a leak found here makes the process exit
 * with LIO_HARNESS_FAIL whatever the test's verdict was (a skipped test
 * that leaks fails too). The report itself is LeakSanitizer's, on
 * stderr. Without a sanitizer (a build that does not define it) this is
 * the plain _exit().
 */
static inline __attribute__((noreturn)) void lio_harness_exit(int code)
{
#ifdef LIO_HARNESS_LSAN
	if (__lsan_do_recoverable_leak_check()) {
		fprintf(stderr, "# LeakSanitizer: leak in pid %d, the test fails\n",
			(int)getpid());
		fflush(stderr);
		code = LIO_HARNESS_FAIL;
	}
#endif
	_exit(code);
}

#define _exit(code) lio_harness_exit(code)

#include "kselftest_harness.h"

#endif /* LIO_HARNESS_H */
