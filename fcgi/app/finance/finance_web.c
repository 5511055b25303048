/* The week's page lists its settlements through the resource layer
 * (settlements.c) after computing its brouillons; a settlement's page is
 * its « relevé hebdomadaire ».  Forms post back and redirect (303) with
 * ?done= naming the notice, or show the page again with the errors. */
#include <string.h>

#include "i18n.h"
#include "page.h"
#include "resource/view.h"
#include "settlements.h"
#include "finance_web.h"
#include "worker.h"

#define MONEY(o, k, cur)	view_money(r, json_object_get(o, k), cur)

static const char *const notices[] = { "validated", "week_validated",
	"line_added", NULL };

/* The notice of ?done=, or NULL. */
static const char *
notice(struct request *r)
{
	const char	*d = http_query(r, "done");
	size_t		 i;

	for (i = 0; d != NULL && notices[i] != NULL; i++)
		if (strcmp(d, notices[i]) == 0)
			return tr(r, arena_printf(r->arena, "finance.done_%s", d));
	return NULL;
}

static const char *
tone(const char *status)
{
	return strcmp(status, "brouillon") == 0 ? "warn" : "ok";
}

static json_t *
row_view(struct request *r, json_t *s)
{
	const char	*cur = view_str(s, "currency");
	json_int_t	 due = json_integer_value(json_object_get(s,
	    "amount_due_cents"));

	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:s, s:s, s:b, s:b}",
	    "href", arena_printf(r->arena, "/finance/settlements/%s",
	    view_str(s, "id")),
	    "driver", view_str(s, "driver"),
	    "net", MONEY(s, "platform_net_cents", cur),
	    "cash", MONEY(s, "cash_collected_cents", cur),
	    "rent", MONEY(s, "rent_cents", cur),
	    "commission", MONEY(s, "commission_cents", cur),
	    "charges", MONEY(s, "charges_cents", cur),
	    "adjustments", MONEY(s, "adjustments_cents", cur),
	    "opening", MONEY(s, "opening_balance_cents", cur),
	    "due", MONEY(s, "amount_due_cents", cur),
	    "status", view_label(r, "finance.status", view_str(s, "status")),
	    "tone", tone(view_str(s, "status")),
	    "debt", due < 0,
	    "payroll", strcmp(view_str(s, "payroll"), "oui") == 0);
}

static const char *
week_link(struct request *r, const struct iso_week *w, int n)
{
	struct iso_week	 x = *w;
	char		 s[16];

	week_add(&x, n);
	week_format(&x, s, sizeof(s));
	return arena_printf(r->arena, "/finance?week=%s", s);
}

int
finance_week_page(struct request *r)
{
	const struct resource	*res = &settlement_resource;
	struct iso_week		 w;
	struct res_list		 l;
	char			 monday[11], week[16];
	json_t			*list, *rows, *sums, *v, *day;
	long			 total, count;
	size_t			 i;
	int			 rc;

	if (settlement_week_param(r, &w, monday) != 0)
		return page_error(r, 400, tr(r, "finance.invalid_week"));
	week_format(&w, week, sizeof(week));
	if ((rc = settlement_compute(r, monday, NULL)) != 0)
		return rc;
	if (http_query(r, "week") == NULL &&
	    kvlist_add(r->arena, &r->query, "week", week, strlen(week)) != 0)
		return 500;
	if ((rc = resource_list_query(r, res, &l)) != 0)
		return rc;
	if ((rc = resource_list_sums(r, res, &l, &count, &sums)) != 0)
		return rc;
	if ((list = resource_list_rows(r, res, &l, &total, &rc)) == NULL) {
		json_decref(sums);
		return rc;
	}
	rows = json_array();
	json_array_foreach(list, i, v)
		json_array_append_new(rows, row_view(r, v));
	json_decref(list);
	day = json_string(monday);
	rc = page_render(r, 200, "finance/week", json_pack("{s:s, s:s, s:s,"
	    " s:s, s:s, s:s, s:o, s:o, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s},"
	    " s:b, s:b, s:s?, s:s}",
	    "week", week, "monday", view_date(r, day),
	    "previous", week_link(r, &w, -1), "next", week_link(r, &w, 1),
	    "validate_action", arena_printf(r->arena,
	    "/finance/weeks/%s/validate", week),
	    "payroll_export", arena_printf(r->arena,
	    "/finance/export?week=%s&payroll=oui&format=csv", week),
	    "rows", rows, "pagination", view_pagination(r, &l.page, total),
	    "totals",
	    "net", MONEY(sums, "platform_net_cents", "EUR"),
	    "cash", MONEY(sums, "cash_collected_cents", "EUR"),
	    "rent", MONEY(sums, "rent_cents", "EUR"),
	    "commission", MONEY(sums, "commission_cents", "EUR"),
	    "charges", MONEY(sums, "charges_cents", "EUR"),
	    "payouts", MONEY(sums, "payouts_cents", "EUR"),
	    "debts", MONEY(sums, "debts_cents", "EUR"),
	    "may_act", finance_may_act(r),
	    "has_open", json_integer_value(json_object_get(sums,
	    "open_count")) > 0,
	    "notice", notice(r), "count", view_number(r, count)));
	json_decref(day);
	json_decref(sums);
	return rc;
}

