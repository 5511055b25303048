#include <string.h>
#include <strings.h>

#include "api.h"
#include "auth.h"
#include "crypto.h"
#include "i18n.h"
#include "log.h"
#include "worker.h"

#define SESSION_MAX_AGE	(30 * 24 * 3600)

/* The lookups also SET LOCAL the tenant and the user they found, in the
 * same round trip: every request of a signed-in user makes it.  A
 * lookup that finds no one sets nothing (auth_set_tenant does). */
#define SET_IDENTITY \
	", set_config('app.tenant_id', tenant_id::text, true)," \
	" set_config('app.user_id', user_id::text, true)"

static const struct db_stmt session_stmt = { "auth_session",
	"SELECT session_id, user_id, user_name, email, locale, tenant_id,"
	" tenant_name, tenant_slug, role, csrf_token" SET_IDENTITY
	" FROM auth_session($1::bytea, make_interval(hours => $2::int))" };

static const struct db_stmt token_stmt = { "auth_token",
	"SELECT token_id, scope, user_id, user_name, email, locale, tenant_id,"
	" tenant_name, tenant_slug, role" SET_IDENTITY
	" FROM auth_token($1::bytea)" };

static const struct {
	const char	*name;
	enum access	 access;
} roles[] = {
	{ "driver", ACCESS_DRIVER }, { "viewer", ACCESS_VIEWER },
	{ "finance", ACCESS_FINANCE }, { "manager", ACCESS_MANAGER },
	{ "admin", ACCESS_ADMIN }, { "owner", ACCESS_OWNER },
};

int
auth_role_access(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(roles[i].name, name) == 0)
			return (int)roles[i].access;
	return -1;
}

const char *
auth_role_name(enum access a)
{
	size_t	i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].access == a)
			return roles[i].name;
	return "";
}

static const char *
dup(struct request *r, const PGresult *res, int col)
{
	return arena_strdup(r->arena, db_value(res, 0, col));
}

/* Both lookups return, from column c on: user id, name, email, locale,
 * tenant id, name, slug, role. */
static void
fill_identity(struct request *r, const PGresult *res, int c)
{
	struct identity	*id = &r->id;

	id->user_id = dup(r, res, c);
	id->user_name = dup(r, res, c + 1);
	id->user_email = dup(r, res, c + 2);
	id->tenant_id = dup(r, res, c + 4);
	id->tenant_name = dup(r, res, c + 5);
	id->tenant_slug = dup(r, res, c + 6);
	id->role = (enum access)auth_role_access(db_value(res, 0, c + 7));
	/* The user's own setting wins over the browser's. */
	r->lang = (int)i18n_negotiate(db_value(res, 0, c + 3), NULL);
}

/* Both settings in one round trip, for whom no lookup found. */
static const struct db_stmt set_identity_stmt = { "auth_set_identity",
	"SELECT set_config('app.tenant_id', $1, true),"
	" set_config('app.user_id', $2, true)" };

int
auth_set_tenant(struct request *r)
{
	const char	*v[2] = { r->id.tenant_id ? r->id.tenant_id : "",
			    r->id.user_id ? r->id.user_id : "" };
	struct db_error	 err;
	PGresult	*res;

	if (!db_in_transaction(r->w->db))
		return 0;
	if ((res = db_exec(r->w->db, &set_identity_stmt, 2, v, &err)) == NULL)
		return err.status;
	PQclear(res);
	return 0;
}

static int
from_token(struct request *r, const char *token)
{
	char		 hash[SECRET_HASH_HEX + 1];
	const char	*v[1] = { hash }, *accept;
	struct db_error	 err;
	PGresult	*res;

	secret_token_hash(token, hash);
	if ((res = db_exec(r->w->db, &token_stmt, 1, v, &err)) == NULL)
		return err.status;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return api_error_key(r, 401, "unauthorized",
		    "api.token_invalid", NULL) == 0 ? 401 : 500;
	}
	r->id.token_id = dup(r, res, 0);
	r->id.api_write = strcmp(db_value(res, 0, 1), "write") == 0;
	fill_identity(r, res, 2);
	/* A program names the language it reads in each request; the
	 * owner's setting, made for the screens, serves when it does not. */
	if ((accept = http_header(r, "Accept-Language")) != NULL)
		r->lang = (int)i18n_negotiate(NULL, accept);
	PQclear(res);
	return 0;
}

