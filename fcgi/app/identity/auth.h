/* Who is asking: the session cookie (web) or a bearer token (API), the
 * organisation they act for, and the CSRF token of their forms. */
#ifndef FC_APP_AUTH_H
#define FC_APP_AUTH_H

#include "http.h"

#define SESSION_COOKIE	"__Host-fleetcore"
#define CSRF_COOKIE	"__Host-fleetcore-csrf"

int		 auth_authenticate(struct request *);
int		 auth_check_csrf(struct request *);
/* The access level of a role name ("owner" … "driver"), or -1. */
int		 auth_role_access(const char *);
const char	*auth_role_name(enum access);
/* Set (or clear, when token is NULL) the session cookie. */
int		 auth_set_session_cookie(struct request *, const char *token,
		    int max_age);
/* SET LOCAL app.tenant_id and app.user_id from r->id. */
int		 auth_set_tenant(struct request *);

#endif
