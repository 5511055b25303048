/* Unit tests of fcgi/core/fmt.c: money, numbers, decimals, percentages,
 * Europe/Paris dates across daylight-saving changes, relative times and
 * date parsing.  Expected strings spell U+202F and U+00A0 as bytes, so a
 * plain space where a no-break space belongs fails the test. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "fmt.h"

#define NN	FMT_NNBSP	/* U+202F, digit groups and before % */
#define NB	FMT_NBSP	/* U+00A0, before a currency */
#define EURO	"\xe2\x82\xac"
#define POUND	"\xc2\xa3"
#define GENERIC	"\xc2\xa4"

/* Run `call` (which writes to `b`) and compare the exact bytes. */
#define EXPECT(want, call) do {						\
	buf	b;							\
									\
	buf_init(&b);							\
	assert_int_equal((call), 0);					\
	assert_string_equal(buf_cstr(&b), (want));			\
	buf_free(&b);							\
} while (0)

static time_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return timegm(&tm);
}

/* ---- money ------------------------------------------------------------- */

static void
test_money_eur_fr(void **state)
{
	(void)state;
	EXPECT("0,00" NB EURO, fmt_money(&b, 0, "EUR", LANG_FR));
	EXPECT("0,01" NB EURO, fmt_money(&b, 1, "EUR", LANG_FR));
	EXPECT("-0,01" NB EURO, fmt_money(&b, -1, "EUR", LANG_FR));
	EXPECT("0,99" NB EURO, fmt_money(&b, 99, "EUR", LANG_FR));
	EXPECT("1,00" NB EURO, fmt_money(&b, 100, "EUR", LANG_FR));
	EXPECT("999,99" NB EURO, fmt_money(&b, 99999, "EUR", LANG_FR));
	EXPECT("1" NN "000,00" NB EURO, fmt_money(&b, 100000, "EUR",
	    LANG_FR));
	EXPECT("1" NN "234,56" NB EURO, fmt_money(&b, 123456, "EUR",
	    LANG_FR));
	EXPECT("-1" NN "234,56" NB EURO, fmt_money(&b, -123456, "EUR",
	    LANG_FR));
	EXPECT("1" NN "000" NN "000" NN "000,00" NB EURO,
	    fmt_money(&b, 100000000000LL, "EUR", LANG_FR));
	EXPECT("-92" NN "233" NN "720" NN "368" NN "547" NN "758,08" NB EURO,
	    fmt_money(&b, INT64_MIN, "EUR", LANG_FR));
	EXPECT("92" NN "233" NN "720" NN "368" NN "547" NN "758,07" NB EURO,
	    fmt_money(&b, INT64_MAX, "EUR", LANG_FR));
}

static void
test_money_eur_en(void **state)
{
	(void)state;
	EXPECT(EURO "0.00", fmt_money(&b, 0, "EUR", LANG_EN));
	EXPECT(EURO "0.01", fmt_money(&b, 1, "EUR", LANG_EN));
	EXPECT("-" EURO "0.01", fmt_money(&b, -1, "EUR", LANG_EN));
	EXPECT(EURO "0.99", fmt_money(&b, 99, "EUR", LANG_EN));
	EXPECT(EURO "1.00", fmt_money(&b, 100, "EUR", LANG_EN));
	EXPECT(EURO "1,234.56", fmt_money(&b, 123456, "EUR", LANG_EN));
	EXPECT("-" EURO "1,234.56", fmt_money(&b, -123456, "EUR", LANG_EN));
	EXPECT(EURO "1,000,000,000.00", fmt_money(&b, 100000000000LL, "EUR",
	    LANG_EN));
	EXPECT("-" EURO "92,233,720,368,547,758.08", fmt_money(&b, INT64_MIN,
	    "EUR", LANG_EN));
	EXPECT(EURO "92,233,720,368,547,758.07", fmt_money(&b, INT64_MAX,
	    "EUR", LANG_EN));
}

