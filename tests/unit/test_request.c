/* Unit tests of fcgi/core/request.c: urlencoded bodies and query strings,
 * cookies, JSON bodies, media types and header parameters, percent
 * decoding. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "request.h"
#include "utf8.h"

struct fx {
	arena		*a;
	struct kvlist	 l;
	struct req_error err;
};

static int
setup(void **state)
{
	struct fx	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	if ((f->a = arena_new()) == NULL) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;

	arena_free(f->a);
	free(f);
	return 0;
}

static int
form(struct fx *f, const char *s)
{
	memset(&f->l, 0, sizeof(f->l));
	memset(&f->err, 0, sizeof(f->err));
	return req_parse_urlencoded(f->a, s, strlen(s), &req_default_limits,
	    &f->l, &f->err);
}

static int
cookies(struct fx *f, const char *s)
{
	memset(&f->l, 0, sizeof(f->l));
	memset(&f->err, 0, sizeof(f->err));
	return req_parse_cookies(f->a, s, &req_default_limits, &f->l, &f->err);
}

/* Every successful parse yields text values whose len matches. */
static void
assert_values_are_text(const struct kvlist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		assert_non_null(l->v[i].name);
		assert_non_null(l->v[i].value);
		assert_int_equal(strlen(l->v[i].value), l->v[i].len);
		assert_true(utf8_valid_text(l->v[i].value, l->v[i].len));
		assert_true(utf8_valid_text(l->v[i].name,
		    strlen(l->v[i].name)));
	}
}

/* --- urlencoded ------------------------------------------------------- */

static void
test_form_plain(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(form(f, "a=1&bb=two&c=3"), 0);
	assert_int_equal(f->l.n, 3);
	assert_string_equal(f->l.v[0].name, "a");
	assert_string_equal(f->l.v[0].value, "1");
	assert_string_equal(f->l.v[1].name, "bb");
	assert_string_equal(f->l.v[1].value, "two");
	assert_int_equal(f->l.v[1].len, 3);
	assert_string_equal(kvlist_get(&f->l, "c"), "3");
	assert_null(kvlist_get(&f->l, "d"));
	assert_values_are_text(&f->l);
}

static void
test_form_plus_and_percent(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(form(f,
	    "q=hello+world&e=caf%C3%A9&amp=a%26b%3Dc&n%61me=x&p=%2B"), 0);
	assert_int_equal(f->l.n, 5);
	assert_string_equal(kvlist_get(&f->l, "q"), "hello world");
	assert_string_equal(kvlist_get(&f->l, "e"), "caf\xc3\xa9");
	assert_int_equal(f->l.v[1].len, 5);
	assert_string_equal(kvlist_get(&f->l, "amp"), "a&b=c");
	assert_string_equal(kvlist_get(&f->l, "name"), "x");
	assert_string_equal(kvlist_get(&f->l, "p"), "+");
	assert_values_are_text(&f->l);
}

static void
test_form_lowercase_hex(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(form(f, "e=caf%c3%a9"), 0);
	assert_string_equal(kvlist_get(&f->l, "e"), "caf\xc3\xa9");
}

static void
test_form_empty_value_and_missing_eq(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(form(f, "a=&b&c=x=y"), 0);
	assert_int_equal(f->l.n, 3);
	assert_string_equal(f->l.v[0].name, "a");
	assert_string_equal(f->l.v[0].value, "");
	assert_int_equal(f->l.v[0].len, 0);
	assert_string_equal(f->l.v[1].name, "b");
	assert_string_equal(f->l.v[1].value, "");
	assert_string_equal(f->l.v[2].name, "c");
	assert_string_equal(f->l.v[2].value, "x=y");
}

static void
test_form_empty_pieces_skipped(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(form(f, "&&a=1&&&=orphan&b=2&"), 0);
	assert_int_equal(f->l.n, 2);
	assert_string_equal(f->l.v[0].name, "a");
	assert_string_equal(f->l.v[1].name, "b");

	assert_int_equal(form(f, ""), 0);
	assert_int_equal(f->l.n, 0);
	assert_int_equal(form(f, "&"), 0);
	assert_int_equal(f->l.n, 0);
}

