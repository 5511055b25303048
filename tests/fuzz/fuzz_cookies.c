/* libFuzzer harness: a Cookie header through req_parse_cookies.
 * Invariants: names non-empty; names and values valid UTF-8 without NUL
 * and without the separators the parser splits on. */
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
	size_t		 i, nlen;
	const char	*name, *value;

	if (l->n > lim->max_fields)
		abort();
	for (i = 0; i < l->n; i++) {
		name = l->v[i].name;
		value = l->v[i].value;
		nlen = strlen(name);
		if (nlen == 0 || nlen > lim->max_name ||
		    !utf8_valid_text(name, nlen) ||
		    strpbrk(name, ";=") != NULL)
			abort();
		/* Blanks around the name are trimmed. */
		if (name[0] == ' ' || name[0] == '\t' ||
		    name[nlen - 1] == ' ' || name[nlen - 1] == '\t')
			abort();
		if (strlen(value) != l->v[i].len ||
		    !utf8_valid_text(value, l->v[i].len) ||
		    strchr(value, ';') != NULL)
			abort();
	}
}

static void
run(const char *h, const struct req_limits *lim)
{
	arena			*a;
	struct kvlist		 l;
	struct req_error	 err;

	if ((a = arena_new()) == NULL)
		return;
	memset(&l, 0, sizeof(l));
	memset(&err, 0, sizeof(err));
	if (req_parse_cookies(a, h, lim, &l, &err) == 0)
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
	char			*h;

	/* A header value is a C string; a NUL in the input ends it. */
	if ((h = malloc(size + 1)) == NULL)
		return 0;
	memcpy(h, data, size);
	h[size] = '\0';
	run(h, &req_default_limits);
	tight.max_fields = 2;
	tight.max_name = 3;
	run(h, &tight);
	free(h);
	return 0;
}
