/* Connectors without a database: value parsers, header normalisation,
 * dialect detection, and each connector type reading the fixtures of
 * tests/fixtures/sources (run from the repository root). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "connectors/connector.h"

#define FIXTURES	"tests/fixtures/sources/"

/* ---- values -------------------------------------------------------------- */

static void
money(const char *in, char dec, long long want)
{
	long long	 got = 0;
	const char	*msg = canon_parse_money(in, dec, &got, NULL);

	if (msg != NULL)
		fail_msg("\"%s\" refused: %s", in, msg);
	if (got != want)
		fail_msg("\"%s\" read as %lld, want %lld", in, got, want);
}

static void
test_money(void **state)
{
	long long	v;
	char		seen = 0;

	(void)state;
	money("12,50", 0, 1250);
	money("12.5", 0, 1250);
	money("-3.20", 0, -320);
	money("1 234,56", 0, 123456);
	money("1\xc2\xa0" "234,56 \xe2\x82\xac", 0, 123456);
	money("1\xe2\x80\xaf" "234,56", 0, 123456);
	money("1.234,56", 0, 123456);
	money("1,234.56", 0, 123456);
	money("\xe2\x82\xac 12.50", 0, 1250);
	money("(3,20)", 0, -320);
	money("1,234", 0, 123400);		/* a thousands group */
	money("1.234.567", 0, 123456700);
	money("1,234", ',', 123);		/* the file says comma: rounded */
	money("12.345", '.', 1235);		/* half away from zero */
	money("-12.345", '.', -1235);
	money("7", 0, 700);
	money("0", 0, 0);
	money("EUR 5", 0, 500);
	money("1.234", ',', 123400);		/* dot groups when comma is decimal */
	assert_non_null(canon_parse_money("12,3,4", ',', &v, NULL));
	assert_non_null(canon_parse_money("abc", 0, &v, NULL));
	assert_non_null(canon_parse_money("", 0, &v, NULL));
	assert_non_null(canon_parse_money("12..5", '.', &v, NULL));
	assert_non_null(canon_parse_money("--5", 0, &v, NULL));
	assert_non_null(canon_parse_money("1234567890123456", 0, &v, NULL));
	assert_null(canon_parse_money("12,50", 0, &v, &seen));
	assert_int_equal(seen, ',');
	seen = 0;
	assert_null(canon_parse_money("1,234", 0, &v, &seen));
	assert_int_equal(seen, 0);		/* ambiguous: nothing learnt */
}

static void
when(const char *in, const char *want)
{
	char		 out[64];
	const char	*msg = canon_parse_time(in, out, sizeof(out));

	if (msg != NULL)
		fail_msg("\"%s\" refused: %s", in, msg);
	if (strcmp(out, want) != 0)
		fail_msg("\"%s\" read as %s, want %s", in, out, want);
}

static void
test_times(void **state)
{
	char	out[64];

	(void)state;
	/* Paris wall time: winter UTC+1, summer UTC+2. */
	when("22/11/2026 14:35", "2026-11-22 13:35:00+00");
	when("22/11/2026 14:35:07", "2026-11-22 13:35:07+00");
	when("15/07/2026 14:35", "2026-07-15 12:35:00+00");
	when("2026-07-15 14:35:00", "2026-07-15 12:35:00+00");
	when("2026-11-22T14:35:07Z", "2026-11-22 14:35:07+00");
	when("2026-11-22T14:35:07.123Z", "2026-11-22 14:35:07+00");
	when("2026-11-22T14:35:07+01:00", "2026-11-22 13:35:07+00");
	when("2026-11-22 14:35:07 +0530", "2026-11-22 09:05:07+00");
	when("2026-11-22 00:30:00 UTC", "2026-11-22 00:30:00+00");
	when("22-11-2026", "2026-11-21 23:00:00+00");
	when("22.11.2026 08h05", "2026-11-22 07:05:00+00");
	when("1762333200", "2025-11-05 09:00:00+00");
	/* The autumn overlap takes summer time, the first 02:30. */
	when("25/10/2026 02:30", "2026-10-25 00:30:00+00");
	assert_non_null(canon_parse_time("31/02/2026", out, sizeof(out)));
	assert_non_null(canon_parse_time("2026-13-01", out, sizeof(out)));
	assert_non_null(canon_parse_time("22/11/26", out, sizeof(out)));
	assert_non_null(canon_parse_time("2026-11-22 25:00", out, sizeof(out)));
	assert_non_null(canon_parse_time("demain", out, sizeof(out)));
	/* The hour that does not exist in Paris (spring forward). */
	assert_non_null(canon_parse_time("29/03/2026 02:30", out, sizeof(out)));
	assert_null(canon_parse_date("2025-12-22T00:00:00+01:00", out,
	    sizeof(out)));
	assert_string_equal(out, "2025-12-22");
	assert_null(canon_parse_date("29/02/2028", out, sizeof(out)));
	assert_string_equal(out, "2028-02-29");
}

