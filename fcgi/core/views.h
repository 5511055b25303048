/* Templates and locales of a worker (fcgi/core/views.c). */
#ifndef FC_VIEWS_H
#define FC_VIEWS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "worker.h"

/* Load templates and locales from cfg->templates into w (used at start,
 * on SIGHUP and by the development reload).  -1 with err. */
int	views_load(struct worker *, char *err, size_t errlen);

/* In development, templates reload when a file changes.  A change is any
 * difference in a fingerprint of the tree (names, sizes, inodes and
 * nanosecond mtimes): comparing whole-second mtimes with the load time
 * would miss an edit saved in the same second as the previous reload. */
struct views_watch {
	time_t		checked;	/* last look: one a second */
	uint64_t	seen;		/* fingerprint of what is loaded */
	int		primed;
};

/* Outside development, or at most once a second, nothing is done;
 * otherwise reloads w's views when the tree changed. */
void	views_reload_if_changed(struct worker *, struct views_watch *);

#endif
