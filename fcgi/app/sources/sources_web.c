#include <stdlib.h>
#include <string.h>

#include "connectors/fetch.h"
#include "i18n.h"
#include "jobs/sync_file.h"
#include "page.h"
#include "sources.h"
#include "sources_view.h"
#include "sources_web.h"
#include "sync_runs.h"
#include "resource/view.h"
#include "worker.h"

#define RECENT_RUNS	10
#define PAGE_REJECTS	200

static const char *
str(json_t *o, const char *k)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}


static const char *
source_href(struct request *r, const char *id, const char *rest)
{
	return arena_printf(r->arena, "/sources/%s%s", id, rest);
}

/* ---- the list ------------------------------------------------------------ */

static const char *
next_sync(struct request *r, json_t *s)
{
	if (!json_is_true(json_object_get(s, "auto_mode")) ||
	    strcmp(str(s, "schedule"), "manuel") == 0)
		return tr(r, "sources.manual_only");
	if (!json_is_null(json_object_get(s, "paused_at")))
		return tr(r, "sources.paused_no_sync");
	return sources_view_datetime(r, json_object_get(s, "next_sync_at"));
}

static json_t *
source_view(struct request *r, json_t *s)
{
	const struct connector_type	*t = connector_find(str(s, "type"));
	json_t				*last = json_object_get(s, "last_run");

	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:s, s:b, s:b}",
	    "id", str(s, "id"), "href", source_href(r, str(s, "id"), ""),
	    "name", str(s, "name"),
	    "type_label", t ? tr(r, t->label_key) : str(s, "type"),
	    "health", view_label(r, "sources.health", str(s, "health")),
	    "tone", sources_view_tone(str(s, "health")),
	    "last_sync", sources_view_relative(r, json_object_get(last,
	    "created_at")),
	    "last_status", view_label(r, "sources.status", str(last, "status")),
	    "last_tone", sources_view_tone(str(last, "status")),
	    "last_href", json_is_object(last) ? arena_printf(r->arena,
	    "/sync-runs/%s", str(last, "id")) : "",
	    "next_sync", next_sync(r, s),
	    "paused", !json_is_null(json_object_get(s, "paused_at")),
	    "auto_mode", json_is_true(json_object_get(s, "auto_mode")));
}

int
sources_index(struct request *r)
{
	json_t	*list, *rows, *s;
	size_t	 i;
	int	 rc;

	if ((list = source_list(r, &rc)) == NULL)
		return rc;
	rows = json_array();
	json_array_foreach(list, i, s)
		json_array_append_new(rows, source_view(r, s));
	json_decref(list);
	/* No count of the unmatched here: with millions of imported rows it
	 * is a scan, paid on its own page only. */
	return page_render(r, 200, "sources/index", json_pack("{s:o, s:b}",
	    "rows", rows, "can_edit", r->id.role >= ACCESS_MANAGER));
}

/* ---- the form a type declares -------------------------------------------- */

static json_t *
choice_options(struct request *r, const struct connector_field *f,
    const char *selected)
{
	json_t			*list = json_array();
	const char *const	*c;

	for (c = f->choices; c != NULL && *c != NULL; c++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}",
		    "value", *c, "label", tr(r, arena_printf(r->arena, "%s_%s",
		    f->label_key, *c)), "selected", strcmp(*c, selected) == 0));
	return list;
}

/* The fields of a type with what was typed or stored, and the errors. */
static json_t *
fields_view(struct request *r, const struct connector_type *t,
    json_t *values, json_t *errors, json_t *secrets_set)
{
	const struct connector_field	*f;
	json_t				*list = json_array();
	const char			*v;
	size_t				 i;

	for (i = 0; i < t->nfields; i++) {
		f = &t->fields[i];
		v = f->type == CFIELD_SECRET ? "" : str(values, f->name);
		if (*v == '\0' && f->type != CFIELD_SECRET && f->def != NULL &&
		    json_object_get(values, f->name) == NULL)
			v = f->def;
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:b,"
		    " s:b, s:b, s:b, s:o, s:s, s:b}",
		    "name", f->name, "id", arena_printf(r->arena, "field-%s",
		    f->name), "label", tr(r, f->label_key),
		    "help", f->help_key ? tr(r, f->help_key) : "",
		    "required", f->required, "is_text", f->type == CFIELD_TEXT,
		    "is_secret", f->type == CFIELD_SECRET,
		    "is_choice", f->type == CFIELD_CHOICE,
		    "options", choice_options(r, f, v), "value", v,
		    "secret_set", json_object_get(secrets_set, f->name) != NULL));
		if (json_object_get(errors, f->name) != NULL)
			json_object_set(json_array_get(list, i), "error",
			    json_object_get(errors, f->name));
	}
	return list;
}

