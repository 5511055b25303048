/* Mustache engine: the set of templates and loading a folder of them.
 * A template is compiled once (tmpl_compile.c, with tmpl_lex.c and
 * tmpl_lines.c) into a flat token array that tmpl_render.c walks. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl_int.h"

void
tmpl_seterr(char *err, size_t errlen, const char *fmt, ...)
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

const struct tmpl *
tmpl_find(const tmpl_set *s, const char *name)
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
		tmpl_seterr(err, errlen, "%s:1:1: empty template name", origin);
		return -1;
	}
	if (tmpl_find(s, name) != NULL) {
		tmpl_seterr(err, errlen, "%s:1:1: duplicate template '%s'", origin,
		    name);
		return -1;
	}
	if ((t = tmpl_compile(s, name, origin, src != NULL ? src : "",
	    src != NULL ? len : 0, err, errlen)) == NULL)
		return -1;
	if (set_insert(s, t) == -1) {
		tmpl_seterr(err, errlen, "%s:1:1: out of memory", origin);
		return -1;
	}
	return 0;
}

int
tmpl_set_add(tmpl_set *s, const char *name, const char *src, size_t len,
    char *err, size_t errlen)
{
	if (s == NULL) {
		tmpl_seterr(err, errlen, "no template set");
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
			    tmpl_find(s, k->str) != NULL)
				continue;
			tmpl_seterr(err, errlen, "%s:%u:%u: unknown %s '%s'",
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
	return s != NULL && name != NULL && tmpl_find(s, name) != NULL;
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
		tmpl_seterr(err, errlen, "%s: %s", rel, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) == -1 || st.st_size < 0 ||
	    (uintmax_t)st.st_size > TMPL_MAX_FILE) {
		tmpl_seterr(err, errlen, "%s: unreadable or too large", rel);
		fclose(f);
		return -1;
	}
	if ((data = malloc((size_t)st.st_size + 1)) == NULL) {
		tmpl_seterr(err, errlen, "%s: out of memory", rel);
		fclose(f);
		return -1;
	}
	n = fread(data, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		tmpl_seterr(err, errlen, "%s: read error", rel);
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
		tmpl_seterr(err, errlen, "%s: out of memory", rel);
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
		tmpl_seterr(err, errlen, "%s: %s", path, strerror(errno));
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
	tmpl_seterr(err, errlen, "%s: out of memory", path);
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
		tmpl_seterr(err, errlen, "%s: folders nested too deep", rel);
		return -1;
	}
	w = *rel ? snprintf(path, sizeof(path), "%s/%s", root, rel) :
	    snprintf(path, sizeof(path), "%s", root);
	if (w < 0 || (size_t)w >= sizeof(path)) {
		tmpl_seterr(err, errlen, "%s: path too long", rel);
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
			tmpl_seterr(err, errlen, "%s: path too long", names[i]);
			rc = -1;
		} else if (stat(full, &st) == -1) {
			tmpl_seterr(err, errlen, "%s: %s", child, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode))
			rc = walk(s, root, child, depth + 1, err, errlen);
		else if (S_ISREG(st.st_mode) &&
		    strlen(names[i]) > strlen(".mustache") &&
		    tmpl_ends_with(names[i], ".mustache"))
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
		tmpl_seterr(err, errlen, "%s: out of memory", dir);
		return NULL;
	}
	if (walk(s, dir, "", 0, err, errlen) == -1 ||
	    tmpl_set_check(s, err, errlen) == -1) {
		tmpl_set_free(s);
		return NULL;
	}
	return s;
}
