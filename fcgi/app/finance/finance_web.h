/* The « Finance » screens: the week (overview and one row per driver,
 * « Tout valider »), a driver's settlement with its « relevé
 * hebdomadaire », and their forms. */
#ifndef FC_FINANCE_WEB_H
#define FC_FINANCE_WEB_H

#include "http.h"

int	finance_week_page(struct request *);
int	finance_week_export(struct request *);
int	finance_validate_week(struct request *);
int	finance_settlement_page(struct request *);
int	finance_settlement_validate(struct request *);
int	finance_settlement_line(struct request *);

#endif
