#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"

struct state {
	char		**fields;
	size_t		  n;
	size_t		  max;
	size_t		  line;
	int		  stop;		/* the callback's answer */
	int		  too_wide;
	csvread_row	  cb;
	void		 *ctx;
};

static void
on_field(void *s, size_t len, void *data)
{
	struct state	*st = data;
	char		*copy;

	if (st->stop)
		return;
	if (st->n == st->max) {
		st->too_wide = 1;
		return;
	}
	if ((copy = malloc(len + 1)) == NULL) {
		st->stop = -1;
		return;
	}
	memcpy(copy, s ? s : "", len);
	copy[len] = '\0';
	st->fields[st->n++] = copy;
}

static void
clear_row(struct state *st)
{
	size_t	i;

	for (i = 0; i < st->n; i++)
		free(st->fields[i]);
	st->n = 0;
}

static void
on_row(int c, void *data)
{
	struct state	*st = data;

	(void)c;
	st->line++;
	if (!st->stop && !st->too_wide)
		st->stop = st->cb(st->line, st->fields, st->n, st->ctx);
	clear_row(st);
}

int
csvread_parse(const char *data, size_t n, char delim, size_t max_fields,
    csvread_row cb, void *ctx, struct csvread_error *err)
{
	struct csv_parser	p;
	struct state		st;
	int			rc = 0;

	memset(err, 0, sizeof(*err));
	memset(&st, 0, sizeof(st));
	st.max = max_fields;
	st.cb = cb;
	st.ctx = ctx;
	if ((st.fields = calloc(max_fields, sizeof(char *))) == NULL ||
	    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		free(st.fields);
		return -1;
	}
	csv_set_delim(&p, (unsigned char)delim);
	if (csv_parse(&p, data, n, on_field, on_row, &st) != n ||
	    csv_fini(&p, on_field, on_row, &st) != 0) {
		err->line = st.line + 1;
		snprintf(err->message, sizeof(err->message), "Fichier CSV mal "
		    "formé à la ligne %zu : guillemet non fermé ou mal placé.",
		    err->line);
		rc = -1;
	} else if (st.too_wide) {
		err->line = st.line;
		snprintf(err->message, sizeof(err->message), "Trop de colonnes "
		    "(plus de %zu).", max_fields);
		rc = -1;
	} else if (st.stop != 0)
		rc = st.stop;
	clear_row(&st);
	csv_free(&p);
	free(st.fields);
	return rc;
}
