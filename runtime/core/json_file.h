/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A JSON document written over a file whole or not at all, so that a
 * leapiod killed mid-write leaves the old file: the running
 * configuration (save_config), a pool's record (pool.c).
 */
#ifndef LEAPIOD_JSON_FILE_H
#define LEAPIOD_JSON_FILE_H

#include <stddef.h>
#include <sys/types.h>

struct json_t;

/*
 * j, indented, into a new file "<path>.tmp" of mode, flushed to disk,
 * then renamed over path. 0, or -errno with "<file>: <reason>" in why
 * (the temporary file removed). The rename is made durable by the
 * caller's fsync of the directory, where it needs it.
 */
int lio_json_file_replace(const struct json_t *j, const char *path, mode_t mode,
			  char *why, size_t whylen);

#endif /* LEAPIOD_JSON_FILE_H */
