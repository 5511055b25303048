#include <ctype.h>
#include <string.h>

#include "files.h"
#include "http.h"
#include "i18n.h"
#include "worker.h"

const char *
http_env(const struct request *r, const char *name)
{
	size_t	 n = strlen(name);
	char	**e;

	if (r->env == NULL)
		return NULL;
	for (e = r->env; *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

const char *
http_header(const struct request *r, const char *name)
{
	char	var[128] = "HTTP_";
	size_t	i, o = 5;

	for (i = 0; name[i] != '\0' && o < sizeof(var) - 1; i++)
		var[o++] = name[i] == '-' ? '_' :
		    (char)toupper((unsigned char)name[i]);
	var[o] = '\0';
	/* The CGI interface names these two without the HTTP_ prefix. */
	if (strcmp(var, "HTTP_CONTENT_TYPE") == 0 ||
	    strcmp(var, "HTTP_CONTENT_LENGTH") == 0)
		return http_env(r, var + 5);
	return http_env(r, var);
}

const char *
http_param(const struct request *r, size_t n)
{
	if (n >= r->match.nparams)
		return NULL;
	return arena_strndup(r->arena, r->match.params[n],
	    r->match.param_len[n]);
}

const char *
http_param_uuid(const struct request *r, size_t n)
{
	const char	*p = http_param(r, n);

	return files_is_uuid(p) ? p : NULL;
}

const char *
http_query(const struct request *r, const char *name)
{
	return kvlist_get(&r->query, name);
}

const char *
http_form(const struct request *r, const char *name)
{
	return kvlist_get(&r->form, name);
}

const char *
http_cookie(const struct request *r, const char *name)
{
	return kvlist_get(&r->cookies, name);
}

int
http_add_header(struct request *r, const char *name, const char *value)
{
	/* A CR or LF in a value would let data forge headers. */
	if (strpbrk(name, "\r\n:") != NULL || strpbrk(value, "\r\n") != NULL)
		return 500;
	buf_printf(&r->res.headers, "%s: %s\r\n", name, value);
	return r->res.headers.oom ? 500 : 0;
}

int
http_body(struct request *r, int status, const char *type, const char *data,
    size_t len)
{
	r->res.status = status;
	r->res.content_type = type;
	buf_clear(&r->res.body);
	if (buf_append(&r->res.body, data, len) == -1)
		return 500;
	r->res.done = 1;
	return 0;
}

int
http_redirect(struct request *r, int status, const char *to)
{
	int	rc;

	/* Only local paths: an open redirect would help phishing. */
	if (to[0] != '/' || to[1] == '/' || to[1] == '\\')
		to = "/";
	if ((rc = http_add_header(r, "Location", to)) != 0)
		return rc;
	return http_body(r, status, "text/plain; charset=utf-8", "", 0);
}

int
http_file(struct request *r, const char *path, const char *type,
    const char *download_name)
{
	const char	*disp;

	r->res.status = 200;
	r->res.content_type = type;
	r->res.file_path = path;
	r->res.done = 1;
	if (download_name == NULL)
		return 0;
	disp = arena_printf(r->arena, "attachment; filename=\"%s\"",
	    download_name);
	if (disp == NULL || strpbrk(download_name, "\"\\") != NULL)
		return 500;
	return http_add_header(r, "Content-Disposition", disp);
}

const char *
http_url_encode(arena *a, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			*out, *o;
	unsigned char		 c;

	if ((out = arena_alloc(a, strlen(s) * 3 + 1)) == NULL)
		return "";
	for (o = out; (c = (unsigned char)*s) != '\0'; s++) {
		if (isalnum(c) || strchr("-._~/", c) != NULL)
			*o++ = (char)c;
		else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

static const struct {
	int		 status;
	const char	*reason;
} reasons[] = {
	{ 200, "OK" }, { 201, "Created" }, { 202, "Accepted" },
	{ 204, "No Content" }, { 301, "Moved Permanently" },
	{ 302, "Found" }, { 303, "See Other" }, { 304, "Not Modified" },
	{ 400, "Bad Request" }, { 401, "Unauthorized" },
	{ 403, "Forbidden" }, { 404, "Not Found" },
	{ 405, "Method Not Allowed" }, { 409, "Conflict" },
	{ 413, "Content Too Large" }, { 415, "Unsupported Media Type" },
	{ 422, "Unprocessable Content" }, { 429, "Too Many Requests" },
	{ 500, "Internal Server Error" }, { 503, "Service Unavailable" },
};

const char *
http_reason(int status)
{
	size_t	i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].status == status)
			return reasons[i].reason;
	return "Unknown";
}

const char *
tr(const struct request *r, const char *key)
{
	return i18n_get(r->w != NULL ? r->w->i18n : NULL, (lang_id)r->lang,
	    key);
}
