/* libFuzzer harness: Bolt's answers through the parsers of
 * fcgi/connectors/bolt_parse.c — the token, the envelope, and each row of
 * the envelope's data (orders, drivers, vehicles, state logs) into a
 * canonical record.
 * Invariants: nothing crashes or leaks; a token parsed is NUL-ended,
 * shorter than its buffer and made of token characters, with a positive
 * lifetime; an envelope with code 0 has an object for data, any other has
 * none; a record accepted has its source key set, every text column it
 * set NUL-ended within CANON_TEXT_MAX, and a state log's state one of
 * Bolt's four. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "connectors/bolt_api.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

typedef const char *(*parser)(const json_t *, struct canon_record *,
    const char **);

static const struct {
	const char	*key;
	parser		 parse;
	int		 source_key;
	size_t		 ncolumns;
} rows[] = {
	{ "orders", bolt_parse_order, TRIP_SOURCE_KEY, TRIP_NCOLUMNS },
	{ "drivers", bolt_parse_driver, PDRV_SOURCE_KEY, PDRV_NCOLUMNS },
	{ "vehicles", bolt_parse_vehicle, PVEH_SOURCE_KEY, PVEH_NCOLUMNS },
	{ "state_logs", bolt_parse_state_log, DST_SOURCE_KEY, DST_NCOLUMNS },
};

static struct canon_record	rec;

static void
check_record(size_t k)
{
	size_t	c;

	if (!rec.set[rows[k].source_key] || rec.text[rows[k].source_key][0] ==
	    '\0')
		abort();
	for (c = 0; c < rows[k].ncolumns; c++)
		if (rec.set[c] && memchr(rec.text[c], '\0', CANON_TEXT_MAX) ==
		    NULL)
			abort();
	if (rows[k].parse == bolt_parse_state_log &&
	    strcmp(rec.text[DST_STATE], "inactive") != 0 &&
	    strcmp(rec.text[DST_STATE], "busy") != 0 &&
	    strcmp(rec.text[DST_STATE], "has_order") != 0 &&
	    strcmp(rec.text[DST_STATE], "waiting_orders") != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bolt_envelope	 env;
	char			 token[64];
	long			 expires;
	const char		*why, *column;
	long long		 ids[8];
	json_t			*row;
	size_t			 i, k;

	if (bolt_parse_token((const char *)data, size, token, sizeof(token),
	    &expires) == 0 && (memchr(token, '\0', sizeof(token)) == NULL ||
	    strchr(token, '\r') != NULL || strchr(token, '\n') != NULL ||
	    expires <= 0))
		abort();
	if (bolt_parse_envelope((const char *)data, size, &env) == -1)
		return 0;
	if ((env.code == 0) != (env.data != NULL) ||
	    (env.data != NULL && !json_is_object(env.data)))
		abort();
	if (env.data == NULL)
		return 0;
	if (bolt_parse_companies(env.data, ids, 8) > 8)
		abort();
	for (k = 0; k < sizeof(rows) / sizeof(rows[0]); k++)
		json_array_foreach(json_object_get(env.data, rows[k].key), i,
		    row) {
			why = rows[k].parse(row, &rec, &column);
			if (why == NULL)
				check_record(k);
			else if (column == NULL)
				abort();
		}
	json_decref(env.data);
	return 0;
}
