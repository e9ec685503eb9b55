/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a libFuzzer input, shared by the fuzz targets: a program of
 * fields taken front to back, or the whole input as a C string.
 */
#ifndef LEAPIO_FUZZ_INPUT_H
#define LEAPIO_FUZZ_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct prog {
	const unsigned char *p;
	size_t n;
};

/* The next len bytes into out; false (and nothing taken) at the end. */
static inline bool take(struct prog *pr, void *out, size_t len)
{
	if (pr->n < len)
		return false;
	memcpy(out, pr->p, len);
	pr->p += len;
	pr->n -= len;
	return true;
}

/* The input as a NUL-terminated string the caller frees; NULL if no memory. */
static inline char *fuzz_cstring(const unsigned char *data, size_t size)
{
	char *text = malloc(size + 1);

	if (text) {
		memcpy(text, data, size);
		text[size] = 0;
	}
	return text;
}

#endif /* LEAPIO_FUZZ_INPUT_H */
