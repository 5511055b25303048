/* Unit tests of fcgi/core/router.c: matching, 404 and 405, parameters,
 * and the table check done at start-up. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "router.h"

static int
h_a(struct request *r)
{
	(void)r;
	return 0;
}

static int
h_b(struct request *r)
{
	(void)r;
	return 1;
}

#define N(t)	(sizeof(t) / sizeof((t)[0]))

static const struct route table[] = {
	{ "GET", "/", h_a, ACCESS_PUBLIC, 0 },
	{ "GET", "/vehicles", h_a, ACCESS_VIEWER, 0 },
	{ "POST", "/vehicles", h_b, ACCESS_MANAGER, 0 },
	{ "GET", "/vehicles/new", h_a, ACCESS_MANAGER, 0 },
	{ "GET", "/vehicles/:id", h_b, ACCESS_VIEWER, 0 },
	{ "PUT", "/vehicles/:id", h_a, ACCESS_MANAGER, 0 },
	{ "DELETE", "/vehicles/:id", h_a, ACCESS_ADMIN, 0 },
	{ "GET", "/vehicles/:id/events/:event", h_a, ACCESS_VIEWER, 0 },
	{ "POST", "/login", h_a, ACCESS_PUBLIC, ROUTE_NO_TX },
	{ "HEAD", "/ping", h_a, ACCESS_PUBLIC, 0 },
	{ "GET", "/a/:p1/:p2/:p3/:p4", h_a, ACCESS_PUBLIC, 0 },
};

static void
assert_param(const struct route_match *m, size_t i, const char *want)
{
	assert_true(i < m->nparams);
	assert_int_equal(m->param_len[i], strlen(want));
	assert_memory_equal(m->params[i], want, strlen(want));
}

static void
test_static_routes(void **state)
{
	struct route_match	 m;

	(void)state;
	assert_int_equal(router_match(table, N(table), "GET", "/", &m),
	    ROUTE_FOUND);
	assert_ptr_equal(m.route, &table[0]);
	assert_int_equal(m.index, 0);
	assert_int_equal(m.nparams, 0);

	assert_int_equal(router_match(table, N(table), "GET", "/vehicles",
	    &m), ROUTE_FOUND);
	assert_int_equal(m.index, 1);
	assert_ptr_equal(m.route->handler, h_a);

	assert_int_equal(router_match(table, N(table), "POST", "/vehicles",
	    &m), ROUTE_FOUND);
	assert_int_equal(m.index, 2);
	assert_ptr_equal(m.route->handler, h_b);
	assert_int_equal(m.route->access, ACCESS_MANAGER);

	assert_int_equal(router_match(table, N(table), "POST", "/login", &m),
	    ROUTE_FOUND);
	assert_int_equal(m.route->flags, ROUTE_NO_TX);
}

static void
test_first_route_wins(void **state)
{
	struct route_match	 m;

	(void)state;
	/* "/vehicles/new" is listed before "/vehicles/:id". */
	assert_int_equal(router_match(table, N(table), "GET",
	    "/vehicles/new", &m), ROUTE_FOUND);
	assert_int_equal(m.index, 3);
	assert_int_equal(m.nparams, 0);
}

static void
test_param_routes(void **state)
{
	struct route_match	 m;
	const char		*path = "/vehicles/42/events/e-7";

	(void)state;
	assert_int_equal(router_match(table, N(table), "GET",
	    "/vehicles/abc-123", &m), ROUTE_FOUND);
	assert_int_equal(m.index, 4);
	assert_int_equal(m.nparams, 1);
	assert_param(&m, 0, "abc-123");

	assert_int_equal(router_match(table, N(table), "DELETE",
	    "/vehicles/9", &m), ROUTE_FOUND);
	assert_int_equal(m.index, 6);
	assert_param(&m, 0, "9");

	assert_int_equal(router_match(table, N(table), "GET", path, &m),
	    ROUTE_FOUND);
	assert_int_equal(m.index, 7);
	assert_int_equal(m.nparams, 2);
	assert_param(&m, 0, "42");
	assert_param(&m, 1, "e-7");
	/* Parameters point into the path, not copies. */
	assert_ptr_equal(m.params[0], path + strlen("/vehicles/"));
}

