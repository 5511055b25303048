/* Heetch's auth gateway answers and portal session (heetch_session.h).
 * The errors Heetch names map to a sentence the user can act on, through
 * one table; an answer that is not JSON, or names no state, is an
 * unexpected answer, never a success. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "heetch_session.h"

#define PORTAL_ORIGIN	"https://driver.heetch.com/"
#define LOGIN_ORIGIN	"https://auth.heetch.com"

static const struct {
	const char		*error;
	enum connector_result	 result;
	int			 ask_again;
	const char		*message;
} errors[] = {
	{ "invalid_credentials", CONN_CONFIG, 0, "Heetch refuse le mot de "
	    "passe de ce numéro : corrigez le mot de passe de la source puis "
	    "reconnectez-vous." },
	{ "unknown_phone_number", CONN_CONFIG, 0, "Heetch ne connaît aucun "
	    "compte à ce numéro : vérifiez le numéro de téléphone de la source "
	    "(celui du compte gestionnaire de flotte)." },
	{ "invalid_phone_number", CONN_CONFIG, 0, "Heetch refuse ce numéro : "
	    "écrivez-le au format international, par exemple +33612345678." },
	{ "account_locked", CONN_CONFIG, 0, "Le compte Heetch est verrouillé : "
	    "débloquez-le auprès de Heetch, puis reconnectez-vous." },
	{ "recaptcha_required", CONN_CONFIG, 0, "Heetch demande une "
	    "vérification reCAPTCHA que FleetCore ne peut pas passer à votre "
	    "place : connectez-vous sur driver.heetch.com dans votre "
	    "navigateur et collez ici le cookie de session." },
	{ "invalid_code", CONN_CONFIG, 1, "Code SMS incorrect : vérifiez le "
	    "dernier SMS reçu de Heetch et saisissez-le de nouveau." },
	{ "code_expired", CONN_CONFIG, 1, "Le code SMS a expiré : relancez la "
	    "connexion pour en recevoir un nouveau." },
	{ "too_many_attempts", CONN_CONFIG, 1, "Trop de codes incorrects : "
	    "relancez la connexion pour recevoir un nouveau code." },
	{ "invalid_token", CONN_CONFIG, 1, "La connexion Heetch en cours a été "
	    "interrompue : relancez-la." },
	{ "invalid_state", CONN_CONFIG, 1, "La connexion Heetch en cours a été "
	    "interrompue : relancez-la." },
};

static void
fail(struct heetch_auth *a, enum connector_result r, int again,
    const char *msg)
{
	a->step = HEETCH_STEP_ERROR;
	a->result = r;
	a->ask_again = again;
	snprintf(a->message, sizeof(a->message), "%s", msg);
}

static void
named_error(struct heetch_auth *a, int status, const char *code)
{
	size_t	i;
	char	msg[256];

	snprintf(a->error, sizeof(a->error), "%s", code ? code : "");
	for (i = 0; code != NULL && i < sizeof(errors) / sizeof(errors[0]); i++)
		if (strcmp(errors[i].error, code) == 0) {
			fail(a, errors[i].result, errors[i].ask_again,
			    errors[i].message);
			return;
		}
	if (status == 429 || status >= 500) {
		snprintf(msg, sizeof(msg), "Heetch ne répond pas normalement "
		    "(HTTP %d) : la connexion sera possible plus tard.", status);
		fail(a, CONN_TRANSIENT, 0, msg);
		return;
	}
	snprintf(msg, sizeof(msg), "Heetch a refusé la connexion (HTTP %d%s%s)"
	    " : relancez-la ; si cela se répète, collez le cookie de session "
	    "d'un navigateur.", status, code ? ", " : "", code ? code : "");
	fail(a, CONN_CONFIG, 0, msg);
}

/* redirect_url must be on the portal: keep its path and query. */
static int
redirect_path(struct heetch_auth *a, const char *url)
{
	const char	*p;
	size_t		 n = strlen(PORTAL_ORIGIN);

	if (url == NULL || strncmp(url, PORTAL_ORIGIN, n) != 0)
		return -1;
	p = url + n - 1;
	if (strlen(p) >= sizeof(a->redirect_path) || strpbrk(p, " \r\n\t#") ||
	    strncmp(p, "//", 2) == 0)
		return -1;
	snprintf(a->redirect_path, sizeof(a->redirect_path), "%s", p);
	return 0;
}

static const struct {
	const char		*state;
	enum heetch_step	 step;
} states[] = {
	{ "sms_code_required", HEETCH_STEP_SMS_CODE },
	{ "password_required", HEETCH_STEP_PASSWORD },
	{ "authenticated", HEETCH_STEP_AUTHENTICATED },
	{ "authentication_required", HEETCH_STEP_START },
};

void
heetch_auth_parse(int status, const char *body, size_t len,
    struct heetch_auth *a)
{
	json_t		*doc, *v;
	const char	*state, *tok;
	size_t		 i;

