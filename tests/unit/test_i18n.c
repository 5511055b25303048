/* Unit tests of fcgi/core/i18n.c: loading and cross-checking catalogues,
 * lookups, Accept-Language negotiation, the template key check, and the
 * real templates/locales files (tests run from the repository root). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "i18n.h"

#define REAL_TEMPLATES	"templates"
#define REAL_LOCALES	"templates/locales"

struct fx {
	char	dir[64];
	char	err[512];
};

static int
setup(void **state)
{
	struct fx	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/fc-test-i18n-XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static void
remove_tree(const char *path)
{
	struct stat	 st;
	struct dirent	*e;
	DIR		*d;
	char		 sub[1024];

	if (lstat(path, &st) == -1)
		return;
	if (S_ISDIR(st.st_mode) && (d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			remove_tree(sub);
		}
		closedir(d);
		rmdir(path);
	} else
		unlink(path);
}

static int
teardown(void **state)
{
	struct fx	*f = *state;

	remove_tree(f->dir);
	free(f);
	return 0;
}

/* Write dir/name, creating the folders name has. */
static void
put(struct fx *f, const char *name, const char *text)
{
	char		 path[1024], *slash;
	FILE		*fp;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	for (slash = path + strlen(f->dir) + 1;
	    (slash = strchr(slash, '/')) != NULL; slash++) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static i18n *
load_pair(struct fx *f, const char *fr, const char *en)
{
	put(f, "fr.json", fr);
	put(f, "en.json", en);
	f->err[0] = '\0';
	return i18n_load(f->dir, f->err, sizeof(f->err));
}

static void
expect_load_error(struct fx *f, const char *fr, const char *en,
    const char *part1, const char *part2)
{
	i18n	*i = load_pair(f, fr, en);

	if (i != NULL) {
		i18n_free(i);
		fail_msg("loaded fr=%s en=%s", fr, en);
	}
	if (strstr(f->err, part1) == NULL || strstr(f->err, part2) == NULL)
		fail_msg("error \"%s\" lacks \"%s\" or \"%s\"", f->err, part1,
		    part2);
}

/* ---- loading and lookups ----------------------------------------------- */

static void
test_load_and_get(void **state)
{
	struct fx	*f = *state;
	i18n		*i;
	json_t		*t;

	i = load_pair(f, "{\"a\": {\"b\": \"B fr\"}, \"c\": \"C fr\"}",
	    "{\"c\": \"C en\", \"a\": {\"b\": \"B en\"}}");
	if (i == NULL)
		fail_msg("%s", f->err);
	assert_string_equal(i18n_get(i, LANG_FR, "a.b"), "B fr");
	assert_string_equal(i18n_get(i, LANG_EN, "a.b"), "B en");
	assert_string_equal(i18n_get(i, LANG_EN, "c"), "C en");
	/* Unknown language: French. */
	assert_string_equal(i18n_get(i, (lang_id)7, "c"), "C fr");
	/* Anything that is not a string gives the key back. */
	assert_string_equal(i18n_get(i, LANG_FR, "a"), "a");
	assert_string_equal(i18n_get(i, LANG_FR, "nope"), "nope");
	assert_string_equal(i18n_get(i, LANG_FR, "a.b.c"), "a.b.c");
	assert_string_equal(i18n_get(i, LANG_FR, "a..b"), "a..b");
	assert_string_equal(i18n_get(i, LANG_FR, ".c"), ".c");
	assert_string_equal(i18n_get(i, LANG_FR, ""), "");
	assert_string_equal(i18n_get(NULL, LANG_FR, "c"), "c");
	t = i18n_catalogue(i, LANG_EN);
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(t, "a"), "b")), "B en");
	assert_ptr_equal(i18n_catalogue(i, (lang_id)-1),
	    i18n_catalogue(i, LANG_FR));
	i18n_free(i);
	i18n_free(NULL);
}

