/* Documents are not a resource of the resource layer (resource/resource.h):
 * each belongs to a vehicle or a driver named in its path, arrives as a
 * multipart upload checked by its bytes, and a renewal supersedes the
 * document in force instead of updating it.  The layer's list reads its
 * filters from the query and writes rows from JSON, neither of which
 * holds here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "identity/activity.h"
#include "documents.h"
#include "documents_file.h"
#include "fmt.h"
#include "i18n.h"
#include "log.h"
#include "valid.h"
#include "worker.h"
#include "resource/query.h"
#include "resource/view.h"

const char *const document_types[] = { "carte_grise", "assurance",
	"controle_technique", "permis", "carte_vtc", "piece_identite",
	"justificatif_domicile", "rib", "contrat", "autre", NULL };
const char *const document_states[] = { "a_jour", "a_renouveler", "expire",
	"sans_echeance", NULL };

/* Types whose whole point is their end date: refused without one, or no
 * reminder would ever come. */
static const char *const dated_types[] = { "assurance", "controle_technique",
	"permis", "carte_vtc", "piece_identite", NULL };

static const struct valid_field fields[] = {
	{ "type", V_ENUM, 1, 0, 0, document_types, NULL },
	{ "number", V_TEXT, 0, 0, 100, NULL, NULL },
	{ "issued_on", V_DATE, 0, 0, 0, NULL, NULL },
	{ "expires_on", V_DATE, 0, 0, 0, NULL, NULL },
};
#define NFIELDS	(sizeof(fields) / sizeof(fields[0]))

/* A document as the API shows it. */
#define DOC_JSON \
	"SELECT row_to_json(x)::text FROM (SELECT d.id, CASE WHEN" \
	" d.vehicle_id IS NOT NULL THEN 'vehicle' ELSE 'driver' END AS" \
	" owner_type, d.vehicle_id, d.driver_id, d.type, d.number," \
	" d.issued_on, d.expires_on, d.state, d.file_name, d.content_type," \
	" d.size_bytes, d.superseded_by, d.superseded_by IS NULL AS current," \
	" '/api/v1/documents/' || d.id || '/file' AS file_url, d.expires_on -" \
	" (now() AT TIME ZONE 'Europe/Paris')::date AS days_left, d.created_at" \
	" FROM documents d "

/* Current documents first, then the history, newest first. */
#define DOC_ORDER \
	" ORDER BY d.superseded_by IS NULL DESC, d.created_at DESC, d.id" \
	" LIMIT 500) x"

/* What differs between a vehicle's documents and a driver's.  Two sets of
 * statements rather than a CASE on the owner column, so that each uses
 * its own index. */
static const struct owner_kind {
	const char	*name;
	struct db_stmt	 owner;
	struct db_stmt	 list;
	struct db_stmt	 supersede;
} owner_kinds[] = {
	{ DOCUMENTS_VEHICLE,
	  { "documents_vehicle_owner",
	    "SELECT plate FROM vehicles WHERE id = $1::uuid" },
	  { "documents_vehicle_list",
	    DOC_JSON "WHERE d.vehicle_id = $1::uuid" DOC_ORDER },
	  { "documents_vehicle_supersede",
	    "UPDATE documents SET superseded_by = $3::uuid WHERE vehicle_id ="
	    " $1::uuid AND type = $2::document_type AND type <> 'autre'"
	    " AND superseded_by IS NULL" } },
	{ DOCUMENTS_DRIVER,
	  { "documents_driver_owner",
	    "SELECT first_name || ' ' || last_name FROM drivers"
	    " WHERE id = $1::uuid" },
	  { "documents_driver_list",
	    DOC_JSON "WHERE d.driver_id = $1::uuid" DOC_ORDER },
	  { "documents_driver_supersede",
	    "UPDATE documents SET superseded_by = $3::uuid WHERE driver_id ="
	    " $1::uuid AND type = $2::document_type AND type <> 'autre'"
	    " AND superseded_by IS NULL" } },
};

