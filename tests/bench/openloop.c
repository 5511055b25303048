/* An open-loop load generator: requests leave at a fixed rate, by the
 * clock, whatever the answers do, and each latency counts from the time
 * its request was due, not from when a connection was free to send it.
 * wrk waits for an answer before the next request on a connection, so a
 * slow answer delays the requests behind it without their waiting being
 * measured; this one does not (Debian has no wrk2).
 *
 *   openloop -r RATE -d SECONDS [-c MAXCONN] [-H HEADER]... URL
 *
 * Prints one line: offered and achieved rate, p50, p90, p99, p99.9, max,
 * non-2xx and failed requests, and how many left more than a millisecond
 * after they were due (every connection busy, or this process not given
 * the processor in time: the wait counts in their latency either way).  The first second warms the connections
 * up (TLS handshakes) and is not counted.  The certificate is not
 * checked: this measures a private stack on localhost. */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONN	512
#define MAX_HEADERS	16
#define WARMUP		1.0

struct slot {
	CURL	*easy;
	double	 due;	/* when its request was due, or < 0 when idle */
};

struct run {
	const char		*url;
	double			 rate, seconds;
	int			 nconn, nhdr;
	const char		*hdr[MAX_HEADERS];
	struct curl_slist	*headers;
	CURLM			*multi;
	struct slot		 slots[MAX_CONN];
	double			*lat;
	size_t			 nlat, caplat;
	long			 non2xx, failed, late, connects;
};

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t
discard(char *p, size_t size, size_t n, void *u)
{
	(void)p;
	(void)u;
	return size * n;
}

static int
usage(void)
{
	fprintf(stderr, "usage: openloop -r RATE -d SECONDS [-c MAXCONN] "
	    "[-H HEADER]... URL\n");
	return 2;
}

static int
parse(struct run *rn, int argc, char **argv)
{
	int	ch;

	rn->nconn = 64;
	while ((ch = getopt(argc, argv, "r:d:c:H:")) != -1) {
		if (ch == 'r')
			rn->rate = atof(optarg);
		else if (ch == 'd')
			rn->seconds = atof(optarg);
		else if (ch == 'c')
			rn->nconn = atoi(optarg);
		else if (ch == 'H' && rn->nhdr < MAX_HEADERS)
			rn->hdr[rn->nhdr++] = optarg;
		else
			return -1;
	}
	if (optind != argc - 1 || rn->rate <= 0 || rn->seconds <= 0 ||
	    rn->nconn < 1 || rn->nconn > MAX_CONN)
		return -1;
	rn->url = argv[optind];
	return 0;
}

static int
setup(struct run *rn)
{
	int	i;

	for (i = 0; i < rn->nhdr; i++)
		rn->headers = curl_slist_append(rn->headers, rn->hdr[i]);
	if ((rn->multi = curl_multi_init()) == NULL)
		return -1;
	/* Keep every connection open between requests: by default the
	 * cache holds four per handle in use, and a TLS handshake per
	 * request would be measured instead of the server. */
	curl_multi_setopt(rn->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    (long)rn->nconn);
	curl_multi_setopt(rn->multi, CURLMOPT_MAXCONNECTS, (long)rn->nconn);
	for (i = 0; i < rn->nconn; i++) {
		CURL	*e = curl_easy_init();

		if (e == NULL)
			return -1;
		curl_easy_setopt(e, CURLOPT_URL, rn->url);
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, rn->headers);
		curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
		curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
		    (long)CURL_HTTP_VERSION_1_1);
		curl_easy_setopt(e, CURLOPT_PRIVATE, &rn->slots[i]);
		rn->slots[i].easy = e;
		rn->slots[i].due = -1;
	}
	rn->caplat = (size_t)(rn->rate * rn->seconds * 1.1) + 16;
	rn->lat = calloc(rn->caplat, sizeof(*rn->lat));
	return rn->lat == NULL ? -1 : 0;
}

static struct slot *
idle_slot(struct run *rn)
{
	int	i;

	for (i = 0; i < rn->nconn; i++)
		if (rn->slots[i].due < 0)
			return &rn->slots[i];
	return NULL;
}

static void
finished(struct run *rn, CURLMsg *m, double start)
{
	struct slot	*s;
	long		 code = 0, nc = 0;
	double		 t = now();

	curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&s);
	curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(m->easy_handle, CURLINFO_NUM_CONNECTS, &nc);
	rn->connects += nc;
	curl_multi_remove_handle(rn->multi, m->easy_handle);
	if (s->due - start >= WARMUP) {
		if (m->data.result != CURLE_OK)
			rn->failed++;
		else if (code < 200 || code > 299)
			rn->non2xx++;
		if (rn->nlat < rn->caplat)
			rn->lat[rn->nlat++] = t - s->due;
	}
	s->due = -1;
}

/* Sends what is due, reads what came back, until the last request due
 * has been answered. */
static void
drive(struct run *rn)
{
	double		 start = now(), end = start + WARMUP + rn->seconds;
	double		 next = start, interval = 1.0 / rn->rate, t;
	struct slot	*s;
	CURLMsg		*m;
	int		 running = 1, left, wait;

	while (next < end || running > 0) {
		t = now();
		while (next <= t && next < end && (s = idle_slot(rn)) != NULL) {
			if (t - next > 0.001)
				rn->late++;
			s->due = next;
			curl_multi_add_handle(rn->multi, s->easy);
			next += interval;
		}
		curl_multi_perform(rn->multi, &running);
		while ((m = curl_multi_info_read(rn->multi, &left)) != NULL)
			if (m->msg == CURLMSG_DONE)
				finished(rn, m, start);
		/* Whole milliseconds, rounded up: a request leaves up to 1 ms
		 * after it was due, and that counts in its latency. */
		wait = next < end ? (int)((next - now()) * 1000 + 0.999) : 10;
		if (next <= now() && next < end && idle_slot(rn) != NULL)
			continue;
		curl_multi_poll(rn->multi, NULL, 0, wait > 0 ? wait : 1, NULL);
	}
}

static int
cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(const struct run *rn, double p)
{
	size_t	i = (size_t)(p / 100.0 * (double)rn->nlat);

	if (rn->nlat == 0)
		return 0;
	return rn->lat[i < rn->nlat ? i : rn->nlat - 1] * 1000.0;
}

int
main(int argc, char **argv)
{
	struct run	rn;

	memset(&rn, 0, sizeof(rn));
	if (parse(&rn, argc, argv) == -1)
		return usage();
	curl_global_init(CURL_GLOBAL_ALL);
	if (setup(&rn) == -1) {
		fprintf(stderr, "openloop: out of memory\n");
		return 1;
	}
	drive(&rn);
	qsort(rn.lat, rn.nlat, sizeof(*rn.lat), cmp);
	printf("offered %.0f/s, answered %.1f/s, p50 %.2fms, p90 %.2fms, "
	    "p99 %.2fms, p99.9 %.2fms, max %.2fms, non-2xx %ld, failed %ld, "
	    "sent late %ld, connections opened %ld\n", rn.rate, (double)rn.nlat / rn.seconds,
	    pct(&rn, 50), pct(&rn, 90), pct(&rn, 99), pct(&rn, 99.9),
	    pct(&rn, 100), rn.non2xx, rn.failed, rn.late, rn.connects);
	return 0;
}