static void
test_load_utf8(void **state)
{
	struct fx	*f = *state;
	i18n		*i;

	i = load_pair(f, "{\"v\": \"V\\u00e9hicules\"}",
	    "{\"v\": \"Vehicles\"}");
	assert_non_null(i);
	assert_string_equal(i18n_get(i, LANG_FR, "v"), "V\xc3\xa9hicules");
	i18n_free(i);
}

static void
test_missing_key(void **state)
{
	struct fx	*f = *state;

	expect_load_error(f, "{\"nav\": {\"a\": \"x\", \"b\": \"y\"}}",
	    "{\"nav\": {\"a\": \"x\"}}", "en.json", "nav.b");
	expect_load_error(f, "{\"nav\": {\"a\": \"x\"}}",
	    "{\"nav\": {\"a\": \"x\", \"extra\": \"y\"}}", "fr.json",
	    "nav.extra");
	expect_load_error(f, "{\"a\": \"x\"}", "{\"a\": \"x\", \"b\": {}}",
	    "fr.json", "missing key b");
}

static void
test_shape_mismatch(void **state)
{
	struct fx	*f = *state;

	expect_load_error(f, "{\"a\": \"x\"}", "{\"a\": {\"b\": \"y\"}}",
	    "en.json", "a is an object but a string");
}

static void
test_non_string_leaf(void **state)
{
	struct fx	*f = *state;
	const char	*ok = "{\"a\": {\"b\": \"x\"}}";

	expect_load_error(f, "{\"a\": {\"b\": 3}}", ok, "fr.json",
	    "a.b is a number");
	expect_load_error(f, ok, "{\"a\": {\"b\": null}}", "en.json",
	    "a.b is null");
	expect_load_error(f, ok, "{\"a\": {\"b\": [\"x\"]}}", "en.json",
	    "a.b is an array");
	expect_load_error(f, ok, "{\"a\": {\"b\": true}}", "en.json",
	    "a.b is a boolean");
	expect_load_error(f, "[\"x\"]", ok, "fr.json", "top level");
}

static void
test_bad_files(void **state)
{
	struct fx	*f = *state;
	char		 path[128];
	const char	*ok = "{\"a\": \"x\"}";

	expect_load_error(f, "{\"a\": \"x\",\n \"b\" }", ok, "fr.json", ":2:");
	expect_load_error(f, ok, "", "en.json", "");
	expect_load_error(f, "{\"a\": \"x\", \"a\": \"y\"}", ok, "fr.json",
	    "duplicate");
	expect_load_error(f, "{\"a.b\": \"x\"}", "{\"a.b\": \"x\"}", "fr.json",
	    "invalid key");
	expect_load_error(f, "{\"\": \"x\"}", "{\"\": \"x\"}", "fr.json",
	    "invalid key");
	expect_load_error(f, "{\"a b\": \"x\"}", "{\"a b\": \"x\"}", "fr.json",
	    "invalid key");
	expect_load_error(f, "{\"p\": \"Page {{page}}\"}",
	    "{\"p\": \"Page\"}", "fr.json", "p contains");
	snprintf(path, sizeof(path), "%s/en.json", f->dir);
	unlink(path);
	put(f, "fr.json", ok);
	assert_null(i18n_load(f->dir, f->err, sizeof(f->err)));
	assert_non_null(strstr(f->err, "en.json"));
	/* No room for a message: still fails, still safe. */
	assert_null(i18n_load(f->dir, NULL, 0));
}

/* ---- negotiation ------------------------------------------------------- */

