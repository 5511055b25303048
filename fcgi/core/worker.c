/* One worker process: accept a FastCGI request, read and parse it into
 * the arena, dispatch, write the response, log, reset. */
#define _GNU_SOURCE	/* prctl */
#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "log.h"
#include "page.h"
#include "server.h"
#include "utf8.h"
#include "views.h"
#include "worker.h"
#include "worker_loop.h"

/* Bodies larger than this are spooled to a file and mapped, so a large
 * upload costs page cache, not heap. */
#define BODY_IN_MEMORY	(1024 * 1024)

static volatile sig_atomic_t	stop_requested;

static void
on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static double
now_seconds(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct body {
	char	*map;
	size_t	 maplen;
};

static int
read_exact(FCGX_Stream *in, char *dst, size_t n)
{
	int	got;

	while (n > 0) {
		got = FCGX_GetStr(dst, n > (1 << 20) ? (1 << 20) : (int)n, in);
		if (got <= 0)
			return -1;
		dst += got;
		n -= (size_t)got;
	}
	return 0;
}

static int
spool_body(struct request *r, FCGX_Stream *in, size_t len, struct body *b)
{
	char	path[512], chunk[65536];
	int	fd, got;
	size_t	left = len;

	snprintf(path, sizeof(path), "%s/fc-body-XXXXXX",
	    r->w->limits.spool_dir);
	if ((fd = mkstemp(path)) == -1)
		return 500;
	unlink(path);	/* gone when closed: nothing to clean up */
	while (left > 0) {
		got = FCGX_GetStr(chunk, left > sizeof(chunk) ?
		    (int)sizeof(chunk) : (int)left, in);
		if (got <= 0 || write(fd, chunk, (size_t)got) != got) {
			close(fd);
			return 400;
		}
		left -= (size_t)got;
	}
	b->map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (b->map == MAP_FAILED) {
		b->map = NULL;
		return 500;
	}
	b->maplen = len;
	r->body = b->map;
	r->body_len = len;
	return 0;
}

/* The limits of this request: its route (found before the body is read)
 * may take a larger body. */
static struct req_limits
limits_of(const struct request *r)
{
	struct req_limits	lim = r->w->limits;

	if (r->match.route != NULL && (r->match.route->flags & ROUTE_UPLOAD) &&
	    lim.max_upload > lim.max_body)
		lim.max_body = lim.max_upload;
	return lim;
}

static int
read_body(struct request *r, FCGX_Stream *in, struct body *b)
{
	const char	*cl = http_env(r, "CONTENT_LENGTH");
	char		*end, *p;
	unsigned long long len;

	if (cl == NULL || *cl == '\0')
		return 0;
	len = strtoull(cl, &end, 10);
	if (*end != '\0')
		return 400;
	if (len > limits_of(r).max_body)
		return 413;
	if (len == 0)
		return 0;
	if (len > BODY_IN_MEMORY)
		return spool_body(r, in, (size_t)len, b);
	if ((p = arena_alloc(r->arena, (size_t)len + 1)) == NULL)
		return 500;
	if (read_exact(in, p, (size_t)len) == -1)
		return 400;
	p[len] = '\0';
	r->body = p;
	r->body_len = (size_t)len;
	return 0;
}

static int
fail_with(struct request *r, const struct req_error *e)
{
	if (e->status >= 500)
		return e->status;
	page_error(r, e->status, e->message);
	return e->status;
}

/* Parse query and body according to the media type. */
static int
parse_inputs(struct request *r)
{
	const struct req_limits	 limits = limits_of(r), *lim = &limits;
	const char		*ct = http_env(r, "CONTENT_TYPE");
	struct req_error	 e;

	if (r->query_string != NULL && req_parse_urlencoded(r->arena,
	    r->query_string, strlen(r->query_string), lim, &r->query, &e) == -1)
		return fail_with(r, &e);
	r->media_type = req_media_type(r->arena, ct);
	if (r->body_len == 0 || r->media_type == NULL)
		return 0;
	if (strcmp(r->media_type, "application/x-www-form-urlencoded") == 0) {
		if (req_parse_urlencoded(r->arena, r->body, r->body_len, lim,
		    &r->form, &e) == -1)
			return fail_with(r, &e);
	} else if (strcmp(r->media_type, "multipart/form-data") == 0) {
		if (multipart_parse(r->arena, ct, r->body, r->body_len, lim,
		    &r->form, &r->files, &e) == -1)
			return fail_with(r, &e);
	} else if (strcmp(r->media_type, "application/json") == 0) {
		if (req_parse_json(r->arena, r->body, r->body_len, lim,
		    &r->json, &e) == -1)
			return fail_with(r, &e);
	}
	return 0;
}

static void
write_file_body(FCGX_Stream *out, const char *path)
{
	char	chunk[65536];
	ssize_t	n;
	int	fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (FCGX_PutStr(chunk, (int)n, out) != n)
			break;
	close(fd);
}

static size_t
write_response(struct request *r, FCGX_Stream *out)
{
	struct response	*res = &r->res;
	struct stat	 st;
	size_t		 len = res->body.len;
	char		 head[512];
	int		 n;

	if (res->file_path != NULL) {
		if (stat(res->file_path, &st) == -1) {
			res->file_path = NULL;
			res->done = 0;
			page_error(r, 404, NULL);
		} else
			len = (size_t)st.st_size;
	}
	/* libfcgi's own printf knows no %zu: format here. */
	n = snprintf(head, sizeof(head), "Status: %d %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\n", res->status, http_reason(res->status),
	    res->content_type ? res->content_type : "text/plain", len);
	FCGX_PutStr(head, n < (int)sizeof(head) ? n : (int)sizeof(head) - 1,
	    out);
	if (res->headers.len > 0)
		FCGX_PutStr(res->headers.data, (int)res->headers.len, out);
	FCGX_PutS("\r\n", out);
	if (r->is_head)
		return len;
	if (res->file_path != NULL)
		write_file_body(out, res->file_path);
	else if (res->body.len > 0)
		FCGX_PutStr(res->body.data, (int)res->body.len, out);
	return len;
}

static void
init_request(struct request *r, struct worker *w, arena *a, char **env,
    buf *headers, buf *body)
{
	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->w = w;
	r->env = env;
	r->method = http_env(r, "REQUEST_METHOD");
	r->path = http_env(r, "DOCUMENT_URI");
	if (r->path == NULL)
		r->path = http_env(r, "SCRIPT_NAME");
	if (r->method == NULL)
		r->method = "GET";
	if (r->path == NULL || *r->path == '\0')
		r->path = "/";
	r->query_string = http_env(r, "QUERY_STRING");
	r->remote_addr = http_env(r, "REMOTE_ADDR");
	r->is_head = strcmp(r->method, "HEAD") == 0;
	r->is_api = strncmp(r->path, "/api/", 5) == 0;
	r->res.headers = *headers;
	r->res.body = *body;
	buf_clear(&r->res.headers);
	buf_clear(&r->res.body);
}

/* Cookies first: the language cookie decides how even a 404 is said. */
static int
read_cookies(struct request *r)
{
	struct req_error	e;

	if (req_parse_cookies(r->arena, http_env(r, "HTTP_COOKIE"),
	    &r->w->limits, &r->cookies, &e) == -1) {
		page_error(r, e.status, e.message);
		return e.status;
	}
	r->lang = (int)i18n_negotiate(http_cookie(r, LANG_COOKIE),
	    http_env(r, "HTTP_ACCEPT_LANGUAGE"));
	return 0;
}

/* Keep the response buffers between requests, unless one grew large. */
static void
keep_buffers(struct request *r, buf *headers, buf *body)
{
	*headers = r->res.headers;
	*body = r->res.body;
	if (body->cap > (1 << 20))
		buf_free(body);
}

/* Each step answers by itself when it refuses the request. */
static void
process(struct request *r, const struct server_app *app, FCGX_Stream *in,
    struct body *b)
{
	int	rc;

	if (read_cookies(r) != 0)
		return;
	if (!utf8_valid_text(r->path, strlen(r->path))) {
		page_error(r, 400, "Adresse invalide : texte non UTF-8.");
		return;
	}
	if ((rc = server_route(r, app)) != 0) {
		page_error(r, rc, NULL);
		return;
	}
	if ((rc = read_body(r, in, b)) != 0) {
		page_error(r, rc, NULL);
		return;
	}
	if (parse_inputs(r) != 0)
		return;
	server_dispatch(r, app);
}

static void
handle(struct worker *w, const struct server_app *app, FCGX_Request *fr,
    arena *a, buf *headers, buf *body)
{
	struct request	*r;
	struct body	 b = { NULL, 0 };
	double		 start = now_seconds();
	size_t		 bytes;

	if ((r = arena_alloc(a, sizeof(*r))) == NULL)
		return;
	init_request(r, w, a, fr->envp, headers, body);
	process(r, app, fr->in, &b);
	if (!r->res.done)
		page_error(r, 500, NULL);
	bytes = write_response(r, fr->out);
	if (r->res.file_path != NULL && r->res.file_temporary)
		unlink(r->res.file_path);
	metrics_request(w->metrics, r->match.route ? r->match.index :
	    w->nroutes, r->res.status, now_seconds() - start);
	log_request(r->method, r->path, r->res.status,
	    (now_seconds() - start) * 1000.0, bytes, r->id.tenant_slug,
	    r->id.user_email);
	multipart_cleanup(&r->files);
	json_decref(r->json);
	if (b.map != NULL)
		munmap(b.map, b.maplen);
	keep_buffers(r, headers, body);
	arena_reset(a);
}

static void
set_signals(sigset_t *during_request)
{
	struct sigaction	sa;
	sigset_t		none;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;	/* no SA_RESTART: accept() must return */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	sigemptyset(during_request);
	sigaddset(during_request, SIGTERM);
	sigaddset(during_request, SIGINT);
}

int
worker_loop(struct worker *w, const struct server_app *app, int listen_fd)
{
	FCGX_Request	 fr;
	sigset_t	 during;
	arena		*a;
	buf		 headers, body;
	struct views_watch watch = { 0, 0, 0 };

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	set_signals(&during);
	if ((a = arena_new()) == NULL ||
	    (w->db = db_open(w->cfg->db)) == NULL)
		return 1;
	buf_init(&headers);
	buf_init(&body);
	if (FCGX_InitRequest(&fr, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0)
		return 1;
	while (!stop_requested) {
		if (FCGX_Accept_r(&fr) < 0) {
			if (stop_requested || errno == EINTR)
				continue;
			log_error("accept: %s", strerror(errno));
			sleep(1);	/* no busy loop on a broken socket */
			continue;
		}
		sigprocmask(SIG_BLOCK, &during, NULL);
		views_reload_if_changed(w, &watch);
		handle(w, app, &fr, a, &headers, &body);
		FCGX_Finish_r(&fr);
		sigprocmask(SIG_UNBLOCK, &during, NULL);
	}
	FCGX_Free(&fr, 0);
	buf_free(&headers);
	buf_free(&body);
	arena_free(a);
	db_close(w->db);
	w->db = NULL;
	return 0;
}
