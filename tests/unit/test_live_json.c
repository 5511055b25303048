/* The live platforms' answers without a network: Uber's token, errors,
 * organisations and pages (amountE5 to cents, the payment tree into a
 * trip), Heetch's earnings answer from memory and its auth gateway's
 * steps, expiry and a pasted session. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/heetch_json.h"
#include "connectors/heetch_session.h"
#include "connectors/uber_json.h"

/* ---- amountE5 ---------------------------------------------------------------- */

static long long
cents_of(json_t *v)
{
	long long	 c = -999;
	const char	*why = uber_e5_cents(v, &c);

	json_decref(v);
	if (why != NULL)
		fail_msg("refused: %s", why);
	return c;
}

static void
test_e5_cents(void **state)
{
	long long	c;
	json_t		*v;

	(void)state;
	assert_int_equal(cents_of(json_string("1840000")), 1840);
	assert_int_equal(cents_of(json_integer(1840000)), 1840);
	assert_int_equal(cents_of(json_string("-510000")), -510);
	/* Not whole cents: half away from zero. */
	assert_int_equal(cents_of(json_string("1234500")), 1235);
	assert_int_equal(cents_of(json_string("-1234500")), -1235);
	assert_int_equal(cents_of(json_string("1234499")), 1234);
	assert_int_equal(cents_of(json_string("-1234499")), -1234);
	assert_int_equal(cents_of(json_string("499")), 0);
	assert_int_equal(cents_of(json_string("500")), 1);
	assert_int_equal(cents_of(json_string("0")), 0);
	/* Exactly, far beyond what a double keeps. */
	assert_int_equal(cents_of(json_string("123456789012345678")),
	    123456789012346LL);
	v = json_string("12.5");
	assert_non_null(uber_e5_cents(v, &c));
	json_decref(v);
	v = json_string("");
	assert_non_null(uber_e5_cents(v, &c));
	json_decref(v);
	v = json_string("-");
	assert_non_null(uber_e5_cents(v, &c));
	json_decref(v);
	v = json_string("1234567890123456789");
	assert_non_null(uber_e5_cents(v, &c));
	json_decref(v);
	v = json_real(12.5);
	assert_non_null(uber_e5_cents(v, &c));
	json_decref(v);
	assert_non_null(uber_e5_cents(NULL, &c));
}

/* ---- token and errors ----------------------------------------------------------------- */

static void
token(int status, const char *body, enum connector_result want,
    const char *words)
{
	struct uber_token		 t;
	struct connector_outcome	 out;

	connector_outcome_init(&out);
	uber_token_parse(status, body, strlen(body), &t, &out);
	if (out.result != want || (words && strstr(out.message, words) == NULL))
		fail_msg("HTTP %d %s: %d «%s»", status, body, out.result,
		    out.message);
	connector_outcome_clear(&out);
}

static void
test_uber_token(void **state)
{
	struct uber_token		 t;
	struct connector_outcome	 out;
	const char			*ok = "{\"access_token\":\"abc.def\","
	    "\"token_type\":\"Bearer\",\"expires_in\":2592000,\"scope\":"
	    "\"supplier.partner.payments\"}";

	(void)state;
	connector_outcome_init(&out);
	uber_token_parse(200, ok, strlen(ok), &t, &out);
	assert_int_equal(out.result, CONN_OK);
	assert_string_equal(t.access_token, "abc.def");
	assert_int_equal(t.expires_in, 2592000);
	assert_string_equal(t.scope, "supplier.partner.payments");
	connector_outcome_clear(&out);
	token(401, "{\"error\":\"invalid_client\"}", CONN_CONFIG, "refuse ces identifiants");
	token(400, "{\"error\":\"invalid_scope\",\"error_description\":\"x\"}",
	    CONN_CONFIG, "Identifiants valides, mais");
	token(400, "{\"error\":\"unauthorized_client\"}", CONN_CONFIG, "suspendue");
	token(503, "<html>down</html>", CONN_TRANSIENT, "HTTP 503");
	token(429, "", CONN_TRANSIENT, "nouvel essai");
	token(400, "{\"error\":\"unsupported_grant_type\"}", CONN_CONFIG, "HTTP 400");
	/* A 200 without a token is not a success. */
	token(200, "{\"token_type\":\"Bearer\"}", CONN_TRANSIENT, "inattendue");
	token(200, "{\"access_token\":\"a b\"}", CONN_TRANSIENT, NULL);
	token(200, "not json", CONN_TRANSIENT, NULL);
}