static void
test_people_and_numbers(void **state)
{
	char		out[64];
	long long	v;

	(void)state;
	assert_null(canon_parse_phone("06 12 34 56 78", out, sizeof(out)));
	assert_string_equal(out, "+33612345678");
	assert_null(canon_parse_phone("+33 6 11 22 33 44", out, sizeof(out)));
	assert_string_equal(out, "+33611223344");
	assert_null(canon_parse_phone("0033 6 11 22 33 44", out, sizeof(out)));
	assert_string_equal(out, "+33611223344");
	assert_non_null(canon_parse_phone("12", out, sizeof(out)));
	assert_null(canon_parse_email("Paul.Roux@Example.fr", out, sizeof(out)));
	assert_string_equal(out, "paul.roux@example.fr");
	assert_non_null(canon_parse_email("paul", out, sizeof(out)));
	assert_null(canon_parse_int("1 234", &v));
	assert_int_equal(v, 1234);
	assert_non_null(canon_parse_int("12,5", &v));
	assert_non_null(canon_parse_int("-3", &v));
	assert_null(canon_parse_distance("12,4 km", &v));
	assert_int_equal(v, 12400);
	assert_null(canon_parse_distance("850 m", &v));
	assert_int_equal(v, 850);
	assert_null(canon_parse_distance("3.25", &v));
	assert_int_equal(v, 3250);
}

static void
norm(const char *in, const char *want)
{
	char	out[COLMAP_NAME_MAX];

	colmap_normalize(in, out, sizeof(out));
	if (strcmp(out, want) != 0)
		fail_msg("\"%s\" → \"%s\", want \"%s\"", in, out, want);
}

static void
test_header_normalisation(void **state)
{
	(void)state;
	/* Uber mixes " : " and ":" in one row. */
	norm("Paid to you : Your earnings : Tip", "paid to you:your earnings:tip");
	norm("Paid to you:Your earnings:Tip", "paid to you:your earnings:tip");
	norm("  Paid  to you :Your earnings", "paid to you:your earnings");
	norm("Payé à vous : Vos revenus", "paye a vous:vos revenus");
	norm("Espèces encaissées", "especes encaissees");
	norm("PRÉNOM DU CHAUFFEUR", "prenom du chauffeur");
	norm("order_reference", "order reference");
	norm("Gross earnings (total)|\xe2\x82\xac", "gross earnings (total)");
	norm("Montant (€)", "montant");
	norm("Frais d\xe2\x80\x99" "annulation", "frais d'annulation");
	norm("Œuvre", "oeuvre");
}

/* ---- dialect ------------------------------------------------------------- */

static void
dialect(const char *data, size_t n, enum csvstream_encoding enc, char delim)
{
	struct csvstream_dialect	d;
	struct csvstream_error		err;

	if (csvstream_detect_mem(data, n, &d, &err) != 0)
		fail_msg("refused: %s", err.message);
	assert_int_equal(d.encoding, enc);
	assert_int_equal(d.delimiter, delim);
}

