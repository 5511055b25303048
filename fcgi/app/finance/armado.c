#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "armado.h"
#include "buf.h"
#include "connectors/fetch_url.h"

#define USER_AGENT	"FleetCore"

/* The codes of the one public Armado integration (connectors.md §4.1),
 * which calls them its own guesses: kept here, in one table, to be set
 * to the organisation's Armado codes. */
static const struct {
	const char	*method;
	int		 code;
} payment_types[] = {
	{ "cheque", 1 },
	{ "virement", 2 },
	{ "carte", 3 },
	{ "especes", 4 },
	{ "prelevement", 5 },
	{ "compensation", 8 },	/* netted by a settlement: « autre » */
	{ "autre", 8 },
};

int
armado_payment_type(const char *method)
{
	size_t	i;

	for (i = 0; i < sizeof(payment_types) / sizeof(payment_types[0]); i++)
		if (strcmp(payment_types[i].method, method) == 0)
			return payment_types[i].code;
	return 8;
}

/* One call's answer, capped. */
struct answer {
	buf	body;
	int	too_big;
	int	internal;	/* a refused address */
	int	allow_internal;
};

static size_t
on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct answer	*a = ctx;
	size_t		 n = size * nmemb;

	if (a->body.len + n > ARMADO_MAX_BYTES) {
		a->too_big = 1;
		return 0;
	}
	return buf_append(&a->body, data, n) == 0 ? n : 0;
}

static curl_socket_t
on_open_socket(void *ctx, curlsocktype purpose, struct curl_sockaddr *addr)
{
	struct answer	*a = ctx;

	(void)purpose;
	if (!a->allow_internal && !fetch_address_is_public(&addr->addr)) {
		a->internal = 1;
		return CURL_SOCKET_BAD;
	}
	return socket(addr->family, addr->socktype, addr->protocol);
}

static void
say(struct armado_outcome *o, enum armado_result r, long status,
    const char *message, const char *fix)
{
	o->result = r;
	o->status = status;
	snprintf(o->message, sizeof(o->message), "%s", message);
	snprintf(o->fix, sizeof(o->fix), "%s", fix != NULL ? fix : "");
}

static int
global_init(void)
{
	static int	done;

	if (!done && curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK)
		done = 1;
	return done ? 0 : -1;
}

/* The ApiKey header (and the others), the key's copy wiped. */
static struct curl_slist *
headers(const char *key, int json_body)
{
	struct curl_slist	*h = NULL, *t;
	size_t			 n = strlen("ApiKey: ") + strlen(key) + 1;
	char			*line;

	if ((line = malloc(n)) == NULL)
		return NULL;
	snprintf(line, n, "ApiKey: %s", key);
	h = curl_slist_append(NULL, line);
	sodium_memzero(line, n);
	free(line);
	if (h == NULL || (t = curl_slist_append(h, "Accept: application/json"))
	    == NULL || (json_body && (t = curl_slist_append(h,
	    "Content-Type: application/json")) == NULL)) {
		curl_slist_free_all(h);
		return NULL;
	}
	return h;
}

static int
set_options(CURL *c, const struct armado *cfg, struct answer *a,
    const char *url, const char *method, const char *body,
    struct curl_slist *h, char *errbuf)
{
	int	rc = 0;

	rc |= curl_easy_setopt(c, CURLOPT_URL, url);
	rc |= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	rc |= curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	rc |= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
	    (long)ARMADO_CONNECT_TIMEOUT);
	rc |= curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)cfg->timeout);
	rc |= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	rc |= curl_easy_setopt(c, CURLOPT_PROXY, "");
	rc |= curl_easy_setopt(c, CURLOPT_USERAGENT, USER_AGENT);
	rc |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	rc |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	rc |= curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)ARMADO_MAX_BYTES);
	rc |= curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	rc |= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	rc |= curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
	rc |= curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
	rc |= curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, a);
	rc |= curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	if (strcmp(method, "PUT") == 0) {
		rc |= curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
		rc |= curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	}
	return rc;
}

