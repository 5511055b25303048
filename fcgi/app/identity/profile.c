#include <string.h>

#include "activity.h"
#include "crypto.h"
#include "i18n.h"
#include "page.h"
#include "profile.h"
#include "valid.h"
#include "worker.h"

static const char *const locales[] = { "fr", "en", NULL };

static const struct valid_field profile_fields[] = {
	{ "name", V_TEXT, 1, 1, 200, NULL, NULL },
	{ "locale", V_ENUM, 1, 0, 0, locales, NULL },
};

static const struct valid_field password_fields[] = {
	{ "current", V_PASSWORD, 1, 1, 1024, NULL, NULL },
	{ "password", V_PASSWORD, 1, 12, 1024, NULL, NULL },
	{ "confirm", V_PASSWORD, 1, 1, 1024, NULL, NULL },
};

static const struct db_stmt me_stmt = { "profile_me",
	"SELECT name, email, locale FROM users WHERE id = app_user()" };

static const struct db_stmt update_stmt = { "profile_update",
	"UPDATE users SET name = $1, locale = $2 WHERE id = app_user()" };

static const struct db_stmt hash_stmt = { "profile_hash",
	"SELECT auth_password_hash()" };

static const struct db_stmt set_password_stmt = { "profile_set_password",
	"SELECT auth_set_password($1, $2::uuid)" };

static int
render(struct request *r, int status, json_t *values, json_t *errors,
    json_t *pw_errors, const char *flash)
{
	struct db_error	 err;
	PGresult	*res;
	json_t		*view;
	const char	*locale;

	if ((res = db_exec(r->w->db, &me_stmt, 0, NULL, &err)) == NULL) {
		json_decref(values);
		json_decref(errors);
		json_decref(pw_errors);
		return err.status;
	}
	if (values == NULL)
		values = json_pack("{s:s, s:s}", "name", db_value(res, 0, 0),
		    "locale", db_value(res, 0, 2));
	json_object_set_new(values, "email", json_string(db_value(res, 0, 1)));
	locale = json_string_value(json_object_get(values, "locale"));
	json_object_set_new(values, "locale_en", json_boolean(locale != NULL &&
	    strcmp(locale, "en") == 0));
	PQclear(res);
	view = json_pack("{s:o, s:o, s:o}", "values", values,
	    "errors", errors ? errors : json_object(),
	    "pw_errors", pw_errors ? pw_errors : json_object());
	if (flash != NULL)
		json_object_set_new(view, "flash", json_pack("[{s:s, s:s}]",
		    "type", "success", "message", flash));
	return page_render(r, status, "profile/show", view);
}

int
profile_show(struct request *r)
{
	const char	*done = http_query(r, "done");
	const char	*flash = NULL;

	if (done != NULL && strcmp(done, "profile") == 0)
		flash = tr(r, "profile.saved");
	else if (done != NULL && strcmp(done, "password") == 0)
		flash = tr(r, "profile.password_changed");
	return render(r, 200, NULL, NULL, NULL, flash);
}

int
profile_update(struct request *r)
{
	json_t		*errors, *values;
	const char	*v[2];
	struct db_error	 err;
	PGresult	*res;

	values = valid_input(r, profile_fields, 2, &errors);
	if (errors != NULL)
		return render(r, 422, values, errors, NULL, NULL);
	v[0] = json_string_value(json_object_get(values, "name"));
	v[1] = json_string_value(json_object_get(values, "locale"));
	res = db_exec(r->w->db, &update_stmt, 2, v, &err);
	json_decref(values);
	if (res == NULL)
		return err.status;
	PQclear(res);
	return http_redirect(r, 303, "/profile?done=profile");
}

static const char *
check_passwords(struct request *r, json_t *values, json_t *errors)
{
	const char	*cur, *pw, *confirm, *hash;
	struct db_error	 err;
	PGresult	*res;
	int		 ok;

	cur = json_string_value(json_object_get(values, "current"));
	pw = json_string_value(json_object_get(values, "password"));
	confirm = json_string_value(json_object_get(values, "confirm"));
	if (strcmp(pw, confirm) != 0)
		valid_fail(r, errors, "confirm",
		    "valid.profile.password_mismatch");
	if ((res = db_exec(r->w->db, &hash_stmt, 0, NULL, &err)) == NULL)
		return NULL;
	hash = db_value(res, 0, 0);
	ok = secret_password_verify(hash, cur);
	PQclear(res);
	if (!ok)
		valid_fail(r, errors, "current", "valid.profile.current_wrong");
	return pw;
}

int
profile_password(struct request *r)
{
	char		 hash[SECRET_PWHASH_LEN];
	json_t		*errors, *values;
	const char	*pw, *v[2];
	struct db_error	 err;
	PGresult	*res;
	int		 rc;

	values = valid_input(r, password_fields, 3, &errors);
	if (errors == NULL) {
		errors = json_object();
		if ((pw = check_passwords(r, values, errors)) == NULL) {
			json_decref(values);
			json_decref(errors);
			return 500;
		}
	}
	if (json_object_size(errors) > 0) {
		json_decref(values);
		return render(r, 422, NULL, NULL, errors, NULL);
	}
	json_decref(errors);
	pw = json_string_value(json_object_get(values, "password"));
	rc = secret_password_hash(pw, hash);
	json_decref(values);
	if (rc == -1)
		return 500;
	v[0] = hash;
	v[1] = r->id.session_id;
	if ((res = db_exec(r->w->db, &set_password_stmt, 2, v, &err)) == NULL)
		return err.status;
	PQclear(res);
	if ((rc = activity_record(r, "auth.password_changed",
	    "Mot de passe modifié", NULL, "user", r->id.user_id)) != 0)
		return rc;
	return http_redirect(r, 303, "/profile?done=password");
}
