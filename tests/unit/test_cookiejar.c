/* The outbound cookie jar: Set-Cookie lines in (attributes, expiry,
 * removal, refusal of what could break a header), the Cookie header out,
 * a pasted header, and the jar through JSON and back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "cookiejar.h"

#define NOW	1764672000LL	/* 2025-12-02 10:40:00 UTC */

static int
set(struct cookiejar *j, const char *line, long long now)
{
	return cookiejar_set(j, line, strlen(line), now);
}

static void
test_set_and_header(void **state)
{
	struct cookiejar	*j = calloc(1, sizeof(*j));
	char			 h[256];

	(void)state;
	assert_int_equal(set(j, "heetch_driver_session=abc123; Path=/; Secure; "
	    "HttpOnly; SameSite=Lax", NOW), 0);
	assert_int_equal(set(j, "heetch_auth_token=\"tok\"; Domain=.heetch.com; "
	    "Max-Age=60", NOW), 0);
	assert_string_equal(cookiejar_get(j, "heetch_auth_token", NOW), "tok");
	assert_int_equal(cookiejar_header(j, NOW, h, sizeof(h)),
	    (long)strlen("heetch_driver_session=abc123; heetch_auth_token=tok"));
	assert_string_equal(h, "heetch_driver_session=abc123; heetch_auth_token=tok");
	/* Max-Age=60 is over a minute later; the session cookie stays. */
	assert_null(cookiejar_get(j, "heetch_auth_token", NOW + 60));
	assert_non_null(cookiejar_get(j, "heetch_auth_token", NOW + 59));
	cookiejar_header(j, NOW + 61, h, sizeof(h));
	assert_string_equal(h, "heetch_driver_session=abc123");
	/* A new value replaces, it does not add. */
	assert_int_equal(set(j, "heetch_driver_session=def456", NOW), 0);
	assert_string_equal(cookiejar_get(j, "heetch_driver_session", NOW), "def456");
	assert_int_equal((int)j->n, 2);
	/* Too small a buffer says so and leaves "". */
	assert_int_equal(cookiejar_header(j, NOW, h, 10), -1);
	assert_string_equal(h, "");
	free(j);
}

static void
test_expiry_attributes(void **state)
{
	struct cookiejar	*j = calloc(1, sizeof(*j));

	(void)state;
	assert_int_equal(set(j, "a=1; Expires=Wed, 03 Dec 2025 10:40:00 GMT", NOW), 0);
	assert_int_equal(j->c[0].expires, NOW + 86400);
	/* The old forms: dashes, two-digit years. */
	assert_int_equal(cookiejar_parse_date("Wednesday, 03-Dec-25 10:40:00 GMT",
	    strlen("Wednesday, 03-Dec-25 10:40:00 GMT")), NOW + 86400);
	assert_int_equal(cookiejar_parse_date("Sun, 06 Nov 1994 08:49:37 GMT", 29),
	    784111777LL);
	assert_int_equal(cookiejar_parse_date("Sun, 06 Nov 1994 08:49:37", 25), -1);
	assert_int_equal(cookiejar_parse_date("Sun, 31 Foo 1994 08:49:37 GMT", 29), -1);
	/* Max-Age wins over Expires, whichever comes first. */
	assert_int_equal(set(j, "b=2; Max-Age=10; Expires=Wed, 03 Dec 2025 "
	    "10:40:00 GMT", NOW), 0);
	assert_int_equal(set(j, "c=3; Expires=Wed, 03 Dec 2025 10:40:00 GMT; "
	    "max-age=10", NOW), 0);
	assert_int_equal(cookiejar_get(j, "b", NOW + 11) == NULL, 1);
	assert_int_equal(cookiejar_get(j, "c", NOW + 11) == NULL, 1);
	/* An unreadable Expires is ignored: a session cookie. */
	assert_int_equal(set(j, "d=4; Expires=tomorrow", NOW), 0);
	assert_non_null(cookiejar_get(j, "d", NOW + 1000000));
	/* Removal: Max-Age=0, negative, or an Expires in the past. */
	assert_int_equal(set(j, "d=; Max-Age=0", NOW), 0);
	assert_null(cookiejar_get(j, "d", NOW));
	assert_int_equal(set(j, "a=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT", NOW), 0);
	assert_null(cookiejar_get(j, "a", NOW));
	assert_int_equal(set(j, "b=x; Max-Age=-1", NOW), 0);
	assert_null(cookiejar_get(j, "b", NOW));
	free(j);
}

