/* libFuzzer harness: multipart/form-data.  The first line of the input is
 * the Content-Type header, the rest the body.  Runs once with the default
 * limits and once with tight ones so that spooling to disk and every
 * limit are reached; multipart_cleanup always runs and must leave no file
 * behind.  Invariants: fields are text; uploads have a non-empty base
 * name, live either in memory (within memory_part) or in a spooled file
 * of exactly their size. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "multipart.h"
#include "request.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const struct kvlist *form, const struct uploads *files,
    const struct req_limits *lim)
{
	const struct upload	*u;
	struct stat		 st;
	size_t			 i, n;

	if (form->n > lim->max_fields || files->n > lim->max_files)
		abort();
	for (i = 0; i < form->n; i++) {
		n = strlen(form->v[i].name);
		if (n == 0 || !utf8_valid_text(form->v[i].name, n) ||
		    strlen(form->v[i].value) != form->v[i].len ||
		    form->v[i].len > lim->max_value ||
		    !utf8_valid_text(form->v[i].value, form->v[i].len))
			abort();
	}
	for (i = 0; i < files->n; i++) {
		u = &files->v[i];
		n = strlen(u->filename);
		if (u->field == NULL || *u->field == '\0' || n == 0 ||
		    !utf8_valid_text(u->filename, n) ||
		    strpbrk(u->filename, "/\\") != NULL)
			abort();
		if ((u->data == NULL) == (u->path == NULL))
			abort();
		if (u->data != NULL && u->size > lim->memory_part)
			abort();
		if (u->path != NULL && (stat(u->path, &st) == -1 ||
		    (size_t)st.st_size != u->size))
			abort();
	}
}

static void
run(const char *ct, const char *body, size_t len,
    const struct req_limits *lim)
{
	arena			*a;
	struct kvlist		 form;
	struct uploads		 files;
	struct req_error	 err;
	const char		*paths[64];
	size_t			 i, npaths = 0;

	if ((a = arena_new()) == NULL)
		return;
	memset(&form, 0, sizeof(form));
	memset(&files, 0, sizeof(files));
	memset(&err, 0, sizeof(err));
	if (multipart_parse(a, ct, body, len, lim, &form, &files, &err) == 0)
		check(&form, &files, lim);
	else if ((err.status != 400 && err.status != 413 &&
	    err.status != 500) || err.message == NULL)
		abort();
	for (i = 0; i < files.n && npaths < 64; i++)
		if (files.v[i].path != NULL)
			paths[npaths++] = files.v[i].path;
	multipart_cleanup(&files);
	if (files.n != 0)
		abort();
	for (i = 0; i < npaths; i++)
		if (access(paths[i], F_OK) == 0)
			abort();
	arena_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req_limits	 tight = req_default_limits;
	const uint8_t		*nl;
	char			*ct, *body;
	size_t			 ctlen, blen;

	if ((nl = memchr(data, '\n', size)) == NULL)
		nl = data + size;
	ctlen = (size_t)(nl - data);
	if (ctlen > 0 && data[ctlen - 1] == '\r')
		ctlen--;
	/* The header is a C string; the body is exactly its bytes. */
	if ((ct = malloc(ctlen + 1)) == NULL)
		return 0;
	memcpy(ct, data, ctlen);
	ct[ctlen] = '\0';
	blen = nl < data + size ? size - (size_t)(nl + 1 - data) : 0;
	if ((body = malloc(blen ? blen : 1)) == NULL) {
		free(ct);
		return 0;
	}
	memcpy(body, nl < data + size ? nl + 1 : nl, blen);

	run(ct, body, blen, &req_default_limits);
	tight.max_fields = 3;
	tight.max_value = 64;
	tight.max_files = 2;
	tight.max_parts = 4;
	tight.memory_part = 8;
	run(ct, body, blen, &tight);
	free(body);
	free(ct);
	return 0;
}
