/* Heetch (heetch_portal): the fleet manager's session on
 * driver.heetch.com, since Heetch has no public API (platforms.md §2.3).
 *
 * The session is a Cookie header kept sealed as the secret field
 * session_cookie: written by the login (« Se connecter », run by the job
 * runner with the SMS code the user types: heetch_login.c and
 * jobs/heetch_login_job.c) or pasted from a browser, since the real login
 * may demand a reCAPTCHA.  A read pulls the weekly earnings of every
 * complete ISO week (Monday to Sunday, Europe/Paris) after its cursor
 * (the Monday of the last week loaded), one week per checkpoint: a week
 * is loaded whole or not at all.  A 307 to the login, a 401 or a 403 is
 * an expired session: the read stops there, notes it ("session":
 * "expired") and fails as a configuration error saying to reconnect. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fmt.h"
#include "heetch_json.h"
#include "heetch_portal.h"

#define WEEK	(7 * 86400L)

static const char *const earnings_fields[] = { "email", "first_name",
	"last_name", "earnings.gross_earnings", "earnings.net_earnings",
	"earnings.cash_collected", "earnings.card_gross_earnings",
	"earnings.cash_commission_fees", "earnings.card_commission_fees",
	"earnings.cancellation_fees", "earnings.bonuses",
	"earnings.terminated_rides", "earnings.cancelled_rides", NULL };

static const struct live_stream streams[] = {
	{ "earnings", CANON_EARNINGS, "heetch_driver_period", earnings_fields },
};

static const char *
phone_check(const char *v)
{
	size_t	n = strlen(v);

	if (n < 9 || n > 16 || v[0] != '+' || v[1] < '1' || v[1] > '9' ||
	    strspn(v + 1, "0123456789") != n - 1)
		return "valid.sources.phone_e164";
	return NULL;
}

static const char *
cookie_check(const char *v)
{
	struct cookiejar	*j = calloc(1, sizeof(*j));
	char			 m[256];
	int			 rc;

	if (j == NULL)
		return "valid.sources.session_cookie";
	rc = heetch_session_paste(j, v, strlen(v), m, sizeof(m));
	free(j);
	return rc == 0 ? NULL : "valid.sources.session_cookie";
}

static void
zfree(void *p, size_t n)
{
	if (p != NULL) {
		sodium_memzero(p, n);
		free(p);
	}
}

/* The Monday of the Paris week holding utc, as days since 1970. */
static long
paris_monday(time_t utc)
{
	long	day = (long)((utc + fmt_paris_offset(utc)) / 86400);

	/* 1970-01-01 was a Thursday: Monday is 3 days before. */
	return day - ((day + 3) % 7);
}

static void
day_text(long day, char out[11])
{
	time_t		t = (time_t)day * 86400;
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* ---- the session -------------------------------------------------------- */

static int
session(const json_t *config, struct cookiejar *jar,
    struct connector_outcome *out)
{
	const char	*c = json_string_value(json_object_get(config,
			    HEETCH_SESSION_FIELD));
	char		 m[256];

	if (c == NULL || *c == '\0') {
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Pas encore de "
		    "session Heetch : cliquez « Se connecter » sur la page de la "
		    "source, ou collez-y le cookie de session d'un navigateur.");
		return -1;
	}
	if (heetch_session_paste(jar, c, strlen(c), m, sizeof(m)) != 0) {
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, m);
		return -1;
	}
	return 0;
}

