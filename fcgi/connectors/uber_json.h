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

/* Where the items of a page go, as rows of canonical tables (the same
 * callbacks as a live read's sink, live.h): drivers into
 * CANON_PLATFORM_DRIVERS (key: the driver's id), vehicles into
 * CANON_PLATFORM_VEHICLES (the vehicle's id), statuses into
 * CANON_DRIVER_STATES (the driver's id and the instant; Uber's online,
 * on trip and offline read as our waiting_orders, busy and inactive),
 * payments into CANON_TRIPS (the Transaction UUID).  Each returns
 * non-zero to stop.  now: the instant of a status Uber gives without
 * one, "YYYY-MM-DD HH:MM:SS+00". */
struct uber_sink {
	void	*ctx;
	int	(*record)(void *ctx, enum canon_table,
		    const struct canon_record *);
	int	(*reject)(void *ctx, size_t line, const char *column,
		    const char *value, const char *reason);
	char	 now[32];
};

struct uber_page {
	char	 next_token[UBER_TOKEN_MAX];	/* "" on the last page */
	size_t	 items;		/* given to the sink */
	size_t	 rejected;
	long long newest_ms;	/* payments: the latest processedAt, or 0 */
};

/* One page of stream.  A page without its list is an error (never "no
 * rows"); an item that cannot be read is rejected with the reason.  Fills *page; the outcome stays CONN_OK,
 * becomes CONN_STOPPED when the sink stopped, or fails. */
void	uber_page_parse(enum uber_stream, const char *body, size_t len,
	    const struct uber_sink *, struct uber_page *page,
	    struct connector_outcome *out);

#endif
