#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "crypto.h"
#include "export.h"
#include "i18n.h"
#include "view.h"
#include "worker.h"

/* The cell's text: what the screen shows, in the request's language. */
static const char *
cell_text(struct request *r, const struct export_column *c, json_t *v)
{
	if (v == NULL || json_is_null(v))
		return "";
	switch (c->type) {
	case EXPORT_INT:
		return arena_printf(r->arena, "%lld",
		    (long long)json_integer_value(v));
	case EXPORT_MONEY:
		return view_money_input(r, v);
	case EXPORT_DATE:
		return view_date(r, v);
	case EXPORT_LABEL:
		return view_label(r, c->label_group, json_string_value(v));
	case EXPORT_TEXT:
		break;
	}
	return json_is_string(v) ? json_string_value(v) : "";
}

/* Quote a CSV field; a leading = + - @ would run as a formula in a
 * spreadsheet, so such text gets an apostrophe first. */
static void
csv_field(buf *b, const char *s, char sep)
{
	const char	*p;

	if (*s != '\0' && strchr("=+-@\t\r", *s) != NULL &&
	    !(*s == '-' && s[1] != '\0' &&
	    strspn(s + 1, "0123456789,.") == strlen(s + 1)))
		buf_putc(b, '\'');
	if (strchr(s, sep) == NULL && strpbrk(s, "\"\r\n") == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

static int
send_csv(struct request *r, const char *name, const struct export_column *cols,
    size_t n, json_t *rows)
{
	char	 sep = r->lang == LANG_FR ? ';' : ',';
	buf	*b = &r->res.body;
	json_t	*row;
	size_t	 i, c;

	buf_clear(b);
	buf_puts(b, "\xef\xbb\xbf");
	for (c = 0; c < n; c++) {
		if (c > 0)
			buf_putc(b, sep);
		csv_field(b, tr(r, cols[c].label_key), sep);
	}
	buf_puts(b, "\r\n");
	json_array_foreach(rows, i, row) {
		for (c = 0; c < n; c++) {
			if (c > 0)
				buf_putc(b, sep);
			csv_field(b, cell_text(r, &cols[c],
			    json_object_get(row, cols[c].key)), sep);
		}
		buf_puts(b, "\r\n");
	}
	if (b->oom)
		return 500;
	r->res.status = 200;
	r->res.content_type = "text/csv; charset=utf-8";
	r->res.done = 1;
	return http_add_header(r, "Content-Disposition", arena_printf(r->arena,
	    "attachment; filename=\"%s.csv\"", name));
}

static void
xlsx_cell(struct request *r, lxw_worksheet *ws, lxw_row_t y, lxw_col_t x,
    const struct export_column *c, json_t *v, lxw_format *money)
{
	if (v == NULL || json_is_null(v))
		return;
	if (c->type == EXPORT_INT)
		worksheet_write_number(ws, y, x,
		    (double)json_integer_value(v), NULL);
	else if (c->type == EXPORT_MONEY)
		worksheet_write_number(ws, y, x,
		    (double)json_integer_value(v) / 100.0, money);
	else
		worksheet_write_string(ws, y, x, cell_text(r, c, v), NULL);
}

static int
write_xlsx(struct request *r, const char *path,
    const struct export_column *cols, size_t n, json_t *rows)
{
	lxw_workbook	*wb;
	lxw_worksheet	*ws;
	lxw_format	*bold, *money;
	json_t		*row;
	size_t		 i, c;

	if ((wb = workbook_new(path)) == NULL)
		return -1;
	ws = workbook_add_worksheet(wb, NULL);
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	money = workbook_add_format(wb);
	format_set_num_format(money, "#,##0.00 [$€-40C]");
	for (c = 0; c < n; c++) {
		worksheet_write_string(ws, 0, (lxw_col_t)c, tr(r,
		    cols[c].label_key), bold);
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, 18, NULL);
	}
	json_array_foreach(rows, i, row)
		for (c = 0; c < n; c++)
			xlsx_cell(r, ws, (lxw_row_t)(i + 1), (lxw_col_t)c,
			    &cols[c], json_object_get(row, cols[c].key), money);
	worksheet_freeze_panes(ws, 1, 0);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

static int
send_xlsx(struct request *r, const char *name,
    const struct export_column *cols, size_t n, json_t *rows)
{
	char		 token[SECRET_TOKEN_LEN + 1];
	const char	*path;

	secret_token_new(token);
	path = arena_printf(r->arena, "%s/export-%s.xlsx",
	    r->w->limits.spool_dir, token);
	if (path == NULL || write_xlsx(r, path, cols, n, rows) == -1) {
		if (path != NULL)
			unlink(path);
		return 500;
	}
	r->res.file_temporary = 1;
	return http_file(r, path, "application/vnd.openxmlformats-"
	    "officedocument.spreadsheetml.sheet", arena_printf(r->arena,
	    "%s.xlsx", name));
}

int
export_send(struct request *r, const char *basename,
    const struct export_column *cols, size_t n, json_t *rows)
{
	const char	*format = http_query(r, "format");

	if (format != NULL && strcmp(format, "xlsx") == 0)
		return send_xlsx(r, basename, cols, n, rows);
	if (format == NULL || strcmp(format, "csv") == 0)
		return send_csv(r, basename, cols, n, rows);
	return 400;
}
