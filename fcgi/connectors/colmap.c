#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "colmap.h"

/* Latin letters with diacritics (U+00C0..U+00FF) folded to ASCII. */
static const char fold_latin1[64] =
	"AAAAAAACEEEEIIIIDNOOOOO*OUUUUYTs"
	"aaaaaaaceeeeiiiidnooooo/ouuuuyty";

/* Append the ASCII form of the character at *p (advancing *p). */
static void
fold_char(const unsigned char **p, char *out, size_t *o, size_t outlen)
{
	const unsigned char	*s = *p;
	const char		*rep = NULL;
	char			 one[2] = { 0, 0 };

	if (s[0] == 0xc3 && s[1] >= 0x80 && s[1] <= 0xbf) {
		one[0] = fold_latin1[s[1] - 0x80];
		rep = one;
		*p += 2;
	} else if (s[0] == 0xc2 && s[1] == 0xa0) {
		rep = " ";
		*p += 2;
	} else if (s[0] == 0xc5 && (s[1] == 0x93 || s[1] == 0x92)) {
		rep = "oe";
		*p += 2;
	} else if (s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0x99 ||
	    s[2] == 0x98)) {
		rep = "'";
		*p += 3;
	} else if (s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xaf ||
	    s[2] == 0x89)) {
		rep = " ";
		*p += 3;
	} else if (s[0] == 0xe2 && s[1] == 0x82 && s[2] == 0xac) {
		rep = "";	/* € */
		*p += 3;
	} else {
		one[0] = (char)s[0];
		rep = one;
		*p += 1;
	}
	for (; *rep != '\0' && *o + 1 < outlen; rep++)
		out[(*o)++] = (char)tolower((unsigned char)*rep);
}

static void
strip_suffix(char *s, const char *suffix)
{
	size_t	n = strlen(s), k = strlen(suffix);

	if (n > k && strcmp(s + n - k, suffix) == 0)
		s[n - k] = '\0';
}

static void
trim(char *s)
{
	size_t	n = strlen(s), i = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '|'))
		s[--n] = '\0';
	while (s[i] == ' ')
		i++;
	memmove(s, s + i, n - i + 1);
}

/* A name cut at its buffer's end may end inside a character: drop the
 * incomplete sequence, so that what is left is still UTF-8. */
static void
cut_partial(char *s)
{
	size_t		 n = strlen(s), i = n;
	unsigned char	 lead;
	size_t		 need;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0 || (unsigned char)s[i - 1] < 0xc0)
		return;
	lead = (unsigned char)s[i - 1];
	need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
	if (n - (i - 1) < need)
		s[i - 1] = '\0';
}

void
colmap_normalize(const char *in, char *out, size_t outlen)
{
	const unsigned char	*p = (const unsigned char *)in;
	char			 tmp[COLMAP_NAME_MAX * 2];
	size_t			 o = 0, i, w = 0;

	while (*p != '\0' && o + 1 < sizeof(tmp)) {
		if (*p == '_' || *p == '\t' || *p == '\r' || *p == '\n') {
			tmp[o++] = ' ';
			p++;
		} else
			fold_char(&p, tmp, &o, sizeof(tmp));
	}
	tmp[o] = '\0';
	/* Collapse spaces; none around ':' and '|'. */
	for (i = 0; tmp[i] != '\0' && w + 1 < outlen; i++) {
		if (tmp[i] == ' ' && (w == 0 || out[w - 1] == ' ' ||
		    out[w - 1] == ':' || out[w - 1] == '|'))
			continue;
		if ((tmp[i] == ':' || tmp[i] == '|') && w > 0 &&
		    out[w - 1] == ' ')
			w--;
		out[w++] = tmp[i];
	}
	out[w] = '\0';
	trim(out);
	strip_suffix(out, "(eur)");
	strip_suffix(out, "(euros)");
	strip_suffix(out, "()");
	strip_suffix(out, " en");	/* "Montant en €" */
	cut_partial(out);
	trim(out);
}

