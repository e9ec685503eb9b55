/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The platform below leapiod's core: how a vdev's shared region, its
 * guest's memory and its host driver are reached. One table of
 * operations, two implementations:
 *
 *   host mode  runtime/host/: /dev/leapio on the host (leapio_region.h)
 *   card mode  runtime/card/: /dev/leapio_soc on the SoC card, the region
 *              in card DRAM (leapio_card.h), guest memory through the
 *              host-DRAM window
 *
 * runtime/core/ includes nothing from either directory (the unit-rt build
 * checks it: tests/unit-rt/core_includes.sh); main.c picks the table and
 * hands it to the pollers. Documentation/design/data-path.rst, "Platforms".
 *
 * Optional operations are NULL where the core's default is what the
 * platform wants: host mode leaves the guest-memory ones NULL, its guest
 * window being GPA-linear and usable by io_uring as it is.
 */
#ifndef LEAPIOD_PLAT_H
#define LEAPIOD_PLAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

struct lio_vdev;

/* What attaching gives the core. */
struct lio_plat_att {
	void		*region;	/* the shared region, checked */
	uint64_t	region_size;
	/* GPA g at gmem + g: in host mode all of it reachable once
	 * translated; in card mode a reservation the platform maps pages
	 * into on demand (reach).
	 */
	uint8_t		*gmem;
	uint64_t	gmem_size;
	int		wake_fd;	/* pollable: the driver has news */
	void		*priv;		/* the platform's, = lio_vdev.plat_ctx */
};

struct lio_plat {
	const char	*name;
	/* A vdev not attachable yet (-ENODEV) is tried again after this, */
	uint64_t	retry_ns;
	/* and said so once, thus. */
	const char	*absent;

	/* ---- attach and detach (the poller thread; ctx: lio_poller_cfg) */
	/*
	 * Attach to the vdev with this UUID: region mapped and its header
	 * checked. 0; -ENODEV when it does not exist (yet) or is not ours
	 * to serve now; another -errno with a sentence in err.
	 */
	int	(*attach)(void *ctx, const char *uuid, struct lio_plat_att *att,
			  char *err, size_t errlen);
	/* Let it go; the core holds no pointer into it any more. */
	void	(*detach)(struct lio_plat_att *att);
	/*
	 * Must the vdev be detached now (and attached again once it can)?
	 * NULL if not, else why, for the log: the driver revoked it, the
	 * card gave it back to the host.
	 */
	const char *(*gone)(struct lio_plat_att *att);
	/*
	 * While not attached: told about the vdev now and then (card mode
	 * acknowledges changes of a slot it does not serve). Optional.
	 */
	void	(*idle)(void *ctx, const char *uuid);

	/* ---- wait for work */
	/* wake_fd was readable: consume it. */
	void	(*woken)(struct lio_plat_att *att);

	/* ---- the host driver */
	/* Answer the mailbox up to prod, tell the driver ack moved. */
	int	(*kick)(struct lio_vdev *v);
	/*
	 * Raise an interrupt. Either irq (the platform does it all) or
	 * irqfd (a new fd for the vector's eventfd, or -errno; the core
	 * signals it, or asks the driver through LEAPIO_MBOX_IRQ when the
	 * vector is masked or the guest uses INTx).
	 */
	int	(*irq)(struct lio_vdev *v, uint16_t vector);
	int	(*irqfd)(struct lio_vdev *v, uint16_t vector, uint32_t *irq_seq);

	/* ---- guest memory (all optional) */
	/*
	 * [gpa, gpa + len), which the region's tables say is translated,
	 * as a pointer the CPU can use, or NULL (the translation leads
	 * nowhere this platform reaches: a Data Transfer Error).
	 */
	void	*(*reach)(struct lio_vdev *v, uint64_t gpa, uint64_t len);
	/* Translations may have gone (a seq is being applied). */
	void	(*forget)(struct lio_vdev *v);
	/*
	 * Staging: data goes to the backend from a buffer of the platform's
	 * instead of straight from guest memory. room: can another
	 * command's data be staged now (else fetching waits). stage_in: a
	 * buffer for len bytes in *buf, the guest's data (iov, iovcnt)
	 * copied into it when write; 0, -EAGAIN (no room), -EFAULT.
	 * stage_out: the data copied out to the guest when read (0 or
	 * -EFAULT), the buffer freed either way.
	 */
	bool	(*room)(struct lio_vdev *v);
	int	(*stage_in)(struct lio_vdev *v, const struct iovec *iov,
			    uint32_t iovcnt, uint32_t len, bool write,
			    struct iovec *buf);
	int	(*stage_out)(struct lio_vdev *v, const struct iovec *buf,
			     const struct iovec *iov, uint32_t iovcnt,
			     bool read);
	/* Does every seq applied wait for commands at the backend (the
	 * staged data of a read goes to guest memory at completion)?
	 */
	bool	drain_on_apply;
};

/*
 * The namespace the driver gives the vdev fits in the backend's usable
 * bytes, and its LBAs are no smaller than the backend's blocks? 0;
 * -EFBIG (too large), -EINVAL (blocks the backend cannot write one by
 * one) or -EPROTO (a geometry no driver writes) with a sentence in err.
 * Checked at attach, whatever the platform, so that a namespace the
 * backend cannot hold is refused then rather than failing I/O later.
 */
struct lio_bdev;
int lio_ns_check(const void *region, const struct lio_bdev *b,
		 char *err, size_t errlen);

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" to its 16 bytes; 0 or -EINVAL. */
int lio_uuid_bytes(const char *s, uint8_t out[16]);

#endif /* LEAPIOD_PLAT_H */
