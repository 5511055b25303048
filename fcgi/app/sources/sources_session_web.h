/* The login of a portal source from its page and from the API. */
#ifndef FC_APP_SOURCES_SESSION_WEB_H
#define FC_APP_SOURCES_SESSION_WEB_H

#include <jansson.h>

#include "http.h"

/* POST /sources/:id/login: action start (« Se connecter »), code (with
 * sms_code) or paste (with session_cookie); back to the source's page
 * with what happened. */
int	sources_login_web(struct request *);
/* POST /api/v1/sources/:id/login: {} starts the login, {"sms_code": …}
 * sends the code, {"session_cookie": …} keeps a pasted session; 202 with
 * the source (its session says where the login stands). */
int	sources_api_login(struct request *);
/* What the page of source s shows of its session (Heetch: "session") and
 * of the days it could not read (Uber: "gaps"), set into view. */
void	sources_session_view(struct request *, json_t *s, json_t *view);

#endif
