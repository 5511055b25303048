#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "request.h"
#include "utf8.h"

const struct req_limits req_default_limits = {
	.max_fields = 256,
	.max_name = 256,
	.max_value = 1024 * 1024,
	.max_body = 32 * 1024 * 1024,
	.max_files = 16,
	.max_parts = 300,
	.memory_part = 64 * 1024,
	.max_json_depth = 32,
	.spool_dir = "/tmp",
};

static int
fail(struct req_error *err, int status, const char *message)
{
	err->status = status;
	err->message = message;
	return -1;
}

int
kvlist_add(arena *a, struct kvlist *l, const char *name, const char *value,
    size_t len)
{
	struct kv	*v;
	size_t		 cap;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 16;
		if ((v = arena_calloc(a, cap, sizeof(*v))) == NULL)
			return -1;
		if (l->n > 0)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].name = name;
	l->v[l->n].value = value;
	l->v[l->n].len = len;
	l->n++;
	return 0;
}

const char *
kvlist_get(const struct kvlist *l, const char *name)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return l->v[i].value;
	return NULL;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

long
req_percent_decode(char *dst, const char *src, size_t n, int plus_is_space)
{
	size_t	i, o;
	int	hi, lo;

	for (i = o = 0; i < n; i++) {
		if (src[i] == '%') {
			if (n - i < 3 || (hi = hexval((unsigned char)src[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)src[i + 2])) < 0)
				return -1;
			dst[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (src[i] == '+' && plus_is_space)
			dst[o++] = ' ';
		else
			dst[o++] = src[i];
	}
	dst[o] = '\0';
	return (long)o;
}

/* Decode one "name=value" piece and append it. */
static int
add_pair(arena *a, const char *p, size_t n, const struct req_limits *lim,
    struct kvlist *out, struct req_error *err)
{
	const char	*eq;
	size_t		 nlen, vlen;
	char		*name, *value;
	long		 dn, dv;

	eq = memchr(p, '=', n);
	nlen = eq ? (size_t)(eq - p) : n;
	vlen = eq ? n - nlen - 1 : 0;
	if (nlen == 0)
		return 0;	/* "=x" and "&&" carry nothing */
	if (nlen > lim->max_name * 3 || vlen > lim->max_value * 3)
		return fail(err, 413, "Un champ du formulaire est trop long.");
	if ((name = arena_alloc(a, nlen + 1)) == NULL ||
	    (value = arena_alloc(a, vlen + 1)) == NULL)
		return fail(err, 500, "Mémoire insuffisante.");
	dn = req_percent_decode(name, p, nlen, 1);
	dv = req_percent_decode(value, eq ? eq + 1 : "", vlen, 1);
	if (dn < 0 || dv < 0)
		return fail(err, 400, "Encodage de paramètre invalide (séquence %).");
	if ((size_t)dn > lim->max_name || (size_t)dv > lim->max_value)
		return fail(err, 413, "Un champ du formulaire est trop long.");
	if (!utf8_valid_text(name, (size_t)dn) ||
	    !utf8_valid_text(value, (size_t)dv))
		return fail(err, 400,
		    "Paramètre invalide : texte non UTF-8 ou caractère nul.");
	if (out->n >= lim->max_fields)
		return fail(err, 413, "Trop de champs dans la requête.");
	if (kvlist_add(a, out, name, value, (size_t)dv) == -1)
		return fail(err, 500, "Mémoire insuffisante.");
	return 0;
}

int
req_parse_urlencoded(arena *a, const char *s, size_t n,
    const struct req_limits *lim, struct kvlist *out, struct req_error *err)
{
	const char	*p, *end, *amp;

	if (n > lim->max_body)
		return fail(err, 413, "Le contenu envoyé est trop volumineux.");
	for (p = s, end = s + n; p < end; p = amp + 1) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (add_pair(a, p, (size_t)(amp - p), lim, out, err) == -1)
			return -1;
	}
	return 0;
}

/* Cookies are "a=b; c=d"; values are not percent-decoded (RFC 6265) but
 * must still be text. */
int
req_parse_cookies(arena *a, const char *h, const struct req_limits *lim,
    struct kvlist *out, struct req_error *err)
{
	const char	*p, *semi, *eq, *ns, *ne, *vs, *ve;
	char		*name, *value;

	for (p = h; p != NULL && *p != '\0'; p = semi ? semi + 1 : NULL) {
		semi = strchr(p, ';');
		ne = semi ? semi : p + strlen(p);
		ns = p;
		while (ns < ne && (*ns == ' ' || *ns == '\t'))
			ns++;
		if ((eq = memchr(ns, '=', (size_t)(ne - ns))) == NULL)
			continue;
		vs = eq + 1;
		ve = ne;
		while (vs < ve && (*vs == ' ' || *vs == '\t'))
			vs++;
		while (ve > vs && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
			vs++;
			ve--;
		}
		while (eq > ns && (eq[-1] == ' ' || eq[-1] == '\t'))
			eq--;
		if (eq == ns)
			continue;
		if ((size_t)(eq - ns) > lim->max_name ||
		    (size_t)(ve - vs) > 4096)
			return fail(err, 400, "Cookie trop long.");
		if (!utf8_valid_text(ns, (size_t)(eq - ns)) ||
		    !utf8_valid_text(vs, (size_t)(ve - vs)))
			return fail(err, 400, "Cookie invalide.");
		if (out->n >= lim->max_fields)
			return fail(err, 400, "Trop de cookies.");
		name = arena_strndup(a, ns, (size_t)(eq - ns));
		value = arena_strndup(a, vs, (size_t)(ve - vs));
		if (name == NULL || value == NULL ||
		    kvlist_add(a, out, name, value, (size_t)(ve - vs)) == -1)
			return fail(err, 500, "Mémoire insuffisante.");
	}
	return 0;
}

/* jansson accepts any nesting; a depth cap keeps hostile bodies from
 * costing stack in later recursive walks. */
static size_t
json_depth(const char *s, size_t n)
{
	size_t	i, depth = 0, max = 0;
	int	in_str = 0;

	for (i = 0; i < n; i++) {
		if (in_str) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_str = 0;
		} else if (s[i] == '"')
			in_str = 1;
		else if (s[i] == '{' || s[i] == '[') {
			if (++depth > max)
				max = depth;
		} else if ((s[i] == '}' || s[i] == ']') && depth > 0)
			depth--;
	}
	return max;
}

