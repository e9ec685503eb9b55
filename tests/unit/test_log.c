// SPDX-License-Identifier: GPL-2.0
/*
 * Get Log Page: the contents of every log we keep, the Error Information
 * log after failures, offsets, lengths, zero fill, and every refusal.
 */
#include <stdlib.h>

#include "../lib/lio_harness.h"
#include "fake_guest.h"

#define BUF	FG_DATA
#define POISON	0xa5
#define MS_PER_HOUR	(3600ULL * 1000)

FIXTURE(log) {
	struct fake_guest *g;
	u8 *buf;
};

FIXTURE_SETUP(log)
{
	self->g = fg_new(2);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g) & NVME_CSTS_RDY);
	self->buf = fg_ptr(self->g, BUF);
	memset(self->buf, POISON, 0x10000);
}

FIXTURE_TEARDOWN(log)
{
	fg_free(self->g);
}

static u16 get_log(struct fake_guest *g, u8 lid, u32 nsid, u32 len)
{
	struct nvme_sqe sqe;

	nb_get_log(&sqe, lid, nsid, len, BUF, false);
	return fg_admin_status(g, &sqe);
}

static u16 get_log_at(struct fake_guest *g, u8 lid, u32 len, u64 off)
{
	const struct nb_log l = {
		.lid = lid, .nsid = 0xffffffff, .lpo = off, .len = len,
		.buf = BUF,
	};
	struct nvme_sqe sqe;

	nb_get_log_page(&sqe, &l);
	return fg_admin_status(g, &sqe);
}

static void expect_err(struct __test_metadata *_metadata,
		       struct fake_guest *g, u16 status, u16 loc)
{
	struct nvme_error_log_entry e;

	ASSERT_EQ(0, fg_err_log_newest(g, &e));
	ASSERT_EQ(status, le16_to_cpu(e.status_field));
	ASSERT_EQ(loc, le16_to_cpu(e.param_error_location));
	ASSERT_EQ(g->next_cid - 2, le16_to_cpu(e.cmdid));
}

/* A command that fails, with a status and location we know. */
static u16 fail_one(struct fake_guest *g, u32 nsid)
{
	struct nvme_sqe sqe = { .opcode = 0xc1 };	/* vendor specific */

	sqe.nsid = cpu_to_le32(nsid);
	return fg_admin_status(g, &sqe);
}

TEST_F(log, error_log_empty)
{
	ASSERT_EQ(NVME_SC_SUCCESS, get_log(self->g, NVME_LOG_ERROR, 0xffffffff, 4096));
	EXPECT_TRUE(fg_filled(self->buf, 0, 4096));
	EXPECT_TRUE(fg_filled(self->buf + 4096, POISON, 4096));
}

TEST_F(log, error_log_entries_newest_first)
{
	struct nvme_error_log_entry *e = (struct nvme_error_log_entry *)self->buf;
	struct nvme_sqe sqe;
	u16 cid[3];
	int i;

	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_OPCODE), fail_one(self->g, 7));
	cid[0] = self->g->next_cid - 1;
	nb_identify(&sqe, 0x42, 0, BUF);
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), fg_admin_status(self->g, &sqe));
	cid[1] = self->g->next_cid - 1;
	nb_identify(&sqe, NVME_ID_CNS_NS, 99, BUF);
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS), fg_admin_status(self->g, &sqe));
	cid[2] = self->g->next_cid - 1;

	ASSERT_EQ(NVME_SC_SUCCESS, get_log(self->g, NVME_LOG_ERROR, 0xffffffff, 4096));
	EXPECT_EQ(3ULL, le64_to_cpu(e[0].error_count));
	EXPECT_EQ(0, le16_to_cpu(e[0].sqid));
	EXPECT_EQ(cid[2], le16_to_cpu(e[0].cmdid));
	EXPECT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS), le16_to_cpu(e[0].status_field));
	EXPECT_EQ(NVME_SQE_OFF_NSID, le16_to_cpu(e[0].param_error_location));
	EXPECT_EQ(99U, le32_to_cpu(e[0].nsid));

	EXPECT_EQ(2ULL, le64_to_cpu(e[1].error_count));
	EXPECT_EQ(cid[1], le16_to_cpu(e[1].cmdid));
	EXPECT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), le16_to_cpu(e[1].status_field));
	EXPECT_EQ(NVME_SQE_OFF_CDW10, le16_to_cpu(e[1].param_error_location));
	EXPECT_EQ(0U, le32_to_cpu(e[1].nsid));

	EXPECT_EQ(1ULL, le64_to_cpu(e[2].error_count));
	EXPECT_EQ(cid[0], le16_to_cpu(e[2].cmdid));
	EXPECT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_OPCODE), le16_to_cpu(e[2].status_field));
	EXPECT_EQ(NVME_SQE_OFF_OPCODE, le16_to_cpu(e[2].param_error_location));
	EXPECT_EQ(7U, le32_to_cpu(e[2].nsid));

	for (i = 0; i < 3; i++) {
		EXPECT_EQ(0ULL, le64_to_cpu(e[i].lba));
		EXPECT_EQ(0, e[i].vs);
		EXPECT_EQ(0, e[i].trtype);
		EXPECT_EQ(0ULL, le64_to_cpu(e[i].cs));
	}
	/* Unused entries are zero. */
	EXPECT_TRUE(fg_filled((u8 *)&e[3], 0, 61 * sizeof(*e)));
}

