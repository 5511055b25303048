/* The organisation's settings for money that leaves it: the bank account
 * it pays from (IBAN, BIC, holder), its WPS identifiers (employer ID and
 * routing code, for AED organisations), its currency (kept on tenants)
 * and the Armado API key its invoices sync with.
 *
 * The key is a secret: sealed before it reaches the database
 * (organisation_settings.armado_api_key holds base64(nonce || box) of its
 * bytes under FLEETCORE_SECRET_KEY_FILE, crypto.h), answered "••••" when
 * set, never echoed nor logged.  Code that calls Armado opens it with
 * organisation_armado_key(). */
#ifndef FC_APP_FINANCE_ORGANISATION_H
#define FC_APP_FINANCE_ORGANISATION_H

#include <jansson.h>

#include "buf.h"
#include "db.h"
#include "http.h"

#define ORGANISATION_MASK	"••••"

/* What payouts read of the settings (strings, "" when not set). */
struct organisation_bank {
	char	iban[40];
	char	bic[16];
	char	name[80];
	char	wps_employer_id[16];
	char	wps_routing_code[16];
	char	currency[4];
	char	tenant_name[208];
};

/* The settings as the API shows them, the key masked; NULL with *status
 * on a database error. */
json_t	*organisation_get(struct request *, int *status);
/* Change the members present in the request (JSON body or form): a
 * member sent null or blank is cleared (the currency cannot be);
 * armado_api_key from a form is kept when blank and cleared by the
 * armado_clear box.  0, 422 with *errors, or a database status. */
int	 organisation_update(struct request *, json_t **errors);
/* The bank part, for making a payout file.  0 or a database status. */
int	 organisation_bank(struct request *, struct organisation_bank *);
/* The current tenant's Armado key, opened into out (which the caller
 * clears with sodium_memzero before buf_free): 0 when one is set, 1 when
 * none is, -1 when the key file or the sealed text cannot be read, or
 * on a database error.  db is in a transaction with app.tenant_id set
 * (a request's, or a job's). */
int	 organisation_armado_key(struct db *, const char *key_file,
	    buf *out);

#endif