int
colmap_blank(char **fields, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (fields[i][strspn(fields[i], " \t")] != '\0')
			return 0;
	return 1;
}

/* The entry naming norm, and the rank of that name (entries first, then
 * names in their list: the lower, the better the header says what the
 * column holds). */
static int
entry_for(const struct colmap_entry *e, size_t n, const char *norm,
    int *rank)
{
	size_t	i;
	int	k;

	for (i = 0; i < n; i++)
		for (k = 0; e[i].names[k] != NULL; k++)
			if (strcmp(e[i].names[k], norm) == 0) {
				*rank = (int)i * 1000 + k;
				return (int)i;
			}
	return -1;
}

int
colmap_resolve(struct colmap *m, const struct canon_table_def *t,
    const struct colmap_entry *e, size_t ne, const int *required,
    char **fields, size_t n, char *msg, size_t msglen)
{
	char	norm[COLMAP_NAME_MAX];
	int	rank_of[CANON_MAX_COLUMNS];
	size_t	i;
	int	k, col, rank, prev;

	memset(m, 0, sizeof(*m));
	m->table = t;
	for (i = 0; i < CANON_MAX_COLUMNS; i++)
		m->field_of[i] = -1;
	if (n > COLMAP_MAX_FIELDS) {
		snprintf(msg, msglen, "Trop de colonnes (%zu, %d au plus).", n,
		    COLMAP_MAX_FIELDS);
		return -1;
	}
	m->nfields = n;
	for (i = 0; i < n; i++) {
		snprintf(m->header[i], sizeof(m->header[i]), "%s", fields[i]);
		colmap_normalize(fields[i], norm, sizeof(norm));
		m->of_field[i] = -1;
		if ((k = entry_for(e, ne, norm, &rank)) < 0)
			continue;
		col = e[k].column;
		if ((prev = m->field_of[col]) >= 0) {
			/* Two headers for one column (a subtotal and its only
			 * leaf, say): the better-ranked name wins; the same
			 * name twice is ambiguous. */
			if (rank == rank_of[col]) {
				snprintf(msg, msglen, "Les colonnes « %s » et "
				    "« %s » portent le même nom : gardez-en une "
				    "seule.", m->header[prev], fields[i]);
				return -1;
			}
			if (rank > rank_of[col])
				continue;
			m->of_field[prev] = -1;
		}
		rank_of[col] = rank;
		m->of_field[i] = col;
		m->kind[i] = e[k].kind >= 0 ? e[k].kind : (int)t->columns[col].kind;
		m->field_of[col] = (int)i;
	}
	for (; required != NULL && *required >= 0; required++) {
		if (m->field_of[*required] >= 0)
			continue;
		k = -1;
		for (i = 0; i < ne && k < 0; i++)
			if (e[i].column == *required)
				k = (int)i;
		snprintf(msg, msglen, "Colonne obligatoire absente : « %s ». "
		    "Vérifiez que le fichier est bien l'export attendu, avec sa "
		    "ligne d'en-tête.", k >= 0 ? e[k].names[0] :
		    t->columns[*required].name);
		return -1;
	}
	return 0;
}

int
colmap_field(const struct colmap *m, int column)
{
	return column >= 0 && column < CANON_MAX_COLUMNS ? m->field_of[column] : -1;
}

int
colmap_row(struct colmap *m, char **fields, size_t n, struct canon_record *r,
    const char **column, const char **value, const char **reason)
{
	const char	*msg;
	size_t		 i;
	int		 col;

	for (i = 0; i < n && i < m->nfields; i++) {
		if ((col = m->of_field[i]) < 0)
			continue;
		if (fields[i][strspn(fields[i], " \t")] == '\0')
			continue;	/* empty: absent */
		msg = canon_parse_into(r, col, (enum canon_kind)m->kind[i],
		    fields[i], m->decimal, &m->decimal);
		if (msg != NULL) {
			*column = m->header[i];
			*value = fields[i];
			*reason = msg;
			return -1;
		}
	}
	return 0;
}
