/* multipart/form-data (RFC 7578).  Fields land in a kvlist like any form;
 * file parts become uploads, kept in memory when small and written to the
 * spool folder when large.  The caller removes spooled files at the end of
 * the request (multipart_cleanup). */
#ifndef FC_MULTIPART_H
#define FC_MULTIPART_H

#include "request.h"

struct upload {
	const char	*field;
	const char	*filename;	/* base name only, valid UTF-8 */
	const char	*content_type;	/* as sent: never trusted for type */
	const char	*data;		/* in memory, or NULL */
	const char	*path;		/* spooled to disk, or NULL */
	size_t		 size;
};

struct uploads {
	struct upload	*v;
	size_t		 n;
};

int	multipart_parse(arena *, const char *content_type, const char *body,
	    size_t len, const struct req_limits *, struct kvlist *form,
	    struct uploads *files, struct req_error *);
void	multipart_cleanup(struct uploads *);
/* The first file part sent as field, or NULL. */
const struct upload *uploads_find(const struct uploads *, const char *field);

#endif
