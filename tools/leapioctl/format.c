// SPDX-License-Identifier: GPL-2.0
/*
 * Tables: every cell is text first, then each column as wide as its
 * widest cell, two spaces between columns, no trailing blanks.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

#define LCTL_MAX_COLS	10

struct table {
	unsigned int	cols;
	unsigned int	rows;		/* the header included */
	char		**cell;		/* rows * cols, malloc'd strings */
	size_t		width[LCTL_MAX_COLS];
};

static int table_add(struct table *t, char *const *cells)
{
	char **c = realloc(t->cell, (size_t)(t->rows + 1) * t->cols * sizeof(*c));
	unsigned int i;

	if (!c)
		return -1;
	t->cell = c;
	for (i = 0; i < t->cols; i++) {
		char *s = strdup(cells[i] ? cells[i] : "-");
		size_t w = s ? strlen(s) : 1;

		c[t->rows * t->cols + i] = s;
		if (w > t->width[i])
			t->width[i] = w;
	}
	t->rows++;
	return 0;
}

static void table_print(FILE *f, struct table *t)
{
	unsigned int r, i;

	for (r = 0; r < t->rows; r++) {
		for (i = 0; i < t->cols; i++) {
			const char *s = t->cell[r * t->cols + i];

			s = s ? s : "?";
			if (i + 1 < t->cols)
				fprintf(f, "%-*s  ", (int)t->width[i], s);
			else
				fprintf(f, "%s\n", s);
		}
	}
	for (r = 0; r < t->rows * t->cols; r++)
		free(t->cell[r]);
	free(t->cell);
}

void lctl_print_json(FILE *f, const json_t *v)
{
	json_dumpf(v, f, JSON_INDENT(2) | JSON_ENCODE_ANY);
	fputc('\n', f);
}

/* A JSON value as a cell's text: strings bare, numbers in decimal. */
static void cell_of(const json_t *v, char *buf, size_t len)
{
	if (json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, len, "%s", json_is_true(v) ? "true" : "false");
	else
		snprintf(buf, len, "-");
}

void lctl_print_vdevs(FILE *f, const json_t *vdevs)
{
	static char *const head[] = { "UUID", "POLLER", "TYPE", "PATH", "OFFSET",
				      "SIZE", "OPTIONS" };
	struct table t = { .cols = 7 };
	char c[7][512];
	char *row[7];
	const json_t *v;
	size_t i;
	int k;

	table_add(&t, head);
	json_array_foreach((json_t *)vdevs, i, v) {
		const json_t *b = json_object_get(v, "backend"), *fab, *o;
		const char *key;
		size_t n = 0;

		cell_of(json_object_get(v, "uuid"), c[0], sizeof(c[0]));
		cell_of(json_object_get(v, "poller"), c[1], sizeof(c[1]));
		cell_of(json_object_get(b, "type"), c[2], sizeof(c[2]));
		cell_of(json_object_get(b, "path"), c[3], sizeof(c[3]));
		o = json_object_get(b, "offset");
		if (o)
			cell_of(o, c[4], sizeof(c[4]));
		else
			strcpy(c[4], "0");
		o = json_object_get(b, "size");
		if (o)
			cell_of(o, c[5], sizeof(c[5]));
		else
			strcpy(c[5], "all");
		c[6][0] = '\0';
		if (json_is_true(json_object_get(b, "readonly")))
			n += snprintf(c[6] + n, sizeof(c[6]) - n, "readonly");
		fab = json_object_get(b, "fabric");
		json_object_foreach((json_t *)fab, key, o) {
			char val[256];

			/* A secret stays in the configuration, not on a screen. */
			if (strstr(key, "secret"))
				snprintf(val, sizeof(val), "(set)");
			else
				cell_of(o, val, sizeof(val));
			if (n < sizeof(c[6]))
				n += snprintf(c[6] + n, sizeof(c[6]) - n, "%s%s=%s",
					      n ? "," : "", key, val);
		}
		if (!c[6][0])
			strcpy(c[6], "-");
		for (k = 0; k < 7; k++)
			row[k] = c[k];
		table_add(&t, row);
	}
	table_print(f, &t);
}

