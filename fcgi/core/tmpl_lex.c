/* The compiler's first passes: lex (text pieces and tags, handling
 * delimiter changes) and match (pair open and close tags, report nesting
 * errors).  The whole compiler is described in tmpl_compile.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl_compile.h"


int
tmpl_cerr(struct compiler *c, uint32_t line, uint32_t col, const char *fmt, ...)
{
	char	 msg[256];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->err != NULL && c->errlen > 0)
		snprintf(c->err, c->errlen, "%s:%u:%u: %s", c->origin, line, col,
		    msg);
	return -1;
}

int
tmpl_oom(struct compiler *c)
{
	return tmpl_cerr(c, 1, 1, "out of memory");
}

/* Columns count characters, not bytes, so they match an editor. */
static void
position(struct compiler *c, size_t off, uint32_t *line, uint32_t *col)
{
	if (off < c->lc_pos) {
		c->lc_pos = 0;
		c->lc_line = c->lc_col = 1;
	}
	for (; c->lc_pos < off; c->lc_pos++) {
		unsigned char ch = (unsigned char)c->src[c->lc_pos];

		if (ch == '\n') {
			c->lc_line++;
			c->lc_col = 1;
		} else if ((ch & 0xc0) != 0x80)
			c->lc_col++;
	}
	*line = c->lc_line;
	*col = c->lc_col;
}

/* memmem is a GNU extension; delimiters are short, so memchr for the
 * first byte and a compare suffice. */
static const char *
find(const char *hay, size_t n, const char *needle, size_t m)
{
	const char	*p, *end = hay + n;

	if (m == 0 || m > n)
		return NULL;
	for (p = hay; (p = memchr(p, needle[0], (size_t)(end - p) - m + 1)) !=
	    NULL; p++)
		if (memcmp(p, needle, m) == 0)
			return p;
	return NULL;
}

static int
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' ||
	    ch == '\f' || ch == '\v';
}

static struct raw *
raw_new(struct compiler *c)
{
	struct raw	*r;
	size_t		 cap;

	if (c->n == c->cap) {
		cap = c->cap ? c->cap * 2 : 64;
		if (cap >= NONE || (r = realloc(c->r, cap * sizeof(*r))) == NULL)
			return NULL;
		c->r = r;
		c->cap = cap;
	}
	r = &c->r[c->n++];
	memset(r, 0, sizeof(*r));
	r->match = r->tokidx = NONE;
	return r;
}

struct lexstate {
	const char	*otag, *ctag;
	size_t		 olen, clen;
	uint32_t	 lineno;
	int		 bol;
};

/* Text is cut after each newline so that every line is its own run of
 * raws: the standalone rules look at whole lines. */
static int
lex_text(struct compiler *c, struct lexstate *ls, size_t a, size_t b)
{
	struct raw	*r;
	const char	*nl;
	size_t		 end;

	while (a < b) {
		nl = memchr(c->src + a, '\n', b - a);
		end = nl != NULL ? (size_t)(nl - c->src) + 1 : b;
		if ((r = raw_new(c)) == NULL)
			return tmpl_oom(c);
		r->off = a;
		r->len = end - a;
		r->bol = (uint8_t)ls->bol;
		r->lineno = ls->lineno;
		ls->bol = nl != NULL;
		if (nl != NULL)
			ls->lineno++;
		a = end;
	}
	return 0;
}

/* Finds the closing delimiter preceded by `mark` ('}' or '='), as in
 * "{{{name}}}" and "{{=<% %>=}}". */
static const char *
find_marked_close(const struct compiler *c, const struct lexstate *ls,
    size_t from, char mark)
{
	const char	*p, *end = c->src + c->len;
	size_t		 at = from;

	while (at < c->len &&
	    (p = find(c->src + at, (size_t)(end - (c->src + at)),
	    ls->ctag, ls->clen)) != NULL) {
		if ((size_t)(p - c->src) > from && p[-1] == mark)
			return p;
		at = (size_t)(p - c->src) + 1;
	}
	return NULL;
}

static int
set_delimiters(struct compiler *c, struct lexstate *ls, size_t a, size_t b,
    uint32_t line, uint32_t col)
{
	size_t	 o, olen, cl, clen;

	while (a < b && is_space(c->src[a]))
		a++;
	for (o = a; a < b && !is_space(c->src[a]); a++)
		;
	olen = a - o;
	while (a < b && is_space(c->src[a]))
		a++;
	for (cl = a; a < b && !is_space(c->src[a]); a++)
		;
	clen = a - cl;
	while (a < b && is_space(c->src[a]))
		a++;
	if (olen == 0 || clen == 0 || a != b)
		return tmpl_cerr(c, line, col, "invalid delimiter change: "
		    "expected two delimiters separated by a space");
	ls->otag = c->src + o;
	ls->olen = olen;
	ls->ctag = c->src + cl;
	ls->clen = clen;
	return 0;
}