TEST_F(log, error_log_wraps)
{
	struct nvme_error_log_entry *e = (struct nvme_error_log_entry *)self->buf;
	int i;

	for (i = 0; i < LIO_NR_ERR_LOG + 6; i++)
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_OPCODE), fail_one(self->g, i));
	ASSERT_EQ(NVME_SC_SUCCESS, get_log(self->g, NVME_LOG_ERROR, 0xffffffff, 4096));
	for (i = 0; i < LIO_NR_ERR_LOG; i++) {
		ASSERT_EQ((u64)LIO_NR_ERR_LOG + 6 - i,
			  le64_to_cpu(e[i].error_count));
		ASSERT_EQ((u32)LIO_NR_ERR_LOG + 5 - i, le32_to_cpu(e[i].nsid));
	}
	/* And the SMART log counts them all. */
	ASSERT_EQ(NVME_SC_SUCCESS, get_log(self->g, NVME_LOG_SMART, 0xffffffff, 512));
	EXPECT_EQ((u64)LIO_NR_ERR_LOG + 6,
		  le64_to_cpu(*(__le64 *)((struct nvme_smart_log *)
					  self->buf)->num_err_log_entries));
}

TEST_F(log, error_log_entry_of_no_command)
{
	struct nvme_error_log_entry e;

	lio_err_log_add(self->g->c, NULL, NVME_SC_INTERNAL);
	ASSERT_EQ(0, fg_err_log_newest(self->g, &e));
	EXPECT_EQ(1ULL, le64_to_cpu(e.error_count));
	EXPECT_EQ(0xffff, le16_to_cpu(e.sqid));
	EXPECT_EQ(0xffff, le16_to_cpu(e.cmdid));
	EXPECT_EQ(0xffff, le16_to_cpu(e.param_error_location));
	EXPECT_EQ(NVME_SC_INTERNAL, le16_to_cpu(e.status_field));
}

TEST_F(log, smart)
{
	struct nvme_smart_log *s = (struct nvme_smart_log *)self->buf;
	struct lio_smart *cs = &self->g->c->smart;
	static const u32 nsids[] = { 0, 1, 0xffffffff };
	unsigned int i;

	/*
	 * The model's own counters; distinct values to catch a mix-up. The
	 * I/O figures are the data path's (test_dp.c): none here.
	 */
	cs->busy_minutes = 0x5555;
	cs->power_cycles = 0x6666;
	cs->unsafe_shutdowns = 0x7777;
	cs->media_errors = 0x8888;
	cs->warning_temp_minutes = 0x9999;
	cs->critical_temp_minutes = 0xaaaa;
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_OPCODE), fail_one(self->g, 0));
	self->g->now_ms = cs->created_ms + 5 * MS_PER_HOUR - 1;

	for (i = 0; i < ARRAY_SIZE(nsids); i++) {
		memset(self->buf, POISON, 4096);
		ASSERT_EQ(NVME_SC_SUCCESS,
			  get_log(self->g, NVME_LOG_SMART, nsids[i], 512));
		EXPECT_EQ(0, s->critical_warning);
		EXPECT_EQ(LIO_TEMP_KELVIN & 0xff, s->temperature[0]);
		EXPECT_EQ(LIO_TEMP_KELVIN >> 8, s->temperature[1]);
		EXPECT_EQ(100, s->avail_spare);
		EXPECT_EQ(10, s->spare_thresh);
		EXPECT_EQ(0, s->percent_used);
		EXPECT_EQ(0, s->endu_grp_crit_warn_sumry);
#define LE128(f, v) do { \
		EXPECT_EQ((u64)(v), le64_to_cpu(*(__le64 *)s->f)); \
		EXPECT_TRUE(fg_filled(s->f + 8, 0, 8)); \
	} while (0)
		LE128(data_units_read, 0);
		LE128(data_units_written, 0);
		LE128(host_reads, 0);
		LE128(host_writes, 0);
		LE128(ctrl_busy_time, 0x5555);
		LE128(power_cycles, 0x6666);
		LE128(power_on_hours, 4);
		LE128(unsafe_shutdowns, 0x7777);
		LE128(media_errors, 0x8888);
		LE128(num_err_log_entries, 1);
