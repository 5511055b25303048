/* What Armado answers, read strictly (the answers come from outside):
 * the bills a reference lookup returns, and the "message" of an error.
 * Pure functions over the body's bytes, so that they can be fuzzed
 * (tests/fuzz/fuzz_armado.c). */
#ifndef FC_FINANCE_ARMADO_JSON_H
#define FC_FINANCE_ARMADO_JSON_H

#include <stddef.h>

#define ARMADO_ID_MAX	65	/* a bill id, NUL included */

enum armado_bills {
	ARMADO_BILLS_MALFORMED = -1,	/* not an array of bill objects */
	ARMADO_BILLS_NONE = 0,		/* no bill has that reference */
	ARMADO_BILLS_ONE = 1,		/* id set */
	ARMADO_BILLS_SEVERAL = 2,	/* the reference is on two bills */
};

/* GET /v1/bill?reference= answers a JSON array of bills; the one whose
 * "reference" is exactly reference is ours.  Its "id" is a positive
 * integer or a string of [A-Za-z0-9_-] (it goes into the next URL's
 * path), written into id.  A bill with another id is malformed. */
enum armado_bills armado_parse_bills(const char *body, size_t len,
		    const char *reference, char id[ARMADO_ID_MAX]);
/* The "message" string of an error body {"message": "..."} into out
 * (printable characters only, cut on a UTF-8 boundary); "" when there
 * is none.  Never fails. */
void		 armado_parse_message(const char *body, size_t len, char *out,
		    size_t outlen);
/* 1 when s may be a bill id (1-64 of [A-Za-z0-9_-]). */
int		 armado_id_ok(const char *s);

#endif
