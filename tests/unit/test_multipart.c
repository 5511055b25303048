/* Unit tests of fcgi/core/multipart.c: fields, files in memory and
 * spooled to disk, and every refusal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "multipart.h"
#include "utf8.h"

#define CT	"multipart/form-data; boundary=XyZzy"
#define B	"--XyZzy"
#define CRLF	"\r\n"

struct fx {
	arena			*a;
	struct kvlist		 form;
	struct uploads		 files;
	struct req_error	 err;
	struct req_limits	 lim;
	char			 dir[64];
};

static int
setup(void **state)
{
	struct fx	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	if ((f->a = arena_new()) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->dir, sizeof(f->dir), "/tmp/fc-test-spool-XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		arena_free(f->a);
		free(f);
		return -1;
	}
	f->lim = req_default_limits;
	f->lim.spool_dir = f->dir;
	*state = f;
	return 0;
}

/* Number of entries in the spool folder, "." and ".." aside. */
static int
spool_count(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	int		 n = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;
	int		 left;

	multipart_cleanup(&f->files);
	left = spool_count(f->dir);
	rmdir(f->dir);
	arena_free(f->a);
	free(f);
	/* Every test leaves the spool folder empty. */
	return left == 0 ? 0 : -1;
}

static int
parse_n(struct fx *f, const char *ct, const char *body, size_t len)
{
	memset(&f->form, 0, sizeof(f->form));
	memset(&f->files, 0, sizeof(f->files));
	memset(&f->err, 0, sizeof(f->err));
	return multipart_parse(f->a, ct, body, len, &f->lim, &f->form,
	    &f->files, &f->err);
}

static int
parse(struct fx *f, const char *ct, const char *body)
{
	return parse_n(f, ct, body, strlen(body));
}

static void
test_fields(void **state)
{
	struct fx	*f = *state;
	const char	*body =
	    B CRLF
	    "Content-Disposition: form-data; name=\"title\"" CRLF CRLF
	    "Hello world" CRLF
	    B CRLF
	    "content-disposition: form-data; name=\"note\"" CRLF
	    "Content-Type: text/plain; charset=utf-8" CRLF CRLF
	    "Ligne 1" CRLF "Ligne 2 \xc3\xa9" CRLF
	    B CRLF
	    "Content-Disposition: form-data; name=\"empty\"" CRLF CRLF
	    CRLF
	    B "--" CRLF;

	assert_int_equal(parse(f, CT, body), 0);
	assert_int_equal(f->form.n, 3);
	assert_int_equal(f->files.n, 0);
	assert_string_equal(kvlist_get(&f->form, "title"), "Hello world");
	assert_string_equal(kvlist_get(&f->form, "note"),
	    "Ligne 1\r\nLigne 2 \xc3\xa9");
	assert_int_equal(f->form.v[1].len, strlen("Ligne 1\r\nLigne 2 \xc3\xa9"));
	assert_string_equal(kvlist_get(&f->form, "empty"), "");
	assert_int_equal(f->form.v[2].len, 0);
}

static void
test_file_in_memory(void **state)
{
	struct fx	*f = *state;
	const char	*body =
	    B CRLF
	    "Content-Disposition: form-data; name=\"csrf\"" CRLF CRLF
	    "tok" CRLF
	    B CRLF
	    "Content-Disposition: form-data; name=\"doc\"; filename=\"rapport.pdf\"" CRLF
	    "Content-Type: application/pdf" CRLF CRLF
	    "%PDF-1.4 data" CRLF
	    B "--";

	assert_int_equal(parse(f, CT, body), 0);
	assert_int_equal(f->form.n, 1);
	assert_string_equal(kvlist_get(&f->form, "csrf"), "tok");
	/* A file part is not a form field. */
	assert_null(kvlist_get(&f->form, "doc"));
	assert_int_equal(f->files.n, 1);
	assert_string_equal(f->files.v[0].field, "doc");
	assert_string_equal(f->files.v[0].filename, "rapport.pdf");
	assert_string_equal(f->files.v[0].content_type, "application/pdf");
	assert_int_equal(f->files.v[0].size, 13);
	assert_non_null(f->files.v[0].data);
	assert_null(f->files.v[0].path);
	assert_memory_equal(f->files.v[0].data, "%PDF-1.4 data", 13);
}

