/* Template rendering speed: a vehicles list page (100 rows: plate, make
 * and model, driver, status badge, monthly cost; sortable headers,
 * pagination) rendered by our Mustache engine and by hand-written
 * snprintf code producing the same bytes, checked once before timing.
 *
 *   build/bench_render [RENDERS]	(default 50000 of each) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "buf.h"
#include "tmpl.h"

#define ROWS	100
#define BATCHES	20	/* timed alternately, best kept */

/* What the real list templates use: sections over arrays, dotted names,
 * an inverted section, a partial, values found in an outer context. */
static const char page[] =
	"<main id=\"main\"><h1>{{t.title}}</h1>\n"
	"<p>{{total}} {{t.count_label}}</p>\n"
	"<div class=\"table-wrap\"><table class=\"data\"><caption>{{t.title}}"
	"</caption>\n<thead><tr>{{#columns}}<th scope=\"col\"{{#num}} "
	"class=\"num\"{{/num}}{{#href}} aria-sort=\"{{aria_sort}}\"{{/href}}>"
	"{{#href}}<a href=\"{{href}}\">{{label}}</a>{{/href}}{{^href}}{{label}}"
	"{{/href}}</th>{{/columns}}</tr></thead>\n<tbody>\n"
	"{{#rows}}<tr><td><a href=\"/vehicles/{{id}}\">{{plate}}</a></td>"
	"<td>{{make}} {{model}}</td><td>{{#driver}}{{.}}{{/driver}}"
	"{{^driver}}{{t.none}}{{/driver}}</td><td>{{#status}}{{>badge}}"
	"{{/status}}</td><td class=\"num\">{{cost}}</td></tr>\n{{/rows}}"
	"</tbody></table></div>\n"
	"<nav aria-label=\"{{t.pagination}}\"><ul class=\"pagination\">"
	"<li><span aria-current=\"page\">{{pagination.page}} / "
	"{{pagination.pages}}</span></li><li><a href=\"{{pagination.next}}\" "
	"rel=\"next\">{{t.next}}</a></li></ul></nav></main>\n";

static const char badge[] =
	"<span class=\"badge badge-{{tone}}\">{{label}}</span>";

struct row {
	char		 id[40], plate[16], driver[40], cost[32];
	const char	*make, *model, *tone, *status;
};

struct column {
	const char	*label, *href, *aria_sort;
	int		 num;
};

static const struct column columns[] = {
	{ "Immatriculation", "/vehicles?sort=-plate", "ascending", 0 },
	{ "Marque et modèle", "/vehicles?sort=make", "none", 0 },
	{ "Chauffeur", NULL, NULL, 0 },
	{ "Statut", NULL, NULL, 0 },
	{ "Coût mensuel", "/vehicles?sort=monthly_cost", "none", 1 },
};
#define NCOLUMNS	(sizeof(columns) / sizeof(columns[0]))

static void
make_row(struct row *r, int i)
{
	static const char *const makes[] = { "Toyota", "Tesla", "Škoda", "Kia" };
	static const char *const models[] = { "Corolla", "Model 3", "Octavia",
		"Niro" };

	snprintf(r->id, sizeof(r->id), "0f8fad5b-d9cb-469f-a165-%012d", i);
	snprintf(r->plate, sizeof(r->plate), "AB-%03d-CD", 100 + i);
	/* Every seventh vehicle has no driver; names need escaping. */
	if (i % 7 == 3)
		r->driver[0] = '\0';
	else
		snprintf(r->driver, sizeof(r->driver), "Chauffeur n°%d & fils",
		    i);
	snprintf(r->cost, sizeof(r->cost), "%d\xe2\x80\xaf%03d,%02d\xc2\xa0€",
	    1 + i / 50, (i * 37) % 1000, i % 100);
	r->make = makes[i % 4];
	r->model = models[i % 4];
	r->tone = i % 5 ? "ok" : "warn";
	r->status = i % 5 ? "Actif" : "En maintenance";
}

static json_t *
row_json(const struct row *r)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:{s:s, s:s}, s:s}",
	    "id", r->id, "plate", r->plate, "make", r->make, "model", r->model,
	    "driver", r->driver[0] ? r->driver : NULL, "status", "tone", r->tone,
	    "label", r->status, "cost", r->cost);
}

static json_t *
column_json(const struct column *c)
{
	return json_pack("{s:s, s:s?, s:s?, s:b}", "label", c->label,
	    "href", c->href, "aria_sort", c->aria_sort, "num", c->num);
}

/* The view-model the handler would build; NULL when memory ran out. */
static json_t *
view_json(const struct row *rows)
{
	json_t	*cols = json_array(), *list = json_array();
	size_t	 i;

	for (i = 0; cols != NULL && i < NCOLUMNS; i++)
		if (json_array_append_new(cols, column_json(&columns[i])) == -1)
			cols = NULL;	/* json_pack below fails and frees */
	for (i = 0; list != NULL && i < ROWS; i++)
		if (json_array_append_new(list, row_json(&rows[i])) == -1)
			list = NULL;
	return json_pack("{s:{s:s, s:s, s:s, s:s, s:s}, s:i, s:o, s:o,"
	    " s:{s:i, s:i, s:s}}",
	    "t", "title", "Véhicules", "count_label", "véhicule(s)",
	    "none", "—", "pagination", "Pagination", "next", "Page suivante",
	    "total", 2345, "columns", cols, "rows", list,
	    "pagination", "page", 1, "pages", 24, "next", "/vehicles?page=2");
}