#undef LE128
		EXPECT_EQ(0x9999U, le32_to_cpu(s->warning_temp_time));
		EXPECT_EQ(0xaaaaU, le32_to_cpu(s->critical_comp_time));
		EXPECT_TRUE(fg_filled((u8 *)s->temp_sensor, 0, sizeof(s->temp_sensor)));
		EXPECT_TRUE(fg_filled(s->rsvd232, 0, sizeof(s->rsvd232)));
		EXPECT_TRUE(fg_filled(self->buf + 512, POISON, 4096 - 512));
	}
	self->g->now_ms += 1;
	ASSERT_EQ(NVME_SC_SUCCESS, get_log(self->g, NVME_LOG_SMART, 0, 512));
	EXPECT_EQ(5ULL, le64_to_cpu(*(__le64 *)s->power_on_hours));
}

TEST_F(log, smart_temperature_warning)
{
	struct nvme_smart_log *s = (struct nvme_smart_log *)self->buf;
	struct nvme_sqe sqe;

	/* An over threshold at the temperature itself counts as crossed. */
	nb_set_features(&sqe, NVME_FEAT_TEMP_THRESH, false, LIO_TEMP_KELVIN);
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_status(self->g, &sqe));
	ASSERT_EQ(NVME_SC_SUCCESS, get_log(self->g, NVME_LOG_SMART, 0, 512));
	EXPECT_EQ(NVME_SMART_CRIT_TEMPERATURE, s->critical_warning);
	EXPECT_EQ(NVME_SMART_CRIT_TEMPERATURE, lio_smart_critical_warning(self->g->c));

	nb_set_features(&sqe, NVME_FEAT_TEMP_THRESH, false, LIO_TEMP_KELVIN + 1);
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_status(self->g, &sqe));
	ASSERT_EQ(NVME_SC_SUCCESS, get_log(self->g, NVME_LOG_SMART, 0, 512));
	EXPECT_EQ(0, s->critical_warning);

	/* Likewise for the under threshold. */
	nb_set_features(&sqe, NVME_FEAT_TEMP_THRESH, false,
			1U << 20 | LIO_TEMP_KELVIN);
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_status(self->g, &sqe));
	ASSERT_EQ(NVME_SC_SUCCESS, get_log(self->g, NVME_LOG_SMART, 0, 512));
	EXPECT_EQ(NVME_SMART_CRIT_TEMPERATURE, s->critical_warning);
	nb_set_features(&sqe, NVME_FEAT_TEMP_THRESH, false,
			1U << 20 | (LIO_TEMP_KELVIN - 1));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_status(self->g, &sqe));
	ASSERT_EQ(NVME_SC_SUCCESS, get_log(self->g, NVME_LOG_SMART, 0, 512));
	EXPECT_EQ(0, s->critical_warning);
}

TEST_F(log, smart_bad_nsid)
{
	/* 2: no namespace there; 0x100: past NN. */
	static const u32 bad[] = { 2, LIO_NN + 1, 0x100, 0xfffffffe };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
			  get_log(self->g, NVME_LOG_SMART, bad[i], 512));
		expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_INVALID_NS),
			   NVME_SQE_OFF_NSID);
		ASSERT_TRUE(fg_filled(self->buf, POISON, 512));
	}
}

TEST_F(log, firmware_slot)
{
	struct nvme_fw_slot_log *f = (struct nvme_fw_slot_log *)self->buf;

	ASSERT_EQ(NVME_SC_SUCCESS, get_log(self->g, NVME_LOG_FW_SLOT, 0xffffffff, 512));
	EXPECT_EQ(1, f->afi);
	EXPECT_TRUE(fg_filled(f->rsvd1, 0, sizeof(f->rsvd1)));
	EXPECT_EQ(0, memcmp(f->frs[0], "1.0     ", 8));
	EXPECT_TRUE(fg_filled((u8 *)f->frs[1], 0, 6 * 8));
	EXPECT_TRUE(fg_filled(f->rsvd64, 0, sizeof(f->rsvd64)));
	EXPECT_TRUE(fg_filled(self->buf + 512, POISON, 512));
}

