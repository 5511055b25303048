/* Unit tests of the JSON envelope (fcgi/core/api.c), the arena, the
 * buffer and its HTML escaping, configuration from the environment, and
 * the job queue's retry backoff. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "arena.h"
#include "buf.h"
#include "config.h"
#include "http.h"
#include "request.h"
#include "jobs/queue.h"

/* --- a request to answer ---------------------------------------------- */

static int
setup_req(void **state)
{
	struct request	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return -1;
	memset(r, 0, sizeof(*r));
	if ((r->arena = arena_new()) == NULL) {
		free(r);
		return -1;
	}
	buf_init(&r->res.body);
	buf_init(&r->res.headers);
	*state = r;
	return 0;
}

static int
teardown_req(void **state)
{
	struct request	*r = *state;

	buf_free(&r->res.body);
	buf_free(&r->res.headers);
	arena_free(r->arena);
	free(r);
	return 0;
}

static void
query(struct request *r, const char *name, const char *value)
{
	assert_int_equal(kvlist_add(r->arena, &r->query, name, value,
	    strlen(value)), 0);
}

/* The response body, parsed; checks the response is a finished JSON
 * answer with the given status. */
static json_t *
body(struct request *r, int status)
{
	json_error_t	 e;
	json_t		*j;

	assert_int_equal(r->res.done, 1);
	assert_int_equal(r->res.status, status);
	assert_non_null(r->res.content_type);
	assert_string_equal(r->res.content_type,
	    "application/json; charset=utf-8");
	j = json_loadb(r->res.body.data, r->res.body.len, 0, &e);
	if (j == NULL)
		fail_msg("not JSON: %s (%s)", buf_cstr(&r->res.body), e.text);
	assert_true(json_is_object(j));
	return j;
}

/* The error object of a failure envelope, with its exact keys. */
static json_t *
error_of(json_t *j, const char *code, int with_fields)
{
	json_t	*e;

	assert_int_equal(json_object_size(j), 2);
	assert_true(json_is_false(json_object_get(j, "success")));
	e = json_object_get(j, "error");
	assert_true(json_is_object(e));
	assert_int_equal(json_object_size(e), with_fields ? 3 : 2);
	assert_string_equal(json_string_value(json_object_get(e, "code")),
	    code);
	assert_true(json_is_string(json_object_get(e, "message")));
	assert_true(strlen(json_string_value(json_object_get(e, "message")))
	    > 0);
	if (with_fields)
		assert_true(json_is_object(json_object_get(e, "fields")));
	else
		assert_null(json_object_get(e, "fields"));
	return e;
}

/* --- envelope --------------------------------------------------------- */

static void
test_api_ok(void **state)
{
	struct request	*r = *state;
	json_t		*j, *d;

	assert_int_equal(api_ok(r, 201, json_pack("{s:s, s:i}", "id", "v1",
	    "n", 3)), 0);
	j = body(r, 201);
	assert_int_equal(json_object_size(j), 2);
	assert_true(json_is_true(json_object_get(j, "success")));
	d = json_object_get(j, "data");
	assert_true(json_is_object(d));
	assert_string_equal(json_string_value(json_object_get(d, "id")),
	    "v1");
	assert_int_equal(json_integer_value(json_object_get(d, "n")), 3);
	assert_null(json_object_get(j, "pagination"));
	assert_null(json_object_get(j, "error"));
	json_decref(j);
}

static void
test_api_ok_null_data(void **state)
{
	struct request	*r = *state;
	json_t		*j;

	assert_int_equal(api_ok(r, 200, NULL), 0);
	j = body(r, 200);
	assert_true(json_is_true(json_object_get(j, "success")));
	assert_non_null(json_object_get(j, "data"));
	assert_true(json_is_null(json_object_get(j, "data")));
	json_decref(j);
}

static void
test_api_ok_replaces_body(void **state)
{
	struct request	*r = *state;
	json_t		*j;

	buf_puts(&r->res.body, "stale output");
	assert_int_equal(api_ok(r, 200, json_string("fresh")), 0);
	j = body(r, 200);
	assert_string_equal(json_string_value(json_object_get(j, "data")),
	    "fresh");
	json_decref(j);
}

