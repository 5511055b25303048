/* Days are counted from 1970-01-01 (day 0, a Thursday) with the civil
 * calendar conversion of Howard Hinnant's public-domain algorithms. */
#include <stdio.h>
#include <string.h>

#include "week.h"

static long
days_from_civil(int y, int m, int d)
{
	long	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, int *y, int *m, int *d)
{
	long	era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 1 = Monday … 7 = Sunday. */
static int
iso_weekday(long days)
{
	long	w = (days + 3) % 7;	/* day 0 is a Thursday */

	return (int)(w < 0 ? w + 7 : w) + 1;
}

/* The Monday of week 1: the week that holds 4 January. */
static long
week1_monday(int year)
{
	long	jan4 = days_from_civil(year, 1, 4);

	return jan4 - (iso_weekday(jan4) - 1);
}

int
week_count(int year)
{
	return (int)((week1_monday(year + 1) - week1_monday(year)) / 7);
}

static long
monday_days(const struct iso_week *w)
{
	return week1_monday(w->year) + 7L * (w->week - 1);
}

static void
from_days(long days, struct iso_week *w)
{
	int	y, m, d;

	/* The ISO year is the Thursday's. */
	civil_from_days(days - (iso_weekday(days) - 1) + 3, &y, &m, &d);
	w->year = y;
	w->week = (int)((days - week1_monday(y)) / 7) + 1;
}

static int
digits(const char *s, int n, int *out)
{
	int	i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
week_parse(const char *s, struct iso_week *w)
{
	if (s == NULL || strlen(s) != 8 || s[4] != '-' || s[5] != 'W' ||
	    digits(s, 4, &w->year) != 0 || digits(s + 6, 2, &w->week) != 0)
		return -1;
	if (w->year < 1970 || w->week < 1 || w->week > week_count(w->year))
		return -1;
	return 0;
}

void
week_format(const struct iso_week *w, char *out, unsigned size)
{
	snprintf(out, size, "%04d-W%02d", w->year, w->week);
}

void
week_monday(const struct iso_week *w, char *out, unsigned size)
{
	int	y, m, d;

	civil_from_days(monday_days(w), &y, &m, &d);
	snprintf(out, size, "%04d-%02d-%02d", y, m, d);
}

int
week_of_date(const char *date, struct iso_week *w)
{
	int	y, m, d, ry, rm, rd;

	if (date == NULL || strlen(date) != 10 || date[4] != '-' ||
	    date[7] != '-' || digits(date, 4, &y) != 0 ||
	    digits(date + 5, 2, &m) != 0 || digits(date + 8, 2, &d) != 0 ||
	    m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	civil_from_days(days_from_civil(y, m, d), &ry, &rm, &rd);
	if (ry != y || rm != m || rd != d)
		return -1;
	from_days(days_from_civil(y, m, d), w);
	return 0;
}

void
week_add(struct iso_week *w, int n)
{
	from_days(monday_days(w) + 7L * n, w);
}
