/* Counters shared by the supervisor and its workers (one shared mapping
 * made before fork), rendered in Prometheus text format. */
#ifndef FC_METRICS_H
#define FC_METRICS_H

#include <stddef.h>

#include "buf.h"
#include "router.h"

struct metrics;

/* nroutes + 1 rows: the last counts requests no route matched. */
struct metrics	*metrics_create(size_t nroutes);
void		 metrics_destroy(struct metrics *);
void		 metrics_request(struct metrics *, size_t route, int status,
		    double seconds);
void		 metrics_db_error(struct metrics *);
void		 metrics_worker_restart(struct metrics *);
int		 metrics_render(const struct metrics *, const struct route *,
		    size_t nroutes, buf *);

#endif
