/* The statements of a resource, written from its description: the row as
 * the API shows it, one row, the list's pages for each sort order (a
 * filtered one that counts beside its rows, an unfiltered one whose plan
 * is kept, see list_page.h), the count, the insert, the update and the
 * archive rule.  Each worker builds them once, at first use. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "resource.h"

/* Append a fragment with each "{name}" replaced by "$n", n from index();
 * -1 when a name is unknown (a description's bug: its statements are not
 * built, and the first request that needs them answers 500). */
static int
put_named(buf *b, const char *s, const struct resource *res,
    int (*index)(const struct resource *, const char *, size_t))
{
	const char	*end;
	int		 n;

	while (*s != '\0') {
		if (*s == '{' && (end = strchr(s, '}')) != NULL) {
			if ((n = index(res, s + 1, (size_t)(end - s - 1))) == 0) {
				log_error("resource %s: no parameter %.*s",
				    res->name, (int)(end - s - 1), s + 1);
				return -1;
			}
			buf_printf(b, "$%d", n);
			s = end + 1;
		} else
			buf_putc(b, *s++);
	}
	return 0;
}

static int
param_index(const struct resource *res, const char *name, size_t len)
{
	size_t	i;

	for (i = 0; i < res->nparams; i++)
		if (strlen(res->params[i].name) == len &&
		    strncmp(res->params[i].name, name, len) == 0)
			return (int)i + 1;
	return 0;
}

/* The $n of a writable field in INSERT and UPDATE. */
static int
field_index(const struct resource *res, const char *name, size_t len)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < res->nfields; i++) {
		if (!(res->fields[i].flags & RES_WRITE))
			continue;
		n++;
		if (strlen(res->fields[i].name) == len &&
		    strncmp(res->fields[i].name, name, len) == 0)
			return n;
	}
	return 0;
}

/* A field's parameter expression with "$" as "$n". */
static void
put_param(buf *b, const struct res_field *f, int n)
{
	const char	*s = f->param != NULL ? f->param : "$";

	for (; *s != '\0'; s++)
		if (*s == '$')
			buf_printf(b, "$%d", n);
		else
			buf_putc(b, *s);
}

/* The row's columns: all of them, or those of the HTML list (only:
 * RES_LIST), which reads a third of a row and no lookup it does not
 * show. */
static void
put_columns(buf *b, const struct resource *res, unsigned only)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < res->nfields; i++) {
		if (only != 0 && !(res->fields[i].flags & only))
			continue;
		if (n++ > 0)
			buf_puts(b, ", ");
		if (res->fields[i].select != NULL)
			buf_printf(b, "%s AS %s", res->fields[i].select,
			    res->fields[i].name);
		else
			buf_printf(b, "%s.%s", res->alias, res->fields[i].name);
	}
}

static int
put_where(buf *b, const struct resource *res)
{
	buf_puts(b, "WHERE ");
	return put_named(b, res->where, res, param_index);
}

static const char *
key_of(const struct resource *res)
{
	return res->key != NULL ? res->key : "id";
}

/* LIST_PAGE_SQL of list_page.h, for one order: 0 or -1. */
static int
put_page(buf *b, const struct resource *res, const char *order, int filtered,
    unsigned only)
{
	const char	*key = key_of(res);
	int		 n = (int)res->nparams;

	/* The row's columns, the filter's total in front (db_row.h). */
	buf_puts(b, "SELECT ");
	if (filtered)
		buf_printf(b, "%s.list_total, ", res->alias);
	buf_printf(b, "x.* FROM (SELECT *%s FROM %s %s ", filtered ?
	    ", count(*) OVER () AS list_total" : "", res->table, res->alias);
	if (filtered && put_where(b, res) == -1)
		return -1;
	if (!filtered)
		buf_printf(b, "WHERE %s.archived_at IS NULL", res->alias);
	buf_printf(b, " ORDER BY %s, %s.%s LIMIT $%d::int OFFSET $%d::int) %s"
	    " CROSS JOIN LATERAL (SELECT ", order, res->alias, key,
	    filtered ? n + 1 : 1, filtered ? n + 2 : 2, res->alias);
	put_columns(b, res, only);
	buf_printf(b, ") x ORDER BY %s, %s.%s", order, res->alias, key);
	return 0;
}