static json_t *
form_view(struct request *r, const struct connector_type *t, json_t *values,
    json_t *errors, const char *action, json_t *secrets_set)
{
	json_t	*v;

	v = json_pack("{s:s, s:s, s:s, s:s, s:b, s:o, s:s, s:o}",
	    "type", t->name, "type_label", tr(r, t->label_key),
	    "type_help", tr(r, t->help_key), "action", action,
	    "is_new", strcmp(action, "/sources") == 0,
	    "fields", fields_view(r, t, values, errors, secrets_set),
	    "name", str(values, "name"),
	    "errors", errors ? json_incref(errors) : json_object());
	return v;
}

static int
form_page(struct request *r, int status, const struct connector_type *t,
    json_t *values, json_t *errors, const char *action, json_t *secrets_set)
{
	int	rc;

	rc = page_render(r, status, "sources/form", form_view(r, t, values,
	    errors, action, secrets_set));
	return rc == 0 && status >= 400 ? status : rc;
}

/* What the form sent, as strings by field name. */
static json_t *
form_values(struct request *r, const struct connector_type *t)
{
	json_t		*values = json_object();
	const char	*v;
	size_t		 i;

	if ((v = http_form(r, "name")) != NULL)
		json_object_set_new(values, "name", json_string(v));
	for (i = 0; i < t->nfields; i++)
		if ((v = http_form(r, t->fields[i].name)) != NULL)
			json_object_set_new(values, t->fields[i].name,
			    json_string(v));
	return values;
}

int
sources_new(struct request *r)
{
	const struct connector_type	*t;
	json_t				*types, *values;
	size_t				 i;
	int				 rc;

	if ((t = connector_find(http_query(r, "type"))) != NULL) {
		values = json_object();
		rc = form_page(r, 200, t, values, NULL, "/sources", NULL);
		json_decref(values);
		return rc;
	}
	types = json_array();
	for (i = 0; i < connector_ntypes; i++)
		json_array_append_new(types, json_pack("{s:s, s:s, s:s}",
		    "label", tr(r, connector_types[i]->label_key),
		    "help", tr(r, connector_types[i]->help_key),
		    "href", arena_printf(r->arena, "/sources/new?type=%s",
		    connector_types[i]->name)));
	return page_render(r, 200, "sources/new", json_pack("{s:o}", "types",
	    types));
}

int
sources_create(struct request *r)
{
	const struct connector_type	*t = connector_find(http_form(r, "type"));
	json_t				*values, *input, *errors;
	char				 id[40];
	int				 rc;

	if (t == NULL)
		return 422;
	values = form_values(r, t);
	input = source_input(r, t, values, NULL, &errors);
	if (errors == NULL) {
		rc = source_insert(r, t, input, id, &errors);
		if (rc != 0 && errors == NULL) {
			json_decref(values);
			json_decref(input);
			return rc;
		}
	}
	json_decref(input);
	if (errors != NULL) {
		rc = form_page(r, 422, t, values, errors, "/sources", NULL);
		json_decref(values);
		json_decref(errors);
		return rc;
	}
	json_decref(values);
	return http_redirect(r, 303, source_href(r, id, "?done=created"));
}

/* ---- a source's page ------------------------------------------------------- */

