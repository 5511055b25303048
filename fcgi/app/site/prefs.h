/* Visitor preferences that need no account: the interface language. */
#ifndef FC_APP_PREFS_H
#define FC_APP_PREFS_H

#include "http.h"

int	prefs_language(struct request *);

#endif
