#include "openapi.h"
#include "worker.h"

int
openapi_document(struct request *r)
{
	const char	*path;

	path = arena_printf(r->arena, "%s/api/openapi.json",
	    r->w->cfg->templates);
	if (path == NULL)
		return 500;
	http_add_header(r, "Cache-Control", "public, max-age=300");
	return http_file(r, path, "application/json; charset=utf-8", NULL);
}
