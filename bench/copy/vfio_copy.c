// SPDX-License-Identifier: GPL-2.0
/*
 * `make bench-copy`'s guest, in L1: a user-space NVMe driver (the
 * kselftests' VFIO client, tests/kselftest/lib/) duplicating a region of
 * its LeapIO namespace twice, timed as the guest sees it:
 *
 *   readwrite  the guest's own way: MDTS-sized Reads into its memory and
 *              Writes from it to the copy's place, QD pairs in flight
 *   copy       Copy commands (source range format 0h), as many as MCL
 *              needs, all in flight at once: the data stays in leapiod
 *
 * Each copy is then read back and compared with its source, so that a
 * fast wrong copy cannot win. Prints one line:
 *   "bytes=N readwrite_ms=N copy_ms=N readwrite_cmds=N copy_cmds=N same=1"
 *
 *   vfio_copy <ns bytes> <copy bytes> <qd>
 * creates the mdev (leapio-1q, 512-byte LBAs), prints "uuid=<uuid>",
 * waits for a runtime to attach (bench/copy/l1-bench-copy.sh starts
 * leapiod then), enables it and runs. The namespace must hold three
 * copies: source at 0, the guest's copy after it, Copy's after that.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../lib/bench_client.h"
#include "../../tests/lib/nvme_build.h"

#define QD_MAX		32
#define IO_MS		60000
#define XFER		(256U << 10)	/* MDTS */

/* A slot's buffer: XFER bytes of guest memory and its PRPs, made once. */
struct slot {
	void		*buf;
	uint64_t	prp1, prp2;
};

/* One Read or Write of XFER bytes at byte offset off through b: cid. */
static int rw(struct nio *io, uint8_t op, uint64_t off, const struct slot *b)
{
	struct nvme_sqe sqe;

	nb_rw(&sqe, op, NIO_NSID, off >> io->lba_shift, XFER >> io->lba_shift,
	      b->prp1, b->prp2);
	return nio_submit(io, 1, &sqe);
}

/*
 * The guest's copy of [0, len) to dst: each slot reads a piece, then
 * writes it, then takes the next piece. Commands sent, or -errno.
 */
static long readwrite(struct nio *io, uint64_t len, uint64_t dst,
		      const struct slot *sl, unsigned int qd)
{
	static uint64_t off[65536];
	static bool writing[65536];
	static unsigned int slot[65536];
	uint64_t next = 0, done = 0, o;
	unsigned int i;
	struct nvme_cqe cqe;
	long cmds = 0;
	int cid;

	for (i = 0; i < qd && next < len; i++, next += XFER) {
		cid = rw(io, nvme_cmd_read, next, &sl[i]);
		if (cid < 0)
			return cid;
		off[cid] = next;
		slot[cid] = i;
		writing[cid] = false;
		cmds++;
	}
	while (done < len) {
		uint16_t c;

		if (nio_reap(io, 1, &cqe, IO_MS))
			return -ETIMEDOUT;
		if (nvd_status_code(&cqe))
			return -EIO;
		c = le16toh(cqe.cid);
		i = slot[c];
		if (!writing[c]) {
			o = off[c];
			cid = rw(io, nvme_cmd_write, dst + o, &sl[i]);
		} else {
			done += XFER;
			if (next >= len)
				continue;
			o = next;
			next += XFER;
			cid = rw(io, nvme_cmd_read, o, &sl[i]);
		}
		if (cid < 0)
			return cid;
		writing[cid] = !writing[c];
		off[cid] = o;
		slot[cid] = i;
		cmds++;
	}
	return cmds;
}

/* [0, len) to dst by Copy commands, all in flight: commands or -errno. */
static long copy(struct nio *io, struct lio *l, uint64_t len, uint64_t dst)
{
	uint64_t mcl = (uint64_t)io->copy_mcl << io->lba_shift;
	uint64_t rng = (uint64_t)io->copy_mssrl << io->lba_shift;
	uint64_t off, o, end, iova;
	struct nvme_copy_range *e;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	long cmds = 0, n;
	uint32_t nr;

	/* Whole 4 KiB pages a range: MSSRL (65535 blocks) is odd. */
	rng &= ~4095ULL;
	if (!mcl || !rng)
		return -EINVAL;
	for (off = 0; off < len; off += mcl) {
		e = gmem_alloc_pages(&l->mem, 4096, &iova);
		if (!e)
			return -ENOMEM;
		end = off + mcl < len ? off + mcl : len;
		nr = 0;
		for (o = off; o < end && nr < 128; o += rng, nr++)
			nb_copy_range(&e[nr], o >> io->lba_shift,
				      (uint32_t)((end - o < rng ? end - o : rng) >>
						 io->lba_shift));
		nb_copy(&sqe, NIO_NSID, (dst + off) >> io->lba_shift, nr, iova, 0);
		if (nio_submit(io, 1, &sqe) < 0)
			return -EIO;
		cmds++;
	}
	for (n = 0; n < cmds; n++) {
		if (nio_reap(io, 1, &cqe, IO_MS))
			return -ETIMEDOUT;
		if (nvd_status_code(&cqe)) {
			fprintf(stderr, "vfio_copy: Copy: status %#x, DW0 %u\n",
				nvd_status_code(&cqe), le32toh(cqe.dw0));
			return -EIO;
		}
	}
	return cmds;
}

