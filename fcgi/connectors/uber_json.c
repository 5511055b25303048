/* Uber's Vehicle Suppliers API answers (uber_json.h).  One table says
 * what list each stream's page holds and who reads an item; another says
 * which payment category fills which column of trips. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "uber_json.h"

#define ANSWER_MAX	(16 * 1024 * 1024)
#define E5_MAX		900000000000000000LL	/* far below 2^63 */

const char *
uber_e5_cents(const json_t *v, long long *cents)
{
	long long	 e5 = 0, q;
	const char	*s, *p;
	int		 neg = 0;

	if (json_is_integer(v))
		e5 = (long long)json_integer_value(v);
	else if ((s = json_string_value(v)) != NULL) {
		p = s;
		if (*p == '-') {
			neg = 1;
			p++;
		}
		if (*p == '\0' || strlen(p) > 18 || strspn(p, "0123456789") !=
		    strlen(p))
			return "Montant illisible (amountE5 : un entier attendu).";
		e5 = strtoll(p, NULL, 10);
		if (neg)
			e5 = -e5;
	} else
		return "Montant illisible (amountE5 : un entier attendu).";
	if (e5 > E5_MAX || e5 < -E5_MAX)
		return "Montant trop grand.";
	/* Half away from zero, in integers: 1000 units of 10^-5 per cent. */
	q = (e5 < 0 ? -e5 : e5);
	q = q / 1000 + (q % 1000 >= 500);
	*cents = e5 < 0 ? -q : q;
	return NULL;
}

/* ---- errors -------------------------------------------------------------- */

