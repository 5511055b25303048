#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "fmt.h"

/* The overflow checks below compare against INT64_MIN/MAX, which is right
 * only when time_t is a signed 64-bit count of seconds (every platform we
 * deploy on; 32-bit time_t would break in 2038 anyway). */
_Static_assert(sizeof(time_t) == sizeof(int64_t) && (time_t)-1 < 0,
    "time_t must be a signed 64-bit integer");

#define SECS_PER_DAY	86400
#define WINTER_OFFSET	3600
#define SUMMER_OFFSET	7200

/* UTF-8 of the currency signs, spelled as bytes so the source does not
 * depend on the compiler's input charset. */
#define SIGN_EURO	"\xe2\x82\xac"	/* € */
#define SIGN_POUND	"\xc2\xa3"	/* £ */
#define SIGN_GENERIC	"\xc2\xa4"	/* ¤ */

struct numfmt {
	const char	*group;		/* thousands separator */
	const char	*decimal;	/* decimal separator */
};

static const struct numfmt numfmt_fr = { FMT_NNBSP, "," };
static const struct numfmt numfmt_en = { ",", "." };

static const struct numfmt *
numfmt(lang_id lang)
{
	return lang == LANG_EN ? &numfmt_en : &numfmt_fr;
}

static int
done(const buf *b)
{
	return b->oom ? -1 : 0;
}

/* |v| without overflow: -INT64_MIN does not fit in int64_t but does in
 * uint64_t, and unsigned negation is defined. */
static uint64_t
magnitude(int64_t v)
{
	return v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

static int
put_grouped(buf *b, uint64_t n, const char *sep)
{
	char	digits[24];
	int	len, i;

	len = snprintf(digits, sizeof(digits), "%" PRIu64, n);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf_puts(b, sep);
		buf_putc(b, digits[i]);
	}
	return done(b);
}

/* ---- numbers ----------------------------------------------------------- */

int
fmt_number(buf *b, int64_t v, lang_id lang)
{
	if (v < 0)
		buf_putc(b, '-');
	return put_grouped(b, magnitude(v), numfmt(lang)->group);
}

static const uint64_t pow10_table[] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
	100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL,
};

/* Integer part grouped, then exactly `scale` decimals. */
static int
put_fixed(buf *b, uint64_t mag, int scale, const struct numfmt *nf)
{
	uint64_t	p = pow10_table[scale];

	put_grouped(b, mag / p, nf->group);
	if (scale > 0) {
		buf_puts(b, nf->decimal);
		buf_printf(b, "%0*" PRIu64, scale, mag % p);
	}
	return done(b);
}

int
fmt_decimal(buf *b, int64_t value, int scale, lang_id lang)
{
	if (scale < 0 ||
	    (size_t)scale >= sizeof(pow10_table) / sizeof(pow10_table[0]))
		return -1;
	if (value < 0)
		buf_putc(b, '-');
	return put_fixed(b, magnitude(value), scale, numfmt(lang));
}

int
fmt_percent(buf *b, int64_t bp, lang_id lang)
{
	const struct numfmt	*nf = numfmt(lang);
	uint64_t		 mag = magnitude(bp), frac = mag % 100;

	if (bp < 0)
		buf_putc(b, '-');
	put_grouped(b, mag / 100, nf->group);
	if (frac != 0) {
		buf_puts(b, nf->decimal);
		if (frac % 10 == 0)
			buf_printf(b, "%" PRIu64, frac / 10);
		else
			buf_printf(b, "%02" PRIu64, frac);
	}
	buf_puts(b, lang == LANG_EN ? "%" : FMT_NNBSP "%");
	return done(b);
}

/* ---- money ------------------------------------------------------------- */

struct currency {
	const char	*sign;
	int		 is_code;	/* printed as letters, not a symbol */
};

/* The sign to print for an ISO 4217 code; code_out receives the
 * upper-cased code when the currency has no symbol of its own. */
static struct currency
currency_sign(const char *code, char code_out[4])
{
	static const struct {
		const char	*code;
		const char	*sign;
	} known[] = {
		{ "EUR", SIGN_EURO },
		{ "USD", "$" },
		{ "GBP", SIGN_POUND },
	};
	struct currency	 c = { SIGN_GENERIC, 0 };
	size_t		 i;

	if (code == NULL)
		return c;
	for (i = 0; i < 3; i++) {
		char	ch = code[i];

		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (ch < 'A' || ch > 'Z')
			return c;	/* also stops at a short string's NUL */
		code_out[i] = ch;
	}
	if (code[3] != '\0')
		return c;
	code_out[3] = '\0';
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(code_out, known[i].code) == 0) {
			c.sign = known[i].sign;
			return c;
		}
	c.sign = code_out;
	c.is_code = 1;
	return c;
}

