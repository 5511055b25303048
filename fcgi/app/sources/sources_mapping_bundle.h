#ifndef FC_SOURCES_MAPPING_BUNDLE_H
#define FC_SOURCES_MAPPING_BUNDLE_H

#include "sources.h"

/* The « Mapping & Normalisation » page of an export of several files
 * (iSaVigne): per file, each canonical field beside the header the last
 * run read it from, its transformation, the aliases tried, and the one
 * the source adds (saved into its mapping); « Réappliquer » runs the last
 * file again. */
int	sources_mapping_bundle_form(struct request *, const struct source_row *);
int	sources_mapping_bundle_save(struct request *, const struct source_row *);

#endif
