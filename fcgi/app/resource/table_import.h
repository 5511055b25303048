/* Reading a CSV kept for import, shared by every table that can be
 * imported (vehicles, drivers): the header names columns by key or by
 * label in either language, each line goes through the table's own
 * validation (the same as its form), and duplicates are found within the
 * file and in the database.  Nothing is stored here: the pages that show
 * the result and store it on confirmation are in table_io.c. */
#ifndef FC_APP_TABLE_IMPORT_H
#define FC_APP_TABLE_IMPORT_H

#include <jansson.h>

#include "db.h"
#include "export.h"
#include "http.h"

#define TABLE_IMPORT_MAX_FIELDS	64

/* A column of the export, and how the import reads it back. */
struct table_column {
	struct export_column	 x;		/* row member, header, type */
	const char		*input;		/* the validation's field; NULL:
						 * exported, never imported */
	const char *const	*choices;	/* EXPORT_LABEL: the values */
};

/* A value no two rows of the organisation may share. */
struct table_unique {
	const char		*field;		/* member of a validated row */
	const struct db_stmt	*taken;		/* $1 a JSON array of values:
						 * those already stored */
	const char		*in_file;	/* French messages */
	const char		*in_db;
};

/* What a table brings to the import and export. */
struct table_kind {
	const char			*base;		/* "/vehicles" */
	const char			*title_key;	/* heading of the page */
	const char			*done_key;	/* flash after an import */
	const char			*export_fr;	/* file names */
	const char			*export_en;
	const char			*template_name;
	const struct table_column	*columns;
	size_t				 ncolumns;
	const char *const		*required;	/* inputs a header must
							 * name; NULL-ended */
	const struct table_unique	*uniques;
	size_t				 nuniques;
	const char *const		*preview;	/* members shown for
							 * each line; NULL-ended */
	/* The form's validation of one line, whose cells are in r->json
	 * keyed by input: the row to store, *errors keyed by input. */
	json_t	*(*validate)(struct request *, json_t **errors);
	/* Store one row; NULL with *status (and maybe *errors) on failure. */
	json_t	*(*insert)(struct request *, json_t *, int *status,
		    json_t **errors);
};

struct table_import {
	const struct table_kind	*kind;
	struct request		*r;
	int			 keys[TABLE_IMPORT_MAX_FIELDS]; /* → columns */
	const char		*headers[TABLE_IMPORT_MAX_FIELDS];
	size_t			 nkeys;
	json_t			*lines;		/* preview rows */
	json_t			*problems;	/* {line, column, value, message} */
	json_t			*seen;		/* field → value → line */
	json_t			*valid;		/* [{line, row}] ready to store */
	size_t			 count;		/* lines read, header excluded */
	const char		*fatal;		/* malformed CSV: nothing read */
};

/* Read and check the file kept under token.  0, 404 when the token names
 * no file of this organisation, or another status (database). */
int	table_import_read(struct request *, const struct table_kind *,
	    const char *token, struct table_import *);
void	table_import_free(struct table_import *);
/* Every line read is valid: the import may be confirmed. */
int	table_import_ready(const struct table_import *);
/* A problem of line on the field (an input or a row member). */
void	table_import_problem(struct table_import *, size_t line,
	    const char *field, const char *value, const char *message);

#endif
