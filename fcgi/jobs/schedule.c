#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "documents_refresh.h"
#include "files_purge.h"
#include "schedule.h"

/* Kinds run every day, and the Paris hour from which they are due. */
static const struct {
	const char	*kind;
	int		 hour;
} daily[] = {
	{ DOCUMENTS_REFRESH_KIND, 0 },
	{ FILES_PURGE_KIND, 0 },
};

/* The payload names the day; the NOT EXISTS spares an identity value on
 * every tick, ON CONFLICT settles two runners ticking at once. */
static const struct db_stmt enqueue_stmt = { "schedule_daily",
	"INSERT INTO jobs (kind, payload) SELECT $1, jsonb_build_object("
	"'scheduled_day', day) FROM (SELECT to_char(now() AT TIME ZONE"
	" 'Europe/Paris', 'YYYY-MM-DD') AS day) d WHERE extract(hour FROM now()"
	" AT TIME ZONE 'Europe/Paris') >= $2::int AND NOT EXISTS (SELECT 1 FROM"
	" jobs j WHERE j.kind = $1 AND j.payload ? 'scheduled_day' AND"
	" j.payload->>'scheduled_day' = d.day)"
	" ON CONFLICT (kind, (payload->>'scheduled_day'))"
	" WHERE payload ? 'scheduled_day' DO NOTHING" };

int
schedule_every(const struct config *cfg)
{
	return strcmp(cfg->env, "test") == 0 ? SCHEDULE_EVERY_TEST :
	    SCHEDULE_EVERY;
}

int
schedule_tick(struct db *db, struct db_error *err)
{
	char		 hour[8];
	const char	*v[2];
	PGresult	*res;
	size_t		 i;
	int		 n = 0;

	for (i = 0; i < sizeof(daily) / sizeof(daily[0]); i++) {
		snprintf(hour, sizeof(hour), "%d", daily[i].hour);
		v[0] = daily[i].kind;
		v[1] = hour;
		if ((res = db_exec(db, &enqueue_stmt, 2, v, err)) == NULL)
			return -1;
		n += atoi(PQcmdTuples(res));
		PQclear(res);
	}
	return n;
}
