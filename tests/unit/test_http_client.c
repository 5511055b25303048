/* Unit tests of the outbound HTTP client's retry policy
 * (fcgi/core/http_client.c): which answers are retried, the backoff and
 * its jitter, Retry-After in both forms, and whole requests against a
 * scripted server on 127.0.0.1 (a child process) with the sleep and the
 * chance injected, so that the schedule is checked without waiting. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "http_client.h"

/* ---- pure pieces ------------------------------------------------------- */

static void
test_retryable(void **state)
{
	static const long	yes[] = { 0, 408, 429, 500, 502, 503, 504, 599 };
	static const long	no[] = { 200, 204, 301, 307, 400, 401, 403, 404,
				    409, 410, 422, 498 };
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(http_retryable(yes[i]));
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(http_retryable(no[i]));
}

static void
test_backoff(void **state)
{
	struct http_policy	p;
	long			d;
	int			n;

	(void)state;
	http_policy_default(&p);
	p.base_delay_ms = 1000;
	p.max_delay_ms = 8000;
	/* Chance 0: the fixed half of each step; max chance: the whole. */
	assert_int_equal(http_backoff_ms(&p, 1, -1, 0), 500);
	assert_int_equal(http_backoff_ms(&p, 1, -1, 500), 1000);
	assert_int_equal(http_backoff_ms(&p, 2, -1, 0), 1000);
	assert_int_equal(http_backoff_ms(&p, 3, -1, 0), 2000);
	assert_int_equal(http_backoff_ms(&p, 4, -1, 4000), 8000);
	/* Capped, whatever the attempt. */
	for (n = 5; n < 40; n++) {
		d = http_backoff_ms(&p, n, -1, (unsigned int)n * 7919u);
		assert_true(d >= 4000 && d <= 8000);
	}
	/* Retry-After wins when longer, never shortens the wait. */
	assert_int_equal(http_backoff_ms(&p, 1, 5000, 0), 5000);
	assert_int_equal(http_backoff_ms(&p, 3, 100, 0), 2000);
	assert_int_equal(http_backoff_ms(&p, 1, 0, 0), 500);
}

static void
test_retry_after(void **state)
{
	/* Sun, 06 Nov 1994 08:49:37 GMT */
	time_t	now = 784111777;

	(void)state;
	assert_int_equal(http_parse_retry_after("120", now), 120000);
	assert_int_equal(http_parse_retry_after(" 0 ", now), 0);
	assert_int_equal(http_parse_retry_after(NULL, now), -1);
	assert_int_equal(http_parse_retry_after("", now), -1);
	assert_int_equal(http_parse_retry_after("12s", now), -1);
	assert_int_equal(http_parse_retry_after("-3", now), -1);
	assert_int_equal(http_parse_retry_after("99999999999999", now), -1);
	assert_int_equal(http_parse_retry_after(
	    "Sun, 06 Nov 1994 08:49:47 GMT", now), 10000);
	assert_int_equal(http_parse_retry_after(
	    "Sunday, 06-Nov-94 08:50:37 GMT", now), 60000);
	assert_int_equal(http_parse_retry_after(
	    "Sun Nov  6 08:49:57 1994", now), 20000);
	/* Past: now. */
	assert_int_equal(http_parse_retry_after(
	    "Sun, 06 Nov 1994 08:00:00 GMT", now), 0);
	assert_int_equal(http_parse_retry_after(
	    "Sun, 06 Foo 1994 08:00:00 GMT", now), -1);
	assert_int_equal(http_parse_retry_after(
	    "Sun, 06 Nov 1994 08:00:00 CET", now), -1);
}

static void
test_form(void **state)
{
	buf	b;

	(void)state;
	buf_init(&b);
	http_form_add(&b, "grant_type", "client_credentials");
	http_form_add(&b, "scope", "fleet-integration:api");
	http_form_add(&b, "client_secret", "a&b=c d+é");
	assert_string_equal(buf_cstr(&b), "grant_type=client_credentials"
	    "&scope=fleet-integration%3Aapi&client_secret=a%26b%3Dc+d%2B%C3%A9");
	buf_free(&b);
}

