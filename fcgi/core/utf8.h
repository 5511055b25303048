/* UTF-8 validation: every name and value a request carries is checked
 * once at parse time, so later code can treat strings as text. */
#ifndef FC_UTF8_H
#define FC_UTF8_H

#include <stddef.h>

/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, no
 * code point above U+10FFFF) and contains no NUL byte. */
int	utf8_valid_text(const char *s, size_t n);

#endif
