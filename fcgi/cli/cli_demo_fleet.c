/* The demo fleet of tenant "demo": about 120 drivers and 60 vehicles with
 * their events and assignments, past and present.  Seeded, so every load
 * makes the same fleet (dates are offsets from the day of loading, so the
 * demo never looks stale); loaded once: a tenant that has vehicles is left
 * as it is.  Runs as the owner role, in one transaction. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>

#include "fleet/driver_rules.h"
#include "cli.h"
#include "demo_rng.h"

#define NDRIVERS	120
#define NVEHICLES	60
#define SEED		20261123u
/* Past assignments happen in periods of this many days before the
 * current one, so that neither a vehicle nor a driver is in two places
 * at once (the exclusion constraint checks the vehicles). */
#define EPOCH_DAYS	125
#define NEPOCHS		4	/* the current one and three before */

static const char *const first_names[] = {
	"Mohamed", "Karim", "Yassine", "Mehdi", "Sofiane", "Amine", "Bilal",
	"Samir", "Nabil", "Rachid", "Mamadou", "Ibrahima", "Abdoulaye",
	"Ousmane", "Thomas", "Nicolas", "Julien", "Alexandre", "Kévin",
	"David", "Jean-Baptiste", "Sébastien", "Christophe", "Stéphane",
	"Olivier", "Laurent", "Adama", "Cheikh", "Hamza", "Ilyès", "Walid",
	"Farid", "Lucas", "Hugo", "Antoine", "Maxime", "Romain", "Yanis",
	"Rayan", "Sarah", "Nadia", "Fatou", "Aïcha", "Leïla", "Sonia",
	"Camille", "Julie", "Inès", "Amina", "Jérôme",
};

static const char *const last_names[] = {
	"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit",
	"Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel",
	"Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel",
	"Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert",
	"Bonnet", "François", "Martinez", "Benali", "Haddad", "Bensaïd",
	"Mansouri", "Cherif", "Traoré", "Koné", "Camara", "Touré", "Diop",
	"Ndiaye", "Sow", "Cissé", "Keïta", "Nguyen", "Tran", "Da Silva",
	"Ferreira", "Pereira", "Rodrigues", "Lopes", "Benkirane", "Amrani",
	"Zerrouki", "Belkacem", "Hamidi", "Saïdi", "Khelifi", "Bouzid",
	"Gomes",
};
#define NFIRST	(sizeof(first_names) / sizeof(first_names[0]))
#define NLAST	(sizeof(last_names) / sizeof(last_names[0]))

static const char *const streets[] = {
	"rue de la Roquette", "boulevard de Belleville", "avenue Jean-Jaurès",
	"rue du Faubourg-Saint-Denis", "rue de Charonne", "avenue de Flandre",
	"rue des Pyrénées", "boulevard Voltaire", "rue de Crimée",
	"avenue du Général-Leclerc", "rue de la République", "rue Gabriel-Péri",
	"avenue Paul-Vaillant-Couturier", "rue Victor-Hugo", "allée des Tilleuls",
};

static const char *const towns[] = {
	"75011 Paris", "75019 Paris", "75020 Paris", "75018 Paris",
	"75013 Paris", "93200 Saint-Denis", "93100 Montreuil",
	"94200 Ivry-sur-Seine", "92230 Gennevilliers", "93300 Aubervilliers",
	"95100 Argenteuil", "94000 Créteil", "93140 Bondy", "92000 Nanterre",
	"77420 Champs-sur-Marne",
};

/* French banks: code, BIC. */
static const struct {
	const char	*code, *bic;
} banks[] = {
	{ "30004", "BNPAFRPP" }, { "30003", "SOGEFRPP" }, { "30002", "CRLYFRPP" },
	{ "20041", "PSSTFRPPPAR" }, { "30066", "CMCIFRPP" },
	{ "10278", "CMCIFR2A" }, { "17515", "CEPAFRPP751" },
	{ "18206", "AGRIFRPP882" }, { "16958", "QNTOFRP1" },
};