static void
put_get(buf *b, const struct resource *res)
{
	buf_puts(b, "SELECT row_to_json(x)::text FROM (SELECT ");
	put_columns(b, res, 0);
	buf_printf(b, " FROM %s %s WHERE %s.id = $1::uuid) x", res->table,
	    res->alias, res->alias);
}

static void
put_insert(buf *b, const struct resource *res)
{
	size_t	i;
	int	n = 0;

	buf_printf(b, "INSERT INTO %s (tenant_id", res->table);
	for (i = 0; i < res->nfields; i++)
		if (res->fields[i].flags & RES_WRITE)
			buf_printf(b, ", %s", res->fields[i].name);
	buf_puts(b, ") VALUES (app_tenant()");
	for (i = 0; i < res->nfields; i++)
		if (res->fields[i].flags & RES_WRITE) {
			buf_puts(b, ", ");
			put_param(b, &res->fields[i], ++n);
		}
	buf_puts(b, ") RETURNING id");
}

static int
put_update(buf *b, const struct resource *res)
{
	size_t	i;
	int	n = 0;

	buf_printf(b, "UPDATE %s SET ", res->table);
	for (i = 0; i < res->nfields; i++)
		if (res->fields[i].flags & RES_WRITE) {
			buf_printf(b, "%s%s = ", n > 0 ? ", " : "",
			    res->fields[i].name);
			put_param(b, &res->fields[i], ++n);
		}
	if (res->update_extra != NULL) {
		buf_puts(b, ", ");
		if (put_named(b, res->update_extra, res, field_index) == -1)
			return -1;
	}
	buf_printf(b, " WHERE id = $%d::uuid RETURNING id", n + 1);
	return 0;
}

/* "<a>.<b><suffix>", kept until the process ends, or NULL. */
static char *
catalogue_key(const char *a, const char *b, const char *suffix)
{
	size_t	 n = strlen(a) + strlen(b) + strlen(suffix) + 2;
	char	*s = malloc(n);

	if (s != NULL)
		snprintf(s, n, "%s.%s%s", a, b, suffix);
	return s;
}

static const enum export_type export_types[] = {
	[RT_TEXT] = EXPORT_TEXT, [RT_INT] = EXPORT_INT,
	[RT_MONEY] = EXPORT_MONEY, [RT_DATE] = EXPORT_DATE,
	[RT_TIME] = EXPORT_TEXT, [RT_ENUM] = EXPORT_LABEL,
	[RT_EMAIL] = EXPORT_TEXT, [RT_UUID] = EXPORT_TEXT,
	[RT_OBJECT] = EXPORT_TEXT, [RT_ARRAY] = EXPORT_TEXT,
	[RT_BOOL] = EXPORT_TEXT,
};

/* The column of an exported field (RES_EXPORT says how). */
static int
export_column(const struct resource *res, const struct res_field *f,
    struct table_column *c)
{
	const char	*input = f->form != NULL ? f->form->name : f->name;
	int		 as_typed = f->form != NULL && f->form->type != V_MONEY;

	c->x.key = as_typed ? input : f->name;
	c->x.type = as_typed ? EXPORT_TEXT : export_types[f->type];
	c->x.label_key = f->type == RT_ENUM ?
	    catalogue_key(res->name, f->name, "_label") :
	    catalogue_key(res->name, input, "");
	c->x.label_group = f->type == RT_ENUM ?
	    catalogue_key(res->name, f->name, "") : NULL;
	c->input = input;
	c->choices = f->type == RT_ENUM ? f->valid.choices : NULL;
	return c->x.label_key == NULL || (f->type == RT_ENUM &&
	    c->x.label_group == NULL) ? -1 : 0;
}

static int
build_files(const struct resource *res, struct res_stmts *st)
{
	size_t	i, n = 0;

	if (res->files == NULL)
		return 0;
	st->files = *res->files;
	if (res->nfields + res->nextra_columns > RESOURCE_MAX_FIELDS)
		return -1;
	for (i = 0; i < res->nfields; i++)
		if ((res->fields[i].flags & RES_EXPORT) &&
		    export_column(res, &res->fields[i], &st->columns[n++]) == -1)
			return -1;
	for (i = 0; i < res->nextra_columns; i++)
		st->columns[n++] = res->extra_columns[i];
	st->files.columns = st->columns;
	st->files.ncolumns = n;
	return 0;
}

