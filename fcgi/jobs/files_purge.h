/* The job kind "files_purge": what uploads leave behind, once a day.
 *
 *   - A sync run keeps its file so that « Relancer » can read it again;
 *     FILES_KEEP_DAYS after the run ended the run lets go of it (the run
 *     stays in the history, without the file).
 *   - A file no run refers to (the run let go of it, a generic CSV whose
 *     mapping was never finished) is removed once it is a day old.
 *   - A bulk import's file is kept between the preview and the
 *     confirmation; one a day old was abandoned and is removed.
 *   - A document's or an event attachment's file is written before its
 *     row; when the request's commit then fails, the file belongs to no
 *     row and is removed once a day old.  Files of rows are never removed.
 *
 * Scheduled by schedule.c; running it again changes nothing more. */
#ifndef FC_FILES_PURGE_H
#define FC_FILES_PURGE_H

#include "runner.h"

#define FILES_PURGE_KIND	"files_purge"
#define FILES_KEEP_DAYS		90

enum job_outcome	files_purge_run(struct job_ctx *);

#endif
