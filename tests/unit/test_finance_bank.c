/* Bank identifiers and texts of payouts: IBAN (ISO 13616) and BIC
 * (ISO 9362), the EPC character set, and the SEPA writer's own checks —
 * the rules the pain.001 schema cannot see (the schema itself is checked
 * by tests/integration/test_finance_payouts.py with xmllint).  Every
 * refusal's key must have a message in both catalogues. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finance/epc_text.h"
#include "finance/iban.h"
#include "finance/sepa.h"
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
has_message(const char *key)
{
	if (key == NULL)
		fail_msg("no key");
	if (strcmp(i18n_get(cat, LANG_FR, key), key) == 0 ||
	    strcmp(i18n_get(cat, LANG_EN, key), key) == 0)
		fail_msg("no message for %s", key);
}

static void
ok(check_fn f, const char *in, const char *want)
{
	char		 out[64];
	const char	*key = f(in, out, sizeof(out));

	if (key != NULL)
		fail_msg("\"%s\" refused: %s", in, key);
	assert_string_equal(out, want);
}

static void
bad(check_fn f, const char *in, const char *want_key)
{
	char		 out[64];
	const char	*key = f(in, out, sizeof(out));

	if (key == NULL)
		fail_msg("\"%s\" accepted as \"%s\"", in, out);
	has_message(key);
	assert_string_equal(key, want_key);
}

static void
test_iban(void **state)
{
	(void)state;
	ok(iban_check, "FR76 3000 6000 0112 3456 7890 189",
	    "FR7630006000011234567890189");
	ok(iban_check, "de89370400440532013000", "DE89370400440532013000");
	ok(iban_check, "AE07 0331 2345 6789 0123 456", "AE070331234567890123456");
	ok(iban_check, "GB29 NWBK 6016 1331 9268 19", "GB29NWBK60161331926819");
	/* The key of ISO 7064 mod 97-10: one digit changed is caught. */
	bad(iban_check, "FR76 3000 6000 0112 3456 7890 188",
	    "valid.fleet.iban_check");
	/* Two digits swapped too. */
	bad(iban_check, "FR76 3000 6000 0112 3456 7809 189",
	    "valid.fleet.iban_check");
	/* A valid key on the wrong length for the country. */
	bad(iban_check, "FR2330006000011234567890", "organisation.valid.iban_length");
	bad(iban_check, "XX74 3000 6000 0112 3456 78", "organisation.valid.iban_country");
	bad(iban_check, "FR76-3000-6000-0112-3456-7890-1_9", "valid.fleet.iban_char");
	bad(iban_check, "76FR", "valid.fleet.iban_format");
	ok(iban_check_ae, "AE070331234567890123456", "AE070331234567890123456");
	bad(iban_check_ae, "FR7630006000011234567890189", "payouts.valid.iban_ae");
}

static void
test_bic(void **state)
{
	(void)state;
	ok(bic_check, "BNPAFRPP", "BNPAFRPP");
	ok(bic_check, "bnpa fr pp xxx", "BNPAFRPPXXX");
	ok(bic_check, "DEUTDEFF500", "DEUTDEFF500");
	bad(bic_check, "BNPAFRP", "valid.fleet.bic_length");
	bad(bic_check, "BNP1FRPP", "valid.fleet.bic");
	/* Location codes the schema's pattern refuses. */
	bad(bic_check, "BNPAFR1P", "organisation.valid.bic_location");
	bad(bic_check, "BNPAFR0P", "organisation.valid.bic_location");
	bad(bic_check, "BNPAFRPO", "organisation.valid.bic_location");
}

static void
text_is(const char *in, size_t max, const char *want)
{
	char	out[256];
	size_t	n = epc_text(in, out, max);

	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
	assert_true(n <= max);
	assert_true(epc_text_ok(out));
}

