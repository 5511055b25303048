/* Cookies of an outbound client (cookiejar.h).  A Set-Cookie line is
 * "name=value" then attributes after ';'; only Expires and Max-Age
 * change what we keep. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cookiejar.h"

static int
is_token(int c)
{
	return c > 0x20 && c < 0x7f && strchr("()<>@,;:\\\"/[]?={}", c) == NULL;
}

/* RFC 6265 cookie-octet: no control, blank, '"', ',', ';' or '\'. */
static int
is_octet(int c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) ||
	    (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
}

static void
trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

/* name=value between s and e, checked, into c (expires left alone). */
static int
read_pair(const char *s, const char *e, struct cookie *c)
{
	const char	*eq, *v, *p;

	trim(&s, &e);
	if ((eq = memchr(s, '=', (size_t)(e - s))) == NULL)
		return -1;
	v = eq + 1;
	while (eq > s && (eq[-1] == ' ' || eq[-1] == '\t'))
		eq--;
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	if (eq == s || (size_t)(eq - s) > COOKIE_NAME_MAX)
		return -1;
	for (p = s; p < eq; p++)
		if (!is_token((unsigned char)*p))
			return -1;
	if (e - v >= 2 && *v == '"' && e[-1] == '"') {
		v++;
		e--;
	}
	if ((size_t)(e - v) > COOKIE_VALUE_MAX)
		return -1;
	for (p = v; p < e; p++)
		if (!is_octet((unsigned char)*p))
			return -1;
	memcpy(c->name, s, (size_t)(eq - s));
	c->name[eq - s] = '\0';
	memcpy(c->value, v, (size_t)(e - v));
	c->value[e - v] = '\0';
	return 0;
}

static struct cookie *
find(struct cookiejar *j, const char *name)
{
	size_t	i;

	for (i = 0; i < j->n; i++)
		if (strcmp(j->c[i].name, name) == 0)
			return &j->c[i];
	return NULL;
}

static void
drop(struct cookiejar *j, const char *name)
{
	struct cookie	*c = find(j, name);

	if (c == NULL)
		return;
	j->n--;
	memmove(c, c + 1, (size_t)((j->c + j->n) - c) * sizeof(*c));
}

/* Forget the cookies expired at now. */
static void
purge(struct cookiejar *j, long long now)
{
	size_t	i, k = 0;

	for (i = 0; i < j->n; i++)
		if (j->c[i].expires == 0 || j->c[i].expires > now)
			j->c[k++] = j->c[i];
	j->n = k;
}

/* Store c (replacing its namesake); removes it when expired at now. */
static int
put(struct cookiejar *j, const struct cookie *c, long long now)
{
	struct cookie	*old;

	if (c->expires != 0 && c->expires <= now) {
		drop(j, c->name);
		return 0;
	}
	if ((old = find(j, c->name)) == NULL) {
		purge(j, now);
		if (j->n == COOKIEJAR_MAX)
			return -1;
		old = &j->c[j->n++];
	}
	*old = *c;
	return 0;
}

static const char *const months[] = { "jan", "feb", "mar", "apr", "may",
	"jun", "jul", "aug", "sep", "oct", "nov", "dec" };

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
	long long	era;
	unsigned	yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

long long
cookiejar_parse_date(const char *s, size_t len)
{
	char	 buf[64], mon[4], *p;
	int	 d, y, hh, mm, ss, n = 0, i, m = -1;

	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* The weekday is not checked: many servers get it wrong. */
	p = strchr(buf, ',');
	p = p != NULL ? p + 1 : buf;
	for (i = 0; p[i] != '\0'; i++)
		if (p[i] == '-')
			p[i] = ' ';
	if (sscanf(p, " %2d %3s %4d %2d:%2d:%2d GMT%n", &d, mon, &y, &hh, &mm,
	    &ss, &n) != 6 || n == 0 || p[n] != '\0')
		return -1;
	for (i = 0; i < 12; i++)
		if (strcasecmp(mon, months[i]) == 0)
			m = i + 1;
	if (y >= 0 && y < 70)
		y += 2000;
	else if (y >= 70 && y < 100)
		y += 1900;
	if (m < 0 || d < 1 || d > 31 || y < 1601 || hh < 0 || hh > 23 ||
	    mm < 0 || mm > 59 || ss < 0 || ss > 60)
		return -1;
	return days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 +
	    hh * 3600 + mm * 60 + ss;
}

/* What a Set-Cookie line's attributes say of its life. */
struct life {
	int		 max_age_seen;
	int		 gone;		/* Max-Age <= 0, or Expires past */
	long long	 expires;
};

