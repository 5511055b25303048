/* Connector types (DESIGN §2, the four verbs of connectors.md §1.1).
 *
 * A type declares
 *   - its form: the fields of a source's configuration, which are secret
 *     (sealed at rest, never shown back, never logged), which are choices;
 *   - check: is a configuration usable — with a sample file, is that file
 *     one we can read — answered in French for a person;
 *   - discover: the streams and fields it offers (for a file: its header);
 *   - read: the records of one input, into a sink, with the dialect it
 *     detected; a malformed input stops the read with line, column and
 *     reason so that nothing of it is loaded;
 *   - the canonical table it fills and the key space of its source keys.
 *
 * Every type is a row of one table (connector_types.c); each lives in
 * its own file (uber_csv.c, bolt_csv.c, heetch_csv.c, generic_csv.c,
 * bolt_api.c).  Types that read a platform's API instead of a file are
 * described in live.h. */
#ifndef FC_CONNECTOR_H
#define FC_CONNECTOR_H

#include <stddef.h>
#include <jansson.h>

#include "canon.h"
#include "colmap.h"
#include "csvstream.h"
#include "fetch_url.h"

enum connector_field_type {
	CFIELD_TEXT,
	CFIELD_SECRET,	/* sealed; the form shows "••••" and keeps it when blank */
	CFIELD_CHOICE,	/* one of choices; labels at "<label_key>_<choice>" */
};

struct connector_field {
	const char			*name;
	const char			*label_key;
	const char			*help_key;	/* may be NULL */
	enum connector_field_type	 type;
	int				 required;
	const char *const		*choices;	/* CFIELD_CHOICE */
	const char			*def;		/* default, or NULL */
	size_t				 max;		/* characters */
	/* A rule beyond the type's (an address, a header value): NULL or
	 * the catalogue key of the reason.  May be NULL. */
	const char			*(*valid)(const char *value);
};

struct live_env;
struct live_sink;
struct live_stream;

/* A file to read, or for a live type (live.h) fd -1 and its environment. */
struct connector_input {
	int			 fd;
	const char		*name;		/* as uploaded, for messages */
	const struct live_env	*live;
};

/* Where records go.  Each callback returns 0 to go on, non-zero to stop
 * the read (the loader failed, the run was cancelled); read then returns
 * CONN_STOPPED. */
struct connector_sink {
	void	*ctx;
	int	(*record)(void *ctx, const struct canon_record *);
	/* A row that cannot be loaded: counted and shown, the rest goes on. */
	int	(*reject)(void *ctx, size_t line, const char *column,
		    const char *value, const char *reason);
	int	(*progress)(void *ctx, size_t bytes_read);
};

enum connector_result {
	CONN_OK,
	CONN_CONFIG,	/* the configuration or the file must change */
	CONN_TRANSIENT,	/* try again later */
	CONN_STOPPED,	/* a sink callback asked to stop */
};

/* How a read or a check went.  message is for the user (French); detail
 * is for support (never a secret). */
struct connector_outcome {
	enum connector_result	 result;
	size_t			 line;
	size_t			 column;
	char			 column_name[128];
	char			 message[512];
	char			 detail[512];
	/* What was detected: encoding, delimiter, decimal, columns used and
	 * ignored (new object, owned by the outcome). */
	json_t			*dialect;
};

