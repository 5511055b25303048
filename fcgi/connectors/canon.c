#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "canon.h"
#include "fmt.h"

#define L(name)	"sources.canon." name

static const struct canon_column trip_columns[TRIP_NCOLUMNS] = {
	[TRIP_SOURCE_KEY] = { "source_key", CK_TEXT, L("source_key"), 1 },
	[TRIP_DRIVER_REF] = { "driver_ref", CK_TEXT, L("driver_ref"), 0 },
	[TRIP_DRIVER_NAME] = { "driver_name", CK_TEXT, L("driver_name"), 0 },
	[TRIP_DRIVER_EMAIL] = { "driver_email", CK_EMAIL, L("driver_email"), 0 },
	[TRIP_DRIVER_PHONE] = { "driver_phone", CK_PHONE, L("driver_phone"), 0 },
	[TRIP_VEHICLE_PLATE] = { "vehicle_plate", CK_TEXT, L("vehicle_plate"), 0 },
	[TRIP_STATUS] = { "status", CK_TEXT, L("status"), 0 },
	[TRIP_PLATFORM_STATUS] = { "platform_status", CK_TEXT,
	    L("platform_status"), 0 },
	[TRIP_TRIP_REF] = { "trip_ref", CK_TEXT, L("trip_ref"), 0 },
	[TRIP_STARTED_AT] = { "started_at", CK_TIME, L("started_at"), 0 },
	[TRIP_ENDED_AT] = { "ended_at", CK_TIME, L("ended_at"), 0 },
	[TRIP_DISTANCE_M] = { "distance_m", CK_DISTANCE, L("distance_m"), 0 },
	[TRIP_PAYMENT_METHOD] = { "payment_method", CK_TEXT,
	    L("payment_method"), 0 },
	[TRIP_GROSS_FARE] = { "gross_fare_cents", CK_MONEY, L("gross_fare"), 0 },
	[TRIP_BOOKING_FEE] = { "booking_fee_cents", CK_MONEY,
	    L("booking_fee"), 0 },
	[TRIP_TOLLS] = { "tolls_cents", CK_MONEY, L("tolls"), 0 },
	[TRIP_TIPS] = { "tips_cents", CK_MONEY, L("tips"), 0 },
	[TRIP_COMMISSION] = { "commission_cents", CK_MONEY, L("commission"), 0 },
	[TRIP_NET_EARNINGS] = { "net_earnings_cents", CK_MONEY,
	    L("net_earnings"), 0 },
	[TRIP_CASH_COLLECTED] = { "cash_collected_cents", CK_MONEY,
	    L("cash_collected"), 0 },
	[TRIP_PAYOUT] = { "payout_cents", CK_MONEY, L("payout"), 0 },
	[TRIP_CURRENCY] = { "currency", CK_TEXT, L("currency"), 0 },
	[TRIP_CANCELLATION_FEE] = { "cancellation_fee_cents", CK_MONEY,
	    L("cancellation_fee"), 0 },
	[TRIP_CASH_DISCOUNT] = { "cash_discount_cents", CK_MONEY,
	    L("cash_discount"), 0 },
	[TRIP_IN_APP_DISCOUNT] = { "in_app_discount_cents", CK_MONEY,
	    L("in_app_discount"), 0 },
};

static const struct canon_column earnings_columns[EARN_NCOLUMNS] = {
	[EARN_SOURCE_KEY] = { "source_key", CK_TEXT, L("source_key"), 1 },
	[EARN_DRIVER_REF] = { "driver_ref", CK_TEXT, L("driver_ref"), 0 },
	[EARN_DRIVER_NAME] = { "driver_name", CK_TEXT, L("driver_name"), 0 },
	[EARN_DRIVER_EMAIL] = { "driver_email", CK_EMAIL, L("driver_email"), 0 },
	[EARN_DRIVER_PHONE] = { "driver_phone", CK_PHONE, L("driver_phone"), 0 },
	[EARN_PERIOD] = { "period", CK_TEXT, L("period"), 1 },
	[EARN_PERIOD_START] = { "period_start", CK_DATE, L("period_start"), 1 },
	[EARN_PERIOD_END] = { "period_end", CK_DATE, L("period_end"), 1 },
	[EARN_GROSS] = { "gross_cents", CK_MONEY, L("gross"), 0 },
	[EARN_NET] = { "net_cents", CK_MONEY, L("net"), 0 },
	[EARN_CASH] = { "cash_collected_cents", CK_MONEY, L("cash_collected"), 0 },
	[EARN_CARD_GROSS] = { "card_gross_cents", CK_MONEY, L("card_gross"), 0 },
	[EARN_COMMISSION_CASH] = { "commission_cash_cents", CK_MONEY,
	    L("commission_cash"), 0 },
	[EARN_COMMISSION_CARD] = { "commission_card_cents", CK_MONEY,
	    L("commission_card"), 0 },
	[EARN_CANCELLATION] = { "cancellation_fees_cents", CK_MONEY,
	    L("cancellation_fees"), 0 },
	[EARN_BONUSES] = { "bonuses_cents", CK_MONEY, L("bonuses"), 0 },
	[EARN_TIPS] = { "tips_cents", CK_MONEY, L("tips"), 0 },
	[EARN_RIDES_DONE] = { "rides_done", CK_INT, L("rides_done"), 0 },
	[EARN_RIDES_CANCELLED] = { "rides_cancelled", CK_INT,
	    L("rides_cancelled"), 0 },
	[EARN_CURRENCY] = { "currency", CK_TEXT, L("currency"), 0 },
};

