/* What one worker process owns for its whole life: the shared read-only
 * configuration, route table and templates, and its own database
 * connection.  Handlers reach it through request->w. */
#ifndef FC_WORKER_H
#define FC_WORKER_H

#include <stddef.h>
#include <time.h>

#include "config.h"
#include "db.h"
#include "metrics.h"
#include "request.h"
#include "router.h"
#include "tmpl.h"

struct i18n;
struct server_app;

struct worker {
	const struct config	*cfg;
	const struct server_app	*app;
	const struct route	*routes;
	size_t			 nroutes;
	struct req_limits	 limits;
	struct metrics		*metrics;
	struct db		*db;
	tmpl_set		*tmpl;
	struct i18n		*i18n;
	time_t			 tmpl_loaded;	/* newest template mtime */
	char			 asset_version[16];	/* cache buster */
	int			 index;
};

#endif