/* Objects as rows: column i shows key[i] under head[i]. */
static void print_objects(FILE *f, const json_t *objs, char *const *head,
			  const char *const *key, unsigned int cols)
{
	struct table t = { .cols = cols };
	char c[LCTL_MAX_COLS][256];
	char *row[LCTL_MAX_COLS];
	const json_t *o;
	unsigned int k;
	size_t i;

	table_add(&t, head);
	json_array_foreach((json_t *)objs, i, o) {
		for (k = 0; k < cols; k++) {
			cell_of(json_object_get(o, key[k]), c[k], sizeof(c[k]));
			row[k] = c[k];
			/* runtime_pid 0: nobody serves it; no backend note. */
			if (!strcmp(key[k], "runtime_pid") && !strcmp(c[k], "0"))
				strcpy(c[k], "none");
			if (!c[k][0])
				strcpy(c[k], "-");
		}
		table_add(&t, row);
	}
	table_print(f, &t);
}

void lctl_print_mdevs(FILE *f, const json_t *mdevs)
{
	static char *const head[] = { "UUID", "TYPE", "NS_SIZE", "LBA", "RUNTIME",
				      "BACKEND" };
	static const char *const key[] = { "uuid", "type", "ns_size", "lba_size",
					   "runtime_pid", "backend" };

	print_objects(f, mdevs, head, key, 6);
}

void lctl_print_types(FILE *f, const json_t *types)
{
	static char *const head[] = { "TYPE", "QUEUES", "AVAILABLE", "DESCRIPTION" };
	static const char *const key[] = { "type", "queues", "available", "description" };

	print_objects(f, types, head, key, 4);
}

void lctl_print_lines(FILE *f, const json_t *v)
{
	const json_t *s;
	size_t i;

	if (!json_is_array(v)) {
		lctl_print_json(f, v);
		return;
	}
	json_array_foreach((json_t *)v, i, s) {
		if (json_is_string(s))
			fprintf(f, "%s\n", json_string_value(s));
		else
			lctl_print_json(f, s);
	}
}

/*
 * Nanoseconds for people: 950ns, 84.2us, 1.20ms, 2.50s; "-" for the
 * latency of no command (class, its figures).
 */