static json_t *
config_rows(struct request *r, const struct connector_type *t, json_t *config)
{
	const struct connector_field	*f;
	json_t				*rows = json_array();
	const char			*v;
	size_t				 i;

	for (i = 0; i < t->nfields; i++) {
		f = &t->fields[i];
		v = str(config, f->name);
		if (*v == '\0')
			continue;
		if (f->type == CFIELD_CHOICE)
			v = tr(r, arena_printf(r->arena, "%s_%s", f->label_key, v));
		json_array_append_new(rows, json_pack("{s:s, s:s}", "label",
		    tr(r, f->label_key), "value", v));
	}
	return rows;
}

static json_t *
mapping_rows(struct request *r, json_t *s)
{
	json_t		*rows = json_array(), *map;
	const char	*key;
	json_t		*v;

	map = json_object_get(json_object_get(s, "config"), "mapping");
	json_object_foreach(map, key, v)
		json_array_append_new(rows, json_pack("{s:s, s:s}", "label",
		    canon_label_key(key) ? tr(r, canon_label_key(key)) : key,
		    "header", json_string_value(v) ? json_string_value(v) : ""));
	return rows;
}

static const char *const weekdays[] = { "1", "2", "3", "4", "5", "6", "7",
	NULL };

static json_t *
schedule_view(struct request *r, json_t *s, json_t *errors)
{
	char	wd[8];

	snprintf(wd, sizeof(wd), "%lld", (long long)json_integer_value(
	    json_object_get(s, "schedule_weekday")));
	return json_pack("{s:o, s:s, s:o, s:o, s:s}",
	    "schedules", view_options(r, "sources.schedule", source_schedules,
	    str(s, "schedule"), NULL),
	    "time", str(s, "schedule_time"),
	    "weekdays", view_options(r, "sources.weekday", weekdays, wd, NULL),
	    "errors", errors ? json_incref(errors) : json_object(),
	    "label", view_label(r, "sources.schedule", str(s, "schedule")));
}

static json_t *
periods_view(struct request *r, json_t *periods)
{
	json_t	*list = json_array(), *p;
	size_t	 i;

	json_array_foreach(periods, i, p)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}",
		    "started", sources_view_datetime(r, json_object_get(p,
		    "started_at")), "ended", sources_view_datetime(r,
		    json_object_get(p, "ended_at")),
		    "started_by", str(p, "started_by"),
		    "ended_by", str(p, "ended_by")));
	return list;
}

static json_t *
runs_view(struct request *r, json_t *runs)
{
	json_t	*list = json_array(), *run;
	size_t	 i;

	json_array_foreach(runs, i, run)
		json_array_append_new(list, sources_view_run(r, run));
	return list;
}

/* Messages of the redirects that land on a source's page. */
static void
flash_from_query(struct request *r, json_t *view)
{
	const char	*done = http_query(r, "done"), *error = http_query(r,
			    "error");

	if (done != NULL && strspn(done, "abcdefghijklmnopqrstuvwxyz_") ==
	    strlen(done) && strlen(done) < 20)
		json_object_set_new(view, "flash", json_pack("[{s:s, s:s}]",
		    "type", "success", "message", tr(r, arena_printf(r->arena,
		    "sources.done.%s", done))));
	else if (error != NULL && strspn(error, "abcdefghijklmnopqrstuvwxyz_") ==
	    strlen(error) && strlen(error) < 20)
		json_object_set_new(view, "flash", json_pack("[{s:s, s:s, s:b}]",
		    "type", "error", "message", tr(r, arena_printf(r->arena,
		    "sources.error.%s", error)), "error", 1));
}

/* The page of a source; extra (stolen, may be NULL) adds keys: a check's
 * answer, a schedule's errors, a sync's error. */
