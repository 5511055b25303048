#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "i18n.h"
#include "view.h"
#include "worker.h"

const char *
view_str(json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

json_t *
view_typed(struct request *r, const char *const *names)
{
	json_t	*o = json_object();

	for (; *names != NULL; names++)
		if (http_form(r, *names) != NULL)
			json_object_set_new(o, *names,
			    json_string(http_form(r, *names)));
	return o;
}

const char *
view_take_buf(struct request *r, buf *b)
{
	const char	*s = arena_strdup(r->arena, buf_cstr(b));

	buf_free(b);
	return s ? s : "";
}

const char *
view_label(struct request *r, const char *group, const char *value)
{
	const char	*key;

	if (value == NULL || *value == '\0')
		return "";
	key = arena_printf(r->arena, "%s.%s", group, value);
	return key ? tr(r, key) : value;
}

json_t *
view_options(struct request *r, const char *group, const char *const *values,
    const char *selected, const char *blank_key)
{
	json_t	*list = json_array();

	if (blank_key != NULL)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}",
		    "value", "", "label", tr(r, blank_key), "selected",
		    selected == NULL || *selected == '\0'));
	for (; *values != NULL; values++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}",
		    "value", *values, "label", view_label(r, group, *values),
		    "selected", selected != NULL && strcmp(selected, *values) == 0));
	return list;
}

const char *
view_money(struct request *r, json_t *cents, const char *currency)
{
	buf	b;

	if (!json_is_integer(cents))
		return "";
	buf_init(&b);
	fmt_money(&b, (int64_t)json_integer_value(cents),
	    currency ? currency : "EUR", (lang_id)r->lang);
	return view_take_buf(r, &b);
}

const char *
view_money_input(struct request *r, json_t *cents)
{
	long long	v;

	if (!json_is_integer(cents))
		return "";
	v = (long long)json_integer_value(cents);
	return arena_printf(r->arena, "%s%lld,%02lld", v < 0 ? "-" : "",
	    llabs(v) / 100, llabs(v) % 100);
}

const char *
view_date(struct request *r, json_t *iso)
{
	int	y, m, d;

	if (!json_is_string(iso) ||
	    fmt_parse_date(json_string_value(iso), &y, &m, &d) == -1)
		return "";
	if (r->lang == LANG_EN)
		return arena_printf(r->arena, "%04d-%02d-%02d", y, m, d);
	return arena_printf(r->arena, "%02d/%02d/%04d", d, m, y);
}

const char *
view_number(struct request *r, long long n)
{
	buf	b;

	buf_init(&b);
	fmt_number(&b, (int64_t)n, (lang_id)r->lang);
	return view_take_buf(r, &b);
}

const char *
view_url_with(struct request *r, const char *name, const char *value)
{
	buf		 b;
	size_t		 i;
	int		 first = 1;
	const struct kv	*kv;

	buf_init(&b);
	buf_puts(&b, http_url_encode(r->arena, r->path));
	for (i = 0; i < r->query.n; i++) {
		kv = &r->query.v[i];
		if (strcmp(kv->name, name) == 0)
			continue;
		buf_printf(&b, "%c%s=%s", first ? '?' : '&',
		    http_url_encode(r->arena, kv->name),
		    http_url_encode(r->arena, kv->value));
		first = 0;
	}
	if (value != NULL)
		buf_printf(&b, "%c%s=%s", first ? '?' : '&', name,
		    http_url_encode(r->arena, value));
	return view_take_buf(r, &b);
}

json_t *
view_pagination(struct request *r, const struct api_page *pg, long total)
{
	long	pages = total > 0 ? (total + pg->limit - 1) / pg->limit : 1;
	char	n[24];
	json_t	*p;

	p = json_pack("{s:I, s:I, s:I, s:b}", "page", (json_int_t)pg->page,
	    "pages", (json_int_t)pages, "total", (json_int_t)total,
	    "several", pages > 1);
	if (pg->page > 1) {
		snprintf(n, sizeof(n), "%ld", pg->page - 1);
		json_object_set_new(p, "prev_href",
		    json_string(view_url_with(r, "page", n)));
	}
	if (pg->page < pages) {
		snprintf(n, sizeof(n), "%ld", pg->page + 1);
		json_object_set_new(p, "next_href",
		    json_string(view_url_with(r, "page", n)));
	}
	return p;
}

json_t *
view_sort_column(struct request *r, const char *key, const char *label,
    const char *current)
{
	const char	*next, *aria = "none";

	if (strcmp(current, key) == 0) {
		next = arena_printf(r->arena, "-%s", key);
		aria = "ascending";
	} else {
		next = key;
		if (current[0] == '-' && strcmp(current + 1, key) == 0)
			aria = "descending";
	}
	return json_pack("{s:s, s:s, s:s, s:b, s:b}", "label", label, "href",
	    view_url_with(r, "sort", next), "aria_sort", aria,
	    "asc", strcmp(aria, "ascending") == 0,
	    "desc", strcmp(aria, "descending") == 0);
}