/* Outside services' endpoints: replaceable outside production only. */
static void
test_config_endpoints(void **state)
{
	struct config	c;
	char		err[256] = "";

	(void)state;
	setenv("FLEETCORE_BOLT_API_URL", "http://127.0.0.1:9/gw", 1);
	setenv("FLEETCORE_UBER_AUTH_URL", "http://127.0.0.1:9/token", 1);
	setenv("FLEETCORE_ENV", "test", 1);
	assert_int_equal(config_load(&c, err, sizeof(err)), 0);
	assert_string_equal(c.bolt_api_url, "http://127.0.0.1:9/gw");
	assert_string_equal(c.uber_auth_url, "http://127.0.0.1:9/token");
	assert_string_equal(c.bolt_auth_url, "https://oidc.bolt.eu/token");
	assert_string_equal(c.heetch_auth_url, "https://auth-gw.heetch.com");
	assert_string_equal(c.heetch_api_url, "https://driver.heetch.com");
	assert_string_equal(c.uber_api_url, "https://api.uber.com");
	/* In production another host is a configuration error, said at
	 * start, rather than a variable silently ignored. */
	unsetenv("FLEETCORE_ENV");
	assert_int_equal(config_load(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "FLEETCORE_BOLT_API_URL: fixed to "
	    "https://node.bolt.eu/fleet-integration-gateway"));
	unsetenv("FLEETCORE_BOLT_API_URL");
	unsetenv("FLEETCORE_UBER_AUTH_URL");
	assert_int_equal(config_load(&c, err, sizeof(err)), 0);
	assert_string_equal(c.bolt_api_url,
	    "https://node.bolt.eu/fleet-integration-gateway");
	assert_string_equal(c.uber_auth_url,
	    "https://login.uber.com/oauth/v2/token");
}

/* ---- a scripted server ------------------------------------------------------ */

struct server {
	pid_t	pid;
	int	port;
};

/* Read one request (headers and a Content-Length body). */
static void
read_request(int fd)
{
	char	b[8192];
	size_t	n = 0;
	ssize_t	k;
	char	*end, *cl;
	long	body;

	while (n < sizeof(b) - 1 && (k = read(fd, b + n, sizeof(b) - 1 - n)) > 0) {
		n += (size_t)k;
		b[n] = '\0';
		if ((end = strstr(b, "\r\n\r\n")) == NULL)
			continue;
		cl = strstr(b, "Content-Length:");
		body = cl ? strtol(cl + 15, NULL, 10) : 0;
		if ((long)(n - (size_t)(end + 4 - b)) >= body)
			return;
	}
}

/* Answers the i-th connection with answers[i] (a whole HTTP answer; a
 * "STALL" answer sleeps instead), then exits. */
static void
serve(int lfd, const char *const *answers)
{
	size_t	i;
	int	fd;

	for (i = 0; answers[i] != NULL; i++) {
		if ((fd = accept(lfd, NULL, NULL)) == -1)
			_exit(1);
		read_request(fd);
		if (strcmp(answers[i], "STALL") == 0)
			sleep(3);
		else if (write(fd, answers[i], strlen(answers[i])) < 0)
			_exit(1);
		close(fd);
	}
	_exit(0);
}

static struct server
server_start(const char *const *answers)
{
	struct sockaddr_in	a;
	socklen_t		len = sizeof(a);
	struct server		s = { -1, 0 };
	int			lfd, one = 1;

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(lfd >= 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(lfd, 16), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&a, &len), 0);
	s.port = ntohs(a.sin_port);
	if ((s.pid = fork()) == 0)
		serve(lfd, answers);
	close(lfd);
	return s;
}

static void
server_stop(struct server *s)
{
	int	st;

	kill(s->pid, SIGTERM);
	waitpid(s->pid, &st, 0);
}

/* The waits the client asked for. */
struct clock {
	long	slept[16];
	int	n;
	int	stop_at;	/* stop at this sleep (1-based), 0: never */
};

static int
fake_sleep(void *ctx, long ms)
{
	struct clock	*c = ctx;

	if (c->n < 16)
		c->slept[c->n] = ms;
	c->n++;
	return c->stop_at > 0 && c->n >= c->stop_at;
}

static unsigned int
no_chance(void *ctx)
{
	(void)ctx;
	return 0;
}

static time_t
fixed_now(void *ctx)
{
	(void)ctx;
	return 784111777;
}