static void
test_uber_api_errors(void **state)
{
	struct connector_outcome	 out;
	const char			*forbidden = "{\"code\":\"forbidden\","
	    "\"message\":\"This endpoint requires at least one of the "
	    "following scopes: supplier.partner.payments\"}";

	(void)state;
	connector_outcome_init(&out);
	uber_api_error(403, forbidden, strlen(forbidden), "les paiements", &out);
	assert_int_equal(out.result, CONN_CONFIG);
	assert_non_null(strstr(out.message, "sans droit sur les paiements"));
	assert_non_null(strstr(out.detail, "supplier.partner.payments"));
	connector_outcome_clear(&out);
	connector_outcome_init(&out);
	uber_api_error(502, "", 0, "les chauffeurs", &out);
	assert_int_equal(out.result, CONN_TRANSIENT);
	connector_outcome_clear(&out);
	connector_outcome_init(&out);
	uber_api_error(401, "{}", 2, "les chauffeurs", &out);
	assert_int_equal(out.result, CONN_CONFIG);
	connector_outcome_clear(&out);
}

static void
test_uber_orgs(void **state)
{
	struct connector_outcome	 out;
	const char			*two = "{\"organizations\":[{\"id\":"
	    "\"/PzF+W4/Q==\",\"name\":\"Flotte\"},{\"id\":\"\"},{\"name\":\"x\"}]}";
	json_t				*ids;

	(void)state;
	connector_outcome_init(&out);
	ids = uber_orgs_parse(two, strlen(two), &out);
	assert_int_equal(out.result, CONN_OK);
	assert_int_equal(json_array_size(ids), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ids,
	    0), "id")), "/PzF+W4/Q==");
	json_decref(ids);
	connector_outcome_clear(&out);
	connector_outcome_init(&out);
	assert_null(uber_orgs_parse("{\"organizations\":[]}", 20, &out));
	assert_int_equal(out.result, CONN_CONFIG);
	assert_non_null(strstr(out.message, "aucune organisation"));
	connector_outcome_clear(&out);
	connector_outcome_init(&out);
	assert_null(uber_orgs_parse("{}", 2, &out));
	assert_int_equal(out.result, CONN_TRANSIENT);
	connector_outcome_clear(&out);
}

/* ---- pages ------------------------------------------------------------------------ */

struct got {
	int			 rows[5], rejects, stop_after;
	struct canon_record	 last[5];
	struct canon_record	 trip;
	char			 reason[256];
};

static int
on_record(void *ctx, enum canon_table t, const struct canon_record *r)
{
	struct got	*g = ctx;

	memcpy(&g->last[t], r, sizeof(*r));
	if (t == CANON_TRIPS)
		memcpy(&g->trip, r, sizeof(*r));
	return ++g->rows[t] == g->stop_after;
}

static int
on_trip(void *ctx, const struct canon_record *r)
{
	return on_record(ctx, CANON_TRIPS, r);
}

static int
on_reject(void *ctx, size_t line, const char *col, const char *value,
    const char *why)
{
	struct got	*g = ctx;

	(void)line;
	(void)col;
	(void)value;
	snprintf(g->reason, sizeof(g->reason), "%s", why);
	g->rejects++;
	return 0;
}

static void
page(enum uber_stream s, const char *body, struct got *g,
    struct uber_page *p, struct connector_outcome *out)
{
	struct uber_sink	sink = { g, on_record, on_reject,
		"2025-12-02 10:00:00+00" };

