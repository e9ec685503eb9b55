// SPDX-License-Identifier: GPL-2.0
/*
 * The test drivers' SQE and PRP builders (tests/lib/nvme_build.c): every
 * builder's 64 bytes against the NVMe Base Specification 2.0's layout,
 * written out byte by byte (little endian) from the spec's figures, and
 * the PRP builder's lists walked back by the controller's own walker.
 */
#include <stdlib.h>

#include "../lib/lio_harness.h"
#include "../lib/nvme_build.h"
#include "../../common/nvme/prp.h"

/* An SQE full of junk: a builder must set every byte it owns. */
static void junk(struct nvme_sqe *s)
{
	memset(s, 0xee, sizeof(*s));
}

static void expect_sqe(struct __test_metadata *_metadata,
		       const struct nvme_sqe *s, const u8 want[NVME_SQE_SIZE])
{
	const u8 *got = (const u8 *)s;
	unsigned int i;

	for (i = 0; i < NVME_SQE_SIZE; i++) {
		if (got[i] != want[i])
			TH_LOG("SQE byte %u: 0x%02x, want 0x%02x", i, got[i],
			       want[i]);
		EXPECT_EQ(want[i], got[i]);
	}
}

/* ---- Admin commands ---- */

TEST(identify_controller)
{
	/* Opcode 06h; CDW10 CNS 01h; 4 KiB at a page: PRP1 only. */
	const u8 want[64] = {
		[0] = 0x06,
		[24] = 0x00, 0x50, 0x34, 0x12,
		[40] = 0x01,
	};
	struct nvme_sqe s;

	junk(&s);
	nb_identify(&s, NVME_ID_CNS_CTRL, 0, 0x12345000);
	expect_sqe(_metadata, &s, want);
}

TEST(identify_unaligned_buffer_gets_prp2)
{
	/* NSID 1, CNS 00h; 4 KiB from mid-page ends in the next page. */
	const u8 want[64] = {
		[0] = 0x06,
		[4] = 0x01,
		[24] = 0x00, 0x58, 0x34, 0x12,
		[32] = 0x00, 0x60, 0x34, 0x12,
	};
	struct nvme_sqe s;

	junk(&s);
	nb_identify(&s, NVME_ID_CNS_NS, 1, 0x12345800);
	expect_sqe(_metadata, &s, want);
}

TEST(identify_csi)
{
	/* CNS 06h, CSI 02h in CDW11 [31:24]. */
	const u8 want[64] = {
		[0] = 0x06,
		[4] = 0xff, 0xff, 0xff, 0xff,
		[24] = 0x00, 0x10, 0x00, 0x00, 0x01,	/* 1_0000_1000h */
		[40] = 0x06,
		[47] = 0x02,
	};
	struct nvme_sqe s;

	junk(&s);
	nb_identify_csi(&s, NVME_ID_CNS_CS_CTRL, 2, 0xffffffff, 0x100001000ULL);
	expect_sqe(_metadata, &s, want);
}

TEST(get_log_numd_from_bytes)
{
	/* 4096 bytes = 1024 dwords: NUMD 1023 = 3FFh, NUMDL in CDW10
	 * [31:16], NUMDU 0; LID 02h.
	 */
	const u8 want[64] = {
		[0] = 0x02,
		[4] = 0xff, 0xff, 0xff, 0xff,
		[24] = 0x00, 0x00, 0x20,
		[40] = 0x02, 0x00, 0xff, 0x03,
	};
	/* 512 bytes: NUMD 127; RAE is CDW10 bit 15. */
	const u8 want_rae[64] = {
		[0] = 0x02,
		[24] = 0x00, 0x00, 0x20,
		[40] = 0x01, 0x80, 0x7f, 0x00,
	};
	struct nvme_sqe s;

	junk(&s);
	nb_get_log(&s, NVME_LOG_SMART, 0xffffffff, 4096, 0x200000, false);
	expect_sqe(_metadata, &s, want);
	junk(&s);
	nb_get_log(&s, NVME_LOG_ERROR, 0, 512, 0x200000, true);
	expect_sqe(_metadata, &s, want_rae);
}

