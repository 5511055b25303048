#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "utf8.h"
#include "valid.h"

#define VALUE_MAX	4096

static size_t
utf8_chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Copy s without leading and trailing white space. */
static void
trim(const char *s, char *out, size_t outlen)
{
	size_t	n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

static const char *
check_length(const struct valid_field *f, const char *s, char *msg,
    size_t msglen)
{
	size_t	n = utf8_chars(s);

	if (f->min > 0 && n < (size_t)f->min) {
		snprintf(msg, msglen, "Au moins %lld caractères.", f->min);
		return msg;
	}
	if (f->max > 0 && n > (size_t)f->max) {
		snprintf(msg, msglen, "Au plus %lld caractères.", f->max);
		return msg;
	}
	return NULL;
}

static const char *
check_range(const struct valid_field *f, long long v)
{
	if ((f->min != 0 || f->max != 0) && (v < f->min || v > f->max))
		return "Valeur hors des limites permises.";
	return NULL;
}

static const char *
parse_int(const struct valid_field *f, const char *s, json_t **out)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno == ERANGE)
		return "Nombre entier attendu.";
	if (check_range(f, v) != NULL)
		return check_range(f, v);
	*out = json_integer(v);
	return NULL;
}

/* "1 234,56", "1234.56", "-12", "12,5": at most two decimals, spaces
 * (also U+00A0 and U+202F) allowed between thousands. */
static const char *
parse_money(const struct valid_field *f, const char *s, json_t **out)
{
	long long	 units = 0, cents = 0;
	int		 neg = 0, decimals = -1, digits = 0;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s != '\0'; s++) {
		if (isdigit((unsigned char)*s)) {
			if (decimals >= 0) {
				if (++decimals > 2)
					return "Au plus deux décimales.";
				cents = cents * 10 + (*s - '0');
			} else {
				if (units > LLONG_MAX / 1000)
					return "Montant trop grand.";
				units = units * 10 + (*s - '0');
			}
			digits++;
		} else if ((*s == ',' || *s == '.') && decimals < 0)
			decimals = 0;
		else if (*s == ' ' && decimals < 0)
			continue;
		else if (!strncmp(s, "\xc2\xa0", 2) || !strncmp(s, "\xe2\x80\xaf", 3))
			s += s[0] == '\xc2' ? 1 : 2;
		else
			return "Montant invalide (exemple : 1 234,56).";
	}
	if (digits == 0)
		return "Montant invalide (exemple : 1 234,56).";
	if (decimals == 1)
		cents *= 10;
	cents += units * 100;
	if (neg)
		cents = -cents;
	if (check_range(f, cents) != NULL)
		return check_range(f, cents);
	*out = json_integer(cents);
	return NULL;
}

static const char *
parse_date(const char *s, json_t **out)
{
	char	iso[16];
	int	y, m, d;

	if (fmt_parse_date(s, &y, &m, &d) == -1)
		return "Date invalide (format JJ/MM/AAAA).";
	snprintf(iso, sizeof(iso), "%04d-%02d-%02d", y, m, d);
	*out = json_string(iso);
	return NULL;
}

static const char *
parse_email(const char *s, json_t **out)
{
	const char	*at = strchr(s, '@');
	char		 low[256];
	size_t		 i, n = strlen(s);

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL ||
	    strchr(at, '.') == NULL || at[1] == '.' || s[n - 1] == '.' ||
	    n >= sizeof(low) || strpbrk(s, " \t<>,;\"") != NULL)
		return "Adresse e-mail invalide.";
	for (i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	*out = json_string(low);
	return NULL;
}

static const char *
parse_enum(const struct valid_field *f, const char *s, json_t **out)
{
	const char *const	*c;

	for (c = f->choices; c != NULL && *c != NULL; c++)
		if (strcmp(*c, s) == 0) {
			*out = json_string(s);
			return NULL;
		}
	return "Choix invalide.";
}

