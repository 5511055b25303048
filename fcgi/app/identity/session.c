#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "auth.h"
#include "crypto.h"
#include "i18n.h"
#include "page.h"
#include "portal/portal.h"
#include "session.h"
#include "valid.h"
#include "worker.h"

#define PASSWORD_MIN		12

static const struct db_stmt find_user_stmt = { "session_find_user",
	"SELECT id, name, password_hash, locale, disabled, locked"
	" FROM auth_find_user($1, $2)" };

static const struct db_stmt failure_stmt = { "session_failure",
	"SELECT auth_record_failure($1, $2::uuid, $3)" };

/* Ten failures from this client's address, or fifty from anywhere
 * (migration 0015). */
static const struct db_stmt locked_stmt = { "session_locked",
	"SELECT auth_locked($1, $2)" };

static const struct db_stmt clear_failures_stmt = { "session_clear_failures",
	"SELECT auth_clear_failures($1::uuid)" };

static const struct db_stmt memberships_stmt = { "session_memberships",
	"SELECT tenant_id, name, slug, role FROM auth_memberships($1::uuid)" };

static const struct db_stmt insert_session_stmt = { "session_insert",
	"INSERT INTO sessions (token_hash, user_id, tenant_id, csrf_token,"
	" expires_at, ip, user_agent)"
	" VALUES ($1::bytea, $2::uuid, $3::uuid, $4, now() + interval '30 days',"
	" $5, left($6, 300))" };

static const struct db_stmt delete_session_stmt = { "session_delete",
	"DELETE FROM sessions WHERE id = $1::uuid" };

static const struct db_stmt switch_stmt = { "session_switch",
	"UPDATE sessions SET tenant_id = $2::uuid WHERE id = $1::uuid" };

static const struct valid_field login_fields[] = {
	{ "email", V_EMAIL, 1, 0, 0, NULL, NULL },
	{ "password", V_PASSWORD, 1, 1, 1024, NULL, NULL },
};

/* ?notice=logout or ?notice=reset after a redirect to the sign-in page. */
static const char *
notice(struct request *r)
{
	const char	*n = http_query(r, "notice");

	if (n != NULL && strcmp(n, "logout") == 0)
		return tr(r, "auth.signed_out");
	if (n != NULL && strcmp(n, "reset") == 0)
		return tr(r, "auth.reset_done");
	return NULL;
}

/* error: the catalogue key of the reason, or NULL. */
static int
login_page(struct request *r, int status, json_t *values, const char *error)
{
	return page_render(r, status, "auth/login", json_pack(
	    "{s:o, s:s?, s:s?}", "values", values ? values : json_object(),
	    "error", error ? tr(r, error) : NULL, "notice",
	    notice(r)));
}

const char *
session_home(enum access role)
{
	return role == ACCESS_DRIVER ? PORTAL_HOME : "/";
}

int
session_login_form(struct request *r)
{
	if (r->id.user_id != NULL)
		return http_redirect(r, 303, session_home(r->id.role));
	return login_page(r, 200, NULL, NULL);
}

static int
set_local(struct request *r, const char *name, const char *value)
{
	struct db_error	err;

	return db_set_local(r->w->db, name, value, &err) == -1 ? err.status : 0;
}

int
session_start(struct request *r, const char *user_id, const char *tenant_id)
{
	char		 token[SECRET_TOKEN_LEN + 1], hash[SECRET_HASH_HEX + 1];
	char		 csrf[SECRET_TOKEN_LEN + 1];
	const char	*ua = http_header(r, "User-Agent");
	const char	*v[6] = { hash, user_id, tenant_id, csrf,
			    r->remote_addr, ua ? ua : "" };
	struct db_error	 err;
	PGresult	*res;
	int		 rc;

	/* A fresh token at every sign-in: a planted cookie is worthless. */
	secret_token_new(token);
	secret_token_new(csrf);
	secret_token_hash(token, hash);
	if ((rc = set_local(r, "app.user_id", user_id)) != 0 ||
	    (rc = set_local(r, "app.tenant_id", tenant_id)) != 0)
		return rc;
	if ((res = db_exec(r->w->db, &insert_session_stmt, 6, v, &err)) == NULL)
		return err.status;
	PQclear(res);
	return auth_set_session_cookie(r, token, 0);
}

/* The organisation to open after sign-in: the first one by name, and
 * the role held there in *role. */
