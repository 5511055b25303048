/* /_styleguide: every partial, in every state (outside production). */
#ifndef FC_APP_STYLEGUIDE_H
#define FC_APP_STYLEGUIDE_H

#include "http.h"

int	styleguide_show(struct request *);

#endif
