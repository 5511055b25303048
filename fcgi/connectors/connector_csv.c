/* What the CSV connector types share: the dialect (detected, or forced by
 * the source's settings), the header resolved against a profile, each
 * row turned into a record or a rejected row, and the check and discover
 * verbs built on the same reading. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "connector.h"

#define CHECK_ROWS	200	/* rows a check reads of a sample */
#define CHECK_PROBLEMS	3	/* rejected rows a check quotes */

const char *const connector_csv_encodings[] = { "auto", "utf8", "cp1252",
	NULL };
const char *const connector_csv_delimiters[] = { "auto", "virgule",
	"point_virgule", "tabulation", NULL };
const char *const connector_csv_decimals[] = { "auto", "virgule", "point",
	NULL };

/* Returned by the row callback of a check once it has read enough. */
#define ENOUGH	2

long long
connector_abs(long long v)
{
	return v < 0 ? -v : v;
}

static int
contains(const char *hay, const char *const *needles)
{
	char	low[256];
	size_t	i;

	colmap_normalize(hay, low, sizeof(low));
	for (i = 0; needles[i] != NULL; i++)
		if (strstr(low, needles[i]) != NULL)
			return 1;
	return 0;
}

const char *
connector_trip_status(const char *s)
{
	static const char *const done[] = { "finish", "complet", "termin",
		"effectu", "arrived to destination", NULL };
	static const char *const cancelled[] = { "cancel", "annul", "reject",
		"refus", "did not", "no show", "failed", "echou", NULL };
	static const char *const adjust[] = { "adjust", "ajust", "correction",
		"regularisation", NULL };

	if (contains(s, adjust))
		return "ajustement";
	if (contains(s, cancelled))
		return "annulee";
	if (contains(s, done))
		return "terminee";
	return "autre";
}

const char *
connector_payment_method(const char *s)
{
	static const char *const cash[] = { "cash", "espece", "liquide", NULL };
	static const char *const card[] = { "card", "carte", "app", "cb",
		"online", "en ligne", "business", "balance", "wallet", NULL };

	if (contains(s, cash))
		return "especes";
	if (contains(s, card))
		return "carte";
	return "autre";
}

void
connector_join_name(struct canon_record *r, int name_col, int surname_col)
{
	char	joined[CANON_TEXT_MAX];

	if (!r->set[surname_col])
		return;
	if (!r->set[name_col]) {
		canon_set_text(r, name_col, r->text[surname_col]);
		return;
	}
	snprintf(joined, sizeof(joined), "%s %s", r->text[name_col],
	    r->text[surname_col]);
	canon_set_text(r, name_col, joined);
}

void
connector_default_ref(struct canon_record *r, int ref_col, int email_col,
    int phone_col, int name_col)
{
	if (r->set[ref_col])
		return;
	if (r->set[email_col])
		canon_set_text(r, ref_col, r->text[email_col]);
	else if (r->set[phone_col])
		canon_set_text(r, ref_col, r->text[phone_col]);
	else if (r->set[name_col])
		canon_set_text(r, ref_col, r->text[name_col]);
}

