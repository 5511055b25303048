#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "page.h"
#include "payouts.h"
#include "settlements.h"
#include "payouts_api.h"
#include "payouts_web.h"
#include "resource/view.h"

/* A state as the screens show it: its label and the badge's tone. */
static json_t *
badge(struct request *r, const char *group, const char *state)
{
	static const struct {
		const char	*state;
		const char	*tone;
	} tones[] = {
		{ "brouillon", "info" }, { "exporte", "info" },
		{ "envoye", "warn" }, { "en_attente", "warn" },
		{ "paye", "ok" }, { "rejete", "danger" },
	};
	const char	*tone = "info";
	size_t		 i;

	for (i = 0; i < sizeof(tones) / sizeof(tones[0]); i++)
		if (strcmp(tones[i].state, state) == 0)
			tone = tones[i].tone;
	return json_pack("{s:s, s:s}", "label", view_label(r, group, state),
	    "tone", tone);
}

/* Money and dates of a batch (and of its lines) for the page. */
static void
decorate(struct request *r, json_t *b)
{
	const char	*cur = view_str(b, "currency");
	json_t		*l;
	size_t		 i;

	json_object_set_new(b, "badge", badge(r, "payouts.status",
	    view_str(b, "status")));
	json_object_set_new(b, "total", json_string(view_money(r,
	    json_object_get(b, "total_cents"), cur)));
	json_object_set_new(b, "paid", json_string(view_money(r,
	    json_object_get(b, "paid_cents"), cur)));
	json_object_set_new(b, "rejected", json_string(view_money(r,
	    json_object_get(b, "rejected_cents"), cur)));
	json_object_set_new(b, "execution", json_string(view_date(r,
	    json_object_get(b, "execution_date"))));
	json_object_set_new(b, "format_label", json_string(view_label(r,
	    "payouts.format", view_str(b, "format"))));
	json_array_foreach(json_object_get(b, "lines"), i, l) {
		json_object_set_new(l, "amount", json_string(view_money(r,
		    json_object_get(l, "amount_cents"), cur)));
		json_object_set_new(l, "badge", badge(r, "payouts.line_status",
		    view_str(l, "status")));
		json_object_set_new(l, "waiting", json_boolean(strcmp(view_str(
		    l, "status"), "en_attente") == 0));
		json_object_set_new(l, "paid_date", json_string(view_date(r,
		    json_object_get(l, "paid_on"))));
	}
}

static json_t *
flash(const char *type, const char *message)
{
	return json_pack("[{s:s, s:s, s:b}]", "type", type, "message",
	    message, "error", strcmp(type, "error") == 0);
}

/* The list page, with an error of the new batch's form when there is. */
static int
render_index(struct request *r, int status, const char *error)
{
	struct api_page	 pg;
	json_t		*items, *payable, *s, *view;
	long		 total = 0, page;
	size_t		 i;
	int		 st = 500;

	/* ?page= of the list; a page past the end shows none. */
	page = http_query(r, "page") != NULL ? atol(http_query(r, "page")) : 1;
	if (page < 1 || page > 100000)
		page = 1;
	pg = (struct api_page){ page, 20, (page - 1) * 20 };
	if ((items = payout_batch_list(r, pg.limit, pg.offset, &total, &st))
	    == NULL)
		return st;
	if ((payable = payout_payable(r, &st)) == NULL) {
		json_decref(items);
		return st;
	}
	json_array_foreach(items, i, s)
		decorate(r, s);
	json_array_foreach(payable, i, s)
		json_object_set_new(s, "amount", json_string(view_money(r,
		    json_object_get(s, "amount_due_cents"), view_str(s,
		    "currency"))));
	view = json_pack("{s:o, s:b, s:o, s:b, s:o}", "batches", items,
	    "has_payable", json_array_size(payable) > 0, "payable", payable,
	    "can_act", finance_may_act(r), "pagination", view_pagination(r,
	    &pg, total));
	if (error != NULL)
		json_object_set_new(view, "flash", flash("error", error));
	return page_render(r, status, "finance/payouts", view);
}

int
payouts_index(struct request *r)
{
	return render_index(r, 200, NULL);
}

static int
forbidden(struct request *r)
{
	return page_error(r, 403, tr(r, "payouts.forbidden"));
}

