// SPDX-License-Identifier: GPL-2.0
/*
 * Get Log Page: the error log records a failed command, SMART reports the
 * fixed temperature, the firmware slot and command effects logs describe
 * what the controller is, and unknown log pages are refused.
 */
#include "lio_test.h"

FIXTURE(logs) {
	struct lio l;
	void *buf;
	uint64_t iova;
};

FIXTURE_SETUP(logs)
{
	LIO_SETUP(&self->l, NULL);
	LIO_ENABLE(&self->l);
	self->buf = gmem_alloc_pages(&self->l.mem, GMEM_PAGE, &self->iova);
	ASSERT_NE(NULL, self->buf);
}

FIXTURE_TEARDOWN(logs)
{
	LIO_TEARDOWN(&self->l);
}

static void get_log(struct __test_metadata *_metadata, struct lio *l, uint8_t lid,
		    uint32_t nsid, uint32_t len, uint64_t iova, uint16_t status)
{
	struct nvme_sqe sqe;

	nb_get_log(&sqe, lid, nsid, len, iova, false);
	ADMIN_STATUS(l, &sqe, status);
}

/* The entry with the highest error count: the newest. */
static const struct nvme_error_log_entry *newest(const void *buf)
{
	const struct nvme_error_log_entry *e = buf, *best = NULL;
	unsigned int i;

	for (i = 0; i < GMEM_PAGE / sizeof(*e); i++)
		if (le64toh(e[i].error_count) &&
		    (!best || le64toh(e[i].error_count) > le64toh(best->error_count)))
			best = &e[i];
	return best;
}

TEST_F(logs, error_log_records_failed_command)
{
	const struct nvme_error_log_entry *e;
	struct lio *l = &self->l;
	struct nvme_sqe sqe = { .opcode = 0xff };	/* no such admin opcode */
	struct nvme_cqe cqe;
	uint64_t count;
	uint16_t cid;

	ADMIN(l, &sqe, &cqe);
	ASSERT_EQ(NVME_SC_INVALID_OPCODE, nvd_status_code(&cqe));
	cid = le16toh(cqe.cid);

	get_log(_metadata, l, NVME_LOG_ERROR, 0xffffffff, GMEM_PAGE, self->iova,
		NVME_SC_SUCCESS);
	e = newest(self->buf);
	ASSERT_NE(NULL, e);
	ASSERT_EQ(0, le16toh(e->sqid));
	ASSERT_EQ(cid, le16toh(e->cmdid));
	/* The status as in the CQE (Do Not Retry too), phase tag excluded. */
	ASSERT_EQ(nvd_status(&cqe), le16toh(e->status_field) & 0xfffe);
	ASSERT_EQ(NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR, nvd_status(&cqe));
	ASSERT_EQ(NVME_SQE_OFF_OPCODE, le16toh(e->param_error_location));
	count = le64toh(e->error_count);

	/* A second failure, on another field, gets the next count. */
	nb_identify(&sqe, NVME_ID_CNS_NS, 99, self->iova);	/* past NN */
	ADMIN(l, &sqe, &cqe);
	ASSERT_EQ(NVME_SC_INVALID_NS, nvd_status_code(&cqe));
	get_log(_metadata, l, NVME_LOG_ERROR, 0xffffffff, GMEM_PAGE, self->iova,
		NVME_SC_SUCCESS);
	e = newest(self->buf);
	ASSERT_NE(NULL, e);
	ASSERT_EQ(count + 1, le64toh(e->error_count));
	ASSERT_EQ(le16toh(cqe.cid), le16toh(e->cmdid));
	ASSERT_EQ(NVME_SC_INVALID_NS, le16toh(e->status_field) & NVME_STATUS(7, 0xff));
	ASSERT_EQ(NVME_SQE_OFF_NSID, le16toh(e->param_error_location));
	ASSERT_EQ(99, le32toh(e->nsid));
}

TEST_F(logs, smart)
{
	struct nvme_smart_log *s = self->buf;

	get_log(_metadata, &self->l, NVME_LOG_SMART, 0xffffffff, sizeof(*s),
		self->iova, NVME_SC_SUCCESS);
	ASSERT_EQ(313, s->temperature[0] | s->temperature[1] << 8);
	ASSERT_EQ(0, s->critical_warning);
	/* Per namespace too (LPA bit 0), with the same temperature. */
	memset(s, 0, sizeof(*s));
	get_log(_metadata, &self->l, NVME_LOG_SMART, 1, sizeof(*s), self->iova,
		NVME_SC_SUCCESS);
	ASSERT_EQ(313, s->temperature[0] | s->temperature[1] << 8);
}

