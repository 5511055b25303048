/* Declarative validators: each type's parsing, normalisation and
 * messages (in French and in English, from the real catalogues), and
 * valid_input over a form and a JSON body.  Tests run from the
 * repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "valid.h"
#include "worker.h"

static const char *const colours[] = { "rouge", "vert", NULL };

/* A request of each language, with the worker's catalogues. */
static struct worker	 w;
static struct request	 fr, en;

static int
load_catalogues(void **state)
{
	char	err[256];

	(void)state;
	if ((w.i18n = i18n_load("templates/locales", err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	fr.w = en.w = &w;
	fr.lang = LANG_FR;
	en.lang = LANG_EN;
	return 0;
}

static int
free_catalogues(void **state)
{
	(void)state;
	i18n_free(w.i18n);
	return 0;
}

static json_t *
ok(const struct valid_field *f, const char *in)
{
	struct valid_error	 err;
	json_t			*out = NULL;

	if (valid_value(f, in, &out, &err) == -1)
		fail_msg("\"%s\" refused: %s", in, err.key);
	return out;
}

/* The message in r's language; a key missing from the catalogue (shown
 * as itself) fails the test. */
static const char *
bad_in(const struct request *r, const struct valid_field *f, const char *in,
    char *msg, size_t n)
{
	struct valid_error	 err;
	json_t			*out = NULL;
	const char		*text;

	if (valid_value(f, in, &out, &err) == 0)
		fail_msg("\"%s\" accepted", in);
	assert_null(out);
	text = valid_text(r, &err, msg, n);
	if (strcmp(text, err.key) == 0)
		fail_msg("no message for %s", err.key);
	return text;
}

static const char *
bad(const struct valid_field *f, const char *in, char *msg, size_t n)
{
	return bad_in(&fr, f, in, msg, n);
}

static void
test_text_trims_and_counts_characters(void **state)
{
	struct valid_field	f = { "name", V_TEXT, 1, 2, 6, NULL, NULL };
	char			m[128];
	json_t			*v;

	(void)state;
	v = ok(&f, "  Élodie ");
	assert_string_equal(json_string_value(v), "Élodie");
	json_decref(v);
	assert_string_equal(bad(&f, "x", m, sizeof(m)), "Au moins 2 caractères.");
	assert_string_equal(bad(&f, "abcdefg", m, sizeof(m)), "Au plus 6 caractères.");
	bad(&f, "a\xff", m, sizeof(m));
}

static void
test_password_is_not_trimmed(void **state)
{
	struct valid_field	f = { "pw", V_PASSWORD, 1, 3, 0, NULL, NULL };
	json_t			*v;

	(void)state;
	v = ok(&f, " ab ");
	assert_string_equal(json_string_value(v), " ab ");
	json_decref(v);
}

static void
test_int_bounds(void **state)
{
	struct valid_field	f = { "year", V_INT, 0, 1950, 2100, NULL, NULL };
	char			m[128];
	json_t			*v;

	(void)state;
	v = ok(&f, "2022");
	assert_int_equal(json_integer_value(v), 2022);
	json_decref(v);
	bad(&f, "1949", m, sizeof(m));
	bad(&f, "20x2", m, sizeof(m));
	bad(&f, "99999999999999999999", m, sizeof(m));
}

static void
test_money_french_and_english_writing(void **state)
{
	struct valid_field	f = { "cost", V_MONEY, 0, 0, 0, NULL, NULL };
	const struct { const char *in; long long cents; } cases[] = {
		{ "1 234,56", 123456 }, { "1234.56", 123456 }, { "12", 1200 },
		{ "12,5", 1250 }, { "-3,07", -307 }, { "0,01", 1 },
		{ "1\xe2\x80\xaf" "234,00", 123400 }, { "1\xc2\xa0" "000", 100000 },
	};
	char	m[128];
	json_t	*v;
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = ok(&f, cases[i].in);
		assert_int_equal(json_integer_value(v), cases[i].cents);
		json_decref(v);
	}
	assert_string_equal(bad(&f, "1,234", m, sizeof(m)), "Au plus deux décimales.");
	bad(&f, "12€", m, sizeof(m));
	bad(&f, ",", m, sizeof(m));
	bad(&f, "1,2,3", m, sizeof(m));
}

static void
test_date_both_writings_to_iso(void **state)
{
	struct valid_field	f = { "d", V_DATE, 0, 0, 0, NULL, NULL };
	char			m[128];
	json_t			*v;

	(void)state;
	v = ok(&f, "22/11/2026");
	assert_string_equal(json_string_value(v), "2026-11-22");
	json_decref(v);
	v = ok(&f, "2024-02-29");
	assert_string_equal(json_string_value(v), "2024-02-29");
	json_decref(v);
	bad(&f, "2026-02-29", m, sizeof(m));
	bad(&f, "31/04/2026", m, sizeof(m));
}

static void
test_email_enum_bool_uuid(void **state)
{
	struct valid_field	e = { "e", V_EMAIL, 0, 0, 0, NULL, NULL };
	struct valid_field	c = { "c", V_ENUM, 0, 0, 0, colours, NULL };
	struct valid_field	b = { "b", V_BOOL, 0, 0, 0, NULL, NULL };
	struct valid_field	u = { "u", V_UUID, 0, 0, 0, NULL, NULL };
	char			m[128];
	json_t			*v;

	(void)state;
	v = ok(&e, "Karim.B@Exemple.FR");
	assert_string_equal(json_string_value(v), "karim.b@exemple.fr");
	json_decref(v);
	bad(&e, "karim@", m, sizeof(m));
	bad(&e, "karim exemple.fr", m, sizeof(m));
	bad(&e, "a@b@c.fr", m, sizeof(m));
	json_decref(ok(&c, "vert"));
	assert_string_equal(bad(&c, "bleu", m, sizeof(m)), "Choix invalide.");
	v = ok(&b, "on");
	assert_true(json_is_true(v));
	json_decref(v);
	bad(&b, "peut-être", m, sizeof(m));
	json_decref(ok(&u, "0f8fad5b-d9cb-469f-a165-70867728950e"));
	bad(&u, "0f8fad5b-d9cb-469f-a165-70867728950", m, sizeof(m));
}

static const char *
upper_only(const char *in, char *out, size_t n)
{
	size_t	i;

	for (i = 0; in[i] != '\0' && i + 1 < n; i++) {
		if (in[i] < 'a' || in[i] > 'z')
			return "valid.choice";
		out[i] = (char)(in[i] - 32);
	}
	out[i] = '\0';
	return NULL;
}

static void
test_domain_check_runs_after_trim(void **state)
{
	struct valid_field	f = { "code", V_TEXT, 0, 0, 10, NULL, upper_only };
	char			m[128];
	json_t			*v;

	(void)state;
	v = ok(&f, " abc ");
	assert_string_equal(json_string_value(v), "ABC");
	json_decref(v);
	assert_string_equal(bad(&f, "ab1", m, sizeof(m)), "Choix invalide.");
	assert_string_equal(bad_in(&en, &f, "ab1", m, sizeof(m)),
	    "Invalid choice.");
}

static void
test_input_keeps_only_declared_fields(void **state)
{
	static const struct valid_field fields[] = {
		{ "name", V_TEXT, 1, 1, 50, NULL, NULL },
		{ "year", V_INT, 0, 1950, 2100, NULL, NULL },
		{ "seats", V_INT, 1, 1, 9, NULL, NULL },
		{ "ok", V_BOOL, 0, 0, 0, NULL, NULL },
	};
	struct request	r;
	json_t		*v, *errors;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.json = json_pack("{s:s, s:i, s:s, s:i}", "name", "Zoe", "year", 2021,
	    "admin", "yes", "seats", 12);
	v = valid_input(&r, fields, 4, &errors);
	assert_string_equal(json_string_value(json_object_get(v, "name")), "Zoe");
	assert_int_equal(json_integer_value(json_object_get(v, "year")), 2021);
	assert_null(json_object_get(v, "admin"));
	assert_non_null(errors);
	assert_non_null(json_object_get(errors, "seats"));
	assert_int_equal(json_object_size(errors), 1);
	json_decref(v);
	json_decref(errors);
	json_decref(r.json);

	/* An object where a scalar belongs is an error, not a crash. */
	r.json = json_pack("{s:{}, s:i}", "name", "seats", 2);
	v = valid_input(&r, fields, 4, &errors);
	assert_non_null(json_object_get(errors, "name"));
	json_decref(v);
	json_decref(errors);
	json_decref(r.json);
}

static void
test_messages_in_english(void **state)
{
	struct valid_field	t = { "name", V_TEXT, 1, 2, 6, NULL, NULL };
	struct valid_field	i = { "year", V_INT, 0, 1950, 2100, NULL, NULL };
	struct valid_field	mo = { "cost", V_MONEY, 0, 0, 0, NULL, NULL };
	struct valid_field	d = { "d", V_DATE, 0, 0, 0, NULL, NULL };
	struct valid_field	e = { "e", V_EMAIL, 0, 0, 0, NULL, NULL };
	struct valid_field	c = { "c", V_ENUM, 0, 0, 0, colours, NULL };
	struct valid_field	u = { "u", V_UUID, 0, 0, 0, NULL, NULL };
	char			m[128];

	(void)state;
	assert_string_equal(bad_in(&en, &t, "x", m, sizeof(m)),
	    "At least 2 characters.");
	assert_string_equal(bad_in(&en, &t, "abcdefg", m, sizeof(m)),
	    "At most 6 characters.");
	assert_string_equal(bad_in(&en, &i, "1949", m, sizeof(m)),
	    "Value outside the allowed range.");
	assert_string_equal(bad_in(&en, &i, "20x2", m, sizeof(m)),
	    "A whole number is expected.");
	assert_string_equal(bad_in(&en, &mo, "1,234", m, sizeof(m)),
	    "At most two decimal places.");
	assert_string_equal(bad_in(&en, &mo, "12€", m, sizeof(m)),
	    "Invalid amount (example: 1234.56).");
	assert_string_equal(bad_in(&en, &d, "31/04/2026", m, sizeof(m)),
	    "Invalid date (format DD/MM/YYYY).");
	assert_string_equal(bad_in(&en, &e, "karim@", m, sizeof(m)),
	    "Invalid e-mail address.");
	assert_string_equal(bad_in(&en, &c, "bleu", m, sizeof(m)),
	    "Invalid choice.");
	assert_string_equal(bad_in(&en, &u, "0f8fad5b", m, sizeof(m)),
	    "Invalid identifier.");
	/* French is unchanged. */
	assert_string_equal(bad(&mo, "12€", m, sizeof(m)),
	    "Montant invalide (exemple : 1 234,56).");
	assert_string_equal(bad(&d, "31/04/2026", m, sizeof(m)),
	    "Date invalide (format JJ/MM/AAAA).");
}

/* valid_input writes each message in the request's language. */
static void
test_input_messages_follow_the_request(void **state)
{
	static const struct valid_field fields[] = {
		{ "name", V_TEXT, 1, 1, 50, NULL, NULL },
		{ "seats", V_INT, 1, 1, 9, NULL, NULL },
		{ "code", V_TEXT, 0, 3, 0, NULL, NULL },
	};
	struct request	*langs[2] = { &fr, &en };
	static const char *const want[2][3] = {
		{ "Ce champ est obligatoire.", "Valeur hors des limites permises.",
		  "Au moins 3 caractères." },
		{ "This field is required.", "Value outside the allowed range.",
		  "At least 3 characters." },
	};
	json_t		*v, *errors;
	size_t		 l;

	(void)state;
	for (l = 0; l < 2; l++) {
		langs[l]->json = json_pack("{s:s, s:i, s:s}", "name", " ",
		    "seats", 12, "code", "ab");
		v = valid_input(langs[l], fields, 3, &errors);
		assert_non_null(errors);
		assert_string_equal(json_string_value(json_object_get(errors,
		    "name")), want[l][0]);
		assert_string_equal(json_string_value(json_object_get(errors,
		    "seats")), want[l][1]);
		assert_string_equal(json_string_value(json_object_get(errors,
		    "code")), want[l][2]);
		json_decref(v);
		json_decref(errors);
		json_decref(langs[l]->json);
		langs[l]->json = NULL;
	}
}

static void
test_one_error_for_handlers(void **state)
{
	json_t	*e;

	(void)state;
	e = valid_one_error(&en, "plate", "valid.fleet.plate_format");
	assert_string_equal(json_string_value(json_object_get(e, "plate")),
	    "Invalid plate (format AA-123-AA).");
	json_decref(e);
	e = valid_one_error(&fr, "plate", "valid.fleet.plate_format");
	assert_string_equal(json_string_value(json_object_get(e, "plate")),
	    "Immatriculation invalide (format AA-123-AA).");
	json_decref(e);
}

/* A request refused as a whole says why in its own language; without a
 * worker the key stands in rather than nothing. */
static void
test_message_for_a_whole_request(void **state)
{
	struct request	none;

	(void)state;
	assert_string_equal(tr(&en, "sources.error.paused"),
	    "This source is paused: resume it to sync.");
	assert_string_equal(tr(&fr, "sources.error.paused"),
	    "Cette source est en pause : reprenez-la pour synchroniser.");
	memset(&none, 0, sizeof(none));
	assert_string_equal(tr(&none, "api.invalid"), "api.invalid");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_trims_and_counts_characters),
		cmocka_unit_test(test_password_is_not_trimmed),
		cmocka_unit_test(test_int_bounds),
		cmocka_unit_test(test_money_french_and_english_writing),
		cmocka_unit_test(test_date_both_writings_to_iso),
		cmocka_unit_test(test_email_enum_bool_uuid),
		cmocka_unit_test(test_domain_check_runs_after_trim),
		cmocka_unit_test(test_input_keeps_only_declared_fields),
		cmocka_unit_test(test_messages_in_english),
		cmocka_unit_test(test_input_messages_follow_the_request),
		cmocka_unit_test(test_one_error_for_handlers),
		cmocka_unit_test(test_message_for_a_whole_request),
	};

	return cmocka_run_group_tests(tests, load_catalogues, free_catalogues);
}
