/* A source's page and what is done from it: test the connection, sync
 * (with a file, or from its address), pause and resume, « mode
 * automatique », the schedule, and the whole history of its runs. */
#include <stdio.h>
#include <string.h>

#include "connectors/fetch.h"
#include "i18n.h"
#include "page.h"
#include "sources.h"
#include "sources_mapping.h"
#include "sources_page.h"
#include "sources_session_web.h"
#include "sources_view.h"
#include "sync_runs.h"
#include "resource/view.h"
#include "worker.h"

#define RECENT_RUNS	10

static json_t *
config_rows(struct request *r, const struct connector_type *t, json_t *config)
{
	const struct connector_field	*f;
	json_t				*rows = json_array();
	const char			*v;
	size_t				 i;

	for (i = 0; i < t->nfields; i++) {
		f = &t->fields[i];
		v = view_str(config, f->name);
		if (*v == '\0')
			continue;
		if (f->type == CFIELD_CHOICE)
			v = tr(r, arena_printf(r->arena, "%s_%s", f->label_key, v));
		json_array_append_new(rows, json_pack("{s:s, s:s}", "label",
		    tr(r, f->label_key), "value", v));
	}
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
	    view_str(s, "schedule"), NULL),
	    "time", view_str(s, "schedule_time"),
	    "weekdays", view_options(r, "sources.weekday", weekdays, wd, NULL),
	    "errors", errors ? json_incref(errors) : json_object(),
	    "label", view_label(r, "sources.schedule", view_str(s, "schedule")));
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
		    "started_by", view_str(p, "started_by"),
		    "ended_by", view_str(p, "ended_by")));
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
	t = connector_find(view_str(s, "type"));
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
	    view_str(s, "last_check_message"));
	view = json_pack("{s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:b, s:b, s:b, s:b, s:s, s:s, s:s, s:o, s:o, s:b},"
	    " s:o, s:o, s:b, s:o, s:o, s:b, s:b}",
	    "source",
	    "id", view_str(s, "id"), "name", view_str(s, "name"),
	    "type_label", t ? tr(r, t->label_key) : "",
	    "type_help", t ? tr(r, t->help_key) : "",
	    "health", view_label(r, "sources.health", view_str(s, "health")),
	    "tone", sources_view_tone(view_str(s, "health")),
	    "platform", view_label(r, "sources.platform", view_str(s, "platform")),
	    "table", view_label(r, "sources.table", view_str(s, "table")),
	    "running_href", json_is_string(json_object_get(s,
	    "running_run_id")) ? arena_printf(r->arena, "/sync-runs/%s",
	    view_str(s, "running_run_id")) : "",
	    "paused", !json_is_null(json_object_get(s, "paused_at")),
	    "auto_mode", json_is_true(json_object_get(s, "auto_mode")),
	    "file_based", json_is_true(json_object_get(s, "file_based")),
	    "is_generic", strcmp(view_str(s, "type"), "generic_csv") == 0,
	    "next_sync", sources_view_next_sync(r, s),
	    "last_success", sources_view_datetime(r, json_object_get(s,
	    "last_success_at")),
	    "cursor", sources_view_datetime(r, json_object_get(s, "cursor")),
	    "config", t ? config_rows(r, t, json_object_get(s, "config")) :
	    json_array(),
	    "mapping", sources_view_mapping(r, s),
	    "has_mapping", json_object_get(json_object_get(s, "config"),
	    "mapping") != NULL,
	    "runs", sources_view_runs(r, runs),
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
	sources_session_view(r, s, view);
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
sources_check_web(struct request *r)
{
	const char			*id = http_param_uuid(r, 0);
	struct connector_outcome	 out;
	json_t				*extra;
	int				 rc;

	if ((rc = source_check_id(r, id, sync_run_upload(r), &out)) != 0)
		return rc;
	extra = json_pack("{s:{s:b, s:s}}", "check_now", "ok",
	    out.result == CONN_OK, "message", out.message);
	connector_outcome_clear(&out);
	return show_page(r, id, 200, extra);
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
		rc = sources_mapping_ask(r, &row, u);
		source_row_clear(&row);
		return rc;
	}
	rc = sync_run_start(r, &row, "manual", u, run_id, &message);
	if (rc == 409 || rc == 422) {
		/* The transaction may be spent: say it on a fresh page. */
		rc = http_redirect(r, 303, sources_view_href(r, row.id, rc == 422 ?
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
	return http_redirect(r, 303, sources_view_href(r, http_param_uuid(r, 0),
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
	    " s:o, s:o, s:s}", "source", "id", view_str(s, "id"), "name",
	    view_str(s, "name"), "href", sources_view_href(r, view_str(s, "id"), ""),
	    "runs", sources_view_runs(r, runs), "pagination", view_pagination(r, &pg,
	    total), "total", view_number(r, total)));
	json_decref(runs);
	json_decref(s);
	return rc;
}
