/* Bolt's Fleet Integration API (connector type bolt_api): the pieces its
 * three files share.
 *
 *   bolt_parse.c   the answers' JSON into our values, without the network
 *                  (what the fuzz harness tests): the token, the envelope
 *                  {code, message, data}, and one order, driver, vehicle
 *                  or state log into a canon_record;
 *   bolt_client.c  the session: the token by client credentials (scope
 *                  fleet-integration:api), kept until a minute before it
 *                  expires and fetched again once on a 401; each call's
 *                  envelope checked (code ≠ 0 inside an HTTP 200 is an
 *                  error, never "no rows"), Bolt's error codes mapped;
 *   bolt_api.c     the type: form, check, discover, and the read of the
 *                  four streams in windows. */
#ifndef FC_BOLT_API_H
#define FC_BOLT_API_H

#include <stddef.h>
#include <time.h>
#include <jansson.h>

#include "canon.h"
#include "live.h"

/* Bolt's error codes (platforms reference §2.1). */
#define BOLT_INVALID_START_DATE		498805
#define BOLT_INVALID_DATE_RANGE		498806
#define BOLT_COMPANY_NOT_FOUND		498807
#define BOLT_COMPANY_NOT_ACTIVE		498809
#define BOLT_COMPANY_NOT_ALLOWED	498810
#define BOLT_NOT_AUTHORIZED		503

#define BOLT_TOKEN_MAX	4096
#define BOLT_COMPANIES_MAX	64

/* ---- parsing (bolt_parse.c) ------------------------------------------- */

/* {access_token, expires_in}: 0, or -1 when the answer is not a token. */
int	bolt_parse_token(const char *body, size_t len, char *token,
	    size_t tokenlen, long *expires_in);

/* The envelope of an answer.  code 0: data is the answer's data (a new
 * reference, the caller releases it).  Otherwise message and hint say
 * what Bolt said.  -1 when the body is not an envelope at all. */
struct bolt_envelope {
	long long	 code;
	char		 message[200];
	char		 hint[100];	/* error_hint */
	json_t		*data;
};
int	bolt_parse_envelope(const char *body, size_t len,
	    struct bolt_envelope *);

/* data.company_ids: their count (at most max), -1 when absent. */
int	bolt_parse_companies(const json_t *data, long long *ids, int max);

/* One element of data.orders / drivers / vehicles / state_logs into r
 * (cleared first).  NULL, or the reason to reject it with *column (the
 * field's name). */
const char *bolt_parse_order(const json_t *order, struct canon_record *r,
	    const char **column);
const char *bolt_parse_driver(const json_t *driver, struct canon_record *r,
	    const char **column);
const char *bolt_parse_vehicle(const json_t *vehicle, struct canon_record *r,
	    const char **column);
const char *bolt_parse_state_log(const json_t *log, struct canon_record *r,
	    const char **column);

/* An amount in euros (a JSON number, or a string of one) to cents:
 * written with six decimals, then rounded half away from zero at the
 * third (12.345 → 1235, -0.005 → -1).  0, or -1 when it is not one. */
int	bolt_money(const json_t *, long long *cents);

/* ---- the session (bolt_client.c) ---------------------------------------- */

struct bolt_session {
	const struct live_env	*env;
	const char		*client_id;
	const char		*client_secret;
	char			 token[BOLT_TOKEN_MAX];
	time_t			 token_until;	/* refresh after this */
	long			 requests;
};

/* A call's outcome: CONN_OK with env.data, or out filled. */
void	bolt_session_init(struct bolt_session *, const struct live_env *,
	    const json_t *config);
void	bolt_session_clear(struct bolt_session *);
/* GET (body NULL) or POST the operation ("getFleetOrders"); on success
 * *data is the envelope's data (caller releases) and the result is 0.
 * -1: out says why; *code is Bolt's code when it answered one (so that
 * the caller may split a window on BOLT_INVALID_DATE_RANGE), else 0. */
int	bolt_call(struct bolt_session *, const char *op, const json_t *body,
	    json_t **data, long long *code, struct connector_outcome *out);
/* The companies the credentials may read, by getCompanies. */
int	bolt_companies(struct bolt_session *, long long *ids, int max,
	    struct connector_outcome *out);

#endif
