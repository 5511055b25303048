#include "utf8.h"

/* Length of the sequence starting with lead byte c, or 0 if c cannot
 * start one. */
static int
seq_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

static int
is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

int
utf8_valid_text(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0;
	int			 len, k;

	while (i < n) {
		if (p[i] == 0)
			return 0;
		if ((len = seq_len(p[i])) == 0 || (size_t)len > n - i)
			return 0;
		for (k = 1; k < len; k++)
			if (!is_cont(p[i + k]))
				return 0;
		/* The second byte's range rules out overlongs, surrogates and
		 * values past U+10FFFF. */
		if (len == 3 && p[i] == 0xe0 && p[i + 1] < 0xa0)
			return 0;
		if (len == 3 && p[i] == 0xed && p[i + 1] > 0x9f)
			return 0;
		if (len == 4 && p[i] == 0xf0 && p[i + 1] < 0x90)
			return 0;
		if (len == 4 && p[i] == 0xf4 && p[i + 1] > 0x8f)
			return 0;
		i += (size_t)len;
	}
	return 1;
}
