// SPDX-License-Identifier: GPL-2.0
/*
 * Get Log Page, and the Error Information log the other commands feed.
 *
 * Each log is built whole in the controller's scratch page (none is
 * larger), and the part the host asked for goes out from there.
 */
#include "vctrl.h"

#define LIO_SPARE		100	/* %, nothing wears out */
#define LIO_SPARE_THRESH	10
#define LIO_MS_PER_HOUR		(60ULL * 60 * 1000)

/* Get Log Page CDW10/CDW11 fields beyond RAE. */
#define LIO_LOG_LID(cdw10)	((cdw10) & 0xffU)
#define LIO_LOG_NUMDL(cdw10)	((cdw10) >> 16)
#define LIO_LOG_NUMDU(cdw11)	((cdw11) & 0xffffU)

/*
 * A host may ask for more than a log holds; what lies beyond it reads as
 * zeroes. Transfers go out from one buffer of the transfer's length, so
 * the rare one longer than the scratch page is zeroed from this first.
 * Never written; not const, so that it costs .bss rather than 256 KiB of
 * the module file.
 */
static u8 lio_log_zeroes[LIO_MAX_XFER];

u8 lio_smart_critical_warning(const struct lio_vctrl *c)
{
	u8 w = 0;

	if (c->feat.tmpth_over <= LIO_TEMP_KELVIN ||
	    c->feat.tmpth_under >= LIO_TEMP_KELVIN)
		w |= NVME_SMART_CRIT_TEMPERATURE;
	return w;
}

/* One more entry, the newest; the oldest goes when the log is full. */
static void lio_err_log_put(struct lio_vctrl *c, const struct nvme_io_error *err)
{
	struct lio_err_log *l = &c->elog;
	struct nvme_error_log_entry *e = &l->e[l->next];

	memset(e, 0, sizeof(*e));
	l->next = (l->next + 1) % LIO_NR_ERR_LOG;
	l->count++;
	e->error_count = cpu_to_le64(l->count);
	e->sqid = cpu_to_le16(err->sqid);
	e->cmdid = cpu_to_le16(err->cid);
	e->status_field = cpu_to_le16(err->status);
	e->param_error_location = cpu_to_le16(err->loc);
	e->lba = cpu_to_le64(err->lba);
	e->nsid = cpu_to_le32(err->nsid);
}

/*
 * Errors a data path found come in after the fact: the log takes them
 * before it is read or grows, so that entries are in the order the
 * errors happened and a host reading the log after a failed completion
 * finds its entry.
 */
static void lio_err_log_sync(struct lio_vctrl *c)
{
	if (c->ops->dp_errors)
		c->ops->dp_errors(c->opaque);
}

void lio_err_log_add(struct lio_vctrl *c, const struct lio_req *req, u16 status)
{
	struct nvme_io_error e = {
		.sqid = 0xffff, .cid = 0xffff, .status = status,
		.loc = LIO_NO_ERR_LOC,
	};

	lio_err_log_sync(c);
	if (req) {
		e.sqid = req->sqid;
		e.cid = le16_to_cpu(req->sqe.cid);
		e.loc = req->err_loc;
		e.lba = req->err_lba;
		e.nsid = le32_to_cpu(req->sqe.nsid);
	}
	/* else an error of no command in particular */
	lio_err_log_put(c, &e);
}

void lio_vctrl_log_error(struct lio_vctrl *c, const struct nvme_io_error *e)
{
	lio_err_log_put(c, e);
}

void lio_vctrl_count_errors(struct lio_vctrl *c, u64 n)
{
	struct lio_err_log *l = &c->elog;
	u64 i;

	/* Slots they would have taken read as unused until reused. */
	for (i = 0; i < n && i < LIO_NR_ERR_LOG; i++)
		memset(&l->e[(l->next + i) % LIO_NR_ERR_LOG], 0,
		       sizeof(l->e[0]));
	l->next = (u32)((l->next + n) % LIO_NR_ERR_LOG);
	l->count += n;
}