	connector_outcome_init(out);
	uber_page_parse(s, body, strlen(body), &sink, p, out);
}

static void
test_uber_drivers_page(void **state)
{
	struct got			*g = calloc(1, sizeof(*g));
	struct uber_page		 p;
	struct connector_outcome	 out;
	struct canon_record		*d;

	(void)state;
	page(UBER_DRIVERS, "{\"driverInformation\":[{\"driverId\":\"d-1\","
	    "\"firstName\":\"Amine\",\"lastName\":\"Benali\",\"email\":"
	    "\"Amine@Example.FR\",\"phoneNumber\":\"06 12 34 56 78\","
	    "\"assignedVehicles\":[{\"vehicleId\":\"v\",\"licensePlate\":"
	    "\"AB-123-CD\"}]},{\"firstName\":\"no id\"}],\"paginationResult\":"
	    "{\"nextPageToken\":\"eyJvIjo1MH0=\"}}", g, &p, &out);
	assert_int_equal(out.result, CONN_OK);
	assert_int_equal(g->rows[CANON_PLATFORM_DRIVERS], 1);
	assert_int_equal((int)p.items, 1);
	assert_int_equal((int)p.rejected, 1);
	assert_int_equal(g->rejects, 1);
	assert_string_equal(p.next_token, "eyJvIjo1MH0=");
	d = &g->last[CANON_PLATFORM_DRIVERS];
	assert_string_equal(d->text[PDRV_SOURCE_KEY], "d-1");
	assert_string_equal(d->text[PDRV_DRIVER_REF], "d-1");
	assert_string_equal(d->text[PDRV_DRIVER_NAME], "Amine Benali");
	assert_string_equal(d->text[PDRV_DRIVER_EMAIL], "amine@example.fr");
	assert_string_equal(d->text[PDRV_DRIVER_PHONE], "+33612345678");
	assert_string_equal(d->text[PDRV_VEHICLE_PLATE], "AB-123-CD");
	connector_outcome_clear(&out);
	/* The last page: no token; "" is the same. */
	page(UBER_DRIVERS, "{\"driverInformation\":[],\"paginationResult\":{}}",
	    g, &p, &out);
	assert_int_equal(out.result, CONN_OK);
	assert_string_equal(p.next_token, "");
	connector_outcome_clear(&out);
	/* A page without its list is an error, never "no driver". */
	page(UBER_DRIVERS, "{\"drivers\":[]}", g, &p, &out);
	assert_int_equal(out.result, CONN_TRANSIENT);
	assert_non_null(strstr(out.message, "driverInformation"));
	connector_outcome_clear(&out);
	/* The sink stops the read. */
	g->rows[CANON_PLATFORM_DRIVERS] = 0;
	g->stop_after = 1;
	page(UBER_DRIVERS, "{\"driverInformation\":[{\"driverId\":\"a\"},"
	    "{\"driverId\":\"b\"}]}", g, &p, &out);
	assert_int_equal(out.result, CONN_STOPPED);
	assert_int_equal(g->rows[CANON_PLATFORM_DRIVERS], 1);
	connector_outcome_clear(&out);
	free(g);
}

