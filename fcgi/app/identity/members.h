/* The members of an organisation: invitations by one-time link, roles,
 * removal; and the outbox where links land without a mail server. */
#ifndef FC_APP_MEMBERS_H
#define FC_APP_MEMBERS_H

#include "http.h"

int	members_list(struct request *);
int	members_invite(struct request *);
int	members_set_role(struct request *);
int	members_remove(struct request *);
int	members_outbox(struct request *);
int	invitation_show(struct request *);
int	invitation_accept(struct request *);
/* 1 when email is a member of the current organisation, 0 when not, or
 * the status of a failure. */
int	members_is_member(struct request *, const char *email);
/* A one-time link to join the organisation with role, valid 7 days, and
 * its mail in the outbox (subject; intro, then the link).  driver_id, when
 * not NULL, names the driver record the account is linked to on
 * acceptance (role driver).  0 or a status. */
int	members_invitation_create(struct request *, const char *email,
	    const char *role, const char *driver_id, const char *subject,
	    const char *intro);

#endif