/* The form's checked settlements and format as the API's body. */
static json_t *
form_input(struct request *r)
{
	json_t	*ids = json_array();
	size_t	 i;

	for (i = 0; i < r->form.n; i++)
		if (strcmp(r->form.v[i].name, "settlement_ids") == 0)
			json_array_append_new(ids, json_string(
			    r->form.v[i].value));
	return json_pack("{s:o}", "settlement_ids", ids);
}

/* A failure shown on a page: the platform's own page for a status
 * without a message. */
static int
failure_page(struct request *r, struct payout_failure *f,
    int (*again)(struct request *, int, const char *))
{
	json_decref(f->fields);
	if (f->message == NULL)
		return f->status;
	return again(r, f->status, f->message);
}

int
payouts_create_web(struct request *r)
{
	struct payout_failure	 f;
	json_t			*in, *b;
	int			 created;

	if (!finance_may_act(r))
		return forbidden(r);
	in = form_input(r);
	b = payout_batch_create(r, in, &created, &f);
	json_decref(in);
	if (b == NULL)
		return failure_page(r, &f, render_index);
	in = json_object_get(b, "id");
	created = http_redirect(r, 303, arena_printf(r->arena,
	    "/finance/payouts/%s?done=created", json_string_value(in)));
	json_decref(b);
	return created;
}

static int
render_batch(struct request *r, int status, const char *error)
{
	static const char *const done[] = { "created", "sent", "paid",
		"rejected", NULL };
	const char	*d = http_query(r, "done");
	json_t		*b, *view;
	size_t		 i;
	int		 st = 500;

	if ((b = payout_batch_get(r, http_param_uuid(r, 0), &st)) == NULL)
		return st;
	decorate(r, b);
	view = json_pack("{s:o, s:b, s:b, s:b}", "batch", b, "can_act",
	    finance_may_act(r), "can_send", strcmp(view_str(b, "status"),
	    "exporte") == 0, "can_decide", strcmp(view_str(b, "status"),
	    "paye") != 0 && strcmp(view_str(b, "status"), "rejete") != 0);
	json_object_set_new(view, "is_sent", json_boolean(strcmp(view_str(b,
	    "status"), "envoye") == 0));
	if (error != NULL)
		json_object_set_new(view, "flash", flash("error", error));
	for (i = 0; error == NULL && d != NULL && done[i] != NULL; i++)
		if (strcmp(d, done[i]) == 0)
			json_object_set_new(view, "flash", flash("success",
			    tr(r, arena_printf(r->arena, "payouts.done.%s",
			    done[i]))));
	return page_render(r, status, "finance/payout", view);
}

int
payouts_show(struct request *r)
{
	return render_batch(r, 200, NULL);
}

int
payouts_file_web(struct request *r)
{
	if (!finance_may_act(r))
		return forbidden(r);
	return payouts_send_file(r, http_param_uuid(r, 0));
}

/* After an action: back to the batch's page, or the page with why. */
static int
after(struct request *r, json_t *b, struct payout_failure *f,
    const char *done)
{
	if (b == NULL)
		return failure_page(r, f, render_batch);
	json_decref(b);
	return http_redirect(r, 303, arena_printf(r->arena,
	    "/finance/payouts/%s?done=%s", http_param_uuid(r, 0), done));
}

int
payouts_sent_web(struct request *r)
{
	struct payout_failure	f;

	if (!finance_may_act(r))
		return forbidden(r);
	return after(r, payout_batch_sent(r, http_param_uuid(r, 0), &f), &f,
	    "sent");
}

int
payouts_paid_web(struct request *r)
{
	struct payout_failure	 f;
	const char		*on = http_form(r, "paid_on");

	if (!finance_may_act(r))
		return forbidden(r);
	if (on != NULL && *on == '\0')
		on = NULL;
	return after(r, payout_line_paid(r, http_param_uuid(r, 0),
	    http_param_uuid(r, 1), on, &f), &f, "paid");
}

int
payouts_rejected_web(struct request *r)
{
	struct payout_failure	f;

	if (!finance_may_act(r))
		return forbidden(r);
	return after(r, payout_line_rejected(r, http_param_uuid(r, 0),
	    http_param_uuid(r, 1), http_form(r, "reason"), &f), &f,
	    "rejected");
}
