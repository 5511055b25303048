/* libFuzzer harness for what goes from a driver's record into a bank
 * file: names and texts transliterated into the EPC set, IBANs, BICs and
 * WPS identifiers.  Whatever the bytes, the text written must be in the
 * set and within its length, and an identifier accepted once must be
 * accepted again as it was normalised (the file writers check it so).
 *
 *   ./fuzz tests/fuzz/seeds/bank_text */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "finance/epc_text.h"
#include "finance/iban.h"
#include "finance/wps.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

typedef const char *(*check_fn)(const char *, char *, size_t);

static void
stable(check_fn f, const char *in)
{
	char	out[64], again[64];

	if (f(in, out, sizeof(out)) != NULL)
		return;
	if (f(out, again, sizeof(again)) != NULL || strcmp(out, again) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const check_fn checks[] = { iban_check, iban_check_ae, bic_check,
		wps_check_person, wps_check_routing, wps_check_card };
	char	*in, out[141];
	size_t	 n, max, i;

	if ((in = malloc(size + 1)) == NULL)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	for (max = 0; max <= 140; max += 35) {
		n = epc_text(in, out, max);
		if (n > max || n != strlen(out) || !epc_text_ok(out) ||
		    (n > 0 && (out[0] == ' ' || out[n - 1] == ' ')))
			abort();
	}
	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		stable(checks[i], in);
	free(in);
	return 0;
}
