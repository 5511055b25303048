/* Several files travelling as one: a zip archive (libzip).  A source
 * whose export is several files (iSaVigne's clients, produits, ventes and
 * stock) takes them as one zip, or as several uploads that the request
 * bundles into one before the run keeps it — so that a run has one file,
 * which « Relancer » can read again. */
#ifndef FC_BUNDLE_H
#define FC_BUNDLE_H

#include <stddef.h>

/* The most a member may inflate to (a zip bomb stops there). */
#define BUNDLE_MEMBER_MAX	(1024LL * 1024 * 1024)
#define BUNDLE_MAX_MEMBERS	64

/* 1 when fd (read from its start) holds a zip archive. */
int	 bundle_is_zip(int fd);

/* Each file member of the zip at fd, extracted to an unnamed temporary
 * file, handed to fn with its base name (directories and the archivers'
 * own entries skipped).  fn keeps or closes member_fd.  0, or -1 with a
 * French reason in msg (not a zip, damaged, too large); or fn's
 * non-zero value. */
typedef int	(*bundle_fn)(void *ctx, const char *name, int member_fd);
int	 bundle_each(int fd, long long member_max, bundle_fn, void *ctx,
	    char *msg, size_t msglen);

/* A new zip at path of the files (names[i] from paths[i] or from
 * datas[i]/sizes[i] when the path is NULL): 0 or -1. */
int	 bundle_make(const char *path, size_t n, const char *const *names,
	    const char *const *paths, const char *const *datas,
	    const size_t *sizes);

#endif
