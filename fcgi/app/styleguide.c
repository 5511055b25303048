#include <time.h>

#include "api.h"
#include "fmt.h"
#include "i18n.h"
#include "page.h"
#include "styleguide.h"
#include "vehicles.h"
#include "view.h"
#include "worker.h"

/* A field context for the partials: described when it has a help or an
 * error to point at. */
static json_t *
field(const char *id, const char *label, const char *type, const char *value,
    const char *help, const char *error, int required)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:b, s:b}",
	    "id", id, "name", id, "label", label, "type", type, "value", value,
	    "help", help, "error", error, "required", required,
	    "described", help != NULL || error != NULL);
}

static json_t *
cell(const char *text, int num, const char *href)
{
	return json_pack("{s:s, s:b, s:s?}", "text", text, "num", num,
	    "href", href);
}

static json_t *
table(struct request *r)
{
	struct api_page	 pg = { 2, 3, 3 };
	json_t		*cost = json_integer(123456), *rows = json_array();
	const char	*sort = http_query(r, "sort") ? http_query(r, "sort") :
			    "plate";
	const char	*money = view_money(r, cost, "EUR");

	json_decref(cost);
	json_array_append_new(rows, json_pack("{s:[o,o,o,o]}", "cells",
	    cell("AB-123-CD", 0, "/vehicles"), cell("Toyota Corolla", 0, NULL),
	    cell(view_number(r, 125300), 1, NULL), cell(money, 1, NULL)));
	json_array_append_new(rows, json_pack("{s:[o,o,o,o]}", "cells",
	    cell("EF-456-GH", 0, "/vehicles"), cell("Tesla Model 3", 0, NULL),
	    cell(view_number(r, 48210), 1, NULL), cell(money, 1, NULL)));
	return json_pack("{s:s, s:[o,o,o,{s:s,s:b}], s:o, s:i, s:s, s:o}",
	    "caption", "Véhicules (exemple)",
	    "columns", view_sort_column(r, "plate", "Immatriculation", sort),
	    view_sort_column(r, "make", "Véhicule", sort),
	    view_sort_column(r, "odometer_km", "Kilométrage", sort),
	    "label", "Coût mensuel", "num", 1,
	    "rows", rows, "colspan", 4, "empty", "",
	    "pagination", view_pagination(r, &pg, 9));
}

int
styleguide_show(struct request *r)
{
	const char	*empty = i18n_get(r->w->i18n, (lang_id)r->lang,
			    "table.empty");
	json_t		*options, *money = json_integer(-98765), *view;
	buf		 when;
	time_t		 now = time(NULL);

	options = view_options(r, "vehicles.energy", vehicle_energies,
	    "hybride", "vehicles.choose");
	buf_init(&when);
	view = json_pack("{s:[{s:s,s:s,s:b},{s:s,s:s,s:b},{s:s,s:s,s:b},"
	    "{s:s,s:s,s:b}],"
	    " s:[{s:s,s:s,s:s},{s:s,s:s,s:s},{s:s,s:s}],"
	    " s:[{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s}],"
	    " s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "flashes",
	    "type", "success", "message", "Véhicule enregistré.", "error", 0,
	    "type", "info", "message", "Synchronisation en cours.", "error", 0,
	    "type", "warning", "message", "3 documents à renouveler.", "error", 0,
	    "type", "error", "message", "Le fichier est mal formé.", "error", 1,
	    "kpis",
	    "label", "Chiffre d'affaires", "value", view_money(r, money, "EUR"),
	    "trend", "−4 % sur un mois",
	    "label", "Courses", "value", view_number(r, 12873), "trend",
	    "+12 % sur un mois",
	    "label", "Mise à jour", "value", view_date(r, json_string("2026-11-22")),
	    "badges",
	    "label", "à jour", "tone", "ok", "label", "à renouveler", "tone", "warn",
	    "label", "expiré", "tone", "danger", "label", "en cours", "tone", "info",
	    "text_field", field("sg-name", "Nom", "text", "Élodie Dupont",
	    "Tel qu'il figure sur la carte VTC.", NULL, 1),
	    "error_field", field("sg-plate", "Immatriculation", "text", "AI-12",
	    NULL, "Immatriculation invalide (format AA-123-AA).", 1),
	    "select_field", json_pack("{s:s, s:s, s:s, s:o, s:b, s:b}", "id",
	    "sg-energy", "name", "energy", "label", "Énergie", "options", options,
	    "required", 1, "described", 0),
	    "date_field", field("sg-expiry", "Fin d'assurance", "date",
	    "2026-12-31", "Format JJ/MM/AAAA.", NULL, 0),
	    "money_field", field("sg-cost", "Coût mensuel", "text", "1 234,56",
	    NULL, NULL, 0),
	    "file_field", json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", "sg-file",
	    "name", "file", "label", "Carte grise", "accept",
	    ".pdf,.jpg,.jpeg,.png", "help", "PDF, JPEG ou PNG, 10 Mo au plus."),
	    "confirm", json_pack("{s:s, s:s, s:s, s:s}", "label", "Archiver",
	    "question", "Archiver ce véhicule ? Son historique est conservé.",
	    "action", "/_styleguide", "button", "Confirmer"),
	    "table", table(r),
	    "empty_table", json_pack("{s:s, s:[{s:s}], s:[], s:i, s:s}",
	    "caption", "Tableau vide", "columns", "label", "Immatriculation",
	    "rows", "colspan", 1, "empty", empty));
	json_decref(money);
	fmt_relative(&when, now - 300, now, (lang_id)r->lang);
	json_object_set_new(json_array_get(json_object_get(view, "kpis"), 2),
	    "trend", json_string(buf_cstr(&when)));
	buf_free(&when);
	return page_render(r, 200, "styleguide", view);
}
