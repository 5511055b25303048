/* Text files from spreadsheets: encodings and delimiters. */
#ifndef FC_TEXT_H
#define FC_TEXT_H

#include <stddef.h>

#include "buf.h"

/* Windows-1252 (what Excel writes on French Windows) to UTF-8. */
int	text_cp1252_to_utf8(const char *, size_t, buf *);
/* The data as UTF-8 without a BOM: kept when valid UTF-8, else read as
 * Windows-1252.  *converted tells which. */
int	text_to_utf8(const char *, size_t, buf *, int *converted);
/* The delimiter of a CSV from its first line: the most frequent of
 * ';' ',' and tab outside quotes (',' when none). */
char	text_csv_delimiter(const char *, size_t);

#endif
