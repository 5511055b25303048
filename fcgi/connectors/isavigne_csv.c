/* iSaVigne's exports (isavigne_csv): clients*.csv, produits*.csv,
 * ventes*.csv and stock*.csv, uploaded together as one zip (or several
 * files, which the request bundles into one: bundle.h), one of them
 * alone, or fetched from the source's address.  No public description of
 * these files exists, so every header is matched through an alias table
 * (headers normalised by colmap_normalize: lower case, accents removed,
 * "_" as a space) that the source's configuration extends
 *  ("mapping": {"ventes": {"quantity": "Nb cols"}}), from the mapping
 * screen.  Files are read in the order products, customers, sales,
 * stock, so that lines find the rows they name.  Source keys are the
 * source's own (key space "isavigne_<source id>"). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "connector.h"
#include "isavigne.h"

static const struct connector_field fields[] = {
	CONNECTOR_CSV_FIELDS,
};

#define NAMES(...)	(const char *const[]){ __VA_ARGS__, NULL }
#define REF_PRODUCT	NAMES("code article", "code produit", "reference", \
	"ref", "ref article", "reference article", "article", "id produit")
#define PACKAGING	NAMES("conditionnement", "contenant", "format", "unite")

static const struct isavigne_alias product_aliases[] = {
	{ PROD_SOURCE_KEY, REF_PRODUCT },
	{ PROD_NAME, NAMES("designation", "libelle", "nom", "nom produit",
	    "produit", "libelle article") },
	{ PROD_CATEGORY, NAMES("couleur", "categorie", "type", "famille",
	    "type de vin") },
	{ PROD_LIST_PRICE, NAMES("prix de vente", "prix vente ht", "prix",
	    "prix catalogue", "tarif", "pv ht", "prix ht") },
	{ PROD_COST_PRICE, NAMES("prix de revient", "cout", "prix achat",
	    "cout de revient") },
	{ PROD_PACKAGING, PACKAGING },
	{ PROD_GRAPES, NAMES("cepages", "cepage", "assemblage") },
	{ PROD_FLAVOURS, NAMES("aromes", "saveurs", "notes de degustation") },
	{ PROD_VINTAGE, NAMES("millesime", "annee", "vintage") },
	{ PROD_REGION, NAMES("region", "appellation", "aoc", "aop") },
	{ PROD_ALCOHOL, NAMES("degre", "degre alcool", "alcool", "tav",
	    "% vol") },
	{ PROD_BODY, NAMES("corps", "structure") },
	{ PROD_TANNINS, NAMES("tanins", "tannins") },
	{ PROD_ACTIVE, NAMES("actif", "active", "en vente", "en sommeil") },
};

#define REF_CUSTOMER	NAMES("code client", "n client", "n° client", \
	"no client", "numero client", "id client", "client id")

static const struct isavigne_alias customer_aliases[] = {
	{ CUST_SOURCE_KEY, REF_CUSTOMER },
	{ CUST_FIRST_NAME, NAMES("prenom") },
	{ CUST_LAST_NAME, NAMES("nom de famille", "nom") },
	{ CUST_FULL_NAME, NAMES("nom complet", "nom prenom", "client",
	    "raison sociale") },
	{ CUST_EMAIL, NAMES("email", "e-mail", "mail", "courriel",
	    "adresse email", "adresse e-mail") },
	{ CUST_PHONE, NAMES("telephone", "tel", "tel fixe",
	    "telephone fixe") },
	{ CUST_MOBILE, NAMES("portable", "mobile", "tel portable", "gsm",
	    "telephone portable") },
	{ CUST_ZIP, NAMES("code postal", "cp") },
	{ CUST_CITY, NAMES("ville", "commune", "localite") },
	{ CUST_COUNTRY, NAMES("pays") },
	{ CUST_OPTOUT_EMAIL, NAMES("optout email", "refus email",
	    "refus e-mail", "optout e-mail", "refus mail",
	    "refus mailing", "desinscrit email", "pas d'email") },
	{ CUST_OPTOUT_SMS, NAMES("optout sms", "refus sms") },
	{ CUST_OPTOUT_PHONE, NAMES("optout telephone", "refus telephone",
	    "refus appel") },
};

static const struct isavigne_alias sale_aliases[] = {
	{ SALE_SOURCE_KEY, NAMES("n ligne", "n° ligne", "no ligne",
	    "numero ligne", "id ligne") },
	{ SALE_ORDER_REF, NAMES("n commande", "n° commande", "no commande",
	    "numero commande", "commande", "n facture", "n° facture",
	    "numero facture", "facture", "n piece", "n° piece", "piece") },
	{ SALE_CUSTOMER_REF, REF_CUSTOMER },
	{ SALE_PRODUCT_REF, REF_PRODUCT },
	{ SALE_SOLD_ON, NAMES("date", "date vente", "date commande",
	    "date facture", "date piece") },
	{ SALE_PACKAGING, PACKAGING },
	{ SALE_QUANTITY, NAMES("quantite", "qte", "nombre", "qte vendue",
	    "quantite vendue") },
	{ SALE_UNIT_PRICE, NAMES("prix unitaire", "pu", "pu ht",
	    "prix unitaire ht", "prix") },
	{ SALE_TOTAL, NAMES("montant", "total", "montant ht", "total ht",
	    "montant ligne") },
	{ SALE_COST, NAMES("cout", "prix de revient", "cout total") },
	{ SALE_CHANNEL, NAMES("canal", "canal de vente", "origine",
	    "circuit") },
};

static const struct isavigne_alias stock_aliases[] = {
	{ STOCK_PRODUCT_REF, REF_PRODUCT },
	{ STOCK_WAREHOUSE, NAMES("depot", "entrepot", "magasin", "emplacement",
	    "lieu de stockage") },
	{ STOCK_QUANTITY, NAMES("stock", "quantite", "qte", "stock physique",
	    "quantite en stock") },
	{ STOCK_RESERVED, NAMES("reserve", "quantite reservee", "stock reserve",
	    "reservations") },
};

static const int product_required[] = { PROD_SOURCE_KEY, PROD_NAME, -1 };
static const int customer_required[] = { CUST_SOURCE_KEY, -1 };
static const int sale_required[] = { SALE_PRODUCT_REF, SALE_SOLD_ON,
	SALE_QUANTITY, -1 };
static const int stock_required[] = { STOCK_PRODUCT_REF, STOCK_QUANTITY,
	-1 };

#define ALIASES(a)	a, sizeof(a) / sizeof(a[0])

/* In the order they are loaded. */
const struct isavigne_stream isavigne_streams[] = {
	{ "produits", CANON_PRODUCTS, ALIASES(product_aliases), product_required,
	    "le fichier des produits", isavigne_finish_product },
	{ "clients", CANON_CUSTOMERS, ALIASES(customer_aliases),
	    customer_required, "le fichier des clients",
	    isavigne_finish_customer },
	{ "ventes", CANON_SALES, ALIASES(sale_aliases), sale_required,
	    "le fichier des ventes", isavigne_finish_sale },
	{ "stock", CANON_STOCK, ALIASES(stock_aliases), stock_required,
	    "le fichier du stock", isavigne_finish_stock },
};
const size_t isavigne_nstreams = sizeof(isavigne_streams) /
    sizeof(isavigne_streams[0]);

