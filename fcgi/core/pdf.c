#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "pdf.h"

/* A4 in points (1 pt = 1/72 in), 20 mm margins. */
#define PAGE_W		595.2756
#define PAGE_H		841.8898
#define MM		(72.0 / 25.4)
#define MARGIN		(20 * MM)
#define TEXT_W		(PAGE_W - 2 * MARGIN)
#define TOP		(MARGIN + 26)	/* below the header and its rule */
#define BOTTOM		(PAGE_H - MARGIN - 22)	/* above the footer */
#define PAD_X		3.0	/* inside a table cell */
#define PAD_Y		2.5
#define GAP		4.0	/* after a paragraph or a table */
#define FONT		"DejaVu Sans"

enum kind { B_HEADING, B_TEXT, B_SPACE, B_TABLE, B_PAIR };

struct block {
	enum kind		 kind;
	enum pdf_style		 style;
	const char		*text, *text2;
	double			 mm;
	struct pdf_column	*cols;
	size_t			 ncols;
	struct pdf_row		*rows;
	size_t			 nrows;
	struct block		*next;
};

struct pdf {
	arena		*a;
	struct pdf_page	 page;
	struct block	*first, **last;
	int		 failed;
};

/* Where drawing is: one pass of the layout over the blocks. */
struct pen {
	cairo_t			*cr;
	const struct pdf	*p;
	double			 y;
	int			 page;	/* 1-based, 0 before the first */
	int			 total;	/* the first pass's count, 0 in it */
	const struct block	*table;	/* whose head to repeat on a new page */
};

static const char *
dup(struct pdf *p, const char *s)
{
	char	*c;

	if (s == NULL)
		return NULL;
	if ((c = arena_strdup(p->a, s)) == NULL)
		p->failed = 1;
	return c;
}

struct pdf *
pdf_new(arena *a, const struct pdf_page *page)
{
	struct pdf	*p;

	if ((p = arena_calloc(a, 1, sizeof(*p))) == NULL)
		return NULL;
	p->a = a;
	p->last = &p->first;
	if (page != NULL) {
		p->page.title = dup(p, page->title);
		p->page.header = dup(p, page->header);
		p->page.footer = dup(p, page->footer);
		p->page.page_word = dup(p, page->page_word);
	}
	return p->failed ? NULL : p;
}

static struct block *
add(struct pdf *p, enum kind k, enum pdf_style st, const char *t,
    const char *t2)
{
	struct block	*b;

	if ((b = arena_calloc(p->a, 1, sizeof(*b))) == NULL) {
		p->failed = 1;
		return NULL;
	}
	b->kind = k;
	b->style = st;
	b->text = dup(p, t != NULL ? t : "");
	b->text2 = dup(p, t2);
	*p->last = b;
	p->last = &b->next;
	return p->failed ? NULL : b;
}

int
pdf_heading(struct pdf *p, const char *text)
{
	return add(p, B_HEADING, PDF_BOLD, text, NULL) == NULL ? -1 : 0;
}

int
pdf_text(struct pdf *p, enum pdf_style st, const char *text)
{
	return add(p, B_TEXT, st, text, NULL) == NULL ? -1 : 0;
}

int
pdf_pair(struct pdf *p, enum pdf_style st, const char *left,
    const char *right)
{
	return add(p, B_PAIR, st, left, right != NULL ? right : "") == NULL ?
	    -1 : 0;
}

int
pdf_space(struct pdf *p, double mm)
{
	struct block	*b;

	if ((b = add(p, B_SPACE, PDF_NORMAL, NULL, NULL)) == NULL)
		return -1;
	b->mm = mm;
	return 0;
}

