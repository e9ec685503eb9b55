// SPDX-License-Identifier: GPL-2.0
/*
 * The NVMe Boot specification's URI of a remote namespace,
 *     nvme+tcp://HOST[:PORT]/SUBSYSTEM-NQN/NSID
 * checked part by part: every guest-independent mistake an operator can
 * make gets its own sentence here rather than a refusal from the kernel.
 * HOST is an address, not a name: the kernel's initiator resolves none.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvmf_internal.h"

#define LIO_NVMF_DISCOVERY_NQN	"nqn.2014-08.org.nvmexpress.discovery"

int lio_nvmf_inval(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

bool lio_nvmf_is_uri(const char *path)
{
	return !strncmp(path, "nvme+", 5);
}

/* Decimal, no sign, no leading zero but "0" itself, within max. */
static int parse_dec(const char *s, size_t len, unsigned long max,
		     unsigned long *out)
{
	unsigned long n = 0;
	size_t i;

	if (!len || len > 10 || (s[0] == '0' && len > 1))
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		n = n * 10 + (unsigned long)(s[i] - '0');
	}
	if (n > max)
		return -EINVAL;
	*out = n;
	return 0;
}

/* HOST[:PORT] (HOST an IPv4 address or [IPv6]) into t. */
static int parse_authority(const char *uri, const char *s, size_t len,
			   struct lio_nvmf_target *t, char *err, size_t errlen)
{
	const char *port = NULL;
	unsigned char addr[16];
	unsigned long p;
	size_t hlen;
	char host[64];
	int v6 = 0;

	if (!len)
		return lio_nvmf_inval(err, errlen, "%s: no HOST after the \"//\" (an IPv4 "
			       "address, or an IPv6 one in brackets)", uri);
	if (s[0] == '[') {
		const char *close = memchr(s, ']', len);

		if (!close)
			return lio_nvmf_inval(err, errlen, "%s: IPv6 address without its "
				       "closing \"]\"", uri);
		hlen = (size_t)(close - s) - 1;
		if (hlen >= sizeof(host))
			return lio_nvmf_inval(err, errlen, "%s: address too long", uri);
		memcpy(host, s + 1, hlen);
		host[hlen] = 0;
		if ((size_t)(close - s) + 1 < len) {
			if (close[1] != ':')
				return lio_nvmf_inval(err, errlen, "%s: after \"]\" comes "
					       "\":PORT\" or \"/\"", uri);
			port = close + 2;
		}
		v6 = 1;
	} else {
		const char *colon = memchr(s, ':', len);

		hlen = colon ? (size_t)(colon - s) : len;
		if (hlen >= sizeof(host))
			return lio_nvmf_inval(err, errlen, "%s: address too long", uri);
		memcpy(host, s, hlen);
		host[hlen] = 0;
		if (colon)
			port = colon + 1;
	}
	if (inet_pton(v6 ? AF_INET6 : AF_INET, host, addr) != 1)
		return lio_nvmf_inval(err, errlen, "%s: HOST \"%s\" is not %s address%s", uri,
			       host, v6 ? "an IPv6" : "an IPv4",
			       v6 ? "" : " (an IPv6 one goes in brackets; the "
			       "kernel's initiator takes no host names)");
	strcpy(t->traddr, host);
	if (!port) {
		strcpy(t->trsvcid, LIO_NVMF_DEFAULT_PORT);
		return 0;
	}
	if (parse_dec(port, (size_t)(s + len - port), 65535, &p) || !p)
		return lio_nvmf_inval(err, errlen, "%s: PORT \"%.*s\" is not a number from "
			       "1 to 65535", uri, (int)(s + len - port), port);
	snprintf(t->trsvcid, sizeof(t->trsvcid), "%u", (unsigned int)(p & 0xffff));
	return 0;
}

