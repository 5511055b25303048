/* The pages of a table's files, shared by vehicles and drivers: export
 * of the filtered list (CSV, XLSX), the import's empty model, the upload
 * form, the preview of a kept file, its confirmation (every line stored
 * in the request's transaction, or none) and its cancellation (the kept
 * file is dropped).  Each table's own file (vehicles_io.c, drivers_io.c)
 * describes itself in a struct table_kind and calls these. */
#ifndef FC_APP_TABLE_IO_H
#define FC_APP_TABLE_IO_H

#include <jansson.h>

#include "http.h"
#include "table_import.h"

/* The rows (borrowed) as a file, in the columns of the kind. */
int	table_io_export(struct request *, const struct table_kind *,
	    json_t *rows);
int	table_io_template(struct request *, const struct table_kind *);
int	table_io_form(struct request *, const struct table_kind *);
int	table_io_preview(struct request *, const struct table_kind *);
int	table_io_confirm(struct request *, const struct table_kind *);
int	table_io_cancel(struct request *, const struct table_kind *);
/* What the list page shows for files: export_csv and export_xlsx links
 * keeping its filters, and the flash after an import (?imported=N). */
void	table_io_list_view(struct request *, const struct table_kind *,
	    json_t *view);

#endif