static const struct canon_column platform_driver_columns[PDRV_NCOLUMNS] = {
	[PDRV_SOURCE_KEY] = { "source_key", CK_TEXT, L("source_key"), 1 },
	[PDRV_DRIVER_REF] = { "driver_ref", CK_TEXT, L("driver_ref"), 1 },
	[PDRV_DRIVER_NAME] = { "driver_name", CK_TEXT, L("driver_name"), 0 },
	[PDRV_DRIVER_EMAIL] = { "driver_email", CK_EMAIL, L("driver_email"), 0 },
	[PDRV_DRIVER_PHONE] = { "driver_phone", CK_PHONE, L("driver_phone"), 0 },
	[PDRV_STATE] = { "state", CK_TEXT, L("platform_status"), 0 },
	[PDRV_VEHICLE_PLATE] = { "vehicle_plate", CK_TEXT, L("vehicle_plate"), 0 },
};

static const struct canon_column platform_vehicle_columns[PVEH_NCOLUMNS] = {
	[PVEH_SOURCE_KEY] = { "source_key", CK_TEXT, L("source_key"), 1 },
	[PVEH_PLATE] = { "plate", CK_TEXT, L("vehicle_plate"), 0 },
	[PVEH_MODEL] = { "model", CK_TEXT, L("model"), 0 },
	[PVEH_YEAR] = { "year", CK_INT, L("year"), 0 },
	[PVEH_VIN] = { "vin", CK_TEXT, L("vin"), 0 },
	[PVEH_STATE] = { "state", CK_TEXT, L("platform_status"), 0 },
};

static const struct canon_column driver_state_columns[DST_NCOLUMNS] = {
	[DST_SOURCE_KEY] = { "source_key", CK_TEXT, L("source_key"), 1 },
	[DST_DRIVER_REF] = { "driver_ref", CK_TEXT, L("driver_ref"), 1 },
	[DST_VEHICLE_REF] = { "vehicle_ref", CK_TEXT, L("vehicle_ref"), 0 },
	[DST_STATE] = { "state", CK_TEXT, L("platform_status"), 1 },
	[DST_AT] = { "at", CK_TIME, L("started_at"), 1 },
};

static const struct canon_table_def tables[] = {
	[CANON_TRIPS] = { "trips", trip_columns, TRIP_NCOLUMNS },
	[CANON_EARNINGS] = { "earnings", earnings_columns, EARN_NCOLUMNS },
	[CANON_PLATFORM_DRIVERS] = { "platform_drivers",
	    platform_driver_columns, PDRV_NCOLUMNS },
	[CANON_PLATFORM_VEHICLES] = { "platform_vehicles",
	    platform_vehicle_columns, PVEH_NCOLUMNS },
	[CANON_DRIVER_STATES] = { "driver_states", driver_state_columns,
	    DST_NCOLUMNS },
};

const struct canon_table_def *
canon_table(enum canon_table t)
{
	return &tables[t];
}

int
canon_table_by_name(const char *name, enum canon_table *out)
{
	size_t	i;

	for (i = 0; name != NULL && i < sizeof(tables) / sizeof(tables[0]); i++)
		if (strcmp(tables[i].name, name) == 0) {
			*out = (enum canon_table)i;
			return 0;
		}
	return -1;
}

