#include <stdio.h>
#include <string.h>
#include <time.h>

#include "connectors/canon.h"
#include "fmt.h"
#include "i18n.h"
#include "sources_view.h"
#include "resource/view.h"
#include "worker.h"

time_t
sources_view_time(json_t *iso)
{
	char		utc[40];
	struct tm	tm;

	if (!json_is_string(iso) || canon_parse_time(json_string_value(iso),
	    utc, sizeof(utc)) != NULL)
		return 0;
	memset(&tm, 0, sizeof(tm));
	if (sscanf(utc, "%4d-%2d-%2d %2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

const char *
sources_view_datetime(struct request *r, json_t *iso)
{
	time_t	t = sources_view_time(iso);
	buf	b;

	if (t == 0)
		return "";
	buf_init(&b);
	fmt_datetime(&b, t, (lang_id)r->lang);
	return view_take_buf(r, &b);
}

const char *
sources_view_relative(struct request *r, json_t *iso)
{
	time_t	t = sources_view_time(iso);
	buf	b;

	if (t == 0)
		return "";
	buf_init(&b);
	fmt_relative(&b, t, time(NULL), (lang_id)r->lang);
	return view_take_buf(r, &b);
}

const char *
sources_view_duration(struct request *r, long long ms)
{
	long long	s = ms / 1000;

	if (ms < 0)
		return "";
	if (s < 60)
		return arena_printf(r->arena, "%lld%c%01lld s", s,
		    r->lang == LANG_FR ? ',' : '.', (ms % 1000) / 100);
	if (s < 3600)
		return arena_printf(r->arena, "%lld min %02lld s", s / 60, s % 60);
	return arena_printf(r->arena, "%lld h %02lld min", s / 3600,
	    (s % 3600) / 60);
}

const char *
sources_view_bytes(struct request *r, long long n)
{
	buf	b;

	buf_init(&b);
	if (n < 1024)
		buf_printf(&b, "%lld %s", n, r->lang == LANG_FR ? "o" : "B");
	else if (n < 1024 * 1024) {
		fmt_decimal(&b, n * 10 / 1024, 1, (lang_id)r->lang);
		buf_puts(&b, r->lang == LANG_FR ? " Ko" : " KB");
	} else {
		fmt_decimal(&b, n * 10 / (1024 * 1024), 1, (lang_id)r->lang);
		buf_puts(&b, r->lang == LANG_FR ? " Mo" : " MB");
	}
	return view_take_buf(r, &b);
}

const char *
sources_view_tone(const char *s)
{
	static const struct {
		const char	*value;
		const char	*tone;
	} tones[] = {
		{ "sain", "ok" }, { "reussi", "ok" },
		{ "partiel", "warn" }, { "en_retard", "warn" },
		{ "en_pause", "warn" },
		{ "echec", "danger" }, { "en_echec", "danger" },
		{ "reconnexion", "danger" },
	};
	size_t	i;

	for (i = 0; s != NULL && i < sizeof(tones) / sizeof(tones[0]); i++)
		if (strcmp(tones[i].value, s) == 0)
			return tones[i].tone;
	return "info";
}

static long long
integer(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

/* The file's money beside the table's, line by line, in the order of the
 * canonical table (stored JSON keeps no order). */
static json_t *
totals_rows(struct request *r, json_t *run)
{
	const struct canon_table_def	*t;
	json_t				*f = json_object_get(run, "file_totals");
	json_t				*l = json_object_get(run, "loaded_totals");
	json_t				*rows = json_array(), *fv, *lv;
	size_t				 i;

	if (!json_is_object(f) || !json_is_object(l))
		return rows;
	t = canon_table(json_object_get(f, "gross_fare_cents") != NULL ?
	    CANON_TRIPS : CANON_EARNINGS);
	fv = json_object_get(f, "rows");
	lv = json_object_get(l, "rows");
	json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:b}", "label",
	    tr(r, "sources.run.total_rows"),
	    "file", view_number(r, json_integer_value(fv)), "loaded",
	    view_number(r, json_integer_value(lv)), "match", json_equal(fv, lv)));
	for (i = 0; i < t->ncolumns; i++) {
		if (t->columns[i].kind != CK_MONEY ||
		    (fv = json_object_get(f, t->columns[i].name)) == NULL)
			continue;
		lv = json_object_get(l, t->columns[i].name);
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:b}",
		    "label", tr(r, t->columns[i].label_key),
		    "file", view_money(r, fv, "EUR"),
		    "loaded", view_money(r, lv, "EUR"), "match", lv != NULL &&
		    json_equal(fv, lv)));
	}
	return rows;
}

static json_t *
dialect_view(struct request *r, json_t *d)
{
	json_t	*err = json_object_get(d, "error"), *ignored, *v;
	size_t	 i;

	if (!json_is_object(d))
		return json_null();
	ignored = json_array();
	json_array_foreach(json_object_get(d, "ignored"), i, v)
		json_array_append(ignored, v);
	return json_pack("{s:s, s:s, s:s, s:I, s:o, s:b, s:I, s:I}",
	    "encoding", view_str(d, "encoding"),
	    "delimiter", view_label(r, "sources.delimiter",
	    view_str(d, "delimiter")),
	    "decimal", view_label(r, "sources.decimal", view_str(d, "decimal")),
	    "columns", (json_int_t)json_array_size(json_object_get(d, "columns")),
	    "ignored", ignored, "has_error", json_is_object(err),
	    "error_line", (json_int_t)integer(err, "line"),
	    "error_column", (json_int_t)integer(err, "column"));
}

