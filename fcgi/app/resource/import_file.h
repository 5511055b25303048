/* An uploaded CSV kept between the preview and the confirmation: stored
 * under the data folder, per tenant, under a random name. */
#ifndef FC_APP_IMPORT_FILE_H
#define FC_APP_IMPORT_FILE_H

#include "buf.h"
#include "crypto.h"
#include "http.h"

/* Keep the upload in field "file" as UTF-8; its token goes to token.
 * 0, or 422 with a French message in *message. */
int	import_file_keep(struct request *, char token[SECRET_TOKEN_LEN + 1],
	    const char **message);
/* The kept file's text; -1 when the token names none for this tenant. */
int	import_file_read(struct request *, const char *token, buf *out);
void	import_file_drop(struct request *, const char *token);

#endif
