#include <string.h>

#include "fleet/documents_web.h"
#include "i18n.h"
#include "nav.h"
#include "worker.h"

/* The side navigation, in the order it is shown. */
static const struct {
	const char	*href;
	const char	*label_key;
} entries[] = {
	{ "/", "nav.dashboard" },
	{ "/vehicles", "nav.vehicles" },
	{ "/drivers", "nav.drivers" },
	{ "/documents/due", "nav.documents" },
	{ "/trips", "nav.trips" },
	{ "/finance", "nav.finance" },
	{ "/sources", "nav.sources" },
	{ "/quality", "nav.quality" },
	{ "/settings", "nav.settings" },
};

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
	for (i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		json_array_append_new(nav, json_pack("{s:s, s:s, s:b}",
		    "href", entries[i].href,
		    "label", tr(r, entries[i].label_key),
		    "current", is_current(entries[i].href, r->path)));
	documents_nav_count(r, nav);
	return json_object_set_new(view, "nav", nav);
}
