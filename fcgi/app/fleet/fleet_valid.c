#include <ctype.h>
#include <string.h>

#include "fleet_valid.h"

/* Copy in without spaces, dashes and dots, upper-cased; -1 if too long. */
static int
compact(const char *in, char *out, size_t n, const char *drop)
{
	size_t	o = 0;

	for (; *in != '\0'; in++) {
		if (strchr(drop, *in) != NULL)
			continue;
		if (o + 1 >= n)
			return -1;
		out[o++] = (char)toupper((unsigned char)*in);
	}
	out[o] = '\0';
	return (int)o;
}

static int
siv_letter(char c)
{
	return c >= 'A' && c <= 'Z' && c != 'I' && c != 'O' && c != 'U';
}

const char *
fleet_check_plate_fr(const char *in, char *out, size_t n)
{
	char	c[16];
	int	i;

	if (compact(in, c, sizeof(c), " -") != 7 || n < 10)
		return "valid.fleet.plate_format";
	for (i = 0; i < 7; i++)
		if ((i >= 2 && i <= 4) ? !isdigit((unsigned char)c[i]) :
		    !siv_letter(c[i]))
			return "valid.fleet.plate_format";
	if (strncmp(c, "SS", 2) == 0 || strncmp(c, "WW", 2) == 0 ||
	    strncmp(c + 2, "000", 3) == 0 || strncmp(c + 5, "SS", 2) == 0)
		return "valid.fleet.plate_not_issued";
	memcpy(out, c, 2);
	out[2] = '-';
	memcpy(out + 3, c + 2, 3);
	out[6] = '-';
	memcpy(out + 7, c + 5, 2);
	out[9] = '\0';
	return NULL;
}

const char *
fleet_check_plate_other(const char *in, char *out, size_t n)
{
	size_t	i, len = strlen(in);

	if (len < 2 || len > 12 || len >= n)
		return "valid.fleet.plate_length";
	for (i = 0; i < len; i++) {
		if (!isalnum((unsigned char)in[i]) && in[i] != ' ' && in[i] != '-')
			return "valid.fleet.plate_chars";
		out[i] = (char)toupper((unsigned char)in[i]);
	}
	out[len] = '\0';
	return NULL;
}

/* ISO 3779 transliteration of a VIN character to its value. */
static int
vin_value(char c)
{
	static const char	 letters[] = "ABCDEFGHJKLMNPRSTUVWXYZ";
	static const int	 values[] = { 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4,
				    5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9 };
	const char		*p;

	if (isdigit((unsigned char)c))
		return c - '0';
	if ((p = strchr(letters, c)) == NULL || c == '\0')
		return -1;
	return values[p - letters];
}

const char *
fleet_check_vin(const char *in, char *out, size_t n)
{
	static const int	weights[17] = { 8, 7, 6, 5, 4, 3, 2, 10, 0, 9,
				    8, 7, 6, 5, 4, 3, 2 };
	char			v[32];
	int			i, sum = 0, check;

	if (compact(in, v, sizeof(v), " -") != 17 || n < 18)
		return "valid.fleet.vin_length";
	for (i = 0; i < 17; i++)
		if (vin_value(v[i]) < 0)
			return "valid.fleet.vin_letters";
	if (v[0] >= '1' && v[0] <= '5') {
		for (i = 0; i < 17; i++)
			sum += vin_value(v[i]) * weights[i];
		check = sum % 11;
		if ((check == 10 && v[8] != 'X') ||
		    (check < 10 && v[8] != '0' + check))
			return "valid.fleet.vin_check";
	}
	memcpy(out, v, 18);
	return NULL;
}

const char *
fleet_check_iban(const char *in, char *out, size_t n)
{
	char	v[40];
	int	len, i, k, rem = 0, d;

	len = compact(in, v, sizeof(v), " -");
	if (len < 15 || len > 34 || (size_t)len >= n ||
	    !isalpha((unsigned char)v[0]) || !isalpha((unsigned char)v[1]) ||
	    !isdigit((unsigned char)v[2]) || !isdigit((unsigned char)v[3]))
		return "valid.fleet.iban_format";
	/* mod 97 of the number made by moving the first four characters to
	 * the end and letters to 10..35, one digit at a time. */
	for (k = 0; k < len; k++) {
		i = (k + 4) % len;
		if (isdigit((unsigned char)v[i]))
			rem = (rem * 10 + (v[i] - '0')) % 97;
		else if (isalpha((unsigned char)v[i])) {
			d = v[i] - 'A' + 10;
			rem = (rem * 100 + d) % 97;
		} else
			return "valid.fleet.iban_char";
	}
	if (rem != 1)
		return "valid.fleet.iban_check";
	memcpy(out, v, (size_t)len + 1);
	return NULL;
}

const char *
fleet_check_bic(const char *in, char *out, size_t n)
{
	char	v[16];
	int	len, i;

	len = compact(in, v, sizeof(v), " ");
	if ((len != 8 && len != 11) || (size_t)len >= n)
		return "valid.fleet.bic_length";
	for (i = 0; i < len; i++)
		if (i < 6 ? !isalpha((unsigned char)v[i]) :
		    !isalnum((unsigned char)v[i]))
			return "valid.fleet.bic";
	memcpy(out, v, (size_t)len + 1);
	return NULL;
}

const char *
fleet_check_phone(const char *in, char *out, size_t n)
{
	char	v[24];
	int	len, i;

	len = compact(in, v, sizeof(v), " -.()");
	if (len < 0)
		return "valid.fleet.phone";
	/* 0033… and a French national 0X XX XX XX XX become +33…. */
	if (strncmp(v, "00", 2) == 0) {
		memmove(v + 1, v + 2, (size_t)len - 1);
		v[0] = '+';
		len--;
	} else if (len == 10 && v[0] == '0' && v[1] != '0') {
		memmove(v + 3, v + 1, 10);
		memcpy(v, "+33", 3);
		len = 12;
	}
	if (v[0] != '+' || len < 8 || len > 16 || v[1] == '0' ||
	    (size_t)len >= n)
		return "valid.fleet.phone_format";
	for (i = 1; i < len; i++)
		if (!isdigit((unsigned char)v[i]))
			return "valid.fleet.phone";
	memcpy(out, v, (size_t)len + 1);
	return NULL;
}
