#define _GNU_SOURCE	/* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "multipart.h"
#include "utf8.h"

struct part {
	const char	*name;
	const char	*filename;
	const char	*content_type;
	const char	*data;
	size_t		 len;
};

static int
fail(struct req_error *err, int status, const char *message)
{
	err->status = status;
	err->message = message;
	return -1;
}

/* The value of a header line "Name: value" among the part's headers, up to
 * the end of its line, or NULL. */
static const char *
part_header(arena *a, const char *h, size_t n, const char *name)
{
	const char	*line, *eol, *end = h + n;
	size_t		 nlen = strlen(name);

	for (line = h; line < end; line = eol + 2) {
		if ((eol = memmem(line, (size_t)(end - line), "\r\n", 2)) == NULL)
			eol = end;
		if ((size_t)(eol - line) > nlen && line[nlen] == ':' &&
		    strncasecmp(line, name, nlen) == 0) {
			line += nlen + 1;
			while (line < eol && (*line == ' ' || *line == '\t'))
				line++;
			return arena_strndup(a, line, (size_t)(eol - line));
		}
		if (eol == end)
			break;
	}
	return NULL;
}

/* Browsers send only a base name, but older ones sent a full path. */
static const char *
base_name(const char *f)
{
	const char	*s;

	if ((s = strrchr(f, '/')) != NULL)
		f = s + 1;
	if ((s = strrchr(f, '\\')) != NULL)
		f = s + 1;
	return f;
}

static int
parse_headers(arena *a, const char *h, size_t n, struct part *p,
    struct req_error *err)
{
	const char	*disp, *media;

	if (!utf8_valid_text(h, n))
		return fail(err, 400, "En-tête de partie multipart invalide.");
	if ((disp = part_header(a, h, n, "Content-Disposition")) == NULL)
		return fail(err, 400,
		    "Partie multipart sans Content-Disposition.");
	if ((media = req_media_type(a, disp)) == NULL ||
	    strcmp(media, "form-data") != 0)
		return fail(err, 400, "Partie multipart qui n'est pas form-data.");
	p->name = req_header_param(a, disp, "name");
	p->filename = req_header_param(a, disp, "filename");
	p->content_type = part_header(a, h, n, "Content-Type");
	if (p->name == NULL || *p->name == '\0')
		return fail(err, 400, "Partie multipart sans nom de champ.");
	if (p->filename != NULL)
		p->filename = base_name(p->filename);
	return 0;
}

static int
spool(const char *dir, const struct part *p, arena *a, const char **path)
{
	char	*tmpl;
	int	 fd;
	size_t	 off = 0;
	ssize_t	 w;

	if ((tmpl = arena_printf(a, "%s/fc-upload-XXXXXX", dir)) == NULL)
		return -1;
	if ((fd = mkstemp(tmpl)) == -1)
		return -1;
	while (off < p->len) {
		if ((w = write(fd, p->data + off, p->len - off)) <= 0) {
			close(fd);
			unlink(tmpl);
			return -1;
		}
		off += (size_t)w;
	}
	if (close(fd) == -1) {
		unlink(tmpl);
		return -1;
	}
	*path = tmpl;
	return 0;
}

static int
add_upload(arena *a, const struct part *p, const struct req_limits *lim,
    struct uploads *files, size_t *cap, struct req_error *err)
{
	struct upload	*u, *v;

	if (files->n >= lim->max_files)
		return fail(err, 413, "Trop de fichiers dans la requête.");
	if (files->n == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		if ((v = arena_calloc(a, *cap, sizeof(*v))) == NULL)
			return fail(err, 500, "Mémoire insuffisante.");
		if (files->n > 0)
			memcpy(v, files->v, files->n * sizeof(*v));
		files->v = v;
	}
	u = &files->v[files->n];
	memset(u, 0, sizeof(*u));
	u->field = p->name;
	u->filename = p->filename;
	u->content_type = p->content_type;
	u->size = p->len;
	if (p->len > lim->memory_part) {
		if (spool(lim->spool_dir, p, a, &u->path) == -1)
			return fail(err, 500,
			    "Impossible d'enregistrer le fichier reçu.");
	} else
		u->data = p->data;
	files->n++;
	return 0;
}

