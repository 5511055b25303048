#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "armado_json.h"

/* Depth and size well beyond what a lookup answers. */
#define MAX_BILLS	1000

int
armado_id_ok(const char *s)
{
	size_t	n = strlen(s);

	return n >= 1 && n < ARMADO_ID_MAX &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_-") == n;
}

/* The bill's id as text; -1 when it has none we can use. */
static int
bill_id(const json_t *bill, char id[ARMADO_ID_MAX])
{
	const json_t	*v = json_object_get(bill, "id");

	if (json_is_integer(v) && json_integer_value(v) > 0) {
		snprintf(id, ARMADO_ID_MAX, "%lld",
		    (long long)json_integer_value(v));
		return 0;
	}
	if (json_is_string(v) && armado_id_ok(json_string_value(v))) {
		snprintf(id, ARMADO_ID_MAX, "%s", json_string_value(v));
		return 0;
	}
	return -1;
}

enum armado_bills
armado_parse_bills(const char *body, size_t len, const char *reference,
    char id[ARMADO_ID_MAX])
{
	json_t			*a, *bill;
	json_error_t		 e;
	const char		*ref;
	enum armado_bills	 found = ARMADO_BILLS_NONE;
	size_t			 i;

	id[0] = '\0';
	if ((a = json_loadb(body, len, JSON_REJECT_DUPLICATES, &e)) == NULL)
		return ARMADO_BILLS_MALFORMED;
	if (!json_is_array(a) || json_array_size(a) > MAX_BILLS) {
		json_decref(a);
		return ARMADO_BILLS_MALFORMED;
	}
	json_array_foreach(a, i, bill) {
		if (!json_is_object(bill)) {
			found = ARMADO_BILLS_MALFORMED;
			break;
		}
		ref = json_string_value(json_object_get(bill, "reference"));
		if (ref == NULL || strcmp(ref, reference) != 0)
			continue;
		if (found == ARMADO_BILLS_ONE) {
			found = ARMADO_BILLS_SEVERAL;
			break;
		}
		if (bill_id(bill, id) == -1) {
			found = ARMADO_BILLS_MALFORMED;
			break;
		}
		found = ARMADO_BILLS_ONE;
	}
	json_decref(a);
	if (found != ARMADO_BILLS_ONE)
		id[0] = '\0';
	return found;
}

void
armado_parse_message(const char *body, size_t len, char *out, size_t outlen)
{
	json_t		*o;
	json_error_t	 e;
	const char	*m;
	size_t		 n = 0, k;

	if (outlen == 0)
		return;
	out[0] = '\0';
	if ((o = json_loadb(body, len, 0, &e)) == NULL)
		return;
	m = json_string_value(json_object_get(o, "message"));
	/* jansson gives valid UTF-8: copy whole characters, controls as
	 * spaces, while they fit. */
	for (; m != NULL && *m != '\0'; m += k) {
		k = 1;
		if (((unsigned char)*m & 0xe0) == 0xc0)
			k = 2;
		else if (((unsigned char)*m & 0xf0) == 0xe0)
			k = 3;
		else if (((unsigned char)*m & 0xf8) == 0xf0)
			k = 4;
		if (n + k >= outlen)
			break;
		if (k == 1 && ((unsigned char)*m < ' ' || *m == 0x7f))
			out[n++] = ' ';
		else {
			memcpy(out + n, m, k);
			n += k;
		}
	}
	out[n] = '\0';
	json_decref(o);
}