static void
test_money_other_currencies(void **state)
{
	(void)state;
	EXPECT("1" NN "234,56" NB "$", fmt_money(&b, 123456, "USD", LANG_FR));
	EXPECT("$1,234.56", fmt_money(&b, 123456, "USD", LANG_EN));
	EXPECT("-$0.01", fmt_money(&b, -1, "USD", LANG_EN));
	EXPECT("1" NN "234,56" NB POUND, fmt_money(&b, 123456, "GBP",
	    LANG_FR));
	EXPECT(POUND "1,234.56", fmt_money(&b, 123456, "GBP", LANG_EN));
	EXPECT("1" NN "234,56" NB "CHF", fmt_money(&b, 123456, "CHF",
	    LANG_FR));
	EXPECT("CHF" NB "1,234.56", fmt_money(&b, 123456, "CHF", LANG_EN));
	EXPECT("-CHF" NB "1,234.56", fmt_money(&b, -123456, "CHF", LANG_EN));
	EXPECT("-1" NN "234,56" NB "CHF", fmt_money(&b, -123456, "CHF",
	    LANG_FR));
	/* Codes are case-insensitive; known ones keep their symbol. */
	EXPECT("0,00" NB "CHF", fmt_money(&b, 0, "chf", LANG_FR));
	EXPECT(EURO "0.05", fmt_money(&b, 5, "eur", LANG_EN));
	/* Anything that is not three letters becomes the generic sign. */
	EXPECT("1,00" NB GENERIC, fmt_money(&b, 100, NULL, LANG_FR));
	EXPECT(GENERIC "1.00", fmt_money(&b, 100, "", LANG_EN));
	EXPECT(GENERIC "1.00", fmt_money(&b, 100, "EURO", LANG_EN));
	EXPECT(GENERIC "1.00", fmt_money(&b, 100, "E1R", LANG_EN));
	EXPECT(GENERIC "1.00", fmt_money(&b, 100, "EU", LANG_EN));
	EXPECT("1,00" NB GENERIC, fmt_money(&b, 100, "<b>", LANG_FR));
}

static void
test_money_appends(void **state)
{
	buf	b;

	(void)state;
	buf_init(&b);
	assert_int_equal(buf_puts(&b, "Total : "), 0);
	assert_int_equal(fmt_money(&b, 250, "EUR", LANG_FR), 0);
	assert_string_equal(buf_cstr(&b), "Total : 2,50" NB EURO);
	buf_free(&b);
}

/* ---- numbers ----------------------------------------------------------- */

static void
test_number(void **state)
{
	(void)state;
	EXPECT("0", fmt_number(&b, 0, LANG_FR));
	EXPECT("999", fmt_number(&b, 999, LANG_FR));
	EXPECT("1" NN "000", fmt_number(&b, 1000, LANG_FR));
	EXPECT("1,000", fmt_number(&b, 1000, LANG_EN));
	EXPECT("1" NN "234" NN "567", fmt_number(&b, 1234567, LANG_FR));
	EXPECT("1,234,567", fmt_number(&b, 1234567, LANG_EN));
	EXPECT("-1" NN "234" NN "567", fmt_number(&b, -1234567, LANG_FR));
	EXPECT("-1,234,567", fmt_number(&b, -1234567, LANG_EN));
	EXPECT("123,456", fmt_number(&b, 123456, LANG_EN));
	EXPECT("-9,223,372,036,854,775,808", fmt_number(&b, INT64_MIN,
	    LANG_EN));
	EXPECT("9" NN "223" NN "372" NN "036" NN "854" NN "775" NN "807",
	    fmt_number(&b, INT64_MAX, LANG_FR));
}

