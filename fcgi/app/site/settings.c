#include "page.h"
#include "settings.h"

int
settings_show(struct request *r)
{
	return page_render(r, 200, "settings", json_pack("{s:b, s:b}",
	    "is_admin", r->id.role >= ACCESS_ADMIN, "is_finance",
	    r->id.role >= ACCESS_FINANCE));
}
