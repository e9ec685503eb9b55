// SPDX-License-Identifier: GPL-2.0
/*
 * The "card" section of leapiod's JSON configuration
 * (runtime/config/card.c): parsed into the window map, sizes as numbers
 * or with K/M/G/T, and each bad value refused naming its field; a reload
 * that changes it is refused.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/lio_harness.h"
#include "../../runtime/config/config.h"

#define VDEV	"\"vdevs\": [{\"uuid\": \"12345678-9abc-def0-1234-56789abcdef0\", " \
		"\"backend\": {\"type\": \"null\", \"size\": 1048576}}]"

static int parse(const char *card, struct lio_config *c, char *err, size_t n)
{
	char text[2048];

	snprintf(text, sizeof(text), "{%s, \"card\": %s}", VDEV, card);
	lio_config_init(c);
	return lio_config_parse_json(c, text, err, n);
}

TEST(card_section)
{
	struct lio_config c;
	char err[256];

	ASSERT_EQ(0, parse("{\"device\": \"/dev/x\", \"host_window\": ["
			   "{\"phys\": 0, \"len\": \"2G\", \"offset\": 0},"
			   "{\"phys\": \"4G\", \"len\": \"1G\", \"offset\": \"2G\"},"
			   "{\"phys\": \"0x200000000\", \"len\": \"512M\", \"offset\": 3221225472}]}",
			   &c, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_TRUE(c.card.given);
	EXPECT_STREQ("/dev/x", c.card.device);
	ASSERT_EQ(3U, c.card.nr_win);
	EXPECT_EQ(2ULL << 30, c.card.win[0].len);
	EXPECT_EQ(4ULL << 30, c.card.win[1].phys);
	EXPECT_EQ(2ULL << 30, c.card.win[1].off);
	EXPECT_EQ(8ULL << 30, c.card.win[2].phys);
	EXPECT_EQ(512ULL << 20, c.card.win[2].len);
	EXPECT_EQ(3ULL << 30, c.card.win[2].off);
	lio_config_free(&c);

	/* The device has a default; no section: host mode. */
	ASSERT_EQ(0, parse("{\"host_window\": [{\"phys\": 0, \"len\": \"1M\", \"offset\": 0}]}",
			   &c, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ("/dev/leapio_soc", c.card.device);
	lio_config_free(&c);
	lio_config_init(&c);
	ASSERT_EQ(0, lio_config_parse_json(&c, "{" VDEV "}", err, sizeof(err)));
	EXPECT_FALSE(c.card.given);
	lio_config_free(&c);
}

TEST(card_errors_name_the_field)
{
	static const struct { const char *card, *field; } bad[] = {
		{ "[]", "card: must be an object" },
		{ "{\"host_window\": [], \"x\": 1}", "card: unknown key \"x\"" },
		{ "{\"device\": 3, \"host_window\": []}", "card.device" },
		{ "{\"device\": \"\", \"host_window\": []}", "card.device" },
		{ "{}", "card.host_window: missing" },
		{ "{\"host_window\": {}}", "card.host_window: must be an array" },
		{ "{\"host_window\": []}", "card.host_window: empty" },
		{ "{\"host_window\": [3]}", "card.host_window[0]: must be an object" },
		{ "{\"host_window\": [{\"len\": 4096, \"offset\": 0}]}",
		  "card.host_window[0].phys: missing" },
		{ "{\"host_window\": [{\"phys\": 0, \"offset\": 0}]}",
		  "card.host_window[0].len: missing" },
		{ "{\"host_window\": [{\"phys\": 0, \"len\": 4096}]}",
		  "card.host_window[0].offset: missing" },
		{ "{\"host_window\": [{\"phys\": 0, \"len\": 4096, \"offset\": 0, \"size\": 1}]}",
		  "card.host_window[0].size: unknown key" },
		{ "{\"host_window\": [{\"phys\": -4096, \"len\": 4096, \"offset\": 0}]}",
		  "card.host_window[0].phys: -4096: must not be negative" },
		{ "{\"host_window\": [{\"phys\": 0, \"len\": \"2X\", \"offset\": 0}]}",
		  "card.host_window[0].len: \"2X\": not a size" },
		{ "{\"host_window\": [{\"phys\": 0, \"len\": \"-1G\", \"offset\": 0}]}",
		  "card.host_window[0].len" },
		{ "{\"host_window\": [{\"phys\": 0, \"len\": \"99999999999T\", \"offset\": 0}]}",
		  "card.host_window[0].len: \"99999999999T\": larger than 2^64" },
		{ "{\"host_window\": [{\"phys\": 0, \"len\": true, \"offset\": 0}]}",
		  "card.host_window[0].len: must be a number" },
		{ "{\"host_window\": [{\"phys\": 0, \"len\": 4097, \"offset\": 0}]}",
		  "card.host_window[0].len: 0x1001 is not a multiple" },
		{ "{\"host_window\": [{\"phys\": 0, \"len\": \"1G\", \"offset\": 0},"
		  "{\"phys\": \"512M\", \"len\": \"1G\", \"offset\": \"1G\"}]}",
		  "card.host_window[1].phys" },
		{ "{\"host_window\": [{\"phys\": 0, \"len\": \"1G\", \"offset\": 0},"
		  "{\"phys\": \"4G\", \"len\": \"1G\", \"offset\": \"512M\"}]}",
		  "card.host_window[1].offset" },
	};
	struct lio_config c;
	char err[256];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		EXPECT_EQ(-EINVAL, parse(bad[i].card, &c, err, sizeof(err)))
			TH_LOG("%s", bad[i].card);
		EXPECT_NE(NULL, strstr(err, bad[i].field))
			TH_LOG("\"%s\" does not say \"%s\"", err, bad[i].field);
		lio_config_free(&c);
	}
}

TEST(reload_cannot_change_the_card)
{
	struct lio_config a, b;
	struct lio_change *ch = NULL;
	char err[256];

	ASSERT_EQ(0, parse("{\"host_window\": [{\"phys\": 0, \"len\": \"1M\", \"offset\": 0}]}",
			   &a, err, sizeof(err)));
	ASSERT_EQ(0, parse("{\"host_window\": [{\"phys\": 0, \"len\": \"2M\", \"offset\": 0}]}",
			   &b, err, sizeof(err)));
	ASSERT_EQ(0, lio_config_finish(&a, -1, err, sizeof(err)));
	ASSERT_EQ(0, lio_config_finish(&b, -1, err, sizeof(err)));
	EXPECT_EQ(-EINVAL, lio_config_diff(&a, &b, &ch, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "card: changed"));
	free(ch);
	ch = NULL;
	/* The same card: nothing to change. */
	EXPECT_EQ(0, lio_config_diff(&a, &a, &ch, err, sizeof(err)));
	free(ch);
	lio_config_free(&a);
	lio_config_free(&b);
}

TEST_HARNESS_MAIN