static void
test_api_list(void **state)
{
	struct request	*r = *state;
	struct api_page	 pg = { 2, 10, 10 };
	json_t		*j, *p;

	assert_int_equal(api_list(r, json_pack("[i,i]", 1, 2), &pg, 35), 0);
	j = body(r, 200);
	assert_int_equal(json_object_size(j), 3);
	assert_true(json_is_true(json_object_get(j, "success")));
	assert_int_equal(json_array_size(json_object_get(j, "data")), 2);
	p = json_object_get(j, "pagination");
	assert_true(json_is_object(p));
	assert_int_equal(json_object_size(p), 4);
	assert_int_equal(json_integer_value(json_object_get(p, "page")), 2);
	assert_int_equal(json_integer_value(json_object_get(p, "limit")), 10);
	assert_int_equal(json_integer_value(json_object_get(p, "total")), 35);
	assert_true(json_is_true(json_object_get(p, "has_next")));
	json_decref(j);
}

static int
has_next(struct request *r, long page, long limit, long total)
{
	struct api_page	 pg = { page, limit, (page - 1) * limit };
	json_t		*j, *hn;
	int		 v;

	assert_int_equal(api_list(r, json_array(), &pg, total), 0);
	j = body(r, 200);
	hn = json_object_get(json_object_get(j, "pagination"), "has_next");
	assert_true(json_is_boolean(hn));
	v = json_is_true(hn);
	json_decref(j);
	return v;
}

static void
test_api_list_has_next(void **state)
{
	struct request	*r = *state;

	assert_false(has_next(r, 1, 20, 0));
	assert_false(has_next(r, 1, 20, 19));
	assert_false(has_next(r, 1, 20, 20));
	assert_true(has_next(r, 1, 20, 21));
	assert_true(has_next(r, 2, 20, 41));
	assert_false(has_next(r, 3, 20, 41));
	assert_false(has_next(r, 2, 20, 40));
	assert_false(has_next(r, 9, 20, 41));	/* past the end */
}

static void
test_api_error(void **state)
{
	struct request	*r = *state;
	json_t		*j, *e;

	assert_int_equal(api_error(r, 404, NULL, "Véhicule introuvable.",
	    NULL), 0);
	j = body(r, 404);
	e = error_of(j, "not_found", 0);
	assert_string_equal(json_string_value(json_object_get(e, "message")),
	    "Véhicule introuvable.");
	json_decref(j);
}

static void
test_api_error_fields(void **state)
{
	struct request	*r = *state;
	json_t		*j, *e, *fl;

	assert_int_equal(api_error(r, 422, "validation_failed",
	    "Champs invalides.", json_pack("{s:s}", "plate",
	    "Obligatoire.")), 0);
	j = body(r, 422);
	e = error_of(j, "validation_failed", 1);
	fl = json_object_get(e, "fields");
	assert_int_equal(json_object_size(fl), 1);
	assert_string_equal(json_string_value(json_object_get(fl, "plate")),
	    "Obligatoire.");
	json_decref(j);
}

static void
test_api_error_custom_code(void **state)
{
	struct request	*r = *state;
	json_t		*j;

	assert_int_equal(api_error(r, 409, "plate_taken",
	    "Immatriculation déjà utilisée.", NULL), 0);
	j = body(r, 409);
	error_of(j, "plate_taken", 0);
	json_decref(j);
}

