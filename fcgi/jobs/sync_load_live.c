#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync_load_live.h"

/* $1 platform, $2 key space (the rows' source), $3 source, $4 run.  Each
 * statement answers: inserted, updated, distinct keys of the batch. */

#define LAST_OF_BATCH \
	"WITH s AS (SELECT DISTINCT ON (source_key) * FROM sync_stage" \
	" ORDER BY source_key, line DESC), "

#define COUNTS \
	" SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT" \
	" inserted), (SELECT count(*) FROM s) FROM up"

static const char drivers_sql[] = LAST_OF_BATCH
	"up AS (INSERT INTO platform_drivers AS t (tenant_id, source, source_key,"
	" platform, source_id, run_id, driver_id, driver_ref, driver_name,"
	" driver_email, driver_phone, state, vehicle_plate)"
	" SELECT app_tenant(), $2, s.source_key, $1::text::trip_platform,"
	" $3::uuid, $4::uuid, d.driver_id, s.driver_ref, s.driver_name,"
	" s.driver_email, s.driver_phone, s.state, s.vehicle_plate FROM s"
	" LEFT JOIN sync_stage_drivers d ON d.driver_ref = s.driver_ref"
	" ON CONFLICT (tenant_id, source, source_key) DO UPDATE SET"
	" source_id = EXCLUDED.source_id, run_id = EXCLUDED.run_id,"
	" driver_id = coalesce(EXCLUDED.driver_id, t.driver_id),"
	" driver_ref = EXCLUDED.driver_ref, driver_name = EXCLUDED.driver_name,"
	" driver_email = EXCLUDED.driver_email,"
	" driver_phone = EXCLUDED.driver_phone, state = EXCLUDED.state,"
	" vehicle_plate = EXCLUDED.vehicle_plate, updated_at = now()"
	" WHERE (t.driver_id, t.driver_ref, t.driver_name, t.driver_email,"
	" t.driver_phone, t.state, t.vehicle_plate) IS DISTINCT FROM"
	" (coalesce(EXCLUDED.driver_id, t.driver_id), EXCLUDED.driver_ref,"
	" EXCLUDED.driver_name, EXCLUDED.driver_email, EXCLUDED.driver_phone,"
	" EXCLUDED.state, EXCLUDED.vehicle_plate)"
	" RETURNING (xmax = 0) AS inserted)" COUNTS;

/* Plates compared on their letters and digits: "AB-123-CD" is
 * "ab 123 cd". */
#define PLATE(x)	"upper(regexp_replace(" x ", '[^A-Za-z0-9]', '', 'g'))"

static const char vehicles_sql[] = LAST_OF_BATCH
	"up AS (INSERT INTO platform_vehicles AS t (tenant_id, source, source_key,"
	" platform, source_id, run_id, vehicle_id, plate, model, year, vin,"
	" state) SELECT app_tenant(), $2, s.source_key, $1::text::trip_platform,"
	" $3::uuid, $4::uuid, (SELECT v.id FROM vehicles v WHERE s.plate IS NOT"
	" NULL AND " PLATE("v.plate") " = " PLATE("s.plate")
	" ORDER BY v.archived_at NULLS FIRST LIMIT 1), s.plate, s.model,"
	" s.year::int, s.vin, s.state FROM s"
	" ON CONFLICT (tenant_id, source, source_key) DO UPDATE SET"
	" source_id = EXCLUDED.source_id, run_id = EXCLUDED.run_id,"
	" vehicle_id = EXCLUDED.vehicle_id, plate = EXCLUDED.plate,"
	" model = EXCLUDED.model, year = EXCLUDED.year, vin = EXCLUDED.vin,"
	" state = EXCLUDED.state, updated_at = now()"
	" WHERE (t.vehicle_id, t.plate, t.model, t.year, t.vin, t.state)"
	" IS DISTINCT FROM (EXCLUDED.vehicle_id, EXCLUDED.plate,"
	" EXCLUDED.model, EXCLUDED.year, EXCLUDED.vin, EXCLUDED.state)"
	" RETURNING (xmax = 0) AS inserted)" COUNTS;

static const char unknown_plates_sql[] =
	"SELECT coalesce(json_agg(plate ORDER BY plate), '[]')::text FROM"
	" (SELECT DISTINCT t.plate FROM platform_vehicles t JOIN sync_stage s"
	" ON s.source_key = t.source_key WHERE t.tenant_id = app_tenant()"
	" AND t.source = $1 AND t.vehicle_id IS NULL AND t.plate IS NOT NULL"
	" LIMIT 50) x";

