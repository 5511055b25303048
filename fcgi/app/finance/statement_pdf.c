#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fmt.h"
#include "i18n.h"
#include "pdf.h"
#include "resource/view.h"
#include "settlements.h"
#include "statement_pdf.h"
#include "worker.h"

struct doc {
	struct request	*r;
	struct pdf	*pdf;
	json_t		*s;		/* the settlement */
	const char	*currency;
};

static const char *
money(struct doc *d, const char *member)
{
	return view_money(d->r, json_object_get(d->s, member), d->currency);
}

/* Cents of a settlement member, signed as the driver sees them. */
static const char *
signed_money(struct doc *d, const char *member, int sign)
{
	json_t		*v = json_integer(sign * json_integer_value(
			    json_object_get(d->s, member)));
	const char	*out = view_money(d->r, v, d->currency);

	json_decref(v);
	return out;
}

/* A catalogue sentence with its "#" filled, in the arena. */
static const char *
fill(struct request *r, const char *key, const char *const *args, size_t n)
{
	char	out[512];

	return arena_strdup(r->arena, i18n_fill(r->w->i18n, (lang_id)r->lang,
	    key, args, n, out, sizeof(out)));
}

static void
head(struct doc *d)
{
	const char	*period[2] = {
		view_date(d->r, json_object_get(d->s, "period_start")),
		view_date(d->r, json_object_get(d->s, "period_end")),
	};
	char		 line[512];

	pdf_heading(d->pdf, arena_printf(d->r->arena, "%s — %s",
	    tr(d->r, "finance.statement"), view_str(d->s, "driver")));
	snprintf(line, sizeof(line), "%s (%s)", fill(d->r,
	    "statement_pdf.week", period, 2), view_str(d->s, "week"));
	pdf_text(d->pdf, PDF_NORMAL, line);
	pdf_pair(d->pdf, PDF_NORMAL, tr(d->r, "finance.status_label"),
	    view_label(d->r, "finance.status", view_str(d->s, "status")));
	pdf_space(d->pdf, 3);
}

/* Per platform: its one source, net, cash, bonuses, tips; their sums. */
static void
platforms(struct doc *d)
{
	static const char *const cents[] = { "net_cents",
		"cash_collected_cents", "bonuses_cents", "tips_cents" };
	const struct pdf_column cols[] = {
		{ tr(d->r, "statement_pdf.platform"), 1.45, PDF_LEFT },
		{ tr(d->r, "finance.source_label"), 1.45, PDF_LEFT },
		{ tr(d->r, "statement_pdf.net"), 1.35, PDF_RIGHT },
		{ tr(d->r, "finance.cash"), 1.3, PDF_RIGHT },
		{ tr(d->r, "finance.bonuses"), 1.0, PDF_RIGHT },
		{ tr(d->r, "finance.tips"), 1.45, PDF_RIGHT },
	};
	json_t		*list = json_object_get(d->s, "platforms"), *p, *sum;
	size_t		 n = json_array_size(list), i, j;
	struct pdf_row	*rows;
	const char	**cells;
	long long	 totals[4] = { 0 };

	pdf_heading(d->pdf, tr(d->r, "finance.by_platform"));
	if (n == 0) {
		pdf_text(d->pdf, PDF_NORMAL, tr(d->r, "finance.no_platform"));
		return;
	}
	rows = arena_calloc(d->r->arena, n + 1, sizeof(*rows));
	cells = arena_calloc(d->r->arena, (n + 1) * 6, sizeof(*cells));
	if (rows == NULL || cells == NULL)
		return;
	json_array_foreach(list, i, p) {
		cells[i * 6] = view_label(d->r, "sources.platform",
		    view_str(p, "platform"));
		cells[i * 6 + 1] = view_label(d->r, "finance.source",
		    view_str(p, "source"));
		for (j = 0; j < 4; j++) {
			cells[i * 6 + 2 + j] = view_money(d->r,
			    json_object_get(p, cents[j]), d->currency);
			totals[j] += json_integer_value(json_object_get(p,
			    cents[j]));
		}
		rows[i].cells = &cells[i * 6];
	}
	cells[n * 6] = tr(d->r, "finance.totals");
	cells[n * 6 + 1] = "";
	for (j = 0; j < 4; j++) {
		sum = json_integer(totals[j]);
		cells[n * 6 + 2 + j] = view_money(d->r, sum, d->currency);
		json_decref(sum);
	}
	rows[n].cells = &cells[n * 6];
	rows[n].total = 1;
	pdf_table(d->pdf, cols, 6, rows, n + 1);
}

