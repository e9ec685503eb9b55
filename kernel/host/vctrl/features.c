// SPDX-License-Identifier: GPL-2.0
/*
 * Get Features and Set Features. Nothing is saveable: the saved value of
 * every feature is its default, and a controller reset brings the
 * defaults back (lio_features_reset).
 */
#include "vctrl.h"

/* Async Event Configuration bits we can ever report: the SMART critical
 * warnings of the NVMe 1.4 SMART log, and Namespace Attribute Notices
 * (OAES).
 */
#define LIO_AEC_SUPPORTED	(NVME_SMART_CRIT_SPARE | NVME_SMART_CRIT_TEMPERATURE | \
				 NVME_SMART_CRIT_RELIABILITY | NVME_SMART_CRIT_MEDIA | \
				 NVME_SMART_CRIT_VOLATILE_MEMORY | NVME_AEC_NS_ATTR)

/* Arbitration: AB [2:0] (111b, no burst limit) and the weights. */
#define LIO_ARB_MASK		0xffffff07U
#define LIO_ARB_AB_NOLIMIT	7U
/* Power Management: PS [4:0], WH [7:5]. */
#define LIO_PM_MASK		0xffU
#define LIO_PM_PS(v)		((v) & 0x1fU)
/* Temperature Threshold: TMPTH [15:0], TMPSEL [19:16], THSEL [21:20]. */
#define LIO_TMPSEL(v)		(((v) >> 16) & 0xfU)
#define LIO_TMPSEL_ALL		0xfU
#define LIO_THSEL(v)		(((v) >> 20) & 0x3U)
#define LIO_THSEL_OVER		0U
#define LIO_THSEL_UNDER		1U
/* Error Recovery: TLER [15:0], DULBE [16]. */
#define LIO_ERR_REC_TLER	0xffffU
#define LIO_ERR_REC_DULBE	BIT(16)
/* Interrupt Coalescing: THR [7:0], TIME [15:8]. */
#define LIO_IRQ_COAL_MASK	0xffffU
/* Interrupt Vector Configuration: IV [15:0], CD [16]. */
#define LIO_IVC_CD		BIT(16)
/* Timestamp data: 48-bit milliseconds, then Synch [0] and the origin
 * [3:1] of byte 6: 001b, set by a Set Features command.
 */
#define LIO_TS_MASK		((1ULL << 48) - 1)
#define LIO_TS_ORIGIN_SET	(1ULL << (48 + 1))

/* Supported capabilities (SEL 011b) of a FID; 0 for a FID we lack. */
static u32 lio_feat_caps(u8 fid)
{
	switch (fid) {
	case NVME_FEAT_ARBITRATION:
	case NVME_FEAT_POWER_MGMT:
	case NVME_FEAT_TEMP_THRESH:
	case NVME_FEAT_VOLATILE_WC:
	case NVME_FEAT_NUM_QUEUES:
	case NVME_FEAT_IRQ_COALESCE:
	case NVME_FEAT_IRQ_CONFIG:
	case NVME_FEAT_WRITE_ATOMIC:
	case NVME_FEAT_ASYNC_EVENT:
	case NVME_FEAT_TIMESTAMP:
	case NVME_FEAT_KATO:
	case NVME_FEAT_HOST_BEHAVIOR:
		return NVME_FEAT_CAP_CHANGE;
	case NVME_FEAT_ERR_RECOVERY:
		return NVME_FEAT_CAP_CHANGE | NVME_FEAT_CAP_NS;
	default:
		/* Among others APST and HMB (APSTA, HMPRE are 0), and the
		 * vendor specific ones Windows tries.
		 */
		return 0;
	}
}

static u16 lio_nr_queues_max(const struct lio_vctrl *c)
{
	return c->p.nr_ioq ? c->p.nr_ioq - 1 : 0;	/* 0's based */
}

static void lio_features_default(struct lio_vctrl *c, struct lio_features *f)
{
	memset(f, 0, sizeof(*f));
	f->arbitration = LIO_ARB_AB_NOLIMIT;
	/* The spec's defaults for the composite sensor: WCTEMP and 0 K. */
	f->tmpth_over = LIO_WCTEMP;
	f->tmpth_under = 0;
	f->vwc = true;
	f->nsqa = lio_nr_queues_max(c);
	f->ncqa = lio_nr_queues_max(c);
	/* The timestamp starts at 0 with the reset (origin 000b). */
	f->ts_offset_ms = 0 - c->ops->now_ms(c->opaque);
}

void lio_features_reset(struct lio_vctrl *c)
{
	lio_features_default(c, &c->feat);
}

