/* Unit tests of Bolt's parsers (fcgi/connectors/bolt_parse.c): the token,
 * the envelope (code ≠ 0 is an error, never rows), money to cents, and an
 * order, a driver, a vehicle and a state log into canonical records. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "connectors/bolt_api.h"

/* A literal and its length. */
#define T(s)	(s), strlen(s)

static void
test_token(void **state)
{
	char	t[64];
	long	e;

	(void)state;
	assert_int_equal(bolt_parse_token(T("{\"access_token\":\"abc.DEF-1\","
	    "\"expires_in\":600,\"token_type\":\"Bearer\"}"), t, sizeof(t),
	    &e), 0);
	assert_string_equal(t, "abc.DEF-1");
	assert_int_equal(e, 600);
	/* No token, no lifetime, a token with a header break, too long. */
	assert_int_equal(bolt_parse_token(T("{\"expires_in\":600}"), t,
	    sizeof(t), &e), -1);
	assert_int_equal(bolt_parse_token(T("{\"access_token\":\"a\"}"), t,
	    sizeof(t), &e), -1);
	assert_int_equal(bolt_parse_token(T("{\"access_token\":\"a\\r\\nX: y\","
	    "\"expires_in\":600}"), t, sizeof(t), &e), -1);
	assert_int_equal(bolt_parse_token(T("{\"access_token\":\"aaaaaaaaaa\","
	    "\"expires_in\":600}"), t, 8, &e), -1);
	assert_int_equal(bolt_parse_token(T("[]"), t, sizeof(t), &e), -1);
}

static void
test_envelope(void **state)
{
	struct bolt_envelope	e;
	const char		*ok = "{\"code\":0,\"message\":\"OK\",\"data\":"
				    "{\"orders\":[]}}";
	const char		*no = "{\"code\":503,\"message\":\"NOT_AUTHORIZED\","
				    "\"error_hint\":\"COMPANIES_NOT_ALLOWED\"}";

	(void)state;
	assert_int_equal(bolt_parse_envelope(ok, strlen(ok), &e), 0);
	assert_int_equal(e.code, 0);
	assert_non_null(json_object_get(e.data, "orders"));
	json_decref(e.data);
	assert_int_equal(bolt_parse_envelope(no, strlen(no), &e), 0);
	assert_int_equal(e.code, 503);
	assert_null(e.data);
	assert_string_equal(e.hint, "COMPANIES_NOT_ALLOWED");
	/* code 0 without data, no code, not JSON: not an envelope. */
	assert_int_equal(bolt_parse_envelope("{\"code\":0}", 10, &e), -1);
	assert_int_equal(bolt_parse_envelope("{\"data\":{}}", 11, &e), -1);
	assert_int_equal(bolt_parse_envelope("<html>", 6, &e), -1);
}

static void
test_money(void **state)
{
	static const struct {
		const char	*json;
		long long	 cents;
	} cases[] = {
		{ "12.5", 1250 }, { "12.345", 1235 }, { "0.285", 29 },
		{ "-0.005", -1 }, { "-3.2", -320 }, { "7", 700 }, { "0", 0 },
		{ "\"4.99\"", 499 }, { "1.004", 100 }, { "19.994999", 1999 },
	};
	json_error_t	 err;
	json_t		*v;
	long long	 c;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = json_loads(cases[i].json, JSON_DECODE_ANY, &err);
		assert_non_null(v);
		assert_int_equal(bolt_money(v, &c), 0);
		assert_int_equal(c, cases[i].cents);
		json_decref(v);
	}
	v = json_string("douze");
	assert_int_equal(bolt_money(v, &c), -1);
	json_decref(v);
	v = json_real(1e12);
	assert_int_equal(bolt_money(v, &c), -1);
	json_decref(v);
}

static json_t *
parse(const char *s)
{
	json_error_t	err;

	return json_loads(s, 0, &err);
}