/* A state's driver: the remembered choice, else the platform driver's. */
static const char states_sql[] = LAST_OF_BATCH
	"up AS (INSERT INTO driver_states AS t (tenant_id, source, source_key,"
	" platform, source_id, run_id, driver_id, driver_ref, vehicle_ref, state,"
	" at) SELECT app_tenant(), $2, s.source_key, $1::text::trip_platform,"
	" $3::uuid, $4::uuid, coalesce((SELECT m.driver_id FROM driver_matches m"
	" WHERE m.platform = $1::text::trip_platform AND m.driver_ref ="
	" s.driver_ref), (SELECT p.driver_id FROM platform_drivers p WHERE"
	" p.platform = $1::text::trip_platform AND p.driver_ref = s.driver_ref"
	" AND p.driver_id IS NOT NULL LIMIT 1)), s.driver_ref, s.vehicle_ref,"
	" s.state, s.at FROM s"
	" ON CONFLICT (tenant_id, source, source_key) DO UPDATE SET"
	" source_id = EXCLUDED.source_id, run_id = EXCLUDED.run_id,"
	" driver_id = coalesce(EXCLUDED.driver_id, t.driver_id),"
	" vehicle_ref = EXCLUDED.vehicle_ref, state = EXCLUDED.state,"
	" at = EXCLUDED.at, updated_at = now()"
	" WHERE (t.driver_id, t.vehicle_ref, t.state, t.at) IS DISTINCT FROM"
	" (coalesce(EXCLUDED.driver_id, t.driver_id), EXCLUDED.vehicle_ref,"
	" EXCLUDED.state, EXCLUDED.at)"
	" RETURNING (xmax = 0) AS inserted)" COUNTS;

/* The days the batch touched, from half a day before its first change
 * (a state that began the evening before lasts into them). */
static const char activity_sql[] =
	"SELECT driver_activity_rebuild($1::text::trip_platform,"
	" array_agg(DISTINCT driver_ref), ((min(at) - interval '12 hours')"
	" AT TIME ZONE 'Europe/Paris')::date, (max(at) AT TIME ZONE"
	" 'Europe/Paris')::date) FROM sync_stage HAVING count(*) > 0";

static int
counts(PGresult *res, struct sync_counts *n)
{
	n->inserted = atoll(db_value(res, 0, 0));
	n->updated = atoll(db_value(res, 0, 1));
	n->accepted = atoll(db_value(res, 0, 2));
	n->unchanged = n->accepted - n->inserted - n->updated;
	PQclear(res);
	return 0;
}

static int
unknown_plates(struct sync_load *l, const char *key_space, json_t *notes,
    sync_wait_fn wait, void *ctx, struct db_error *err)
{
	const char	*v[1] = { key_space };
	json_error_t	 jerr;
	PGresult	*res;
	json_t		*plates, *have;

	if ((res = sync_load_exec(l->db, unknown_plates_sql, 1, v, wait, ctx,
	    err)) == NULL)
		return -1;
	plates = json_loads(db_value(res, 0, 0), 0, &jerr);
	PQclear(res);
	if (json_array_size(plates) > 0) {
		if ((have = json_object_get(notes, "unknown_plates")) == NULL)
			json_object_set(notes, "unknown_plates", plates);
		else
			json_array_extend(have, plates);
	}
	json_decref(plates);
	return 0;
}

int
sync_load_merge_live(struct sync_load *l, const char *platform,
    const char *key_space, const char *source_id, const char *run_id,
    struct sync_counts *n, json_t *notes, sync_wait_fn wait, void *ctx,
    struct db_error *err)
{
	const char	*v[4] = { platform, key_space, source_id, run_id };
	const char	*sql;
	PGresult	*res;

	memset(n, 0, sizeof(*n));
	switch (l->which) {
	case CANON_PLATFORM_DRIVERS:
		if (sync_load_match_drivers(l, platform, wait, ctx, err) == -1)
			return -1;
		sql = drivers_sql;
		break;
	case CANON_PLATFORM_VEHICLES:
		sql = vehicles_sql;
		break;
	case CANON_DRIVER_STATES:
		sql = states_sql;
		break;
	default:
		memset(err, 0, sizeof(*err));
		err->status = 500;
		snprintf(err->message, sizeof(err->message), "not a live table");
		return -1;
	}
	if ((res = sync_load_exec(l->db, sql, 4, v, wait, ctx, err)) == NULL)
		return -1;
	counts(res, n);
	n->duplicates = l->records - n->accepted;
	if (l->which == CANON_PLATFORM_VEHICLES)
		return unknown_plates(l, key_space, notes, wait, ctx, err);
	if (l->which == CANON_DRIVER_STATES) {
		if ((res = sync_load_exec(l->db, activity_sql, 1, v, wait, ctx,
		    err)) == NULL)
			return -1;
		PQclear(res);
	}
	return 0;
}