/* The computation, from the opening balance to the closing one. */
static void
summary(struct doc *d)
{
	static const struct {
		const char	*label, *member;
		int		 sign;
	} steps[] = {
		{ "finance.opening", "opening_balance_cents", 1 },
		{ "finance.net", "platform_net_cents", 1 },
		{ "finance.cash", "cash_collected_cents", -1 },
		{ "finance.rent", "rent_cents", -1 },
		{ "finance.commission", "commission_cents", -1 },
		{ "finance.charges", "charges_cents", -1 },
		{ "finance.adjustments", "adjustments_cents", 1 },
	};
	const struct pdf_column cols[] = {
		{ tr(d->r, "statement_pdf.line"), 3, PDF_LEFT },
		{ tr(d->r, "finance.amount"), 1, PDF_RIGHT },
	};
	enum { NSTEPS = sizeof(steps) / sizeof(steps[0]) };
	struct pdf_row	 rows[NSTEPS + 1];
	const char	*cells[NSTEPS + 1][2];
	size_t		 i;

	pdf_heading(d->pdf, tr(d->r, "finance.summary"));
	for (i = 0; i < NSTEPS; i++) {
		cells[i][0] = tr(d->r, steps[i].label);
		cells[i][1] = signed_money(d, steps[i].member, steps[i].sign);
		rows[i].cells = cells[i];
		rows[i].total = 0;
	}
	cells[NSTEPS][0] = tr(d->r, "finance.closing");
	cells[NSTEPS][1] = money(d, "amount_due_cents");
	rows[NSTEPS].cells = cells[NSTEPS];
	rows[NSTEPS].total = 1;
	pdf_table(d->pdf, cols, 2, rows, NSTEPS + 1);
	pdf_text(d->pdf, PDF_BOLD, tr(d->r, json_integer_value(json_object_get(
	    d->s, "amount_due_cents")) < 0 ? "statement_pdf.due_fleet" :
	    "statement_pdf.due_driver"));
}

/* The charges and adjustments, line by line. */
static void
lines(struct doc *d)
{
	const struct pdf_column cols[] = {
		{ tr(d->r, "finance.kind_label"), 1.2, PDF_LEFT },
		{ tr(d->r, "finance.reason"), 3, PDF_LEFT },
		{ tr(d->r, "finance.amount"), 1.2, PDF_RIGHT },
	};
	json_t		*list = json_object_get(d->s, "lines"), *l;
	size_t		 n = json_array_size(list), i;
	struct pdf_row	*rows;
	const char	**cells;

	pdf_heading(d->pdf, tr(d->r, "finance.lines"));
	if (n == 0) {
		pdf_text(d->pdf, PDF_NORMAL, tr(d->r, "finance.no_line"));
		return;
	}
	rows = arena_calloc(d->r->arena, n, sizeof(*rows));
	cells = arena_calloc(d->r->arena, n * 3, sizeof(*cells));
	if (rows == NULL || cells == NULL)
		return;
	json_array_foreach(list, i, l) {
		cells[i * 3] = view_label(d->r, "finance.kind", view_str(l,
		    "kind"));
		cells[i * 3 + 1] = view_str(l, "reason");
		cells[i * 3 + 2] = view_money(d->r, json_object_get(l,
		    "amount_cents"), d->currency);
		rows[i].cells = &cells[i * 3];
	}
	pdf_table(d->pdf, cols, 3, rows, n);
}

/* "releve-2026-W47.pdf" (the week is checked ASCII by the database). */
static const char *
disposition(struct request *r, json_t *s)
{
	return arena_printf(r->arena, "inline; filename=\"releve-%s.pdf\"",
	    view_str(s, "week"));
}

int
statement_pdf(struct request *r)
{
	const char	*id = http_param_uuid(r, 0), *today;
	struct doc	 d;
	buf		 out, b;
	int		 rc;

	if (id == NULL)
		return 404;
	memset(&d, 0, sizeof(d));
	d.r = r;
	if ((d.s = settlement_get(r, id, &rc)) == NULL)
		return rc;
	d.currency = view_str(d.s, "currency");
	buf_init(&b);
	fmt_date(&b, time(NULL), (lang_id)r->lang);
	today = fill(r, "statement_pdf.issued", (const char *[]){
	    buf_cstr(&b) }, 1);
	buf_free(&b);
	d.pdf = pdf_new(r->arena, &(struct pdf_page){
	    .title = tr(r, "finance.statement"), .header = r->id.tenant_name,
	    .footer = today, .page_word = tr(r, "statement_pdf.page") });
	if (d.pdf == NULL) {
		json_decref(d.s);
		return 500;
	}
	head(&d);
	platforms(&d);
	summary(&d);
	lines(&d);
	buf_init(&out);
	rc = pdf_render(d.pdf, &out, NULL) == 0 ? 0 : 500;
	if (rc == 0 && (http_add_header(r, "Content-Disposition",
	    disposition(r, d.s)) != 0 || http_body(r, 200, "application/pdf",
	    out.data, out.len) != 0))
		rc = 500;
	json_decref(d.s);
	buf_free(&out);
	return rc;
}
