/* The signed-in person's own profile: name, language, password. */
#ifndef FC_APP_PROFILE_H
#define FC_APP_PROFILE_H

#include "http.h"

int	profile_show(struct request *);
int	profile_update(struct request *);
int	profile_password(struct request *);

#endif
