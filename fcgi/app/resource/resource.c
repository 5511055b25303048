/* A resource's rows: its list (parameters, sort, page), one row, and the
 * writes (insert, update, archive) through its generated statements. */
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "fmt.h"
#include "identity/activity.h"
#include "list_page.h"
#include "resource.h"
#include "worker.h"

const struct resource *
resource_of(const struct request *r)
{
	return r->match.route != NULL ? r->match.route->data : NULL;
}

const struct res_field *
resource_field(const struct resource *res, const char *name)
{
	size_t	i;

	for (i = 0; i < res->nfields; i++)
		if (strcmp(res->fields[i].name, name) == 0)
			return &res->fields[i];
	return NULL;
}

static int
is_choice(const char *const *choices, const char *v)
{
	for (; choices != NULL && *choices != NULL; choices++)
		if (strcmp(*choices, v) == 0)
			return 1;
	return 0;
}

/* ILIKE treats % and _ as wildcards: a search for "AB_1" means that text. */
static const char *
like_escape(arena *a, const char *q)
{
	char	*out, *o;

	if ((out = arena_alloc(a, strlen(q) * 2 + 1)) == NULL)
		return "";
	for (o = out; *q != '\0'; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			*o++ = '\\';
		*o++ = *q;
	}
	*o = '\0';
	return out;
}

/* "2026-W48": four digits, "-W", a week from 01 to 53. */
static int
is_week(const char *s)
{
	int	w;

	if (strlen(s) != 8 || strspn(s, "0123456789") != 4 ||
	    strncmp(s + 4, "-W", 2) != 0 || strspn(s + 6, "0123456789") != 2)
		return 0;
	w = (s[6] - '0') * 10 + (s[7] - '0');
	return w >= 1 && w <= 53;
}

/* One parameter's value from the query, or its refusal's key. */
static const char *
read_param(struct request *r, const struct res_param *p, const char *q,
    const char **value)
{
	const char	*v = http_query(r, p->name);
	int		 y, m, d;

	*value = v != NULL ? v : "";
	switch (p->kind) {
	case RP_SEARCH:
		if (strlen(*value) > 100)
			return "valid.list.search_too_long";
		*value = like_escape(r->arena, *value);
		break;
	case RP_CHOICE:
		if (**value != '\0' && !is_choice(p->choices, *value))
			return p->error;
		break;
	case RP_FLAG:
		if (**value != '\0' && strcmp(*value, p->choices[0]) != 0)
			return p->error;
		break;
	case RP_ID:
		if (**value != '\0' && !is_choice(p->choices, *value) &&
		    !files_is_uuid(*value))
			return p->error;
		break;
	case RP_DATE:
		if (**value != '\0' && (fmt_parse_date(*value, &y, &m, &d) == -1 ||
		    (*value = arena_printf(r->arena, "%04d-%02d-%02d", y, m,
		    d)) == NULL))
			return p->error;
		break;
	case RP_DERIVED:
		*value = p->derive(r, q);
		break;
	case RP_WEEK:
		if (**value != '\0' && !is_week(*value))
			return p->error;
		break;
	}
	return NULL;
}

static size_t
sort_index(const struct resource *res, const char *key)
{
	size_t	i;

	for (i = 0; i < res->nsorts; i++)
		if (res->sorts[i].key != NULL && strcmp(res->sorts[i].key, key) == 0)
			return i;
	return res->nsorts;
}

int
resource_list_parse(struct request *r, const struct resource *res,
    struct res_list *l, json_t **errors)
{
	const char	*q = http_query(r, "q"), *sort = http_query(r, "sort");
	const char	*key;
	size_t		 i;
	int		 rc;

	memset(l, 0, sizeof(*l));
	*errors = NULL;
	if ((rc = api_page_parse(r, &l->page)) != 0)
		return rc;
	*errors = json_object();
	for (i = 0; i < res->nparams; i++)
		if ((key = read_param(r, &res->params[i], q ? q : "",
		    &l->value[i])) != NULL)
			valid_fail(r, *errors, res->params[i].name, key);
	/* One order alone takes no parameter. */
	l->sort = sort != NULL && res->sorts[0].key != NULL ?
	    sort_index(res, sort) : 0;
	if (l->sort == res->nsorts) {
		valid_fail(r, *errors, "sort", "valid.list.sort");
		l->sort = 0;
	}
	if (json_object_size(*errors) == 0) {
		json_decref(*errors);
		*errors = NULL;
		return 0;
	}
	return 422;
}

const char *
resource_list_value(const struct resource *res, const struct res_list *l,
    const char *name)
{
	size_t	i;

	for (i = 0; i < res->nparams; i++)
		if (strcmp(res->params[i].name, name) == 0)
			return l->value[i] != NULL ? l->value[i] : "";
	return "";
}

/* The list's statements: the whole rows, or the HTML list's columns
 * (shown) when the description has them. */
static int
list_query(const struct resource *res, const struct res_list *l, int shown,
    struct list_query *q)
{
	const struct res_stmts	*st;

