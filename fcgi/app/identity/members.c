#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "activity.h"
#include "auth.h"
#include "crypto.h"
#include "i18n.h"
#include "members.h"
#include "page.h"
#include "session.h"
#include "valid.h"
#include "worker.h"
#include "resource/query.h"

static const char *const role_names[] = {
	"owner", "admin", "manager", "finance", "viewer", "driver", NULL,
};

static const struct valid_field invite_fields[] = {
	{ "email", V_EMAIL, 1, 0, 0, NULL, NULL },
	{ "role", V_ENUM, 1, 0, 0, role_names, NULL },
};

static const struct valid_field role_fields[] = {
	{ "role", V_ENUM, 1, 0, 0, role_names, NULL },
};

static const struct valid_field accept_fields[] = {
	{ "name", V_TEXT, 0, 1, 200, NULL, NULL },
	{ "password", V_PASSWORD, 0, 12, 1024, NULL, NULL },
};

static const struct db_stmt list_stmt = { "members_list",
	"SELECT u.id, u.name, u.email, m.role, to_char(m.created_at AT TIME ZONE"
	" 'Europe/Paris', 'DD/MM/YYYY') FROM memberships m JOIN users u"
	" ON u.id = m.user_id ORDER BY u.name, u.email" };

static const struct db_stmt pending_stmt = { "members_pending",
	"SELECT email, role, to_char(expires_at AT TIME ZONE 'Europe/Paris',"
	" 'DD/MM/YYYY HH24:MI') FROM invitations WHERE accepted_at IS NULL"
	" AND expires_at > now() ORDER BY created_at DESC" };

static const struct db_stmt invite_stmt = { "members_invite",
	"INSERT INTO invitations (tenant_id, email, role, token_hash, invited_by,"
	" expires_at, driver_id) VALUES (app_tenant(), $1, $2::member_role,"
	" $3::bytea, app_user(), now() + interval '7 days', $4::uuid)" };

static const struct db_stmt mail_stmt = { "members_mail",
	"INSERT INTO email_outbox (tenant_id, recipient, subject, body, kind)"
	" VALUES (app_tenant(), $1, $2, $3, $4)" };

static const struct db_stmt is_member_stmt = { "members_is_member",
	"SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id"
	" WHERE u.email = lower($1)" };

static const struct db_stmt member_stmt = { "members_get",
	"SELECT m.role, u.email FROM memberships m JOIN users u ON u.id = m.user_id"
	" WHERE m.user_id = $1::uuid" };

static const struct db_stmt owners_stmt = { "members_owners",
	"SELECT count(*) FROM memberships WHERE role = 'owner'" };

static const struct db_stmt set_role_stmt = { "members_set_role",
	"UPDATE memberships SET role = $2::member_role WHERE user_id = $1::uuid" };

static const struct db_stmt remove_stmt = { "members_remove",
	"DELETE FROM memberships WHERE user_id = $1::uuid" };

/* A password reset link is for its recipient only: shown to an admin, it
 * would open the account (and its other organisations) to them. */
static const struct db_stmt outbox_stmt = { "members_outbox",
	"SELECT recipient, subject, CASE WHEN kind = 'password_reset' AND"
	" recipient IS DISTINCT FROM (SELECT email FROM users WHERE id = app_user())"
	" THEN regexp_replace(body, 'https?://[^[:space:]]+',"
	" '[lien réservé au destinataire]', 'g') ELSE body END,"
	" kind, to_char(created_at AT TIME ZONE"
	" 'Europe/Paris', 'DD/MM/YYYY HH24:MI') FROM email_outbox"
	" ORDER BY created_at DESC, id DESC LIMIT 100" };

static const struct db_stmt invitation_stmt = { "invitation_get",
	"SELECT tenant_id, tenant_name, email, role, has_account"
	" FROM auth_invitation($1::bytea)" };

static const struct db_stmt accept_stmt = { "invitation_accept",
	"SELECT auth_accept_invitation($1::bytea, $2, $3)" };

/* Rows of a result as objects named by cols. */
static json_t *
rows(const PGresult *res, const char *const *cols, int ncols)
{
	json_t	*list = json_array(), *o;
	int	 i, c;

	for (i = 0; i < PQntuples(res); i++) {
		o = json_object();
		for (c = 0; c < ncols; c++)
			json_object_set_new(o, cols[c],
			    json_string(db_value(res, i, c)));
		json_array_append_new(list, o);
	}
	return list;
}

