/* Vehicles in from a file: bulk import from CSV with a preview; nothing
 * is stored before the user confirms, and then every line or none. */
#ifndef FC_APP_VEHICLES_IO_H
#define FC_APP_VEHICLES_IO_H

#include "http.h"

int	vehicles_import_form(struct request *);
int	vehicles_import_template(struct request *);
int	vehicles_import_preview(struct request *);
int	vehicles_import_confirm(struct request *);
int	vehicles_import_cancel(struct request *);

#endif
