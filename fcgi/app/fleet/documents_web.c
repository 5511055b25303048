#include <stdio.h>
#include <string.h>

#include "documents.h"
#include "documents_file.h"
#include "documents_web.h"
#include "i18n.h"
#include "page.h"
#include "resource/view.h"
#include "worker.h"

#define ACCEPT	DOCUMENTS_ACCEPT


static const char *
state_tone(const char *state)
{
	if (strcmp(state, "a_jour") == 0)
		return "ok";
	if (strcmp(state, "a_renouveler") == 0)
		return "warn";
	if (strcmp(state, "expire") == 0)
		return "danger";
	return "info";
}

/* "12 jours restants", "expiré depuis 3 jours": the locale holds the
 * sentence with # where the number goes. */
static const char *
days_text(struct request *r, json_t *days)
{
	const char	*key;
	char		 text[256];
	long long	 n;

	if (!json_is_integer(days))
		return "";
	n = json_integer_value(days);
	key = n == -1 ? "documents.days_overdue_one" : n < 0 ?
	    "documents.days_overdue" : n == 0 ? "documents.due_today" :
	    n == 1 ? "documents.days_left_one" : "documents.days_left";
	return arena_strdup(r->arena, i18n_number(r->w->i18n,
	    (lang_id)r->lang, key, n < 0 ? -n : n, text, sizeof(text)));
}

static const char *
size_text(struct request *r, json_t *bytes)
{
	long long	n = json_integer_value(bytes);

	if (n < 1024 * 1024)
		return arena_printf(r->arena, "%lld %s", (n + 1023) / 1024,
		    tr(r, "documents.kb"));
	n = n * 10 / (1024 * 1024);
	return arena_printf(r->arena, "%lld%s%lld %s", n / 10,
	    r->lang == LANG_FR ? "," : ".", n % 10, tr(r, "documents.mb"));
}

/* A timestamp's day ("2026-03-01T…" → the date part), shown as a date. */
static const char *
day_of(struct request *r, json_t *ts)
{
	const char	*s = json_string_value(ts);
	json_t		*d;
	const char	*out;

	if (s == NULL || strlen(s) < 10)
		return "";
	d = json_stringn(s, 10);
	out = view_date(r, d);
	json_decref(d);
	return out;
}

/* A document as the block and the due page show it. */
static json_t *
doc_view(struct request *r, json_t *d)
{
	int		 current = json_is_true(json_object_get(d, "current"));
	const char	*state = view_str(d, "state");

	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:s, s:s, s:b}",
	    "id", view_str(d, "id"),
	    "type", view_label(r, "documents.type", view_str(d, "type")),
	    "number", view_str(d, "number"),
	    "issued", view_date(r, json_object_get(d, "issued_on")),
	    "expires", view_date(r, json_object_get(d, "expires_on")),
	    "days", current ? days_text(r, json_object_get(d, "days_left")) : "",
	    "state", current ? view_label(r, "documents.state", state) :
	    tr(r, "documents.superseded"),
	    "tone", current ? state_tone(state) : "info",
	    "file_name", view_str(d, "file_name"),
	    "file_href", arena_printf(r->arena, "/documents/%s/file",
	    view_str(d, "id")),
	    "size", size_text(r, json_object_get(d, "size_bytes")),
	    "uploaded", day_of(r, json_object_get(d, "created_at")),
	    "is_current", current);
}

static const char *
owner_base(const char *owner_type)
{
	return strcmp(owner_type, DOCUMENTS_VEHICLE) == 0 ? "/vehicles" :
	    "/drivers";
}

/* The upload form: options, and what was typed with its errors after a
 * refused post. */
static json_t *
form_view(struct request *r, const char *owner_type, const char *owner_id,
    json_t *values, json_t *errors)
{
	if (values == NULL)
		values = json_object();
	return json_pack("{s:s, s:o, s:o, s:o, s:s}",
	    "action", arena_printf(r->arena, "%s/%s/documents",
	    owner_base(owner_type), owner_id),
	    "types", view_options(r, "documents.type", document_types,
	    view_str(values, "type"), "documents.choose_type"),
	    "values", values, "errors", errors ? errors : json_object(),
	    "accept", ACCEPT);
}

