/* libFuzzer harness: a zip archive through bundle_each, as an uploaded
 * export is read.  Invariants: never a crash or a leak; a member handed
 * over is a readable file no larger than the cap; a refusal says why. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "connectors/bundle.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CAP	(1 << 20)

static int
member(void *ctx, const char *name, int fd)
{
	struct stat	st;

	(void)ctx;
	if (name == NULL || fstat(fd, &st) == -1 || st.st_size > CAP)
		abort();
	close(fd);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	 msg[256];
	FILE	*f = tmpfile();
	int	 fd;

	if (f == NULL)
		return 0;
	if (size > 0 && fwrite(data, 1, size, f) != size) {
		fclose(f);
		return 0;
	}
	fflush(f);
	fd = fileno(f);
	if (bundle_is_zip(fd) && bundle_each(fd, CAP, member, NULL, msg,
	    sizeof(msg)) == -1 && msg[0] == '\0')
		abort();
	fclose(f);
	return 0;
}
