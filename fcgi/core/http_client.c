#include <curl/curl.h>
#include <ctype.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http_client.h"

#define USER_AGENT	"FleetCore"

void
http_policy_default(struct http_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->connect_timeout = 10;
	p->timeout = 30;
	p->max_bytes = 16 * 1024 * 1024;
	p->max_attempts = 5;
	p->base_delay_ms = 1000;
	p->max_delay_ms = 30000;
}

void
http_response_init(struct http_response *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->body);
	buf_init(&r->cookies);
}

void
http_response_free(struct http_response *r)
{
	buf_free(&r->body);
	buf_free(&r->cookies);
}

/* ---- the policy ------------------------------------------------------- */

int
http_retryable(long status)
{
	return status == 0 || status == 408 || status == 429 ||
	    (status >= 500 && status <= 599);
}

long
http_backoff_ms(const struct http_policy *p, int attempts_made,
    long retry_after_ms, unsigned int random)
{
	long	step = p->base_delay_ms, half;
	int	i;

	for (i = 1; i < attempts_made && step < p->max_delay_ms; i++)
		step *= 2;
	if (step > p->max_delay_ms)
		step = p->max_delay_ms;
	/* Half fixed, half chance: clients that failed together do not all
	 * come back at the same instant. */
	half = step / 2;
	step = half + (half > 0 ? (long)(random % (unsigned long)(half + 1)) :
	    0);
	return retry_after_ms > step ? retry_after_ms : step;
}

static int
month_of(const char *s)
{
	static const char	months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char		*p;

	if (strlen(s) < 3)
		return -1;
	for (p = months; *p != '\0'; p += 3)
		if (strncmp(p, s, 3) == 0)
			return (int)(p - months) / 3;
	return -1;
}

/* "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
 * "Sun Nov  6 08:49:37 1994": the three forms of RFC 9110 §5.6.7. */
static int
parse_http_date(const char *s, time_t *out)
{
	struct tm	tm;
	char		mon[4] = "", zone[4] = "";
	int		d, y, h, mi, sec;
	const char	*comma = strchr(s, ',');

	memset(&tm, 0, sizeof(tm));
	if (comma != NULL && sscanf(comma + 1, " %2d %3s %4d %2d:%2d:%2d %3s",
	    &d, mon, &y, &h, &mi, &sec, zone) == 7 && strcmp(zone, "GMT") == 0)
		;
	else if (comma != NULL && sscanf(comma + 1, " %2d-%3s-%2d %2d:%2d:%2d "
	    "%3s", &d, mon, &y, &h, &mi, &sec, zone) == 7 &&
	    strcmp(zone, "GMT") == 0)
		y += y < 70 ? 2000 : 1900;
	else if (comma == NULL && sscanf(s, "%*3s %3s %2d %2d:%2d:%2d %4d", mon,
	    &d, &h, &mi, &sec, &y) == 6)
		;
	else
		return -1;
	if ((tm.tm_mon = month_of(mon)) < 0 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60 || y < 1970)
		return -1;
	tm.tm_mday = d;
	tm.tm_year = y - 1900;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = timegm(&tm);
	return 0;
}

long
http_parse_retry_after(const char *v, time_t now)
{
	char	*end;
	long	 secs;
	time_t	 at;

	if (v == NULL)
		return -1;
	while (*v == ' ' || *v == '\t')
		v++;
	if (isdigit((unsigned char)*v)) {
		errno = 0;
		secs = strtol(v, &end, 10);
		while (*end == ' ' || *end == '\t' || *end == '\r' ||
		    *end == '\n')
			end++;
		if (errno != 0 || *end != '\0' || secs > 86400L * 30)
			return -1;
		return secs * 1000;
	}
	if (parse_http_date(v, &at) == -1)
		return -1;
	return at <= now ? 0 : (long)(at - now) * 1000;
}