/* The baseline: what a careful hand-written renderer does. */
static void
by_hand(const struct row *r, buf *out)
{
	const struct column	*c;
	size_t			 i;

	buf_puts(out, "<main id=\"main\"><h1>Véhicules</h1>\n");
	buf_printf(out, "<p>%d véhicule(s)</p>\n", 2345);
	buf_puts(out, "<div class=\"table-wrap\"><table class=\"data\">"
	    "<caption>Véhicules</caption>\n<thead><tr>");
	for (i = 0; i < NCOLUMNS; i++) {
		c = &columns[i];
		buf_puts(out, c->num ? "<th scope=\"col\" class=\"num\"" :
		    "<th scope=\"col\"");
		if (c->href != NULL) {
			buf_puts(out, " aria-sort=\"");
			buf_puts_html(out, c->aria_sort);
			buf_puts(out, "\"><a href=\"");
			buf_puts_html(out, c->href);
			buf_puts(out, "\">");
			buf_puts_html(out, c->label);
			buf_puts(out, "</a></th>");
		} else {
			buf_putc(out, '>');
			buf_puts_html(out, c->label);
			buf_puts(out, "</th>");
		}
	}
	buf_puts(out, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < ROWS; i++, r++) {
		buf_puts(out, "<tr><td><a href=\"/vehicles/");
		buf_puts_html(out, r->id);
		buf_puts(out, "\">");
		buf_puts_html(out, r->plate);
		buf_puts(out, "</a></td><td>");
		buf_puts_html(out, r->make);
		buf_putc(out, ' ');
		buf_puts_html(out, r->model);
		buf_puts(out, "</td><td>");
		buf_puts_html(out, r->driver[0] ? r->driver : "—");
		buf_puts(out, "</td><td><span class=\"badge badge-");
		buf_puts_html(out, r->tone);
		buf_puts(out, "\">");
		buf_puts_html(out, r->status);
		buf_puts(out, "</span></td><td class=\"num\">");
		buf_puts_html(out, r->cost);
		buf_puts(out, "</td></tr>\n");
	}
	buf_puts(out, "</tbody></table></div>\n<nav aria-label=\"Pagination\">"
	    "<ul class=\"pagination\">");
	buf_printf(out, "<li><span aria-current=\"page\">%d / %d</span></li>",
	    1, 24);
	buf_puts(out, "<li><a href=\"/vehicles?page=2\" rel=\"next\">"
	    "Page suivante</a></li></ul></nav></main>\n");
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
fail(const char *what)
{
	fprintf(stderr, "bench_render: %s\n", what);
	return 1;
}

int
main(int argc, char **argv)
{
	struct row	 rows[ROWS];
	json_t		*data;
	tmpl_set	*set = tmpl_set_new(TMPL_TRUSTED_RAW_ONLY |
			    TMPL_STRICT_PARTIALS);
	char		 err[256] = "out of memory";
	buf		 a, b;
	int		 i, r, n = argc > 1 ? atoi(argv[1]) : 50000;
	double		 t0, t, t_tmpl, t_hand;
	size_t		 bytes;

	if (n < BATCHES)
		return fail("usage: bench_render [RENDERS]");
	for (i = 0; i < ROWS; i++)
		make_row(&rows[i], i);
	if ((data = view_json(rows)) == NULL || set == NULL)
		return fail("out of memory");
	if (tmpl_set_add(set, "page", page, strlen(page), err,
	    sizeof(err)) == -1 || tmpl_set_add(set, "badge", badge,
	    strlen(badge), err, sizeof(err)) == -1 ||
	    tmpl_set_check(set, err, sizeof(err)) == -1)
		return fail(err);
	buf_init(&a);
	buf_init(&b);
	if (tmpl_render(set, "page", data, &a, err, sizeof(err)) == -1)
		return fail(err);
	by_hand(rows, &b);
	if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0) {
		fwrite(a.data, 1, a.len < 2000 ? a.len : 2000, stderr);
		fwrite(b.data, 1, b.len < 2000 ? b.len : 2000, stderr);
		return fail("outputs differ");
	}
	bytes = a.len;
	/* Alternating batches, the best of each kept: the machine is shared
	 * (2 cores), and the fastest batch is the one least disturbed. */
	t_tmpl = t_hand = 1e30;
	for (r = 0; r < BATCHES; r++) {
		t0 = now();
		for (i = 0; i < n / BATCHES; i++) {
			buf_clear(&a);
			if (tmpl_render(set, "page", data, &a, err,
			    sizeof(err)) == -1)
				return fail(err);
		}
		if ((t = now() - t0) < t_tmpl)
			t_tmpl = t;
		t0 = now();
		for (i = 0; i < n / BATCHES; i++) {
			buf_clear(&b);
			by_hand(rows, &b);
		}
		if ((t = now() - t0) < t_hand)
			t_hand = t;
	}
	n = n / BATCHES;
	printf("| renderer | renders/s | MB/s |\n|---|---|---|\n");
	printf("| Mustache engine (tmpl.c) | %.0f | %.1f |\n", n / t_tmpl,
	    n * (double)bytes / t_tmpl / 1e6);
	printf("| hand-written baseline | %.0f | %.1f |\n", n / t_hand,
	    n * (double)bytes / t_hand / 1e6);
	printf("\n%zu bytes per page; best of %d batches of %d renders each; "
	    "engine/baseline time: %.2f×\n", bytes, BATCHES, n, t_tmpl / t_hand);
	buf_free(&a);
	buf_free(&b);
	tmpl_set_free(set);
	json_decref(data);
	return 0;
}
