/* Mustache engine.
 *
 * A template is compiled once into a flat token array: containers
 * (sections, parents, blocks) store the index just past their content,
 * so rendering is a loop over a slice with recursion only where the
 * data or another template demands it.  All whitespace rules of the
 * specification (standalone lines, indentation of partials, parents and
 * blocks) are resolved at compile time into three facts per token: does
 * it start a source line (TF_BOL), does its expansion indent, and by
 * which string.  Rendering then only has to write the indentation at
 * line starts while one is in force.
 *
 * Compilation runs in passes over "raw" tokens (text split at newlines,
 * and tags), because whether a tag is standalone depends on its whole
 * line, and block indentation on the lines that follow:
 *   lex      text pieces and tags, handling delimiter changes
 *   match    pair open and close tags, report nesting errors
 *   args     blocks passed to a parent: their own whitespace rules;
 *            everything else inside a parent is dropped; their tags
 *            then bound lines like the start and end of a file
 *   parents  a parent element alone on its line(s) is standalone
 *   params   the indentation a block in a parent template imposes on
 *            the content that overrides it
 *   lines    the classic standalone-line rule for one tag per line
 *   emit     the final token array and one pool of text
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "tmpl.h"

/* Bounds both the context stack and the nesting of expansions, so that
 * recursive partials or self-referencing blocks end with an error
 * instead of exhausting the C stack. */
#define TMPL_MAX_DEPTH	256
/* Depth alone does not bound the work: partials p1..p40 each using the
 * next one twice make 2^40 expansions.  A render visiting more tokens,
 * or writing more bytes, than this fails instead of hanging a worker.
 * Both sit far above any page (a 100-row table visits a few thousand
 * tokens) yet keep a runaway render within memory and a few seconds. */
#ifndef TMPL_MAX_STEPS
#define TMPL_MAX_STEPS	(1UL << 26)
#endif
#ifndef TMPL_MAX_OUTPUT
#define TMPL_MAX_OUTPUT	(256UL << 20)
#endif
#define TMPL_MAX_FILE	(16u * 1024 * 1024)
#define TMPL_MAX_DIRS	32
#define TMPL_PATH_MAX	4096
#define NONE		UINT32_MAX

enum tok_kind {
	TK_TEXT,
	TK_VAR,		/* escaped interpolation */
	TK_RAW,		/* unescaped interpolation */
	TK_SECTION,
	TK_INVERTED,
	TK_PARTIAL,
	TK_PARENT,
	TK_BLOCK,
};

enum tok_flag {
	TF_BOL = 1 << 0,	/* text starts a source line */
	TF_STANDALONE = 1 << 1,	/* expansion indents by `ind` */
	TF_FIRSTLINE = 1 << 2,	/* block: the first line is indented too */
};

struct tok {
	uint8_t		 kind;
	uint8_t		 flags;
	uint16_t	 nseg;		/* 0 with seg == NULL: "." */
	uint32_t	 end;		/* index just past the content */
	uint32_t	 line, col;	/* of the tag, for tmpl_set_check */
	const char	*str;		/* text, or partial/parent/block name */
	size_t		 len;
	const char	*ind;		/* indentation this expansion adds */
	size_t		 indlen;
	const char *const *seg;		/* dotted name, split at compile time */
	const size_t	*seglen;	/* their lengths: no strlen per lookup */
};

struct tmpl {
	const char	*name;
	const char	*origin;	/* file name or name, for messages */
	struct tok	*toks;
	uint32_t	 ntoks;
};

struct tmpl_set {
	int		 flags;
	arena		*mem;		/* every template's memory */
	struct tmpl	**v;		/* in insertion order */
	size_t		 n, cap;
	uint32_t	*slots;		/* open addressing: index + 1, 0 empty */
	size_t		 nslots;
};

