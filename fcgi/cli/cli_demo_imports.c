/* The demo's platform data: four weeks of the exports a fleet downloads
 * from Uber (payments), Bolt (weekly earnings and orders) and Heetch
 * (earnings), written for the demo drivers who have a platform id and
 * imported as a fleet manager would, through real sources and sync runs of
 * the job runner's own code (cli_source_run), so that « Courses »,
 * « Revenus par période » and « Sources de Données » show them as they
 * show any import.
 *
 * Like a real export, each has rows of a driver the fleet does not know
 * (to match by hand on « Non rapprochés »), and the Uber file has one line
 * whose amount cannot be read (rejected, the rest loaded).  Seeded; the
 * weeks are the four before the current one.  Once per source: a demo
 * source that already has a run is left as it is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libpq-fe.h>

#include "cli.h"
#include "demo_rng.h"

#define SEED		20261207u
#define WEEKS		4
#define MAXPEOPLE	24
#define DAY		86400

/* Someone a platform pays: the demo driver's platform id and name, or
 * the one the fleet does not know (index npeople). */
struct person {
	char	 ref[120];
	char	 first[80], last[80];
};

struct week {
	time_t	 monday;		/* 00:00 UTC */
	char	 start[11], end[11];	/* ISO dates */
};

/* What one person earned on Bolt in one week: the weekly export is the
 * sum of the orders, as on the platform. */
struct bolt_week {
	long	 gross, card, cash, tips, fee, net;
	int	 rides;
};

struct gen {
	PGconn		*c;
	const struct config *cfg;
	char		 tenant[40], owner[40];
	char		 dir[64];
	struct rng	 g;
	struct week	 w[WEEKS];
	struct person	 p[MAXPEOPLE + 1];
	int		 np;
	struct bolt_week bw[MAXPEOPLE + 1][WEEKS];
};

/* A demo source: its name, type, the drivers' column it matches on and
 * the files written for it. */
struct demo_source {
	const char	*name, *type, *column, *unknown_ref;
	int		 limit;
	int		(*write)(struct gen *, int week, char *path, size_t n,
			    char *name, size_t nn);
	int		 nfiles;		/* 1, or one per week */
};

static PGresult *
run(PGconn *c, const char *sql, int n, const char *const *v)
{
	return cli_exec(c, "demo imports", sql, n, v);
}

/* "-12.30" or "-12,30" from cents. */
static const char *
money(char *buf, size_t n, long cents, char decimal)
{
	long	a = cents < 0 ? -cents : cents;

	snprintf(buf, n, "%s%ld%c%02ld", cents < 0 ? "-" : "", a / 100, decimal,
	    a % 100);
	return buf;
}

static void
iso_date(time_t t, char out[11])
{
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The four whole weeks, Monday to Sunday, before the current one. */
static void
make_weeks(struct gen *gn)
{
	time_t		 now = time(NULL), monday;
	struct tm	 tm;
	int		 k;

	gmtime_r(&now, &tm);
	monday = now - (now % DAY) - (time_t)((tm.tm_wday + 6) % 7) * DAY;
	for (k = 0; k < WEEKS; k++) {
		gn->w[k].monday = monday - (time_t)(WEEKS - k) * 7 * DAY;
		iso_date(gn->w[k].monday, gn->w[k].start);
		iso_date(gn->w[k].monday + 6 * DAY, gn->w[k].end);
	}
}

static void
demo_uuid(struct rng *g, char *out, size_t n)
{
	snprintf(out, n, "%08x-%04x-4%03x-%04x-%04x%08x", rnd(g),
	    rnd(g) & 0xffff, rnd(g) & 0xfff, (rnd(g) & 0x3fff) | 0x8000,
	    rnd(g) & 0xffff, rnd(g));
}

/* A moment of a working day: day d of week k, from 7:00 to 23:00 UTC. */
static time_t
moment(struct gen *gn, int k, int d)
{
	return gn->w[k].monday + (time_t)d * DAY + between(&gn->g, 7 * 3600,
	    23 * 3600);
}

/* A moment as Uber writes it ("2026-11-02 08:15:00") or as Bolt does
 * (ISO 8601 with its zone). */
static void
stamp(time_t t, int iso, char *out, size_t n)
{
	struct tm	tm;

	gmtime_r(&t, &tm);
	if (iso)
		strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
	else
		strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm);
}

