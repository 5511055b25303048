#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "driver_rules.h"

#define BULLET	"\xe2\x80\xa2"	/* U+2022, for masked characters */

/* The spaces a French keyboard or a formatter may put before "%". */
static size_t
space_len(const char *s)
{
	if (*s == ' ')
		return 1;
	if (strncmp(s, "\xc2\xa0", 2) == 0)
		return 2;
	if (strncmp(s, "\xe2\x80\xaf", 3) == 0)
		return 3;
	return 0;
}

const char *
driver_check_percent(const char *in, char *out, size_t n)
{
	long long	 units = 0, decimals = 0;
	int		 ndec = -1, digits = 0;
	size_t		 sp;
	const char	*s = in;

	for (; *s != '\0'; s++) {
		if (isdigit((unsigned char)*s)) {
			if (ndec >= 0) {
				if (++ndec > 2)
					return "valid.decimals";
				decimals = decimals * 10 + (*s - '0');
			} else if ((units = units * 10 + (*s - '0')) > 100)
				return "valid.drivers.percent_range";
			digits++;
		} else if ((*s == ',' || *s == '.') && ndec < 0 && digits > 0)
			ndec = 0;
		else
			break;
	}
	/* What may follow the number: spaces, then "%", then nothing. */
	while ((sp = space_len(s)) > 0)
		s += sp;
	if (*s == '%')
		s++;
	if (digits == 0 || *s != '\0' || ndec == 0)
		return "valid.drivers.percent";
	if (ndec == 1)
		decimals *= 10;
	if (units * 100 + decimals > 10000)
		return "valid.drivers.percent_range";
	if (snprintf(out, n, "%lld", units * 100 + decimals) >= (int)n)
		return "valid.drivers.percent";
	return NULL;
}

void
driver_percent_input(long long bp, char *out, size_t n)
{
	long long	frac = bp % 100;

	if (frac == 0)
		snprintf(out, n, "%lld", bp / 100);
	else if (frac % 10 == 0)
		snprintf(out, n, "%lld,%lld", bp / 100, frac / 10);
	else
		snprintf(out, n, "%lld,%02lld", bp / 100, frac);
}

static int
ymd(const char *s, int *y, int *m, int *d)
{
	return sscanf(s, "%4d-%2d-%2d", y, m, d) == 3 ? 0 : -1;
}

const char *
driver_check_birth_date(const char *birth, const char *today)
{
	int	by, bm, bd, ty, tm, td;

	if (ymd(birth, &by, &bm, &bd) == -1 || ymd(today, &ty, &tm, &td) == -1)
		return "valid.date";
	/* ISO dates of the same shape compare as text. */
	if (strcmp(birth, today) >= 0)
		return "valid.drivers.birth_in_future";
	if (by < 1900)
		return "valid.drivers.birth_unlikely";
	if (by + 18 > ty || (by + 18 == ty && (bm > tm ||
	    (bm == tm && bd > td))))
		return "valid.drivers.under_18";
	return NULL;
}

void
driver_phone_digits(const char *q, char *out, size_t n)
{
	size_t	o = 0;

	if (n == 0)
		return;
	if (q[strspn(q, "0123456789 +-.()")] != '\0') {
		out[0] = '\0';
		return;
	}
	for (; *q != '\0' && o + 1 < n; q++) {
		if (!isdigit((unsigned char)*q))
			continue;
		if (o == 0 && *q == '0')
			continue;
		out[o++] = *q;
	}
	out[o < 3 ? 0 : o] = '\0';
}

void
driver_phone_display(const char *e164, char *out, size_t n)
{
	const char	*p = e164 + 4;

	if (strncmp(e164, "+33", 3) != 0 || strlen(e164) != 12) {
		snprintf(out, n, "%s", e164);
		return;
	}
	snprintf(out, n, "+33 %c %.2s %.2s %.2s %.2s", e164[3], p, p + 2, p + 4,
	    p + 6);
}

int
driver_iban_build(const char *country, const char *bban, char *out, size_t n)
{
	char	 moved[64];
	int	 rem = 0, len;
	size_t	 i;

	if (strlen(country) != 2 || !isalpha((unsigned char)country[0]) ||
	    !isalpha((unsigned char)country[1]))
		return -1;
	/* The number checked is BBAN, country, "00"; letters count 10..35. */
	len = snprintf(moved, sizeof(moved), "%s%c%c00", bban,
	    toupper((unsigned char)country[0]), toupper((unsigned char)country[1]));
	if (len < 0 || (size_t)len >= sizeof(moved))
		return -1;
	for (i = 0; moved[i] != '\0'; i++) {
		if (isdigit((unsigned char)moved[i]))
			rem = (rem * 10 + (moved[i] - '0')) % 97;
		else if (isalpha((unsigned char)moved[i]))
			rem = (rem * 100 + (toupper((unsigned char)moved[i]) -
			    'A' + 10)) % 97;
		else
			return -1;
	}
	len = snprintf(out, n, "%c%c%02d%s", toupper((unsigned char)country[0]),
	    toupper((unsigned char)country[1]), 98 - rem, bban);
	return len < 0 || (size_t)len >= n ? -1 : 0;
}

void
driver_iban_mask(const char *iban, char *out, size_t n)
{
	size_t	len = strlen(iban);

	if (len < 8) {
		snprintf(out, n, "%s", len > 0 ? BULLET BULLET BULLET BULLET : "");
		return;
	}
	snprintf(out, n, "%.4s " BULLET BULLET BULLET BULLET " %s", iban,
	    iban + len - 3);
}

void
driver_iban_group(const char *iban, char *out, size_t n)
{
	size_t	i, o = 0;

	if (n == 0)
		return;
	for (i = 0; iban[i] != '\0' && o + 2 < n; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = ' ';
		out[o++] = iban[i];
	}
	out[o] = '\0';
}