TEST_F(logs, firmware_slot)
{
	struct nvme_fw_slot_log *fw = self->buf;
	struct nvme_id_ctrl *id;
	struct nvme_sqe sqe;
	uint64_t iova;

	id = gmem_alloc_pages(&self->l.mem, sizeof(*id), &iova);
	ASSERT_NE(NULL, id);
	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, iova);
	ADMIN_OK(&self->l, &sqe);

	get_log(_metadata, &self->l, NVME_LOG_FW_SLOT, 0xffffffff, sizeof(*fw),
		self->iova, NVME_SC_SUCCESS);
	ASSERT_EQ(1, fw->afi & 7);			/* slot 1 active */
	ASSERT_EQ(0, memcmp(fw->frs[0], id->fr, sizeof(id->fr)));
}

TEST_F(logs, command_effects)
{
	static const uint8_t admin[] = {
		nvme_admin_delete_sq, nvme_admin_create_sq, nvme_admin_get_log_page,
		nvme_admin_delete_cq, nvme_admin_create_cq, nvme_admin_identify,
		nvme_admin_abort_cmd, nvme_admin_set_features,
		nvme_admin_get_features, nvme_admin_async_event,
		nvme_admin_keep_alive, nvme_admin_dbbuf,
	};
	struct nvme_effects_log *fx = self->buf;
	unsigned int i;

	get_log(_metadata, &self->l, NVME_LOG_CMD_EFFECTS, 0xffffffff, sizeof(*fx),
		self->iova, NVME_SC_SUCCESS);
	for (i = 0; i < sizeof(admin); i++) {
		TH_LOG("admin opcode %#x", admin[i]);
		ASSERT_NE(0, le32toh(fx->acs[admin[i]]) & NVME_CMD_EFFECTS_CSUPP);
	}
	/*
	 * Format NVM changes the namespace, one at a time (CSE 001b): a host
	 * stops I/O around it and reads the namespace again. Not offered:
	 * vendor specific.
	 */
	ASSERT_EQ(NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC |
		  NVME_CMD_EFFECTS_NCC | NVME_CMD_EFFECTS_NIC | 1U << 16,
		  le32toh(fx->acs[nvme_admin_format_nvm]));
	ASSERT_EQ(0, le32toh(fx->acs[0xff]));
	ASSERT_NE(0, le32toh(fx->iocs[nvme_cmd_read]) & NVME_CMD_EFFECTS_CSUPP);
	ASSERT_NE(0, le32toh(fx->iocs[nvme_cmd_write]) & NVME_CMD_EFFECTS_CSUPP);
	/* A write changes logical block content. */
	ASSERT_NE(0, le32toh(fx->iocs[nvme_cmd_write]) & NVME_CMD_EFFECTS_LBCC);
	ASSERT_EQ(0, le32toh(fx->iocs[nvme_cmd_read]) & NVME_CMD_EFFECTS_LBCC);
}

TEST_F(logs, changed_ns_list)
{
	uint32_t *list = self->buf;

	memset(list, 0xa5, GMEM_PAGE);
	get_log(_metadata, &self->l, NVME_LOG_CHANGED_NS, 0xffffffff, GMEM_PAGE,
		self->iova, NVME_SC_SUCCESS);
	/* Nothing changed since the controller came up: an empty list. */
	ASSERT_EQ(0, le32toh(list[0]));
}

TEST_F(logs, bad_lid)
{
	static const uint8_t bad[] = { 0xc1, 0xd0 };
	unsigned int i;

	for (i = 0; i < sizeof(bad); i++) {
		TH_LOG("LID %#x", bad[i]);
		get_log(_metadata, &self->l, bad[i], 0xffffffff, GMEM_PAGE, self->iova,
			NVME_SC_INVALID_LOG_PAGE);
	}
}

TEST_F(logs, unmapped_prp)
{
	get_log(_metadata, &self->l, NVME_LOG_SMART, 0xffffffff,
		sizeof(struct nvme_smart_log), gmem_unmapped_iova(&self->l.mem),
		NVME_SC_DATA_XFER_ERROR);
	ASSERT_EQ(0, REG_RD32(&self->l, NVME_REG_CSTS) & NVME_CSTS_CFS);
}

TEST_HARNESS_MAIN
