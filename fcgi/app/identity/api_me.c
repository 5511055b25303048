#include "api.h"
#include "api_me.h"
#include "auth.h"

int
api_me(struct request *r)
{
	const struct identity	*id = &r->id;

	return api_ok(r, 200, json_pack("{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s},"
	    " s:s, s:s}",
	    "user", "id", id->user_id, "name", id->user_name,
	    "email", id->user_email,
	    "organisation", "id", id->tenant_id, "name", id->tenant_name,
	    "slug", id->tenant_slug,
	    "role", auth_role_name(id->role),
	    "scope", id->api_write ? "write" : "read"));
}