static FILE *
open_file(struct gen *gn, const char *name, char *path, size_t n,
    char *nameout, size_t nn)
{
	snprintf(path, n, "%s/%s", gn->dir, name);
	snprintf(nameout, nn, "%s", name);
	return fopen(path, "w");
}

static int
close_file(FILE *f)
{
	int	rc = ferror(f) ? -1 : 0;

	return fclose(f) == 0 ? rc : -1;
}

/* ---- Uber: payments, one row per transaction --------------------------- */

static void
uber_trip(struct gen *gn, FILE *f, const struct person *p, int k, int d,
    int bad)
{
	char	tx[40], trip[40], when[24], m[6][24];
	long	fare = between(&gn->g, 900, 4500), tip = 0, fee, earn, cash = 0;

	if (chance(&gn->g, 12))
		tip = between(&gn->g, 1, 5) * 100;
	fee = fare / 4;
	earn = fare - fee + tip;
	if (chance(&gn->g, 20))
		cash = fare;
	demo_uuid(&gn->g, tx, sizeof(tx));
	demo_uuid(&gn->g, trip, sizeof(trip));
	stamp(moment(gn, k, d), 0, when, sizeof(when));
	fprintf(f, "%s,%s,%s,%s,%s,trip completed order,%s,%s,%s,%s,%s,%s,%s\r\n",
	    tx, p->ref, p->first, p->last, trip, when,
	    bad ? "12.3.4" : money(m[0], sizeof(m[0]), earn - cash, '.'),
	    money(m[1], sizeof(m[1]), earn, '.'),
	    money(m[2], sizeof(m[2]), fare, '.'),
	    money(m[3], sizeof(m[3]), tip, '.'),
	    money(m[4], sizeof(m[4]), -fee, '.'),
	    money(m[5], sizeof(m[5]), -cash, '.'));
}

static int
write_uber(struct gen *gn, int week, char *path, size_t n, char *name,
    size_t nn)
{
	char	 fname[80];
	FILE	*f;
	int	 i, k, d, t, trips;

	(void)week;
	snprintf(fname, sizeof(fname), "uber_paiements_%s_%s.csv", gn->w[0].start,
	    gn->w[WEEKS - 1].end);
	if ((f = open_file(gn, fname, path, n, name, nn)) == NULL)
		return -1;
	fprintf(f, "Transaction UUID,Driver UUID,Driver first name,Driver surname,"
	    "Trip UUID,Description,Date/Time,Paid to you,"
	    "Paid to you : Your earnings,Paid to you:Your earnings:Fare,"
	    "Paid to you : Your earnings : Tip,"
	    "Paid to you:Your earnings:Service fee,"
	    "Paid to you : Trip balance : Payouts : Cash collected\r\n");
	for (i = 0; i <= gn->np; i++)
		for (k = 0; k < WEEKS; k++)
			for (d = 0; d < 7; d++) {
				if (!chance(&gn->g, i == gn->np ? 30 : 70))
					continue;
				trips = between(&gn->g, 3, 8);
				for (t = 0; t < trips; t++)
					uber_trip(gn, f, &gn->p[i], k, d, 0);
			}
	/* The line a real export sometimes has: an amount no one can read. */
	uber_trip(gn, f, &gn->p[0], WEEKS - 1, 3, 1);
	return close_file(f);
}

/* ---- Bolt: orders, and the weekly earnings they add up to -------------- */

static void
bolt_order(struct gen *gn, FILE *f, int i, int k, int d, int nth)
{
	struct bolt_week	*s = &gn->bw[i][k];
	const struct person	*p = &gn->p[i];
	char			 ref[40], t0[32], t1[32], t2[32], m[5][24];
	time_t			 at = moment(gn, k, d);
	long			 price = between(&gn->g, 800, 4000), tip = 0;
	long			 fee = price * 25 / 100;
	int			 cash = chance(&gn->g, 25);

	if (chance(&gn->g, 10))
		tip = between(&gn->g, 1, 4) * 100;
	snprintf(ref, sizeof(ref), "D%s-%d%d-%03d", p->ref, k, d, nth);
	stamp(at - 300, 1, t0, sizeof(t0));
	stamp(at, 1, t1, sizeof(t1));
	stamp(at + between(&gn->g, 600, 2700), 1, t2,
	    sizeof(t2));
	fprintf(f, "%s,%s,%s %s,%s,finished,%s,%s,%s,%d,%s,0.00,0.00,%s,%s,%s\r\n",
	    ref, p->ref, p->first, p->last, cash ? "cash" : "card", t0, t1, t2,
	    between(&gn->g, 2000, 25000), money(m[0], sizeof(m[0]), price, '.'),
	    money(m[1], sizeof(m[1]), tip, '.'),
	    money(m[2], sizeof(m[2]), -fee, '.'),
	    money(m[3], sizeof(m[3]), price - fee + tip, '.'));
	s->gross += price;
	s->card += cash ? 0 : price;
	s->cash += cash ? price : 0;
	s->tips += tip;
	s->fee += fee;
	s->net += price - fee + tip;
	s->rides++;
}