static void
test_dialect(void **state)
{
	struct csvstream_dialect	d;
	struct csvstream_error		err;
	static const char		bom[] = "\xef\xbb\xbf" "a;b;c\n1;2;3\n";
	static const char		cp[] = "Pr\xe9nom,Nom\nH\xe9l\xe8ne,G\n";

	(void)state;
	dialect(bom, sizeof(bom) - 1, CSVSTREAM_UTF8_BOM, ';');
	dialect("a,b,c\n1,2,3\n", strlen("a,b,c\n1,2,3\n"), CSVSTREAM_UTF8, ',');
	dialect("a\tb\tc\n1\t2,5\t3\n", 14, CSVSTREAM_UTF8, '\t');
	dialect(cp, sizeof(cp) - 1, CSVSTREAM_CP1252, ',');
	/* Quoted delimiters do not count. */
	dialect("\"a;b\",c,d\n", 10, CSVSTREAM_UTF8, ',');
	assert_int_equal(csvstream_detect_mem("PK\x03\x04zzzz", 8, &d, &err), -1);
	assert_non_null(strstr(err.message, "Excel"));
	assert_int_equal(csvstream_detect_mem("a,b\0c", 5, &d, &err), -1);
	assert_int_equal(csvstream_detect_mem("", 0, &d, &err), -1);
	assert_int_equal(csvstream_detect_mem("\xef\xbb\xbf", 3, &d, &err), -1);
}

/* ---- connectors over the fixtures ---------------------------------------- */

struct collected {
	size_t			 records;
	size_t			 rejects;
	long long		 sums[CANON_MAX_COLUMNS];
	struct canon_record	 first[6];
	size_t			 reject_lines[8];
	char			 reject_columns[8][64];
	size_t			 last_bytes;
};

static int
on_record(void *ctx, const struct canon_record *r)
{
	struct collected	*c = ctx;
	size_t			 i;

	for (i = 0; i < CANON_MAX_COLUMNS; i++)
		if (r->set[i])
			c->sums[i] += r->num[i];
	if (c->records < 6)
		memcpy(&c->first[c->records], r, sizeof(*r));
	c->records++;
	return 0;
}

static int
on_reject(void *ctx, size_t line, const char *column, const char *value,
    const char *reason)
{
	struct collected	*c = ctx;

	(void)value;
	(void)reason;
	if (c->rejects < 8) {
		c->reject_lines[c->rejects] = line;
		snprintf(c->reject_columns[c->rejects], 64, "%s", column);
	}
	c->rejects++;
	return 0;
}

static int
on_progress(void *ctx, size_t bytes)
{
	((struct collected *)ctx)->last_bytes = bytes;
	return 0;
}

/* Read a fixture with a type; the outcome's result is returned. */
static enum connector_result
read_fixture(const char *type, const char *file, const char *config_json,
    struct collected *c, struct connector_outcome *out)
{
	const struct connector_type	*t = connector_find(type);
	struct connector_sink		 sink = { c, on_record, on_reject,
					    on_progress };
	struct connector_input		 in;
	json_error_t			 jerr;
	json_t				*config;
	int				 fd;

	assert_non_null(t);
	memset(c, 0, sizeof(*c));
	config = json_loads(config_json ? config_json : "{}", 0, &jerr);
	assert_non_null(config);
	fd = open(file, O_RDONLY);
	if (fd == -1)
		fail_msg("cannot open %s (run from the repository root)", file);
	in.fd = fd;
	in.name = file;
	connector_outcome_init(out);
	t->read(config, &in, &sink, out);
	close(fd);
	json_decref(config);
	return out->result;
}