	memset(a, 0, sizeof(*a));
	a->attempts_left = -1;
	a->result = CONN_OK;
	doc = len > 0 && len < 65536 ? json_loadb(body, len, 0, NULL) : NULL;
	if (status < 200 || status > 299) {
		if (json_is_integer(v = json_object_get(doc, "attempts_left")))
			a->attempts_left = (int)json_integer_value(v);
		named_error(a, status, json_string_value(json_object_get(doc,
		    "error")));
		json_decref(doc);
		return;
	}
	state = json_string_value(json_object_get(doc, "state"));
	a->step = HEETCH_STEP_ERROR;
	for (i = 0; state != NULL && i < sizeof(states) / sizeof(states[0]); i++)
		if (strcmp(states[i].state, state) == 0)
			a->step = states[i].step;
	if (a->step == HEETCH_STEP_ERROR) {
		fail(a, CONN_TRANSIENT, 0, "Réponse inattendue de Heetch pendant "
		    "la connexion : réessayez plus tard.");
		json_decref(doc);
		return;
	}
	if ((tok = json_string_value(json_object_get(doc, "token"))) != NULL) {
		if (strlen(tok) >= sizeof(a->token) ||
		    strspn(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789-_.~+/=") != strlen(tok) || *tok == '\0') {
			fail(a, CONN_TRANSIENT, 0, "Jeton de connexion Heetch "
			    "illisible : réessayez plus tard.");
			json_decref(doc);
			return;
		}
		snprintf(a->token, sizeof(a->token), "%s", tok);
	}
	if (json_is_integer(v = json_object_get(doc, "expires_in")) &&
	    json_integer_value(v) > 0 && json_integer_value(v) < 86400)
		a->expires_in = (long)json_integer_value(v);
	if (json_is_integer(v = json_object_get(doc, "code_length")) &&
	    json_integer_value(v) > 0 && json_integer_value(v) <= 12)
		a->code_length = (int)json_integer_value(v);
	if (a->step == HEETCH_STEP_SMS_CODE && a->token[0] == '\0')
		fail(a, CONN_TRANSIENT, 0, "Heetch demande le code SMS sans "
		    "jeton de connexion : réessayez plus tard.");
	else if (a->step == HEETCH_STEP_AUTHENTICATED && redirect_path(a,
	    json_string_value(json_object_get(doc, "redirect_url"))) != 0)
		fail(a, CONN_TRANSIENT, 0, "Heetch a accepté la connexion sans "
		    "adresse de retour vers driver.heetch.com : réessayez plus "
		    "tard.");
	json_decref(doc);
}

enum heetch_answer
heetch_answer_kind(int status, const char *content_type, const char *location,
    char *message, size_t size)
{
	if (status == 401 || status == 403 || ((status == 307 ||
	    status == 302 || status == 303) && location != NULL &&
	    strncmp(location, LOGIN_ORIGIN, strlen(LOGIN_ORIGIN)) == 0 &&
	    strchr("/?", location[strlen(LOGIN_ORIGIN)]) != NULL)) {
		snprintf(message, size, "La session Heetch a expiré : "
		    "reconnectez la source (« Se connecter ») ou collez un "
		    "nouveau cookie de session.");
		return HEETCH_ANSWER_EXPIRED;
	}
	if (status == 429 || status >= 500) {
		snprintf(message, size, "Heetch ne répond pas normalement (HTTP "
		    "%d) : la synchronisation reprendra plus tard.", status);
		return HEETCH_ANSWER_TRANSIENT;
	}
	if (status == 200 && content_type != NULL &&
	    strncmp(content_type, "application/json", 16) == 0)
		return HEETCH_ANSWER_OK;
	snprintf(message, size, "Réponse inattendue du portail Heetch (HTTP %d"
	    "%s%s) : réessayez ; si cela se répète, signalez-le.", status,
	    content_type ? ", " : "", content_type ? content_type : "");
	return HEETCH_ANSWER_ERROR;
}

int
heetch_session_paste(struct cookiejar *jar, const char *text, size_t len,
    char *message, size_t size)
{
	struct cookiejar	 next;
	char			 line[COOKIE_VALUE_MAX + 64];
	int			 n;

	memset(&next, 0, sizeof(next));
	if (memchr(text, '=', len) == NULL) {
		/* The bare value, as a browser's cookie list shows it. */
		while (len > 0 && strchr(" \t\r\n", text[len - 1]))
			len--;
		while (len > 0 && strchr(" \t\r\n", *text)) {
			text++;
			len--;
		}
		n = snprintf(line, sizeof(line), "%s=%.*s",
		    HEETCH_SESSION_COOKIE, (int)(len < sizeof(line) ? len :
		    sizeof(line)), text);
		if (len == 0 || n < 0 || (size_t)n >= sizeof(line) ||
		    cookiejar_paste(&next, line, (size_t)n) != 0)
			goto bad;
	} else if (cookiejar_paste(&next, text, len) != 0)
		goto bad;
	if (cookiejar_get(&next, HEETCH_SESSION_COOKIE, 0) == NULL) {
		snprintf(message, size, "Le cookie « %s » manque : copiez tous "
		    "les cookies de driver.heetch.com, ou seulement la valeur de "
		    "celui-ci.", HEETCH_SESSION_COOKIE);
		return -1;
	}
	*jar = next;
	return 0;
bad:
	snprintf(message, size, "Ce texte n'est pas un cookie de session : "
	    "collez la valeur du cookie « %s » ou la ligne « Cookie: » "
	    "entière.", HEETCH_SESSION_COOKIE);
	return -1;
}

int
heetch_session_usable(const struct cookiejar *jar, long long now)
{
	return cookiejar_get(jar, HEETCH_SESSION_COOKIE, now) != NULL;
}