static int
show_page(struct request *r, const char *id, int status, json_t *extra)
{
	const struct connector_type	*t;
	struct api_page			 pg = { 1, RECENT_RUNS, 0 };
	json_t				*s, *runs, *periods, *view, *check;
	json_t				*sched_errors;
	long				 total;
	int				 rc;

	if ((s = source_get(r, id, &rc)) == NULL) {
		json_decref(extra);
		return rc;
	}
	t = connector_find(str(s, "type"));
	if ((runs = sync_run_list(r, id, &pg, &total, &rc)) == NULL ||
	    (periods = source_mode_periods(r, id, &rc)) == NULL) {
		json_decref(runs);
		json_decref(s);
		json_decref(extra);
		return rc;
	}
	sched_errors = extra ? json_object_get(extra, "schedule_errors") : NULL;
	check = json_pack("{s:s, s:b, s:s}", "at", sources_view_datetime(r,
	    json_object_get(s, "last_check_at")), "ok",
	    json_is_true(json_object_get(s, "last_check_ok")), "message",
	    str(s, "last_check_message"));
	view = json_pack("{s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:b, s:b, s:b, s:b, s:s, s:s, s:s, s:o, s:o, s:b},"
	    " s:o, s:o, s:b, s:o, s:o, s:b, s:b}",
	    "source",
	    "id", str(s, "id"), "name", str(s, "name"),
	    "type_label", t ? tr(r, t->label_key) : "",
	    "type_help", t ? tr(r, t->help_key) : "",
	    "health", view_label(r, "sources.health", str(s, "health")),
	    "tone", sources_view_tone(str(s, "health")),
	    "platform", view_label(r, "sources.platform", str(s, "platform")),
	    "table", view_label(r, "sources.table", str(s, "table")),
	    "running_href", json_is_string(json_object_get(s,
	    "running_run_id")) ? arena_printf(r->arena, "/sync-runs/%s",
	    str(s, "running_run_id")) : "",
	    "paused", !json_is_null(json_object_get(s, "paused_at")),
	    "auto_mode", json_is_true(json_object_get(s, "auto_mode")),
	    "file_based", json_is_true(json_object_get(s, "file_based")),
	    "is_generic", strcmp(str(s, "type"), "generic_csv") == 0,
	    "next_sync", next_sync(r, s),
	    "last_success", sources_view_datetime(r, json_object_get(s,
	    "last_success_at")),
	    "cursor", sources_view_datetime(r, json_object_get(s, "cursor")),
	    "config", t ? config_rows(r, t, json_object_get(s, "config")) :
	    json_array(),
	    "mapping", mapping_rows(r, s),
	    "has_mapping", json_object_get(json_object_get(s, "config"),
	    "mapping") != NULL,
	    "runs", runs_view(r, runs),
	    "periods", periods_view(r, periods),
	    "more_runs", total > RECENT_RUNS,
	    "schedule", schedule_view(r, s, sched_errors),
	    "last_check", check,
	    "has_check", !json_is_null(json_object_get(s, "last_check_at")),
	    "can_edit", r->id.role >= ACCESS_MANAGER);
	/* With an address, the file is optional: the run fetches it. */
	json_object_set_new(json_object_get(view, "source"), "has_url",
	    json_boolean(fetch_source_url(json_object_get(s, "config")) !=
	    NULL));
	json_decref(runs);
	json_decref(periods);
	json_decref(s);
	if (extra != NULL) {
		json_object_update(view, extra);
		json_decref(extra);
	}
	flash_from_query(r, view);
	rc = page_render(r, status, "sources/show", view);
	return rc == 0 && status >= 400 ? status : rc;
}

int
sources_show(struct request *r)
{
	return show_page(r, http_param_uuid(r, 0), 200, NULL);
}

int
sources_edit(struct request *r)
{
	struct source_row	 row;
	json_t			*values, *set;
	const char		*key;
	json_t			*v, *n;
	size_t			 i;
	int			 rc;

	if ((rc = source_load(r, http_param_uuid(r, 0), &row)) != 0)
		return rc;
	values = json_object();
	json_object_foreach(row.config, key, v)
		if (json_is_string(v))
			json_object_set(values, key, v);
	json_object_set_new(values, "name", json_string(row.name));
	set = json_object();
	json_array_foreach(json_object_get(row.config, "_secrets"), i, n)
		if (json_is_string(n))
			json_object_set_new(set, json_string_value(n), json_true());
	rc = form_page(r, 200, row.type, values, NULL, source_href(r, row.id,
	    ""), set);
	json_decref(set);
	json_decref(values);
	source_row_clear(&row);
	return rc;
}

