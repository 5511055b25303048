/* Mustache rendering: a loop over a compiled template's tokens, with
 * recursion only where the data (sections) or another template
 * (partials, parents) demands it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tmpl_int.h"

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
	tmpl_seterr(st->err, st->errlen, "%s", msg);
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

	if ((pt = tmpl_find(st->set, k->str)) == NULL)
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
		tmpl_seterr(err, errlen, "invalid arguments");
		return -1;
	}
	if ((t = tmpl_find(s, name)) == NULL) {
		tmpl_seterr(err, errlen, "unknown template '%s'", name);
		return -1;
	}
	/* One allocation per render: the context stack is too big for
	 * the stacks of worker threads to carry comfortably. */
	if ((st = malloc(sizeof(*st))) == NULL) {
		tmpl_seterr(err, errlen, "out of memory");
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
