#include <string.h>

#include "api.h"
#include "payouts.h"
#include "settlements.h"
#include "payouts_api.h"
#include "resource/api_input.h"

/* Managers read; finance, admin and owner act. */
static int
forbidden(struct request *r)
{
	return api_error_key(r, 403, "forbidden", "payouts.forbidden", NULL)
	    == 0 ? 403 : 500;
}

static int
answer(struct request *r, json_t *batch, int status,
    struct payout_failure *f)
{
	if (batch == NULL)
		return payout_failure_api(r, f);
	return api_ok(r, status, batch);
}

int
payouts_api_create(struct request *r)
{
	struct payout_failure	 f;
	json_t			*b;
	int			 rc, created;

	if (!finance_may_act(r))
		return forbidden(r);
	if ((rc = api_require_object(r)) != 0)
		return rc;
	b = payout_batch_create(r, r->json, &created, &f);
	return answer(r, b, created ? 201 : 200, &f);
}

int
payouts_api_list(struct request *r)
{
	struct api_page	 pg;
	json_t		*items;
	long		 total = 0;
	int		 rc, status = 500;

	if ((rc = api_page_parse(r, &pg)) != 0)
		return rc;
	if ((items = payout_batch_list(r, pg.limit, pg.offset, &total,
	    &status)) == NULL)
		return status;
	return api_list(r, items, &pg, total);
}

int
payouts_api_show(struct request *r)
{
	json_t	*b;
	int	 status = 500;

	if ((b = payout_batch_get(r, http_param_uuid(r, 0), &status)) == NULL)
		return status;
	return api_ok(r, 200, b);
}

int
payouts_send_file(struct request *r, const char *id)
{
	const char	*name, *type, *content, *disp;
	int		 rc;

	if ((rc = payout_batch_file(r, id, &name, &type, &content)) != 0)
		return rc;
	disp = arena_printf(r->arena, "attachment; filename=\"%s\"", name);
	if (disp == NULL || http_add_header(r, "Content-Disposition", disp)
	    != 0)
		return 500;
	return http_body(r, 200, strcmp(type, "text/csv") == 0 ?
	    "text/csv; charset=us-ascii" : "application/xml; charset=utf-8",
	    content, strlen(content));
}

/* The file is the bank's instruction: only who may pay downloads it. */
int
payouts_api_file(struct request *r)
{
	if (!finance_may_act(r))
		return forbidden(r);
	return payouts_send_file(r, http_param_uuid(r, 0));
}

int
payouts_api_sent(struct request *r)
{
	struct payout_failure	f;

	if (!finance_may_act(r))
		return forbidden(r);
	return answer(r, payout_batch_sent(r, http_param_uuid(r, 0), &f), 200,
	    &f);
}

/* A member of the body as text, or NULL. */
static const char *
body_text(struct request *r, const char *name)
{
	return r->json != NULL ? json_string_value(json_object_get(r->json,
	    name)) : NULL;
}

int
payouts_api_line_paid(struct request *r)
{
	struct payout_failure	f;

	if (!finance_may_act(r))
		return forbidden(r);
	return answer(r, payout_line_paid(r, http_param_uuid(r, 0),
	    http_param_uuid(r, 1), body_text(r, "paid_on"), &f), 200, &f);
}

int
payouts_api_line_rejected(struct request *r)
{
	struct payout_failure	f;
	int			rc;

	if (!finance_may_act(r))
		return forbidden(r);
	if ((rc = api_require_object(r)) != 0)
		return rc;
	return answer(r, payout_line_rejected(r, http_param_uuid(r, 0),
	    http_param_uuid(r, 1), body_text(r, "reason"), &f), 200, &f);
}
