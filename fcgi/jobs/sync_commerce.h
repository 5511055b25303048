/* The run of a commerce source whose input is several files of several
 * tables (read_bundle: iSaVigne's exports): each file is staged and
 * merged into its table in the job's one transaction, so a run loads all
 * its files or none; stock is a full snapshot; customers' purchase
 * figures are recomputed; a header that appeared or disappeared since the
 * last run is schema drift, noted in the run's dialect. */
#ifndef FC_SYNC_COMMERCE_H
#define FC_SYNC_COMMERCE_H

#include "sync_run.h"

enum job_outcome	sync_commerce_load(struct sync_job *, int fd);

#endif