int
req_parse_json(arena *a, const char *s, size_t n,
    const struct req_limits *lim, json_t **out, struct req_error *err)
{
	json_error_t	 jerr;

	(void)a;
	*out = NULL;
	if (n > lim->max_body)
		return fail(err, 413, "Le contenu envoyé est trop volumineux.");
	if (!utf8_valid_text(s, n))
		return fail(err, 400, "Corps JSON invalide : texte non UTF-8.");
	if (json_depth(s, n) > lim->max_json_depth)
		return fail(err, 400, "Corps JSON trop profondément imbriqué.");
	/* JSON_ALLOW_NUL stays off: a \u0000 escape is refused too. */
	*out = json_loadb(s, n, JSON_REJECT_DUPLICATES, &jerr);
	if (*out == NULL)
		return fail(err, 400, "Corps JSON invalide.");
	return 0;
}

const char *
req_media_type(arena *a, const char *ct)
{
	size_t	 n, i;
	char	*m;

	if (ct == NULL)
		return NULL;
	while (*ct == ' ')
		ct++;
	n = strcspn(ct, "; \t");
	if ((m = arena_strndup(a, ct, n)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		m[i] = (char)tolower((unsigned char)m[i]);
	return m;
}

/* The next ';' that separates parameters: one inside a quoted value
 * ("a;b") is part of that value. */
static const char *
next_param(const char *p)
{
	int	quoted = 0;

	for (; *p != '\0'; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == ';' && !quoted)
			return p;
	}
	return NULL;
}

const char *
req_header_param(arena *a, const char *h, const char *name)
{
	const char	*p, *v, *end;
	size_t		 nlen = strlen(name);

	if (h == NULL)
		return NULL;
	for (p = next_param(h); p != NULL; p = next_param(p + 1)) {
		v = p + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		if (strncasecmp(v, name, nlen) != 0 || v[nlen] != '=')
			continue;
		v += nlen + 1;
		if (*v == '"') {
			v++;
			if ((end = strchr(v, '"')) == NULL)
				return NULL;
		} else
			end = v + strcspn(v, "; \t");
		return arena_strndup(a, v, (size_t)(end - v));
	}
	return NULL;
}
