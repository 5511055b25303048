/* Unit tests of fcgi/core/pdf.c: the document is read back with
 * pdftotext (poppler-utils), so what is checked is what a reader gets —
 * accents and € intact, amounts right-aligned, page breaks with the head
 * row repeated and « Page n / N » exact. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "pdf.h"

/* Under LeakSanitizer: fontconfig keeps what pango resolved fonts with
 * until the process ends (tests/lsan.supp says the same for the
 * daemons). */
const char	*__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

/* The text of a PDF as pdftotext prints it with these options,
 * malloc'd. */
static char *
run_pdftotext(const buf *pdf, const char *options)
{
	char	path[] = "/tmp/fc-test-pdf-XXXXXX", cmd[160];
	FILE	*f, *p;
	buf	 out;
	char	 chunk[4096];
	size_t	 n;
	int	 fd;

	assert_true((fd = mkstemp(path)) != -1);
	assert_true((f = fdopen(fd, "w")) != NULL);
	assert_int_equal(fwrite(pdf->data, 1, pdf->len, f), pdf->len);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "pdftotext %s -enc UTF-8 %s -", options,
	    path);
	assert_true((p = popen(cmd, "r")) != NULL);
	buf_init(&out);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_append(&out, chunk, n);
	assert_int_equal(pclose(p), 0);
	unlink(path);
	buf_putc(&out, '\0');
	return out.data;
}

static char *
read_back(const buf *pdf)
{
	return run_pdftotext(pdf, "-layout");
}

/* An attribute ("xMin", "xMax") of the nth word equal to w in pdftotext
 * -bbox's output: where the reader finds it on the page, in points. */
static double
word_x(const char *bbox, const char *w, int nth, const char *attr)
{
	char		 tag[64], key[16];
	const char	*p = bbox, *a, *s;

	snprintf(tag, sizeof(tag), ">%s</word>", w);
	snprintf(key, sizeof(key), "%s=\"", attr);
	for (; (p = strstr(p, tag)) != NULL; p += strlen(tag))
		if (nth-- == 0)
			break;
	assert_non_null(p);
	for (s = p; s > bbox && strncmp(s, "<word", 5) != 0; s--)
		;
	assert_non_null(a = strstr(s, key));
	assert_true(a < p);
	return strtod(a + strlen(key), NULL);
}

static int
count(const char *text, const char *needle)
{
	int	n = 0;

	for (; (text = strstr(text, needle)) != NULL; text += strlen(needle))
		n++;
	return n;
}

static void
test_text_and_accents(void **state)
{
	arena		*a = arena_new();
	struct pdf	*p;
	buf		 out;
	char		*text;
	int		 pages = 0;

	(void)state;
	p = pdf_new(a, &(struct pdf_page){ .title = "Relevé hebdomadaire",
	    .header = "VTC Démo Paris", .footer = "Édité le 24/11/2026" });
	assert_non_null(p);
	assert_int_equal(pdf_heading(p, "Semaine du 16/11/2026 au 22/11/2026"), 0);
	assert_int_equal(pdf_text(p, PDF_NORMAL, "Chauffeur : Amélie Œuvrard — "
	    "« reçu » ; déjà payé 1\xe2\x80\xaf" "234,56\xc2\xa0€"), 0);
	assert_int_equal(pdf_pair(p, PDF_BOLD, "Solde de clôture", "-12,00 €"), 0);
	buf_init(&out);
	assert_int_equal(pdf_render(p, &out, &pages), 0);
	assert_int_equal(pages, 1);
	assert_memory_equal(out.data, "%PDF-", 5);
	text = read_back(&out);
	assert_non_null(strstr(text, "Relevé hebdomadaire"));
	assert_non_null(strstr(text, "VTC Démo Paris"));
	assert_non_null(strstr(text, "Amélie Œuvrard"));
	assert_non_null(strstr(text, "« reçu »"));
	assert_non_null(strstr(text, "€"));
	assert_non_null(strstr(text, "Édité le 24/11/2026"));
	assert_non_null(strstr(text, "Page 1 / 1"));
	assert_non_null(strstr(text, "-12,00 €"));
	free(text);
	buf_free(&out);
	arena_free(a);
}