static void
test_filename_with_path(void **state)
{
	struct fx	*f = *state;
	const char	*body =
	    B CRLF
	    "Content-Disposition: form-data; name=\"a\"; filename=\"C:\\x\\a.pdf\"" CRLF CRLF
	    "A" CRLF
	    B CRLF
	    "Content-Disposition: form-data; name=\"b\"; filename=\"/etc/../b.txt\"" CRLF CRLF
	    "B" CRLF
	    B CRLF
	    "Content-Disposition: form-data; name=\"c\"; filename=\"..\\../c d.png\"" CRLF CRLF
	    "C" CRLF
	    B "--" CRLF;

	assert_int_equal(parse(f, CT, body), 0);
	assert_int_equal(f->files.n, 3);
	assert_string_equal(f->files.v[0].filename, "a.pdf");
	assert_string_equal(f->files.v[1].filename, "b.txt");
	assert_string_equal(f->files.v[2].filename, "c d.png");
	assert_null(f->files.v[0].content_type);
}

static void
test_empty_file_input_ignored(void **state)
{
	struct fx	*f = *state;
	const char	*body =
	    B CRLF
	    "Content-Disposition: form-data; name=\"photo\"; filename=\"\"" CRLF
	    "Content-Type: application/octet-stream" CRLF CRLF
	    CRLF
	    B CRLF
	    "Content-Disposition: form-data; name=\"x\"" CRLF CRLF
	    "1" CRLF
	    B "--" CRLF;

	assert_int_equal(parse(f, CT, body), 0);
	assert_int_equal(f->files.n, 0);
	assert_int_equal(f->form.n, 1);
	assert_null(kvlist_get(&f->form, "photo"));
	assert_string_equal(kvlist_get(&f->form, "x"), "1");
}

static void
test_large_part_spooled(void **state)
{
	struct fx	*f = *state;
	buf		 b;
	char		*data, *got;
	size_t		 n = 5000, i;
	FILE		*fp;
	struct stat	 st;
	const char	*path;

	f->lim.memory_part = 1024;
	data = malloc(n);
	assert_non_null(data);
	for (i = 0; i < n; i++)
		data[i] = (char)(i * 7 + 3);
	/* The delimiter must not appear by accident: no '-' bytes. */
	for (i = 0; i < n; i++)
		if (data[i] == '-')
			data[i] = 'x';
	buf_init(&b);
	buf_puts(&b, B CRLF "Content-Disposition: form-data; name=\"big\"; "
	    "filename=\"big.bin\"" CRLF CRLF);
	buf_append(&b, data, n);
	buf_puts(&b, CRLF B CRLF "Content-Disposition: form-data; "
	    "name=\"small\"; filename=\"s.txt\"" CRLF CRLF "tiny" CRLF B "--");
	assert_false(b.oom);

	assert_int_equal(parse_n(f, CT, b.data, b.len), 0);
	assert_int_equal(f->files.n, 2);
	assert_int_equal(f->files.v[0].size, n);
	assert_null(f->files.v[0].data);
	path = f->files.v[0].path;
	assert_non_null(path);
	assert_memory_equal(path, f->dir, strlen(f->dir));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal((size_t)st.st_size, n);
	/* Uploads are private to the server. */
	assert_int_equal(st.st_mode & 077, 0);
	got = malloc(n + 1);
	assert_non_null(got);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(got, 1, n + 1, fp), n);
	fclose(fp);
	assert_memory_equal(got, data, n);
	/* The small one stays in memory. */
	assert_null(f->files.v[1].path);
	assert_memory_equal(f->files.v[1].data, "tiny", 4);
	assert_int_equal(spool_count(f->dir), 1);

	multipart_cleanup(&f->files);
	assert_int_equal(f->files.n, 0);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(spool_count(f->dir), 0);
	free(got);
	free(data);
	buf_free(&b);
}

