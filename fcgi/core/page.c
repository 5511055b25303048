#include <stdio.h>
#include <string.h>

#include "api.h"
#include "i18n.h"
#include "log.h"
#include "page.h"
#include "server.h"
#include "tmpl.h"
#include "worker.h"

static json_t *
identity_view(const struct identity *id)
{
	if (id->user_id == NULL)
		return json_null();
	return json_pack("{s:s?, s:s?, s:s?, s:s?}", "name", id->user_name,
	    "email", id->user_email, "org", id->tenant_name,
	    "org_slug", id->tenant_slug);
}

static json_t *
languages_view(const struct request *r)
{
	return json_pack("[{s:s, s:s, s:b}, {s:s, s:s, s:b}]",
	    "code", "fr", "label", "Français", "current", r->lang == LANG_FR,
	    "code", "en", "label", "English", "current", r->lang == LANG_EN);
}

int
page_decorate(struct request *r, json_t *view)
{
	struct worker	*w = r->w;
	json_t		*t;

	t = i18n_catalogue(w->i18n, (lang_id)r->lang);
	if (json_object_set_new(view, "languages", languages_view(r)) == -1 ||
	    json_object_set_new(view, "asset_version",
	    json_string(w->asset_version)) == -1)
		return -1;
	if (w->app != NULL && w->app->decorate != NULL &&
	    w->app->decorate(r, view) == -1)
		return -1;
	if (json_object_set(view, "t", t) == -1 ||
	    json_object_set_new(view, "lang",
	    json_string(i18n_code((lang_id)r->lang))) == -1 ||
	    json_object_set_new(view, "path", json_string(http_url_encode(
	    r->arena, r->query_string != NULL && r->query_string[0] != '\0' ?
	    arena_printf(r->arena, "%s?%s", r->path, r->query_string) :
	    r->path))) == -1 ||
	    json_object_set_new(view, "user", identity_view(&r->id)) == -1 ||
	    json_object_set_new(view, "dev",
	    json_boolean(!config_is_production(w->cfg))) == -1 ||
	    json_object_set_new(view, "limits", json_pack("{s:i, s:i}",
	    "body_mb", w->cfg->max_body_mb,
	    "upload_mb", w->cfg->max_upload_mb)) == -1)
		return -1;
	if (r->csrf_token != NULL &&
	    json_object_set_new(view, "csrf", json_string(r->csrf_token)) == -1)
		return -1;
	return 0;
}

int
page_render(struct request *r, int status, const char *name, json_t *view)
{
	char	err[256];
	int	rc = 0;

	if (view == NULL)
		return 500;
	buf_clear(&r->res.body);
	if (page_decorate(r, view) == -1 ||
	    tmpl_render(r->w->tmpl, name, view, &r->res.body, err,
	    sizeof(err)) == -1) {
		log_error("render %s: %s", name, err);
		rc = 500;
	}
	json_decref(view);
	if (rc != 0)
		return rc;
	r->res.status = status;
	r->res.content_type = "text/html; charset=utf-8";
	r->res.done = 1;
	return 0;
}

/* Used when even the error template cannot be rendered. */
static int
plain_error(struct request *r, int status)
{
	char	text[128];
	int	n;

	n = snprintf(text, sizeof(text), "Erreur %d : %s\n", status,
	    http_reason(status));
	return http_body(r, status, "text/plain; charset=utf-8", text,
	    (size_t)n);
}

int
page_error(struct request *r, int status, const char *message)
{
	char		 key[64];
	const char	*title;
	json_t		*view;

	snprintf(key, sizeof(key), "errors.%d.message", status);
	if (message == NULL && r->w != NULL && r->w->i18n != NULL)
		message = i18n_get(r->w->i18n, (lang_id)r->lang, key);
	if (message == NULL)
		message = http_reason(status);
	if (r->is_api)
		return api_error(r, status, NULL, message, NULL);
	if (r->w == NULL || r->w->tmpl == NULL || r->w->i18n == NULL)
		return plain_error(r, status);
	snprintf(key, sizeof(key), "errors.%d.title", status);
	title = i18n_get(r->w->i18n, (lang_id)r->lang, key);
	view = json_pack("{s:i, s:s, s:s}", "status", status, "title", title,
	    "message", message);
	if (page_render(r, status, "errors/error", view) != 0)
		return plain_error(r, status);
	return 0;
}