static void
test_form_repeated_names(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(form(f, "t=1&t=2&u=0&t=3"), 0);
	assert_int_equal(f->l.n, 4);
	assert_string_equal(f->l.v[0].value, "1");
	assert_string_equal(f->l.v[1].value, "2");
	assert_string_equal(f->l.v[3].name, "t");
	assert_string_equal(f->l.v[3].value, "3");
	/* kvlist_get gives the first. */
	assert_string_equal(kvlist_get(&f->l, "t"), "1");
}

static void
test_form_bad_escape(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(form(f, "a=%G1"), -1);
	assert_int_equal(f->err.status, 400);
	assert_non_null(f->err.message);
	assert_int_equal(form(f, "a=%1"), -1);
	assert_int_equal(f->err.status, 400);
	assert_int_equal(form(f, "a=1&b=%"), -1);
	assert_int_equal(f->err.status, 400);
	assert_int_equal(form(f, "%zz=1"), -1);
	assert_int_equal(f->err.status, 400);
}

static void
test_form_invalid_utf8(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(form(f, "a=%FF"), -1);
	assert_int_equal(f->err.status, 400);
	/* Overlong '/' and a lone surrogate. */
	assert_int_equal(form(f, "a=%C0%AF"), -1);
	assert_int_equal(f->err.status, 400);
	assert_int_equal(form(f, "a=%ED%A0%80"), -1);
	assert_int_equal(f->err.status, 400);
	/* Truncated sequence in a name. */
	assert_int_equal(form(f, "%C3=1"), -1);
	assert_int_equal(f->err.status, 400);
	/* Raw invalid bytes too, not only escapes. */
	assert_int_equal(form(f, "a=\xfe"), -1);
	assert_int_equal(f->err.status, 400);
}

static void
test_form_nul(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(form(f, "a=x%00y"), -1);
	assert_int_equal(f->err.status, 400);
	assert_int_equal(form(f, "a%00b=1"), -1);
	assert_int_equal(f->err.status, 400);
}

static void
test_form_raw_nul_in_buffer(void **state)
{
	struct fx	*f = *state;
	static const char body[] = "a=1&b=x\0y";

	memset(&f->l, 0, sizeof(f->l));
	assert_int_equal(req_parse_urlencoded(f->a, body, sizeof(body) - 1,
	    &req_default_limits, &f->l, &f->err), -1);
	assert_int_equal(f->err.status, 400);
}

static void
test_form_too_many_fields(void **state)
{
	struct fx		*f = *state;
	struct req_limits	 lim = req_default_limits;
	char			 s[64 * 8];
	size_t			 i, o = 0;

	lim.max_fields = 4;
	for (i = 0; i < 5; i++)
		o += (size_t)snprintf(s + o, sizeof(s) - o, "%sf%zu=v",
		    i ? "&" : "", i);
	memset(&f->l, 0, sizeof(f->l));
	assert_int_equal(req_parse_urlencoded(f->a, s, o, &lim, &f->l,
	    &f->err), -1);
	assert_int_equal(f->err.status, 413);

	/* Exactly the limit is fine. */
	memset(&f->l, 0, sizeof(f->l));
	o = strlen("f0=v&f1=v&f2=v&f3=v");
	assert_int_equal(req_parse_urlencoded(f->a, "f0=v&f1=v&f2=v&f3=v", o,
	    &lim, &f->l, &f->err), 0);
	assert_int_equal(f->l.n, 4);
}

static void
test_form_default_field_limit(void **state)
{
	struct fx	*f = *state;
	char		*s;
	size_t		 i, o = 0, n = req_default_limits.max_fields + 1;

	s = malloc(n * 16);
	assert_non_null(s);
	for (i = 0; i < n; i++)
		o += (size_t)sprintf(s + o, "%sk%zu=1", i ? "&" : "", i);
	memset(&f->l, 0, sizeof(f->l));
	assert_int_equal(req_parse_urlencoded(f->a, s, o, &req_default_limits,
	    &f->l, &f->err), -1);
	assert_int_equal(f->err.status, 413);
	free(s);
}

