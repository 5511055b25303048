#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "files.h"

int
files_is_uuid(const char *s)
{
	size_t	i;

	if (s == NULL || strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++)
		if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-' :
		    !isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int
files_is_key(const char *s, size_t len)
{
	return s != NULL && strlen(s) == len &&
	    strspn(s, FILES_KEY_ALPHABET) == len;
}

int
files_write_all(int fd, const void *p, size_t n)
{
	const char	*c = p;
	ssize_t		 w;

	while (n > 0) {
		if ((w = write(fd, c, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}
