/* The onboarding wizard: « Informations personnelles » (creates the
 * driver as a candidate), « Documents », « Conditions de collaboration »
 * (makes them active).  Each step is saved when sent, so an onboarding
 * can stop at any step and resume there (drivers.onboarding_step). */
#ifndef FC_APP_DRIVERS_ONBOARDING_H
#define FC_APP_DRIVERS_ONBOARDING_H

#include "http.h"

int	drivers_onboarding_new(struct request *);
int	drivers_onboarding_create(struct request *);
int	drivers_onboarding_step1(struct request *);
int	drivers_onboarding_save1(struct request *);
int	drivers_onboarding_step2(struct request *);
int	drivers_onboarding_save2(struct request *);
int	drivers_onboarding_step3(struct request *);
int	drivers_onboarding_save3(struct request *);

#endif
