#include <stdio.h>
#include <string.h>

#include "activity.h"
#include "crypto.h"
#include "page.h"
#include "tokens.h"
#include "valid.h"
#include "worker.h"

/* Tokens read "fc_" + 43 characters; the prefix helps secret scanners and
 * people recognise them, and 8 characters of it identify one in lists. */
#define TOKEN_PREFIX	"fc_"

static const char *const scopes[] = { "read", "write", NULL };

static const struct valid_field token_fields[] = {
	{ "name", V_TEXT, 1, 1, 100, NULL, NULL },
	{ "scope", V_ENUM, 1, 0, 0, scopes, NULL },
};

static const struct db_stmt list_stmt = { "tokens_list",
	"SELECT a.id, a.name, a.scope, a.prefix, coalesce(u.name, u.email),"
	" to_char(a.created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY'),"
	" coalesce(to_char(a.last_used_at AT TIME ZONE 'Europe/Paris',"
	" 'DD/MM/YYYY HH24:MI'), ''), a.revoked_at IS NOT NULL"
	" FROM api_tokens a LEFT JOIN users u ON u.id = a.created_by"
	" ORDER BY a.revoked_at NULLS FIRST, a.created_at DESC" };

static const struct db_stmt insert_stmt = { "tokens_insert",
	"INSERT INTO api_tokens (tenant_id, token_hash, prefix, name, scope,"
	" created_by) VALUES (app_tenant(), $1::bytea, $2, $3, $4::token_scope,"
	" app_user()) RETURNING id" };

static const struct db_stmt revoke_stmt = { "tokens_revoke",
	"UPDATE api_tokens SET revoked_at = now() WHERE id = $1::uuid"
	" AND revoked_at IS NULL RETURNING name" };

static int
list_page(struct request *r, int status, json_t *extra)
{
	struct db_error	 err;
	PGresult	*res;
	json_t		*list, *view;
	int		 i;

	if ((res = db_exec(r->w->db, &list_stmt, 0, NULL, &err)) == NULL) {
		json_decref(extra);
		return err.status;
	}
	list = json_array();
	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s,"
		    " s:s, s:s, s:b}", "id", db_value(res, i, 0),
		    "name", db_value(res, i, 1), "scope", db_value(res, i, 2),
		    "prefix", db_value(res, i, 3), "creator", db_value(res, i, 4),
		    "created", db_value(res, i, 5), "last_used",
		    db_value(res, i, 6), "revoked",
		    strcmp(db_value(res, i, 7), "t") == 0));
	PQclear(res);
	view = extra ? extra : json_object();
	json_object_set_new(view, "tokens", list);
	if (json_object_get(view, "values") == NULL)
		json_object_set_new(view, "values", json_pack("{s:s}", "scope",
		    "read"));
	return page_render(r, status, "tokens/list", view);
}

int
tokens_list(struct request *r)
{
	json_t	*extra = NULL;

	if (http_query(r, "done") != NULL)
		extra = json_pack("{s:[{s:s, s:s}]}", "flash", "type",
		    "success", "message", tr(r, "tokens.done_revoked"));
	return list_page(r, 200, extra);
}

void
tokens_new(char token[TOKEN_MAX], char hash[SECRET_HASH_HEX + 1],
    char prefix[TOKEN_PREFIX_LEN + 1])
{
	char	raw[SECRET_TOKEN_LEN + 1];

	secret_token_new(raw);
	snprintf(token, TOKEN_MAX, "%s%s", TOKEN_PREFIX, raw);
	secret_token_hash(token, hash);
	memcpy(prefix, token, TOKEN_PREFIX_LEN);
	prefix[TOKEN_PREFIX_LEN] = '\0';
}

static int
insert(struct request *r, const char *name, const char *scope,
    char token[TOKEN_MAX])
{
	char		 hash[SECRET_HASH_HEX + 1], prefix[TOKEN_PREFIX_LEN + 1];
	const char	*v[4] = { hash, prefix, name, scope };
	struct db_error	 err;
	PGresult	*res;

	tokens_new(token, hash, prefix);
	if ((res = db_exec(r->w->db, &insert_stmt, 4, v, &err)) == NULL)
		return err.status;
	PQclear(res);
	return activity_record(r, "token.created", arena_printf(r->arena,
	    "Jeton d'API créé : %s", name), scope, "api_token", prefix);
}

int
tokens_create(struct request *r)
{
	char		 token[TOKEN_MAX];
	json_t		*errors, *values, *view;
	int		 rc;

	values = valid_input(r, token_fields, 2, &errors);
	if (errors != NULL)
		return list_page(r, 422, json_pack("{s:o, s:o}", "values",
		    values, "errors", errors));
	rc = insert(r, json_string_value(json_object_get(values, "name")),
	    json_string_value(json_object_get(values, "scope")), token);
	if (rc != 0) {
		json_decref(values);
		return rc;
	}
	/* Shown once, on this page only: only its hash is kept. */
	http_add_header(r, "Cache-Control", "no-store");
	view = json_pack("{s:s, s:O}", "new_token", token, "new_token_name",
	    json_object_get(values, "name"));
	json_decref(values);
	return list_page(r, 200, view);
}

int
tokens_revoke(struct request *r)
{
	const char	*v[1] = { http_param_uuid(r, 0) };
	struct db_error	 err;
	PGresult	*res;
	int		 rc;

	if (v[0] == NULL)
		return 404;
	if ((res = db_exec(r->w->db, &revoke_stmt, 1, v, &err)) == NULL)
		return err.status;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 404;
	}
	rc = activity_record(r, "token.revoked", arena_printf(r->arena,
	    "Jeton d'API révoqué : %s", db_value(res, 0, 0)), NULL,
	    "api_token", v[0]);
	PQclear(res);
	if (rc != 0)
		return rc;
	return http_redirect(r, 303, "/tokens?done=revoked");
}
