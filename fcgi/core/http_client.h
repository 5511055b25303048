/* Outbound HTTP requests to outside services (DESIGN §3 « Outside
 * services », §5), through libcurl.  Knows nothing of fleets.
 *
 * One call, http_send(), makes a request and its retries:
 *   - every attempt has a connect timeout and a total timeout; the
 *     answer's body is capped (a larger one is refused, never cut);
 *   - TLS is verified (peer and host); no proxy is taken from the
 *     environment; redirects are not followed (a 3xx is an answer);
 *   - 429, 5xx, 408, timeouts and connection errors are retried with
 *     exponential backoff and jitter, honouring Retry-After (seconds or
 *     an HTTP date), up to policy.max_attempts; any other 4xx is never
 *     retried;
 *   - every connection is checked, after DNS, by policy.address_ok when
 *     it is set (a caller's rule of which addresses it may reach).
 *
 * The outcome (http_response.result):
 *   HTTP_OK         a 2xx answer;
 *   HTTP_CONFIG     an answer the same request will always get (other 4xx,
 *                   3xx), a refused address, a bad certificate, a body
 *                   over the cap: something must change;
 *   HTTP_TRANSIENT  still 429/5xx/timeouts after the last attempt, or a
 *                   Retry-After longer than policy.max_delay_ms: try later;
 *   HTTP_STOPPED    policy.stop asked to stop (cancel, shutdown).
 * The status and the body are there whatever the result (the caller
 * may read a 401 or an error envelope).  detail says, for support, the
 * method, host and path (never the query, never a header value), the
 * status or curl's error and the attempts made: never a secret.
 *
 * Time and chance are injectable (policy.sleep_ms, now, random), so that
 * unit tests follow the schedule without waiting. */
#ifndef FC_HTTP_CLIENT_H
#define FC_HTTP_CLIENT_H

#include <curl/curl.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

#include "buf.h"

enum http_result {
	HTTP_OK,
	HTTP_CONFIG,
	HTTP_TRANSIENT,
	HTTP_STOPPED,
};

struct http_policy {
	int		 connect_timeout;	/* seconds, each attempt */
	int		 timeout;		/* seconds, each attempt */
	size_t		 max_bytes;		/* body cap */
	int		 max_attempts;		/* >= 1 */
	long		 base_delay_ms;		/* before the 2nd attempt */
	long		 max_delay_ms;		/* cap of one wait */
	/* 1 when a connection to addr is allowed; NULL: any. */
	int		(*address_ok)(const struct sockaddr *addr);
	/* Waits ms; non-zero stops (the request ends HTTP_STOPPED).  NULL:
	 * nanosleep. */
	int		(*sleep_ms)(void *ctx, long ms);
	/* The clock for HTTP-date Retry-After.  NULL: time(). */
	time_t		(*now)(void *ctx);
	/* Chance for the jitter.  NULL: libsodium's randombytes. */
	unsigned int	(*random)(void *ctx);
	/* Called about once a second during a transfer; non-zero stops. */
	int		(*stop)(void *ctx);
	void		*ctx;
};

struct http_request {
	const char		*method;	/* "GET", "POST" */
	const char		*url;
	const char		*content_type;	/* NULL: no body */
	const char		*body;
	size_t			 body_len;
	/* The Authorization header's value ("Bearer …", "Basic …"), or
	 * NULL.  Sent only to the host of url; never logged or shown. */
	const char		*authorization;
	/* More header lines ("Accept: application/json"), NULL-ended, or
	 * NULL.  Their values are not shown in detail either. */
	const char *const	*headers;
};

struct http_response {
	enum http_result	 result;
	long			 status;	/* 0: no answer */
	buf			 body;		/* the last answer's */
	char			 content_type[128];
	char			 location[1024];	/* of a 3xx, else "" */
	/* Set-Cookie lines of the last answer, "\n" between them. */
	buf			 cookies;
	int			 attempts;
	long			 waited_ms;	/* slept between attempts */
	char			 detail[512];
};

/* Sensible defaults: 10 s connect, 30 s total, 16 MiB, 5 attempts,
 * 1 s doubling to at most 30 s. */
void	http_policy_default(struct http_policy *);
void	http_response_init(struct http_response *);
void	http_response_free(struct http_response *);

/* The request and its retries; the outcome in *resp (initialised here;
 * free it after).  Returns resp->result. */
enum http_result http_send(const struct http_policy *,
	    const struct http_request *, struct http_response *);

/* For a caller that drives libcurl itself (a file streamed to disk):
 * curl's global set-up, once per process (0 or -1), and the options
 * every transfer has — connect and total timeouts, no signals, no proxy
 * from the environment, TLS verified, the size cap, compressed answers
 * accepted (non-zero when one was refused). */
int	http_curl_init(void);
int	http_curl_common(CURL *, int connect_timeout, int timeout,
	    size_t max_bytes);

/* ---- the policy's pieces, pure (unit-tested) --------------------------- */

/* Whether an answer (status > 0) or a transport failure (status 0) is
 * worth another attempt: 429, 408, 5xx and transport failures are. */
int	http_retryable(long status);
/* Milliseconds to wait before attempt n+1 (n >= 1 attempts made): the
 * exponential step base·2^(n-1) capped at max, half of it fixed and half
 * chosen by random (jitter); at least retry_after_ms when that is >= 0. */
long	http_backoff_ms(const struct http_policy *, int attempts_made,
	    long retry_after_ms, unsigned int random);
/* A Retry-After value (delta seconds, or an IMF-fixdate / RFC 850 /
 * asctime date) in milliseconds from now, 0 for a date already past,
 * -1 when absent or unreadable. */
long	http_parse_retry_after(const char *value, time_t now);
/* application/x-www-form-urlencoded pairs: appends "&name=value" (no
 * "&" first) with both escaped. */
void	http_form_add(buf *, const char *name, const char *value);

#endif