static void	seterr(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* --- the set's name table ------------------------------------------------ */

static uint64_t
name_hash(const char *s)
{
	uint64_t	 h = 1469598103934665603ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static const struct tmpl *
set_find(const tmpl_set *s, const char *name)
{
	size_t		 i, mask;
	uint32_t	 slot;

	if (s->nslots == 0)
		return NULL;
	mask = s->nslots - 1;
	for (i = name_hash(name) & mask; (slot = s->slots[i]) != 0;
	    i = (i + 1) & mask)
		if (strcmp(s->v[slot - 1]->name, name) == 0)
			return s->v[slot - 1];
	return NULL;
}

static void
slots_put(uint32_t *slots, size_t nslots, const char *name, uint32_t idx)
{
	size_t	 i, mask = nslots - 1;

	for (i = name_hash(name) & mask; slots[i] != 0; i = (i + 1) & mask)
		;
	slots[i] = idx + 1;
}

/* Keeps the table at most half full so probes stay short. */
static int
set_insert(tmpl_set *s, struct tmpl *t)
{
	struct tmpl	**v;
	uint32_t	 *slots;
	size_t		  cap, nslots, i;

	if (s->n >= UINT32_MAX - 1)
		return -1;
	if (s->n == s->cap) {
		cap = s->cap ? s->cap * 2 : 16;
		if ((v = realloc(s->v, cap * sizeof(*v))) == NULL)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	if ((s->n + 1) * 2 > s->nslots) {
		nslots = s->nslots ? s->nslots * 2 : 32;
		if ((slots = calloc(nslots, sizeof(*slots))) == NULL)
			return -1;
		for (i = 0; i < s->n; i++)
			slots_put(slots, nslots, s->v[i]->name, (uint32_t)i);
		free(s->slots);
		s->slots = slots;
		s->nslots = nslots;
	}
	s->v[s->n] = t;
	slots_put(s->slots, s->nslots, t->name, (uint32_t)s->n);
	s->n++;
	return 0;
}

/* --- compilation --------------------------------------------------------- */

struct raw {
	size_t		 off, len;	/* text: the slice kept; tag: its name */
	size_t		 ind_off, ind_len; /* indentation found for the tag */
	uint32_t	 line, col;
	uint32_t	 lineno;	/* logical line: multi-line tags join */
	uint32_t	 match;		/* the other tag of a pair */
	uint32_t	 tokidx;	/* open tags: their token */
	char		 kind;		/* 0 text, 'v' variable, else sigil */
	uint8_t		 bol;		/* starts a (source or block) line */
	uint8_t		 drop;		/* produces nothing */
	uint8_t		 standalone;	/* alone on its line */
	uint8_t		 pair;		/* parent/block element standalone */
	uint8_t		 firstline;	/* block: its tag line is removed */
	uint8_t		 arg;		/* block passed to a parent */
};

struct compiler {
	tmpl_set	*set;
	const char	*src;
	size_t		 len;
	const char	*origin;
	char		*err;
	size_t		 errlen;
	struct raw	*r;
	size_t		 n, cap;
	/* line and column of lc_pos, advanced monotonically */
	size_t		 lc_pos;
	uint32_t	 lc_line, lc_col;
	/* output */
	struct tok	*t;
	size_t		 nt, tcap;
	buf		 pool;
	uint32_t	 last_text;	/* text token later text may extend */
};

static int	cerr(struct compiler *, uint32_t, uint32_t, const char *, ...)
		    __attribute__((format(printf, 4, 5)));

static int
cerr(struct compiler *c, uint32_t line, uint32_t col, const char *fmt, ...)
{
	char	 msg[256];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	seterr(c->err, c->errlen, "%s:%u:%u: %s", c->origin, line, col, msg);
	return -1;
}

static int
oom(struct compiler *c)
{
	return cerr(c, 1, 1, "out of memory");
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
			return oom(c);
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
		return cerr(c, line, col, "invalid delimiter change: "
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
			return cerr(c, line, col, "unclosed tag");
		b = (size_t)(close - c->src) - 1;
	} else {
		close = q <= c->len ? find(c->src + q, c->len - q, ls->ctag,
		    ls->clen) : NULL;
		if (close == NULL)
			return cerr(c, line, col, "unclosed tag");
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
			return cerr(c, line, col, "empty tag");
		for (q = a; q < b; q++)
			if (is_space(c->src[q]))
				return cerr(c, line, col,
				    "invalid tag name '%.*s'", (int)(b - a),
				    c->src + a);
	}
	if ((r = raw_new(c)) == NULL)
		return oom(c);
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

static int
lex(struct compiler *c)
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

static int
is_open(char kind)
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
static int
match(struct compiler *c)
{
	uint32_t	*stack, depth = 0, i, o;
	struct raw	*r;
	int		 rc = 0;

	if ((stack = malloc((c->n + 1) * sizeof(*stack))) == NULL)
		return oom(c);
	for (i = 0; i < c->n && rc == 0; i++) {
		r = &c->r[i];
		if (is_open(r->kind)) {
			r->arg = r->kind == '$' && depth > 0 &&
			    c->r[stack[depth - 1]].kind == '<';
			stack[depth++] = i;
		} else if (r->kind == '/') {
			if (depth == 0) {
				rc = cerr(c, r->line, r->col,
				    "closing tag '%.*s' without an open section",
				    (int)r->len, c->src + r->off);
				break;
			}
			o = stack[--depth];
			if (c->r[o].len != r->len || memcmp(c->src + r->off,
			    c->src + c->r[o].off, r->len) != 0) {
				rc = cerr(c, r->line, r->col,
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
		rc = cerr(c, r->line, r->col, "unclosed %s '%.*s'",
		    open_what(r->kind), (int)r->len, c->src + r->off);
	}
	free(stack);
	return rc;
}

/* --- whitespace rules ----------------------------------------------------- */

static size_t
lead_ws(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	return i;
}

/* [ \t]* optionally followed by \r?\n: blank as far as lines go. */
static int
blank_text(const struct compiler *c, const struct raw *r)
{
	const char	*s = c->src + r->off;
	size_t		 i = lead_ws(s, r->len);

	if (i == r->len)
		return 1;
	if (s[i] == '\r')
		i++;
	return i + 1 == r->len && s[i] == '\n';
}

static int
ends_line(const struct compiler *c, const struct raw *r)
{
	return r->kind == 0 && r->len > 0 && c->src[r->off + r->len - 1] == '\n';
}

/* Nothing but blanks (or dropped raws) before raw i on its line. */
static int
clear_before(const struct compiler *c, uint32_t i)
{
	const struct raw	*r;
	uint32_t		 j;

	for (j = i; j-- > 0 && c->r[j].lineno == c->r[i].lineno;) {
		r = &c->r[j];
		if (!r->drop && (r->kind != 0 || !blank_text(c, r)))
			return 0;
	}
	return 1;
}

/* Nothing but blanks (or dropped raws) after raw i on its line. */
static int
clear_after(const struct compiler *c, uint32_t i)
{
	const struct raw	*r;
	uint32_t		 j;

	for (j = i + 1; j < c->n && c->r[j].lineno == c->r[i].lineno; j++) {
		r = &c->r[j];
		if (!r->drop && (r->kind != 0 || !blank_text(c, r)))
			return 0;
	}
	return 1;
}

static void
drop_texts_before(struct compiler *c, uint32_t i)
{
	uint32_t	 j;

	for (j = i; j-- > 0 && c->r[j].lineno == c->r[i].lineno;)
		if (c->r[j].kind == 0)
			c->r[j].drop = 1;
}

static void
drop_texts_after(struct compiler *c, uint32_t i)
{
	uint32_t	 j;

	for (j = i + 1; j < c->n && c->r[j].lineno == c->r[i].lineno; j++)
		if (c->r[j].kind == 0)
			c->r[j].drop = 1;
}

static void
drop_line_texts(struct compiler *c, uint32_t i)
{
	drop_texts_before(c, i);
	drop_texts_after(c, i);
}

/* The blank text just before raw i on its line, as indentation. */
static void
take_indent(struct compiler *c, uint32_t i)
{
	struct raw	*r = &c->r[i], *p;

	if (i == 0)
		return;
	p = &c->r[i - 1];
	if (p->kind == 0 && !p->drop && p->lineno == r->lineno) {
		r->ind_off = p->off;
		r->ind_len = lead_ws(c->src + p->off, p->len);
	}
}

/* Index of the first raw on the line after raw i's, or c->n. */
static uint32_t
next_line(const struct compiler *c, uint32_t i)
{
	uint32_t	 j;

	for (j = i + 1; j < c->n && c->r[j].lineno == c->r[i].lineno; j++)
		;
	return j;
}

/*
 * A block passed to a parent is an inline template of its own: a newline
 * right after its open tag belongs to the tag, the blanks before its close
 * tag to nothing, and the indentation of its first line ("intrinsic") is
 * removed from every line, because the parent decides the indentation
 * where the block lands.
 */
static void
arg_block(struct compiler *c, uint32_t a)
{
	uint32_t	 e = c->r[a].match, j, k = a + 1;
	size_t		 ilen = 0;
	const char	*ind = NULL;
	struct raw	*r;

	if (k < e && c->r[k].kind == 0 && c->r[k].lineno == c->r[a].lineno &&
	    ends_line(c, &c->r[k]) && blank_text(c, &c->r[k])) {
		c->r[k].drop = 1;
		k++;
		if (k < e && c->r[k].kind == 0) {
			ind = c->src + c->r[k].off;
			ilen = lead_ws(ind, c->r[k].len);
		}
	}
	for (j = k; ilen > 0 && j < e; j++) {
		r = &c->r[j];
		if (r->kind == 0 && r->bol && !r->drop && r->len >= ilen &&
		    memcmp(c->src + r->off, ind, ilen) == 0) {
			r->off += ilen;
			r->len -= ilen;
		}
	}
	j = e - 1;
	if (j >= k && c->r[j].kind == 0 && c->r[j].bol &&
	    c->r[j].lineno == c->r[e].lineno && blank_text(c, &c->r[j]))
		c->r[j].drop = 1;
	if (k < e)
		c->r[k].bol = 1;	/* the block's own first line */
}

/* Inside a parent only the blocks it passes count; the rest is dropped. */
static void
parent_args(struct compiler *c)
{
	uint32_t	 i, j, last;

	for (i = 0; i < c->n; i++) {
		if (c->r[i].kind != '<' || c->r[i].drop)
			continue;
		for (j = i + 1; j < c->r[i].match; j = last + 1) {
			last = is_open(c->r[j].kind) ? c->r[j].match : j;
			if (c->r[j].kind == '$') {
				arg_block(c, j);
				continue;
			}
			for (; j <= last; j++)
				c->r[j].drop = 1;
			j = last;
		}
	}
}

/* A block passed to a parent is a template of its own, so its open tag
 * ends a line and its close tag starts one: "{{/rows}}{{/body}}" leaves
 * {{/rows}} alone on the block's last line.  Renumbering once the
 * blocks are trimmed lets the later passes see those lines. */
static void
block_lines(struct compiler *c)
{
	struct raw	*r;
	uint32_t	 i, line = 0;

	for (i = 0; i < c->n; i++) {
		r = &c->r[i];
		if (r->kind == '/' && c->r[r->match].arg)
			line++;
		r->lineno = line;
		if (ends_line(c, r) || (r->kind == '$' && r->arg))
			line++;
	}
}

/* A parent element with only blanks before its open tag and after its
 * close tag is standalone: it behaves like a standalone partial. */
static void
parent_lines(struct compiler *c)
{
	uint32_t	 i, q;

	for (i = 0; i < c->n; i++) {
		if (c->r[i].kind != '<' || c->r[i].drop)
			continue;
		q = c->r[i].match;
		if (!clear_before(c, i) || !clear_after(c, q))
			continue;
		c->r[i].pair = 1;
		take_indent(c, i);
		drop_texts_before(c, i);
		drop_texts_after(c, q);
	}
}

/*
 * A block in a parent template whose element stands alone decides the
 * indentation of whatever overrides it: the intrinsic indentation of its
 * default content when its open tag ends a line, otherwise the blanks
 * before the open tag (which then stay in the output for the first line).
 */
static void
param_blocks(struct compiler *c)
{
	uint32_t	 i, k;
	struct raw	*r;

	for (i = 0; i < c->n; i++) {
		r = &c->r[i];
		if (r->kind != '$' || r->arg || r->drop)
			continue;
		if (!clear_before(c, i) || !clear_after(c, r->match))
			continue;
		r->pair = 1;
		if (clear_after(c, i)) {
			r->firstline = 1;
			k = next_line(c, i);
			if (k < c->n && c->r[k].kind == 0 && !c->r[k].drop) {
				r->ind_off = c->r[k].off;
				r->ind_len = lead_ws(c->src + c->r[k].off,
				    c->r[k].len);
			}
		} else
			take_indent(c, i);
	}
}

static int
standalone_kind(const struct compiler *c, const struct raw *r)
{
	const struct raw	*o;

	switch (r->kind) {
	case '#': case '^': case '!': case '=': case '>':
		return 1;
	case '$':
		return !r->arg;
	case '/':
		o = &c->r[r->match];
		return o->kind != '<' && !o->arg;
	default:
		return 0;
	}
}

/* The classic rule: a line holding one non-interpolation tag and blanks
 * disappears, and a partial there is indented by those blanks. */
static void
standalone_lines(struct compiler *c)
{
	uint32_t	 a, b, j, tag, ntags;
	int		 blank;

	for (a = 0; a < c->n; a = b) {
		b = next_line(c, a);
		ntags = 0;
		tag = NONE;
		blank = 1;
		for (j = a; j < b; j++) {
			if (c->r[j].drop)
				continue;
			if (c->r[j].kind == 0)
				blank = blank && blank_text(c, &c->r[j]);
			else {
				ntags++;
				tag = j;
			}
		}
		if (ntags != 1 || !blank || !standalone_kind(c, &c->r[tag]))
			continue;
		c->r[tag].standalone = 1;
		if (c->r[tag].kind == '>')
			take_indent(c, tag);
		drop_line_texts(c, tag);
	}
}

/* --- emitting tokens ------------------------------------------------------ */

static struct tok *
tok_new(struct compiler *c, int kind, const struct raw *r)
{
	struct tok	*t;
	size_t		 cap;

	if (c->nt == c->tcap) {
		cap = c->tcap ? c->tcap * 2 : 64;
		if (cap >= NONE || (t = realloc(c->t, cap * sizeof(*t))) == NULL)
			return NULL;
		c->t = t;
		c->tcap = cap;
	}
	t = &c->t[c->nt];
	memset(t, 0, sizeof(*t));
	t->kind = (uint8_t)kind;
	t->end = (uint32_t)c->nt + 1;
	if (r != NULL) {
		t->line = r->line;
		t->col = r->col;
	}
	c->nt++;
	c->last_text = NONE;
	return t;
}

/* Text runs merge into one token, except that a line start after text
 * not ending a line needs its own token to carry TF_BOL. */
static int
emit_text(struct compiler *c, size_t off, size_t len, int bol)
{
	struct tok	*t;

	if (c->last_text != NONE) {
		t = &c->t[c->last_text];
		if (!bol || (t->len > 0 &&
		    c->pool.data[c->pool.len - 1] == '\n')) {
			if (buf_append(&c->pool, c->src + off, len) == -1)
				return oom(c);
			t->len += len;
			return 0;
		}
	}
	if ((t = tok_new(c, TK_TEXT, NULL)) == NULL ||
	    buf_append(&c->pool, c->src + off, len) == -1)
		return oom(c);
	t->flags = bol ? TF_BOL : 0;
	t->len = len;
	c->last_text = (uint32_t)(c->nt - 1);
	return 0;
}

/* A tag at a line start that is not standalone still has indentation
 * written before it: an empty text token marks the spot. */
static int
mark_bol(struct compiler *c, const struct raw *r)
{
	struct tok	*t;

	if (!r->bol)
		return 0;
	if ((t = tok_new(c, TK_TEXT, NULL)) == NULL)
		return oom(c);
	t->flags = TF_BOL;
	c->last_text = (uint32_t)(c->nt - 1);
	return 0;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t	 n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static int
split_name(struct compiler *c, const struct raw *r, struct tok *t)
{
	arena		*mem = c->set->mem;
	const char	*s = c->src + r->off, *dot;
	const char	**seg;
	size_t		*seglen;
	size_t		 nseg = 1, i, at, n;

	if (r->len == 1 && s[0] == '.')
		return 0;
	for (i = 0; i < r->len; i++)
		nseg += s[i] == '.';
	if (nseg > UINT16_MAX)
		return cerr(c, r->line, r->col, "name too long");
	if ((seg = arena_calloc(mem, nseg, sizeof(*seg))) == NULL ||
	    (seglen = arena_calloc(mem, nseg, sizeof(*seglen))) == NULL)
		return oom(c);
	for (at = 0, i = 0; i < nseg; i++) {
		dot = memchr(s + at, '.', r->len - at);
		n = dot != NULL ? (size_t)(dot - (s + at)) : r->len - at;
		if (n == 0)
			return cerr(c, r->line, r->col, "invalid name '%.*s'",
			    (int)r->len, s);
		if ((seg[i] = arena_strndup(mem, s + at, n)) == NULL)
			return oom(c);
		seglen[i] = n;
		at += n + 1;
	}
	t->seg = seg;
	t->seglen = seglen;
	t->nseg = (uint16_t)nseg;
	return 0;
}

static int
emit_var(struct compiler *c, const struct raw *r)
{
	struct tok	*t;
	int		 raw = r->kind == '&' || r->kind == '{';

	if (mark_bol(c, r) == -1)
		return -1;
	if ((t = tok_new(c, raw ? TK_RAW : TK_VAR, r)) == NULL)
		return oom(c);
	if (split_name(c, r, t) == -1)
		return -1;
	/* Trusted HTML is marked by its name, never by the tag alone. */
	if (raw && (c->set->flags & TMPL_TRUSTED_RAW_ONLY) &&
	    (t->nseg == 0 || !ends_with(t->seg[t->nseg - 1], "_html")))
		t->kind = TK_VAR;
	return 0;
}

static int
emit_named(struct compiler *c, struct raw *r, int kind)
{
	struct tok	*t;

	if ((t = tok_new(c, kind, r)) == NULL ||
	    (t->str = arena_strndup(c->set->mem, c->src + r->off,
	    r->len)) == NULL)
		return oom(c);
	t->len = r->len;
	if (r->ind_len > 0 && (t->ind = arena_strndup(c->set->mem,
	    c->src + r->ind_off, r->ind_len)) == NULL)
		return oom(c);
	t->indlen = r->ind_len;
	return 0;
}

static int
emit_open(struct compiler *c, struct raw *r)
{
	struct tok	*t;
	int		 rc;

	switch (r->kind) {
	case '#': case '^':
		if (!r->standalone && mark_bol(c, r) == -1)
			return -1;
		if ((t = tok_new(c, r->kind == '#' ? TK_SECTION : TK_INVERTED,
		    r)) == NULL)
			return oom(c);
		rc = split_name(c, r, t);
		break;
	case '<':
		if (!r->pair && mark_bol(c, r) == -1)
			return -1;
		if ((rc = emit_named(c, r, TK_PARENT)) == 0 && r->pair)
			c->t[c->nt - 1].flags |= TF_STANDALONE;
		break;
	default:	/* '$' */
		if (!r->arg && !r->standalone && mark_bol(c, r) == -1)
			return -1;
		if ((rc = emit_named(c, r, TK_BLOCK)) == 0) {
			t = &c->t[c->nt - 1];
			t->flags |= r->pair ? TF_STANDALONE : 0;
			t->flags |= r->firstline ? TF_FIRSTLINE : 0;
		}
		break;
	}
	r->tokidx = (uint32_t)(c->nt - 1);
	return rc;
}

static int
emit_close(struct compiler *c, const struct raw *r)
{
	const struct raw	*o = &c->r[r->match];

	if (o->kind != '<' && !o->arg && !r->standalone &&
	    mark_bol(c, r) == -1)
		return -1;
	c->t[o->tokidx].end = (uint32_t)c->nt;
	c->last_text = NONE;
	return 0;
}

static int
emit_raw(struct compiler *c, struct raw *r)
{
	switch (r->kind) {
	case 0:
		return r->len > 0 ? emit_text(c, r->off, r->len, r->bol) : 0;
	case 'v': case '&': case '{':
		return emit_var(c, r);
	case '#': case '^': case '<': case '$':
		return emit_open(c, r);
	case '/':
		return emit_close(c, r);
	case '>':
		if (!r->standalone && mark_bol(c, r) == -1)
			return -1;
		if (emit_named(c, r, TK_PARTIAL) == -1)
			return -1;
		if (r->standalone)
			c->t[c->nt - 1].flags |= TF_STANDALONE;
		return 0;
	default:	/* comments and delimiter changes */
		return r->standalone ? 0 : mark_bol(c, r);
	}
}

static int
emit(struct compiler *c)
{
	uint32_t	 i;

	c->last_text = NONE;
	for (i = 0; i < c->n; i++)
		if (!c->r[i].drop && emit_raw(c, &c->r[i]) == -1)
			return -1;
	return 0;
}

/* Copies tokens and text into the set's arena; text tokens take their
 * bytes from the pool in order. */
static struct tmpl *
finish(struct compiler *c, const char *name, const char *origin)
{
	arena		*mem = c->set->mem;
	struct tmpl	*t;
	char		*pool = NULL;
	size_t		 i, at = 0;

	if ((t = arena_calloc(mem, 1, sizeof(*t))) == NULL ||
	    (t->name = arena_strdup(mem, name)) == NULL ||
	    (t->origin = arena_strdup(mem, origin)) == NULL ||
	    (t->toks = arena_calloc(mem, c->nt ? c->nt : 1,
	    sizeof(*t->toks))) == NULL ||
	    (pool = arena_alloc(mem, c->pool.len + 1)) == NULL) {
		oom(c);
		return NULL;
	}
	if (c->pool.len > 0)
		memcpy(pool, c->pool.data, c->pool.len);
	for (i = 0; i < c->nt; i++) {
		t->toks[i] = c->t[i];
		if (c->t[i].kind == TK_TEXT) {
			t->toks[i].str = pool + at;
			at += c->t[i].len;
		}
	}
	t->ntoks = (uint32_t)c->nt;
	return t;
}

static struct tmpl *
compile(tmpl_set *s, const char *name, const char *origin, const char *src,
    size_t len, char *err, size_t errlen)
{
	struct compiler	 c;
	struct tmpl	*t = NULL;

	memset(&c, 0, sizeof(c));
	c.set = s;
	c.src = src;
	c.len = len;
	c.origin = origin;
	c.err = err;
	c.errlen = errlen;
	c.lc_line = c.lc_col = 1;
	buf_init(&c.pool);
	if (len >= NONE / 2)
		cerr(&c, 1, 1, "template too large");
	else if (lex(&c) == 0 && match(&c) == 0) {
		parent_args(&c);
		block_lines(&c);
		parent_lines(&c);
		param_blocks(&c);
		standalone_lines(&c);
		if (emit(&c) == 0)
			t = finish(&c, name, origin);
	}
	free(c.r);
	free(c.t);
	buf_free(&c.pool);
	return t;
}

/* --- the set --------------------------------------------------------------- */

tmpl_set *
tmpl_set_new(int flags)
{
	tmpl_set	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->mem = arena_new()) == NULL) {
		free(s);
		return NULL;
	}
	s->flags = flags;
	return s;
}

void
tmpl_set_free(tmpl_set *s)
{
	if (s == NULL)
		return;
	arena_free(s->mem);
	free(s->v);
	free(s->slots);
	free(s);
}

static int
set_add(tmpl_set *s, const char *name, const char *origin, const char *src,
    size_t len, char *err, size_t errlen)
{
	struct tmpl	*t;

	if (name == NULL || *name == '\0') {
		seterr(err, errlen, "%s:1:1: empty template name", origin);
		return -1;
	}
	if (set_find(s, name) != NULL) {
		seterr(err, errlen, "%s:1:1: duplicate template '%s'", origin,
		    name);
		return -1;
	}
	if ((t = compile(s, name, origin, src != NULL ? src : "",
	    src != NULL ? len : 0, err, errlen)) == NULL)
		return -1;
	if (set_insert(s, t) == -1) {
		seterr(err, errlen, "%s:1:1: out of memory", origin);
		return -1;
	}
	return 0;
}

int
tmpl_set_add(tmpl_set *s, const char *name, const char *src, size_t len,
    char *err, size_t errlen)
{
	if (s == NULL) {
		seterr(err, errlen, "no template set");
		return -1;
	}
	return set_add(s, name, name != NULL ? name : "", src, len, err,
	    errlen);
}

int
tmpl_set_check(const tmpl_set *s, char *err, size_t errlen)
{
	const struct tmpl	*t;
	const struct tok	*k;
	size_t			 i, j;

	if (s == NULL || !(s->flags & TMPL_STRICT_PARTIALS))
		return 0;
	for (i = 0; i < s->n; i++) {
		t = s->v[i];
		for (j = 0; j < t->ntoks; j++) {
			k = &t->toks[j];
			if ((k->kind != TK_PARTIAL && k->kind != TK_PARENT) ||
			    set_find(s, k->str) != NULL)
				continue;
			seterr(err, errlen, "%s:%u:%u: unknown %s '%s'",
			    t->origin, k->line, k->col,
			    k->kind == TK_PARTIAL ? "partial" : "parent",
			    k->str);
			return -1;
		}
	}
	return 0;
}

int
tmpl_set_has(const tmpl_set *s, const char *name)
{
	return s != NULL && name != NULL && set_find(s, name) != NULL;
}

size_t
tmpl_set_count(const tmpl_set *s)
{
	return s != NULL ? s->n : 0;
}

const char *
tmpl_set_name(const tmpl_set *s, size_t i)
{
	return s != NULL && i < s->n ? s->v[i]->name : NULL;
}

/* --- loading a folder ------------------------------------------------------ */

static int
read_file(const char *path, const char *rel, char **out, size_t *outlen,
    char *err, size_t errlen)
{
	struct stat	 st;
	FILE		*f;
	char		*data;
	size_t		 n;

	if ((f = fopen(path, "rb")) == NULL) {
		seterr(err, errlen, "%s: %s", rel, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) == -1 || st.st_size < 0 ||
	    (uintmax_t)st.st_size > TMPL_MAX_FILE) {
		seterr(err, errlen, "%s: unreadable or too large", rel);
		fclose(f);
		return -1;
	}
	if ((data = malloc((size_t)st.st_size + 1)) == NULL) {
		seterr(err, errlen, "%s: out of memory", rel);
		fclose(f);
		return -1;
	}
	n = fread(data, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		seterr(err, errlen, "%s: read error", rel);
		free(data);
		fclose(f);
		return -1;
	}
	fclose(f);
	data[n] = '\0';
	*out = data;
	*outlen = n;
	return 0;
}

static int
load_file(tmpl_set *s, const char *path, const char *rel, char *err,
    size_t errlen)
{
	char	*data, *name;
	size_t	 len;
	int	 rc;

	if (read_file(path, rel, &data, &len, err, errlen) == -1)
		return -1;
	if ((name = strdup(rel)) == NULL) {
		free(data);
		seterr(err, errlen, "%s: out of memory", rel);
		return -1;
	}
	name[strlen(name) - strlen(".mustache")] = '\0';
	rc = set_add(s, name, rel, data, len, err, errlen);
	free(name);
	free(data);
	return rc;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of one directory, sorted so loading is deterministic;
 * hidden entries are skipped. */
static int
list_dir(const char *path, char ***out, size_t *count, char *err,
    size_t errlen)
{
	DIR		 *d;
	struct dirent	 *de;
	char		**v = NULL, **nv;
	size_t		  n = 0, cap = 0;

	if ((d = opendir(path)) == NULL) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				goto nomem;
			v = nv;
		}
		if ((v[n] = strdup(de->d_name)) == NULL)
			goto nomem;
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof(*v), cmp_names);
	*out = v;
	*count = n;
	return 0;
nomem:
	closedir(d);
	while (n > 0)
		free(v[--n]);
	free(v);
	seterr(err, errlen, "%s: out of memory", path);
	return -1;
}

static int
walk(tmpl_set *s, const char *root, const char *rel, int depth, char *err,
    size_t errlen)
{
	char		 path[TMPL_PATH_MAX], child[TMPL_PATH_MAX];
	char		 full[TMPL_PATH_MAX];
	struct stat	 st;
	char		**names;
	size_t		  n, i;
	int		  rc = 0, w;

	if (depth > TMPL_MAX_DIRS) {
		seterr(err, errlen, "%s: folders nested too deep", rel);
		return -1;
	}
	w = *rel ? snprintf(path, sizeof(path), "%s/%s", root, rel) :
	    snprintf(path, sizeof(path), "%s", root);
	if (w < 0 || (size_t)w >= sizeof(path)) {
		seterr(err, errlen, "%s: path too long", rel);
		return -1;
	}
	if (list_dir(path, &names, &n, err, errlen) == -1)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		w = *rel ? snprintf(child, sizeof(child), "%s/%s", rel,
		    names[i]) : snprintf(child, sizeof(child), "%s", names[i]);
		if (w < 0 || (size_t)w >= sizeof(child) ||
		    (w = snprintf(full, sizeof(full), "%s/%s", path,
		    names[i])) < 0 || (size_t)w >= sizeof(full)) {
			seterr(err, errlen, "%s: path too long", names[i]);
			rc = -1;
		} else if (stat(full, &st) == -1) {
			seterr(err, errlen, "%s: %s", child, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode))
			rc = walk(s, root, child, depth + 1, err, errlen);
		else if (S_ISREG(st.st_mode) &&
		    strlen(names[i]) > strlen(".mustache") &&
		    ends_with(names[i], ".mustache"))
			rc = load_file(s, full, child, err, errlen);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

tmpl_set *
tmpl_set_load_dir(const char *dir, int flags, char *err, size_t errlen)
{
	tmpl_set	*s;

	if ((s = tmpl_set_new(flags)) == NULL) {
		seterr(err, errlen, "%s: out of memory", dir);
		return NULL;
	}
	if (walk(s, dir, "", 0, err, errlen) == -1 ||
	    tmpl_set_check(s, err, errlen) == -1) {
		tmpl_set_free(s);
		return NULL;
	}
	return s;
}

/* --- rendering ------------------------------------------------------------ */

/* Indentation in force: a chain from the innermost expansion outwards,
 * living on the C stack of the render calls. */
struct indent {
	const struct indent	*up;
	const char		*s;
	size_t			 n;
};

/* Blocks passed by the parent tags being expanded, innermost first. */
struct env {
	const struct env	*up;
	const struct tmpl	*t;
	uint32_t		 first, end;
};

struct render {
	const tmpl_set	*set;
	buf		*out;
	json_t		*ctx[TMPL_MAX_DEPTH];
	size_t		 nctx;
	unsigned	 depth;
	/* An override landing after literal indentation must not indent
	 * its first output line again: that line start is at skip_at. */
	int		 skip_armed;
	size_t		 skip_at;
	size_t		 mark;		/* out->len when the render began */
	unsigned long	 steps;		/* tokens visited */
	char		*err;
	size_t		 errlen;
};

static int	render_range(struct render *, const struct tmpl *, uint32_t,
		    uint32_t, const struct indent *, const struct env *);

static void
put_indent(buf *out, const struct indent *in)
{
	if (in == NULL)
		return;
	put_indent(out, in->up);
	if (in->n > 0)
		buf_append(out, in->s, in->n);
}

static void
put_text(struct render *st, const struct tok *k, const struct indent *in)
{
	const char	*p = k->str, *nl;
	size_t		 rest = k->len, n;

	if (in == NULL) {
		buf_append(st->out, p, rest);
		return;
	}
	if ((k->flags & TF_BOL) &&
	    !(st->skip_armed && st->out->len == st->skip_at))
		put_indent(st->out, in);
	while ((nl = memchr(p, '\n', rest)) != NULL) {
		n = (size_t)(nl - p) + 1;
		buf_append(st->out, p, n);
		p += n;
		rest -= n;
		if (rest > 0)
			put_indent(st->out, in);
	}
	buf_append(st->out, p, rest);
}

/* A member of an object, or (an extension the specification leaves open,
 * as mustache.js has it) an element of a list by its index: "rows.0" is
 * the first row, so {{#rows.0}} reads "the list is not empty". */
static json_t *
child(json_t *v, const char *seg, size_t len)
{
	size_t	i, n = 0;

	if (json_is_object(v))
		return json_object_getn(v, seg, len);
	if (!json_is_array(v) || *seg == '\0')
		return NULL;
	for (i = 0; seg[i] != '\0'; i++) {
		if (seg[i] < '0' || seg[i] > '9' || i > 8)
			return NULL;
		n = n * 10 + (size_t)(seg[i] - '0');
	}
	return json_array_get(v, n);
}

/* The first segment is looked up down the context stack; the rest only
 * inside what it found (a broken chain is a miss, never a fallback). */
static json_t *
lookup(const struct render *st, const struct tok *k)
{
	json_t	*v = NULL;
	size_t	 i;

	if (k->nseg == 0)
		return st->nctx > 0 ? st->ctx[st->nctx - 1] : NULL;
	for (i = st->nctx; i-- > 0;)
		if (json_is_object(st->ctx[i]) &&
		    (v = json_object_getn(st->ctx[i], k->seg[0],
		    k->seglen[0])) != NULL)
			break;
	for (i = 1; v != NULL && i < k->nseg; i++)
		v = child(v, k->seg[i], k->seglen[i]);
	return v;
}

/* JavaScript truthiness, as the specification's "!!data" suggests:
 * false, null, "", 0 and [] are false; {} is true. */
static int
falsey(const json_t *v)
{
	switch (v != NULL ? json_typeof(v) : JSON_NULL) {
	case JSON_NULL:
	case JSON_FALSE:
		return 1;
	case JSON_STRING:
		return json_string_length(v) == 0;
	case JSON_INTEGER:
		return json_integer_value(v) == 0;
	case JSON_REAL:
		return json_real_value(v) == 0.0;
	case JSON_ARRAY:
		return json_array_size(v) == 0;
	default:
		return 0;
	}
}

/* The shortest decimal that reads back as the same double; whole
 * numbers of a sane size without exponent ("100", not "1e+02"). */
static void
put_real(buf *out, double d)
{
	char	 s[32];
	int	 prec, n = 0;

	/* The range test comes first: it keeps the cast defined. */
	if (d > -1e17 && d < 1e17 && d == (double)(long long)d) {
		n = snprintf(s, sizeof(s), "%.0f", d == 0.0 ? 0.0 : d);
		if (n > 0 && (size_t)n < sizeof(s))
			buf_append(out, s, (size_t)n);
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		n = snprintf(s, sizeof(s), "%.*g", prec, d);
		if (strtod(s, NULL) == d)
			break;
	}
	if (n > 0 && (size_t)n < sizeof(s))
		buf_append(out, s, (size_t)n);
}

/* HTML escaping of an interpolated string, the engine's hottest path
 * (a third of a list page's time): strcspn, vectorised in the C library,
 * finds the next byte needing an entity and the run before it is copied
 * whole.  Same entities as buf_append_html.  A string may hold NUL bytes
 * (JSON "\u0000"), where strcspn stops: they are copied as they are. */
static void
html_entity(buf *out, unsigned char c)
{
	const char	*ent;

	switch (c) {
	case '&': ent = "&amp;"; break;
	case '<': ent = "&lt;"; break;
	case '>': ent = "&gt;"; break;
	case '"': ent = "&quot;"; break;
	case '\'': ent = "&#39;"; break;
	default:	/* an embedded NUL */
		buf_append(out, &c, 1);
		return;
	}
	buf_append(out, ent, strlen(ent));
}

static void
put_escaped(buf *out, const char *s, size_t n)
{
	buf_append_escaped(out, s, n, "&<>\"'", html_entity);
}

static void
put_value(struct render *st, const json_t *v, int escape)
{
	char	 s[32];
	int	 n;

	switch (json_typeof(v)) {
	case JSON_STRING:
		if (escape)
			put_escaped(st->out, json_string_value(v),
			    json_string_length(v));
		else
			buf_append(st->out, json_string_value(v),
			    json_string_length(v));
		break;
	case JSON_INTEGER:
		n = snprintf(s, sizeof(s), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		if (n > 0 && (size_t)n < sizeof(s))
			buf_append(st->out, s, (size_t)n);
		break;
	case JSON_REAL:
		put_real(st->out, json_real_value(v));
		break;
	case JSON_TRUE:
		buf_append(st->out, "true", 4);
		break;
	case JSON_FALSE:
		buf_append(st->out, "false", 5);
		break;
	default:	/* null, objects and arrays render as nothing */
		break;
	}
}

static int
fail(struct render *st, const char *msg)
{
	seterr(st->err, st->errlen, "%s", msg);
	return -1;
}

static int
push(struct render *st, json_t *v)
{
	if (st->nctx == TMPL_MAX_DEPTH)
		return fail(st, "context stack too deep");
	st->ctx[st->nctx++] = v;
	return 0;
}

static int
render_section(struct render *st, const struct tmpl *t, uint32_t i,
    const struct indent *in, const struct env *env)
{
	const struct tok	*k = &t->toks[i];
	json_t			*v = lookup(st, k);
	size_t			 j, n;
	int			 rc = 0;

	if (k->kind == TK_INVERTED)
		return falsey(v) ? render_range(st, t, i + 1, k->end, in,
		    env) : 0;
	if (falsey(v))
		return 0;
	n = json_is_array(v) ? json_array_size(v) : 1;
	for (j = 0; j < n && rc == 0; j++) {
		if (push(st, json_is_array(v) ? json_array_get(v, j) : v) == -1)
			return -1;
		rc = render_range(st, t, i + 1, k->end, in, env);
		st->nctx--;
		if (st->out->oom)
			return fail(st, "out of memory");
	}
	return rc;
}

/* The outermost override wins: the template that started the chain of
 * parents has the last word. */
static int
env_find(const struct env *e, const char *name, const struct tmpl **ft,
    uint32_t *fj)
{
	const struct tok	*k;
	uint32_t		 j;
	int			 found = 0;

	for (; e != NULL; e = e->up)
		for (j = e->first; j < e->end; j = k->end) {
			k = &e->t->toks[j];
			if (k->kind == TK_BLOCK && strcmp(k->str, name) == 0) {
				*ft = e->t;
				*fj = j;
				found = 1;
				break;
			}
		}
	return found;
}

static int
render_block(struct render *st, const struct tmpl *t, uint32_t i,
    const struct indent *in, const struct env *env)
{
	const struct tok	*k = &t->toks[i];
	const struct tmpl	*ft;
	struct indent		 node;
	uint32_t		 fj;
	size_t			 at = st->skip_at;
	int			 armed = st->skip_armed, rc;

	if (!env_find(env, k->str, &ft, &fj))
		return render_range(st, t, i + 1, k->end, in, env);
	node.up = in;
	node.s = k->ind;
	node.n = k->indlen;
	if (!(k->flags & TF_FIRSTLINE)) {
		st->skip_armed = 1;
		st->skip_at = st->out->len;
	}
	rc = render_range(st, ft, fj + 1, ft->toks[fj].end,
	    (k->flags & TF_STANDALONE) ? &node : NULL, env);
	st->skip_armed = armed;
	st->skip_at = at;
	return rc;
}

/* Partials and parents: another template, indented when standalone; a
 * partial is a parent passing no blocks, so overrides reach it too. */
static int
render_include(struct render *st, const struct tmpl *t, uint32_t i,
    const struct indent *in, const struct env *env)
{
	const struct tok	*k = &t->toks[i];
	const struct tmpl	*pt;
	struct indent		 node;
	struct env		 frame;

	if ((pt = set_find(st->set, k->str)) == NULL)
		return 0;
	node.up = in;
	node.s = k->ind;
	node.n = k->indlen;
	if (k->kind == TK_PARENT) {
		frame.up = env;
		frame.t = t;
		frame.first = i + 1;
		frame.end = k->end;
		env = &frame;
	}
	return render_range(st, pt, 0, pt->ntoks,
	    (k->flags & TF_STANDALONE) ? &node : NULL, env);
}

static int
render_range(struct render *st, const struct tmpl *t, uint32_t begin,
    uint32_t end, const struct indent *in, const struct env *env)
{
	const struct tok	*k;
	json_t			*v;
	uint32_t		 i;
	int			 rc = 0;

	if (++st->depth > TMPL_MAX_DEPTH)
		return fail(st, "templates nested too deep");
	for (i = begin; i < end && rc == 0; i = k->end) {
		k = &t->toks[i];
		if (++st->steps > TMPL_MAX_STEPS ||
		    st->out->len - st->mark > TMPL_MAX_OUTPUT) {
			rc = fail(st, "template expands too much");
			break;
		}
		switch (k->kind) {
		case TK_TEXT:
			put_text(st, k, in);
			break;
		case TK_VAR:
		case TK_RAW:
			if ((v = lookup(st, k)) != NULL)
				put_value(st, v, k->kind == TK_VAR);
			break;
		case TK_SECTION:
		case TK_INVERTED:
			rc = render_section(st, t, i, in, env);
			break;
		case TK_BLOCK:
			rc = render_block(st, t, i, in, env);
			break;
		default:
			rc = render_include(st, t, i, in, env);
			break;
		}
	}
	st->depth--;
	return rc;
}

int
tmpl_render(const tmpl_set *s, const char *name, json_t *data, buf *out,
    char *err, size_t errlen)
{
	const struct tmpl	*t;
	struct render		*st;
	size_t			 mark;
	int			 rc;

	if (s == NULL || name == NULL || out == NULL) {
		seterr(err, errlen, "invalid arguments");
		return -1;
	}
	if ((t = set_find(s, name)) == NULL) {
		seterr(err, errlen, "unknown template '%s'", name);
		return -1;
	}
	/* One allocation per render: the context stack is too big for
	 * the stacks of worker threads to carry comfortably. */
	if ((st = malloc(sizeof(*st))) == NULL) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	st->set = s;
	st->out = out;
	st->nctx = 0;
	st->depth = 0;
	st->skip_armed = 0;
	st->skip_at = 0;
	st->err = err;
	st->errlen = errlen;
	if (data != NULL)
		st->ctx[st->nctx++] = data;
	mark = out->len;
	st->mark = mark;
	st->steps = 0;
	rc = render_range(st, t, 0, t->ntoks, NULL, NULL);
	if (rc == 0 && out->oom)
		rc = fail(st, "out of memory");
	free(st);
	/* A failed render leaves the buffer as it was. */
	if (rc == -1 && !out->oom && out->data != NULL) {
		out->len = mark;
		out->data[mark] = '\0';
	}
	return rc;
}
