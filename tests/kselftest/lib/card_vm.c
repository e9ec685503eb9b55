// SPDX-License-Identifier: GPL-2.0
/* The card VM's agent, asked through the shared directory; see card_vm.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "card_vm.h"
#include "clock.h"

/*
 * Requests are numbered from 1 for the whole session, across test
 * processes: the next number is the first req.N not yet in the directory
 * (the agent never removes one). The search starts after the last one
 * this process made: each look is a round trip over 9p.
 */
static unsigned int next_seq(const char *dir)
{
	static unsigned int last;
	char path[PATH_MAX];
	unsigned int n;

	for (n = last + 1;; n++) {
		snprintf(path, sizeof(path), "%s/req.%u", dir, n);
		if (access(path, F_OK))
			return last = n;
	}
}

bool card_vm(void)
{
	const char *d = getenv("LEAPIO_CARD_VM");

	return d && *d;
}

const char *card_vm_disk(void)
{
	return getenv("LEAPIO_CARD_VM_DISK");
}

const char *card_vm_ssd(void)
{
	return getenv("LEAPIO_CARD_VM_SSD");
}

const char *card_vm_log_path(void)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/leapiod.log", getenv("LEAPIO_CARD_VM"));
	return path;
}

/* Written aside, then renamed: the agent never sees half a request. */
static int put_request(const char *dir, unsigned int seq, const char *req)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s/.req.%u.tmp", dir, seq);
	snprintf(path, sizeof(path), "%s/req.%u", dir, seq);
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, "%s\n", req);
	if (fclose(f))
		return -errno;
	return rename(tmp, path) ? -errno : 0;
}

int card_vm_call(const char *req, char *val, size_t len)
{
	const char *dir = getenv("LEAPIO_CARD_VM");
	int64_t deadline = mono_ms() + CARD_VM_TIMEOUT_MS;
	char path[PATH_MAX], line[512];
	unsigned int seq;
	FILE *f;
	int err;

	if (!dir || !*dir)
		return -ENODEV;
	seq = next_seq(dir);
	err = put_request(dir, seq, req);
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/resp.%u", dir, seq);
	/* Bounded polling: the agent is another machine's shell loop. */
	while (!(f = fopen(path, "re"))) {
		if (errno != ENOENT)
			return -errno;
		if (mono_ms() > deadline)
			return -ETIMEDOUT;
		usleep(20000);
	}
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	fclose(f);
	line[strcspn(line, "\n")] = 0;
	if (!strncmp(line, "ok", 2) && (!line[2] || line[2] == ' ')) {
		snprintf(val, len, "%s", line[2] ? line + 3 : "");
		return 0;
	}
	snprintf(val, len, "%s", !strncmp(line, "err ", 4) ? line + 4 : line);
	return -EIO;
}