static void
test_amounts_right_aligned(void **state)
{
	static const struct pdf_column cols[] = {
		{ "Libellé", 3, PDF_LEFT }, { "Montant", 1, PDF_RIGHT },
	};
	const char	*r1[] = { "Loyer", "250,00\xc2\xa0€" };
	const char	*r2[] = { "Commission Uber", "1\xe2\x80\xaf" "234,56\xc2\xa0€" };
	const char	*r3[] = { "Total", "1\xe2\x80\xaf" "484,56\xc2\xa0€" };
	struct pdf_row	 rows[] = { { r1, 0 }, { r2, 0 }, { r3, 1 } };
	arena		*a = arena_new();
	struct pdf	*p = pdf_new(a, NULL);
	buf		 out;
	char		*text;

	(void)state;
	assert_int_equal(pdf_table(p, cols, 2, rows, 3), 0);
	buf_init(&out);
	assert_int_equal(pdf_render(p, &out, NULL), 0);
	text = run_pdftotext(&out, "-bbox");
	/* Right-aligned: the amounts end where the column ends, whatever
	 * their length (within a point: the total row is bold), and the
	 * shorter one starts further right. */
	assert_true(fabs(word_x(text, "€", 0, "xMax") -
	    word_x(text, "€", 1, "xMax")) < 1.0);
	assert_true(fabs(word_x(text, "€", 0, "xMax") -
	    word_x(text, "€", 2, "xMax")) < 1.0);
	assert_true(word_x(text, "250,00", 0, "xMin") >
	    word_x(text, "1", 0, "xMin") + 5);
	/* Left-aligned labels start together, at the margin. */
	assert_true(fabs(word_x(text, "Loyer", 0, "xMin") -
	    word_x(text, "Commission", 0, "xMin")) < 0.5);
	assert_true(word_x(text, "Loyer", 0, "xMax") <
	    word_x(text, "250,00", 0, "xMin"));
	free(text);
	buf_free(&out);
	arena_free(a);
}

static void
test_page_breaks_repeat_the_head(void **state)
{
	static const struct pdf_column cols[] = {
		{ "Course", 3, PDF_LEFT }, { "Montant", 1, PDF_RIGHT },
	};
	enum { N = 120 };
	struct pdf_row	 rows[N];
	const char	*cells[N][2];
	char		 names[N][32];
	arena		*a = arena_new();
	struct pdf	*p = pdf_new(a, &(struct pdf_page){ .title = "Courses",
			    .page_word = "Page" });
	buf		 out;
	char		*text, want[32];
	int		 i, pages = 0;

	(void)state;
	for (i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "course n°%03d", i + 1);
		cells[i][0] = names[i];
		cells[i][1] = "12,50 €";
		rows[i].cells = cells[i];
		rows[i].total = 0;
	}
	assert_int_equal(pdf_table(p, cols, 2, rows, N), 0);
	buf_init(&out);
	assert_int_equal(pdf_render(p, &out, &pages), 0);
	assert_true(pages >= 2);
	text = read_back(&out);
	assert_non_null(strstr(text, "course n°001"));
	assert_non_null(strstr(text, "course n°120"));
	assert_int_equal(count(text, "Montant"), pages);
	assert_int_equal(count(text, "\f"), pages);
	snprintf(want, sizeof(want), "Page %d / %d", pages, pages);
	assert_non_null(strstr(text, want));
	assert_non_null(strstr(text, "Page 1 /"));
	free(text);
	buf_free(&out);
	arena_free(a);
}

static void
test_long_paragraph_runs_onto_next_page(void **state)
{
	arena		*a = arena_new();
	struct pdf	*p = pdf_new(a, NULL);
	buf		 long_text, out;
	char		*text;
	int		 i, pages = 0;

	(void)state;
	buf_init(&long_text);
	for (i = 0; i < 900; i++)
		buf_printf(&long_text, "mot%d ", i);
	buf_puts(&long_text, "fin.");
	assert_int_equal(pdf_text(p, PDF_NORMAL, buf_cstr(&long_text)), 0);
	buf_init(&out);
	assert_int_equal(pdf_render(p, &out, &pages), 0);
	assert_true(pages >= 2);
	text = read_back(&out);
	assert_non_null(strstr(text, "mot0 "));
	assert_non_null(strstr(text, "mot899"));
	assert_non_null(strstr(text, "fin."));
	free(text);
	buf_free(&out);
	buf_free(&long_text);
	arena_free(a);
}

static void
test_invalid_utf8_is_refused(void **state)
{
	arena		*a = arena_new();
	struct pdf	*p = pdf_new(a, NULL);
	buf		 out;

	(void)state;
	assert_int_equal(pdf_text(p, PDF_NORMAL, "caf\xe9"), 0);
	buf_init(&out);
	assert_int_equal(pdf_render(p, &out, NULL), -1);
	buf_free(&out);
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_and_accents),
		cmocka_unit_test(test_amounts_right_aligned),
		cmocka_unit_test(test_page_breaks_repeat_the_head),
		cmocka_unit_test(test_long_paragraph_runs_onto_next_page),
		cmocka_unit_test(test_invalid_utf8_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