/* One week's answer into body; the answer's kind. */
static enum heetch_answer
earnings_week(const struct live_env *env, struct cookiejar *jar,
    const char *monday, buf *body, struct connector_outcome *out)
{
	struct http_request	 rq = { "GET", NULL, NULL, NULL, 0, NULL, NULL };
	struct http_response	 resp;
	enum heetch_answer	 kind;
	const char		*headers[4], *p, *nl, *end;
	char			 url[1200], *cookie;
	char			 msg[512];
	size_t			 cap = COOKIEJAR_MAX * (COOKIE_NAME_MAX +
				    COOKIE_VALUE_MAX + 3) + 16;

	buf_init(body);
	if (live_endpoint(env->cfg->heetch_api_url, "portail de Heetch",
	    out) == -1)
		return HEETCH_ANSWER_ERROR;
	if ((cookie = malloc(cap)) == NULL)
		return HEETCH_ANSWER_ERROR;
	memcpy(cookie, "Cookie: ", 8);
	if (cookiejar_header(jar, (long long)env->now, cookie + 8, cap - 8) <= 0) {
		free(cookie);
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, "La session Heetch a "
		    "expiré : reconnectez la source.");
		return HEETCH_ANSWER_EXPIRED;
	}
	snprintf(url, sizeof(url), "%.1000s/api/earnings?date=%s&period=weekly",
	    env->cfg->heetch_api_url, monday);
	headers[0] = "Accept: application/json";
	headers[1] = cookie;
	headers[2] = "Referer: https://driver.heetch.com/earnings";
	headers[3] = NULL;
	rq.url = url;
	rq.headers = headers;
	http_send(&env->http, &rq, &resp);
	zfree(cookie, cap);
	/* A session Heetch renews on the way: keep the new cookie for the
	 * next weeks of this run. */
	p = buf_cstr(&resp.cookies);
	end = p + resp.cookies.len;
	for (; resp.cookies.len > 0 && p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		(void)cookiejar_set(jar, p, (size_t)(nl - p), (long long)env->now);
		if (nl == end)
			break;
	}
	if (resp.status == 0 || resp.result == HTTP_STOPPED) {
		live_http_fail(out, "Heetch", &resp, "Heetch est injoignable.");
		kind = HEETCH_ANSWER_TRANSIENT;
	} else if ((kind = heetch_answer_kind((int)resp.status,
	    resp.content_type, resp.location, msg, sizeof(msg))) !=
	    HEETCH_ANSWER_OK) {
		connector_fail(out, kind == HEETCH_ANSWER_TRANSIENT ?
		    CONN_TRANSIENT : CONN_CONFIG, 0, 0, NULL, msg);
		snprintf(out->detail, sizeof(out->detail), "%s", resp.detail);
	} else {
		*body = resp.body;
		buf_init(&resp.body);
	}
	http_response_free(&resp);
	return kind;
}

/* ---- reading ------------------------------------------------------------------ */

/* A session Heetch renewed by a Set-Cookie is stored at once: the old
 * value stops working. */
static void
renewed(const struct live_sink *sink, const struct cookiejar *jar,
    const json_t *config, time_t now)
{
	const char	*old = json_string_value(json_object_get(config,
			    HEETCH_SESSION_FIELD));
	char		*header;
	size_t		 cap = 4001;

	if (sink->secret == NULL || (header = malloc(cap)) == NULL)
		return;
	if (cookiejar_header(jar, (long long)now, header, cap) > 0 &&
	    heetch_session_usable(jar, (long long)now) &&
	    (old == NULL || strcmp(old, header) != 0))
		(void)sink->secret(sink->ctx, HEETCH_SESSION_FIELD, header);
	zfree(header, cap);
}

struct week_sink {
	const struct live_sink	*sink;
};

static int
week_record(void *ctx, const struct canon_record *r)
{
	struct week_sink	*w = ctx;

	return w->sink->record(w->sink->ctx, CANON_EARNINGS, r);
}

static int
week_reject(void *ctx, size_t line, const char *col, const char *value,
    const char *why)
{
	struct week_sink	*w = ctx;

	return w->sink->reject(w->sink->ctx, line, col, value, why);
}

