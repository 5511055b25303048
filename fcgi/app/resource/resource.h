/* The resource layer.  A resource (vehicles, drivers, …) is described
 * once, as data: its table, its fields with their type, validator and
 * flags, its list parameters and filter, its sort orders, its archive
 * rule, and hooks for what data cannot say.  From that description this
 * layer builds the resource's statements (once per worker) and serves the
 * API's list, show, create, update and archive (resource_api.c), the HTML
 * list page and its CSV/XLSX export (resource_web.c) and the resource's
 * schema in the OpenAPI document (resource_openapi.c).
 *
 * A route serves a resource by naming a handler of this layer and the
 * description in its data member:
 *	{ "GET", "/api/v1/vehicles", resource_api_list, ACCESS_VIEWER, API,
 *	    &vehicle_resource } */
#ifndef FC_APP_RESOURCE_H
#define FC_APP_RESOURCE_H

#include <jansson.h>

#include "api.h"
#include "db.h"
#include "http.h"
#include "store.h"
#include "table_import.h"
#include "valid.h"

#define RESOURCE_MAX_FIELDS	48
#define RESOURCE_MAX_PARAMS	8
#define RESOURCE_MAX_SORTS	16

/* How a field is shown in the API and its schema. */
enum res_type {
	RT_TEXT,
	RT_INT,
	RT_MONEY,	/* integer cents */
	RT_DATE,	/* "YYYY-MM-DD" */
	RT_TIME,	/* timestamptz, ISO 8601 */
	RT_ENUM,
	RT_EMAIL,
	RT_UUID,
	RT_OBJECT,	/* a lookup ({id, name} of a related row) */
	RT_ARRAY,	/* a list selected as json (an invoice's lines) */
	RT_BOOL,
};

enum res_flag {
	RES_WRITE = 1 << 0,	/* taken from input, stored ($n of INSERT
				 * and UPDATE, in the order of the fields) */
	RES_NULLABLE = 1 << 1,	/* may be null in an answer */
	RES_NOT_NULL = 1 << 2,	/* writable, but never cleared */
	RES_API_ONLY = 1 << 3,	/* forms do not set it */
	RES_STEP = 1 << 4,	/* a wizard's step requires it */
	/* A column of the export and of the import.  Its head is the
	 * catalogue's "<name>.<field>" ("<field>_label" for a choice, the
	 * form's name for a field with a form twin); a twin other than money
	 * is written as the form writes it, under the form's name, by the
	 * export_row hook. */
	RES_EXPORT = 1 << 5,
	/* Read by the HTML list's rows (hooks.row_view): when some field
	 * says so, the list page selects those alone. */
	RES_LIST = 1 << 6,
};

/* What an input reads: the API's members or a form's fields, of one
 * section of the form (0: all), for a wizard's step or not. */
struct res_input {
	int	form;
	int	section;
	int	wizard;
};

struct res_field {
	const char		*name;		/* JSON member and column */
	enum res_type		 type;
	unsigned		 flags;
	/* RES_WRITE: the input's check (its name is the field's) */
	struct valid_field	 valid;
	/* The SELECT expression when not the alias's column of that name;
	 * a computed member (a lookup) is read-only. */
	const char		*select;
	/* The INSERT and UPDATE expression of the parameter, written with
	 * "$" for it: "coalesce($, 'FR')", "$::date".  NULL: "$". */
	const char		*param;
	/* A form writes this field under another name and type (money as
	 * "1 234,56", a percentage): the form's check. */
	const struct valid_field *form;
	int			 section;	/* which part of a form asks */
	const char		*doc;		/* OpenAPI description */
	const char		*dflt;		/* OpenAPI default */
};

/* A list parameter of the query string. */
enum res_param_kind {
	RP_SEARCH,	/* free text ≤ 100 characters, LIKE-escaped */
	RP_CHOICE,	/* one of choices, or empty */
	RP_FLAG,	/* empty, or the one value choices[0] */
	RP_ID,		/* empty, a uuid, or one of choices ("none") */
	RP_DATE,	/* empty, or a day ("2026-11-22", "22/11/2026") */
	RP_DERIVED,	/* not read: computed from the search by derive */
	RP_WEEK,	/* empty, or an ISO week "2026-W48" (W01-W53) */
};

