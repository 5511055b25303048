/* libFuzzer harness: a JSON body through req_parse_json.
 * Invariants: success yields an object or array no deeper than the
 * limit, whose strings and keys hold no NUL and which serializes back to
 * JSON that parses; failure leaves *out NULL with a 400 or 413. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "request.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Depth of j (a scalar is 0); aborts on a string that is not text. */
static size_t
walk(json_t *j)
{
	const char	*k;
	json_t		*v;
	size_t		 i, d, max = 0;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		json_object_foreach(j, k, v) {
			if (!utf8_valid_text(k, strlen(k)))
				abort();
			if ((d = walk(v)) > max)
				max = d;
		}
		return max + 1;
	case JSON_ARRAY:
		json_array_foreach(j, i, v)
			if ((d = walk(v)) > max)
				max = d;
		return max + 1;
	case JSON_STRING:
		if (!utf8_valid_text(json_string_value(j),
		    json_string_length(j)))
			abort();
		return 0;
	default:
		return 0;
	}
}

static void
run(const char *s, size_t n, const struct req_limits *lim)
{
	arena			*a;
	json_t			*j = (json_t *)&j, *back;
	struct req_error	 err;
	char			*text;

	if ((a = arena_new()) == NULL)
		return;
	memset(&err, 0, sizeof(err));
	if (req_parse_json(a, s, n, lim, &j, &err) == 0) {
		if (j == NULL || (!json_is_object(j) && !json_is_array(j)))
			abort();
		if (walk(j) > lim->max_json_depth)
			abort();
		if ((text = json_dumps(j, JSON_COMPACT)) != NULL) {
			back = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
			if (back == NULL || !json_equal(back, j))
				abort();
			json_decref(back);
			free(text);
		}
		json_decref(j);
	} else if (j != NULL || (err.status != 400 && err.status != 413) ||
	    err.message == NULL)
		abort();
	arena_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req_limits	 tight = req_default_limits;
	char			*s;

	if ((s = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	run(s, size, &req_default_limits);
	tight.max_json_depth = 2;
	tight.max_body = 64;
	run(s, size, &tight);
	free(s);
	return 0;
}
