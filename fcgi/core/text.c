#include <string.h>

#include "text.h"
#include "utf8.h"

/* Code points of 0x80..0x9F in Windows-1252 (0 where undefined). */
static const unsigned short cp1252_high[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

static void
put_utf8(buf *b, unsigned int cp)
{
	if (cp < 0x80)
		buf_putc(b, (int)cp);
	else if (cp < 0x800) {
		buf_putc(b, (int)(0xc0 | (cp >> 6)));
		buf_putc(b, (int)(0x80 | (cp & 0x3f)));
	} else {
		buf_putc(b, (int)(0xe0 | (cp >> 12)));
		buf_putc(b, (int)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (int)(0x80 | (cp & 0x3f)));
	}
}

int
text_cp1252_to_utf8(const char *s, size_t n, buf *out)
{
	size_t		i;
	unsigned char	c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x80 && c <= 0x9f)
			put_utf8(out, cp1252_high[c - 0x80] ?
			    cp1252_high[c - 0x80] : 0xfffd);
		else
			put_utf8(out, c);
	}
	return out->oom ? -1 : 0;
}

int
text_to_utf8(const char *s, size_t n, buf *out, int *converted)
{
	*converted = 0;
	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;
		n -= 3;
	}
	/* NUL bytes make a file binary, not text: refuse, do not convert. */
	if (memchr(s, '\0', n) != NULL)
		return -1;
	if (utf8_valid_text(s, n))
		return buf_append(out, s, n);
	*converted = 1;
	return text_cp1252_to_utf8(s, n, out);
}

char
text_csv_delimiter(const char *s, size_t n)
{
	size_t	i, semi = 0, comma = 0, tab = 0;
	int	quoted = 0;

	for (i = 0; i < n && s[i] != '\n'; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (s[i] == ';')
			semi++;
		else if (s[i] == ',')
			comma++;
		else if (s[i] == '\t')
			tab++;
	}
	if (semi >= comma && semi >= tab && semi > 0)
		return ';';
	if (tab > comma)
		return '\t';
	return ',';
}
