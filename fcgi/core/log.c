#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static void
stamp(char *out, size_t n)
{
	struct timeval	tv;
	struct tm	tm;

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(tv.tv_usec / 1000));
}

/* Control characters in logged values could forge lines. */
static void
sanitize(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static void
emit(const char *level, const char *fmt, va_list ap)
{
	char	line[2048], ts[64], msg[1800];
	int	n;

	stamp(ts, sizeof(ts));
	vsnprintf(msg, sizeof(msg), fmt, ap);
	sanitize(msg);
	n = snprintf(line, sizeof(line), "%s %s pid=%d %s\n", ts, level,
	    (int)getpid(), msg);
	if (n > (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 1;
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;	/* nowhere left to report it */
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	emit("info", fmt, ap);
	va_end(ap);
}

void
log_error(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	emit("error", fmt, ap);
	va_end(ap);
}

void
log_request(const char *method, const char *path, int status, double ms,
    size_t bytes, const char *tenant, const char *user)
{
	char	p[512];

	snprintf(p, sizeof(p), "%s", path);
	log_info("%s %s %d %.1fms %zuB tenant=%s user=%s", method, p, status,
	    ms, bytes, tenant ? tenant : "-", user ? user : "-");
}
