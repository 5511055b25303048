/* The login of a portal source from its page and the API
 * (sources_session_web.h).  The work is sources_session.c's; here only
 * which step a request asks for and how the answer is shown. */
#include <string.h>

#include "api.h"
#include "resource/api_input.h"
#include "sources.h"
#include "sources_session.h"
#include "sources_session_web.h"
#include "sources_view.h"
#include "resource/view.h"
#include "valid.h"

/* Back to the source's page, whose flash shows "sources.done.<done>",
 * or for a refusal "sources.error.<x>" (key) by ?error=x. */
static int
back(struct request *r, const char *id, int rc, const char *key,
    const char *done)
{
	const char	*rest;

	if (rc == 0)
		rest = arena_printf(r->arena, "?done=%s", done);
	else if ((rc == 409 || rc == 422) && key != NULL)
		rest = arena_printf(r->arena, "?error=%s", key +
		    strlen("sources.error."));
	else
		return rc;
	return http_redirect(r, 303, sources_view_href(r, id, rest));
}

int
sources_login_web(struct request *r)
{
	const char	*id = http_param_uuid(r, 0);
	const char	*action = http_form(r, "action"), *key = NULL;
	char		 run_id[40];
	int		 rc;

	if (action != NULL && strcmp(action, "code") == 0) {
		rc = source_session_code(r, id, http_form(r, "sms_code"), &key);
		return back(r, id, rc, key, "session_code");
	}
	if (action != NULL && strcmp(action, "paste") == 0) {
		rc = source_session_paste(r, id, http_form(r, "session_cookie"),
		    run_id, &key);
		return back(r, id, rc, key, "session_pasted");
	}
	rc = source_session_start(r, id, &key);
	return back(r, id, rc, key, "session_started");
}

static int
refused(struct request *r, int rc, const char *field, const char *key)
{
	if (key == NULL)
		return rc;	/* not the request's fault */
	if (rc == 422)
		return api_invalid(r, valid_one_error(r, field, key));
	if (rc == 409)
		return api_error_key(r, 409, "conflict", key, NULL) == 0 ? 409 :
		    500;
	return rc;
}

int
sources_api_login(struct request *r)
{
	const char	*id = http_param_uuid(r, 0), *key = NULL;
	json_t		*code, *cookie, *s;
	char		 run_id[40];
	int		 rc;

	if ((rc = api_require_object(r)) != 0)
		return rc;
	code = json_object_get(r->json, "sms_code");
	cookie = json_object_get(r->json, "session_cookie");
	if ((code != NULL && !json_is_string(code)) ||
	    (cookie != NULL && !json_is_string(cookie)))
		return api_invalid(r, valid_one_error(r, code != NULL &&
		    !json_is_string(code) ? "sms_code" : "session_cookie",
		    "valid.text"));
	if (code != NULL && cookie != NULL)
		return api_invalid(r, valid_one_error(r, "session_cookie",
		    "sources.error.session_one"));
	if (code != NULL)
		rc = source_session_code(r, id, json_string_value(code), &key);
	else if (cookie != NULL)
		rc = source_session_paste(r, id, json_string_value(cookie),
		    run_id, &key);
	else
		rc = source_session_start(r, id, &key);
	if (rc != 0)
		return refused(r, rc, code != NULL ? "sms_code" : "session_cookie",
		    key);
	if ((s = source_get(r, id, &rc)) == NULL)
		return rc;
	if (cookie != NULL && run_id[0] != '\0')
		json_object_set_new(s, "run_id", json_string(run_id));
	return api_ok(r, 202, s);
}

/* ---- on the source's page ------------------------------------------------ */

static const char *
state_tone(const char *state)
{
	if (strcmp(state, "connecte") == 0)
		return "ok";
	if (strcmp(state, "expiree") == 0)
		return "danger";
	return "warn";
}

void
sources_session_view(struct request *r, json_t *s, json_t *view)
{
	json_t		*ss = json_object_get(s, "session"), *days, *d, *list;
	const char	*state;
	const char	*path;
	int		 alive;
	size_t		 i;

	if (!json_is_object(ss))
		ss = NULL;
	state = ss ? view_str(ss, "state") : "deconnecte";
	path = ss ? view_str(ss, "path") : "";
	alive = json_is_true(json_object_get(ss, "code_alive"));

	if (strcmp(view_str(s, "type"), "heetch_portal") == 0)
		json_object_set_new(view, "session", json_pack("{s:s, s:s, s:s,"
		    " s:b, s:b, s:b, s:b, s:b, s:b, s:s, s:s, s:s, s:s, s:s}",
		    "state", tr(r, arena_printf(r->arena,
		    "sources.session.state_%s", state)),
		    "tone", state_tone(state),
		    "path", *path ? tr(r, arena_printf(r->arena,
		    "sources.session.path_%s", path)) : "",
		    "none", ss == NULL,
		    "connecting", strcmp(state, "connexion") == 0,
		    "awaiting_code", strcmp(state, "code_sms") == 0 && alive,
		    "code_expired", strcmp(state, "code_sms") == 0 && !alive,
		    "connected", strcmp(state, "connecte") == 0,
		    "expired", strcmp(state, "expiree") == 0,
		    "message", ss ? view_str(ss, "message") : "",
		    "code_expires", sources_view_datetime(r, json_object_get(ss,
		    "code_expires_at")),
		    "code_expires_relative", sources_view_relative(r,
		    json_object_get(ss, "code_expires_at")),
		    "connected_at", strcmp(state, "connecte") == 0 ?
		    sources_view_datetime(r, json_object_get(ss, "connected_at")) :
		    "",
		    "expired_at", strcmp(state, "expiree") == 0 ?
		    sources_view_datetime(r, json_object_get(ss, "expired_at")) :
		    ""));
	/* Uber's payments reach back 24 hours: a source not read every day
	 * by itself will have gaps. */
	if (strcmp(view_str(s, "type"), "uber_api") == 0 &&
	    (!json_is_true(json_object_get(s, "auto_mode")) ||
	    (strcmp(view_str(s, "schedule"), "horaire") != 0 &&
	    strcmp(view_str(s, "schedule"), "quotidien") != 0)))
		json_object_set_new(view, "daily_warning", json_true());
	days = json_object_get(s, "missing_days");
	if (json_array_size(days) == 0)
		return;
	list = json_array();
	json_array_foreach(days, i, d)
		json_array_append_new(list, json_string(view_date(r, d)));
	json_object_set_new(view, "gaps", json_pack("{s:o, s:I}", "days", list,
	    "count", (json_int_t)json_array_size(days)));
}
