// SPDX-License-Identifier: GPL-2.0
/*
 * Admin commands outside Identify, features and logs: Abort, Keep Alive,
 * Asynchronous Event Requests held until an event (a temperature
 * threshold crossed), and commands no controller of ours accepts.
 */
#include "lio_test.h"

FIXTURE(admin) {
	struct lio l;
};

FIXTURE_SETUP(admin)
{
	LIO_SETUP(&self->l, NULL);
	LIO_ENABLE(&self->l);
}

FIXTURE_TEARDOWN(admin)
{
	LIO_TEARDOWN(&self->l);
}

TEST_F(admin, keep_alive)
{
	struct nvme_sqe sqe;

	nb_keep_alive(&sqe);
	ADMIN_OK(&self->l, &sqe);
}

TEST_F(admin, abort_unknown_command)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	/* SQID 0, CID 0x1234: nothing by that CID is outstanding. */
	nb_abort(&sqe, 0, 0x1234);
	cqe = ADMIN_OK(&self->l, &sqe);
	/* DW0 bit 0 set: the command was not aborted. */
	ASSERT_EQ(1, le32toh(cqe.dw0) & 1);
}

static int submit_aer(struct lio *l)
{
	struct nvme_sqe sqe;

	nb_aer(&sqe);
	return nvd_submit(&l->nvd, 0, &sqe);
}

/* Report temperature warnings (Asynchronous Event Configuration bit 1),
 * as a host that wants them does: they are off by default.
 */
static void enable_temp_events(struct __test_metadata *_metadata, struct lio *l)
{
	struct nvme_sqe sqe;

	nb_set_features(&sqe, NVME_FEAT_ASYNC_EVENT, false, NVME_SMART_CRIT_TEMPERATURE);
	ADMIN_OK(l, &sqe);
}

TEST_F(admin, aer_held_until_temperature_event)
{
	struct lio *l = &self->l;
	struct nvme_smart_log *smart;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint64_t iova;
	int cid;

	enable_temp_events(_metadata, l);
	cid = submit_aer(l);
	ASSERT_GE(cid, 0);
	/* Held: no completion for it, and other commands still complete. */
	ASSERT_EQ(-ETIMEDOUT, nvd_wait_cid(&l->nvd, 0, cid, &cqe, 0));
	nb_keep_alive(&sqe);
	ADMIN_OK(l, &sqe);
	ASSERT_EQ(-ETIMEDOUT, nvd_wait_cid(&l->nvd, 0, cid, &cqe, 0));

	/* Over-temperature threshold below the 313 K the sensor reads: the
	 * condition holds at once and the AER completes.
	 */
	nb_set_features(&sqe, NVME_FEAT_TEMP_THRESH, false, 300);
	ADMIN_OK(l, &sqe);
	ASSERT_EQ(0, nvd_wait_cid(&l->nvd, 0, cid, &cqe, NVD_CQE_TIMEOUT_MS));
	ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
	ASSERT_EQ(NVME_AER_DW0(NVME_AER_TYPE_SMART, NVME_AER_SMART_TEMP_THRESH,
			       NVME_LOG_SMART), le32toh(cqe.dw0));

	/* SMART says why. */
	smart = gmem_alloc_pages(&l->mem, sizeof(*smart), &iova);
	ASSERT_NE(NULL, smart);
	nb_get_log(&sqe, NVME_LOG_SMART, 0xffffffff, sizeof(*smart), iova, false);
	ADMIN_OK(l, &sqe);
	ASSERT_NE(0, smart->critical_warning & NVME_SMART_CRIT_TEMPERATURE);
}

TEST_F(admin, aer_waits_for_request)
{
	struct lio *l = &self->l;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	int cid;

	/* The event comes first; the AER submitted later takes it. */
	enable_temp_events(_metadata, l);
	nb_set_features(&sqe, NVME_FEAT_TEMP_THRESH, false, 300);
	ADMIN_OK(l, &sqe);
	ASSERT_EQ(-ENOENT, nvd_take_stashed(&l->nvd, 0, &cqe));
	cid = submit_aer(l);
	ASSERT_GE(cid, 0);
	ASSERT_EQ(0, nvd_wait_cid(&l->nvd, 0, cid, &cqe, NVD_CQE_TIMEOUT_MS));
	ASSERT_EQ(NVME_AER_DW0(NVME_AER_TYPE_SMART, NVME_AER_SMART_TEMP_THRESH,
			       NVME_LOG_SMART), le32toh(cqe.dw0));
}

TEST_F(admin, aer_event_disabled_not_reported)
{
	struct lio *l = &self->l;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	int cid;

	/* Temperature warnings not enabled: crossing the threshold leaves
	 * the AER outstanding (the SMART log still shows the warning).
	 */
	cid = submit_aer(l);
	ASSERT_GE(cid, 0);
	nb_set_features(&sqe, NVME_FEAT_TEMP_THRESH, false, 300);
	ADMIN_OK(l, &sqe);
	ASSERT_EQ(-ETIMEDOUT, nvd_wait_cid(&l->nvd, 0, cid, &cqe, 0));
}