TEST(get_log_page_every_field)
{
	/*
	 * LID 0Dh, LSP 05h in CDW10 [14:8] with RAE (bit 15): byte 41 85h;
	 * 256 KiB + 4 bytes = 65537 dwords: NUMD 10000h, NUMDL 0 and NUMDU 1
	 * (CDW11 [15:0]); LSI 1234h in CDW11 [31:16]; LPO 1_0000_0200h as
	 * LPOL (CDW12) and LPOU (CDW13). The transfer spans more than two
	 * pages: PRP2 is left for a list.
	 */
	const struct nb_log l = {
		.lid = 0x0d, .lsp = 0x05, .rae = true, .lsi = 0x1234,
		.nsid = 7, .lpo = 0x100000200ULL, .len = 0x40004,
		.buf = 0x70000800,
	};
	const u8 want[64] = {
		[0] = 0x02,
		[4] = 0x07,
		[24] = 0x00, 0x08, 0x00, 0x70,
		[40] = 0x0d, 0x85, 0x00, 0x00,
		[44] = 0x01, 0x00, 0x34, 0x12,
		[48] = 0x00, 0x02, 0x00, 0x00,
		[52] = 0x01, 0x00, 0x00, 0x00,
	};
	struct nvme_sqe s;

	junk(&s);
	nb_get_log_page(&s, &l);
	expect_sqe(_metadata, &s, want);
}

TEST(get_log_crossing_one_page_gets_prp2)
{
	/* 4096 bytes from 7000_0800h end in page 7000_1000h: PRP2; LSP
	 * keeps to its 7 bits.
	 */
	const struct nb_log l = {
		.lid = 0x01, .lsp = 0xff, .nsid = 0, .len = 4096,
		.buf = 0x70000800,
	};
	const u8 want[64] = {
		[0] = 0x02,
		[24] = 0x00, 0x08, 0x00, 0x70,
		[32] = 0x00, 0x10, 0x00, 0x70,
		[40] = 0x01, 0x7f, 0xff, 0x03,
	};
	struct nvme_sqe s;

	junk(&s);
	nb_get_log_page(&s, &l);
	expect_sqe(_metadata, &s, want);
}

TEST(features)
{
	/* Get: FID 07h, SEL 3 (supported capabilities) in CDW10 [10:8]. */
	const u8 want_get[64] = {
		[0] = 0x0a,
		[40] = 0x07, 0x03,
		[44] = 0x78, 0x56, 0x34, 0x12,
	};
	/* Set: FID 06h, SV is CDW10 bit 31; CDW11 1. */
	const u8 want_set[64] = {
		[0] = 0x09,
		[40] = 0x06, 0x00, 0x00, 0x80,
		[44] = 0x01,
	};
	const u8 want_set_nosv[64] = {
		[0] = 0x09,
		[40] = 0x04,
		[44] = 0x2c, 0x01,
	};
	struct nvme_sqe s;

	junk(&s);
	nb_get_features(&s, NVME_FEAT_NUM_QUEUES, NVME_FEAT_SEL_SUPPORTED,
			0x12345678);
	expect_sqe(_metadata, &s, want_get);
	junk(&s);
	nb_set_features(&s, NVME_FEAT_VOLATILE_WC, true, 1);
	expect_sqe(_metadata, &s, want_set);
	junk(&s);
	nb_set_features(&s, NVME_FEAT_TEMP_THRESH, false, 300);
	expect_sqe(_metadata, &s, want_set_nosv);
}