static bool lio_feat_cd(const struct lio_features *f, u16 iv)
{
	return f->irq_cd[iv / 64] & (1ULL << (iv % 64));
}

static u16 lio_feat_check_iv(struct lio_vctrl *c, struct lio_req *req, u16 iv)
{
	if (iv >= c->nr_vectors || iv >= LIO_MAX_VECTORS) {
		req->err_loc = NVME_SQE_OFF_CDW11;
		return NVME_SC_INVALID_FIELD;
	}
	return NVME_SC_SUCCESS;
}

/* Of the sensors only the composite one exists. */
static u16 lio_feat_check_tmp(struct lio_req *req, u32 cdw11, bool set)
{
	u32 tmpsel = LIO_TMPSEL(cdw11);

	if ((tmpsel != 0 && !(set && tmpsel == LIO_TMPSEL_ALL)) ||
	    LIO_THSEL(cdw11) > LIO_THSEL_UNDER) {
		req->err_loc = NVME_SQE_OFF_CDW11;
		return NVME_SC_INVALID_FIELD;
	}
	return NVME_SC_SUCCESS;
}

/*
 * A namespace specific feature names an active namespace; a Set may also
 * name all of them (FFFFFFFFh). Other features ignore NSID, as hosts send
 * all sorts there.
 */
static u16 lio_feat_check_nsid(struct lio_vctrl *c, struct lio_req *req,
			       u32 caps, bool set)
{
	u32 nsid = le32_to_cpu(req->sqe.nsid);

	if (!(caps & NVME_FEAT_CAP_NS) || lio_ns_active(c, nsid) ||
	    (set && nsid == 0xffffffffU))
		return NVME_SC_SUCCESS;
	req->err_loc = NVME_SQE_OFF_NSID;
	return NVME_SC_INVALID_NS;
}

static u16 lio_get_timestamp(struct lio_vctrl *c, struct lio_req *req,
			     const struct lio_features *f)
{
	u64 ts = (c->ops->now_ms(c->opaque) + f->ts_offset_ms) & LIO_TS_MASK;
	__le64 data;

	if (f->ts_set)
		ts |= LIO_TS_ORIGIN_SET;
	data = cpu_to_le64(ts);
	return lio_prp_to_guest(c, req, &data, sizeof(data));
}

/*
 * Host Behavior Support: a 512-byte structure of which we know byte 0,
 * Advanced Command Retry Enable (0 or 1). The rest (Linux sends LBAFEE
 * and ETDAS there only for controllers that advertise them) reads as 0.
 */
#define LIO_HOST_BEHAVIOR_SIZE	512

static u16 lio_get_host_behavior(struct lio_vctrl *c, struct lio_req *req,
				 const struct lio_features *f)
{
	u8 *data = (u8 *)c->scratch;

	memset(data, 0, LIO_HOST_BEHAVIOR_SIZE);
	data[0] = f->acre;
	return lio_prp_to_guest(c, req, data, LIO_HOST_BEHAVIOR_SIZE);
}

static u16 lio_set_host_behavior(struct lio_vctrl *c, struct lio_req *req)
{
	u8 *data = (u8 *)c->scratch;
	u16 status;

	status = lio_prp_from_guest(c, req, data, LIO_HOST_BEHAVIOR_SIZE);
	if (status)
		return status;
	if (data[0] > 1) {
		/* No SQE field to point at: the error is in the data. */
		return NVME_SC_INVALID_FIELD;
	}
	c->feat.acre = data[0];
	return NVME_SC_SUCCESS;
}

