/* Unit tests of fcgi/app/finance/week.c: ISO weeks across year ends,
 * 53-week years, leap days and refused input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "finance/week.h"

static void
monday_is(const char *week, const char *want)
{
	struct iso_week	w;
	char		out[16];

	assert_int_equal(week_parse(week, &w), 0);
	week_monday(&w, out, sizeof(out));
	assert_string_equal(out, want);
}

static void
week_is(const char *date, const char *want)
{
	struct iso_week	w;
	char		out[16];

	assert_int_equal(week_of_date(date, &w), 0);
	week_format(&w, out, sizeof(out));
	assert_string_equal(out, want);
}

static void
test_mondays(void **state)
{
	(void)state;
	monday_is("2026-W48", "2026-11-23");
	monday_is("2026-W01", "2025-12-29");	/* week 1 starts in December */
	monday_is("2020-W53", "2020-12-28");
	monday_is("2021-W01", "2021-01-04");
	monday_is("2024-W09", "2024-02-26");
	monday_is("2027-W52", "2027-12-27");
}

static void
test_week_of_days(void **state)
{
	(void)state;
	week_is("2026-11-23", "2026-W48");	/* Monday */
	week_is("2026-11-29", "2026-W48");	/* Sunday */
	week_is("2026-11-30", "2026-W49");
	week_is("2021-01-03", "2020-W53");	/* January in last year's week */
	week_is("2024-12-30", "2025-W01");	/* December in next year's week */
	week_is("2024-02-29", "2024-W09");	/* leap day */
}

static void
test_counts(void **state)
{
	(void)state;
	assert_int_equal(week_count(2020), 53);
	assert_int_equal(week_count(2026), 53);
	assert_int_equal(week_count(2025), 52);
	assert_int_equal(week_count(2027), 52);
}

static void
test_refused(void **state)
{
	struct iso_week	w;
	const char	*bad[] = { "", "2026-48", "2026-W4", "2026W48x",
	    "2026-W00", "2025-W53", "2026-W54", "20a6-W10", "2026-w10",
	    "2026-W48 ", NULL };
	size_t		i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++)
		assert_int_equal(week_parse(bad[i], &w), -1);
	assert_int_equal(week_parse(NULL, &w), -1);
	assert_int_equal(week_of_date("2026-02-30", &w), -1);
	assert_int_equal(week_of_date("2026-13-01", &w), -1);
	assert_int_equal(week_of_date("26-11-23", &w), -1);
	assert_int_equal(week_parse("2026-W53", &w), 0);
}

static void
test_add(void **state)
{
	struct iso_week	w;
	char		out[16];

	(void)state;
	assert_int_equal(week_parse("2026-W53", &w), 0);
	week_add(&w, 1);
	week_format(&w, out, sizeof(out));
	assert_string_equal(out, "2027-W01");
	week_add(&w, -2);
	week_format(&w, out, sizeof(out));
	assert_string_equal(out, "2026-W52");
	week_add(&w, -52);
	week_format(&w, out, sizeof(out));
	assert_string_equal(out, "2025-W52");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mondays),
		cmocka_unit_test(test_week_of_days),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_add),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