const char *
connector_currency(const json_t *config)
{
	const char	*c = json_string_value(json_object_get(config, "currency"));

	if (c == NULL || strlen(c) != 3 || strspn(c,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
		return "EUR";
	return c;
}

static const char *
choice(const json_t *config, const char *name)
{
	const char	*v = json_string_value(json_object_get(config, name));

	return v != NULL ? v : "auto";
}

static char
decimal_of(const json_t *config)
{
	const char	*d = choice(config, "decimal");

	return strcmp(d, "virgule") == 0 ? ',' : strcmp(d, "point") == 0 ?
	    '.' : 0;
}

static const char *
delimiter_label(char d)
{
	return d == ';' ? "point_virgule" : d == '\t' ? "tabulation" : "virgule";
}

/* The dialect of the input: detected, then what the settings force. */
static int
dialect(const json_t *config, const struct connector_input *in,
    struct csvstream_dialect *d, struct connector_outcome *out)
{
	struct csvstream_error	 err;
	const char		*enc = choice(config, "encoding");
	const char		*delim = choice(config, "delimiter");

	if (csvstream_detect(in->fd, d, &err) == -1) {
		connector_fail(out, CONN_CONFIG, err.line, 0, NULL, err.message);
		return -1;
	}
	if (strcmp(enc, "utf8") == 0 && d->encoding == CSVSTREAM_CP1252) {
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Le fichier n'est "
		    "pas en UTF-8 (il contient des caractères d'un autre "
		    "encodage) : choisissez l'encodage Windows-1252 ou "
		    "« automatique » dans les réglages de la source.");
		return -1;
	}
	if (strcmp(enc, "cp1252") == 0)
		d->encoding = CSVSTREAM_CP1252;
	if (strcmp(delim, "virgule") == 0)
		d->delimiter = ',';
	else if (strcmp(delim, "point_virgule") == 0)
		d->delimiter = ';';
	else if (strcmp(delim, "tabulation") == 0)
		d->delimiter = '\t';
	json_object_set_new(out->dialect, "encoding",
	    json_string(csvstream_encoding_name(d->encoding)));
	json_object_set_new(out->dialect, "delimiter",
	    json_string(delimiter_label(d->delimiter)));
	json_object_set_new(out->dialect, "bytes", json_integer(
	    (json_int_t)d->bytes));
	return 0;
}

struct csv_read {
	const struct csv_profile	*prof;
	const struct canon_table_def	*table;
	const json_t			*config;
	const struct connector_sink	*sink;	/* NULL: a check */
	struct connector_outcome	*out;
	struct colmap			 map;
	struct canon_record		 rec;
	int				 header_done;
	size_t				 rows;
	size_t				 rejected;
	json_t				*problems;	/* a check's samples */
	json_t				*headers;	/* discover */
};

/* Which headers feed which column, and which are ignored. */
static void
describe_columns(struct csv_read *st)
{
	json_t	*used = json_array(), *ignored = json_array();
	size_t	 i;
	int	 col;

	for (i = 0; i < st->map.nfields; i++) {
		col = st->map.of_field[i];
		if (col >= 0 && col < (int)st->table->ncolumns)
			json_array_append_new(used, json_pack("{s:s, s:s}",
			    "header", st->map.header[i], "column",
			    st->table->columns[col].name));
		else if (col >= 0)	/* joined into another column */
			json_array_append_new(used, json_pack("{s:s, s:s}",
			    "header", st->map.header[i], "column", "+"));
		else if (st->map.header[i][0] != '\0')
			json_array_append_new(ignored,
			    json_string(st->map.header[i]));
	}
	json_object_set_new(st->out->dialect, "columns", used);
	json_object_set_new(st->out->dialect, "ignored", ignored);
}

static int
read_header(struct csv_read *st, size_t line, char **f, size_t n)
{
	char	msg[512];
	size_t	i;

	if (st->headers != NULL)
		for (i = 0; i < n; i++)
			json_array_append_new(st->headers, json_string(f[i]));
	if (colmap_blank(f, n)) {
		connector_fail(st->out, CONN_CONFIG, line, 0, NULL, "La première "
		    "ligne du fichier est vide : elle doit porter les noms des "
		    "colonnes.");
		return 1;
	}
	if (colmap_resolve(&st->map, st->table, st->prof->entries,
	    st->prof->nentries, st->prof->required, f, n, msg,
	    sizeof(msg)) == -1) {
		connector_fail(st->out, CONN_CONFIG, line, 0, NULL, msg);
		return 1;
	}
	st->map.decimal = decimal_of(st->config);
	st->header_done = 1;
	describe_columns(st);
	return 0;
}

static int
reject(struct csv_read *st, size_t line, const char *column,
    const char *value, const char *reason)
{
	st->rejected++;
	if (st->sink != NULL)
		return st->sink->reject(st->sink->ctx, line, column, value,
		    reason);
	if (json_array_size(st->problems) < CHECK_PROBLEMS)
		json_array_append_new(st->problems, json_pack("{s:I, s:s, s:s,"
		    " s:s}", "line", (json_int_t)line, "column", column,
		    "value", value, "reason", reason));
	return 0;
}

/* The header and value of a column of the record's row, for a reason
 * found after parsing (the source key missing, a bad period). */
static void
where(struct csv_read *st, char **f, size_t n, int col, const char **column,
    const char **value)
{
	int	k = colmap_field(&st->map, col);

	*column = k >= 0 ? st->map.header[k] : col >= 0 &&
	    col < (int)st->table->ncolumns ? st->table->columns[col].name : "";
	*value = k >= 0 && (size_t)k < n ? f[k] : "";
}

static const char *
check_required(struct csv_read *st, int *col)
{
	size_t	i;

	for (i = 0; i < st->table->ncolumns; i++)
		if (st->table->columns[i].required && !st->rec.set[i]) {
			*col = (int)i;
			return "Valeur obligatoire manquante.";
		}
	return NULL;
}

static int
on_row(void *ctx, size_t line, char **f, size_t n)
{
	struct csv_read	*st = ctx;
	const char	*column, *value, *reason;
	char		 msg[256];
	int		 col = -1, cur;

	if (!st->header_done)
		return read_header(st, line, f, n) != 0 ? 1 :
		    st->headers != NULL ? ENOUGH : 0;
	if (colmap_blank(f, n))
		return 0;
	if (n != st->map.nfields) {
		snprintf(msg, sizeof(msg), "La ligne compte %zu colonne(s) alors "
		    "que l'en-tête en annonce %zu : un séparateur manque ou est "
		    "en trop (une valeur contenant le séparateur doit être entre "
		    "guillemets).", n, st->map.nfields);
		connector_fail(st->out, CONN_CONFIG, line, n < st->map.nfields ?
		    n : st->map.nfields + 1, NULL, msg);
		return 1;
	}
	st->rows++;
	canon_record_clear(&st->rec);
	st->rec.line = line;
	if (colmap_row(&st->map, f, n, &st->rec, &column, &value, &reason))
		return reject(st, line, column, value, reason);
	if (st->prof->finish != NULL &&
	    (reason = st->prof->finish(&st->rec, st->config, &col)) != NULL) {
		where(st, f, n, col, &column, &value);
		return reject(st, line, column, value, reason);
	}
	if ((reason = check_required(st, &col)) != NULL) {
		where(st, f, n, col, &column, &value);
		return reject(st, line, column, value, reason);
	}
	/* Trips and earnings have a currency; commerce tables are euros. */
	cur = st->table == canon_table(CANON_TRIPS) ? TRIP_CURRENCY :
	    st->table == canon_table(CANON_EARNINGS) ? EARN_CURRENCY : -1;
	if (cur >= 0 && !st->rec.set[cur])
		canon_set_text(&st->rec, cur, connector_currency(st->config));
	if (st->sink != NULL)
		return st->sink->record(st->sink->ctx, &st->rec);
	return st->rows >= CHECK_ROWS ? ENOUGH : 0;
}

static int
on_progress(void *ctx, size_t bytes)
{
	struct csv_read	*st = ctx;

	return st->sink != NULL && st->sink->progress != NULL ?
	    st->sink->progress(st->sink->ctx, bytes) : 0;
}

static void
finish_dialect(struct csv_read *st, const struct csvstream_dialect *d)
{
	(void)d;
	json_object_set_new(st->out->dialect, "decimal", json_string(
	    st->map.decimal == ',' ? "virgule" : st->map.decimal == '.' ?
	    "point" : "auto"));
}

/* Read in with the profile; rc as csvstream_read. */
static int
run(struct csv_read *st, const struct connector_input *in)
{
	struct csvstream_dialect	d;
	struct csvstream_error		err;
	int				rc;

	if (dialect(st->config, in, &d, st->out) == -1)
		return -1;
	rc = csvstream_read(in->fd, &d, COLMAP_MAX_FIELDS + 1, on_row,
	    on_progress, st, &err);
	finish_dialect(st, &d);
	if (rc == -1)
		connector_fail(st->out, CONN_CONFIG, err.line, err.column, NULL,
		    err.message);
	else if (rc != 0 && rc != ENOUGH && st->out->result == CONN_OK)
		st->out->result = CONN_STOPPED;
	if (rc == 0 && !st->header_done)
		connector_fail(st->out, CONN_CONFIG, 0, 0, NULL,
		    "Le fichier est vide.");
	return rc;
}

void
connector_csv_read(const struct csv_profile *prof, enum canon_table table,
    const json_t *config, const struct connector_input *in,
    const struct connector_sink *sink, struct connector_outcome *out)
{
	struct csv_read	*st;

	if ((st = calloc(1, sizeof(*st))) == NULL) {
		connector_fail(out, CONN_TRANSIENT, 0, 0, NULL,
		    "Mémoire insuffisante.");
		return;
	}
	st->prof = prof;
	st->table = canon_table(table);
	st->config = config;
	st->sink = sink;
	st->out = out;
	if (run(st, in) == 0 && out->result == CONN_OK && st->rows == 0)
		connector_fail(out, CONN_CONFIG, 1, 0, NULL, "Le fichier ne "
		    "contient aucune ligne de données après l'en-tête.");
	free(st);
}

/* Replace the outcome's message (which may be one of the arguments). */
static void
say(struct connector_outcome *out, const char *fmt, ...)
{
	char	tmp[sizeof(out->message)];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	memcpy(out->message, tmp, sizeof(tmp));
}

static const char *
decimal_words(const json_t *dialect)
{
	const char	*d = json_string_value(json_object_get(dialect, "decimal"));

	return d && strcmp(d, "virgule") == 0 ? ", virgule décimale" :
	    d && strcmp(d, "point") == 0 ? ", point décimal" : "";
}

static const char *
delimiter_words(const json_t *dialect)
{
	const char	*d = json_string_value(json_object_get(dialect,
			    "delimiter"));

	return d && strcmp(d, "point_virgule") == 0 ? "point-virgule" :
	    d && strcmp(d, "tabulation") == 0 ? "tabulation" : "virgule";
}

void
connector_csv_check(const struct csv_profile *prof, enum canon_table table,
    const json_t *config, const struct connector_input *in,
    struct connector_outcome *out)
{
	struct csv_read	*st;
	json_t		*p;

	if (in == NULL || in->fd < 0) {
		snprintf(out->message, sizeof(out->message), "Configuration "
		    "utilisable. Déposez %s (CSV) pour synchroniser, ou joignez "
		    "un exemple de fichier pour le tester.", prof->what);
		return;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		connector_fail(out, CONN_TRANSIENT, 0, 0, NULL,
		    "Mémoire insuffisante.");
		return;
	}
	st->prof = prof;
	st->table = canon_table(table);
	st->config = config;
	st->out = out;
	st->problems = json_array();
	(void)run(st, in);
	if (out->result == CONN_OK && st->rows == 0)
		connector_fail(out, CONN_CONFIG, 1, 0, NULL, "Le fichier ne "
		    "contient aucune ligne de données après l'en-tête.");
	if (out->result != CONN_OK)
		say(out, "Ce fichier ne peut pas être lu comme %s : %s",
		    prof->what, out->message);
	else {
		say(out, "Fichier reconnu "
		    "comme %s. Encodage %s, séparateur %s%s ; %zu colonne(s) "
		    "reconnue(s), %zu ignorée(s). %zu ligne(s) lue(s) pour le "
		    "test, %zu rejetée(s).", prof->what,
		    json_string_value(json_object_get(out->dialect, "encoding")),
		    delimiter_words(out->dialect), decimal_words(out->dialect),
		    json_array_size(json_object_get(out->dialect, "columns")),
		    json_array_size(json_object_get(out->dialect, "ignored")),
		    st->rows, st->rejected);
		json_object_set(out->dialect, "problems", st->problems);
		if ((p = json_array_get(st->problems, 0)) != NULL) {
			say(out, "%s Exemple : ligne %lld, "
			    "colonne « %s », valeur « %s » : %s", out->message,
			    (long long)json_integer_value(json_object_get(p,
			    "line")), json_string_value(json_object_get(p,
			    "column")), json_string_value(json_object_get(p,
			    "value")), json_string_value(json_object_get(p,
			    "reason")));
		}
	}
	json_decref(st->problems);
	free(st);
}

json_t *
connector_csv_discover(const struct csv_profile *prof, const json_t *config,
    const struct connector_input *in, struct connector_outcome *out)
{
	struct csv_read	*st;
	json_t		*headers;

	if (in == NULL || in->fd < 0) {
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Joignez un exemple "
		    "de fichier pour en lire les colonnes.");
		return NULL;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	st->prof = prof;
	st->table = canon_table(CANON_TRIPS);
	st->config = config;
	st->out = out;
	st->problems = json_array();
	st->headers = headers = json_array();
	(void)run(st, in);
	json_decref(st->problems);
	free(st);
	/* Headers are what discover is for: a missing required column does
	 * not hide them. */
	if (json_array_size(headers) == 0) {
		json_decref(headers);
		return NULL;
	}
	out->result = CONN_OK;
	return headers;
}

/* Days since 1970-01-01 of "YYYY-MM-DD". */
long
connector_day_number(const char *d)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(d, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (long)(timegm(&tm) / 86400);
}

static int
is_month(const char *start, const char *end)
{
	long	s = connector_day_number(start), e = connector_day_number(end);
	struct tm	tm;
	int		y, m;

	if (strlen(start) != 10 || strcmp(start + 8, "01") != 0 ||
	    strncmp(start, end, 7) != 0 || sscanf(start, "%4d-%2d", &y, &m) != 2)
		return 0;
	/* The first of the next month, less a day, is the last of this one. */
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (m == 12 ? y + 1 : y) - 1900;
	tm.tm_mon = m == 12 ? 0 : m;
	tm.tm_mday = 1;
	return (long)(timegm(&tm) / 86400) - 1 == e && s >= 0;
}

const char *
connector_period_kind(const char *start, const char *end)
{
	long	span = connector_day_number(end) - connector_day_number(start);

	if (span == 0)
		return "jour";
	if (span == 6)
		return "semaine";
	if (is_month(start, end))
		return "mois";
	return NULL;
}


/* "YYYY-MM-DD" of a day number, when it is a real date of that number. */
static int
day_text(long day, char out[11])
{
	time_t		t = (time_t)day * 86400;
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	return strftime(out, 11, "%Y-%m-%d", &tm) == 10 ? 0 : -1;
}

/* A real calendar date at s ("2026-02-30" is not one). */
static int
date_at(const char *s, char out[11])
{
	long	day;

	if (strlen(s) < 10 || !isdigit((unsigned char)s[0]) || s[4] != '-' ||
	    s[7] != '-' || strspn(s, "0123456789") != 4 ||
	    strspn(s + 5, "0123456789") != 2 || strspn(s + 8, "0123456789") < 2)
		return -1;
	if ((day = connector_day_number(s)) == -1 || day_text(day, out) == -1)
		return -1;
	return strncmp(out, s, 10) == 0 ? 0 : -1;
}

/* Monday to Sunday of ISO week w of year y.  A week belongs to the year
 * of its Thursday, which also tells whether the year has a week 53. */
static int
iso_week(int y, int w, char start[11], char end[11])
{
	char	jan4[11], thursday[11];
	long	d;

	if (w < 1 || w > 53 || snprintf(jan4, sizeof(jan4), "%04d-01-04", y) !=
	    10 || (d = connector_day_number(jan4)) == -1)
		return -1;
	/* 1970-01-01 was a Thursday: (d + 3) % 7 is 0 on Mondays.  4 January
	 * is always in week 1. */
	d = d - (d + 3) % 7 + (long)(w - 1) * 7;
	if (day_text(d, start) == -1 || day_text(d + 6, end) == -1 ||
	    day_text(d + 3, thursday) == -1)
		return -1;
	return atoi(thursday) == y ? 0 : -1;
}

int
connector_period_from_name(const char *name, char start[11], char end[11])
{
	const char	*p;
	char		 first[11];
	int		 y, w, n;

	if (name == NULL)
		return -1;
	for (p = name; *p != '\0'; p++)
		if (date_at(p, first) == 0)
			break;
	if (*p != '\0') {
		for (p += 10; *p != '\0'; p++)
			if (date_at(p, end) == 0) {
				memcpy(start, first, 11);
				return strcmp(start, end) <= 0 ? 0 : -1;
			}
		memcpy(start, first, 11);
		memcpy(end, first, 11);
		return 0;
	}
	for (p = name; *p != '\0'; p++)
		if (sscanf(p, "%4d-W%2d%n", &y, &w, &n) == 2 && n == 8 &&
		    isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[6]))
			return iso_week(y, w, start, end);
	return -1;
}

const char *
connector_earnings_period(struct canon_record *r, int *column)
{
	const char	*kind;

	if (!r->set[EARN_PERIOD_START] || !r->set[EARN_PERIOD_END]) {
		*column = r->set[EARN_PERIOD_START] ? EARN_PERIOD_END :
		    EARN_PERIOD_START;
		return "Période incomplète.";
	}
	if ((kind = connector_period_kind(r->text[EARN_PERIOD_START],
	    r->text[EARN_PERIOD_END])) == NULL) {
		*column = EARN_PERIOD_END;
		return "Période non reconnue : un jour, une semaine (7 jours) ou "
		    "un mois calendaire sont attendus.";
	}
	canon_set_text(r, EARN_PERIOD, kind);
	return NULL;
}

const char *
connector_earnings_key(struct canon_record *r, int ref, int *column)
{
	char	key[CANON_TEXT_MAX];

	if (snprintf(key, sizeof(key), "%s|%s|%s", r->text[ref],
	    r->text[EARN_PERIOD_START], r->text[EARN_PERIOD]) >=
	    (int)sizeof(key)) {
		*column = ref;
		return "Valeur trop longue.";
	}
	canon_set_text(r, EARN_SOURCE_KEY, key);
	return NULL;
}
