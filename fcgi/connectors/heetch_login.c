/* The login to Heetch's portal (platforms.md §2.3), from the job runner:
 * the auth gateway (FLEETCORE_HEETCH_AUTH_URL) wants a device id on every
 * call and the origin of its own login page; the code and the password
 * go with the login's token; the answer to the password names the
 * portal's callback, which is called on the configured portal address
 * (never on a host an answer names) and sets the session's cookies. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heetch_portal.h"

#define ORIGIN	"https://auth.heetch.com"

static void
device_id(char out[40])
{
	unsigned char	b[16];

	randombytes_buf(b, sizeof(b));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* One call to the gateway: path, a JSON body or NULL (GET), the login's
 * token or NULL.  The answer parsed into *a; -1 when Heetch could not be
 * reached (out failed). */
static int
gateway(const struct live_env *env, const char *dev, const char *path,
    const json_t *body, const char *token, struct heetch_auth *a,
    struct connector_outcome *out)
{
	struct http_request	 rq = { body ? "POST" : "GET", NULL,
				    body ? "application/json" : NULL, NULL, 0,
				    NULL, NULL };
	struct http_response	 resp;
	char			 url[1200], devh[64], auth[300];
	const char		*headers[5];
	char			*text = NULL;
	int			 rc = 0;

	if (live_endpoint(env->cfg->heetch_auth_url, "connexion de Heetch",
	    out) == -1)
		return -1;
	snprintf(url, sizeof(url), "%.1000s%s", env->cfg->heetch_auth_url, path);
	snprintf(devh, sizeof(devh), "device-id: %s", dev);
	headers[0] = "Accept: application/json";
	headers[1] = devh;
	headers[2] = "Origin: " ORIGIN;
	headers[3] = "Referer: " ORIGIN "/";
	headers[4] = NULL;
	rq.url = url;
	rq.headers = headers;
	if (token != NULL) {
		snprintf(auth, sizeof(auth), "Token %s", token);
		rq.authorization = auth;
	}
	if (body != NULL) {
		if ((text = json_dumps(body, JSON_COMPACT)) == NULL)
			return -1;
		rq.body = text;
		rq.body_len = strlen(text);
	}
	http_send(&env->http, &rq, &resp);
	if (text != NULL) {
		sodium_memzero(text, strlen(text));
		free(text);
	}
	sodium_memzero(auth, sizeof(auth));
	if (resp.status == 0 || resp.result == HTTP_STOPPED) {
		live_http_fail(out, "Heetch", &resp, "Heetch est injoignable.");
		rc = -1;
	} else {
		heetch_auth_parse((int)resp.status, resp.body.data, resp.body.len,
		    a);
		snprintf(out->detail, sizeof(out->detail), "%s", resp.detail);
	}
	if (resp.body.data != NULL)
		sodium_memzero(resp.body.data, resp.body.len);
	http_response_free(&resp);
	return rc;
}

static int
failed(struct heetch_auth *a, struct connector_outcome *out)
{
	connector_fail(out, a->result == CONN_OK ? CONN_TRANSIENT : a->result,
	    0, 0, NULL, a->message[0] ? a->message : "Réponse inattendue de "
	    "Heetch pendant la connexion.");
	return -1;
}

int
heetch_login_start(const struct live_env *env, const json_t *config,
    struct heetch_login *l, struct heetch_auth *a,
    struct connector_outcome *out)
{
	const char	*phone = json_string_value(json_object_get(config,
			    "phone_number"));
	json_t		*body;
	int		 rc;

	memset(l, 0, sizeof(*l));
	memset(a, 0, sizeof(*a));
	if (phone == NULL || *phone == '\0') {
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Le numéro de "
		    "téléphone du compte Heetch est requis.");
		return -1;
	}
	device_id(l->device_id);
	if (gateway(env, l->device_id, "/session", NULL, NULL, a, out) == -1)
		return -1;
	if (a->step == HEETCH_STEP_ERROR)
		return failed(a, out);
	body = json_pack("{s:s, s:s, s:s, s:s}", "client", "web",
	    "phone_number", phone, "action", "login", "challenge", "score");
	rc = gateway(env, l->device_id, "/web/session", body, NULL, a, out);
	json_decref(body);
	if (rc == -1)
		return -1;
	if (a->step != HEETCH_STEP_SMS_CODE)
		return failed(a, out);
	snprintf(l->token, sizeof(l->token), "%s", a->token);
	l->expires_in = a->expires_in > 0 ? a->expires_in : 300;
	l->code_length = a->code_length;
	return 0;
}

/* The callback: its Set-Cookie lines into jar. */
static int
callback(const struct live_env *env, const char *path, struct cookiejar *jar,
    struct connector_outcome *out)
{
	struct http_request	 rq = { "GET", NULL, NULL, NULL, 0, NULL, NULL };
	struct http_response	 resp;
	char			 url[2200];
	const char		*p, *nl, *end;
	int			 rc = -1;

	if (live_endpoint(env->cfg->heetch_api_url, "portail de Heetch",
	    out) == -1)
		return -1;
	snprintf(url, sizeof(url), "%.1000s%s", env->cfg->heetch_api_url, path);
	rq.url = url;
	http_send(&env->http, &rq, &resp);
	memset(jar, 0, sizeof(*jar));
	if (resp.status == 302 || resp.status == 303 || resp.status == 200) {
		p = buf_cstr(&resp.cookies);
		end = p + resp.cookies.len;
		for (; p < end; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			(void)cookiejar_set(jar, p, (size_t)(nl - p),
			    (long long)env->now);
			if (nl == end)
				break;
		}
	}
	if (heetch_session_usable(jar, (long long)env->now))
		rc = 0;
	else if (resp.status == 0 || resp.result == HTTP_STOPPED)
		live_http_fail(out, "Heetch", &resp, "Heetch est injoignable.");
	else
		connector_fail(out, CONN_TRANSIENT, 0, 0, NULL, "Heetch a accepté "
		    "la connexion mais n'a pas ouvert de session (cookie "
		    HEETCH_SESSION_COOKIE " absent) : relancez la connexion.");
	if (rc == -1)
		snprintf(out->detail, sizeof(out->detail), "%s", resp.detail);
	if (resp.cookies.data != NULL)
		sodium_memzero(resp.cookies.data, resp.cookies.len);
	http_response_free(&resp);
	return rc;
}

int
heetch_login_finish(const struct live_env *env, const json_t *config,
    const struct heetch_login *l, const char *code, struct cookiejar *jar,
    struct heetch_auth *a, struct connector_outcome *out)
{
	const char	*password = json_string_value(json_object_get(config,
			    "password"));
	json_t		*body;
	int		 rc;

	memset(a, 0, sizeof(*a));
	if (password == NULL || *password == '\0') {
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Le mot de passe du "
		    "compte Heetch est requis.");
		return -1;
	}
	body = json_pack("{s:s, s:s, s:s}", "client", "web", "action",
	    "verify_code", "code", code);
	rc = gateway(env, l->device_id, "/web/session", body, l->token, a, out);
	json_decref(body);
	if (rc == -1)
		return -1;
	if (a->step != HEETCH_STEP_PASSWORD)
		return failed(a, out);
	body = json_pack("{s:s, s:s, s:s}", "client", "web", "action",
	    "verify_password", "password", password);
	rc = gateway(env, l->device_id, "/web/session", body, l->token, a, out);
	json_decref(body);
	if (rc == -1)
		return -1;
	if (a->step != HEETCH_STEP_AUTHENTICATED)
		return failed(a, out);
	return callback(env, a->redirect_path, jar, out);
}