static const struct db_stmt get_stmt = { "documents_get",
	DOC_JSON "WHERE d.id = $1::uuid) x" };

/* The id is known before the row exists: the previous document points at
 * it first (superseded_by is checked at commit). */
static const struct db_stmt new_id_stmt = { "documents_new_id",
	"SELECT gen_random_uuid()::text" };

static const struct db_stmt insert_stmt = { "documents_insert",
	"INSERT INTO documents (tenant_id, id, vehicle_id, driver_id, type,"
	" number, issued_on, expires_on, file_name, content_type, size_bytes,"
	" storage_key, uploaded_by) VALUES (app_tenant(), $1::uuid,"
	" CASE WHEN $2 = 'vehicle' THEN $3::uuid END,"
	" CASE WHEN $2 = 'driver' THEN $3::uuid END, $4::document_type, $5,"
	" $6::date, $7::date, $8, $9, $10::bigint, $11, app_user())" };

static const struct db_stmt file_stmt = { "documents_file",
	"SELECT storage_key, content_type, file_name, tenant_id::text"
	" FROM documents WHERE id = $1::uuid" };

/* Due: current documents of owners still in the fleet.  $1 owner type or
 * '', $2 state or ''. */
#define DUE_FROM \
	" FROM documents d LEFT JOIN vehicles v ON v.tenant_id = d.tenant_id" \
	" AND v.id = d.vehicle_id LEFT JOIN drivers r ON r.tenant_id =" \
	" d.tenant_id AND r.id = d.driver_id WHERE d.superseded_by IS NULL" \
	" AND d.state IN ('a_renouveler', 'expire') AND v.archived_at IS NULL" \
	" AND r.archived_at IS NULL"
#define DUE_FILTER \
	" AND ($1 = '' OR ($1 = 'vehicle') = (d.vehicle_id IS NOT NULL))" \
	" AND ($2 = '' OR d.state::text = $2)"

static const struct db_stmt due_stmt = { "documents_due",
	"SELECT row_to_json(x)::text FROM (SELECT d.id, CASE WHEN d.vehicle_id"
	" IS NOT NULL THEN 'vehicle' ELSE 'driver' END AS owner_type,"
	" d.vehicle_id, d.driver_id, coalesce(v.plate, r.first_name || ' ' ||"
	" r.last_name) AS owner_label, d.type, d.number, d.issued_on,"
	" d.expires_on, d.state, d.file_name, d.content_type, d.size_bytes,"
	" true AS current, d.expires_on - (now() AT TIME ZONE"
	" 'Europe/Paris')::date AS days_left, d.created_at" DUE_FROM DUE_FILTER
	" ORDER BY d.expires_on, d.id LIMIT $3::int OFFSET $4::int) x" };

static const struct db_stmt due_count_stmt = { "documents_due_count",
	"SELECT count(*)" DUE_FROM DUE_FILTER };

static const struct db_stmt due_nav_stmt = { "documents_due_nav",
	"SELECT count(*)" DUE_FROM };

static const struct owner_kind *
kind_of(const char *name)
{
	size_t	i;

	for (i = 0; name && i < sizeof(owner_kinds) / sizeof(owner_kinds[0]); i++)
		if (strcmp(owner_kinds[i].name, name) == 0)
			return &owner_kinds[i];
	return NULL;
}

static int
is_one_of(const char *const *list, const char *v)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, v) == 0)
			return 1;
	return 0;
}

int
documents_owner(struct request *r, const char *owner_type,
    const char *owner_id, const char **label)
{
	const struct owner_kind	*k = kind_of(owner_type);
	const char		*v[1] = { owner_id };
	PGresult		*res;
	int			 status = 404;

	if (k == NULL || owner_id == NULL)
		return 404;
	if ((res = query_run(r, &k->owner, 1, v, &status)) == NULL)
		return status;
	if (PQntuples(res) == 1) {
		status = 0;
		if (label != NULL)
			*label = arena_strdup(r->arena, db_value(res, 0, 0));
	}
	PQclear(res);
	return status;
}