TEST_F(log, changed_ns_list)
{
	ASSERT_EQ(NVME_SC_SUCCESS,
		  get_log(self->g, NVME_LOG_CHANGED_NS, 0xffffffff, 4096));
	EXPECT_TRUE(fg_filled(self->buf, 0, 4096));
	EXPECT_TRUE(fg_filled(self->buf + 4096, POISON, 4096));
}

TEST_F(log, commands_supported_and_effects)
{
	struct nvme_effects_log *l = (struct nvme_effects_log *)self->buf;
	const u32 csupp = NVME_CMD_EFFECTS_CSUPP;
	const u32 lbcc = NVME_CMD_EFFECTS_LBCC;
	u32 acs[256] = {
		[nvme_admin_delete_sq] = csupp,
		[nvme_admin_create_sq] = csupp,
		[nvme_admin_get_log_page] = csupp,
		[nvme_admin_delete_cq] = csupp,
		[nvme_admin_create_cq] = csupp,
		[nvme_admin_identify] = csupp,
		[nvme_admin_abort_cmd] = csupp,
		[nvme_admin_set_features] = csupp,
		[nvme_admin_get_features] = csupp,
		[nvme_admin_async_event] = csupp,
		[nvme_admin_keep_alive] = csupp,
		[nvme_admin_dbbuf] = csupp,
		[nvme_admin_get_lba_status] = csupp,
		[nvme_admin_ns_mgmt] = csupp | NVME_CMD_EFFECTS_NIC,
		[nvme_admin_ns_attach] = csupp | NVME_CMD_EFFECTS_NIC,
	};
	u32 iocs[256] = {
		[nvme_cmd_flush] = csupp,
		[nvme_cmd_write] = csupp | lbcc,
		[nvme_cmd_read] = csupp,
		[nvme_cmd_compare] = csupp,
		[nvme_cmd_write_zeroes] = csupp | lbcc,
		[nvme_cmd_dsm] = csupp | lbcc,
		[nvme_cmd_write_uncor] = csupp | lbcc,
		[nvme_cmd_verify] = csupp,
		[nvme_cmd_copy] = csupp | lbcc,
	};
	int op;

	/* As Linux reads it at probe. */
	ASSERT_EQ(NVME_SC_SUCCESS,
		  get_log(self->g, NVME_LOG_CMD_EFFECTS, 0xffffffff, 4096));
	for (op = 0; op < 256; op++) {
		EXPECT_EQ(acs[op], le32_to_cpu(l->acs[op])) {
			TH_LOG("admin opcode %#x", op);
		}
		EXPECT_EQ(iocs[op], le32_to_cpu(l->iocs[op])) {
			TH_LOG("I/O opcode %#x", op);
		}
	}
	EXPECT_TRUE(fg_filled(l->rsvd2048, 0, sizeof(l->rsvd2048)));
}

TEST_F(log, unknown_lids)
{
	/* Reserved, optional ones we lack (self-test, telemetry, ANA,
	 * persistent events, ...), discovery, and vendor specific.
	 */
	static const u8 bad[] = { 0x00, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
				  0x0c, 0x0d, 0x0f, 0x10, 0x12, 0x70,
				  0x80, 0x81, 0x82, 0xbf, 0xc0, 0xc1, 0xca,
				  0xd0, 0xfe, 0xff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_LOG_PAGE),
			  get_log(self->g, bad[i], 0xffffffff, 512));
		expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_INVALID_LOG_PAGE),
			   NVME_SQE_OFF_CDW10);
		ASSERT_TRUE(fg_filled(self->buf, POISON, 4096));
	}
}

TEST_F(log, offset)
{
	u8 whole[512];

	ASSERT_EQ(NVME_SC_SUCCESS, get_log(self->g, NVME_LOG_FW_SLOT, 0, 512));
	memcpy(whole, self->buf, sizeof(whole));

	/* FRS1 alone, from its offset. */
	memset(self->buf, POISON, 4096);
	ASSERT_EQ(NVME_SC_SUCCESS, get_log_at(self->g, NVME_LOG_FW_SLOT, 8, 8));
	EXPECT_EQ(0, memcmp(self->buf, "1.0     ", 8));
	EXPECT_TRUE(fg_filled(self->buf + 8, POISON, 8));

	/* The last dword of the log, then zeroes. */
	memset(self->buf, POISON, 4096);
	ASSERT_EQ(NVME_SC_SUCCESS, get_log_at(self->g, NVME_LOG_FW_SLOT, 16, 508));
	EXPECT_EQ(0, memcmp(self->buf, whole + 508, 4));
	EXPECT_TRUE(fg_filled(self->buf + 4, 0, 12));
	EXPECT_TRUE(fg_filled(self->buf + 16, POISON, 16));
}