static int
add_part(arena *a, const struct part *p, const struct req_limits *lim,
    struct kvlist *form, struct uploads *files, size_t *cap,
    struct req_error *err)
{
	char	*value;

	if (p->filename != NULL && *p->filename != '\0')
		return add_upload(a, p, lim, files, cap, err);
	if (p->filename != NULL)
		return 0;	/* a file input left empty */
	if (p->len > lim->max_value)
		return fail(err, 413, "Un champ du formulaire est trop long.");
	if (!utf8_valid_text(p->data, p->len))
		return fail(err, 400,
		    "Paramètre invalide : texte non UTF-8 ou caractère nul.");
	if (form->n >= lim->max_fields)
		return fail(err, 413, "Trop de champs dans la requête.");
	if ((value = arena_strndup(a, p->data, p->len)) == NULL ||
	    kvlist_add(a, form, p->name, value, p->len) == -1)
		return fail(err, 500, "Mémoire insuffisante.");
	return 0;
}

int
multipart_parse(arena *a, const char *ct, const char *body, size_t len,
    const struct req_limits *lim, struct kvlist *form, struct uploads *files,
    struct req_error *err)
{
	const char	*boundary, *p, *end = body + len, *hend, *next;
	char		*delim;
	size_t		 dlen, cap = 0, parts = 0;
	struct part	 part;

	if (len > lim->max_body)
		return fail(err, 413, "Le contenu envoyé est trop volumineux.");
	boundary = req_header_param(a, ct, "boundary");
	if (boundary == NULL || *boundary == '\0' || strlen(boundary) > 70)
		return fail(err, 400, "Corps multipart invalide : frontière absente.");
	/* Every delimiter but the first is preceded by CRLF; search for the
	 * first one as if the body started with a CRLF. */
	if ((delim = arena_printf(a, "\r\n--%s", boundary)) == NULL)
		return fail(err, 500, "Mémoire insuffisante.");
	dlen = strlen(delim);
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
		p = body + dlen - 2;
	else if ((p = memmem(body, len, delim, dlen)) != NULL)
		p += dlen;
	else
		return fail(err, 400, "Corps multipart invalide : frontière absente.");
	for (;;) {
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return 0;	/* closing delimiter */
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return fail(err, 400, "Corps multipart invalide : partie mal formée.");
		p += 2;
		if (++parts > lim->max_parts)
			return fail(err, 413, "Trop de parties dans la requête.");
		if ((hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4)) == NULL)
			return fail(err, 400, "Corps multipart invalide : en-têtes incomplets.");
		memset(&part, 0, sizeof(part));
		if (parse_headers(a, p, (size_t)(hend - p), &part, err) == -1)
			return -1;
		part.data = hend + 4;
		next = memmem(part.data, (size_t)(end - part.data), delim, dlen);
		if (next == NULL)
			return fail(err, 400, "Corps multipart invalide : partie non terminée.");
		part.len = (size_t)(next - part.data);
		if (add_part(a, &part, lim, form, files, &cap, err) == -1)
			return -1;
		p = next + dlen;
	}
}

void
multipart_cleanup(struct uploads *files)
{
	size_t	i;

	for (i = 0; i < files->n; i++)
		if (files->v[i].path != NULL)
			unlink(files->v[i].path);
	files->n = 0;
}

const struct upload *
uploads_find(const struct uploads *u, const char *field)
{
	size_t	i;

	for (i = 0; i < u->n; i++)
		if (strcmp(u->v[i].field, field) == 0)
			return &u->v[i];
	return NULL;
}