int
fmt_money(buf *b, int64_t cents, const char *currency, lang_id lang)
{
	char		code[4];
	struct currency	c = currency_sign(currency, code);

	if (cents < 0)
		buf_putc(b, '-');
	if (lang == LANG_EN) {
		/* CLDR en: symbol glued in front, a code spaced from it. */
		buf_puts(b, c.sign);
		if (c.is_code)
			buf_puts(b, FMT_NBSP);
		put_fixed(b, magnitude(cents), 2, &numfmt_en);
	} else {
		/* CLDR fr: always after the amount, never split from it. */
		put_fixed(b, magnitude(cents), 2, &numfmt_fr);
		buf_puts(b, FMT_NBSP);
		buf_puts(b, c.sign);
	}
	return done(b);
}

/* ---- Europe/Paris ------------------------------------------------------ */

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t	q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* 01:00 UTC on the last Sunday of a 31-day month (March or October, both
 * 31 days long), the moment the EU changes clocks. */
static time_t
last_sunday_0100(int tm_year, int tm_mon)
{
	struct tm	tm;
	time_t		t;
	int64_t		wday;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = tm_year;
	tm.tm_mon = tm_mon;
	tm.tm_mday = 31;
	tm.tm_hour = 1;
	t = timegm(&tm);
	/* 1970-01-01 was a Thursday (4), Sunday being 0. */
	wday = (floor_div(t, SECS_PER_DAY) + 4) % 7;
	if (wday < 0)
		wday += 7;
	return t - (time_t)(wday * SECS_PER_DAY);
}

int
fmt_paris_offset(time_t utc)
{
	struct tm	tm;

	/* The changes fall in March and October, so the UTC year is the
	 * Paris year whenever it matters. */
	if (gmtime_r(&utc, &tm) == NULL)
		return WINTER_OFFSET;
	if (utc >= last_sunday_0100(tm.tm_year, 2) &&
	    utc < last_sunday_0100(tm.tm_year, 9))
		return SUMMER_OFFSET;
	return WINTER_OFFSET;
}

/* Seconds since the epoch of the Paris wall clock, read as if it were UTC:
 * the basis of every local computation below.  -1 on overflow. */
static int
paris_wall(time_t utc, time_t *wall)
{
	int	off = fmt_paris_offset(utc);

	if (utc > INT64_MAX - off)
		return -1;
	*wall = utc + off;
	return 0;
}

static int
paris_tm(time_t utc, struct tm *out)
{
	time_t	wall;

	if (paris_wall(utc, &wall) == -1 || gmtime_r(&wall, out) == NULL)
		return -1;
	out->tm_isdst = wall - utc == SUMMER_OFFSET;
	return 0;
}