int
isavigne_stream_of(const char *file_name)
{
	char	norm[COLMAP_NAME_MAX];
	size_t	i, n;

	colmap_normalize(file_name, norm, sizeof(norm));
	for (i = 0; i < isavigne_nstreams; i++) {
		n = strlen(isavigne_streams[i].name);
		if (strncmp(norm, isavigne_streams[i].name, n) == 0 &&
		    strstr(norm, ".csv") != NULL)
			return (int)i;
	}
	return -1;
}

/* ---- the profile of one stream ------------------------------------------- */

int
isavigne_profile(struct isavigne_built *b, const struct isavigne_stream *s,
    const json_t *config)
{
	json_t		*mine = json_object_get(json_object_get(config, "mapping"),
			    s->name);
	const char	*extra;
	size_t		 i, k, n;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < s->naliases && i < CANON_MAX_COLUMNS; i++) {
		k = 0;
		extra = json_string_value(json_object_get(mine,
		    canon_table(s->table)->columns[s->aliases[i].column].name));
		if (extra != NULL && *extra != '\0') {
			colmap_normalize(extra, b->extra[i], sizeof(b->extra[i]));
			b->lists[i][k++] = b->extra[i];
		}
		for (n = 0; s->aliases[i].names[n] != NULL &&
		    k + 1 < ISAVIGNE_MAX_NAMES; n++)
			b->lists[i][k++] = s->aliases[i].names[n];
		b->lists[i][k] = NULL;
		b->entries[i].column = s->aliases[i].column;
		b->entries[i].kind = -1;
		b->entries[i].names = b->lists[i];
	}
	b->profile.entries = b->entries;
	b->profile.nentries = i;
	b->profile.required = s->required;
	b->profile.what = s->what;
	b->profile.finish = s->finish;
	return 0;
}

