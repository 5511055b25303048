/* Unit tests of the Mustache engine: the flags, error positions, loading
 * a folder, and the buffer contract.  The specification itself is
 * covered by tests/spec. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "tmpl.h"

/* Compiles `src` as "t" into a new set and renders it with `json`;
 * returns the output (caller frees) or NULL, with err filled. */
static char *
render_one(int flags, const char *src, const char *json, char *err,
    size_t errlen)
{
	tmpl_set	*set;
	json_t		*data;
	buf		 out;
	char		*s = NULL;

	assert_non_null(set = tmpl_set_new(flags));
	assert_non_null(data = json_loads(json, JSON_DECODE_ANY, NULL));
	buf_init(&out);
	if (tmpl_set_add(set, "t", src, strlen(src), err, errlen) == 0 &&
	    tmpl_render(set, "t", data, &out, err, errlen) == 0)
		assert_non_null(s = strdup(buf_cstr(&out)));
	buf_free(&out);
	json_decref(data);
	tmpl_set_free(set);
	return s;
}

static void
assert_renders(int flags, const char *src, const char *json,
    const char *want)
{
	char	 err[256] = "";
	char	*got = render_one(flags, src, json, err, sizeof(err));

	if (got == NULL)
		fail_msg("render failed: %s", err);
	assert_string_equal(got, want);
	free(got);
}

/* Compiling `src` as "t" fails with exactly `want`. */
static void
assert_compile_error(const char *src, const char *want)
{
	tmpl_set	*set;
	char		 err[256] = "";

	assert_non_null(set = tmpl_set_new(0));
	assert_int_equal(tmpl_set_add(set, "t", src, strlen(src), err,
	    sizeof(err)), -1);
	assert_string_equal(err, want);
	assert_false(tmpl_set_has(set, "t"));
	assert_int_equal(tmpl_set_count(set), 0);
	tmpl_set_free(set);
}

/* --- TMPL_TRUSTED_RAW_ONLY -------------------------------------------- */

static const char raw_src[] =
    "{{{body_html}}}|{{{page.body_html}}}|{{{name}}}|{{&name}}|"
    "{{&intro_html}}|{{name}}|{{{.}}}";
static const char raw_data[] =
    "{\"body_html\":\"<b>\",\"page\":{\"body_html\":\"<i>\"},"
    "\"name\":\"<s>\",\"intro_html\":\"<u>\"}";

static void
test_trusted_raw_only(void **state)
{
	(void)state;
	assert_renders(TMPL_TRUSTED_RAW_ONLY, raw_src, raw_data,
	    "<b>|<i>|&lt;s&gt;|&lt;s&gt;|<u>|&lt;s&gt;|");
}

static void
test_trusted_raw_only_sections(void **state)
{
	(void)state;
	/* The implicit iterator has no name, so it is never trusted. */
	assert_renders(TMPL_TRUSTED_RAW_ONLY,
	    "{{#l}}{{{.}}}{{/l}}{{#p}}{{{x_html}}}{{{x}}}{{/p}}",
	    "{\"l\":[\"<a>\"],\"p\":{\"x_html\":\"<h>\",\"x\":\"<y>\"}}",
	    "&lt;a&gt;<h>&lt;y&gt;");
	/* A name merely containing _html is not trusted. */
	assert_renders(TMPL_TRUSTED_RAW_ONLY, "{{{a_html.b}}}{{{x_htmlx}}}",
	    "{\"a_html\":{\"b\":\"<1>\"},\"x_htmlx\":\"<2>\"}",
	    "&lt;1&gt;&lt;2&gt;");
}

static void
test_raw_without_flag(void **state)
{
	(void)state;
	assert_renders(0, raw_src, raw_data, "<b>|<i>|<s>|<s>|<u>|&lt;s&gt;|");
}

/* --- TMPL_STRICT_PARTIALS --------------------------------------------- */

static void
add_ok(tmpl_set *set, const char *name, const char *src)
{
	char	 err[256] = "";

	if (tmpl_set_add(set, name, src, strlen(src), err, sizeof(err)) == -1)
		fail_msg("add %s: %s", name, err);
}

