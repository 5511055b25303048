#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import_file.h"
#include "text.h"
#include "valid.h"
#include "worker.h"

#define IMPORT_MAX	(20 * 1024 * 1024)

static const char *
dir_of(struct request *r)
{
	return arena_printf(r->arena, "%s/imports/%s", r->w->cfg->data_dir,
	    r->id.tenant_id);
}

/* Tokens come back in URLs: only our own alphabet is accepted. */
static int
token_ok(const char *t)
{
	return t != NULL && strlen(t) == SECRET_TOKEN_LEN &&
	    strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") == SECRET_TOKEN_LEN;
}

static int
read_upload(const struct upload *u, buf *raw)
{
	char	chunk[65536];
	ssize_t	n;
	int	fd;

	if (u->data != NULL)
		return buf_append(raw, u->data, u->size);
	if ((fd = open(u->path, O_RDONLY)) == -1)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_append(raw, chunk, (size_t)n);
	close(fd);
	return n < 0 || raw->oom ? -1 : 0;
}

static int
write_all(const char *path, const buf *b)
{
	FILE	*f;
	int	 rc;

	if ((f = fopen(path, "wx")) == NULL)
		return -1;
	rc = fwrite(b->data, 1, b->len, f) == b->len ? 0 : -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

int
import_file_keep(struct request *r, char token[SECRET_TOKEN_LEN + 1],
    const char **message)
{
	const struct upload	*u = uploads_find(&r->files, "file");
	const char		*dir, *path;
	buf			 raw, text;
	int			 converted, rc = 422;

	if (u == NULL || u->size == 0) {
		*message = tr(r, "valid.import.file_missing");
		return 422;
	}
	if (u->size > IMPORT_MAX) {
		*message = tr(r, "valid.import.file_too_large");
		return 422;
	}
	buf_init(&raw);
	buf_init(&text);
	if (read_upload(u, &raw) == -1 ||
	    text_to_utf8(raw.data, raw.len, &text, &converted) == -1) {
		*message = tr(r, "valid.import.not_text");
		goto out;
	}
	dir = arena_printf(r->arena, "%s/imports", r->w->cfg->data_dir);
	if (dir == NULL || (mkdir(dir, 0700) == -1 && errno != EEXIST) ||
	    (mkdir(dir_of(r), 0700) == -1 && errno != EEXIST)) {
		rc = 500;
		goto out;
	}
	secret_token_new(token);
	path = arena_printf(r->arena, "%s/%s.csv", dir_of(r), token);
	rc = path != NULL && write_all(path, &text) == 0 ? 0 : 500;
out:
	buf_free(&raw);
	buf_free(&text);
	return rc;
}

int
import_file_read(struct request *r, const char *token, buf *out)
{
	char	 chunk[65536];
	FILE	*f;
	size_t	 n;

	if (!token_ok(token) || (f = fopen(arena_printf(r->arena, "%s/%s.csv",
	    dir_of(r), token), "r")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(out, chunk, n);
	fclose(f);
	return out->oom ? -1 : 0;
}

void
import_file_drop(struct request *r, const char *token)
{
	if (token_ok(token))
		unlink(arena_printf(r->arena, "%s/%s.csv", dir_of(r), token));
}
