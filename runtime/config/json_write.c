// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration back into the JSON file's format (json.c reads it):
 * what the control socket shows of a vdev and what save_config writes,
 * so that a leapiod started from a saved file runs what was running.
 * Only what differs from a default is written, as an operator would.
 */
#include <jansson.h>

#include "config.h"

static void put_opt(void *arg, const char *name, int kind, long n, const char *s)
{
	json_t *o = arg;

	json_object_set_new(o, name, kind == 'i' ? json_integer(n) :
				     kind == 'b' ? json_boolean(n) : json_string(s));
}

/* A "backend" object: the vdev's own, or a namespace's. */
static json_t *backend_json(const struct lio_bdev_cfg *b)
{
	json_t *be = json_pack("{s:s}", "type", lio_bdev_type_name(b->type)), *fab;

	if (!be)
		return NULL;
	if (b->type != LIO_BDEV_NULL)
		json_object_set_new(be, "path", json_string(b->path));
	if (b->offset)
		json_object_set_new(be, "offset", json_integer((json_int_t)b->offset));
	if (b->size)
		json_object_set_new(be, "size", json_integer((json_int_t)b->size));
	if (b->readonly)
		json_object_set_new(be, "readonly", json_true());
	if (b->type == LIO_BDEV_NVMF && (fab = json_object())) {
		lio_nvmf_opts_foreach(&b->nvmf.opts, put_opt, fab);
		if (json_object_size(fab))
			json_object_set(be, "fabric", fab);
		json_decref(fab);
	}
	return be;
}

/* "namespaces", by ascending NSID as they are kept; NULL: out of memory. */
static json_t *namespaces_json(const struct lio_vdev_cfg *v)
{
	json_t *a = json_array();
	unsigned int i;

	for (i = 0; a && i < v->nr_ns; i++) {
		if (json_array_append_new(a, json_pack("{s:i, s:o}", "nsid",
						       (int)v->ns[i].nsid, "backend",
						       backend_json(&v->ns[i].bdev)))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

json_t *lio_config_vdev_json(const struct lio_vdev_cfg *v)
{
	json_t *o = json_pack("{s:s, s:i, s:o}", "uuid", v->uuid, "poller", (int)v->poller,
			      "backend", backend_json(&v->bdev));

	/* None besides NSID 1 is left out, as a file without them reads. */
	if (o && v->nr_ns && json_object_set_new(o, "namespaces", namespaces_json(v))) {
		json_decref(o);
		return NULL;
	}
	if (o && v->pool.bytes &&
	    json_object_set_new(o, "pool", json_pack("{s:s, s:I}", "dir", v->pool.dir,
						     "bytes", (json_int_t)v->pool.bytes))) {
		json_decref(o);
		return NULL;
	}
	if (o && v->adopted)
		json_object_set_new(o, "adopted", json_true());
	return o;
}

static json_t *card_json(const struct lio_card_cfg *cc)
{
	json_t *win = json_array();
	unsigned int i;

	for (i = 0; win && i < cc->nr_win; i++)
		json_array_append_new(win, json_pack("{s:I, s:I, s:I}",
						     "phys", (json_int_t)cc->win[i].phys,
						     "len", (json_int_t)cc->win[i].len,
						     "offset", (json_int_t)cc->win[i].off));
	return win ? json_pack("{s:s, s:o}", "device", cc->device, "host_window", win)
		   : NULL;
}

json_t *lio_config_json(const struct lio_config *c)
{
	json_t *o = json_object(), *pollers = json_array(), *vdevs = json_array();
	unsigned int i;

	if (!o || !pollers || !vdevs)
		goto fail;
	for (i = 0; i < c->nr_pollers; i++) {
		const struct lio_poller_cfg *p = &c->pollers[i];
		json_t *pj = json_pack("{s:i, s:i}", "spin_us", (int)p->spin_us,
				       "idle_poll_us", (int)p->idle_poll_us);

		if (pj && p->cpu >= 0)
			json_object_set_new(pj, "cpu", json_integer(p->cpu));
		if (!pj || json_array_append_new(pollers, pj))
			goto fail;
	}
	/* An adopted vdev's record is its mdev's note, not the file. */
	for (i = 0; i < c->nr_vdevs; i++)
		if (!c->vdevs[i].adopted &&
		    json_array_append_new(vdevs, lio_config_vdev_json(&c->vdevs[i])))
			goto fail;
	if (json_object_set_new(o, "pollers", pollers) ||
	    json_object_set_new(o, "vdevs", vdevs))
		goto fail_o;
	if (c->card.given && json_object_set_new(o, "card", card_json(&c->card)))
		goto fail_o;
	return o;
fail:
	json_decref(pollers);
	json_decref(vdevs);
fail_o:
	json_decref(o);
	return NULL;
}
