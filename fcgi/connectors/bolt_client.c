/* Bolt's session: token and calls (bolt_api.h). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bolt_api.h"

#define SCOPE		"fleet-integration:api"
#define PREFIX		"/fleetIntegration/v1/"
/* Refresh this long before the token expires (it lasts about 600 s). */
#define EARLY		60

static const char *const accept_json[] = { "Accept: application/json", NULL };

void
bolt_session_init(struct bolt_session *s, const struct live_env *env,
    const json_t *config)
{
	memset(s, 0, sizeof(*s));
	s->env = env;
	s->client_id = json_string_value(json_object_get(config, "client_id"));
	s->client_secret = json_string_value(json_object_get(config,
	    "client_secret"));
}

void
bolt_session_clear(struct bolt_session *s)
{
	sodium_memzero(s->token, sizeof(s->token));
}

static void
fail(struct connector_outcome *out, enum connector_result r,
    const char *message, const struct http_response *resp)
{
	connector_fail(out, r, 0, 0, NULL, message);
	snprintf(out->detail, sizeof(out->detail), "%s",
	    resp != NULL ? resp->detail : "");
}

/* The token endpoint refused: what the person must do. */
static void
token_refused(const struct http_response *resp, struct connector_outcome *out)
{
	if (resp->status == 403)
		fail(out, CONN_CONFIG, "Bolt refuse l'accès à ce compte : l'accès "
		    "API de la flotte est bloqué ou désactivé. Vérifiez-le dans le "
		    "portail flotte Bolt (fleets.bolt.eu, Paramètres → API).", resp);
	else if (resp->status == 400 || resp->status == 401)
		fail(out, CONN_CONFIG, "Identifiants Bolt refusés : vérifiez le "
		    "client_id et le client_secret (portail flotte Bolt, "
		    "Paramètres → API ; renouveler les identifiants rend les "
		    "anciens invalides).", resp);
	else
		live_http_fail(out, "Bolt", resp, "Bolt a refusé la demande de "
		    "jeton d'accès : vérifiez les identifiants.");
}

static int
fetch_token(struct bolt_session *s, struct connector_outcome *out)
{
	const struct live_env	*env = s->env;
	struct http_request	 rq = { "POST", env->cfg->bolt_auth_url,
				    "application/x-www-form-urlencoded", NULL, 0,
				    NULL, accept_json };
	struct http_response	 resp;
	long			 expires;
	buf			 form;
	int			 rc = -1;

	if (s->client_id == NULL || s->client_secret == NULL) {
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Le client_id et le "
		    "client_secret de Bolt sont requis.");
		return -1;
	}
	if (live_endpoint(rq.url, "connexion de Bolt", out) == -1)
		return -1;
	buf_init(&form);
	http_form_add(&form, "grant_type", "client_credentials");
	http_form_add(&form, "client_id", s->client_id);
	http_form_add(&form, "client_secret", s->client_secret);
	http_form_add(&form, "scope", SCOPE);
	rq.body = buf_cstr(&form);
	rq.body_len = form.len;
	http_send(&env->http, &rq, &resp);
	s->requests++;
	sodium_memzero(form.data, form.len);
	buf_free(&form);
	if (resp.result != HTTP_OK)
		token_refused(&resp, out);
	else if (bolt_parse_token(resp.body.data, resp.body.len, s->token,
	    sizeof(s->token), &expires) == -1)
		fail(out, CONN_TRANSIENT, "Bolt a répondu sans jeton d'accès "
		    "lisible : nouvel essai plus tard.", &resp);
	else {
		s->token_until = time(NULL) + (expires > 2 * EARLY ?
		    expires - EARLY : expires / 2);
		rc = 0;
	}
	if (resp.body.data != NULL)
		sodium_memzero(resp.body.data, resp.body.len);
	http_response_free(&resp);
	return rc;
}

/* A business error inside an answer: never "no rows". */
static void
envelope_error(const struct bolt_envelope *e, const struct http_response *resp,
    struct connector_outcome *out)
{
	char	msg[512];

