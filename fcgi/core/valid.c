#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "i18n.h"
#include "utf8.h"
#include "valid.h"
#include "worker.h"

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

/* The one check whose message names a number: the bound, in *bound. */
static const char *
check_length(const struct valid_field *f, const char *s, long long *bound)
{
	size_t	n = utf8_chars(s);

	if (f->min > 0 && n < (size_t)f->min) {
		*bound = f->min;
		return "valid.too_short";
	}
	if (f->max > 0 && n > (size_t)f->max) {
		*bound = f->max;
		return "valid.too_long";
	}
	return NULL;
}

static const char *
check_range(const struct valid_field *f, long long v)
{
	if ((f->min != 0 || f->max != 0) && (v < f->min || v > f->max))
		return "valid.out_of_range";
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
		return "valid.integer";
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
					return "valid.decimals";
				cents = cents * 10 + (*s - '0');
			} else {
				if (units > LLONG_MAX / 1000)
					return "valid.money_too_large";
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
			return "valid.money";
	}
	if (digits == 0)
		return "valid.money";
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
		return "valid.date";
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
		return "valid.email";
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
	return "valid.choice";
}

static const char *
parse_uuid(const char *s, json_t **out)
{
	static const char	shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	size_t			i;

	if (strlen(s) != sizeof(shape) - 1)
		return "valid.uuid";
	for (i = 0; shape[i] != '\0'; i++)
		if (shape[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return "valid.uuid";
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
		return "valid.bool";
	return NULL;
}

static const char *
by_type(const struct valid_field *f, const char *s, json_t **out,
    long long *bound)
{
	const char	*key;

	switch (f->type) {
	case V_TEXT:
	case V_PASSWORD:
		if ((key = check_length(f, s, bound)) != NULL)
			return key;
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
	return "valid.unknown_type";
}

static const char *
value_key(const struct valid_field *f, const char *in, json_t **out,
    long long *bound)
{
	char		 v[VALUE_MAX], checked[VALUE_MAX];
	const char	*key;

	if (strlen(in) >= VALUE_MAX)
		return "valid.value_too_long";
	if (!utf8_valid_text(in, strlen(in)))
		return "valid.text";
	if (f->type == V_PASSWORD)
		snprintf(v, sizeof(v), "%s", in);
	else
		trim(in, v, sizeof(v));
	if (f->check != NULL && v[0] != '\0') {
		if ((key = f->check(v, checked, sizeof(checked))) != NULL)
			return key;
		memcpy(v, checked, sizeof(v));
	}
	if ((key = by_type(f, v, out, bound)) != NULL)
		return key;
	return *out == NULL ? "valid.memory" : NULL;
}

int
valid_value(const struct valid_field *f, const char *in, json_t **out,
    struct valid_error *err)
{
	err->n = 0;
	*out = NULL;
	if ((err->key = value_key(f, in, out, &err->n)) == NULL)
		return 0;
	json_decref(*out);
	*out = NULL;
	return -1;
}

const char *
valid_text(const struct request *r, const struct valid_error *err,
    char *out, size_t len)
{
	/* Without a worker (unit tests of parsing) the key stands in. */
	const struct i18n	*cat = r->w != NULL ? r->w->i18n : NULL;

	return i18n_number(cat, (lang_id)r->lang, err->key, err->n, out, len);
}

static int
set_error(const struct request *r, json_t *errors, const char *field,
    const struct valid_error *err)
{
	char	text[256];

	return json_object_set_new(errors, field,
	    json_string(valid_text(r, err, text, sizeof(text))));
}

int
valid_fail(const struct request *r, json_t *errors, const char *field,
    const char *key)
{
	const struct valid_error	err = { key, 0 };

	return set_error(r, errors, field, &err);
}

json_t *
valid_one_error(const struct request *r, const char *field, const char *key)
{
	json_t	*errors = json_object();

	if (errors != NULL && valid_fail(r, errors, field, key) == -1) {
		json_decref(errors);
		errors = NULL;
	}
	return errors;
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
	json_t			*out = json_object(), *v;
	const char		*raw;
	char			 tmp[64];
	struct valid_error	 err;
	size_t			 i;

	*errors = json_object();
	for (i = 0; i < n; i++) {
		raw = raw_value(r, fields[i].name, tmp, sizeof(tmp));
		if (raw == NULL && fields[i].type == V_BOOL && r->json == NULL)
			raw = "";
		if (raw == not_scalar) {
			valid_fail(r, *errors, fields[i].name, "valid.scalar");
			continue;
		}
		if (raw == NULL || (is_blank(raw) && fields[i].type != V_BOOL)) {
			if (fields[i].required)
				valid_fail(r, *errors, fields[i].name,
				    "valid.required");
			continue;
		}
		if (valid_value(&fields[i], raw, &v, &err) == -1)
			set_error(r, *errors, fields[i].name, &err);
		else
			json_object_set_new(out, fields[i].name, v);
	}
	if (json_object_size(*errors) == 0) {
		json_decref(*errors);
		*errors = NULL;
	}
	return out;
}