const char *
canon_label_key(const char *name)
{
	size_t	t, i;

	for (t = 0; name != NULL && t < sizeof(tables) / sizeof(tables[0]); t++)
		for (i = 0; i < tables[t].ncolumns; i++)
			if (strcmp(tables[t].columns[i].name, name) == 0)
				return tables[t].columns[i].label_key;
	return NULL;
}

void
canon_record_clear(struct canon_record *r)
{
	memset(r->set, 0, sizeof(r->set));
	r->line = 0;
}

int
canon_kind_is_number(enum canon_kind k)
{
	return k == CK_MONEY || k == CK_INT || k == CK_DISTANCE;
}

void
canon_set_text(struct canon_record *r, int col, const char *s)
{
	size_t	n = strlen(s);

	if (n >= CANON_TEXT_MAX) {
		n = CANON_TEXT_MAX - 1;
		/* Never cut a UTF-8 sequence in two. */
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(r->text[col], s, n);
	r->text[col][n] = '\0';
	r->set[col] = 1;
}

void
canon_set_num(struct canon_record *r, int col, long long v)
{
	r->num[col] = v;
	r->set[col] = 1;
}

/* ---- money ---------------------------------------------------------- */

/* Bytes of a space, currency sign or similar decoration at s, or 0. */
static size_t
decoration(const char *s)
{
	static const struct {
		const char	*text;
		size_t		 len;
	} marks[] = {
		{ " ", 1 }, { "\t", 1 }, { "$", 1 }, { "\xc2\xa0", 2 },
		{ "\xc2\xa3", 2 }, { "\xe2\x80\xaf", 3 }, { "\xe2\x80\x89", 3 },
		{ "\xe2\x82\xac", 3 }, { "EUR", 3 }, { "eur", 3 }, { "Eur", 3 },
	};
	size_t	i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (s[0] == marks[i].text[0] &&
		    strncmp(s, marks[i].text, marks[i].len) == 0)
			return marks[i].len;
	return 0;
}

struct number {
	char	digits[40];	/* digits and separators, nothing else */
	size_t	n;
	int	negative;
};

/* Keep digits and , . ' ; note the sign; refuse anything else. */
static const char *
number_scan(const char *s, struct number *num)
{
	size_t	skip;
	int	paren = 0, sign = 0;

	memset(num, 0, sizeof(*num));
	while (*s != '\0') {
		/* Digits and separators first: they are nearly every byte. */
		if ((isdigit((unsigned char)*s) || *s == ',' || *s == '.') &&
		    paren != 2 && num->n + 1 < sizeof(num->digits)) {
			num->digits[num->n++] = *s++;
			continue;
		}
		if ((skip = decoration(s)) > 0) {
			s += skip;
			continue;
		}
		if (*s == '-' || strncmp(s, "\xe2\x88\x92", 3) == 0) {
			if (sign++)
				return "Signe en double.";
			num->negative = 1;
			s += *s == '-' ? 1 : 3;
			continue;
		}
		if (*s == '+' && num->n == 0 && !sign++) {
			s++;
			continue;
		}
		if (*s == '(' && num->n == 0 && !paren) {
			paren = 1;
			s++;
			continue;
		}
		if (*s == ')' && paren == 1) {
			paren = 2;
			num->negative = 1;
			s++;
			continue;
		}
		if (!isdigit((unsigned char)*s) && *s != ',' && *s != '.' &&
		    *s != '\'')
			return "Montant illisible.";
		if (paren == 2 || num->n + 1 >= sizeof(num->digits))
			return "Montant illisible.";
		if (*s != '\'')	/* Swiss thousands: just drop it. */
			num->digits[num->n++] = *s;
		s++;
	}
	if (paren == 1)
		return "Parenthèse non fermée.";
	num->digits[num->n] = '\0';
	if (strspn(num->digits, "0123456789,.") != num->n ||
	    strpbrk(num->digits, "0123456789") == NULL)
		return "Montant illisible.";
	return NULL;
}

static size_t
count_char(const char *s, char c)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		n += *s == c;
	return n;
}

