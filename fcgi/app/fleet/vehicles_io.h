/* Vehicles in and out as files: export of the filtered list (CSV, XLSX)
 * and bulk import from CSV with a preview; nothing is stored before the
 * user confirms, and then every line or none. */
#ifndef FC_APP_VEHICLES_IO_H
#define FC_APP_VEHICLES_IO_H

#include <jansson.h>

#include "http.h"

int	vehicles_export(struct request *);
int	vehicles_import_form(struct request *);
int	vehicles_import_template(struct request *);
int	vehicles_import_preview(struct request *);
int	vehicles_import_confirm(struct request *);
int	vehicles_import_cancel(struct request *);
/* The list page's export links and its flash after an import. */
void	vehicles_io_list_view(struct request *, json_t *view);

#endif