/* The week's settlements as a file (?payroll=oui: for payroll), computed
 * first like the page. */
int
finance_week_export(struct request *r)
{
	struct iso_week	 w;
	char		 monday[11], week[16];
	int		 rc;

	if (settlement_week_param(r, &w, monday) != 0)
		return page_error(r, 400, tr(r, "finance.invalid_week"));
	if ((rc = settlement_compute(r, monday, NULL)) != 0)
		return rc;
	week_format(&w, week, sizeof(week));
	if (http_query(r, "week") == NULL &&
	    kvlist_add(r->arena, &r->query, "week", week, strlen(week)) != 0)
		return 500;
	return resource_export(r);
}

int
finance_validate_week(struct request *r)
{
	struct iso_week	 w;
	char		 monday[11];
	int		 rc;

	if (!finance_may_act(r))
		return page_error(r, 403, tr(r, "finance.read_only"));
	if (week_parse(http_param(r, 0), &w) != 0)
		return 404;
	week_monday(&w, monday, sizeof(monday));
	if (settlement_validate_week(r, monday, &rc) < 0)
		return rc;
	return http_redirect(r, 303, arena_printf(r->arena,
	    "/finance?week=%s&done=week_validated", http_param(r, 0)));
}

static json_t *
platform_view(struct request *r, json_t *p, const char *cur)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "platform", view_label(r, "sources.platform", view_str(p,
	    "platform")),
	    "source", view_label(r, "finance.source", view_str(p, "source")),
	    "net", MONEY(p, "net_cents", cur),
	    "cash", MONEY(p, "cash_collected_cents", cur),
	    "bonuses", MONEY(p, "bonuses_cents", cur),
	    "tips", MONEY(p, "tips_cents", cur),
	    "rides", view_number(r, json_integer_value(json_object_get(p,
	    "rides"))));
}

static json_t *
line_view(struct request *r, json_t *l, const char *cur)
{
	return json_pack("{s:s, s:s, s:s}",
	    "kind", view_label(r, "finance.kind", view_str(l, "kind")),
	    "reason", view_str(l, "reason"),
	    "amount", MONEY(l, "amount_cents", cur));
}

/* The settlement's page, with the line form's errors and typed values
 * when a line was refused. */
