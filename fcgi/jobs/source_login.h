/* The login of a portal source (Heetch, heetch_portal), a job of the
 * runner since it calls the platform: step "start" asks Heetch for the
 * SMS code; step "code" sends the code the user typed (kept sealed in
 * source_sessions until then) and the password, keeps the session's
 * cookies sealed in the source's secrets and starts the first run. */
#ifndef FC_SOURCE_LOGIN_H
#define FC_SOURCE_LOGIN_H

#include "runner.h"

#define SOURCE_LOGIN_KIND	"source_login"

enum job_outcome	source_login_run(struct job_ctx *);

#endif