static void
test_uber_english_bom_comma(void **state)
{
	struct collected		*c = calloc(1, sizeof(*c));
	struct connector_outcome	 out;

	(void)state;
	assert_int_equal(read_fixture("uber_csv", FIXTURES
	    "uber_payments_en.csv", NULL, c, &out), CONN_OK);
	assert_int_equal(c->records, 5);
	assert_int_equal(c->rejects, 0);
	/* Revenue is "Your earnings", never "Paid to you". */
	assert_int_equal(c->sums[TRIP_NET_EARNINGS], 9015);
	assert_int_equal(c->sums[TRIP_PAYOUT], 6415);
	assert_int_equal(c->sums[TRIP_GROSS_FARE], 10900);
	assert_int_equal(c->sums[TRIP_TIPS], 650);
	assert_int_equal(c->sums[TRIP_COMMISSION], 2535);
	assert_int_equal(c->sums[TRIP_CASH_COLLECTED], 3000);
	assert_int_equal(c->sums[TRIP_TOLLS], 400);
	assert_string_equal(c->first[0].text[TRIP_SOURCE_KEY],
	    "6b1f3c1e-0001-4a51-9d57-0a1b2c3d4e01");
	assert_string_equal(c->first[0].text[TRIP_DRIVER_NAME], "Amine Benali");
	assert_string_equal(c->first[0].text[TRIP_STATUS], "terminee");
	assert_string_equal(c->first[0].text[TRIP_PAYMENT_METHOD], "carte");
	assert_string_equal(c->first[1].text[TRIP_PAYMENT_METHOD], "especes");
	assert_string_equal(c->first[3].text[TRIP_STATUS], "ajustement");
	assert_string_equal(c->first[2].text[TRIP_DRIVER_NAME], "Chloé Martin");
	/* 08:15 in Paris in November is 07:15 UTC. */
	assert_string_equal(c->first[0].text[TRIP_STARTED_AT],
	    "2026-11-02 07:15:00+00");
	assert_string_equal(json_string_value(json_object_get(out.dialect,
	    "encoding")), "UTF-8 (BOM)");
	assert_string_equal(json_string_value(json_object_get(out.dialect,
	    "delimiter")), "virgule");
	assert_string_equal(json_string_value(json_object_get(out.dialect,
	    "decimal")), "point");
	assert_true(json_array_size(json_object_get(out.dialect, "ignored")) >= 1);
	assert_int_equal(c->last_bytes, 1660);
	connector_outcome_clear(&out);
	free(c);
}

static void
test_uber_french_cp1252_semicolon(void **state)
{
	struct collected		*c = calloc(1, sizeof(*c));
	struct connector_outcome	 out;

	(void)state;
	assert_int_equal(read_fixture("uber_csv", FIXTURES
	    "uber_payments_fr_cp1252.csv", NULL, c, &out), CONN_OK);
	assert_int_equal(c->records, 2);
	assert_int_equal(c->sums[TRIP_NET_EARNINGS], 121230);
	assert_int_equal(c->sums[TRIP_PAYOUT], -28770);
	assert_int_equal(c->sums[TRIP_CASH_COLLECTED], 150000);
	assert_string_equal(c->first[1].text[TRIP_DRIVER_NAME], "Hélène Gérard");
	assert_string_equal(c->first[0].text[TRIP_STARTED_AT],
	    "2026-11-03 20:40:00+00");
	assert_string_equal(json_string_value(json_object_get(out.dialect,
	    "encoding")), "Windows-1252");
	assert_string_equal(json_string_value(json_object_get(out.dialect,
	    "delimiter")), "point_virgule");
	assert_string_equal(json_string_value(json_object_get(out.dialect,
	    "decimal")), "virgule");
	connector_outcome_clear(&out);
	free(c);
}

static void
test_uber_settlement_is_not_revenue(void **state)
{
	struct collected		*c = calloc(1, sizeof(*c));
	struct connector_outcome	 out;

	(void)state;
	assert_int_equal(read_fixture("uber_csv", FIXTURES
	    "uber_settlement_only.csv", NULL, c, &out), CONN_CONFIG);
	assert_int_equal(c->records, 0);
	assert_non_null(strstr(out.message, "paid to you:your earnings"));
	connector_outcome_clear(&out);
	free(c);
}