static void
form_escape(buf *b, const char *s)
{
	static const char	hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char	c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
			buf_putc(b, c);
		else if (c == ' ')
			buf_putc(b, '+');
		else {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
}

void
http_form_add(buf *b, const char *name, const char *value)
{
	if (b->len > 0)
		buf_putc(b, '&');
	form_escape(b, name);
	buf_putc(b, '=');
	form_escape(b, value ? value : "");
}

/* ---- one attempt ---------------------------------------------------------- */

struct attempt {
	const struct http_policy	*p;
	struct http_response		*resp;
	long				 retry_after_ms;
	int				 too_big;
	int				 refused;	/* address_ok said no */
	int				 stopped;
	time_t				 now;
};

static size_t
on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct attempt	*a = ctx;
	size_t		 n = size * nmemb;

	if (a->resp->body.len + n > a->p->max_bytes) {
		a->too_big = 1;
		return 0;	/* CURLE_WRITE_ERROR */
	}
	if (buf_append(&a->resp->body, data, n) == -1)
		return 0;
	return n;
}

/* "Name: value" of a header line, when it is name (case aside). */
static const char *
header_value(const char *line, size_t n, const char *name, char *out,
    size_t outlen)
{
	size_t	k = strlen(name), v;

	if (n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':')
		return NULL;
	line += k + 1;
	n -= k + 1;
	while (n > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		n--;
	}
	while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == '\n' ||
	    line[n - 1] == ' '))
		n--;
	v = n < outlen ? n : outlen - 1;
	memcpy(out, line, v);
	out[v] = '\0';
	return out;
}

static size_t
on_header(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct attempt	*a = ctx;
	size_t		 n = size * nmemb;
	char		 v[1024];

	/* A new status line (a 100 Continue before the answer): start over. */
	if (n > 5 && strncmp(data, "HTTP/", 5) == 0) {
		a->retry_after_ms = -1;
		a->resp->content_type[0] = a->resp->location[0] = '\0';
		buf_clear(&a->resp->cookies);
		return n;
	}
	if (header_value(data, n, "Retry-After", v, sizeof(v)) != NULL)
		a->retry_after_ms = http_parse_retry_after(v, a->now);
	else if (header_value(data, n, "Content-Type", a->resp->content_type,
	    sizeof(a->resp->content_type)) != NULL ||
	    header_value(data, n, "Location", a->resp->location,
	    sizeof(a->resp->location)) != NULL)
		;
	else if (header_value(data, n, "Set-Cookie", v, sizeof(v)) != NULL) {
		if (a->resp->cookies.len > 0)
			buf_putc(&a->resp->cookies, '\n');
		buf_puts(&a->resp->cookies, v);
	}
	return n;
}

static int
on_progress(void *ctx, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	struct attempt	*a = ctx;

	(void)dt;
	(void)dn;
	(void)ut;
	(void)un;
	if (a->p->stop != NULL && a->p->stop(a->p->ctx) != 0)
		a->stopped = 1;
	return a->stopped;
}

static curl_socket_t
on_open_socket(void *ctx, curlsocktype purpose, struct curl_sockaddr *addr)
{
	struct attempt	*a = ctx;

	(void)purpose;
	if (a->p->address_ok != NULL && !a->p->address_ok(&addr->addr)) {
		a->refused = 1;
		return CURL_SOCKET_BAD;
	}
	return socket(addr->family, addr->socktype, addr->protocol);
}

int
http_curl_init(void)
{
	static int	done;

	/* curl_global_init is not thread-safe; every process here is
	 * single-threaded and calls this before its first transfer. */
	if (!done && curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK)
		done = 1;
	return done ? 0 : -1;
}

int
http_curl_common(CURL *c, int connect_timeout, int timeout, size_t max_bytes)
{
	int	rc = 0;

	rc |= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)connect_timeout);
	rc |= curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)timeout);
	/* No SIGALRM for DNS timeouts: the processes own their signals. */
	rc |= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	/* "" = no proxy, whatever http_proxy/https_proxy say. */
	rc |= curl_easy_setopt(c, CURLOPT_PROXY, "");
	rc |= curl_easy_setopt(c, CURLOPT_USERAGENT, USER_AGENT);
	rc |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	rc |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	rc |= curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_bytes);
	rc |= curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	return rc;
}

/* One handle is kept so that its connections are reused from request to
 * request (a paged read makes thousands). */
static CURL *
handle(void)
{
	static CURL	*cached;

	if (http_curl_init() == -1)
		return NULL;
	if (cached == NULL)
		cached = curl_easy_init();
	else
		curl_easy_reset(cached);
	return cached;
}

