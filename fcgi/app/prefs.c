#include <string.h>

#include "prefs.h"

/* GET /lang?to=en&back=/path: remember the choice for a year and go back.
 * A GET is fine here: it changes only the visitor's own display. */
int
prefs_language(struct request *r)
{
	const char	*to = http_query(r, "to");
	const char	*back = http_query(r, "back");
	const char	*cookie;

	if (to == NULL || (strcmp(to, "fr") != 0 && strcmp(to, "en") != 0))
		return 400;
	cookie = arena_printf(r->arena, "%s=%s; Path=/; Max-Age=31536000; "
	    "Secure; HttpOnly; SameSite=Lax", LANG_COOKIE, to);
	if (cookie == NULL || http_add_header(r, "Set-Cookie", cookie) != 0)
		return 500;
	return http_redirect(r, 303, back != NULL ? back : "/");
}
