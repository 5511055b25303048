#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_row.h"

/* Type oids (catalog/pg_type.h, stable across releases). */
enum {
	OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23,
	OID_OID = 26, OID_JSON = 114, OID_FLOAT4 = 700, OID_FLOAT8 = 701,
	OID_TIMESTAMP = 1114, OID_TIMESTAMPTZ = 1184, OID_NUMERIC = 1700,
	OID_JSONB = 3802,
};

enum kind { K_STRING, K_NUMBER, K_BOOL, K_JSON, K_STAMP, K_STAMPTZ };

static const struct {
	Oid		oid;
	enum kind	kind;
} kinds[] = {
	{ OID_BOOL, K_BOOL }, { OID_INT8, K_NUMBER }, { OID_INT2, K_NUMBER },
	{ OID_INT4, K_NUMBER }, { OID_OID, K_NUMBER }, { OID_JSON, K_JSON },
	{ OID_FLOAT4, K_NUMBER }, { OID_FLOAT8, K_NUMBER },
	{ OID_TIMESTAMP, K_STAMP }, { OID_TIMESTAMPTZ, K_STAMPTZ },
	{ OID_NUMERIC, K_NUMBER }, { OID_JSONB, K_JSON },
};

static enum kind
kind_of(const PGresult *res, int col, const char *v)
{
	Oid	t = PQftype(res, col);
	size_t	i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].oid == t) {
			/* NaN and Infinity are strings in JSON. */
			if (kinds[i].kind == K_NUMBER && v[0] != '-' &&
			    (v[0] < '0' || v[0] > '9'))
				return K_STRING;
			return kinds[i].kind;
		}
	return K_STRING;
}

/* A timestamp as JSON has it: "2026-12-02T04:18:23.5+00:00" for the text
 * "2026-12-02 04:18:23.5+00".  Anything else (infinity, BC) as it is. */
static const char *
iso_stamp(const char *v, char *out, size_t size, int with_tz)
{
	const char	*sp = strchr(v, ' '), *tz;
	size_t		 n = strlen(v);

	if (sp == NULL || n + 4 > size || strstr(v, " BC") != NULL)
		return v;
	memcpy(out, v, n + 1);
	out[sp - v] = 'T';
	if (!with_tz)
		return out;
	tz = strrchr(out + (sp - v), '+');
	if (tz == NULL)
		tz = strrchr(out + (sp - v), '-');
	if (tz != NULL && strchr(tz, ':') == NULL)
		memcpy(out + n, ":00", 4);
	return out;
}

/* The characters escape_json() writes otherwise than as they are. */
static const char	specials[] = "\"\\\001\002\003\004\005\006\007\010\011"
	"\012\013\014\015\016\017\020\021\022\023\024\025\026\027\030\031\032"
	"\033\034\035\036\037";

static void
json_escape(buf *out, unsigned char c)
{
	char	esc[8];

	switch (c) {
	case '"':	buf_puts(out, "\\\""); break;
	case '\\':	buf_puts(out, "\\\\"); break;
	case '\b':	buf_puts(out, "\\b"); break;
	case '\f':	buf_puts(out, "\\f"); break;
	case '\n':	buf_puts(out, "\\n"); break;
	case '\r':	buf_puts(out, "\\r"); break;
	case '\t':	buf_puts(out, "\\t"); break;
	default:
		snprintf(esc, sizeof(esc), "\\u%04x", c);
		buf_puts(out, esc);
	}
}

static void
put_string(buf *out, const char *s, size_t n)
{
	buf_putc(out, '"');
	buf_append_escaped(out, s, n, specials, json_escape);
	buf_putc(out, '"');
}

static void
put_value(buf *out, const PGresult *res, int row, int col)
{
	const char	*v = PQgetvalue(res, row, col);
	char		 stamp[64];

	if (PQgetisnull(res, row, col)) {
		buf_puts(out, "null");
		return;
	}
	switch (kind_of(res, col, v)) {
	case K_NUMBER:
	case K_JSON:
		buf_append(out, v, (size_t)PQgetlength(res, row, col));
		break;
	case K_BOOL:
		buf_puts(out, v[0] == 't' ? "true" : "false");
		break;
	case K_STAMP:
	case K_STAMPTZ:
		v = iso_stamp(v, stamp, sizeof(stamp),
		    PQftype(res, col) == OID_TIMESTAMPTZ);
		put_string(out, v, strlen(v));
		break;
	default:
		put_string(out, v, (size_t)PQgetlength(res, row, col));
	}
}

int
db_row_json(buf *out, const PGresult *res, int row, int first)
{
	int	c, n = PQnfields(res);

	buf_putc(out, '{');
	for (c = first; c < n; c++) {
		if (c > first)
			buf_putc(out, ',');
		put_string(out, PQfname(res, c), strlen(PQfname(res, c)));
		buf_putc(out, ':');
		put_value(out, res, row, c);
	}
	buf_putc(out, '}');
	return out->oom ? -1 : 0;
}

static json_t *
number(const char *v)
{
	if (strpbrk(v, ".eE") == NULL)
		return json_integer(strtoll(v, NULL, 10));
	return json_real(strtod(v, NULL));
}

static json_t *
value(const PGresult *res, int row, int col)
{
	const char	*v = PQgetvalue(res, row, col);
	char		 stamp[64];
	json_error_t	 jerr;

	if (PQgetisnull(res, row, col))
		return json_null();
	switch (kind_of(res, col, v)) {
	case K_NUMBER:
		return number(v);
	case K_BOOL:
		return json_boolean(v[0] == 't');
	case K_JSON:
		return json_loadb(v, (size_t)PQgetlength(res, row, col),
		    JSON_DECODE_ANY, &jerr);
	case K_STAMP:
	case K_STAMPTZ:
		return json_string(iso_stamp(v, stamp, sizeof(stamp),
		    PQftype(res, col) == OID_TIMESTAMPTZ));
	default:
		/* The server's encoding is UTF-8: no need to check it again. */
		return json_stringn_nocheck(v,
		    (size_t)PQgetlength(res, row, col));
	}
}

json_t *
db_row_object(const PGresult *res, int row, int first)
{
	json_t	*o = json_object(), *v;
	int	 c, n = PQnfields(res);

	for (c = first; o != NULL && c < n; c++)
		if ((v = value(res, row, c)) == NULL ||
		    json_object_set_new_nocheck(o, PQfname(res, c), v) == -1) {
			json_decref(o);
			o = NULL;
		}
	return o;
}