static void
test_uber_vehicles_and_status(void **state)
{
	struct got			*g = calloc(1, sizeof(*g));
	struct uber_page		 p;
	struct connector_outcome	 out;
	struct canon_record		*v;

	(void)state;
	page(UBER_VEHICLES, "{\"vehicles\":[{\"vehicleId\":\"v-1\",\"make\":"
	    "\"Toyota\",\"model\":\"Corolla\",\"year\":2022,\"vin\":"
	    "\"JTD123\",\"licensePlate\":\"AB-123-CD\",\"color\":\"Noir\"}]}",
	    g, &p, &out);
	assert_int_equal(out.result, CONN_OK);
	assert_int_equal(g->rows[CANON_PLATFORM_VEHICLES], 1);
	v = &g->last[CANON_PLATFORM_VEHICLES];
	assert_string_equal(v->text[PVEH_SOURCE_KEY], "v-1");
	assert_string_equal(v->text[PVEH_PLATE], "AB-123-CD");
	assert_string_equal(v->text[PVEH_MODEL], "Toyota Corolla");
	assert_string_equal(v->text[PVEH_VIN], "JTD123");
	assert_int_equal(v->num[PVEH_YEAR], 2022);
	connector_outcome_clear(&out);
	page(UBER_STATUS, "{\"driverStatusOverviews\":[{\"driverInfo\":"
	    "{\"driverUuid\":\"d-1\"},\"statusEntries\":[{\"status\":"
	    "\"DRIVER_STATUS_OFFLINE\"},{\"status\":\"DRIVER_STATUS_ONTRIP\","
	    "\"timestamp\":\"1764672000000\"}]}]}", g, &p, &out);
	assert_int_equal(out.result, CONN_OK);
	v = &g->last[CANON_DRIVER_STATES];
	assert_string_equal(v->text[DST_DRIVER_REF], "d-1");
	assert_string_equal(v->text[DST_STATE], "busy");
	assert_string_equal(v->text[DST_AT], "2025-12-02 10:40:00+00");
	assert_string_equal(v->text[DST_SOURCE_KEY], "d-1@2025-12-02 10:40:00+00");
	connector_outcome_clear(&out);
	/* No timestamp: the read's own instant; an unknown status is refused. */
	page(UBER_STATUS, "{\"driverStatusOverviews\":[{\"driverInfo\":"
	    "{\"driverUuid\":\"d-2\"},\"statusEntries\":[{\"status\":"
	    "\"DRIVER_STATUS_ONLINE\"}]},{\"driverInfo\":{\"driverUuid\":"
	    "\"d-3\"},\"statusEntries\":[{\"status\":\"NAPPING\"}]}]}",
	    g, &p, &out);
	assert_string_equal(v->text[DST_STATE], "waiting_orders");
	assert_string_equal(v->text[DST_AT], "2025-12-02 10:00:00+00");
	assert_int_equal(g->rejects, 1);
	assert_non_null(strstr(g->reason, "inconnu"));
	connector_outcome_clear(&out);
	free(g);
}

#define PAYMENT(amounts) "{\"earnerPaymentBreakdowns\":[{\"transactionUuid\":" \
	"\"6b1f3c1e-0001\",\"tripUuid\":\"c0ffee00-0001\",\"earnerUuid\":" \
	"\"d-1\",\"earnerMetadata\":{\"uuid\":\"d-1\",\"name\":\"Amine " \
	"Benali\"},\"processedAt\":\"1764672000000\",\"description\":" \
	"\"trip completed order\",\"paymentBreakdowns\":[" amounts "]}]}"
#define E5(n)	"{\"amountE5\":\"" #n "\",\"currencyCode\":\"EUR\"}"

