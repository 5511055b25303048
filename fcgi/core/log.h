/* Logging to standard error, one line per event, written with a single
 * write so that lines from several workers never interleave. */
#ifndef FC_LOG_H
#define FC_LOG_H

void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_error(const char *, ...) __attribute__((format(printf, 1, 2)));
/* The access line: time, method, path, status, ms, bytes, tenant, user. */
void	log_request(const char *method, const char *path, int status,
	    double ms, size_t bytes, const char *tenant, const char *user);

#endif
