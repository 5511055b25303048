/* Heetch's portal (connector type heetch_portal): what its files share.
 *
 *   heetch_json.c     the earnings answer into earnings rows (shared with
 *                     the file type);
 *   heetch_session.c  the auth gateway's answers, expiry, a pasted session
 *                     (pure, unit-tested and fuzzed);
 *   heetch_login.c    the login's calls, run by the job runner: the phone
 *                     number (Heetch sends an SMS), then the code and the
 *                     password, then the callback that sets the cookies;
 *   heetch_portal.c   the type: form, check, discover, and the weekly
 *                     pulls of the earnings. */
#ifndef FC_HEETCH_PORTAL_H
#define FC_HEETCH_PORTAL_H

#include <jansson.h>

#include "cookiejar.h"
#include "heetch_session.h"
#include "live.h"

/* A login under way, kept sealed between its two steps. */
struct heetch_login {
	char	 device_id[40];
	char	 token[256];
	long	 expires_in;	/* of the SMS code, seconds */
	int	 code_length;
};

/* Step 1: Heetch sends the SMS code.  0 with *l set (a->step
 * HEETCH_STEP_SMS_CODE), or -1 with out failed (a says which error). */
int	heetch_login_start(const struct live_env *, const json_t *config,
	    struct heetch_login *l, struct heetch_auth *a,
	    struct connector_outcome *out);
/* Step 2: the code, the password, the callback: jar receives the
 * session's cookies.  0, or -1 with out failed; a->ask_again says the
 * code may be typed again. */
int	heetch_login_finish(const struct live_env *, const json_t *config,
	    const struct heetch_login *l, const char *code,
	    struct cookiejar *jar, struct heetch_auth *a,
	    struct connector_outcome *out);
/* The configuration field of the session: a Cookie header. */
#define HEETCH_SESSION_FIELD	"session_cookie"

#endif
