/* A sync run's page: totals, rejected rows, its live progress (htmx
 * polling; a plain reload without JavaScript), cancel and retry. */
#include "i18n.h"
#include "page.h"
#include "sources_view.h"
#include "sync_runs.h"
#include "sync_runs_web.h"
#include "resource/view.h"
#include "worker.h"

#define PAGE_REJECTS	200

int
sync_runs_show(struct request *r)
{
	const char	*id = http_param_uuid(r, 0);
	json_t		*run, *rejects, *view, *plates;
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
	/* What a live source's run reports beside its counts. */
	plates = json_object_get(json_object_get(run, "notes"), "unknown_plates");
	view = json_pack("{s:o, s:o, s:b, s:s, s:b, s:o}",
	    "run", sources_view_run(r, run), "rejects", rejects,
	    "more_rejects", rejected > (long long)json_array_size(rejects),
	    "shown_rejects", view_number(r, (long long)json_array_size(rejects)),
	    "can_edit", r->id.role >= ACCESS_MANAGER,
	    "unknown_plates", json_is_array(plates) ? json_incref(plates) :
	    json_array());
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