int
pdf_table(struct pdf *p, const struct pdf_column *cols, size_t ncols,
    const struct pdf_row *rows, size_t nrows)
{
	struct block	*b;
	const char	**cells;
	size_t		 i, j;

	if (ncols == 0 || (b = add(p, B_TABLE, PDF_NORMAL, NULL, NULL)) == NULL)
		return p->failed = 1, -1;
	b->cols = arena_calloc(p->a, ncols, sizeof(*b->cols));
	b->rows = arena_calloc(p->a, nrows + 1, sizeof(*b->rows));
	if (b->cols == NULL || b->rows == NULL)
		return p->failed = 1, -1;
	for (j = 0; j < ncols; j++) {
		b->cols[j] = cols[j];
		b->cols[j].head = dup(p, cols[j].head);
	}
	for (i = 0; i < nrows; i++) {
		if ((cells = arena_calloc(p->a, ncols, sizeof(*cells))) == NULL)
			return p->failed = 1, -1;
		for (j = 0; j < ncols; j++)
			cells[j] = dup(p, rows[i].cells[j]);
		b->rows[i].cells = cells;
		b->rows[i].total = rows[i].total;
	}
	b->ncols = ncols;
	b->nrows = nrows;
	return p->failed ? -1 : 0;
}

/* ---- drawing ------------------------------------------------------------ */

/* The fonts of the text's styles, then of the heading and of tables
 * (a size smaller, so that amounts fit their columns). */
enum font { F_NORMAL, F_BOLD, F_SMALL, F_HEADING, F_CELL, F_CELL_BOLD };

static const char *const fonts[] = {
	[F_NORMAL] = FONT " 10", [F_BOLD] = FONT " Bold 10",
	[F_SMALL] = FONT " 8", [F_HEADING] = FONT " Bold 14",
	[F_CELL] = FONT " 9", [F_CELL_BOLD] = FONT " Bold 9",
};

static enum font
font_of(enum pdf_style st)
{
	return st == PDF_BOLD ? F_BOLD : st == PDF_SMALL ? F_SMALL : F_NORMAL;
}

static PangoLayout *
layout(cairo_t *cr, enum font f, const char *text, double width,
    enum pdf_align al)
{
	PangoLayout		*l;
	PangoFontDescription	*fd;

	if ((l = pango_cairo_create_layout(cr)) == NULL)
		return NULL;
	fd = pango_font_description_from_string(fonts[f]);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, al == PDF_RIGHT ? PANGO_ALIGN_RIGHT :
	    al == PDF_CENTER ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
	pango_layout_set_text(l, text, -1);
	return l;
}