/* Which separator is decimal: ',' '.' or 0 (none). */
static const char *
decimal_of(const char *d, char known, char *dec, int *settled)
{
	size_t		 commas = count_char(d, ','), dots = count_char(d, '.');
	const char	*last_c = strrchr(d, ','), *last_d = strrchr(d, '.');
	char		 only;
	size_t		 after;

	*settled = 0;
	*dec = 0;
	if (known == ',' || known == '.') {
		if (count_char(d, known) > 1)
			return "Montant illisible.";
		if (count_char(d, known) == 1 && strrchr(d, known == ',' ?
		    '.' : ',') > strrchr(d, known))
			return "Montant illisible.";
		*dec = count_char(d, known) ? known : 0;
		return NULL;
	}
	if (commas && dots) {
		*dec = last_c > last_d ? ',' : '.';
		if (count_char(d, *dec) > 1)
			return "Montant illisible.";
		*settled = 1;
		return NULL;
	}
	if (!commas && !dots)
		return NULL;
	only = commas ? ',' : '.';
	if (count_char(d, only) > 1)
		return NULL;	/* thousands only */
	after = strlen(strrchr(d, only) + 1);
	if (after == 3)
		return NULL;	/* "1,234": thousands */
	*dec = only;
	*settled = 1;
	return NULL;
}

const char *
canon_parse_money(const char *s, char known, long long *cents,
    char *decimal_seen)
{
	struct number	 num;
	const char	*msg, *p;
	char		 dec;
	int		 settled, frac_digits = 0, round_up = 0;
	long long	 units = 0, frac = 0;
	size_t		 int_digits = 0;

	if ((msg = number_scan(s, &num)) != NULL)
		return msg;
	if ((msg = decimal_of(num.digits, known, &dec, &settled)) != NULL)
		return msg;
	for (p = num.digits; *p != '\0' && *p != dec; p++) {
		if (!isdigit((unsigned char)*p))
			continue;	/* a thousands separator */
		if (++int_digits > 15)
			return "Montant trop grand.";
		units = units * 10 + (*p - '0');
	}
	if (dec != 0 && *p == dec) {
		for (p++; *p != '\0'; p++) {
			if (!isdigit((unsigned char)*p))
				return "Montant illisible.";
			if (frac_digits < 2)
				frac = frac * 10 + (*p - '0');
			else if (frac_digits == 2)
				round_up = *p >= '5';
			frac_digits++;
		}
	}
	if (frac_digits == 1)
		frac *= 10;
	*cents = units * 100 + frac + round_up;
	if (num.negative)
		*cents = -*cents;
	if (settled && decimal_seen != NULL)
		*decimal_seen = dec;
	return NULL;
}

const char *
canon_parse_int(const char *s, long long *out)
{
	long long	cents;
	const char	*msg;

	if ((msg = canon_parse_money(s, 0, &cents, NULL)) != NULL)
		return "Nombre entier attendu.";
	if (cents % 100 != 0)
		return "Nombre entier attendu.";
	if (cents < 0)
		return "Nombre positif attendu.";
	*out = cents / 100;
	return NULL;
}

const char *
canon_parse_distance(const char *in, long long *metres)
{
	char		 s[64], *unit;
	size_t		 n = strlen(in);
	long long	 hundredths;
	int		 in_metres = 0;

	if (n >= sizeof(s))
		return "Distance illisible.";
	memcpy(s, in, n + 1);
	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
	if (n > 2 && strcasecmp(s + n - 2, "km") == 0)
		s[n - 2] = '\0';
	else if (n > 1 && (s[n - 1] == 'm' || s[n - 1] == 'M')) {
		s[n - 1] = '\0';
		in_metres = 1;
	}
	/* A distance has no thousands groups worth guessing about: a lone
	 * separator is always decimal here. */
	if ((unit = strpbrk(s, ",.")) != NULL && strpbrk(unit + 1, ",.") == NULL) {
		if (canon_parse_money(s, *unit, &hundredths, NULL) != NULL)
			return "Distance illisible.";
	} else if (canon_parse_money(s, ',', &hundredths, NULL) != NULL)
		return "Distance illisible.";
	if (hundredths < 0)
		return "Distance négative.";
	*metres = in_metres ? (hundredths + 50) / 100 : hundredths * 10;
	return NULL;
}

/* ---- dates and times -------------------------------------------------- */

struct stamp {
	int	y, mo, d, h, mi, s;
	int	has_time;
	int	has_offset;
	long	offset;		/* seconds east of UTC */
};