static int
write_bolt_orders(struct gen *gn, int week, char *path, size_t n, char *name,
    size_t nn)
{
	char	 fname[80];
	FILE	*f;
	int	 i, k, d, t, orders;

	(void)week;
	snprintf(fname, sizeof(fname), "bolt_courses_%s_%s.csv", gn->w[0].start,
	    gn->w[WEEKS - 1].end);
	if ((f = open_file(gn, fname, path, n, name, nn)) == NULL)
		return -1;
	fprintf(f, "order_reference,driver_uuid,driver_name,payment_method,"
	    "order_status,order_created_timestamp,order_pickup_timestamp,"
	    "order_finished_timestamp,ride_distance,ride_price,booking_fee,"
	    "toll_fee,tip,commission,net_earnings\r\n");
	memset(gn->bw, 0, sizeof(gn->bw));
	for (i = 0; i <= gn->np; i++)
		for (k = 0; k < WEEKS; k++)
			for (d = 0; d < 7; d++) {
				if (!chance(&gn->g, i == gn->np ? 30 : 60))
					continue;
				orders = between(&gn->g, 2, 6);
				for (t = 0; t < orders; t++)
					bolt_order(gn, f, i, k, d, t);
			}
	return close_file(f);
}

/* The week's file, its period in its name as the portal names it (the
 * export has no period column); after the orders, whose sums it shows. */
static int
write_bolt_week(struct gen *gn, int k, char *path, size_t n, char *name,
    size_t nn)
{
	const struct bolt_week	*s;
	char			 fname[80], m[7][24];
	FILE			*f;
	int			 i;

	snprintf(fname, sizeof(fname), "bolt_gains_%s_%s.csv", gn->w[k].start,
	    gn->w[k].end);
	if ((f = open_file(gn, fname, path, n, name, nn)) == NULL)
		return -1;
	fprintf(f, "Driver,Driver ID,Gross earnings (total)|€,"
	    "Gross earnings (app payment)|€,Gross earnings (cash)|€,"
	    "Collected cash|€,Rider tips|€,Bolt fee|€,Net earnings|€,"
	    "Finished rides\r\n");
	for (i = 0; i <= gn->np; i++) {
		if ((s = &gn->bw[i][k])->rides == 0)
			continue;
		fprintf(f, "%s %s,%s,%s,%s,%s,%s,%s,%s,%s,%d\r\n",
		    gn->p[i].first, gn->p[i].last, gn->p[i].ref,
		    money(m[0], sizeof(m[0]), s->gross, '.'),
		    money(m[1], sizeof(m[1]), s->card, '.'),
		    money(m[2], sizeof(m[2]), s->cash, '.'),
		    money(m[3], sizeof(m[3]), s->cash, '.'),
		    money(m[4], sizeof(m[4]), s->tips, '.'),
		    money(m[5], sizeof(m[5]), -s->fee, '.'),
		    money(m[6], sizeof(m[6]), s->net, '.'), s->rides);
	}
	return close_file(f);
}

/* ---- Heetch: earnings per driver and week, as the French portal ------- */

