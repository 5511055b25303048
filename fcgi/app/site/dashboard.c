#include "identity/activity.h"
#include "dashboard.h"
#include "identity/session.h"
#include "page.h"
#include "worker.h"

static const struct db_stmt counts_stmt = { "dashboard_counts",
	"SELECT (SELECT count(*) FROM memberships),"
	" (SELECT count(*) FROM api_tokens WHERE revoked_at IS NULL)" };

int
dashboard_show(struct request *r)
{
	struct db_error	 err;
	PGresult	*res;
	json_t		*feed;
	int		 rc = 500;

	/* A driver's home is the portal, not the fleet's dashboard. */
	if (r->id.role < ACCESS_VIEWER)
		return http_redirect(r, 303, session_home(r->id.role));
	if ((res = db_exec(r->w->db, &counts_stmt, 0, NULL, &err)) == NULL)
		return err.status;
	if ((feed = activity_recent(r, 20, &rc)) == NULL) {
		PQclear(res);
		return rc;
	}
	rc = page_render(r, 200, "dashboard", json_pack("{s:s, s:s, s:o}",
	    "members", db_value(res, 0, 0), "tokens", db_value(res, 0, 1),
	    "activities", feed));
	PQclear(res);
	return rc;
}
