/* Lists as files: CSV (UTF-8 with BOM, ";" in French so that Excel opens
 * it in columns) and XLSX (libxlsxwriter), from the same rows the API
 * shows. */
#ifndef FC_APP_EXPORT_H
#define FC_APP_EXPORT_H

#include <jansson.h>

#include "http.h"

enum export_type {
	EXPORT_TEXT,
	EXPORT_INT,
	EXPORT_MONEY,	/* integer cents */
	EXPORT_DATE,	/* "YYYY-MM-DD" */
	EXPORT_LABEL,	/* an enum value shown with its locale label */
};

struct export_column {
	const char		*key;		/* member of each row */
	const char		*label_key;	/* locale key of the header */
	enum export_type	 type;
	const char		*label_group;	/* for EXPORT_LABEL */
};

/* Answer with rows (borrowed) as "<basename>.csv" or ".xlsx" according
 * to ?format=; 0, or a status (400 for an unknown format). */
int	export_send(struct request *, const char *basename,
	    const struct export_column *, size_t ncols, json_t *rows);

#endif
