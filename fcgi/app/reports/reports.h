/* « Rapports »: each report is a row of one table — its name, its
 * statement over a period of Paris days ($1, $2), its columns — from
 * which the page, the CSV and XLSX files (the resource layer's export),
 * the A4 PDF (core pdf) and GET /api/v1/reports/{name} are all made. */
#ifndef FC_APP_REPORTS_H
#define FC_APP_REPORTS_H

#include <jansson.h>

#include "db.h"
#include "http.h"
#include "resource/export.h"

#define REPORT_MAX_COLUMNS	8

struct report {
	const char			*name;		/* in URLs */
	const struct db_stmt		*stmt;		/* json_agg of rows */
	const struct export_column	*columns;
	size_t				 ncolumns;
	int				 dated;		/* uses the period */
};

const struct report	*report_find(const char *name);
/* Every report, for the index and GET /api/v1/reports. */
const struct report	*report_at(size_t i);

/* The report's rows for [from, to] (ISO days), or NULL with *status. */
json_t	*report_rows(struct request *, const struct report *,
	    const char *from, const char *to, int *status);
/* One cell as the reader writes it (money in euros, dates dd/mm/yyyy). */
const char *report_cell(struct request *, const struct export_column *,
	    json_t *row);
/* Sums of the money and count columns, as a row; NULL when there are
 * none to sum. */
json_t	*report_totals(const struct report *, json_t *rows);
/* Answer with the report as an A4 PDF. */
int	 report_pdf(struct request *, const struct report *, const char *from,
	    const char *to, json_t *rows);

#endif
