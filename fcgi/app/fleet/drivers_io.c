/* The import's pages, for the files of the description (drivers.c);
 * the export is the resource layer's (resource_export). */
#include "driver_rules.h"
#include "drivers.h"
#include "drivers_io.h"
#include "resource/table_io.h"
#include "worker.h"

int
drivers_import_template(struct request *r)
{
	return table_io_template(r, resource_files(&driver_resource));
}

int
drivers_import_form(struct request *r)
{
	return table_io_form(r, resource_files(&driver_resource));
}

int
drivers_import_preview(struct request *r)
{
	return table_io_preview(r, resource_files(&driver_resource));
}

int
drivers_import_confirm(struct request *r)
{
	return table_io_confirm(r, resource_files(&driver_resource));
}

int
drivers_import_cancel(struct request *r)
{
	return table_io_cancel(r, resource_files(&driver_resource));
}
