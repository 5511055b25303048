/* The worker's accept loop, run in each forked worker process. */
#ifndef FC_WORKER_LOOP_H
#define FC_WORKER_LOOP_H

#include "server.h"
#include "worker.h"

/* Returns when asked to stop (SIGTERM/SIGINT); the process exit status. */
int	worker_loop(struct worker *, const struct server_app *, int listen_fd);

#endif
