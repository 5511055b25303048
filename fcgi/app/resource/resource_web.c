/* The HTML list of a resource, its export, and its import's pages: the same parameters, sort
 * and rows as the API.  The page's template, templates/<name>/index,
 * reads {rows, pagination, filter: {q, <parameter>: options or flag},
 * columns (the sortable heads), sort, total, can_edit, export_csv,
 * export_xlsx, flash}; each row is what the resource's row_view makes. */
#include <string.h>

#include "page.h"
#include "resource.h"
#include "table_io.h"
#include "view.h"
#include "worker.h"

int
resource_list_query(struct request *r, const struct resource *res,
    struct res_list *l)
{
	json_t	*errors;

	if (resource_list_parse(r, res, l, &errors) == 0)
		return 0;
	/* A page's bad query is the error page's, not the API's answer. */
	json_decref(errors);
	r->res.done = 0;
	return 400;
}

/* What the filter form shows: the search as typed, each choice as
 * options, each flag as checked or not. */
static json_t *
filter_view(struct request *r, const struct resource *res,
    const struct res_list *l)
{
	const struct res_param	*p;
	const char		*q = http_query(r, "q");
	json_t			*f;
	size_t			 i;

	f = json_pack("{s:s}", "q", q != NULL ? q : "");
	for (i = 0; i < res->nparams; i++) {
		p = &res->params[i];
		if (p->kind == RP_CHOICE)
			json_object_set_new(f, p->name, view_options(r, p->group,
			    p->choices, l->value[i], p->blank));
		else if (p->kind == RP_FLAG)
			json_object_set_new(f, p->name, json_boolean(
			    strcmp(l->value[i], p->choices[0]) == 0));
	}
	return f;
}

static json_t *
columns_view(struct request *r, const struct resource *res, const char *sort)
{
	json_t	*cols = json_array();
	size_t	 i;

	for (i = 0; i < res->nsorts; i++)
		if (res->sorts[i].label != NULL)
			json_array_append_new(cols, view_sort_column(r,
			    res->sorts[i].key, tr(r, res->sorts[i].label), sort));
	return cols;
}

int
resource_index(struct request *r)
{
	const struct resource	*res = resource_of(r);
	struct res_list		 l;
	json_t			*list, *rows, *row, *view;
	long			 total;
	size_t			 i;
	int			 rc;

	if ((rc = resource_list_query(r, res, &l)) != 0)
		return rc;
	if ((list = resource_list_shown(r, res, &l, &total, &rc)) == NULL)
		return rc;
	rows = json_array();
	json_array_foreach(list, i, row)
		json_array_append_new(rows, res->hooks.row_view(r, row));
	json_decref(list);
	view = json_pack("{s:o, s:o, s:o, s:o, s:s, s:b}",
	    "rows", rows, "pagination", view_pagination(r, &l.page, total),
	    "filter", filter_view(r, res, &l),
	    "columns", columns_view(r, res, res->sorts[l.sort].key != NULL ?
	    res->sorts[l.sort].key : ""),
	    "total", view_number(r, total),
	    "can_edit", r->id.role >= ACCESS_MANAGER);
	/* The same filters as a file; the flash after an import. */
	if (resource_files(res) != NULL)
		table_io_list_view(r, resource_files(res), view);
	return page_render(r, 200, arena_printf(r->arena, "%s/index",
	    res->name), view);
}

int
resource_export(struct request *r)
{
	const struct resource	*res = resource_of(r);
	struct res_list		 l;
	json_t			*rows, *row;
	long			 total;
	size_t			 i;
	int			 rc;

	if ((rc = resource_list_query(r, res, &l)) != 0)
		return rc;
	/* Every row of the filter, not a page of it. */
	l.page.page = 1;
	l.page.limit = 1000000;
	l.page.offset = 0;
	if ((rows = resource_list_rows(r, res, &l, &total, &rc)) == NULL)
		return rc;
	json_array_foreach(rows, i, row)
		if (res->hooks.export_row != NULL)
			res->hooks.export_row(r, row);
	rc = resource_files(res) != NULL ?
	    table_io_export(r, resource_files(res), rows) : 404;
	json_decref(rows);
	return rc;
}

/* The import's pages (resource/table_io.c) for the resource's files. */
#define IMPORT_PAGE(name, fn)						\
int									\
name(struct request *r)							\
{									\
	const struct table_kind	*k = resource_files(resource_of(r));	\
									\
	return k != NULL ? fn(r, k) : 404;				\
}

IMPORT_PAGE(resource_import_template, table_io_template)
IMPORT_PAGE(resource_import_form, table_io_form)
IMPORT_PAGE(resource_import_preview, table_io_preview)
IMPORT_PAGE(resource_import_confirm, table_io_confirm)
IMPORT_PAGE(resource_import_cancel, table_io_cancel)