/* The value of fid in f, the current or the default features. */
static u16 lio_get_value(struct lio_vctrl *c, struct lio_req *req, u8 fid,
			 const struct lio_features *f)
{
	u32 cdw11 = le32_to_cpu(req->sqe.cdw11);
	u16 iv = cdw11 & 0xffff;
	u16 status;

	switch (fid) {
	case NVME_FEAT_ARBITRATION:
		req->dw0 = f->arbitration;
		break;
	case NVME_FEAT_POWER_MGMT:
		req->dw0 = f->power_mgmt;
		break;
	case NVME_FEAT_TEMP_THRESH:
		status = lio_feat_check_tmp(req, cdw11, false);
		if (status)
			return status;
		req->dw0 = LIO_THSEL(cdw11) == LIO_THSEL_UNDER ?
			   f->tmpth_under : f->tmpth_over;
		req->dw0 |= cdw11 & 0x3f0000U;	/* the selectors echoed */
		break;
	case NVME_FEAT_ERR_RECOVERY:	/* NSID active: checked */
		req->dw0 = f->err_recovery[le32_to_cpu(req->sqe.nsid) - 1];
		break;
	case NVME_FEAT_VOLATILE_WC:
		req->dw0 = f->vwc;
		break;
	case NVME_FEAT_NUM_QUEUES:
		req->dw0 = ((u32)f->ncqa << 16) | f->nsqa;
		break;
	case NVME_FEAT_IRQ_COALESCE:
		req->dw0 = f->irq_coalesce;
		break;
	case NVME_FEAT_IRQ_CONFIG:
		status = lio_feat_check_iv(c, req, iv);
		if (status)
			return status;
		req->dw0 = iv | (lio_feat_cd(f, iv) ? LIO_IVC_CD : 0);
		break;
	case NVME_FEAT_WRITE_ATOMIC:
		req->dw0 = f->write_atomic;
		break;
	case NVME_FEAT_ASYNC_EVENT:
		req->dw0 = f->async_event_cfg;
		break;
	case NVME_FEAT_TIMESTAMP:
		return lio_get_timestamp(c, req, f);
	case NVME_FEAT_HOST_BEHAVIOR:
		return lio_get_host_behavior(c, req, f);
	case NVME_FEAT_KATO:
		req->dw0 = f->kato;
		break;
	}
	return NVME_SC_SUCCESS;
}

u16 lio_admin_get_features(struct lio_vctrl *c, struct lio_req *req)
{
	u32 cdw10 = le32_to_cpu(req->sqe.cdw10);
	u8 fid = cdw10 & 0xff;
	u32 sel = (cdw10 & NVME_FEAT_SEL_MASK) >> NVME_FEAT_SEL_SHIFT;
	u32 caps = lio_feat_caps(fid);
	struct lio_features def;
	u16 status;

	if (!caps) {
		req->err_loc = NVME_SQE_OFF_CDW10;
		return NVME_SC_INVALID_FIELD;
	}
	status = lio_feat_check_nsid(c, req, caps, false);
	if (status)
		return status;

	switch (sel) {
	case NVME_FEAT_SEL_CURRENT:
		return lio_get_value(c, req, fid, &c->feat);
	case NVME_FEAT_SEL_DEFAULT:
	case NVME_FEAT_SEL_SAVED:
		lio_features_default(c, &def);
		return lio_get_value(c, req, fid, &def);
	case NVME_FEAT_SEL_SUPPORTED:
		req->dw0 = caps;
		return NVME_SC_SUCCESS;
	default:
		req->err_loc = NVME_SQE_OFF_CDW10;
		return NVME_SC_INVALID_FIELD;
	}
}

static u16 lio_set_temp_thresh(struct lio_vctrl *c, struct lio_req *req,
			       u32 cdw11)
{
	struct lio_features *f = &c->feat;
	u8 before = lio_smart_critical_warning(c);
	u16 status;

	status = lio_feat_check_tmp(req, cdw11, true);
	if (status)
		return status;
	if (LIO_THSEL(cdw11) == LIO_THSEL_UNDER)
		f->tmpth_under = cdw11 & 0xffff;
	else
		f->tmpth_over = cdw11 & 0xffff;

	/* The temperature itself never moves: only a new threshold can
	 * put it across one. Tell the host when that happens.
	 */
	if (!(before & NVME_SMART_CRIT_TEMPERATURE) &&
	    (lio_smart_critical_warning(c) & NVME_SMART_CRIT_TEMPERATURE) &&
	    (f->async_event_cfg & NVME_SMART_CRIT_TEMPERATURE))
		lio_aer_event(c, NVME_AER_DW0(NVME_AER_TYPE_SMART,
					      NVME_AER_SMART_TEMP_THRESH,
					      NVME_LOG_SMART));
	return NVME_SC_SUCCESS;
}

/*
 * Number of Queues is allocated once per controller reset: later Sets
 * get the allocation made, and none is accepted once queues exist.
 */
static u16 lio_set_nr_queues(struct lio_vctrl *c, struct lio_req *req,
			     u32 cdw11)
{
	struct lio_features *f = &c->feat;
	u16 nsqr = cdw11 & 0xffff;
	u16 ncqr = cdw11 >> 16;

	if (nsqr == 0xffff || ncqr == 0xffff) {
		req->err_loc = NVME_SQE_OFF_CDW11;
		return NVME_SC_INVALID_FIELD;
	}
	if (lio_ioq_exists(c))
		return NVME_SC_CMD_SEQ_ERROR;
	if (!f->nr_queues_set) {
		f->nsqa = min_t(u16, nsqr, lio_nr_queues_max(c));
		f->ncqa = min_t(u16, ncqr, lio_nr_queues_max(c));
		f->nr_queues_set = true;
	}
	req->dw0 = ((u32)f->ncqa << 16) | f->nsqa;
	return NVME_SC_SUCCESS;
}

