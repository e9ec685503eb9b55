/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A SoC card and its host in user space, for card-mode leapiod
 * (runtime/card/): the card device of card_dev.h over plain memory (card
 * DRAM a buffer, the host-DRAM window a memfd, the doorbell an eventfd the
 * test writes), and the host driver's side: the card header and a slot
 * written as leapio_card.h has it, the vdev's region in card DRAM laid
 * out and written by the module's own region writer
 * (common/leapio/region_writer.c), each mailbox request decoded by
 * leapio_mbox_decode() and answered when the card rings, the irq_post[]
 * counters read at each ring.
 *
 * Host memory is q35's: FC_LOWMEM bytes below 4 GiB at window offset 0,
 * the rest from 4 GiB at window offset FC_LOWMEM. The driver "pins" guest
 * page i at host physical fc_hpa(i): even pages below 4 GiB, odd ones
 * above, so that every two pages adjacent in the guest are apart in the
 * host and on both sides of the split. Nothing is translated until
 * leapiod asks (MAP), in 4 KiB leaves; a block can be pinned outside
 * the window map (bad_blk), or refused (hole_blk).
 */
#ifndef LEAPIO_FAKE_CARD_H
#define LEAPIO_FAKE_CARD_H

#include "../../runtime/card/card.h"
#include "../../runtime/core/vdev.h"
#include "../../common/leapio/mbox_decode.h"
#include "../../common/leapio/region_writer.h"
#include "../../uapi/linux/leapio_card.h"

#define FC_DRAM_SIZE	(8ULL << 20)
#define FC_RESERVE	(4ULL << 20)		/* 4 staging buffers */
#define FC_LOWMEM	(8ULL << 20)
#define FC_HIGHMEM	(16ULL << 20)
#define FC_WIN_SIZE	(FC_LOWMEM + FC_HIGHMEM)
#define FC_GMEM_SIZE	(16ULL << 20)		/* guest physical space */
#define FC_PAGES	(FC_GMEM_SIZE >> 12)
#define FC_BLOCKS	(FC_GMEM_SIZE >> LEAPIO_L1_SHIFT)
#define FC_SLOT		3
#define FC_HOST_PEER	7
#define FC_CARD_PEER	9
#define FC_4G		(1ULL << 32)
#define FC_UUID		"12345678-9abc-def0-1234-56789abcdef0"
#define FC_NO_BLK	0xffffffffU

struct fake_card {
	struct lio_card_dev	dev;
	int			win_fd;
	struct lio_win		map[2];
	struct lio_card		*card;
	struct leapio_card_hdr	*hdr;
	struct leapio_card_slot	*slot;
	void			*region;
	u64			region_size;
	struct leapio_region_view r;
	struct leapio_wr	w;
	u32			seq;
	bool			pinned[FC_PAGES];
	u32			bad_blk;	/* pinned at an HPA the map lacks */
	u32			hole_blk;	/* MAP refuses it (-EFAULT) */
	/* the host side, as of the last ring */
	unsigned int		rings, maps, maps_refused, irqs_mbox, bad_reqs;
	u32			last_peer;
	bool			answer;		/* answer the mailbox when rung */
	u32			irq_seen[LEAPIO_CARD_VECTORS];
	u32			irq_any_seen;
	unsigned int		irqs[LEAPIO_CARD_VECTORS];	/* delivered */
	/* the guest's view of its queues */
	u16			sq_tail[4], cq_head[4];
	u8			cq_phase[4];
	/* the backend: memory, completions inline */
	struct lio_bdev		bdev;
	u8			*store;
	u64			store_size;
	struct lio_ring		*ring;
	bool			hold;		/* keep requests back */
	struct lio_io		*held[16];
	unsigned int		nr_held;
	/* the runtime */
	struct lio_poller_stats	stats;
	struct lio_plat_att	att;
	struct lio_vdev		v;
	bool			attached;
};

/* The card up, its header and slot written, the region enabled. */
void fc_init(struct fake_card *fc, u16 nr_ioq, u64 nsze);
void fc_fini(struct fake_card *fc);
/* leapiod attaches as its poller does (plat attach, ns check, core). */
int fc_attach(struct fake_card *fc, char *err, size_t errlen);
void fc_detach(struct fake_card *fc);
/* The driver changes the slot: fields, barrier, gen + 1, ring the card. */
void fc_slot_change(struct fake_card *fc, u32 owner);
/* Host physical address of guest page i; its place in the window. */
u64 fc_hpa(u64 page);
u64 fc_win_off(u64 hpa);
/* Guest memory as the guest sees it (through the fake's own pins). */
u8 *fc_g(struct fake_card *fc, u64 gpa);
int fc_create_cq(struct fake_card *fc, u16 qid, u64 gpa, u16 size, u16 vec);
int fc_create_sq(struct fake_card *fc, u16 qid, u64 gpa, u16 size, u16 cqid);
void fc_submit(struct fake_card *fc, u16 sqid, const struct nvme_sqe *sqe);
bool fc_reap(struct fake_card *fc, u16 cqid, struct nvme_cqe *cqe);
void fc_poll(struct fake_card *fc, unsigned int n);
/* Complete the requests held back (hold), in order. */
void fc_release(struct fake_card *fc);
/* Submit, poll up to 8 passes, reap: the status (no phase), 0xffff none. */
u16 fc_run1(struct fake_card *fc, u16 qid, struct nvme_sqe *s, u16 cid);

#endif /* LEAPIO_FAKE_CARD_H */