static void
test_decimal(void **state)
{
	buf	e;

	(void)state;
	EXPECT("123,45", fmt_decimal(&b, 12345, 2, LANG_FR));
	EXPECT("123.45", fmt_decimal(&b, 12345, 2, LANG_EN));
	EXPECT("0,05", fmt_decimal(&b, 5, 2, LANG_FR));
	EXPECT("-0.05", fmt_decimal(&b, -5, 2, LANG_EN));
	EXPECT("0,000", fmt_decimal(&b, 0, 3, LANG_FR));
	EXPECT("42", fmt_decimal(&b, 42, 0, LANG_FR));
	EXPECT("123" NN "456,7", fmt_decimal(&b, 1234567, 1, LANG_FR));
	EXPECT("123,456.7", fmt_decimal(&b, 1234567, 1, LANG_EN));
	EXPECT("0,000000000000000001", fmt_decimal(&b, 1, 18, LANG_FR));
	EXPECT("-9.223372036854775808", fmt_decimal(&b, INT64_MIN, 18,
	    LANG_EN));
	EXPECT("9" NN "223" NN "372" NN "036" NN "854" NN "775" NN "807",
	    fmt_decimal(&b, INT64_MAX, 0, LANG_FR));
	buf_init(&e);
	assert_int_equal(fmt_decimal(&e, 1, -1, LANG_FR), -1);
	assert_int_equal(fmt_decimal(&e, 1, 19, LANG_FR), -1);
	assert_int_equal(e.len, 0);
	buf_free(&e);
}

static void
test_percent(void **state)
{
	(void)state;
	EXPECT("12,5" NN "%", fmt_percent(&b, 1250, LANG_FR));
	EXPECT("12.5%", fmt_percent(&b, 1250, LANG_EN));
	EXPECT("100" NN "%", fmt_percent(&b, 10000, LANG_FR));
	EXPECT("100%", fmt_percent(&b, 10000, LANG_EN));
	EXPECT("0" NN "%", fmt_percent(&b, 0, LANG_FR));
	EXPECT("0,01" NN "%", fmt_percent(&b, 1, LANG_FR));
	EXPECT("0.1%", fmt_percent(&b, 10, LANG_EN));
	EXPECT("12,34" NN "%", fmt_percent(&b, 1234, LANG_FR));
	EXPECT("-2,5" NN "%", fmt_percent(&b, -250, LANG_FR));
	EXPECT("-0.05%", fmt_percent(&b, -5, LANG_EN));
	EXPECT("12" NN "345" NN "%", fmt_percent(&b, 1234500, LANG_FR));
	EXPECT("-92,233,720,368,547,758.08%", fmt_percent(&b, INT64_MIN,
	    LANG_EN));
}

/* ---- Europe/Paris ------------------------------------------------------ */

static void
expect_tm(time_t t, int y, int mo, int d, int h, int mi, int s, int dst)
{
	struct tm	tm;

	fmt_paris_tm(t, &tm);
	assert_int_equal(tm.tm_year + 1900, y);
	assert_int_equal(tm.tm_mon + 1, mo);
	assert_int_equal(tm.tm_mday, d);
	assert_int_equal(tm.tm_hour, h);
	assert_int_equal(tm.tm_min, mi);
	assert_int_equal(tm.tm_sec, s);
	assert_int_equal(tm.tm_isdst, dst);
}

static void
test_paris_spring_forward(void **state)
{
	time_t	before = utc(2026, 3, 29, 0, 59, 59);
	time_t	after = utc(2026, 3, 29, 1, 0, 0);

	(void)state;
	assert_int_equal(fmt_paris_offset(before), 3600);
	assert_int_equal(fmt_paris_offset(after), 7200);
	expect_tm(before, 2026, 3, 29, 1, 59, 59, 0);
	expect_tm(after, 2026, 3, 29, 3, 0, 0, 1);
	EXPECT("29/03/2026 01:59", fmt_datetime(&b, before, LANG_FR));
	EXPECT("2026-03-29 03:00", fmt_datetime(&b, after, LANG_EN));
}

static void
test_paris_fall_back(void **state)
{
	time_t	before = utc(2026, 10, 25, 0, 59, 59);
	time_t	after = utc(2026, 10, 25, 1, 0, 0);

	(void)state;
	assert_int_equal(fmt_paris_offset(before), 7200);
	assert_int_equal(fmt_paris_offset(after), 3600);
	expect_tm(before, 2026, 10, 25, 2, 59, 59, 1);
	expect_tm(after, 2026, 10, 25, 2, 0, 0, 0);
	EXPECT("25/10/2026 02:59", fmt_datetime(&b, before, LANG_FR));
	EXPECT("25/10/2026 02:00", fmt_datetime(&b, after, LANG_FR));
}