static void
test_api_code(void **state)
{
	static const struct {
		int		 status;
		const char	*code;
	} want[] = {
		{ 400, "bad_request" }, { 401, "unauthorized" },
		{ 403, "forbidden" }, { 404, "not_found" },
		{ 405, "method_not_allowed" }, { 409, "conflict" },
		{ 413, "payload_too_large" },
		{ 415, "unsupported_media_type" },
		{ 422, "validation_failed" }, { 429, "rate_limited" },
		{ 500, "internal_error" }, { 503, "unavailable" },
		/* Unknown statuses fall back by class. */
		{ 418, "bad_request" }, { 410, "bad_request" },
		{ 502, "internal_error" }, { 504, "internal_error" },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_string_equal(api_code(want[i].status), want[i].code);
}

static void
test_api_dump(void **state)
{
	buf	 b;
	json_t	*j;

	(void)state;
	buf_init(&b);
	j = json_pack("{s:s}", "k", "é</script>");
	assert_int_equal(api_dump(j, &b), 0);
	assert_string_equal(buf_cstr(&b), "{\"k\":\"é</script>\"}");
	json_decref(j);
	buf_free(&b);
}

/* --- pagination ------------------------------------------------------- */

static void
test_page_defaults(void **state)
{
	struct request	*r = *state;
	struct api_page	 pg = { -1, -1, -1 };

	assert_int_equal(api_page_parse(r, &pg), 0);
	assert_int_equal(pg.page, 1);
	assert_int_equal(pg.limit, 20);
	assert_int_equal(pg.offset, 0);
	assert_int_equal(r->res.done, 0);
	assert_int_equal(r->res.body.len, 0);
}

static void
test_page_values(void **state)
{
	struct request	*r = *state;
	struct api_page	 pg;

	query(r, "page", "3");
	query(r, "limit", "100");
	assert_int_equal(api_page_parse(r, &pg), 0);
	assert_int_equal(pg.page, 3);
	assert_int_equal(pg.limit, 100);
	assert_int_equal(pg.offset, 200);
	assert_int_equal(r->res.done, 0);
}

static void
test_page_limit_one(void **state)
{
	struct request	*r = *state;
	struct api_page	 pg;

	query(r, "limit", "1");
	assert_int_equal(api_page_parse(r, &pg), 0);
	assert_int_equal(pg.limit, 1);
	assert_int_equal(pg.page, 1);
}

static void
test_page_limit_too_big(void **state)
{
	struct request	*r = *state;
	struct api_page	 pg;
	json_t		*j, *e, *fl;

	query(r, "limit", "101");
	assert_int_equal(api_page_parse(r, &pg), 422);
	j = body(r, 422);
	e = error_of(j, "validation_failed", 1);
	fl = json_object_get(e, "fields");
	assert_int_equal(json_object_size(fl), 1);
	assert_true(json_is_string(json_object_get(fl, "limit")));
	assert_null(json_object_get(fl, "page"));
	json_decref(j);
}

static void
bad_page(struct request *r, const char *v)
{
	struct api_page	 pg;
	json_t		*j, *fl;

	r->query.n = 0;
	r->res.done = 0;
	r->res.status = 0;
	query(r, "page", v);
	assert_int_equal(api_page_parse(r, &pg), 422);
	j = body(r, 422);
	fl = json_object_get(error_of(j, "validation_failed", 1), "fields");
	assert_true(json_is_string(json_object_get(fl, "page")));
	assert_null(json_object_get(fl, "limit"));
	json_decref(j);
}

static void
test_page_invalid(void **state)
{
	struct request	*r = *state;

	bad_page(r, "0");
	bad_page(r, "abc");
	bad_page(r, "-1");
	bad_page(r, "");
	bad_page(r, "2x");
	bad_page(r, "99999999999999999999999");
}

static void
test_page_both_invalid(void **state)
{
	struct request	*r = *state;
	struct api_page	 pg;
	json_t		*j, *fl;

	query(r, "page", "0");
	query(r, "limit", "0");
	assert_int_equal(api_page_parse(r, &pg), 422);
	j = body(r, 422);
	fl = json_object_get(error_of(j, "validation_failed", 1), "fields");
	assert_int_equal(json_object_size(fl), 2);
	assert_true(json_is_string(json_object_get(fl, "page")));
	assert_true(json_is_string(json_object_get(fl, "limit")));
	json_decref(j);
}

/* --- buffer ----------------------------------------------------------- */

static void
test_buf_basics(void **state)
{
	buf	b;
	size_t	i;

	(void)state;
	buf_init(&b);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(b.len, 0);
	assert_int_equal(buf_puts(&b, "abc"), 0);
	assert_int_equal(buf_putc(&b, 'd'), 0);
	assert_int_equal(buf_printf(&b, "-%d-%s", 42, "x"), 0);
	assert_string_equal(buf_cstr(&b), "abcd-42-x");
	assert_int_equal(b.len, 9);
	for (i = 0; i < 1000; i++)
		assert_int_equal(buf_append(&b, "0123456789", 10), 0);
	assert_int_equal(b.len, 10009);
	assert_true(b.cap > b.len);
	assert_int_equal(b.data[b.len], '\0');
	assert_memory_equal(b.data + 10009 - 10, "0123456789", 10);
	buf_clear(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	assert_true(b.cap > 0);
	assert_int_equal(buf_printf(&b, "%s", ""), 0);
	assert_string_equal(buf_cstr(&b), "");
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.cap, 0);
}

static void
test_buf_oom_sticky(void **state)
{
	buf	b;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "x");
	assert_int_equal(buf_reserve(&b, SIZE_MAX - 1), -1);
	assert_int_equal(b.oom, 1);
	/* Appends after a failure do nothing. */
	assert_int_equal(buf_puts(&b, "y"), -1);
	assert_string_equal(buf_cstr(&b), "x");
	buf_free(&b);
}