static void
test_order(void **state)
{
	struct canon_record	*r = calloc(1, sizeof(*r));
	const char		*col;
	json_t			*o = parse("{\"order_reference\":\"B-1\","
				    "\"driver_uuid\":\"d-1\",\"driver_name\":\"Ana B\","
				    "\"driver_phone\":\"06 12 34 56 78\","
				    "\"payment_method\":\"cash\",\"order_status\":"
				    "\"finished\",\"vehicle_license_plate\":\"AB-123-CD\","
				    "\"order_created_timestamp\":1764000000,"
				    "\"order_pickup_timestamp\":1764000300,"
				    "\"order_finished_timestamp\":1764001800,"
				    "\"ride_distance\":12345,\"order_price\":{"
				    "\"ride_price\":20.505,\"booking_fee\":1,"
				    "\"toll_fee\":null,\"cancellation_fee\":null,\"tip\":2,"
				    "\"net_earnings\":15.38,\"cash_discount\":0.5,"
				    "\"in_app_discount\":null,\"commission\":-5.13}}");

	(void)state;
	assert_null(bolt_parse_order(o, r, &col));
	assert_string_equal(r->text[TRIP_SOURCE_KEY], "B-1");
	assert_string_equal(r->text[TRIP_DRIVER_REF], "d-1");
	assert_string_equal(r->text[TRIP_DRIVER_PHONE], "+33612345678");
	assert_string_equal(r->text[TRIP_STATUS], "terminee");
	assert_string_equal(r->text[TRIP_PAYMENT_METHOD], "especes");
	assert_string_equal(r->text[TRIP_STARTED_AT], "2025-11-24 16:05:00+00");
	assert_int_equal(r->num[TRIP_DISTANCE_M], 12345);
	assert_int_equal(r->num[TRIP_GROSS_FARE], 2051);
	assert_int_equal(r->num[TRIP_BOOKING_FEE], 100);
	assert_false(r->set[TRIP_TOLLS]);
	assert_int_equal(r->num[TRIP_TIPS], 200);
	assert_int_equal(r->num[TRIP_NET_EARNINGS], 1538);
	assert_int_equal(r->num[TRIP_CASH_DISCOUNT], 50);
	assert_int_equal(r->num[TRIP_COMMISSION], 513);
	assert_int_equal(r->num[TRIP_CASH_COLLECTED], 2051);
	json_decref(o);
	/* A cancelled order earns its fee; a status in Bolt's words. */
	o = parse("{\"order_reference\":\"B-2\",\"order_status\":"
	    "\"client_cancelled\",\"payment_method\":\"in_app\","
	    "\"order_created_timestamp\":1764000000,\"order_price\":"
	    "{\"ride_price\":null,\"cancellation_fee\":4.5}}");
	assert_null(bolt_parse_order(o, r, &col));
	assert_string_equal(r->text[TRIP_STATUS], "annulee");
	assert_int_equal(r->num[TRIP_GROSS_FARE], 450);
	assert_int_equal(r->num[TRIP_CANCELLATION_FEE], 450);
	assert_false(r->set[TRIP_CASH_COLLECTED]);
	json_decref(o);
	/* No key: rejected; an unreadable amount names its field. */
	o = parse("{\"driver_uuid\":\"x\"}");
	assert_non_null(bolt_parse_order(o, r, &col));
	assert_string_equal(col, "order_reference");
	json_decref(o);
	o = parse("{\"order_reference\":\"B-3\",\"order_price\":{\"tip\":\"x\"}}");
	assert_non_null(bolt_parse_order(o, r, &col));
	assert_string_equal(col, "tip");
	json_decref(o);
	o = parse("{\"order_reference\":\"B-4\",\"order_created_timestamp\":"
	    "\"yesterday\"}");
	assert_non_null(bolt_parse_order(o, r, &col));
	json_decref(o);
	free(r);
}

static void
test_driver_vehicle_state(void **state)
{
	struct canon_record	*r = calloc(1, sizeof(*r));
	const char		*col;
	json_t			*o;

	(void)state;
	o = parse("{\"driver_uuid\":\"d-9\",\"first_name\":\"Léa\",\"last_name\":"
	    "\"Roy\",\"email\":\"LEA@EX.FR\",\"phone\":\"bad\",\"state\":\"active\","
	    "\"active_vehicle\":{\"reg_number\":\"GH-456-JK\"}}");
	assert_null(bolt_parse_driver(o, r, &col));
	assert_string_equal(r->text[PDRV_DRIVER_NAME], "Léa Roy");
	assert_string_equal(r->text[PDRV_DRIVER_EMAIL], "lea@ex.fr");
	assert_false(r->set[PDRV_DRIVER_PHONE]);	/* dropped, not the row */
	assert_string_equal(r->text[PDRV_VEHICLE_PLATE], "GH-456-JK");
	json_decref(o);
	o = parse("{\"id\":77,\"reg_number\":\"GH-456-JK\",\"year\":2020}");
	assert_null(bolt_parse_vehicle(o, r, &col));
	assert_string_equal(r->text[PVEH_SOURCE_KEY], "id:77");
	assert_int_equal(r->num[PVEH_YEAR], 2020);
	json_decref(o);
	o = parse("{\"model\":\"x\"}");
	assert_non_null(bolt_parse_vehicle(o, r, &col));
	json_decref(o);
	o = parse("{\"driver_uuid\":\"d-9\",\"created\":1764000000,\"state\":"
	    "\"has_order\",\"vehicle_uuid\":\"v-1\"}");
	assert_null(bolt_parse_state_log(o, r, &col));
	assert_string_equal(r->text[DST_SOURCE_KEY], "d-9@1764000000");
	assert_string_equal(r->text[DST_AT], "2025-11-24 16:00:00+00");
	json_decref(o);
	o = parse("{\"driver_uuid\":\"d-9\",\"created\":1764000000,\"state\":"
	    "\"dancing\"}");
	assert_non_null(bolt_parse_state_log(o, r, &col));
	assert_string_equal(col, "state");
	json_decref(o);
	free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_driver_vehicle_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