static void
test_strict_missing_partial(void **state)
{
	tmpl_set	*set;
	char		 err[256] = "";

	(void)state;
	assert_non_null(set = tmpl_set_new(TMPL_STRICT_PARTIALS));
	add_ok(set, "field", "<input>");
	add_ok(set, "page", "a\n  {{>field}}\n  {{> rows }}\n");
	assert_int_equal(tmpl_set_check(set, err, sizeof(err)), -1);
	assert_string_equal(err, "page:3:3: unknown partial 'rows'");
	add_ok(set, "rows", "r");
	assert_int_equal(tmpl_set_check(set, err, sizeof(err)), 0);
	tmpl_set_free(set);
}

static void
test_strict_missing_parent(void **state)
{
	tmpl_set	*set;
	char		 err[256] = "";

	(void)state;
	assert_non_null(set = tmpl_set_new(TMPL_STRICT_PARTIALS));
	add_ok(set, "list", "x {{<layout}}{{$body}}b{{/body}}{{/layout}}");
	assert_int_equal(tmpl_set_check(set, err, sizeof(err)), -1);
	assert_string_equal(err, "list:1:3: unknown parent 'layout'");
	tmpl_set_free(set);
}

static void
test_lenient_missing_partial(void **state)
{
	tmpl_set	*set;
	char		 err[256] = "";
	buf		 out;

	(void)state;
	assert_non_null(set = tmpl_set_new(0));
	add_ok(set, "page", "a{{>nope}}b{{<gone}}{{$x}}y{{/x}}{{/gone}}c");
	assert_int_equal(tmpl_set_check(set, err, sizeof(err)), 0);
	buf_init(&out);
	assert_int_equal(tmpl_render(set, "page", NULL, &out, err,
	    sizeof(err)), 0);
	assert_string_equal(buf_cstr(&out), "abc");
	buf_free(&out);
	tmpl_set_free(set);
}

/* --- syntax errors ---------------------------------------------------- */

static void
test_error_unclosed_section(void **state)
{
	(void)state;
	assert_compile_error("line one\n  {{#a}}\nx\n",
	    "t:2:3: unclosed section 'a'");
	assert_compile_error("{{#a}}{{^b}}{{/b}}",
	    "t:1:1: unclosed section 'a'");
	assert_compile_error("\n\n {{<layout}}",
	    "t:3:2: unclosed parent 'layout'");
	assert_compile_error("{{$block}}", "t:1:1: unclosed block 'block'");
}

static void
test_error_mismatched_close(void **state)
{
	(void)state;
	assert_compile_error("{{#a}}x\n {{/b}}",
	    "t:2:2: closing tag 'b' does not match open section 'a' at 1:1");
	assert_compile_error("ok {{/a}}",
	    "t:1:4: closing tag 'a' without an open section");
}

static void
test_error_unclosed_tag(void **state)
{
	(void)state;
	assert_compile_error("Hello\nab {{name", "t:2:4: unclosed tag");
	assert_compile_error("{{{name}}", "t:1:1: unclosed tag");
	assert_compile_error("{{! never closed", "t:1:1: unclosed tag");
}

static void
test_error_bad_delimiters(void **state)
{
	const char	*want = "t:1:3: invalid delimiter change: expected "
	    "two delimiters separated by a space";

	(void)state;
	assert_compile_error("x {{=<% =}}", want);
	assert_compile_error("x {{=<% %> [ ]=}}", want);
	assert_compile_error("x {{= =}}", want);
	assert_compile_error("x {{=<% %>", "t:1:3: unclosed tag");
	/* Positions after a change still count in the source. */
	assert_compile_error("{{=<% %>=}}\nab<%#rows%>",
	    "t:2:3: unclosed section 'rows'");
}

static void
test_error_names(void **state)
{
	(void)state;
	assert_compile_error("{{a b}}", "t:1:1: invalid tag name 'a b'");
	assert_compile_error("{{ }}", "t:1:1: empty tag");
	assert_compile_error("{{#}}{{/}}", "t:1:1: empty tag");
	assert_compile_error("{{a..b}}", "t:1:1: invalid name 'a..b'");
	/* Columns count characters, not bytes. */
	assert_compile_error("\xc3\xa9t\xc3\xa9 {{#a}}",
	    "t:1:5: unclosed section 'a'");
}