int
sources_save(struct request *r)
{
	struct source_row	 row;
	json_t			*values, *input, *errors;
	int			 rc;

	if ((rc = source_load(r, http_param_uuid(r, 0), &row)) != 0)
		return rc;
	values = form_values(r, row.type);
	input = source_input(r, row.type, values, &row, &errors);
	if (errors == NULL && (rc = source_update(r, &row, input, &errors)) != 0
	    && errors == NULL) {
		json_decref(input);
		json_decref(values);
		source_row_clear(&row);
		return rc;
	}
	json_decref(input);
	if (errors != NULL) {
		rc = form_page(r, 422, row.type, values, errors, source_href(r,
		    row.id, ""), NULL);
		json_decref(errors);
	} else
		rc = http_redirect(r, 303, source_href(r, row.id, "?done=saved"));
	json_decref(values);
	source_row_clear(&row);
	return rc;
}

int
sources_check_web(struct request *r)
{
	struct source_row		 row;
	struct connector_outcome	 out;
	json_t				*extra;
	int				 rc;

	if ((rc = source_load(r, http_param_uuid(r, 0), &row)) != 0)
		return rc;
	rc = source_check(r, &row, sync_run_upload(r), &out);
	source_row_clear(&row);
	if (rc != 0) {
		connector_outcome_clear(&out);
		return rc;
	}
	extra = json_pack("{s:{s:b, s:s}}", "check_now", "ok",
	    out.result == CONN_OK, "message", out.message);
	connector_outcome_clear(&out);
	return show_page(r, row.id, 200, extra);
}

/* A generic source without a mapping yet: keep the file and ask. */
static int
to_mapping(struct request *r, const struct source_row *row, struct upload *u)
{
	char	key[SYNC_FILE_KEY_LEN + 1];

	if (sync_file_keep(r->w->cfg->data_dir, r->id.tenant_id, u, key) == -1)
		return 500;
	return http_redirect(r, 303, arena_printf(r->arena, "/sources/%s/mapping"
	    "?file=%s&name=%s", row->id, key, http_url_encode(r->arena,
	    u->filename ? u->filename : "")));
}

int
sources_sync_web(struct request *r)
{
	struct source_row	 row;
	struct upload		*u = sync_run_upload(r);
	const char		*message;
	char			 run_id[40];
	int			 rc;

	if ((rc = source_load(r, http_param_uuid(r, 0), &row)) != 0)
		return rc;
	if (u != NULL && strcmp(row.type->name, "generic_csv") == 0 &&
	    json_object_get(row.config, "mapping") == NULL &&
	    !row.running && !row.paused) {
		rc = to_mapping(r, &row, u);
		source_row_clear(&row);
		return rc;
	}
	rc = sync_run_start(r, &row, "manual", u, run_id, &message);
	if (rc == 409 || rc == 422) {
		/* The transaction may be spent: say it on a fresh page. */
		rc = http_redirect(r, 303, source_href(r, row.id, rc == 422 ?
		    "?error=no_file" : row.paused ? "?error=paused" :
		    "?error=busy"));
		source_row_clear(&row);
		return rc;
	}
	source_row_clear(&row);
	if (rc != 0)
		return rc;
	return http_redirect(r, 303, arena_printf(r->arena, "/sync-runs/%s",
	    run_id));
}

static int
redirect_done(struct request *r, int rc, const char *done)
{
	if (rc != 0)
		return rc;
	return http_redirect(r, 303, source_href(r, http_param_uuid(r, 0),
	    done));
}

/* 0 when the tenant has the source, else 404 (or a database status). */
static int
exists(struct request *r, const char *id)
{
	struct source_row	row;
	int			rc;

	if ((rc = source_load(r, id, &row)) == 0)
		source_row_clear(&row);
	return rc;
}

int
sources_pause(struct request *r)
{
	const char	*id = http_param_uuid(r, 0);
	int		 rc;

	if ((rc = exists(r, id)) != 0)
		return rc;
	return redirect_done(r, source_set_paused(r, id, 1), "?done=paused");
}

int
sources_resume(struct request *r)
{
	const char	*id = http_param_uuid(r, 0);
	int		 rc;

	if ((rc = exists(r, id)) != 0)
		return rc;
	return redirect_done(r, source_set_paused(r, id, 0), "?done=resumed");
}

