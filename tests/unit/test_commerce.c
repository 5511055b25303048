/* Commerce values: iSaVigne's labels to our words (categories,
 * packagings), names split on the first space, yes/no and decimals,
 * which file is which stream, header aliases with a configured one first,
 * and a whole file read through its stream's profile (decimal commas,
 * French dates, E.164, a derived key). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "connectors/bundle.h"
#include "connectors/isavigne.h"

static void
test_categories(void **state)
{
	static const char *const cases[][2] = {
		{ "Vin rouge", "rouge" }, { "ROUGE", "rouge" }, { "R", "rouge" },
		{ "Blanc sec", "blanc" }, { "Rosé", "rose" }, { "ROSÉ", "rose" },
		{ "Crémant de Loire", "mousseux" }, { "Champagne", "mousseux" },
		{ "Pétillant naturel", "petillant" },
		{ "Vin doux naturel", "fortifie" }, { "Rosé pétillant", "petillant" },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(isavigne_category(cases[i][0]), cases[i][1]);
	assert_null(isavigne_category("Spiritueux"));
	assert_null(isavigne_category(""));
}

static void
test_packagings(void **state)
{
	static const char *const cases[][2] = {
		{ "Bouteille 75cl", "bouteille" }, { "BTL", "bouteille" },
		{ "Demi-bouteille", "demi" }, { "1/2 bouteille", "demi" },
		{ "Magnum 1,5 L", "magnum" }, { "Jéroboam", "jeroboam" },
		{ "Caisse de 6", "caisse6" }, { "Carton 12", "caisse12" },
		{ "6x75cl", "caisse6" }, { "BIB 3L", "bib3l" },
		{ "Bag in Box", "bib3l" }, { "Pot 50 cl", "pot_50_cl" },
	};
	char	out[48];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(isavigne_packaging(cases[i][0], out,
		    sizeof(out)), cases[i][1]);
	assert_null(isavigne_packaging("  ", out, sizeof(out)));
	assert_null(isavigne_packaging("***", out, sizeof(out)));
}

static void
test_names(void **state)
{
	char	f[64], l[64];

	(void)state;
	isavigne_split_name("Jean-Pierre de La Tour", f, sizeof(f), l, sizeof(l));
	assert_string_equal(f, "Jean-Pierre");
	assert_string_equal(l, "de La Tour");
	isavigne_split_name("  Élodie   Marchand", f, sizeof(f), l, sizeof(l));
	assert_string_equal(f, "Élodie");
	assert_string_equal(l, "Marchand");
	isavigne_split_name("Müller", f, sizeof(f), l, sizeof(l));
	assert_string_equal(f, "");
	assert_string_equal(l, "Müller");
}

static void
test_bools_and_decimals(void **state)
{
	static const char *const yes[] = { "Oui", "OUI", " x ", "1", "true",
		"Y" };
	static const char *const no[] = { "Non", "0", "false", "-", "N" };
	long long	v;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		assert_null(canon_parse_bool(yes[i], &v));
		assert_int_equal(v, 1);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		assert_null(canon_parse_bool(no[i], &v));
		assert_int_equal(v, 0);
	}
	assert_non_null(canon_parse_bool("peut-être", &v));
	assert_null(canon_parse_decimal("36,5", 0, &v));
	assert_int_equal(v, 3650);
	assert_null(canon_parse_decimal("1 200", ',', &v));
	assert_int_equal(v, 120000);
	assert_null(canon_parse_decimal("14.5", 0, &v));
	assert_int_equal(v, 1450);
	assert_null(canon_parse_decimal("-2", 0, &v));
	assert_int_equal(v, -200);
	assert_non_null(canon_parse_decimal("12 €", 0, &v));
	assert_non_null(canon_parse_decimal("douze", 0, &v));
}

/* Headers are normalised as the mapping screen writes them, and a long
 * one cut at its buffer never ends inside a character. */
static void
test_header_normalisation(void **state)
{
	char	out[COLMAP_NAME_MAX], in[600];
	size_t	i;

	(void)state;
	colmap_normalize("  N° Commande ", out, sizeof(out));
	assert_string_equal(out, "n° commande");
	colmap_normalize("Prix_Unitaire (€)", out, sizeof(out));
	assert_string_equal(out, "prix unitaire");
	colmap_normalize("Qté  Vendue", out, sizeof(out));
	assert_string_equal(out, "qte vendue");
	in[0] = 'a';
	for (i = 1; i + 3 < sizeof(in); i += 3)
		memcpy(in + i, "\xe2\x80\xa1", 3);	/* ‡ */
	in[i] = '\0';
	colmap_normalize(in, out, sizeof(out));
	assert_true(strlen(out) < sizeof(out));
	assert_int_equal((strlen(out) - 1) % 3, 0);
}

static void
test_streams(void **state)
{
	(void)state;
	assert_int_equal(isavigne_stream_of("produits.csv"), 0);
	assert_int_equal(isavigne_stream_of("Clients_2026.CSV"), 1);
	assert_int_equal(isavigne_stream_of("ventes-novembre.csv"), 2);
	assert_int_equal(isavigne_stream_of("STOCK.csv"), 3);
	assert_int_equal(isavigne_stream_of("factures.csv"), -1);
	assert_int_equal(isavigne_stream_of("ventes.xlsx"), -1);
}