static void
test_memory_part_boundary(void **state)
{
	struct fx	*f = *state;
	const char	*body =
	    B CRLF
	    "Content-Disposition: form-data; name=\"a\"; filename=\"a\"" CRLF CRLF
	    "1234" CRLF
	    B CRLF
	    "Content-Disposition: form-data; name=\"b\"; filename=\"b\"" CRLF CRLF
	    "12345" CRLF
	    B "--";

	f->lim.memory_part = 4;
	assert_int_equal(parse(f, CT, body), 0);
	assert_int_equal(f->files.n, 2);
	/* Exactly memory_part bytes stay in memory; one more goes to disk. */
	assert_non_null(f->files.v[0].data);
	assert_null(f->files.v[0].path);
	assert_null(f->files.v[1].data);
	assert_non_null(f->files.v[1].path);
	assert_int_equal(spool_count(f->dir), 1);
}

static void
test_spool_dir_missing(void **state)
{
	struct fx	*f = *state;
	const char	*body =
	    B CRLF
	    "Content-Disposition: form-data; name=\"a\"; filename=\"a\"" CRLF CRLF
	    "12345" CRLF
	    B "--";

	f->lim.memory_part = 4;
	f->lim.spool_dir = "/nonexistent/fleetcore/spool";
	assert_int_equal(parse(f, CT, body), -1);
	assert_int_equal(f->err.status, 500);
}

static void
test_missing_boundary(void **state)
{
	struct fx	*f = *state;
	const char	*body =
	    B CRLF "Content-Disposition: form-data; name=\"a\"" CRLF CRLF
	    "1" CRLF B "--";

	assert_int_equal(parse(f, "multipart/form-data", body), -1);
	assert_int_equal(f->err.status, 400);
	assert_int_equal(parse(f, "multipart/form-data; boundary=", body), -1);
	assert_int_equal(f->err.status, 400);
	assert_int_equal(parse(f, "multipart/form-data; boundary=\"\"", body),
	    -1);
	assert_int_equal(f->err.status, 400);
	assert_int_equal(parse(f, NULL, body), -1);
	assert_int_equal(f->err.status, 400);
	/* A boundary longer than RFC 2046's 70 characters. */
	assert_int_equal(parse(f, "multipart/form-data; boundary="
	    "0123456789012345678901234567890123456789012345678901234567890123456789X",
	    body), -1);
	assert_int_equal(f->err.status, 400);
	/* The header names one, but the body never uses it. */
	assert_int_equal(parse(f, "multipart/form-data; boundary=other", body),
	    -1);
	assert_int_equal(f->err.status, 400);
	/* An empty body. */
	assert_int_equal(parse(f, CT, ""), -1);
	assert_int_equal(f->err.status, 400);
}

static void
test_quoted_boundary(void **state)
{
	struct fx	*f = *state;
	const char	*body =
	    "--a b" CRLF "Content-Disposition: form-data; name=\"a\"" CRLF CRLF
	    "1" CRLF "--a b--" CRLF;

	assert_int_equal(parse(f, "multipart/form-data; boundary=\"a b\"",
	    body), 0);
	assert_string_equal(kvlist_get(&f->form, "a"), "1");
}

static void
test_unterminated_part(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(parse(f, CT, B CRLF
	    "Content-Disposition: form-data; name=\"a\"" CRLF CRLF
	    "no closing delimiter"), -1);
	assert_int_equal(f->err.status, 400);
	/* Headers never end. */
	assert_int_equal(parse(f, CT, B CRLF
	    "Content-Disposition: form-data; name=\"a\"" CRLF), -1);
	assert_int_equal(f->err.status, 400);
	/* Nothing after the first delimiter. */
	assert_int_equal(parse(f, CT, B), -1);
	assert_int_equal(f->err.status, 400);
	/* Junk right after a delimiter. */
	assert_int_equal(parse(f, CT, B "junk" CRLF
	    "Content-Disposition: form-data; name=\"a\"" CRLF CRLF
	    "1" CRLF B "--"), -1);
	assert_int_equal(f->err.status, 400);
}

static void
test_missing_disposition(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(parse(f, CT, B CRLF
	    "Content-Type: text/plain" CRLF CRLF
	    "1" CRLF B "--"), -1);
	assert_int_equal(f->err.status, 400);
	/* Not form-data. */
	assert_int_equal(parse(f, CT, B CRLF
	    "Content-Disposition: attachment; name=\"a\"" CRLF CRLF
	    "1" CRLF B "--"), -1);
	assert_int_equal(f->err.status, 400);
}