/* ---- check, discover and read --------------------------------------------- */

struct members {
	int		 fd[8];
	char		 name[8][256];
	char		 msg[512];
};

static int
on_member(void *ctx, const char *name, int fd)
{
	struct members	*m = ctx;
	int		 s = isavigne_stream_of(name);

	if (s < 0) {
		close(fd);	/* not an iSaVigne file: ignored */
		return 0;
	}
	if (m->fd[s] != -1) {
		close(fd);
		snprintf(m->msg, sizeof(m->msg), "L'archive contient deux"
		    " fichiers « %s » (%s et %s) : gardez-en un seul.",
		    isavigne_streams[s].name, m->name[s], name);
		return 1;
	}
	m->fd[s] = fd;
	snprintf(m->name[s], sizeof(m->name[s]), "%s", name);
	return 0;
}

static void
members_close(struct members *m)
{
	size_t	i;

	for (i = 0; i < isavigne_nstreams; i++)
		if (m->fd[i] != -1)
			close(m->fd[i]);
}

/* The files of the input by stream: 0, or -1 with out failed. */
static int
members_of(const struct connector_input *in, struct members *m,
    struct connector_outcome *out)
{
	size_t	i;
	int	s, any = 0;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < 8; i++)
		m->fd[i] = -1;
	if (bundle_is_zip(in->fd)) {
		if (bundle_each(in->fd, BUNDLE_MEMBER_MAX, on_member, m, m->msg,
		    sizeof(m->msg)) != 0) {
			members_close(m);
			connector_fail(out, CONN_CONFIG, 0, 0, NULL, m->msg);
			return -1;
		}
	} else if ((s = isavigne_stream_of(in->name ? in->name : "")) >= 0) {
		if ((m->fd[s] = dup(in->fd)) == -1) {
			connector_fail(out, CONN_TRANSIENT, 0, 0, NULL,
			    "Fichier illisible.");
			return -1;
		}
		(void)lseek(m->fd[s], 0, SEEK_SET);
		snprintf(m->name[s], sizeof(m->name[s]), "%s", in->name);
	}
	for (i = 0; i < isavigne_nstreams; i++)
		any |= m->fd[i] != -1;
	if (!any) {
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Aucun fichier"
		    " iSaVigne reconnu : déposez clients*.csv, produits*.csv,"
		    " ventes*.csv ou stock*.csv, seuls ou ensemble dans un zip.");
		return -1;
	}
	return 0;
}

/* A stream's failure, its file named. */
static void
fail_in(struct connector_outcome *out, const char *file,
    const struct connector_outcome *o)
{
	char	msg[sizeof(out->message)];

	snprintf(msg, sizeof(msg), "%.200s : %.300s", file, o->message);
	connector_fail(out, o->result, o->line, o->column, o->column_name, msg);
	snprintf(out->detail, sizeof(out->detail), "%s", o->detail);
}

static void
check(const json_t *config, const struct connector_input *in,
    struct connector_outcome *out)
{
	struct isavigne_built		*b;
	struct connector_input		 one;
	struct connector_outcome	 o;
	struct members			 m;
	json_t				*files = json_array();
	size_t				 i;

