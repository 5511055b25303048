#include <string.h>

#include "crypto.h"
#include "page.h"
#include "reset.h"
#include "valid.h"
#include "worker.h"

static const struct valid_field request_fields[] = {
	{ "email", V_EMAIL, 1, 0, 0, NULL, NULL },
};

static const struct valid_field reset_fields[] = {
	{ "password", V_PASSWORD, 1, 12, 1024, NULL, NULL },
	{ "confirm", V_PASSWORD, 1, 1, 1024, NULL, NULL },
};

static const struct db_stmt request_stmt = { "reset_request",
	"SELECT auth_reset_request($1, $2::bytea, $3)" };

static const struct db_stmt valid_stmt = { "reset_valid",
	"SELECT auth_reset_valid($1::bytea)" };

static const struct db_stmt consume_stmt = { "reset_consume",
	"SELECT auth_reset_consume($1::bytea, $2)" };

int
reset_request_form(struct request *r)
{
	return page_render(r, 200, "auth/forgot", json_pack("{s:o, s:o}",
	    "values", json_object(), "errors", json_object()));
}

int
reset_request(struct request *r)
{
	char		 token[SECRET_TOKEN_LEN + 1], hash[SECRET_HASH_HEX + 1];
	json_t		*errors, *values;
	const char	*v[3];
	struct db_error	 err;
	PGresult	*res;

	values = valid_input(r, request_fields, 1, &errors);
	if (errors != NULL)
		return page_render(r, 422, "auth/forgot", json_pack("{s:o, s:o}",
		    "values", values, "errors", errors));
	secret_token_new(token);
	secret_token_hash(token, hash);
	v[0] = json_string_value(json_object_get(values, "email"));
	v[1] = hash;
	v[2] = arena_printf(r->arena, "%s/password/reset/%s",
	    r->w->cfg->base_url, token);
	res = db_exec(r->w->db, &request_stmt, 3, v, &err);
	json_decref(values);
	if (res == NULL)
		return err.status;
	PQclear(res);
	/* The same answer whether or not the address has an account. */
	return page_render(r, 200, "auth/forgot_sent", json_object());
}

static int
link_valid(struct request *r, char hash[SECRET_HASH_HEX + 1], int *status)
{
	const char	*v[1] = { hash };
	struct db_error	 err;
	PGresult	*res;
	int		 ok;

	secret_token_hash(http_param(r, 0), hash);
	if ((res = db_exec(r->w->db, &valid_stmt, 1, v, &err)) == NULL) {
		*status = err.status;
		return 0;
	}
	ok = strcmp(db_value(res, 0, 0), "t") == 0;
	PQclear(res);
	*status = ok ? 0 : 404;
	return ok;
}

static int
expired_page(struct request *r)
{
	return page_render(r, 404, "auth/reset_invalid", json_object());
}

int
reset_form(struct request *r)
{
	char	hash[SECRET_HASH_HEX + 1];
	int	rc;

	if (!link_valid(r, hash, &rc))
		return rc == 404 ? expired_page(r) : rc;
	return page_render(r, 200, "auth/reset", json_pack("{s:o}", "errors",
	    json_object()));
}

int
reset_submit(struct request *r)
{
	char		 hash[SECRET_HASH_HEX + 1], pwhash[SECRET_PWHASH_LEN];
	json_t		*errors, *values;
	const char	*pw, *v[2];
	struct db_error	 err;
	PGresult	*res;
	int		 rc, ok;

	if (!link_valid(r, hash, &rc))
		return rc == 404 ? expired_page(r) : rc;
	values = valid_input(r, reset_fields, 2, &errors);
	if (errors == NULL && strcmp(json_string_value(json_object_get(values,
	    "password")), json_string_value(json_object_get(values,
	    "confirm"))) != 0)
		errors = valid_one_error(r, "confirm",
		    "valid.profile.password_mismatch");
	if (errors != NULL) {
		json_decref(values);
		return page_render(r, 422, "auth/reset", json_pack("{s:o}",
		    "errors", errors));
	}
	pw = json_string_value(json_object_get(values, "password"));
	rc = secret_password_hash(pw, pwhash);
	json_decref(values);
	if (rc == -1)
		return 500;
	v[0] = hash;
	v[1] = pwhash;
	if ((res = db_exec(r->w->db, &consume_stmt, 2, v, &err)) == NULL)
		return err.status;
	ok = !db_is_null(res, 0, 0);
	PQclear(res);
	if (!ok)
		return expired_page(r);
	return http_redirect(r, 303, "/login?notice=reset");
}