/* The NVMe base specification's NQN: "nqn." and printable ASCII. */
static int check_nqn(const char *uri, const char *nqn, size_t len,
		     char *err, size_t errlen)
{
	size_t i;

	if (!len)
		return lio_nvmf_inval(err, errlen, "%s: no SUBSYSTEM-NQN (the URI is "
			       "nvme+tcp://HOST[:PORT]/SUBSYSTEM-NQN/NSID)", uri);
	if (len > LIO_NQN_MAX)
		return lio_nvmf_inval(err, errlen, "%s: the NQN has %zu bytes, at most %d",
			       uri, len, LIO_NQN_MAX);
	if (len < 4 || strncmp(nqn, "nqn.", 4))
		return lio_nvmf_inval(err, errlen, "%s: SUBSYSTEM-NQN \"%.*s\" does not "
			       "start with \"nqn.\"", uri, (int)len, nqn);
	for (i = 0; i < len; i++)
		if (nqn[i] <= ' ' || nqn[i] > '~')
			return lio_nvmf_inval(err, errlen, "%s: the NQN has a byte %#x: only "
				       "printable ASCII without spaces", uri,
				       (unsigned char)nqn[i]);
	if (len == strlen(LIO_NVMF_DISCOVERY_NQN) &&
	    !memcmp(nqn, LIO_NVMF_DISCOVERY_NQN, len))
		return lio_nvmf_inval(err, errlen, "%s: that is the discovery subsystem, "
			       "which has no namespaces: name the subsystem itself "
			       "(nvme discover lists them)", uri);
	return 0;
}

int lio_nvmf_uri_parse(const char *uri, struct lio_nvmf_target *t,
		       char *err, size_t errlen)
{
	const char *p, *auth, *slash, *nqn, *nsid;
	unsigned long n;
	size_t len;
	int ret;

	memset(t, 0, sizeof(*t));
	if (strlen(uri) > LIO_NVMF_URI_MAX)
		return lio_nvmf_inval(err, errlen, "URI longer than %d characters",
			       LIO_NVMF_URI_MAX);
	if (strncmp(uri, "nvme+", 5))
		return lio_nvmf_inval(err, errlen, "%s: not an NVMe-oF URI "
			       "(nvme+tcp://HOST[:PORT]/SUBSYSTEM-NQN/NSID)", uri);
	p = uri + 5;
	if (!strncmp(p, "tcp://", 6)) {
		strcpy(t->transport, "tcp");
	} else if (!strncmp(p, "rdma://", 7)) {
		strcpy(t->transport, "rdma");
	} else {
		len = strcspn(p, ":/");
		return lio_nvmf_inval(err, errlen, "%s: unknown transport \"%.*s\" "
			       "(nvme+tcp:// or nvme+rdma://)", uri, (int)len, p);
	}
	auth = strstr(p, "://") + 3;
	slash = strchr(auth, '/');
	if (!slash)
		return lio_nvmf_inval(err, errlen, "%s: no \"/SUBSYSTEM-NQN/NSID\" after the "
			       "host", uri);
	ret = parse_authority(uri, auth, (size_t)(slash - auth), t, err, errlen);
	if (ret)
		return ret;
	nqn = slash + 1;
	p = strchr(nqn, '/');
	if (!p)
		return lio_nvmf_inval(err, errlen, "%s: no \"/NSID\" after the NQN (the "
			       "namespace's ID, 1 or more)", uri);
	ret = check_nqn(uri, nqn, (size_t)(p - nqn), err, errlen);
	if (ret)
		return ret;
	memcpy(t->subsysnqn, nqn, (size_t)(p - nqn));
	t->subsysnqn[p - nqn] = 0;
	nsid = p + 1;
	if (parse_dec(nsid, strlen(nsid), 0xfffffffeUL, &n) || !n)
		return lio_nvmf_inval(err, errlen, "%s: NSID \"%s\" is not a namespace ID "
			       "(a number from 1 to 4294967294)", uri, nsid);
	t->nsid = (uint32_t)n;
	return 0;
}
