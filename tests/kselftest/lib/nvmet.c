// SPDX-License-Identifier: GPL-2.0
/* The kernel's NVMe-oF target for the tests, through tests/vm/nvmet.sh. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nvmet.h"

/*
 * Run nvmet.sh with the arguments; its first line of output in out, its
 * stderr's last line in err. 0 when it exited 0, else -EIO (-errno when
 * it could not run).
 */
static int script(char *out, size_t outlen, char *err, size_t errlen,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int script(char *out, size_t outlen, char *err, size_t errlen,
		  const char *fmt, ...)
{
	const char *top = getenv("LEAPIO_TOP");
	char cmd[1024], args[768], line[512] = "";
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "%s/tests/vm/nvmet.sh %s 2>&1", top && *top ? top : ".",
		 args);
	p = popen(cmd, "r");
	if (!p)
		return -errno;
	if (out && outlen)
		out[0] = 0;
	while (fgets(line, sizeof(line), p)) {
		if (out && outlen && !out[0])
			snprintf(out, outlen, "%s", line);
		if (err && errlen)
			snprintf(err, errlen, "%s", line);
	}
	st = pclose(p);
	if (out && outlen)
		out[strcspn(out, "\n")] = 0;
	if (err && errlen)
		err[strcspn(err, "\n")] = 0;
	if (st < 0)
		return -errno;
	return WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : -EIO;
}

int nvmet_net_up(const char *transport, char *err, size_t errlen)
{
	return script(NULL, 0, err, errlen, "net-up %s", transport);
}

int nvmet_export(struct nvmet_export *e, const char *transport, const char *dev,
		 char *err, size_t errlen)
{
	static unsigned int seq;
	int ret;

	memset(e, 0, sizeof(*e));
	snprintf(e->transport, sizeof(e->transport), "%s", transport);
	snprintf(e->nqn, sizeof(e->nqn), "nqn.2026-12.io.leapio.ksft:%d-%u",
		 (int)getpid(), seq);
	e->port = 1 + ((unsigned int)getpid() * 8 + seq) % 30000;
	seq++;
	snprintf(e->trsvcid, sizeof(e->trsvcid), "%u", 4420 + e->port);
	e->made = true;
	ret = script(e->uri, sizeof(e->uri), err, errlen, "export %s %s %s %u",
		     transport, dev, e->nqn, e->port);
	if (!ret && strncmp(e->uri, "nvme+", 5)) {
		snprintf(err, errlen, "nvmet.sh export printed \"%s\", not a URI", e->uri);
		ret = -EIO;
	}
	return ret;
}

int nvmet_unlink(struct nvmet_export *e)
{
	return script(NULL, 0, NULL, 0, "unlink %s %s %u", e->transport, e->nqn, e->port);
}

int nvmet_link(struct nvmet_export *e)
{
	return script(NULL, 0, NULL, 0, "link %s %s %u", e->transport, e->nqn, e->port);
}

int nvmet_revalidate(struct nvmet_export *e)
{
	return script(NULL, 0, NULL, 0, "revalidate %s", e->nqn);
}

void nvmet_unexport(struct nvmet_export *e)
{
	if (e->made && !script(NULL, 0, NULL, 0, "unexport %s %u", e->nqn, e->port))
		e->made = false;
}

int nvmet_host_ctrls(const char *nqn)
{
	char out[32];
	int ret = script(out, sizeof(out), NULL, 0, "ctrls %s", nqn);

	return ret ? ret : atoi(out);
}

int nvmet_host_ctrl_state(const char *nqn, char *buf, size_t len)
{
	return script(buf, len, NULL, 0, "state %s", nqn);
}