static void
test_missing_name(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(parse(f, CT, B CRLF
	    "Content-Disposition: form-data" CRLF CRLF
	    "1" CRLF B "--"), -1);
	assert_int_equal(f->err.status, 400);
	assert_int_equal(parse(f, CT, B CRLF
	    "Content-Disposition: form-data; name=\"\"" CRLF CRLF
	    "1" CRLF B "--"), -1);
	assert_int_equal(f->err.status, 400);
	assert_int_equal(parse(f, CT, B CRLF
	    "Content-Disposition: form-data; filename=\"a.txt\"" CRLF CRLF
	    "1" CRLF B "--"), -1);
	assert_int_equal(f->err.status, 400);
}

static void
test_too_many_files(void **state)
{
	struct fx	*f = *state;
	buf		 b;
	size_t		 i;

	f->lim.max_files = 3;
	buf_init(&b);
	for (i = 0; i < 4; i++)
		buf_printf(&b, B CRLF "Content-Disposition: form-data; "
		    "name=\"f%zu\"; filename=\"f%zu.txt\"" CRLF CRLF
		    "data %zu" CRLF, i, i, i);
	buf_puts(&b, B "--");
	assert_int_equal(parse_n(f, CT, b.data, b.len), -1);
	assert_int_equal(f->err.status, 413);
	/* The ones accepted before the refusal can still be cleaned up. */
	assert_int_equal(f->files.n, 3);
	buf_free(&b);
}

static void
test_too_many_files_spooled_cleanup(void **state)
{
	struct fx	*f = *state;
	buf		 b;
	size_t		 i;

	f->lim.max_files = 2;
	f->lim.memory_part = 2;
	buf_init(&b);
	for (i = 0; i < 3; i++)
		buf_printf(&b, B CRLF "Content-Disposition: form-data; "
		    "name=\"f%zu\"; filename=\"f%zu.txt\"" CRLF CRLF
		    "spooled %zu" CRLF, i, i, i);
	buf_puts(&b, B "--");
	assert_int_equal(parse_n(f, CT, b.data, b.len), -1);
	assert_int_equal(f->err.status, 413);
	assert_int_equal(spool_count(f->dir), 2);
	multipart_cleanup(&f->files);
	assert_int_equal(spool_count(f->dir), 0);
	buf_free(&b);
}

static void
test_too_many_parts_and_fields(void **state)
{
	struct fx	*f = *state;
	buf		 b;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < 5; i++)
		buf_printf(&b, B CRLF "Content-Disposition: form-data; "
		    "name=\"f%zu\"" CRLF CRLF "%zu" CRLF, i, i);
	buf_puts(&b, B "--");

	f->lim.max_parts = 4;
	assert_int_equal(parse_n(f, CT, b.data, b.len), -1);
	assert_int_equal(f->err.status, 413);

	f->lim.max_parts = 100;
	f->lim.max_fields = 4;
	assert_int_equal(parse_n(f, CT, b.data, b.len), -1);
	assert_int_equal(f->err.status, 413);

	f->lim.max_fields = 5;
	assert_int_equal(parse_n(f, CT, b.data, b.len), 0);
	assert_int_equal(f->form.n, 5);
	buf_free(&b);
}

static void
test_field_too_long_and_body_too_large(void **state)
{
	struct fx	*f = *state;
	const char	*body = B CRLF
	    "Content-Disposition: form-data; name=\"a\"" CRLF CRLF
	    "123456789" CRLF B "--";

	f->lim.max_value = 8;
	assert_int_equal(parse(f, CT, body), -1);
	assert_int_equal(f->err.status, 413);

	f->lim = req_default_limits;
	f->lim.spool_dir = f->dir;
	f->lim.max_body = strlen(body) - 1;
	assert_int_equal(parse(f, CT, body), -1);
	assert_int_equal(f->err.status, 413);
}