static void
test_max_params(void **state)
{
	struct route_match	 m;

	(void)state;
	assert_int_equal(router_match(table, N(table), "GET", "/a/1/2/3/4",
	    &m), ROUTE_FOUND);
	assert_int_equal(m.nparams, ROUTE_MAX_PARAMS);
	assert_param(&m, 0, "1");
	assert_param(&m, 3, "4");
	assert_int_equal(router_match(table, N(table), "GET", "/a/1/2/3",
	    &m), ROUTE_NOT_FOUND);
	assert_int_equal(router_match(table, N(table), "GET", "/a/1/2/3/4/5",
	    &m), ROUTE_NOT_FOUND);
}

static void
test_not_found(void **state)
{
	struct route_match	 m;
	static const char	*paths[] = {
		"/nothing", "/vehicle", "/vehiclesx", "/vehicles/1/events",
		"/vehicles/1/other/2", "", "//", "/VEHICLES",
	};
	size_t			 i;

	(void)state;
	for (i = 0; i < N(paths); i++) {
		assert_int_equal(router_match(table, N(table), "GET",
		    paths[i], &m), ROUTE_NOT_FOUND);
		assert_null(m.route);
		assert_string_equal(m.allow, "");
	}
	/* An empty table. */
	assert_int_equal(router_match(table, 0, "GET", "/", &m),
	    ROUTE_NOT_FOUND);
}

static void
test_trailing_slash(void **state)
{
	struct route_match	 m;

	(void)state;
	assert_int_equal(router_match(table, N(table), "GET", "/vehicles/",
	    &m), ROUTE_NOT_FOUND);
	assert_int_equal(router_match(table, N(table), "GET",
	    "/vehicles/7/", &m), ROUTE_NOT_FOUND);
	assert_int_equal(router_match(table, N(table), "POST", "/login/",
	    &m), ROUTE_NOT_FOUND);
}

static void
test_param_never_empty(void **state)
{
	struct route_match	 m;

	(void)state;
	/* "/vehicles/" must not match "/vehicles/:id" with id "". */
	assert_int_equal(router_match(table, N(table), "PUT", "/vehicles/",
	    &m), ROUTE_NOT_FOUND);
	assert_int_equal(router_match(table, N(table), "GET",
	    "/vehicles//events/1", &m), ROUTE_NOT_FOUND);
	assert_int_equal(router_match(table, N(table), "GET",
	    "/vehicles/1/events/", &m), ROUTE_NOT_FOUND);
	assert_int_equal(router_match(table, N(table), "GET", "/a/1//3/4",
	    &m), ROUTE_NOT_FOUND);
}

static void
test_method_not_allowed(void **state)
{
	struct route_match	 m;

	(void)state;
	assert_int_equal(router_match(table, N(table), "PATCH", "/vehicles",
	    &m), ROUTE_METHOD_NOT_ALLOWED);
	assert_null(m.route);
	assert_string_equal(m.allow, "GET, HEAD, POST");

	assert_int_equal(router_match(table, N(table), "POST", "/vehicles/5",
	    &m), ROUTE_METHOD_NOT_ALLOWED);
	assert_string_equal(m.allow, "GET, HEAD, PUT, DELETE");

	/* Only POST: HEAD is not added. */
	assert_int_equal(router_match(table, N(table), "GET", "/login", &m),
	    ROUTE_METHOD_NOT_ALLOWED);
	assert_string_equal(m.allow, "POST");
	assert_int_equal(router_match(table, N(table), "HEAD", "/login", &m),
	    ROUTE_METHOD_NOT_ALLOWED);
	assert_string_equal(m.allow, "POST");
}

static void
test_allow_no_duplicates(void **state)
{
	static const struct route t[] = {
		{ "GET", "/x/:id", h_a, ACCESS_PUBLIC, 0 },
		{ "GET", "/x/new", h_a, ACCESS_PUBLIC, 0 },
		{ "HEAD", "/x/:id", h_a, ACCESS_PUBLIC, 0 },
		{ "POST", "/x/:id", h_a, ACCESS_PUBLIC, 0 },
		{ "POST", "/x/new", h_a, ACCESS_PUBLIC, 0 },
	};
	struct route_match	 m;

	(void)state;
	assert_int_equal(router_match(t, N(t), "DELETE", "/x/new", &m),
	    ROUTE_METHOD_NOT_ALLOWED);
	assert_string_equal(m.allow, "GET, HEAD, POST");
}