static void
read_live(const json_t *config, const struct live_env *env,
    const struct live_sink *sink, struct connector_outcome *out)
{
	struct week_sink	 ws = { sink };
	struct connector_sink	 csink = { &ws, week_record, week_reject, NULL };
	struct cookiejar	*jar;
	const char		*cursor = live_cursor(env, "earnings");
	long			 first, last, w;
	char			 monday[11], start[11];
	enum heetch_answer	 kind;
	size_t			 rows;
	buf			 body;

	if ((jar = calloc(1, sizeof(*jar))) == NULL ||
	    session(config, jar, out) != 0)
		goto done;
	last = paris_monday(env->now) - 7;	/* the last complete week */
	if (cursor != NULL && connector_day_number(cursor) >= 0)
		first = connector_day_number(cursor) + 7;
	else
		first = paris_monday(env->now - live_backfill_seconds(config));
	for (w = first; w <= last && out->result == CONN_OK; w += 7) {
		day_text(w, monday);
		kind = earnings_week(env, jar, monday, &body, out);
		if (kind == HEETCH_ANSWER_EXPIRED) {
			(void)sink->note(sink->ctx, "session", "expired");
			break;
		}
		if (kind != HEETCH_ANSWER_OK)
			break;
		heetch_earnings_parse(body.data, body.len, config, &csink, out,
		    start, &rows);
		buf_free(&body);
		if (out->result == CONN_OK && strcmp(start, monday) != 0) {
			snprintf(out->detail, sizeof(out->detail), "asked %s, "
			    "got %s", monday, start);
			connector_fail(out, CONN_TRANSIENT, 0, 0, NULL, "Heetch a "
			    "répondu pour une autre semaine que celle demandée : "
			    "nouvel essai plus tard.");
		}
		if (out->result == CONN_OK &&
		    sink->checkpoint(sink->ctx, "earnings", monday) != 0)
			out->result = CONN_STOPPED;
		renewed(sink, jar, config, env->now);
	}
done:
	zfree(jar, sizeof(*jar));
}

/* ---- check and discover --------------------------------------------------------- */

/* The session against the last complete week. */
static void
check(const json_t *config, const struct connector_input *in,
    struct connector_outcome *out)
{
	struct cookiejar	*jar;
	char			 monday[11], start[11];
	size_t			 rows;
	buf			 body;

	if (in == NULL || in->live == NULL) {
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Test impossible "
		    "sans l'environnement du serveur.");
		return;
	}
	if ((jar = calloc(1, sizeof(*jar))) == NULL)
		return;
	if (session(config, jar, out) == 0) {
		day_text(paris_monday(in->live->now) - 7, monday);
		if (earnings_week(in->live, jar, monday, &body, out) ==
		    HEETCH_ANSWER_OK) {
			heetch_earnings_parse(body.data, body.len, config, NULL,
			    out, start, &rows);
			buf_free(&body);
			if (out->result == CONN_OK)
				snprintf(out->message, sizeof(out->message),
				    "Session Heetch valide : %zu chauffeur%s la "
				    "semaine du %s.", rows, rows > 1 ? "s" : "",
				    start);
		}
	}
	zfree(jar, sizeof(*jar));
}

static json_t *
discover(const json_t *config, const struct connector_input *in,
    struct connector_outcome *out)
{
	(void)config;
	(void)in;
	(void)out;
	return live_discover(streams, sizeof(streams) / sizeof(streams[0]));
}

static const struct connector_field fields[] = {
	{ "phone_number", "sources.field.phone_number",
	    "sources.field.phone_number_help", CFIELD_TEXT, 1, NULL, NULL, 16,
	    phone_check },
	{ "password", "sources.field.password", NULL, CFIELD_SECRET, 1, NULL,
	    NULL, 200, NULL },
	{ HEETCH_SESSION_FIELD, "sources.field.session_cookie",
	    "sources.field.session_cookie_help", CFIELD_SECRET, 0, NULL, NULL,
	    4000, cookie_check },
	CONNECTOR_LIVE_FIELDS,
};

const struct connector_type connector_heetch_portal = {
	.name = "heetch_portal",
	.label_key = "sources.types.heetch_portal",
	.help_key = "sources.types.heetch_portal_help",
	.platform = "heetch",
	.file_based = 0,
	.fields = fields,
	.nfields = sizeof(fields) / sizeof(fields[0]),
	.table = CANON_EARNINGS,
	.key_space = "heetch_driver_period",
	.check = check,
	.discover = discover,
	.read_live = read_live,
	.streams = streams,
	.nstreams = sizeof(streams) / sizeof(streams[0]),
};
