/* The statements the resource layer writes from a description: the
 * parameters by name in the list's WHERE and in the update's extra, the
 * writable fields in INSERT and UPDATE with their expressions, the key
 * that breaks ties, and a description with an unknown name refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "resource/resource.h"

static const char *const colours[] = { "rouge", "blanc", NULL };

static const struct res_field fields[] = {
	{ "id", RT_UUID, 0 },
	{ "name", RT_TEXT, RES_WRITE, { "name", V_TEXT, 1, 1, 40, NULL, NULL } },
	{ "colour", RT_ENUM, RES_WRITE, { "colour", V_ENUM, 0, 0, 0, colours,
	    NULL }, NULL, "coalesce($, 'rouge')::colour" },
	{ "label", RT_TEXT, 0, .select = "upper(w.name)" },
	{ "year", RT_INT, RES_WRITE | RES_NULLABLE, { "year", V_INT, 0, 1900,
	    2100, NULL, NULL }, NULL, "$::int" },
};

static const struct res_param params[] = {
	{ "q", RP_SEARCH },
	{ "colour", RP_CHOICE, colours, "valid.list.colour" },
};

static const struct res_sort sorts[] = {
	{ "name", "w.name", "wines.name" },
	{ "-name", "w.name DESC" },
};

static struct res_stmts stmts_ok, stmts_keyed, stmts_bad, stmts_bad_extra;

static const struct resource wines = {
	.name = "wines", .table = "wines", .alias = "w", .schema = "Wine",
	.kept_total = 1,
	.fields = fields, .nfields = 5, .params = params, .nparams = 2,
	.where = "({q} = '' OR w.name ILIKE {q}) AND ({colour} = '' OR"
	    " w.colour::text = {colour})",
	.sorts = sorts, .nsorts = 2,
	.update_extra = "archived_at = CASE WHEN {colour} = 'blanc' THEN now()"
	    " END",
	.archive_sql = "UPDATE wines SET archived_at = now() WHERE id = $1::uuid"
	    " RETURNING name",
	.stmts = &stmts_ok,
};

static void
test_rows_and_writes(void **state)
{
	const struct res_stmts	*st;

	(void)state;
	assert_non_null(st = resource_stmts(&wines));
	assert_string_equal(st->get.name, "wines_get");
	assert_string_equal(st->get.sql, "SELECT row_to_json(x)::text FROM"
	    " (SELECT w.id, w.name, w.colour, upper(w.name) AS label, w.year"
	    " FROM wines w WHERE w.id = $1::uuid) x");
	assert_string_equal(st->insert.sql, "INSERT INTO wines (tenant_id,"
	    " name, colour, year) VALUES (app_tenant(), $1,"
	    " coalesce($2, 'rouge')::colour, $3::int) RETURNING id");
	assert_string_equal(st->update.sql, "UPDATE wines SET name = $1,"
	    " colour = coalesce($2, 'rouge')::colour, year = $3::int,"
	    " archived_at = CASE WHEN $2 = 'blanc' THEN now() END"
	    " WHERE id = $4::uuid RETURNING id");
	assert_string_equal(st->archive.sql, wines.archive_sql);
	/* Built once: the same statements, at the same addresses. */
	assert_ptr_equal(resource_stmts(&wines), st);
}

static void
test_list_pages(void **state)
{
	const struct res_stmts	*st = resource_stmts(&wines);

	(void)state;
	assert_non_null(st);
	assert_string_equal(st->page[1].name, "wines_list_1");
	assert_string_equal(st->page[1].sql, "SELECT row_to_json(x)::text,"
	    " w.list_total FROM (SELECT *, count(*) OVER () AS list_total FROM"
	    " wines w WHERE ($1 = '' OR w.name ILIKE $1) AND ($2 = '' OR"
	    " w.colour::text = $2) ORDER BY w.name DESC, w.id LIMIT $3::int"
	    " OFFSET $4::int) w CROSS JOIN LATERAL (SELECT w.id, w.name,"
	    " w.colour, upper(w.name) AS label, w.year) x ORDER BY w.name DESC,"
	    " w.id");
	assert_string_equal(st->all[0].sql, "SELECT row_to_json(x)::text FROM"
	    " (SELECT * FROM wines w WHERE w.archived_at IS NULL ORDER BY"
	    " w.name, w.id LIMIT $1::int OFFSET $2::int) w CROSS JOIN LATERAL"
	    " (SELECT w.id, w.name, w.colour, upper(w.name) AS label, w.year) x"
	    " ORDER BY w.name, w.id");
	assert_string_equal(st->count.sql, "SELECT count(*) FROM wines w WHERE"
	    " ($1 = '' OR w.name ILIKE $1) AND ($2 = '' OR w.colour::text = $2)");
}

/* Rows told apart by another key are listed only, counted like a filter,
 * and broken by that key. */
static void
test_keyed_list(void **state)
{
	struct resource		 keyed = wines;
	const struct res_stmts	*st;

	(void)state;
	keyed.name = "bottles";
	keyed.key = "source_key";
	keyed.kept_total = 0;
	keyed.sums = "coalesce(sum(w.year), 0) AS years";
	keyed.stmts = &stmts_keyed;
	assert_non_null(st = resource_stmts(&keyed));
	assert_non_null(strstr(st->page[0].sql, "ORDER BY w.name, w.source_key"
	    " LIMIT $3::int"));
	assert_null(st->all[0].sql);
	assert_null(st->get.sql);
	assert_null(st->insert.sql);
	assert_string_equal(st->count.sql, "SELECT count(*), coalesce(sum("
	    "w.year), 0) AS years FROM wines w WHERE ($1 = '' OR w.name ILIKE $1)"
	    " AND ($2 = '' OR w.colour::text = $2)");
}

static void
test_unknown_names_are_refused(void **state)
{
	struct resource	bad = wines, bad_extra = wines;

	(void)state;
	bad.name = "bad";
	bad.where = "({q} = '' OR w.name = {nom})";
	bad.stmts = &stmts_bad;
	assert_null(resource_stmts(&bad));
	/* And stays refused, without building again. */
	assert_null(resource_stmts(&bad));
	bad_extra.name = "bad_extra";
	bad_extra.update_extra = "archived_at = {colour} || {q}";
	bad_extra.stmts = &stmts_bad_extra;
	assert_null(resource_stmts(&bad_extra));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_and_writes),
		cmocka_unit_test(test_list_pages),
		cmocka_unit_test(test_keyed_list),
		cmocka_unit_test(test_unknown_names_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
