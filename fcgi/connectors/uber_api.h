/* Uber's Vehicle Suppliers API (connector type uber_api): what its files
 * share.
 *
 *   uber_json.c    the answers' JSON into our values, without the network
 *                  (unit-tested and fuzzed);
 *   uber_client.c  the session: the token by client credentials with the
 *                  scopes below, kept for the run and fetched again once on
 *                  a 401; GET of one page with its query;
 *   uber_api.c     the type: form, check, discover, and the read of its
 *                  streams (drivers, vehicles, payments, driver status),
 *                  the payments' 24-hour horizon and the days it missed. */
#ifndef FC_UBER_API_H
#define FC_UBER_API_H

#include <jansson.h>

#include "buf.h"
#include "live.h"
#include "uber_json.h"

/* What the connector reads (platforms.md §2.2), asked at every token. */
#define UBER_SCOPES	"vehicle_suppliers.organizations.read " \
			"vehicle_suppliers.vehicles.read " \
			"supplier.partner.payments " \
			"solutions.suppliers.drivers.status.read"

struct uber_session {
	const struct live_env	*env;
	const char		*client_id;
	const char		*client_secret;
	char			 token[sizeof(((struct uber_token *)0)->access_token)];
	long			 requests;
};

void	uber_session_init(struct uber_session *, const struct live_env *,
	    const json_t *config);
void	uber_session_clear(struct uber_session *);
/* A token, or -1 with out failed (wrong credentials, not entitled…). */
int	uber_session_token(struct uber_session *, struct connector_outcome *);
/* GET path?query (query: "a=1&b=2", escaped, may be empty); *body
 * receives the answer of a 2xx (the caller frees it with buf_free).
 * what names the data in messages ("les paiements").  0, or -1 with
 * out failed. */
int	uber_get(struct uber_session *, const char *path, const char *query,
	    const char *what, buf *body, struct connector_outcome *out);
/* The organisations ({id, name}), or NULL with out failed. */
json_t	*uber_orgs(struct uber_session *, struct connector_outcome *);

#endif