static void
test_refused(void **state)
{
	struct cookiejar	*j = calloc(1, sizeof(*j));
	char			 big[COOKIE_VALUE_MAX + 16];
	int			 i;

	(void)state;
	assert_int_equal(set(j, "ok=1", NOW), 0);
	/* Nothing that could split a header or add one. */
	assert_int_equal(set(j, "a=1\r\nX-Evil: 1", NOW), -1);
	assert_int_equal(set(j, "a=x y", NOW), -1);
	assert_int_equal(set(j, "a=x,y", NOW), -1);
	assert_int_equal(set(j, "a=x\\y", NOW), -1);
	assert_int_equal(set(j, "b c=1", NOW), -1);
	assert_int_equal(set(j, "=1", NOW), -1);
	assert_int_equal(set(j, "noequals", NOW), -1);
	assert_int_equal(cookiejar_set(j, "a=1\0b", 5, NOW), -1);
	memset(big, 'v', sizeof(big));
	memcpy(big, "big=", 4);
	assert_int_equal(cookiejar_set(j, big, sizeof(big), NOW), -1);
	assert_int_equal((int)j->n, 1);
	assert_string_equal(j->c[0].name, "ok");
	/* A full jar refuses a new name but still replaces, and makes room
	 * by forgetting what expired. */
	for (i = 1; i < COOKIEJAR_MAX; i++) {
		char	line[32];

		snprintf(line, sizeof(line), "k%d=v; Max-Age=%d", i, i == 1 ? 5 : 999);
		assert_int_equal(set(j, line, NOW), 0);
	}
	assert_int_equal(set(j, "extra=1", NOW), -1);
	assert_int_equal(set(j, "ok=2", NOW), 0);
	assert_int_equal(set(j, "extra=1", NOW + 6), 0);
	assert_null(cookiejar_get(j, "k1", NOW + 6));
	free(j);
}

static void
test_paste_and_json(void **state)
{
	struct cookiejar	*j = calloc(1, sizeof(*j)), *k = calloc(1, sizeof(*k));
	json_t			*o;
	const char		*text = "  Cookie: heetch_driver_session=s1; "
	    "heetch_auth_token=t1;\n";

	(void)state;
	assert_int_equal(cookiejar_paste(j, text, strlen(text)), 0);
	assert_string_equal(cookiejar_get(j, "heetch_driver_session", NOW), "s1");
	assert_string_equal(cookiejar_get(j, "heetch_auth_token", NOW), "t1");
	/* A bad pair leaves the jar as it was. */
	assert_int_equal(cookiejar_paste(j, "heetch_driver_session=s2; bad pair",
	    34), -1);
	assert_string_equal(cookiejar_get(j, "heetch_driver_session", NOW), "s1");
	assert_int_equal(cookiejar_paste(j, " ;; ", 4), -1);
	assert_int_equal(set(j, "exp=1; Max-Age=100", NOW), 0);
	o = cookiejar_to_json(j);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o,
	    "exp"), "expires")), NOW + 100);
	assert_null(json_object_get(json_object_get(o, "heetch_auth_token"),
	    "expires"));
	assert_int_equal(cookiejar_from_json(k, o), 0);
	assert_int_equal((int)k->n, 3);
	assert_string_equal(cookiejar_get(k, "heetch_auth_token", NOW), "t1");
	assert_null(cookiejar_get(k, "exp", NOW + 100));
	json_decref(o);
	/* What cookiejar_set would refuse is refused from JSON too. */
	o = json_pack("{s:{s:s}}", "a", "value", "x\r\ny");
	assert_int_equal(cookiejar_from_json(k, o), -1);
	json_decref(o);
	o = json_pack("{s:{s:s,s:i}}", "a", "value", "x", "expires", -3);
	assert_int_equal(cookiejar_from_json(k, o), -1);
	json_decref(o);
	assert_int_equal(cookiejar_from_json(k, json_null()), -1);
	assert_int_equal((int)k->n, 3);
	free(j);
	free(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_and_header),
		cmocka_unit_test(test_expiry_attributes),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_paste_and_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
