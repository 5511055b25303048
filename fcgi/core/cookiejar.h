/* The cookies an outbound client keeps between calls to one service (a
 * portal session): Set-Cookie answers in, a Cookie header out, and the
 * jar as JSON so that its owner can seal it like any secret.
 *
 * One jar serves one service whose hosts the caller chose, so Domain and
 * Path are not used to pick cookies: every live cookie is sent to that
 * service.  Names are RFC 7230 tokens, values RFC 6265 cookie-octets
 * (optionally in double quotes, which are kept out); anything else is
 * refused, so that nothing read from a server or pasted by a person can
 * put a separator, a control character or a line break into a header. */
#ifndef FC_COOKIEJAR_H
#define FC_COOKIEJAR_H

#include <stddef.h>
#include <jansson.h>

#define COOKIEJAR_MAX		16
#define COOKIE_NAME_MAX		64
#define COOKIE_VALUE_MAX	4096

struct cookie {
	char		 name[COOKIE_NAME_MAX + 1];
	char		 value[COOKIE_VALUE_MAX + 1];
	long long	 expires;	/* Unix seconds; 0: until the jar goes */
};

struct cookiejar {
	size_t		 n;
	struct cookie	 c[COOKIEJAR_MAX];
};

/* A Set-Cookie header's value at time now: stored, replacing the cookie
 * of the same name; a Max-Age <= 0 or an Expires in the past removes it.
 * Max-Age wins over Expires; an Expires that cannot be read is ignored
 * (RFC 6265 §5.2.1).  0, or -1 when the line is refused (bad name or
 * value, too long, jar full) with the jar unchanged. */
int		 cookiejar_set(struct cookiejar *, const char *line, size_t len,
		    long long now);
/* The value of a live cookie, or NULL. */
const char	*cookiejar_get(const struct cookiejar *, const char *name,
		    long long now);
/* "a=1; b=2" of the live cookies, NUL-terminated.  The length, or -1
 * when size is too small (out then holds ""). */
long		 cookiejar_header(const struct cookiejar *, long long now,
		    char *out, size_t size);
/* A Cookie header as a browser's tools show it ("a=1; b=2", "Cookie:"
 * in front allowed, surrounding blanks and line breaks ignored): every
 * pair replaces the jar's cookie of that name, without expiry.  0, or
 * -1 when a pair is malformed (jar unchanged). */
int		 cookiejar_paste(struct cookiejar *, const char *text, size_t len);
/* {"name": {"value": "…", "expires": N}, …} (expires absent when 0). */
json_t		*cookiejar_to_json(const struct cookiejar *);
/* The reverse; -1 on a shape or a value cookiejar_set would refuse. */
int		 cookiejar_from_json(struct cookiejar *, const json_t *);
/* "Sun, 06 Nov 1994 08:49:37 GMT" (and the "06-Nov-1994" and two-digit
 * year forms of old servers) to Unix seconds; -1 when unreadable. */
long long	 cookiejar_parse_date(const char *, size_t len);

#endif
