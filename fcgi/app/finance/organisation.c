/* The organisation's settings: one row of organisation_settings (made on
 * the first save) and the currency of tenants.  Not a resource of the
 * resource layer: it is one object per organisation, with no list, id
 * nor archive, and its secret is sealed on the way in and masked on the
 * way out. */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "iban.h"
#include "identity/activity.h"
#include "organisation.h"
#include "valid.h"
#include "worker.h"

static const char *const currencies[] = { "EUR", "AED", NULL };

/* WPS employer ID: 1 to 13 digits, kept padded to the 13 of the file. */
static const char *
check_employer(const char *in, char *out, size_t n)
{
	size_t	len = strlen(in);

	if (len < 1 || len > 13 || strspn(in, "0123456789") != len || n < 14)
		return "organisation.valid.wps_employer";
	memset(out, '0', 13 - len);
	memcpy(out + 13 - len, in, len + 1);
	return NULL;
}

static const char *
check_routing(const char *in, char *out, size_t n)
{
	if (strlen(in) != 9 || strspn(in, "0123456789") != 9 || n < 10)
		return "organisation.valid.wps_routing";
	memcpy(out, in, 10);
	return NULL;
}

/* An API key is one printable word. */
static const char *
check_secret(const char *in, char *out, size_t n)
{
	size_t	i, len = strlen(in);

	for (i = 0; i < len; i++)
		if (!isgraph((unsigned char)in[i]))
			return "organisation.valid.secret";
	if (len >= n)
		return "organisation.valid.secret";
	memcpy(out, in, len + 1);
	return NULL;
}

/* The settings in the order of the update's parameters. */
static const struct valid_field fields[] = {
	{ "bank_iban", V_TEXT, 0, 0, 0, NULL, iban_check },
	{ "bank_bic", V_TEXT, 0, 0, 0, NULL, bic_check },
	{ "bank_name", V_TEXT, 0, 1, 70, NULL, NULL },
	{ "wps_employer_id", V_TEXT, 0, 0, 0, NULL, check_employer },
	{ "wps_routing_code", V_TEXT, 0, 0, 0, NULL, check_routing },
	{ "armado_api_key", V_PASSWORD, 0, 8, 200, NULL, check_secret },
	{ "currency", V_ENUM, 0, 0, 0, currencies, NULL },
};
#define NFIELDS		(sizeof(fields) / sizeof(fields[0]))
#define KEY_FIELD	5
#define CURRENCY_FIELD	6

static const struct db_stmt get_stmt = { "organisation_get",
	"SELECT row_to_json(x)::text FROM (SELECT t.name, t.currency,"
	" t.country, s.bank_iban, s.bank_bic, s.bank_name,"
	" CASE WHEN s.armado_api_key IS NOT NULL THEN '" ORGANISATION_MASK "'"
	" END AS armado_api_key, s.wps_employer_id, s.wps_routing_code,"
	" s.updated_at FROM tenants t LEFT JOIN organisation_settings s ON"
	" s.tenant_id = t.id WHERE t.id = app_tenant()) x" };

static const struct db_stmt ensure_stmt = { "organisation_ensure",
	"INSERT INTO organisation_settings (tenant_id) VALUES (app_tenant())"
	" ON CONFLICT (tenant_id) DO NOTHING" };

/* $1..$6: whether each setting changes, $7..$12 its value (NULL clears). */
static const struct db_stmt update_stmt = { "organisation_update",
	"UPDATE organisation_settings SET"
	" bank_iban = CASE WHEN $1::boolean THEN $7 ELSE bank_iban END,"
	" bank_bic = CASE WHEN $2::boolean THEN $8 ELSE bank_bic END,"
	" bank_name = CASE WHEN $3::boolean THEN $9 ELSE bank_name END,"
	" wps_employer_id = CASE WHEN $4::boolean THEN $10"
	"  ELSE wps_employer_id END,"
	" wps_routing_code = CASE WHEN $5::boolean THEN $11"
	"  ELSE wps_routing_code END,"
	" armado_api_key = CASE WHEN $6::boolean THEN $12"
	"  ELSE armado_api_key END,"
	" updated_by = app_user() WHERE tenant_id = app_tenant()" };

static const struct db_stmt currency_stmt = { "organisation_currency",
	"UPDATE tenants SET currency = $1 WHERE id = app_tenant()"
	" AND currency <> $1" };

static const struct db_stmt bank_stmt = { "organisation_bank",
	"SELECT coalesce(s.bank_iban, ''), coalesce(s.bank_bic, ''),"
	" coalesce(s.bank_name, ''), coalesce(s.wps_employer_id, ''),"
	" coalesce(s.wps_routing_code, ''), t.currency, t.name FROM tenants t"
	" LEFT JOIN organisation_settings s ON s.tenant_id = t.id"
	" WHERE t.id = app_tenant()" };

static const struct db_stmt key_stmt = { "organisation_armado_key",
	"SELECT armado_api_key FROM organisation_settings"
	" WHERE tenant_id = app_tenant() AND armado_api_key IS NOT NULL" };

