/* A vehicle's timeline: maintenance, claims, inspections, fines (with the
 * driver assigned at that moment), fuel, odometer corrections; and its
 * costs per month. */
#ifndef FC_APP_VEHICLE_EVENTS_H
#define FC_APP_VEHICLE_EVENTS_H

#include <jansson.h>

#include "http.h"

/* The timeline, formatted for the page, and *costs per month. */
json_t	*vehicle_events_view(struct request *, const char *vehicle_id,
	    json_t **costs, int *status);
/* The event form's options (and values/errors after a refused post). */
json_t	*vehicle_event_form(struct request *, json_t *values, json_t *errors);
/* 0 when the vehicle is the organisation's, else its status (404). */
int	 vehicle_event_vehicle(struct request *, const char *vehicle_id);
/* Validate and record an event with its attachments (the request's file
 * parts "attachments", event_attachments.h); returns the stored event or
 * NULL with *status (422 with *errors) and no file left on disk. */
json_t	*vehicle_event_create(struct request *, const char *vehicle_id,
	    int money_form, int *status, json_t **errors);

int	vehicle_events_api_list(struct request *);
int	vehicle_events_api_create(struct request *);

extern const char *const vehicle_event_kinds[];

#endif