/* An attribute between s and e: Expires or Max-Age. */
static void
attribute(const char *s, const char *e, long long now, struct life *l)
{
	const char	*eq, *v;
	long long	 n = 0, t;
	int		 neg = 0;

	trim(&s, &e);
	if ((eq = memchr(s, '=', (size_t)(e - s))) == NULL)
		return;		/* Secure, HttpOnly: nothing to keep */
	v = eq + 1;
	while (eq > s && (eq[-1] == ' ' || eq[-1] == '\t'))
		eq--;
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	if (eq - s == 7 && strncasecmp(s, "max-age", 7) == 0) {
		if (v < e && *v == '-') {
			neg = 1;
			v++;
		}
		if (v == e)
			return;
		for (; v < e; v++) {
			if (!isdigit((unsigned char)*v))
				return;	/* ignored, as the RFC says */
			if (n < 1000000000000LL)
				n = n * 10 + (*v - '0');
		}
		l->max_age_seen = 1;
		l->gone = neg || n == 0;
		l->expires = now + n;
	} else if (eq - s == 7 && strncasecmp(s, "expires", 7) == 0 &&
	    !l->max_age_seen &&
	    (t = cookiejar_parse_date(v, (size_t)(e - v))) >= 0) {
		l->gone = t <= now;
		l->expires = t;
	}
}

int
cookiejar_set(struct cookiejar *j, const char *line, size_t len,
    long long now)
{
	struct cookie	 c;
	struct life	 l = { 0, 0, 0 };
	const char	*end = line + len, *semi, *s;

	if (memchr(line, '\0', len) != NULL)
		return -1;
	memset(&c, 0, sizeof(c));
	semi = memchr(line, ';', len);
	if (read_pair(line, semi != NULL ? semi : end, &c) != 0)
		return -1;
	for (s = semi; s != NULL && s < end; s = semi) {
		s++;
		semi = memchr(s, ';', (size_t)(end - s));
		attribute(s, semi != NULL ? semi : end, now, &l);
	}
	if (l.gone) {
		drop(j, c.name);
		return 0;
	}
	c.expires = l.expires;
	return put(j, &c, now);
}

const char *
cookiejar_get(const struct cookiejar *j, const char *name, long long now)
{
	size_t	i;

	for (i = 0; i < j->n; i++)
		if (strcmp(j->c[i].name, name) == 0 &&
		    (j->c[i].expires == 0 || j->c[i].expires > now))
			return j->c[i].value;
	return NULL;
}

long
cookiejar_header(const struct cookiejar *j, long long now, char *out,
    size_t size)
{
	size_t	i, used = 0;
	int	n;

	if (size == 0)
		return -1;
	out[0] = '\0';
	for (i = 0; i < j->n; i++) {
		if (j->c[i].expires != 0 && j->c[i].expires <= now)
			continue;
		n = snprintf(out + used, size - used, "%s%s=%s",
		    used ? "; " : "", j->c[i].name, j->c[i].value);
		if (n < 0 || (size_t)n >= size - used) {
			out[0] = '\0';
			return -1;
		}
		used += (size_t)n;
	}
	return (long)used;
}

int
cookiejar_paste(struct cookiejar *j, const char *text, size_t len)
{
	struct cookiejar	 next = *j;
	struct cookie		 c;
	const char		*s = text, *e = text + len, *semi;
	size_t			 pairs = 0;

	if (memchr(text, '\0', len) != NULL)
		return -1;
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	if (e - s >= 7 && strncasecmp(s, "cookie:", 7) == 0)
		s += 7;
	for (; s < e; s = semi + 1) {
		if ((semi = memchr(s, ';', (size_t)(e - s))) == NULL)
			semi = e;
		memset(&c, 0, sizeof(c));
		/* A trailing ';' leaves an empty piece: allowed. */
		if (semi - s > 0 && strspn(s, " \t") < (size_t)(semi - s)) {
			if (read_pair(s, semi, &c) != 0 || put(&next, &c, 0) != 0)
				return -1;
			pairs++;
		}
		if (semi == e)
			break;
	}
	if (pairs == 0)
		return -1;
	*j = next;
	return 0;
}

json_t *
cookiejar_to_json(const struct cookiejar *j)
{
	json_t	*o = json_object(), *c;
	size_t	 i;

	for (i = 0; o != NULL && i < j->n; i++) {
		if ((c = json_pack("{s:s}", "value", j->c[i].value)) == NULL ||
		    (j->c[i].expires != 0 && json_object_set_new(c, "expires",
		    json_integer(j->c[i].expires)) != 0) ||
		    json_object_set_new(o, j->c[i].name, c) != 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

int
cookiejar_from_json(struct cookiejar *j, const json_t *o)
{
	struct cookiejar	 next;
	struct cookie		 c;
	const char		*name, *v;
	json_t			*e, *x;
	char			 pair[COOKIE_NAME_MAX + COOKIE_VALUE_MAX + 2];
	int			 n;

	if (!json_is_object(o))
		return -1;
	memset(&next, 0, sizeof(next));
	json_object_foreach((json_t *)o, name, e) {
		if ((v = json_string_value(json_object_get(e, "value"))) == NULL)
			return -1;
		n = snprintf(pair, sizeof(pair), "%s=%s", name, v);
		memset(&c, 0, sizeof(c));
		if (n < 0 || (size_t)n >= sizeof(pair) ||
		    read_pair(pair, pair + n, &c) != 0 ||
		    strcmp(c.name, name) != 0)
			return -1;
		if ((x = json_object_get(e, "expires")) != NULL) {
			if (!json_is_integer(x) || json_integer_value(x) <= 0)
				return -1;
			c.expires = (long long)json_integer_value(x);
		}
		if (find(&next, c.name) != NULL || next.n == COOKIEJAR_MAX)
			return -1;
		next.c[next.n++] = c;
	}
	*j = next;
	return 0;
}
