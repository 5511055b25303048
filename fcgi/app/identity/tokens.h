/* API tokens of an organisation: created (shown once), listed, revoked. */
#ifndef FC_APP_TOKENS_H
#define FC_APP_TOKENS_H

#include "crypto.h"
#include "http.h"

int	tokens_list(struct request *);
int	tokens_create(struct request *);
int	tokens_revoke(struct request *);
#define TOKEN_MAX	64
#define TOKEN_PREFIX_LEN	11

/* A new token: the clear value (shown once), its stored hash, and the
 * prefix that identifies it in lists.  Shared with the command line. */
void	tokens_new(char token[TOKEN_MAX], char hash[SECRET_HASH_HEX + 1],
	    char prefix[TOKEN_PREFIX_LEN + 1]);

#endif
