/* The table of job kinds.  Each area adds its kinds here. */
#include "accounting_sync_job.h"
#include "documents_refresh.h"
#include "files_purge.h"
#include "runner.h"
#include "source_login.h"
#include "sync_job.h"

/* Proves the runner is alive end to end (used by the status checks). */
static enum job_outcome
job_ping(struct job_ctx *c)
{
	(void)c;
	return JOB_SUCCEEDED;
}

const struct job_kind job_kinds[] = {
	{ "ping", job_ping },
	{ SYNC_JOB_KIND, sync_job_run },
	{ DOCUMENTS_REFRESH_KIND, documents_refresh_run },
	{ FILES_PURGE_KIND, files_purge_run },
	{ ACCOUNTING_SYNC_KIND, accounting_sync_run },
	{ SOURCE_LOGIN_KIND, source_login_run },
};

const size_t job_nkinds = sizeof(job_kinds) / sizeof(job_kinds[0]);