	if ((st = resource_stmts(res)) == NULL)
		return 500;
	shown = shown && st->page_shown[l->sort].sql != NULL;
	q->totals = res->kept_total ? res->name : NULL;
	q->all = shown ? &st->all_shown[l->sort] : &st->all[l->sort];
	q->count = &st->count;
	q->page = shown ? &st->page_shown[l->sort] : &st->page[l->sort];
	q->values = l->value;
	q->nfilters = (int)res->nparams;
	return 0;
}

json_t *
resource_list_rows(struct request *r, const struct resource *res,
    const struct res_list *l, long *total, int *status)
{
	struct list_query	q;

	if ((*status = list_query(res, l, 0, &q)) != 0)
		return NULL;
	return list_page(r, &q, &l->page, total, status);
}

json_t *
resource_list_shown(struct request *r, const struct resource *res,
    const struct res_list *l, long *total, int *status)
{
	struct list_query	q;

	if ((*status = list_query(res, l, 1, &q)) != 0)
		return NULL;
	return list_page(r, &q, &l->page, total, status);
}

int
resource_list_texts(struct request *r, const struct resource *res,
    const struct res_list *l, long *total, struct api_texts *rows)
{
	struct list_query	q;
	int			rc;

	if ((rc = list_query(res, l, 0, &q)) != 0)
		return rc;
	return list_page_texts(r, &q, &l->page, total, rows);
}

int
resource_list_sums(struct request *r, const struct resource *res,
    const struct res_list *l, long *count, json_t **sums)
{
	const struct res_stmts	*st;
	struct db_error		 err;
	PGresult		*res_;
	int			 i;

	*sums = NULL;
	if ((st = resource_stmts(res)) == NULL)
		return 500;
	if ((res_ = db_exec(r->w->db, &st->count, (int)res->nparams, l->value,
	    &err)) == NULL)
		return err.status;
	*count = atol(db_value(res_, 0, 0));
	*sums = json_object();
	for (i = 1; i < PQnfields(res_); i++)
		json_object_set_new(*sums, PQfname(res_, i), json_integer(
		    atoll(db_value(res_, 0, i))));
	PQclear(res_);
	return 0;
}

json_t *
resource_get(struct request *r, const struct resource *res, const char *id,
    int *status)
{
	const struct res_stmts	*st;
	const char		*v[1] = { id };
	struct db_error		 err;
	PGresult		*res_;
	json_t			*o = NULL;

	*status = 404;
	if (id == NULL)
		return NULL;
	if ((st = resource_stmts(res)) == NULL) {
		*status = 500;
		return NULL;
	}
	if ((res_ = db_exec(r->w->db, &st->get, 1, v, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	if (PQntuples(res_) == 1 && (o = db_json(res_, 0, 0)) != NULL)
		*status = 0;
	PQclear(res_);
	return o;
}

/* Run an INSERT or UPDATE with the writable fields, then read the row. */
static json_t *
store(struct request *r, const struct resource *res, const struct db_stmt *s,
    const char *id, json_t *v, int *status, json_t **errors)
{
	const char		*cols[RESOURCE_MAX_FIELDS], *written;
	struct store_table	 t = { cols, 0, res->duplicates,
				    res->nduplicates };
	size_t			 i;

	for (i = 0; i < res->nfields && t.ncolumns < RESOURCE_MAX_FIELDS; i++)
		if (res->fields[i].flags & RES_WRITE)
			cols[t.ncolumns++] = res->fields[i].name;
	if ((written = store_write(r, s, &t, v, id, status, errors)) == NULL)
		return NULL;
	return resource_get(r, res, written, status);
}

json_t *
resource_insert(struct request *r, const struct resource *res, json_t *v,
    int *status, json_t **errors)
{
	const struct res_stmts	*st;
	json_t			*stored;

	*errors = NULL;
	if ((st = resource_stmts(res)) == NULL) {
		*status = 500;
		return NULL;
	}
	if (res->hooks.creating != NULL)
		res->hooks.creating(r, v);
	if ((stored = store(r, res, &st->insert, NULL, v, status,
	    errors)) == NULL)
		return NULL;
	if (res->hooks.created != NULL &&
	    (*status = res->hooks.created(r, stored)) != 0) {
		json_decref(stored);
		return NULL;
	}
	return stored;
}

json_t *
resource_update(struct request *r, const struct resource *res,
    const char *id, json_t *v, int *status, json_t **errors)
{
	const struct res_stmts	*st;

	*errors = NULL;
	if ((st = resource_stmts(res)) == NULL) {
		*status = 500;
		return NULL;
	}
	return store(r, res, &st->update, id, v, status, errors);
}

int
resource_archive(struct request *r, const struct resource *res,
    const char *id)
{
	const struct res_stmts	*st;
	const char		*v[1] = { id };
	struct db_error		 err;
	PGresult		*res_;
	int			 rc;

	if (id == NULL || res->archive_sql == NULL)
		return 404;
	if ((st = resource_stmts(res)) == NULL)
		return 500;
	if ((res_ = db_exec(r->w->db, &st->archive, 1, v, &err)) == NULL)
		return err.status;
	if (PQntuples(res_) == 0) {
		PQclear(res_);
		return 404;
	}
	rc = activity_record(r, res->archive_activity, arena_printf(r->arena,
	    "%s%s", res->archive_title, db_value(res_, 0, 0)), NULL,
	    res->activity_subject, id);
	PQclear(res_);
	return rc;
}
