/* The address a file source may fetch its file from (a pure function, so
 * that the form, the API and the fetcher apply the same rule).
 *
 * The rule: https:// to any host; http:// only to the local machine
 * (127.0.0.1, localhost, [::1]) — a file served by the same machine never
 * crosses a network, and tests serve their files that way.  In
 * production the fetcher connects only to public addresses (below), so
 * the local and internal cases are for development and tests.  No user:password@ in the address (credentials
 * go in the secret « En-tête d'autorisation », which is sealed and
 * masked; an address is shown as typed), no spaces or control
 * characters. */
#ifndef FC_FETCH_URL_H
#define FC_FETCH_URL_H

#include <stddef.h>
#include <sys/socket.h>

#define FETCH_URL_MAX	2000

/* NULL when url may be fetched, else the catalogue key of the reason
 * ("valid.sources.url_scheme"), as a form field's check returns it. */
const char	*fetch_url_check(const char *url);
/* NULL when value may be sent as a header value (printable, no CR or
 * LF that would start another header), else the key of the reason. */
const char	*fetch_header_check(const char *value);
/* The French of a reason above, for what the fetcher records; the key
 * itself when it is none of them. */
const char	*fetch_url_french(const char *key);
/* The host of an accepted url into out ("" when none), for support
 * details: never the path or query, which may carry a token. */
void		 fetch_url_host(const char *url, char *out, size_t outlen);
/* The last segment of the path (no query), "fichier" when there is
 * none: the run's file name. */
void		 fetch_url_file_name(const char *url, char *out, size_t outlen);
/* 1 when addr is a public unicast address; 0 for the machine itself, the
 * private, shared, link-local (cloud metadata), multicast, reserved and
 * unspecified ranges of IPv4 and IPv6 (IPv4-mapped IPv6 is judged as
 * IPv4).  The name of a host is checked where it leads, at every
 * connection, so that neither DNS nor a redirect can reach inside. */
int		 fetch_address_is_public(const struct sockaddr *addr);

#endif