/* Newest first; entries never used stay zero (error count 0: invalid). */
static u32 lio_log_error(struct lio_vctrl *c, void *buf)
{
	struct nvme_error_log_entry *out = buf;
	const struct lio_err_log *l = &c->elog;
	u32 n = l->count < LIO_NR_ERR_LOG ? l->count : LIO_NR_ERR_LOG;
	u32 i;

	for (i = 0; i < n; i++)
		out[i] = l->e[(l->next + LIO_NR_ERR_LOG - 1 - i) %
			      LIO_NR_ERR_LOG];
	return LIO_NR_ERR_LOG * sizeof(*out);
}

void lio_put_le128(u8 dst[16], u64 v)
{
	__le64 lo = cpu_to_le64(v);

	memcpy(dst, &lo, sizeof(lo));
	memset(dst + sizeof(lo), 0, 16 - sizeof(lo));
}

/* Bytes as SMART Data Units: thousands of 512-byte units, rounded up. */
static u64 lio_data_units(u64 bytes)
{
	return bytes / 512000 + !!(bytes % 512000);
}

/*
 * SMART of namespace nsid, or of the controller (0 or FFFFFFFFh): the
 * data path's figures are the namespace's; the rest is the controller's,
 * which the spec has them report for a namespace too.
 */
static u32 lio_log_smart(struct lio_vctrl *c, u32 nsid, void *buf)
{
	struct nvme_smart_log *log = buf;
	const struct lio_smart *s = &c->smart;
	u64 now = c->ops->now_ms(c->opaque);
	u64 on_ms = now > s->created_ms ? now - s->created_ms : 0;
	struct lio_dp_smart dp;

	lio_hook_smart(c, nsid ? nsid : NVME_NSID_ALL, &dp);

	log->critical_warning = lio_smart_critical_warning(c);
	log->temperature[0] = LIO_TEMP_KELVIN & 0xff;
	log->temperature[1] = LIO_TEMP_KELVIN >> 8;
	log->avail_spare = LIO_SPARE;
	log->spare_thresh = LIO_SPARE_THRESH;
	lio_put_le128(log->data_units_read, lio_data_units(dp.bytes_read));
	lio_put_le128(log->data_units_written, lio_data_units(dp.bytes_written));
	lio_put_le128(log->host_reads, dp.cmds_read);
	lio_put_le128(log->host_writes, dp.cmds_written);
	lio_put_le128(log->ctrl_busy_time, s->busy_minutes);
	lio_put_le128(log->power_cycles, s->power_cycles);
	lio_put_le128(log->power_on_hours, on_ms / LIO_MS_PER_HOUR);
	lio_put_le128(log->unsafe_shutdowns, s->unsafe_shutdowns);
	lio_put_le128(log->media_errors, s->media_errors);
	lio_put_le128(log->num_err_log_entries, c->elog.count);
	log->warning_temp_time = cpu_to_le32(s->warning_temp_minutes);
	log->critical_comp_time = cpu_to_le32(s->critical_temp_minutes);
	return sizeof(*log);
}

static u32 lio_log_fw_slot(void *buf)
{
	struct nvme_fw_slot_log *log = buf;

	log->afi = 1;			/* running slot 1, no other next */
	memset(log->frs[0], ' ', sizeof(log->frs[0]));
	memcpy(log->frs[0], LIO_FR, sizeof(LIO_FR) - 1);
	return sizeof(*log);
}

static u32 lio_log_cmd_effects(const struct lio_vctrl *c, void *buf)
{
	struct nvme_effects_log *log = buf;
	u32 op;

	for (op = 0; op < ARRAY_SIZE(log->acs); op++) {
		log->acs[op] = cpu_to_le32(lio_admin_cmd_effects(c, op));
		log->iocs[op] = cpu_to_le32(nvme_io_cmd_effects(op));
	}
	return sizeof(*log);
}

/* SMART is kept per namespace (LPA): an active namespace, or all of them. */
static u16 lio_log_check_smart_nsid(struct lio_vctrl *c, struct lio_req *req)
{
	u32 nsid = le32_to_cpu(req->sqe.nsid);

	if (nsid == 0 || nsid == NVME_NSID_ALL || lio_ns_active(c, nsid))
		return NVME_SC_SUCCESS;
	req->err_loc = NVME_SQE_OFF_NSID;
	return NVME_SC_INVALID_NS;
}

