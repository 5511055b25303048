/* Uber's Vehicle Suppliers API answers (platforms.md §2.2) as pure
 * functions of their bytes: the token answer, an error answer, the
 * organisations, and one page of drivers, vehicles, driver statuses or
 * payments.  The HTTP calls are the connector's (uber_api.c).
 *
 * Money arrives as {"amountE5": "<int64>", "currencyCode"}: units times
 * 10^5.  Cents are amountE5 / 1000 rounded half away from zero in
 * integers (1234500 → 1235 — 12,345 € — and -1234500 → -1235; 1234499 →
 * 1234), each amount by itself: a total and the sum of its rounded parts
 * may then differ by a cent, and the total is what is stored as net.
 * The payout is the sum of the top-level amounts as stored (earnings +
 * reimbursements - cash collected), so that it reconciles with them. */
#ifndef FC_UBER_JSON_H
#define FC_UBER_JSON_H

#include <stddef.h>
#include <jansson.h>

#include "connector.h"

#define UBER_ID_MAX	128
#define UBER_TOKEN_MAX	1024

/* An amountE5 (a JSON integer, or a string of digits with an optional
 * '-', as proto3 writes int64) to cents.  NULL, or the reason. */
const char	*uber_e5_cents(const json_t *amount_e5, long long *cents);

struct uber_token {
	char	 access_token[4096];
	long	 expires_in;	/* seconds; 0 when not said */
	char	 scope[1024];
};

/* The token endpoint's answer: CONN_OK with *t, or the outcome failed
 * with a sentence for the user (wrong credentials, not entitled,
 * suspended, Uber down). */
void	uber_token_parse(int status, const char *body, size_t len,
	    struct uber_token *t, struct connector_outcome *out);
/* An API answer that is not 2xx, about what ("les chauffeurs"): the
 * outcome failed (CONN_TRANSIENT for 429 and 5xx, CONN_CONFIG
 * otherwise), Uber's own message in detail. */
void	uber_api_error(int status, const char *body, size_t len,
	    const char *what, struct connector_outcome *out);

/* GET /v1/vehicle-suppliers/orgs: a new array of {"id", "name"}, or
 * NULL with the outcome failed (no organisation is an error too: these
 * credentials then read nothing). */
json_t	*uber_orgs_parse(const char *body, size_t len,
	    struct connector_outcome *out);

enum uber_stream {
	UBER_DRIVERS,	/* driverInformation */
	UBER_VEHICLES,	/* vehicles (v2) */
	UBER_STATUS,	/* driverStatusOverviews (drivers/actions) */
	UBER_PAYMENTS,	/* earnerPaymentBreakdowns, into trips */
};

struct uber_driver {
	char	 id[UBER_ID_MAX];
	char	 first_name[256];
	char	 last_name[256];
	char	 email[256];		/* lower-cased, or "" */
	char	 phone[32];		/* E.164, or "" */
	char	 plate[32];		/* of the first assigned vehicle, or "" */
};

struct uber_vehicle {
	char	 id[UBER_ID_MAX];
	char	 plate[32];
	char	 make[128];
	char	 model[128];
	char	 vin[32];
	char	 color[64];
	int	 year;			/* 0: not said */
};

struct uber_status {
	char		 driver_id[UBER_ID_MAX];
	const char	*status;	/* "online", "on_trip", "offline", "unknown" */
	char		 at[32];	/* "YYYY-MM-DD HH:MM:SS+00", or "" */
};

/* Where the items of a page go; each returns non-zero to stop.  Payments
 * go to trips (a canon_record of CANON_TRIPS) with trips->reject for a
 * payment that cannot be read. */
struct uber_sink {
	void				*ctx;
	int	(*driver)(void *, const struct uber_driver *);
	int	(*vehicle)(void *, const struct uber_vehicle *);
	int	(*status)(void *, const struct uber_status *);
	const struct connector_sink	*trips;
};

struct uber_page {
	char	 next_token[UBER_TOKEN_MAX];	/* "" on the last page */
	size_t	 items;		/* given to the sink */
	size_t	 rejected;
	long long newest_ms;	/* payments: the latest processedAt, or 0 */
};

/* One page of stream.  A page without its list is an error (never "no
 * rows"); an item that cannot be read is rejected (payments) or skipped
 * and counted (the others).  Fills *page; the outcome stays CONN_OK,
 * becomes CONN_STOPPED when the sink stopped, or fails. */
void	uber_page_parse(enum uber_stream, const char *body, size_t len,
	    const struct uber_sink *, struct uber_page *page,
	    struct connector_outcome *out);

#endif
