/* Printable documents: A4 PDF pages drawn by cairo's PDF surface, text
 * laid out by pango (UTF-8 throughout, so French accents, « », € and
 * no-break spaces print as they are, in fonts embedded with their
 * Unicode maps: pdftotext reads the text back).
 *
 * A document is built as a list of blocks, then rendered:
 *
 *	struct pdf *p = pdf_new(a, &(struct pdf_page){
 *	    .title = "Relevé hebdomadaire", .header = "VTC Démo Paris",
 *	    .footer = "Édité le 24/11/2026", .page_word = "Page" });
 *	pdf_heading(p, "Semaine du 16/11/2026 au 22/11/2026");
 *	pdf_text(p, PDF_NORMAL, "Chauffeur : Amélie Durand");
 *	pdf_table(p, cols, 3, rows, nrows);
 *	rc = pdf_render(p, &out);	   out: the PDF's bytes
 *
 * Layout: 20 mm margins, DejaVu Sans (10 pt text, 9 pt tables, 14 pt
 * headings, 8 pt small print); every page gets the header (left) and the title
 * (right) above a rule, and the footer (left) and « Page n / N » (right)
 * below one.  Text wraps at words to the width it is given.  A table
 * repeats its head row on every page it runs onto; a row is never cut in
 * two.  A paragraph moves to the next page line by line, so one longer
 * than a page still prints whole.
 *
 * Rendering runs the layout twice (first into nothing, to count pages,
 * then into the buffer), so « n / N » is exact without drawing twice by
 * hand.  Everything a block holds is copied into the arena given to
 * pdf_new: the caller's strings need not outlive the call.  This module
 * knows nothing of what it prints. */
#ifndef FC_PDF_H
#define FC_PDF_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"

struct pdf;

/* What every page repeats.  Any member may be NULL. */
struct pdf_page {
	const char	*title;		/* top right, and the file's metadata */
	const char	*header;	/* top left */
	const char	*footer;	/* bottom left */
	const char	*page_word;	/* "Page" (NULL: "Page") */
};

enum pdf_style {
	PDF_NORMAL,	/* 10 pt */
	PDF_BOLD,
	PDF_SMALL,	/* 8 pt, grey: notes, legal mentions */
};

enum pdf_align {
	PDF_LEFT,
	PDF_RIGHT,	/* amounts: their last digits line up */
	PDF_CENTER,
};

struct pdf_column {
	const char	*head;		/* the head row's text */
	double		 width;		/* share of the text width (summed over
					 * the columns, so 2,1,1 = half, quarter,
					 * quarter) */
	enum pdf_align	 align;
};

/* A table row: one cell per column (NULL prints nothing). */
struct pdf_row {
	const char	*const *cells;
	int		 total;		/* bold, with a rule above: sums */
};

/* NULL when memory ran out. */
struct pdf	*pdf_new(arena *, const struct pdf_page *);
/* Each appends a block; 0, or -1 when memory ran out (then pdf_render
 * fails too, so a caller may check once at the end). */
int		 pdf_heading(struct pdf *, const char *text);	/* 14 pt bold */
int		 pdf_text(struct pdf *, enum pdf_style, const char *text);
int		 pdf_space(struct pdf *, double mm);
int		 pdf_table(struct pdf *, const struct pdf_column *, size_t ncols,
		    const struct pdf_row *, size_t nrows);
/* Two texts on one line, the first left and the second right-aligned
 * (a label and its amount); style for both. */
int		 pdf_pair(struct pdf *, enum pdf_style, const char *left,
		    const char *right);
/* The document's bytes appended to out; 0, or -1 (memory, invalid
 * UTF-8 in a text, or cairo failing). *pages: the page count, may be
 * NULL. */
int		 pdf_render(struct pdf *, buf *out, int *pages);

#endif
