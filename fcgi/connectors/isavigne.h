/* iSaVigne's exports (isavigne_csv.c) and the normalisations of their
 * values (isavigne_values.c), shared with the mapping screen and tests. */
#ifndef FC_ISAVIGNE_H
#define FC_ISAVIGNE_H

#include <jansson.h>

#include "connector.h"

#define ISAVIGNE_MAX_NAMES	16

/* The headers that may carry one canonical column. */
struct isavigne_alias {
	int			 column;
	const char *const	*names;		/* normalised, NULL-ended */
};

/* One file of the export. */
struct isavigne_stream {
	const char			*name;		/* "ventes": ventes*.csv */
	enum canon_table		 table;
	const struct isavigne_alias	*aliases;
	size_t				 naliases;
	const int			*required;
	const char			*what;
	const char	*(*finish)(struct canon_record *, const json_t *,
			    int *column);
};

extern const struct isavigne_stream isavigne_streams[];
extern const size_t isavigne_nstreams;

/* The stream a file's name belongs to (index), or -1. */
int	 isavigne_stream_of(const char *file_name);

/* A stream's profile with the configuration's aliases first. */
struct isavigne_built {
	struct colmap_entry	 entries[CANON_MAX_COLUMNS];
	const char		*lists[CANON_MAX_COLUMNS][ISAVIGNE_MAX_NAMES];
	char			 extra[CANON_MAX_COLUMNS][COLMAP_NAME_MAX];
	struct csv_profile	 profile;
};
int	 isavigne_profile(struct isavigne_built *,
	    const struct isavigne_stream *, const json_t *config);

/* Labels to our words: "Vin rouge", "ROUGE", "R" → "rouge"; "Magnum
 * 1,5 L" → "magnum", "Carton de 6" → "caisse6" (a code the packaging
 * table may not know stays as written, normalised); NULL when nothing
 * fits (category: "autre"). */
const char	*isavigne_category(const char *label);
const char	*isavigne_packaging(const char *label, char *out, size_t len);
/* "Jean-Pierre de La Tour" → "Jean-Pierre" and "de La Tour". */
void		 isavigne_split_name(const char *full, char *first,
		    size_t flen, char *last, size_t llen);

const char	*isavigne_finish_product(struct canon_record *, const json_t *,
		    int *column);
const char	*isavigne_finish_customer(struct canon_record *,
		    const json_t *, int *column);
const char	*isavigne_finish_sale(struct canon_record *, const json_t *,
		    int *column);
const char	*isavigne_finish_stock(struct canon_record *, const json_t *,
		    int *column);

#endif
