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

#include "tmpl.h"

/* Templates allowed to write {{{x}}} or {{&x}} (each value must end in
 * _html, which the engine enforces).  Empty: no template needs it. */
static const char *const raw_allowed[] = { NULL };

static int
allowed(const char *path)
{
	const char *const	*a;

	for (a = raw_allowed; *a != NULL; a++)
		if (strcmp(*a, path) == 0)
			return 1;
	return 0;
}

/* Count raw tags in every .mustache below dir; report offenders. */
static int
scan(const char *dir, const char *rel)
{
	char		 path[1024], sub[1024], line[4096];
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	FILE		*f;
	int		 bad = 0, n;

	if ((d = opendir(dir)) == NULL)
		return 0;
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
		n = (int)strlen(e->d_name);
		if (n < 9 || strcmp(e->d_name + n - 9, ".mustache") != 0 ||
		    allowed(sub) || (f = fopen(path, "r")) == NULL)
			continue;
		for (n = 1; fgets(line, sizeof(line), f) != NULL; n++)
			if (strstr(line, "{{{") != NULL || strstr(line, "{{&") != NULL) {
				fprintf(stderr, "raw output in %s:%d\n", sub, n);
				bad++;
			}
		fclose(f);
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
	fputs("<p>{{safe}}</p>\n<p>{{{body}}}</p>\n", f);
	fclose(f);
	assert_int_equal(scan(dir, ""), 1);
	unlink(path);
	rmdir(dir);
}

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_raw_output_outside_the_allow_list),
		cmocka_unit_test(test_the_scan_finds_raw_output),
		cmocka_unit_test(test_real_templates_load_strictly),
		cmocka_unit_test(test_errors_name_file_line_and_column),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
