#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "i18n.h"

struct i18n {
	json_t	*cat[I18N_NLANG];	/* indexed by lang_id */
};

static const char *const lang_codes[I18N_NLANG] = { "fr", "en" };

/* Templates nest a few folders deep; a bound stops symlink loops. */
#define SCAN_DEPTH_MAX	32

static void seterr(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int
valid_lang(lang_id lang)
{
	return lang == LANG_FR || lang == LANG_EN;
}

const char *
i18n_code(lang_id lang)
{
	return lang_codes[valid_lang(lang) ? lang : LANG_FR];
}

/* ---- dotted keys ------------------------------------------------------- */

struct keypath {
	char	s[I18N_KEY_MAX];
	size_t	len;
};

/* Append ".key" (or "key" at the root); -1 when the result is too long.
 * The bound on the length also bounds the recursion depth. */
static int
key_push(struct keypath *kp, const char *key)
{
	size_t	n = strlen(key), dot = kp->len > 0;

	if (kp->len + dot + n >= sizeof(kp->s))
		return -1;
	if (dot)
		kp->s[kp->len] = '.';
	memcpy(kp->s + kp->len + dot, key, n + 1);
	kp->len += dot + n;
	return 0;
}

static void
key_pop(struct keypath *kp, size_t len)
{
	kp->len = len;
	kp->s[len] = '\0';
}

/* Keys become Mustache name segments, so "." (the separator) and white
 * space (the tag trimming) must not occur; a small alphabet keeps them
 * greppable too. */
static int
valid_key(const char *k)
{
	if (*k == '\0')
		return 0;
	for (; *k != '\0'; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
		    (*k >= '0' && *k <= '9') || *k == '_' || *k == '-'))
			return 0;
	return 1;
}

/* The node at a dotted key, NULL when there is none. */
static json_t *
lookup(const json_t *root, const char *dotted)
{
	const json_t	*node = root;
	char		 seg[I18N_KEY_MAX];
	const char	*p = dotted, *dot;
	size_t		 n;

	if (root == NULL || dotted == NULL)
		return NULL;
	for (;;) {
		dot = strchr(p, '.');
		n = dot != NULL ? (size_t)(dot - p) : strlen(p);
		if (n == 0 || n >= sizeof(seg) || !json_is_object(node))
			return NULL;
		memcpy(seg, p, n);
		seg[n] = '\0';
		if ((node = json_object_get(node, seg)) == NULL)
			return NULL;
		if (dot == NULL)
			return (json_t *)node;
		p = dot + 1;
	}
}

/* ---- loading ----------------------------------------------------------- */

static const char *
kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "unknown";
}

/* Every leaf a string without template syntax, every key valid. */
static int
check_tree(const json_t *obj, struct keypath *kp, const char *file,
    char *err, size_t errlen)
{
	const char	*k;
	json_t		*v;
	size_t		 len = kp->len;

	json_object_foreach((json_t *)obj, k, v) {
		if (!valid_key(k)) {
			seterr(err, errlen, "%s: invalid key \"%s\" in %s "
			    "(letters, digits, _ and - only)", file, k,
			    len > 0 ? kp->s : "the top level");
			return -1;
		}
		if (key_push(kp, k) == -1) {
			seterr(err, errlen, "%s: key %s.%s is too long", file,
			    kp->s, k);
			return -1;
		}
		if (json_is_object(v)) {
			if (check_tree(v, kp, file, err, errlen) == -1)
				return -1;
		} else if (!json_is_string(v)) {
			seterr(err, errlen, "%s: %s is %s, expected a string",
			    file, kp->s, kind(v));
			return -1;
		} else if (strstr(json_string_value(v), "{{") != NULL) {
			seterr(err, errlen, "%s: %s contains \"{{\": catalogue "
			    "strings are plain text, never templates", file,
			    kp->s);
			return -1;
		}
		key_pop(kp, len);
	}
	return 0;
}

