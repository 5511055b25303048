#include <stdlib.h>
#include <string.h>

#include "unique.h"

struct item {
	const char	*key;
	size_t		 i;
};

static int
by_key(const void *a, const void *b)
{
	const struct item	*x = a, *y = b;
	int			 c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

long
unique_first_repeat(const void *ctx, size_t n, unique_key key)
{
	struct item	*v;
	long		 first = -1;
	size_t		 i;

	if (n < 2)
		return -1;
	if ((v = malloc(n * sizeof(*v))) == NULL)
		return -2;
	for (i = 0; i < n; i++)
		v[i] = (struct item){ key(ctx, i), i };
	qsort(v, n, sizeof(*v), by_key);
	/* Equal keys sit together, in their order: the second of each run
	 * repeats; the earliest such is reported. */
	for (i = 1; i < n; i++)
		if (strcmp(v[i - 1].key, v[i].key) == 0 &&
		    (first < 0 || v[i].i < (size_t)first))
			first = (long)v[i].i;
	free(v);
	return first;
}