static void
policy(struct http_policy *p, struct clock *c)
{
	http_policy_default(p);
	p->connect_timeout = 2;
	p->timeout = 1;
	p->max_attempts = 4;
	p->base_delay_ms = 1000;
	p->max_delay_ms = 60000;
	p->sleep_ms = fake_sleep;
	p->random = no_chance;
	p->now = fixed_now;
	p->ctx = c;
}

#define OK_JSON	"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" \
		"Content-Length: 11\r\nConnection: close\r\n\r\n{\"code\":0}\n"
#define S503	"HTTP/1.1 503 Unavailable\r\nContent-Length: 0\r\n" \
		"Connection: close\r\n\r\n"
#define S429	"HTTP/1.1 429 Too Many\r\nContent-Length: 0\r\n" \
		"Connection: close\r\n\r\n"
#define S429_RA	"HTTP/1.1 429 Too Many\r\nRetry-After: 7\r\n" \
		"Content-Length: 0\r\nConnection: close\r\n\r\n"
#define S429_DATE "HTTP/1.1 429 Too Many\r\nRetry-After: Sun, 06 Nov 1994 " \
		"08:49:52 GMT\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
#define S429_LONG "HTTP/1.1 429 Too Many\r\nRetry-After: 3600\r\n" \
		"Content-Length: 0\r\nConnection: close\r\n\r\n"
#define S401	"HTTP/1.1 401 Unauthorized\r\nContent-Length: 4\r\n" \
		"Connection: close\r\n\r\nnope"

static enum http_result
send_to(struct server *s, const struct http_policy *p, const char *path,
    struct http_response *resp)
{
	char			url[128];
	struct http_request	rq = { "POST", url, "application/json", "{}", 2,
				    "Bearer s3cr3t-t0ken", NULL };

	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", s->port, path);
	return http_send(p, &rq, resp);
}

/* A scripted server, a clock, a policy and an answer: each test's world. */
struct world {
	struct server		s;
	struct clock		c;
	struct http_policy	p;
	struct http_response	resp;
};

static void
start(struct world *w, const char *const *answers, int stop_at)
{
	memset(w, 0, sizeof(*w));
	w->s = server_start(answers);
	w->c.stop_at = stop_at;
	policy(&w->p, &w->c);
}

static void
finish(struct world *w)
{
	http_response_free(&w->resp);
	server_stop(&w->s);
}

static void
test_send_ok_after_5xx(void **state)
{
	static const char *const answers[] = { S503, S503, OK_JSON, NULL };
	struct world		 w;

	(void)state;
	start(&w, answers, 0);
	assert_int_equal(send_to(&w.s, &w.p, "/v1/x?token=abc", &w.resp), HTTP_OK);
	assert_int_equal(w.resp.status, 200);
	assert_int_equal(w.resp.attempts, 3);
	assert_string_equal(buf_cstr(&w.resp.body), "{\"code\":0}\n");
	assert_string_equal(w.resp.content_type, "application/json");
	/* 1 s then 2 s halves: the jitter's fixed part. */
	assert_int_equal(w.c.n, 2);
	assert_int_equal(w.c.slept[0], 500);
	assert_int_equal(w.c.slept[1], 1000);
	/* The detail names the path, never the query or the token. */
	assert_non_null(strstr(w.resp.detail, "/v1/x"));
	assert_null(strstr(w.resp.detail, "token"));
	assert_null(strstr(w.resp.detail, "s3cr3t"));
	finish(&w);
}

static void
test_send_gives_up_transient(void **state)
{
	static const char *const answers[] = { S503, S429, S503, S503, NULL };
	struct world		 w;

	(void)state;
	start(&w, answers, 0);
	assert_int_equal(send_to(&w.s, &w.p, "/y", &w.resp), HTTP_TRANSIENT);
	assert_int_equal(w.resp.status, 503);
	assert_int_equal(w.resp.attempts, 4);
	assert_int_equal(w.c.n, 3);
	assert_non_null(strstr(w.resp.detail, "HTTP 503 after 4 attempt(s)"));
	finish(&w);
}

static void
test_send_4xx_never_retried(void **state)
{
	static const char *const answers[] = { S401, NULL };
	struct world		 w;

	(void)state;
	start(&w, answers, 0);
	assert_int_equal(send_to(&w.s, &w.p, "/z", &w.resp), HTTP_CONFIG);
	assert_int_equal(w.resp.status, 401);
	assert_int_equal(w.resp.attempts, 1);
	assert_int_equal(w.c.n, 0);
	assert_string_equal(buf_cstr(&w.resp.body), "nope");
	finish(&w);
}

