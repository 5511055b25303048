/* libFuzzer harness: the CSV path of file sources — dialect detection
 * (encoding, delimiter), row parsing, header normalisation and a whole
 * file through an iSaVigne stream's profile.  The first byte picks the
 * stream.  Invariants: detection and the read never crash; every field a
 * row hands over is valid UTF-8 without NUL; a normalised header is
 * well-formed UTF-8 that fits its buffer; every text column of a record
 * the profile hands over is well-formed UTF-8. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "connectors/colmap.h"
#include "connectors/csvstream.h"
#include "connectors/isavigne.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct seen {
	size_t				 rows;
	const struct canon_table_def	*table;
};

static int
on_row(void *ctx, size_t line, char **f, size_t n)
{
	char	norm[COLMAP_NAME_MAX];
	size_t	i;

	(void)line;
	((struct seen *)ctx)->rows++;
	for (i = 0; i < n; i++) {
		if (!utf8_valid_text(f[i], strlen(f[i])))
			abort();
		colmap_normalize(f[i], norm, sizeof(norm));
		if (strlen(norm) >= sizeof(norm) ||
		    !utf8_valid_text(norm, strlen(norm)))
			abort();
	}
	return 0;
}

static int
on_record(void *ctx, const struct canon_record *r)
{
	const struct canon_table_def	*t = ((struct seen *)ctx)->table;
	size_t				 i;

	for (i = 0; i < t->ncolumns; i++)
		if (r->set[i] && !canon_kind_is_number(t->columns[i].kind) &&
		    !utf8_valid_text(r->text[i], strlen(r->text[i])))
			abort();
	return 0;
}

static int
on_reject(void *ctx, size_t line, const char *c, const char *v, const char *w)
{
	(void)ctx, (void)line, (void)c, (void)v, (void)w;
	return 0;
}

static int
fd_of(const uint8_t *data, size_t size)
{
	FILE	*f = tmpfile();
	int	 fd;

	if (f == NULL)
		return -1;
	if (size > 0 && fwrite(data, 1, size, f) != size) {
		fclose(f);
		return -1;
	}
	fflush(f);
	fd = dup(fileno(f));
	fclose(f);
	return fd;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct isavigne_built	 b;
	struct csvstream_dialect	 d;
	struct csvstream_error		 err;
	struct seen			 s = { 0, NULL };
	struct connector_sink		 sink = { &s, on_record, on_reject, NULL };
	struct connector_input		 in = { -1, "fuzz.csv", NULL };
	struct connector_outcome	 o;
	size_t				 stream;
	int				 fd;

	if (size < 1)
		return 0;
	stream = data[0] % isavigne_nstreams;
	data++;
	size--;
	(void)csvstream_detect_mem((const char *)data, size, &d, &err);
	if ((fd = fd_of(data, size)) == -1)
		return 0;
	if (csvstream_detect(fd, &d, &err) == 0)
		(void)csvstream_read(fd, &d, 256, on_row, NULL, &s, &err);
	isavigne_profile(&b, &isavigne_streams[stream], NULL);
	in.fd = fd;
	s.table = canon_table(isavigne_streams[stream].table);
	connector_outcome_init(&o);
	connector_csv_read(&b.profile, isavigne_streams[stream].table, NULL,
	    &in, &sink, &o);
	connector_outcome_clear(&o);
	close(fd);
	return 0;
}
