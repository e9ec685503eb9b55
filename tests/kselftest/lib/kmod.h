/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading and unloading a kernel module by system call, for the tests that
 * reload leapio_host.ko with other parameters: no dependency on a module
 * tool inside the VM, and the kernel's own errno comes back.
 */
#ifndef LEAPIO_KSFT_KMOD_H
#define LEAPIO_KSFT_KMOD_H

#include <stdbool.h>

#define LEAPIO_MODULE_NAME	"leapio_host"

/* finit_module(path, params): 0 or -errno (-EEXIST when loaded). */
int kmod_load(const char *path, const char *params);
/* delete_module(name, O_NONBLOCK): 0 or -errno (-EAGAIN while in use). */
int kmod_unload(const char *name);
bool kmod_loaded(const char *name);
/* /sys/module/<name>/parameters/<param> as a number. */
int kmod_param(const char *name, const char *param, long *val);

#endif /* LEAPIO_KSFT_KMOD_H */