static void
test_paris_other_years(void **state)
{
	(void)state;
	/* 2024: 31 March and 27 October; 2025: 30 March and 26 October. */
	assert_int_equal(fmt_paris_offset(utc(2024, 3, 31, 0, 59, 59)), 3600);
	assert_int_equal(fmt_paris_offset(utc(2024, 3, 31, 1, 0, 0)), 7200);
	assert_int_equal(fmt_paris_offset(utc(2024, 10, 27, 0, 59, 59)),
	    7200);
	assert_int_equal(fmt_paris_offset(utc(2024, 10, 27, 1, 0, 0)), 3600);
	assert_int_equal(fmt_paris_offset(utc(2025, 3, 30, 1, 0, 0)), 7200);
	assert_int_equal(fmt_paris_offset(utc(2025, 3, 23, 1, 0, 0)), 3600);
	assert_int_equal(fmt_paris_offset(utc(2025, 10, 26, 0, 30, 0)), 7200);
	assert_int_equal(fmt_paris_offset(utc(2025, 10, 26, 1, 30, 0)), 3600);
	assert_int_equal(fmt_paris_offset(utc(2026, 1, 1, 0, 0, 0)), 3600);
	assert_int_equal(fmt_paris_offset(utc(2026, 7, 14, 12, 0, 0)), 7200);
	assert_int_equal(fmt_paris_offset(utc(2026, 12, 31, 23, 0, 0)), 3600);
	assert_int_equal(fmt_paris_offset(0), 3600);
	/* Out of struct tm's range: winter, and no crash. */
	assert_int_equal(fmt_paris_offset(INT64_MAX), 3600);
	assert_int_equal(fmt_paris_offset(INT64_MIN), 3600);
}

