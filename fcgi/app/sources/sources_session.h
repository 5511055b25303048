/* The session of a portal source (Heetch, heetch_portal): « Se
 * connecter » (the login runs in the job runner: jobs/source_login.c),
 * the SMS code the user types while it is awaited, and a session cookie
 * pasted from a browser.  Shared by the screens and the API
 * (sources_session_web.c).  Each answers 0, or a status with *key the
 * catalogue key of why (under "sources.session."). */
#ifndef FC_APP_SOURCES_SESSION_H
#define FC_APP_SOURCES_SESSION_H

#include "http.h"

int	source_session_start(struct request *, const char *id, const char **key);
int	source_session_code(struct request *, const char *id, const char *code,
	    const char **key);
/* The cookie into the source's secrets, the session 'connecte' by the
 * pasted path, and a first run started (its id into run_id, "" when one
 * was running already). */
int	source_session_paste(struct request *, const char *id,
	    const char *cookie, char run_id[40], const char **key);

#endif