struct res_param {
	const char		*name;
	enum res_param_kind	 kind;
	const char *const	*choices;
	const char		*error;		/* catalogue key when refused */
	const char		*doc;		/* OpenAPI description */
	/* RP_CHOICE on the HTML list: labels "<group>.<value>", and the
	 * blank choice's label */
	const char		*group;
	const char		*blank;
	/* RP_DERIVED: its value from the search text, in the arena */
	const char		*(*derive)(struct request *, const char *q);
};

/* A resource with one order alone has a NULL key: its list reads no
 * sort parameter. */
struct res_sort {
	const char	*key;		/* "plate", "-year" */
	const char	*order;		/* ORDER BY, without the id tie-break */
	const char	*label;		/* a column head of the HTML list */
};

struct resource;

struct res_hooks {
	/* The rules between fields that a field's own check cannot see,
	 * on the merged object (the plate by its country, a lease). */
	void	 (*check)(struct request *, const struct res_input *,
		    json_t *v, json_t *errors);
	/* Before an insert: defaults that depend on other fields. */
	void	 (*creating)(struct request *, json_t *v);
	/* After an insert, in the same transaction: 0 or a status. */
	int	 (*created)(struct request *, json_t *stored);
	/* What the HTML list shows of one row (a new object). */
	json_t	*(*row_view)(struct request *, json_t *row);
	/* What a form's view adds (resource_form_view), from the object. */
	void	 (*form_view)(struct request *, json_t *v, json_t *view);
	/* Members an export adds to a row before writing it. */
	void	 (*export_row)(struct request *, json_t *row);
};

/* Statements built from the description, once per worker (each worker
 * is one thread; the text lives until the process ends). */
struct res_stmts {
	int		 built;		/* 1, -1 when it failed, 0 not yet */
	struct table_kind	 files;
	struct table_column	 columns[RESOURCE_MAX_FIELDS];
	struct db_stmt	 get, insert, update, count, archive;
	struct db_stmt	 page[RESOURCE_MAX_SORTS];	/* filtered */
	struct db_stmt	 all[RESOURCE_MAX_SORTS];	/* unfiltered */
	/* The same with the RES_LIST columns only, for the HTML list */
	struct db_stmt	 page_shown[RESOURCE_MAX_SORTS];
	struct db_stmt	 all_shown[RESOURCE_MAX_SORTS];
};

struct resource {
	const char		*name;		/* "vehicles": path, template
						 * folder, locale group */
	const char		*table;
	const char		*alias;		/* "v" */
	const char		*schema;	/* OpenAPI "Vehicle" */
	/* The column that tells rows apart, the last of every order; NULL:
	 * "id", which show, update and archive take. */
	const char		*key;
	/* The list's total while unfiltered, as list_totals keeps it for
	 * this name (migration 0010); 0: counted like a filtered list. */
	int			 kept_total;
	const struct res_field	*fields;
	size_t			 nfields;
	const struct res_param	*params;
	size_t			 nparams;
	/* The list's WHERE, with {name} for a parameter's value */
	const char		*where;
	const struct res_sort	*sorts;		/* the first is the default */
	size_t			 nsorts;
	/* Money sums of the whole filter, "coalesce(sum(x), 0) AS name, …",
	 * read beside its count by resource_list_sums */
	const char		*sums;
	/* UPDATE's extra assignments, with {name} for a field's value */
	const char		*update_extra;
	/* Archive: $1 the id; answers one row whose first column names
	 * the archived object for the activity feed. */
	const char		*archive_sql;
	const char		*archive_activity;	/* "vehicle.archived" */
	const char		*archive_title;		/* "Véhicule archivé : " */
	const char		*activity_subject;	/* "vehicle" */
	const struct store_duplicate *duplicates;
	size_t			 nduplicates;
	/* Export and import: all but the columns, which come from the
	 * RES_EXPORT fields and then extra_columns (shown, not imported). */
	const struct table_kind	*files;
	const struct table_column *extra_columns;
	size_t			 nextra_columns;
	struct res_hooks	 hooks;
	struct res_stmts	*stmts;		/* static storage, zeroed */
};

/* A list request: the values of the parameters, in the order of the
 * description, and the sort's index. */
