/* Bolt's answers into our values (bolt_api.h).  Every field may be
 * absent, null or of the wrong type: such a field is absent for us, and
 * only a missing key rejects a record. */
#include <stdio.h>
#include <string.h>

#include "bolt_api.h"
#include "connector.h"

static json_t *
load(const char *body, size_t len)
{
	json_error_t	err;

	return json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
}

int
bolt_parse_token(const char *body, size_t len, char *token, size_t tokenlen,
    long *expires_in)
{
	json_t		*o = load(body, len);
	const char	*t;
	json_t		*e;
	int		 rc = -1;

	*expires_in = 0;
	if (!json_is_object(o))
		goto out;
	t = json_string_value(json_object_get(o, "access_token"));
	e = json_object_get(o, "expires_in");
	if (t == NULL || *t == '\0' || strlen(t) >= tokenlen ||
	    strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-._~+/=") != strlen(t))
		goto out;
	if (json_is_integer(e) && json_integer_value(e) > 0 &&
	    json_integer_value(e) < 86400 * 366)
		*expires_in = (long)json_integer_value(e);
	else if (json_is_real(e) && json_real_value(e) > 0 &&
	    json_real_value(e) < 86400.0 * 366)
		*expires_in = (long)json_real_value(e);
	else
		goto out;
	snprintf(token, tokenlen, "%s", t);
	rc = 0;
out:
	json_decref(o);
	return rc;
}

int
bolt_parse_envelope(const char *body, size_t len, struct bolt_envelope *env)
{
	json_t		*o = load(body, len), *code;
	const char	*s;

	memset(env, 0, sizeof(*env));
	if (!json_is_object(o) || !json_is_integer(code = json_object_get(o,
	    "code"))) {
		json_decref(o);
		return -1;
	}
	env->code = json_integer_value(code);
	if ((s = json_string_value(json_object_get(o, "message"))) != NULL)
		snprintf(env->message, sizeof(env->message), "%s", s);
	if ((s = json_string_value(json_object_get(o, "error_hint"))) != NULL)
		snprintf(env->hint, sizeof(env->hint), "%s", s);
	if (env->code == 0) {
		env->data = json_incref(json_object_get(o, "data"));
		if (!json_is_object(env->data)) {
			json_decref(env->data);
			env->data = NULL;
			json_decref(o);
			return -1;
		}
	}
	json_decref(o);
	return 0;
}

int
bolt_parse_companies(const json_t *data, long long *ids, int max)
{
	const json_t	*list = json_object_get(data, "company_ids"), *v;
	size_t		 i;
	int		 n = 0;

	if (!json_is_array(list))
		return -1;
	json_array_foreach(list, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return -1;
		if (n < max)
			ids[n++] = json_integer_value(v);
	}
	return n;
}

int
bolt_money(const json_t *v, long long *cents)
{
	char		 b[64];
	const char	*s;
	double		 d;

	if (json_is_integer(v)) {
		if (json_integer_value(v) > 1000000000LL ||
		    json_integer_value(v) < -1000000000LL)
			return -1;
		*cents = json_integer_value(v) * 100;
		return 0;
	}
	if (json_is_real(v)) {
		d = json_real_value(v);
		if (!(d < 1e9 && d > -1e9))
			return -1;
		snprintf(b, sizeof(b), "%.6f", d);
		s = b;
	} else if ((s = json_string_value(v)) == NULL || strlen(s) > 30)
		return -1;
	return canon_parse_money(s, '.', cents, NULL) == NULL ? 0 : -1;
}

/* ---- fields into columns -------------------------------------------------- */

static const char *
text_of(const json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return s != NULL && *s != '\0' ? s : NULL;
}

/* A text field into col (kind checked); an unreadable e-mail or phone
 * is dropped rather than the record: it only helps to match. */
static void
put_text(struct canon_record *r, int col, enum canon_kind kind,
    const json_t *o, const char *key)
{
	const char	*s = text_of(o, key);

	if (s != NULL && canon_parse_into(r, col, kind, s, '.', NULL) != NULL)
		r->set[col] = 0;
}

/* Unix seconds (number) into a time column. */
static const char *
put_time(struct canon_record *r, int col, const json_t *o, const char *key)
{
	const json_t	*v = json_object_get(o, key);
	char		 b[24];

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_integer(v) || json_integer_value(v) < 100000000LL ||
	    json_integer_value(v) > 7258118400LL)
		return "Horodatage illisible (secondes Unix attendues).";
	snprintf(b, sizeof(b), "%lld", (long long)json_integer_value(v));
	return canon_parse_into(r, col, CK_TIME, b, '.', NULL);
}

static const char *
put_money(struct canon_record *r, int col, const json_t *o, const char *key)
{
	const json_t	*v = json_object_get(o, key);
	long long	 cents;

	if (v == NULL || json_is_null(v))
		return NULL;
	if (bolt_money(v, &cents) == -1)
		return "Montant illisible.";
	canon_set_num(r, col, cents);
	return NULL;
}

