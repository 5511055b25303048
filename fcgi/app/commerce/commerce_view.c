/* The rows of the commerce lists: one cell per RES_LIST field of the
 * route's description, in its order, written for the page — so that the
 * five lists share one table partial (templates/commerce/table) rather
 * than five copies of it. */
#include <stdio.h>
#include <string.h>

#include "commerce.h"
#include "i18n.h"
#include "resource/view.h"
#include "worker.h"

/* A decimal as the page writes it: at most three decimals, none when
 * whole, a comma in French. */
static const char *
number_text(struct request *r, json_t *v)
{
	char	b[48], *dot;
	size_t	n;

	if (!json_is_number(v))
		return "";
	snprintf(b, sizeof(b), "%.3f", json_number_value(v));
	n = strlen(b);
	while (n > 0 && b[n - 1] == '0')
		b[--n] = '\0';
	if (n > 0 && b[n - 1] == '.')
		b[--n] = '\0';
	if ((dot = strchr(b, '.')) != NULL && r->lang != LANG_EN)
		*dot = ',';
	return arena_printf(r->arena, "%s", b);
}

/* The day of an instant (UTC), written like a date. */
static const char *
day_text(struct request *r, json_t *v)
{
	json_t		*d;
	const char	*t;

	if (!json_is_string(v))
		return "";
	d = json_stringn(json_string_value(v),
	    strnlen(json_string_value(v), 10));
	t = view_date(r, d);
	json_decref(d);
	return t;
}

static const char *
cell_text(struct request *r, const struct res_field *f, json_t *v)
{
	char	group[80];

	if (v == NULL || json_is_null(v))
		return "";
	switch (f->type) {
	case RT_MONEY:
		return view_money(r, v, "EUR");
	case RT_DATE:
		return view_date(r, v);
	case RT_TIME:
		/* The day is enough in a list; the API has the instant. */
		return day_text(r, v);
	case RT_ENUM:
		snprintf(group, sizeof(group), "commerce.%s", f->name);
		return view_label(r, group, json_string_value(v));
	case RT_OBJECT:
		return view_str(v, "name");
	case RT_BOOL:
		return tr(r, json_is_true(v) ? "commerce.yes" : "commerce.no");
	case RT_NUMBER:
		return number_text(r, v);
	case RT_INT:
		return json_is_integer(v) ? view_number(r,
		    json_integer_value(v)) : "";
	default:
		return json_is_string(v) ? json_string_value(v) : "";
	}
}

json_t *
commerce_row_view(struct request *r, json_t *row)
{
	const struct resource	*res = resource_of(r);
	const struct res_field	*f;
	json_t			*cells = json_array(), *v;
	size_t			 i;

	for (i = 0; res != NULL && i < res->nfields; i++) {
		f = &res->fields[i];
		if (!(f->flags & RES_LIST) || strcmp(f->name, "id") == 0)
			continue;
		v = json_object_get(row, f->name);
		json_array_append_new(cells, json_pack("{s:s, s:b}", "text",
		    cell_text(r, f, v), "num", f->type == RT_MONEY ||
		    f->type == RT_NUMBER || f->type == RT_INT));
	}
	return json_pack("{s:s, s:o}", "id", view_str(row, "id"), "cells",
	    cells);
}