	if (in == NULL || in->fd < 0) {
		snprintf(out->message, sizeof(out->message), "Configuration"
		    " valide : déposez les exports iSaVigne pour les vérifier.");
		json_decref(files);
		return;
	}
	if (members_of(in, &m, out) == -1 ||
	    (b = malloc(sizeof(*b))) == NULL) {
		json_decref(files);
		return;
	}
	for (i = 0; i < isavigne_nstreams && out->result == CONN_OK; i++) {
		if (m.fd[i] == -1)
			continue;
		isavigne_profile(b, &isavigne_streams[i], config);
		one.fd = m.fd[i];
		one.name = m.name[i];
		one.live = NULL;
		connector_outcome_init(&o);
		connector_csv_check(&b->profile, isavigne_streams[i].table,
		    config, &one, &o);
		if (o.result != CONN_OK)
			fail_in(out, m.name[i], &o);
		else
			json_array_append_new(files, json_pack("{s:s, s:s, s:O?}",
			    "stream", isavigne_streams[i].name, "file",
			    m.name[i], "dialect", o.dialect));
		connector_outcome_clear(&o);
	}
	if (out->result == CONN_OK)
		snprintf(out->message, sizeof(out->message), "%zu fichier(s)"
		    " iSaVigne lisible(s).", json_array_size(files));
	json_object_set_new(out->dialect, "files", files);
	free(b);
	members_close(&m);
}

static json_t *
discover(const json_t *config, const struct connector_input *in,
    struct connector_outcome *out)
{
	struct isavigne_built		*b;
	struct connector_input		 one;
	struct connector_outcome	 o;
	struct members			 m;
	json_t				*streams = json_array(), *d;
	size_t				 i;

	if (in == NULL || in->fd < 0 || members_of(in, &m, out) == -1 ||
	    (b = malloc(sizeof(*b))) == NULL)
		return streams;
	for (i = 0; i < isavigne_nstreams; i++) {
		if (m.fd[i] == -1)
			continue;
		isavigne_profile(b, &isavigne_streams[i], config);
		one.fd = m.fd[i];
		one.name = m.name[i];
		one.live = NULL;
		connector_outcome_init(&o);
		d = connector_csv_discover(&b->profile, config, &one, &o);
		json_array_append_new(streams, json_pack("{s:s, s:s, s:s, s:o*}",
		    "name", isavigne_streams[i].name, "table",
		    canon_table(isavigne_streams[i].table)->name, "file",
		    m.name[i], "discovered", d));
		connector_outcome_clear(&o);
	}
	free(b);
	members_close(&m);
	return streams;
}

static void
read_bundle(const json_t *config, const struct connector_input *in,
    const struct bundle_sink *sink, struct connector_outcome *out)
{
	const struct isavigne_stream	*s;
	struct isavigne_built		*b;
	struct connector_input		 one;
	struct connector_outcome	 o;
	struct members			 m;
	size_t				 i;

	if (members_of(in, &m, out) == -1)
		return;
	if ((b = malloc(sizeof(*b))) == NULL) {
		members_close(&m);
		connector_fail(out, CONN_TRANSIENT, 0, 0, NULL,
		    "Mémoire insuffisante.");
		return;
	}
	for (i = 0; i < isavigne_nstreams && out->result == CONN_OK; i++) {
		s = &isavigne_streams[i];
		if (m.fd[i] == -1)
			continue;
		isavigne_profile(b, s, config);
		one.fd = m.fd[i];
		one.name = m.name[i];
		one.live = NULL;
		if (sink->begin(sink->ctx, s->name, s->table) != 0) {
			connector_fail(out, CONN_STOPPED, 0, 0, NULL, "arrêté");
			break;
		}
		connector_outcome_init(&o);
		connector_csv_read(&b->profile, s->table, config, &one,
		    sink->rows, &o);
		if (o.result != CONN_OK)
			fail_in(out, m.name[i], &o);
		else if (sink->end(sink->ctx, s->name, s->table, m.name[i],
		    o.dialect) != 0)
			connector_fail(out, CONN_STOPPED, 0, 0, NULL, "arrêté");
		connector_outcome_clear(&o);
	}
	free(b);
	members_close(&m);
}

const struct connector_type connector_isavigne_csv = {
	.name = "isavigne_csv",
	.label_key = "sources.types.isavigne_csv",
	.help_key = "sources.types.isavigne_csv_help",
	.platform = "autre",
	.file_based = 1,
	.fields = fields,
	.nfields = sizeof(fields) / sizeof(fields[0]),
	.table = CANON_SALES,
	.check = check,
	.discover = discover,
	.read_bundle = read_bundle,
};