/* Every key of a is in b with the same shape. */
static int
check_same_keys(const json_t *a, const json_t *b, struct keypath *kp,
    const char *file_a, const char *file_b, char *err, size_t errlen)
{
	const char	*k;
	json_t		*va, *vb;
	size_t		 len = kp->len;

	json_object_foreach((json_t *)a, k, va) {
		key_push(kp, k);	/* lengths were checked on load */
		vb = json_object_get(b, k);
		if (vb == NULL) {
			seterr(err, errlen, "%s: missing key %s (present in %s)",
			    file_b, kp->s, file_a);
			return -1;
		}
		if (json_is_object(va) != json_is_object(vb)) {
			seterr(err, errlen, "%s: %s is %s but %s in %s", file_b,
			    kp->s, kind(vb), kind(va), file_a);
			return -1;
		}
		if (json_is_object(va) && check_same_keys(va, vb, kp, file_a,
		    file_b, err, errlen) == -1)
			return -1;
		key_pop(kp, len);
	}
	return 0;
}

static json_t *
load_catalogue(const char *dir, const char *code, char *path, size_t pathlen,
    char *err, size_t errlen)
{
	json_error_t	 je;
	json_t		*root;
	struct keypath	 kp = { "", 0 };
	int		 n;

	n = snprintf(path, pathlen, "%s/%s.json", dir, code);
	if (n < 0 || (size_t)n >= pathlen) {
		seterr(err, errlen, "%s: path too long", dir);
		return NULL;
	}
	/* Duplicate keys would silently hide a translation. */
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		if (je.line > 0)
			seterr(err, errlen, "%s:%d:%d: %s", path, je.line,
			    je.column, je.text);
		else
			seterr(err, errlen, "%s: %s", path, je.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		seterr(err, errlen, "%s: top level is %s, expected an object",
		    path, kind(root));
		json_decref(root);
		return NULL;
	}
	if (check_tree(root, &kp, path, err, errlen) == -1) {
		json_decref(root);
		return NULL;
	}
	return root;
}

i18n *
i18n_load(const char *dir, char *err, size_t errlen)
{
	char		 paths[I18N_NLANG][4096];
	struct keypath	 kp = { "", 0 };
	i18n		*i;
	int		 l;

	if ((i = calloc(1, sizeof(*i))) == NULL) {
		seterr(err, errlen, "out of memory");
		return NULL;
	}
	for (l = 0; l < I18N_NLANG; l++)
		if ((i->cat[l] = load_catalogue(dir, lang_codes[l], paths[l],
		    sizeof(paths[l]), err, errlen)) == NULL)
			goto fail;
	/* Both directions: a key only in en is as wrong as one only in fr. */
	for (l = 1; l < I18N_NLANG; l++)
		if (check_same_keys(i->cat[LANG_FR], i->cat[l], &kp,
		    paths[LANG_FR], paths[l], err, errlen) == -1 ||
		    check_same_keys(i->cat[l], i->cat[LANG_FR], &kp,
		    paths[l], paths[LANG_FR], err, errlen) == -1)
			goto fail;
	return i;
fail:
	i18n_free(i);
	return NULL;
}

void
i18n_free(i18n *i)
{
	int	l;

	if (i == NULL)
		return;
	for (l = 0; l < I18N_NLANG; l++)
		json_decref(i->cat[l]);
	free(i);
}

json_t *
i18n_catalogue(const i18n *i, lang_id lang)
{
	if (i == NULL)
		return NULL;
	return i->cat[valid_lang(lang) ? lang : LANG_FR];
}

const char *
i18n_get(const i18n *i, lang_id lang, const char *key)
{
	const json_t	*v = NULL;

	if (i == NULL)
		return key;
	if (valid_lang(lang))
		v = lookup(i->cat[lang], key);
	if (!json_is_string(v))
		v = lookup(i->cat[LANG_FR], key);
	return json_is_string(v) ? json_string_value(v) : key;
}

const char *
i18n_fill(const i18n *i, lang_id lang, const char *key,
    const char *const *args, size_t nargs, char *out, size_t len)
{
	const char	*s = i18n_get(i, lang, key), *p;
	size_t		 o = 0, a = 0, n;

	if (strchr(s, '#') == NULL || len == 0)
		return s;
	for (p = s; *p != '\0'; p++) {
		n = *p == '#' && a < nargs ? strlen(args[a]) : 1;
		/* A cut sentence would be worse than the bare one. */
		if (o + n >= len)
			return s;
		memcpy(out + o, *p == '#' && a < nargs ? args[a++] : p, n);
		o += n;
	}
	out[o] = '\0';
	return out;
}

