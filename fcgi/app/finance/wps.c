#include <stdio.h>
#include <string.h>

#include "iban.h"
#include "unique.h"
#include "wps.h"

static int
fail(struct wps_error *err, long index, const char *field, const char *key)
{
	err->index = index;
	err->field = field;
	err->key = key;
	return -1;
}

static int
digits(const char *s, size_t min, size_t max)
{
	size_t	n;

	if (s == NULL || (n = strspn(s, "0123456789")) != strlen(s))
		return 0;
	return n >= min && n <= max;
}

/* Days since 1970-01-01 of a valid "YYYY-MM-DD" (what follows it is
 * not read), or -1 (the civil
 * calendar's day count, months shifted to start in March). */
static long
day_number(const char *s)
{
	static const int	mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };
	int			y, m, d, leap;
	char			tail;

	if (s == NULL || strlen(s) < 10 || s[4] != '-' || s[7] != '-' ||
	    strspn(s, "0123456789") != 4 || strspn(s + 5, "0123456789") != 2 ||
	    strspn(s + 8, "0123456789") != 2 ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) < 3 ||
	    m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		return -1;
	y -= m <= 2;
	return 365L * y + y / 4 - y / 100 + y / 400 +
	    (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1 - 719468L;
}

int
wps_days(const char *start, const char *end)
{
	long	a, b;

	if (start == NULL || end == NULL || strlen(start) != 10 ||
	    strlen(end) != 10)
		return -1;
	a = day_number(start);
	b = day_number(end);
	return a < 0 || b < 0 || b < a ? -1 : (int)(b - a + 1);
}

/* The account: an Emirati IBAN, or a payroll card number. */
static const char *
check_account(const char *s)
{
	char	v[48];

	if (s != NULL && s[0] >= '0' && s[0] <= '9')
		return digits(s, 1, WPS_CARD_MAX) ? NULL :
		    "payouts.valid.wps_card";
	if (s == NULL || *s == '\0')
		return "payouts.valid.wps_account";
	if (iban_check_ae(s, v, sizeof(v)) != NULL || strcmp(v, s) != 0)
		return "payouts.valid.iban_ae";
	return NULL;
}

static int
check_employee(const struct wps_file *f, size_t i, struct wps_error *err)
{
	const struct wps_employee	*e = &f->emp[i];
	const char			*key;
	int				 days;

	if (!digits(e->person_id, 1, WPS_PERSON_LEN))
		return fail(err, (long)i, "wps_person_id",
		    "payouts.valid.wps_person");
	if (!digits(e->routing_code, WPS_ROUTING_LEN, WPS_ROUTING_LEN))
		return fail(err, (long)i, "wps_routing_code",
		    "payouts.valid.wps_routing");
	if ((key = check_account(e->account)) != NULL)
		return fail(err, (long)i, "iban", key);
	if ((days = wps_days(e->pay_start, e->pay_end)) < 0)
		return fail(err, (long)i, "period", "payouts.valid.wps_period");
	/* One salary month for the whole file (the first EDR's). */
	if (strncmp(e->pay_start, e->pay_end, 7) != 0 ||
	    strncmp(e->pay_start, f->emp[0].pay_start, 7) != 0)
		return fail(err, (long)i, "period", "payouts.valid.wps_month");
	if (days > 31)
		return fail(err, (long)i, "period", "payouts.valid.wps_period");
	if (e->leave_days < 0 || e->leave_days > days)
		return fail(err, (long)i, "leave_days",
		    "payouts.valid.wps_leave");
	if (e->fixed_cents < 0 || e->variable_cents < 0 ||
	    e->fixed_cents > WPS_AMOUNT_MAX ||
	    e->variable_cents > WPS_AMOUNT_MAX ||
	    e->fixed_cents + e->variable_cents <= 0)
		return fail(err, (long)i, "amount", "payouts.valid.amount");
	return 0;
}

/* A free text field: printable ASCII without the separator. */
static int
plain_text(const char *s, size_t max)
{
	size_t	n = 0;

	for (; *s != '\0'; s++, n++)
		if (*s < 0x20 || *s > 0x7E || *s == ',')
			return 0;
	return n <= max;
}

/* A person ID without its leading zeros (digits were checked). */
static const char *
person_of(const void *f, size_t i)
{
	const char	*p = ((const struct wps_file *)f)->emp[i].person_id;

	while (p[0] == '0' && p[1] != '\0')
		p++;
	return p;
}

