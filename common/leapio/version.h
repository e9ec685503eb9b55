/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LeapIO's version, one for everything built from this tree: leapiod,
 * leapioctl, the modules (MODULE_VERSION), the DKMS source package and
 * the Debian packages (the Makefile reads it from here; debian/changelog
 * must name it, which tests/meta checks).
 */
#ifndef LEAPIO_VERSION_H
#define LEAPIO_VERSION_H

#define LEAPIO_VERSION	"0.3.0"

#endif /* LEAPIO_VERSION_H */