static void
test_head_matches_get(void **state)
{
	struct route_match	 m;

	(void)state;
	assert_int_equal(router_match(table, N(table), "HEAD", "/vehicles",
	    &m), ROUTE_FOUND);
	assert_int_equal(m.index, 1);
	assert_int_equal(router_match(table, N(table), "HEAD",
	    "/vehicles/77", &m), ROUTE_FOUND);
	assert_int_equal(m.index, 4);
	assert_param(&m, 0, "77");
	/* A HEAD route does not answer GET. */
	assert_int_equal(router_match(table, N(table), "HEAD", "/ping", &m),
	    ROUTE_FOUND);
	assert_int_equal(router_match(table, N(table), "GET", "/ping", &m),
	    ROUTE_METHOD_NOT_ALLOWED);
	assert_string_equal(m.allow, "HEAD");
	/* Methods are case-sensitive. */
	assert_int_equal(router_match(table, N(table), "get", "/vehicles",
	    &m), ROUTE_METHOD_NOT_ALLOWED);
}

static void
test_match_cleared(void **state)
{
	struct route_match	 m;

	(void)state;
	assert_int_equal(router_match(table, N(table), "GET",
	    "/vehicles/1/events/2", &m), ROUTE_FOUND);
	assert_int_equal(m.nparams, 2);
	/* A later miss leaves nothing behind from the earlier match. */
	assert_int_equal(router_match(table, N(table), "GET", "/none", &m),
	    ROUTE_NOT_FOUND);
	assert_int_equal(m.nparams, 0);
	assert_null(m.params[0]);
	assert_null(m.route);
}

static void
test_check_valid(void **state)
{
	size_t	bad = 999;

	(void)state;
	assert_int_equal(router_check(table, N(table), &bad), 0);
	assert_int_equal(bad, 999);
	assert_int_equal(router_check(table, 0, &bad), 0);
}

static void
check_bad(const char *method, const char *pattern, route_handler h)
{
	struct route	t[2] = {
		{ "GET", "/ok/:id", h_a, ACCESS_PUBLIC, 0 },
		{ method, pattern, h, ACCESS_PUBLIC, 0 },
	};
	size_t		bad = 999;

	assert_int_equal(router_check(t, 2, &bad), -1);
	assert_int_equal(bad, 1);
}

static void
test_check_malformed(void **state)
{
	(void)state;
	check_bad("GET", "vehicles", h_a);		/* no leading '/' */
	check_bad("GET", "", h_a);
	check_bad("GET", NULL, h_a);
	check_bad("GET", "/a:b", h_a);			/* ':' not after '/' */
	check_bad("GET", "/:a:b", h_a);
	check_bad("GET", "/x/:", h_a);			/* empty name */
	check_bad("GET", "/x/:/y", h_a);
	check_bad("GET", "/:a/:b/:c/:d/:e", h_a);	/* too many */
	check_bad(NULL, "/x", h_a);
	check_bad("GET", "/x", NULL);
}

static void
test_check_accepts_max(void **state)
{
	static const struct route t[] = {
		{ "GET", "/:a/:b/:c/:d", h_a, ACCESS_PUBLIC, 0 },
		{ "GET", "/x/:long_name-1/y", h_a, ACCESS_PUBLIC, 0 },
	};
	size_t	bad = 999;

	(void)state;
	assert_int_equal(router_check(t, N(t), &bad), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_static_routes),
		cmocka_unit_test(test_first_route_wins),
		cmocka_unit_test(test_param_routes),
		cmocka_unit_test(test_max_params),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_trailing_slash),
		cmocka_unit_test(test_param_never_empty),
		cmocka_unit_test(test_method_not_allowed),
		cmocka_unit_test(test_allow_no_duplicates),
		cmocka_unit_test(test_head_matches_get),
		cmocka_unit_test(test_match_cleared),
		cmocka_unit_test(test_check_valid),
		cmocka_unit_test(test_check_malformed),
		cmocka_unit_test(test_check_accepts_max),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