static struct curl_slist *
header_list(const struct http_request *rq, int *failed)
{
	struct curl_slist	*h = NULL, *n;
	char			 line[256];
	size_t			 i, len;
	char			*auth;

	*failed = 0;
	if (rq->content_type != NULL) {
		snprintf(line, sizeof(line), "Content-Type: %s",
		    rq->content_type);
		if ((h = curl_slist_append(h, line)) == NULL)
			goto oom;
	}
	/* No "Expect: 100-continue" pause before a body. */
	if ((n = curl_slist_append(h, "Expect:")) == NULL)
		goto oom;
	h = n;
	for (i = 0; rq->headers != NULL && rq->headers[i] != NULL; i++) {
		if ((n = curl_slist_append(h, rq->headers[i])) == NULL)
			goto oom;
		h = n;
	}
	if (rq->authorization != NULL) {
		len = strlen("Authorization: ") + strlen(rq->authorization) + 1;
		if ((auth = malloc(len)) == NULL)
			goto oom;
		snprintf(auth, len, "Authorization: %s", rq->authorization);
		n = curl_slist_append(h, auth);
		sodium_memzero(auth, len);
		free(auth);
		if (n == NULL)
			goto oom;
		h = n;
	}
	return h;
oom:
	curl_slist_free_all(h);
	*failed = 1;
	return NULL;
}

static int
set_options(CURL *c, const struct http_request *rq, struct attempt *a,
    struct curl_slist *headers, char *errbuf)
{
	const struct http_policy	*p = a->p;
	int				 rc = 0;

	rc |= curl_easy_setopt(c, CURLOPT_URL, rq->url);
	rc |= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	rc |= curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	rc |= http_curl_common(c, p->connect_timeout, p->timeout, p->max_bytes);
	rc |= curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	rc |= curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, rq->method);
	if (rq->content_type != NULL) {
		rc |= curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)rq->body_len);
		rc |= curl_easy_setopt(c, CURLOPT_POSTFIELDS,
		    rq->body ? rq->body : "");
	} else if (strcmp(rq->method, "GET") == 0)
		rc |= curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	rc |= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	rc |= curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
	rc |= curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	rc |= curl_easy_setopt(c, CURLOPT_HEADERDATA, a);
	rc |= curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	rc |= curl_easy_setopt(c, CURLOPT_XFERINFODATA, a);
	rc |= curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	rc |= curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
	rc |= curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, a);
	rc |= curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	return rc;
}

/* "POST host/path" of a url: no query, no credentials. */
static void
where(const struct http_request *rq, char *out, size_t outlen)
{
	const char	*u = strstr(rq->url, "://");
	size_t		 n;

	u = u != NULL ? u + 3 : rq->url;
	if (strchr(u, '@') != NULL && strchr(u, '@') < u + strcspn(u, "/?#"))
		u = strchr(u, '@') + 1;
	n = strcspn(u, "?#");
	snprintf(out, outlen, "%s %.*s", rq->method, (int)(n > 300 ? 300 : n),
	    u);
}

/* A transport failure's outcome, without retrying: HTTP_CONFIG for what
 * another attempt cannot change, HTTP_TRANSIENT for the rest. */
static enum http_result
transport_result(const struct attempt *a, CURLcode code)
{
	if (a->stopped || code == CURLE_ABORTED_BY_CALLBACK)
		return HTTP_STOPPED;
	if (a->refused || a->too_big || code == CURLE_FILESIZE_EXCEEDED)
		return HTTP_CONFIG;
	switch (code) {
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		return HTTP_CONFIG;
	default:
		return HTTP_TRANSIENT;
	}
}

static void
describe(const struct http_request *rq, const struct attempt *a,
    CURLcode code, const char *errbuf, struct http_response *resp)
{
	char	w[400];

	where(rq, w, sizeof(w));
	if (a->refused)
		snprintf(resp->detail, sizeof(resp->detail), "%.400s: address "
		    "not allowed", w);
	else if (a->too_big || code == CURLE_FILESIZE_EXCEEDED)
		snprintf(resp->detail, sizeof(resp->detail), "%.400s: answer "
		    "larger than %zu bytes", w, a->p->max_bytes);
	else if (code != CURLE_OK)
		snprintf(resp->detail, sizeof(resp->detail), "%.300s: curl error "
		    "%d (%.60s)%s%.100s after %d attempt(s)", w, (int)code,
		    curl_easy_strerror(code), *errbuf ? ": " : "", errbuf,
		    resp->attempts);
	else
		snprintf(resp->detail, sizeof(resp->detail), "%.400s: HTTP %ld "
		    "after %d attempt(s)", w, resp->status, resp->attempts);
}