static void
test_buf_html(void **state)
{
	buf	b;

	(void)state;
	buf_init(&b);
	assert_int_equal(buf_puts_html(&b,
	    "<a href=\"x\" title='y'>Tom & Jerry</a>"), 0);
	assert_string_equal(buf_cstr(&b),
	    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;"
	    "Tom &amp; Jerry&lt;/a&gt;");
	buf_clear(&b);
	assert_int_equal(buf_puts_html(&b, "plain é text"), 0);
	assert_string_equal(buf_cstr(&b), "plain é text");
	buf_clear(&b);
	assert_int_equal(buf_puts_html(&b, "&amp;"), 0);
	assert_string_equal(buf_cstr(&b), "&amp;amp;");
	buf_clear(&b);
	assert_int_equal(buf_puts_html(&b, ""), 0);
	assert_string_equal(buf_cstr(&b), "");
	buf_clear(&b);
	/* Only n bytes. */
	assert_int_equal(buf_append_html(&b, "<b>>", 3), 0);
	assert_string_equal(buf_cstr(&b), "&lt;b&gt;");
	assert_int_equal(b.len, strlen("&lt;b&gt;"));
	buf_clear(&b);
	assert_int_equal(buf_append_html(&b, "'\"", 2), 0);
	assert_string_equal(buf_cstr(&b), "&#39;&quot;");
	buf_free(&b);
}

/* --- arena ------------------------------------------------------------ */

static void
test_arena_alignment(void **state)
{
	arena	*a;
	size_t	 i;
	void	*p;

	(void)state;
	a = arena_new();
	assert_non_null(a);
	for (i = 0; i < 200; i++) {
		p = arena_alloc(a, i % 37);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		memset(p, 0xab, i % 37);
	}
	/* Larger than a block, and after it. */
	p = arena_alloc(a, 200 * 1024);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 16, 0);
	memset(p, 1, 200 * 1024);
	p = arena_alloc(a, 3);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 16, 0);
	arena_free(a);
}

static void
test_arena_distinct(void **state)
{
	arena	*a;
	char	*p, *q;

	(void)state;
	a = arena_new();
	assert_non_null(a);
	p = arena_alloc(a, 5);
	q = arena_alloc(a, 5);
	assert_non_null(p);
	assert_non_null(q);
	assert_true(q >= p + 5 || p >= q + 5);
	memset(p, 'p', 5);
	memset(q, 'q', 5);
	assert_int_equal(p[4], 'p');
	assert_int_equal(q[0], 'q');
	arena_free(a);
}

static void
test_arena_strings(void **state)
{
	arena		*a;
	unsigned char	*z;
	size_t		 i;

	(void)state;
	a = arena_new();
	assert_non_null(a);
	assert_string_equal(arena_strdup(a, "hello"), "hello");
	assert_string_equal(arena_strndup(a, "hello world", 5), "hello");
	assert_string_equal(arena_strndup(a, "", 0), "");
	assert_string_equal(arena_printf(a, "%s-%d-%05.1f", "x", 7, 2.25),
	    "x-7-002.2");
	z = arena_calloc(a, 100, 3);
	assert_non_null(z);
	for (i = 0; i < 300; i++)
		assert_int_equal(z[i], 0);
	assert_null(arena_calloc(a, SIZE_MAX / 2, 4));
	assert_null(arena_alloc(a, SIZE_MAX));
	arena_free(a);
}