static void
failf(struct connector_outcome *out, enum connector_result r,
    const char *detail, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
failf(struct connector_outcome *out, enum connector_result r,
    const char *detail, const char *fmt, ...)
{
	va_list	ap;
	char	msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	connector_fail(out, r, 0, 0, NULL, msg);
	snprintf(out->detail, sizeof(out->detail), "%s", detail ? detail : "");
}

static int
down(int status)
{
	return status == 429 || status >= 500 || status == 0;
}

/* OAuth errors of the token endpoint (RFC 6749 §5.2) to sentences. */
static const struct {
	const char	*error;
	const char	*message;
} oauth_errors[] = {
	{ "invalid_client", "Uber refuse ces identifiants : recopiez le "
	    "client_id et le client_secret depuis le tableau de bord développeur "
	    "d'Uber (le secret a peut-être été régénéré)." },
	{ "invalid_scope", "Identifiants valides, mais l'application Uber n'a "
	    "pas accès à l'API des fournisseurs de véhicules (paiements, "
	    "chauffeurs, véhicules) : demandez à Uber d'ouvrir ces accès à "
	    "votre organisation." },
	{ "unauthorized_client", "L'application Uber de ces identifiants est "
	    "suspendue ou bloquée : voyez avec Uber avant de réessayer." },
	{ "access_denied", "L'application Uber de ces identifiants est "
	    "suspendue ou bloquée : voyez avec Uber avant de réessayer." },
};

void
uber_token_parse(int status, const char *body, size_t len,
    struct uber_token *t, struct connector_outcome *out)
{
	json_t		*doc;
	const char	*error, *desc, *tok, *scope;
	char		 detail[256];
	size_t		 i;

	memset(t, 0, sizeof(*t));
	doc = len > 0 && len < 65536 ? json_loadb(body, len, 0, NULL) : NULL;
	error = json_string_value(json_object_get(doc, "error"));
	desc = json_string_value(json_object_get(doc, "error_description"));
	snprintf(detail, sizeof(detail), "token HTTP %d %s %s", status,
	    error ? error : "", desc ? desc : "");
	if (down(status))
		failf(out, CONN_TRANSIENT, detail, "Uber ne répond pas "
		    "normalement (HTTP %d) : nouvel essai plus tard.", status);
	else if (status != 200) {
		for (i = 0; i < sizeof(oauth_errors) / sizeof(oauth_errors[0]);
		    i++)
			if (error != NULL &&
			    strcmp(error, oauth_errors[i].error) == 0)
				break;
		if (i < sizeof(oauth_errors) / sizeof(oauth_errors[0]))
			failf(out, CONN_CONFIG, detail, "%s",
			    oauth_errors[i].message);
		else if (status == 401)
			failf(out, CONN_CONFIG, detail, "%s",
			    oauth_errors[0].message);
		else
			failf(out, CONN_CONFIG, detail, "Uber refuse la demande "
			    "de jeton (HTTP %d%s%s) : vérifiez les identifiants de "
			    "la source.", status, error ? ", " : "",
			    error ? error : "");
	} else if ((tok = json_string_value(json_object_get(doc,
	    "access_token"))) == NULL || *tok == '\0' ||
	    strlen(tok) >= sizeof(t->access_token) ||
	    strcspn(tok, " \t\r\n") != strlen(tok))
		failf(out, CONN_TRANSIENT, detail, "Réponse inattendue d'Uber à "
		    "la demande de jeton : nouvel essai plus tard.");
	else {
		snprintf(t->access_token, sizeof(t->access_token), "%s", tok);
		if (json_is_integer(json_object_get(doc, "expires_in")))
			t->expires_in = (long)json_integer_value(
			    json_object_get(doc, "expires_in"));
		if (t->expires_in < 0)
			t->expires_in = 0;
		if ((scope = json_string_value(json_object_get(doc, "scope"))))
			snprintf(t->scope, sizeof(t->scope), "%s", scope);
	}
	json_decref(doc);
}

void
uber_api_error(int status, const char *body, size_t len, const char *what,
    struct connector_outcome *out)
{
	json_t		*doc;
	const char	*code, *msg;
	char		 detail[512];

	doc = len > 0 && len < 65536 ? json_loadb(body, len, 0, NULL) : NULL;
	code = json_string_value(json_object_get(doc, "code"));
	msg = json_string_value(json_object_get(doc, "message"));
	snprintf(detail, sizeof(detail), "HTTP %d %s: %.300s", status,
	    code ? code : "", msg ? msg : "");
	if (down(status))
		failf(out, CONN_TRANSIENT, detail, "Uber ne répond pas "
		    "normalement pour %s (HTTP %d) : nouvel essai plus tard.",
		    what, status);
	else if (status == 401)
		failf(out, CONN_CONFIG, detail, "Uber n'accepte plus l'accès à "
		    "%s même avec un nouveau jeton : vérifiez que l'application "
		    "n'a pas été suspendue ou ses identifiants changés.", what);
	else if (status == 403)
		failf(out, CONN_CONFIG, detail, "Identifiants valides, mais sans "
		    "droit sur %s : demandez à Uber d'ouvrir cet accès à votre "
		    "application.", what);
	else
		failf(out, CONN_CONFIG, detail, "Uber refuse la demande de %s "
		    "(HTTP %d) : signalez-le au support avec le détail.", what,
		    status);
	json_decref(doc);
}

/* ---- reading answers ---------------------------------------------------------- */

static json_t *
load(const char *body, size_t len, const char *what,
    struct connector_outcome *out)
{
	json_error_t	 jerr;
	json_t		*doc;
	char		 d[256];

	if (len > ANSWER_MAX) {
		failf(out, CONN_TRANSIENT, "answer too large", "Réponse d'Uber "
		    "trop volumineuse pour %s.", what);
		return NULL;
	}
	if ((doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL || !json_is_object(doc)) {
		snprintf(d, sizeof(d), "not a JSON object: %s", doc ? "" :
		    jerr.text);
		json_decref(doc);
		failf(out, CONN_TRANSIENT, d, "Réponse illisible d'Uber pour %s "
		    ": nouvel essai plus tard.", what);
		return NULL;
	}
	return doc;
}

/* An id: present, short, printable without blanks. */
static int
id_ok(const char *s)
{
	size_t	i;

	if (s == NULL || *s == '\0' || strlen(s) >= UBER_ID_MAX)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

json_t *
uber_orgs_parse(const char *body, size_t len, struct connector_outcome *out)
{
	json_t		*doc, *list, *o, *ids;
	const char	*id;
	size_t		 i;

	if ((doc = load(body, len, "les organisations", out)) == NULL)
		return NULL;
	list = json_object_get(doc, "organizations");
	ids = json_array();
	json_array_foreach(list, i, o) {
		id = json_string_value(json_object_get(o, "id"));
		if (id_ok(id))
			json_array_append_new(ids, json_pack("{s:s,s:s}", "id",
			    id, "name", json_string_value(json_object_get(o,
			    "name")) ? json_string_value(json_object_get(o,
			    "name")) : ""));
	}
	if (!json_is_array(list))
		failf(out, CONN_TRANSIENT, "no organizations member", "Réponse "
		    "inattendue d'Uber pour les organisations : nouvel essai plus "
		    "tard.");
	else if (json_array_size(ids) == 0)
		failf(out, CONN_CONFIG, "empty organizations", "Identifiants "
		    "valides, mais ils ne donnent accès à aucune organisation de "
		    "flotte Uber : demandez à Uber de les rattacher à la vôtre.");
	json_decref(doc);
	if (out->result != CONN_OK) {
		json_decref(ids);
		return NULL;
	}
	return ids;
}

/* An instant as Uber writes it (epoch milliseconds, as a number or a
 * string, or ISO 8601) into "YYYY-MM-DD HH:MM:SS+00"; *ms learns it.
 * -1 when unreadable. */
static int
instant(json_t *v, char out[32], long long *ms)
{
	const char	*s = json_string_value(v);
	long long	 n = -1;
	time_t		 t;
	struct tm	 tm;

	if (json_is_integer(v))
		n = (long long)json_integer_value(v);
	else if (s != NULL && *s != '\0' && strlen(s) <= 15 &&
	    strspn(s, "0123456789") == strlen(s))
		n = strtoll(s, NULL, 10);
	else if (s != NULL) {
		if (canon_parse_time(s, out, 32) != NULL)
			return -1;
		*ms = 0;
		return 0;
	}
	/* Milliseconds from 2000 to 2100: anything else is not ours. */
	if (n < 946684800000LL || n > 4102444800000LL)
		return -1;
	t = (time_t)(n / 1000);
	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	strftime(out, 32, "%Y-%m-%d %H:%M:%S+00", &tm);
	*ms = n;
	return 0;
}

/* ---- one item of each stream ------------------------------------------------------ */

struct page_read {
	const struct uber_sink	*sink;
	struct uber_page	*page;
	struct canon_record	 rec;
};

static int
give(struct page_read *st, enum canon_table t)
{
	st->page->items++;
	return st->sink->record != NULL ? st->sink->record(st->sink->ctx, t,
	    &st->rec) : 0;
}

static int
reject(struct page_read *st, size_t n, const char *col, const char *why)
{
	st->page->rejected++;
	return st->sink->reject != NULL ? st->sink->reject(st->sink->ctx, n,
	    col, "", why) : 0;
}

/* A text member into column col, when it is there. */
static void
text(struct canon_record *r, int col, json_t *v)
{
	const char	*s = json_string_value(v);

	if (s != NULL && *s != '\0')
		canon_set_text(r, col, s);
}

static int
read_driver(struct page_read *st, size_t n, json_t *d)
{
	struct canon_record	*r = &st->rec;
	const char		*s, *last;

	canon_record_clear(r);
	r->line = n;
	if (!id_ok(s = json_string_value(json_object_get(d, "driverId"))))
		return reject(st, n, "driverId", "Chauffeur sans identifiant.");
	canon_set_text(r, PDRV_SOURCE_KEY, s);
	canon_set_text(r, PDRV_DRIVER_REF, s);
	text(r, PDRV_DRIVER_NAME, json_object_get(d, "firstName"));
	if ((last = json_string_value(json_object_get(d, "lastName"))) != NULL &&
	    *last != '\0') {
		canon_set_text(r, CANON_SCRATCH0, last);
		connector_join_name(r, PDRV_DRIVER_NAME, CANON_SCRATCH0);
	}
	/* A malformed e-mail or phone is left out, not the driver. */
	if ((s = json_string_value(json_object_get(d, "email"))) != NULL &&
	    canon_parse_into(r, PDRV_DRIVER_EMAIL, CK_EMAIL, s, '.', NULL))
		r->set[PDRV_DRIVER_EMAIL] = 0;
	if ((s = json_string_value(json_object_get(d, "phoneNumber"))) != NULL &&
	    canon_parse_into(r, PDRV_DRIVER_PHONE, CK_PHONE, s, '.', NULL))
		r->set[PDRV_DRIVER_PHONE] = 0;
	text(r, PDRV_VEHICLE_PLATE, json_object_get(json_array_get(
	    json_object_get(d, "assignedVehicles"), 0), "licensePlate"));
	return give(st, CANON_PLATFORM_DRIVERS);
}

static int
read_vehicle(struct page_read *st, size_t n, json_t *d)
{
	struct canon_record	*r = &st->rec;
	const char		*s, *make, *model;
	char			 mm[820];
	json_t			*y;
	long			 year = 0;

	canon_record_clear(r);
	r->line = n;
	if (!id_ok(s = json_string_value(json_object_get(d, "vehicleId"))))
		return reject(st, n, "vehicleId", "Véhicule sans identifiant.");
	canon_set_text(r, PVEH_SOURCE_KEY, s);
	text(r, PVEH_PLATE, json_object_get(d, "licensePlate"));
	make = json_string_value(json_object_get(d, "make"));
	model = json_string_value(json_object_get(d, "model"));
	if (make != NULL || model != NULL) {
		snprintf(mm, sizeof(mm), "%.400s%s%.400s", make ? make : "",
		    make && model ? " " : "", model ? model : "");
		canon_set_text(r, PVEH_MODEL, mm);
	}
	text(r, PVEH_VIN, json_object_get(d, "vin"));
	y = json_object_get(d, "year");
	if (json_is_integer(y))
		year = (long)json_integer_value(y);
	else if (json_string_value(y) != NULL)
		year = strtol(json_string_value(y), NULL, 10);
	if (year >= 1900 && year <= 2200)
		canon_set_num(r, PVEH_YEAR, year);
	return give(st, CANON_PLATFORM_VEHICLES);
}

static const struct {
	const char	*uber;
	const char	*ours;
} statuses[] = {
	{ "DRIVER_STATUS_ONLINE", "waiting_orders" },
	{ "DRIVER_STATUS_ONTRIP", "busy" },
	{ "DRIVER_STATUS_OFFLINE", "inactive" },
};

static int
read_status(struct page_read *st, size_t n, json_t *d)
{
	struct canon_record	*r = &st->rec;
	json_t			*entries = json_object_get(d, "statusEntries"),
				*last;
	const char		*s, *id;
	char			 at[32], key[UBER_ID_MAX + 40];
	long long		 ms;
	size_t			 i;

	canon_record_clear(r);
	r->line = n;
	id = json_string_value(json_object_get(json_object_get(d, "driverInfo"),
	    "driverUuid"));
	if (!id_ok(id))
		return reject(st, n, "driverUuid", "État sans chauffeur.");
	/* The last entry is the newest. */
	last = json_array_get(entries, json_array_size(entries) - 1);
	s = json_string_value(json_object_get(last, "status"));
	for (i = 0; s != NULL && i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (strcmp(s, statuses[i].uber) == 0)
			break;
	if (s == NULL || i == sizeof(statuses) / sizeof(statuses[0]))
		return reject(st, n, "status", "État inconnu.");
	if (json_object_get(last, "timestamp") == NULL)
		snprintf(at, sizeof(at), "%s", st->sink->now);
	else if (instant(json_object_get(last, "timestamp"), at, &ms) != 0)
		return reject(st, n, "timestamp", "Heure de l'état illisible.");
	if (at[0] == '\0')
		return reject(st, n, "timestamp", "Heure de l'état absente.");
	snprintf(key, sizeof(key), "%s@%s", id, at);
	canon_set_text(r, DST_SOURCE_KEY, key);
	canon_set_text(r, DST_DRIVER_REF, id);
	canon_set_text(r, DST_STATE, statuses[i].ours);
	canon_set_text(r, DST_AT, at);
	return give(st, CANON_DRIVER_STATES);
}

/* Payment categories: the path in the tree and the column it fills
 * (abs: Uber writes it negative, ours is an amount). */
static const struct {
	const char	*parent;	/* NULL: top level */
	const char	*name;
	int		 column;
	int		 abs;
} categories[] = {
	{ NULL, "earnings", TRIP_NET_EARNINGS, 0 },
	{ "earnings", "net_fare", TRIP_GROSS_FARE, 0 },
	{ "earnings", "tip", TRIP_TIPS, 0 },
	{ "earnings", "service_fee", TRIP_COMMISSION, 1 },
	{ "reimbursements", "toll", TRIP_TOLLS, 0 },
	{ NULL, "cash_collected", TRIP_CASH_COLLECTED, 1 },
};

/* The categories of one level of the tree into r; the payout is the sum
 * of the top level.  NULL, or why the payment cannot be read. */
static const char *
read_categories(struct canon_record *r, json_t *list, const char *parent,
    char currency[4], long long *payout)
{
	json_t		*c;
	const char	*name, *cur, *why;
	long long	 cents;
	size_t		 i, k;

	json_array_foreach(list, i, c) {
		name = json_string_value(json_object_get(c, "categoryName"));
		if (name == NULL)
			continue;
		if ((why = uber_e5_cents(json_object_get(json_object_get(c,
		    "amount"), "amountE5"), &cents)) != NULL)
			return why;
		cur = json_string_value(json_object_get(json_object_get(c,
		    "amount"), "currencyCode"));
		if (cur != NULL && strlen(cur) == 3) {
			if (currency[0] != '\0' && strcmp(currency, cur) != 0)
				return "Plusieurs devises dans un même paiement.";
			memcpy(currency, cur, 4);
		}
		if (parent == NULL)
			*payout += cents;
		for (k = 0; k < sizeof(categories) / sizeof(categories[0]); k++)
			if (strcmp(categories[k].name, name) == 0 &&
			    (parent == NULL ? categories[k].parent == NULL :
			    categories[k].parent != NULL &&
			    strcmp(categories[k].parent, parent) == 0))
				canon_set_num(r, categories[k].column,
				    categories[k].abs ? connector_abs(cents) :
				    cents);
		/* Two levels are all that is read: deeper ones are parts of
		 * what is already counted. */
		if (parent == NULL && (why = read_categories(r,
		    json_object_get(c, "children"), name, currency,
		    &(long long){ 0 })) != NULL)
			return why;
	}
	return NULL;
}

static int
read_payment(struct page_read *st, size_t n, json_t *p)
{
	struct canon_record	*r = &st->rec;
	const char		*s, *why;
	char			 at[32], currency[4] = "";
	long long		 payout = 0, ms = 0;

	canon_record_clear(r);
	r->line = n;
	s = json_string_value(json_object_get(p, "transactionUuid"));
	if (!id_ok(s))
		return reject(st, n, "transactionUuid",
		    "Paiement sans identifiant de transaction.");
	canon_set_text(r, TRIP_SOURCE_KEY, s);
	if (id_ok(s = json_string_value(json_object_get(p, "tripUuid"))))
		canon_set_text(r, TRIP_TRIP_REF, s);
	s = json_string_value(json_object_get(p, "earnerUuid"));
	if (!id_ok(s))
		s = json_string_value(json_object_get(json_object_get(p,
		    "earnerMetadata"), "uuid"));
	if (!id_ok(s))
		return reject(st, n, "earnerUuid",
		    "Paiement sans identifiant de chauffeur.");
	canon_set_text(r, TRIP_DRIVER_REF, s);
	if ((s = json_string_value(json_object_get(json_object_get(p,
	    "earnerMetadata"), "name"))) != NULL && *s != '\0')
		canon_set_text(r, TRIP_DRIVER_NAME, s);
	if (instant(json_object_get(p, "processedAt"), at, &ms) != 0)
		return reject(st, n, "processedAt",
		    "Date du paiement illisible (millisecondes attendues).");
	canon_set_text(r, TRIP_STARTED_AT, at);
	if (ms > st->page->newest_ms)
		st->page->newest_ms = ms;
	if ((s = json_string_value(json_object_get(p, "description"))) != NULL)
		canon_set_text(r, TRIP_PLATFORM_STATUS, s);
	canon_set_text(r, TRIP_STATUS, r->set[TRIP_PLATFORM_STATUS] ?
	    connector_trip_status(r->text[TRIP_PLATFORM_STATUS]) : "autre");
	if ((why = read_categories(r, json_object_get(p, "paymentBreakdowns"),
	    NULL, currency, &payout)) != NULL)
		return reject(st, n, "amountE5", why);
	if (!r->set[TRIP_NET_EARNINGS])
		return reject(st, n, "earnings",
		    "Paiement sans revenus (catégorie « earnings »).");
	canon_set_num(r, TRIP_PAYOUT, payout);
	canon_set_text(r, TRIP_CURRENCY, currency[0] ? currency : "EUR");
	if (strcmp(r->text[TRIP_STATUS], "terminee") == 0)
		canon_set_text(r, TRIP_PAYMENT_METHOD,
		    r->set[TRIP_CASH_COLLECTED] && r->num[TRIP_CASH_COLLECTED] ?
		    "especes" : "carte");
	return give(st, CANON_TRIPS);
}

static const struct {
	enum uber_stream	 stream;
	const char		*list;
	const char		*what;
	/* 0 to go on, non-zero when the sink stopped. */
	int	(*item)(struct page_read *, size_t, json_t *);
} streams[] = {
	{ UBER_DRIVERS, "driverInformation", "les chauffeurs", read_driver },
	{ UBER_VEHICLES, "vehicles", "les véhicules", read_vehicle },
	{ UBER_STATUS, "driverStatusOverviews", "l'état des chauffeurs",
	    read_status },
	{ UBER_PAYMENTS, "earnerPaymentBreakdowns", "les paiements",
	    read_payment },
};

void
uber_page_parse(enum uber_stream stream, const char *body, size_t len,
    const struct uber_sink *sink, struct uber_page *page,
    struct connector_outcome *out)
{
	struct page_read	*st;
	json_t			*doc, *list, *item;
	const char		*tok;
	size_t			 i, k;
	int			 rc;

	memset(page, 0, sizeof(*page));
	for (k = 0; k < sizeof(streams) / sizeof(streams[0]); k++)
		if (streams[k].stream == stream)
			break;
	if (k == sizeof(streams) / sizeof(streams[0]))
		return;
	if ((doc = load(body, len, streams[k].what, out)) == NULL)
		return;
	if (!json_is_array(list = json_object_get(doc, streams[k].list))) {
		failf(out, CONN_TRANSIENT, streams[k].list, "Réponse inattendue "
		    "d'Uber pour %s (liste « %s » absente) : nouvel essai plus "
		    "tard.", streams[k].what, streams[k].list);
		json_decref(doc);
		return;
	}
	tok = json_string_value(json_object_get(json_object_get(doc,
	    "paginationResult"), "nextPageToken"));
	if (tok != NULL && (strlen(tok) >= sizeof(page->next_token) ||
	    strcspn(tok, " \t\r\n") != strlen(tok))) {
		failf(out, CONN_TRANSIENT, "nextPageToken", "Réponse inattendue "
		    "d'Uber pour %s (page suivante illisible).", streams[k].what);
		json_decref(doc);
		return;
	}
	snprintf(page->next_token, sizeof(page->next_token), "%s",
	    tok ? tok : "");
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		failf(out, CONN_TRANSIENT, "calloc", "Mémoire insuffisante.");
		json_decref(doc);
		return;
	}
	st->sink = sink;
	st->page = page;
	json_array_foreach(list, i, item) {
		if ((rc = streams[k].item(st, i + 1, item)) != 0) {
			out->result = CONN_STOPPED;
			break;
		}
	}
	free(st);
	json_decref(doc);
}
