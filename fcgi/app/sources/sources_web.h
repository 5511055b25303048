/* The « Sources de Données » screens: the list with each source's health,
 * and adding or editing one from its type's declared form.  A source's
 * page is sources_page.h, the column mapping sources_mapping.h, a run's
 * page sync_runs_web.h. */
#ifndef FC_APP_SOURCES_WEB_H
#define FC_APP_SOURCES_WEB_H

#include "http.h"

int	sources_index(struct request *);
int	sources_new(struct request *);
int	sources_create(struct request *);
int	sources_edit(struct request *);
int	sources_save(struct request *);

#endif