/* order_price's fields and their columns (the README's mapping). */
static const struct {
	const char	*field;
	int		 column;
} prices[] = {
	{ "ride_price", TRIP_GROSS_FARE },
	{ "booking_fee", TRIP_BOOKING_FEE },
	{ "toll_fee", TRIP_TOLLS },
	{ "cancellation_fee", TRIP_CANCELLATION_FEE },
	{ "tip", TRIP_TIPS },
	{ "net_earnings", TRIP_NET_EARNINGS },
	{ "cash_discount", TRIP_CASH_DISCOUNT },
	{ "in_app_discount", TRIP_IN_APP_DISCOUNT },
	{ "commission", TRIP_COMMISSION },
};

static const struct {
	const char	*field;
	int		 column;
} order_times[] = {
	{ "order_pickup_timestamp", TRIP_STARTED_AT },
	{ "order_finished_timestamp", TRIP_ENDED_AT },
};

/* "driving_with_client" → "driving with client", for the status words. */
static void
words(const char *s, char *out, size_t n)
{
	size_t	i;

	for (i = 0; s[i] != '\0' && i + 1 < n; i++)
		out[i] = s[i] == '_' ? ' ' : s[i];
	out[i] = '\0';
}

static const char *
order_money(const json_t *price, struct canon_record *r, const char **column)
{
	const char	*why;
	size_t		 i;

	for (i = 0; i < sizeof(prices) / sizeof(prices[0]); i++)
		if ((why = put_money(r, prices[i].column, price,
		    prices[i].field)) != NULL) {
			*column = prices[i].field;
			return why;
		}
	/* As the orders export: a cancelled order earns its fee, a
	 * commission is a positive amount, cash is held by the driver. */
	if (!r->set[TRIP_GROSS_FARE] && r->set[TRIP_CANCELLATION_FEE])
		canon_set_num(r, TRIP_GROSS_FARE, r->num[TRIP_CANCELLATION_FEE]);
	if (r->set[TRIP_COMMISSION])
		r->num[TRIP_COMMISSION] = connector_abs(r->num[TRIP_COMMISSION]);
	if (r->set[TRIP_PAYMENT_METHOD] && strcmp(r->text[TRIP_PAYMENT_METHOD],
	    "especes") == 0 && r->set[TRIP_GROSS_FARE])
		canon_set_num(r, TRIP_CASH_COLLECTED, r->num[TRIP_GROSS_FARE]);
	return NULL;
}

const char *
bolt_parse_order(const json_t *o, struct canon_record *r, const char **column)
{
	const json_t	*price, *d;
	const char	*why, *s;
	char		 w[200];
	size_t		 i;

	canon_record_clear(r);
	*column = "order_reference";
	if (!json_is_object(o))
		return "Commande illisible.";
	if ((s = text_of(o, "order_reference")) == NULL ||
	    canon_parse_into(r, TRIP_SOURCE_KEY, CK_TEXT, s, '.', NULL) != NULL)
		return "Commande sans référence (order_reference).";
	canon_set_text(r, TRIP_TRIP_REF, r->text[TRIP_SOURCE_KEY]);
	put_text(r, TRIP_DRIVER_REF, CK_TEXT, o, "driver_uuid");
	put_text(r, TRIP_DRIVER_NAME, CK_TEXT, o, "driver_name");
	put_text(r, TRIP_DRIVER_PHONE, CK_PHONE, o, "driver_phone");
	put_text(r, TRIP_VEHICLE_PLATE, CK_TEXT, o, "vehicle_license_plate");
	if ((s = text_of(o, "order_status")) != NULL) {
		put_text(r, TRIP_PLATFORM_STATUS, CK_TEXT, o, "order_status");
		words(s, w, sizeof(w));
		canon_set_text(r, TRIP_STATUS, connector_trip_status(w));
	}
	if ((s = text_of(o, "payment_method")) != NULL)
		canon_set_text(r, TRIP_PAYMENT_METHOD,
		    connector_payment_method(s));
	for (i = 0; i < sizeof(order_times) / sizeof(order_times[0]); i++)
		if ((why = put_time(r, order_times[i].column, o,
		    order_times[i].field)) != NULL) {
			*column = order_times[i].field;
			return why;
		}
	if (!r->set[TRIP_STARTED_AT] &&
	    (why = put_time(r, TRIP_STARTED_AT, o, "order_created_timestamp"))
	    != NULL) {
		*column = "order_created_timestamp";
		return why;
	}
	d = json_object_get(o, "ride_distance");
	if (json_is_integer(d) && json_integer_value(d) >= 0 &&
	    json_integer_value(d) <= 2000000000LL)
		canon_set_num(r, TRIP_DISTANCE_M, json_integer_value(d));
	else if (json_is_real(d) && json_real_value(d) >= 0 &&
	    json_real_value(d) <= 2e9)
		canon_set_num(r, TRIP_DISTANCE_M,
		    (long long)(json_real_value(d) + 0.5));
	canon_set_text(r, TRIP_CURRENCY, "EUR");	/* the fleet's; no field */
	price = json_object_get(o, "order_price");
	if (json_is_object(price) &&
	    (why = order_money(price, r, column)) != NULL)
		return why;
	return NULL;
}

