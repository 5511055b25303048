/* The files behind documents: type decided by content, written under
 * $FLEETCORE_DATA_DIR/documents/<tenant_id>/<storage_key> (never under
 * static/), atomically, and served only through an authorised route.
 * Nothing here touches the database, so the command line's demo data and
 * the unit tests use it too. */
#ifndef FC_APP_DOCUMENTS_FILE_H
#define FC_APP_DOCUMENTS_FILE_H

#include <stddef.h>

#include "arena.h"
#include "crypto.h"
#include "multipart.h"

#define DOCUMENTS_MAX_BYTES	(10 * 1024 * 1024)
#define DOCUMENTS_KEY_LEN	SECRET_TOKEN_LEN
/* What a file input offers to choose; the server checks the bytes
 * anyway. */
#define DOCUMENTS_ACCEPT \
	".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"

/* "application/pdf", "image/jpeg" or "image/png" from the first bytes
 * (%PDF-, FF D8 FF, the PNG signature), or NULL for anything else.  The
 * name and the type a client sends are never consulted. */
const char	*documents_sniff(const unsigned char *head, size_t n);
/* The media type of an upload (in memory or spooled), or NULL. */
const char	*documents_sniff_upload(const struct upload *);
/* Why an upload cannot be kept (empty, over DOCUMENTS_MAX_BYTES, not a
 * PDF, JPEG or PNG by its bytes), as the catalogue key of the message,
 * or NULL with *media set to its real type.  Documents and event attachments alike. */
const char	*documents_upload_problem(const struct upload *,
		    const char **media);
/* Write data (or the file at from_path when data is NULL) as a new
 * document file of the tenant: a temporary file in the same folder,
 * fsync, rename to a fresh random key, fsync of the folder.  0 and the
 * key, or -1. */
int		 documents_file_write(const char *data_dir, const char *tenant_id,
		    const char *data, size_t len, const char *from_path,
		    char key[DOCUMENTS_KEY_LEN + 1]);
int		 documents_file_store(const char *data_dir, const char *tenant_id,
		    const struct upload *, char key[DOCUMENTS_KEY_LEN + 1]);
/* The path of a stored file, or NULL when the tenant id or the key is not
 * of our own making (they come from the database, but a path is built
 * from them). */
const char	*documents_file_path(arena *, const char *data_dir,
		    const char *tenant_id, const char *key);
void		 documents_file_remove(arena *, const char *data_dir,
		    const char *tenant_id, const char *key);
/* A file name fit to keep and show: control characters, quotes, slashes
 * and backslashes replaced, at most 255 bytes of valid UTF-8, never
 * empty. */
const char	*documents_clean_name(arena *, const char *name);
/* The Content-Disposition of a download: the cleaned name with the
 * extension of its real type, an ASCII fallback and the UTF-8 form
 * (RFC 6266). */
const char	*documents_disposition(arena *, const char *name,
		    const char *content_type);

#endif
