#include <curl/curl.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fetch.h"
#include "fetch_url.h"
#include "files.h"
#include "http_client.h"

#define MAX_REDIRECTS	3

/* One transfer's state, shared by curl's callbacks. */
struct transfer {
	CURL				*curl;
	int				 fd;
	size_t				 bytes;
	size_t				 lines_end;	/* after the last '\n' */
	int				 head_done;
	int				 too_big;
	int				 write_failed;
	int				 stopped;
	int				 internal;	/* refused address */
	const struct fetch_options	*opt;
};

const char *
fetch_source_url(const json_t *config)
{
	const char	*u = json_string_value(json_object_get(config, "url"));

	return u != NULL && *u != '\0' ? u : NULL;
}

/* The body of a 2xx answer goes to the file; an error page is dropped
 * (its status says enough). */
static size_t
on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct transfer	*t = ctx;
	size_t		 n = size * nmemb;
	long		 status = 0;
	size_t		 i;

	if (curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status) !=
	    CURLE_OK || status < 200 || status > 299)
		return n;
	if (t->opt->head_bytes > 0 &&
	    (long long)(t->bytes + n) > t->opt->head_bytes) {
		n = (size_t)(t->opt->head_bytes - (long long)t->bytes);
		t->head_done = 1;
	}
	if ((long long)(t->bytes + n) > t->opt->max_bytes) {
		t->too_big = 1;
		return 0;	/* curl stops with CURLE_WRITE_ERROR */
	}
	if (files_write_all(t->fd, data, n) == -1) {
		t->write_failed = 1;
		return 0;
	}
	for (i = n; i > 0; i--)
		if (data[i - 1] == '\n') {
			t->lines_end = t->bytes + i;
			break;
		}
	t->bytes += n;
	/* 0 stops curl (CURLE_WRITE_ERROR), which head_done makes a success. */
	return t->head_done ? 0 : n;
}

static int
on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct transfer	*t = ctx;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	if (t->opt->progress != NULL && t->opt->progress(t->opt->ctx,
	    t->bytes) != 0)
		t->stopped = 1;
	return t->stopped;
}

/* Every connection, the first and each redirect's, after DNS: a source's
 * address may not lead to this machine or its private network (a
 * manager could otherwise read an internal service through the run's
 * rejected rows). */
static curl_socket_t
on_open_socket(void *ctx, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct transfer	*t = ctx;

	(void)purpose;
	if (!t->opt->allow_internal && !fetch_address_is_public(&a->addr)) {
		t->internal = 1;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

/* Every option of a transfer; non-zero when one was refused. */
static int
set_options(struct transfer *t, const char *url, struct curl_slist *headers,
    char *errbuf)
{
	CURL	*c = t->curl;
	int	 rc = 0;

	rc |= curl_easy_setopt(c, CURLOPT_URL, url);
	rc |= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	/* A redirect may not downgrade to http, even from a local http. */
	rc |= curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	rc |= curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	rc |= curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)MAX_REDIRECTS);
	/* Kept off (the default, said here on purpose): the Authorization
	 * header is never sent on to another host after a redirect. */
	rc |= curl_easy_setopt(c, CURLOPT_UNRESTRICTED_AUTH, 0L);
	rc |= http_curl_common(c, FETCH_CONNECT_TIMEOUT, t->opt->timeout,
	    (size_t)t->opt->max_bytes);
	rc |= curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	rc |= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	rc |= curl_easy_setopt(c, CURLOPT_WRITEDATA, t);
	rc |= curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	rc |= curl_easy_setopt(c, CURLOPT_XFERINFODATA, t);
	rc |= curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	rc |= curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
	rc |= curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, t);
	rc |= curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	rc |= curl_easy_setopt(c, CURLOPT_VERBOSE, 0L);
	return rc;
}

/* The Authorization header as curl wants it; the copy on the stack is
 * wiped once curl has its own. */
static struct curl_slist *
auth_header(const char *authorization, int *failed)
{
	struct curl_slist	*h;
	char			*line;
	size_t			 n;

	*failed = 0;
	if (authorization == NULL || *authorization == '\0')
		return NULL;
	n = strlen("Authorization: ") + strlen(authorization) + 1;
	if ((line = malloc(n)) == NULL) {
		*failed = 1;
		return NULL;
	}
	snprintf(line, n, "Authorization: %s", authorization);
	h = curl_slist_append(NULL, line);
	sodium_memzero(line, n);
	free(line);
	*failed = h == NULL;
	return h;
}