const char *
i18n_number(const i18n *i, lang_id lang, const char *key, long long n,
    char *out, size_t len)
{
	char		 num[24];
	const char	*args[1] = { num };

	snprintf(num, sizeof(num), "%lld", n);
	return i18n_fill(i, lang, key, args, 1, out, len);
}

/* ---- negotiation ------------------------------------------------------- */

/* How much the client wants one language: q in thousandths, and where in
 * the header that preference was given, to break ties in its favour. */
struct pref {
	int	q;
	size_t	pos;
	int	set;
};

static int
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_alnum(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

static int
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static void
trim(const char **p, size_t *n)
{
	while (*n > 0 && is_ows(**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && is_ows((*p)[*n - 1]))
		(*n)--;
}

/* RFC 4647 language-range: "*" or 1*8ALPHA *("-" 1*8alphanum). */
static int
valid_range(const char *s, size_t n)
{
	size_t	i = 0, run;

	if (n == 1 && s[0] == '*')
		return 1;
	for (run = 0; i < n && is_alpha(s[i]); i++)
		run++;
	if (run < 1 || run > 8)
		return 0;
	while (i < n) {
		if (s[i++] != '-')
			return 0;
		for (run = 0; i < n && is_alnum(s[i]); i++)
			run++;
		if (run < 1 || run > 8)
			return 0;
	}
	return 1;
}

static char
ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The supported language whose code is the range's primary subtag,
 * compared without regard to case (and to the C library's locale). */
static int
range_lang(const char *s, size_t n)
{
	size_t		 base = 0, k;
	const char	*code;
	int		 l;

	while (base < n && s[base] != '-')
		base++;
	for (l = 0; l < I18N_NLANG; l++) {
		code = lang_codes[l];
		for (k = 0; k < base && code[k] != '\0' &&
		    ascii_lower(s[k]) == code[k]; k++)
			;
		if (k == base && code[k] == '\0')
			return l;
	}
	return -1;
}

/* RFC 9110 qvalue: "0" ["." 0*3DIGIT] / "1" ["." 0*3"0"], in thousandths;
 * -1 when malformed. */
static int
parse_qvalue(const char *s, size_t n)
{
	size_t	i;
	int	q, scale = 100;

	if (n == 0 || (s[0] != '0' && s[0] != '1') || n > 5 ||
	    (n > 1 && s[1] != '.'))
		return -1;
	q = (s[0] - '0') * 1000;
	for (i = 2; i < n; i++, scale /= 10) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		q += (s[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

/* One parameter "name=value" of an element; 0 unless it is a malformed
 * weight.  Other parameters are not in the grammar but harmless. */
static int
parse_param(const char *p, size_t len, int *q)
{
	const char	*eq = memchr(p, '=', len), *name = p, *v;
	size_t		 nlen, vlen;

	nlen = eq != NULL ? (size_t)(eq - p) : len;
	trim(&name, &nlen);
	if (nlen != 1 || ascii_lower(name[0]) != 'q')
		return 0;
	if (eq == NULL)
		return -1;
	v = eq + 1;
	vlen = len - (size_t)(v - p);
	trim(&v, &vlen);
	return (*q = parse_qvalue(v, vlen)) == -1 ? -1 : 0;
}

/* One list element "range *(OWS ";" OWS param)".  0 with the range and its
 * weight, -1 when malformed. */
static int
parse_element(const char *s, size_t n, const char **range, size_t *rlen,
    int *q)
{
	const char	*semi, *p;
	size_t		 len;

	*q = 1000;
	semi = memchr(s, ';', n);
	*range = s;
	*rlen = semi != NULL ? (size_t)(semi - s) : n;
	trim(range, rlen);
	if (!valid_range(*range, *rlen))
		return -1;
	while (semi != NULL) {
		p = semi + 1;
		n -= (size_t)(p - s);
		s = p;
		semi = memchr(s, ';', n);
		len = semi != NULL ? (size_t)(semi - s) : n;
		if (parse_param(p, len, q) == -1)
			return -1;
	}
	return 0;
}

static void
prefer(struct pref *p, int q, size_t pos)
{
	if (!p->set || q > p->q) {
		p->q = q;
		p->pos = pos;
		p->set = 1;
	}
}

static lang_id
negotiate_header(const char *h)
{
	struct pref	 langs[I18N_NLANG], star;
	const char	*range, *comma;
	size_t		 n, rlen, pos;
	int		 q, l, best = -1;

	memset(langs, 0, sizeof(langs));
	memset(&star, 0, sizeof(star));
	for (pos = 0; ; pos++) {
		comma = strchr(h, ',');
		n = comma != NULL ? (size_t)(comma - h) : strlen(h);
		if (parse_element(h, n, &range, &rlen, &q) == 0) {
			if (rlen == 1 && range[0] == '*')
				prefer(&star, q, pos);
			else if ((l = range_lang(range, rlen)) != -1)
				prefer(&langs[l], q, pos);
		}
		if (comma == NULL)
			break;
		h = comma + 1;
	}
	/* "*" stands for every language the client did not name, so
	 * "fr;q=0, *" still means "anything but French". */
	for (l = 0; l < I18N_NLANG; l++) {
		if (!langs[l].set)
			langs[l] = star;
		if (!langs[l].set || langs[l].q == 0)
			continue;
		if (best == -1 || langs[l].q > langs[best].q ||
		    (langs[l].q == langs[best].q &&
		    langs[l].pos < langs[best].pos))
			best = l;
	}
	return best == -1 ? LANG_FR : (lang_id)best;
}

lang_id
i18n_negotiate(const char *user_setting, const char *accept_language)
{
	int	l;

	if (user_setting != NULL &&
	    valid_range(user_setting, strlen(user_setting)) &&
	    (l = range_lang(user_setting, strlen(user_setting))) != -1)
		return (lang_id)l;
	if (accept_language != NULL)
		return negotiate_header(accept_language);
	return LANG_FR;
}

/* ---- template check ---------------------------------------------------- */

struct scan {
	const i18n	*i;
	char		*err;
	size_t		 errlen;
	int		 problems;	/* keys found wrong */
};

/* Mustache delimiters in force; "{{" "}}" until a {{=<% %>=}} tag. */
struct delims {
	char	open[16];
	char	close[16];
};

static const char *
find(const char *s, const char *end, const char *needle)
{
	size_t	n = strlen(needle);

	for (; (size_t)(end - s) >= n; s++)
		if (memcmp(s, needle, n) == 0)
			return s;
	return NULL;
}

static int
count_lines(const char *s, const char *end)
{
	int	n = 0;

	for (; s < end; s++)
		if (*s == '\n')
			n++;
	return n;
}

/* "{{=<% %>=}}": content is "=<% %>=".  -1 when malformed. */
static int
set_delims(const char *s, size_t n, struct delims *d)
{
	const char	*p, *end;
	size_t		 ol, cl;

	trim(&s, &n);
	if (n < 5 || s[0] != '=' || s[n - 1] != '=')
		return -1;
	p = s + 1;
	end = s + n - 1;
	for (ol = 0; p + ol < end && !is_ows(p[ol]); ol++)
		;
	s = p + ol;
	while (s < end && is_ows(*s))
		s++;
	for (cl = 0; s + cl < end && !is_ows(s[cl]); cl++)
		;
	if (ol == 0 || cl == 0 || s + cl != end ||
	    ol >= sizeof(d->open) || cl >= sizeof(d->close))
		return -1;
	memcpy(d->open, p, ol);
	d->open[ol] = '\0';
	memcpy(d->close, s, cl);
	d->close[cl] = '\0';
	return 0;
}

static void
check_name(struct scan *sc, const char *file, int line, const char *name,
    size_t n)
{
	char		 key[I18N_KEY_MAX];
	const json_t	*v;
	int		 l, group = 0;

	if (n < 2 || strncmp(name, "t.", 2) != 0)
		return;
	name += 2;
	n -= 2;
	if (n >= sizeof(key)) {
		if (sc->problems++ == 0)
			seterr(sc->err, sc->errlen, "%s:%d: translation key "
			    "too long", file, line);
		return;
	}
	memcpy(key, name, n);
	key[n] = '\0';
	for (l = 0; l < I18N_NLANG; l++) {
		v = lookup(sc->i->cat[l], key);
		if (json_is_string(v))
			return;
		group |= v != NULL;
	}
	if (sc->problems++ == 0)
		seterr(sc->err, sc->errlen, group ? "%s:%d: t.%s is a group of "
		    "keys, not a string" : "%s:%d: unknown translation key t.%s",
		    file, line, key);
}

/* Check every interpolation in one template's text. */
static void
scan_text(struct scan *sc, const char *file, const char *s, size_t len)
{
	struct delims	 d = { "{{", "}}" };
	const char	*end = s + len, *p = s, *tag, *body, *close;
	char		 closer[sizeof(d.close) + 1];
	size_t		 n;
	int		 line = 1;

	while ((tag = find(p, end, d.open)) != NULL) {
		line += count_lines(p, tag);
		body = tag + strlen(d.open);
		/* Triple mustache ends with "}" then the closing delimiter. */
		snprintf(closer, sizeof(closer), "%s%s",
		    body < end && *body == '{' ? "}" : "", d.close);
		if ((close = find(body, end, closer)) == NULL)
			return;	/* unterminated: the template loader says so */
		p = close + strlen(closer);
		n = (size_t)(close - body);
		trim(&body, &n);
		if (n > 0 && *body == '=') {
			if (set_delims(body, n, &d) == -1)
				return;
		} else if (n > 0 && (*body == '{' || *body == '&')) {
			body++;
			n--;
			trim(&body, &n);
			check_name(sc, file, line, body, n);
		} else if (n > 0 && strchr("!#^/><$", *body) == NULL)
			check_name(sc, file, line, body, n);
		line += count_lines(tag, p);
	}
}

static int
read_file(const char *path, buf *out)
{
	char	 chunk[8192];
	size_t	 n;
	FILE	*f;
	int	 rc = 0;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_append(out, chunk, n) == -1) {
			errno = ENOMEM;
			rc = -1;
			break;
		}
	if (rc == 0 && ferror(f)) {
		errno = EIO;
		rc = -1;
	}
	fclose(f);
	return rc;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t	n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int scan_dir(struct scan *, const char *, int);

static int
scan_entry(struct scan *sc, const char *dir, const char *name, int depth)
{
	char		path[4096];
	struct stat	st;
	buf		text;
	int		n;

	n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		seterr(sc->err, sc->errlen, "%s/%s: path too long", dir, name);
		return -1;
	}
	if (stat(path, &st) == -1) {
		seterr(sc->err, sc->errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return scan_dir(sc, path, depth + 1);
	if (!S_ISREG(st.st_mode) || !ends_with(name, ".mustache"))
		return 0;
	buf_init(&text);
	if (read_file(path, &text) == -1) {
		seterr(sc->err, sc->errlen, "%s: %s", path, strerror(errno));
		buf_free(&text);
		return -1;
	}
	scan_text(sc, path, buf_cstr(&text), text.len);
	buf_free(&text);
	return 0;
}

/* Entries in name order, so the first problem reported is stable. */
static int
scan_dir(struct scan *sc, const char *dir, int depth)
{
	struct dirent	**list;
	int		  n, k, rc = 0;

	if (depth > SCAN_DEPTH_MAX) {
		seterr(sc->err, sc->errlen, "%s: folders nested too deep", dir);
		return -1;
	}
	if ((n = scandir(dir, &list, NULL, alphasort)) == -1) {
		seterr(sc->err, sc->errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	for (k = 0; k < n; k++) {
		/* Skips ".", ".." and editors' hidden files. */
		if (rc == 0 && list[k]->d_name[0] != '.')
			rc = scan_entry(sc, dir, list[k]->d_name, depth);
		free(list[k]);
	}
	free(list);
	return rc;
}

int
i18n_check_keys(const i18n *i, const char *templates_dir, char *err,
    size_t errlen)
{
	struct scan	sc = { i, err, errlen, 0 };
	size_t		len;

	if (scan_dir(&sc, templates_dir, 0) == -1)
		return -1;
	if (sc.problems == 0)
		return 0;
	if (sc.problems > 1 && err != NULL && (len = strlen(err)) < errlen)
		snprintf(err + len, errlen - len, " (and %d more)",
		    sc.problems - 1);
	return -1;
}