TEST(create_queues)
{
	/* Create I/O CQ 05h: QID 3, QSIZE 63 (0's based) in CDW10
	 * [31:16]; CDW11 PC (bit 0), IEN (bit 1), IV 5 in [31:16].
	 */
	const u8 want_cq[64] = {
		[0] = 0x05,
		[24] = 0x00, 0x60, 0x45, 0x23, 0x01,
		[40] = 0x03, 0x00, 0x3f, 0x00,
		[44] = 0x03, 0x00, 0x05, 0x00,
	};
	/* Create I/O SQ 01h: QSIZE 3FFh; PC, QPRIO 2 in [2:1], CQID 2. */
	const u8 want_sq[64] = {
		[0] = 0x01,
		[24] = 0x00, 0x70,
		[40] = 0x03, 0x00, 0xff, 0x03,
		[44] = 0x05, 0x00, 0x02, 0x00,
	};
	/* 65536 entries: QSIZE FFFFh. */
	const u8 want_max[64] = {
		[0] = 0x05,
		[40] = 0x01, 0x00, 0xff, 0xff,
	};
	struct nvme_sqe s;

	junk(&s);
	nb_create_cq(&s, 3, 64, 0x123456000ULL,
		     NVME_QUEUE_PHYS_CONTIG | NVME_CQ_IRQ_ENABLED, 5);
	expect_sqe(_metadata, &s, want_cq);
	junk(&s);
	nb_create_sq(&s, 3, 1024, 0x7000,
		     NVME_QUEUE_PHYS_CONTIG | (2U << NVME_SQ_PRIO_SHIFT), 2);
	expect_sqe(_metadata, &s, want_sq);
	junk(&s);
	nb_create_cq(&s, 1, 65536, 0, 0, 0);
	expect_sqe(_metadata, &s, want_max);
}

TEST(delete_queues_and_abort)
{
	const u8 want_dsq[64] = { [0] = 0x00, [40] = 0x09 };
	const u8 want_dcq[64] = { [0] = 0x04, [40] = 0x09 };
	/* Abort 08h: SQID [15:0], CID [31:16]. */
	const u8 want_abort[64] = {
		[0] = 0x08,
		[40] = 0x01, 0x00, 0x34, 0x12,
	};
	struct nvme_sqe s;

	junk(&s);
	nb_delete_sq(&s, 9);
	expect_sqe(_metadata, &s, want_dsq);
	junk(&s);
	nb_delete_cq(&s, 9);
	expect_sqe(_metadata, &s, want_dcq);
	junk(&s);
	nb_abort(&s, 1, 0x1234);
	expect_sqe(_metadata, &s, want_abort);
}

TEST(dataless_admin)
{
	const u8 want_aer[64] = { [0] = 0x0c };
	const u8 want_ka[64] = { [0] = 0x18 };
	/* Doorbell Buffer Config 7Ch: PRP1 shadow, PRP2 EventIdx. */
	const u8 want_db[64] = {
		[0] = 0x7c,
		[24] = 0x00, 0x30, 0x01,
		[32] = 0x00, 0x40, 0x01,
	};
	struct nvme_sqe s;

	junk(&s);
	nb_aer(&s);
	expect_sqe(_metadata, &s, want_aer);
	junk(&s);
	nb_keep_alive(&s);
	expect_sqe(_metadata, &s, want_ka);
	junk(&s);
	nb_dbbuf(&s, 0x13000, 0x14000);
	expect_sqe(_metadata, &s, want_db);
}

/* ---- I/O commands ---- */

TEST(read_write_compare)
{
	/* Read 02h: SLBA 1_2345_6789h in CDW10/11, NLB 8 -> 7. */
	const u8 want_rd[64] = {
		[0] = 0x02,
		[4] = 0x01,
		[24] = 0x00, 0x00, 0x20,
		[32] = 0x00, 0x10, 0x20,
		[40] = 0x89, 0x67, 0x45, 0x23,
		[44] = 0x01,
		[48] = 0x07,
	};
	/* 65536 blocks: NLB FFFFh; Write 01h; Compare 05h. */
	const u8 want_wr[64] = {
		[0] = 0x01, [4] = 0x02, [48] = 0xff, 0xff,
	};
	const u8 want_cmp[64] = {
		[0] = 0x05, [4] = 0x01, [40] = 0x20, [24] = 0x00, 0x20,
	};
	struct nvme_sqe s;

	junk(&s);
	nb_rw(&s, nvme_cmd_read, 1, 0x123456789ULL, 8, 0x200000, 0x201000);
	expect_sqe(_metadata, &s, want_rd);
	junk(&s);
	nb_rw(&s, nvme_cmd_write, 2, 0, 65536, 0, 0);
	expect_sqe(_metadata, &s, want_wr);
	junk(&s);
	nb_rw(&s, nvme_cmd_compare, 1, 32, 1, 0x2000, 0);
	expect_sqe(_metadata, &s, want_cmp);
}

