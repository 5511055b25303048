#include <string.h>

#include "fleet/documents_web.h"
#include "i18n.h"
#include "nav.h"
#include "server.h"
#include "worker.h"

/* Who an entry is for: the people who run the fleet, or a driver, whose
 * pages are the portal's. */
enum audience { STAFF, DRIVER };

/* The side navigation, in the order it is shown.  An entry is shown only
 * when the route table serves GET on its address to the reader's role:
 * a page that is not routed yet (or not to this role) has no entry, so
 * the navigation never leads to a 404 or a 403. */
static const struct {
	const char	*href;
	const char	*label_key;
	enum audience	 audience;
} entries[] = {
	{ "/", "nav.dashboard", STAFF },
	{ "/vehicles", "nav.vehicles", STAFF },
	{ "/drivers", "nav.drivers", STAFF },
	{ "/documents/due", "nav.documents", STAFF },
	{ "/trips", "nav.trips", STAFF },
	{ "/earnings", "nav.earnings", STAFF },
	{ "/finance", "nav.finance", STAFF },
	{ "/sources", "nav.sources", STAFF },
	{ "/live", "nav.live", STAFF },
	{ "/customers", "nav.customers", STAFF },
	{ "/products", "nav.products", STAFF },
	{ "/sales-lines", "nav.sales", STAFF },
	{ "/quality", "nav.quality", STAFF },
	{ "/reports", "nav.reports", STAFF },
	{ "/settings", "nav.settings", STAFF },
	{ "/portal", "nav.portal", DRIVER },
};

#define NENTRIES	(sizeof(entries) / sizeof(entries[0]))
#define UNROUTED	(-1)

/* The least role of each entry's GET route, UNROUTED when there is none:
 * read from the table once per process (it does not change). */
static int
entry_access(const struct server_app *app, size_t e)
{
	static int	access[NENTRIES];
	static int	known;
	size_t		i, k;

	if (!known) {
		for (k = 0; k < NENTRIES; k++) {
			access[k] = UNROUTED;
			for (i = 0; app != NULL && i < app->nroutes; i++)
				if (strcmp(app->routes[i].method, "GET") == 0 &&
				    strcmp(app->routes[i].pattern,
				    entries[k].href) == 0) {
					access[k] = (int)app->routes[i].access;
					break;
				}
		}
		known = 1;
	}
	return access[e];
}

static int
shown(struct request *r, size_t e)
{
	enum audience	who = r->id.role == ACCESS_DRIVER ? DRIVER : STAFF;
	int		least = entry_access(r->w->app, e);

	return entries[e].audience == who && least != UNROUTED &&
	    (int)r->id.role >= least;
}

/* "/vehicles/12" is inside "/vehicles"; "/" only matches itself. */
static int
is_current(const char *href, const char *path)
{
	size_t	n = strlen(href);

	if (n == 1)
		return strcmp(path, "/") == 0;
	return strncmp(path, href, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int
nav_decorate(struct request *r, json_t *view)
{
	json_t	*nav = json_array();
	size_t	 i;

	if (nav == NULL)
		return -1;
	for (i = 0; i < NENTRIES; i++)
		if (shown(r, i))
			json_array_append_new(nav, json_pack("{s:s, s:s, s:b}",
			    "href", entries[i].href,
			    "label", tr(r, entries[i].label_key),
			    "current", is_current(entries[i].href, r->path)));
	documents_nav_count(r, nav);
	return json_object_set_new(view, "nav", nav);
}
