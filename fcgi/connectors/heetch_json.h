/* Heetch's earnings answer (GET driver.heetch.com/api/earnings, or the
 * same saved as a file): {"currency", "summary": {"weekly"|"monthly":
 * {start_date, end_date}}, "drivers": [{email, first_name, last_name,
 * earnings: {gross_earnings, …}}]} into earnings rows keyed on the
 * driver's e-mail and the period's start (Heetch has no driver id). */
#ifndef FC_HEETCH_JSON_H
#define FC_HEETCH_JSON_H

#include <stddef.h>
#include <jansson.h>

#include "connector.h"

/* The largest answer read (a fleet of several thousand drivers). */
#define HEETCH_JSON_MAX	(32 * 1024 * 1024)

/* The rows of doc into sink (NULL: only checked).  period_start (may be
 * NULL) learns the period's first day, "YYYY-MM-DD", even when it holds
 * no driver.  A document without period or driver list fails the
 * outcome (CONN_CONFIG); a driver line that cannot be read is rejected
 * through the sink and the rest goes on.  *rows counts the rows given
 * to the sink. */
void	 heetch_earnings_read(json_t *doc, const json_t *config,
	    const struct connector_sink *, struct connector_outcome *,
	    char period_start[11], size_t *rows);
/* The same from memory; a text that is not JSON fails the outcome with
 * its line and column. */
void	 heetch_earnings_parse(const char *buf, size_t len,
	    const json_t *config, const struct connector_sink *,
	    struct connector_outcome *, char period_start[11], size_t *rows);
/* A row of the CSV export or the JSON answer finished: name joined, the
 * e-mail as the driver's reference, the period checked, the key set.
 * NULL, or the reason with *column. */
const char	*heetch_earnings_finish(struct canon_record *, int *column);

#define HEETCH_SURNAME		CANON_SCRATCH0
#define HEETCH_CANCEL_ADJUST	CANON_SCRATCH1

#endif