/* Lexes the tag whose opening delimiter is at `start`; *next is set to
 * the offset just past it. */
static int
lex_tag(struct compiler *c, struct lexstate *ls, size_t start, size_t *next)
{
	static const char sigils[] = "#^/>!<$&{=";
	struct raw	*r;
	const char	*close;
	size_t		 q = start + ls->olen, a, b;
	uint32_t	 line, col;
	char		 kind = 'v';

	position(c, start, &line, &col);
	if (q < c->len && c->src[q] != '\0' && strchr(sigils, c->src[q])) {
		kind = c->src[q];
		q++;
	}
	if (kind == '{' || kind == '=') {
		close = find_marked_close(c, ls, q, kind == '{' ? '}' : '=');
		if (close == NULL)
			return tmpl_cerr(c, line, col, "unclosed tag");
		b = (size_t)(close - c->src) - 1;
	} else {
		close = q <= c->len ? find(c->src + q, c->len - q, ls->ctag,
		    ls->clen) : NULL;
		if (close == NULL)
			return tmpl_cerr(c, line, col, "unclosed tag");
		b = (size_t)(close - c->src);
	}
	*next = (size_t)(close - c->src) + ls->clen;
	a = q;
	if (kind == '=') {
		if (set_delimiters(c, ls, a, b, line, col) == -1)
			return -1;
	} else if (kind != '!') {
		while (a < b && is_space(c->src[a]))
			a++;
		while (b > a && is_space(c->src[b - 1]))
			b--;
		if (a == b)
			return tmpl_cerr(c, line, col, "empty tag");
		for (q = a; q < b; q++)
			if (is_space(c->src[q]))
				return tmpl_cerr(c, line, col,
				    "invalid tag name '%.*s'", (int)(b - a),
				    c->src + a);
	}
	if ((r = raw_new(c)) == NULL)
		return tmpl_oom(c);
	r->kind = kind;
	r->off = a;
	r->len = b - a;
	r->line = line;
	r->col = col;
	r->bol = (uint8_t)ls->bol;
	r->lineno = ls->lineno;
	ls->bol = 0;
	return 0;
}

int
tmpl_lex(struct compiler *c)
{
	struct lexstate	 ls = { "{{", "}}", 2, 2, 0, 1 };
	const char	*p;
	size_t		 pos = 0, at;

	while (pos < c->len) {
		p = find(c->src + pos, c->len - pos, ls.otag, ls.olen);
		at = p != NULL ? (size_t)(p - c->src) : c->len;
		if (lex_text(c, &ls, pos, at) == -1)
			return -1;
		if (p == NULL)
			break;
		if (lex_tag(c, &ls, at, &pos) == -1)
			return -1;
	}
	return 0;
}

int
tmpl_is_open(char kind)
{
	return kind == '#' || kind == '^' || kind == '<' || kind == '$';
}

static const char *
open_what(char kind)
{
	switch (kind) {
	case '<':
		return "parent";
	case '$':
		return "block";
	default:
		return "section";
	}
}

/* Pairs open and close tags and marks blocks passed to a parent. */
int
tmpl_match(struct compiler *c)
{
	uint32_t	*stack, depth = 0, i, o;
	struct raw	*r;
	int		 rc = 0;

	if ((stack = malloc((c->n + 1) * sizeof(*stack))) == NULL)
		return tmpl_oom(c);
	for (i = 0; i < c->n && rc == 0; i++) {
		r = &c->r[i];
		if (tmpl_is_open(r->kind)) {
			r->arg = r->kind == '$' && depth > 0 &&
			    c->r[stack[depth - 1]].kind == '<';
			stack[depth++] = i;
		} else if (r->kind == '/') {
			if (depth == 0) {
				rc = tmpl_cerr(c, r->line, r->col,
				    "closing tag '%.*s' without an open section",
				    (int)r->len, c->src + r->off);
				break;
			}
			o = stack[--depth];
			if (c->r[o].len != r->len || memcmp(c->src + r->off,
			    c->src + c->r[o].off, r->len) != 0) {
				rc = tmpl_cerr(c, r->line, r->col,
				    "closing tag '%.*s' does not match open "
				    "%s '%.*s' at %u:%u", (int)r->len,
				    c->src + r->off, open_what(c->r[o].kind),
				    (int)c->r[o].len, c->src + c->r[o].off,
				    c->r[o].line, c->r[o].col);
				break;
			}
			r->match = o;
			c->r[o].match = i;
		}
	}
	if (rc == 0 && depth > 0) {
		r = &c->r[stack[depth - 1]];
		rc = tmpl_cerr(c, r->line, r->col, "unclosed %s '%.*s'",
		    open_what(r->kind), (int)r->len, c->src + r->off);
	}
	free(stack);
	return rc;
}