struct connector_type {
	const char			*name;		/* "uber_csv" */
	const char			*label_key;
	const char			*help_key;
	const char			*platform;	/* "uber"…, NULL: from config */
	int				 file_based;
	const struct connector_field	*fields;
	size_t				 nfields;
	/* The canonical table filled; generic_csv reads it from config. */
	enum canon_table		 table;
	int				 table_from_config;
	/* Namespace of source keys ("uber_transaction"): rows with the same
	 * key space and key are the same row whatever source brought them.
	 * NULL: one per source ("csv_<source id>"). */
	const char			*key_space;
	/* Without a sample (fd -1) checks the configuration alone. */
	void	(*check)(const json_t *config, const struct connector_input *,
		    struct connector_outcome *);
	/* Streams and fields: [{name, table, fields: [...]}], or NULL with
	 * the outcome telling why. */
	json_t	*(*discover)(const json_t *config, const struct connector_input *,
		    struct connector_outcome *);
	void	(*read)(const json_t *config, const struct connector_input *,
		    const struct connector_sink *, struct connector_outcome *);
	/* A live type's read (file_based 0, live.h): read is NULL; its
	 * streams, each with its canonical table and key space. */
	void	(*read_live)(const json_t *config, const struct live_env *,
		    const struct live_sink *, struct connector_outcome *);
	const struct live_stream	*streams;
	size_t				 nstreams;
};

/* The table of types (connector_types.c). */
extern const struct connector_type *const connector_types[];
extern const size_t connector_ntypes;

const struct connector_type	*connector_find(const char *name);
/* The table and platform a source of this type with this config fills. */
enum canon_table	 connector_table(const struct connector_type *,
			    const json_t *config);
const char		*connector_platform(const struct connector_type *,
			    const json_t *config);

/* Validate submitted values (strings by field name) against the type's
 * fields.  Returns the configuration to store (non-secret fields) and in
 * *secrets the secret ones (object; NULL when none was given); *errors is
 * NULL or {field: catalogue key of the message}, turned into text
 * where the request is known.  current/current_secrets: the stored values,
 * kept for fields left blank (a secret is never shown, so blank = keep). */
json_t		*connector_config_input(const struct connector_type *,
		    json_t *values, const json_t *current,
		    const json_t *current_secrets, json_t **secrets,
		    json_t **errors);
/* The configuration as screens and the API show it: secrets replaced by
 * "••••" when set, absent otherwise. */
json_t		*connector_config_public(const struct connector_type *,
		    const json_t *config, const json_t *secrets);

void		 connector_outcome_init(struct connector_outcome *);
void		 connector_outcome_clear(struct connector_outcome *);
void		 connector_fail(struct connector_outcome *, enum connector_result,
		    size_t line, size_t column, const char *column_name,
		    const char *message);

/* ---- shared by the CSV types (connector_csv.c) ------------------------- */

/* A platform export: its synonyms table, required columns, and a hook that
 * finishes a record (derived columns, the source key) — NULL or a reason
 * to reject the row. */
struct csv_profile {
	const struct colmap_entry	*entries;
	size_t				 nentries;
	const int			*required;	/* ends with -1 */
	const char			*what;		/* "l'export des paiements Uber" */
	const char	*(*finish)(struct canon_record *, const json_t *config,
			    int *column);
};

void	 connector_csv_check(const struct csv_profile *, enum canon_table,
	    const json_t *config, const struct connector_input *,
	    struct connector_outcome *);
json_t	*connector_csv_discover(const struct csv_profile *, const json_t *config,
	    const struct connector_input *, struct connector_outcome *);
void	 connector_csv_read(const struct csv_profile *, enum canon_table,
	    const json_t *config, const struct connector_input *,
	    const struct connector_sink *, struct connector_outcome *);

/* check, discover and read of a CSV type that needs nothing but its
 * profile: the connector_type's functions take no profile, hence one
 * static wrapper of each per type. */
#define CONNECTOR_CSV_FUNCTIONS(profile, table) \
static void \
check(const json_t *config, const struct connector_input *in, \
    struct connector_outcome *out) \
{ \
	connector_csv_check(&(profile), (table), config, in, out); \
} \
static json_t * \
discover(const json_t *config, const struct connector_input *in, \
    struct connector_outcome *out) \
{ \
	return connector_csv_discover(&(profile), config, in, out); \
} \
static void \
read_file(const json_t *config, const struct connector_input *in, \
    const struct connector_sink *sink, struct connector_outcome *out) \
{ \
	connector_csv_read(&(profile), (table), config, in, sink, out); \
}