static void
fail(struct connector_outcome *out, enum connector_result r,
    const char *message, const char *host, long status, CURLcode code,
    const char *errbuf)
{
	connector_fail(out, r, 0, 0, NULL, message);
	if (code != CURLE_OK)
		snprintf(out->detail, sizeof(out->detail), "fetch from %s: curl "
		    "error %d (%s)%s%s", host, (int)code, curl_easy_strerror(code),
		    errbuf[0] ? ": " : "", errbuf);
	else
		snprintf(out->detail, sizeof(out->detail), "fetch from %s: HTTP "
		    "%ld", host, status);
}

/* What an HTTP status means for the user. */
static void
map_status(long status, const char *host, struct connector_outcome *out)
{
	char	msg[256];

	if (status == 401 || status == 403)
		fail(out, CONN_CONFIG, "Le serveur refuse l'accès : vérifiez "
		    "l'en-tête d'autorisation.", host, status, CURLE_OK, "");
	else if (status == 404 || status == 410)
		fail(out, CONN_CONFIG, "Aucun fichier à cette adresse (erreur "
		    "404) : vérifiez l'adresse du fichier.", host, status,
		    CURLE_OK, "");
	else if (status >= 500 || status == 429 || status == 408) {
		snprintf(msg, sizeof(msg), "Le serveur du fichier est "
		    "indisponible pour le moment (erreur %ld).", status);
		fail(out, CONN_TRANSIENT, msg, host, status, CURLE_OK, "");
	} else if (status < 200 || status > 299) {
		snprintf(msg, sizeof(msg), "Le serveur du fichier a refusé la "
		    "demande (erreur %ld) : vérifiez l'adresse et l'en-tête "
		    "d'autorisation.", status);
		fail(out, CONN_CONFIG, msg, host, status, CURLE_OK, "");
	}
}

/* What a curl error means for the user. */
static void
map_error(const struct transfer *t, CURLcode code, const char *host,
    const char *errbuf, struct connector_outcome *out)
{
	char	msg[256];

	if (t->internal) {
		fail(out, CONN_CONFIG, "Cette adresse mène au réseau interne du "
		    "serveur : seules les adresses publiques sont permises.", host,
		    0, code, errbuf);
		return;
	}
	switch (code) {
	case CURLE_ABORTED_BY_CALLBACK:
		fail(out, CONN_STOPPED, "Téléchargement interrompu.", host, 0,
		    code, errbuf);
		return;
	case CURLE_FILESIZE_EXCEEDED:
		break;
	case CURLE_WRITE_ERROR:
		if (t->too_big)
			break;
		fail(out, CONN_TRANSIENT, "Le fichier téléchargé n'a pas pu "
		    "être enregistré (disque du serveur).", host, 0, code, errbuf);
		return;
	case CURLE_OPERATION_TIMEDOUT:
		fail(out, CONN_TRANSIENT, "Le serveur du fichier n'a pas répondu "
		    "à temps.", host, 0, code, errbuf);
		return;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
		fail(out, CONN_TRANSIENT, "Le serveur du fichier est injoignable "
		    "pour le moment.", host, 0, code, errbuf);
		return;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		fail(out, CONN_CONFIG, "Le certificat du serveur du fichier n'est "
		    "pas valide : la connexion a été refusée.", host, 0, code,
		    errbuf);
		return;
	case CURLE_TOO_MANY_REDIRECTS:
	case CURLE_UNSUPPORTED_PROTOCOL:
		fail(out, CONN_CONFIG, "Redirection refusée : l'adresse du fichier "
		    "doit mener, en peu d'étapes, à une adresse https://.", host,
		    0, code, errbuf);
		return;
	default:
		fail(out, CONN_TRANSIENT, "Le téléchargement du fichier a échoué.",
		    host, 0, code, errbuf);
		return;
	}
	snprintf(msg, sizeof(msg), "Le fichier dépasse la taille maximale "
	    "acceptée (%lld Mo) : rien n'a été chargé.",
	    t->opt->max_bytes / (1024 * 1024));
	fail(out, CONN_CONFIG, msg, host, 0, code, errbuf);
}