TEST_F(admin, aer_type_masked_until_log_read)
{
	struct lio *l = &self->l;
	struct nvme_smart_log *smart;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint64_t iova;
	int cid;

	smart = gmem_alloc_pages(&l->mem, sizeof(*smart), &iova);
	ASSERT_NE(NULL, smart);
	enable_temp_events(_metadata, l);
	cid = submit_aer(l);
	ASSERT_GE(cid, 0);
	nb_set_features(&sqe, NVME_FEAT_TEMP_THRESH, false, 300);
	ADMIN_OK(l, &sqe);
	ASSERT_EQ(0, nvd_wait_cid(&l->nvd, 0, cid, &cqe, NVD_CQE_TIMEOUT_MS));

	/* Clear the condition and raise it again, with a new AER waiting:
	 * the SMART type stays masked while its log is unread ...
	 */
	cid = submit_aer(l);
	ASSERT_GE(cid, 0);
	nb_set_features(&sqe, NVME_FEAT_TEMP_THRESH, false, 350);
	ADMIN_OK(l, &sqe);
	nb_set_features(&sqe, NVME_FEAT_TEMP_THRESH, false, 301);
	ADMIN_OK(l, &sqe);
	ASSERT_EQ(-ETIMEDOUT, nvd_wait_cid(&l->nvd, 0, cid, &cqe, 0));
	/* ... and reading it with RAE clear lets the held event out. */
	nb_get_log(&sqe, NVME_LOG_SMART, 0xffffffff, sizeof(*smart), iova, false);
	ADMIN_OK(l, &sqe);
	ASSERT_EQ(0, nvd_wait_cid(&l->nvd, 0, cid, &cqe, NVD_CQE_TIMEOUT_MS));
	ASSERT_EQ(NVME_AER_DW0(NVME_AER_TYPE_SMART, NVME_AER_SMART_TEMP_THRESH,
			       NVME_LOG_SMART), le32toh(cqe.dw0));
}

TEST_F(admin, aer_limit)
{
	struct lio *l = &self->l;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	int i, cid;

	/* AERL 3: four may be outstanding, the fifth is refused. */
	for (i = 0; i < 4; i++) {
		cid = submit_aer(l);
		ASSERT_GE(cid, 0);
		ASSERT_EQ(-ETIMEDOUT, nvd_wait_cid(&l->nvd, 0, cid, &cqe, 0));
	}
	nb_aer(&sqe);
	ADMIN_STATUS(l, &sqe, NVME_SC_ASYNC_LIMIT);
}

TEST_F(admin, bad_opcode)
{
	/* Reserved, I/O-only and vendor specific opcodes on the admin queue;
	 * security, firmware download and sanitize are not offered (OACS,
	 * SANICAP). Format NVM and namespace management are: test_format,
	 * test_namespaces.
	 */
	static const uint8_t bad[] = {
		0x03, 0x07, 0x7f, nvme_admin_security_recv,
		nvme_admin_sanitize_nvm, nvme_admin_download_fw, 0xc0, 0xff,
	};
	struct nvme_sqe sqe;
	unsigned int i;

	for (i = 0; i < sizeof(bad); i++) {
		struct nvme_cqe cqe;

		TH_LOG("opcode %#x", bad[i]);
		sqe = (struct nvme_sqe){ .opcode = bad[i] };
		cqe = ADMIN_STATUS(&self->l, &sqe, NVME_SC_INVALID_OPCODE);
		/* Sent again it fails again: Do Not Retry. */
		ASSERT_NE(0, nvd_status(&cqe) & NVME_STATUS_DNR);
	}
	/* The controller carries on. */
	nb_keep_alive(&sqe);
	ADMIN_OK(&self->l, &sqe);
}

TEST_F(admin, fused_and_sgl_refused)
{
	struct nvme_sqe sqe;

	/* No fused operations (FUSES 0) and no SGLs (SGLS 0). */
	nb_keep_alive(&sqe);
	sqe.flags = 1;
	ADMIN_STATUS(&self->l, &sqe, NVME_SC_INVALID_FIELD);
	nb_keep_alive(&sqe);
	sqe.flags = 0x40;
	ADMIN_STATUS(&self->l, &sqe, NVME_SC_INVALID_FIELD);
}

TEST_F(admin, set_features_not_saveable)
{
	struct nvme_sqe sqe;

	nb_set_features(&sqe, NVME_FEAT_VOLATILE_WC, true, 1);
	ADMIN_STATUS(&self->l, &sqe, NVME_SC_FEATURE_NOT_SAVEABLE);
}

TEST_HARNESS_MAIN
