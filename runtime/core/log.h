/* SPDX-License-Identifier: GPL-2.0 */
/* leapiod's log (log.c): stderr, "leapiod: " first; tests may silence it. */
#ifndef LEAPIOD_LOG_H
#define LEAPIOD_LOG_H

#include <stdbool.h>

void lio_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern bool lio_log_verbose;
void lio_dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* LEAPIOD_LOG_H */
