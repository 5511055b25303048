#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "runner.h"
#include "schedule.h"
#include "schedule_sync.h"

#define POLL_SECONDS		1
#define HEARTBEAT_SECONDS	5
#define STALE_SECONDS		30
#define REAP_EVERY		10

static volatile sig_atomic_t	stop_requested;

static void
on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

int
runner_heartbeat(struct job_ctx *c)
{
	struct db_error	err;
	time_t		now = time(NULL);

	if (now - c->last_beat >= HEARTBEAT_SECONDS) {
		if (queue_heartbeat(c->control, c->job->id, &err) == -1)
			log_error("heartbeat job %lld: %s", c->job->id,
			    err.message);
		c->last_beat = now;
	}
	return stop_requested ? -1 : 0;
}

static const struct job_kind *
find_kind(const struct job_kind *kinds, size_t nkinds, const char *name)
{
	size_t	i;

	for (i = 0; i < nkinds; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

static void
run_job(const struct config *cfg, const struct job_kind *k, struct db *db,
    struct db *control, const struct job *j)
{
	struct job_ctx		 c;
	struct db_error		 err;
	enum job_outcome	 o;

	memset(&c, 0, sizeof(c));
	c.cfg = cfg;
	c.db = db;
	c.control = control;
	c.job = j;
	c.last_beat = time(NULL);
	if (k == NULL) {
		snprintf(c.error, sizeof(c.error), "unknown job kind %s",
		    j->kind);
		o = JOB_PERMANENT;
	} else
		o = k->run(&c);
	db_rollback(db);	/* whatever the kind left open */
	if (queue_finish(control, j, o, c.error, &err) == -1)
		log_error("job %lld: cannot record outcome: %s", j->id,
		    err.message);
	log_info("job %lld %s attempt %d: %s%s%s", j->id, j->kind, j->attempts,
	    o == JOB_SUCCEEDED ? "succeeded" : o == JOB_TRANSIENT ?
	    "transient failure" : "failed", c.error[0] ? " — " : "", c.error);
}

static void
set_signals(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

int
runner_main(const struct config *cfg, const struct job_kind *kinds,
    size_t nkinds)
{
	struct db	*db, *control;
	struct db_error	 err;
	struct job	 j;
	char		 me[64];
	time_t		 last_reap = 0, last_schedule = 0;
	int		 n;

	set_signals();
	srand((unsigned int)(time(NULL) ^ getpid()));
	snprintf(me, sizeof(me), "jobs-%d", (int)getpid());
	if ((db = db_open(cfg->db)) == NULL ||
	    (control = db_open(cfg->db)) == NULL)
		return 1;
	log_info("fleetcore-jobs: %zu kinds, polling every %ds", nkinds,
	    POLL_SECONDS);
	while (!stop_requested) {
		if (time(NULL) - last_reap >= REAP_EVERY) {
			if ((n = queue_reap(control, STALE_SECONDS, &err)) > 0)
				log_error("reaped %d job(s) whose runner stopped", n);
			last_reap = time(NULL);
		}
		if (time(NULL) - last_schedule >= schedule_every(cfg)) {
			if ((n = schedule_tick(control, &err)) > 0)
				log_info("scheduled %d daily job(s)", n);
			else if (n == -1)
				log_error("schedule: %s", err.message);
			if ((n = schedule_sync_tick(control, &err)) > 0)
				log_info("scheduled %d sync run(s)", n);
			else if (n == -1)
				log_error("schedule sync: %s", err.message);
			last_schedule = time(NULL);
		}
		n = queue_claim(control, me, &j, &err);
		if (n == 1) {
			run_job(cfg, find_kind(kinds, nkinds, j.kind), db,
			    control, &j);
			job_clear(&j);
			continue;
		}
		sleep(POLL_SECONDS);
	}
	log_info("fleetcore-jobs: stopped");
	db_close(db);
	db_close(control);
	return 0;
}