static void
test_aliases_with_configured_first(void **state)
{
	struct isavigne_built	 b;
	json_t			*config = json_pack("{s:{s:{s:s}}}", "mapping",
				    "ventes", "quantity", "Nb Cols");
	size_t			 i;
	int			 found = 0;

	(void)state;
	isavigne_profile(&b, &isavigne_streams[2], config);
	for (i = 0; i < b.profile.nentries; i++)
		if (b.entries[i].column == SALE_QUANTITY) {
			assert_string_equal(b.entries[i].names[0], "nb cols");
			assert_string_equal(b.entries[i].names[1], "quantite");
			found = 1;
		}
	assert_true(found);
	json_decref(config);
}

/* The stream's records of one file, as the loader would see them. */
struct seen {
	struct canon_record	rec[8];
	size_t			n, rejected;
};

static int
keep(void *ctx, const struct canon_record *r)
{
	struct seen	*s = ctx;

	if (s->n < 8)
		s->rec[s->n++] = *r;
	return 0;
}

static int
rejected(void *ctx, size_t line, const char *c, const char *v, const char *w)
{
	(void)line, (void)c, (void)v, (void)w;
	((struct seen *)ctx)->rejected++;
	return 0;
}

static int
tmp_file(const char *text)
{
	FILE	*f = tmpfile();
	int	 fd;

	fputs(text, f);
	fflush(f);
	fd = dup(fileno(f));
	fclose(f);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static void
test_sales_file(void **state)
{
	static struct seen		 s;
	static struct isavigne_built	 b;
	struct connector_sink		 sink = { &s, keep, rejected, NULL };
	struct connector_input		 in = { -1, "ventes.csv", NULL };
	struct connector_outcome	 o;
	json_t				*config = json_object();

	(void)state;
	memset(&s, 0, sizeof(s));
	in.fd = tmp_file("N° facture;Date;Code client;Code article;"
	    "Conditionnement;Quantité;Prix unitaire;Montant\r\n"
	    "F1;03/11/2026;C1;VR;Caisse de 6;2;75,00;150,00\r\n"
	    "F1;03/11/2026;C1;MG;Magnum;1,5;45,00;\r\n"
	    "F2;31/02/2026;C2;VR;;1;12,50;12,50\r\n");
	isavigne_profile(&b, &isavigne_streams[2], config);
	connector_outcome_init(&o);
	connector_csv_read(&b.profile, CANON_SALES, config, &in, &sink, &o);
	assert_int_equal(o.result, CONN_OK);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.rejected, 1);	/* 31 February */
	assert_string_equal(s.rec[0].text[SALE_SOURCE_KEY], "F1/VR/caisse6");
	assert_string_equal(s.rec[0].text[SALE_SOLD_ON], "2026-11-03");
	assert_int_equal(s.rec[0].num[SALE_QUANTITY], 200);
	assert_int_equal(s.rec[0].num[SALE_TOTAL], 15000);
	/* A missing total is the unit price times the quantity. */
	assert_int_equal(s.rec[1].num[SALE_QUANTITY], 150);
	assert_int_equal(s.rec[1].num[SALE_TOTAL], 6750);
	assert_string_equal(s.rec[1].text[SALE_PACKAGING], "magnum");
	connector_outcome_clear(&o);
	close(in.fd);
	json_decref(config);
}

static int
count_member(void *ctx, const char *name, int fd)
{
	char	buf[16];

	assert_true(read(fd, buf, 5) == 5);
	assert_memory_equal(buf, "hello", 5);
	(void)name;
	close(fd);
	(*(int *)ctx)++;
	return 0;
}

static void
test_bundle_round_trip(void **state)
{
	const char	*names[2] = { "clients.csv", "ventes.csv" };
	const char	*paths[2] = { NULL, NULL };
	const char	*datas[2] = { "hello, clients", "hello, ventes" };
	size_t		 sizes[2] = { 14, 13 };
	char		 path[] = "/tmp/fc-test-bundle-XXXXXX", msg[256];
	int		 fd, n = 0;

	(void)state;
	fd = mkstemp(path);
	close(fd);
	unlink(path);
	assert_int_equal(bundle_make(path, 2, names, paths, datas, sizes), 0);
	fd = open(path, 0);
	assert_true(bundle_is_zip(fd));
	assert_int_equal(bundle_each(fd, 1024, count_member, &n, msg,
	    sizeof(msg)), 0);
	assert_int_equal(n, 2);
	/* A member larger than the cap stops the read. */
	assert_int_equal(bundle_each(fd, 10, count_member, &n, msg,
	    sizeof(msg)), -1);
	assert_non_null(strstr(msg, "volumineux"));
	close(fd);
	unlink(path);
	fd = tmp_file("PK\3\4 not really a zip");
	assert_int_equal(bundle_each(fd, 1024, count_member, &n, msg,
	    sizeof(msg)), -1);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_categories),
		cmocka_unit_test(test_packagings),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_bools_and_decimals),
		cmocka_unit_test(test_header_normalisation),
		cmocka_unit_test(test_streams),
		cmocka_unit_test(test_aliases_with_configured_first),
		cmocka_unit_test(test_sales_file),
		cmocka_unit_test(test_bundle_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
