#include <stdio.h>
#include <stdlib.h>

#include "activity.h"
#include "i18n.h"
#include "fmt.h"
#include "worker.h"

static const struct db_stmt insert_stmt = { "activity_insert",
	"INSERT INTO activities (tenant_id, type, title, description, actor_id,"
	" subject_type, subject_id) VALUES (app_tenant(), $1, $2,"
	" coalesce($3, ''), app_user(), $4, $5)" };

static const struct db_stmt recent_stmt = { "activity_recent",
	"SELECT a.type, a.title, a.description, coalesce(u.name, ''),"
	" extract(epoch FROM a.created_at)::bigint"
	" FROM activities a LEFT JOIN users u ON u.id = a.actor_id"
	" ORDER BY a.created_at DESC, a.id DESC LIMIT $1::int" };

int
activity_record(struct request *r, const char *type, const char *title,
    const char *description, const char *subject_type, const char *subject_id)
{
	const char	*v[5] = { type, title, description, subject_type,
			    subject_id };
	struct db_error	 err;
	PGresult	*res;

	if ((res = db_exec(r->w->db, &insert_stmt, 5, v, &err)) == NULL)
		return err.status;
	PQclear(res);
	return 0;
}

json_t *
activity_recent(struct request *r, int n, int *status)
{
	char		 limit[16];
	const char	*v[1] = { limit };
	struct db_error	 err;
	PGresult	*res;
	json_t		*list;
	buf		 when;
	int		 i;

	snprintf(limit, sizeof(limit), "%d", n);
	if ((res = db_exec(r->w->db, &recent_stmt, 1, v, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	list = json_array();
	buf_init(&when);
	for (i = 0; i < PQntuples(res); i++) {
		buf_clear(&when);
		fmt_relative(&when, (time_t)atoll(db_value(res, i, 4)),
		    time(NULL), (lang_id)r->lang);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s}",
		    "type", db_value(res, i, 0), "title", db_value(res, i, 1),
		    "description", db_value(res, i, 2),
		    "actor", db_value(res, i, 3), "when", buf_cstr(&when)));
	}
	buf_free(&when);
	PQclear(res);
	return list;
}
