/* The dashboard's numbers: a period of Paris days read from the query
 * (?period=week|month|custom&from=&to=), and its overview computed by
 * PostgreSQL from the daily rollup (sql/migrations/0022_dashboard.sql),
 * the same JSON for the page and for GET /api/v1/analytics/overview. */
#ifndef FC_APP_ANALYTICS_H
#define FC_APP_ANALYTICS_H

#include <jansson.h>

#include "http.h"

#define ANALYTICS_MAX_DAYS	366

enum period_kind { PERIOD_WEEK, PERIOD_MONTH, PERIOD_CUSTOM };

struct period {
	enum period_kind kind;
	long		 from;	/* days since 1970-01-01, inclusive */
	long		 to;
};

/* Days since 1970-01-01 of a civil date, and back ("YYYY-MM-DD" in the
 * arena). */
long		 analytics_days(int y, int m, int d);
const char	*analytics_iso(arena *, long day);
/* Today in Paris, as days since 1970-01-01. */
long		 analytics_today(void);

/* The period the query asks for: this week without one.  0, or -1 with
 * *fields set to {name: message} in the request's language. */
int		 analytics_period(struct request *, struct period *,
		    json_t **fields);
/* The period of the same kind just before (before = -1) or after (+1). */
void		 analytics_shift(const struct period *, int dir,
		    struct period *out);
/* The overview (see analytics_overview() in SQL), or NULL with *status. */
json_t		*analytics_overview(struct request *, const struct period *,
		    int *status);

/* An amount in euros and a count as the reader writes them, in the
 * request's arena. */
const char	*analytics_money(struct request *, json_int_t cents);
const char	*analytics_count(struct request *, json_int_t n);

#endif
