/* Uber's session: token and calls (uber_api.h). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uber_api.h"

static const char *const accept_json[] = { "Accept: application/json", NULL };

void
uber_session_init(struct uber_session *s, const struct live_env *env,
    const json_t *config)
{
	memset(s, 0, sizeof(*s));
	s->env = env;
	s->client_id = json_string_value(json_object_get(config, "client_id"));
	s->client_secret = json_string_value(json_object_get(config,
	    "client_secret"));
}

void
uber_session_clear(struct uber_session *s)
{
	sodium_memzero(s->token, sizeof(s->token));
}

int
uber_session_token(struct uber_session *s, struct connector_outcome *out)
{
	const struct live_env	*env = s->env;
	struct http_request	 rq = { "POST", env->cfg->uber_auth_url,
				    "application/x-www-form-urlencoded", NULL, 0,
				    NULL, accept_json };
	struct http_response	 resp;
	struct uber_token	*t;
	buf			 form;
	int			 rc = -1;

	if (s->token[0] != '\0')
		return 0;
	if (s->client_id == NULL || *s->client_id == '\0' ||
	    s->client_secret == NULL || *s->client_secret == '\0') {
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Le client_id et le "
		    "client_secret d'Uber sont requis.");
		return -1;
	}
	if (live_endpoint(rq.url, "connexion d'Uber", out) == -1 ||
	    (t = malloc(sizeof(*t))) == NULL)
		return -1;
	buf_init(&form);
	http_form_add(&form, "grant_type", "client_credentials");
	http_form_add(&form, "client_id", s->client_id);
	http_form_add(&form, "client_secret", s->client_secret);
	http_form_add(&form, "scope", UBER_SCOPES);
	rq.body = buf_cstr(&form);
	rq.body_len = form.len;
	http_send(&env->http, &rq, &resp);
	s->requests++;
	sodium_memzero(form.data, form.len);
	buf_free(&form);
	if (resp.result == HTTP_STOPPED || (resp.status == 0 &&
	    resp.result != HTTP_OK))
		live_http_fail(out, "Uber", &resp, "Uber est injoignable.");
	else {
		uber_token_parse((int)resp.status, resp.body.data, resp.body.len,
		    t, out);
		if (out->result == CONN_OK) {
			snprintf(s->token, sizeof(s->token), "%s", t->access_token);
			rc = 0;
		} else if (out->detail[0] == '\0')
			snprintf(out->detail, sizeof(out->detail), "%s",
			    resp.detail);
	}
	sodium_memzero(t, sizeof(*t));
	free(t);
	if (resp.body.data != NULL)
		sodium_memzero(resp.body.data, resp.body.len);
	http_response_free(&resp);
	return rc;
}

int
uber_get(struct uber_session *s, const char *path, const char *query,
    const char *what, buf *body, struct connector_outcome *out)
{
	const struct live_env	*env = s->env;
	struct http_response	 resp;
	struct http_request	 rq = { "GET", NULL, NULL, NULL, 0, NULL,
				    accept_json };
	char			*url, auth[sizeof(s->token) + 8];
	int			 tries, rc = -1;

	buf_init(body);
	if (live_endpoint(env->cfg->uber_api_url, "l'API d'Uber", out) == -1)
		return -1;
	if ((url = malloc(strlen(env->cfg->uber_api_url) + strlen(path) +
	    strlen(query) + 2)) == NULL)
		return -1;
	sprintf(url, "%s%s%s%s", env->cfg->uber_api_url, path, *query ? "?" :
	    "", query);
	rq.url = url;
	for (tries = 0; ; tries++) {
		if (uber_session_token(s, out) == -1)
			goto out;
		snprintf(auth, sizeof(auth), "Bearer %s", s->token);
		rq.authorization = auth;
		http_send(&env->http, &rq, &resp);
		sodium_memzero(auth, sizeof(auth));
		s->requests++;
		/* Expired early, or revoked: one new token, once. */
		if (resp.status == 401 && tries == 0) {
			http_response_free(&resp);
			sodium_memzero(s->token, sizeof(s->token));
			continue;
		}
		break;
	}
	if (resp.result == HTTP_OK) {
		*body = resp.body;
		buf_init(&resp.body);
		rc = 0;
	} else if (resp.result == HTTP_STOPPED || resp.status == 0)
		live_http_fail(out, "Uber", &resp, "Uber est injoignable.");
	else {
		uber_api_error((int)resp.status, resp.body.data, resp.body.len,
		    what, out);
		snprintf(out->detail + strlen(out->detail), sizeof(out->detail) -
		    strlen(out->detail), "; %s", resp.detail);
	}
	http_response_free(&resp);
out:
	free(url);
	return rc;
}

json_t *
uber_orgs(struct uber_session *s, struct connector_outcome *out)
{
	json_t	*ids;
	buf	 body;

	if (uber_get(s, "/v1/vehicle-suppliers/orgs", "", "les organisations",
	    &body, out) == -1)
		return NULL;
	ids = uber_orgs_parse(body.data, body.len, out);
	buf_free(&body);
	return ids;
}