/* [a, a + len) and [b, b + len) hold the same bytes: 1, 0, or -errno. */
static int same(struct nio *io, uint64_t a, uint64_t b, uint64_t len,
		const struct slot *sl)
{
	struct nvme_cqe cqe;
	uint64_t off;
	int cid;

	for (off = 0; off < len; off += XFER) {
		cid = rw(io, nvme_cmd_read, a + off, &sl[0]);
		if (cid < 0 || nio_wait(io, 1, (uint16_t)cid, &cqe, IO_MS) ||
		    nvd_status_code(&cqe))
			return -EIO;
		cid = rw(io, nvme_cmd_read, b + off, &sl[1]);
		if (cid < 0 || nio_wait(io, 1, (uint16_t)cid, &cqe, IO_MS) ||
		    nvd_status_code(&cqe))
			return -EIO;
		if (memcmp(sl[0].buf, sl[1].buf, XFER))
			return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	struct lio_opts o = { .type = "leapio-1q", .lba_size = 512, .no_open = true };
	uint64_t len, iova, t0, t_rw, t_cp;
	struct slot sl[QD_MAX];
	long rw_cmds, cp_cmds;
	unsigned int qd, i;
	struct nio io;
	struct lio l;
	int err, s1, s2;

	if (argc != 4) {
		fprintf(stderr, "usage: %s <ns bytes> <copy bytes> <qd>\n", argv[0]);
		return 2;
	}
	o.ns_size = strtoull(argv[1], NULL, 0);
	len = strtoull(argv[2], NULL, 0);
	qd = (unsigned int)atoi(argv[3]);
	if (!len || len % XFER || o.ns_size < 3 * len || qd < 2 || qd > QD_MAX) {
		fprintf(stderr, "vfio_copy: bad arguments\n");
		return 2;
	}
	err = bench_client_setup(&l, &io, &o, (uint16_t)(qd * 2 + 2), "vfio_copy");
	if (err)
		return 1;
	for (i = 0; i < qd; i++)
		if (!(sl[i].buf = gmem_alloc_pages(&l.mem, XFER, &iova)) ||
		    nio_prp(&io, iova, XFER, &sl[i].prp1, &sl[i].prp2)) {
			fprintf(stderr, "vfio_copy: out of guest memory\n");
			nio_fini(&io);
			lio_teardown(&l);
			return 1;
		}
	t0 = bench_now_ns();
	rw_cmds = readwrite(&io, len, len, sl, qd);
	t_rw = bench_now_ns() - t0;
	t0 = bench_now_ns();
	cp_cmds = copy(&io, &l, len, 2 * len);
	t_cp = bench_now_ns() - t0;
	s1 = rw_cmds > 0 ? same(&io, 0, len, len, sl) : -1;
	s2 = cp_cmds > 0 ? same(&io, 0, 2 * len, len, sl) : -1;
	if (rw_cmds < 0 || cp_cmds < 0)
		fprintf(stderr, "vfio_copy: readwrite %ld, copy %ld\n", rw_cmds, cp_cmds);
	printf("bytes=%llu readwrite_ms=%llu copy_ms=%llu readwrite_cmds=%ld "
	       "copy_cmds=%ld same=%d\n", (unsigned long long)len,
	       (unsigned long long)(t_rw / 1000000), (unsigned long long)(t_cp / 1000000),
	       rw_cmds, cp_cmds, s1 == 1 && s2 == 1);
	nio_fini(&io);
	lio_teardown(&l);
	return rw_cmds > 0 && cp_cmds > 0 && s1 == 1 && s2 == 1 ? 0 : 1;
}