static void
test_form_too_long(void **state)
{
	struct fx		*f = *state;
	struct req_limits	 lim = req_default_limits;

	lim.max_name = 4;
	lim.max_value = 8;
	memset(&f->l, 0, sizeof(f->l));
	assert_int_equal(req_parse_urlencoded(f->a, "abcd=12345678", 13, &lim,
	    &f->l, &f->err), 0);
	assert_int_equal(f->l.n, 1);

	memset(&f->l, 0, sizeof(f->l));
	assert_int_equal(req_parse_urlencoded(f->a, "abcde=1", 7, &lim,
	    &f->l, &f->err), -1);
	assert_int_equal(f->err.status, 413);

	memset(&f->l, 0, sizeof(f->l));
	assert_int_equal(req_parse_urlencoded(f->a, "a=123456789", 11, &lim,
	    &f->l, &f->err), -1);
	assert_int_equal(f->err.status, 413);

	/* The limit is on decoded bytes: 8 escaped bytes fit. */
	memset(&f->l, 0, sizeof(f->l));
	assert_int_equal(req_parse_urlencoded(f->a,
	    "a=%41%41%41%41%41%41%41%41", 26, &lim, &f->l, &f->err), 0);
	assert_string_equal(f->l.v[0].value, "AAAAAAAA");
	/* ... and 9 do not, even though their raw form is short enough. */
	memset(&f->l, 0, sizeof(f->l));
	assert_int_equal(req_parse_urlencoded(f->a,
	    "a=%41%41%41%41%41%41%41%41%41", 29, &lim, &f->l, &f->err), -1);
	assert_int_equal(f->err.status, 413);
}

static void
test_form_body_too_large(void **state)
{
	struct fx		*f = *state;
	struct req_limits	 lim = req_default_limits;

	lim.max_body = 5;
	memset(&f->l, 0, sizeof(f->l));
	assert_int_equal(req_parse_urlencoded(f->a, "a=123", 5, &lim, &f->l,
	    &f->err), 0);
	memset(&f->l, 0, sizeof(f->l));
	assert_int_equal(req_parse_urlencoded(f->a, "a=1234", 6, &lim, &f->l,
	    &f->err), -1);
	assert_int_equal(f->err.status, 413);
}

static void
test_form_length_bounded(void **state)
{
	struct fx	*f = *state;

	/* Only n bytes are read: the rest of the string is not part of it. */
	memset(&f->l, 0, sizeof(f->l));
	assert_int_equal(req_parse_urlencoded(f->a, "a=1&b=%ZZ", 3,
	    &req_default_limits, &f->l, &f->err), 0);
	assert_int_equal(f->l.n, 1);
	assert_string_equal(f->l.v[0].value, "1");
}

static void
test_kvlist_grows(void **state)
{
	struct fx	*f = *state;
	char		 name[16];
	size_t		 i;

	memset(&f->l, 0, sizeof(f->l));
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "n%zu", i);
		assert_int_equal(kvlist_add(f->a, &f->l,
		    arena_strdup(f->a, name), "v", 1), 0);
	}
	assert_int_equal(f->l.n, 100);
	assert_true(f->l.cap >= 100);
	assert_string_equal(f->l.v[0].name, "n0");
	assert_string_equal(f->l.v[99].name, "n99");
	assert_string_equal(kvlist_get(&f->l, "n57"), "v");
	assert_null(kvlist_get(&f->l, "n100"));
}

/* --- cookies ---------------------------------------------------------- */

static void
test_cookies_basic(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(cookies(f, "sid=abc123; lang=fr;theme=dark"), 0);
	assert_int_equal(f->l.n, 3);
	assert_string_equal(kvlist_get(&f->l, "sid"), "abc123");
	assert_string_equal(kvlist_get(&f->l, "lang"), "fr");
	assert_string_equal(kvlist_get(&f->l, "theme"), "dark");
	assert_values_are_text(&f->l);
}