static int
settlement_page(struct request *r, int status, json_t *errors)
{
	static const char *const typed[] = { "kind", "amount", "reason", NULL };
	const char	*id = http_param_uuid(r, 0), *cur, *message;
	json_t		*s, *plats, *lines, *v;
	size_t		 i;
	int		 rc, open;

	if ((rc = settlement_refresh(r, id)) != 0 ||
	    (s = settlement_get(r, id, &rc)) == NULL) {
		json_decref(errors);
		return rc;
	}
	cur = view_str(s, "currency");
	plats = json_array();
	json_array_foreach(json_object_get(s, "platforms"), i, v)
		json_array_append_new(plats, platform_view(r, v, cur));
	lines = json_array();
	json_array_foreach(json_object_get(s, "lines"), i, v)
		json_array_append_new(lines, line_view(r, v, cur));
	open = strcmp(view_str(s, "status"), "brouillon") == 0;
	message = notice(r);
	rc = page_render(r, status, "finance/settlement", json_pack("{s:s,"
	    " s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:{s:s, s:s, s:s, s:s,"
	    " s:s, s:s, s:s, s:s, s:s}, s:s, s:i, s:b, s:b, s:b, s:b, s:o,"
	    " s:o, s:o, s:s?, s:s, s:s, s:s}",
	    "driver", view_str(s, "driver"),
	    "week", view_str(s, "week"),
	    "start", view_date(r, json_object_get(s, "period_start")),
	    "end", view_date(r, json_object_get(s, "period_end")),
	    "status", view_label(r, "finance.status", view_str(s, "status")),
	    "tone", tone(view_str(s, "status")),
	    "week_href", arena_printf(r->arena, "/finance?week=%s",
	    view_str(s, "week")),
	    "platforms", plats, "lines", lines,
	    "money",
	    "net", MONEY(s, "platform_net_cents", cur),
	    "cash", MONEY(s, "cash_collected_cents", cur),
	    "rent", MONEY(s, "rent_cents", cur),
	    "commission", MONEY(s, "commission_cents", cur),
	    "charges", MONEY(s, "charges_cents", cur),
	    "adjustments", MONEY(s, "adjustments_cents", cur),
	    "opening", MONEY(s, "opening_balance_cents", cur),
	    "due", MONEY(s, "amount_due_cents", cur),
	    "bonuses", MONEY(s, "bonuses_cents", cur),
	    "collaboration", view_label(r, "drivers.collaboration",
	    view_str(s, "collaboration")),
	    "rent_days", (int)json_integer_value(json_object_get(s,
	    "rent_days")),
	    "payroll", strcmp(view_str(s, "payroll"), "oui") == 0,
	    "debt", json_integer_value(json_object_get(s,
	    "amount_due_cents")) < 0,
	    "open", open, "may_act", open && finance_may_act(r),
	    "kinds", view_options(r, "finance.kind", settlement_manual_kinds,
	    http_form(r, "kind") ? http_form(r, "kind") : "", NULL),
	    "errors", errors != NULL ? errors : json_object(),
	    "typed", view_typed(r, typed), "notice", message,
	    "validate_action", arena_printf(r->arena,
	    "/finance/settlements/%s/validate", id),
	    "line_action", arena_printf(r->arena,
	    "/finance/settlements/%s/lines", id),
	    "pdf_href", arena_printf(r->arena,
	    "/finance/settlements/%s/statement.pdf", id)));
	json_decref(s);
	return rc;
}

int
finance_settlement_page(struct request *r)
{
	return settlement_page(r, 200, NULL);
}

int
finance_settlement_validate(struct request *r)
{
	const char	*id = http_param_uuid(r, 0), *code, *message;
	int		 rc;

	if (!finance_may_act(r))
		return page_error(r, 403, tr(r, "finance.read_only"));
	if ((rc = settlement_validate(r, id, &code, &message)) != 0)
		return code != NULL ? page_error(r, rc, message) : rc;
	return http_redirect(r, 303, arena_printf(r->arena,
	    "/finance/settlements/%s?done=validated", id));
}

int
finance_settlement_line(struct request *r)
{
	const char	*id = http_param_uuid(r, 0), *message;
	json_t		*line, *errors;
	int		 rc;

	if (!finance_may_act(r))
		return page_error(r, 403, tr(r, "finance.read_only"));
	line = settlement_add_line(r, id, &rc, &errors, &message);
	if (line != NULL) {
		json_decref(line);
		return http_redirect(r, 303, arena_printf(r->arena,
		    "/finance/settlements/%s?done=line_added", id));
	}
	if (errors != NULL) {
		/* The page again, with what was typed: the refused line's
		 * transaction rolls back (422), nothing else was written. */
		return settlement_page(r, 422, errors);
	}
	return message != NULL ? page_error(r, rc, message) : rc;
}
