/* Unit tests of fcgi/app/finance/armado_json.c and the payment types of
 * armado.c: Armado's answers read strictly. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "finance/armado.h"
#include "finance/armado_json.h"

static enum armado_bills
bills(const char *body, const char *ref, char id[ARMADO_ID_MAX])
{
	return armado_parse_bills(body, strlen(body), ref, id);
}

static void
test_the_bill_of_the_reference(void **state)
{
	char	id[ARMADO_ID_MAX];

	(void)state;
	assert_int_equal(bills("[{\"id\": 1001, \"reference\": \"F2026-00001\"}]",
	    "F2026-00001", id), ARMADO_BILLS_ONE);
	assert_string_equal(id, "1001");
	/* Another reference's bill is not ours, even alone. */
	assert_int_equal(bills("[{\"id\": 7, \"reference\": \"F2026-00002\"},"
	    " {\"id\": \"b-8\", \"reference\": \"F2026-00001\"}]", "F2026-00001",
	    id), ARMADO_BILLS_ONE);
	assert_string_equal(id, "b-8");
	assert_int_equal(bills("[{\"id\": 7, \"reference\": \"F2026-00002\"}]",
	    "F2026-00001", id), ARMADO_BILLS_NONE);
	assert_string_equal(id, "");
	assert_int_equal(bills("[]", "F2026-00001", id), ARMADO_BILLS_NONE);
	assert_int_equal(bills("[{\"id\": 1, \"reference\": \"R\"}, {\"id\": 2,"
	    " \"reference\": \"R\"}]", "R", id), ARMADO_BILLS_SEVERAL);
	assert_string_equal(id, "");
}

static void
test_malformed_answers(void **state)
{
	static const char *const bad[] = {
		"{\"id\": 1, \"reference\": \"R\"}",	/* not an array */
		"[{\"id\": \"../admin\", \"reference\": \"R\"}]",
		"[{\"id\": 0, \"reference\": \"R\"}]",
		"[{\"id\": -3, \"reference\": \"R\"}]",
		"[{\"id\": 1.5, \"reference\": \"R\"}]",
		"[{\"reference\": \"R\"}]",
		"[3]",
		"[{\"id\": 1, \"reference\": \"R\"}",
		"<html>502 Bad Gateway</html>",
		"",
	};
	char	id[ARMADO_ID_MAX];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(bills(bad[i], "R", id), ARMADO_BILLS_MALFORMED);
		assert_string_equal(id, "");
	}
}

static void
test_messages(void **state)
{
	const char	*body = "{\"message\": \"Date invalide\\n\\u0007 : é€\"}";
	char		 out[64], small[12];

	(void)state;
	armado_parse_message(body, strlen(body), out, sizeof(out));
	/* Controls become spaces: newline, bell, then the space typed. */
	assert_string_equal(out, "Date invalide   : é€");
	/* Cut between characters, never inside one (é is two bytes). */
	body = "{\"message\": \"ééééééé\"}";
	armado_parse_message(body, strlen(body), small, sizeof(small));
	assert_string_equal(small, "ééééé");
	armado_parse_message("oops", 4, out, sizeof(out));
	assert_string_equal(out, "");
	armado_parse_message("{\"message\": 3}", 14, out, sizeof(out));
	assert_string_equal(out, "");
}

static void
test_payment_types(void **state)
{
	(void)state;
	assert_int_equal(armado_payment_type("cheque"), 1);
	assert_int_equal(armado_payment_type("virement"), 2);
	assert_int_equal(armado_payment_type("carte"), 3);
	assert_int_equal(armado_payment_type("especes"), 4);
	assert_int_equal(armado_payment_type("prelevement"), 5);
	assert_int_equal(armado_payment_type("compensation"), 8);
	assert_int_equal(armado_payment_type("autre"), 8);
	assert_int_equal(armado_payment_type("bitcoin"), 8);
	assert_true(armado_id_ok("1001"));
	assert_false(armado_id_ok(""));
	assert_false(armado_id_ok("a/b"));
	assert_false(armado_id_ok("a?b"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_bill_of_the_reference),
		cmocka_unit_test(test_malformed_answers),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_payment_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