static void
test_duplicate_and_unknown(void **state)
{
	tmpl_set	*set;
	char		 err[256] = "";
	buf		 out;

	(void)state;
	assert_non_null(set = tmpl_set_new(0));
	add_ok(set, "a", "A");
	assert_int_equal(tmpl_set_add(set, "a", "B", 1, err, sizeof(err)), -1);
	assert_string_equal(err, "a:1:1: duplicate template 'a'");
	buf_init(&out);
	assert_int_equal(tmpl_render(set, "b", NULL, &out, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "unknown template 'b'");
	assert_int_equal(out.len, 0);
	assert_int_equal(tmpl_render(set, "a", NULL, &out, err, sizeof(err)),
	    0);
	assert_string_equal(buf_cstr(&out), "A");
	buf_free(&out);
	tmpl_set_free(set);
}

/* --- loading a folder ------------------------------------------------- */

static void
write_file(const char *dir, const char *rel, const char *text)
{
	char	 path[1024];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void
make_dir(const char *dir, const char *rel)
{
	char	 path[1024];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(mkdir(path, 0700), 0);
}

static void
remove_path(const char *dir, const char *rel)
{
	char	 path[1024];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(remove(path), 0);
}

struct tree {
	char	 dir[64];
};

static int
tree_setup(void **state)
{
	struct tree	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return -1;
	snprintf(t->dir, sizeof(t->dir), "/tmp/test_tmpl.XXXXXX");
	if (mkdtemp(t->dir) == NULL) {
		free(t);
		return -1;
	}
	make_dir(t->dir, "partials");
	make_dir(t->dir, "vehicles");
	make_dir(t->dir, "vehicles/forms");
	make_dir(t->dir, "locales");
	write_file(t->dir, "layout.mustache",
	    "<main>\n  {{$body}}\n  {{/body}}\n</main>\n");
	write_file(t->dir, "partials/field.mustache",
	    "<input name=\"{{name}}\">\n");
	write_file(t->dir, "vehicles/list.mustache",
	    "{{<layout}}\n{{$body}}\n{{#rows}}\n{{>partials/field}}\n"
	    "{{/rows}}\n{{/body}}\n{{/layout}}\n");
	write_file(t->dir, "vehicles/forms/edit.mustache", "{{>vehicles/row}}");
	write_file(t->dir, "locales/en.json", "{\"hello\": \"{{#\"}\n");
	write_file(t->dir, "notes.txt", "{{#broken");
	*state = t;
	return 0;
}

static int
tree_teardown(void **state)
{
	struct tree	*t = *state;
	static const char *const paths[] = {
		"layout.mustache", "partials/field.mustache",
		"vehicles/list.mustache", "vehicles/forms/edit.mustache",
		"locales/en.json", "notes.txt", "vehicles/row.mustache",
		"vehicles/bad.mustache",
		"vehicles/forms", "vehicles", "partials", "locales",
	};
	char		 path[1024];
	size_t		 i;

	/* Some files exist only in some tests. */
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", t->dir, paths[i]);
		(void)remove(path);
	}
	rmdir(t->dir);
	free(t);
	return 0;
}

static void
test_load_dir(void **state)
{
	struct tree	*t = *state;
	tmpl_set	*set;
	json_t		*data;
	char		 err[256] = "";
	buf		 out;
	size_t		 i;
	int		 seen = 0;

	assert_non_null(set = tmpl_set_load_dir(t->dir, 0, err, sizeof(err)));
	assert_int_equal(tmpl_set_count(set), 4);
	assert_true(tmpl_set_has(set, "layout"));
	assert_true(tmpl_set_has(set, "partials/field"));
	assert_true(tmpl_set_has(set, "vehicles/list"));
	assert_true(tmpl_set_has(set, "vehicles/forms/edit"));
	assert_false(tmpl_set_has(set, "locales/en"));
	assert_false(tmpl_set_has(set, "notes"));
	assert_false(tmpl_set_has(set, "layout.mustache"));
	for (i = 0; i < tmpl_set_count(set); i++)
		seen += strcmp(tmpl_set_name(set, i), "partials/field") == 0;
	assert_int_equal(seen, 1);
	assert_null(tmpl_set_name(set, tmpl_set_count(set)));

	assert_non_null(data = json_loads(
	    "{\"rows\":[{\"name\":\"plate\"},{\"name\":\"vin\"}]}", 0, NULL));
	buf_init(&out);
	assert_int_equal(tmpl_render(set, "vehicles/list", data, &out, err,
	    sizeof(err)), 0);
	assert_string_equal(buf_cstr(&out),
	    "<main>\n  <input name=\"plate\">\n  <input name=\"vin\">\n"
	    "</main>\n");
	buf_free(&out);
	json_decref(data);
	tmpl_set_free(set);
}

static void
test_load_dir_strict(void **state)
{
	struct tree	*t = *state;
	tmpl_set	*set;
	char		 err[256] = "";

	set = tmpl_set_load_dir(t->dir, TMPL_STRICT_PARTIALS, err,
	    sizeof(err));
	assert_null(set);
	assert_string_equal(err,
	    "vehicles/forms/edit.mustache:1:1: unknown partial 'vehicles/row'");
	write_file(t->dir, "vehicles/row.mustache", "<tr>");
	assert_non_null(set = tmpl_set_load_dir(t->dir, TMPL_STRICT_PARTIALS,
	    err, sizeof(err)));
	assert_int_equal(tmpl_set_count(set), 5);
	tmpl_set_free(set);
}

static void
test_load_dir_syntax_error(void **state)
{
	struct tree	*t = *state;
	char		 err[256] = "";

	write_file(t->dir, "vehicles/bad.mustache",
	    "<table>\n    {{#rows}}\n<tr>\n</table>\n");
	assert_null(tmpl_set_load_dir(t->dir, 0, err, sizeof(err)));
	assert_string_equal(err,
	    "vehicles/bad.mustache:2:5: unclosed section 'rows'");
	remove_path(t->dir, "vehicles/bad.mustache");
}

static void
test_load_dir_missing(void **state)
{
	char	 err[256] = "";

	(void)state;
	assert_null(tmpl_set_load_dir("/nonexistent/templates", 0, err,
	    sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/templates"));
}

/* --- rendering -------------------------------------------------------- */

static void
test_render_appends(void **state)
{
	tmpl_set	*set;
	json_t		*data;
	char		 err[256] = "";
	buf		 out;

	(void)state;
	assert_non_null(set = tmpl_set_new(0));
	add_ok(set, "hi", "Hello, {{who}}!");
	assert_non_null(data = json_pack("{s:s}", "who", "fleet"));
	buf_init(&out);
	assert_int_equal(buf_puts(&out, "<p>"), 0);
	assert_int_equal(tmpl_render(set, "hi", data, &out, err, sizeof(err)),
	    0);
	assert_int_equal(tmpl_render(set, "hi", data, &out, err, sizeof(err)),
	    0);
	assert_string_equal(buf_cstr(&out), "<p>Hello, fleet!Hello, fleet!");
	buf_free(&out);
	json_decref(data);
	tmpl_set_free(set);
}

static void
test_escaping(void **state)
{
	(void)state;
	assert_renders(0, "{{s}}|{{{s}}}|{{&s}}", "{\"s\":\"a&b<c>d\\\"e'f\"}",
	    "a&amp;b&lt;c&gt;d&quot;e&#39;f|a&b<c>d\"e'f|a&b<c>d\"e'f");
	assert_renders(0, "{{n}} {{r}} {{z}}", "{\"n\":85,\"r\":1.5,\"z\":-3}",
	    "85 1.5 -3");
}

/* A template of `depth` nested sections {{#a}}...{{/a}} around {{v}}
 * and data {"a":{"a":...{"v":"deep"}}}. */
static void
nested(int depth, buf *src, buf *json)
{
	int	 i;

	buf_init(src);
	buf_init(json);
	for (i = 0; i < depth; i++) {
		buf_puts(src, "{{#a}}");
		buf_puts(json, "{\"a\":");
	}
	buf_puts(src, "{{v}}");
	buf_puts(json, "{\"v\":\"deep\"}");
	for (i = 0; i < depth; i++) {
		buf_puts(src, "{{/a}}");
		buf_puts(json, "}");
	}
	assert_false(src->oom || json->oom);
}

static void
test_deep_nesting(void **state)
{
	buf	 src, json;
	char	 err[256] = "";
	char	*got;

	(void)state;
	nested(200, &src, &json);
	assert_renders(0, buf_cstr(&src), buf_cstr(&json), "deep");
	buf_free(&src);
	buf_free(&json);

	nested(1000, &src, &json);
	got = render_one(0, buf_cstr(&src), buf_cstr(&json), err, sizeof(err));
	assert_null(got);
	assert_non_null(strstr(err, "too deep"));
	buf_free(&src);
	buf_free(&json);
}

static void
test_endless_recursion(void **state)
{
	tmpl_set	*set;
	char		 err[256] = "";
	buf		 out;

	(void)state;
	assert_non_null(set = tmpl_set_new(0));
	add_ok(set, "loop", "x{{>loop}}");
	add_ok(set, "self", "{{<self}}{{/self}}");
	buf_init(&out);
	assert_int_equal(buf_puts(&out, "keep"), 0);
	assert_int_equal(tmpl_render(set, "loop", NULL, &out, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "templates nested too deep");
	/* A failed render leaves the buffer as it was. */
	assert_string_equal(buf_cstr(&out), "keep");
	assert_int_equal(tmpl_render(set, "self", NULL, &out, err,
	    sizeof(err)), -1);
	assert_string_equal(buf_cstr(&out), "keep");
	buf_free(&out);
	tmpl_set_free(set);
}

static void
test_shared_set_is_unchanged(void **state)
{
	tmpl_set	*set;
	json_t		*a, *b;
	char		 err[256] = "";
	buf		 out;

	(void)state;
	assert_non_null(set = tmpl_set_new(0));
	/* The partial brings its own newline: the tag's line loses it. */
	add_ok(set, "row", "<td>{{plate}}</td>\n");
	add_ok(set, "table", "{{#rows}}\n  {{>row}}\n{{/rows}}\n");
	assert_non_null(a = json_loads("{\"rows\":[{\"plate\":\"A\"}]}", 0,
	    NULL));
	assert_non_null(b = json_loads("{\"rows\":[{\"plate\":\"B\"},"
	    "{\"plate\":\"C\"}]}", 0, NULL));
	buf_init(&out);
	assert_int_equal(tmpl_render(set, "table", a, &out, err, sizeof(err)),
	    0);
	assert_int_equal(tmpl_render(set, "table", b, &out, err, sizeof(err)),
	    0);
	assert_int_equal(tmpl_render(set, "table", a, &out, err, sizeof(err)),
	    0);
	assert_string_equal(buf_cstr(&out), "  <td>A</td>\n  <td>B</td>\n"
	    "  <td>C</td>\n  <td>A</td>\n");
	buf_free(&out);
	json_decref(a);
	json_decref(b);
	tmpl_set_free(set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trusted_raw_only),
		cmocka_unit_test(test_trusted_raw_only_sections),
		cmocka_unit_test(test_raw_without_flag),
		cmocka_unit_test(test_strict_missing_partial),
		cmocka_unit_test(test_strict_missing_parent),
		cmocka_unit_test(test_lenient_missing_partial),
		cmocka_unit_test(test_error_unclosed_section),
		cmocka_unit_test(test_error_mismatched_close),
		cmocka_unit_test(test_error_unclosed_tag),
		cmocka_unit_test(test_error_bad_delimiters),
		cmocka_unit_test(test_error_names),
		cmocka_unit_test(test_duplicate_and_unknown),
		cmocka_unit_test_setup_teardown(test_load_dir, tree_setup,
		    tree_teardown),
		cmocka_unit_test_setup_teardown(test_load_dir_strict,
		    tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_load_dir_syntax_error,
		    tree_setup, tree_teardown),
		cmocka_unit_test(test_load_dir_missing),
		cmocka_unit_test(test_render_appends),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_endless_recursion),
		cmocka_unit_test(test_shared_set_is_unchanged),
	};

	return cmocka_run_group_tests_name("tmpl", tests, NULL, NULL);
}
