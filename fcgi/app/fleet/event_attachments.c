#include <string.h>

#include "db.h"
#include "documents_file.h"
#include "documents_web.h"
#include "event_attachments.h"
#include "i18n.h"
#include "log.h"
#include "worker.h"

/* created_at is the clock, not the transaction's start (now()): the
 * files of one event keep the order they were sent in. */
static const struct db_stmt insert_stmt = { "event_attachments_insert",
	"INSERT INTO event_attachments (tenant_id, event_id, file_name,"
	" content_type, size_bytes, storage_key, created_at, created_by)"
	" VALUES (app_tenant(), $1::uuid, $2, $3, $4::bigint, $5,"
	" clock_timestamp(), app_user())" };

/* Row-level security decides who finds the row: another organisation,
 * or a driver who may not see the event, gets nothing (404). */
static const struct db_stmt file_stmt = { "event_attachments_file",
	"SELECT storage_key, content_type, file_name, tenant_id::text"
	" FROM event_attachments WHERE id = $1::uuid" };

static int
is_attachment(const struct upload *u)
{
	return strcmp(u->field, EVENT_ATTACHMENTS_FIELD) == 0;
}

void
event_attachments_check(struct request *r, json_t *errors)
{
	const char	*key, *media, *name, *problem, *message;
	size_t		 i;

	for (i = 0; i < r->files.n; i++) {
		if (!is_attachment(&r->files.v[i]))
			continue;
		if ((key = documents_upload_problem(&r->files.v[i],
		    &media)) == NULL)
			continue;
		problem = tr(r, key);
		/* With several files, the user must know which one; French
		 * puts a space before the colon. */
		name = documents_clean_name(r->arena, r->files.v[i].filename);
		message = name == NULL ? NULL : arena_printf(r->arena,
		    r->lang == LANG_FR ? "%s : %s" : "%s: %s", name, problem);
		json_object_set_new(errors, EVENT_ATTACHMENTS_FIELD,
		    json_string(message != NULL ? message : problem));
		return;
	}
}

/* Record one written file. 0 or a status. */
static int
record(struct request *r, const char *event_id, const struct upload *u,
    const char *media, const char *key)
{
	const char	*v[5];
	struct db_error	 err;
	PGresult	*res;

	v[0] = event_id;
	v[1] = documents_clean_name(r->arena, u->filename);
	v[2] = media;
	v[3] = arena_printf(r->arena, "%zu", u->size);
	v[4] = key;
	if (v[1] == NULL || v[3] == NULL)
		return 500;
	if ((res = db_exec(r->w->db, &insert_stmt, 5, v, &err)) == NULL)
		return err.status;
	PQclear(res);
	return 0;
}

/* Write one file and record it; its key joins saved->keys as soon as
 * the file exists, so that a failure removes it too. */
static int
save_one(struct request *r, const char *event_id, const struct upload *u,
    struct event_files *saved)
{
	char		 key[DOCUMENTS_KEY_LEN + 1];
	const char	*media = NULL;

	if (documents_upload_problem(u, &media) != NULL)
		return 500;	/* event_attachments_check let it pass */
	if (documents_file_store(r->w->cfg->data_dir, r->id.tenant_id, u,
	    key) == -1) {
		log_error("event attachments: cannot store a file for tenant %s",
		    r->id.tenant_id);
		return 500;
	}
	if ((saved->keys[saved->n] = arena_strdup(r->arena, key)) == NULL) {
		documents_file_remove(r->arena, r->w->cfg->data_dir,
		    r->id.tenant_id, key);
		return 500;
	}
	saved->n++;
	return record(r, event_id, u, media, key);
}

int
event_attachments_save(struct request *r, const char *event_id,
    struct event_files *saved)
{
	size_t	i;
	int	rc;

	saved->n = 0;
	if ((saved->keys = arena_calloc(r->arena, r->files.n + 1,
	    sizeof(*saved->keys))) == NULL)
		return 500;
	for (i = 0; i < r->files.n; i++) {
		if (!is_attachment(&r->files.v[i]))
			continue;
		if ((rc = save_one(r, event_id, &r->files.v[i], saved)) != 0) {
			event_attachments_discard(r, saved);
			return rc;
		}
	}
	return 0;
}

void
event_attachments_discard(struct request *r, const struct event_files *saved)
{
	size_t	i;

	for (i = 0; i < saved->n; i++)
		documents_file_remove(r->arena, r->w->cfg->data_dir,
		    r->id.tenant_id, saved->keys[i]);
}

json_t *
event_attachments_view(struct request *r, json_t *attachments)
{
	json_t		*out = json_array(), *a;
	const char	*id, *name;
	size_t		 i;

	json_array_foreach(attachments, i, a) {
		id = json_string_value(json_object_get(a, "id"));
		name = json_string_value(json_object_get(a, "file_name"));
		if (id == NULL || name == NULL)
			continue;
		json_array_append_new(out, json_pack("{s:s, s:s}", "name", name,
		    "href", arena_printf(r->arena, "/event-attachments/%s/file",
		    id)));
	}
	return out;
}

/* Where an attachment's file is and how to name it: 0, or 404. */
static int
file_of(struct request *r, const char *id, const char **path,
    const char **type, const char **name)
{
	const char	*v[1] = { id };
	struct db_error	 err;
	PGresult	*res;
	int		 status = 404;

	if (id == NULL)
		return 404;
	if ((res = db_exec(r->w->db, &file_stmt, 1, v, &err)) == NULL)
		return err.status;
	if (PQntuples(res) == 1) {
		*path = documents_file_path(r->arena, r->w->cfg->data_dir,
		    db_value(res, 0, 3), db_value(res, 0, 0));
		*type = arena_strdup(r->arena, db_value(res, 0, 1));
		*name = arena_strdup(r->arena, db_value(res, 0, 2));
		status = *type != NULL && *name != NULL ? 0 : 500;
		/* A key we never wrote names no file: answered as a file that
		 * went missing. */
		if (*path == NULL) {
			log_error("event attachment %s: unusable storage key",
			    id);
			status = 404;
		}
	}
	PQclear(res);
	return status;
}

int
event_attachments_download(struct request *r)
{
	const char	*path, *type, *name;
	int		 rc;

	if ((rc = file_of(r, http_param_uuid(r, 0), &path, &type, &name)) != 0)
		return rc;
	return documents_send_stored(r, path, type, name);
}
