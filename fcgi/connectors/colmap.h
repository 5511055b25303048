/* From a CSV header row to canonical columns, and from each data row to
 * a canon_record.  Headers are compared once normalised: case, accents,
 * repeated spaces, the spaces around ":" (Uber writes " : " and ":" in
 * the same row), a trailing currency mark.  A platform connector declares
 * its headers as a table of synonyms (French and English); the generic
 * connector builds the same table from the user's saved mapping. */
#ifndef FC_COLMAP_H
#define FC_COLMAP_H

#include <stddef.h>

#include "canon.h"

#define COLMAP_MAX_FIELDS	256
#define COLMAP_NAME_MAX		200

/* One canonical column and the headers that may carry it (already in
 * normalised form: see colmap_normalize). kind overrides the canonical
 * column's kind when not -1 (e.g. a distance already in metres). */
struct colmap_entry {
	int			 column;
	int			 kind;
	const char *const	*names;
};

/* A header row resolved against a table of entries. */
struct colmap {
	const struct canon_table_def	*table;
	int		 of_field[COLMAP_MAX_FIELDS];	/* field → column or -1 */
	int		 kind[COLMAP_MAX_FIELDS];
	char		 header[COLMAP_MAX_FIELDS][COLMAP_NAME_MAX];
	int		 field_of[CANON_MAX_COLUMNS];	/* column → field or -1 */
	size_t		 nfields;
	char		 decimal;	/* ',' '.' or 0 while unknown */
};

/* Lower case, accents and ligatures folded to ASCII, spaces collapsed and
 * removed around ':', '|' and a trailing "(€)", "(eur)", "€" dropped. */
void		 colmap_normalize(const char *in, char *out, size_t outlen);
/* Resolve headers; 0, or -1 with the French reason in msg when a header
 * is duplicated or a column required by `required` (columns, ending -1)
 * has no header.  Unknown headers are ignored. */
int		 colmap_resolve(struct colmap *, const struct canon_table_def *,
		    const struct colmap_entry *, size_t nentries,
		    const int *required, char **fields, size_t n,
		    char *msg, size_t msglen);
/* Fill r from one data row.  0, or -1 with the offending header, value
 * and reason (pointers into fields or static text). */
int		 colmap_row(struct colmap *, char **fields, size_t n,
		    struct canon_record *r, const char **column,
		    const char **value, const char **reason);
/* The field index carrying column, or -1. */
int		 colmap_field(const struct colmap *, int column);
/* 1 when every field of the row is empty (a blank line). */
int		 colmap_blank(char **fields, size_t n);

#endif
