#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "valid.h"

static int
dump_cb(const char *p, size_t n, void *data)
{
	return buf_append(data, p, n);
}

int
api_dump(json_t *j, buf *out)
{
	if (json_dump_callback(j, dump_cb, out, JSON_COMPACT) == -1)
		return -1;
	return out->oom ? -1 : 0;
}

static int
send(struct request *r, int status, json_t *envelope)
{
	int	rc = 0;

	if (envelope == NULL)
		return 500;
	buf_clear(&r->res.body);
	if (api_dump(envelope, &r->res.body) == -1)
		rc = 500;
	json_decref(envelope);
	if (rc != 0)
		return rc;
	r->res.status = status;
	r->res.content_type = "application/json; charset=utf-8";
	r->res.done = 1;
	return 0;
}

int
api_ok(struct request *r, int status, json_t *data)
{
	return send(r, status, json_pack("{s:b, s:o}", "success", 1,
	    "data", data ? data : json_null()));
}

int
api_list(struct request *r, json_t *items, const struct api_page *pg,
    long total)
{
	return send(r, 200, json_pack("{s:b, s:o, s:{s:I, s:I, s:I, s:b}}",
	    "success", 1, "data", items,
	    "pagination", "page", (json_int_t)pg->page,
	    "limit", (json_int_t)pg->limit, "total", (json_int_t)total,
	    "has_next", pg->offset + pg->limit < total));
}

/* The envelope api_list writes, around rows that need no parsing: a
 * list's API answer spent as much time reading PostgreSQL's JSON and
 * writing it again as the database spent on the request. */
int
api_list_texts(struct request *r, const struct api_texts *rows,
    const struct api_page *pg, long total)
{
	buf	*b = &r->res.body;
	int	 i;

	buf_clear(b);
	buf_puts(b, "{\"success\":true,\"data\":[");
	for (i = 0; i < rows->n; i++) {
		if (i > 0)
			buf_putc(b, ',');
		buf_puts(b, rows->text[i]);
	}
	buf_printf(b, "],\"pagination\":{\"page\":%ld,\"limit\":%ld,"
	    "\"total\":%ld,\"has_next\":%s}}", pg->page, pg->limit, total,
	    pg->offset + pg->limit < total ? "true" : "false");
	if (b->oom)
		return 500;
	r->res.status = 200;
	r->res.content_type = "application/json; charset=utf-8";
	r->res.done = 1;
	return 0;
}

static const struct {
	int		 status;
	const char	*code;
} codes[] = {
	{ 400, "bad_request" }, { 401, "unauthorized" },
	{ 403, "forbidden" }, { 404, "not_found" },
	{ 405, "method_not_allowed" }, { 409, "conflict" },
	{ 413, "payload_too_large" }, { 415, "unsupported_media_type" },
	{ 422, "validation_failed" }, { 429, "rate_limited" },
	{ 500, "internal_error" }, { 503, "unavailable" },
};

const char *
api_code(int status)
{
	size_t	i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].status == status)
			return codes[i].code;
	return status >= 500 ? "internal_error" : "bad_request";
}

int
api_error(struct request *r, int status, const char *code,
    const char *message, json_t *fields)
{
	json_t	*err;

	err = json_pack("{s:s, s:s}", "code", code ? code : api_code(status),
	    "message", message);
	if (err == NULL) {
		json_decref(fields);
		return 500;
	}
	if (fields != NULL)
		json_object_set_new(err, "fields", fields);
	return send(r, status, json_pack("{s:b, s:o}", "success", 0,
	    "error", err));
}

int
api_error_key(struct request *r, int status, const char *code,
    const char *key, json_t *fields)
{
	return api_error(r, status, code, tr(r, key), fields);
}

static int
parse_long(const char *s, long lo, long hi, long *out)
{
	char	*end;
	long	 v;

	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int
api_page_parse(struct request *r, struct api_page *pg)
{
	const char	*page = http_query(r, "page");
	const char	*limit = http_query(r, "limit");
	json_t		*fields;

	pg->page = 1;
	pg->limit = API_DEFAULT_LIMIT;
	fields = json_object();
	if (page != NULL && parse_long(page, 1, 1000000, &pg->page) == -1)
		valid_fail(r, fields, "page", "valid.page");
	if (limit != NULL &&
	    parse_long(limit, 1, API_MAX_LIMIT, &pg->limit) == -1)
		valid_fail(r, fields, "limit", "valid.limit");
	pg->offset = (pg->page - 1) * pg->limit;
	if (json_object_size(fields) == 0) {
		json_decref(fields);
		return 0;
	}
	api_error_key(r, 422, "validation_failed", "api.pagination", fields);
	return 422;
}
