#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void
buf_init(buf *b)
{
	memset(b, 0, sizeof(*b));
}

void
buf_free(buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_clear(buf *b)
{
	b->len = 0;
	b->oom = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

int
buf_reserve(buf *b, size_t extra)
{
	size_t	 cap;
	char	*p;

	if (b->oom)
		return -1;
	if (extra > SIZE_MAX - b->len - 1)
		goto fail;
	if (b->len + extra + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1) {
		if (cap > SIZE_MAX / 2)
			goto fail;
		cap *= 2;
	}
	if ((p = realloc(b->data, cap)) == NULL)
		goto fail;
	b->data = p;
	b->cap = cap;
	return 0;
fail:
	b->oom = 1;
	return -1;
}

int
buf_append(buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_puts(buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int
buf_putc(buf *b, int c)
{
	char	ch = (char)c;

	return buf_append(b, &ch, 1);
}

int
buf_vprintf(buf *b, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || buf_reserve(b, (size_t)n) == -1)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
buf_printf(buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int
buf_append_html(buf *b, const char *s, size_t n)
{
	size_t		 i, start;
	const char	*ent;

	for (start = i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: continue;
		}
		buf_append(b, s + start, i - start);
		buf_puts(b, ent);
		start = i + 1;
	}
	buf_append(b, s + start, n - start);
	return b->oom ? -1 : 0;
}

int
buf_append_escaped(buf *b, const char *s, size_t n, const char *special,
    void (*esc)(buf *, unsigned char))
{
	size_t	run;

	while (n > 0) {
		run = strcspn(s, special);
		if (run > n)
			run = n;
		buf_append(b, s, run);
		s += run;
		n -= run;
		if (n == 0)
			break;
		esc(b, (unsigned char)*s);
		s++;
		n--;
	}
	return b->oom ? -1 : 0;
}

int
buf_puts_html(buf *b, const char *s)
{
	return buf_append_html(b, s, strlen(s));
}

const char *
buf_cstr(const buf *b)
{
	return b->data != NULL ? b->data : "";
}