static int
list_page(struct request *r, int status, json_t *values, json_t *errors,
    const char *flash)
{
	static const char *const mcols[] = { "id", "name", "email", "role",
	    "since" };
	static const char *const pcols[] = { "email", "role", "expires" };
	PGresult	*m, *p;
	json_t		*view, *members, *o;
	size_t		 i;
	int		 rc = 500;

	if ((m = query_run(r, &list_stmt, 0, NULL, &rc)) == NULL)
		goto fail;
	if ((p = query_run(r, &pending_stmt, 0, NULL, &rc)) == NULL) {
		PQclear(m);
		goto fail;
	}
	members = rows(m, mcols, 5);
	json_array_foreach(members, i, o)
		json_object_set_new(o, "self", json_boolean(strcmp(json_string_value(
		    json_object_get(o, "id")), r->id.user_id) == 0));
	view = json_pack("{s:o, s:o, s:o, s:o, s:o}", "members", members,
	    "pending", rows(p, pcols, 3), "values",
	    values ? values : json_object(), "errors",
	    errors ? errors : json_object(), "roles", json_pack(
	    "[s,s,s,s,s,s]", "owner", "admin", "manager", "finance", "viewer",
	    "driver"));
	PQclear(m);
	PQclear(p);
	if (flash != NULL)
		json_object_set_new(view, "flash", json_pack("[{s:s, s:s}]",
		    "type", "success", "message", flash));
	return page_render(r, status, "members/list", view);
fail:
	json_decref(values);
	json_decref(errors);
	return rc;
}

int
members_list(struct request *r)
{
	const char	*done = http_query(r, "done");

	/* Only the notices the redirects name. */
	if (done != NULL && strcmp(done, "invited") != 0 &&
	    strcmp(done, "role") != 0 && strcmp(done, "removed") != 0)
		done = NULL;
	return list_page(r, 200, NULL, NULL, done == NULL ? NULL :
	    tr(r, arena_printf(r->arena,
	    "members.done.%s", done)));
}

/* Only an owner may make or unmake owners. */
static int
may_grant(const struct request *r, const char *role)
{
	return strcmp(role, "owner") != 0 || r->id.role == ACCESS_OWNER;
}

static int
exec_void(struct request *r, const struct db_stmt *s, int n,
    const char *const *v)
{
	PGresult	*res;
	int		 rc = 500;

	if ((res = query_run(r, s, n, v, &rc)) == NULL)
		return rc;
	PQclear(res);
	return 0;
}

/* 1 when email is a member of this organisation, 0 when not, or the
 * status of a failure. */
static int
already_member(struct request *r, const char *email)
{
	const char	*v[1] = { email };
	PGresult	*res;
	int		 rc = 500;

	if ((res = query_run(r, &is_member_stmt, 1, v, &rc)) == NULL)
		return rc;
	rc = PQntuples(res) > 0;
	PQclear(res);
	return rc;
}

int
members_is_member(struct request *r, const char *email)
{
	return already_member(r, email);
}

int
members_invitation_create(struct request *r, const char *email,
    const char *role, const char *driver_id, const char *subject,
    const char *intro)
{
	char		 token[SECRET_TOKEN_LEN + 1], hash[SECRET_HASH_HEX + 1];
	const char	*v[4];
	int		 rc;

	secret_token_new(token);
	secret_token_hash(token, hash);
	v[0] = email;
	v[1] = role;
	v[2] = hash;
	v[3] = driver_id;
	if ((rc = exec_void(r, &invite_stmt, 4, v)) != 0)
		return rc;
	v[1] = subject;
	v[2] = arena_printf(r->arena, "%s\nAcceptez l'invitation avec ce lien, "
	    "valable 7 jours :\n%s/invitations/%s\n", intro,
	    r->w->cfg->base_url, token);
	v[3] = "invitation";
	return exec_void(r, &mail_stmt, 4, v);
}