TEST(flush_write_zeroes_dsm)
{
	const u8 want_flush[64] = { [0] = 0x00, [4] = 0xff, 0xff, 0xff, 0xff };
	/* Write Zeroes 08h: NLB 16 -> 0Fh, DEAC bit 25, FUA bit 30. */
	const u8 want_wz[64] = {
		[0] = 0x08, [4] = 0x01,
		[40] = 0x40,
		[48] = 0x0f, 0x00, 0x00, 0x42,
	};
	/* DSM 09h: 2 ranges (32 bytes) from 0FF0h end in the next page:
	 * PRP2; NR 1 (0's based), AD is CDW11 bit 2.
	 */
	const u8 want_dsm[64] = {
		[0] = 0x09, [4] = 0x01,
		[24] = 0xf0, 0x0f, 0x01,
		[32] = 0x00, 0x10, 0x01,
		[40] = 0x01,
		[44] = 0x04,
	};
	struct nvme_sqe s;

	junk(&s);
	nb_flush(&s, 0xffffffff);
	expect_sqe(_metadata, &s, want_flush);
	junk(&s);
	/* NLB bits in flags are not the flags' to set. */
	nb_write_zeroes(&s, 1, 0x40, 16, NB_WZ_DEAC | NVME_RW_FUA | 0xffff);
	expect_sqe(_metadata, &s, want_wz);
	junk(&s);
	nb_dsm(&s, 1, NB_DSM_AD, 2, 0x10ff0);
	expect_sqe(_metadata, &s, want_dsm);
}

/* ---- Data pointers ---- */

TEST(data_pointer_page_boundaries)
{
	struct nvme_sqe s;

	junk(&s);
	/* Up to the end of buf's page: PRP1 only. */
	nb_data(&s, 0x10800, 0x800);
	EXPECT_EQ(0x10800ULL, le64_to_cpu(s.prp1));
	EXPECT_EQ(0ULL, le64_to_cpu(s.prp2));
	/* One byte into the next page. */
	nb_data(&s, 0x10800, 0x801);
	EXPECT_EQ(0x11000ULL, le64_to_cpu(s.prp2));
	/* Two whole pages; then one byte more needs a list. */
	nb_data(&s, 0x10000, 0x2000);
	EXPECT_EQ(0x11000ULL, le64_to_cpu(s.prp2));
	nb_data(&s, 0x10000, 0x2001);
	EXPECT_EQ(0ULL, le64_to_cpu(s.prp2));
	/* A misaligned buffer is encoded as given (tests send them). */
	nb_data(&s, 0x10002, 4);
	EXPECT_EQ(0x10002ULL, le64_to_cpu(s.prp1));
}

#define LIST_GPA	0x20000000ULL
#define POISON		0xa5a5a5a5a5a5a5a5ULL

struct walk_ctx {
	const __le64	*list;		/* at LIST_GPA */
	u32		list_bytes;
	u64		seg_gpa[1100];
	u32		seg_len[1100];
	unsigned int	nr;
};

static int walk_read_list(void *ctx, u64 gpa, __le64 *entries, u32 n)
{
	struct walk_ctx *w = ctx;

	if (gpa < LIST_GPA || gpa + 8ULL * n > LIST_GPA + w->list_bytes)
		return -EFAULT;
	memcpy(entries, (const u8 *)w->list + (gpa - LIST_GPA), 8ULL * n);
	return 0;
}

static int walk_segment(void *ctx, u64 gpa, u32 len)
{
	struct walk_ctx *w = ctx;

	if (w->nr == ARRAY_SIZE(w->seg_gpa))
		return -ENOSPC;
	w->seg_gpa[w->nr] = gpa;
	w->seg_len[w->nr++] = len;
	return 0;
}