static void
test_arena_reset(void **state)
{
	arena	*a;
	size_t	 first, i;
	char	*p, *q;

	(void)state;
	a = arena_new();
	assert_non_null(a);
	first = arena_size(a);
	assert_true(first > 0);
	p = arena_alloc(a, 100);
	assert_non_null(p);
	for (i = 0; i < 50; i++)
		assert_non_null(arena_alloc(a, 10000));
	assert_non_null(arena_alloc(a, 1024 * 1024));
	assert_true(arena_size(a) > first + 1024 * 1024);
	arena_reset(a);
	/* Only the first block stays, and it is reused from its start. */
	assert_int_equal(arena_size(a), first);
	q = arena_alloc(a, 100);
	assert_ptr_equal(q, p);
	/* Many requests in a row do not grow the arena. */
	for (i = 0; i < 100; i++) {
		assert_non_null(arena_alloc(a, 300000));
		arena_reset(a);
	}
	assert_int_equal(arena_size(a), first);
	arena_free(a);
	arena_free(NULL);
}

/* --- configuration ---------------------------------------------------- */

static const char *config_vars[] = {
	"FLEETCORE_ENV", "FLEETCORE_DB", "FLEETCORE_DB_OWNER",
	"FLEETCORE_SOCKET", "FLEETCORE_TEMPLATES", "FLEETCORE_MIGRATIONS",
	"FLEETCORE_DATA_DIR", "FLEETCORE_SECRET_KEY_FILE",
	"FLEETCORE_BASE_URL", "FLEETCORE_WORKERS", "FLEETCORE_MAX_BODY_MB",
	"FLEETCORE_SESSION_IDLE_HOURS",
};

static int
clear_env(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(config_vars) / sizeof(config_vars[0]); i++)
		unsetenv(config_vars[i]);
	return 0;
}

static void
test_config_defaults(void **state)
{
	struct config	c;
	char		err[256] = "";

	(void)state;
	assert_int_equal(config_load(&c, err, sizeof(err)), 0);
	assert_string_equal(c.env, "production");
	assert_true(config_is_production(&c));
	assert_string_equal(c.db, "dbname=fleetcore user=fleetcore_app");
	assert_string_equal(c.db_owner,
	    "dbname=fleetcore user=fleetcore_owner");
	assert_string_equal(c.socket, "var/run/fcgi.sock");
	assert_string_equal(c.templates, "templates");
	assert_string_equal(c.migrations, "sql/migrations");
	assert_string_equal(c.data_dir, "var/data");
	assert_string_equal(c.secret_key_file, "var/secret.key");
	assert_string_equal(c.base_url, "https://localhost:8443");
	/* 0 means one per core. */
	assert_true(c.workers >= 1);
	assert_int_equal(c.max_body_mb, 32);
	assert_int_equal(c.session_idle_hours, 8);
}

static void
test_config_from_env(void **state)
{
	struct config	c;
	char		err[256] = "";

	(void)state;
	setenv("FLEETCORE_ENV", "test", 1);
	setenv("FLEETCORE_WORKERS", "3", 1);
	setenv("FLEETCORE_MAX_BODY_MB", "1024", 1);
	setenv("FLEETCORE_DATA_DIR", "/srv/data", 1);
	/* Empty means unset. */
	setenv("FLEETCORE_SOCKET", "", 1);
	assert_int_equal(config_load(&c, err, sizeof(err)), 0);
	assert_string_equal(c.env, "test");
	assert_false(config_is_production(&c));
	assert_int_equal(c.workers, 3);
	assert_int_equal(c.max_body_mb, 1024);
	assert_string_equal(c.data_dir, "/srv/data");
	assert_string_equal(c.socket, "var/run/fcgi.sock");
	clear_env(NULL);
}

static void
bad_env(const char *var, const char *value)
{
	struct config	c;
	char		err[256] = "";

	clear_env(NULL);
	setenv(var, value, 1);
	assert_int_equal(config_load(&c, err, sizeof(err)), -1);
	/* The message names the variable and the value. */
	if (strstr(err, var) == NULL || strstr(err, value) == NULL)
		fail_msg("%s=%s: message \"%s\"", var, value, err);
	clear_env(NULL);
}

