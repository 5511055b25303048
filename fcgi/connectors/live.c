/* What live types share (live.h): their environment, endpoints, cursors,
 * the first sync's depth and what a failed request says. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch_url.h"
#include "live.h"

const char *const live_backfill_weeks[] = { "1", "2", "4", "8", "12", "26",
	"52", NULL };

void
live_env_init(struct live_env *e, const struct config *cfg, int for_check)
{
	memset(e, 0, sizeof(*e));
	e->cfg = cfg;
	e->allow_internal = !config_is_production(cfg);
	e->now = time(NULL);
	http_policy_default(&e->http);
	/* The fetcher's rule: in production only public addresses, whatever
	 * a name resolves to. */
	if (!e->allow_internal)
		e->http.address_ok = fetch_address_is_public;
	if (for_check) {
		e->http.timeout = 10;
		e->http.max_attempts = 2;
		e->http.max_delay_ms = 2000;
	}
}

int
live_endpoint(const char *url, const char *what, struct connector_outcome *out)
{
	const char	*why = fetch_url_check(url);
	char		 msg[400];

	if (why == NULL)
		return 0;
	snprintf(msg, sizeof(msg), "Adresse de %s invalide (%s) : vérifiez la "
	    "configuration du serveur.", what, fetch_url_french(why));
	connector_fail(out, CONN_CONFIG, 0, 0, NULL, msg);
	return -1;
}

const char *
live_cursor(const struct live_env *e, const char *stream)
{
	const char	*c = json_string_value(json_object_get(e->streams, stream));

	return c != NULL && *c != '\0' ? c : NULL;
}

long
live_backfill_seconds(const json_t *config)
{
	const char	*w = json_string_value(json_object_get(config,
			    "backfill_weeks"));
	long		 weeks = w != NULL ? strtol(w, NULL, 10) : 8;

	if (weeks < 1 || weeks > 52)
		weeks = 8;
	return weeks * 7 * 86400L;
}

void
live_http_fail(struct connector_outcome *out, const char *platform,
    const struct http_response *resp, const char *message)
{
	char	msg[512];

	switch (resp->result) {
	case HTTP_STOPPED:
		connector_fail(out, CONN_STOPPED, 0, 0, NULL, "Interrompu.");
		break;
	case HTTP_TRANSIENT:
		if (resp->status == 429)
			snprintf(msg, sizeof(msg), "%s limite le nombre de demandes "
			    "(erreur 429) et n'a pas répondu après %d essais.",
			    platform, resp->attempts);
		else if (resp->status > 0)
			snprintf(msg, sizeof(msg), "%s est indisponible pour le "
			    "moment (erreur %ld).", platform, resp->status);
		else
			snprintf(msg, sizeof(msg), "%s est injoignable pour le "
			    "moment (pas de réponse).", platform);
		connector_fail(out, CONN_TRANSIENT, 0, 0, NULL, msg);
		break;
	default:
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, message);
	}
	snprintf(out->detail, sizeof(out->detail), "%s", resp->detail);
}

json_t *
live_discover(const struct live_stream *s, size_t n)
{
	json_t	*list = json_array(), *fields;
	size_t	 i, k;

	for (i = 0; i < n; i++) {
		fields = json_array();
		for (k = 0; s[i].fields[k] != NULL; k++)
			json_array_append_new(fields, json_string(s[i].fields[k]));
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:o}",
		    "name", s[i].name, "table", canon_table(s[i].table)->name,
		    "key_space", s[i].key_space, "fields", fields));
	}
	return list;
}
