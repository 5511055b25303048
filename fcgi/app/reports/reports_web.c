#include <string.h>

#include "api.h"
#include "dashboard/analytics.h"
#include "page.h"
#include "reports.h"
#include "reports_web.h"

static const char *
title(struct request *r, const struct report *rep)
{
	return tr(r, arena_printf(r->arena, "reports.names.%s", rep->name));
}

int
reports_index(struct request *r)
{
	const struct report	*rep;
	json_t			*list = json_array();
	size_t			 i;

	for (i = 0; (rep = report_at(i)) != NULL; i++)
		json_array_append_new(list, json_pack("{s:s, s:s}", "name",
		    rep->name, "title", title(r, rep)));
	return page_render(r, 200, "reports/index", json_pack("{s:o}",
	    "reports", list));
}

/* The report the route names and its period: 0; a status to answer
 * (404); or -1 after answering an invalid period. */
static int
resolve(struct request *r, int api, const struct report **rep,
    struct period *p)
{
	json_t	*fields;

	if ((*rep = report_find(http_param(r, 0))) == NULL)
		return 404;
	if (analytics_period(r, p, &fields) == -1) {
		if (api) {
			(void)api_error_key(r, 422, "validation_failed",
			    "dashboard.errors.invalid", fields);
			return -1;
		}
		json_decref(fields);
		(void)page_error(r, 422, tr(r, "dashboard.errors.invalid"));
		return -1;
	}
	return 0;
}

/* The report as a file of the format asked; -1 when the format is none
 * of the files' (the caller answers it). */
static int
send_file(struct request *r, const struct report *rep, const char *format,
    const char *from, const char *to, json_t *rows)
{
	if (strcmp(format, "pdf") == 0)
		return report_pdf(r, rep, from, to, rows);
	if (strcmp(format, "csv") == 0 || strcmp(format, "xlsx") == 0)
		return export_send(r, rep->name, rep->columns, rep->ncolumns,
		    rows);
	return -1;
}

static json_t *
html_rows(struct request *r, const struct report *rep, json_t *rows)
{
	json_t	*out = json_array(), *row, *cells;
	size_t	 i, k;

	json_array_foreach(rows, i, row) {
		cells = json_array();
		for (k = 0; k < rep->ncolumns; k++)
			json_array_append_new(cells, json_pack("{s:s, s:b}",
			    "text", report_cell(r, &rep->columns[k], row), "num",
			    rep->columns[k].type == EXPORT_MONEY ||
			    rep->columns[k].type == EXPORT_INT));
		json_array_append_new(out, json_pack("{s:o}", "cells", cells));
	}
	return out;
}

static json_t *
html_totals(struct request *r, const struct report *rep, json_t *rows)
{
	json_t	*t = report_totals(rep, rows), *cells;
	size_t	 k;

	if (t == NULL)
		return json_null();
	cells = json_array();
	for (k = 0; k < rep->ncolumns; k++)
		json_array_append_new(cells, json_pack("{s:s, s:b}", "text",
		    json_object_get(t, rep->columns[k].key) ? report_cell(r,
		    &rep->columns[k], t) : k == 0 ? tr(r, "reports.total") : "",
		    "num", json_object_get(t, rep->columns[k].key) != NULL));
	json_decref(t);
	return cells;
}

int
reports_show(struct request *r)
{
	const struct report	*rep;
	struct period		 p;
	const char		*from, *to, *format = http_query(r, "format");
	json_t			*rows, *heads, *view;
	size_t			 k;
	int			 rc;

	if ((rc = resolve(r, 0, &rep, &p)) != 0)
		return rc == -1 ? 0 : rc;
	from = analytics_iso(r->arena, p.from);
	to = analytics_iso(r->arena, p.to);
	if ((rows = report_rows(r, rep, from, to, &rc)) == NULL)
		return rc;
	if (format != NULL && *format != '\0') {
		rc = send_file(r, rep, format, from, to, rows);
		json_decref(rows);
		return rc == -1 ? page_error(r, 400, NULL) : rc;
	}
	heads = json_array();
	for (k = 0; k < rep->ncolumns; k++)
		json_array_append_new(heads, json_pack("{s:s, s:b}", "text",
		    tr(r, rep->columns[k].label_key), "num",
		    rep->columns[k].type == EXPORT_MONEY ||
		    rep->columns[k].type == EXPORT_INT));
	view = json_pack("{s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:o}", "name",
	    rep->name, "title", title(r, rep), "from", from, "to", to,
	    "dated", rep->dated, "heads", heads, "rows", html_rows(r, rep,
	    rows), "totals", html_totals(r, rep, rows));
	json_decref(rows);
	return page_render(r, 200, "reports/show", view);
}

int
reports_api_list(struct request *r)
{
	const struct report	*rep;
	json_t			*list = json_array();
	size_t			 i;

	for (i = 0; (rep = report_at(i)) != NULL; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:[ssss]}",
		    "name", rep->name, "title", title(r, rep), "dated",
		    rep->dated, "formats", "json", "csv", "xlsx", "pdf"));
	return api_ok(r, 200, list);
}

int
reports_api_show(struct request *r)
{
	const struct report	*rep;
	struct period		 p;
	const char		*from, *to, *format = http_query(r, "format");
	json_t			*rows, *totals;
	int			 rc;

	if ((rc = resolve(r, 1, &rep, &p)) != 0)
		return rc == -1 ? 0 : rc;
	from = analytics_iso(r->arena, p.from);
	to = analytics_iso(r->arena, p.to);
	if ((rows = report_rows(r, rep, from, to, &rc)) == NULL)
		return rc;
	if (format != NULL && *format != '\0' && strcmp(format, "json") != 0) {
		rc = send_file(r, rep, format, from, to, rows);
		json_decref(rows);
		return rc == -1 ? api_error_key(r, 422, "validation_failed",
		    "reports.errors.format", json_pack("{s:s}", "format",
		    tr(r, "reports.errors.format"))) : rc;
	}
	totals = report_totals(rep, rows);
	return api_ok(r, 200, json_pack("{s:s, s:s, s:s, s:o, s:o}", "name",
	    rep->name, "from", from, "to", to, "rows", rows, "totals",
	    totals ? totals : json_null()));
}
