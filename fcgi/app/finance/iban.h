/* Bank identifiers of payouts, usable as valid_check functions (valid.h):
 * each normalises into out and returns NULL, or returns the catalogue key
 * of its message.  Stricter than the driver form's checks (fleet_valid.h),
 * because a bank refuses a whole file for one bad line. */
#ifndef FC_APP_FINANCE_IBAN_H
#define FC_APP_FINANCE_IBAN_H

#include <stddef.h>

/* IBAN (ISO 13616): mod-97 key and the length the registry gives the
 * country; spaces removed, upper-cased. */
const char	*iban_check(const char *in, char *out, size_t n);
/* BIC (ISO 9362): 4 letters (bank), 2 letters (country), 2 characters
 * (location, as the SEPA schema allows them), optional 3 (branch). */
const char	*bic_check(const char *in, char *out, size_t n);
/* An IBAN of the United Arab Emirates: "AE" and 21 digits, mod-97 (what a
 * WPS file takes, wps-sif §3.5). */
const char	*iban_check_ae(const char *in, char *out, size_t n);

#endif
