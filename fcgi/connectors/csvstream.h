/* CSV files of any size, read as a stream: a first pass settles the
 * encoding (UTF-8 with or without BOM, else Windows-1252) and the
 * delimiter; the second hands rows to a callback, converting to UTF-8 on
 * the way.  Memory stays that of one chunk and one row whatever the size
 * of the file.  Parsing is libcsv's, strict: a stray quote stops the read
 * with its line and column, so the caller can refuse the whole file. */
#ifndef FC_CSVSTREAM_H
#define FC_CSVSTREAM_H

#include <stddef.h>

enum csvstream_encoding {
	CSVSTREAM_UTF8,
	CSVSTREAM_UTF8_BOM,
	CSVSTREAM_CP1252,
};

struct csvstream_dialect {
	enum csvstream_encoding	 encoding;
	char			 delimiter;	/* ',' ';' or '\t' */
	size_t			 bytes;		/* size of the file */
};

struct csvstream_error {
	size_t	line;		/* 1-based record (a spreadsheet's row) */
	size_t	column;		/* 1-based field, 0 when not about one */
	char	message[256];	/* French */
};

/* fields are NUL-terminated and valid until the callback returns; a
 * non-zero return stops the read and is returned by csvstream_read. */
typedef int	(*csvstream_row)(void *ctx, size_t line, char **fields,
		    size_t n);
/* Told the bytes read so far after each chunk; non-zero stops. */
typedef int	(*csvstream_progress)(void *ctx, size_t bytes);

/* Pass one over fd (from its start): 0 with the dialect, or -1 with err
 * for what is not a text file (NUL bytes, a spreadsheet, empty). */
int		 csvstream_detect(int fd, struct csvstream_dialect *,
		    struct csvstream_error *);
/* Pass two: every record to row.  0 when the whole file was read; -1
 * with err for malformed CSV or an I/O error; or the non-zero value of a
 * callback.  progress may be NULL. */
int		 csvstream_read(int fd, const struct csvstream_dialect *,
		    size_t max_fields, csvstream_row row,
		    csvstream_progress progress, void *ctx,
		    struct csvstream_error *);
/* "UTF-8", "UTF-8 (BOM)", "Windows-1252". */
const char	*csvstream_encoding_name(enum csvstream_encoding);
/* The dialect of a file given in memory (tests, small samples). */
int		 csvstream_detect_mem(const char *, size_t,
		    struct csvstream_dialect *, struct csvstream_error *);

#endif
