/* The supervisor: opens the socket, loads the views once, forks the
 * workers and keeps their number right. */
#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crypto.h"
#include "i18n.h"
#include "log.h"
#include "server.h"
#include "views.h"
#include "worker.h"
#include "worker_loop.h"

#define MAX_WORKERS	256
/* How long a stopping worker may take to finish its request. */
#define STOP_GRACE_SEC	30

struct supervisor {
	struct worker		 proto;	/* copied into each child */
	const struct server_app	*app;
	int			 listen_fd;
	int			 nworkers;
	pid_t			 pids[MAX_WORKERS];
	sigset_t		 signals;
};

static pid_t
spawn(struct supervisor *s, int index)
{
	struct worker	w;
	pid_t		pid;

	if ((pid = fork()) == -1) {
		log_error("fork: %s", strerror(errno));
		return -1;
	}
	if (pid > 0)
		return pid;
	w = s->proto;
	w.index = index;
	exit(worker_loop(&w, s->app, s->listen_fd));
}

static int
slot_of(const struct supervisor *s, pid_t pid)
{
	int	i;

	for (i = 0; i < s->nworkers; i++)
		if (s->pids[i] == pid)
			return i;
	return -1;
}

/* Reap exited workers; when respawn is set, replace them. */
static void
reap(struct supervisor *s, int respawn)
{
	pid_t	pid;
	int	status, slot;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if ((slot = slot_of(s, pid)) == -1)
			continue;
		s->pids[slot] = 0;
		if (!respawn)
			continue;
		log_error("worker %d (pid %d) died (%s %d); replacing it",
		    slot, (int)pid, WIFSIGNALED(status) ? "signal" : "status",
		    WIFSIGNALED(status) ? WTERMSIG(status) :
		    WEXITSTATUS(status));
		metrics_worker_restart(s->proto.metrics);
		s->pids[slot] = spawn(s, slot);
	}
}

/* Ask pid to stop and wait for it.  The signal is repeated because a
 * worker may be between its flag check and accept(). */
static void
stop_worker(pid_t pid)
{
	struct timespec	 pause = { 0, 100 * 1000 * 1000 };
	int		 i, status;

	for (i = 0; i < STOP_GRACE_SEC * 10; i++) {
		if (kill(pid, SIGTERM) == -1 && errno == ESRCH)
			return;
		nanosleep(&pause, NULL);
		if (waitpid(pid, &status, WNOHANG) == pid)
			return;
	}
	log_error("worker pid %d did not stop in %ds; killing it",
	    (int)pid, STOP_GRACE_SEC);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

static void
stop_all(struct supervisor *s)
{
	int	i;

	/* Tell every worker first so they finish their requests together. */
	for (i = 0; i < s->nworkers; i++)
		if (s->pids[i] > 0)
			kill(s->pids[i], SIGTERM);
	for (i = 0; i < s->nworkers; i++)
		if (s->pids[i] > 0) {
			stop_worker(s->pids[i]);
			s->pids[i] = 0;
		}
}

/* SIGHUP: new views, then one worker at a time is replaced; the new one
 * is accepting before the old one is asked to stop. */
static void
replace_all(struct supervisor *s)
{
	char	err[512];
	pid_t	old;
	int	i;

	if (views_load(&s->proto, err, sizeof(err)) == -1) {
		log_error("reload refused, keeping the running workers: %s",
		    err);
		return;
	}
	for (i = 0; i < s->nworkers; i++) {
		old = s->pids[i];
		s->pids[i] = spawn(s, i);
		if (old > 0)
			stop_worker(old);
	}
	log_info("reloaded: %d workers replaced", s->nworkers);
}

static int
supervise(struct supervisor *s)
{
	siginfo_t	info;
	int		sig, i;

	for (i = 0; i < s->nworkers; i++)
		s->pids[i] = spawn(s, i);
	log_info("fleetcore-fcgi: %d workers on %s", s->nworkers,
	    s->proto.cfg->socket);
	for (;;) {
		sig = sigwaitinfo(&s->signals, &info);
		if (sig == SIGCHLD)
			reap(s, 1);
		else if (sig == SIGHUP)
			replace_all(s);
		else if (sig == SIGTERM || sig == SIGINT)
			break;
	}
	log_info("stopping: letting requests in flight finish");
	stop_all(s);
	reap(s, 0);
	return 0;
}

static int
open_socket(const char *path)
{
	int	fd;

	unlink(path);
	if ((fd = FCGX_OpenSocket(path, 1024)) < 0)
		return -1;
	/* nginx runs as the same user; nobody else may connect. */
	chmod(path, 0660);
	return fd;
}

int
server_run(const struct config *cfg, const struct server_app *app)
{
	struct supervisor	 s;
	char			 err[512];
	size_t			 bad;
	int			 rc;

	memset(&s, 0, sizeof(s));
	if (secret_init() == -1) {
		log_error("libsodium failed to start");
		return 1;
	}
	if (router_check(app->routes, app->nroutes, &bad) == -1) {
		log_error("route %zu is malformed", bad);
		return 1;
	}
	s.app = app;
	s.proto.cfg = cfg;
	s.proto.app = app;
	s.proto.routes = app->routes;
	s.proto.nroutes = app->nroutes;
	s.proto.limits = req_default_limits;
	s.proto.limits.max_body = (size_t)cfg->max_body_mb * 1024 * 1024;
	s.proto.limits.max_upload = (size_t)cfg->max_upload_mb * 1024 * 1024;
	s.proto.limits.spool_dir = cfg->data_dir;
	s.nworkers = cfg->workers > MAX_WORKERS ? MAX_WORKERS : cfg->workers;
	if (views_load(&s.proto, err, sizeof(err)) == -1) {
		log_error("templates: %s", err);
		return 1;
	}
	if ((s.proto.metrics = metrics_create(app->nroutes)) == NULL ||
	    FCGX_Init() != 0 || (s.listen_fd = open_socket(cfg->socket)) < 0) {
		log_error("cannot listen on %s: %s", cfg->socket,
		    strerror(errno));
		return 1;
	}
	sigemptyset(&s.signals);
	sigaddset(&s.signals, SIGCHLD);
	sigaddset(&s.signals, SIGHUP);
	sigaddset(&s.signals, SIGTERM);
	sigaddset(&s.signals, SIGINT);
	sigprocmask(SIG_BLOCK, &s.signals, NULL);
	rc = supervise(&s);
	close(s.listen_fd);
	unlink(cfg->socket);
	tmpl_set_free(s.proto.tmpl);
	i18n_free(s.proto.i18n);
	metrics_destroy(s.proto.metrics);
	return rc;
}