static void
test_uber_payments(void **state)
{
	struct got			*g = calloc(1, sizeof(*g));
	struct uber_page		 p;
	struct connector_outcome	 out;
	struct canon_record		*t = &g->trip;

	(void)state;
	/* The CSV fixture's second row as the API sends it: 30 € fare, 7,50 €
	 * fee, paid in cash. */
	page(UBER_PAYMENTS, PAYMENT(
	    "{\"categoryName\":\"earnings\",\"amount\":" E5(2250000) ","
	    "\"children\":[{\"categoryName\":\"net_fare\",\"amount\":" E5(3000000) "},"
	    "{\"categoryName\":\"service_fee\",\"amount\":" E5(-750000) "}]},"
	    "{\"categoryName\":\"cash_collected\",\"amount\":" E5(-3000000) "}"),
	    g, &p, &out);
	assert_int_equal(out.result, CONN_OK);
	assert_int_equal(g->rows[CANON_TRIPS], 1);
	assert_string_equal(t->text[TRIP_SOURCE_KEY], "6b1f3c1e-0001");
	assert_string_equal(t->text[TRIP_TRIP_REF], "c0ffee00-0001");
	assert_string_equal(t->text[TRIP_DRIVER_REF], "d-1");
	assert_string_equal(t->text[TRIP_DRIVER_NAME], "Amine Benali");
	assert_string_equal(t->text[TRIP_STARTED_AT], "2025-12-02 10:40:00+00");
	assert_string_equal(t->text[TRIP_STATUS], "terminee");
	assert_string_equal(t->text[TRIP_PAYMENT_METHOD], "especes");
	assert_int_equal(t->num[TRIP_NET_EARNINGS], 2250);
	assert_int_equal(t->num[TRIP_GROSS_FARE], 3000);
	assert_int_equal(t->num[TRIP_COMMISSION], 750);
	assert_int_equal(t->num[TRIP_CASH_COLLECTED], 3000);
	assert_int_equal(t->num[TRIP_PAYOUT], -750);
	assert_false(t->set[TRIP_TIPS]);
	assert_string_equal(t->text[TRIP_CURRENCY], "EUR");
	assert_int_equal(p.newest_ms, 1764672000000LL);
	connector_outcome_clear(&out);
	/* Tips and tolls, amounts that are not whole cents: each rounded. */
	page(UBER_PAYMENTS, PAYMENT(
	    "{\"categoryName\":\"earnings\",\"amount\":" E5(1840500) ","
	    "\"children\":[{\"categoryName\":\"tip\",\"amount\":" E5(150049) "}]},"
	    "{\"categoryName\":\"reimbursements\",\"amount\":" E5(320000) ","
	    "\"children\":[{\"categoryName\":\"toll\",\"amount\":" E5(320000) "}]}"),
	    g, &p, &out);
	assert_int_equal(t->num[TRIP_NET_EARNINGS], 1841);
	assert_int_equal(t->num[TRIP_TIPS], 150);
	assert_int_equal(t->num[TRIP_TOLLS], 320);
	/* 18,405 € rounded up; the payout is the sum of the top level as
	 * stored: 18,41 + 3,20. */
	assert_int_equal(t->num[TRIP_PAYOUT], 2161);
	assert_string_equal(t->text[TRIP_PAYMENT_METHOD], "carte");
	connector_outcome_clear(&out);
	/* Unreadable payments are rejected, with why. */
	g->rejects = 0;
	page(UBER_PAYMENTS, PAYMENT("{\"categoryName\":\"earnings\",\"amount\":"
	    "{\"amountE5\":\"12.5\"}}"), g, &p, &out);
	assert_int_equal(out.result, CONN_OK);
	assert_int_equal(g->rejects, 1);
	assert_non_null(strstr(g->reason, "amountE5"));
	connector_outcome_clear(&out);
	page(UBER_PAYMENTS, PAYMENT("{\"categoryName\":\"tip\",\"amount\":" E5(1) "}"),
	    g, &p, &out);
	assert_int_equal(g->rejects, 2);
	assert_non_null(strstr(g->reason, "earnings"));
	connector_outcome_clear(&out);
	page(UBER_PAYMENTS, PAYMENT(
	    "{\"categoryName\":\"earnings\",\"amount\":" E5(100000) "},"
	    "{\"categoryName\":\"cash_collected\",\"amount\":{\"amountE5\":\"1\","
	    "\"currencyCode\":\"USD\"}}"), g, &p, &out);
	assert_int_equal(g->rejects, 3);
	assert_non_null(strstr(g->reason, "devises"));
	connector_outcome_clear(&out);
	/* processedAt in seconds is not a date we accept. */
	page(UBER_PAYMENTS, "{\"earnerPaymentBreakdowns\":[{\"transactionUuid\":"
	    "\"t\",\"earnerUuid\":\"d\",\"processedAt\":1764672000,"
	    "\"paymentBreakdowns\":[]}]}", g, &p, &out);
	assert_int_equal(g->rejects, 4);
	assert_non_null(strstr(g->reason, "millisecondes"));
	connector_outcome_clear(&out);
	page(UBER_PAYMENTS, "{\"earnerPaymentBreakdowns\":[{\"earnerUuid\":\"d\"}]}",
	    g, &p, &out);
	assert_int_equal(g->rejects, 5);
	connector_outcome_clear(&out);
	free(g);
}

