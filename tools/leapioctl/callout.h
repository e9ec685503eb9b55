/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leapioctl as mdevctl's call-out for leapio mdev types (dist/mdevctl/
 * leapio runs `leapioctl mdevctl-callout "$@"`; mdevctl(8), "Invoking
 * external scripts for device events"). Before mdevctl defines, starts or
 * modifies a leapio device, the attributes of its definition are checked
 * with the driver's own rules, in mdevctl's order, so a bad one is
 * refused with its reason before anything is written (leapio/backend also
 * with leapiod's --vdev parser); after a start, leapiod is told to serve
 * a device that carries a backend; asked for a running device's
 * attributes (define from a running device), it gives them.
 */
#ifndef LEAPIOCTL_CALLOUT_H
#define LEAPIOCTL_CALLOUT_H

#include <jansson.h>
#include <stddef.h>

/*
 * mdevctl's definition cfg ({"mdev_type", "start", "attrs": [{name:
 * value}, ...]}): 0 when the driver would take every attribute, written
 * in that order to a new controller; -EINVAL with a sentence in err
 * naming the first it would refuse.
 */
int lctl_callout_check(const json_t *cfg, char *err, size_t errlen);

/*
 * main(): mdevctl's arguments after the command; the exit status. After a
 * start, leapiod on socket is told to serve the device when its
 * leapio/backend says with what (adopt.h).
 */
int lctl_callout(const char *root, const char *socket, int argc, char **argv);

#endif /* LEAPIOCTL_CALLOUT_H */