TEST_F(log, offset_error_log)
{
	struct nvme_error_log_entry *e = (struct nvme_error_log_entry *)self->buf;

	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_OPCODE), fail_one(self->g, 1));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_OPCODE), fail_one(self->g, 2));
	/* The second newest entry alone. */
	ASSERT_EQ(NVME_SC_SUCCESS,
		  get_log_at(self->g, NVME_LOG_ERROR, sizeof(*e), sizeof(*e)));
	EXPECT_EQ(1ULL, le64_to_cpu(e->error_count));
	EXPECT_EQ(1U, le32_to_cpu(e->nsid));
}

TEST_F(log, bad_offset)
{
	static const struct {
		u64 off;
		u16 loc;
	} bad[] = {
		{ 2, NVME_SQE_OFF_CDW12 },		/* not a dword */
		{ 511, NVME_SQE_OFF_CDW12 },
		{ 512, NVME_SQE_OFF_CDW12 },		/* the end of the log */
		{ 4096, NVME_SQE_OFF_CDW12 },
		{ 0xfffffffc, NVME_SQE_OFF_CDW12 },
		{ 1ULL << 32, NVME_SQE_OFF_CDW13 },	/* LPOU */
		{ ~0ULL << 2, NVME_SQE_OFF_CDW13 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
			  get_log_at(self->g, NVME_LOG_SMART, 4, bad[i].off));
		expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), bad[i].loc);
		ASSERT_TRUE(fg_filled(self->buf, POISON, 4096));
	}
	/* The error log is 4 KiB: its last dword is inside. */
	ASSERT_EQ(NVME_SC_SUCCESS, get_log_at(self->g, NVME_LOG_ERROR, 4, 4092));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
		  get_log_at(self->g, NVME_LOG_ERROR, 4, 4096));
}

TEST_F(log, short_read)
{
	/* NUMD 0: one dword, no more. */
	ASSERT_EQ(NVME_SC_SUCCESS, get_log(self->g, NVME_LOG_SMART, 0, 4));
	EXPECT_EQ(0, self->buf[0]);
	EXPECT_EQ(LIO_TEMP_KELVIN & 0xff, self->buf[1]);
	EXPECT_EQ(LIO_TEMP_KELVIN >> 8, self->buf[2]);
	EXPECT_EQ(100, self->buf[3]);
	EXPECT_TRUE(fg_filled(self->buf + 4, POISON, 4092));
}

TEST_F(log, zero_fill_within_a_page)
{
	/* 512 bytes of log, then zeroes to the 4 KiB asked for. */
	ASSERT_EQ(NVME_SC_SUCCESS, get_log(self->g, NVME_LOG_SMART, 0, 4096));
	EXPECT_EQ(100, self->buf[3]);
	EXPECT_TRUE(fg_filled(self->buf + 512, 0, 4096 - 512));
	EXPECT_TRUE(fg_filled(self->buf + 4096, POISON, 4096));
}

TEST_F(log, zero_fill_two_pages)
{
	ASSERT_EQ(NVME_SC_SUCCESS, get_log(self->g, NVME_LOG_FW_SLOT, 0, 8192));
	EXPECT_EQ(1, self->buf[0]);
	EXPECT_TRUE(fg_filled(self->buf + 512, 0, 8192 - 512));
	EXPECT_TRUE(fg_filled(self->buf + 8192, POISON, 4096));
}

/* PRP1/PRP2 of len bytes at dst, with the PRP list in guest memory at list. */
static int prp_list(struct fake_guest *g, struct nvme_sqe *sqe, u64 dst,
		    u64 list, u32 len)
{
	const struct nb_prp_list l = {
		fg_ptr(g, list), list, nb_prp_list_size(NB_PAGE_SIZE, dst, len),
	};
	struct nb_prp p;
	int err;

	err = nb_prp_contig(&p, NB_PAGE_SIZE, dst, len, &l);
	if (!err)
		nb_set_prp(sqe, &p);
	return err;
}

