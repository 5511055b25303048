/* Vehicles: the data (validation, queries) shared by the web screens
 * (vehicles_web.c) and the API (vehicles_api.c). */
#ifndef FC_APP_VEHICLES_H
#define FC_APP_VEHICLES_H

#include <jansson.h>

#include "api.h"
#include "http.h"

struct vehicle_filter {
	const char	*q;
	const char	*status;
	const char	*category;
	const char	*documents;	/* "due": documents to renew */
	const char	*sort;		/* "plate", "-year", … */
};

/* Read the filter from the query string; 0 or 422 with *errors set. */
int	vehicle_filter_parse(struct request *, struct vehicle_filter *,
	    json_t **errors);
/* A page of vehicles (objects as the API shows them) and the total. */
json_t	*vehicle_list(struct request *, const struct vehicle_filter *,
	    const struct api_page *, long *total, int *status);
/* The same page as PostgreSQL's JSON texts, for the API: 0 or a status. */
int	 vehicle_list_texts(struct request *, const struct vehicle_filter *,
	    const struct api_page *, long *total, struct api_texts *);
/* One vehicle, or NULL with *status 404 when the tenant has none with id. */
json_t	*vehicle_get(struct request *, const char *id, int *status);
/* Validate input (form or JSON).  For an update, current holds the stored
 * vehicle: absent fields keep its values.  Returns the full vehicle to
 * store, and *errors (new object) when some field is wrong.  money_form:
 * the monthly cost comes as "1 234,56" in field monthly_cost (HTML form)
 * rather than as integer cents. */
json_t	*vehicle_input(struct request *, json_t *current, int money_form,
	    json_t **errors);
/* Store; returns the stored vehicle, or NULL with *status (409 with
 * *errors naming the field for a duplicate plate or VIN). */
json_t	*vehicle_insert(struct request *, json_t *v, int *status,
	    json_t **errors);
json_t	*vehicle_update(struct request *, const char *id, json_t *v,
	    int *status, json_t **errors);
/* Soft delete: archived_at and status "archive".  0 or a status. */
int	 vehicle_archive(struct request *, const char *id);

extern const char *const vehicle_energies[];
extern const char *const vehicle_categories[];
extern const char *const vehicle_statuses[];
extern const char *const vehicle_acquisitions[];

#endif
