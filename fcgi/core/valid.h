/* Declarative input validation.  A handler declares its fields in a
 * table; valid_input reads them from the form (HTML) or the JSON body
 * (API), normalises them, and returns only declared fields.  Each failed
 * field gets one message in the request's language, shown next to it or
 * in error.fields.  Checks name their message by its catalogue key (under
 * "valid" in templates/locales) so that they need not know the request;
 * the text is looked up only where the request is known. */
#ifndef FC_VALID_H
#define FC_VALID_H

#include <stddef.h>
#include <jansson.h>

#include "http.h"

enum valid_type {
	V_TEXT,		/* trimmed; min/max are lengths in characters */
	V_PASSWORD,	/* not trimmed; min/max lengths */
	V_INT,		/* min/max values */
	V_MONEY,	/* "1 234,56" or 1234.56 → integer cents; min/max cents */
	V_DATE,		/* "2026-11-22" or "22/11/2026" → "2026-11-22" */
	V_EMAIL,	/* lower-cased */
	V_ENUM,		/* one of choices */
	V_BOOL,		/* checkbox: absent is false */
	V_UUID,
};

/* Why a value was refused: the catalogue key of its message and, for a
 * message with a "#" ("Au moins # caractères."), the number. */
struct valid_error {
	const char	*key;
	long long	 n;
};

/* A domain check (plate, VIN, IBAN, ...): writes the normalised value
 * into out and returns NULL, or returns the catalogue key of the message
 * ("valid.fleet.vin_length"). */
typedef const char *(*valid_check)(const char *in, char *out, size_t outlen);

struct valid_field {
	const char		*name;
	enum valid_type		 type;
	int			 required;
	long long		 min, max;	/* 0, 0: no bound */
	const char *const	*choices;	/* V_ENUM, NULL-terminated */
	valid_check		 check;		/* after the type's own check */
};

/* Returns a new object of validated values (strings, integers for
 * V_INT/V_MONEY, booleans for V_BOOL; absent optional fields are left
 * out), and sets *errors to a new object {field: message} or NULL. */
json_t	*valid_input(const struct request *, const struct valid_field *,
	    size_t n, json_t **errors);
/* One value alone: 0 with the normalised value in *out (new reference),
 * or -1 with *out NULL and the reason in *err. */
int	 valid_value(const struct valid_field *, const char *in, json_t **out,
	    struct valid_error *err);
/* The message of err in the request's language (written into out when it
 * carries a number). */
const char *valid_text(const struct request *, const struct valid_error *,
	    char *out, size_t len);
/* Set errors[field] to the message at key in the request's language: the
 * way handlers report their own checks.  0, or -1 when memory ran out. */
int	 valid_fail(const struct request *, json_t *errors, const char *field,
	    const char *key);
/* A new errors object holding that one message, or NULL when memory ran
 * out. */
json_t	*valid_one_error(const struct request *, const char *field,
	    const char *key);

#endif