static void
test_paris_ignores_tz(void **state)
{
	const char	*old = getenv("TZ");
	char		*saved = old != NULL ? strdup(old) : NULL;

	(void)state;
	setenv("TZ", "America/New_York", 1);
	tzset();
	expect_tm(utc(2026, 7, 14, 22, 30, 0), 2026, 7, 15, 0, 30, 0, 1);
	EXPECT("15/07/2026", fmt_date(&b, utc(2026, 7, 14, 22, 30, 0),
	    LANG_FR));
	if (saved != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

static void
test_paris_tm_out_of_range(void **state)
{
	struct tm	tm;

	(void)state;
	fmt_paris_tm(INT64_MAX, &tm);
	assert_int_equal(tm.tm_year, 70);
	assert_int_equal(tm.tm_mday, 1);
}

static void
expect_to_utc(int y, int mo, int d, int h, int mi, time_t want)
{
	time_t	got = 0;

	assert_int_equal(fmt_paris_to_utc(y, mo, d, h, mi, &got), 0);
	assert_int_equal(got, want);
}

static void
test_paris_to_utc(void **state)
{
	time_t	t = 12345;

	(void)state;
	expect_to_utc(2026, 11, 22, 14, 5, utc(2026, 11, 22, 13, 5, 0));
	expect_to_utc(2026, 7, 14, 0, 30, utc(2026, 7, 13, 22, 30, 0));
	/* Spring gap: 02:00-02:59 does not exist. */
	expect_to_utc(2026, 3, 29, 1, 59, utc(2026, 3, 29, 0, 59, 0));
	assert_int_equal(fmt_paris_to_utc(2026, 3, 29, 2, 0, &t), -1);
	assert_int_equal(fmt_paris_to_utc(2026, 3, 29, 2, 30, &t), -1);
	assert_int_equal(fmt_paris_to_utc(2026, 3, 29, 2, 59, &t), -1);
	assert_int_equal(t, 12345);
	expect_to_utc(2026, 3, 29, 3, 0, utc(2026, 3, 29, 1, 0, 0));
	/* Autumn overlap: 02:00-02:59 happens twice, the first is summer. */
	expect_to_utc(2026, 10, 25, 1, 59, utc(2026, 10, 24, 23, 59, 0));
	expect_to_utc(2026, 10, 25, 2, 0, utc(2026, 10, 25, 0, 0, 0));
	expect_to_utc(2026, 10, 25, 2, 30, utc(2026, 10, 25, 0, 30, 0));
	expect_to_utc(2026, 10, 25, 2, 59, utc(2026, 10, 25, 0, 59, 0));
	expect_to_utc(2026, 10, 25, 3, 0, utc(2026, 10, 25, 2, 0, 0));
	/* Fields out of range. */
	assert_int_equal(fmt_paris_to_utc(2026, 13, 1, 0, 0, &t), -1);
	assert_int_equal(fmt_paris_to_utc(2026, 0, 1, 0, 0, &t), -1);
	assert_int_equal(fmt_paris_to_utc(2026, 2, 29, 0, 0, &t), -1);
	assert_int_equal(fmt_paris_to_utc(2026, 4, 31, 0, 0, &t), -1);
	assert_int_equal(fmt_paris_to_utc(2026, 1, 1, 24, 0, &t), -1);
	assert_int_equal(fmt_paris_to_utc(2026, 1, 1, 0, 60, &t), -1);
	assert_int_equal(fmt_paris_to_utc(2026, 1, 1, -1, 0, &t), -1);
	assert_int_equal(fmt_paris_to_utc(0, 1, 1, 0, 0, &t), -1);
	assert_int_equal(fmt_paris_to_utc(10000, 1, 1, 0, 0, &t), -1);
	expect_to_utc(2024, 2, 29, 12, 0, utc(2024, 2, 29, 11, 0, 0));
}

/* Every quarter hour of 2026 maps back to itself through Paris wall time,
 * except the second pass through the autumn overlap. */
static void
test_paris_round_trip(void **state)
{
	time_t		t, back, start = utc(2026, 1, 1, 0, 0, 0);
	time_t		end = utc(2027, 1, 1, 0, 0, 0);
	time_t		overlap2 = utc(2026, 10, 25, 1, 0, 0);
	struct tm	tm;

	(void)state;
	for (t = start; t < end; t += 900) {
		fmt_paris_tm(t, &tm);
		assert_int_equal(fmt_paris_to_utc(tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, &back),
		    0);
		if (t >= overlap2 && t < overlap2 + 3600)
			assert_int_equal(back, t - 3600);
		else
			assert_int_equal(back, t);
	}
}

/* ---- dates ------------------------------------------------------------- */

static void
test_dates(void **state)
{
	time_t	t = utc(2026, 11, 22, 13, 5, 0);	/* 14:05 in Paris */

	(void)state;
	EXPECT("22/11/2026", fmt_date(&b, t, LANG_FR));
	EXPECT("2026-11-22", fmt_date(&b, t, LANG_EN));
	EXPECT("22/11/2026 14:05", fmt_datetime(&b, t, LANG_FR));
	EXPECT("2026-11-22 14:05", fmt_datetime(&b, t, LANG_EN));
	EXPECT("2026-11-22", fmt_iso_date(&b, t));
	/* Late evening UTC is already tomorrow in Paris. */
	t = utc(2026, 11, 22, 23, 30, 0);
	EXPECT("23/11/2026", fmt_date(&b, t, LANG_FR));
	EXPECT("2026-11-23", fmt_iso_date(&b, t));
	EXPECT("23/11/2026 00:30", fmt_datetime(&b, t, LANG_FR));
	t = utc(2026, 7, 14, 21, 59, 0);
	EXPECT("2026-07-14 23:59", fmt_datetime(&b, t, LANG_EN));
	EXPECT("01/01/1970", fmt_date(&b, 0, LANG_FR));
}

static void
test_date_long(void **state)
{
	(void)state;
	EXPECT("dimanche 22 novembre 2026", fmt_date_long(&b,
	    utc(2026, 11, 22, 13, 5, 0), LANG_FR));
	EXPECT("Sunday 22 November 2026", fmt_date_long(&b,
	    utc(2026, 11, 22, 13, 5, 0), LANG_EN));
	EXPECT("dimanche 1er novembre 2026", fmt_date_long(&b,
	    utc(2026, 11, 1, 12, 0, 0), LANG_FR));
	EXPECT("Sunday 1 November 2026", fmt_date_long(&b,
	    utc(2026, 11, 1, 12, 0, 0), LANG_EN));
	EXPECT("samedi 1er ao\xc3\xbbt 2026", fmt_date_long(&b,
	    utc(2026, 8, 1, 12, 0, 0), LANG_FR));
	EXPECT("dimanche 1er f\xc3\xa9vrier 2026", fmt_date_long(&b,
	    utc(2026, 2, 1, 12, 0, 0), LANG_FR));
	EXPECT("mardi 1er d\303\251cembre 2026", fmt_date_long(&b,
	    utc(2026, 12, 1, 12, 0, 0), LANG_FR));
	EXPECT("jeudi 29 f\xc3\xa9vrier 2024", fmt_date_long(&b,
	    utc(2024, 2, 29, 12, 0, 0), LANG_FR));
	/* 23:30 UTC on Saturday is Sunday in Paris. */
	EXPECT("dimanche 29 mars 2026", fmt_date_long(&b,
	    utc(2026, 3, 28, 23, 30, 0), LANG_FR));
}

static void
test_dates_out_of_range(void **state)
{
	buf	b;

	(void)state;
	buf_init(&b);
	assert_int_equal(fmt_date(&b, INT64_MAX, LANG_FR), -1);
	assert_int_equal(fmt_datetime(&b, INT64_MAX, LANG_EN), -1);
	assert_int_equal(fmt_date_long(&b, INT64_MIN, LANG_FR), -1);
	assert_int_equal(fmt_iso_date(&b, INT64_MAX - 3600), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

/* ---- relative times ---------------------------------------------------- */

static void
test_relative_short(void **state)
{
	time_t	now = utc(2026, 11, 22, 13, 5, 0);	/* 14:05 in Paris */

	(void)state;
	EXPECT("\xc3\xa0 l'instant", fmt_relative(&b, now, now, LANG_FR));
	EXPECT("\xc3\xa0 l'instant", fmt_relative(&b, now - 44, now,
	    LANG_FR));
	EXPECT("just now", fmt_relative(&b, now + 44, now, LANG_EN));
	EXPECT("il y a 1 min", fmt_relative(&b, now - 45, now, LANG_FR));
	EXPECT("dans 1 min", fmt_relative(&b, now + 59, now, LANG_FR));
	EXPECT("il y a 5 min", fmt_relative(&b, now - 300, now, LANG_FR));
	EXPECT("dans 5 min", fmt_relative(&b, now + 300, now, LANG_FR));
	EXPECT("5 min ago", fmt_relative(&b, now - 300, now, LANG_EN));
	EXPECT("in 5 min", fmt_relative(&b, now + 300, now, LANG_EN));
	EXPECT("il y a 59 min", fmt_relative(&b, now - 3599, now, LANG_FR));
	EXPECT("il y a 1 h", fmt_relative(&b, now - 3600, now, LANG_FR));
	EXPECT("il y a 2 h", fmt_relative(&b, now - 7200, now, LANG_FR));
	EXPECT("dans 2 h", fmt_relative(&b, now + 7200, now, LANG_FR));
	EXPECT("2 h ago", fmt_relative(&b, now - 7300, now, LANG_EN));
	EXPECT("in 2 h", fmt_relative(&b, now + 7200, now, LANG_EN));
	/* 02:05 the same Paris day. */
	EXPECT("il y a 12 h", fmt_relative(&b, now - 12 * 3600, now,
	    LANG_FR));
	/* 23:55 the same Paris day. */
	EXPECT("in 9 h", fmt_relative(&b, utc(2026, 11, 22, 22, 55, 0), now,
	    LANG_EN));
}

static void
test_relative_days(void **state)
{
	time_t	now = utc(2026, 11, 22, 13, 5, 0);

	(void)state;
	EXPECT("hier", fmt_relative(&b, now - 86400, now, LANG_FR));
	EXPECT("yesterday", fmt_relative(&b, now - 86400, now, LANG_EN));
	EXPECT("demain", fmt_relative(&b, now + 86400, now, LANG_FR));
	EXPECT("tomorrow", fmt_relative(&b, now + 86400, now, LANG_EN));
	EXPECT("il y a 3 jours", fmt_relative(&b, now - 3 * 86400, now,
	    LANG_FR));
	EXPECT("dans 3 jours", fmt_relative(&b, now + 3 * 86400, now,
	    LANG_FR));
	EXPECT("3 days ago", fmt_relative(&b, now - 3 * 86400, now, LANG_EN));
	EXPECT("in 3 days", fmt_relative(&b, now + 3 * 86400, now, LANG_EN));
	EXPECT("il y a 30 jours", fmt_relative(&b, now - 30 * 86400, now,
	    LANG_FR));
	/* Beyond 30 days: the date itself. */
	EXPECT("22/10/2026", fmt_relative(&b, now - 31 * 86400, now,
	    LANG_FR));
	EXPECT("2026-12-23", fmt_relative(&b, now + 31 * 86400, now,
	    LANG_EN));
}

/* Calendar days in Paris, not 24-hour spans. */
static void
test_relative_calendar_days(void **state)
{
	time_t	now = utc(2026, 11, 22, 23, 10, 0);	/* 00:10 on the 23rd */

	(void)state;
	/* 23:50 the evening before, 20 minutes ago: minutes win. */
	EXPECT("il y a 20 min", fmt_relative(&b, utc(2026, 11, 22, 22, 50, 0),
	    now, LANG_FR));
	/* 22:30 the evening before, 1 h 40 ago: yesterday already. */
	EXPECT("hier", fmt_relative(&b, utc(2026, 11, 22, 21, 30, 0), now,
	    LANG_FR));
	EXPECT("yesterday", fmt_relative(&b, utc(2026, 11, 22, 21, 30, 0),
	    now, LANG_EN));
	/* 00:30 on the 22nd, nearly 24 h ago: still yesterday. */
	EXPECT("hier", fmt_relative(&b, utc(2026, 11, 21, 23, 30, 0), now,
	    LANG_FR));
	/* 23:30 on the 21st, under 25 h ago but two calendar days. */
	EXPECT("il y a 2 jours", fmt_relative(&b, utc(2026, 11, 21, 22, 30, 0),
	    now, LANG_FR));
	/* 22:00 tonight, 01:00 tomorrow: three hours apart. */
	now = utc(2026, 11, 22, 21, 0, 0);
	EXPECT("demain", fmt_relative(&b, utc(2026, 11, 23, 0, 0, 0), now,
	    LANG_FR));
	/* 23:30 tonight. */
	EXPECT("in 1 h", fmt_relative(&b, utc(2026, 11, 22, 22, 30, 0), now,
	    LANG_EN));
}

static void
test_relative_across_dst(void **state)
{
	time_t	now = utc(2026, 3, 29, 10, 0, 0);	/* 12:00 CEST */

	(void)state;
	/* 00:30 CET the same day: 10 h 30 ago, same calendar day. */
	EXPECT("il y a 10 h", fmt_relative(&b, utc(2026, 3, 28, 23, 30, 0),
	    now, LANG_FR));
	/* 23:30 CET the day before. */
	EXPECT("hier", fmt_relative(&b, utc(2026, 3, 28, 22, 30, 0), now,
	    LANG_FR));
	/* Sunday 25 October has 25 hours: 00:30 CEST to 23:30 CET is
	 * 24 h apart yet the same day. */
	now = utc(2026, 10, 25, 22, 30, 0);
	EXPECT("il y a 24 h", fmt_relative(&b, utc(2026, 10, 24, 22, 30, 0),
	    now, LANG_FR));
	EXPECT("hier", fmt_relative(&b, utc(2026, 10, 24, 21, 30, 0), now,
	    LANG_FR));
}

static void
test_relative_extremes(void **state)
{
	buf	e;

	(void)state;
	buf_init(&e);
	/* Neither overflows; both fall back to a date that cannot exist. */
	assert_int_equal(fmt_relative(&e, INT64_MIN, INT64_MAX, LANG_FR), -1);
	assert_int_equal(fmt_relative(&e, INT64_MAX, INT64_MIN, LANG_EN), -1);
	assert_int_equal(fmt_relative(&e, INT64_MAX, INT64_MAX - 10, LANG_EN),
	    0);
	assert_string_equal(buf_cstr(&e), "just now");
	buf_free(&e);
	EXPECT("01/01/1970", fmt_relative(&b, 0, utc(2026, 1, 1, 0, 0, 0),
	    LANG_FR));
}

/* ---- parsing ----------------------------------------------------------- */

static void
expect_date(const char *s, int y, int m, int d)
{
	int	yy = 0, mm = 0, dd = 0;

	assert_int_equal(fmt_parse_date(s, &yy, &mm, &dd), 0);
	assert_int_equal(yy, y);
	assert_int_equal(mm, m);
	assert_int_equal(dd, d);
}

static void
test_parse_date_good(void **state)
{
	(void)state;
	expect_date("2026-11-22", 2026, 11, 22);
	expect_date("22/11/2026", 2026, 11, 22);
	expect_date("1/3/2026", 2026, 3, 1);
	expect_date("01/03/2026", 2026, 3, 1);
	expect_date("2024-02-29", 2024, 2, 29);
	expect_date("29/02/2024", 2024, 2, 29);
	expect_date("2000-02-29", 2000, 2, 29);
	expect_date("31/12/9999", 9999, 12, 31);
	expect_date("0001-01-01", 1, 1, 1);
}

static void
test_parse_date_bad(void **state)
{
	static const char *const bad[] = {
		"", "2026-02-30", "31/04/2026", "2026-1-1x", "2026-1-1",
		"2026-02-29", "29/02/2026", "1900-02-29", "2026-13-01",
		"2026-00-10", "2026-01-00", "00/01/2026", "32/01/2026",
		"2026-01-01x", " 2026-01-01", "2026-01-01 ", "2026/01/01",
		"22-11-2026", "001/1/2026", "1/001/2026", "1/1/26",
		"1/1/02026", "0000-01-01", "22/11/", "/11/2026", "22//2026",
		"2026-11-2a", "+026-11-22", "-2026-11-22", "22.11.2026",
		"2026-11-22T00:00", "22/11/2026\n",
	};
	size_t	i;
	int	y = -7, m = -7, d = -7;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (fmt_parse_date(bad[i], &y, &m, &d) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(y, -7);
		assert_int_equal(m, -7);
		assert_int_equal(d, -7);
	}
	assert_int_equal(fmt_parse_date(NULL, &y, &m, &d), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test(f)
		T(test_money_eur_fr),
		T(test_money_eur_en),
		T(test_money_other_currencies),
		T(test_money_appends),
		T(test_number),
		T(test_decimal),
		T(test_percent),
		T(test_paris_spring_forward),
		T(test_paris_fall_back),
		T(test_paris_other_years),
		T(test_paris_ignores_tz),
		T(test_paris_tm_out_of_range),
		T(test_paris_to_utc),
		T(test_paris_round_trip),
		T(test_dates),
		T(test_date_long),
		T(test_dates_out_of_range),
		T(test_relative_short),
		T(test_relative_days),
		T(test_relative_calendar_days),
		T(test_relative_across_dst),
		T(test_relative_extremes),
		T(test_parse_date_good),
		T(test_parse_date_bad),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
