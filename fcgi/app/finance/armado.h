/* The accounting service invoices sync to: Armado's bill API, narrowly.
 *
 *   GET /v1/bill?reference=<invoice number>   a JSON array of bills
 *   PUT /v1/bill/<id>  {"paymentType": <code>, "paymentDate":
 *                       "YYYY-MM-DDT00:00:00.000000"}
 *
 * with the header "ApiKey: <key>".  Outbound HTTP through libcurl: a
 * connect timeout (5 s) and a total one (the caller's), answers capped
 * at 1 MiB, TLS verified, no redirect followed, no proxy taken from the
 * environment.  The base URL passes fetch_url_check (https, or http to
 * this machine); with allow_internal 0 (production) only public
 * addresses are connected to, whatever DNS says.
 *
 * An outcome says whether waiting helps (ARMADO_TRANSIENT: 5xx, 408,
 * 429, timeouts, connection errors, an unreadable answer) or something
 * must change first (ARMADO_REFUSED: 401 bad key, 404 no such bill, 422
 * bad data, other 4xx, a bad certificate or address), with French words
 * for the screen: what happened and what to fix.  Neither ever holds
 * the key.
 *
 * This client is narrow on purpose (two calls, one service); a generic
 * JSON HTTP client in fcgi/core would take its transport part. */
#ifndef FC_FINANCE_ARMADO_H
#define FC_FINANCE_ARMADO_H

#include <stddef.h>

#include "armado_json.h"

#define ARMADO_CONNECT_TIMEOUT	5		/* seconds */
#define ARMADO_MAX_BYTES	(1024 * 1024)

struct armado {
	const char	*base_url;	/* "https://api.myarmado.fr" */
	const char	*api_key;
	int		 timeout;	/* seconds for a whole call */
	int		 allow_internal;	/* outside production only */
};

enum armado_result {
	ARMADO_OK,
	ARMADO_TRANSIENT,
	ARMADO_REFUSED,
};

struct armado_outcome {
	enum armado_result	 result;
	long			 status;	/* HTTP status, 0 when none */
	char			 message[512];	/* what happened, French */
	char			 fix[512];	/* what to change, "" if none */
	char			 detail[768];	/* for the log: host, curl error */
};

/* The bill of reference into id (outcome OK), or why not. */
void	armado_find_bill(const struct armado *, const char *reference,
	    char id[ARMADO_ID_MAX], struct armado_outcome *);
/* Mark bill id paid by payment type code on date ("YYYY-MM-DD"). */
void	armado_mark_paid(const struct armado *, const char *id, int type,
	    const char *date, struct armado_outcome *);
/* Armado's payment type code of one of our methods (virement, especes,
 * carte, cheque, prelevement, compensation, autre); 8 (« autre ») for
 * anything else. */
int	armado_payment_type(const char *method);

#endif