static double
height_of(PangoLayout *l)
{
	int	w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void
grey(cairo_t *cr, double g)
{
	cairo_set_source_rgb(cr, g, g, g);
}

static void
rule(cairo_t *cr, double y, double width, double g)
{
	grey(cr, g);
	cairo_set_line_width(cr, width);
	cairo_move_to(cr, MARGIN, y);
	cairo_line_to(cr, PAGE_W - MARGIN, y);
	cairo_stroke(cr);
}

/* One line of small text at y, left and right parts. */
static void
band(cairo_t *cr, double y, const char *left, const char *right)
{
	PangoLayout	*l;

	grey(cr, 0.35);
	if (left != NULL && (l = layout(cr, F_SMALL, left, TEXT_W * 0.6,
	    PDF_LEFT)) != NULL) {
		cairo_move_to(cr, MARGIN, y);
		pango_cairo_show_layout(cr, l);
		g_object_unref(l);
	}
	if (right != NULL && (l = layout(cr, F_SMALL, right, TEXT_W,
	    PDF_RIGHT)) != NULL) {
		cairo_move_to(cr, MARGIN, y);
		pango_cairo_show_layout(cr, l);
		g_object_unref(l);
	}
}

static void
end_page(struct pen *pen)
{
	char	n[64];

	if (pen->page == 0)
		return;
	snprintf(n, sizeof(n), "%s %d / %d", pen->p->page.page_word != NULL ?
	    pen->p->page.page_word : "Page", pen->page,
	    pen->total > 0 ? pen->total : pen->page);
	rule(pen->cr, PAGE_H - MARGIN - 14, 0.5, 0.6);
	band(pen->cr, PAGE_H - MARGIN - 10, pen->p->page.footer, n);
	cairo_show_page(pen->cr);
}

static void draw_head(struct pen *, const struct block *);

static void
new_page(struct pen *pen)
{
	end_page(pen);
	pen->page++;
	band(pen->cr, MARGIN, pen->p->page.header, pen->p->page.title);
	rule(pen->cr, MARGIN + 14, 0.5, 0.6);
	pen->y = TOP;
	if (pen->table != NULL)
		draw_head(pen, pen->table);
}

/* Room for h points, else the next page (unless at a page's top, where
 * waiting would not help). */
static int
ensure(struct pen *pen, double h)
{
	if (pen->y + h <= BOTTOM || pen->y <= TOP)
		return 0;
	new_page(pen);
	return 1;
}

static void
show(cairo_t *cr, PangoLayout *l, double x, double y)
{
	grey(cr, 0);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
}

/* A paragraph, line by line so that it may run onto the next page. */
static void
draw_text(struct pen *pen, const struct block *b, int heading)
{
	PangoLayout	*l;
	PangoLayoutIter	*it;
	PangoRectangle	 r;
	double		 top, h, base;

	if ((l = layout(pen->cr, heading ? F_HEADING : font_of(b->style),
	    b->text, TEXT_W, PDF_LEFT)) == NULL)
		return;
	if (heading)
		pen->y += 4;
	it = pango_layout_get_iter(l);
	do {
		pango_layout_iter_get_line_extents(it, NULL, &r);
		top = (double)r.y / PANGO_SCALE;
		h = (double)r.height / PANGO_SCALE;
		base = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
		ensure(pen, h);
		grey(pen->cr, b->style == PDF_SMALL ? 0.35 : 0);
		cairo_move_to(pen->cr, MARGIN + (double)r.x / PANGO_SCALE,
		    pen->y + base - top);
		pango_cairo_show_layout_line(pen->cr,
		    pango_layout_iter_get_line_readonly(it));
		pen->y += h;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(l);
	pen->y += heading ? GAP + 2 : GAP;
}

static void
draw_pair(struct pen *pen, const struct block *b)
{
	PangoLayout	*l, *r;
	double		 h;

	l = layout(pen->cr, font_of(b->style), b->text, TEXT_W * 0.65, PDF_LEFT);
	r = layout(pen->cr, font_of(b->style), b->text2, TEXT_W, PDF_RIGHT);
	if (l != NULL && r != NULL) {
		h = height_of(l) > height_of(r) ? height_of(l) : height_of(r);
		ensure(pen, h);
		show(pen->cr, l, MARGIN, pen->y);
		show(pen->cr, r, MARGIN, pen->y);
		pen->y += h + 1.5;
	}
	if (l != NULL)
		g_object_unref(l);
	if (r != NULL)
		g_object_unref(r);
}

static double
col_x(const struct block *b, size_t j, double *w)
{
	double	sum = 0, before = 0;
	size_t	i;

	for (i = 0; i < b->ncols; i++) {
		sum += b->cols[i].width > 0 ? b->cols[i].width : 1;
		if (i < j)
			before = sum;
	}
	*w = (b->cols[j].width > 0 ? b->cols[j].width : 1) / sum * TEXT_W;
	return MARGIN + before / sum * TEXT_W;
}

/* One row's cells (NULL: the head row); the height it took, or, with
 * draw 0, would take. */
static double
row(struct pen *pen, const struct block *b, const struct pdf_row *r,
    int draw)
{
	PangoLayout	*l;
	double		 x, w, h = 0;
	size_t		 j;
	const char	*t;

	for (j = 0; j < b->ncols; j++) {
		t = r != NULL ? r->cells[j] : b->cols[j].head;
		x = col_x(b, j, &w);
		if ((l = layout(pen->cr, r == NULL || r->total ? F_CELL_BOLD :
		    F_CELL, t != NULL ? t : "", w - 2 * PAD_X,
		    b->cols[j].align)) == NULL)
			continue;
		if (height_of(l) > h)
			h = height_of(l);
		if (draw)
			show(pen->cr, l, x + PAD_X, pen->y + PAD_Y);
		g_object_unref(l);
	}
	return h + 2 * PAD_Y;
}

static void
draw_head(struct pen *pen, const struct block *b)
{
	double	h = row(pen, b, NULL, 0);

	grey(pen->cr, 0.9);
	cairo_rectangle(pen->cr, MARGIN, pen->y, TEXT_W, h);
	cairo_fill(pen->cr);
	row(pen, b, NULL, 1);
	pen->y += h;
}

static void
draw_table(struct pen *pen, const struct block *b)
{
	double	h;
	size_t	i;

	ensure(pen, row(pen, b, NULL, 0) + (b->nrows > 0 ?
	    row(pen, b, &b->rows[0], 0) : 0));
	draw_head(pen, b);
	pen->table = b;
	for (i = 0; i < b->nrows; i++) {
		h = row(pen, b, &b->rows[i], 0);
		ensure(pen, h);
		if (b->rows[i].total)
			rule(pen->cr, pen->y, 0.8, 0);
		row(pen, b, &b->rows[i], 1);
		pen->y += h;
		if (!b->rows[i].total)
			rule(pen->cr, pen->y, 0.3, 0.8);
	}
	pen->table = NULL;
	pen->y += GAP * 2;
}

static int
valid(const struct pdf *p)
{
	const struct block	*b;
	size_t			 i, j;

	for (b = p->first; b != NULL; b = b->next) {
		if (!g_utf8_validate(b->text, -1, NULL) ||
		    (b->text2 != NULL && !g_utf8_validate(b->text2, -1, NULL)))
			return 0;
		for (j = 0; j < b->ncols; j++)
			if (b->cols[j].head != NULL &&
			    !g_utf8_validate(b->cols[j].head, -1, NULL))
				return 0;
		for (i = 0; i < b->nrows; i++)
			for (j = 0; j < b->ncols; j++)
				if (b->rows[i].cells[j] != NULL &&
				    !g_utf8_validate(b->rows[i].cells[j], -1,
				    NULL))
					return 0;
	}
	return 1;
}

static void
lay_out(struct pen *pen)
{
	const struct block	*b;

	new_page(pen);
	for (b = pen->p->first; b != NULL; b = b->next)
		switch (b->kind) {
		case B_HEADING:
			draw_text(pen, b, 1);
			break;
		case B_TEXT:
			draw_text(pen, b, 0);
			break;
		case B_PAIR:
			draw_pair(pen, b);
			break;
		case B_SPACE:
			pen->y += b->mm * MM;
			break;
		case B_TABLE:
			draw_table(pen, b);
			break;
		}
	end_page(pen);
}

static cairo_status_t
to_buf(void *ctx, const unsigned char *data, unsigned int n)
{
	return ctx == NULL || buf_append(ctx, data, n) == 0 ?
	    CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* One pass into out (NULL: nowhere); the page count, or -1. */
static int
pass(const struct pdf *p, buf *out, int total)
{
	cairo_surface_t	*s;
	struct pen	 pen;
	int		 ok;

	s = cairo_pdf_surface_create_for_stream(to_buf, out, PAGE_W, PAGE_H);
	if (p->page.title != NULL)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
		    p->page.title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
	    "FleetCore");
	memset(&pen, 0, sizeof(pen));
	pen.p = p;
	pen.total = total;
	pen.cr = cairo_create(s);
	if (cairo_status(pen.cr) == CAIRO_STATUS_SUCCESS)
		lay_out(&pen);
	ok = cairo_status(pen.cr) == CAIRO_STATUS_SUCCESS;
	cairo_destroy(pen.cr);
	cairo_surface_finish(s);
	ok = ok && cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(s);
	return ok ? pen.page : -1;
}

int
pdf_render(struct pdf *p, buf *out, int *pages)
{
	int	n;

	if (p == NULL || p->failed || !valid(p))
		return -1;
	if ((n = pass(p, NULL, 0)) <= 0 || pass(p, out, n) != n || out->oom)
		return -1;
	if (pages != NULL)
		*pages = n;
	return 0;
}