/* Walk p with the controller's PRP walker over the list memory. */
static u16 walk(struct walk_ctx *w, const struct nb_prp *p, u32 len,
		u32 page_size)
{
	const struct nvme_prp_walk pw = {
		.prp1 = p->prp1, .prp2 = p->prp2, .len = len,
		.page_size = page_size, .read_list = walk_read_list,
		.segment = walk_segment, .ctx = w,
	};
	u16 loc;

	w->nr = 0;
	return nvme_prp_walk(&pw, &loc);
}

static __le64 *poisoned_list(u32 bytes)
{
	__le64 *l = malloc(bytes);
	u32 i;

	if (l)
		for (i = 0; i < bytes / 8; i++)
			l[i] = cpu_to_le64(POISON);
	return l;
}

TEST(prp_one_and_two_pages)
{
	struct nb_prp p;

	ASSERT_EQ(0, nb_prp_contig(&p, 4096, 0x10000100, 0x100, NULL));
	EXPECT_EQ(0x10000100ULL, p.prp1);
	EXPECT_EQ(0ULL, p.prp2);
	EXPECT_EQ(0U, p.list_bytes);
	ASSERT_EQ(0, nb_prp_contig(&p, 4096, 0x10000800, 0x1000, NULL));
	EXPECT_EQ(0x10000800ULL, p.prp1);
	EXPECT_EQ(0x10001000ULL, p.prp2);
	EXPECT_EQ(0U, nb_prp_list_size(4096, 0x10000800, 0x1000));
	/* 8 KiB pages (CC.MPS 1): 4 KiB from 1800h still ends in the next. */
	ASSERT_EQ(0, nb_prp_contig(&p, 8192, 0x10001800, 0x1000, NULL));
	EXPECT_EQ(0x10002000ULL, p.prp2);
	/* No data: PRP1 as given, nothing else. */
	ASSERT_EQ(0, nb_prp_contig(&p, 4096, 0x10000000, 0, NULL));
	EXPECT_EQ(0x10000000ULL, p.prp1);
	EXPECT_EQ(0ULL, p.prp2);
}

TEST(prp_list_three_pages_unaligned)
{
	/* 8 KiB from 200h into page 1000_0000h touch three pages: PRP1 at
	 * the offset, PRP2 the list of the other two.
	 */
	__le64 *l = poisoned_list(4096);
	const struct nb_prp_list list = { l, LIST_GPA, 4096 };
	struct walk_ctx w = { .list = l, .list_bytes = 4096 };
	struct nb_prp p;

	ASSERT_NE(NULL, l);
	EXPECT_EQ(16U, nb_prp_list_size(4096, 0x10000200, 0x2000));
	ASSERT_EQ(0, nb_prp_contig(&p, 4096, 0x10000200, 0x2000, &list));
	EXPECT_EQ(0x10000200ULL, p.prp1);
	EXPECT_EQ(LIST_GPA, p.prp2);
	EXPECT_EQ(16U, p.list_bytes);
	EXPECT_EQ(0x10001000ULL, le64_to_cpu(l[0]));
	EXPECT_EQ(0x10002000ULL, le64_to_cpu(l[1]));
	EXPECT_EQ(POISON, le64_to_cpu(l[2]));

	ASSERT_EQ(NVME_SC_SUCCESS, walk(&w, &p, 0x2000, 4096));
	ASSERT_EQ(3U, w.nr);
	EXPECT_EQ(0x10000200ULL, w.seg_gpa[0]);
	EXPECT_EQ(0xe00U, w.seg_len[0]);
	EXPECT_EQ(0x10001000ULL, w.seg_gpa[1]);
	EXPECT_EQ(0x1000U, w.seg_len[1]);
	EXPECT_EQ(0x10002000ULL, w.seg_gpa[2]);
	EXPECT_EQ(0x200U, w.seg_len[2]);
	free(l);
}

