/* Declarative input validation.  A handler declares its fields in a
 * table; valid_input reads them from the form (HTML) or the JSON body
 * (API), normalises them, and returns only declared fields.  Each failed
 * field gets one French message, shown next to it or in error.fields. */
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

/* A domain check (plate, VIN, IBAN, ...): writes the normalised value
 * into out and returns NULL, or returns the French message. */
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
/* One value alone, for tests and CSV imports: NULL when valid, else the
 * message (static, or written into msgbuf); the normalised value goes to
 * *out (new reference). */
const char *valid_value(const struct valid_field *, const char *in,
	    json_t **out, char *msgbuf, size_t msglen);

#endif