int
wps_check(const struct wps_file *f, struct wps_error *err)
{
	long long	total = 0;
	long		rep;
	size_t		i;

	if (!digits(f->employer_id, 1, WPS_EMPLOYER_LEN))
		return fail(err, -1, "wps_employer_id",
		    "organisation.valid.wps_employer");
	if (!digits(f->employer_routing, WPS_ROUTING_LEN, WPS_ROUTING_LEN))
		return fail(err, -1, "wps_routing_code",
		    "organisation.valid.wps_routing");
	if (f->currency == NULL || strcmp(f->currency, "AED") != 0)
		return fail(err, -1, "currency", "payouts.valid.wps_currency");
	if (f->created == NULL || strlen(f->created) != 19 ||
	    day_number(f->created) < 0 || f->created[10] != 'T' ||
	    strspn(f->created + 11, "0123456789:") != 8)
		return fail(err, -1, "created", "payouts.valid.date");
	if (f->reference != NULL && !plain_text(f->reference,
	    WPS_REFERENCE_MAX))
		return fail(err, -1, "reference", "payouts.valid.wps_reference");
	if (f->n == 0)
		return fail(err, -1, "settlement_ids", "payouts.valid.empty");
	for (i = 0; i < f->n; i++) {
		if (check_employee(f, i, err) == -1)
			return -1;
		total += f->emp[i].fixed_cents + f->emp[i].variable_cents;
		if (total > WPS_AMOUNT_MAX)
			return fail(err, (long)i, "amount",
			    "payouts.valid.amount");
	}
	/* One EDR per employee.  Person IDs are compared as the file writes
	 * them: "7" and "007" are the same person. */
	if ((rep = unique_first_repeat(f, f->n, person_of)) == -2)
		return fail(err, -1, NULL, NULL);
	if (rep >= 0)
		return fail(err, rep, "wps_person_id",
		    "payouts.valid.wps_person_twice");
	return 0;
}

/* s left-padded with zeros to width (s is never longer: checked). */
static const char *
zero_pad(const char *s, size_t width, char *out)
{
	size_t	n = strlen(s);

	memset(out, '0', width - n);
	memcpy(out + width - n, s, n + 1);
	return out;
}

static void
amount(buf *b, long long cents)
{
	buf_printf(b, "%lld.%02lld", cents / 100, cents % 100);
}

int
wps_write(const struct wps_file *f, buf *out, char name[40],
    struct wps_error *err)
{
	const struct wps_employee	*e;
	const char			*c = f->created;
	char				 id[WPS_PERSON_LEN + 1];
	char				 employer[WPS_EMPLOYER_LEN + 1];
	long long			 total = 0;
	size_t				 i;

	if (wps_check(f, err) == -1)
		return -1;
	/* Records end with CRLF, as comma-separated files do (RFC 4180). */
	for (i = 0; i < f->n; i++) {
		e = &f->emp[i];
		buf_printf(out, "EDR,%s,%s,%s,%s,%s,%d,",
		    zero_pad(e->person_id, WPS_PERSON_LEN, id), e->routing_code, e->account, e->pay_start,
		    e->pay_end, wps_days(e->pay_start, e->pay_end));
		amount(out, e->fixed_cents);
		buf_putc(out, ',');
		amount(out, e->variable_cents);
		buf_printf(out, ",%d\r\n", e->leave_days);
		total += e->fixed_cents + e->variable_cents;
	}
	/* SCR: the employer, its bank, creation date and HHMM, the salary
	 * month MMYYYY (of the EDRs), the count and total, the currency. */
	zero_pad(f->employer_id, WPS_EMPLOYER_LEN, employer);
	buf_printf(out, "SCR,%s,%s,%.10s,%.2s%.2s,%.2s%.4s,%zu,",
	    employer, f->employer_routing, c, c + 11, c + 14,
	    f->emp[0].pay_start + 5, f->emp[0].pay_start, f->n);
	amount(out, total);
	buf_printf(out, ",AED,%s\r\n", f->reference != NULL ? f->reference :
	    "");
	snprintf(name, 40, "%s%.2s%.2s%.2s%.2s%.2s%.2s.SIF", employer, c + 2, c + 5, c + 8, c + 11, c + 14, c + 17);
	if (out->oom)
		return fail(err, -1, NULL, NULL);
	return 0;
}

/* in without spaces, when it is min to max digits. */
static const char *
digits_only(const char *in, char *out, size_t n, size_t min, size_t max,
    const char *key)
{
	size_t	o = 0;

	for (; *in != '\0'; in++) {
		if (*in == ' ')
			continue;
		if (*in < '0' || *in > '9' || o + 1 >= n || o >= max)
			return key;
		out[o++] = *in;
	}
	out[o] = '\0';
	return o >= min ? NULL : key;
}

const char *
wps_check_person(const char *in, char *out, size_t n)
{
	return digits_only(in, out, n, 1, WPS_PERSON_LEN,
	    "payouts.valid.wps_person");
}

const char *
wps_check_routing(const char *in, char *out, size_t n)
{
	return digits_only(in, out, n, WPS_ROUTING_LEN, WPS_ROUTING_LEN,
	    "payouts.valid.wps_routing");
}

const char *
wps_check_card(const char *in, char *out, size_t n)
{
	return digits_only(in, out, n, 1, WPS_CARD_MAX,
	    "payouts.valid.wps_card");
}