json_t *
organisation_get(struct request *r, int *status)
{
	struct db_error	 err;
	PGresult	*res;
	json_t		*o;

	if ((res = db_exec(r->w->db, &get_stmt, 0, NULL, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	o = PQntuples(res) == 1 ? db_json(res, 0, 0) : NULL;
	PQclear(res);
	if (o == NULL)
		*status = 500;
	return o;
}

/* Whether the request names the field at all (a member of the JSON
 * body, null included, or a field of the form, blank included). */
static int
present(struct request *r, const char *name)
{
	if (r->json != NULL)
		return json_object_get(r->json, name) != NULL;
	return http_form(r, name) != NULL;
}

/* The sealed key, in the arena; -1 when the key file cannot be read. */
static int
seal(struct request *r, const char *plain, const char **out)
{
	unsigned char	key[SECRET_KEY_LEN];
	buf		b;
	int		rc;

	if (secret_load_key(r->w->cfg->secret_key_file, key) == -1)
		return -1;
	buf_init(&b);
	rc = secret_seal(key, plain, &b);
	sodium_memzero(key, sizeof(key));
	if (rc == 0 && (*out = arena_strdup(r->arena, buf_cstr(&b))) == NULL)
		rc = -1;
	buf_free(&b);
	return rc;
}

/* The key's change: a form's blank keeps the stored key unless the
 * armado_clear box is ticked; JSON null or "" clears it. */
static void
key_change(struct request *r, json_t *values, int *set)
{
	const char	*v;

	if (r->json != NULL)
		return;
	v = json_string_value(json_object_get(values, "armado_api_key"));
	*set = v != NULL || http_form(r, "armado_clear") != NULL;
}

int
organisation_update(struct request *r, json_t **errors)
{
	const char	*v[2 * (NFIELDS - 1)], *val;
	struct db_error	 err;
	struct db_call	 calls[2];
	json_t		*values;
	size_t		 i;
	int		 set[NFIELDS];

	values = valid_input(r, fields, NFIELDS, errors);
	for (i = 0; i < NFIELDS; i++)
		set[i] = present(r, fields[i].name);
	if (*errors == NULL && set[CURRENCY_FIELD] && json_object_get(values,
	    "currency") == NULL)
		*errors = valid_one_error(r, "currency", "valid.required");
	key_change(r, values, &set[KEY_FIELD]);
	for (i = 0; *errors == NULL && i < NFIELDS - 1; i++) {
		v[i] = set[i] ? "true" : "false";
		val = json_string_value(json_object_get(values,
		    fields[i].name));
		v[NFIELDS - 1 + i] = val;
		if (i == KEY_FIELD && val != NULL &&
		    seal(r, val, &v[NFIELDS - 1 + i]) == -1)
			*errors = valid_one_error(r, fields[i].name,
			    "organisation.valid.key_file");
	}
	val = json_string_value(json_object_get(values, "currency"));
	if (*errors != NULL) {
		json_decref(values);
		return 422;
	}
	calls[0] = (struct db_call){ &ensure_stmt, NULL, 0, NULL, NULL };
	calls[1] = (struct db_call){ &update_stmt, NULL, 2 * (NFIELDS - 1), v,
	    NULL };
	if (db_exec_all(r->w->db, calls, 2, &err) == -1) {
		json_decref(values);
		return err.status;
	}
	PQclear(calls[0].res);
	PQclear(calls[1].res);
	if (val != NULL) {
		calls[0].res = db_exec(r->w->db, &currency_stmt, 1, &val, &err);
		if (calls[0].res == NULL) {
			json_decref(values);
			return err.status;
		}
		PQclear(calls[0].res);
	}
	json_decref(values);
	/* Bank details are what a fraud changes first: who and when. */
	return activity_record(r, "organisation.updated",
	    "Paramètres de l'organisation modifiés", "", "organisation",
	    r->id.tenant_id);
}

int
organisation_bank(struct request *r, struct organisation_bank *b)
{
	struct db_error	 err;
	PGresult	*res;

	memset(b, 0, sizeof(*b));
	if ((res = db_exec(r->w->db, &bank_stmt, 0, NULL, &err)) == NULL)
		return err.status;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 500;
	}
	snprintf(b->iban, sizeof(b->iban), "%s", db_value(res, 0, 0));
	snprintf(b->bic, sizeof(b->bic), "%s", db_value(res, 0, 1));
	snprintf(b->name, sizeof(b->name), "%s", db_value(res, 0, 2));
	snprintf(b->wps_employer_id, sizeof(b->wps_employer_id), "%s",
	    db_value(res, 0, 3));
	snprintf(b->wps_routing_code, sizeof(b->wps_routing_code), "%s",
	    db_value(res, 0, 4));
	snprintf(b->currency, sizeof(b->currency), "%s", db_value(res, 0, 5));
	snprintf(b->tenant_name, sizeof(b->tenant_name), "%s",
	    db_value(res, 0, 6));
	PQclear(res);
	return 0;
}

int
organisation_armado_key(struct db *db, const char *key_file, buf *out)
{
	unsigned char	 key[SECRET_KEY_LEN];
	struct db_error	 err;
	PGresult	*res;
	int		 rc;

	if ((res = db_exec(db, &key_stmt, 0, NULL, &err)) == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 1;
	}
	rc = secret_load_key(key_file, key) == 0 ? secret_open(key,
	    db_value(res, 0, 0), out) : -1;
	sodium_memzero(key, sizeof(key));
	PQclear(res);
	return rc == 0 ? 0 : -1;
}