static void
test_negotiate(void **state)
{
	static const struct {
		const char	*user, *accept;
		lang_id		 want;
	} cases[] = {
		{ NULL, NULL, LANG_FR },
		{ "en", NULL, LANG_EN },
		{ "fr", "en", LANG_FR },
		{ "en", "fr", LANG_EN },
		{ "EN", "fr", LANG_EN },
		{ "en-GB", NULL, LANG_EN },
		{ "de", "en", LANG_EN },
		{ "", "en", LANG_EN },
		{ "e n", "en", LANG_EN },
		{ NULL, "en", LANG_EN },
		{ NULL, "fr", LANG_FR },
		{ NULL, "en-US", LANG_EN },
		{ NULL, "EN-us", LANG_EN },
		{ NULL, "fr-CA", LANG_FR },
		{ NULL, "en-GB;q=0.8, fr;q=0.5", LANG_EN },
		{ NULL, "fr;q=0.5, en-GB;q=0.8", LANG_EN },
		{ NULL, "en;q=0.5, fr;q=0.9", LANG_FR },
		{ NULL, "de, en;q=0.5", LANG_EN },
		{ NULL, "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7", LANG_EN },
		{ NULL, "de", LANG_FR },
		{ NULL, "", LANG_FR },
		{ NULL, "*", LANG_FR },
		{ NULL, "en;q=0.5, *", LANG_FR },
		{ NULL, "fr;q=0, *", LANG_EN },
		{ NULL, "fr;q=0, en;q=0", LANG_FR },
		{ NULL, "en;q=0", LANG_FR },
		{ NULL, "en, fr", LANG_EN },
		{ NULL, "fr, en", LANG_FR },
		{ NULL, "en;q=0.8, fr;q=0.8", LANG_EN },
		{ NULL, "en-GB;q=0.3, en;q=0.9, fr;q=0.5", LANG_EN },
		{ NULL, "  en  ;  q=0.7  ,  fr ; q=0.6 ", LANG_EN },
		{ NULL, "en;Q=1.000", LANG_EN },
		{ NULL, "en;q=1.0001", LANG_FR },
		{ NULL, "en;q=2", LANG_FR },
		{ NULL, "en;q=1.5", LANG_FR },
		{ NULL, "en;q=-1", LANG_FR },
		{ NULL, "en;q=", LANG_FR },
		{ NULL, "en;q", LANG_FR },
		{ NULL, "en;q=0.5x", LANG_FR },
		{ NULL, "en;level=1", LANG_EN },
		{ NULL, "en;", LANG_EN },
		{ NULL, ",,,en,,", LANG_EN },
		{ NULL, "garbage!!", LANG_FR },
		{ NULL, "english", LANG_FR },
		{ NULL, "eng", LANG_FR },
		{ NULL, "e", LANG_FR },
		{ NULL, "en-", LANG_FR },
		{ NULL, "en--US", LANG_FR },
		{ NULL, "en-toolongsub", LANG_FR },
		{ NULL, "en_US", LANG_FR },
		{ NULL, "en US", LANG_FR },
		{ NULL, "\xc3\xa9n, en;q=0.1", LANG_EN },
		{ NULL, ";q=1, en;q=0.2", LANG_EN },
		{ NULL, "en;q=0.5;q=0.2, fr;q=0.3", LANG_FR },
	};
	size_t	k;
	lang_id	got;

	(void)state;
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		got = i18n_negotiate(cases[k].user, cases[k].accept);
		if (got != cases[k].want)
			fail_msg("user=%s accept=\"%s\": got %s, want %s",
			    cases[k].user ? cases[k].user : "NULL",
			    cases[k].accept ? cases[k].accept : "NULL",
			    i18n_code(got), i18n_code(cases[k].want));
	}
}

static void
test_code(void **state)
{
	(void)state;
	assert_string_equal(i18n_code(LANG_FR), "fr");
	assert_string_equal(i18n_code(LANG_EN), "en");
	assert_string_equal(i18n_code((lang_id)9), "fr");
}

/* ---- template key check ------------------------------------------------ */

static i18n *
small_catalogue(struct fx *f)
{
	i18n	*i;

	i = load_pair(f, "{\"nav\": {\"home\": \"Accueil\"}, \"x\": \"X\"}",
	    "{\"nav\": {\"home\": \"Home\"}, \"x\": \"X\"}");
	assert_non_null(i);
	return i;
}