static void
test_invalid_utf8_field(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(parse(f, CT, B CRLF
	    "Content-Disposition: form-data; name=\"a\"" CRLF CRLF
	    "caf\xe9" CRLF B "--"), -1);
	assert_int_equal(f->err.status, 400);
	/* A NUL in a field. */
	assert_int_equal(parse_n(f, CT, B CRLF
	    "Content-Disposition: form-data; name=\"a\"" CRLF CRLF
	    "x\0y" CRLF B "--", strlen(B CRLF
	    "Content-Disposition: form-data; name=\"a\"" CRLF CRLF) + 3 +
	    strlen(CRLF B "--")), -1);
	assert_int_equal(f->err.status, 400);
	/* Invalid UTF-8 in a part's headers (the file name). */
	assert_int_equal(parse(f, CT, B CRLF
	    "Content-Disposition: form-data; name=\"a\"; filename=\"\xff.txt\""
	    CRLF CRLF "1" CRLF B "--"), -1);
	assert_int_equal(f->err.status, 400);
}

static void
test_preamble_and_epilogue(void **state)
{
	struct fx	*f = *state;
	const char	*body =
	    "This is a preamble; ignore it." CRLF
	    "-- XyZzy is not the delimiter yet" CRLF
	    B "  \t" CRLF
	    "Content-Disposition: form-data; name=\"a\"" CRLF CRLF
	    "1" CRLF
	    B "--" CRLF
	    "epilogue, also ignored" CRLF B CRLF "garbage";

	assert_int_equal(parse(f, CT, body), 0);
	assert_int_equal(f->form.n, 1);
	assert_string_equal(kvlist_get(&f->form, "a"), "1");
}

static void
test_binary_file_preserved(void **state)
{
	struct fx	*f = *state;
	/* CR LF, NUL, a near-delimiter (CRLF "--XyZz") and the boundary
	 * not preceded by CRLF: all are content. */
	static const char content[] =
	    "\r\n\x00\x01\xff\r\n--XyZz\r\n\r\n-\x80--XyZzy\r";
	size_t		 clen = sizeof(content) - 1;
	buf		 b;

	buf_init(&b);
	buf_puts(&b, B CRLF "Content-Disposition: form-data; name=\"bin\"; "
	    "filename=\"x.bin\"" CRLF "Content-Type: application/octet-stream"
	    CRLF CRLF);
	buf_append(&b, content, clen);
	buf_puts(&b, CRLF B "--" CRLF);
	assert_int_equal(parse_n(f, CT, b.data, b.len), 0);
	assert_int_equal(f->files.n, 1);
	assert_int_equal(f->files.v[0].size, clen);
	assert_memory_equal(f->files.v[0].data, content, clen);

	/* The same when spooled. */
	f->lim.memory_part = 4;
	assert_int_equal(parse_n(f, CT, b.data, b.len), 0);
	assert_int_equal(f->files.n, 1);
	assert_non_null(f->files.v[0].path);
	{
		char	 got[64];
		FILE	*fp = fopen(f->files.v[0].path, "rb");

		assert_non_null(fp);
		assert_int_equal(fread(got, 1, sizeof(got), fp), clen);
		fclose(fp);
		assert_memory_equal(got, content, clen);
	}
	multipart_cleanup(&f->files);
	buf_free(&b);
}

static void
test_header_param_semicolon_in_name(void **state)
{
	struct fx	*f = *state;

	/* Browsers do not escape ';' in field names; it must not turn a
	 * field into a file. */
	assert_int_equal(parse(f, CT, B CRLF
	    "Content-Disposition: form-data; name=\"a; filename=x.exe\""
	    CRLF CRLF "v" CRLF B "--"), 0);
	assert_int_equal(f->files.n, 0);
	assert_int_equal(f->form.n, 1);
	assert_string_equal(f->form.v[0].name, "a; filename=x.exe");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_fields),
		T(test_file_in_memory),
		T(test_filename_with_path),
		T(test_empty_file_input_ignored),
		T(test_large_part_spooled),
		T(test_memory_part_boundary),
		T(test_spool_dir_missing),
		T(test_missing_boundary),
		T(test_quoted_boundary),
		T(test_unterminated_part),
		T(test_missing_disposition),
		T(test_missing_name),
		T(test_too_many_files),
		T(test_too_many_files_spooled_cleanup),
		T(test_too_many_parts_and_fields),
		T(test_field_too_long_and_body_too_large),
		T(test_invalid_utf8_field),
		T(test_preamble_and_epilogue),
		T(test_binary_file_preserved),
		T(test_header_param_semicolon_in_name),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