static int
digits(const char **p, int min, int max, int *out)
{
	int	n = 0, v = 0;

	while (n < max && isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	if (n < min)
		return -1;
	*out = v;
	return 0;
}

static int
days_in_month(int y, int m)
{
	static const int	days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* "HH:MM[:SS[.fff]]" or "14h35"; then an optional zone. */
static const char *
parse_clock(const char *p, struct stamp *t)
{
	int	sign, oh, om = 0, frac;

	if (digits(&p, 1, 2, &t->h) == -1 || (*p != ':' && *p != 'h'))
		return NULL;
	p++;
	if (digits(&p, 2, 2, &t->mi) == -1)
		return NULL;
	if (*p == ':') {
		p++;
		if (digits(&p, 2, 2, &t->s) == -1)
			return NULL;
		if (*p == '.' || *p == ',') {
			p++;
			if (digits(&p, 1, 9, &frac) == -1)
				return NULL;
		}
	}
	t->has_time = 1;
	while (*p == ' ')
		p++;
	if (*p == 'Z') {
		t->has_offset = 1;
		return p + 1;
	}
	if (strcmp(p, "UTC") == 0 || strcmp(p, "GMT") == 0) {
		t->has_offset = 1;
		return p + 3;
	}
	if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		p++;
		if (digits(&p, 2, 2, &oh) == -1)
			return NULL;
		if (*p == ':')
			p++;
		if (isdigit((unsigned char)*p) && digits(&p, 2, 2, &om) == -1)
			return NULL;
		if (oh > 14 || om > 59)
			return NULL;
		t->has_offset = 1;
		t->offset = sign * (oh * 3600L + om * 60L);
	}
	return p;
}

static const char *
parse_stamp(const char *s, struct stamp *t)
{
	const char	*p = s;
	char		*end;
	long long	 unix_s;
	time_t		 tt;
	struct tm	 tm;
	int		 a, b, c;

	memset(t, 0, sizeof(*t));
	while (*p == ' ')
		p++;
	if (strspn(p, "0123456789") == strlen(p) && strlen(p) >= 9 &&
	    strlen(p) <= 10) {
		unix_s = strtoll(p, &end, 10);
		tt = (time_t)unix_s;
		if (gmtime_r(&tt, &tm) == NULL)
			return "Date illisible.";
		t->y = tm.tm_year + 1900;
		t->mo = tm.tm_mon + 1;
		t->d = tm.tm_mday;
		t->h = tm.tm_hour;
		t->mi = tm.tm_min;
		t->s = tm.tm_sec;
		t->has_time = t->has_offset = 1;
		return NULL;
	}
	if (digits(&p, 1, 4, &a) == -1)
		return "Date illisible.";
	if (p - s >= 4 && *p == '-') {		/* ISO: year first */
		p++;
		if (digits(&p, 2, 2, &b) == -1 || *p++ != '-' ||
		    digits(&p, 2, 2, &c) == -1)
			return "Date illisible.";
		t->y = a;
		t->mo = b;
		t->d = c;
	} else if (*p == '/' || *p == '-' || *p == '.') {	/* day first */
		char	sep = *p++;

		if (digits(&p, 1, 2, &b) == -1 || *p++ != sep ||
		    digits(&p, 4, 4, &c) == -1)
			return "Date illisible (jj/mm/aaaa attendu).";
		t->d = a;
		t->mo = b;
		t->y = c;
	} else
		return "Date illisible.";
	if (t->mo < 1 || t->mo > 12 || t->y < 1970 || t->y > 2200 ||
	    t->d < 1 || t->d > days_in_month(t->y, t->mo))
		return "Date inexistante.";
	if (*p == 'T' || *p == ' ') {
		while (*p == ' ' || *p == 'T')
			p++;
		if (*p != '\0' && (p = parse_clock(p, t)) == NULL)
			return "Heure illisible.";
	}
	while (p != NULL && *p == ' ')
		p++;
	if (*p != '\0')
		return "Date illisible.";
	if (t->h > 23 || t->mi > 59 || t->s > 60)
		return "Heure inexistante.";
	if (t->s == 60)
		t->s = 59;	/* a leap second is not worth a rejected row */
	return NULL;
}

const char *
canon_parse_time(const char *s, char *out, size_t outlen)
{
	struct stamp	 t;
	struct tm	 tm;
	const char	*msg;
	time_t		 utc;

	if ((msg = parse_stamp(s, &t)) != NULL)
		return msg;
	if (t.has_offset) {
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = t.y - 1900;
		tm.tm_mon = t.mo - 1;
		tm.tm_mday = t.d;
		tm.tm_hour = t.h;
		tm.tm_min = t.mi;
		tm.tm_sec = t.s;
		utc = timegm(&tm) - t.offset;
	} else if (fmt_paris_to_utc(t.y, t.mo, t.d, t.h, t.mi, &utc) == 0)
		utc += t.s;
	else	/* the hour skipped in spring: read it as winter time */
		return "Heure inexistante à Paris (changement d'heure).";
	if (gmtime_r(&utc, &tm) == NULL ||
	    strftime(out, outlen, "%Y-%m-%d %H:%M:%S+00", &tm) == 0)
		return "Date illisible.";
	return NULL;
}

const char *
canon_parse_date(const char *s, char *out, size_t outlen)
{
	struct stamp	 t;
	const char	*msg;

	if ((msg = parse_stamp(s, &t)) != NULL)
		return msg;
	if (snprintf(out, outlen, "%04d-%02d-%02d", t.y, t.mo, t.d) >=
	    (int)outlen)
		return "Date illisible.";
	return NULL;
}

/* ---- people ------------------------------------------------------------ */

const char *
canon_parse_email(const char *s, char *out, size_t outlen)
{
	const char	*at = strchr(s, '@');
	size_t		 i, n = strlen(s);

	if (n >= outlen || at == NULL || at == s || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL || strchr(at, '.') == NULL ||
	    strpbrk(s, " \t,;<>") != NULL)
		return "Adresse e-mail invalide.";
	for (i = 0; i <= n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	return NULL;
}

const char *
canon_parse_phone(const char *s, char *out, size_t outlen)
{
	char	d[24];
	size_t	n = 0;
	int	plus = 0;

	for (; *s != '\0'; s++) {
		if (*s == '+' && n == 0 && !plus)
			plus = 1;
		else if (isdigit((unsigned char)*s)) {
			if (n + 1 >= sizeof(d))
				return "Numéro de téléphone invalide.";
			d[n++] = *s;
		} else if (strchr(" .-()/", *s) == NULL)
			return "Numéro de téléphone invalide.";
	}
	d[n] = '\0';
	if (!plus && n > 2 && d[0] == '0' && d[1] == '0') {
		memmove(d, d + 2, n - 1);	/* 00 33 … */
		n -= 2;
		plus = 1;
	}
	if (!plus && n == 10 && d[0] == '0') {
		if ((size_t)snprintf(out, outlen, "+33%s", d + 1) >= outlen)
			return "Numéro de téléphone invalide.";
		return NULL;
	}
	if (!plus && n == 11 && strncmp(d, "33", 2) == 0)
		plus = 1;
	if (!plus || n < 7 || n > 15 || d[0] == '0' ||
	    (size_t)snprintf(out, outlen, "+%s", d) >= outlen)
		return "Numéro de téléphone invalide.";
	return NULL;
}

/* Characters, not bytes, of UTF-8 text: the database counts those. */
static size_t
chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Trim ASCII spaces, copy into the record. */
static void
set_trimmed(struct canon_record *r, int col, const char *in)
{
	size_t	n;

	while (*in == ' ' || *in == '\t')
		in++;
	canon_set_text(r, col, in);
	n = strlen(r->text[col]);
	while (n > 0 && (r->text[col][n - 1] == ' ' ||
	    r->text[col][n - 1] == '\t'))
		r->text[col][--n] = '\0';
}

const char *
canon_parse_into(struct canon_record *r, int col, enum canon_kind kind,
    const char *in, char decimal, char *decimal_seen)
{
	const char	*msg = NULL;
	long long	 v;

	switch (kind) {
	case CK_TEXT:
		set_trimmed(r, col, in);
		if (chars(r->text[col]) > 200) {
			r->set[col] = 0;
			return "Valeur trop longue (200 caractères au plus).";
		}
		return NULL;
	case CK_MONEY:
		msg = canon_parse_money(in, decimal, &v, decimal_seen);
		break;
	case CK_INT:
		msg = canon_parse_int(in, &v);
		break;
	case CK_DISTANCE:
		msg = canon_parse_distance(in, &v);
		if (msg == NULL && v > 2000000000LL)
			msg = "Distance trop grande.";
		break;
	case CK_TIME:
		msg = canon_parse_time(in, r->text[col], CANON_TEXT_MAX);
		break;
	case CK_DATE:
		msg = canon_parse_date(in, r->text[col], CANON_TEXT_MAX);
		break;
	case CK_EMAIL:
		set_trimmed(r, col, in);
		msg = canon_parse_email(r->text[col], r->text[col],
		    CANON_TEXT_MAX);
		break;
	case CK_PHONE:
		msg = canon_parse_phone(in, r->text[col], CANON_TEXT_MAX);
		break;
	}
	if (msg != NULL) {
		r->set[col] = 0;
		return msg;
	}
	if (canon_kind_is_number(kind))
		canon_set_num(r, col, v);
	else
		r->set[col] = 1;
	return NULL;
}
