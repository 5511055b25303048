/* libFuzzer harness for the Accept-Language parser behind i18n_negotiate.
 * The header comes straight from the client, so besides not crashing the
 * parser must always answer one of the supported languages, answer the
 * same way twice, and never let the header override a user's setting.
 *
 *   clang -fsanitize=fuzzer,address,undefined ... \
 *       tests/fuzz/fuzz_accept_language.c fcgi/core/i18n.c fcgi/core/buf.c
 *   ./fuzz tests/fuzz/seeds/accept_language */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*header;
	lang_id	 l;

	/* Headers reach us as C strings; an embedded NUL just ends it. */
	if ((header = malloc(size + 1)) == NULL)
		return 0;
	memcpy(header, data, size);
	header[size] = '\0';
	l = i18n_negotiate(NULL, header);
	if (l != LANG_FR && l != LANG_EN)
		abort();
	if (i18n_negotiate(NULL, header) != l)
		abort();
	if (i18n_negotiate("fr", header) != LANG_FR ||
	    i18n_negotiate("en", header) != LANG_EN)
		abort();
	/* The same bytes as a user setting must not crash either. */
	l = i18n_negotiate(header, NULL);
	if (l != LANG_FR && l != LANG_EN)
		abort();
	free(header);
	return 0;
}
