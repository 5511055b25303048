/* « Commerce »: what an organisation sells, as its commerce sources
 * (iSaVigne exports, Odoo) loaded it, described for the resource layer
 * (resource/resource.h): customers, products, sales lines, stock levels
 * and contact history, for the API (/api/v1/customers…) and the lists.
 * The imports write them, so the descriptions have no writable field. */
#ifndef FC_APP_COMMERCE_H
#define FC_APP_COMMERCE_H

#include "resource/resource.h"

extern const struct resource customer_resource;
extern const struct resource contact_resource;
extern const struct resource product_resource;
extern const struct resource stock_resource;
extern const struct resource sales_line_resource;

extern const char *const commerce_categories[];
extern const char *const commerce_segments[];
extern const char *const commerce_channels[];
extern const char *const commerce_contact_statuses[];

/* A row of a commerce list: its RES_LIST fields as cells, in the order
 * of the description, money and dates written for the page
 * (commerce_view.c). */
json_t	*commerce_row_view(struct request *, json_t *row);

#endif
