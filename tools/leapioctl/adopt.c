// SPDX-License-Identifier: GPL-2.0
/* leapioctl: leapiod serves the mdevs whose backend note says so (adopt.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lio_env.h"
#include "../../common/leapio/mdev_attrs.h"
#include "../../runtime/config/config.h"
#include "../../runtime/control/rpc.h"
#include "adopt.h"
#include "client.h"
#include "mdev.h"

json_t *lctl_vdev_spec(const char *spec, char *err, size_t errlen)
{
	struct lio_config cfg;
	json_t *v = NULL;

	lio_config_init(&cfg);
	if (!lio_config_add_vdev_arg(&cfg, spec, err, errlen))
		v = lio_config_vdev_json(&cfg.vdevs[0]);
	lio_config_free(&cfg);
	return v;
}

json_t *lctl_backend_vdev(const char *uuid, const char *backend, char *err,
			  size_t errlen)
{
	char spec[LIO_UUID_STR_LEN + LEAPIO_BACKEND_MAX + 2];

	snprintf(spec, sizeof(spec), "%s=%s", uuid, backend);
	return lctl_vdev_spec(spec, err, errlen);
}

/* Mdev uuid, whose note is backend (not empty), as lctl_adopt_one(). */
static int adopt(const char *socket, const char *uuid, const char *backend, FILE *out)
{
	char err[1024];
	long long code = 0;
	json_t *v, *r;
	int ret;

	ret = lctl_call_code(socket, "vdev_get", json_pack("{s:s}", "uuid", uuid), &r,
			     &code, err, sizeof(err));
	if (ret == LCTL_OK) {
		fprintf(out, "%s: served already (backend %s)\n", uuid,
			json_string_value(json_object_get(json_object_get(r, "backend"),
							  "path")) ?: "null");
		json_decref(r);
		return LCTL_OK;
	}
	if (ret != LCTL_FAILED || code != LIO_RPC_NO_SUCH_VDEV) {
		fprintf(stderr, "leapioctl: vdev_get %s: %s\n", uuid, err);
		return ret;
	}
	v = lctl_backend_vdev(uuid, backend, err, sizeof(err));
	if (!v) {
		fprintf(stderr, "leapioctl: mdev %s: leapio/backend %s: %s\n", uuid,
			backend, err);
		return LCTL_FAILED;
	}
	/* Its record is the note: leapiod's reloads keep it, saves leave it out. */
	json_object_set_new(v, "adopted", json_true());
	ret = lctl_call(socket, "vdev_add", v, &r, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "leapioctl: vdev_add %s=%s: %s\n", uuid, backend, err);
		return ret;
	}
	json_decref(r);
	fprintf(out, "%s: added (backend %s)\n", uuid, backend);
	return LCTL_OK;
}

int lctl_adopt_one(const char *root, const char *socket, const char *uuid,
		   FILE *out)
{
	char backend[LEAPIO_BACKEND_MAX + 2];
	int ret = lctl_mdev_attr(root, uuid, "backend", backend, sizeof(backend));

	if (ret) {
		fprintf(stderr, "leapioctl: mdev %s: leapio/backend: %s%s\n", uuid,
			strerror(-ret), ret == -ENOENT ?
			" (no such mdev, or its driver has no backend note)" : "");
		return LCTL_FAILED;
	}
	if (!*backend) {
		fprintf(out, "%s: no backend note\n", uuid);
		return LCTL_OK;
	}
	return adopt(socket, uuid, backend, out);
}

int lctl_adopt_all(const char *root, const char *socket, FILE *out)
{
	char err[1024];
	json_t *list = lctl_mdev_list(root, err, sizeof(err)), *m;
	int ret = LCTL_OK, r;
	size_t i;

	if (!list) {
		fprintf(stderr, "leapioctl: vdev adopt: %s\n", err);
		return LCTL_FAILED;
	}
	json_array_foreach(list, i, m) {
		const char *b = json_string_value(json_object_get(m, "backend"));

		/* Quietly past mdevs without a note: most have none. */
		if (!b || !*b)
			continue;
		r = adopt(socket, json_string_value(json_object_get(m, "uuid")), b, out);
		if (r && !ret)
			ret = r;
		if (r == LCTL_NO_DAEMON)
			break;
	}
	json_decref(list);
	return ret;
}