static u16 lio_set_timestamp(struct lio_vctrl *c, struct lio_req *req)
{
	struct lio_features *f = &c->feat;
	__le64 data;
	u16 status;

	status = lio_prp_from_guest(c, req, &data, sizeof(data));
	if (status)
		return status;
	/* Bytes 7:6 of the data are reserved on a Set. */
	f->ts_offset_ms = (le64_to_cpu(data) & LIO_TS_MASK) -
			  c->ops->now_ms(c->opaque);
	f->ts_set = true;
	return NVME_SC_SUCCESS;
}

/* A namespace's, or every namespace's (FFFFFFFFh). */
static void lio_set_err_recovery(struct lio_features *f, u32 nsid, u32 val)
{
	u32 i;

	for (i = 0; i < LIO_NN; i++)
		if (nsid == NVME_NSID_ALL || nsid == i + 1)
			f->err_recovery[i] = val;
}

u16 lio_admin_set_features(struct lio_vctrl *c, struct lio_req *req)
{
	u32 cdw10 = le32_to_cpu(req->sqe.cdw10);
	u32 cdw11 = le32_to_cpu(req->sqe.cdw11);
	struct lio_features *f = &c->feat;
	u8 fid = cdw10 & 0xff;
	u32 caps = lio_feat_caps(fid);
	u16 iv = cdw11 & 0xffff;
	u16 status;

	if (!caps) {
		req->err_loc = NVME_SQE_OFF_CDW10;
		return NVME_SC_INVALID_FIELD;
	}
	if (cdw10 & NVME_FEAT_SV) {
		req->err_loc = NVME_SQE_OFF_CDW10;
		return NVME_SC_FEATURE_NOT_SAVEABLE;
	}
	status = lio_feat_check_nsid(c, req, caps, true);
	if (status)
		return status;

	switch (fid) {
	case NVME_FEAT_ARBITRATION:
		f->arbitration = cdw11 & LIO_ARB_MASK;
		break;
	case NVME_FEAT_POWER_MGMT:
		if (LIO_PM_PS(cdw11) > 0) {	/* NPSS = 0 */
			req->err_loc = NVME_SQE_OFF_CDW11;
			return NVME_SC_INVALID_FIELD;
		}
		f->power_mgmt = cdw11 & LIO_PM_MASK;
		break;
	case NVME_FEAT_TEMP_THRESH:
		return lio_set_temp_thresh(c, req, cdw11);
	case NVME_FEAT_ERR_RECOVERY:
		/* Deallocated blocks read as whatever the backend says:
		 * no error to report for them.
		 */
		if (cdw11 & LIO_ERR_REC_DULBE) {
			req->err_loc = NVME_SQE_OFF_CDW11;
			return NVME_SC_INVALID_FIELD;
		}
		lio_set_err_recovery(f, le32_to_cpu(req->sqe.nsid),
				     cdw11 & LIO_ERR_REC_TLER);
		break;
	case NVME_FEAT_VOLATILE_WC:
		f->vwc = cdw11 & 1;
		lio_hook_update(c, LIO_DP_FEATURES);
		break;
	case NVME_FEAT_NUM_QUEUES:
		return lio_set_nr_queues(c, req, cdw11);
	case NVME_FEAT_IRQ_COALESCE:
		f->irq_coalesce = cdw11 & LIO_IRQ_COAL_MASK;
		lio_hook_update(c, LIO_DP_FEATURES);
		break;
	case NVME_FEAT_IRQ_CONFIG:
		status = lio_feat_check_iv(c, req, iv);
		if (status)
			return status;
		if (cdw11 & LIO_IVC_CD)
			f->irq_cd[iv / 64] |= 1ULL << (iv % 64);
		else
			f->irq_cd[iv / 64] &= ~(1ULL << (iv % 64));
		lio_hook_update(c, LIO_DP_FEATURES);
		break;
	case NVME_FEAT_WRITE_ATOMIC:
		f->write_atomic = cdw11 & 1;
		break;
	case NVME_FEAT_ASYNC_EVENT:
		/* Enables of events we never raise are dropped, so that a
		 * Get shows what the host can actually expect.
		 */
		f->async_event_cfg = cdw11 & LIO_AEC_SUPPORTED;
		break;
	case NVME_FEAT_TIMESTAMP:
		return lio_set_timestamp(c, req);
	case NVME_FEAT_HOST_BEHAVIOR:
		return lio_set_host_behavior(c, req);
	case NVME_FEAT_KATO:
		f->kato = cdw11;
		break;
	}
	return NVME_SC_SUCCESS;
}
