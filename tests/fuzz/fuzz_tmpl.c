/* libFuzzer harness: the Mustache engine.
 *
 * The input is cut at each "\n~~~\n": the first part is template "t",
 * the last (when there are two parts or more) a JSON document, and the
 * parts between are templates "p1", "p2", ... that "t" may use as
 * partials or parents (and they may use "t", so recursion is reachable).
 * Every part is compiled, with no flags and again with both flags, and
 * "t" is rendered with the data (or with no data when it does not
 * parse).  Invariants: an error message is a non-empty C string; a
 * failed render leaves the buffer as it was; a successful render is
 * repeatable, byte for byte, since rendering must not change the set. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "tmpl.h"

#define SEP		"\n~~~\n"
#define MAX_PARTS	8

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct part {
	const char	*p;
	size_t		 n;
};

/* memcmp rather than memmem: libFuzzer watches memcmp to learn SEP. */
static size_t
split(const char *s, size_t n, struct part *parts)
{
	size_t	 np = 0, start = 0, i, sl = strlen(SEP);

	for (i = 0; i + sl <= n && np < MAX_PARTS - 1; i++)
		if (memcmp(s + i, SEP, sl) == 0) {
			parts[np].p = s + start;
			parts[np++].n = i - start;
			start = i + sl;
			i += sl - 1;
		}
	parts[np].p = s + start;
	parts[np++].n = n - start;
	return np;
}

static void
check_err(const char *err, size_t errlen)
{
	if (memchr(err, '\0', errlen) == NULL || err[0] == '\0')
		abort();
}

static void
run(int flags, const struct part *parts, size_t ntmpl, json_t *data)
{
	tmpl_set	*set;
	char		 err[256], name[32];
	buf		 a, b;
	size_t		 i;
	int		 rc;

	if ((set = tmpl_set_new(flags)) == NULL)
		return;
	for (i = 0; i < ntmpl; i++) {
		if (i == 0)
			snprintf(name, sizeof(name), "t");
		else
			snprintf(name, sizeof(name), "p%zu", i);
		memset(err, 0, sizeof(err));
		if (tmpl_set_add(set, name, parts[i].p, parts[i].n, err,
		    sizeof(err)) == -1) {
			check_err(err, sizeof(err));
			if (strncmp(err, name, strlen(name)) != 0 ||
			    tmpl_set_has(set, name))
				abort();
		} else if (!tmpl_set_has(set, name))
			abort();
	}
	memset(err, 0, sizeof(err));
	if (tmpl_set_check(set, err, sizeof(err)) == -1)
		check_err(err, sizeof(err));
	buf_init(&a);
	buf_init(&b);
	if (buf_puts(&a, "<") == 0 && tmpl_set_has(set, "t")) {
		memset(err, 0, sizeof(err));
		rc = tmpl_render(set, "t", data, &a, err, sizeof(err));
		if (rc == -1) {
			check_err(err, sizeof(err));
			if (!a.oom && (a.len != 1 || a.data[0] != '<'))
				abort();
		} else if (buf_puts(&b, "<") == 0 &&
		    tmpl_render(set, "t", data, &b, err, sizeof(err)) == 0 &&
		    !a.oom && !b.oom &&
		    (a.len != b.len || memcmp(a.data, b.data, a.len) != 0))
			abort();
	}
	buf_free(&a);
	buf_free(&b);
	tmpl_set_free(set);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct part	 parts[MAX_PARTS];
	json_t		*json = NULL;
	size_t		 np, ntmpl;

	np = split((const char *)data, size, parts);
	ntmpl = np;
	if (np >= 2) {
		ntmpl = np - 1;
		json = json_loadb(parts[np - 1].p, parts[np - 1].n,
		    JSON_DECODE_ANY, NULL);
	}
	run(0, parts, ntmpl, json);
	run(TMPL_TRUSTED_RAW_ONLY | TMPL_STRICT_PARTIALS, parts, ntmpl, json);
	json_decref(json);
	return 0;
}
