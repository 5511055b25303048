/* Parsing of what a client sends: query string, urlencoded and JSON
 * bodies, cookies.  Every parser works on plain memory so that unit tests
 * and fuzzers drive it without a server.  Everything is allocated from the
 * request arena. */
#ifndef FC_REQUEST_H
#define FC_REQUEST_H

#include <stddef.h>
#include <jansson.h>

#include "arena.h"

struct kv {
	const char	*name;
	const char	*value;	/* NUL-terminated, valid UTF-8 */
	size_t		 len;
};

struct kvlist {
	struct kv	*v;
	size_t		 n;
	size_t		 cap;
};

struct req_limits {
	size_t		 max_fields;	/* names per query, form or cookie header */
	size_t		 max_name;	/* bytes in one name */
	size_t		 max_value;	/* bytes in one value */
	size_t		 max_body;	/* bytes in a body */
	size_t		 max_upload;	/* bytes in a body of a ROUTE_UPLOAD */
	size_t		 max_files;	/* file parts in a multipart body */
	size_t		 max_parts;	/* parts of any kind */
	size_t		 memory_part;	/* parts larger than this go to disk */
	size_t		 max_json_depth;
	const char	*spool_dir;	/* where large parts are written */
};

/* Why a request was refused: an HTTP status and a message for the user
 * (French, safe to show). */
struct req_error {
	int		 status;
	const char	*message;
};

extern const struct req_limits req_default_limits;

/* 0 on success; -1 with err set. */
int		 req_parse_urlencoded(arena *, const char *, size_t,
		    const struct req_limits *, struct kvlist *,
		    struct req_error *);
int		 req_parse_cookies(arena *, const char *,
		    const struct req_limits *, struct kvlist *,
		    struct req_error *);
int		 req_parse_json(arena *, const char *, size_t,
		    const struct req_limits *, json_t **, struct req_error *);

int		 kvlist_add(arena *, struct kvlist *, const char *,
		    const char *, size_t);
/* The first value of name, or NULL. */
const char	*kvlist_get(const struct kvlist *, const char *);

/* Decode %XX and, when plus_is_space, '+'; returns the decoded length or
 * -1 on a malformed escape.  dst may equal src. */
long		 req_percent_decode(char *dst, const char *src, size_t n,
		    int plus_is_space);

/* The media type of a Content-Type value, lower-cased, without parameters,
 * and the named parameter's value (quotes removed), or NULL. */
const char	*req_media_type(arena *, const char *content_type);
const char	*req_header_param(arena *, const char *header,
		    const char *name);

#endif
