/* libFuzzer harness: an application/x-www-form-urlencoded body through req_parse_urlencoded.
 * Invariants: on success every name is non-empty and every name and
 * value is valid UTF-8 without NUL, within the limits; on failure the
 * status is one the server can answer with. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "request.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const struct kvlist *l, const struct req_limits *lim)
{
	size_t	i, nlen;

	if (l->n > lim->max_fields)
		abort();
	for (i = 0; i < l->n; i++) {
		nlen = strlen(l->v[i].name);
		if (nlen == 0 || nlen > lim->max_name ||
		    !utf8_valid_text(l->v[i].name, nlen))
			abort();
		if (strlen(l->v[i].value) != l->v[i].len ||
		    l->v[i].len > lim->max_value ||
		    !utf8_valid_text(l->v[i].value, l->v[i].len))
			abort();
		if (kvlist_get(l, l->v[i].name) == NULL)
			abort();
	}
}

static void
run(const char *s, size_t n, const struct req_limits *lim)
{
	arena			*a;
	struct kvlist		 l;
	struct req_error	 err;

	if ((a = arena_new()) == NULL)
		return;
	memset(&l, 0, sizeof(l));
	memset(&err, 0, sizeof(err));
	if (req_parse_urlencoded(a, s, n, lim, &l, &err) == 0)
		check(&l, lim);
	else if ((err.status != 400 && err.status != 413) ||
	    err.message == NULL)
		abort();
	arena_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req_limits	 tight = req_default_limits;
	char			*s;

	/* The parser gets exactly size bytes: no terminator to lean on. */
	if ((s = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	run(s, size, &req_default_limits);
	tight.max_fields = 3;
	tight.max_name = 4;
	tight.max_value = 8;
	tight.max_body = 128;
	run(s, size, &tight);
	free(s);
	return 0;
}
