/* Reading CSV with libcsv (strict: a stray quote is an error), one row at
 * a time into a callback.  The data must already be UTF-8 (text.h). */
#ifndef FC_CSVREAD_H
#define FC_CSVREAD_H

#include <stddef.h>

struct csvread_error {
	size_t	line;		/* 1-based row of the problem */
	char	message[160];	/* French */
};

/* Called for each row with its fields (NUL-terminated, valid until the
 * callback returns); a non-zero return stops the parse and is returned. */
typedef int (*csvread_row)(size_t line, char **fields, size_t n, void *ctx);

/* 0 when every row was read; -1 with err for malformed CSV (nothing is
 * half read: the caller decides before storing anything); or the
 * callback's own non-zero value. */
int	csvread_parse(const char *data, size_t n, char delim, size_t max_fields,
	    csvread_row, void *ctx, struct csvread_error *);

#endif
