/* The JSON envelope of /api/v1 (DESIGN §8):
 *   {"success":true,"data":…,"pagination":{page,limit,total,has_next}}
 *   {"success":false,"error":{"code","message","fields"}} */
#ifndef FC_API_H
#define FC_API_H

#include <jansson.h>

#include "http.h"

#define API_MAX_LIMIT		100
#define API_DEFAULT_LIMIT	20

struct api_page {
	long	page;	/* from 1 */
	long	limit;
	long	offset;
};

/* JSON texts already valid (PostgreSQL's row_to_json), passed on as
 * they are. */
struct api_texts {
	const char	**text;
	int		  n;
};

/* Each steals its json_t arguments and returns 0 (or 500 on OOM). */
int		 api_ok(struct request *, int status, json_t *data);
int		 api_list(struct request *, json_t *items,
		    const struct api_page *, long total);
/* api_list's answer for rows that are JSON texts already. */
int		 api_list_texts(struct request *, const struct api_texts *,
		    const struct api_page *, long total);
int		 api_error(struct request *, int status, const char *code,
		    const char *message, json_t *fields);
/* api_error with the message at a catalogue key, in the request's
 * language. */
int		 api_error_key(struct request *, int status, const char *code,
		    const char *key, json_t *fields);
/* The stable error code for a status ("not_found", ...). */
const char	*api_code(int status);
/* Read ?page= and ?limit=; 0, or 422 after answering with the fields. */
int		 api_page_parse(struct request *, struct api_page *);
/* Serialize into a buffer (used for every JSON body). */
int		 api_dump(json_t *, buf *);

#endif
