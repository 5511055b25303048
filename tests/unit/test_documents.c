/* Documents' files and assignments' times, without a server: type by
 * magic bytes, file names fit to keep and to send, atomic writes under
 * the data folder, and the times an assignment accepts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fleet/assignments.h"
#include "fleet/documents_file.h"

static void
test_type_is_decided_by_the_first_bytes(void **state)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n',
		0x1a, '\n', 0 };

	(void)state;
	assert_string_equal(documents_sniff((const unsigned char *)"%PDF-1.7",
	    8), "application/pdf");
	assert_string_equal(documents_sniff((const unsigned char *)
	    "\xff\xd8\xff\xe0", 4), "image/jpeg");
	assert_string_equal(documents_sniff(png, sizeof(png)), "image/png");
	/* Too short, shifted, or merely named: nothing. */
	assert_null(documents_sniff((const unsigned char *)"%PDF", 4));
	assert_null(documents_sniff((const unsigned char *)" %PDF-1.4", 9));
	assert_null(documents_sniff(png, 7));
	assert_null(documents_sniff((const unsigned char *)"GIF89a", 6));
	assert_null(documents_sniff((const unsigned char *)"", 0));
}

static void
test_names_are_cleaned(void **state)
{
	arena	*a = arena_new();
	char	 longname[400];

	(void)state;
	assert_string_equal(documents_clean_name(a, "carte grise.pdf"),
	    "carte grise.pdf");
	assert_string_equal(documents_clean_name(a, "a\"b\\c/d\x01.pdf"),
	    "a_b_c_d_.pdf");
	assert_string_equal(documents_clean_name(a, "  ..été.png  "),
	    "été.png");
	assert_string_equal(documents_clean_name(a, ""), "document");
	assert_string_equal(documents_clean_name(a, NULL), "document");
	/* Cut at 255 bytes, never inside a character. */
	memset(longname, 'x', 253);
	strcpy(longname + 253, "éé");
	assert_int_equal(strlen(documents_clean_name(a, longname)), 255);
	longname[254] = '\0';
	strcat(longname, "é");
	assert_int_equal(strlen(documents_clean_name(a, longname)), 254);
	arena_free(a);
}

static void
test_disposition_names_the_real_format(void **state)
{
	arena	*a = arena_new();

	(void)state;
	assert_string_equal(documents_disposition(a, "scan.pdf", "image/png"),
	    "attachment; filename=\"scan.png\"; filename*=UTF-8''scan.png");
	assert_string_equal(documents_disposition(a, "photo.JPEG",
	    "image/jpeg"), "attachment; filename=\"photo.JPEG\"; "
	    "filename*=UTF-8''photo.JPEG");
	assert_string_equal(documents_disposition(a, "contrat",
	    "application/pdf"), "attachment; filename=\"contrat.pdf\"; "
	    "filename*=UTF-8''contrat.pdf");
	assert_string_equal(documents_disposition(a, "Reçu; 100%.pdf",
	    "application/pdf"), "attachment; filename=\"Re_u_ 100_.pdf\"; "
	    "filename*=UTF-8''Re%C3%A7u%3B%20100%25.pdf");
	arena_free(a);
}

static void
test_files_are_written_whole_under_a_random_key(void **state)
{
	char		 dir[] = "/tmp/fc-doc-unit-XXXXXX", key[DOCUMENTS_KEY_LEN + 1];
	char		 key2[DOCUMENTS_KEY_LEN + 1], content[64];
	const char	*tenant = "0b7e1c3a-5f2d-4a8e-9c61-2d3f4e5a6b7c";
	const char	*path;
	arena		*a = arena_new();
	FILE		*f;
	struct stat	 st;

	(void)state;
	assert_int_equal(secret_init(), 0);
	assert_non_null(mkdtemp(dir));
	assert_int_equal(documents_file_write(dir, tenant, "%PDF-1.4 x", 10,
	    NULL, key), 0);
	assert_int_equal(strlen(key), DOCUMENTS_KEY_LEN);
	path = documents_file_path(a, dir, tenant, key);
	assert_non_null(path);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 10);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* From a file (a spooled upload), under another key. */
	assert_int_equal(documents_file_write(dir, tenant, NULL, 0, path, key2), 0);
	assert_string_not_equal(key, key2);
	assert_non_null(f = fopen(documents_file_path(a, dir, tenant, key2), "r"));
	assert_int_equal(fread(content, 1, sizeof(content), f), 10);
	fclose(f);
	assert_memory_equal(content, "%PDF-1.4 x", 10);
	/* Paths are built only from our own shapes. */
	assert_null(documents_file_path(a, dir, "../etc", key));
	assert_null(documents_file_path(a, dir, tenant, "../../passwd"));
	assert_int_equal(documents_file_write(dir, "not-a-tenant", "x", 1, NULL,
	    key), -1);
	documents_file_remove(a, dir, tenant, key);
	documents_file_remove(a, dir, tenant, key2);
	assert_int_equal(stat(path, &st), -1);
	rmdir(arena_printf(a, "%s/documents/%s", dir, tenant));
	rmdir(arena_printf(a, "%s/documents", dir));
	assert_int_equal(rmdir(dir), 0);
	arena_free(a);
}

static const char *
norm(const char *in, char *out)
{
	const char	*err = assignment_check_time(in, out, 32);

	if (err != NULL)
		fail_msg("\"%s\" refused: %s", in, err);
	return out;
}

static void
test_assignment_times(void **state)
{
	char	out[32];

	(void)state;
	/* Paris time without a zone: winter +1, summer +2. */
	assert_string_equal(norm("2026-01-05T08:00", out), "2026-01-05T07:00:00Z");
	assert_string_equal(norm("2026-07-05 08:00", out), "2026-07-05T06:00:00Z");
	assert_string_equal(norm("2026-07-05", out), "2026-07-04T22:00:00Z");
	assert_string_equal(norm("2026-01-05T08:00:30.123456+01:00", out),
	    "2026-01-05T07:00:30Z");
	assert_string_equal(norm("2026-01-05T08:00:00Z", out), "2026-01-05T08:00:00Z");
	assert_string_equal(norm("2026-01-05T08:00:00-0330", out),
	    "2026-01-05T11:30:00Z");
	assert_string_equal(norm("2026-01-05T08:00:00+00", out), "2026-01-05T08:00:00Z");
	assert_non_null(assignment_check_time("05/01/2026", out, 32));
	assert_non_null(assignment_check_time("2026-02-30", out, 32));
	assert_non_null(assignment_check_time("2026-01-05T25:00", out, 32));
	assert_non_null(assignment_check_time("2026-01-05T08:00+1", out, 32));
	assert_non_null(assignment_check_time("2026-01-05T08:00 UTC", out, 32));
	assert_non_null(assignment_check_time("1900-01-05", out, 32));
	/* The hour that does not exist in Paris (spring forward). */
	assert_non_null(assignment_check_time("2026-03-29T02:30", out, 32));
	assert_int_equal(assignment_time("2026-01-05T07:00:00+00:00"), 1767596400);
	assert_int_equal(assignment_time("nope"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_is_decided_by_the_first_bytes),
		cmocka_unit_test(test_names_are_cleaned),
		cmocka_unit_test(test_disposition_names_the_real_format),
		cmocka_unit_test(test_files_are_written_whole_under_a_random_key),
		cmocka_unit_test(test_assignment_times),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