/* ---- Heetch ------------------------------------------------------------------------ */

static void
test_heetch_earnings(void **state)
{
	struct got			*g = calloc(1, sizeof(*g));
	struct connector_sink		 sink = { g, on_trip, on_reject, NULL };
	struct connector_outcome	 out;
	struct canon_record		*r = &g->trip;
	char				 start[11];
	size_t				 rows;
	const char			*doc = "{\"currency\":\"EUR\",\"summary\":"
	    "{\"weekly\":{\"start_date\":\"2026-11-16T00:00:00+01:00\","
	    "\"end_date\":\"2026-11-23T00:00:00+01:00\"}},\"drivers\":["
	    "{\"email\":\"Nadia@Example.fr\",\"first_name\":\"Nadia\","
	    "\"last_name\":\"Kaci\",\"earnings\":{\"gross_earnings\":845.6,"
	    "\"net_earnings\":0.285,\"cash_collected\":210,"
	    "\"cancellation_fees\":15,\"cancellation_fee_adjustments\":-2.5,"
	    "\"terminated_rides\":41}},{\"first_name\":\"Sans e-mail\"}]}";

	(void)state;
	connector_outcome_init(&out);
	heetch_earnings_parse(doc, strlen(doc), NULL, &sink, &out, start, &rows);
	assert_int_equal(out.result, CONN_OK);
	assert_string_equal(start, "2026-11-16");
	assert_int_equal((int)rows, 1);
	assert_int_equal(g->rejects, 1);
	assert_string_equal(r->text[EARN_DRIVER_EMAIL], "nadia@example.fr");
	assert_string_equal(r->text[EARN_DRIVER_REF], "nadia@example.fr");
	assert_string_equal(r->text[EARN_DRIVER_NAME], "Nadia Kaci");
	assert_string_equal(r->text[EARN_PERIOD_START], "2026-11-16");
	assert_string_equal(r->text[EARN_PERIOD_END], "2026-11-22");
	assert_string_equal(r->text[EARN_PERIOD], "semaine");
	assert_int_equal(r->num[EARN_GROSS], 84560);
	/* 0.285 is the binary just below; read as the decimal it stands for. */
	assert_int_equal(r->num[EARN_NET], 29);
	assert_int_equal(r->num[EARN_CASH], 21000);
	assert_int_equal(r->num[EARN_CANCELLATION], 1250);
	assert_int_equal(r->num[EARN_RIDES_DONE], 41);
	assert_non_null(strstr(r->text[EARN_SOURCE_KEY], "nadia@example.fr"));
	assert_non_null(strstr(r->text[EARN_SOURCE_KEY], "2026-11-16"));
	connector_outcome_clear(&out);
	/* An empty week is a week, not an error: its start is known. */
	connector_outcome_init(&out);
	doc = "{\"summary\":{\"weekly\":{\"start_date\":"
	    "\"2026-11-23T00:00:00+01:00\",\"end_date\":\"2026-11-30T00:00:00"
	    "+01:00\"}},\"drivers\":[]}";
	heetch_earnings_parse(doc, strlen(doc), NULL, &sink, &out, start, &rows);
	assert_int_equal(out.result, CONN_OK);
	assert_string_equal(start, "2026-11-23");
	assert_int_equal((int)rows, 0);
	connector_outcome_clear(&out);
	connector_outcome_init(&out);
	heetch_earnings_parse("{\"drivers\":[]}", 14, NULL, &sink, &out, start,
	    &rows);
	assert_int_equal(out.result, CONN_CONFIG);
	assert_string_equal(start, "");
	connector_outcome_clear(&out);
	connector_outcome_init(&out);
	heetch_earnings_parse("<!doctype html>", 15, NULL, &sink, &out, start,
	    &rows);
	assert_int_equal(out.result, CONN_CONFIG);
	assert_int_equal((int)out.line, 1);
	connector_outcome_clear(&out);
	free(g);
}