static void
test_transliteration(void **state)
{
	(void)state;
	text_is("Émilie Lefèvre-Çağlar", 70, "Emilie Lefevre-Caglar");
	text_is("Œuvre & Fils — « Straße »", 70, "OEuvre + Fils - ' Strasse '");
	text_is("Zoë  Ørsted\tØ", 70, "Zoe Orsted O");
	text_is("Łukasz Żółć", 70, "Lukasz Zolc");
	text_is("Règlement semaine 48 : 1 234,56 €", 140,
	    "Reglement semaine 48 : 1 234,56 EUR");
	/* Outside the Latin script: a dot, never a byte the bank refuses. */
	text_is("Ali \xd8\xb9\xd9\x84\xd9\x8a", 70, "Ali ...");
	text_is("user@host_name; #1!", 70, "user(at)host-name, 1.");
	/* Cut at the maximum, trailing space trimmed. */
	text_is("Jean-Baptiste de la Fontaine-Dupont", 13, "Jean-Baptiste");
	text_is("Jean Baptiste", 5, "Jean");
	text_is("ééééé", 3, "eee");
	text_is("   ", 10, "");
	assert_true(epc_id_ok("FC-2026-W48-0001"));
	assert_false(epc_id_ok("/FC1"));
	assert_false(epc_id_ok("FC1/"));
	assert_false(epc_id_ok("FC//1"));
	assert_false(epc_id_ok("FC_1"));
	assert_false(epc_id_ok(""));
	assert_false(epc_id_ok("123456789012345678901234567890123456"));
}

/* ---- SEPA -------------------------------------------------------------- */

static struct sepa_transfer	tx[3];
static struct sepa_batch	batch;

static void
setup_batch(void)
{
	static const struct sepa_transfer t[3] = {
		{ "S1", 12345, "Émilie Lefèvre", "FR7630006000011234567890189",
		    "BNPAFRPP", "Règlement semaine 2026-W48" },
		{ "S2", 1, "Moussa Traoré", "DE89370400440532013000", NULL,
		    NULL },
		{ "S3", 99999999999LL, "Zoë Ørsted", "GB29NWBK60161331926819",
		    "NWBKGB2L", "x" },
	};

	memcpy(tx, t, sizeof(tx));
	batch = (struct sepa_batch){ "FCMSG1", "FCPMT1", "2026-12-02T17:15:00",
	    "2026-12-03", "2026-12-02", "VTC Démo Paris",
	    "FR7630006000011234567890189", "BNPAFRPP", tx, 3 };
}

static void
refused(const char *field, long index, const char *key)
{
	struct sepa_error	err;
	buf			b;

	buf_init(&b);
	assert_int_equal(sepa_write(&batch, &b, &err), -1);
	assert_int_equal(b.len, 0);	/* nothing written */
	buf_free(&b);
	assert_string_equal(err.field, field);
	assert_int_equal(err.index, index);
	assert_string_equal(err.key, key);
	has_message(key);
	setup_batch();
}

/* The text between <tag> and </tag> at the n-th occurrence. */
static const char *
element(const char *doc, const char *tag, int n, char *out, size_t len)
{
	char		 open[64];
	const char	*p = doc, *e;

	snprintf(open, sizeof(open), "<%s", tag);
	while (n-- >= 0) {
		if ((p = strstr(p, open)) == NULL)
			return NULL;
		p += strlen(open);
	}
	p = strchr(p, '>') + 1;
	e = strchr(p, '<');
	snprintf(out, len, "%.*s", (int)(e - p), p);
	return out;
}

static void
test_sepa_totals_and_texts(void **state)
{
	struct sepa_error	err;
	char			v[256];
	buf			b;

	(void)state;
	setup_batch();
	buf_init(&b);
	assert_int_equal(sepa_write(&batch, &b, &err), 0);
	/* NbOfTxs and CtrlSum, in the header and the payment block, are
	 * the count and the exact sum of the transfers. */
	assert_string_equal(element(b.data, "NbOfTxs", 0, v, sizeof(v)), "3");
	assert_string_equal(element(b.data, "NbOfTxs", 1, v, sizeof(v)), "3");
	assert_string_equal(element(b.data, "CtrlSum", 0, v, sizeof(v)),
	    "1000000123.45");
	assert_string_equal(element(b.data, "CtrlSum", 1, v, sizeof(v)),
	    "1000000123.45");
	assert_string_equal(element(b.data, "InstdAmt", 0, v, sizeof(v)),
	    "123.45");
	assert_string_equal(element(b.data, "InstdAmt", 1, v, sizeof(v)),
	    "0.01");
	assert_string_equal(element(b.data, "InstdAmt", 2, v, sizeof(v)),
	    "999999999.99");
	assert_non_null(strstr(b.data, "<InstdAmt Ccy=\"EUR\">"));
	assert_string_equal(element(b.data, "EndToEndId", 1, v, sizeof(v)),
	    "S2");
	assert_string_equal(element(b.data, "ReqdExctnDt", 0, v, sizeof(v)),
	    "2026-12-03");
	/* Names and remittance in the EPC set. */
	assert_string_equal(element(b.data, "Nm", 0, v, sizeof(v)),
	    "VTC Demo Paris");
	assert_non_null(strstr(b.data, "<Nm>Emilie Lefevre</Nm>"));
	assert_non_null(strstr(b.data, "<Nm>Moussa Traore</Nm>"));
	assert_non_null(strstr(b.data,
	    "<Ustrd>Reglement semaine 2026-W48</Ustrd>"));
	/* No BIC: the transfer goes by IBAN alone, without an agent. */
	assert_int_equal(strstr(strstr(b.data, "<EndToEndId>S2"),
	    "</CdtTrfTxInf>") < strstr(strstr(b.data, "<EndToEndId>S2"),
	    "<CdtrAgt>") || strstr(strstr(b.data, "<EndToEndId>S2"),
	    "<CdtrAgt>") == NULL, 1);
	buf_free(&b);
}

