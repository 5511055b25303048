/* The column mapping of a generic CSV source. */
#ifndef FC_APP_SOURCES_MAPPING_H
#define FC_APP_SOURCES_MAPPING_H

#include "http.h"
#include "sources.h"

/* A generic source without a mapping yet: keep the uploaded file and
 * redirect to the mapping form for it.  A status. */
int	sources_mapping_ask(struct request *, const struct source_row *,
	    struct upload *);

int	sources_mapping_form(struct request *);
int	sources_mapping_save(struct request *);

#endif