static void
test_malformed_files_stop_with_line_and_column(void **state)
{
	struct collected		*c = calloc(1, sizeof(*c));
	struct connector_outcome	 out;

	(void)state;
	assert_int_equal(read_fixture("uber_csv", FIXTURES
	    "uber_malformed_quote.csv", NULL, c, &out), CONN_CONFIG);
	assert_int_equal(out.line, 3);
	assert_int_equal(out.column, 3);
	assert_non_null(strstr(out.message, "Guillemet"));
	connector_outcome_clear(&out);
	assert_int_equal(read_fixture("uber_csv", FIXTURES
	    "uber_wrong_columns.csv", NULL, c, &out), CONN_CONFIG);
	assert_int_equal(out.line, 4);
	assert_int_equal(out.column, 6);
	assert_non_null(strstr(out.message, "6 colonne"));
	connector_outcome_clear(&out);
	free(c);
}

static void
test_rows_rejected_with_their_column(void **state)
{
	struct collected		*c = calloc(1, sizeof(*c));
	struct connector_outcome	 out;

	(void)state;
	/* The duplicate key is the loader's to find: 4 records here. */
	assert_int_equal(read_fixture("uber_csv", FIXTURES "uber_rejects.csv",
	    NULL, c, &out), CONN_OK);
	assert_int_equal(c->records, 3);
	assert_int_equal(c->rejects, 3);
	assert_int_equal(c->reject_lines[0], 3);
	assert_string_equal(c->reject_columns[0], "Paid to you");
	assert_int_equal(c->reject_lines[1], 4);
	assert_string_equal(c->reject_columns[1], "Date/Time");
	assert_int_equal(c->reject_lines[2], 5);
	assert_string_equal(c->reject_columns[2], "Transaction UUID");
	connector_outcome_clear(&out);
	free(c);
}

static void
test_bolt_tab_separated(void **state)
{
	struct collected		*c = calloc(1, sizeof(*c));
	struct connector_outcome	 out;

	(void)state;
	assert_int_equal(read_fixture("bolt_orders_csv", FIXTURES "bolt_orders.tsv",
	    NULL, c, &out), CONN_OK);
	assert_int_equal(c->records, 3);
	assert_int_equal(c->sums[TRIP_GROSS_FARE], 4450);
	assert_int_equal(c->sums[TRIP_NET_EARNINGS], 4022);
	assert_int_equal(c->sums[TRIP_CASH_COLLECTED], 2550);
	assert_int_equal(c->sums[TRIP_COMMISSION], 1088);
	assert_int_equal(c->sums[TRIP_TOLLS], 260);
	assert_int_equal(c->sums[TRIP_DISTANCE_M], 17700);
	assert_string_equal(c->first[0].text[TRIP_DRIVER_PHONE], "+33611223344");
	assert_string_equal(c->first[0].text[TRIP_PAYMENT_METHOD], "especes");
	assert_string_equal(c->first[2].text[TRIP_STATUS], "annulee");
	assert_string_equal(c->first[2].text[TRIP_STARTED_AT],
	    "2026-11-06 18:45:00+00");
	assert_string_equal(json_string_value(json_object_get(out.dialect,
	    "delimiter")), "tabulation");
	connector_outcome_clear(&out);
	free(c);
}

/* The weekly earnings export: money after "|€", the period from the
 * file's name (two dates, or an ISO week), decimal comma in French. */