/* One attempt: 0 with resp->status (0 when no answer came) and *code. */
static int
attempt(const struct http_request *rq, struct attempt *a, CURLcode *code,
    char *errbuf)
{
	struct curl_slist	*headers;
	CURL			*c;
	int			 failed;

	buf_clear(&a->resp->body);
	buf_clear(&a->resp->cookies);
	a->resp->status = 0;
	a->retry_after_ms = -1;
	a->too_big = a->refused = 0;
	errbuf[0] = '\0';
	headers = header_list(rq, &failed);
	if (failed || (c = handle()) == NULL ||
	    set_options(c, rq, a, headers, errbuf) != 0) {
		curl_slist_free_all(headers);
		*code = CURLE_FAILED_INIT;
		return -1;
	}
	*code = curl_easy_perform(c);
	if (*code == CURLE_OK && curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE,
	    &a->resp->status) != CURLE_OK)
		a->resp->status = 0;
	/* The handle is kept for its connections, not for our headers. */
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	curl_slist_free_all(headers);
	return 0;
}

static int
real_sleep(long ms)
{
	struct timespec	ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
	return 0;
}

/* Wait before the next attempt; non-zero when asked to stop. */
static int
pause_for(const struct http_policy *p, long ms)
{
	long	step;

	if (p->sleep_ms != NULL)
		return p->sleep_ms(p->ctx, ms);
	/* In steps, so that a cancel is seen while waiting. */
	for (; ms > 0; ms -= step) {
		step = ms > 1000 ? 1000 : ms;
		real_sleep(step);
		if (p->stop != NULL && p->stop(p->ctx) != 0)
			return 1;
	}
	return 0;
}

static enum http_result
finish(struct http_response *resp, enum http_result r)
{
	resp->result = r;
	return r;
}

enum http_result
http_send(const struct http_policy *p, const struct http_request *rq,
    struct http_response *resp)
{
	struct attempt	 a = { p, resp, -1, 0, 0, 0, 0 };
	char		 errbuf[CURL_ERROR_SIZE];
	CURLcode	 code = CURLE_OK;
	enum http_result r;
	long		 delay;
	unsigned int	 chance;

	http_response_init(resp);
	for (;;) {
		a.now = p->now != NULL ? p->now(p->ctx) : time(NULL);
		resp->attempts++;
		if (attempt(rq, &a, &code, errbuf) == -1) {
			describe(rq, &a, code, errbuf, resp);
			return finish(resp, HTTP_TRANSIENT);
		}
		if (code != CURLE_OK) {
			r = transport_result(&a, code);
			if (r != HTTP_TRANSIENT)
				break;
		} else if (resp->status >= 200 && resp->status <= 299) {
			r = HTTP_OK;
			break;
		} else if (!http_retryable(resp->status)) {
			r = HTTP_CONFIG;
			break;
		}
		r = HTTP_TRANSIENT;
		if (resp->attempts >= p->max_attempts)
			break;
		/* A server asking for longer than we would wait: later, by
		 * the job's own retry. */
		if (a.retry_after_ms > p->max_delay_ms)
			break;
		chance = p->random != NULL ? p->random(p->ctx) :
		    randombytes_random();
		delay = http_backoff_ms(p, resp->attempts, a.retry_after_ms,
		    chance);
		resp->waited_ms += delay;
		if (pause_for(p, delay) != 0) {
			r = HTTP_STOPPED;
			break;
		}
	}
	describe(rq, &a, code, errbuf, resp);
	if (r == HTTP_TRANSIENT && a.retry_after_ms > p->max_delay_ms)
		snprintf(resp->detail + strlen(resp->detail),
		    sizeof(resp->detail) - strlen(resp->detail),
		    "; Retry-After %ld s", a.retry_after_ms / 1000);
	return finish(resp, r);
}
