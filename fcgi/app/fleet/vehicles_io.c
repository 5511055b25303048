/* The import's pages, for the files of the description (vehicles.c);
 * the export is the resource layer's (resource_export). */
#include "resource/table_io.h"
#include "vehicles.h"
#include "vehicles_io.h"
#include "worker.h"

int
vehicles_import_template(struct request *r)
{
	return table_io_template(r, resource_files(&vehicle_resource));
}

int
vehicles_import_form(struct request *r)
{
	return table_io_form(r, resource_files(&vehicle_resource));
}

int
vehicles_import_preview(struct request *r)
{
	return table_io_preview(r, resource_files(&vehicle_resource));
}

int
vehicles_import_confirm(struct request *r)
{
	return table_io_confirm(r, resource_files(&vehicle_resource));
}

int
vehicles_import_cancel(struct request *r)
{
	return table_io_cancel(r, resource_files(&vehicle_resource));
}
