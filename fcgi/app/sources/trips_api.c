#include "api.h"
#include "resource/api_input.h"
#include "trips.h"
#include "trips_api.h"

typedef json_t *(*list_fn)(struct request *, const struct trips_filter *,
    const struct api_page *, long *, json_t **, int *);

static int
answer(struct request *r, list_fn fn)
{
	struct trips_filter	 f;
	struct api_page		 pg;
	json_t			*errors, *rows, *totals;
	long			 total;
	int			 rc;

	if ((rc = api_page_parse(r, &pg)) != 0)
		return rc;
	if (trips_filter_parse(r, &f, &errors) != 0)
		return api_invalid(r, errors);
	if ((rows = fn(r, &f, &pg, &total, &totals, &rc)) == NULL)
		return rc;
	/* The page, and what the whole filter adds up to. */
	json_decref(totals);
	return api_list(r, rows, &pg, total);
}

int
trips_api_list(struct request *r)
{
	return answer(r, trips_list);
}

int
earnings_api_list(struct request *r)
{
	return answer(r, earnings_list);
}