static void
test_sepa_lengths(void **state)
{
	struct sepa_error	err;
	char			long_name[200], long_text[400], v[400];
	buf			b;

	(void)state;
	setup_batch();
	memset(long_name, 'a', 150);
	long_name[150] = '\0';
	memset(long_text, 'b', 300);
	long_text[300] = '\0';
	tx[0].name = long_name;
	tx[0].remittance = long_text;
	buf_init(&b);
	assert_int_equal(sepa_write(&batch, &b, &err), 0);
	element(strstr(b.data, "<Cdtr>"), "Nm", 0, v, sizeof(v));
	assert_int_equal(strlen(v), SEPA_NAME_MAX);
	element(b.data, "Ustrd", 0, v, sizeof(v));
	assert_int_equal(strlen(v), SEPA_REMITTANCE_MAX);
	buf_free(&b);
}

static void
test_sepa_refusals(void **state)
{
	(void)state;
	setup_batch();
	tx[1].iban = "DE89370400440532013001";
	refused("iban", 1, "valid.fleet.iban_check");
	tx[2].iban = NULL;
	refused("iban", 2, "payouts.valid.iban_missing");
	tx[0].iban = "fr7630006000011234567890189";
	refused("iban", 0, "payouts.valid.iban_form");
	tx[0].bic = "BNPAFR1P";
	refused("bic", 0, "organisation.valid.bic_location");
	tx[2].end_to_end_id = "S1";
	refused("end_to_end_id", 2, "payouts.valid.id_twice");
	tx[1].end_to_end_id = "S/";
	refused("end_to_end_id", 1, "payouts.valid.id");
	tx[1].amount_cents = 0;
	refused("amount", 1, "payouts.valid.amount");
	tx[1].amount_cents = -5;
	refused("amount", 1, "payouts.valid.amount");
	tx[1].amount_cents = SEPA_AMOUNT_MAX + 1;
	refused("amount", 1, "payouts.valid.amount");
	tx[0].name = "   ";
	refused("name", 0, "payouts.valid.name");
	batch.execution_date = "2026-12-01";
	refused("execution_date", -1, "payouts.valid.date_past");
	batch.execution_date = "2026-13-01";
	refused("execution_date", -1, "payouts.valid.date");
	batch.msg_id = "MSG_1";
	refused("msg_id", -1, "payouts.valid.id");
	batch.debtor_iban = "";
	refused("bank_iban", -1, "payouts.valid.debtor_iban");
	batch.debtor_bic = NULL;
	refused("bank_bic", -1, "payouts.valid.debtor_bic");
	batch.debtor_name = "";
	refused("bank_name", -1, "payouts.valid.debtor_name");
	batch.ntx = 0;
	refused("settlement_ids", -1, "payouts.valid.empty");
}

static void
test_sepa_today_is_allowed(void **state)
{
	struct sepa_error	err;

	(void)state;
	setup_batch();
	batch.execution_date = batch.today;
	assert_int_equal(sepa_check(&batch, &err), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iban),
		cmocka_unit_test(test_bic),
		cmocka_unit_test(test_transliteration),
		cmocka_unit_test(test_sepa_totals_and_texts),
		cmocka_unit_test(test_sepa_lengths),
		cmocka_unit_test(test_sepa_refusals),
		cmocka_unit_test(test_sepa_today_is_allowed),
	};

	return cmocka_run_group_tests(tests, load_catalogues, free_catalogues);
}