	switch (e->code) {
	case BOLT_INVALID_START_DATE:
		snprintf(msg, sizeof(msg), "Bolt refuse la date de début demandée "
		    "(code %lld) : choisissez une profondeur d'historique plus "
		    "courte.", e->code);
		break;
	case BOLT_INVALID_DATE_RANGE:
		snprintf(msg, sizeof(msg), "Bolt refuse une période trop longue "
		    "(code %lld).", e->code);
		break;
	case BOLT_COMPANY_NOT_FOUND:
	case BOLT_COMPANY_NOT_ACTIVE:
	case BOLT_COMPANY_NOT_ALLOWED:
	case BOLT_NOT_AUTHORIZED:
		snprintf(msg, sizeof(msg), "Bolt refuse l'accès à la société "
		    "demandée (code %lld %s%s%s) : vérifiez les identifiants de "
		    "sociétés.", e->code, e->message, *e->hint ? ", " : "",
		    e->hint);
		break;
	default:
		snprintf(msg, sizeof(msg), "Bolt a refusé la demande (code %lld : "
		    "%s).", e->code, *e->message ? e->message : "sans message");
	}
	fail(out, CONN_CONFIG, msg, resp);
	snprintf(out->detail + strlen(out->detail), sizeof(out->detail) -
	    strlen(out->detail), "; Bolt code %lld %s", e->code, e->hint);
}

static void
refused(const struct http_response *resp, struct connector_outcome *out)
{
	if (resp->status == 401)
		fail(out, CONN_CONFIG, "Bolt refuse le jeton d'accès tout juste "
		    "obtenu : vérifiez que les identifiants ont accès à l'API "
		    "flotte (fleet-integration).", resp);
	else if (resp->status == 403)
		fail(out, CONN_CONFIG, "Ces identifiants sont valides mais ne "
		    "donnent pas accès aux données de la flotte (erreur 403) : "
		    "vérifiez les droits de l'accès API dans le portail Bolt.",
		    resp);
	else
		live_http_fail(out, "Bolt", resp, "Bolt a refusé la demande : "
		    "vérifiez la configuration de la source.");
}

int
bolt_call(struct bolt_session *s, const char *op, const json_t *body,
    json_t **data, long long *code, struct connector_outcome *out)
{
	const struct live_env	*env = s->env;
	struct bolt_envelope	 e;
	struct http_response	 resp;
	struct http_request	 rq = { body ? "POST" : "GET", NULL,
				    body ? "application/json" : NULL, NULL, 0,
				    NULL, accept_json };
	char			 url[2200], auth[BOLT_TOKEN_MAX + 8];
	char			*text = NULL;
	int			 tries, rc = -1;

	*data = NULL;
	*code = 0;
	if (live_endpoint(env->cfg->bolt_api_url, "l'API de Bolt", out) == -1)
		return -1;
	snprintf(url, sizeof(url), "%.2000s" PREFIX "%s", env->cfg->bolt_api_url,
	    op);
	rq.url = url;
	if (body != NULL) {
		if ((text = json_dumps(body, JSON_COMPACT)) == NULL)
			return -1;
		rq.body = text;
		rq.body_len = strlen(text);
	}
	for (tries = 0; ; tries++) {
		if ((*s->token == '\0' || time(NULL) >= s->token_until) &&
		    fetch_token(s, out) == -1)
			goto out;
		snprintf(auth, sizeof(auth), "Bearer %s", s->token);
		rq.authorization = auth;
		http_send(&env->http, &rq, &resp);
		sodium_memzero(auth, sizeof(auth));
		s->requests++;
		/* Expired early, or revoked: one new token, once. */
		if (resp.status == 401 && tries == 0) {
			http_response_free(&resp);
			*s->token = '\0';
			continue;
		}
		break;
	}
	if (resp.result != HTTP_OK)
		refused(&resp, out);
	else if (bolt_parse_envelope(resp.body.data, resp.body.len, &e) == -1)
		fail(out, CONN_TRANSIENT, "Bolt a répondu de façon illisible "
		    "(pas d'enveloppe {code, data}) : nouvel essai plus tard.",
		    &resp);
	else if (e.code != 0) {
		*code = e.code;
		envelope_error(&e, &resp, out);
	} else {
		*data = e.data;
		rc = 0;
	}
	http_response_free(&resp);
out:
	free(text);
	return rc;
}

int
bolt_companies(struct bolt_session *s, long long *ids, int max,
    struct connector_outcome *out)
{
	json_t		*data;
	long long	 code;
	int		 n;

	if (bolt_call(s, "getCompanies", NULL, &data, &code, out) == -1)
		return -1;
	n = bolt_parse_companies(data, ids, max);
	json_decref(data);
	if (n < 0)
		connector_fail(out, CONN_TRANSIENT, 0, 0, NULL, "Bolt a répondu "
		    "sans la liste des sociétés (company_ids) : nouvel essai plus "
		    "tard.");
	return n;
}