json_t *
documents_for(struct request *r, const char *owner_type,
    const char *owner_id, int *status)
{
	json_t	*list, *current, *history, *d;
	size_t	 i;

	if ((list = documents_list(r, owner_type, owner_id, status)) == NULL)
		return NULL;
	current = json_array();
	history = json_array();
	json_array_foreach(list, i, d)
		json_array_append_new(json_is_true(json_object_get(d,
		    "current")) ? current : history, doc_view(r, d));
	json_decref(list);
	return json_pack("{s:o, s:o, s:s, s:b, s:o}",
	    "current", current, "history", history,
	    "history_count", view_number(r, (long long)json_array_size(history)),
	    "can_edit", r->id.role >= ACCESS_MANAGER,
	    "form", form_view(r, owner_type, owner_id, NULL, NULL));
}

/* What the user typed, to fill the form again (the file must be chosen
 * again: browsers never prefill a file input). */
static const char *const typed_fields[] = { "type", "number", "issued_on",
	"expires_on", NULL };

/* An upload from step 2 of a driver's onboarding returns there. */
static int
from_onboarding(struct request *r, const char *owner_type)
{
	const char	*next = http_form(r, "next");

	return strcmp(owner_type, DOCUMENTS_DRIVER) == 0 && next != NULL &&
	    strcmp(next, DOCUMENTS_NEXT_ONBOARDING) == 0;
}

/* A refused upload: a page of its own with the form and the messages.
 * It needs nothing from the database, whose transaction may have been
 * aborted by the failure. */
static int
form_again(struct request *r, int status, const char *owner_type,
    const char *owner_id, const char *label, json_t *errors)
{
	json_t	*view;
	int	 rc;

	view = json_pack("{s:s, s:s, s:o, s:[{s:s}]}",
	    "owner", label, "back", from_onboarding(r, owner_type) ?
	    arena_printf(r->arena, "/drivers/%s/onboarding/2", owner_id) :
	    arena_printf(r->arena, "%s/%s#documents", owner_base(owner_type),
	    owner_id),
	    "form", form_view(r, owner_type, owner_id, view_typed(r,
	    typed_fields), errors),
	    "flash", "type", "error");
	if (from_onboarding(r, owner_type))
		json_object_set_new(json_object_get(view, "form"), "next",
		    json_string(DOCUMENTS_NEXT_ONBOARDING));
	json_object_set_new(json_array_get(json_object_get(view, "flash"), 0),
	    "message", json_string(tr(r, "form.has_errors")));
	json_object_set_new(json_array_get(json_object_get(view, "flash"), 0),
	    "error", json_true());
	rc = page_render(r, status, "documents/form", view);
	return rc == 0 ? status : rc;
}

static int
post(struct request *r, const char *owner_type)
{
	const char	*id = http_param_uuid(r, 0), *label = "";
	json_t		*stored, *errors = NULL;
	int		 rc;

	if ((rc = documents_owner(r, owner_type, id, &label)) != 0)
		return rc;
	stored = documents_create(r, owner_type, id, &rc, &errors);
	if (stored == NULL && errors != NULL)
		return form_again(r, rc, owner_type, id, label, errors);
	if (stored == NULL)
		return rc;
	json_decref(stored);
	if (from_onboarding(r, owner_type))
		return http_redirect(r, 303, arena_printf(r->arena,
		    "/drivers/%s/onboarding/2?done=document#documents", id));
	return http_redirect(r, 303, arena_printf(r->arena,
	    "%s/%s?done=document#documents", owner_base(owner_type), id));
}

int
documents_vehicle_post(struct request *r)
{
	return post(r, DOCUMENTS_VEHICLE);
}

int
documents_driver_post(struct request *r)
{
	return post(r, DOCUMENTS_DRIVER);
}

