/* Any CSV, with a column mapping the user builds once: for each canonical
 * column of the chosen table (trips or earnings), which header of the file
 * carries it.  The mapping is saved in the source's configuration
 * ("mapping": {"source_key": "Référence", …}) and used for every later
 * file; a file that lacks a mapped header is refused, naming it.  Source
 * keys are the source's own (key space "csv_<source id>"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connector.h"

static const char *const targets[] = { "trips", "earnings", NULL };
static const char *const platforms[] = { "autre", "uber", "bolt", "heetch",
	NULL };

static const struct connector_field fields[] = {
	{ "target", "sources.field.target", "sources.field.target_help",
	    CFIELD_CHOICE, 1, targets, "trips", 0, NULL },
	{ "platform", "sources.field.platform", NULL, CFIELD_CHOICE, 1,
	    platforms, "autre", 0, NULL },
	CONNECTOR_CSV_FIELDS,
};

/* The mapping as a profile: one entry per mapped column, named by the
 * header's normalised form. */
struct built {
	struct colmap_entry	 entries[CANON_MAX_COLUMNS];
	char			 names[CANON_MAX_COLUMNS][COLMAP_NAME_MAX];
	const char		*lists[CANON_MAX_COLUMNS][2];
	int			 required[4];
	struct csv_profile	 profile;
};

static const char *finish(struct canon_record *, const json_t *, int *);

static enum canon_table
target_of(const json_t *config)
{
	enum canon_table	t = CANON_TRIPS;

	(void)canon_table_by_name(json_string_value(json_object_get(config,
	    "target")), &t);
	return t;
}

/* -1 with out set when the mapping is missing what the table needs. */
static int
build(struct built *b, const json_t *config, struct connector_outcome *out)
{
	const struct canon_table_def	*t = canon_table(target_of(config));
	json_t				*map = json_object_get(config, "mapping");
	const char			*header;
	size_t				 i, n = 0, r = 0;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < t->ncolumns; i++) {
		header = json_string_value(json_object_get(map,
		    t->columns[i].name));
		if (header == NULL || *header == '\0')
			continue;
		colmap_normalize(header, b->names[n], sizeof(b->names[n]));
		b->lists[n][0] = b->names[n];
		b->lists[n][1] = NULL;
		b->entries[n].column = (int)i;
		b->entries[n].kind = -1;
		b->entries[n].names = b->lists[n];
		n++;
	}
	if (n == 0) {
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Le mapping des "
		    "colonnes n'est pas encore fait : déposez un fichier pour "
		    "choisir quelle colonne porte chaque donnée.");
		return -1;
	}
	if (target_of(config) == CANON_TRIPS) {
		if (json_object_get(map, "source_key") == NULL) {
			connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Le mapping "
			    "doit désigner la colonne de l'identifiant unique "
			    "de chaque ligne (clé source).");
			return -1;
		}
		b->required[r++] = TRIP_SOURCE_KEY;
	} else {
		if (json_object_get(map, "period_start") == NULL ||
		    json_object_get(map, "period_end") == NULL) {
			connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Le mapping "
			    "doit désigner le début et la fin de la période.");
			return -1;
		}
		b->required[r++] = EARN_PERIOD_START;
		b->required[r++] = EARN_PERIOD_END;
	}
	b->required[r] = -1;
	b->profile.entries = b->entries;
	b->profile.nentries = n;
	b->profile.required = b->required;
	b->profile.what = "le fichier de cette source (mapping enregistré)";
	b->profile.finish = finish;
	return 0;
}

static const char *
finish_trip(struct canon_record *r)
{
	if (r->set[TRIP_STATUS]) {
		canon_set_text(r, TRIP_PLATFORM_STATUS, r->text[TRIP_STATUS]);
		canon_set_text(r, TRIP_STATUS,
		    connector_trip_status(r->text[TRIP_STATUS]));
	}
	if (r->set[TRIP_PAYMENT_METHOD])
		canon_set_text(r, TRIP_PAYMENT_METHOD,
		    connector_payment_method(r->text[TRIP_PAYMENT_METHOD]));
	connector_default_ref(r, TRIP_DRIVER_REF, TRIP_DRIVER_EMAIL,
	    TRIP_DRIVER_PHONE, TRIP_DRIVER_NAME);
	return NULL;
}

static const char *
finish_earnings(struct canon_record *r, int *column)
{
	const char	*why;

	connector_default_ref(r, EARN_DRIVER_REF, EARN_DRIVER_EMAIL,
	    EARN_DRIVER_PHONE, EARN_DRIVER_NAME);
	if ((why = connector_earnings_period(r, column)) != NULL)
		return why;
	if (r->set[EARN_SOURCE_KEY])
		return NULL;
	/* Without a key column a driver's period is the row. */
	if (!r->set[EARN_DRIVER_REF]) {
		*column = EARN_DRIVER_REF;
		return "Ni clé source ni chauffeur : la ligne ne peut pas être "
		    "identifiée.";
	}
	return connector_earnings_key(r, EARN_DRIVER_REF, column);
}

static const char *
finish(struct canon_record *r, const json_t *config, int *column)
{
	if (target_of(config) == CANON_TRIPS)
		return finish_trip(r);
	return finish_earnings(r, column);
}

/* Reading needs the profile; the generic check reads with the table's
 * identity (every header a candidate) when there is no mapping yet. */
static void
check(const json_t *config, const struct connector_input *in,
    struct connector_outcome *out)
{
	struct built	*b;

	if ((b = malloc(sizeof(*b))) == NULL) {
		connector_fail(out, CONN_TRANSIENT, 0, 0, NULL,
		    "Mémoire insuffisante.");
		return;
	}
	if (build(b, config, out) == 0)
		connector_csv_check(&b->profile, target_of(config), config, in,
		    out);
	free(b);
}

static json_t *
discover(const json_t *config, const struct connector_input *in,
    struct connector_outcome *out)
{
	static const struct csv_profile	none = { NULL, 0, NULL,
					    "un fichier CSV", NULL };

	return connector_csv_discover(&none, config, in, out);
}

static void
read_file(const json_t *config, const struct connector_input *in,
    const struct connector_sink *sink, struct connector_outcome *out)
{
	struct built	*b;

	if ((b = malloc(sizeof(*b))) == NULL) {
		connector_fail(out, CONN_TRANSIENT, 0, 0, NULL,
		    "Mémoire insuffisante.");
		return;
	}
	if (build(b, config, out) == 0)
		connector_csv_read(&b->profile, target_of(config), config, in,
		    sink, out);
	free(b);
}

const struct connector_type connector_generic_csv = {
	.name = "generic_csv",
	.label_key = "sources.types.generic_csv",
	.help_key = "sources.types.generic_csv_help",
	.platform = NULL,
	.file_based = 1,
	.fields = fields,
	.nfields = sizeof(fields) / sizeof(fields[0]),
	.table = CANON_TRIPS,
	.table_from_config = 1,
	.key_space = NULL,
	.check = check,
	.discover = discover,
	.read = read_file,
};
