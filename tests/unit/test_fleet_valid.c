/* Plate, VIN, IBAN, BIC and phone checks, and their messages in both
 * catalogues (tests run from the repository root). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "fleet/fleet_valid.h"
#include "i18n.h"

typedef const char *(*check_fn)(const char *, char *, size_t);

static i18n	*cat;

static int
load_catalogues(void **state)
{
	char	err[256];

	(void)state;
	if ((cat = i18n_load("templates/locales", err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int
free_catalogues(void **state)
{
	(void)state;
	i18n_free(cat);
	return 0;
}

static void
ok(check_fn f, const char *in, const char *want)
{
	char		 out[64];
	const char	*msg = f(in, out, sizeof(out));

	if (msg != NULL)
		fail_msg("\"%s\" refused: %s", in, msg);
	assert_string_equal(out, want);
}

/* Refused, with a key that both catalogues hold (a missing one would
 * show as the key itself). */
static const char *
bad(check_fn f, const char *in)
{
	char		 out[64];
	const char	*key = f(in, out, sizeof(out));

	if (key == NULL)
		fail_msg("\"%s\" accepted as \"%s\"", in, out);
	if (strcmp(i18n_get(cat, LANG_FR, key), key) == 0 ||
	    strcmp(i18n_get(cat, LANG_EN, key), key) == 0)
		fail_msg("\"%s\": no message for %s", in, key);
	return key;
}

static void
said(check_fn f, const char *in, const char *fr, const char *en)
{
	const char	*key = bad(f, in);

	assert_string_equal(i18n_get(cat, LANG_FR, key), fr);
	assert_string_equal(i18n_get(cat, LANG_EN, key), en);
}

static void
test_plate_fr(void **state)
{
	(void)state;
	ok(fleet_check_plate_fr, "AB-123-CD", "AB-123-CD");
	ok(fleet_check_plate_fr, "ab123cd", "AB-123-CD");
	ok(fleet_check_plate_fr, "gh 456 jk", "GH-456-JK");
	bad(fleet_check_plate_fr, "AB-123-C");
	bad(fleet_check_plate_fr, "AB-12A-CD");
	bad(fleet_check_plate_fr, "AI-123-CD");	/* I is never issued */
	bad(fleet_check_plate_fr, "AB-123-OU");
	bad(fleet_check_plate_fr, "SS-123-AB");
	bad(fleet_check_plate_fr, "WW-123-AB");
	bad(fleet_check_plate_fr, "AB-000-CD");
	bad(fleet_check_plate_fr, "");
	bad(fleet_check_plate_fr, "AB-123-CD-EF");
}

static void
test_plate_other(void **state)
{
	(void)state;
	ok(fleet_check_plate_other, "b-ab 1234", "B-AB 1234");
	bad(fleet_check_plate_other, "x");
	bad(fleet_check_plate_other, "AB_123");
	bad(fleet_check_plate_other, "ABCDEFGHIJKLM");
}

static void
test_vin(void **state)
{
	(void)state;
	/* North American: check digit verified (9th character). */
	ok(fleet_check_vin, "1M8GDM9AXKP042788", "1M8GDM9AXKP042788");
	ok(fleet_check_vin, "1hgcm82633a004352", "1HGCM82633A004352");
	bad(fleet_check_vin, "1M8GDM9A1KP042788");	/* wrong check digit */
	/* European: no check digit rule. */
	ok(fleet_check_vin, "VF1RFB00X56789012", "VF1RFB00X56789012");
	ok(fleet_check_vin, "WVWZZZ1JZXW000001", "WVWZZZ1JZXW000001");
	bad(fleet_check_vin, "VF1RFB00X5678901");	/* 16 */
	bad(fleet_check_vin, "VF1RFB00X567890123");	/* 18 */
	bad(fleet_check_vin, "VF1OFB00X56789012");	/* O */
	bad(fleet_check_vin, "VF1IFB00X56789012");	/* I */
	bad(fleet_check_vin, "VF1QFB00X56789012");	/* Q */
}

static void
test_iban(void **state)
{
	(void)state;
	ok(fleet_check_iban, "FR76 3000 6000 0112 3456 7890 189",
	    "FR7630006000011234567890189");
	ok(fleet_check_iban, "de89370400440532013000", "DE89370400440532013000");
	ok(fleet_check_iban, "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432");
	bad(fleet_check_iban, "FR76 3000 6000 0112 3456 7890 188");
	bad(fleet_check_iban, "DE89370400440532013001");
	bad(fleet_check_iban, "FR76");
	bad(fleet_check_iban, "7630006000011234567890189");
	bad(fleet_check_iban, "FR76 3000 6000 0112 3456 7890 18!");
}

static void
test_bic(void **state)
{
	(void)state;
	ok(fleet_check_bic, "bnpafrpp", "BNPAFRPP");
	ok(fleet_check_bic, "BNPAFRPPXXX", "BNPAFRPPXXX");
	bad(fleet_check_bic, "BNPAFRP");
	bad(fleet_check_bic, "1NPAFRPP");
}

static void
test_phone(void **state)
{
	(void)state;
	ok(fleet_check_phone, "06 12 34 56 78", "+33612345678");
	ok(fleet_check_phone, "+33 6 12 34 56 78", "+33612345678");
	ok(fleet_check_phone, "0033612345678", "+33612345678");
	ok(fleet_check_phone, "+1 (415) 555-2671", "+14155552671");
	bad(fleet_check_phone, "612345678");
	bad(fleet_check_phone, "+0612345678");
	bad(fleet_check_phone, "+33 6 12 34 56 7a");
	bad(fleet_check_phone, "+1234");
	bad(fleet_check_phone, "+123456789012345678");
}

static void
test_messages_in_both_languages(void **state)
{
	(void)state;
	said(fleet_check_plate_fr, "AB-12A-CD",
	    "Immatriculation invalide (format AA-123-AA).",
	    "Invalid plate (format AA-123-AA).");
	said(fleet_check_plate_fr, "SS-123-AB",
	    "Cette immatriculation n'est pas attribuable.",
	    "This plate is never issued.");
	said(fleet_check_vin, "1M8GDM9A1KP042788",
	    "Numéro VIN invalide : la clé de contrôle (9e caractère) ne "
	    "correspond pas.",
	    "Invalid VIN: the check digit (9th character) does not match.");
	said(fleet_check_iban, "FR76 3000 6000 0112 3456 7890 188",
	    "IBAN invalide : la clé de contrôle ne correspond pas.",
	    "Invalid IBAN: the check digits do not match.");
	said(fleet_check_bic, "BNPAFRP", "BIC invalide : 8 ou 11 caractères.",
	    "Invalid BIC: 8 or 11 characters.");
	said(fleet_check_phone, "612345678",
	    "Numéro de téléphone invalide (format international "
	    "+33 6 12 34 56 78).",
	    "Invalid phone number (international format +33 6 12 34 56 78).");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plate_fr),
		cmocka_unit_test(test_plate_other),
		cmocka_unit_test(test_vin),
		cmocka_unit_test(test_iban),
		cmocka_unit_test(test_bic),
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_messages_in_both_languages),
	};

	return cmocka_run_group_tests(tests, load_catalogues, free_catalogues);
}
