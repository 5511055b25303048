/* API tokens of an organisation: created (shown once), listed, revoked. */
#ifndef FC_APP_TOKENS_H
#define FC_APP_TOKENS_H

#include "http.h"

int	tokens_list(struct request *);
int	tokens_create(struct request *);
int	tokens_revoke(struct request *);
/* Insert a token for the current tenant and user; the clear token goes
 * to out.  Shared with the command line. */
int	tokens_insert(struct request *, const char *name, const char *scope,
	    char *out, size_t outlen);

#endif
