/* Runs Mustache specification files against our engine.
 *
 *   spec_runner FILE.json...
 *
 * Each file holds {"tests": [{"name", "data", "template", "partials"?,
 * "expected"}]}.  Partials are added to the set under their names before
 * the template; the set has no flags, as the specification expects (a
 * missing partial renders as nothing, {{{x}}} is always raw).  Every
 * failure is printed; the last line is "spec: N passed, N failed" and
 * the exit status is non-zero when anything failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "tmpl.h"

/* A name no spec partial uses, so the template cannot shadow one. */
#define MAIN_NAME	"\x01spec-template"

/* A string shown as a JSON literal, so whitespace differences are seen. */
static void
show(const char *label, const char *s)
{
	json_t	*j;
	char	*text = NULL;

	if ((j = json_string(s)) != NULL)
		text = json_dumps(j, JSON_ENCODE_ANY);
	printf("    %-9s %s\n", label, text != NULL ? text : "(unprintable)");
	free(text);
	json_decref(j);
}

static int
add_partials(tmpl_set *set, json_t *partials, char *err, size_t errlen)
{
	const char	*name;
	json_t		*src;

	if (!json_is_object(partials))
		return 0;
	json_object_foreach(partials, name, src) {
		if (!json_is_string(src)) {
			snprintf(err, errlen, "partial '%s' is not a string",
			    name);
			return -1;
		}
		if (tmpl_set_add(set, name, json_string_value(src),
		    json_string_length(src), err, errlen) == -1)
			return -1;
	}
	return 0;
}

/* 1 passed, 0 failed (reported). */
static int
run_test(const char *file, json_t *test)
{
	json_t		*tmpl = json_object_get(test, "template");
	json_t		*expected = json_object_get(test, "expected");
	const char	*name = json_string_value(json_object_get(test, "name"));
	tmpl_set	*set;
	char		 err[512] = "";
	buf		 out;
	int		 ok = 0;

	if (name == NULL)
		name = "(unnamed)";
	if (!json_is_string(tmpl) || !json_is_string(expected)) {
		printf("FAIL %s: %s: malformed test\n", file, name);
		return 0;
	}
	buf_init(&out);
	if ((set = tmpl_set_new(0)) == NULL)
		snprintf(err, sizeof(err), "out of memory");
	else if (add_partials(set, json_object_get(test, "partials"), err,
	    sizeof(err)) == 0 &&
	    tmpl_set_add(set, MAIN_NAME, json_string_value(tmpl),
	    json_string_length(tmpl), err, sizeof(err)) == 0 &&
	    tmpl_render(set, MAIN_NAME, json_object_get(test, "data"), &out,
	    err, sizeof(err)) == 0) {
		err[0] = '\0';
		ok = out.len == json_string_length(expected) &&
		    memcmp(buf_cstr(&out), json_string_value(expected),
		    out.len) == 0;
	}
	if (!ok) {
		printf("FAIL %s: %s\n", file, name);
		show("template:", json_string_value(tmpl));
		show("expected:", json_string_value(expected));
		if (err[0] != '\0')
			printf("    error:    %s\n", err);
		else
			show("got:", buf_cstr(&out));
	}
	buf_free(&out);
	tmpl_set_free(set);
	return ok;
}

int
main(int argc, char **argv)
{
	json_error_t	 jerr;
	json_t		*doc, *tests, *test;
	size_t		 passed = 0, failed = 0, i;
	int		 f;

	if (argc < 2) {
		fprintf(stderr, "usage: %s spec.json...\n", argv[0]);
		return 2;
	}
	for (f = 1; f < argc; f++) {
		if ((doc = json_load_file(argv[f], 0, &jerr)) == NULL) {
			printf("FAIL %s: %d:%d: %s\n", argv[f], jerr.line,
			    jerr.column, jerr.text);
			failed++;
			continue;
		}
		tests = json_object_get(doc, "tests");
		if (!json_is_array(tests)) {
			printf("FAIL %s: no \"tests\" array\n", argv[f]);
			failed++;
		}
		json_array_foreach(tests, i, test) {
			if (run_test(argv[f], test))
				passed++;
			else
				failed++;
		}
		json_decref(doc);
	}
	printf("spec: %zu passed, %zu failed\n", passed, failed);
	return failed > 0 ? 1 : 0;
}