const char *
bolt_parse_driver(const json_t *o, struct canon_record *r, const char **column)
{
	const char	*uuid, *first, *last;
	char		 name[410];

	canon_record_clear(r);
	*column = "driver_uuid";
	if (!json_is_object(o) || (uuid = text_of(o, "driver_uuid")) == NULL ||
	    canon_parse_into(r, PDRV_SOURCE_KEY, CK_TEXT, uuid, '.', NULL) !=
	    NULL)
		return "Chauffeur sans identifiant (driver_uuid).";
	canon_set_text(r, PDRV_DRIVER_REF, r->text[PDRV_SOURCE_KEY]);
	first = text_of(o, "first_name");
	last = text_of(o, "last_name");
	if (first != NULL || last != NULL) {
		snprintf(name, sizeof(name), "%.200s%s%.200s", first ? first : "",
		    first && last ? " " : "", last ? last : "");
		if (canon_parse_into(r, PDRV_DRIVER_NAME, CK_TEXT, name, '.',
		    NULL) != NULL)
			r->set[PDRV_DRIVER_NAME] = 0;
	}
	put_text(r, PDRV_DRIVER_EMAIL, CK_EMAIL, o, "email");
	put_text(r, PDRV_DRIVER_PHONE, CK_PHONE, o, "phone");
	put_text(r, PDRV_STATE, CK_TEXT, o, "state");
	put_text(r, PDRV_VEHICLE_PLATE, CK_TEXT, json_object_get(o,
	    "active_vehicle"), "reg_number");
	return NULL;
}

const char *
bolt_parse_vehicle(const json_t *o, struct canon_record *r,
    const char **column)
{
	const json_t	*year, *id;
	const char	*key;

	canon_record_clear(r);
	*column = "uuid";
	if (!json_is_object(o))
		return "Véhicule illisible.";
	id = json_object_get(o, "id");
	if ((key = text_of(o, "uuid")) != NULL) {
		if (canon_parse_into(r, PVEH_SOURCE_KEY, CK_TEXT, key, '.',
		    NULL) != NULL)
			return "Identifiant de véhicule illisible.";
	} else if (json_is_integer(id)) {
		snprintf(r->text[PVEH_SOURCE_KEY], CANON_TEXT_MAX, "id:%lld",
		    (long long)json_integer_value(id));
		r->set[PVEH_SOURCE_KEY] = 1;
	} else
		return "Véhicule sans identifiant (uuid).";
	put_text(r, PVEH_PLATE, CK_TEXT, o, "reg_number");
	if (r->set[PVEH_PLATE] && strlen(r->text[PVEH_PLATE]) > 20)
		r->set[PVEH_PLATE] = 0;
	put_text(r, PVEH_MODEL, CK_TEXT, o, "model");
	put_text(r, PVEH_VIN, CK_TEXT, o, "vin");
	if (r->set[PVEH_VIN] && strlen(r->text[PVEH_VIN]) > 40)
		r->set[PVEH_VIN] = 0;
	put_text(r, PVEH_STATE, CK_TEXT, o, "state");
	year = json_object_get(o, "year");
	if (json_is_integer(year) && json_integer_value(year) >= 1900 &&
	    json_integer_value(year) <= 2200)
		canon_set_num(r, PVEH_YEAR, json_integer_value(year));
	return NULL;
}

/* The states Bolt's logs use; anything else is refused rather than
 * counted as time online. */
static const char *const states[] = { "inactive", "waiting_orders",
	"has_order", "busy", NULL };

const char *
bolt_parse_state_log(const json_t *o, struct canon_record *r,
    const char **column)
{
	const char	*uuid, *state, *why;
	size_t		 i;

	canon_record_clear(r);
	*column = "driver_uuid";
	if (!json_is_object(o) || (uuid = text_of(o, "driver_uuid")) == NULL ||
	    strlen(uuid) > 150 ||
	    canon_parse_into(r, DST_DRIVER_REF, CK_TEXT, uuid, '.', NULL) != NULL)
		return "Relevé d'état sans chauffeur (driver_uuid).";
	*column = "created";
	if (!json_is_integer(json_object_get(o, "created")))
		return "Relevé d'état sans date (created).";
	if ((why = put_time(r, DST_AT, o, "created")) != NULL)
		return why;
	*column = "state";
	if ((state = text_of(o, "state")) == NULL)
		return "Relevé d'état sans état (state).";
	for (i = 0; states[i] != NULL && strcmp(states[i], state) != 0; i++)
		;
	if (states[i] == NULL)
		return "État inconnu.";
	canon_set_text(r, DST_STATE, state);
	put_text(r, DST_VEHICLE_REF, CK_TEXT, o, "vehicle_uuid");
	snprintf(r->text[DST_SOURCE_KEY], CANON_TEXT_MAX, "%.150s@%lld",
	    r->text[DST_DRIVER_REF],
	    (long long)json_integer_value(json_object_get(o, "created")));
	r->set[DST_SOURCE_KEY] = 1;
	return NULL;
}