static void
test_cookies_spaces(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(cookies(f, "  a=1 ;\tb = 2\t;  c= 3  "), 0);
	assert_int_equal(f->l.n, 3);
	assert_string_equal(f->l.v[0].name, "a");
	assert_string_equal(f->l.v[0].value, "1");
	assert_string_equal(f->l.v[1].name, "b");
	assert_string_equal(f->l.v[1].value, "2");
	assert_int_equal(f->l.v[1].len, 1);
	assert_string_equal(f->l.v[2].name, "c");
	assert_string_equal(f->l.v[2].value, "3");
}

static void
test_cookies_quoted(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(cookies(f, "a=\"hello\"; b=\"\"; c=\"; d= \"x\""), 0);
	assert_string_equal(kvlist_get(&f->l, "a"), "hello");
	assert_string_equal(kvlist_get(&f->l, "b"), "");
	/* A lone quote is kept as it is. */
	assert_string_equal(kvlist_get(&f->l, "c"), "\"");
	assert_string_equal(kvlist_get(&f->l, "d"), "x");
}

static void
test_cookies_no_equals(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(cookies(f, "flag; a=1; =orphan; ;;b=2"), 0);
	assert_int_equal(f->l.n, 2);
	assert_string_equal(f->l.v[0].name, "a");
	assert_string_equal(f->l.v[1].name, "b");
	assert_null(kvlist_get(&f->l, "flag"));

	assert_int_equal(cookies(f, ""), 0);
	assert_int_equal(f->l.n, 0);
	assert_int_equal(cookies(f, NULL), 0);
	assert_int_equal(f->l.n, 0);
}

static void
test_cookies_value_keeps_equals(void **state)
{
	struct fx	*f = *state;

	/* Base64 values end in '=' and cookies are not percent-decoded. */
	assert_int_equal(cookies(f, "t=YWJj==; p=a%20b+c"), 0);
	assert_string_equal(kvlist_get(&f->l, "t"), "YWJj==");
	assert_string_equal(kvlist_get(&f->l, "p"), "a%20b+c");
}

static void
test_cookies_invalid_utf8(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(cookies(f, "a=\xff\xfe"), -1);
	assert_int_equal(f->err.status, 400);
	assert_int_equal(cookies(f, "ok=1; \xc3=1"), -1);
	assert_int_equal(f->err.status, 400);
	/* Valid UTF-8 is fine. */
	assert_int_equal(cookies(f, "nom=Ren\xc3\xa9"), 0);
	assert_string_equal(kvlist_get(&f->l, "nom"), "Ren\xc3\xa9");
}

static void
test_cookies_too_many_and_too_long(void **state)
{
	struct fx		*f = *state;
	struct req_limits	 lim = req_default_limits;
	char			*big;

	lim.max_fields = 2;
	memset(&f->l, 0, sizeof(f->l));
	assert_int_equal(req_parse_cookies(f->a, "a=1; b=2", &lim, &f->l,
	    &f->err), 0);
	memset(&f->l, 0, sizeof(f->l));
	assert_int_equal(req_parse_cookies(f->a, "a=1; b=2; c=3", &lim,
	    &f->l, &f->err), -1);
	assert_int_equal(f->err.status / 100, 4);

	big = malloc(8192);
	assert_non_null(big);
	memset(big, 'x', 8191);
	big[0] = 'v';
	big[1] = '=';
	big[8191] = '\0';
	assert_int_equal(cookies(f, big), -1);
	assert_int_equal(f->err.status / 100, 4);
	free(big);
}

/* --- JSON ------------------------------------------------------------- */

static int
json(struct fx *f, const char *s, const struct req_limits *lim, json_t **out)
{
	memset(&f->err, 0, sizeof(f->err));
	return req_parse_json(f->a, s, strlen(s),
	    lim ? lim : &req_default_limits, out, &f->err);
}

static void
test_json_valid(void **state)
{
	struct fx	*f = *state;
	json_t		*j = NULL;

	assert_int_equal(json(f,
	    "{\"name\":\"Cl\\u00e9o\",\"n\":3,\"tags\":[\"a\",\"b\"],"
	    "\"o\":{\"k\":null}}", NULL, &j), 0);
	assert_non_null(j);
	assert_true(json_is_object(j));
	assert_string_equal(json_string_value(json_object_get(j, "name")),
	    "Cl\xc3\xa9o");
	assert_int_equal(json_integer_value(json_object_get(j, "n")), 3);
	assert_int_equal(json_array_size(json_object_get(j, "tags")), 2);
	json_decref(j);
}