static void
test_bolt_earnings(void **state)
{
	struct collected		*c = calloc(1, sizeof(*c));
	struct connector_outcome	 out;

	(void)state;
	assert_int_equal(read_fixture("bolt_csv", FIXTURES
	    "bolt_earnings_2026-11-09_2026-11-15.csv", NULL, c, &out), CONN_OK);
	connector_outcome_clear(&out);
	assert_int_equal(c->records, 2);
	assert_int_equal(c->rejects, 0);
	assert_int_equal(c->sums[EARN_GROSS], 205460);
	assert_int_equal(c->sums[EARN_CARD_GROSS], 172010);
	assert_int_equal(c->sums[EARN_CASH], 33450);
	assert_int_equal(c->sums[EARN_TIPS], 1650);
	assert_int_equal(c->sums[EARN_COMMISSION_CARD], 49310);
	assert_int_equal(c->sums[EARN_BONUSES], 2500);
	assert_int_equal(c->sums[EARN_CANCELLATION], 800);
	assert_int_equal(c->sums[EARN_NET], 161100);
	assert_int_equal(c->sums[EARN_RIDES_DONE], 101);
	assert_string_equal(c->first[0].text[EARN_PERIOD], "semaine");
	assert_string_equal(c->first[0].text[EARN_PERIOD_START], "2026-11-09");
	assert_string_equal(c->first[0].text[EARN_SOURCE_KEY],
	    "BE-1001|2026-11-09|semaine");
	free(c);

	c = calloc(1, sizeof(*c));
	assert_int_equal(read_fixture("bolt_csv", FIXTURES
	    "bolt_earnings_fr_2026-W46.csv", NULL, c, &out), CONN_OK);
	connector_outcome_clear(&out);
	assert_int_equal(c->records, 1);
	assert_int_equal(c->sums[EARN_GROSS], 105040);
	/* No "collected cash" column: the cash rides' gross is the cash. */
	assert_int_equal(c->sums[EARN_CASH], 35040);
	assert_int_equal(c->sums[EARN_COMMISSION_CARD], 25210);
	assert_string_equal(c->first[0].text[EARN_PERIOD_END], "2026-11-15");
	assert_string_equal(c->first[0].text[EARN_DRIVER_PHONE], "+33612345603");
	assert_string_equal(c->first[0].text[EARN_DRIVER_REF],
	    "nadia.haddad@bolt-fixture.test");
	free(c);

	/* Without a period anywhere every row says what to do. */
	c = calloc(1, sizeof(*c));
	read_fixture("bolt_csv", FIXTURES "bolt_earnings_undated.csv", NULL, c,
	    &out);
	connector_outcome_clear(&out);
	assert_int_equal(c->records, 0);
	assert_int_equal(c->rejects, 1);
	free(c);
}

static void
test_period_from_a_file_name(void **state)
{
	char	s[11], e[11];

	(void)state;
	assert_int_equal(connector_period_from_name(
	    "Bolt earnings 2026-11-09_2026-11-15.csv", s, e), 0);
	assert_string_equal(s, "2026-11-09");
	assert_string_equal(e, "2026-11-15");
	assert_int_equal(connector_period_from_name("gains-2026-11-09.csv", s,
	    e), 0);
	assert_string_equal(e, "2026-11-09");
	assert_int_equal(connector_period_from_name("bolt-2026-W46.csv", s, e),
	    0);
	assert_string_equal(s, "2026-11-09");
	assert_string_equal(e, "2026-11-15");
	/* Week 1 may start in December; 2026 has 53 weeks, 2025 has not. */
	assert_int_equal(connector_period_from_name("2026-W01", s, e), 0);
	assert_string_equal(s, "2025-12-29");
	assert_int_equal(connector_period_from_name("2026-W53", s, e), 0);
	assert_string_equal(e, "2027-01-03");
	assert_int_equal(connector_period_from_name("2025-W53", s, e), -1);
	/* Not dates, or dates that do not exist, or the wrong way round. */
	assert_int_equal(connector_period_from_name("export.csv", s, e), -1);
	assert_int_equal(connector_period_from_name("2026-02-30.csv", s, e),
	    -1);
	assert_int_equal(connector_period_from_name(
	    "2026-11-15_2026-11-09.csv", s, e), -1);
	assert_int_equal(connector_period_from_name(NULL, s, e), -1);
}

