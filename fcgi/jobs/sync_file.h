/* Files waiting to be read by a sync: an upload is moved under the data
 * folder, per tenant, under a random key; the run records the key, and
 * the job runner (the same data folder) reads it from there.  Files are
 * kept after the run so that « Relancer » can read them again. */
#ifndef FC_SYNC_FILE_H
#define FC_SYNC_FILE_H

#include <stddef.h>

#include "crypto.h"
#include "multipart.h"

#define SYNC_FILE_KEY_LEN	SECRET_TOKEN_LEN

/* The path of a kept file into out; -1 when the key is not one of ours. */
int	sync_file_path(const char *data_dir, const char *tenant_id,
	    const char *key, char *out, size_t outlen);
/* Keep an upload (moved when spooled to disk, written otherwise): 0 with
 * its new key, or -1.  A moved upload's path is cleared so that the
 * request's cleanup leaves it alone. */
int	sync_file_keep(const char *data_dir, const char *tenant_id,
	    struct upload *, char key[SYNC_FILE_KEY_LEN + 1]);
/* Keep a copy of bytes (tests, the CLI). */
int	sync_file_keep_path(const char *data_dir, const char *tenant_id,
	    const char *path, char key[SYNC_FILE_KEY_LEN + 1]);

#endif
