#include <stdlib.h>
#include <string.h>

#include "identity/activity.h"
#include "i18n.h"
#include "page.h"
#include "sources_view.h"
#include "unmatched.h"
#include "valid.h"
#include "resource/view.h"
#include "worker.h"

#define SHOWN	200

static const char *const platforms[] = { "uber", "bolt", "heetch", "autre",
	NULL };

static const struct db_stmt list_stmt = { "unmatched_list",
	"SELECT coalesce(json_agg(row_to_json(x)), '[]')::text FROM (SELECT"
	" platform, driver_ref, max(driver_name) AS driver_name,"
	" sum(trips)::bigint AS trips, sum(earnings)::bigint AS earnings,"
	" sum(net)::bigint AS net_cents, max(last_at) AS last_at FROM ("
	" SELECT platform, driver_ref, max(driver_name) AS driver_name,"
	"  count(*) AS trips, 0 AS earnings, sum(coalesce(net_earnings_cents,"
	"  0)) AS net, max(started_at) AS last_at FROM trips"
	"  WHERE driver_id IS NULL AND driver_ref IS NOT NULL GROUP BY 1, 2"
	" UNION ALL SELECT platform, driver_ref, max(driver_name), 0, count(*),"
	"  sum(coalesce(net_cents, 0)), max(period_end)::timestamptz"
	"  FROM earnings WHERE driver_id IS NULL AND driver_ref IS NOT NULL"
	"  GROUP BY 1, 2"
	/* A driver a live source lists, before any trip of theirs. */
	" UNION ALL SELECT platform, driver_ref, max(driver_name), 0, 0, 0,"
	"  max(updated_at) FROM platform_drivers WHERE driver_id IS NULL"
	"  GROUP BY 1, 2) u GROUP BY platform, driver_ref"
	" ORDER BY max(last_at) DESC NULLS LAST, driver_ref LIMIT $1::int) x" };

static const struct db_stmt drivers_stmt = { "unmatched_drivers",
	"SELECT coalesce(json_agg(json_build_object('id', id, 'name',"
	" first_name || ' ' || last_name) ORDER BY last_name, first_name),"
	" '[]')::text FROM (SELECT id, first_name, last_name FROM drivers"
	" WHERE archived_at IS NULL ORDER BY last_name, first_name"
	" LIMIT 2000) d" };

static const struct db_stmt assign_stmt = { "unmatched_assign",
	"WITH m AS (INSERT INTO driver_matches (tenant_id, platform, driver_ref,"
	" driver_id, created_by) SELECT app_tenant(), $1::trip_platform, $2,"
	" d.id, app_user() FROM drivers d WHERE d.id = $3::uuid"
	" ON CONFLICT (tenant_id, platform, driver_ref) DO UPDATE SET"
	" driver_id = EXCLUDED.driver_id, created_by = EXCLUDED.created_by,"
	" created_at = now() RETURNING driver_id),"
	" t AS (UPDATE trips SET driver_id = (SELECT driver_id FROM m),"
	" updated_at = now() WHERE platform = $1::trip_platform"
	" AND driver_ref = $2 AND driver_id IS NULL AND EXISTS (SELECT 1"
	" FROM m) RETURNING 1),"
	" e AS (UPDATE earnings SET driver_id = (SELECT driver_id FROM m),"
	" updated_at = now() WHERE platform = $1::trip_platform"
	" AND driver_ref = $2 AND driver_id IS NULL AND EXISTS (SELECT 1"
	" FROM m) RETURNING 1),"
	" p AS (UPDATE platform_drivers SET driver_id = (SELECT driver_id FROM"
	" m), updated_at = now() WHERE platform = $1::trip_platform"
	" AND driver_ref = $2 AND driver_id IS NULL AND EXISTS (SELECT 1"
	" FROM m) RETURNING 1),"
	" st AS (UPDATE driver_states SET driver_id = (SELECT driver_id FROM m)"
	" WHERE platform = $1::trip_platform AND driver_ref = $2"
	" AND driver_id IS NULL AND EXISTS (SELECT 1 FROM m) RETURNING 1),"
	" a AS (UPDATE driver_activity_days SET driver_id = (SELECT driver_id"
	" FROM m) WHERE platform = $1::trip_platform AND driver_ref = $2"
	" AND driver_id IS NULL AND EXISTS (SELECT 1 FROM m) RETURNING 1)"
	/* (p, st and a run whether read or not, as every data-modifying
	 * WITH does.) */
	" SELECT (SELECT count(*) FROM m), (SELECT count(*) FROM t) +"
	" (SELECT count(*) FROM e), (SELECT first_name || ' ' || last_name"
	" FROM drivers WHERE id = $3::uuid)" };