static void
check_templates(struct fx *f, i18n *i, int rc, const char *part1,
    const char *part2)
{
	char	dir[128];
	int	got;

	snprintf(dir, sizeof(dir), "%s/tpl", f->dir);
	f->err[0] = '\0';
	if ((got = i18n_check_keys(i, dir, f->err, sizeof(f->err))) != rc)
		fail_msg("check returned %d, want %d: %s", got, rc, f->err);
	if (strstr(f->err, part1) == NULL || strstr(f->err, part2) == NULL)
		fail_msg("error \"%s\" lacks \"%s\" or \"%s\"", f->err, part1,
		    part2);
}

static void
test_check_keys_ok(void **state)
{
	struct fx	*f = *state;
	i18n		*i = small_catalogue(f);

	put(f, "tpl/layout.mustache",
	    "<a>{{t.nav.home}}</a> {{{ t.x }}} {{& t.nav.home}}\n"
	    "{{#t.unknown}}sections are not checked{{/t.unknown}}\n"
	    "{{^t.unknown}}{{/t.unknown}} {{! t.unknown in a comment }}\n"
	    "{{>partials/t.unknown}} {{user.name}} {{t}} {{title}}\n");
	put(f, "tpl/notes.txt", "{{t.unknown}} is not a template\n");
	put(f, "tpl/.hidden.mustache", "{{t.unknown}}\n");
	check_templates(f, i, 0, "", "");
	i18n_free(i);
}

static void
test_check_keys_unknown(void **state)
{
	struct fx	*f = *state;
	i18n		*i = small_catalogue(f);

	put(f, "tpl/a.mustache", "ok {{t.nav.home}}\n\n{{ t.nav.missing }}\n");
	check_templates(f, i, -1, "tpl/a.mustache:3:", "t.nav.missing");
	i18n_free(i);
}

static void
test_check_keys_forms(void **state)
{
	struct fx	*f = *state;
	i18n		*i = small_catalogue(f);

	put(f, "tpl/sub/deep/b.mustache", "\n{{{t.nope}}}\n");
	check_templates(f, i, -1, "tpl/sub/deep/b.mustache:2:", "t.nope");
	put(f, "tpl/sub/deep/b.mustache", "{{&t.nope2}}");
	check_templates(f, i, -1, "b.mustache:1:", "t.nope2");
	put(f, "tpl/sub/deep/b.mustache", "{{t.nav}}");
	check_templates(f, i, -1, "b.mustache:1:", "group");
	/* Line numbers count newlines inside earlier multi-line tags. */
	put(f, "tpl/sub/deep/b.mustache", "{{!\nmulti\nline}}\n{{t.zz}}");
	check_templates(f, i, -1, "b.mustache:4:", "t.zz");
	put(f, "tpl/sub/deep/b.mustache",
	    "{{=<% %>=}}\n{{t.not_a_tag_now}}\n<% t.after %>\n"
	    "<%={{ }}=%>{{t.back}}");
	check_templates(f, i, -1, "b.mustache:3:", "t.after");
	put(f, "tpl/sub/deep/b.mustache", "{{t.a}} {{t.b}}\n{{t.c}}");
	check_templates(f, i, -1, "t.a", "(and 2 more)");
	i18n_free(i);
}

static void
test_check_keys_missing_dir(void **state)
{
	struct fx	*f = *state;
	i18n		*i = small_catalogue(f);

	check_templates(f, i, -1, "tpl", "No such file");
	i18n_free(i);
}

/* ---- the real catalogues ----------------------------------------------- */

