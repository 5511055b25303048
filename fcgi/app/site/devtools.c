#include <stdlib.h>
#include <time.h>

#include "api.h"
#include "devtools.h"

static json_t *
kv_object(const struct kvlist *l)
{
	json_t	*o = json_object();
	size_t	 i;

	for (i = 0; o != NULL && i < l->n; i++)
		json_object_set_new(o, l->v[i].name, json_stringn(l->v[i].value,
		    l->v[i].len));
	return o;
}

static json_t *
uploads_array(const struct uploads *u)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; a != NULL && i < u->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s?, s:I, s:b}",
		    "field", u->v[i].field, "filename", u->v[i].filename,
		    "content_type", u->v[i].content_type,
		    "size", (json_int_t)u->v[i].size,
		    "on_disk", u->v[i].path != NULL));
	return a;
}

int
devtools_echo(struct request *r)
{
	return api_ok(r, 200, json_pack("{s:s, s:o, s:o, s:o, s:O?}",
	    "method", r->method, "query", kv_object(&r->query),
	    "form", kv_object(&r->form), "files", uploads_array(&r->files),
	    "json", r->json));
}

int
devtools_error(struct request *r)
{
	(void)r;
	return 500;
}

int
devtools_sleep(struct request *r)
{
	const char	*ms = http_query(r, "ms");
	long		 n = ms ? strtol(ms, NULL, 10) : 1000;
	struct timespec	 ts;

	if (n < 0 || n > 10000)
		n = 1000;
	ts.tv_sec = n / 1000;
	ts.tv_nsec = (n % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1)
		;
	return api_ok(r, 200, json_pack("{s:i}", "slept_ms", (int)n));
}