int
documents_send_file(struct request *r, const char *id)
{
	const char	*path, *type, *name;
	int		 rc;

	if ((rc = documents_file_of(r, id, &path, &type, &name)) != 0)
		return rc;
	return documents_send_stored(r, path, type, name);
}

int
documents_send_stored(struct request *r, const char *path, const char *type,
    const char *name)
{
	const char	*disp;
	int		 rc;

	if ((disp = documents_disposition(r->arena, name, type)) == NULL)
		return 500;
	/* Private to the organisation: no shared cache keeps a copy. */
	if ((rc = http_file(r, path, type, NULL)) != 0 ||
	    (rc = http_add_header(r, "Content-Disposition", disp)) != 0 ||
	    (rc = http_add_header(r, "Cache-Control", "private, no-store")) != 0)
		return rc;
	return 0;
}

int
documents_download(struct request *r)
{
	return documents_send_file(r, http_param_uuid(r, 0));
}

/* A due document with its owner's link. */
static json_t *
due_view(struct request *r, json_t *d)
{
	json_t		*v = doc_view(r, d);
	int		 vehicle = strcmp(view_str(d, "owner_type"), "vehicle") == 0;

	json_object_set_new(v, "owner", json_string(view_str(d, "owner_label")));
	json_object_set_new(v, "owner_kind", json_string(tr(r, vehicle ?
	    "documents.owner_vehicle" : "documents.owner_driver")));
	json_object_set_new(v, "owner_href", json_string(arena_printf(r->arena,
	    "%s/%s#documents", vehicle ? "/vehicles" : "/drivers",
	    view_str(d, vehicle ? "vehicle_id" : "driver_id"))));
	return v;
}

static const char *const owner_types[] = { DOCUMENTS_VEHICLE,
	DOCUMENTS_DRIVER, NULL };
static const char *const due_states[] = { "a_renouveler", "expire", NULL };

static const char *
choice(struct request *r, const char *name, const char *const *allowed)
{
	const char	*v = http_query(r, name);

	for (; v != NULL && *allowed != NULL; allowed++)
		if (strcmp(*allowed, v) == 0)
			return v;
	return "";
}

int
documents_due_page(struct request *r)
{
	struct api_page	 pg;
	const char	*owner = choice(r, "owner", owner_types);
	const char	*state = choice(r, "state", due_states);
	json_t		*list, *rows, *d;
	long		 total;
	size_t		 i;
	int		 rc;

	if (api_page_parse(r, &pg) != 0) {
		r->res.done = 0;
		return 400;
	}
	if (http_query(r, "limit") == NULL) {
		pg.limit = 50;
		pg.offset = (pg.page - 1) * pg.limit;
	}
	if ((list = documents_due(r, owner, state, &pg, &total, &rc)) == NULL)
		return rc;
	rows = json_array();
	json_array_foreach(list, i, d)
		json_array_append_new(rows, due_view(r, d));
	json_decref(list);
	return page_render(r, 200, "documents/due", json_pack("{s:o, s:o,"
	    " s:s, s:o, s:o}", "rows", rows, "pagination", view_pagination(r,
	    &pg, total), "total", view_number(r, total),
	    "owners", view_options(r, "documents.owners", owner_types, owner,
	    "documents.all_owners"),
	    "states", view_options(r, "documents.state", due_states, state,
	    "documents.all_states")));
}

void
documents_nav_count(struct request *r, json_t *nav)
{
	json_t	*entry;
	size_t	 i;
	long	 n;

	if (r->id.user_id == NULL || r->id.role < ACCESS_VIEWER ||
	    r->w->db == NULL || !db_transaction_ok(r->w->db))
		return;
	json_array_foreach(nav, i, entry) {
		if (strcmp(view_str(entry, "href"), "/documents/due") != 0)
			continue;
		if ((n = documents_due_count(r)) > 0) {
			json_object_set_new(entry, "count",
			    json_string(view_number(r, n)));
			json_object_set_new(entry, "count_label",
			    json_string(tr(r, "documents.nav_count_label")));
		}
		return;
	}
}
