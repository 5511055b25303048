/* libFuzzer harness: an answer of Uber's Vehicle Suppliers API through
 * every parser of uber_json.c (token, error, organisations, a page of
 * each stream) and the input as an amountE5.
 * Invariants: a failed outcome carries a message; a page never gives the
 * sink more items than its list holds; the next page token holds no
 * blank; a row given to the sink has what its table requires (a
 * payment its key, driver, start, net and payout);
 * an accepted amountE5 is its value / 1000 rounded half away from zero. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "connectors/uber_json.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static size_t	given;

/* What each table's rows must hold, as the loader requires. */
static int
on_record(void *c, enum canon_table t, const struct canon_record *r)
{
	(void)c;
	switch (t) {
	case CANON_TRIPS:
		if (!r->set[TRIP_SOURCE_KEY] || !r->set[TRIP_DRIVER_REF] ||
		    !r->set[TRIP_STARTED_AT] || !r->set[TRIP_NET_EARNINGS] ||
		    !r->set[TRIP_PAYOUT] || strlen(r->text[TRIP_CURRENCY]) != 3)
			abort();
		break;
	case CANON_PLATFORM_DRIVERS:
		if (!r->set[PDRV_SOURCE_KEY] || !r->set[PDRV_DRIVER_REF])
			abort();
		break;
	case CANON_PLATFORM_VEHICLES:
		if (!r->set[PVEH_SOURCE_KEY])
			abort();
		break;
	case CANON_DRIVER_STATES:
		if (!r->set[DST_SOURCE_KEY] || !r->set[DST_DRIVER_REF] ||
		    !r->set[DST_STATE] || strlen(r->text[DST_AT]) != 22)
			abort();
		break;
	default:
		abort();
	}
	given++;
	return 0;
}

static int
on_reject(void *c, size_t line, const char *col, const char *v,
    const char *why)
{
	(void)c;
	(void)line;
	(void)v;
	if (col == NULL || why == NULL || *why == '\0')
		abort();
	return 0;
}

static void
failed_says_why(const struct connector_outcome *o)
{
	if (o->result != CONN_OK && o->result != CONN_STOPPED &&
	    o->message[0] == '\0')
		abort();
}

static void
amount(const char *s, size_t n)
{
	char		 buf[32];
	json_t		*v;
	long long	 c, e5;

	if (n == 0 || n >= sizeof(buf))
		return;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if ((v = json_string(buf)) == NULL)
		return;
	if (uber_e5_cents(v, &c) == NULL) {
		e5 = strtoll(buf, NULL, 10);
		if (c != (e5 < 0 ? -((-e5 + 500) / 1000) : (e5 + 500) / 1000))
			abort();
	}
	json_decref(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum uber_stream streams[] = { UBER_DRIVERS,
		UBER_VEHICLES, UBER_STATUS, UBER_PAYMENTS };
	struct uber_sink		 sink = { NULL, on_record, on_reject,
		"2025-12-02 10:00:00+00" };
	struct connector_outcome	 out;
	struct uber_token		*t;
	struct uber_page		 page;
	const char			*s = (const char *)data;
	json_t				*ids, *doc;
	size_t				 i, listed;
	static const char *const	 lists[] = { "driverInformation",
		"vehicles", "driverStatusOverviews", "earnerPaymentBreakdowns" };

	amount(s, size);
	if ((t = malloc(sizeof(*t))) == NULL)
		return 0;
	connector_outcome_init(&out);
	uber_token_parse(size % 2 ? 200 : 401, s, size, t, &out);
	failed_says_why(&out);
	if (out.result == CONN_OK && (t->access_token[0] == '\0' ||
	    strpbrk(t->access_token, " \r\n") != NULL))
		abort();
	connector_outcome_clear(&out);
	free(t);

	connector_outcome_init(&out);
	uber_api_error(403, s, size, "les chauffeurs", &out);
	if (out.result != CONN_CONFIG)
		abort();
	connector_outcome_clear(&out);

	connector_outcome_init(&out);
	ids = uber_orgs_parse(s, size, &out);
	failed_says_why(&out);
	if ((ids == NULL) != (out.result != CONN_OK) ||
	    (ids != NULL && json_array_size(ids) == 0))
		abort();
	json_decref(ids);
	connector_outcome_clear(&out);

	doc = json_loadb(s, size, JSON_REJECT_DUPLICATES, NULL);
	for (i = 0; i < sizeof(streams) / sizeof(streams[0]); i++) {
		listed = json_array_size(json_object_get(doc, lists[i]));
		given = 0;
		connector_outcome_init(&out);
		uber_page_parse(streams[i], s, size, &sink, &page, &out);
		failed_says_why(&out);
		if (given != page.items || page.items + page.rejected > listed ||
		    strpbrk(page.next_token, " \t\r\n") != NULL)
			abort();
		connector_outcome_clear(&out);
	}
	json_decref(doc);
	return 0;
}