static void
test_send_retry_after(void **state)
{
	static const char *const answers[] = { S429_RA, S429_DATE, OK_JSON,
					    NULL };
	struct world		 w;

	(void)state;
	start(&w, answers, 0);
	assert_int_equal(send_to(&w.s, &w.p, "/r", &w.resp), HTTP_OK);
	assert_int_equal(w.c.n, 2);
	assert_int_equal(w.c.slept[0], 7000);	/* delta seconds */
	assert_int_equal(w.c.slept[1], 15000);	/* the date, 15 s after now */
	assert_int_equal(w.resp.waited_ms, 22000);
	finish(&w);
}

static void
test_send_retry_after_too_long(void **state)
{
	static const char *const answers[] = { S429_LONG, NULL };
	struct world		 w;

	(void)state;
	start(&w, answers, 0);
	/* An hour is for the job's retry, not for a sleep in a request. */
	assert_int_equal(send_to(&w.s, &w.p, "/l", &w.resp), HTTP_TRANSIENT);
	assert_int_equal(w.resp.attempts, 1);
	assert_int_equal(w.c.n, 0);
	assert_non_null(strstr(w.resp.detail, "Retry-After 3600 s"));
	finish(&w);
}

static void
test_send_timeout_and_refused(void **state)
{
	static const char *const answers[] = { "STALL", NULL };
	struct world		 w;

	(void)state;
	start(&w, answers, 0);
	w.p.max_attempts = 1;
	assert_int_equal(send_to(&w.s, &w.p, "/slow", &w.resp), HTTP_TRANSIENT);
	assert_int_equal(w.resp.status, 0);
	assert_non_null(strstr(w.resp.detail, "curl error"));
	http_response_free(&w.resp);
	server_stop(&w.s);
	/* Nobody listens any more: connection errors are retried too. */
	policy(&w.p, &w.c);
	w.c.n = 0;
	w.p.max_attempts = 3;
	assert_int_equal(send_to(&w.s, &w.p, "/gone", &w.resp), HTTP_TRANSIENT);
	assert_int_equal(w.resp.attempts, 3);
	assert_int_equal(w.c.n, 2);
	http_response_free(&w.resp);
}

static void
test_send_stopped_while_waiting(void **state)
{
	static const char *const answers[] = { S503, NULL };
	struct world		 w;

	(void)state;
	start(&w, answers, 1);
	assert_int_equal(send_to(&w.s, &w.p, "/c", &w.resp), HTTP_STOPPED);
	assert_int_equal(w.resp.attempts, 1);
	finish(&w);
}

static int
refuse_all(const struct sockaddr *a)
{
	(void)a;
	return 0;
}

static void
test_send_address_refused(void **state)
{
	static const char *const answers[] = { OK_JSON, NULL };
	struct world		 w;

	(void)state;
	start(&w, answers, 0);
	w.p.address_ok = refuse_all;
	assert_int_equal(send_to(&w.s, &w.p, "/a", &w.resp), HTTP_CONFIG);
	assert_int_equal(w.resp.attempts, 1);
	assert_non_null(strstr(w.resp.detail, "address not allowed"));
	finish(&w);
}

static void
test_send_body_cap(void **state)
{
	static const char *const answers[] = { OK_JSON, NULL };
	struct world		 w;

	(void)state;
	start(&w, answers, 0);
	w.p.max_bytes = 5;
	assert_int_equal(send_to(&w.s, &w.p, "/big", &w.resp), HTTP_CONFIG);
	assert_int_equal(w.resp.attempts, 1);
	assert_non_null(strstr(w.resp.detail, "larger than 5 bytes"));
	finish(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retryable),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_config_endpoints),
		cmocka_unit_test(test_send_ok_after_5xx),
		cmocka_unit_test(test_send_gives_up_transient),
		cmocka_unit_test(test_send_4xx_never_retried),
		cmocka_unit_test(test_send_retry_after),
		cmocka_unit_test(test_send_retry_after_too_long),
		cmocka_unit_test(test_send_timeout_and_refused),
		cmocka_unit_test(test_send_stopped_while_waiting),
		cmocka_unit_test(test_send_address_refused),
		cmocka_unit_test(test_send_body_cap),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
