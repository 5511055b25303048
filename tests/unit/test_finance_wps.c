/* The WPS Salary Information File, rule by rule of its checklist: EDR
 * fields and padding, the SCR as last line with count and total to the
 * fils, one salary month, routing codes and IDs by their lengths,
 * accounts (Emirati IBAN or salary card), amounts, the file name. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "finance/wps.h"
#include "i18n.h"

static i18n			*cat;
static struct wps_employee	 emp[3];
static struct wps_file		 file;

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
setup_file(void)
{
	static const struct wps_employee e[3] = {
		{ "10001016594125", "640110101", "AE070331234567890123456",
		    "2026-11-23", "2026-11-29", 122192, 0, 0 },
		{ "915012345663", "802420101", "4551902459", "2026-11-23",
		    "2026-11-29", 400000, 250000, 1 },
		{ "7", "302210101", "1234567890123456", "2026-11-30",
		    "2026-11-30", 1, 0, 0 },
	};

	memcpy(emp, e, sizeof(emp));
	file = (struct wps_file){ "9103", "302210101", "2026-12-02T17:05:09",
	    "AED", "FC-0001", emp, 3 };
}

static void
refused(const char *field, long index, const char *key)
{
	struct wps_error	err;
	char			name[40];
	buf			b;

	buf_init(&b);
	assert_int_equal(wps_write(&file, &b, name, &err), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
	assert_string_equal(err.field, field);
	assert_int_equal(err.index, index);
	assert_string_equal(err.key, key);
	if (strcmp(i18n_get(cat, LANG_FR, key), key) == 0 ||
	    strcmp(i18n_get(cat, LANG_EN, key), key) == 0)
		fail_msg("no message for %s", key);
	setup_file();
}

/* Σ of EDR fields 8 and 9 against SCR field 8, and the count, read
 * back from the text as a bank would, in fils. */
static void
reconciles(const char *text)
{
	char		 line[256];
	const char	*p = text, *nl;
	long long	 sum = 0, fixed, fils, var, vfils, total, tfils;
	int		 edr = 0, scr = 0, count = 0, after_scr = 0;

	for (; (nl = strstr(p, "\r\n")) != NULL; p = nl + 2) {
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		if (scr)
			after_scr = 1;
		if (strncmp(line, "EDR,", 4) == 0) {
			assert_int_equal(sscanf(line, "EDR,%*[^,],%*[^,],%*[^,],"
			    "%*[^,],%*[^,],%*[^,],%lld.%2lld,%lld.%2lld,", &fixed,
			    &fils, &var, &vfils), 4);
			sum += fixed * 100 + fils + var * 100 + vfils;
			edr++;
		} else if (strncmp(line, "SCR,", 4) == 0) {
			assert_int_equal(sscanf(line, "SCR,%*[^,],%*[^,],%*[^,],"
			    "%*[^,],%*[^,],%d,%lld.%2lld,AED", &count, &total,
			    &tfils), 3);
			scr++;
		} else
			fail_msg("unexpected record: %s", line);
	}
	assert_string_equal(p, "");
	assert_int_equal(scr, 1);
	assert_false(after_scr);	/* the SCR is the last line */
	assert_int_equal(count, edr);
	assert_int_equal(total * 100 + tfils, sum);
}

static void
test_records_and_name(void **state)
{
	struct wps_error	err;
	char			name[40];
	buf			b;

	(void)state;
	setup_file();
	buf_init(&b);
	assert_int_equal(wps_write(&file, &b, name, &err), 0);
	/* EDRs first, person IDs padded to 14, days counted, amounts with
	 * two decimals; the SCR last, the employer padded to 13, HHMM, the
	 * salary month MMYYYY, the count and the total to the fils. */
	assert_string_equal(b.data,
	    "EDR,10001016594125,640110101,AE070331234567890123456,2026-11-23,"
	    "2026-11-29,7,1221.92,0.00,0\r\n"
	    "EDR,00915012345663,802420101,4551902459,2026-11-23,"
	    "2026-11-29,7,4000.00,2500.00,1\r\n"
	    "EDR,00000000000007,302210101,1234567890123456,2026-11-30,"
	    "2026-11-30,1,0.01,0.00,0\r\n"
	    "SCR,0000000009103,302210101,2026-12-02,1705,112026,3,7721.93,AED,"
	    "FC-0001\r\n");
	reconciles(b.data);
	/* Employer ID, creation date YYMMDD and time HHMMSS. */
	assert_string_equal(name, "0000000009103261202170509.SIF");
	buf_free(&b);
}

static void
test_many_lines_reconcile(void **state)
{
	static struct wps_employee	many[200];
	static char			ids[200][16];
	struct wps_error		err;
	char				name[40];
	buf				b;
	size_t				i;

	(void)state;
	setup_file();
	for (i = 0; i < 200; i++) {
		snprintf(ids[i], sizeof(ids[i]), "%zu", 1000 + i);
		many[i] = emp[0];
		many[i].person_id = ids[i];
		many[i].fixed_cents = (long long)(i * 7919 % 100003);
		many[i].variable_cents = (long long)(i % 3);
		if (many[i].fixed_cents + many[i].variable_cents == 0)
			many[i].fixed_cents = 1;
	}
	file.emp = many;
	file.n = 200;
	buf_init(&b);
	assert_int_equal(wps_write(&file, &b, name, &err), 0);
	reconciles(b.data);
	buf_free(&b);
}

