/* The application's templates: they all load strictly (syntax, partials
 * and parents resolved), and none writes raw HTML outside the allow-list. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "tmpl.h"

/* Templates allowed to write {{{x}}} or {{&x}} (each value must end in
 * _html, which the engine enforces). */
/* dashboard and the portal's home: their charts are SVG written by fcgi/app/dashboard/chart.c,
 * which escapes every text it puts in them. */
static const char *const raw_allowed[] = { "dashboard.mustache",
    "portal/home.mustache", NULL };

static int
allowed(const char *path)
{
	const char *const	*a;

	for (a = raw_allowed; *a != NULL; a++)
		if (strcmp(*a, path) == 0)
			return 1;
	return 0;
}

/* Tags that write raw HTML, and the delimiter change that could hide
 * one ({{=<% %>=}} then <%{x}%>). */
static const char *const raw_tags[] = { "{{{", "{{&", "{{=", NULL };

/* Offending tags in one file, each reported as "rel:line". */
static int
scan_file(const char *path, const char *rel)
{
	char			 chunk[4096];
	char			*text = NULL, *p, *q, *grown;
	const char *const	*tag;
	size_t			 len = 0, n;
	FILE			*f;
	int			 bad = 0, line;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "cannot read %s\n", rel);
		return 1;
	}
	/* The whole file at once: a tag may straddle any read boundary. */
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if ((grown = realloc(text, len + n + 1)) == NULL) {
			free(text);
			fclose(f);
			return 1;
		}
		text = grown;
		memcpy(text + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (text == NULL)
		return 0;
	text[len] = '\0';
	for (tag = raw_tags; *tag != NULL; tag++)
		for (p = strstr(text, *tag); p != NULL; p = strstr(p + 1, *tag)) {
			for (line = 1, q = text; q < p; q++)
				line += *q == '\n';
			fprintf(stderr, "raw output (%s) in %s:%d\n", *tag, rel,
			    line);
			bad++;
		}
	free(text);
	return bad;
}

/* Offending tags in every .mustache below dir, outside the allow-list. */
static int
scan(const char *dir, const char *rel)
{
	char		 path[1024], sub[1024];
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	int		 bad = 0;
	size_t		 n;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "cannot open %s\n", dir);
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
		    e->d_name);
		if (stat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			bad += scan(path, sub);
			continue;
		}
		n = strlen(e->d_name);
		if (n < 9 || strcmp(e->d_name + n - 9, ".mustache") != 0 ||
		    allowed(sub))
			continue;
		bad += scan_file(path, sub);
	}
	closedir(d);
	return bad;
}

static void
test_no_raw_output_outside_the_allow_list(void **state)
{
	(void)state;
	assert_int_equal(scan("templates", ""), 0);
}

static void
test_the_scan_finds_raw_output(void **state)
{
	char	dir[] = "/tmp/fc-tmpl-XXXXXX", path[256];
	FILE	*f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/page.mustache", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("<p>{{safe}}</p>\n<p>{{{body}}}</p>\n{{& body}}\n"
	    "{{=<% %>=}}<%{body}%>\n", f);
	fclose(f);
	assert_int_equal(scan(dir, ""), 3);
	unlink(path);
	rmdir(dir);
}

/* The shared partials every screen may include. */
static const char *const partials[] = { "partials/field", "partials/select",
	"partials/date", "partials/money", "partials/file", "partials/table",
	"partials/badge", "partials/confirm", "partials/kpi", "partials/flash",
	NULL };

static void
test_real_templates_load_strictly(void **state)
{
	char		 err[512] = "";
	tmpl_set	*set;

	(void)state;
	set = tmpl_set_load_dir("templates", TMPL_TRUSTED_RAW_ONLY |
	    TMPL_STRICT_PARTIALS, err, sizeof(err));
	if (set == NULL)
		fail_msg("templates do not load: %s", err);
	assert_true(tmpl_set_has(set, "layout"));
	assert_true(tmpl_set_has(set, "errors/error"));
	assert_true(tmpl_set_has(set, "styleguide"));
	for (const char *const *p = partials; *p != NULL; p++)
		if (!tmpl_set_has(set, *p))
			fail_msg("missing template %s", *p);
	tmpl_set_free(set);
}

static void
test_errors_name_file_line_and_column(void **state)
{
	char		 dir[] = "/tmp/fc-tmpl-XXXXXX", path[256], err[512];
	FILE		*f;
	tmpl_set	*set;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/broken.mustache", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("<ul>\n  {{#rows}}<li>{{name}}</li>\n</ul>\n", f);
	fclose(f);
	set = tmpl_set_load_dir(dir, TMPL_STRICT_PARTIALS, err, sizeof(err));
	assert_null(set);
	assert_non_null(strstr(err, "broken.mustache:2:3"));
	unlink(path);
	snprintf(path, sizeof(path), "%s/page.mustache", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("{{>partials/absent}}\n", f);
	fclose(f);
	set = tmpl_set_load_dir(dir, TMPL_STRICT_PARTIALS, err, sizeof(err));
	assert_null(set);
	assert_non_null(strstr(err, "page.mustache:1:1"));
	assert_non_null(strstr(err, "partials/absent"));
	unlink(path);
	rmdir(dir);
}

/* The engine escapes with its own fast loop: it must agree with
 * buf_append_html byte for byte, embedded NUL and long runs included. */
static void
test_escaping_agrees_with_buf_append_html(void **state)
{
	static const char *const cases[] = {
		"", "plain", "<b>&amp;\"'</b>", "&&&&", "a\0<b>\0",
		"\xc3\xa9t\xc3\xa9 & \xe2\x82\xac",
		"<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"
		"<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<x>",
		"long run without anything special in it, "
		"long enough for vectors'",
	};
	/* Lengths: strlen, but the fifth holds NUL bytes. */
	static const size_t lens[] = { 0, 5, 14, 4, 6, 11, 67, 65 };
	char		 err[256];
	tmpl_set	*set = tmpl_set_new(TMPL_TRUSTED_RAW_ONLY);
	json_t		*data;
	buf		 got, want;
	size_t		 i;
	int		 k;

	(void)state;
	assert_non_null(set);
	assert_int_equal(tmpl_set_add(set, "v", "[{{v}}|{{{v}}}|{{&v}}]", 22,
	    err, sizeof(err)), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_true(i == 4 ? lens[i] == 6 : strlen(cases[i]) == lens[i]);
		assert_non_null(data = json_pack("{s:s%}", "v", cases[i],
		    lens[i]));
		buf_init(&got);
		buf_init(&want);
		assert_int_equal(tmpl_render(set, "v", data, &got, err,
		    sizeof(err)), 0);
		/* Raw output of a name not ending in _html is escaped too. */
		buf_putc(&want, '[');
		for (k = 0; k < 3; k++) {
			assert_int_equal(buf_append_html(&want, cases[i],
			    lens[i]), 0);
			buf_putc(&want, k < 2 ? '|' : ']');
		}
		assert_int_equal(got.len, want.len);
		assert_memory_equal(got.data, want.data, got.len);
		buf_free(&got);
		buf_free(&want);
		json_decref(data);
	}
	tmpl_set_free(set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_raw_output_outside_the_allow_list),
		cmocka_unit_test(test_the_scan_finds_raw_output),
		cmocka_unit_test(test_real_templates_load_strictly),
		cmocka_unit_test(test_errors_name_file_line_and_column),
		cmocka_unit_test(test_escaping_agrees_with_buf_append_html),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
