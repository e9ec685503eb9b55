/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What ivshmem-server sets up before serving: the shared memory file, the
 * listening socket, the pid file. Each returns an fd or -1 with a
 * sentence naming the path and the reason in err.
 */
#ifndef IVS_SETUP_H
#define IVS_SETUP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Open or create path (mode 0600) and set its size. It must be a regular
 * file: other QEMUs may map the same file as a memory-backend-file, and
 * a file already that size keeps its content.
 */
int ivs_shm_open(const char *path, uint64_t size, char *err, size_t errlen);

/*
 * Listen on a UNIX stream socket at path. A socket file that no server
 * answers on (left by a server that was killed) is replaced; one that
 * answers, or anything that is not a socket, is refused.
 */
int ivs_listen(const char *path, char *err, size_t errlen);

/* Create (truncate) path for writing a pid into later. */
int ivs_pidfile_open(const char *path, char *err, size_t errlen);
/* Write pid and a newline to fd and close it: 0 or -errno. */
int ivs_pidfile_write(int fd, pid_t pid);

#endif /* IVS_SETUP_H */