static void
test_employer_rules(void **state)
{
	(void)state;
	setup_file();
	file.employer_id = "";
	refused("wps_employer_id", -1, "organisation.valid.wps_employer");
	file.employer_id = "12345678901234";	/* 14 */
	refused("wps_employer_id", -1, "organisation.valid.wps_employer");
	file.employer_id = "91O3";
	refused("wps_employer_id", -1, "organisation.valid.wps_employer");
	file.employer_routing = "30221010";
	refused("wps_routing_code", -1, "organisation.valid.wps_routing");
	file.employer_routing = "3022101011";
	refused("wps_routing_code", -1, "organisation.valid.wps_routing");
	file.currency = "EUR";
	refused("currency", -1, "payouts.valid.wps_currency");
	file.reference = "a,b";
	refused("reference", -1, "payouts.valid.wps_reference");
	file.reference = "123456789012345678901234567890123456";
	refused("reference", -1, "payouts.valid.wps_reference");
	file.reference = "Société";
	refused("reference", -1, "payouts.valid.wps_reference");
	file.created = "2026-12-02 17:05";
	refused("created", -1, "payouts.valid.date");
	file.n = 0;
	refused("settlement_ids", -1, "payouts.valid.empty");
}

static void
test_employee_ids_and_accounts(void **state)
{
	(void)state;
	setup_file();
	emp[1].person_id = "123456789012345";	/* 15 */
	refused("wps_person_id", 1, "payouts.valid.wps_person");
	emp[1].person_id = "";
	refused("wps_person_id", 1, "payouts.valid.wps_person");
	emp[1].person_id = "12A";
	refused("wps_person_id", 1, "payouts.valid.wps_person");
	emp[2].person_id = emp[0].person_id;
	refused("wps_person_id", 2, "payouts.valid.wps_person_twice");
	/* The file pads them to 14: "00915012345663" is the second's. */
	emp[2].person_id = "00915012345663";
	refused("wps_person_id", 2, "payouts.valid.wps_person_twice");
	emp[0].routing_code = "64011010A";
	refused("wps_routing_code", 0, "payouts.valid.wps_routing");
	emp[0].routing_code = NULL;
	refused("wps_routing_code", 0, "payouts.valid.wps_routing");
	emp[0].account = "FR7630006000011234567890189";
	refused("iban", 0, "payouts.valid.iban_ae");
	emp[0].account = "AE080331234567890123456";	/* key */
	refused("iban", 0, "payouts.valid.iban_ae");
	emp[0].account = "AE07 0331 2345 6789 0123 456";	/* spaces */
	refused("iban", 0, "payouts.valid.iban_ae");
	emp[0].account = "12345678901234567";	/* card of 17 */
	refused("iban", 0, "payouts.valid.wps_card");
	emp[0].account = NULL;
	refused("iban", 0, "payouts.valid.wps_account");
}

static void
test_periods(void **state)
{
	struct wps_error	err;

	(void)state;
	setup_file();
	emp[0].pay_end = "2026-11-22";	/* before its start */
	refused("period", 0, "payouts.valid.wps_period");
	emp[0].pay_start = "2026-02-29";	/* not a leap year */
	refused("period", 0, "payouts.valid.wps_period");
	emp[0].pay_start = "2026/11/23";
	refused("period", 0, "payouts.valid.wps_period");
	emp[0].pay_end = "2026-12-01";	/* across two months */
	refused("period", 0, "payouts.valid.wps_month");
	emp[2].pay_start = "2026-12-01";	/* another month than the first */
	emp[2].pay_end = "2026-12-01";
	refused("period", 2, "payouts.valid.wps_month");
	emp[1].leave_days = 8;	/* more than the 7 days */
	refused("leave_days", 1, "payouts.valid.wps_leave");
	emp[1].leave_days = -1;
	refused("leave_days", 1, "payouts.valid.wps_leave");
	assert_int_equal(wps_days("2028-02-01", "2028-02-29"), 29);
	assert_int_equal(wps_days("2026-12-01", "2026-12-31"), 31);
	assert_int_equal(wps_days("2026-12-31", "2027-01-01"), 2);
	emp[0].pay_start = "2026-11-01";
	emp[0].pay_end = "2026-11-30";
	assert_int_equal(wps_check(&file, &err), 0);
}

static void
test_amounts(void **state)
{
	(void)state;
	setup_file();
	emp[0].fixed_cents = -1;
	refused("amount", 0, "payouts.valid.amount");
	emp[1].variable_cents = -1;
	refused("amount", 1, "payouts.valid.amount");
	emp[2].fixed_cents = 0;
	refused("amount", 2, "payouts.valid.amount");
	emp[2].fixed_cents = WPS_AMOUNT_MAX + 1;
	refused("amount", 2, "payouts.valid.amount");
	emp[0].fixed_cents = WPS_AMOUNT_MAX;	/* the total overflows */
	emp[1].fixed_cents = WPS_AMOUNT_MAX;
	refused("amount", 1, "payouts.valid.amount");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records_and_name),
		cmocka_unit_test(test_many_lines_reconcile),
		cmocka_unit_test(test_employer_rules),
		cmocka_unit_test(test_employee_ids_and_accounts),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_amounts),
	};

	return cmocka_run_group_tests(tests, load_catalogues, free_catalogues);
}