static void lat_cell(const json_t *cls, const char *key, char *buf, size_t len)
{
	const json_t *v = json_object_get(json_object_get(cls, "lat_ns"), key);
	double ns = (double)json_integer_value(v);

	if (!json_is_integer(v) || !json_integer_value(json_object_get(cls, "cmds")))
		snprintf(buf, len, "-");
	else if (ns < 1e3)
		snprintf(buf, len, "%.0fns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.2fms", ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", ns / 1e9);
}

/* Bytes for people: 512B, 4.0KiB, 1.5MiB, ... */
static void bytes_cell(double b, char *buf, size_t len)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	unsigned int u = 0;

	if (b < 1024) {
		snprintf(buf, len, "%.0fB", b);
		return;
	}
	b /= 1024;
	while (b >= 1024 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
		b /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f%s", b, unit[u]);
}

void lctl_print_stats(FILE *f, const json_t *res)
{
	static char *const head[] = { "UUID", "CLASS", "COMMANDS", "BYTES", "ERRORS",
				      "MEAN", "P50", "P99", "P99.9", "MAX" };
	static const char *const cls[] = { "read", "write", "other" };
	static const char *const pct[] = { "mean", "p50", "p99", "p99_9", "max" };
	struct table t = { .cols = 10 };
	char c[10][64];
	char *row[10];
	const json_t *v;
	unsigned int k, n;
	size_t i;

	table_add(&t, head);
	json_array_foreach(json_object_get(res, "vdevs"), i, v) {
		for (n = 0; n < 3; n++) {
			const json_t *s = json_object_get(v, cls[n]);

			cell_of(json_object_get(v, "uuid"), c[0], sizeof(c[0]));
			snprintf(c[1], sizeof(c[1]), "%s", cls[n]);
			cell_of(json_object_get(s, "cmds"), c[2], sizeof(c[2]));
			bytes_cell((double)json_integer_value(json_object_get(s, "bytes")),
				   c[3], sizeof(c[3]));
			cell_of(json_object_get(s, "errors"), c[4], sizeof(c[4]));
			for (k = 0; k < 5; k++)
				lat_cell(s, pct[k], c[5 + k], sizeof(c[5 + k]));
			for (k = 0; k < 10; k++)
				row[k] = c[k];
			table_add(&t, row);
		}
	}
	table_print(f, &t);
}

void lctl_print_pollers(FILE *f, const json_t *res)
{
	static char *const head[] = { "POLLER", "CPU", "VDEVS", "COMMANDS", "POLLS",
				      "IDLE%", "SLEEPS", "IRQS" };
	static const char *const key[] = { "index", "cpu", "vdevs", "cmds", "polls",
					   NULL, "sleeps", "irqs" };
	struct table t = { .cols = 8 };
	char c[8][64];
	char *row[8];
	const json_t *p;
	unsigned int k;
	size_t i;

	table_add(&t, head);
	json_array_foreach(json_object_get(res, "pollers"), i, p) {
		json_int_t polls = json_integer_value(json_object_get(p, "polls"));
		json_int_t idle = json_integer_value(json_object_get(p, "idle_polls"));

		for (k = 0; k < 8; k++) {
			if (key[k])
				cell_of(json_object_get(p, key[k]), c[k], sizeof(c[k]));
			row[k] = c[k];
		}
		if (json_integer_value(json_object_get(p, "cpu")) < 0)
			strcpy(c[1], "any");
		snprintf(c[5], sizeof(c[5]), "%.1f", polls ? idle * 100.0 / polls : 0.0);
		table_add(&t, row);
	}
	table_print(f, &t);
}

void lctl_print_top(FILE *f, const json_t *iv)
{
	static char *const head[] = { "UUID", "R/S", "W/S", "RMIB/S", "WMIB/S",
				      "R_LAT", "W_LAT", "R_P99", "W_P99", "OTHER/S" };
	struct table t = { .cols = 10 };
	char c[10][64];
	char *row[10];
	const json_t *v;
	unsigned int k;
	size_t i;

	table_add(&t, head);
	json_array_foreach(json_object_get(iv, "vdevs"), i, v) {
		const json_t *r = json_object_get(v, "read");
		const json_t *w = json_object_get(v, "write");
		const json_t *o = json_object_get(v, "other");

		cell_of(json_object_get(v, "uuid"), c[0], sizeof(c[0]));
		snprintf(c[1], sizeof(c[1]), "%.1f",
			 json_real_value(json_object_get(r, "iops")));
		snprintf(c[2], sizeof(c[2]), "%.1f",
			 json_real_value(json_object_get(w, "iops")));
		snprintf(c[3], sizeof(c[3]), "%.2f",
			 json_real_value(json_object_get(r, "bytes_per_s")) / 1048576);
		snprintf(c[4], sizeof(c[4]), "%.2f",
			 json_real_value(json_object_get(w, "bytes_per_s")) / 1048576);
		lat_cell(r, "mean", c[5], sizeof(c[5]));
		lat_cell(w, "mean", c[6], sizeof(c[6]));
		lat_cell(r, "p99", c[7], sizeof(c[7]));
		lat_cell(w, "p99", c[8], sizeof(c[8]));
		snprintf(c[9], sizeof(c[9]), "%.1f",
			 json_real_value(json_object_get(o, "iops")));
		for (k = 0; k < 10; k++)
			row[k] = c[k];
		table_add(&t, row);
	}
	table_print(f, &t);
}
