/* Formatting done in C before templates render: money, numbers, dates and
 * relative times in French and English, and Europe/Paris local time.
 *
 * Every fmt_ function that writes appends to a buf and returns 0, or -1
 * when memory ran out (or, where stated, when an argument is invalid).
 * Output is UTF-8 text, not HTML: templates escape it as usual.
 *
 * French output follows CLDR fr-FR (what Intl.NumberFormat('fr-FR')
 * prints): digits grouped by U+202F NARROW NO-BREAK SPACE, comma decimal
 * separator, U+00A0 NO-BREAK SPACE between an amount and its currency and
 * U+202F before "%".  Negative numbers in both languages start with the
 * ASCII hyphen-minus "-" (not U+2212), so they survive copy/paste into
 * spreadsheets and CSV.
 *
 * Europe/Paris is computed from the EU rule alone (summer time, UTC+2,
 * from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last
 * Sunday of October; UTC+1 otherwise), so results never depend on the TZ
 * variable or on the tzdata package.  The rule dates from 1996 and is
 * applied to every year; dates before 1996 may be off by an hour around
 * the old September change, which no FleetCore data predates. */
#ifndef FC_FMT_H
#define FC_FMT_H

#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "i18n.h"

/* Digits grouping and spacing bytes, for callers and tests that build
 * expected strings. */
#define FMT_NNBSP	"\xe2\x80\xaf"	/* U+202F NARROW NO-BREAK SPACE */
#define FMT_NBSP	"\xc2\xa0"	/* U+00A0 NO-BREAK SPACE */

/* Amount in minor units (cents) of an ISO 4217 currency.
 *   fr: "1 234,56 €", "-1 234,56 €", "0,00 €", "1 234,56 CHF"
 *   en: "€1,234.56", "-€1,234.56", "CHF 1,234.56" (U+00A0 after the code)
 * EUR, USD and GBP print as €, $ and £; another three-letter code prints
 * as itself in upper case; NULL or anything else prints as the generic
 * currency sign ¤.  Always two decimals; every int64_t is valid. */
int	fmt_money(buf *, int64_t cents, const char *currency, lang_id);
/* Integer with grouped thousands: fr "1 234 567", en "1,234,567". */
int	fmt_number(buf *, int64_t, lang_id);
/* Fixed point value / 10^scale with exactly `scale` decimals and grouped
 * thousands: (12345, 2) gives fr "123,45", en "123.45"; (1234567, 1)
 * fr "123 456,7".  -1 when scale is outside 0..18. */
int	fmt_decimal(buf *, int64_t value, int scale, lang_id);
/* Basis points (1/100 of a percent) with at most two decimals, trailing
 * zeros trimmed: 1250 gives fr "12,5 %" (U+202F), en "12.5%"; 10000 gives
 * "100 %" / "100%"; 1 gives "0,01 %" / "0.01%". */
int	fmt_percent(buf *, int64_t basis_points, lang_id);

/* Dates, all in Europe/Paris local time, 24-hour clock.  English uses ISO
 * order because FleetCore's English users are in Europe, where "11/22"
 * style dates are ambiguous:
 *   fmt_date       fr "22/11/2026"        en "2026-11-22"
 *   fmt_datetime   fr "22/11/2026 14:05"  en "2026-11-22 14:05"
 *   fmt_date_long  fr "dimanche 22 novembre 2026" ("1er" on the first of
 *                  the month, as French writes it), en "Sunday 22 November
 *                  2026"
 *   fmt_iso_date   "2026-11-22", for <input type=date> values.
 * These return -1 also for a time_t too large for a calendar date. */
int	fmt_date(buf *, time_t, lang_id);
int	fmt_datetime(buf *, time_t, lang_id);
int	fmt_date_long(buf *, time_t, lang_id);
int	fmt_iso_date(buf *, time_t);

/* t described relative to now:
 *   |t - now| < 45 s     fr "à l'instant"         en "just now"
 *   < 1 h                "il y a 5 min" / "dans 5 min", "5 min ago" /
 *                        "in 5 min" (whole minutes, at least 1)
 *   same Paris day       "il y a 2 h" / "dans 2 h", "2 h ago" / "in 2 h"
 *                        (whole hours)
 *   1 Paris day apart    "hier" / "demain", "yesterday" / "tomorrow"
 *   2 to 30 days apart   "il y a 3 jours" / "dans 3 jours", "3 days ago" /
 *                        "in 3 days"
 *   further              fmt_date(t)
 * Days are calendar days in Europe/Paris, not 24-hour spans: at 00:30,
 * 23:00 the evening before is "hier", not "il y a 1 h". */
int	fmt_relative(buf *, time_t t, time_t now, lang_id);

/* Seconds east of UTC in Paris at instant utc: 3600 or 7200. */
int	fmt_paris_offset(time_t utc);
/* Paris local time at instant utc.  tm_year to tm_yday and tm_isdst are
 * set; tm_gmtoff and tm_zone, where the platform has them, are not
 * meaningful.  For a time_t beyond the range of struct tm, out is
 * 1970-01-01 00:00:00 (the fmt_ date functions fail instead). */
void	fmt_paris_tm(time_t utc, struct tm *out);
/* Paris wall time (month 1-12) to UTC.  -1 when a field is out of range
 * (year 1-9999) or the time does not exist (02:00-02:59 on the last
 * Sunday of March); in the autumn overlap (02:00-02:59 on the last Sunday
 * of October) the first, summer-time, occurrence is returned. */
int	fmt_paris_to_utc(int year, int mon, int day, int hour, int min,
	    time_t *out);

/* A date typed by a user or sent by <input type=date>: "2026-11-22"
 * (exactly four, two and two digits) or "22/11/2026" (day and month of
 * one or two digits, four-digit year).  0 with the fields set when the
 * date exists in the calendar (year 1-9999, leap years honoured); -1 and
 * the outputs untouched otherwise. */
int	fmt_parse_date(const char *s, int *y, int *m, int *d);

#endif
