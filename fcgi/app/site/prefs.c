#include <string.h>

#include "prefs.h"

/* Only a path of this site: "//host" and "/\host" are other sites to a
 * browser, and a redirect there would lend them our address. */
static int
is_local_path(const char *p)
{
	return p != NULL && p[0] == '/' && p[1] != '/' && p[1] != '\\' &&
	    strpbrk(p, "\r\n") == NULL;
}

/* GET /lang?to=en&back=/path?query: remember the choice for a year and go
 * back.  A GET is fine here: it changes only the visitor's own display. */
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
	return http_redirect(r, 303, is_local_path(back) ? back : "/");
}