static void
auth(int status, const char *body, struct heetch_auth *a)
{
	heetch_auth_parse(status, body, strlen(body), a);
}

static void
test_heetch_auth_steps(void **state)
{
	struct heetch_auth	a;

	(void)state;
	auth(201, "{\"state\":\"sms_code_required\",\"token\":\"q7S3-Zas\","
	    "\"phone_number\":\"+33•••59\",\"code_length\":6,\"expires_in\":300}", &a);
	assert_int_equal(a.step, HEETCH_STEP_SMS_CODE);
	assert_string_equal(a.token, "q7S3-Zas");
	assert_int_equal(a.expires_in, 300);
	assert_int_equal(a.code_length, 6);
	auth(200, "{\"state\":\"password_required\"}", &a);
	assert_int_equal(a.step, HEETCH_STEP_PASSWORD);
	auth(200, "{\"state\":\"authenticated\",\"redirect_url\":"
	    "\"https://driver.heetch.com/auth_callback?code=XYZ\"}", &a);
	assert_int_equal(a.step, HEETCH_STEP_AUTHENTICATED);
	assert_string_equal(a.redirect_path, "/auth_callback?code=XYZ");
	/* Never a redirect to another host. */
	auth(200, "{\"state\":\"authenticated\",\"redirect_url\":"
	    "\"https://driver.heetch.com.evil.test/x\"}", &a);
	assert_int_equal(a.step, HEETCH_STEP_ERROR);
	auth(200, "{\"state\":\"authenticated\",\"redirect_url\":"
	    "\"https://driver.heetch.com//evil.test/x\"}", &a);
	assert_int_equal(a.step, HEETCH_STEP_ERROR);
	auth(200, "{\"state\":\"authentication_required\"}", &a);
	assert_int_equal(a.step, HEETCH_STEP_START);
	/* A token that could break a header is refused. */
	auth(201, "{\"state\":\"sms_code_required\",\"token\":\"a\\r\\nb\"}", &a);
	assert_int_equal(a.step, HEETCH_STEP_ERROR);
	auth(201, "{\"state\":\"sms_code_required\"}", &a);
	assert_int_equal(a.step, HEETCH_STEP_ERROR);
	auth(200, "{\"state\":\"weird\"}", &a);
	assert_int_equal(a.step, HEETCH_STEP_ERROR);
	assert_int_equal(a.result, CONN_TRANSIENT);
}

static void
test_heetch_auth_errors(void **state)
{
	struct heetch_auth	a;

	(void)state;
	auth(422, "{\"error\":\"invalid_code\",\"message\":\"Wrong code\","
	    "\"attempts_left\":4}", &a);
	assert_int_equal(a.step, HEETCH_STEP_ERROR);
	assert_int_equal(a.ask_again, 1);
	assert_int_equal(a.attempts_left, 4);
	assert_non_null(strstr(a.message, "Code SMS incorrect"));
	auth(410, "{\"error\":\"code_expired\"}", &a);
	assert_int_equal(a.ask_again, 1);
	assert_non_null(strstr(a.message, "expiré"));
	auth(401, "{\"error\":\"invalid_credentials\"}", &a);
	assert_int_equal(a.ask_again, 0);
	assert_int_equal(a.result, CONN_CONFIG);
	assert_non_null(strstr(a.message, "mot de passe"));
	auth(403, "{\"error\":\"account_locked\"}", &a);
	assert_non_null(strstr(a.message, "verrouillé"));
	auth(403, "{\"error\":\"recaptcha_required\"}", &a);
	assert_non_null(strstr(a.message, "cookie de session"));
	auth(404, "{\"error\":\"unknown_phone_number\"}", &a);
	assert_non_null(strstr(a.message, "numéro"));
	auth(502, "<html>", &a);
	assert_int_equal(a.result, CONN_TRANSIENT);
	auth(418, "{\"error\":\"teapot\"}", &a);
	assert_int_equal(a.result, CONN_CONFIG);
	assert_non_null(strstr(a.message, "teapot"));
}