int
members_invite(struct request *r)
{
	json_t		*errors, *values;
	const char	*email, *role;
	int		 rc;

	values = valid_input(r, invite_fields, 2, &errors);
	if (errors == NULL && !may_grant(r, json_string_value(
	    json_object_get(values, "role"))))
		errors = valid_one_error(r, "role",
		    "valid.members.owner_invites_owner");
	if (errors != NULL)
		return list_page(r, 422, values, errors, NULL);
	email = json_string_value(json_object_get(values, "email"));
	role = json_string_value(json_object_get(values, "role"));
	/* Accepting would change a member's role behind the role checks
	 * (an admin could demote an owner): roles change on this page. */
	if ((rc = already_member(r, email)) != 0) {
		if (rc != 1)
			goto out;
		return list_page(r, 422, values, valid_one_error(r, "email",
		    "valid.members.already_member"), NULL);
	}
	if ((rc = members_invitation_create(r, email, role, NULL,
	    arena_printf(r->arena, "Invitation à rejoindre %s",
	    r->id.tenant_name), arena_printf(r->arena, "Bonjour,\n\n%s vous "
	    "invite à rejoindre %s sur FleetCore (rôle : %s).",
	    r->id.user_name, r->id.tenant_name, role))) != 0 ||
	    (rc = activity_record(r, "member.invited", arena_printf(r->arena,
	    "Invitation envoyée à %s", email), role, "invitation", email)) != 0)
		goto out;
	rc = http_redirect(r, 303, "/members?done=invited");
out:
	json_decref(values);
	return rc;
}

/* The member's current role, or NULL (not in this organisation: 404). */
static const char *
member_role(struct request *r, const char *user_id, int *status)
{
	const char	*v[1] = { user_id };
	const char	*role = NULL;
	PGresult	*res;

	*status = 0;
	if (user_id == NULL) {
		*status = 404;
		return NULL;
	}
	if ((res = query_run(r, &member_stmt, 1, v, status)) == NULL)
		return NULL;
	if (PQntuples(res) == 1)
		role = arena_strdup(r->arena, db_value(res, 0, 0));
	else
		*status = 404;
	PQclear(res);
	return role;
}

static int
owners_left(struct request *r, int *status)
{
	PGresult	*res;
	int		 n;

	if ((res = query_run(r, &owners_stmt, 0, NULL, status)) == NULL)
		return -1;
	n = atoi(db_value(res, 0, 0));
	PQclear(res);
	return n;
}

static int
change_allowed(struct request *r, const char *user_id, const char *current,
    const char *wanted, int *status)
{
	if (strcmp(user_id, r->id.user_id) == 0 || !may_grant(r, current) ||
	    (wanted != NULL && !may_grant(r, wanted))) {
		*status = 403;
		return 0;
	}
	if (strcmp(current, "owner") == 0 && owners_left(r, status) <= 1) {
		*status = *status ? *status : 409;
		return 0;
	}
	return 1;
}

int
members_set_role(struct request *r)
{
	const char	*uid = http_param_uuid(r, 0), *current, *role, *v[2];
	json_t		*errors, *values;
	int		 rc;

	if ((current = member_role(r, uid, &rc)) == NULL)
		return rc;
	values = valid_input(r, role_fields, 1, &errors);
	if (errors != NULL) {
		json_decref(values);
		json_decref(errors);
		return 422;
	}
	role = arena_strdup(r->arena, json_string_value(json_object_get(values,
	    "role")));
	json_decref(values);
	if (!change_allowed(r, uid, current, role, &rc))
		return rc;
	v[0] = uid;
	v[1] = role;
	if ((rc = exec_void(r, &set_role_stmt, 2, v)) != 0 ||
	    (rc = activity_record(r, "member.role_changed", arena_printf(
	    r->arena, "Rôle modifié : %s → %s", current, role), NULL, "user",
	    uid)) != 0)
		return rc;
	return http_redirect(r, 303, "/members?done=role");
}

int
members_remove(struct request *r)
{
	const char	*uid = http_param_uuid(r, 0), *current, *v[1];
	int		 rc;

	if ((current = member_role(r, uid, &rc)) == NULL)
		return rc;
	if (!change_allowed(r, uid, current, NULL, &rc))
		return rc;
	v[0] = uid;
	/* Their sessions here end with the membership (auth_session joins
	 * memberships). */
	if ((rc = exec_void(r, &remove_stmt, 1, v)) != 0 ||
	    (rc = activity_record(r, "member.removed", "Membre retiré",
	    current, "user", uid)) != 0)
		return rc;
	return http_redirect(r, 303, "/members?done=removed");
}