static void
french_date(const char *iso, char out[11])
{
	snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

static int
write_heetch(struct gen *gn, int week, char *path, size_t n, char *name,
    size_t nn)
{
	char	 fname[80], from[11], to[11], m[7][24];
	FILE	*f;
	int	 i, k, rides;
	long	 gross, cash, card_fee, cash_fee, bonus;

	(void)week;
	snprintf(fname, sizeof(fname), "heetch_revenus_%s_%s.csv", gn->w[0].start,
	    gn->w[WEEKS - 1].end);
	if ((f = open_file(gn, fname, path, n, name, nn)) == NULL)
		return -1;
	fprintf(f, "E-mail;Prénom;Nom;Début de période;Fin de période;"
	    "Revenus bruts;Revenus nets;Espèces encaissées;Revenus bruts carte;"
	    "Commissions espèces;Commissions carte;Bonus;Courses terminées\r\n");
	for (i = 0; i <= gn->np; i++)
		for (k = 0; k < WEEKS; k++) {
			if (!chance(&gn->g, 80))
				continue;
			rides = between(&gn->g, 8, 45);
			gross = rides * (long)between(&gn->g, 1400, 2600);
			cash = gross * between(&gn->g, 0, 30) / 100;
			cash_fee = cash / 5;
			card_fee = (gross - cash) / 5;
			bonus = chance(&gn->g, 20) ? 3000 : 0;
			french_date(gn->w[k].start, from);
			french_date(gn->w[k].end, to);
			fprintf(f, "%s;%s;%s;%s;%s;%s;%s;%s;%s;%s;%s;%s;%d\r\n",
			    gn->p[i].ref, gn->p[i].first, gn->p[i].last, from, to,
			    money(m[0], sizeof(m[0]), gross, ','),
			    money(m[1], sizeof(m[1]), gross - cash_fee - card_fee +
			    bonus, ','),
			    money(m[2], sizeof(m[2]), cash, ','),
			    money(m[3], sizeof(m[3]), gross - cash, ','),
			    money(m[4], sizeof(m[4]), cash_fee, ','),
			    money(m[5], sizeof(m[5]), card_fee, ','),
			    money(m[6], sizeof(m[6]), bonus, ','), rides);
		}
	return close_file(f);
}

/* The Bolt orders come before the weekly earnings that add them up. */
static const struct demo_source sources[] = {
	{ "Uber — paiements", "uber_csv", "uber_driver_uuid",
	    "f1ee7000-0000-4000-8000-00000000dead", 20, write_uber, 1 },
	{ "Bolt — courses", "bolt_orders_csv", "bolt_driver_uuid", "9999001",
	    14, write_bolt_orders, 1 },
	{ "Bolt — gains hebdomadaires", "bolt_csv", "bolt_driver_uuid",
	    "9999001", 14, write_bolt_week, WEEKS },
	{ "Heetch — revenus", "heetch_csv", "heetch_email",
	    "inconnu.heetch@exemple.test", 10, write_heetch, 1 },
};
#define NSOURCES	(sizeof(sources) / sizeof(sources[0]))

/* ---- Sources and their runs ------------------------------------------- */

static const char people_sql[] =
	"SELECT ref, first_name, last_name FROM (SELECT CASE $2"
	" WHEN 'uber_driver_uuid' THEN d.uber_driver_uuid"
	" WHEN 'bolt_driver_uuid' THEN d.bolt_driver_uuid"
	" ELSE d.heetch_email END AS ref, d.first_name, d.last_name, d.id"
	" FROM drivers d WHERE d.tenant_id = $1::uuid AND d.status = 'actif'"
	" AND d.archived_at IS NULL) x WHERE ref IS NOT NULL"
	" ORDER BY last_name, first_name, id LIMIT $3::int";

/* The demo drivers a platform knows, then the one the fleet does not. */
static int
load_people(struct gen *gn, const struct demo_source *src)
{
	char		 limit[12];
	const char	*v[3] = { gn->tenant, src->column, limit };
	PGresult	*res;
	int		 i;

	snprintf(limit, sizeof(limit), "%d", src->limit < MAXPEOPLE ?
	    src->limit : MAXPEOPLE);
	if ((res = run(gn->c, people_sql, 3, v)) == NULL)
		return -1;
	gn->np = PQntuples(res);
	for (i = 0; i < gn->np; i++) {
		snprintf(gn->p[i].ref, sizeof(gn->p[i].ref), "%s",
		    PQgetvalue(res, i, 0));
		snprintf(gn->p[i].first, sizeof(gn->p[i].first), "%s",
		    PQgetvalue(res, i, 1));
		snprintf(gn->p[i].last, sizeof(gn->p[i].last), "%s",
		    PQgetvalue(res, i, 2));
	}
	PQclear(res);
	snprintf(gn->p[i].ref, sizeof(gn->p[i].ref), "%s", src->unknown_ref);
	snprintf(gn->p[i].first, sizeof(gn->p[i].first), "Yacine");
	snprintf(gn->p[i].last, sizeof(gn->p[i].last), "Ferhat");
	return 0;
}

/* The source's id into id ("" when it does not exist yet), and whether it
 * already has a run that loaded rows: then the demo leaves it alone. */
static int
find_source(struct gen *gn, const struct demo_source *src, char id[40],
    int *done)
{
	const char	*v[2] = { gn->tenant, src->name };
	PGresult	*res;

	if ((res = run(gn->c, "SELECT s.id, EXISTS (SELECT 1 FROM sync_runs r"
	    " WHERE r.source_id = s.id AND r.status IN ('reussi', 'partiel'))"
	    " FROM sources s WHERE s.tenant_id = $1::uuid AND s.name = $2", 2,
	    v)) == NULL)
		return -1;
	id[0] = '\0';
	*done = 0;
	if (PQntuples(res) == 1) {
		snprintf(id, 40, "%s", PQgetvalue(res, 0, 0));
		*done = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	}
	PQclear(res);
	return 0;
}

static int
create_source(struct gen *gn, const struct demo_source *src, char id[40])
{
	const char	*v[4] = { gn->tenant, src->type, src->name, gn->owner };
	PGresult	*res;

	if ((res = run(gn->c, "INSERT INTO sources (tenant_id, type, name,"
	    " config, created_by) VALUES ($1::uuid, $2, $3, '{\"encoding\":"
	    " \"auto\", \"delimiter\": \"auto\", \"decimal\": \"auto\","
	    " \"currency\": \"EUR\"}', $4::uuid) RETURNING id", 4, v)) == NULL)
		return -1;
	snprintf(id, 40, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* Write the source's files (always, so that the generator draws the same
 * numbers whatever was loaded before) and import them unless it is done. */
static int
load_source(struct gen *gn, const struct demo_source *src, int *runs)
{
	char	 paths[WEEKS][128], names[WEEKS][80], id[40], runid[40];
	int	 k, done = 0, rc = 0;

	if (load_people(gn, src) == -1)
		return -1;
	for (k = 0; k < src->nfiles; k++)
		if (src->write(gn, k, paths[k], sizeof(paths[k]), names[k],
		    sizeof(names[k])) == -1) {
			fprintf(stderr, "fleetcore: demo imports: cannot write "
			    "%s\n", paths[k]);
			return -1;
		}
	if (find_source(gn, src, id, &done) == -1 ||
	    (!done && id[0] == '\0' && create_source(gn, src, id) == -1))
		rc = -1;
	for (k = 0; k < src->nfiles; k++) {
		if (rc == 0 && !done) {
			if (cli_source_run(gn->cfg, gn->tenant, id, paths[k],
			    names[k], runid) != 0) {
				fprintf(stderr, "fleetcore: demo imports: the run "
				    "of %s failed\n", names[k]);
				rc = -1;
			} else
				(*runs)++;
		}
		unlink(paths[k]);
	}
	return rc;
}

/* The demo tenant and its owner, or "" when there is no demo. */
static int
demo_owner(struct gen *gn)
{
	PGresult	*res;

	if ((res = run(gn->c, "SELECT t.id, u.id FROM tenants t JOIN"
	    " memberships m ON m.tenant_id = t.id JOIN users u ON u.id ="
	    " m.user_id WHERE t.slug = 'demo' AND u.email = 'admin@demo.test'",
	    0, NULL)) == NULL)
		return -1;
	gn->tenant[0] = '\0';
	if (PQntuples(res) == 1) {
		snprintf(gn->tenant, sizeof(gn->tenant), "%s", PQgetvalue(res, 0, 0));
		snprintf(gn->owner, sizeof(gn->owner), "%s", PQgetvalue(res, 0, 1));
	}
	PQclear(res);
	return 0;
}

int
demo_imports(PGconn *c, const struct config *cfg)
{
	struct gen	*gn;
	const char	*tmp = getenv("TMPDIR");
	size_t		 i;
	int		 runs = 0, rc = 0;

	if ((gn = calloc(1, sizeof(*gn))) == NULL)
		return 1;
	gn->c = c;
	gn->cfg = cfg;
	gn->g.s = SEED;
	make_weeks(gn);
	snprintf(gn->dir, sizeof(gn->dir), "%s/fleetcore-demo-XXXXXX",
	    tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	if (demo_owner(gn) == -1 || mkdtemp(gn->dir) == NULL) {
		free(gn);
		return 1;
	}
	for (i = 0; gn->tenant[0] != '\0' && rc == 0 && i < NSOURCES; i++)
		rc = load_source(gn, &sources[i], &runs);
	rmdir(gn->dir);
	free(gn);
	if (rc == 0 && runs > 0)
		fprintf(stderr, "demo: %d platform exports imported\n", runs);
	return rc == 0 ? 0 : 1;
}