int
sources_auto(struct request *r)
{
	const char	*id = http_param_uuid(r, 0);
	const char	*on = http_form(r, "on");
	int		 enable = on != NULL && strcmp(on, "1") == 0;
	int		 rc;

	if ((rc = exists(r, id)) != 0)
		return rc;
	return redirect_done(r, source_set_auto(r, id, enable), enable ?
	    "?done=auto_on" : "?done=auto_off");
}

int
sources_schedule_web(struct request *r)
{
	const char		*id = http_param_uuid(r, 0);
	json_t			*errors;
	int			 rc;

	if ((rc = exists(r, id)) != 0)
		return rc;
	rc = source_set_schedule(r, id, &errors);
	if (rc == 422)
		return show_page(r, id, 422, json_pack("{s:o}",
		    "schedule_errors", errors));
	json_decref(errors);
	return redirect_done(r, rc, "?done=schedule");
}

int
sources_runs(struct request *r)
{
	const char	*id = http_param_uuid(r, 0);
	struct api_page	 pg;
	json_t		*s, *runs;
	long		 total;
	int		 rc;

	if (api_page_parse(r, &pg) != 0) {
		r->res.done = 0;
		return 400;
	}
	if ((s = source_get(r, id, &rc)) == NULL)
		return rc;
	if ((runs = sync_run_list(r, id, &pg, &total, &rc)) == NULL) {
		json_decref(s);
		return rc;
	}
	rc = page_render(r, 200, "sources/runs", json_pack("{s:{s:s, s:s, s:s},"
	    " s:o, s:o, s:s}", "source", "id", str(s, "id"), "name",
	    str(s, "name"), "href", source_href(r, str(s, "id"), ""),
	    "runs", runs_view(r, runs), "pagination", view_pagination(r, &pg,
	    total), "total", view_number(r, total)));
	json_decref(runs);
	json_decref(s);
	return rc;
}

/* ---- the column mapping of a generic CSV ------------------------------------ */

/* The header a column maps to: saved, else the one whose name is the
 * column's label in either language. */
static const char *
guess(struct request *r, const struct canon_column *c, json_t *map,
    json_t *headers)
{
	char		 a[COLMAP_NAME_MAX], b[COLMAP_NAME_MAX];
	const char	*labels[3];
	json_t		*h;
	size_t		 i, k;

	if (json_is_string(json_object_get(map, c->name)))
		return json_string_value(json_object_get(map, c->name));
	labels[0] = c->name;
	labels[1] = i18n_get(r->w->i18n, LANG_FR, c->label_key);
	labels[2] = i18n_get(r->w->i18n, LANG_EN, c->label_key);
	json_array_foreach(headers, i, h) {
		colmap_normalize(json_string_value(h), a, sizeof(a));
		for (k = 0; k < 3; k++) {
			colmap_normalize(labels[k], b, sizeof(b));
			if (strcmp(a, b) == 0)
				return json_string_value(h);
		}
	}
	return "";
}

static json_t *
mapping_view(struct request *r, const struct source_row *row, json_t *headers,
    json_t *submitted, json_t *errors, const char *key, const char *name)
{
	const struct canon_table_def	*t = canon_table(connector_table(
					    row->type, row->config));
	json_t				*cols = json_array(), *opts, *h;
	json_t				*map = submitted ? submitted :
					    json_object_get(row->config, "mapping");
	const char			*sel;
	size_t				 i, k;

	for (i = 0; i < t->ncolumns; i++) {
		/* Derived by the connector, not read from a column. */
		if (strcmp(t->columns[i].name, "period") == 0 ||
		    strcmp(t->columns[i].name, "platform_status") == 0)
			continue;
		sel = guess(r, &t->columns[i], map, headers);
		opts = json_array();
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value",
		    "", "label", tr(r, "sources.mapping.none"), "selected",
		    *sel == '\0'));
		json_array_foreach(headers, k, h)
			json_array_append_new(opts, json_pack("{s:O, s:O, s:b}",
			    "value", h, "label", h, "selected",
			    strcmp(json_string_value(h), sel) == 0));
		json_array_append_new(cols, json_pack("{s:s, s:s, s:s, s:o, s:b}",
		    "name", arena_printf(r->arena, "map_%s", t->columns[i].name),
		    "id", arena_printf(r->arena, "map-%s", t->columns[i].name),
		    "label", tr(r, t->columns[i].label_key), "options", opts,
		    "required", t->columns[i].required));
	}
	return json_pack("{s:{s:s, s:s, s:s}, s:o, s:s, s:s, s:s, s:b}",
	    "source", "id", row->id, "name", row->name, "href",
	    source_href(r, row->id, ""), "columns", cols, "file", key,
	    "file_name", name, "table", view_label(r, "sources.table", t->name),
	    "has_errors", json_object_size(errors) > 0);
}

