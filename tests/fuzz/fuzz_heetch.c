/* libFuzzer harness: what Heetch's servers send and what a person
 * pastes — the earnings answer, the auth gateway's answers, a portal
 * answer's status and headers, a pasted session, and Set-Cookie lines
 * (one per input line) through the cookie jar.
 * Invariants: earnings rows never outnumber the drivers listed and each
 * has its e-mail, period and key; an auth step other than an error has
 * what it needs (a token for the SMS step, a path on the portal for the
 * callback) and an error says why; whatever the jar accepts, its Cookie
 * header holds no byte that could end or split a header, and the jar
 * survives JSON unchanged. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "connectors/heetch_json.h"
#include "connectors/heetch_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static size_t	rows_given;

static int
on_row(void *ctx, const struct canon_record *r)
{
	(void)ctx;
	if (!r->set[EARN_DRIVER_EMAIL] || !r->set[EARN_PERIOD_START] ||
	    !r->set[EARN_PERIOD_END] || !r->set[EARN_SOURCE_KEY] ||
	    strchr(r->text[EARN_DRIVER_EMAIL], '@') == NULL)
		abort();
	rows_given++;
	return 0;
}

static int
on_reject(void *ctx, size_t line, const char *col, const char *v,
    const char *why)
{
	(void)ctx;
	(void)line;
	(void)col;
	(void)v;
	if (why == NULL || *why == '\0')
		abort();
	return 0;
}

static void
header_safe(const struct cookiejar *j)
{
	char	*h = malloc(COOKIEJAR_MAX * (COOKIE_NAME_MAX +
	    COOKIE_VALUE_MAX + 3) + 1);
	long	 n;
	size_t	 i;

	if (h == NULL)
		return;
	n = cookiejar_header(j, 1000, h, COOKIEJAR_MAX * (COOKIE_NAME_MAX +
	    COOKIE_VALUE_MAX + 3) + 1);
	if (n < 0 || (size_t)n != strlen(h))
		abort();
	for (i = 0; h[i] != '\0'; i++)
		if ((unsigned char)h[i] < 0x20 || (unsigned char)h[i] >= 0x7f ||
		    h[i] == ',' || h[i] == '\\' || h[i] == '"')
			abort();
	free(h);
}

static void
jar_round_trip(const struct cookiejar *j)
{
	struct cookiejar	*k = calloc(1, sizeof(*k));
	json_t			*o = cookiejar_to_json(j);
	size_t			 i;

	if (k == NULL || o == NULL) {
		free(k);
		json_decref(o);
		return;
	}
	if (cookiejar_from_json(k, o) != 0 || k->n != j->n)
		abort();
	for (i = 0; i < j->n; i++)
		if (strcmp(k->c[i].name, j->c[i].name) != 0 ||
		    strcmp(k->c[i].value, j->c[i].value) != 0 ||
		    k->c[i].expires != j->c[i].expires)
			abort();
	json_decref(o);
	free(k);
}

static void
cookies(const char *s, size_t n)
{
	struct cookiejar	*j = calloc(1, sizeof(*j));
	const char		*p = s, *e = s + n, *nl;
	char			 m[512];

	if (j == NULL)
		return;
	for (; p < e; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
			nl = e;
		(void)cookiejar_set(j, p, (size_t)(nl - p), 1000);
		if (nl == e)
			break;
	}
	header_safe(j);
	jar_round_trip(j);
	if (heetch_session_paste(j, s, n, m, sizeof(m)) == 0) {
		if (!heetch_session_usable(j, 0))
			abort();
	} else if (m[0] == '\0')
		abort();
	header_safe(j);
	jar_round_trip(j);
	free(j);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct connector_sink		 sink = { NULL, on_row, on_reject, NULL };
	struct connector_outcome	 out;
	struct heetch_auth		*a;
	const char			*s = (const char *)data;
	json_t				*doc;
	size_t				 rows, listed;
	char				 start[11], m[512], loc[256];
	static const int		 statuses[] = { 200, 201, 401, 410, 422,
		503 };
	size_t				 i;

	doc = json_loadb(s, size, JSON_REJECT_DUPLICATES, NULL);
	listed = json_array_size(json_object_get(doc, "drivers"));
	json_decref(doc);
	rows_given = 0;
	connector_outcome_init(&out);
	heetch_earnings_parse(s, size, NULL, &sink, &out, start, &rows);
	if (rows != rows_given || rows > listed ||
	    (out.result == CONN_CONFIG && out.message[0] == '\0') ||
	    (out.result == CONN_OK && strlen(start) != 10))
		abort();
	connector_outcome_clear(&out);

	if ((a = malloc(sizeof(*a))) == NULL)
		return 0;
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		heetch_auth_parse(statuses[i], s, size, a);
		if (a->step == HEETCH_STEP_ERROR && a->message[0] == '\0')
			abort();
		if (a->step == HEETCH_STEP_SMS_CODE && (a->token[0] == '\0' ||
		    strpbrk(a->token, " \r\n;") != NULL))
			abort();
		if (a->step == HEETCH_STEP_AUTHENTICATED &&
		    (a->redirect_path[0] != '/' || a->redirect_path[1] == '/' ||
		    strpbrk(a->redirect_path, " \r\n") != NULL))
			abort();
	}
	free(a);

	i = size < sizeof(loc) - 1 ? size : sizeof(loc) - 1;
	memcpy(loc, s, i);
	loc[i] = '\0';
	if (heetch_answer_kind(size % 600, loc, loc, m, sizeof(m)) !=
	    HEETCH_ANSWER_OK && m[0] == '\0')
		abort();

	cookies(s, size);
	return 0;
}
