/* The « Sources de Données » screens: the list with each source's health,
 * adding one from its type's declared form, its page (test, sync by
 * uploading a file, pause, « mode automatique », schedule, recent runs),
 * the column mapping of a generic CSV, the history, and a run's page with
 * its live progress (htmx polling; a plain reload without JavaScript). */
#ifndef FC_APP_SOURCES_WEB_H
#define FC_APP_SOURCES_WEB_H

#include "http.h"

int	sources_index(struct request *);
int	sources_new(struct request *);
int	sources_create(struct request *);
int	sources_show(struct request *);
int	sources_edit(struct request *);
int	sources_save(struct request *);
int	sources_check_web(struct request *);
int	sources_sync_web(struct request *);
int	sources_pause(struct request *);
int	sources_resume(struct request *);
int	sources_auto(struct request *);
int	sources_schedule_web(struct request *);
int	sources_runs(struct request *);
int	sources_mapping_form(struct request *);
int	sources_mapping_save(struct request *);
int	sync_runs_show(struct request *);
int	sync_runs_progress(struct request *);
int	sync_runs_cancel_web(struct request *);
int	sync_runs_retry_web(struct request *);

#endif