static int
from_session(struct request *r, const char *token)
{
	char		 hash[SECRET_HASH_HEX + 1], hours[16];
	const char	*v[2] = { hash, hours };
	struct db_error	 err;
	PGresult	*res;

	secret_token_hash(token, hash);
	snprintf(hours, sizeof(hours), "%d", r->w->cfg->session_idle_hours);
	if ((res = db_exec(r->w->db, &session_stmt, 2, v, &err)) == NULL)
		return err.status;
	if (PQntuples(res) == 1) {
		r->id.session_id = dup(r, res, 0);
		r->csrf_token = dup(r, res, 9);
		fill_identity(r, res, 1);
	} else
		auth_set_session_cookie(r, NULL, 0);	/* stale cookie */
	PQclear(res);
	return 0;
}

/* Anonymous forms (sign-in, reset) are protected by a double-submit
 * cookie: the form field must repeat the cookie's random value. */
static int
anonymous_csrf(struct request *r)
{
	char		 token[SECRET_TOKEN_LEN + 1];
	const char	*c = http_cookie(r, CSRF_COOKIE), *h;

	if (c != NULL && strlen(c) == SECRET_TOKEN_LEN) {
		r->csrf_token = c;
		return 0;
	}
	secret_token_new(token);
	r->csrf_token = arena_strdup(r->arena, token);
	h = arena_printf(r->arena, "%s=%s; Path=/; Secure; HttpOnly; "
	    "SameSite=Lax", CSRF_COOKIE, token);
	return h != NULL ? http_add_header(r, "Set-Cookie", h) : 500;
}

int
auth_authenticate(struct request *r)
{
	const char	*h, *cookie;
	int		 rc;

	if (r->is_api) {
		h = http_header(r, "Authorization");
		if (h != NULL && strncasecmp(h, "Bearer ", 7) == 0) {
			if ((rc = from_token(r, h + 7)) != 0)
				return rc;
			if (!r->id.api_write && strcmp(r->method, "GET") != 0 &&
			    strcmp(r->method, "HEAD") != 0)
				return api_error_key(r, 403,
				    "insufficient_scope", "api.read_only",
				    NULL) == 0 ? 403 : 500;
		}
		return r->id.user_id != NULL ? 0 : auth_set_tenant(r);
	}
	if ((cookie = http_cookie(r, SESSION_COOKIE)) != NULL &&
	    (rc = from_session(r, cookie)) != 0)
		return rc;
	if (r->id.user_id != NULL)
		return 0;	/* the lookup set the tenant */
	if ((rc = anonymous_csrf(r)) != 0)
		return rc;
	return auth_set_tenant(r);
}

int
auth_check_csrf(struct request *r)
{
	const char	*sent = http_form(r, "csrf");

	if (sent == NULL)
		sent = http_header(r, "X-CSRF-Token");
	if (sent == NULL || r->csrf_token == NULL ||
	    !secret_equal(sent, r->csrf_token)) {
		log_info("csrf refused for %s %s", r->method, r->path);
		return 403;
	}
	return 0;
}

int
auth_set_session_cookie(struct request *r, const char *token, int max_age)
{
	const char	*h;

	/* __Host-: Secure, Path=/ and no Domain, so no subdomain can set it. */
	h = arena_printf(r->arena, "%s=%s; Path=/; Max-Age=%d; Secure; "
	    "HttpOnly; SameSite=Lax", SESSION_COOKIE, token ? token : "",
	    token ? (max_age ? max_age : SESSION_MAX_AGE) : 0);
	return h != NULL ? http_add_header(r, "Set-Cookie", h) : 500;
}
