/* Fetching a file source's file over HTTP(S) with libcurl (the
 * project's library for outbound HTTP).
 *
 * The body streams to a file descriptor, never whole in memory, capped in
 * size; TLS is verified; redirects are followed a few times and only to
 * https; no proxy is taken from the environment; the transfer has a
 * connect timeout and a total timeout.  The outcome says what the user
 * must do (CONN_CONFIG: the address or the authorization must change),
 * what passes by itself (CONN_TRANSIENT: 5xx, 429, timeouts, DNS and
 * connection failures, retried by the job's rules) or that the caller
 * asked to stop (CONN_STOPPED).  Messages are French; details name the
 * host, the HTTP status or the curl error — never the Authorization
 * value, never the path or query of the address. */
#ifndef FC_FETCH_H
#define FC_FETCH_H

#include <stddef.h>
#include <jansson.h>

#include "connector.h"

#define FETCH_CONNECT_TIMEOUT	10	/* seconds */

struct fetch_options {
	int		 timeout;	/* seconds for the whole transfer */
	long long	 max_bytes;	/* larger bodies are refused */
	/* Called about once a second while waiting or receiving, with the
	 * bytes received so far; non-zero stops the transfer (cancelled,
	 * runner stopping).  May be NULL. */
	int		(*progress)(void *ctx, size_t bytes);
	void		*ctx;
	/* 0 in production: connect only to public addresses, whatever the
	 * host's name or a redirect says (fetch_address_is_public). */
	int		 allow_internal;
	/* > 0: only the file's first head_bytes, cut after its last whole
	 * line (a check reads a sample; the rest is not waited for). */
	long long	 head_bytes;
};

/* The address a configuration names, or NULL (blank counts as none). */
const char	*fetch_source_url(const json_t *config);

/* GET url into fd (written from its current offset), sending
 * "Authorization: <authorization>" when that is not NULL.  *bytes: the
 * body's size.  out->result tells how it went. */
void		 fetch_to_fd(const char *url, const char *authorization,
		    const struct fetch_options *, int fd, size_t *bytes,
		    struct connector_outcome *out);

/* The file a configuration names (its "url", with its "authorization"
 * opened into config), into an unnamed temporary file under dir.  The
 * descriptor positioned at the start, or -1 with out telling why. */
int		 fetch_source(const json_t *config, const char *dir,
		    const struct fetch_options *, size_t *bytes,
		    struct connector_outcome *out);

#endif