/* What a curl error means: the outcome's words. */
static void
transport_error(const struct answer *a, CURLcode code,
    struct armado_outcome *o)
{
	if (a->internal)
		say(o, ARMADO_REFUSED, 0, "L'adresse d'Armado mène au réseau "
		    "interne du serveur : elle est refusée.", "Vérifiez "
		    "FLEETCORE_ARMADO_URL dans la configuration du serveur.");
	else if (a->too_big || code == CURLE_FILESIZE_EXCEEDED)
		say(o, ARMADO_REFUSED, 0, "La réponse d'Armado dépasse la "
		    "taille acceptée.", "Vérifiez l'adresse d'Armado "
		    "(FLEETCORE_ARMADO_URL) : elle ne mène pas à son API.");
	else if (code == CURLE_OPERATION_TIMEDOUT)
		say(o, ARMADO_TRANSIENT, 0, "Armado n'a pas répondu à temps.",
		    NULL);
	else if (code == CURLE_PEER_FAILED_VERIFICATION ||
	    code == CURLE_SSL_CACERT_BADFILE || code == CURLE_SSL_CERTPROBLEM)
		say(o, ARMADO_REFUSED, 0, "Le certificat d'Armado n'est pas "
		    "valide : la connexion a été refusée.", "Vérifiez "
		    "l'adresse d'Armado (FLEETCORE_ARMADO_URL).");
	else if (code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT)
		say(o, ARMADO_REFUSED, 0, "L'adresse d'Armado est invalide.",
		    "Vérifiez FLEETCORE_ARMADO_URL.");
	else
		say(o, ARMADO_TRANSIENT, 0, "Armado est injoignable pour le "
		    "moment.", NULL);
}

/* One HTTP exchange: 0 with *status and the answer's body, or -1 with
 * o set (the transport failed). */
static int
exchange(const struct armado *cfg, const char *method, const char *url,
    const char *body, struct answer *a, long *status,
    struct armado_outcome *o)
{
	struct curl_slist	*h;
	char			 errbuf[CURL_ERROR_SIZE] = "", host[128];
	CURL			*c = NULL;
	CURLcode		 code = CURLE_FAILED_INIT;
	int			 rc = -1;

	*status = 0;
	fetch_url_host(cfg->base_url, host, sizeof(host));
	a->allow_internal = cfg->allow_internal;
	if ((h = headers(cfg->api_key, body != NULL)) != NULL &&
	    global_init() == 0 && (c = curl_easy_init()) != NULL &&
	    set_options(c, cfg, a, url, method, body, h, errbuf) == 0 &&
	    (code = curl_easy_perform(c)) == CURLE_OK &&
	    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status) == CURLE_OK &&
	    !a->body.oom)
		rc = 0;
	else if (code == CURLE_FAILED_INIT || a->body.oom)
		say(o, ARMADO_TRANSIENT, 0, "L'appel à Armado n'a pas pu "
		    "commencer.", NULL);
	else
		transport_error(a, code, o);
	if (rc == 0)
		snprintf(o->detail, sizeof(o->detail), "%s %s: HTTP %ld", method,
		    host, *status);
	else
		snprintf(o->detail, sizeof(o->detail), "%s %s: curl error %d "
		    "(%s)%s%s", method, host, (int)code, curl_easy_strerror(code),
		    errbuf[0] ? ": " : "", errbuf);
	if (c != NULL)
		curl_easy_cleanup(c);
	curl_slist_free_all(h);
	return rc;
}

/* The words of an HTTP status that is not a success. */
static void
refused(long status, const struct answer *a, const char *not_found,
    const char *not_found_fix, struct armado_outcome *o)
{
	char	said[300], msg[512];

	armado_parse_message(a->body.data != NULL ? a->body.data : "",
	    a->body.len, said, sizeof(said));
	if (status == 401 || status == 403)
		say(o, ARMADO_REFUSED, status, "Armado refuse la clé API "
		    "(erreur 401).", "Vérifiez la clé API Armado dans les "
		    "paramètres de l'organisation, puis relancez.");
	else if (status == 404)
		say(o, ARMADO_REFUSED, status, not_found, not_found_fix);
	else if (status == 422) {
		snprintf(msg, sizeof(msg), "Armado refuse les données envoyées "
		    "(erreur 422)%s%s", said[0] ? " : " : ".", said);
		say(o, ARMADO_REFUSED, status, msg, "Vérifiez dans Armado la "
		    "facture et les modes de paiement qu'il accepte (le code "
		    "envoyé suit le mode de paiement), puis relancez.");
	} else if (status >= 500 || status == 408 || status == 429) {
		snprintf(msg, sizeof(msg), "Armado est indisponible pour le "
		    "moment (erreur %ld).", status);
		say(o, ARMADO_TRANSIENT, status, msg, NULL);
	} else {
		snprintf(msg, sizeof(msg), "Armado a refusé la demande (erreur "
		    "%ld)%s%s", status, said[0] ? " : " : ".", said);
		say(o, ARMADO_REFUSED, status, msg, "Vérifiez l'adresse "
		    "d'Armado et la clé API, puis relancez.");
	}
}

