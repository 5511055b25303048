#include <string.h>

#include "api.h"
#include "resource/api_input.h"
#include "sources.h"
#include "sources_api.h"
#include "sync_runs.h"
#include "valid.h"

#define API_REJECTS	100

int
sources_api_list(struct request *r)
{
	struct api_page	 pg;
	json_t		*all, *page;
	size_t		 i;
	long		 total;
	int		 rc;

	if ((rc = api_page_parse(r, &pg)) != 0)
		return rc;
	if ((all = source_list(r, &rc)) == NULL)
		return rc;
	total = (long)json_array_size(all);
	page = json_array();
	for (i = (size_t)pg.offset; i < json_array_size(all) &&
	    i < (size_t)(pg.offset + pg.limit); i++)
		json_array_append(page, json_array_get(all, i));
	json_decref(all);
	return api_list(r, page, &pg, total);
}

/* The fields of a type, read from "config" (and "name" at the top). */
static json_t *
values_of(json_t *body)
{
	json_t		*values = json_object(), *v;
	const char	*key;

	json_object_foreach(json_object_get(body, "config"), key, v)
		if (json_is_string(v))
			json_object_set(values, key, v);
	if (json_is_string(json_object_get(body, "name")))
		json_object_set(values, "name", json_object_get(body, "name"));
	return values;
}

int
sources_api_create(struct request *r)
{
	const struct connector_type	*t;
	json_t				*values, *input, *errors, *stored;
	char				 id[40];
	int				 rc;

	if ((rc = api_require_object(r)) != 0)
		return rc;
	t = connector_find(json_string_value(json_object_get(r->json, "type")));
	if (t == NULL)
		return api_invalid(r, valid_one_error(r, "type",
		    "valid.sources.type"));
	if (json_object_get(r->json, "config") != NULL &&
	    !json_is_object(json_object_get(r->json, "config")))
		return api_invalid(r, valid_one_error(r, "config",
		    "valid.object"));
	values = values_of(r->json);
	input = source_input(r, t, values, NULL, &errors);
	json_decref(values);
	if (errors != NULL) {
		json_decref(input);
		return api_invalid(r, errors);
	}
	rc = source_insert(r, t, input, id, &errors);
	json_decref(input);
	if (rc == 409)
		return api_error_key(r, 409, "conflict",
		    "valid.sources.name_taken", errors) == 0 ? 409 : 500;
	json_decref(errors);
	if (rc != 0)
		return rc;
	if ((stored = source_get(r, id, &rc)) == NULL)
		return rc;
	return api_ok(r, 201, stored);
}

int
sources_api_show(struct request *r)
{
	json_t	*s;
	int	 rc;

	if ((s = source_get(r, http_param_uuid(r, 0), &rc)) == NULL)
		return rc;
	return api_ok(r, 200, s);
}

int
sources_api_check(struct request *r)
{
	struct connector_outcome	 out;
	json_t				*data;
	int				 rc;

	if ((rc = source_check_id(r, http_param_uuid(r, 0), sync_run_upload(r),
	    &out)) != 0)
		return rc;
	data = json_pack("{s:b, s:s, s:O}", "ok", out.result == CONN_OK,
	    "message", out.message, "dialect", out.dialect);
	connector_outcome_clear(&out);
	return api_ok(r, 200, data);
}

int
sources_api_sync(struct request *r)
{
	struct source_row	 row;
	const char		*message;
	char			 run_id[40];
	int			 rc;

	if ((rc = source_load(r, http_param_uuid(r, 0), &row)) != 0)
		return rc;
	rc = sync_run_start(r, &row, "api", sync_run_upload(r), run_id,
	    &message);
	source_row_clear(&row);
	if (rc == 422)
		return api_invalid(r, json_pack("{s:s}", "file", message));
	if (rc == 409)
		return api_error(r, 409, "conflict", message, NULL) == 0 ?
		    409 : 500;
	if (rc != 0)
		return rc;
	return api_ok(r, 202, json_pack("{s:s}", "run_id", run_id));
}

int
sync_runs_api_show(struct request *r)
{
	const char	*id = http_param_uuid(r, 0);
	json_t		*run, *rejects;
	int		 rc;

	if ((run = sync_run_get(r, id, &rc)) == NULL)
		return rc;
	if ((rejects = sync_run_rejects(r, id, API_REJECTS, &rc)) == NULL) {
		json_decref(run);
		return rc;
	}
	json_object_set_new(run, "rejects", rejects);
	return api_ok(r, 200, run);
}