TEST(prp_list_of_scattered_pages)
{
	const u64 pages[] = { 0x5000, 0x9000, 0x3000, 0x7000 };
	__le64 *l = poisoned_list(4096);
	const struct nb_prp_list list = { l, LIST_GPA + 0x40, 4096 - 0x40 };
	struct nb_prp p;

	ASSERT_NE(NULL, l);
	/* 12 KiB from 10h: the last 10h bytes reach the fourth page. */
	ASSERT_EQ(0, nb_prp_pages(&p, 4096, pages, 4, 0x10, 0x3000, &list));
	EXPECT_EQ(0x5010ULL, p.prp1);
	EXPECT_EQ(LIST_GPA + 0x40, p.prp2);
	EXPECT_EQ(24U, p.list_bytes);
	EXPECT_EQ(0x9000ULL, le64_to_cpu(l[0]));
	EXPECT_EQ(0x3000ULL, le64_to_cpu(l[1]));
	EXPECT_EQ(0x7000ULL, le64_to_cpu(l[2]));
	EXPECT_EQ(POISON, le64_to_cpu(l[3]));
	/* The same 12 KiB from offset 0 fit three pages: a list of two. */
	ASSERT_EQ(0, nb_prp_pages(&p, 4096, pages, 3, 0, 0x3000, &list));
	EXPECT_EQ(16U, p.list_bytes);
	free(l);
}

TEST(prp_list_chains_at_a_page_end)
{
	/* The list starts two slots before its page ends: slot 0 is a data
	 * page, slot 1 (the page's last) chains to the next list page as
	 * two data pages remain, which hold slots 2 and 3.
	 */
	__le64 *l = poisoned_list(4096);
	const struct nb_prp_list list = { l, LIST_GPA + 0xff0, 64 };
	struct walk_ctx w;
	struct nb_prp p;
	__le64 *lp;

	ASSERT_NE(NULL, l);
	ASSERT_EQ(0, nb_prp_contig(&p, 4096, 0x30000000, 0x4000, &list));
	EXPECT_EQ(LIST_GPA + 0xff0, p.prp2);
	EXPECT_EQ(32U, p.list_bytes);
	EXPECT_EQ(0x30001000ULL, le64_to_cpu(l[0]));
	EXPECT_EQ(LIST_GPA + 0x1000, le64_to_cpu(l[1]));
	EXPECT_EQ(0x30002000ULL, le64_to_cpu(l[2]));
	EXPECT_EQ(0x30003000ULL, le64_to_cpu(l[3]));

	/* Walked back by the controller's walker from the list's GPA. */
	lp = poisoned_list(8192);
	ASSERT_NE(NULL, lp);
	memcpy((u8 *)lp + 0xff0, l, 32);
	w = (struct walk_ctx){ .list = lp, .list_bytes = 8192 };
	ASSERT_EQ(NVME_SC_SUCCESS, walk(&w, &p, 0x4000, 4096));
	ASSERT_EQ(4U, w.nr);
	EXPECT_EQ(0x30003000ULL, w.seg_gpa[3]);

	/* With one data page left, the page's last slot holds it. */
	ASSERT_EQ(0, nb_prp_contig(&p, 4096, 0x30000000, 0x3000, &list));
	EXPECT_EQ(16U, p.list_bytes);
	EXPECT_EQ(0x30002000ULL, le64_to_cpu(l[1]));
	free(lp);
	free(l);
}

