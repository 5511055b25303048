/* « Organisation et banque », a section of the settings: the owner and
 * administrators change it, finance and managers read it. */
#ifndef FC_APP_FINANCE_ORGANISATION_WEB_H
#define FC_APP_FINANCE_ORGANISATION_WEB_H

#include "http.h"

int	organisation_page(struct request *);
int	organisation_save(struct request *);

#endif
