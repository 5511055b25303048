/* The compiler's whitespace passes: blocks passed to a parent, parents
 * and blocks alone on their lines, the indentation a block imposes, and
 * the standalone-line rule (described in tmpl_compile.c). */
#include <string.h>

#include "tmpl_compile.h"

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
void
tmpl_parent_args(struct compiler *c)
{
	uint32_t	 i, j, last;

	for (i = 0; i < c->n; i++) {
		if (c->r[i].kind != '<' || c->r[i].drop)
			continue;
		for (j = i + 1; j < c->r[i].match; j = last + 1) {
			last = tmpl_is_open(c->r[j].kind) ? c->r[j].match : j;
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
void
tmpl_block_lines(struct compiler *c)
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
void
tmpl_parent_lines(struct compiler *c)
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
void
tmpl_param_blocks(struct compiler *c)
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
void
tmpl_standalone_lines(struct compiler *c)
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
