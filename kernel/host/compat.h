/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels leapio_host.ko builds for (Debian's 6.1
 * and 6.12). Force-included into every object of the module; the LIO_HAVE_*
 * and LIO_*_HAS_* macros come from the header checks in compat/Kbuild.include.
 * Macros only, so that the pure model files it also reaches see no new
 * declaration.
 */
#ifndef LEAPIO_COMPAT_H
#define LEAPIO_COMPAT_H

/* 6.8 dropped eventfd_signal()'s count: every caller passed 1. */
#ifdef LIO_EVENTFD_SIGNAL_HAS_COUNT
#define lio_eventfd_signal(ctx)	eventfd_signal(ctx, 1)
#else
#define lio_eventfd_signal(ctx)	eventfd_signal(ctx)
#endif

/*
 * Up to 6.1 a vfio_device's .release frees it with vfio_free_device(); from
 * 6.2 the core frees it after .release and the function is gone.
 */
#ifdef LIO_HAVE_VFIO_FREE_DEVICE
#define lio_compat_vfio_free_device(vdev)	vfio_free_device(vdev)
#else
#define lio_compat_vfio_free_device(vdev)	((void)(vdev))
#endif

/* 6.3 made vm_flags writable only through these helpers. */
#ifdef LIO_HAVE_VM_FLAGS_SET
#define lio_vm_flags_set(vma, flags)	vm_flags_set(vma, flags)
#else
#define lio_vm_flags_set(vma, flags)	((vma)->vm_flags |= (flags))
#endif

#endif /* LEAPIO_COMPAT_H */