static void
test_heetch_answers(void **state)
{
	char	m[512];

	(void)state;
	assert_int_equal(heetch_answer_kind(200, "application/json; charset=utf-8",
	    NULL, m, sizeof(m)), HEETCH_ANSWER_OK);
	assert_int_equal(heetch_answer_kind(307, "text/html",
	    "https://auth.heetch.com/?client_id=driver-portal", m, sizeof(m)),
	    HEETCH_ANSWER_EXPIRED);
	assert_non_null(strstr(m, "expiré"));
	assert_int_equal(heetch_answer_kind(401, NULL, NULL, m, sizeof(m)),
	    HEETCH_ANSWER_EXPIRED);
	assert_int_equal(heetch_answer_kind(403, NULL, NULL, m, sizeof(m)),
	    HEETCH_ANSWER_EXPIRED);
	/* A redirect elsewhere is not the login. */
	assert_int_equal(heetch_answer_kind(307, NULL,
	    "https://auth.heetch.com.evil.test/", m, sizeof(m)), HEETCH_ANSWER_ERROR);
	/* The portal's HTML shell is not an answer, nor an expiry. */
	assert_int_equal(heetch_answer_kind(200, "text/html", NULL, m, sizeof(m)),
	    HEETCH_ANSWER_ERROR);
	assert_int_equal(heetch_answer_kind(503, NULL, NULL, m, sizeof(m)),
	    HEETCH_ANSWER_TRANSIENT);
	assert_int_equal(heetch_answer_kind(429, NULL, NULL, m, sizeof(m)),
	    HEETCH_ANSWER_TRANSIENT);
}

static void
test_heetch_paste(void **state)
{
	struct cookiejar	*j = calloc(1, sizeof(*j));
	char			 m[512];
	const char		*full = "heetch_driver_session=abc; heetch_auth_token=t";

	(void)state;
	assert_int_equal(heetch_session_paste(j, full, strlen(full), m, sizeof(m)), 0);
	assert_true(heetch_session_usable(j, 0));
	assert_string_equal(cookiejar_get(j, HEETCH_TOKEN_COOKIE, 0), "t");
	assert_int_equal(heetch_session_paste(j, " Zm9v-YmFy\n", 11, m, sizeof(m)), 0);
	assert_string_equal(cookiejar_get(j, HEETCH_SESSION_COOKIE, 0), "Zm9v-YmFy");
	assert_null(cookiejar_get(j, HEETCH_TOKEN_COOKIE, 0));
	/* Another site's cookies, or text that is no cookie: refused, jar kept. */
	assert_int_equal(heetch_session_paste(j, "other=1", 7, m, sizeof(m)), -1);
	assert_non_null(strstr(m, HEETCH_SESSION_COOKIE));
	assert_int_equal(heetch_session_paste(j, "two words", 9, m, sizeof(m)), -1);
	assert_int_equal(heetch_session_paste(j, "  ", 2, m, sizeof(m)), -1);
	assert_string_equal(cookiejar_get(j, HEETCH_SESSION_COOKIE, 0), "Zm9v-YmFy");
	free(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_e5_cents),
		cmocka_unit_test(test_uber_token),
		cmocka_unit_test(test_uber_api_errors),
		cmocka_unit_test(test_uber_orgs),
		cmocka_unit_test(test_uber_drivers_page),
		cmocka_unit_test(test_uber_vehicles_and_status),
		cmocka_unit_test(test_uber_payments),
		cmocka_unit_test(test_heetch_earnings),
		cmocka_unit_test(test_heetch_auth_steps),
		cmocka_unit_test(test_heetch_auth_errors),
		cmocka_unit_test(test_heetch_answers),
		cmocka_unit_test(test_heetch_paste),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