TEST_F(log, zero_fill_largest_transfer)
{
	u64 dst = FG_FREE + 0x10000;
	u8 *p = fg_ptr(self->g, dst);
	struct nvme_sqe sqe;

	/* NUMDL FFFFh: 256 KiB, MDTS, from a PRP list. */
	memset(p, POISON, LIO_MAX_XFER + 4096);
	nb_get_log(&sqe, NVME_LOG_CMD_EFFECTS, 0xffffffff, LIO_MAX_XFER, dst, false);
	ASSERT_EQ(0xffffU << 16 | NVME_LOG_CMD_EFFECTS, le32_to_cpu(sqe.cdw10));
	ASSERT_EQ(0, prp_list(self->g, &sqe, dst, FG_FREE, LIO_MAX_XFER));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_status(self->g, &sqe));
	EXPECT_EQ(NVME_CMD_EFFECTS_CSUPP, le32_to_cpu(*(__le32 *)(p + 4 * 6)));
	EXPECT_TRUE(fg_filled(p + 4096, 0, LIO_MAX_XFER - 4096));
	EXPECT_TRUE(fg_filled(p + LIO_MAX_XFER, POISON, 4096));

	/* From an offset too: the log's tail, then zeroes. */
	memset(p, POISON, LIO_MAX_XFER + 4096);
	nb_get_log_page(&sqe, &(struct nb_log){
		.lid = NVME_LOG_CMD_EFFECTS, .nsid = 0xffffffff,
		.lpo = 4 * 256,		/* the I/O commands */
		.len = LIO_MAX_XFER, .buf = dst });
	ASSERT_EQ(0, prp_list(self->g, &sqe, dst, FG_FREE, LIO_MAX_XFER));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_status(self->g, &sqe));
	EXPECT_EQ(NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC,
		  le32_to_cpu(*(__le32 *)(p + 4 * nvme_cmd_write)));
	/* Copy (19h) is the last I/O opcode offered. */
	EXPECT_TRUE(fg_filled(p + 4 * nvme_cmd_copy + 4, 0,
			LIO_MAX_XFER - 4 * nvme_cmd_copy - 4));
	EXPECT_TRUE(fg_filled(p + LIO_MAX_XFER, POISON, 4096));
}

TEST_F(log, oversize_transfer)
{
	struct nvme_sqe sqe;

	/* One dword past MDTS, through NUMDU. */
	nb_get_log(&sqe, NVME_LOG_SMART, 0, LIO_MAX_XFER + 4, BUF, false);
	ASSERT_EQ(1U, le32_to_cpu(sqe.cdw11));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), fg_admin_status(self->g, &sqe));
	expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), NVME_SQE_OFF_CDW11);
	ASSERT_TRUE(fg_filled(self->buf, POISON, 0x10000));

	/* The largest NUMD there is. */
	nb_get_log(&sqe, NVME_LOG_ERROR, 0, 4, BUF, false);
	sqe.cdw10 |= cpu_to_le32(0xffffU << 16);
	sqe.cdw11 = cpu_to_le32(0xffff);
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), fg_admin_status(self->g, &sqe));
	expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), NVME_SQE_OFF_CDW11);
	ASSERT_TRUE(fg_filled(self->buf, POISON, 0x10000));
}

TEST_F(log, prp_outside_guest_memory)
{
	static const u8 lids[] = { NVME_LOG_ERROR, NVME_LOG_SMART,
				   NVME_LOG_FW_SLOT, NVME_LOG_CHANGED_NS,
				   NVME_LOG_CMD_EFFECTS };
	u8 *saved = fg_mem_save(self->g);
	struct nvme_sqe sqe;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lids); i++) {
		unsigned int faults = self->g->dma_faults;

		nb_get_log(&sqe, lids[i], 0, 512, 0x1000, false);
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_DATA_XFER_ERROR), fg_admin_status(self->g, &sqe));
		ASSERT_LT(faults, self->g->dma_faults);
		ASSERT_TRUE(fg_mem_unchanged(self->g, saved));
		expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_DATA_XFER_ERROR),
			   NVME_SQE_OFF_PRP1);
	}

	/* A transfer longer than a page goes out in two steps: the first
	 * failing must stop it.
	 */
	nb_get_log(&sqe, NVME_LOG_SMART, 0, 8192, FG_MEM_BASE + FG_MEM_SIZE, false);
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_DATA_XFER_ERROR), fg_admin_status(self->g, &sqe));
	ASSERT_TRUE(fg_mem_unchanged(self->g, saved));
	free(saved);
}

TEST_HARNESS_MAIN