static void lio_log_changed_ns(struct lio_vctrl *c,
			       struct nvme_changed_ns_log *log)
{
	u32 nsid, n = 0;

	for (nsid = 1; nsid <= LIO_NN; nsid++)
		if (c->ns_changed & (1U << (nsid - 1)))
			log->nsid[n++] = cpu_to_le32(nsid);
}

/* Build log lid in buf (zeroed); its size in *size, or a status. */
static u16 lio_log_build(struct lio_vctrl *c, struct lio_req *req, u8 lid,
			 void *buf, u32 *size)
{
	u16 status;

	switch (lid) {
	case NVME_LOG_ERROR:
		lio_err_log_sync(c);
		*size = lio_log_error(c, buf);
		break;
	case NVME_LOG_SMART:
		status = lio_log_check_smart_nsid(c, req);
		if (status)
			return status;
		lio_err_log_sync(c);	/* its count of error log entries */
		*size = lio_log_smart(c, le32_to_cpu(req->sqe.nsid), buf);
		break;
	case NVME_LOG_FW_SLOT:
		*size = lio_log_fw_slot(buf);
		break;
	case NVME_LOG_CHANGED_NS:
		/* Those that changed (lio_ns_changed()), ascending. */
		lio_log_changed_ns(c, buf);
		*size = sizeof(struct nvme_changed_ns_log);
		break;
	case NVME_LOG_CMD_EFFECTS:
		*size = lio_log_cmd_effects(c, buf);
		break;
	case NVME_LOG_LBA_STATUS:
		return lio_log_lba_status(c, buf, size);
	default:
		req->err_loc = NVME_SQE_OFF_CDW10;
		return NVME_SC_INVALID_LOG_PAGE;
	}
	return NVME_SC_SUCCESS;
}

u16 lio_admin_get_log_page(struct lio_vctrl *c, struct lio_req *req)
{
	u32 cdw10 = le32_to_cpu(req->sqe.cdw10);
	u32 cdw11 = le32_to_cpu(req->sqe.cdw11);
	u32 lpou = le32_to_cpu(req->sqe.cdw13);
	u32 lpol = le32_to_cpu(req->sqe.cdw12);
	u8 lid = LIO_LOG_LID(cdw10);
	u64 len = ((u64)(LIO_LOG_NUMDU(cdw11) << 16 | LIO_LOG_NUMDL(cdw10)) + 1) * 4;
	u8 *buf = (u8 *)c->scratch;
	u32 size, off;
	u16 status;

	memset(buf, 0, sizeof(c->scratch));
	status = lio_log_build(c, req, lid, buf, &size);
	if (status)
		return status;

	if (len > LIO_MAX_XFER) {
		req->err_loc = LIO_LOG_NUMDU(cdw11) ? NVME_SQE_OFF_CDW11 :
						      NVME_SQE_OFF_CDW10;
		return NVME_SC_INVALID_FIELD;
	}
	if (lpou || lpol >= size || lpol & 3) {
		req->err_loc = lpou ? NVME_SQE_OFF_CDW13 : NVME_SQE_OFF_CDW12;
		return NVME_SC_INVALID_FIELD;
	}
	off = lpol;

	/* The scratch page is zero past the log: a transfer that ends in
	 * it goes in one piece. A longer one is zeroed whole, then the log
	 * part is written over the start.
	 */
	if (off + len <= sizeof(c->scratch)) {
		status = lio_prp_to_guest(c, req, buf + off, (u32)len);
	} else {
		status = lio_prp_to_guest(c, req, lio_log_zeroes, (u32)len);
		if (!status)
			status = lio_prp_to_guest(c, req, buf + off, size - off);
	}
	if (status)
		return status;

	if (!(cdw10 & NVME_LOG_RAE)) {
		if (lid == NVME_LOG_CHANGED_NS)
			c->ns_changed = 0;	/* read: cleared */
		lio_aer_log_read(c, lid);
	}
	return NVME_SC_SUCCESS;
}
