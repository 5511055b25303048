/* Signing in and out, and choosing the organisation to act for. */
#ifndef FC_APP_SESSION_H
#define FC_APP_SESSION_H

#include "http.h"

int	session_login_form(struct request *);
int	session_login(struct request *);
int	session_logout(struct request *);
int	session_orgs(struct request *);
int	session_switch_org(struct request *);
/* Where a member of this role lands after sign-in: the portal for a
 * driver, the dashboard for the others. */
const char	*session_home(enum access);
/* Start a session for user in tenant: cookie, row, activity. */
int	session_start(struct request *, const char *user_id,
	    const char *tenant_id);

#endif