void
fmt_paris_tm(time_t utc, struct tm *out)
{
	time_t	epoch = 0;

	if (paris_tm(utc, out) == -1)
		gmtime_r(&epoch, out);
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int	days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int
valid_ymd(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= days_in_month(y, m);
}

int
fmt_paris_to_utc(int year, int mon, int day, int hour, int min, time_t *out)
{
	static const int	offsets[] = { SUMMER_OFFSET, WINTER_OFFSET };
	struct tm		tm;
	time_t			wall, utc;
	size_t			i;

	if (!valid_ymd(year, mon, day) || hour < 0 || hour > 23 || min < 0 ||
	    min > 59)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	wall = timegm(&tm);
	/* A wall time is real under an offset when that offset is the one in
	 * force at the instant it designates.  Trying summer first picks the
	 * earlier instant in the autumn overlap; neither fits in the gap. */
	for (i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		utc = wall - offsets[i];
		if (fmt_paris_offset(utc) == offsets[i]) {
			*out = utc;
			return 0;
		}
	}
	return -1;
}

/* ---- dates ------------------------------------------------------------- */

static const char *const months_fr[12] = {
	"janvier", "f\xc3\xa9vrier", "mars", "avril", "mai", "juin",
	"juillet", "ao\xc3\xbbt", "septembre", "octobre", "novembre",
	"d\303\251cembre",	/* octal: "\xa9c" would read as one escape */
};
static const char *const months_en[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};
static const char *const days_fr[7] = {
	"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
	"samedi",
};
static const char *const days_en[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday",
};

/* tm_year + 1900 overflows int for the largest years gmtime accepts. */
static long long
tm_full_year(const struct tm *tm)
{
	return (long long)tm->tm_year + 1900;
}

static int
put_iso(buf *b, const struct tm *tm)
{
	return buf_printf(b, "%04lld-%02d-%02d", tm_full_year(tm),
	    tm->tm_mon + 1, tm->tm_mday);
}

static int
put_date(buf *b, const struct tm *tm, lang_id lang)
{
	if (lang == LANG_EN)
		return put_iso(b, tm);
	return buf_printf(b, "%02d/%02d/%04lld", tm->tm_mday, tm->tm_mon + 1,
	    tm_full_year(tm));
}

int
fmt_date(buf *b, time_t t, lang_id lang)
{
	struct tm	tm;

	if (paris_tm(t, &tm) == -1)
		return -1;
	return put_date(b, &tm, lang);
}

int
fmt_datetime(buf *b, time_t t, lang_id lang)
{
	struct tm	tm;

	if (paris_tm(t, &tm) == -1 || put_date(b, &tm, lang) == -1)
		return -1;
	return buf_printf(b, " %02d:%02d", tm.tm_hour, tm.tm_min);
}

int
fmt_date_long(buf *b, time_t t, lang_id lang)
{
	struct tm	tm;

	if (paris_tm(t, &tm) == -1)
		return -1;
	if (lang == LANG_EN)
		return buf_printf(b, "%s %d %s %lld", days_en[tm.tm_wday],
		    tm.tm_mday, months_en[tm.tm_mon], tm_full_year(&tm));
	return buf_printf(b, "%s %d%s %s %lld", days_fr[tm.tm_wday],
	    tm.tm_mday, tm.tm_mday == 1 ? "er" : "", months_fr[tm.tm_mon],
	    tm_full_year(&tm));
}

int
fmt_iso_date(buf *b, time_t t)
{
	struct tm	tm;

	if (paris_tm(t, &tm) == -1)
		return -1;
	return put_iso(b, &tm);
}

/* ---- relative times ---------------------------------------------------- */

enum rel_unit { REL_MIN, REL_HOUR, REL_DAY };

/* "il y a 5 min" / "dans 5 min" / "5 min ago" / "in 5 min". */
static int
put_relative(buf *b, int64_t n, enum rel_unit unit, int future,
    lang_id lang)
{
	static const char *const units_fr[] = { "min", "h", "jours" };
	static const char *const units_en[] = { "min", "h", "days" };

	if (lang == LANG_EN)
		return buf_printf(b, "%s%" PRId64 " %s%s", future ? "in " : "",
		    n, units_en[unit], future ? "" : " ago");
	return buf_printf(b, "%s %" PRId64 " %s", future ? "dans" : "il y a",
	    n, units_fr[unit]);
}

/* Paris calendar day number of t (days since 1970-01-01 local). */
static int
paris_day(time_t t, int64_t *day)
{
	time_t	wall;

	if (paris_wall(t, &wall) == -1)
		return -1;
	*day = floor_div(wall, SECS_PER_DAY);
	return 0;
}

int
fmt_relative(buf *b, time_t t, time_t now, lang_id lang)
{
	int64_t		 dt, days, tday, nday;
	uint64_t	 secs;
	int		 future;

	/* Out of any sensible range: an absolute date says it all. */
	if ((now > 0 && t < INT64_MIN + now) ||
	    (now < 0 && t > INT64_MAX + now))
		return fmt_date(b, t, lang);
	dt = t - now;
	future = dt > 0;
	secs = magnitude(dt);
	if (secs < 45)
		return buf_puts(b, lang == LANG_EN ? "just now" :
		    "\xc3\xa0 l'instant");
	if (secs < 3600)
		return put_relative(b, secs < 60 ? 1 : (int64_t)(secs / 60),
		    REL_MIN, future, lang);
	if (paris_day(t, &tday) == -1 || paris_day(now, &nday) == -1)
		return fmt_date(b, t, lang);
	days = tday - nday;
	if (days == 0)
		return put_relative(b, (int64_t)(secs / 3600), REL_HOUR,
		    future, lang);
	if (days == 1)
		return buf_puts(b, lang == LANG_EN ? "tomorrow" : "demain");
	if (days == -1)
		return buf_puts(b, lang == LANG_EN ? "yesterday" : "hier");
	if (days >= -30 && days <= 30)
		return put_relative(b, days < 0 ? -days : days, REL_DAY,
		    days > 0, lang);
	return fmt_date(b, t, lang);
}

/* ---- parsing ----------------------------------------------------------- */

/* Exactly n ASCII digits at s (n <= 4). */
static int
parse_digits(const char *s, int n, int *out)
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

/* One or two digits then `sep`; advances *s past the separator. */
static int
parse_short(const char **s, char sep, int *out)
{
	const char	*p = *s;
	int		 n = 0;

	while (n < 3 && p[n] >= '0' && p[n] <= '9')
		n++;
	if (n < 1 || n > 2 || p[n] != sep || parse_digits(p, n, out) == -1)
		return -1;
	*s = p + n + 1;
	return 0;
}

static int
parse_iso(const char *s, int *y, int *m, int *d)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    parse_digits(s, 4, y) == -1 || parse_digits(s + 5, 2, m) == -1 ||
	    parse_digits(s + 8, 2, d) == -1)
		return -1;
	return 0;
}

static int
parse_french(const char *s, int *y, int *m, int *d)
{
	if (parse_short(&s, '/', d) == -1 || parse_short(&s, '/', m) == -1 ||
	    strlen(s) != 4 || parse_digits(s, 4, y) == -1)
		return -1;
	return 0;
}

int
fmt_parse_date(const char *s, int *y, int *m, int *d)
{
	int	yy, mm, dd;

	if (s == NULL)
		return -1;
	if (parse_iso(s, &yy, &mm, &dd) == -1 &&
	    parse_french(s, &yy, &mm, &dd) == -1)
		return -1;
	if (!valid_ymd(yy, mm, dd))
		return -1;
	*y = yy;
	*m = mm;
	*d = dd;
	return 0;
}