/* The dialect fields every CSV type offers (auto-detected by default),
 * and the currency of its amounts. */
extern const char *const connector_csv_encodings[];
extern const char *const connector_csv_delimiters[];
extern const char *const connector_csv_decimals[];
#define CONNECTOR_CSV_FIELDS \
	{ "encoding", "sources.field.encoding", "sources.field.encoding_help", \
	    CFIELD_CHOICE, 0, connector_csv_encodings, "auto", 0, NULL }, \
	{ "delimiter", "sources.field.delimiter", NULL, CFIELD_CHOICE, 0, \
	    connector_csv_delimiters, "auto", 0, NULL }, \
	{ "decimal", "sources.field.decimal", NULL, CFIELD_CHOICE, 0, \
	    connector_csv_decimals, "auto", 0, NULL }, \
	{ "currency", "sources.field.currency", NULL, CFIELD_TEXT, 0, NULL, \
	    "EUR", 3, NULL }, \
	CONNECTOR_FETCH_FIELDS

/* Where a file source may fetch its file by itself (fetch.h): an address
 * (https://, fetch_url.h's rule) and the value of an Authorization header,
 * sealed like every secret.  Both optional: without an address the file
 * is uploaded. */
#define CONNECTOR_FETCH_FIELDS \
	{ "url", "sources.field.url", "sources.field.url_help", CFIELD_TEXT, \
	    0, NULL, NULL, FETCH_URL_MAX, fetch_url_check }, \
	{ "authorization", "sources.field.authorization", \
	    "sources.field.authorization_help", CFIELD_SECRET, 0, NULL, NULL, \
	    1000, fetch_header_check }

/* Words of a platform's status and payment method to ours. */
const char	*connector_trip_status(const char *);
const char	*connector_payment_method(const char *);
/* "Prénom" + "Nom" into the name column, the ref defaulting to what
 * identifies the driver best (e-mail, phone, name). */
void		 connector_join_name(struct canon_record *, int name_col,
		    int surname_col);
void		 connector_default_ref(struct canon_record *, int ref_col,
		    int email_col, int phone_col, int name_col);
/* The currency from config (default EUR), validated. */
const char	*connector_currency(const json_t *config);
long long	 connector_abs(long long);
/* Days since 1970-01-01 of "YYYY-MM-DD" (-1 when unreadable). */
long		 connector_day_number(const char *);
/* jour, semaine (7 days) or mois (a calendar month) from the bounds of a
 * period, both included; NULL when it is none of these. */
const char	*connector_period_kind(const char *start, const char *end);
/* The period a file's name gives ("bolt-2026-11-09_2026-11-15.csv": from
 * the first to the second date; one date: that day; "2026-W46": that ISO
 * week, Monday to Sunday), as "YYYY-MM-DD": 0, or -1 when it names none. */
int		 connector_period_from_name(const char *name, char start[11],
		    char end[11]);
/* An earnings row's period: both bounds there and a day, a week or a
 * month, whose kind goes to EARN_PERIOD.  NULL, or the reason to reject
 * the row with *column. */
const char	*connector_earnings_period(struct canon_record *, int *column);
/* The source key of an earnings row: the driver (column ref), the start
 * and the kind of its period.  NULL, or the reason with *column. */
const char	*connector_earnings_key(struct canon_record *, int ref,
		    int *column);

extern const struct connector_type connector_uber_csv;
extern const struct connector_type connector_bolt_csv;
extern const struct connector_type connector_bolt_orders_csv;
extern const struct connector_type connector_heetch_csv;
extern const struct connector_type connector_generic_csv;
extern const struct connector_type connector_bolt_api;
extern const struct connector_type connector_uber_api;
extern const struct connector_type connector_heetch_portal;

#endif