static void
test_real_locales(void **state)
{
	static const char *const required[] = {
		"app.name", "skip_link", "nav.dashboard", "nav.vehicles",
		"nav.drivers", "nav.trips", "nav.finance", "nav.sources",
		"nav.quality", "nav.settings", "user.profile", "user.sign_out",
		"user.switch_org", "lang.fr", "lang.en", "actions.save",
		"actions.cancel", "actions.delete", "actions.edit",
		"actions.create", "actions.search", "actions.filter",
		"actions.export", "actions.confirm", "actions.back",
		"table.empty", "table.previous", "table.next", "table.page",
		"table.of", "form.required", "form.optional", "flash.success",
		"flash.error", "flash.warning", "flash.info",
	};
	static const int	statuses[] = {
		400, 403, 404, 405, 413, 429, 500, 503
	};
	char		 err[512], key[64];
	const char	*fr, *en;
	i18n		*i;
	size_t		 k;

	(void)state;
	if ((i = i18n_load(REAL_LOCALES, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	for (k = 0; k < sizeof(required) / sizeof(required[0]); k++) {
		/* i18n_get returns the key itself when it is missing. */
		if (i18n_get(i, LANG_FR, required[k]) == required[k] ||
		    i18n_get(i, LANG_EN, required[k]) == required[k])
			fail_msg("missing %s", required[k]);
	}
	for (k = 0; k < sizeof(statuses) / sizeof(statuses[0]); k++) {
		snprintf(key, sizeof(key), "errors.%d.title", statuses[k]);
		fr = i18n_get(i, LANG_FR, key);
		en = i18n_get(i, LANG_EN, key);
		assert_string_not_equal(fr, key);
		assert_string_not_equal(fr, en);
		snprintf(key, sizeof(key), "errors.%d.message", statuses[k]);
		assert_string_not_equal(i18n_get(i, LANG_FR, key), key);
		assert_string_not_equal(i18n_get(i, LANG_EN, key), key);
	}
	assert_string_equal(i18n_get(i, LANG_FR, "app.name"), "FleetCore");
	assert_string_equal(i18n_get(i, LANG_FR, "nav.dashboard"),
	    "Tableau de bord");
	assert_string_equal(i18n_get(i, LANG_EN, "nav.dashboard"),
	    "Dashboard");
	assert_string_equal(i18n_get(i, LANG_FR, "errors.404.title"),
	    "Page introuvable");
	assert_string_equal(i18n_get(i, LANG_FR, "skip_link"),
	    "Aller au contenu");
	i18n_free(i);
}

/* A sentence's "#" takes the number; without one, or when the buffer is
 * too small, the sentence comes back as it is. */
static void
test_number(void **state)
{
	struct fx	*f = *state;
	char		 buf[64], tiny[8];
	i18n		*i;

	i = load_pair(f, "{\"n\": \"Au moins # caractères.\", \"x\": \"Sans.\"}",
	    "{\"n\": \"At least # characters.\", \"x\": \"None.\"}");
	if (i == NULL)
		fail_msg("%s", f->err);
	assert_string_equal(i18n_number(i, LANG_FR, "n", 12, buf, sizeof(buf)),
	    "Au moins 12 caractères.");
	assert_string_equal(i18n_number(i, LANG_EN, "n", -3, buf, sizeof(buf)),
	    "At least -3 characters.");
	assert_string_equal(i18n_number(i, LANG_EN, "x", 5, buf, sizeof(buf)),
	    "None.");
	assert_string_equal(i18n_number(i, LANG_EN, "n", 5, tiny,
	    sizeof(tiny)), "At least # characters.");
	assert_string_equal(i18n_number(i, LANG_EN, "gap", 5, buf,
	    sizeof(buf)), "gap");
	i18n_free(i);
}

/* Every {{t.x}} the real templates use is in the catalogues. */
static void
test_real_templates(void **state)
{
	char	 err[512];
	i18n	*i;

	(void)state;
	if ((i = i18n_load(REAL_LOCALES, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	if (i18n_check_keys(i, REAL_TEMPLATES, err, sizeof(err)) == -1) {
		i18n_free(i);
		fail_msg("%s", err);
	}
	i18n_free(i);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_load_and_get),
		T(test_load_utf8),
		T(test_missing_key),
		T(test_shape_mismatch),
		T(test_non_string_leaf),
		T(test_bad_files),
		T(test_negotiate),
		T(test_code),
		T(test_check_keys_ok),
		T(test_check_keys_unknown),
		T(test_check_keys_forms),
		T(test_check_keys_missing_dir),
		T(test_real_locales),
		T(test_real_templates),
		T(test_number),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
