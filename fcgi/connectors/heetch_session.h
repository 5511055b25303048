/* The fleet manager's session on Heetch's portal (platforms.md §2.3),
 * as pure functions of what the servers answer: the auth gateway's
 * steps (phone number → SMS code → password → callback that sets the
 * cookies), whether a portal answer means the session has expired, and
 * a session pasted from a browser.  The HTTP calls are the portal
 * connector's (heetch_portal.c). */
#ifndef FC_HEETCH_SESSION_H
#define FC_HEETCH_SESSION_H

#include <stddef.h>

#include "connector.h"
#include "cookiejar.h"

#define HEETCH_SESSION_COOKIE	"heetch_driver_session"
#define HEETCH_TOKEN_COOKIE	"heetch_auth_token"

enum heetch_step {
	HEETCH_STEP_ERROR,		/* see result and message */
	HEETCH_STEP_SMS_CODE,		/* the user must type the SMS code */
	HEETCH_STEP_PASSWORD,		/* the code was right: send the password */
	HEETCH_STEP_AUTHENTICATED,	/* follow redirect_path for the cookies */
	HEETCH_STEP_START,		/* nothing under way: start with the number */
};

/* An answer of the auth gateway (GET /session, POST /web/session). */
struct heetch_auth {
	enum heetch_step	 step;
	char			 token[256];	/* the login's "Token …" */
	long			 expires_in;	/* seconds the SMS code lives */
	int			 code_length;
	/* Path and query of redirect_url, which must be on
	 * https://driver.heetch.com: the caller sends them to the portal's
	 * configured address, never to a host an answer names. */
	char			 redirect_path[1024];
	char			 error[64];	/* Heetch's code ("invalid_code") */
	int			 attempts_left;	/* -1: not said */
	/* What to tell the user when step is HEETCH_STEP_ERROR; ask_again:
	 * the SMS code may be typed again (wrong code) or a new one asked
	 * (expired, too many tries). */
	enum connector_result	 result;
	int			 ask_again;
	char			 message[512];
};

/* status is the HTTP status; body the answer.  Always fills *a. */
void	heetch_auth_parse(int status, const char *body, size_t len,
	    struct heetch_auth *a);

enum heetch_answer {
	HEETCH_ANSWER_OK,	/* 200 with JSON: read it */
	HEETCH_ANSWER_EXPIRED,	/* 307/302 to the login, 401, 403 */
	HEETCH_ANSWER_TRANSIENT,/* 429, 5xx: try later */
	HEETCH_ANSWER_ERROR,	/* anything else, with a message */
};

/* What a portal answer means.  content_type and location may be NULL. */
enum heetch_answer	heetch_answer_kind(int status, const char *content_type,
			    const char *location, char *message, size_t size);

/* A session pasted from a browser: a Cookie header ("heetch_driver_session
 * =…; heetch_auth_token=…", "Cookie:" in front allowed) or the bare value
 * of heetch_driver_session.  Into jar (emptied first): 0, or -1 with the
 * French reason in message. */
int	heetch_session_paste(struct cookiejar *jar, const char *text, size_t len,
	    char *message, size_t size);
/* Whether jar holds a live heetch_driver_session at now. */
int	heetch_session_usable(const struct cookiejar *jar, long long now);

#endif