TEST(prp_list_full_pages)
{
	/* 513 pages: 512 entries fill one aligned list page exactly, no
	 * chain. 514 pages: 511 entries, a chain, then 2.
	 */
	__le64 *l = poisoned_list(8192);
	const struct nb_prp_list list = { l, LIST_GPA, 8192 };
	struct walk_ctx *w = calloc(1, sizeof(*w));
	const u64 buf = 0x40000000;
	struct nb_prp p;
	unsigned int i;

	ASSERT_NE(NULL, l);
	ASSERT_NE(NULL, w);
	EXPECT_EQ(4096U, nb_prp_list_size(4096, buf, 513 * 4096));
	ASSERT_EQ(0, nb_prp_contig(&p, 4096, buf, 513 * 4096, &list));
	EXPECT_EQ(4096U, p.list_bytes);
	EXPECT_EQ(buf + 512 * 4096ULL, le64_to_cpu(l[511]));
	EXPECT_EQ(POISON, le64_to_cpu(l[512]));

	EXPECT_EQ(4096U + 16, nb_prp_list_size(4096, buf, 514 * 4096));
	ASSERT_EQ(0, nb_prp_contig(&p, 4096, buf, 514 * 4096, &list));
	EXPECT_EQ(4096U + 16, p.list_bytes);
	EXPECT_EQ(buf + 511 * 4096ULL, le64_to_cpu(l[510]));
	EXPECT_EQ(LIST_GPA + 4096, le64_to_cpu(l[511]));
	EXPECT_EQ(buf + 512 * 4096ULL, le64_to_cpu(l[512]));
	EXPECT_EQ(buf + 513 * 4096ULL, le64_to_cpu(l[513]));

	w->list = l;
	w->list_bytes = 8192;
	ASSERT_EQ(NVME_SC_SUCCESS, walk(w, &p, 514 * 4096, 4096));
	ASSERT_EQ(514U, w->nr);
	for (i = 0; i < 514; i++) {
		EXPECT_EQ(buf + i * 4096ULL, w->seg_gpa[i]);
		EXPECT_EQ(4096U, w->seg_len[i]);
	}
	/* Just too small for the chained list. */
	{
		const struct nb_prp_list small = { l, LIST_GPA, 4096 + 8 };

		EXPECT_EQ(-ENOSPC, nb_prp_contig(&p, 4096, buf, 514 * 4096,
						 &small));
	}
	free(w);
	free(l);
}

TEST(prp_refusals)
{
	const u64 pages[] = { 0x5000, 0x9200, 0x3000 };
	__le64 l[4];
	const struct nb_prp_list list = { l, LIST_GPA, sizeof(l) };
	const struct nb_prp_list odd = { l, LIST_GPA + 4, sizeof(l) };
	const struct nb_prp_list tiny = { l, LIST_GPA, 8 };
	struct nb_prp p;

	/* A buffer not dword aligned. */
	EXPECT_EQ(-EINVAL, nb_prp_contig(&p, 4096, 0x10000002, 16, NULL));
	/* A page of the array not page aligned, the offset past the page,
	 * fewer pages than the transfer needs.
	 */
	EXPECT_EQ(-EINVAL, nb_prp_pages(&p, 4096, pages, 3, 0, 0x2000, &list));
	EXPECT_EQ(-EINVAL, nb_prp_pages(&p, 4096, pages, 3, 4096, 16, &list));
	EXPECT_EQ(-EINVAL, nb_prp_pages(&p, 4096, pages, 1, 0x800, 0x1000,
					&list));
	EXPECT_EQ(-EINVAL, nb_prp_pages(&p, 4096, pages, 0, 0, 0, &list));
	/* Page sizes that are no CC.MPS. */
	EXPECT_EQ(-EINVAL, nb_prp_contig(&p, 2048, 0x10000000, 16, NULL));
	EXPECT_EQ(-EINVAL, nb_prp_contig(&p, 6144, 0x10000000, 16, NULL));
	/* A list needed and none given, one too small, one misaligned. */
	EXPECT_EQ(-ENOSPC, nb_prp_contig(&p, 4096, 0x10000000, 0x3000, NULL));
	EXPECT_EQ(-ENOSPC, nb_prp_contig(&p, 4096, 0x10000000, 0x3000, &tiny));
	EXPECT_EQ(-EINVAL, nb_prp_contig(&p, 4096, 0x10000000, 0x3000, &odd));
	/* ...and the one that fits. */
	EXPECT_EQ(0, nb_prp_contig(&p, 4096, 0x10000000, 0x3000, &list));
}

TEST(set_prp)
{
	const struct nb_prp p = { 0x1234567890ULL, 0xabcdef000ULL, 0 };
	struct nvme_sqe s;

	nb_rw(&s, nvme_cmd_read, 1, 0, 1, 0, 0);
	nb_set_prp(&s, &p);
	EXPECT_EQ(0x1234567890ULL, le64_to_cpu(s.prp1));
	EXPECT_EQ(0xabcdef000ULL, le64_to_cpu(s.prp2));
	EXPECT_EQ(nvme_cmd_read, s.opcode);
}

TEST_HARNESS_MAIN