static void
test_heetch_csv_and_json_agree(void **state)
{
	struct collected		*a = calloc(1, sizeof(*a));
	struct collected		*b = calloc(1, sizeof(*b));
	struct connector_outcome	 out;
	size_t				 i;

	(void)state;
	assert_int_equal(read_fixture("heetch_csv", FIXTURES
	    "heetch_earnings_fr.csv", NULL, a, &out), CONN_OK);
	connector_outcome_clear(&out);
	assert_int_equal(read_fixture("heetch_csv", FIXTURES
	    "heetch_earnings.json", NULL, b, &out), CONN_OK);
	connector_outcome_clear(&out);
	assert_int_equal(a->records, 2);
	assert_int_equal(b->records, 2);
	assert_int_equal(a->sums[EARN_GROSS], 196560);
	assert_int_equal(a->sums[EARN_NET], 157248);
	assert_int_equal(a->sums[EARN_RIDES_DONE], 93);
	for (i = 0; i < EARN_NCOLUMNS; i++)
		if (canon_kind_is_number(canon_table(CANON_EARNINGS)->
		    columns[i].kind))
			assert_int_equal(a->sums[i], b->sums[i]);
	for (i = 0; i < 2; i++) {
		assert_string_equal(a->first[i].text[EARN_SOURCE_KEY],
		    b->first[i].text[EARN_SOURCE_KEY]);
		assert_string_equal(a->first[i].text[EARN_PERIOD], "semaine");
		assert_string_equal(b->first[i].text[EARN_PERIOD_END],
		    "2025-12-28");
	}
	assert_string_equal(a->first[1].text[EARN_SOURCE_KEY],
	    "paul.roux@example.fr|2025-12-22|semaine");
	free(a);
	free(b);
}

static void
test_generic_with_mapping(void **state)
{
	struct collected		*c = calloc(1, sizeof(*c));
	struct connector_outcome	 out;
	static const char		 config[] = "{\"target\": \"trips\","
	    " \"platform\": \"autre\", \"mapping\": {\"source_key\":"
	    " \"Réf course\", \"driver_name\": \"Chauffeur\", \"driver_email\":"
	    " \"Mail\", \"started_at\": \"Date\", \"gross_fare_cents\":"
	    " \"Montant TTC\", \"net_earnings_cents\": \"Net chauffeur\","
	    " \"payment_method\": \"Paiement\", \"status\": \"Statut\"}}";

	(void)state;
	assert_int_equal(read_fixture("generic_csv", FIXTURES
	    "generic_trips.csv", config, c, &out), CONN_OK);
	assert_int_equal(c->records, 3);
	assert_int_equal(c->sums[TRIP_GROSS_FARE], 5550);
	assert_string_equal(c->first[0].text[TRIP_DRIVER_REF],
	    "ines.faure@example.fr");
	assert_string_equal(c->first[0].text[TRIP_DRIVER_NAME], "Inès Faure");
	assert_string_equal(c->first[0].text[TRIP_PAYMENT_METHOD], "especes");
	assert_string_equal(c->first[2].text[TRIP_STATUS], "annulee");
	assert_string_equal(c->first[2].text[TRIP_PLATFORM_STATUS],
	    "Annulée par le client");
	connector_outcome_clear(&out);
	/* Without a mapping: refused, saying what to do. */
	assert_int_equal(read_fixture("generic_csv", FIXTURES
	    "generic_trips.csv", "{\"target\": \"trips\"}", c, &out),
	    CONN_CONFIG);
	assert_non_null(strstr(out.message, "mapping"));
	connector_outcome_clear(&out);
	free(c);
}

