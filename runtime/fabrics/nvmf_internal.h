/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the parsers of runtime/fabrics/ (uri.c, opts.c); private. */
#ifndef LEAPIOD_NVMF_INTERNAL_H
#define LEAPIOD_NVMF_INTERNAL_H

#include "nvmf.h"

/* One sentence into err (if any); returns -EINVAL, for "return ...". */
int lio_nvmf_inval(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* LEAPIOD_NVMF_INTERNAL_H */
