#include <string.h>

#include "router.h"

/* Match one pattern against path; segments beginning with ':' capture
 * one non-empty path segment. */
static int
pattern_match(const char *pat, const char *path, struct route_match *m)
{
	const char	*ps, *pe;
	size_t		 n = 0;

	while (*pat != '\0' && *path != '\0') {
		if (*pat == ':') {
			pe = path + strcspn(path, "/");
			if (pe == path || n == ROUTE_MAX_PARAMS)
				return 0;
			m->params[n] = path;
			m->param_len[n] = (size_t)(pe - path);
			n++;
			pat += strcspn(pat, "/");
			path = pe;
			continue;
		}
		ps = pat;
		if (*ps != *path)
			return 0;
		pat++;
		path++;
	}
	if (*pat != '\0' || *path != '\0')
		return 0;
	m->nparams = n;
	return 1;
}

static int
method_matches(const char *route_method, const char *method)
{
	if (strcmp(route_method, method) == 0)
		return 1;
	return strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0;
}

static void
allow_add(char *allow, size_t size, const char *method)
{
	if (strstr(allow, method) != NULL)
		return;
	if (*allow != '\0')
		strncat(allow, ", ", size - strlen(allow) - 1);
	strncat(allow, method, size - strlen(allow) - 1);
}

enum route_result
router_match(const struct route *t, size_t n, const char *method,
    const char *path, struct route_match *m)
{
	struct route_match	 probe;
	size_t			 i;
	int			 path_seen = 0;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++) {
		memset(&probe, 0, sizeof(probe));
		if (!pattern_match(t[i].pattern, path, &probe))
			continue;
		if (method_matches(t[i].method, method)) {
			memcpy(m->params, probe.params, sizeof(m->params));
			memcpy(m->param_len, probe.param_len,
			    sizeof(m->param_len));
			m->nparams = probe.nparams;
			m->route = &t[i];
			m->index = i;
			return ROUTE_FOUND;
		}
		path_seen = 1;
		allow_add(m->allow, sizeof(m->allow), t[i].method);
		if (strcmp(t[i].method, "GET") == 0)
			allow_add(m->allow, sizeof(m->allow), "HEAD");
	}
	return path_seen ? ROUTE_METHOD_NOT_ALLOWED : ROUTE_NOT_FOUND;
}

int
router_check(const struct route *t, size_t n, size_t *bad)
{
	size_t		 i, params;
	const char	*p;

	for (i = 0; i < n; i++) {
		p = t[i].pattern;
		if (p == NULL || *p != '/' || t[i].method == NULL ||
		    t[i].handler == NULL)
			goto fail;
		for (params = 0; *p != '\0'; p++)
			if (*p == ':' && (p[-1] != '/' ||
			    p[1] == '/' || p[1] == '\0' ||
			    ++params > ROUTE_MAX_PARAMS))
				goto fail;
	}
	return 0;
fail:
	*bad = i;
	return -1;
}
