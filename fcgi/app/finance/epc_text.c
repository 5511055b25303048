#include <string.h>

#include "epc_text.h"

/* U+00C0 to U+017F (Latin-1 Supplement letters and Latin Extended-A)
 * without their diacritics. */
static const char *const latin[] = {
	/* 00C0 */ "A", "A", "A", "A", "A", "A", "AE", "C",
	/* 00C8 */ "E", "E", "E", "E", "I", "I", "I", "I",
	/* 00D0 */ "D", "N", "O", "O", "O", "O", "O", "x",
	/* 00D8 */ "O", "U", "U", "U", "U", "Y", "TH", "ss",
	/* 00E0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
	/* 00E8 */ "e", "e", "e", "e", "i", "i", "i", "i",
	/* 00F0 */ "d", "n", "o", "o", "o", "o", "o", "/",
	/* 00F8 */ "o", "u", "u", "u", "u", "y", "th", "y",
	/* 0100 */ "A", "a", "A", "a", "A", "a", "C", "c",
	/* 0108 */ "C", "c", "C", "c", "C", "c", "D", "d",
	/* 0110 */ "D", "d", "E", "e", "E", "e", "E", "e",
	/* 0118 */ "E", "e", "E", "e", "G", "g", "G", "g",
	/* 0120 */ "G", "g", "G", "g", "H", "h", "H", "h",
	/* 0128 */ "I", "i", "I", "i", "I", "i", "I", "i",
	/* 0130 */ "I", "i", "IJ", "ij", "J", "j", "K", "k",
	/* 0138 */ "k", "L", "l", "L", "l", "L", "l", "L",
	/* 0140 */ "l", "L", "l", "N", "n", "N", "n", "N",
	/* 0148 */ "n", "n", "N", "n", "O", "o", "O", "o",
	/* 0150 */ "O", "o", "OE", "oe", "R", "r", "R", "r",
	/* 0158 */ "R", "r", "S", "s", "S", "s", "S", "s",
	/* 0160 */ "S", "s", "T", "t", "T", "t", "T", "t",
	/* 0168 */ "U", "u", "U", "u", "U", "u", "U", "u",
	/* 0170 */ "U", "u", "U", "u", "W", "w", "Y", "y",
	/* 0178 */ "Y", "Z", "z", "Z", "z", "Z", "z", "s",
};

/* Punctuation and symbols of French text that have a near twin. */
static const struct {
	unsigned	 cp;
	const char	*to;
} symbols[] = {
	{ '&', "+" }, { '@', "(at)" }, { '"', "'" }, { '_', "-" },
	{ '!', "." }, { ';', "," },
	{ '\t', " " }, { '\n', " " }, { '\r', " " }, { '#', " " },
	{ 0x00A0, " " }, { 0x00AB, "'" }, { 0x00BB, "'" }, { 0x00B0, "o" },
	{ 0x2010, "-" }, { 0x2011, "-" }, { 0x2013, "-" }, { 0x2014, "-" },
	{ 0x2018, "'" }, { 0x2019, "'" }, { 0x201C, "'" }, { 0x201D, "'" },
	{ 0x2026, "..." }, { 0x202F, " " }, { 0x2009, " " }, { 0x20AC, "EUR" },
};

static int
allowed(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("/-?:().,'+ ", c)
	    != NULL);
}

/* The next code point of s (advanced); invalid bytes count as one
 * character each (the request layer has checked UTF-8 already). */
static unsigned
next_cp(const unsigned char **s)
{
	const unsigned char	*p = *s;
	unsigned		 cp;
	int			 n, i;

	if (p[0] < 0x80)
		n = 0, cp = p[0];
	else if ((p[0] & 0xE0) == 0xC0)
		n = 1, cp = p[0] & 0x1F;
	else if ((p[0] & 0xF0) == 0xE0)
		n = 2, cp = p[0] & 0x0F;
	else if ((p[0] & 0xF8) == 0xF0)
		n = 3, cp = p[0] & 0x07;
	else {
		*s = p + 1;
		return 0xFFFD;
	}
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*s = p + i;
			return 0xFFFD;
		}
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	*s = p + n + 1;
	return cp;
}

static const char *
latin_of(unsigned cp)
{
	size_t	i;

	if (cp < 0x80 && allowed((unsigned char)cp))
		return NULL;	/* itself */
	if (cp >= 0xC0 && cp < 0x180)
		return latin[cp - 0xC0];
	for (i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
		if (symbols[i].cp == cp)
			return symbols[i].to;
	return ".";
}

size_t
epc_text(const char *in, char *out, size_t max)
{
	const unsigned char	*s = (const unsigned char *)in;
	const char		*to;
	char			 one[2];
	size_t			 o = 0;
	unsigned		 cp;

	while (*s != '\0' && o < max) {
		cp = next_cp(&s);
		if ((to = latin_of(cp)) == NULL) {
			one[0] = (char)cp;
			one[1] = '\0';
			to = one;
		}
		for (; *to != '\0' && o < max; to++) {
			if (*to == ' ' && (o == 0 || out[o - 1] == ' '))
				continue;
			out[o++] = *to;
		}
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return o;
}

int
epc_text_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if (!allowed((unsigned char)*s))
			return 0;
	return 1;
}

int
epc_id_ok(const char *s)
{
	size_t	n = strlen(s);

	return n >= 1 && n <= 35 && epc_text_ok(s) && s[0] != '/' &&
	    s[n - 1] != '/' && strstr(s, "//") == NULL;
}