struct res_list {
	const char	*value[RESOURCE_MAX_PARAMS];
	size_t		 sort;
	struct api_page	 page;
};

/* The HTML list page (templates/<name>/index) and its export as a file
 * (?format=csv or xlsx), for the description the route names. */
int	 resource_index(struct request *);
int	 resource_export(struct request *);
/* The import from a CSV file (resource/table_io.c): its empty model, the
 * upload form, the preview, the confirmation and the cancellation. */
int	 resource_import_template(struct request *);
int	 resource_import_form(struct request *);
int	 resource_import_preview(struct request *);
int	 resource_import_confirm(struct request *);
int	 resource_import_cancel(struct request *);

/* The form pages (templates/<name>/form): new, create (POST /<name>),
 * edit, save (POST /<name>/:id), archive (POST /<name>/:id/archive). */
int	 resource_new(struct request *);
int	 resource_create(struct request *);
int	 resource_edit(struct request *);
int	 resource_save(struct request *);
int	 resource_archive_page(struct request *);
/* A form's view of v: {values (as stored, or as typed after an error),
 * errors, options (of each choice field), action, is_new}, then what
 * hooks.form_view adds.  The values of a money field's form twin are
 * written "1 234,56". */
json_t	*resource_form_view(struct request *, const struct resource *,
	    json_t *v, json_t *errors, const char *action);

/* The description a route names, or NULL. */
const struct resource	*resource_of(const struct request *);
/* The statements of a resource (built at first use); NULL when the
 * description overflows a buffer (a bug the first test finds). */
const struct res_stmts	*resource_stmts(const struct resource *);

/* The export's and the import's description, or NULL. */
const struct table_kind	*resource_files(const struct resource *);

/* Read the parameters, sort and page of the query: 0, or 422 with
 * *errors (new object) naming each refused parameter. */
int	 resource_list_parse(struct request *, const struct resource *,
	    struct res_list *, json_t **errors);
/* The same for a page: 0, or 400 for the error page. */
int	 resource_list_query(struct request *, const struct resource *,
	    struct res_list *);
/* The value of a named list parameter ("" when absent). */
const char *resource_list_value(const struct resource *,
	    const struct res_list *, const char *name);
/* A page of rows as objects (a new array), or NULL with *status. */
json_t	*resource_list_rows(struct request *, const struct resource *,
	    const struct res_list *, long *total, int *status);
/* The same with the columns of the HTML list alone (RES_LIST), when the
 * description names them. */
json_t	*resource_list_shown(struct request *, const struct resource *,
	    const struct res_list *, long *total, int *status);
/* The same rows as PostgreSQL's JSON texts: 0 or a status. */
int	 resource_list_texts(struct request *, const struct resource *,
	    const struct res_list *, long *total, struct api_texts *);
/* The count of the whole filter and its sums ({name: cents}, a new
 * object): 0 or a status. */
int	 resource_list_sums(struct request *, const struct resource *,
	    const struct res_list *, long *count, json_t **sums);
/* One row as the API shows it, or NULL with *status (404 when absent). */
json_t	*resource_get(struct request *, const struct resource *,
	    const char *id, int *status);
/* The object to store from the request: the writable fields that how
 * asks for (a form's twins for a form) merged into current for an update
 * (absent fields keep their value; one sent blank or null is cleared,
 * unless required), then hooks.check.  *errors (a new object keyed by
 * the names the input used) when a field is wrong. */
json_t	*resource_input(struct request *, const struct resource *,
	    json_t *current, const struct res_input *how, json_t **errors);
/* Whether how asks for the field, and the name the input gives it. */
int	 resource_asks(const struct resource *, const struct res_input *,
	    const char *name);
const char *resource_input_name(const struct resource *,
	    const struct res_input *, const char *name);
/* Store and read back; NULL with *status (409/422 with *errors). */
json_t	*resource_insert(struct request *, const struct resource *, json_t *v,
	    int *status, json_t **errors);
json_t	*resource_update(struct request *, const struct resource *,
	    const char *id, json_t *v, int *status, json_t **errors);
/* Apply the archive rule and record it: 0 or a status (404). */
int	 resource_archive(struct request *, const struct resource *,
	    const char *id);
/* The field of that name, or NULL. */
const struct res_field *resource_field(const struct resource *,
	    const char *name);

#endif
