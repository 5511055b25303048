#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "csvstream.h"
#include "text.h"
#include "utf8.h"

#define CHUNK		(256 * 1024)
/* The first line decides the delimiter; a header longer than this is not
 * one a platform writes. */
#define FIRST_LINE_MAX	(64 * 1024)

const char *
csvstream_encoding_name(enum csvstream_encoding e)
{
	switch (e) {
	case CSVSTREAM_UTF8_BOM:
		return "UTF-8 (BOM)";
	case CSVSTREAM_CP1252:
		return "Windows-1252";
	default:
		return "UTF-8";
	}
}

static void
set_error(struct csvstream_error *err, size_t line, size_t column,
    const char *message)
{
	err->line = line;
	err->column = column;
	snprintf(err->message, sizeof(err->message), "%s", message);
}

/* Bytes at the end of s[0..n) that start a UTF-8 sequence the chunk cuts
 * in two (0 to 3): validation waits for the next chunk for them. */
static size_t
cut_tail(const unsigned char *s, size_t n)
{
	size_t	back, need;

	for (back = 1; back <= 3 && back <= n; back++) {
		unsigned char	c = s[n - back];

		if ((c & 0xc0) == 0x80)
			continue;
		need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		return need > back ? back : 0;
	}
	return 0;
}

/* What a file that is not CSV text usually is, by its first bytes. */
static const char *
not_text(const unsigned char *s, size_t n)
{
	if (n >= 4 && memcmp(s, "PK\x03\x04", 4) == 0)
		return "Ce fichier est un classeur Excel (.xlsx) ou une archive : "
		    "enregistrez-le au format CSV puis déposez-le de nouveau.";
	if (n >= 8 && memcmp(s, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
		return "Ce fichier est un classeur Excel (.xls) : enregistrez-le "
		    "au format CSV puis déposez-le de nouveau.";
	if (n >= 4 && memcmp(s, "%PDF", 4) == 0)
		return "Ce fichier est un PDF : exportez les données au format "
		    "CSV depuis la plateforme.";
	return NULL;
}

struct detect {
	unsigned char	 carry[4];
	size_t		 ncarry;
	int		 valid;		/* UTF-8 so far */
	int		 bom;
	buf		 first;		/* the first line, for the delimiter */
	int		 first_done;
	size_t		 bytes;
};

static const char *
detect_chunk(struct detect *d, const unsigned char *s, size_t n)
{
	unsigned char	 joined[8];
	size_t		 tail, k, skip = 0;
	const char	*nl;

	if (d->bytes == 0) {
		const char	*why = not_text(s, n);

		if (why != NULL)
			return why;
		if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
			d->bom = 1, skip = 3;
	}
	d->bytes += n;
	s += skip;
	n -= skip;
	if (memchr(s, '\0', n) != NULL)
		return "Ce fichier n'est pas un fichier texte (il contient des "
		    "octets nuls) : exportez-le au format CSV.";
	if (!d->first_done) {
		nl = memchr(s, '\n', n);
		buf_append(&d->first, s, nl ? (size_t)(nl - (const char *)s) : n);
		d->first_done = nl != NULL || d->first.len > FIRST_LINE_MAX;
	}
	if (!d->valid)
		return NULL;
	/* Finish the sequence the previous chunk cut. */
	if (d->ncarry > 0) {
		memcpy(joined, d->carry, d->ncarry);
		for (k = 0; k < 4 - d->ncarry && k < n; k++)
			joined[d->ncarry + k] = s[k];
		tail = d->ncarry + k;
		/* Validate just the first complete sequence of joined. */
		{
			unsigned char	c = joined[0];
			size_t		need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 :
					    c >= 0xc0 ? 2 : 1;

			if (need > tail || !utf8_valid_text((char *)joined, need))
				d->valid = 0;
			else {
				s += need - d->ncarry;
				n -= need - d->ncarry;
			}
		}
		d->ncarry = 0;
		if (!d->valid)
			return NULL;
	}
	tail = cut_tail(s, n);
	if (!utf8_valid_text((const char *)s, n - tail))
		d->valid = 0;
	memcpy(d->carry, s + n - tail, tail);
	d->ncarry = tail;
	return NULL;
}

static int
detect_finish(struct detect *d, struct csvstream_dialect *out,
    struct csvstream_error *err)
{
	if (d->ncarry > 0)
		d->valid = 0;	/* the file ends inside a sequence */
	if (d->bytes == 0 || (d->bytes <= 3 && d->bom)) {
		set_error(err, 0, 0, "Le fichier est vide.");
		return -1;
	}
	out->encoding = !d->valid ? CSVSTREAM_CP1252 : d->bom ?
	    CSVSTREAM_UTF8_BOM : CSVSTREAM_UTF8;
	out->delimiter = text_csv_delimiter(buf_cstr(&d->first), d->first.len);
	out->bytes = d->bytes;
	return 0;
}

int
csvstream_detect(int fd, struct csvstream_dialect *out,
    struct csvstream_error *err)
{
	struct detect	 d;
	unsigned char	*chunk;
	const char	*why = NULL;
	ssize_t		 n;
	int		 rc;

	memset(&d, 0, sizeof(d));
	memset(err, 0, sizeof(*err));
	d.valid = 1;
	buf_init(&d.first);
	if ((chunk = malloc(CHUNK)) == NULL || lseek(fd, 0, SEEK_SET) == -1) {
		free(chunk);
		set_error(err, 0, 0, "Lecture du fichier impossible.");
		return -1;
	}
	while (why == NULL && (n = read(fd, chunk, CHUNK)) > 0)
		why = detect_chunk(&d, chunk, (size_t)n);
	free(chunk);
	if (why == NULL && n < 0)
		why = "Lecture du fichier impossible.";
	if (why != NULL) {
		set_error(err, 0, 0, why);
		rc = -1;
	} else
		rc = detect_finish(&d, out, err);
	buf_free(&d.first);
	return rc;
}

int
csvstream_detect_mem(const char *s, size_t n, struct csvstream_dialect *out,
    struct csvstream_error *err)
{
	struct detect	 d;
	const char	*why;
	int		 rc;

	memset(&d, 0, sizeof(d));
	memset(err, 0, sizeof(*err));
	d.valid = 1;
	buf_init(&d.first);
	if (n > 0 && (why = detect_chunk(&d, (const unsigned char *)s, n)) != NULL) {
		set_error(err, 0, 0, why);
		rc = -1;
	} else
		rc = detect_finish(&d, out, err);
	buf_free(&d.first);
	return rc;
}

/* ---- pass two ------------------------------------------------------- */

struct reader {
	buf		  row;		/* fields, each NUL-terminated */
	size_t		 *offsets;
	char		**fields;
	size_t		  n;
	size_t		  max;
	size_t		  line;
	int		  stop;		/* a callback's answer, or -1 */
	int		  too_wide;
	csvstream_row	  cb;
	void		 *ctx;
};

static void
on_field(void *s, size_t len, void *data)
{
	struct reader	*rd = data;

	if (rd->stop || rd->too_wide)
		return;
	if (rd->n == rd->max) {
		rd->too_wide = 1;
		return;
	}
	rd->offsets[rd->n++] = rd->row.len;
	buf_append(&rd->row, s ? s : "", len);
	buf_putc(&rd->row, '\0');
}

static void
on_row(int c, void *data)
{
	struct reader	*rd = data;
	size_t		 i;

	(void)c;
	if (rd->stop || rd->too_wide)
		return;
	rd->line++;
	if (rd->row.oom) {
		rd->stop = -1;
		return;
	}
	for (i = 0; i < rd->n; i++)
		rd->fields[i] = rd->row.data + rd->offsets[i];
	rd->stop = rd->cb(rd->ctx, rd->line, rd->fields, rd->n);
	buf_clear(&rd->row);
	rd->n = 0;
}

static int
reader_init(struct reader *rd, size_t max, struct csv_parser *p, char delim)
{
	memset(rd, 0, sizeof(*rd));
	buf_init(&rd->row);
	rd->max = max;
	rd->offsets = calloc(max, sizeof(*rd->offsets));
	rd->fields = calloc(max, sizeof(*rd->fields));
	if (rd->offsets == NULL || rd->fields == NULL ||
	    csv_init(p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(rd->offsets);
		free(rd->fields);
		return -1;
	}
	csv_set_delim(p, (unsigned char)delim);
	return 0;
}

static void
reader_free(struct reader *rd, struct csv_parser *p)
{
	csv_free(p);
	buf_free(&rd->row);
	free(rd->offsets);
	free(rd->fields);
}

/* Why the parser stopped, as the user should read it. */
static int
parse_failed(struct reader *rd, struct csvstream_error *err, int at_end)
{
	char	msg[256];

	if (rd->stop != 0)
		return rd->stop;
	if (rd->too_wide) {
		snprintf(msg, sizeof(msg), "Trop de colonnes (plus de %zu).",
		    rd->max);
		set_error(err, rd->line + 1, rd->max + 1, msg);
		return -1;
	}
	set_error(err, rd->line + 1, rd->n + 1, at_end ?
	    "Guillemet ouvert jamais fermé : la fin du fichier est atteinte "
	    "au milieu d'une valeur." :
	    "Guillemet mal placé : une valeur entre guillemets doit les "
	    "fermer juste avant le séparateur (un guillemet dans une valeur "
	    "s'écrit \"\").");
	return -1;
}

/* Feed one chunk (already UTF-8) to the parser. */
static int
feed(struct csv_parser *p, struct reader *rd, const char *s, size_t n,
    struct csvstream_error *err)
{
	if (csv_parse(p, s, n, on_field, on_row, rd) != n || rd->stop != 0 ||
	    rd->too_wide)
		return parse_failed(rd, err, 0);
	return 0;
}

int
csvstream_read(int fd, const struct csvstream_dialect *d, size_t max_fields,
    csvstream_row row, csvstream_progress progress, void *ctx,
    struct csvstream_error *err)
{
	struct csv_parser	 p;
	struct reader		 rd;
	char			*chunk;
	buf			 conv;
	size_t			 total = 0, skip;
	ssize_t			 n;
	int			 rc = 0;

	memset(err, 0, sizeof(*err));
	buf_init(&conv);
	if ((chunk = malloc(CHUNK)) == NULL)
		return -1;
	if (reader_init(&rd, max_fields, &p, d->delimiter) == -1 ||
	    lseek(fd, 0, SEEK_SET) == -1) {
		free(chunk);
		set_error(err, 0, 0, "Lecture du fichier impossible.");
		return -1;
	}
	rd.cb = row;
	rd.ctx = ctx;
	while (rc == 0 && (n = read(fd, chunk, CHUNK)) > 0) {
		skip = total == 0 && n >= 3 &&
		    memcmp(chunk, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
		total += (size_t)n;
		if (d->encoding == CSVSTREAM_CP1252) {
			buf_clear(&conv);
			if (text_cp1252_to_utf8(chunk + skip, (size_t)n - skip,
			    &conv) == -1)
				rc = -1;
			else
				rc = feed(&p, &rd, conv.data, conv.len, err);
		} else
			rc = feed(&p, &rd, chunk + skip, (size_t)n - skip, err);
		if (rc == 0 && progress != NULL)
			rc = progress(ctx, total);
	}
	if (rc == 0 && n < 0) {
		set_error(err, rd.line, 0, "Lecture du fichier impossible.");
		rc = -1;
	}
	if (rc == 0 && (csv_fini(&p, on_field, on_row, &rd) != 0 ||
	    rd.stop != 0 || rd.too_wide))
		rc = parse_failed(&rd, err, 1);
	reader_free(&rd, &p);
	buf_free(&conv);
	free(chunk);
	return rc;
}
