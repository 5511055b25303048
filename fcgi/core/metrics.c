#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "metrics.h"

static const int statuses[] = {
	200, 201, 202, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405, 409,
	413, 422, 429, 500, 503,
};
#define NSTATUS		(sizeof(statuses) / sizeof(statuses[0]) + 1)

static const double buckets[] = {
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
};
#define NBUCKET		(sizeof(buckets) / sizeof(buckets[0]))

struct metrics {
	size_t		 size;
	size_t		 nroutes;
	uint64_t	 db_errors;
	uint64_t	 worker_restarts;
	uint64_t	 hist[NBUCKET + 1];
	uint64_t	 hist_count;
	uint64_t	 hist_sum_us;
	uint64_t	 requests[];	/* (nroutes + 1) * NSTATUS */
};

struct metrics *
metrics_create(size_t nroutes)
{
	struct metrics	*m;
	size_t		 size;

	size = sizeof(*m) + (nroutes + 1) * NSTATUS * sizeof(uint64_t);
	m = mmap(NULL, size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	memset(m, 0, size);
	m->size = size;
	m->nroutes = nroutes;
	return m;
}

void
metrics_destroy(struct metrics *m)
{
	if (m != NULL)
		munmap(m, m->size);
}

static size_t
status_index(int status)
{
	size_t	i;

	for (i = 0; i < NSTATUS - 1; i++)
		if (statuses[i] == status)
			return i;
	return NSTATUS - 1;
}

static void
add(uint64_t *p, uint64_t v)
{
	__atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}

static uint64_t
get(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

void
metrics_request(struct metrics *m, size_t route, int status, double seconds)
{
	size_t	b;

	if (m == NULL)
		return;
	if (route > m->nroutes)
		route = m->nroutes;
	add(&m->requests[route * NSTATUS + status_index(status)], 1);
	for (b = 0; b < NBUCKET && seconds > buckets[b]; b++)
		;
	add(&m->hist[b], 1);
	add(&m->hist_count, 1);
	add(&m->hist_sum_us, (uint64_t)(seconds * 1e6));
}

void
metrics_db_error(struct metrics *m)
{
	if (m != NULL)
		add(&m->db_errors, 1);
}

void
metrics_worker_restart(struct metrics *m)
{
	if (m != NULL)
		add(&m->worker_restarts, 1);
}

static void
render_requests(const struct metrics *m, const struct route *r, buf *out)
{
	size_t		 i, s;
	uint64_t	 v;
	char		 status[8];

	buf_puts(out, "# HELP fleetcore_requests_total Requests by route and status.\n"
	    "# TYPE fleetcore_requests_total counter\n");
	for (i = 0; i <= m->nroutes; i++)
		for (s = 0; s < NSTATUS; s++) {
			if ((v = get(&m->requests[i * NSTATUS + s])) == 0)
				continue;
			if (s == NSTATUS - 1)
				snprintf(status, sizeof(status), "other");
			else
				snprintf(status, sizeof(status), "%d", statuses[s]);
			buf_printf(out, "fleetcore_requests_total{method=\"%s\","
			    "route=\"%s\",status=\"%s\"} %llu\n",
			    i < m->nroutes ? r[i].method : "",
			    i < m->nroutes ? r[i].pattern : "unmatched",
			    status, (unsigned long long)v);
		}
}

static void
render_histogram(const struct metrics *m, buf *out)
{
	size_t		 b;
	uint64_t	 cum = 0;

	buf_puts(out, "# HELP fleetcore_request_duration_seconds Time to answer.\n"
	    "# TYPE fleetcore_request_duration_seconds histogram\n");
	for (b = 0; b < NBUCKET; b++) {
		cum += get(&m->hist[b]);
		buf_printf(out, "fleetcore_request_duration_seconds_bucket"
		    "{le=\"%g\"} %llu\n", buckets[b], (unsigned long long)cum);
	}
	cum += get(&m->hist[NBUCKET]);
	buf_printf(out, "fleetcore_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
	    "fleetcore_request_duration_seconds_sum %.6f\n"
	    "fleetcore_request_duration_seconds_count %llu\n",
	    (unsigned long long)cum, (double)get(&m->hist_sum_us) / 1e6,
	    (unsigned long long)get(&m->hist_count));
}

int
metrics_render(const struct metrics *m, const struct route *r,
    size_t nroutes, buf *out)
{
	(void)nroutes;
	render_requests(m, r, out);
	render_histogram(m, out);
	buf_printf(out, "# HELP fleetcore_db_errors_total Database errors.\n"
	    "# TYPE fleetcore_db_errors_total counter\n"
	    "fleetcore_db_errors_total %llu\n"
	    "# HELP fleetcore_worker_restarts_total Workers replaced after dying.\n"
	    "# TYPE fleetcore_worker_restarts_total counter\n"
	    "fleetcore_worker_restarts_total %llu\n",
	    (unsigned long long)get(&m->db_errors),
	    (unsigned long long)get(&m->worker_restarts));
	return out->oom ? -1 : 0;
}