static void
test_json_invalid(void **state)
{
	struct fx	*f = *state;
	json_t		*j = (json_t *)&j;
	static const char *bad[] = {
		"", "{", "{\"a\":}", "{'a':1}", "{\"a\":1,}", "[1,2",
		"{\"a\":1} trailing", "nul", "{\"a\":\"\\x\"}",
	};
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		j = (json_t *)&j;
		assert_int_equal(json(f, bad[i], NULL, &j), -1);
		assert_null(j);
		assert_int_equal(f->err.status, 400);
		assert_non_null(f->err.message);
	}
}

static void
test_json_invalid_utf8(void **state)
{
	struct fx	*f = *state;
	json_t		*j = NULL;
	static const char body[] = "{\"a\":\"x\0\"}";

	assert_int_equal(json(f, "{\"a\":\"\xff\"}", NULL, &j), -1);
	assert_int_equal(f->err.status, 400);
	assert_null(j);
	assert_int_equal(req_parse_json(f->a, body, sizeof(body) - 1,
	    &req_default_limits, &j, &f->err), -1);
	assert_int_equal(f->err.status, 400);
	assert_null(j);
}

static char *
nested(size_t depth)
{
	char	*s;
	size_t	 i;

	s = malloc(depth * 2 + 8);
	assert_non_null(s);
	for (i = 0; i < depth; i++)
		s[i] = '[';
	s[depth] = '1';
	for (i = 0; i < depth; i++)
		s[depth + 1 + i] = ']';
	s[depth * 2 + 1] = '\0';
	return s;
}