static int
mapping_page(struct request *r, int status, const struct source_row *row,
    const char *key, const char *name, json_t *submitted, json_t *errors)
{
	struct connector_outcome	 out;
	char				 path[4096];
	json_t				*headers;
	int				 rc;

	if (sync_file_path(r->w->cfg->data_dir, r->id.tenant_id, key, path,
	    sizeof(path)) == -1)
		return 404;
	headers = source_discover(r, row, path, &out);
	if (headers == NULL) {
		rc = http_redirect(r, 303, source_href(r, row->id,
		    "?error=unreadable"));
		connector_outcome_clear(&out);
		return rc;
	}
	connector_outcome_clear(&out);
	rc = page_render(r, status, "sources/mapping", mapping_view(r, row,
	    headers, submitted, errors, key, name));
	json_decref(headers);
	return rc == 0 && status >= 400 ? status : rc;
}

/* Without a file: the saved mapping, and a form to bring a sample. */
static int
mapping_home(struct request *r, const struct source_row *row)
{
	json_t	*s, *view;
	int	 rc;

	if ((s = source_get(r, row->id, &rc)) == NULL)
		return rc;
	view = json_pack("{s:{s:s, s:s, s:s}, s:o, s:b, s:b}",
	    "source", "id", row->id, "name", row->name, "href",
	    source_href(r, row->id, ""), "mapping", mapping_rows(r, s),
	    "generic", strcmp(row->type->name, "generic_csv") == 0,
	    "can_edit", r->id.role >= ACCESS_MANAGER);
	json_decref(s);
	return page_render(r, 200, "sources/mapping_home", view);
}

int
sources_mapping_form(struct request *r)
{
	struct source_row	 row;
	const char		*key = http_query(r, "file");
	int			 rc;

	if ((rc = source_load(r, http_param_uuid(r, 0), &row)) != 0)
		return rc;
	if (strcmp(row.type->name, "generic_csv") != 0 || key == NULL)
		rc = mapping_home(r, &row);
	else
		rc = mapping_page(r, 200, &row, key, http_query(r, "name") ?
		    http_query(r, "name") : "", NULL, NULL);
	source_row_clear(&row);
	return rc;
}