static void
test_check_explains_the_file(void **state)
{
	const struct connector_type	*t = connector_find("uber_csv");
	struct connector_outcome	 out;
	struct connector_input		 in;
	json_t				*config = json_object();

	(void)state;
	in.fd = open(FIXTURES "uber_payments_fr_cp1252.csv", O_RDONLY);
	in.name = "x";
	connector_outcome_init(&out);
	t->check(config, &in, &out);
	assert_int_equal(out.result, CONN_OK);
	assert_non_null(strstr(out.message, "Windows-1252"));
	assert_non_null(strstr(out.message, "point-virgule"));
	close(in.fd);
	connector_outcome_clear(&out);
	in.fd = open(FIXTURES "heetch_earnings_fr.csv", O_RDONLY);
	connector_outcome_init(&out);
	t->check(config, &in, &out);
	assert_int_equal(out.result, CONN_CONFIG);
	assert_non_null(strstr(out.message, "export des paiements Uber"));
	close(in.fd);
	connector_outcome_clear(&out);
	json_decref(config);
}

static void
test_config_secrets_masked(void **state)
{
	static const struct connector_field	fields[] = {
		{ "login", "x", NULL, CFIELD_TEXT, 1, NULL, NULL, 50, NULL },
		{ "api_key", "x", NULL, CFIELD_SECRET, 1, NULL, NULL, 100, NULL },
	};
	struct connector_type	t = { .name = "test", .fields = fields,
				    .nfields = 2 };
	json_t			*values, *config, *secrets, *errors, *pub,
				*again, *secrets2;
	char			*text;

	(void)state;
	values = json_pack("{s:s, s:s}", "login", " flotte ", "api_key",
	    "s3cr3t-value");
	config = connector_config_input(&t, values, NULL, NULL, &secrets,
	    &errors);
	json_decref(values);
	assert_null(errors);
	assert_string_equal(json_string_value(json_object_get(config, "login")),
	    "flotte");
	assert_null(json_object_get(config, "api_key"));
	assert_string_equal(json_string_value(json_object_get(secrets,
	    "api_key")), "s3cr3t-value");
	pub = connector_config_public(&t, config, secrets);
	text = json_dumps(pub, 0);
	assert_null(strstr(text, "s3cr3t"));
	free(text);
	assert_non_null(json_object_get(pub, "api_key"));
	json_decref(pub);
	/* A blank secret keeps the stored one. */
	values = json_pack("{s:s, s:s}", "login", "flotte", "api_key", "");
	again = connector_config_input(&t, values, config, secrets, &secrets2,
	    &errors);
	json_decref(values);
	assert_null(errors);
	assert_non_null(again);
	assert_string_equal(json_string_value(json_object_get(secrets2,
	    "api_key")), "s3cr3t-value");
	json_decref(again);
	json_decref(secrets2);
	/* A required secret never given is an error on its field. */
	values = json_object();
	json_decref(connector_config_input(&t, values, NULL, NULL, &secrets2,
	    &errors));
	assert_null(secrets2);
	assert_non_null(json_object_get(errors, "api_key"));
	json_decref(errors);
	json_decref(values);
	json_decref(config);
	json_decref(secrets);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_people_and_numbers),
		cmocka_unit_test(test_header_normalisation),
		cmocka_unit_test(test_dialect),
		cmocka_unit_test(test_uber_english_bom_comma),
		cmocka_unit_test(test_uber_french_cp1252_semicolon),
		cmocka_unit_test(test_uber_settlement_is_not_revenue),
		cmocka_unit_test(test_malformed_files_stop_with_line_and_column),
		cmocka_unit_test(test_rows_rejected_with_their_column),
		cmocka_unit_test(test_bolt_tab_separated),
		cmocka_unit_test(test_bolt_earnings),
		cmocka_unit_test(test_period_from_a_file_name),
		cmocka_unit_test(test_heetch_csv_and_json_agree),
		cmocka_unit_test(test_generic_with_mapping),
		cmocka_unit_test(test_check_explains_the_file),
		cmocka_unit_test(test_config_secrets_masked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
