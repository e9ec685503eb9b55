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
/*
 * vdev_stats' result: a row per vdev and class (read, write, other):
 * UUID, CLASS, COMMANDS, BYTES, ERRORS, MEAN, P50, P99, P99.9, MAX
 * (latencies as 950ns, 84.2us, 1.20ms, 2.50s; bytes in KiB, MiB, ...).
 */
void lctl_print_stats(FILE *f, const json_t *res);
/* poller_stats' result: POLLER, CPU, VDEVS, COMMANDS, POLLS, IDLE%, SLEEPS, IRQS. */
void lctl_print_pollers(FILE *f, const json_t *res);
/*
 * An interval of leapioctl top (lctl_stats_interval()): a row per vdev,
 * UUID, R/S, W/S, RMIB/S, WMIB/S, R_LAT, W_LAT, R_P99, W_P99, OTHER/S.
 */
void lctl_print_top(FILE *f, const json_t *iv);
/* An array of strings, one a line; anything else as JSON. */
void lctl_print_lines(FILE *f, const json_t *v);

#endif /* LEAPIOCTL_FORMAT_H */
