/* What every API handler that takes a body checks first. */
#ifndef FC_APP_API_INPUT_H
#define FC_APP_API_INPUT_H

#include "http.h"

/* 0 when the body is a JSON object; otherwise answers 415 or 400 and
 * returns that status. */
int	api_require_object(struct request *);
/* Answer 422 validation_failed with the fields (stolen). */
int	api_invalid(struct request *, json_t *fields);
/* Answer a write the database refused: 409 conflict saying what the
 * first field's message says, 422 with the fields; other statuses are
 * returned as they are.  fields ({field: message} or NULL) is stolen. */
int	api_write_failed(struct request *, int status, json_t *fields);

#endif