static const char *
parse_uuid(const char *s, json_t **out)
{
	static const char	shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	size_t			i;

	if (strlen(s) != sizeof(shape) - 1)
		return "Identifiant invalide.";
	for (i = 0; shape[i] != '\0'; i++)
		if (shape[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return "Identifiant invalide.";
	*out = json_string(s);
	return NULL;
}

static const char *
parse_bool(const char *s, json_t **out)
{
	if (!strcmp(s, "on") || !strcmp(s, "true") || !strcmp(s, "1") ||
	    !strcmp(s, "oui"))
		*out = json_true();
	else if (!strcmp(s, "") || !strcmp(s, "off") || !strcmp(s, "false") ||
	    !strcmp(s, "0") || !strcmp(s, "non"))
		*out = json_false();
	else
		return "Valeur oui/non attendue.";
	return NULL;
}

static const char *
by_type(const struct valid_field *f, const char *s, json_t **out, char *msg,
    size_t msglen)
{
	switch (f->type) {
	case V_TEXT:
	case V_PASSWORD:
		if (check_length(f, s, msg, msglen) != NULL)
			return msg;
		*out = json_string(s);
		return NULL;
	case V_INT:
		return parse_int(f, s, out);
	case V_MONEY:
		return parse_money(f, s, out);
	case V_DATE:
		return parse_date(s, out);
	case V_EMAIL:
		return parse_email(s, out);
	case V_ENUM:
		return parse_enum(f, s, out);
	case V_BOOL:
		return parse_bool(s, out);
	case V_UUID:
		return parse_uuid(s, out);
	}
	return "Type de champ inconnu.";
}

const char *
valid_value(const struct valid_field *f, const char *in, json_t **out,
    char *msgbuf, size_t msglen)
{
	char		 v[VALUE_MAX], checked[VALUE_MAX];
	const char	*msg;

	*out = NULL;
	if (strlen(in) >= VALUE_MAX)
		return "Valeur trop longue.";
	if (!utf8_valid_text(in, strlen(in)))
		return "Texte invalide.";
	if (f->type == V_PASSWORD)
		snprintf(v, sizeof(v), "%s", in);
	else
		trim(in, v, sizeof(v));
	if (f->check != NULL && v[0] != '\0') {
		if ((msg = f->check(v, checked, sizeof(checked))) != NULL)
			return msg;
		memcpy(v, checked, sizeof(v));
	}
	if ((msg = by_type(f, v, out, msgbuf, msglen)) != NULL)
		return msg;
	return *out == NULL ? "Mémoire insuffisante." : NULL;
}

/* Marks a JSON object or array where a value was expected. */
static const char not_scalar[] = "";

/* The raw value from the JSON body or the form: JSON numbers and
 * booleans become their text so one parser serves both. */
static const char *
raw_value(const struct request *r, const char *name, char *tmp, size_t n)
{
	json_t	*j;

	if (r->json == NULL)
		return http_form(r, name);
	if ((j = json_object_get(r->json, name)) == NULL || json_is_null(j))
		return NULL;
	if (json_is_string(j))
		return json_string_value(j);
	if (json_is_integer(j))
		snprintf(tmp, n, "%lld", (long long)json_integer_value(j));
	else if (json_is_real(j))
		snprintf(tmp, n, "%.2f", json_real_value(j));
	else if (json_is_boolean(j))
		snprintf(tmp, n, "%s", json_is_true(j) ? "true" : "false");
	else
		return not_scalar;
	return tmp;
}

static int
is_blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

json_t *
valid_input(const struct request *r, const struct valid_field *fields,
    size_t n, json_t **errors)
{
	json_t		*out = json_object(), *v;
	const char	*raw, *msg;
	char		 tmp[64], msgbuf[128];
	size_t		 i;

	*errors = json_object();
	for (i = 0; i < n; i++) {
		raw = raw_value(r, fields[i].name, tmp, sizeof(tmp));
		if (raw == NULL && fields[i].type == V_BOOL && r->json == NULL)
			raw = "";
		if (raw == not_scalar) {
			json_object_set_new(*errors, fields[i].name,
			    json_string("Une valeur simple est attendue."));
			continue;
		}
		if (raw == NULL || (is_blank(raw) && fields[i].type != V_BOOL)) {
			if (fields[i].required)
				json_object_set_new(*errors, fields[i].name,
				    json_string("Ce champ est obligatoire."));
			continue;
		}
		if ((msg = valid_value(&fields[i], raw, &v, msgbuf,
		    sizeof(msgbuf))) != NULL)
			json_object_set_new(*errors, fields[i].name,
			    json_string(msg));
		else
			json_object_set_new(out, fields[i].name, v);
	}
	if (json_object_size(*errors) == 0) {
		json_decref(*errors);
		*errors = NULL;
	}
	return out;
}
