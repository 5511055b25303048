/* Unit tests of fcgi/core/db_row.c: a row's JSON written from its
 * columns is the text PostgreSQL 15's row_to_json gives for the same
 * values (the expected strings below are its output), and the jansson
 * object holds the same values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "db_row.h"

/* Column name, type oid, and the value's text as libpq gives it (NULL
 * for SQL NULL). */
static const struct {
	const char	*name;
	Oid		 type;
	const char	*text;
} cols[] = {
	{ "list_total", 20, "42" },
	{ "id", 25, "a1b2" },
	{ "plate", 25, "say \"hi\"\\\n\tx\001\xc3\xa9/" },
	{ "year", 23, "2021" },
	{ "km", 20, "123456789012" },
	{ "active", 16, "t" },
	{ "cost", 1700, "12.50" },
	{ "ratio", 701, "NaN" },
	{ "created", 1184, "2026-12-02 04:18:23.58+00" },
	{ "seen", 1114, "2026-12-02 04:18:23" },
	{ "due", 1082, "2026-12-02" },
	{ "driver", 114, "{\"id\" : 1, \"name\" : \"A B\"}" },
	{ "notes", 25, NULL },
};
#define NCOLS	((int)(sizeof(cols) / sizeof(cols[0])))

static const char row_to_json[] = "{\"id\":\"a1b2\",\"plate\":\"say "
    "\\\"hi\\\"\\\\\\n\\tx\\u0001\xc3\xa9/\",\"year\":2021,\"km\":"
    "123456789012,\"active\":true,\"cost\":12.50,\"ratio\":\"NaN\","
    "\"created\":\"2026-12-02T04:18:23.58+00:00\",\"seen\":"
    "\"2026-12-02T04:18:23\",\"due\":\"2026-12-02\",\"driver\":{\"id\" : "
    "1, \"name\" : \"A B\"},\"notes\":null}";

static PGresult *
result(void)
{
	PGresAttDesc	 att[NCOLS];
	PGresult	*res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	int		 i;

	memset(att, 0, sizeof(att));
	for (i = 0; i < NCOLS; i++) {
		att[i].name = (char *)cols[i].name;
		att[i].typid = cols[i].type;
		att[i].typlen = -1;
		att[i].atttypmod = -1;
	}
	assert_int_equal(PQsetResultAttrs(res, NCOLS, att), 1);
	for (i = 0; i < NCOLS; i++)
		assert_int_equal(PQsetvalue(res, 0, i, (char *)cols[i].text,
		    cols[i].text ? (int)strlen(cols[i].text) : -1), 1);
	return res;
}

static void
json_text_is_row_to_json(void **state)
{
	PGresult	*res = result();
	buf		 b;

	(void)state;
	buf_init(&b);
	/* From column 1: the total in front is not the row's. */
	assert_int_equal(db_row_json(&b, res, 0, 1), 0);
	assert_string_equal(buf_cstr(&b), row_to_json);
	buf_free(&b);
	PQclear(res);
}

static void
a_timezone_with_minutes_is_kept(void **state)
{
	PGresAttDesc	 att = { (char *)"t", 0, 0, 0, 1184, -1, -1 };
	PGresult	*res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	buf		 b;

	(void)state;
	assert_int_equal(PQsetResultAttrs(res, 1, &att), 1);
	assert_int_equal(PQsetvalue(res, 0, 0,
	    (char *)"2026-12-02 09:48:23+05:30", 25), 1);
	buf_init(&b);
	assert_int_equal(db_row_json(&b, res, 0, 0), 0);
	assert_string_equal(buf_cstr(&b), "{\"t\":\"2026-12-02T09:48:23+05:30\"}");
	buf_free(&b);
	PQclear(res);
}

static void
object_is_the_parsed_json(void **state)
{
	PGresult	*res = result();
	json_t		*o = db_row_object(res, 0, 1), *parsed;
	json_error_t	 err;

	(void)state;
	assert_non_null(o);
	parsed = json_loads(row_to_json, 0, &err);
	assert_non_null(parsed);
	assert_true(json_equal(o, parsed));
	assert_null(json_object_get(o, "list_total"));
	assert_int_equal(json_integer_value(json_object_get(o, "km")),
	    123456789012LL);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    o, "driver"), "name")), "A B");
	json_decref(parsed);
	json_decref(o);
	PQclear(res);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_text_is_row_to_json),
		cmocka_unit_test(a_timezone_with_minutes_is_kept),
		cmocka_unit_test(object_is_the_parsed_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