/* Whether the configuration can make a call at all. */
static int
usable(const struct armado *cfg, struct armado_outcome *o)
{
	const char	*why;

	memset(o, 0, sizeof(*o));
	if ((why = fetch_url_check(cfg->base_url)) != NULL) {
		say(o, ARMADO_REFUSED, 0, fetch_url_french(why),
		    "Corrigez FLEETCORE_ARMADO_URL.");
		return 0;
	}
	if (cfg->api_key == NULL || cfg->api_key[0] == '\0' ||
	    fetch_header_check(cfg->api_key) != NULL) {
		say(o, ARMADO_REFUSED, 0, "La clé API Armado est vide ou "
		    "contient des caractères interdits.", "Saisissez à nouveau "
		    "la clé API Armado dans les paramètres de l'organisation.");
		return 0;
	}
	return 1;
}

/* The base URL without its trailing slashes, then path. */
static char *
url_of(const char *base, const char *path, const char *arg)
{
	size_t	n = strlen(base);
	char	*u;
	size_t	 len;

	while (n > 0 && base[n - 1] == '/')
		n--;
	len = n + strlen(path) + strlen(arg) + 1;
	if ((u = malloc(len)) != NULL)
		snprintf(u, len, "%.*s%s%s", (int)n, base, path, arg);
	return u;
}

void
armado_find_bill(const struct armado *cfg, const char *reference,
    char id[ARMADO_ID_MAX], struct armado_outcome *o)
{
	struct answer	 a;
	char		*esc = NULL, *url = NULL, msg[512], fix[512];
	long		 status;

	id[0] = '\0';
	if (!usable(cfg, o))
		return;
	memset(&a, 0, sizeof(a));
	buf_init(&a.body);
	snprintf(msg, sizeof(msg), "Aucune facture de référence %s dans "
	    "Armado.", reference);
	snprintf(fix, sizeof(fix), "Créez la facture %s dans Armado (même "
	    "référence), puis relancez.", reference);
	if (global_init() == -1 ||
	    (esc = curl_easy_escape(NULL, reference, 0)) == NULL ||
	    (url = url_of(cfg->base_url, "/v1/bill?reference=", esc)) == NULL)
		say(o, ARMADO_TRANSIENT, 0, "L'appel à Armado n'a pas pu "
		    "commencer.", NULL);
	else if (exchange(cfg, "GET", url, NULL, &a, &status, o) == 0) {
		if (status < 200 || status > 299)
			refused(status, &a, msg, fix, o);
		else
			switch (armado_parse_bills(a.body.data != NULL ?
			    a.body.data : "", a.body.len, reference, id)) {
			case ARMADO_BILLS_ONE:
				say(o, ARMADO_OK, status, "", NULL);
				break;
			case ARMADO_BILLS_NONE:
				say(o, ARMADO_REFUSED, status, msg, fix);
				break;
			case ARMADO_BILLS_SEVERAL:
				snprintf(msg, sizeof(msg), "Plusieurs factures "
				    "Armado portent la référence %s.", reference);
				say(o, ARMADO_REFUSED, status, msg, "Gardez une "
				    "seule facture de cette référence dans "
				    "Armado, puis relancez.");
				break;
			default:
				say(o, ARMADO_TRANSIENT, status, "La réponse "
				    "d'Armado est illisible.", NULL);
			}
	}
	curl_free(esc);
	free(url);
	buf_free(&a.body);
}

void
armado_mark_paid(const struct armado *cfg, const char *id, int type,
    const char *date, struct armado_outcome *o)
{
	struct answer	 a;
	json_t		*body;
	char		*text = NULL, *url = NULL, when[40];
	long		 status;

	if (!usable(cfg, o))
		return;
	if (!armado_id_ok(id)) {
		say(o, ARMADO_REFUSED, 0, "Identifiant de facture Armado "
		    "invalide.", "Relancez : la facture sera cherchée à nouveau.");
		return;
	}
	memset(&a, 0, sizeof(a));
	buf_init(&a.body);
	/* The date format of the public integration. */
	snprintf(when, sizeof(when), "%.10sT00:00:00.000000", date);
	body = json_pack("{s:i, s:s}", "paymentType", type, "paymentDate", when);
	if (body == NULL || (text = json_dumps(body, JSON_COMPACT)) == NULL ||
	    (url = url_of(cfg->base_url, "/v1/bill/", id)) == NULL)
		say(o, ARMADO_TRANSIENT, 0, "L'appel à Armado n'a pas pu "
		    "commencer.", NULL);
	else if (exchange(cfg, "PUT", url, text, &a, &status, o) == 0) {
		if (status >= 200 && status <= 299)
			say(o, ARMADO_OK, status, "", NULL);
		else
			refused(status, &a, "La facture a disparu d'Armado "
			    "(erreur 404).", "Vérifiez la facture dans Armado, "
			    "puis relancez : elle sera cherchée à nouveau.", o);
	}
	json_decref(body);
	free(text);
	free(url);
	buf_free(&a.body);
}