static void
test_config_invalid(void **state)
{
	(void)state;
	bad_env("FLEETCORE_WORKERS", "many");
	bad_env("FLEETCORE_WORKERS", "-1");
	bad_env("FLEETCORE_WORKERS", "257");
	bad_env("FLEETCORE_WORKERS", "4x");
	bad_env("FLEETCORE_MAX_BODY_MB", "0");
	bad_env("FLEETCORE_SESSION_IDLE_HOURS", "721");
	bad_env("FLEETCORE_ENV", "staging");
}

static void
test_config_mask(void **state)
{
	char	out[256];

	(void)state;
	config_mask_conninfo("host=db dbname=fc user=app password=s3cret "
	    "sslmode=require", out, sizeof(out));
	assert_string_equal(out, "host=db dbname=fc user=app password=**** "
	    "sslmode=require");
	assert_null(strstr(out, "s3cret"));

	config_mask_conninfo("password=abc", out, sizeof(out));
	assert_string_equal(out, "password=****");

	config_mask_conninfo("dbname=fc user=app", out, sizeof(out));
	assert_string_equal(out, "dbname=fc user=app");

	/* Quoted values may hold blanks (libpq conninfo syntax). */
	config_mask_conninfo("user=app password='a b\\' c' dbname=fc", out,
	    sizeof(out));
	assert_string_equal(out, "user=app password=**** dbname=fc");

	/* Blanks around '=' are allowed too. */
	config_mask_conninfo("user=app password = hunter2 dbname=fc", out,
	    sizeof(out));
	assert_string_equal(out, "user=app password = **** dbname=fc");

	/* The client key's passphrase is a secret too; other keys that
	 * merely contain the word are not touched. */
	config_mask_conninfo("sslpassword=k3y password='' host=x", out,
	    sizeof(out));
	assert_string_equal(out, "sslpassword=**** password=**** host=x");
	config_mask_conninfo("application_name=password=x", out, sizeof(out));
	assert_string_equal(out, "application_name=password=x");

	/* A short output buffer truncates; it never overflows. */
	config_mask_conninfo("password=abcdef", out, 6);
	assert_int_equal(strlen(out), 5);
}

static void
test_config_mask_uri(void **state)
{
	char	out[256];

	(void)state;
	config_mask_conninfo("postgresql://app:s3cret@db:5432/fc", out,
	    sizeof(out));
	assert_null(strstr(out, "s3cret"));
	assert_string_equal(out, "postgresql://app:****@db:5432/fc");
	config_mask_conninfo("postgresql://db/fc?user=app&password=s3cret",
	    out, sizeof(out));
	assert_string_equal(out, "postgresql://db/fc?user=app&password=****");
	config_mask_conninfo("postgres://app@db/fc", out, sizeof(out));
	assert_string_equal(out, "postgres://app@db/fc");
}

static void
test_config_print_masks(void **state)
{
	struct config	 c;
	char		 err[256], *text = NULL;
	size_t		 len = 0;
	FILE		*f;

	(void)state;
	setenv("FLEETCORE_DB", "dbname=fc password=topsecret", 1);
	setenv("FLEETCORE_DB_OWNER", "dbname=fc password='also secret'", 1);
	assert_int_equal(config_load(&c, err, sizeof(err)), 0);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	config_print(&c, f);
	fclose(f);
	assert_non_null(strstr(text, "FLEETCORE_WORKERS="));
	assert_non_null(strstr(text, "FLEETCORE_DB=dbname=fc password=****\n"));
	assert_null(strstr(text, "topsecret"));
	assert_null(strstr(text, "secret'"));
	free(text);
	clear_env(NULL);
}

/* --- queue backoff ---------------------------------------------------- */

static void
test_backoff_bounds(void **state)
{
	int		 attempt, v, lo, hi;
	long		 base;
	unsigned int	 rnd;

	(void)state;
	for (attempt = 1; attempt <= 40; attempt++) {
		base = attempt >= 12 ? 3600 : 1L << attempt;
		if (base > 3600)
			base = 3600;
		lo = hi = -1;
		for (rnd = 0; rnd < 5000; rnd++) {
			v = queue_backoff(attempt, rnd * 2654435761u);
			/* Within ±25 % of 2^n, the base capped at 3600. */
			if (v * 4 < base * 3 || v * 4 > base * 5)
				fail_msg("attempt %d: %d out of [%ld, %ld]",
				    attempt, v, base * 3 / 4, base * 5 / 4);
			if (lo == -1 || v < lo)
				lo = v;
			if (hi == -1 || v > hi)
				hi = v;
		}
		assert_true(lo >= 1);
		/* There is jitter once the base allows it. */
		if (base >= 4)
			assert_true(hi > lo);
	}
}