/* A head ends after its last whole line: a row cut in two by the byte
 * count is not the file's fault. */
static void
cut_to_lines(struct transfer *t, off_t start, struct connector_outcome *out)
{
	if (t->lines_end == 0 || t->lines_end == t->bytes)
		return;
	if (start == (off_t)-1 ||
	    ftruncate(t->fd, start + (off_t)t->lines_end) == -1) {
		connector_fail(out, CONN_TRANSIENT, 0, 0, NULL, "Le fichier "
		    "téléchargé n'a pas pu être enregistré (disque du serveur).");
		snprintf(out->detail, sizeof(out->detail), "ftruncate: %s",
		    strerror(errno));
		return;
	}
	t->bytes = t->lines_end;
}

void
fetch_to_fd(const char *url, const char *authorization,
    const struct fetch_options *opt, int fd, size_t *bytes,
    struct connector_outcome *out)
{
	struct transfer		 t = { NULL, fd, 0, 0, 0, 0, 0, 0, 0, opt };
	struct curl_slist	*headers;
	char			 errbuf[CURL_ERROR_SIZE] = "", host[256];
	const char		*why;
	long			 status = 0;
	CURLcode		 code;
	off_t			 start;
	int			 failed;

	*bytes = 0;
	start = lseek(fd, 0, SEEK_CUR);
	fetch_url_host(url, host, sizeof(host));
	if ((why = fetch_url_check(url)) != NULL ||
	    (why = fetch_header_check(authorization)) != NULL) {
		connector_fail(out, CONN_CONFIG, 0, 0, NULL,
		    fetch_url_french(why));
		return;
	}
	headers = auth_header(authorization, &failed);
	if (failed || http_curl_init() == -1 || (t.curl = curl_easy_init()) ==
	    NULL || set_options(&t, url, headers, errbuf) != 0) {
		fail(out, CONN_TRANSIENT, "Le téléchargement n'a pas pu "
		    "commencer.", host, 0, CURLE_FAILED_INIT, errbuf);
		goto out;
	}
	code = curl_easy_perform(t.curl);
	if (curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &status) !=
	    CURLE_OK)
		status = 0;
	if (code == CURLE_WRITE_ERROR && t.head_done)
		code = CURLE_OK;
	if (code != CURLE_OK)
		map_error(&t, code, host, errbuf, out);
	else
		map_status(status, host, out);
	if (out->result == CONN_OK && t.head_done)
		cut_to_lines(&t, start, out);
	*bytes = t.bytes;
out:
	if (t.curl != NULL)
		curl_easy_cleanup(t.curl);
	curl_slist_free_all(headers);
}

int
fetch_source(const json_t *config, const char *dir,
    const struct fetch_options *opt, size_t *bytes,
    struct connector_outcome *out)
{
	const char	*url = fetch_source_url(config);
	const char	*auth = json_string_value(json_object_get(config,
			    "authorization"));
	char		 path[4096];
	int		 fd;

	*bytes = 0;
	if (url == NULL) {
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Aucune adresse de "
		    "fichier n'est configurée pour cette source.");
		return -1;
	}
	/* Unnamed once open: nothing is left behind whatever happens. */
	if (snprintf(path, sizeof(path), "%s/fc-fetch-XXXXXX", dir) >=
	    (int)sizeof(path) || (fd = mkstemp(path)) == -1) {
		connector_fail(out, CONN_TRANSIENT, 0, 0, NULL, "Le fichier "
		    "téléchargé n'a pas pu être enregistré (disque du serveur).");
		snprintf(out->detail, sizeof(out->detail), "mkstemp in %s: %s",
		    dir, strerror(errno));
		return -1;
	}
	unlink(path);
	fetch_to_fd(url, auth, opt, fd, bytes, out);
	if (out->result == CONN_OK && lseek(fd, 0, SEEK_SET) == -1)
		connector_fail(out, CONN_TRANSIENT, 0, 0, NULL, "Le fichier "
		    "téléchargé n'a pas pu être relu.");
	if (out->result != CONN_OK) {
		close(fd);
		return -1;
	}
	return fd;
}
