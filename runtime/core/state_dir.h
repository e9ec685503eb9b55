/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where leapiod keeps what must outlive it (its host NQN, Write
 * Uncorrectable marks): systemd's StateDirectory= ($STATE_DIRECTORY),
 * else /var/lib/leapio.
 */
#ifndef LEAPIOD_STATE_DIR_H
#define LEAPIOD_STATE_DIR_H

const char *lio_state_dir(void);

/* The directory (and its parents) made if missing, 0755: 0 or -errno. */
int lio_state_dir_make(void);

#endif /* LEAPIOD_STATE_DIR_H */