int
sources_mapping_save(struct request *r)
{
	const struct canon_table_def	*t;
	struct source_row		 row;
	const char			*key = http_form(r, "file"), *v, *msg;
	const char			*name = http_form(r, "file_name");
	json_t				*map, *errors;
	char				 run_id[40], path[4096];
	size_t				 i;
	int				 rc;

	if ((rc = source_load(r, http_param_uuid(r, 0), &row)) != 0)
		return rc;
	/* A sample brought from the mapping page: keep it and ask. */
	if (key == NULL && sync_run_upload(r) != NULL &&
	    strcmp(row.type->name, "generic_csv") == 0) {
		rc = to_mapping(r, &row, sync_run_upload(r));
		source_row_clear(&row);
		return rc;
	}
	if (strcmp(row.type->name, "generic_csv") != 0 || key == NULL ||
	    sync_file_path(r->w->cfg->data_dir, r->id.tenant_id, key, path,
	    sizeof(path)) == -1) {
		source_row_clear(&row);
		return 404;
	}
	t = canon_table(connector_table(row.type, row.config));
	map = json_object();
	errors = json_object();
	for (i = 0; i < t->ncolumns; i++) {
		v = http_form(r, arena_printf(r->arena, "map_%s",
		    t->columns[i].name));
		if (v != NULL && *v != '\0')
			json_object_set_new(map, t->columns[i].name, json_string(v));
		else if (t->columns[i].required &&
		    strcmp(t->columns[i].name, "period") != 0)
			json_object_set_new(errors, arena_printf(r->arena, "map_%s",
			    t->columns[i].name), json_string(tr(r,
			    "sources.mapping.required")));
	}
	if (json_object_size(errors) > 0) {
		rc = mapping_page(r, 422, &row, key, name ? name : "", map, errors);
		json_decref(map);
		json_decref(errors);
		source_row_clear(&row);
		return rc;
	}
	json_decref(errors);
	rc = source_save_mapping(r, &row, map);
	json_decref(map);
	if (rc == 0)
		rc = sync_run_start_kept(r, &row, "manual", key, name ? name : "",
		    run_id, &msg);
	source_row_clear(&row);
	if (rc == 409)
		return http_redirect(r, 303, source_href(r, row.id,
		    "?error=busy"));
	if (rc != 0)
		return rc;
	return http_redirect(r, 303, arena_printf(r->arena, "/sync-runs/%s",
	    run_id));
}

/* ---- a run's page -------------------------------------------------------- */

int
sync_runs_show(struct request *r)
{
	const char	*id = http_param_uuid(r, 0);
	json_t		*run, *rejects, *view;
	long long	 rejected;
	int		 rc;

	if ((run = sync_run_get(r, id, &rc)) == NULL)
		return rc;
	if ((rejects = sync_run_rejects(r, id, PAGE_REJECTS, &rc)) == NULL) {
		json_decref(run);
		return rc;
	}
	rejected = (long long)json_integer_value(json_object_get(run,
	    "rows_rejected"));
	view = json_pack("{s:o, s:o, s:b, s:s, s:b}",
	    "run", sources_view_run(r, run), "rejects", rejects,
	    "more_rejects", rejected > (long long)json_array_size(rejects),
	    "shown_rejects", view_number(r, (long long)json_array_size(rejects)),
	    "can_edit", r->id.role >= ACCESS_MANAGER);
	json_decref(run);
	if (http_query(r, "cancelled") != NULL)
		json_object_set_new(view, "flash", json_pack("[{s:s, s:s}]",
		    "type", "success", "message", tr(r, "sources.done.cancel")));
	return page_render(r, 200, "sources/run", view);
}

int
sync_runs_progress(struct request *r)
{
	json_t	*run, *v;
	int	 rc;

	if ((run = sync_run_get(r, http_param_uuid(r, 0), &rc)) == NULL)
		return rc;
	v = sources_view_run(r, run);
	json_decref(run);
	/* Ended: htmx reloads the whole page (totals, rejected rows). */
	if (!json_is_true(json_object_get(v, "running")) &&
	    http_add_header(r, "HX-Refresh", "true") != 0) {
		json_decref(v);
		return 500;
	}
	http_add_header(r, "Cache-Control", "no-store");
	return page_render(r, 200, "sources/progress", json_pack("{s:o}", "run",
	    v));
}

int
sync_runs_cancel_web(struct request *r)
{
	const char	*id = http_param_uuid(r, 0);
	int		 rc = sync_run_cancel(r, id);

	if (rc != 0 && rc != 409)
		return rc;
	return http_redirect(r, 303, arena_printf(r->arena,
	    "/sync-runs/%s%s", id, rc == 0 ? "?cancelled=1" : ""));
}

int
sync_runs_retry_web(struct request *r)
{
	const char	*message;
	char		 run_id[40];
	int		 rc;

	rc = sync_run_retry(r, http_param_uuid(r, 0), run_id, &message);
	if (rc == 409)
		return http_redirect(r, 303, arena_printf(r->arena,
		    "/sync-runs/%s", http_param_uuid(r, 0)));
	if (rc != 0)
		return rc;
	return http_redirect(r, 303, arena_printf(r->arena, "/sync-runs/%s",
	    run_id));
}