json_t *
sources_view_run(struct request *r, json_t *run)
{
	const char	*status = view_str(run, "status");
	const char	*failure = view_str(run, "failure");
	int		 running = strcmp(status, "en_cours") == 0;
	json_t		*v;

	v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:b, s:b}",
	    "id", view_str(run, "id"),
	    "href", arena_printf(r->arena, "/sync-runs/%s", view_str(run, "id")),
	    "source_name", view_str(run, "source_name"),
	    "source_href", arena_printf(r->arena, "/sources/%s",
	    view_str(run, "source_id")),
	    "status", view_label(r, "sources.status", status),
	    "status_value", status, "tone", sources_view_tone(status),
	    "trigger", view_label(r, "sources.trigger", view_str(run, "trigger")),
	    "created", sources_view_datetime(r, json_object_get(run,
	    "created_at")),
	    "created_relative", sources_view_relative(r, json_object_get(run,
	    "created_at")),
	    "file_name", view_str(run, "file_name"),
	    "running", running,
	    "queued", running && json_is_null(json_object_get(run,
	    "started_at")));
	json_object_set_new(v, "started", json_string(sources_view_datetime(r,
	    json_object_get(run, "started_at"))));
	json_object_set_new(v, "ended", json_string(sources_view_datetime(r,
	    json_object_get(run, "ended_at"))));
	json_object_set_new(v, "duration", json_string(
	    json_is_null(json_object_get(run, "started_at")) ? "" :
	    sources_view_duration(r, integer(run, "duration_ms"))));
	json_object_set_new(v, "bytes", json_string(sources_view_bytes(r,
	    integer(run, "file_bytes"))));
	json_object_set_new(v, "bytes_read", json_string(sources_view_bytes(r,
	    integer(run, "bytes_read"))));
	json_object_set_new(v, "percent", json_integer(integer(run, "percent")));
	json_object_set_new(v, "saving", json_boolean(running &&
	    integer(run, "percent") >= 100));
	json_object_set_new(v, "counts", json_pack("{s:s, s:s, s:s, s:s, s:s,"
	    " s:s, s:I, s:I}",
	    "extracted", view_number(r, integer(run, "rows_extracted")),
	    "inserted", view_number(r, integer(run, "rows_inserted")),
	    "updated", view_number(r, integer(run, "rows_updated")),
	    "unchanged", view_number(r, integer(run, "rows_unchanged")),
	    "rejected", view_number(r, integer(run, "rows_rejected")),
	    "loaded", view_number(r, integer(run, "rows_loaded")),
	    "rejected_n", (json_int_t)integer(run, "rows_rejected"),
	    "inserted_n", (json_int_t)integer(run, "rows_inserted")));
	/* A success's message only repeats the counts shown beside it. */
	json_object_set_new(v, "message", json_string(strcmp(status, "reussi") == 0 ?
	    "" : view_str(run, "message")));
	json_object_set_new(v, "detail", json_string(view_str(run, "detail")));
	json_object_set_new(v, "failure_config", json_boolean(
	    strcmp(failure, "configuration") == 0 && !running));
	json_object_set_new(v, "failure_transient", json_boolean(
	    strcmp(failure, "transient") == 0));
	json_object_set_new(v, "ended_ok", json_boolean(!running &&
	    (strcmp(status, "reussi") == 0 || strcmp(status, "partiel") == 0)));
	json_object_set_new(v, "can_retry", json_boolean(!running &&
	    (json_is_true(json_object_get(run, "has_file")) ||
	    json_is_true(json_object_get(run, "source_fetches")))));
	json_object_set_new(v, "requested_by", json_string(view_str(run,
	    "requested_by")));
	json_object_set_new(v, "cursor_before", json_string(
	    sources_view_datetime(r, json_object_get(run, "cursor_before"))));
	json_object_set_new(v, "cursor_after", json_string(
	    sources_view_datetime(r, json_object_get(run, "cursor_after"))));
	json_object_set_new(v, "totals", totals_rows(r, run));
	json_object_set_new(v, "totals_match", json_boolean(json_is_true(
	    json_object_get(run, "totals_match"))));
	json_object_set_new(v, "dialect", dialect_view(r, json_object_get(run,
	    "dialect")));
	return v;
}

const char *
sources_view_href(struct request *r, const char *id, const char *rest)
{
	return arena_printf(r->arena, "/sources/%s%s", id, rest);
}

const char *
sources_view_next_sync(struct request *r, json_t *s)
{
	if (!json_is_true(json_object_get(s, "auto_mode")) ||
	    strcmp(view_str(s, "schedule"), "manuel") == 0)
		return tr(r, "sources.manual_only");
	if (!json_is_null(json_object_get(s, "paused_at")))
		return tr(r, "sources.paused_no_sync");
	return sources_view_datetime(r, json_object_get(s, "next_sync_at"));
}

json_t *
sources_view_mapping(struct request *r, json_t *s)
{
	json_t		*rows = json_array(), *map;
	const char	*key;
	json_t		*v;

	map = json_object_get(json_object_get(s, "config"), "mapping");
	json_object_foreach(map, key, v)
		json_array_append_new(rows, json_pack("{s:s, s:s}", "label",
		    canon_label_key(key) ? tr(r, canon_label_key(key)) : key,
		    "header", json_string_value(v) ? json_string_value(v) : ""));
	return rows;
}

json_t *
sources_view_runs(struct request *r, json_t *runs)
{
	json_t	*list = json_array(), *run;
	size_t	 i;

	json_array_foreach(runs, i, run)
		json_array_append_new(list, sources_view_run(r, run));
	return list;
}
