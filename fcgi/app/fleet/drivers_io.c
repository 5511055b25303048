/* The import's pages, for the files driver_files describes (drivers.c);
 * the export is the resource layer's (resource_export). */
#include "driver_rules.h"
#include "drivers.h"
#include "drivers_io.h"
#include "resource/table_io.h"
#include "worker.h"

int
drivers_import_template(struct request *r)
{
	return table_io_template(r, &driver_files);
}

int
drivers_import_form(struct request *r)
{
	return table_io_form(r, &driver_files);
}

int
drivers_import_preview(struct request *r)
{
	return table_io_preview(r, &driver_files);
}

int
drivers_import_confirm(struct request *r)
{
	return table_io_confirm(r, &driver_files);
}

int
drivers_import_cancel(struct request *r)
{
	return table_io_cancel(r, &driver_files);
}
