/* "Paramètres": the entry to profile, members, tokens and outbox. */
#ifndef FC_APP_SETTINGS_H
#define FC_APP_SETTINGS_H

#include "http.h"

int	settings_show(struct request *);

#endif
