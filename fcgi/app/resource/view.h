/* Helpers that turn stored values into what a page shows: labels from
 * the locale, French money and dates, select options, sort links. */
#ifndef FC_APP_VIEW_H
#define FC_APP_VIEW_H

#include <jansson.h>

#include "api.h"
#include "buf.h"
#include "http.h"

/* The string at key in o, or "" when it is absent or not a string. */
const char	*view_str(json_t *o, const char *key);
/* What was typed in these fields (names ends with NULL), to fill a
 * refused form again: {name: value} for the fields the form sent. */
json_t		*view_typed(struct request *, const char *const *names);
/* b's text in the request arena, and b freed; "" when out of memory. */
const char	*view_take_buf(struct request *, buf *);
/* The label of an enum value: locale key "<group>.<value>". */
const char	*view_label(struct request *, const char *group,
		    const char *value);
/* Options [{value, label, selected}] for a select, with an empty first
 * option when blank_key is not NULL (its label from the locale). */
json_t		*view_options(struct request *, const char *group,
		    const char *const *values, const char *selected,
		    const char *blank_key);
/* Money from cents in the request's language ("1 234,56 €"); "" for NULL. */
const char	*view_money(struct request *, json_t *cents, const char *currency);
/* Money as a form writes it back ("1234,56"). */
const char	*view_money_input(struct request *, json_t *cents);
/* "2026-11-22" → "22/11/2026" (fr) ; "" for NULL. */
const char	*view_date(struct request *, json_t *iso);
/* A whole number with thousands separators. */
const char	*view_number(struct request *, long long);
/* Pagination links keeping the other query parameters. */
json_t		*view_pagination(struct request *, const struct api_page *,
		    long total);
/* Column header for a sortable table: {label, href, aria_sort}. */
json_t		*view_sort_column(struct request *, const char *key,
		    const char *label, const char *current);
/* The current URL with one query parameter replaced (or removed). */
const char	*view_url_with(struct request *, const char *name,
		    const char *value);

#endif