static void
add_error(const struct request *r, json_t *errors, const char *field,
    const char *key)
{
	if (json_object_get(errors, field) == NULL)
		valid_fail(r, errors, field, key);
}

/* Dates that cannot be right: issued in the future, expiring before
 * being issued, or no expiry for a type that needs one. */
static void
check_dates(const struct request *r, json_t *in, json_t *errors)
{
	const char	*issued = view_str(in, "issued_on"), *expires = view_str(in,
			    "expires_on");
	char		 today[48];
	struct tm	 tm;

	fmt_paris_tm(time(NULL), &tm);
	snprintf(today, sizeof(today), "%04d-%02d-%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday);
	/* ISO dates compare as text. */
	if (*issued && strcmp(issued, today) > 0)
		add_error(r, errors, "issued_on",
		    "valid.documents.issued_in_future");
	if (*issued && *expires && strcmp(expires, issued) < 0)
		add_error(r, errors, "expires_on",
		    "valid.documents.expires_before_issued");
	if (!*expires && is_one_of(dated_types, view_str(in, "type")))
		add_error(r, errors, "expires_on",
		    "valid.documents.expiry_missing");
}

/* The file part: present, and fit to keep (documents_file.c).  *media
 * is the type it really is. */
static const struct upload *
check_file(const struct request *r, json_t *errors, const char **media)
{
	const struct upload	*u = uploads_find(&r->files, "file");
	const char		*key;

	if (u == NULL) {
		add_error(r, errors, "file",
		    "valid.documents.file_missing");
		return NULL;
	}
	if ((key = documents_upload_problem(u, media)) != NULL) {
		add_error(r, errors, "file", key);
		return NULL;
	}
	return u;
}

/* Supersede the current document of the type, then insert the new one
 * under the id the old one now points at.  The new id, or NULL. */
static const char *
record(struct request *r, const struct owner_kind *k, const char *owner_id,
    json_t *in, const struct upload *u, const char *media, const char *key,
    int *status)
{
	const char	*v[11], *id;
	PGresult	*res;

	if ((res = query_run(r, &new_id_stmt, 0, NULL, status)) == NULL)
		return NULL;
	id = arena_strdup(r->arena, db_value(res, 0, 0));
	PQclear(res);
	v[0] = owner_id;
	v[1] = view_str(in, "type");
	v[2] = id;
	if ((res = query_run(r, &k->supersede, 3, v, status)) == NULL)
		return NULL;
	PQclear(res);
	v[0] = id;
	v[1] = k->name;
	v[2] = owner_id;
	v[3] = view_str(in, "type");
	v[4] = json_object_get(in, "number") ? view_str(in, "number") : NULL;
	v[5] = json_object_get(in, "issued_on") ? view_str(in, "issued_on") : NULL;
	v[6] = json_object_get(in, "expires_on") ? view_str(in, "expires_on") : NULL;
	v[7] = documents_clean_name(r->arena, u->filename);
	v[8] = media;
	v[9] = arena_printf(r->arena, "%zu", u->size);
	v[10] = key;
	if (v[9] == NULL ||
	    (res = query_run(r, &insert_stmt, 11, v, status)) == NULL)
		return NULL;
	PQclear(res);
	return id;
}

static int
note_activity(struct request *r, const char *owner_type,
    const char *owner_id, const char *label, const char *type)
{
	const char	*type_label = i18n_get(r->w->i18n, LANG_FR,
			    arena_printf(r->arena, "documents.type.%s", type));

	return activity_record(r, "document.uploaded", arena_printf(r->arena,
	    "Document ajouté : %s — %s", type_label, label), NULL, owner_type,
	    owner_id);
}

json_t *
documents_create(struct request *r, const char *owner_type,
    const char *owner_id, int *status, json_t **errors)
{
	const struct owner_kind	*k = kind_of(owner_type);
	const struct upload	*u;
	const char		*media = NULL, *label = "", *id;
	char			 key[DOCUMENTS_KEY_LEN + 1];
	json_t			*in, *stored = NULL;

	*errors = NULL;
	if (k == NULL || (*status = documents_owner(r, owner_type, owner_id,
	    &label)) != 0) {
		*status = k == NULL ? 404 : *status;
		return NULL;
	}
	in = valid_input(r, fields, NFIELDS, errors);
	if (*errors == NULL)
		*errors = json_object();
	check_dates(r, in, *errors);
	u = check_file(r, *errors, &media);
	if (json_object_size(*errors) > 0) {
		*status = 422;
		json_decref(in);
		return NULL;
	}
	json_decref(*errors);
	*errors = NULL;
	if (documents_file_store(r->w->cfg->data_dir, r->id.tenant_id, u,
	    key) == -1) {
		log_error("documents: cannot store a file for tenant %s",
		    r->id.tenant_id);
		*status = 500;
		json_decref(in);
		return NULL;
	}
	if ((id = record(r, k, owner_id, in, u, media, key, status)) != NULL &&
	    (*status = note_activity(r, owner_type, owner_id, label,
	    view_str(in, "type"))) == 0)
		stored = documents_get(r, id, status);
	json_decref(in);
	if (stored != NULL)
		return stored;
	/* The row is rolled back with the request: so goes the file. */
	documents_file_remove(r->arena, r->w->cfg->data_dir, r->id.tenant_id,
	    key);
	if (*status == 409)
		*errors = valid_one_error(r, "type",
		    "valid.documents.just_renewed");
	return NULL;
}

json_t *
documents_list(struct request *r, const char *owner_type,
    const char *owner_id, int *status)
{
	const struct owner_kind	*k = kind_of(owner_type);
	const char		*v[1] = { owner_id };
	PGresult		*res;
	json_t			*list;

	*status = 404;
	if (k == NULL || owner_id == NULL)
		return NULL;
	if ((res = query_run(r, &k->list, 1, v, status)) == NULL)
		return NULL;
	list = query_rows(res);
	PQclear(res);
	*status = 0;
	return list;
}

json_t *
documents_get(struct request *r, const char *id, int *status)
{
	return query_one(r, &get_stmt, id, status);
}

int
documents_file_of(struct request *r, const char *id, const char **path,
    const char **content_type, const char **file_name)
{
	const char	*v[1] = { id };
	PGresult	*res;
	int		 status = 404;

	if (id == NULL)
		return 404;
	if ((res = query_run(r, &file_stmt, 1, v, &status)) == NULL)
		return status;
	if (PQntuples(res) == 1) {
		*path = documents_file_path(r->arena, r->w->cfg->data_dir,
		    db_value(res, 0, 3), db_value(res, 0, 0));
		*content_type = arena_strdup(r->arena, db_value(res, 0, 1));
		*file_name = arena_strdup(r->arena, db_value(res, 0, 2));
		status = *content_type != NULL && *file_name != NULL ? 0 : 500;
		/* A key we never wrote names no file: answered as a file
		 * that went missing. */
		if (*path == NULL) {
			log_error("document %s: unusable storage key", id);
			status = 404;
		}
	}
	PQclear(res);
	return status;
}

json_t *
documents_due(struct request *r, const char *owner_type, const char *state,
    const struct api_page *pg, long *total, int *status)
{
	const char	*v[2] = { owner_type, state };

	return query_page(r, &due_count_stmt, &due_stmt, 2, v, pg, total,
	    status);
}

long
documents_due_count(struct request *r)
{
	struct db_error	 err;
	PGresult	*res;
	long		 n;

	if ((res = db_exec(r->w->db, &due_nav_stmt, 0, NULL, &err)) == NULL)
		return -1;
	n = atol(db_value(res, 0, 0));
	PQclear(res);
	return n;
}
