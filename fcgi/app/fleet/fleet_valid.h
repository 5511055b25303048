/* Checks of fleet identifiers, usable as valid_check functions: each
 * normalises into out and returns NULL, or returns the catalogue key of
 * the message (under "valid.fleet"). */
#ifndef FC_APP_FLEET_VALID_H
#define FC_APP_FLEET_VALID_H

#include <stddef.h>

/* French SIV plate "AB-123-CD" (spaces, dashes or nothing between groups;
 * any case).  Letters I, O and U and the groups "SS" (left) and "WW"
 * (left) are not issued. */
const char	*fleet_check_plate_fr(const char *in, char *out, size_t n);
/* A foreign plate: 2 to 12 letters, digits, spaces or dashes; upper-cased. */
const char	*fleet_check_plate_other(const char *in, char *out, size_t n);
/* VIN: 17 characters, no I, O or Q; the check digit (9th) is verified for
 * North-American vehicles (first character 1 to 5). */
const char	*fleet_check_vin(const char *in, char *out, size_t n);
/* IBAN with its mod-97 check; spaces removed, upper-cased. */
const char	*fleet_check_iban(const char *in, char *out, size_t n);
const char	*fleet_check_bic(const char *in, char *out, size_t n);
/* E.164 phone; a French national number ("06 12 34 56 78") becomes
 * "+33612345678". */
const char	*fleet_check_phone(const char *in, char *out, size_t n);

#endif