static json_t *
json_of(struct request *r, const struct db_stmt *s, int n, const char **v,
    int *status)
{
	struct db_error	 err;
	PGresult	*res;
	json_t		*o;

	if ((res = db_exec(r->w->db, s, n, v, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	o = db_json(res, 0, 0);
	PQclear(res);
	return o != NULL ? o : json_array();
}

static int
list_page(struct request *r, int status, json_t *flash)
{
	char		 limit[16];
	const char	*v[1] = { limit };
	json_t		*groups, *drivers, *rows, *g;
	size_t		 i;
	int		 rc;

	snprintf(limit, sizeof(limit), "%d", SHOWN);
	if ((groups = json_of(r, &list_stmt, 1, v, &rc)) == NULL)
		return rc;
	if ((drivers = json_of(r, &drivers_stmt, 0, NULL, &rc)) == NULL) {
		json_decref(groups);
		return rc;
	}
	rows = json_array();
	json_array_foreach(groups, i, g)
		json_array_append_new(rows, json_pack("{s:O, s:s, s:O, s:O, s:s,"
		    " s:s, s:s, s:I}",
		    "platform", json_object_get(g, "platform"),
		    "platform_label", view_label(r, "sources.platform",
		    json_string_value(json_object_get(g, "platform"))),
		    "driver_ref", json_object_get(g, "driver_ref"),
		    "driver_name", json_object_get(g, "driver_name"),
		    "trips", view_number(r, json_integer_value(json_object_get(g,
		    "trips"))),
		    "earnings", view_number(r, json_integer_value(
		    json_object_get(g, "earnings"))),
		    "net", view_money(r, json_object_get(g, "net_cents"), "EUR"),
		    "index", (json_int_t)i));
	json_decref(groups);
	rc = page_render(r, status, "sources/unmatched", json_pack("{s:o, s:o,"
	    " s:b, s:b, s:o*}", "rows", rows, "drivers", drivers,
	    "can_edit", r->id.role >= ACCESS_MANAGER,
	    "has_drivers", json_array_size(drivers) > 0, "flash", flash));
	return rc == 0 && status >= 400 ? status : rc;
}

int
unmatched_list(struct request *r)
{
	const char	*n = http_query(r, "matched");
	json_t		*flash = NULL;

	if (n != NULL && strspn(n, "0123456789") == strlen(n) && strlen(n) < 12)
		flash = json_pack("[{s:s, s:s}]", "type", "success", "message",
		    arena_printf(r->arena, "%s : %s",
		    tr(r, "sources.unmatched.done"), n));
	return list_page(r, 200, flash);
}

static const struct valid_field fields[] = {
	{ "platform", V_ENUM, 1, 0, 0, platforms, NULL },
	{ "driver_ref", V_TEXT, 1, 1, 200, NULL, NULL },
	{ "driver_id", V_UUID, 1, 0, 0, NULL, NULL },
};

int
unmatched_assign(struct request *r)
{
	json_t		*in, *errors;
	const char	*v[3];
	struct db_error	 err;
	PGresult	*res;
	long long	 rows;
	int		 rc;

	in = valid_input(r, fields, 3, &errors);
	if (errors != NULL) {
		json_decref(in);
		json_decref(errors);
		return list_page(r, 422, json_pack("[{s:s, s:s, s:b}]", "type",
		    "error", "message", tr(r, "sources.unmatched.pick"),
		    "error", 1));
	}
	v[0] = json_string_value(json_object_get(in, "platform"));
	v[1] = json_string_value(json_object_get(in, "driver_ref"));
	v[2] = json_string_value(json_object_get(in, "driver_id"));
	if ((res = db_exec(r->w->db, &assign_stmt, 3, v, &err)) == NULL) {
		json_decref(in);
		return err.status;
	}
	if (atoll(db_value(res, 0, 0)) == 0) {
		PQclear(res);
		json_decref(in);
		return 404;
	}
	rows = atoll(db_value(res, 0, 1));
	rc = activity_record(r, "driver.matched", arena_printf(r->arena,
	    "Chauffeur rapproché : %s → %s", v[1], db_value(res, 0, 2)), NULL,
	    "driver", v[2]);
	PQclear(res);
	json_decref(in);
	if (rc != 0)
		return rc;
	return http_redirect(r, 303, arena_printf(r->arena,
	    "/sources/unmatched?matched=%lld", rows));
}