static void
test_json_depth(void **state)
{
	struct fx	*f = *state;
	json_t		*j = NULL;
	size_t		 max = req_default_limits.max_json_depth;
	char		*s;

	s = nested(max);
	assert_int_equal(json(f, s, NULL, &j), 0);
	assert_non_null(j);
	json_decref(j);
	free(s);

	s = nested(max + 1);
	assert_int_equal(json(f, s, NULL, &j), -1);
	assert_int_equal(f->err.status, 400);
	assert_null(j);
	free(s);

	/* Objects count too, and brackets inside strings do not. */
	assert_int_equal(json(f, "{\"a\":{\"b\":{\"c\":1}}}", NULL, &j), 0);
	json_decref(j);
	s = malloc(4096);
	assert_non_null(s);
	snprintf(s, 4096, "{\"s\":\"%s\\\"[[\"}",
	    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[");
	assert_int_equal(json(f, s, NULL, &j), 0);
	assert_non_null(j);
	json_decref(j);
	free(s);
}

static void
test_json_depth_custom_limit(void **state)
{
	struct fx		*f = *state;
	struct req_limits	 lim = req_default_limits;
	json_t			*j = NULL;

	lim.max_json_depth = 2;
	assert_int_equal(json(f, "{\"a\":[1]}", &lim, &j), 0);
	json_decref(j);
	assert_int_equal(json(f, "{\"a\":[{}]}", &lim, &j), -1);
	assert_int_equal(f->err.status, 400);
}

static void
test_json_duplicate_keys(void **state)
{
	struct fx	*f = *state;
	json_t		*j = NULL;

	assert_int_equal(json(f, "{\"a\":1,\"a\":2}", NULL, &j), -1);
	assert_int_equal(f->err.status, 400);
	assert_null(j);
	assert_int_equal(json(f, "{\"o\":{\"k\":1,\"k\":1}}", NULL, &j), -1);
	assert_int_equal(f->err.status, 400);
}

static void
test_json_nul_escape(void **state)
{
	struct fx	*f = *state;
	json_t		*j = NULL;

	assert_int_equal(json(f, "{\"a\":\"x\\u0000y\"}", NULL, &j), -1);
	assert_int_equal(f->err.status, 400);
	assert_null(j);
	assert_int_equal(json(f, "{\"\\u0000\":1}", NULL, &j), -1);
	assert_int_equal(f->err.status, 400);
}

static void
test_json_too_large(void **state)
{
	struct fx		*f = *state;
	struct req_limits	 lim = req_default_limits;
	json_t			*j = NULL;

	lim.max_body = 8;
	assert_int_equal(json(f, "{\"a\":1}", &lim, &j), 0);
	json_decref(j);
	assert_int_equal(json(f, "{\"ab\":12}", &lim, &j), -1);
	assert_int_equal(f->err.status, 413);
	assert_null(j);
}

/* --- media type, header parameters, percent decoding ------------------ */

static void
test_media_type(void **state)
{
	struct fx	*f = *state;

	assert_string_equal(req_media_type(f->a,
	    "Application/JSON; charset=utf-8"), "application/json");
	assert_string_equal(req_media_type(f->a,
	    "  multipart/form-data;boundary=x"), "multipart/form-data");
	assert_string_equal(req_media_type(f->a, "text/plain"), "text/plain");
	assert_string_equal(req_media_type(f->a, "text/html ; q=1"),
	    "text/html");
	assert_string_equal(req_media_type(f->a, ""), "");
	assert_null(req_media_type(f->a, NULL));
}

static void
test_header_param(void **state)
{
	struct fx	*f = *state;
	const char	*ct = "multipart/form-data; boundary=----abc123";
	const char	*cd = "form-data; name=\"doc\"; filename=\"a b.pdf\"";

	assert_string_equal(req_header_param(f->a, ct, "boundary"),
	    "----abc123");
	assert_string_equal(req_header_param(f->a, cd, "name"), "doc");
	assert_string_equal(req_header_param(f->a, cd, "filename"),
	    "a b.pdf");
	/* The name is case-insensitive; values are kept as sent. */
	assert_string_equal(req_header_param(f->a,
	    "multipart/form-data; BOUNDARY=XyZ", "boundary"), "XyZ");
	assert_string_equal(req_header_param(f->a,
	    "text/plain;charset=UTF-8", "Charset"), "UTF-8");
	/* Unquoted values end at ';' or blank. */
	assert_string_equal(req_header_param(f->a,
	    "text/plain; charset=utf-8; format=flowed", "charset"), "utf-8");
	assert_string_equal(req_header_param(f->a,
	    "text/plain; format=flowed", "format"), "flowed");
	/* Quoted values may hold ';' and '='. */
	assert_string_equal(req_header_param(f->a,
	    "form-data; name=\"a;b=c\"", "name"), "a;b=c");
	assert_string_equal(req_header_param(f->a,
	    "form-data; name=\"\"", "name"), "");
}

static void
test_header_param_absent(void **state)
{
	struct fx	*f = *state;

	assert_null(req_header_param(f->a, NULL, "boundary"));
	assert_null(req_header_param(f->a, "multipart/form-data",
	    "boundary"));
	assert_null(req_header_param(f->a, "form-data; filename=\"x\"",
	    "name"));
	assert_null(req_header_param(f->a, "form-data; name", "name"));
	/* Unterminated quote. */
	assert_null(req_header_param(f->a, "form-data; name=\"abc", "name"));
	/* The media type itself is not a parameter. */
	assert_null(req_header_param(f->a, "boundary=x", "boundary"));
}

static void
test_header_param_quoted_semicolon(void **state)
{
	struct fx	*f = *state;
	const char	*cd = "form-data; name=\"a; filename=evil.exe\"";

	/* A ';' inside a quoted value does not start a new parameter. */
	assert_string_equal(req_header_param(f->a, cd, "name"),
	    "a; filename=evil.exe");
	assert_null(req_header_param(f->a, cd, "filename"));
}

static void
test_percent_decode(void **state)
{
	char	out[64];
	char	inplace[] = "a%20b+c%2Bd";

	(void)state;
	assert_int_equal(req_percent_decode(out, "a%20b+c", 7, 1), 5);
	assert_string_equal(out, "a b c");
	assert_int_equal(req_percent_decode(out, "a%20b+c", 7, 0), 5);
	assert_string_equal(out, "a b+c");
	assert_int_equal(req_percent_decode(out, "%41%4a%4A", 9, 0), 3);
	assert_string_equal(out, "AJJ");
	assert_int_equal(req_percent_decode(out, "", 0, 1), 0);
	assert_string_equal(out, "");
	assert_int_equal(req_percent_decode(out, "%", 1, 1), -1);
	assert_int_equal(req_percent_decode(out, "%4", 2, 1), -1);
	assert_int_equal(req_percent_decode(out, "x%4G", 4, 1), -1);
	assert_int_equal(req_percent_decode(out, "%%41", 4, 1), -1);
	/* Decoding %00 gives a NUL byte; callers check text afterwards. */
	assert_int_equal(req_percent_decode(out, "a%00b", 5, 0), 3);
	assert_int_equal(out[1], '\0');
	assert_int_equal(out[2], 'b');
	/* Only n bytes are read. */
	assert_int_equal(req_percent_decode(out, "ab%zz", 2, 0), 2);
	assert_string_equal(out, "ab");
	/* In place. */
	assert_int_equal(req_percent_decode(inplace, inplace,
	    strlen(inplace), 1), 7);
	assert_string_equal(inplace, "a b c+d");
}

static void
test_utf8_valid_text(void **state)
{
	(void)state;
	assert_true(utf8_valid_text("", 0));
	assert_true(utf8_valid_text("plain", 5));
	assert_true(utf8_valid_text("\xc3\xa9", 2));
	assert_true(utf8_valid_text("\xe2\x82\xac", 3));		/* € */
	assert_true(utf8_valid_text("\xf0\x9f\x9a\x97", 4));	/* 🚗 */
	assert_true(utf8_valid_text("\xf4\x8f\xbf\xbf", 4));	/* U+10FFFF */
	assert_true(utf8_valid_text("\xed\x9f\xbf", 3));	/* U+D7FF */
	assert_false(utf8_valid_text("a\0b", 3));
	assert_false(utf8_valid_text("\x80", 1));
	assert_false(utf8_valid_text("\xc0\x80", 2));
	assert_false(utf8_valid_text("\xc1\xbf", 2));
	assert_false(utf8_valid_text("\xe0\x80\xaf", 3));
	assert_false(utf8_valid_text("\xed\xa0\x80", 3));	/* surrogate */
	assert_false(utf8_valid_text("\xf0\x80\x80\xaf", 4));
	assert_false(utf8_valid_text("\xf4\x90\x80\x80", 4));	/* > U+10FFFF */
	assert_false(utf8_valid_text("\xf5\x80\x80\x80", 4));
	assert_false(utf8_valid_text("\xe2\x82", 2));		/* truncated */
	assert_false(utf8_valid_text("\xe2\x82\x41", 3));
	assert_false(utf8_valid_text("\xff", 1));
	/* n bounds the check. */
	assert_true(utf8_valid_text("ab\xff", 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_form_plain),
		T(test_form_plus_and_percent),
		T(test_form_lowercase_hex),
		T(test_form_empty_value_and_missing_eq),
		T(test_form_empty_pieces_skipped),
		T(test_form_repeated_names),
		T(test_form_bad_escape),
		T(test_form_invalid_utf8),
		T(test_form_nul),
		T(test_form_raw_nul_in_buffer),
		T(test_form_too_many_fields),
		T(test_form_default_field_limit),
		T(test_form_too_long),
		T(test_form_body_too_large),
		T(test_form_length_bounded),
		T(test_kvlist_grows),
		T(test_cookies_basic),
		T(test_cookies_spaces),
		T(test_cookies_quoted),
		T(test_cookies_no_equals),
		T(test_cookies_value_keeps_equals),
		T(test_cookies_invalid_utf8),
		T(test_cookies_too_many_and_too_long),
		T(test_json_valid),
		T(test_json_invalid),
		T(test_json_invalid_utf8),
		T(test_json_depth),
		T(test_json_depth_custom_limit),
		T(test_json_duplicate_keys),
		T(test_json_nul_escape),
		T(test_json_too_large),
		T(test_media_type),
		T(test_header_param),
		T(test_header_param_absent),
		T(test_header_param_quoted_semicolon),
		T(test_percent_decode),
		T(test_utf8_valid_text),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
