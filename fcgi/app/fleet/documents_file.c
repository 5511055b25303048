#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "documents_file.h"
#include "files.h"

/* The accepted formats and the bytes that open them. */
static const struct {
	const char		*type;
	const char		*ext;
	const unsigned char	*magic;
	size_t			 len;
} formats[] = {
	{ "application/pdf", "pdf", (const unsigned char *)"%PDF-", 5 },
	{ "image/jpeg", "jpg", (const unsigned char *)"\xff\xd8\xff", 3 },
	{ "image/png", "png",
	    (const unsigned char *)"\x89PNG\r\n\x1a\n", 8 },
};
#define NFORMATS	(sizeof(formats) / sizeof(formats[0]))

const char *
documents_sniff(const unsigned char *head, size_t n)
{
	size_t	i;

	for (i = 0; i < NFORMATS; i++)
		if (n >= formats[i].len &&
		    memcmp(head, formats[i].magic, formats[i].len) == 0)
			return formats[i].type;
	return NULL;
}

const char *
documents_sniff_upload(const struct upload *u)
{
	unsigned char	head[8];
	ssize_t		got;
	int		fd;

	if (u->data != NULL)
		return documents_sniff((const unsigned char *)u->data, u->size);
	if (u->path == NULL || (fd = open(u->path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	got = read(fd, head, sizeof(head));
	close(fd);
	return got > 0 ? documents_sniff(head, (size_t)got) : NULL;
}

const char *
documents_upload_problem(const struct upload *u, const char **media)
{
	if (u->size == 0)
		return "valid.documents.file_empty";
	if (u->size > DOCUMENTS_MAX_BYTES)
		return "valid.documents.file_too_large";
	if ((*media = documents_sniff_upload(u)) == NULL)
		return "valid.documents.file_type";
	return NULL;
}

static int
tenant_dir(const char *data_dir, const char *tenant_id, char *out,
    size_t len)
{
	if (!files_is_uuid(tenant_id) ||
	    (size_t)snprintf(out, len, "%s/documents", data_dir) >= len)
		return -1;
	if (mkdir(out, 0700) == -1 && errno != EEXIST)
		return -1;
	if ((size_t)snprintf(out, len, "%s/documents/%s", data_dir,
	    tenant_id) >= len)
		return -1;
	if (mkdir(out, 0700) == -1 && errno != EEXIST)
		return -1;
	return 0;
}

static int
copy_from(int out, const char *from)
{
	char	chunk[65536];
	ssize_t	n;
	int	in, rc = 0;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while ((n = read(in, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || files_write_all(out, chunk, (size_t)n) == -1) {
			rc = -1;
			break;
		}
	}
	close(in);
	return rc;
}

/* The rename is durable only once the folder itself is on disk. */
static int
sync_dir(const char *dir)
{
	int	fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int
documents_file_write(const char *data_dir, const char *tenant_id,
    const char *data, size_t len, const char *from_path,
    char key[DOCUMENTS_KEY_LEN + 1])
{
	char	dir[4096], tmp[4200], path[4200];
	int	fd, rc;

	if (tenant_dir(data_dir, tenant_id, dir, sizeof(dir)) == -1)
		return -1;
	secret_token_new(key);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, key);
	snprintf(path, sizeof(path), "%s/%s", dir, key);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1)
		return -1;
	rc = data != NULL ? files_write_all(fd, data, len) : copy_from(fd, from_path);
	if (rc == 0)
		rc = fsync(fd);
	if (close(fd) == -1)
		rc = -1;
	/* A reader sees the whole file under its final name, or nothing. */
	if (rc == 0)
		rc = rename(tmp, path);
	if (rc == -1) {
		unlink(tmp);
		return -1;
	}
	if (sync_dir(dir) == -1) {
		unlink(path);
		return -1;
	}
	return 0;
}

int
documents_file_store(const char *data_dir, const char *tenant_id,
    const struct upload *u, char key[DOCUMENTS_KEY_LEN + 1])
{
	/* The spool file belongs to the request (removed after it): copied,
	 * not renamed, so its owner's cleanup stays right. */
	if (u->data != NULL)
		return documents_file_write(data_dir, tenant_id, u->data,
		    u->size, NULL, key);
	if (u->path == NULL)
		return -1;
	return documents_file_write(data_dir, tenant_id, NULL, 0, u->path, key);
}

const char *
documents_file_path(arena *a, const char *data_dir, const char *tenant_id,
    const char *key)
{
	if (!files_is_uuid(tenant_id) || !files_is_key(key, DOCUMENTS_KEY_LEN))
		return NULL;
	return arena_printf(a, "%s/documents/%s/%s", data_dir, tenant_id, key);
}

void
documents_file_remove(arena *a, const char *data_dir, const char *tenant_id,
    const char *key)
{
	const char	*path = documents_file_path(a, data_dir, tenant_id, key);

	if (path != NULL)
		unlink(path);
}

/* Length of the UTF-8 sequence a lead byte opens (input is valid). */
static size_t
seq_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* The length of the well-formed character at s, or 0 when s starts a
 * broken sequence (a stray continuation byte, a truncated character):
 * names come from clients, and a sequence is never read past its end. */
static size_t
char_len(const unsigned char *s)
{
	size_t	n, i;

	if (*s < 0x80)
		return 1;
	if (*s < 0xc2 || *s > 0xf4)
		return 0;
	n = seq_len(*s);
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

const char *
documents_clean_name(arena *a, const char *name)
{
	const unsigned char	*s;
	char			*out, *o;
	size_t			 n, len;

	if (name == NULL)
		name = "";
	while (*name == ' ' || *name == '.')
		name++;
	if ((out = arena_alloc(a, 256)) == NULL)
		return "document";
	o = out;
	for (s = (const unsigned char *)name; *s != '\0'; s += n) {
		n = char_len(s);
		if ((size_t)(o - out) + (n == 0 ? 1 : n) > 255)
			break;
		if (n == 0) {
			*o++ = '_';
			n = 1;
		} else if (n == 1 && (*s < 0x20 || *s == 0x7f || strchr("\"\\/",
		    *s) != NULL))
			*o++ = '_';
		else {
			memcpy(o, s, n);
			o += n;
		}
	}
	while (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	len = (size_t)(o - out);
	return len == 0 ? "document" : out;
}

static const char *
ext_of(const char *type)
{
	size_t	i;

	for (i = 0; i < NFORMATS; i++)
		if (strcmp(formats[i].type, type) == 0)
			return formats[i].ext;
	return "bin";
}

/* "scan.pdf" served as PNG is saved as "scan.png": the name must not
 * promise another format than the bytes. */
static const char *
with_extension(arena *a, const char *name, const char *type)
{
	const char	*dot = strrchr(name, '.'), *ext = ext_of(type);
	size_t		 stem;

	if (dot != NULL && (strcasecmp(dot + 1, ext) == 0 ||
	    (strcmp(ext, "jpg") == 0 && strcasecmp(dot + 1, "jpeg") == 0)))
		return name;
	stem = dot != NULL && (strcasecmp(dot + 1, "pdf") == 0 ||
	    strcasecmp(dot + 1, "png") == 0 || strcasecmp(dot + 1, "jpg") == 0 ||
	    strcasecmp(dot + 1, "jpeg") == 0) ? (size_t)(dot - name) :
	    strlen(name);
	return arena_printf(a, "%.*s.%s", (int)stem, name, ext);
}

const char *
documents_disposition(arena *a, const char *name, const char *type)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*s;
	const char		*full;
	char			*ascii, *pct, *o, *p;
	size_t			 len;

	full = with_extension(a, documents_clean_name(a, name), type);
	if (full == NULL)
		return NULL;
	len = strlen(full);
	if ((ascii = arena_alloc(a, len + 1)) == NULL ||
	    (pct = arena_alloc(a, len * 3 + 1)) == NULL)
		return NULL;
	o = ascii;
	p = pct;
	for (s = (const unsigned char *)full; *s != '\0'; s++) {
		if (*s >= 0x20 && *s < 0x7f && strchr("\"\\%;", *s) == NULL)
			*o++ = (char)*s;
		else if ((*s & 0xc0) != 0x80)
			*o++ = '_';	/* one mark per character */
		if (isalnum(*s) || strchr("!#$&+-.^_`|~", *s) != NULL)
			*p++ = (char)*s;
		else {
			*p++ = '%';
			*p++ = hex[*s >> 4];
			*p++ = hex[*s & 15];
		}
	}
	*o = '\0';
	*p = '\0';
	return arena_printf(a, "attachment; filename=\"%s\"; "
	    "filename*=UTF-8''%s", ascii, pct);
}