static const char *
first_tenant(struct request *r, const char *user_id, enum access *role,
    int *status)
{
	const char	*v[1] = { user_id };
	struct db_error	 err;
	PGresult	*res;
	const char	*t = NULL;

	if ((res = db_exec(r->w->db, &memberships_stmt, 1, v, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	if (PQntuples(res) > 0) {
		t = arena_strdup(r->arena, db_value(res, 0, 0));
		*role = (enum access)auth_role_access(db_value(res, 0, 3));
	}
	PQclear(res);
	*status = 0;
	return t;
}

static int
exec_void(struct request *r, const struct db_stmt *s, int n,
    const char *const *v)
{
	struct db_error	 err;
	PGresult	*res;

	if ((res = db_exec(r->w->db, s, n, v, &err)) == NULL)
		return err.status;
	PQclear(res);
	return 0;
}

/* Counted per address, known or not, with the client's (0012, 0015). */
static int
login_failed(struct request *r, json_t *values, const char *email,
    const char *user_id)
{
	const char	*v[3] = { email, user_id, r->remote_addr };
	struct db_error	 err;
	int		 rc;

	/* The failure must be recorded although the page is a 4xx (which
	 * rolls back): commit it on its own first. */
	if ((rc = exec_void(r, &failure_stmt, 3, v)) != 0)
		return rc;
	if (db_commit(r->w->db, &err) == -1 || db_begin(r->w->db, &err) == -1)
		return err.status;
	json_object_del(values, "password");
	return login_page(r, 422, values, "auth.bad_credentials");
}

/* The same words for an account and for an address nobody owns. */
static int
locked_page(struct request *r, json_t *values)
{
	json_object_del(values, "password");
	return login_page(r, 429, values, "auth.locked");
}

/* An unknown address: locked like an account, else the same argon2id
 * work and answer as a wrong password, so that neither time nor text
 * tells which accounts exist. */
static int
unknown_address(struct request *r, json_t *values, const char *email,
    const char *pw)
{
	const char	*v[2] = { email, r->remote_addr };
	char		 dummy[SECRET_PWHASH_LEN];
	struct db_error	 err;
	PGresult	*res;
	int		 locked;

	if ((res = db_exec(r->w->db, &locked_stmt, 2, v, &err)) == NULL) {
		json_decref(values);
		return err.status;
	}
	locked = strcmp(db_value(res, 0, 0), "t") == 0;
	PQclear(res);
	if (locked)
		return locked_page(r, values);
	(void)secret_password_hash(pw, dummy);
	return login_failed(r, values, email, NULL);
}

int
session_login(struct request *r)
{
	json_t		*errors, *values;
	const char	*email, *pw, *uid, *tenant;
	const char	*v[2];
	enum access	 role = ACCESS_VIEWER;
	struct db_error	 err;
	PGresult	*res;
	int		 rc, ok, locked;

	values = valid_input(r, login_fields, 2, &errors);
	if (errors != NULL) {
		json_decref(errors);
		json_object_del(values, "password");
		return login_page(r, 422, values, "auth.credentials_missing");
	}
	email = json_string_value(json_object_get(values, "email"));
	pw = json_string_value(json_object_get(values, "password"));
	v[0] = email;
	v[1] = r->remote_addr;
	if ((res = db_exec(r->w->db, &find_user_stmt, 2, v, &err)) == NULL) {
		json_decref(values);
		return err.status;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		return unknown_address(r, values, email, pw);
	}
	uid = arena_strdup(r->arena, db_value(res, 0, 0));
	locked = strcmp(db_value(res, 0, 5), "t") == 0;
	ok = !locked && strcmp(db_value(res, 0, 4), "f") == 0 &&
	    secret_password_verify(db_value(res, 0, 2), pw);
	PQclear(res);
	if (locked)
		return locked_page(r, values);
	if (!ok)
		return login_failed(r, values, email, uid);
	json_decref(values);
	v[0] = uid;
	if ((rc = exec_void(r, &clear_failures_stmt, 1, v)) != 0)
		return rc;
	if ((tenant = first_tenant(r, uid, &role, &rc)) == NULL)
		return rc ? rc : login_page(r, 403, NULL,
		    "auth.no_organisation");
	if ((rc = session_start(r, uid, tenant)) != 0)
		return rc;
	r->id.user_id = uid;
	r->id.tenant_id = tenant;
	if ((rc = activity_record(r, "auth.login", "Connexion", NULL, "user",
	    uid)) != 0)
		return rc;
	return http_redirect(r, 303, session_home(role));
}

int
session_logout(struct request *r)
{
	const char	*v[1] = { r->id.session_id };
	int		 rc;

	if ((rc = exec_void(r, &delete_session_stmt, 1, v)) != 0)
		return rc;
	if ((rc = auth_set_session_cookie(r, NULL, 0)) != 0)
		return rc;
	return http_redirect(r, 303, "/login?notice=logout");
}

static json_t *
memberships_view(struct request *r, int *status)
{
	const char	*v[1] = { r->id.user_id };
	struct db_error	 err;
	PGresult	*res;
	json_t		*list;
	int		 i;

	if ((res = db_exec(r->w->db, &memberships_stmt, 1, v, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	list = json_array();
	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:b}",
		    "id", db_value(res, i, 0), "name", db_value(res, i, 1),
		    "slug", db_value(res, i, 2), "role", db_value(res, i, 3),
		    "current", strcmp(db_value(res, i, 0), r->id.tenant_id) == 0));
	PQclear(res);
	return list;
}

int
session_orgs(struct request *r)
{
	json_t	*list;
	int	 rc = 500;

	if ((list = memberships_view(r, &rc)) == NULL)
		return rc;
	return page_render(r, 200, "auth/orgs", json_pack("{s:o}", "orgs", list));
}

int
session_switch_org(struct request *r)
{
	const char	*want = http_form(r, "tenant_id"), *v[2];
	json_t		*list, *o;
	size_t		 i;
	int		 rc = 500, member = 0;

	if (want == NULL || (list = memberships_view(r, &rc)) == NULL)
		return want == NULL ? 400 : rc;
	json_array_foreach(list, i, o)
		if (strcmp(json_string_value(json_object_get(o, "id")), want) == 0)
			member = 1;
	json_decref(list);
	if (!member)
		return 404;
	v[0] = r->id.session_id;
	v[1] = want;
	/* The session now belongs to that organisation (its row's policy). */
	if ((rc = set_local(r, "app.tenant_id", want)) != 0 ||
	    (rc = exec_void(r, &switch_stmt, 2, v)) != 0)
		return rc;
	return http_redirect(r, 303, "/");
}
