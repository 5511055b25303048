/* The Mustache compiler.
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
 * lex and match are in tmpl_lex.c, the whitespace passes in tmpl_lines.c,
 * emitting here.
 */
#include <stdlib.h>
#include <string.h>

#include "tmpl_compile.h"

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
				return tmpl_oom(c);
			t->len += len;
			return 0;
		}
	}
	if ((t = tok_new(c, TK_TEXT, NULL)) == NULL ||
	    buf_append(&c->pool, c->src + off, len) == -1)
		return tmpl_oom(c);
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
		return tmpl_oom(c);
	t->flags = TF_BOL;
	c->last_text = (uint32_t)(c->nt - 1);
	return 0;
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
		return tmpl_cerr(c, r->line, r->col, "name too long");
	if ((seg = arena_calloc(mem, nseg, sizeof(*seg))) == NULL ||
	    (seglen = arena_calloc(mem, nseg, sizeof(*seglen))) == NULL)
		return tmpl_oom(c);
	for (at = 0, i = 0; i < nseg; i++) {
		dot = memchr(s + at, '.', r->len - at);
		n = dot != NULL ? (size_t)(dot - (s + at)) : r->len - at;
		if (n == 0)
			return tmpl_cerr(c, r->line, r->col, "invalid name '%.*s'",
			    (int)r->len, s);
		if ((seg[i] = arena_strndup(mem, s + at, n)) == NULL)
			return tmpl_oom(c);
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
		return tmpl_oom(c);
	if (split_name(c, r, t) == -1)
		return -1;
	/* Trusted HTML is marked by its name, never by the tag alone. */
	if (raw && (c->set->flags & TMPL_TRUSTED_RAW_ONLY) &&
	    (t->nseg == 0 || !tmpl_ends_with(t->seg[t->nseg - 1], "_html")))
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
		return tmpl_oom(c);
	t->len = r->len;
	if (r->ind_len > 0 && (t->ind = arena_strndup(c->set->mem,
	    c->src + r->ind_off, r->ind_len)) == NULL)
		return tmpl_oom(c);
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
			return tmpl_oom(c);
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
		tmpl_oom(c);
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

struct tmpl *
tmpl_compile(tmpl_set *s, const char *name, const char *origin, const char *src,
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
		tmpl_cerr(&c, 1, 1, "template too large");
	else if (tmpl_lex(&c) == 0 && tmpl_match(&c) == 0) {
		tmpl_parent_args(&c);
		tmpl_block_lines(&c);
		tmpl_parent_lines(&c);
		tmpl_param_blocks(&c);
		tmpl_standalone_lines(&c);
		if (emit(&c) == 0)
			t = finish(&c, name, origin);
	}
	free(c.r);
	free(c.t);
	buf_free(&c.pool);
	return t;
}