/* A statement's name and text, kept until the process ends. */
static int
keep(struct db_stmt *s, const char *name, buf *b)
{
	char	*n = strdup(name), *sql = b->oom ? NULL : strdup(buf_cstr(b));

	buf_clear(b);
	if (n == NULL || sql == NULL) {
		free(n);
		free(sql);
		return -1;
	}
	s->name = n;
	s->sql = sql;
	return 0;
}

/* Whether the HTML list names its columns (RES_LIST). */
static int
listed(const struct resource *res)
{
	size_t	i;

	for (i = 0; i < res->nfields; i++)
		if (res->fields[i].flags & RES_LIST)
			return 1;
	return 0;
}

static int
build(const struct resource *res, struct res_stmts *st, buf *b)
{
	char	name[96];
	size_t	i;
	int	rc = 0;

	for (i = 0; i < res->nsorts && rc == 0; i++) {
		if (put_page(b, res, res->sorts[i].order, 1, 0) == -1)
			return -1;
		snprintf(name, sizeof(name), "%s_list_%zu", res->name, i);
		rc = keep(&st->page[i], name, b);
		if (listed(res)) {
			(void)put_page(b, res, res->sorts[i].order, 1, RES_LIST);
			snprintf(name, sizeof(name), "%s_shown_%zu", res->name, i);
			rc |= keep(&st->page_shown[i], name, b);
		}
		if (!res->kept_total)
			continue;
		(void)put_page(b, res, res->sorts[i].order, 0, 0);
		snprintf(name, sizeof(name), "%s_all_%zu", res->name, i);
		rc |= keep(&st->all[i], name, b);
		if (listed(res)) {
			(void)put_page(b, res, res->sorts[i].order, 0, RES_LIST);
			snprintf(name, sizeof(name), "%s_all_shown_%zu", res->name,
			    i);
			rc |= keep(&st->all_shown[i], name, b);
		}
	}
	buf_printf(b, "SELECT count(*)%s%s FROM %s %s ", res->sums ? ", " : "",
	    res->sums ? res->sums : "", res->table, res->alias);
	(void)put_where(b, res);	/* it passed above */
	snprintf(name, sizeof(name), "%s_count", res->name);
	rc |= keep(&st->count, name, b);
	/* Rows told apart by another key are listed only. */
	if (res->key != NULL)
		return rc;
	put_get(b, res);
	snprintf(name, sizeof(name), "%s_get", res->name);
	rc |= keep(&st->get, name, b);
	put_insert(b, res);
	snprintf(name, sizeof(name), "%s_insert", res->name);
	rc |= keep(&st->insert, name, b);
	if (put_update(b, res) == -1)
		return -1;
	snprintf(name, sizeof(name), "%s_update", res->name);
	rc |= keep(&st->update, name, b);
	if (res->archive_sql != NULL) {
		buf_puts(b, res->archive_sql);
		snprintf(name, sizeof(name), "%s_archive", res->name);
		rc |= keep(&st->archive, name, b);
	}
	return rc;
}

const struct res_stmts *
resource_stmts(const struct resource *res)
{
	struct res_stmts	*st = res->stmts;
	buf			 b;
	int			 rc;

	if (st->built)
		return st->built == 1 ? st : NULL;
	st->built = -1;		/* a description that fails fails once */
	if (res->nsorts == 0 || res->nsorts > RESOURCE_MAX_SORTS ||
	    res->nparams > RESOURCE_MAX_PARAMS) {
		log_error("resource %s: no sort, or too many sorts or parameters",
		    res->name);
		return NULL;
	}
	buf_init(&b);
	rc = build(res, st, &b);
	buf_free(&b);
	if (rc == 0)
		rc = build_files(res, st);
	if (rc != 0) {
		log_error("resource %s: its statements could not be built",
		    res->name);
		return NULL;
	}
	st->built = 1;
	return st;
}

const struct table_kind *
resource_files(const struct resource *res)
{
	const struct res_stmts	*st = resource_stmts(res);

	return st != NULL && res->files != NULL ? &st->files : NULL;
}
