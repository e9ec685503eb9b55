// SPDX-License-Identifier: GPL-2.0
/*
 * leapiod's core under guest-controlled input: arbitrary SQEs (PRPs, PRP
 * lists and DSM ranges pointing anywhere), doorbell values, queue resets
 * and deletions, guest memory unmapped under the queues and mapped back,
 * and backend completions held back and released in any order, against
 * the fake host of the unit tests, whose MAP answers in 2 MiB or 4 KiB
 * leaves. ASan and UBSan report what goes wrong: the core must touch
 * guest memory only through checked translations.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit-rt/fake_host.h"

#define SQ_GPA(q)	(0x10000ULL * (q))
#define CQ_GPA(q)	(0x80000ULL + 0x10000ULL * (q))
#define QSIZE		8

static struct fake_host h;
static bool ready;

static void queues(void)
{
	fh_create_cq(&h, 1, CQ_GPA(1), QSIZE, 1, true);
	fh_create_sq(&h, 1, SQ_GPA(1), QSIZE, 1);
	fh_create_cq(&h, 2, CQ_GPA(2), QSIZE, 0, false);
	fh_create_sq(&h, 2, SQ_GPA(2), QSIZE, 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i = 0;

	if (!ready) {
		fh_init(&h, 2, 4096, 9);
		ready = true;
	}
	/*
	 * A fresh controller generation per input, same process, and fresh
	 * translations: 2 MiB leaves, 4 KiB ones or both (by input length).
	 */
	fh_release(&h, 0);
	fh_reset(&h);
	fh_unmap(&h, 0, FH_GMEM_SIZE);
	fh_poll(&h, 2);
	h.r.ctrl->state = LEAPIO_VDEV_READY;
	h.hold = false;
	fh_map_back(&h);
	h.map_mode = (enum fh_map_mode)(size % 3);
	h.hole_start = 0xc00000;
	h.hole_len = 0x100000;
	queues();
	fh_poll(&h, 2);

	while (i < size) {
		uint8_t op = data[i++];
		u16 q = 1 + (op >> 7);
		struct nvme_sqe s;
		struct nvme_cqe c;

		switch (op & 7) {
		case 0:		/* an SQE from the input */
			if (size - i < sizeof(s))
				return 0;
			memcpy(&s, data + i, sizeof(s));
			i += sizeof(s);
			fh_submit(&h, q, &s);
			break;
		case 1:
			fh_poll(&h, 1 + (op >> 3 & 3));
			break;
		case 2:
			fh_release(&h, op >> 3);
			break;
		case 3:
			while (fh_reap(&h, q, &c))
				;
			break;
		case 4:		/* a raw doorbell value */
			if (size - i < 2)
				return 0;
			*leapio_db_ptr(&h.r, 2 * q + (op >> 3 & 1)) =
				cpu_to_le32(data[i] | data[i + 1] << 8);
			i += 2;
			break;
		case 5:		/* guest memory: lists, DSM ranges */
			if (size - i < 9)
				return 0;
			memcpy(h.gmem + 0x100000 + (data[i] << 6), data + i + 1, 8);
			i += 9;
			break;
		case 6:
			switch (op >> 3 & 3) {
			case 0:
				h.hold = !h.hold;
				break;
			case 1:	/* queues and data unmapped: held */
				fh_unmap(&h, 0, 1ULL << 21);
				break;
			case 2:	/* mapped back; the fixed hole again */
				fh_map_back(&h);
				h.hole_start = 0xc00000;
				h.hole_len = 0x100000;
				break;
			case 3:
				fh_delete_sq(&h, q);
				break;
			}
			break;
		case 7:		/* reset and bring the queues back */
			fh_release(&h, 0);
			fh_reset(&h);
			fh_poll(&h, 2);
			h.r.ctrl->state = LEAPIO_VDEV_READY;
			queues();
			break;
		}
	}
	fh_release(&h, 0);
	fh_poll(&h, 2);
	return 0;
}
