/* Template rendering speed: a 100-row vehicles table rendered by our
 * Mustache engine and by hand-written snprintf code producing the same
 * bytes (checked before timing). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "buf.h"
#include "tmpl.h"

#define ROWS	100

static const char page[] =
	"<table class=\"data\"><thead><tr><th>Immatriculation</th><th>Véhicule</th>"
	"<th>Chauffeur</th><th>Statut</th><th class=\"num\">Coût</th></tr></thead>"
	"<tbody>{{#rows}}<tr><td><a href=\"/vehicles/{{id}}\">{{plate}}</a></td>"
	"<td>{{make}} {{model}}</td><td>{{driver}}</td><td><span class=\"badge "
	"badge-{{tone}}\">{{status}}</span></td><td class=\"num\">{{cost}}</td>"
	"</tr>{{/rows}}</tbody></table>";

struct row {
	char	id[40], plate[16], make[16], model[16], driver[32], tone[8],
		status[16], cost[24];
};

static void
make_rows(struct row *r, json_t *rows)
{
	static const char *makes[] = { "Toyota", "Tesla", "Skoda", "Kia" };
	static const char *models[] = { "Corolla", "Model 3", "Octavia", "Niro" };
	int	i;

	for (i = 0; i < ROWS; i++) {
		snprintf(r[i].id, sizeof(r[i].id), "0f8fad5b-d9cb-469f-a165-%012d", i);
		snprintf(r[i].plate, sizeof(r[i].plate), "AB-%03d-CD", 100 + i);
		snprintf(r[i].make, sizeof(r[i].make), "%s", makes[i % 4]);
		snprintf(r[i].model, sizeof(r[i].model), "%s", models[i % 4]);
		snprintf(r[i].driver, sizeof(r[i].driver), "Chauffeur n°%d & fils", i);
		snprintf(r[i].tone, sizeof(r[i].tone), "%s", i % 5 ? "ok" : "warn");
		snprintf(r[i].status, sizeof(r[i].status), "%s", i % 5 ? "Actif" :
		    "Maintenance");
		snprintf(r[i].cost, sizeof(r[i].cost), "%d,%02d\xe2\x80\xaf€",
		    400 + i, i % 100);
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:s,"
		    " s:s, s:s, s:s}", "id", r[i].id, "plate", r[i].plate, "make",
		    r[i].make, "model", r[i].model, "driver", r[i].driver, "tone",
		    r[i].tone, "status", r[i].status, "cost", r[i].cost));
	}
}

/* The baseline: what a careful hand-written renderer does. */
static void
by_hand(const struct row *r, buf *out)
{
	int	i;

	buf_puts(out, "<table class=\"data\"><thead><tr><th>Immatriculation</th>"
	    "<th>Véhicule</th><th>Chauffeur</th><th>Statut</th><th class=\"num\">"
	    "Coût</th></tr></thead><tbody>");
	for (i = 0; i < ROWS; i++) {
		buf_printf(out, "<tr><td><a href=\"/vehicles/%s\">", r[i].id);
		buf_puts_html(out, r[i].plate);
		buf_puts(out, "</a></td><td>");
		buf_puts_html(out, r[i].make);
		buf_putc(out, ' ');
		buf_puts_html(out, r[i].model);
		buf_puts(out, "</td><td>");
		buf_puts_html(out, r[i].driver);
		buf_printf(out, "</td><td><span class=\"badge badge-%s\">", r[i].tone);
		buf_puts_html(out, r[i].status);
		buf_puts(out, "</span></td><td class=\"num\">");
		buf_puts_html(out, r[i].cost);
		buf_puts(out, "</td></tr>");
	}
	buf_puts(out, "</tbody></table>");
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct row	 rows[ROWS];
	json_t		*data = json_object(), *list = json_array();
	tmpl_set	*set = tmpl_set_new(TMPL_TRUSTED_RAW_ONLY);
	char		 err[256];
	buf		 a, b;
	int		 i, n = argc > 1 ? atoi(argv[1]) : 20000;
	double		 t0, t_tmpl, t_hand;
	size_t		 bytes;

	make_rows(rows, list);
	json_object_set_new(data, "rows", list);
	if (set == NULL || tmpl_set_add(set, "page", page, strlen(page), err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "bench_render: %s\n", err);
		return 1;
	}
	buf_init(&a);
	buf_init(&b);
	tmpl_render(set, "page", data, &a, err, sizeof(err));
	by_hand(rows, &b);
	if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0) {
		fprintf(stderr, "bench_render: outputs differ\n");
		return 1;
	}
	bytes = a.len;
	t0 = now();
	for (i = 0; i < n; i++) {
		buf_clear(&a);
		tmpl_render(set, "page", data, &a, err, sizeof(err));
	}
	t_tmpl = now() - t0;
	t0 = now();
	for (i = 0; i < n; i++) {
		buf_clear(&b);
		by_hand(rows, &b);
	}
	t_hand = now() - t0;
	printf("| renderer | renders/s | MB/s |\n|---|---|---|\n");
	printf("| Mustache engine (tmpl.c) | %.0f | %.1f |\n", n / t_tmpl,
	    n * (double)bytes / t_tmpl / 1e6);
	printf("| hand-written snprintf baseline | %.0f | %.1f |\n", n / t_hand,
	    n * (double)bytes / t_hand / 1e6);
	printf("\n%zu bytes per page, %d renders each; engine/baseline time: %.2f×\n",
	    bytes, n, t_tmpl / t_hand);
	buf_free(&a);
	buf_free(&b);
	tmpl_set_free(set);
	json_decref(data);
	return 0;
}
