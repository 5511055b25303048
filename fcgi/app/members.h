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

#endif
