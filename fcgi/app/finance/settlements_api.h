#ifndef FC_FINANCE_SETTLEMENTS_API_H
#define FC_FINANCE_SETTLEMENTS_API_H

#include "http.h"

int	settlements_api_list(struct request *);
int	settlements_api_show(struct request *);
int	settlements_api_validate(struct request *);
int	settlements_api_line(struct request *);

#endif
