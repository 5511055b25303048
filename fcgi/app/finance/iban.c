#include <ctype.h>
#include <string.h>

#include "fleet/fleet_valid.h"
#include "iban.h"

/* The length of an IBAN in each country of the ISO 13616 registry that a
 * fleet may bank in: the SEPA zone, its neighbours and the Gulf.  A
 * country not listed is refused rather than guessed. */
static const struct {
	char	cc[3];
	int	len;
} lengths[] = {
	{ "AD", 24 }, { "AE", 23 }, { "AT", 20 }, { "BE", 16 }, { "BG", 22 },
	{ "BH", 22 }, { "CH", 21 }, { "CY", 28 }, { "CZ", 24 }, { "DE", 22 },
	{ "DK", 18 }, { "EE", 20 }, { "ES", 24 }, { "FI", 18 }, { "FO", 18 },
	{ "FR", 27 }, { "GB", 22 }, { "GI", 23 }, { "GL", 18 }, { "GR", 27 },
	{ "HR", 21 }, { "HU", 28 }, { "IE", 22 }, { "IS", 26 }, { "IT", 27 },
	{ "KW", 30 }, { "LI", 21 }, { "LT", 20 }, { "LU", 20 }, { "LV", 21 },
	{ "MA", 28 }, { "MC", 27 }, { "MT", 31 }, { "NL", 18 }, { "NO", 15 },
	{ "PL", 28 }, { "PT", 25 }, { "QA", 29 }, { "RO", 24 }, { "SA", 24 },
	{ "SE", 24 }, { "SI", 19 }, { "SK", 24 }, { "SM", 27 }, { "TN", 24 },
	{ "TR", 26 }, { "VA", 22 },
};

const char *
iban_check(const char *in, char *out, size_t n)
{
	const char	*key;
	size_t		 i, len;

	if ((key = fleet_check_iban(in, out, n)) != NULL)
		return key;
	len = strlen(out);
	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++)
		if (strncmp(out, lengths[i].cc, 2) == 0)
			return (size_t)lengths[i].len == len ? NULL :
			    "organisation.valid.iban_length";
	return "organisation.valid.iban_country";
}

const char *
iban_check_ae(const char *in, char *out, size_t n)
{
	const char	*key;
	size_t		 i;

	if ((key = iban_check(in, out, n)) != NULL)
		return key;
	if (strncmp(out, "AE", 2) != 0)
		return "payouts.valid.iban_ae";
	for (i = 2; out[i] != '\0'; i++)
		if (!isdigit((unsigned char)out[i]))
			return "payouts.valid.iban_ae";
	return NULL;
}

const char *
bic_check(const char *in, char *out, size_t n)
{
	const char	*key;

	if ((key = fleet_check_bic(in, out, n)) != NULL)
		return key;
	/* Location: its first character is never 0 or 1, its second never
	 * the letter O (ISO 9362; the pain.001 schema's pattern). */
	if (out[6] == '0' || out[6] == '1' || out[7] == 'O')
		return "organisation.valid.bic_location";
	return NULL;
}
