/* Password reset by a one-time link (valid one hour, single use). */
#ifndef FC_APP_RESET_H
#define FC_APP_RESET_H

#include "http.h"

int	reset_request_form(struct request *);
int	reset_request(struct request *);
int	reset_form(struct request *);
int	reset_submit(struct request *);

#endif