static const struct {
	const char	*make, *model, *energy, *category, *wmi;
	int		 seats, year_min;
} models[] = {
	{ "Toyota", "Corolla", "hybride", "berline", "SB1", 5, 2019 },
	{ "Toyota", "C-HR", "hybride", "green", "NMT", 5, 2019 },
	{ "Toyota", "Prius+", "hybride", "van", "JTD", 7, 2018 },
	{ "Toyota", "Camry", "hybride", "berline", "JTN", 5, 2020 },
	{ "Tesla", "Model 3", "electrique", "green", "LRW", 5, 2020 },
	{ "Tesla", "Model Y", "electrique", "green", "XP7", 5, 2022 },
	{ "Skoda", "Octavia", "hybride_rechargeable", "berline", "TMB", 5, 2020 },
	{ "Skoda", "Superb", "hybride_rechargeable", "berline", "TMB", 5, 2019 },
	{ "Mercedes-Benz", "Classe E", "hybride_rechargeable", "luxe", "W1K",
	    5, 2019 },
	{ "Mercedes-Benz", "Classe V", "diesel", "van", "W1V", 7, 2018 },
	{ "Peugeot", "508", "hybride_rechargeable", "berline", "VR3", 5, 2020 },
	{ "Kia", "Niro", "hybride", "green", "KNA", 5, 2019 },
	{ "Kia", "e-Niro", "electrique", "green", "KNA", 5, 2020 },
	{ "Hyundai", "Ioniq", "hybride", "green", "KMH", 5, 2019 },
	{ "Renault", "Zoe", "electrique", "green", "VF1", 5, 2019 },
	{ "Volkswagen", "Passat", "hybride_rechargeable", "berline", "WVW", 5,
	    2019 },
	{ "BMW", "Série 5", "hybride_rechargeable", "luxe", "WBA", 5, 2020 },
};
#define NMODELS	(sizeof(models) / sizeof(models[0]))

static const char *const colors[] = { "Noir", "Noir", "Gris anthracite",
	"Gris", "Blanc", "Bleu nuit", "Noir" };
static const char *const insurers[] = { "Hiscox", "AXA", "Allianz", "MMA",
	"Groupama", "April" };

/* The driver and vehicle each row became, for the assignments. */
struct demo_driver {
	char	 id[40];
	char	 status[12];
	int	 start_ago;	/* days before today; -1: not started */
	int	 end_ago;	/* -1: still working */
	int	 busy[NEPOCHS];
};

struct demo_vehicle {
	char	 id[40];
	int	 active, electric;
	int	 odometer, daily_km, age_days;
	int	 current_driver;	/* index, or -1 */
	int	 current_from;		/* days ago */
};

struct demo {
	PGconn			*c;
	const char		*tenant;
	struct rng		 g;
	struct demo_driver	 d[NDRIVERS];
	struct demo_vehicle	 v[NVEHICLES];
};

static PGresult *
run(PGconn *c, const char *sql, int n, const char *const *v)
{
	return cli_exec(c, "demo fleet", sql, n, v);
}

