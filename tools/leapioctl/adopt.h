/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Serving what the driver's notes ask for: a leapio mdev whose
 * leapio/backend is set and that leapiod does not serve yet is added to
 * leapiod with that backend (leapiod's --vdev syntax, its own parser).
 * mdevctl's call-out does it for one device after `mdevctl start`;
 * leapiod.service does it for all of them once leapiod is ready
 * (`leapioctl vdev adopt`), since mdevctl may start devices at boot
 * before leapiod runs (mdevctl(8), "Auto-start call-outs"). So a
 * definition that carries its backend needs no other step across reboots
 * and restarts of leapiod.
 */
#ifndef LEAPIOCTL_ADOPT_H
#define LEAPIOCTL_ADOPT_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/*
 * A vdev written as leapiod's --vdev takes one (UUID=PATH[,OPT]...) as
 * leapiod's vdev object, through that parser: a new reference, or NULL
 * with its sentence in err. lctl_backend_vdev: the same for mdev uuid
 * and its note backend.
 */
json_t *lctl_vdev_spec(const char *spec, char *err, size_t errlen);
json_t *lctl_backend_vdev(const char *uuid, const char *backend, char *err,
			  size_t errlen);

/*
 * Mdev uuid: LCTL_OK when leapiod serves it now (added, or served
 * already) or it has no backend note; LCTL_FAILED (no such mdev, a note
 * leapiod's parser or leapiod refuses: the reason on stderr) or
 * LCTL_NO_DAEMON. What was done, one line, to out.
 */
int lctl_adopt_one(const char *root, const char *socket, const char *uuid,
		   FILE *out);
/* Every leapio mdev, each as lctl_adopt_one(): the first failure's status. */
int lctl_adopt_all(const char *root, const char *socket, FILE *out);

#endif /* LEAPIOCTL_ADOPT_H */
