/* Growable byte buffer.  The buffer owns its memory; a failed growth
 * sets `oom` and later appends do nothing, so callers may append freely
 * and check once at the end. */
#ifndef FC_BUF_H
#define FC_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
	char	*data;	/* always NUL-terminated when len > 0 */
	size_t	 len;
	size_t	 cap;
	int	 oom;
} buf;

void	 buf_init(buf *);
void	 buf_free(buf *);
/* Empty the buffer, keeping its memory. */
void	 buf_clear(buf *);
int	 buf_reserve(buf *, size_t);
int	 buf_append(buf *, const void *, size_t);
int	 buf_puts(buf *, const char *);
int	 buf_putc(buf *, int);
int	 buf_printf(buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 buf_vprintf(buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* Append with & < > " ' replaced by their entities. */
int	 buf_append_html(buf *, const char *, size_t);
/* s[0..n) with each byte of `special` written by esc() and the runs
 * between them copied whole: strcspn (SIMD in glibc) finds the next
 * one, which is faster than a test per byte.  strcspn also stops at a
 * NUL byte, which esc() then gets; s must hold one at s[n] or before. */
int	 buf_append_escaped(buf *, const char *s, size_t n,
	    const char *special, void (*esc)(buf *, unsigned char));
int	 buf_puts_html(buf *, const char *);
/* The contents as a C string ("" when empty). */
const char *buf_cstr(const buf *);

#endif