static void
test_backoff_growth_and_cap(void **state)
{
	(void)state;
	/* random 0 gives the low end of each window: it doubles. */
	assert_true(queue_backoff(1, 0) >= 1);
	assert_true(queue_backoff(5, 0) < queue_backoff(6, 0));
	assert_true(queue_backoff(8, 0) < queue_backoff(9, 0));
	assert_int_equal(queue_backoff(6, 0) , 2 * queue_backoff(5, 0));
	assert_true(queue_backoff(10, 0) >= 1024 * 3 / 4);
	assert_true(queue_backoff(10, 0) <= 1024 * 5 / 4);
	/* Capped: attempt 12 and 1000 have the same range. */
	assert_true(queue_backoff(12, 0) >= 2700);
	assert_true(queue_backoff(1000, 12345) <= 4500);
	assert_int_equal(queue_backoff(1000, 777), queue_backoff(13, 777));
	assert_int_equal(queue_backoff(31, 99), queue_backoff(12, 99));
	assert_int_equal(queue_backoff(32, 99), queue_backoff(12, 99));
	assert_int_equal(queue_backoff(64, 99), queue_backoff(12, 99));
	assert_int_equal(queue_backoff(2147483647, 99),
	    queue_backoff(12, 99));
	/* Out-of-range attempts count as the first. */
	assert_int_equal(queue_backoff(0, 5), queue_backoff(1, 5));
	assert_int_equal(queue_backoff(-3, 5), queue_backoff(1, 5));
}

static void
test_backoff_deterministic_and_spread(void **state)
{
	int		 seen[4501] = { 0 };
	unsigned int	 rnd;
	int		 distinct = 0, v;

	(void)state;
	assert_int_equal(queue_backoff(7, 42), queue_backoff(7, 42));
	for (rnd = 0; rnd < 20000; rnd++) {
		v = queue_backoff(12, rnd);
		assert_true(v >= 2700 && v <= 4500);
		if (!seen[v]++)
			distinct++;
	}
	/* Jobs failing together spread over the whole window. */
	assert_true(distinct > 1500);
	assert_true(seen[2700] > 0);
	assert_true(seen[4500] > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define R(fn) cmocka_unit_test_setup_teardown(fn, setup_req, teardown_req)
#define E(fn) cmocka_unit_test_setup_teardown(fn, clear_env, clear_env)
		R(test_api_ok),
		R(test_api_ok_null_data),
		R(test_api_ok_replaces_body),
		R(test_api_list),
		R(test_api_list_has_next),
		R(test_api_error),
		R(test_api_error_fields),
		R(test_api_error_custom_code),
		cmocka_unit_test(test_api_code),
		cmocka_unit_test(test_api_dump),
		R(test_page_defaults),
		R(test_page_values),
		R(test_page_limit_one),
		R(test_page_limit_too_big),
		R(test_page_invalid),
		R(test_page_both_invalid),
		cmocka_unit_test(test_buf_basics),
		cmocka_unit_test(test_buf_oom_sticky),
		cmocka_unit_test(test_buf_html),
		cmocka_unit_test(test_arena_alignment),
		cmocka_unit_test(test_arena_distinct),
		cmocka_unit_test(test_arena_strings),
		cmocka_unit_test(test_arena_reset),
		E(test_config_defaults),
		E(test_config_from_env),
		E(test_config_invalid),
		cmocka_unit_test(test_config_mask),
		cmocka_unit_test(test_config_mask_uri),
		E(test_config_print_masks),
		cmocka_unit_test(test_backoff_bounds),
		cmocka_unit_test(test_backoff_growth_and_cap),
		cmocka_unit_test(test_backoff_deterministic_and_spread),
#undef R
#undef E
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
