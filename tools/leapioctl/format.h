/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leapioctl's output: tables for people by default, the JSON leapiod
 * (or sysfs) gave with -o json for scripts. Pure: a result in, text out.
 */
#ifndef LEAPIOCTL_FORMAT_H
#define LEAPIOCTL_FORMAT_H

#include <jansson.h>
#include <stdio.h>

/* Any result as indented JSON and a newline (-o json). */
void lctl_print_json(FILE *f, const json_t *v);
/*
 * vdevs (vdev_list's result) as a table: UUID, POLLER, TYPE, PATH,
 * OFFSET, SIZE ("all" when the backend runs to its end), OPTIONS
 * (readonly, fabric options as name=value).
 */
void lctl_print_vdevs(FILE *f, const json_t *vdevs);
/* mdevs (lctl_mdev_list()) as a table: UUID, TYPE, NS_SIZE, LBA, RUNTIME. */
void lctl_print_mdevs(FILE *f, const json_t *mdevs);
/* mdev types (lctl_mdev_types()): TYPE, QUEUES, AVAILABLE, DESCRIPTION. */
void lctl_print_types(FILE *f, const json_t *types);
/* An array of strings, one a line; anything else as JSON. */
void lctl_print_lines(FILE *f, const json_t *v);

#endif /* LEAPIOCTL_FORMAT_H */
