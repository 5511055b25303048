/* The pure rules of the driver records: no database, no request, so that
 * unit tests cover them (tests/unit/test_driver_rules.c). */
#ifndef FC_APP_DRIVER_RULES_H
#define FC_APP_DRIVER_RULES_H

#include <stddef.h>

/* A commission rate as a person writes it, a percentage with at most two
 * decimals ("12,5", "12.5 %", "100"), to basis points written as decimal
 * text into out ("1250").  A valid_check: NULL, or the message key. */
const char	*driver_check_percent(const char *in, char *out, size_t n);

/* Basis points as the form writes them back: 1250 → "12,5", 1000 →
 * "10", 1 → "0,01".  out needs 16 bytes. */
void		 driver_percent_input(long long bp, char *out, size_t n);

/* A birth date ("YYYY-MM-DD") for someone who drives for hire: in the
 * past, at least 18 years before today ("YYYY-MM-DD"), and not before
 * 1900.  NULL, or the catalogue key of the message. */
const char	*driver_check_birth_date(const char *birth, const char *today);

/* The digits of a search that looks like a phone number (digits, spaces,
 * "+", "-", ".", parentheses), leading zeros dropped ("06 12 34" →
 * "61234", "0033 6 12" → "33612"), so that they are found inside the
 * stored +33612….  "" for anything else (a name or an e-mail address,
 * which are searched as text) and when fewer than three digits remain. */
void		 driver_phone_digits(const char *q, char *out, size_t n);

/* A stored phone for reading: a French "+33612345678" becomes
 * "+33 6 12 34 56 78"; any other number is shown as stored. */
void		 driver_phone_display(const char *e164, char *out, size_t n);

/* An IBAN from its country code and BBAN, with the check digits
 * computed (ISO 13616, mod 97): ("FR", "30006000011234567890189") →
 * "FR7630006000011234567890189".  -1 when the BBAN is not letters and
 * digits or out is too small. */
int		 driver_iban_build(const char *country, const char *bban,
		    char *out, size_t n);

/* A masked IBAN for people who may not read it whole: the country, the
 * check digits and the last three characters ("FR76 •••• 189"). */
void		 driver_iban_mask(const char *iban, char *out, size_t n);

/* An IBAN in groups of four for reading ("FR76 3000 6000 …"). */
void		 driver_iban_group(const char *iban, char *out, size_t n);

#endif
