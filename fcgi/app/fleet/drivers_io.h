/* Drivers in from a file: bulk import from CSV with a preview, checked line by line with the
 * form's own validation; nothing is stored before the user confirms, and
 * then every line or none (the shared flow is in table_io.c). */
#ifndef FC_APP_DRIVERS_IO_H
#define FC_APP_DRIVERS_IO_H

#include "http.h"

int	drivers_import_form(struct request *);
int	drivers_import_template(struct request *);
int	drivers_import_preview(struct request *);
int	drivers_import_confirm(struct request *);
int	drivers_import_cancel(struct request *);

#endif
