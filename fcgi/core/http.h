/* The request context every handler receives: what the client sent,
 * parsed and validated, the worker's shared resources, and the response
 * being built.  It lives in the request arena. */
#ifndef FC_HTTP_H
#define FC_HTTP_H

#include <stddef.h>
#include <jansson.h>

#include "arena.h"
#include "buf.h"
#include "multipart.h"
#include "request.h"
#include "router.h"

struct worker;

/* The language a visitor chose with the switch (before signing in). */
#define LANG_COOKIE	"fleetcore_lang"

struct response {
	int		 status;
	const char	*content_type;
	buf		 headers;	/* extra "Name: value\r\n" lines */
	buf		 body;
	const char	*file_path;	/* stream this file as the body */
	int		 file_temporary;	/* remove it once sent */
	int		 done;		/* a response has been produced */
};

/* Who is asking, once authenticated (filled by the identity layer). */
struct identity {
	const char	*tenant_id;
	const char	*tenant_name;
	const char	*tenant_slug;
	const char	*user_id;
	const char	*user_name;
	const char	*user_email;
	const char	*session_id;
	const char	*token_id;
	enum access	 role;
	int		 api_write;	/* a token with write scope */
};

struct request {
	arena			*arena;
	struct worker		*w;
	char			**env;		/* FastCGI parameters */
	const char		*method;
	const char		*path;
	const char		*query_string;
	const char		*remote_addr;
	const char		*media_type;	/* of the body, lower case */
	int			 is_head;
	int			 is_api;
	const char		*body;
	size_t			 body_len;
	struct kvlist		 query;
	struct kvlist		 form;
	struct kvlist		 cookies;
	struct uploads		 files;
	json_t			*json;		/* owned; released at the end */
	struct route_match	 match;
	int			 lang;		/* lang_id */
	struct identity		 id;
	const char		*csrf_token;
	struct response		 res;
};

/* A FastCGI parameter (CGI variable), or NULL. */
const char	*http_env(const struct request *, const char *name);
/* A request header by its HTTP name ("Accept-Language"), or NULL. */
const char	*http_header(const struct request *, const char *name);
/* The n-th route parameter, copied into the arena. */
const char	*http_param(const struct request *, size_t n);
/* The same, or NULL unless it is a UUID (ids in URLs: a malformed one is
 * a 404 like any unknown id). */
const char	*http_param_uuid(const struct request *, size_t n);
const char	*http_query(const struct request *, const char *name);
const char	*http_form(const struct request *, const char *name);
const char	*http_cookie(const struct request *, const char *name);

/* Response building.  Each returns 0, or 500 when memory ran out, so a
 * handler may end with `return http_html(...)`. */
int		 http_add_header(struct request *, const char *name,
		    const char *value);
int		 http_body(struct request *, int status, const char *type,
		    const char *data, size_t len);
int		 http_redirect(struct request *, int status, const char *to);
int		 http_file(struct request *, const char *path,
		    const char *type, const char *download_name);
/* Percent-encode everything but unreserved characters and '/'. */
const char	*http_url_encode(arena *, const char *);
/* The reason phrase for a status. */
const char	*http_reason(int status);

/* The catalogue's string at key in the request's language; the key
 * itself without a worker (unit tests of parsing). */
const char	*tr(const struct request *, const char *key);

#endif
