/* libFuzzer harness: Armado's answers through armado_json.c.  The input
 * is a reference, a newline, then the body.
 * Invariants: a bill found has an id armado_id_ok accepts (it goes into
 * the next URL's path) and no id is left otherwise; a message is
 * printable UTF-8 that fits its buffer, whatever the body. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "finance/armado_json.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*nl = memchr(data, '\n', size);
	char			 ref[128], id[ARMADO_ID_MAX], msg[64];
	size_t			 n, i;
	const char		*body;
	enum armado_bills	 b;

	if (nl == NULL || (n = (size_t)(nl - (const char *)data)) >= sizeof(ref))
		return 0;
	memcpy(ref, data, n);
	ref[n] = '\0';
	body = nl + 1;
	n = size - n - 1;
	b = armado_parse_bills(body, n, ref, id);
	if (b == ARMADO_BILLS_ONE && !armado_id_ok(id))
		abort();
	if (b != ARMADO_BILLS_ONE && id[0] != '\0')
		abort();
	if (b < ARMADO_BILLS_MALFORMED || b > ARMADO_BILLS_SEVERAL)
		abort();
	armado_parse_message(body, n, msg, sizeof(msg));
	if (strlen(msg) >= sizeof(msg) || !utf8_valid_text(msg, strlen(msg)))
		abort();
	for (i = 0; msg[i] != '\0'; i++)
		if ((unsigned char)msg[i] < ' ' || msg[i] == 0x7f)
			abort();
	return 0;
}