/* Run an INSERT … RETURNING id and keep the id. */
static int
insert_id(PGconn *c, const char *sql, int n, const char *const *v,
    char id[40])
{
	PGresult	*res;

	if ((res = run(c, sql, n, v)) == NULL)
		return -1;
	snprintf(id, 40, "%s", PQntuples(res) ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	return 0;
}

static int
command(PGconn *c, const char *sql, int n, const char *const *v)
{
	PGresult	*res;

	if ((res = run(c, sql, n, v)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* "Jean-Baptiste" → "jean-baptiste", "Keïta" → "keita", "Da Silva" →
 * "dasilva": the local part of an e-mail address. */
static void
ascii_lower(const char *in, char *out, size_t n)
{
	static const struct {
		const char	*utf8;
		char		 ascii;
	} map[] = {
		{ "é", 'e' }, { "è", 'e' }, { "ê", 'e' }, { "ë", 'e' },
		{ "É", 'e' }, { "à", 'a' }, { "â", 'a' }, { "î", 'i' },
		{ "ï", 'i' }, { "ô", 'o' }, { "ö", 'o' }, { "ù", 'u' },
		{ "û", 'u' }, { "ü", 'u' }, { "ç", 'c' },
	};
	size_t	o = 0, k, len;

	while (*in != '\0' && o + 1 < n) {
		for (k = 0; k < sizeof(map) / sizeof(map[0]); k++) {
			len = strlen(map[k].utf8);
			if (strncmp(in, map[k].utf8, len) == 0)
				break;
		}
		if (k < sizeof(map) / sizeof(map[0])) {
			out[o++] = map[k].ascii;
			in += len;
			continue;
		}
		if ((*in >= 'a' && *in <= 'z') || *in == '-')
			out[o++] = *in;
		else if (*in >= 'A' && *in <= 'Z')
			out[o++] = (char)(*in - 'A' + 'a');
		in++;
	}
	out[o] = '\0';
}

/* A French RIB key: 97 - (89 bank + 15 branch + 3 account) mod 97. */
static int
rib_key(long long bank, long long branch, long long account)
{
	return (int)(97 - (89 * bank + 15 * branch + 3 * account) % 97);
}

static void
demo_iban(struct rng *g, const char *bank, char *out, size_t n)
{
	char		bban[32];
	long long	branch = between(g, 100, 9999);
	long long	account = (long long)between(g, 10000, 99999) * 1000000LL +
			    between(g, 0, 999999);

	snprintf(bban, sizeof(bban), "%s%05lld%011lld%02d", bank, branch,
	    account, rib_key(strtoll(bank, NULL, 10), branch, account));
	if (driver_iban_build("FR", bban, out, n) == -1)
		out[0] = '\0';
}

static void
demo_uuid(struct rng *g, char out[40])
{
	snprintf(out, 40, "%08x-%04x-4%03x-%04x-%04x%08x", rnd(g),
	    rnd(g) & 0xffff, rnd(g) & 0xfff, (rnd(g) & 0x3fff) | 0x8000,
	    rnd(g) & 0xffff, rnd(g));
}

static const char *
num(char *buf, size_t n, long long v)
{
	snprintf(buf, n, "%lld", v);
	return buf;
}

/* ---- Drivers -------------------------------------------------------- */

static const char driver_sql[] =
	"INSERT INTO drivers (tenant_id, first_name, last_name, email, phone,"
	" birth_date, address, status, vtc_card_number, vtc_card_expiry,"
	" licence_number, licence_expiry, bolt_driver_uuid, uber_driver_uuid,"
	" heetch_email, iban, bic, collaboration, weekly_rent_cents,"
	" commission_rate_bp, start_date, end_date, onboarding_step, user_id,"
	" notes, archived_at, created_at) VALUES ($1, $2, $3, $4, $5, $6::date,"
	" coalesce($7, ''), $8::driver_status, $9, current_date + $10::int, $11,"
	" current_date + $12::int, $13, $14, $15, $16, $17,"
	" $18::collaboration_kind, $19::bigint, $20::int,"
	" current_date - $21::int, current_date - $22::int, $23::int,"
	" (SELECT id FROM users WHERE email = $24), coalesce($25, ''),"
	" CASE WHEN $8::driver_status = 'parti' THEN now() - make_interval("
	" days => $22::int) END, now() - make_interval(days => $26::int))"
	" RETURNING id";

static const char *const driver_notes[] = {
	"Disponible le week-end et la nuit.",
	"Parle anglais et arabe : courses aéroport.",
	"Préfère les véhicules hybrides.",
	"Ancien taxi parisien, connaît bien Orly et Roissy.",
	"Souhaite passer en location l'an prochain.",
};

/* The status and dates of driver i; driver 0 is the demo's chauffeur. */
static void
driver_life(struct demo *dm, int i, struct demo_driver *d)
{
	int	roll = i == 0 ? 1 : between(&dm->g, 1, 100);

	snprintf(d->status, sizeof(d->status), "%s", roll <= 70 ? "actif" :
	    roll <= 82 ? "candidat" : roll <= 90 ? "suspendu" : "parti");
	d->start_ago = d->end_ago = -1;
	if (strcmp(d->status, "parti") == 0) {
		d->end_ago = between(&dm->g, 130, 500);
		d->start_ago = d->end_ago + between(&dm->g, 60, 700);
	} else if (strcmp(d->status, "candidat") != 0)
		d->start_ago = between(&dm->g, 20, 1400);
	if (i == 0)
		d->start_ago = 900;
}

static int
make_driver(struct demo *dm, int i)
{
	struct rng		*g = &dm->g;
	struct demo_driver	*d = &dm->d[i];
	const char		*first = i == 0 ? "Moussa" : first_names[i % NFIRST];
	const char		*last = i == 0 ? "Diallo" :
				    last_names[(7 * i + i / (int)NFIRST) % NLAST];
	char			 email[160], phone[20], birth[16], address[160];
	char			 vtc[24], lic[24], iban[40], uber[40], bolt[16];
	char			 lf[60], ll[60], n[12][24];
	const char		*v[26];
	int			 candidate, step = 4, roll, bank;

	driver_life(dm, i, d);
	candidate = strcmp(d->status, "candidat") == 0;
	if (candidate)
		step = between(g, 2, 3);
	memset(v, 0, sizeof(v));
	ascii_lower(first, lf, sizeof(lf));
	ascii_lower(last, ll, sizeof(ll));
	snprintf(email, sizeof(email), "%s.%s@demo-vtc.test", lf, ll);
	/* +336 1x…8x and +337 5x…8x; i keeps every number distinct. */
	if (chance(g, 75))
		snprintf(phone, sizeof(phone), "+336%d%03d%04d",
		    between(g, 1, 8), i, between(g, 0, 9999));
	else
		snprintf(phone, sizeof(phone), "+337%d%03d%04d",
		    between(g, 5, 8), i, between(g, 0, 9999));
	snprintf(birth, sizeof(birth), "%04d-%02d-%02d", between(g, 1966, 2002),
	    between(g, 1, 12), between(g, 1, 28));
	snprintf(address, sizeof(address), "%d %s, %s", between(g, 1, 180),
	    PICK(g, streets), PICK(g, towns));
	v[0] = dm->tenant;
	v[1] = first;
	v[2] = last;
	v[3] = i == 0 ? "chauffeur@demo.test" : chance(g, 88) ? email : NULL;
	v[4] = phone;
	v[5] = birth;
	v[6] = chance(g, 90) ? address : NULL;
	v[7] = d->status;
	if (!candidate || step == 3) {
		snprintf(vtc, sizeof(vtc), "0%d%02d%05d", PICK(g,
		    ((const int[]){ 75, 92, 93, 94, 95, 77 })), between(g, 17, 25),
		    between(g, 1, 99999));
		snprintf(lic, sizeof(lic), "%02d%02d%02d%06d", between(g, 5, 22),
		    between(g, 1, 12), PICK(g, ((const int[]){ 75, 92, 93, 94,
		    95, 77, 13, 69 })), between(g, 1, 999999));
		v[8] = vtc;
		/* Suspended drivers are often waiting for a renewed card. */
		v[9] = num(n[0], sizeof(n[0]), strcmp(d->status, "suspendu") == 0 &&
		    chance(g, 60) ? -between(g, 1, 60) : between(g, 10, 1700));
		v[10] = lic;
		v[11] = num(n[1], sizeof(n[1]), between(g, 300, 5000));
	}
	if (!candidate) {
		if (chance(g, 60))
			v[12] = num(bolt, sizeof(bolt), between(g, 1000000, 9999999));
		if (chance(g, 70)) {
			demo_uuid(g, uber);
			v[13] = uber;
		}
		if (v[3] != NULL && chance(g, 35))
			v[14] = v[3];
		if (chance(g, 85)) {
			bank = (int)(rnd(g) % (sizeof(banks) / sizeof(banks[0])));
			demo_iban(g, banks[bank].code, iban, sizeof(iban));
			v[15] = iban;
			v[16] = banks[bank].bic;
		}
		roll = between(g, 1, 100);
		v[17] = roll <= 50 ? "location_auto_entrepreneur" : roll <= 80 ?
		    "commission" : "salarie";
		if (roll <= 50)
			v[18] = num(n[2], sizeof(n[2]), between(g, 25, 42) * 1000);
		else if (roll <= 80)
			v[19] = PICK(g, ((const char *const[]){ "1000", "1250",
			    "1500", "2000", "2500" }));
		v[20] = num(n[3], sizeof(n[3]), d->start_ago);
		if (d->end_ago >= 0)
			v[21] = num(n[4], sizeof(n[4]), d->end_ago);
	}
	v[22] = num(n[5], sizeof(n[5]), step);
	v[23] = i == 0 ? "chauffeur@demo.test" : NULL;
	v[24] = chance(g, 15) ? PICK(g, driver_notes) : NULL;
	v[25] = num(n[6], sizeof(n[6]), d->start_ago >= 0 ?
	    d->start_ago + between(g, 3, 20) : between(g, 1, 40));
	return insert_id(dm->c, driver_sql, 26, v, d->id);
}

/* ---- Vehicles ------------------------------------------------------- */

static const char vehicle_sql[] =
	"INSERT INTO vehicles (tenant_id, plate, vin, make, model, year, color,"
	" seats, energy, category, status, odometer_km, acquisition,"
	" lease_end_date, monthly_cost_cents, insurer, policy_number,"
	" insurance_expiry, technical_inspection_due, vtc_registration_number,"
	" vtc_registration_expiry, notes, created_at) VALUES ($1, $2, $3, $4,"
	" $5, $6::int, $7, $8::int, $9::vehicle_energy, $10::vehicle_category,"
	" $11::vehicle_status, $12::int, $13::vehicle_acquisition,"
	" current_date + $14::int, $15::bigint, $16, $17,"
	" current_date + $18::int, current_date + $19::int, $20,"
	" current_date + $21::int, coalesce($22, ''),"
	" now() - make_interval(days => $23::int)) RETURNING id";

#define SIV_LETTERS	"ABCDEFGHJKLMNPQRSTVXYZ"
#define VIN_CHARS	"ABCDEFGHJKLMNPRSTUVWXYZ0123456789"

/* A SIV plate whose first letter follows the year of registration (the
 * series are issued in order: E… in 2018, H… in 2025); 101 + 13 j keeps
 * every plate distinct. */
static void
demo_plate(struct rng *g, int j, int year, char out[16])
{
	const char	*first = "EFFFGGGH";
	char		 a, b;

	do {
		a = SIV_LETTERS[rnd(g) % 22];
		b = SIV_LETTERS[rnd(g) % 22];
	} while (a == 'S' && b == 'S');
	snprintf(out, 16, "%c%c-%03d-%c%c", first[(year - 2018) & 7],
	    SIV_LETTERS[rnd(g) % 22], 101 + 13 * j, a, b);
}

/* A European VIN (no check digit, which only North America uses). */
static void
demo_vin(struct rng *g, const char *wmi, int j, int year, char out[24])
{
	const char	*years = "JKLMNPRS";	/* 2018 … 2025 */
	char		 vds[7];
	int		 k;

	for (k = 0; k < 6; k++)
		vds[k] = VIN_CHARS[rnd(g) % (sizeof(VIN_CHARS) - 1)];
	vds[6] = '\0';
	snprintf(out, 24, "%s%s%c%07d", wmi, vds, years[(year - 2018) & 7],
	    100000 + 977 * j + between(g, 0, 500));
}

static const char *const vehicle_notes[] = {
	"Pneus hiver montés en novembre.",
	"Siège bébé disponible dans le coffre.",
	"Carte carburant n° 4 associée.",
	"Rayure légère porte arrière droite (déclarée).",
};

static int
make_vehicle(struct demo *dm, int j)
{
	struct rng		*g = &dm->g;
	struct demo_vehicle	*veh = &dm->v[j];
	int			 m = j < (int)NMODELS ? j : (int)(rnd(g) % NMODELS);
	int			 year, roll, min;
	char			 plate[16], vin[24], policy[16], reg[20], n[10][24];
	const char		*v[23], *status;

	memset(v, 0, sizeof(v));
	/* Ride-hailing wants recent vehicles (the later of two draws); they
	 * run 30 000 to 60 000 km a year. */
	min = models[m].year_min < 2020 ? 2020 : models[m].year_min;
	year = between(g, min, 2025);
	if ((roll = between(g, min, 2025)) > year)
		year = roll;
	veh->age_days = (2025 - year) * 365 + between(g, 120, 330);
	veh->daily_km = between(g, 30000, 60000) / 365;
	veh->odometer = veh->age_days * veh->daily_km + between(g, 0, 999);
	status = j >= 54 && j <= 57 ? "maintenance" : j == 58 ? "hors_service" :
	    "actif";
	veh->active = strcmp(status, "actif") == 0;
	veh->electric = strcmp(models[m].energy, "electrique") == 0;
	demo_plate(g, j, year, plate);
	demo_vin(g, models[m].wmi, j, year, vin);
	snprintf(policy, sizeof(policy), "VTC-%06d", between(g, 1, 999999));
	snprintf(reg, sizeof(reg), "EVTC0%d%02d%04d", PICK(g, ((const int[]){
	    75, 92, 93, 94 })), year % 100, between(g, 1, 9999));
	v[0] = dm->tenant;
	v[1] = plate;
	v[2] = chance(g, 85) ? vin : NULL;
	v[3] = models[m].make;
	v[4] = models[m].model;
	v[5] = num(n[0], sizeof(n[0]), year);
	v[6] = PICK(g, colors);
	v[7] = num(n[1], sizeof(n[1]), models[m].seats);
	v[8] = models[m].energy;
	v[9] = models[m].category;
	v[10] = status;
	v[11] = num(n[2], sizeof(n[2]), veh->odometer);
	roll = between(g, 1, 100);
	v[12] = roll <= 45 ? "leasing" : roll <= 65 ? "location" : "propriete";
	if (roll <= 65) {
		v[13] = num(n[3], sizeof(n[3]), roll <= 45 ?
		    between(g, 60, 1100) : between(g, 30, 400));
		v[14] = num(n[4], sizeof(n[4]), roll <= 45 ?
		    between(g, 450, 850) * 100 : between(g, 800, 1100) * 100);
	}
	v[15] = PICK(g, insurers);
	v[16] = policy;
	v[17] = num(n[5], sizeof(n[5]), between(g, -10, 360));
	v[18] = num(n[6], sizeof(n[6]), between(g, -5, 365));
	v[19] = reg;
	v[20] = num(n[7], sizeof(n[7]), between(g, 10, 1000));
	v[21] = chance(g, 15) ? PICK(g, vehicle_notes) : NULL;
	v[22] = num(n[8], sizeof(n[8]), between(g, 60, veh->age_days));
	veh->current_driver = -1;
	return insert_id(dm->c, vehicle_sql, 23, v, veh->id);
}

/* ---- Assignments ------------------------------------------------------ */

static const char assignment_sql[] =
	"INSERT INTO assignments (tenant_id, vehicle_id, driver_id, starts_at,"
	" ends_at) VALUES ($1, $2::uuid, $3::uuid, ((current_date - $4::int)"
	" + time '07:30') AT TIME ZONE 'Europe/Paris', CASE WHEN $5::int IS NULL"
	" THEN NULL ELSE ((current_date - $5::int) + time '19:00') AT TIME ZONE"
	" 'Europe/Paris' END)";

/* May driver d drive from `from` to `to` days ago (to -1: still)? */
static int
available(const struct demo_driver *d, int epoch, int from, int to)
{
	if (d->busy[epoch] || strcmp(d->status, "candidat") == 0 ||
	    d->start_ago < from)
		return 0;
	if (epoch == 0)
		return strcmp(d->status, "actif") == 0;
	return d->end_ago < 0 || d->end_ago <= to;
}

static int
assign(struct demo *dm, int j, int epoch)
{
	struct demo_vehicle	*veh = &dm->v[j];
	int			 from, to, k, i, start;
	char			 f[16], t[16];
	const char		*v[5];

	if (epoch == 0) {
		from = between(&dm->g, 2, EPOCH_DAYS - 16);
		to = -1;
	} else {
		from = epoch * EPOCH_DAYS + EPOCH_DAYS - between(&dm->g, 1, 15);
		to = epoch * EPOCH_DAYS + between(&dm->g, 2, 15);
	}
	if (veh->age_days < from)
		return 0;
	/* The demo's chauffeur drives the first vehicle now. */
	start = j == 0 && epoch == 0 ? 0 : (int)(rnd(&dm->g) % NDRIVERS);
	for (k = 0; k < NDRIVERS; k++) {
		i = (start + k) % NDRIVERS;
		if (available(&dm->d[i], epoch, from, to))
			break;
	}
	if (k == NDRIVERS)
		return 0;
	dm->d[i].busy[epoch] = 1;
	if (epoch == 0) {
		veh->current_driver = i;
		veh->current_from = from;
	}
	v[0] = dm->tenant;
	v[1] = veh->id;
	v[2] = dm->d[i].id;
	v[3] = num(f, sizeof(f), from);
	v[4] = to < 0 ? NULL : num(t, sizeof(t), to);
	return command(dm->c, assignment_sql, 5, v);
}

static int
make_assignments(struct demo *dm)
{
	int	j, epoch;

	for (epoch = 0; epoch < NEPOCHS; epoch++)
		for (j = 0; j < NVEHICLES; j++) {
			if (epoch == 0 ? !dm->v[j].active || (j > 0 &&
			    !chance(&dm->g, 88)) : !chance(&dm->g, 75))
				continue;
			if (assign(dm, j, epoch) == -1)
				return -1;
		}
	return 0;
}

/* ---- Vehicle events --------------------------------------------------- */

static const char event_sql[] =
	"INSERT INTO vehicle_events (tenant_id, vehicle_id, kind, occurred_at,"
	" odometer_km, cost_cents, severity, driver_id, notes) VALUES ($1,"
	" $2::uuid, $3::vehicle_event_kind, ((current_date - $4::int) +"
	" time '10:30') AT TIME ZONE 'Europe/Paris', $5::int, $6::bigint,"
	" $7::event_severity, $8::uuid, coalesce($9, ''))";

static const char *const service_notes[] = { "Vidange et filtres",
	"Révision constructeur", "Plaquettes de frein avant",
	"Pneus avant remplacés", "Batterie 12 V remplacée" };
static const char *const claim_notes[] = { "Accrochage en stationnement",
	"Rétroviseur cassé", "Choc arrière à un feu rouge",
	"Pare-brise fissuré (gravillon)" };
static const char *const fine_notes[] = { "Excès de vitesse (radar)",
	"Stationnement gênant", "Voie de bus empruntée" };
static const char *const other_notes[] = { "Lavage intérieur complet",
	"Remplacement d'un pneu crevé", "Nettoyage des sièges" };

/* One event `ago` days back; fines name the driver of the moment. */
static int
make_event(struct demo *dm, int j, int ago, int last)
{
	struct rng		*g = &dm->g;
	struct demo_vehicle	*veh = &dm->v[j];
	const char		*v[9], *kind;
	char			 a[16], o[16], c[16];
	int			 roll = between(g, 1, 100), odo;

	memset(v, 0, sizeof(v));
	if (last && !veh->active && j == 58) {
		kind = "sinistre";
		v[6] = "elevee";
		v[8] = "Choc avant important : véhicule immobilisé, expertise en cours.";
		v[5] = num(c, sizeof(c), between(g, 350000, 900000));
	} else if (roll <= 40) {
		kind = "entretien";
		v[5] = num(c, sizeof(c), between(g, 150, 650) * 100);
		v[8] = PICK(g, service_notes);
	} else if (roll <= 55) {
		kind = "controle_technique";
		v[5] = num(c, sizeof(c), between(g, 79, 89) * 100);
	} else if (roll <= 67) {
		kind = "sinistre";
		v[6] = PICK(g, ((const char *const[]){ "faible", "faible",
		    "moyenne", "elevee" }));
		v[5] = num(c, sizeof(c), between(g, 400, 3500) * 100);
		v[8] = PICK(g, claim_notes);
	} else if (roll <= 85) {
		kind = "amende";
		v[5] = chance(g, 70) ? "13500" : "3500";
		v[8] = PICK(g, fine_notes);
		if (veh->current_driver >= 0 && ago < veh->current_from)
			v[7] = dm->d[veh->current_driver].id;
	} else if (roll <= 93 && !veh->electric) {
		kind = "carburant";
		v[5] = num(c, sizeof(c), between(g, 55, 95) * 100);
	} else {
		kind = "autre";
		v[5] = num(c, sizeof(c), between(g, 20, 120) * 100);
		v[8] = PICK(g, other_notes);
	}
	odo = veh->odometer - ago * veh->daily_km;
	v[0] = dm->tenant;
	v[1] = veh->id;
	v[2] = kind;
	v[3] = num(a, sizeof(a), ago);
	v[4] = num(o, sizeof(o), odo < 500 ? 500 : odo);
	return command(dm->c, event_sql, 9, v);
}

static int
make_events(struct demo *dm, int j)
{
	int	n = between(&dm->g, 2, 6), k, ago, span;

	span = dm->v[j].age_days < 480 ? dm->v[j].age_days : 480;
	/* Oldest first, so the odometer readings rise with time. */
	for (k = 0; k < n; k++) {
		ago = span - (span - 3) * (k + 1) / (n + 1) -
		    between(&dm->g, 0, span / (n + 2));
		if (ago < 1)
			ago = 1;
		if (make_event(dm, j, ago, k == n - 1) == -1)
			return -1;
	}
	return 0;
}

/* ---- Entry point ------------------------------------------------------ */

static int
build(struct demo *dm)
{
	int	i;

	for (i = 0; i < NDRIVERS; i++)
		if (make_driver(dm, i) == -1)
			return -1;
	for (i = 0; i < NVEHICLES; i++)
		if (make_vehicle(dm, i) == -1)
			return -1;
	if (make_assignments(dm) == -1)
		return -1;
	for (i = 0; i < NVEHICLES; i++)
		if (make_events(dm, i) == -1)
			return -1;
	return 0;
}

/* The id of tenant demo when it has no vehicle yet, "" otherwise. */
static int
demo_tenant(PGconn *c, char id[40])
{
	PGresult	*res;

	id[0] = '\0';
	if ((res = run(c, "SELECT t.id FROM tenants t WHERE t.slug = 'demo'"
	    " AND NOT EXISTS (SELECT 1 FROM vehicles v WHERE v.tenant_id = t.id)",
	    0, NULL)) == NULL)
		return -1;
	if (PQntuples(res) == 1)
		snprintf(id, 40, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

int
cli_demo_fleet(PGconn *c)
{
	struct demo		 dm;
	char			 tenant[40];

	if (demo_tenant(c, tenant) == -1)
		return 1;
	if (tenant[0] == '\0')
		return 0;
	memset(&dm, 0, sizeof(dm));
	dm.c = c;
	dm.tenant = tenant;
	dm.g.s = SEED;
	if (command(c, "BEGIN", 0, NULL) == -1)
		return 1;
	if (build(&dm) == -1) {
		PQclear(run(c, "ROLLBACK", 0, NULL));
		return 1;
	}
	if (command(c, "COMMIT", 0, NULL) == -1)
		return 1;
	fprintf(stderr, "demo: %d drivers and %d vehicles in \"demo\"\n",
	    NDRIVERS, NVEHICLES);
	return 0;
}
