/* GET /api/v1/me: who the token speaks for. */
#ifndef FC_APP_API_ME_H
#define FC_APP_API_ME_H

#include "http.h"

int	api_me(struct request *);

#endif