int
members_outbox(struct request *r)
{
	static const char *const cols[] = { "recipient", "subject", "body",
	    "kind", "created" };
	PGresult	*res;
	int		 rc = 500;

	if ((res = query_run(r, &outbox_stmt, 0, NULL, &rc)) == NULL)
		return rc;
	rc = page_render(r, 200, "members/outbox", json_pack("{s:o}", "mails",
	    rows(res, cols, 5)));
	PQclear(res);
	return rc;
}

/* The invitation behind the link in the URL, or a 404. */
static PGresult *
invitation(struct request *r, char hash[SECRET_HASH_HEX + 1], int *status)
{
	const char	*v[1] = { hash };
	PGresult	*res;

	secret_token_hash(http_param(r, 0), hash);
	if ((res = query_run(r, &invitation_stmt, 1, v, status)) == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		PQclear(res);
		*status = 404;
		return NULL;
	}
	return res;
}

/* An invitation to an existing account is accepted by that account only:
 * the link alone (which the organisation's admins read in the outbox)
 * must not sign anyone in as someone else. */
static int
needs_sign_in(const struct request *r, const PGresult *inv)
{
	return strcmp(db_value(inv, 0, 4), "t") == 0 &&
	    (r->id.user_email == NULL ||
	    strcasecmp(r->id.user_email, db_value(inv, 0, 2)) != 0);
}

static int
invitation_page(struct request *r, int status, const PGresult *inv,
    json_t *errors)
{
	const char	*email = db_value(inv, 0, 2);
	char		 text[512];
	json_t		*view;

	view = json_pack("{s:s, s:s, s:s, s:b, s:o}", "org", db_value(inv, 0, 1),
	    "email", email, "role", db_value(inv, 0, 3),
	    "has_account", strcmp(db_value(inv, 0, 4), "t") == 0,
	    "errors", errors ? errors : json_object());
	if (view != NULL && needs_sign_in(r, inv))
		json_object_set_new(view, "flash", json_pack("[{s:s, s:b, s:s}]",
		    "type", "error", "error", 1, "message", i18n_fill(r->w->i18n,
		    (lang_id)r->lang, "members.other_account", &email, 1, text,
		    sizeof(text))));
	return page_render(r, status, "members/invitation", view);
}

int
invitation_show(struct request *r)
{
	char		 hash[SECRET_HASH_HEX + 1];
	PGresult	*inv;
	int		 rc = 500;

	if ((inv = invitation(r, hash, &rc)) == NULL)
		return rc;
	rc = invitation_page(r, 200, inv, NULL);
	PQclear(inv);
	return rc;
}

int
invitation_accept(struct request *r)
{
	char		 hash[SECRET_HASH_HEX + 1], pwhash[SECRET_PWHASH_LEN];
	PGresult	*inv, *res;
	json_t		*errors, *values;
	const char	*v[3], *tenant, *uid;
	int		 rc = 500, new_account;

	if ((inv = invitation(r, hash, &rc)) == NULL)
		return rc;
	if (needs_sign_in(r, inv)) {
		rc = invitation_page(r, 403, inv, NULL);
		PQclear(inv);
		return rc;
	}
	new_account = strcmp(db_value(inv, 0, 4), "f") == 0;
	tenant = arena_strdup(r->arena, db_value(inv, 0, 0));
	values = valid_input(r, accept_fields, 2, &errors);
	if (errors == NULL && new_account &&
	    json_object_get(values, "password") == NULL)
		errors = valid_one_error(r, "password",
		    "valid.members.password_short");
	if (errors != NULL) {
		json_decref(values);
		rc = invitation_page(r, 422, inv, errors);
		PQclear(inv);
		return rc;
	}
	PQclear(inv);
	v[0] = hash;
	v[1] = json_string_value(json_object_get(values, "name"));
	v[2] = NULL;
	if (new_account) {
		if (secret_password_hash(json_string_value(json_object_get(values,
		    "password")), pwhash) == -1) {
			json_decref(values);
			return 500;
		}
		v[2] = pwhash;
	}
	res = query_run(r, &accept_stmt, 3, v, &rc);
	json_decref(values);
	if (res == NULL)
		return rc;
	uid = arena_strdup(r->arena, db_value(res, 0, 0));
	PQclear(res);
	if ((rc = session_start(r, uid, tenant)) != 0)
		return rc;
	return http_redirect(r, 303, "/");
}
