/* Drivers in and out as files: export of the filtered list (CSV, XLSX)
 * and bulk import from CSV with a preview, checked line by line with the
 * form's own validation; nothing is stored before the user confirms, and
 * then every line or none (the shared flow is in table_io.c). */
#ifndef FC_APP_DRIVERS_IO_H
#define FC_APP_DRIVERS_IO_H

#include <jansson.h>

#include "http.h"

int	drivers_export(struct request *);
int	drivers_import_form(struct request *);
int	drivers_import_template(struct request *);
int	drivers_import_preview(struct request *);
int	drivers_import_confirm(struct request *);
int	drivers_import_cancel(struct request *);
/* The list page's export links and its flash after an import. */
void	drivers_io_list_view(struct request *, json_t *view);

#endif
