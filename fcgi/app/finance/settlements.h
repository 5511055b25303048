/* Weekly settlements: their description for the resource layer (API list
 * and show), and what the screens and the API do to them through the SQL
 * functions of migration 0016_finance_settlements.sql (compute, validate,
 * a manual line). */
#ifndef FC_FINANCE_SETTLEMENTS_H
#define FC_FINANCE_SETTLEMENTS_H

#include "resource/resource.h"
#include "week.h"

extern const struct resource settlement_resource;
extern const char *const settlement_manual_kinds[];

/* Acting on settlements and the ledger is for finance, admins and the
 * owner; managers only read. */
int	finance_may_act(const struct request *);

/* The week of ?week= (absent: last week, the one settled now): 0, or -1
 * when it is malformed. */
int	settlement_week_param(struct request *, struct iso_week *w,
	    char monday[11]);
/* Write the week's brouillon settlements again (all drivers, or one):
 * 0 or a status.  Does nothing for a driver reader (they only read). */
int	settlement_compute(struct request *, const char *monday,
	    const char *driver_id);
/* The same for the week and driver of one settlement; 404 if unknown. */
int	settlement_refresh(struct request *, const char *id);
/* Validate one: 0, or a status with *code and *message set for the answer
 * (409 already validated or an earlier week open, 404). */
int	settlement_validate(struct request *, const char *id,
	    const char **code, const char **message);
/* « Tout valider »: how many were validated, or -1 with *status. */
long	settlement_validate_week(struct request *, const char *monday,
	    int *status);
/* A manual line {kind, amount_cents > 0 (a form: amount "12,50"),
 * reason} from the request's input: the stored
 * line (a new object), or NULL with *status and *errors (422) or a
 * message (409 when the settlement is validated). */
json_t	*settlement_add_line(struct request *, const char *id, int *status,
	    json_t **errors, const char **message);
/* A settlement as the API shows it, with its lines: a new object or NULL
 * with *status. */
json_t	*settlement_get(struct request *, const char *id, int *status);

#endif
