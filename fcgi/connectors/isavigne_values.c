/* What iSaVigne's values become: labels of categories and packagings to
 * our words, a full name split on its first space, the keys a file does
 * not give. */
#include <stdio.h>
#include <string.h>

#include "isavigne.h"

/* Words of a normalised label (colmap_normalize), first match wins: the
 * more specific before the general ("rose" before "vin"). */
static const struct {
	const char	*word;
	const char	*category;
} categories[] = {
	{ "petillant", "petillant" }, { "cremant", "mousseux" },
	{ "mousseux", "mousseux" }, { "champagne", "mousseux" },
	{ "effervescent", "mousseux" }, { "fortifie", "fortifie" },
	{ "vin doux", "fortifie" }, { "vdn", "fortifie" },
	{ "liquoreux", "fortifie" }, { "porto", "fortifie" },
	{ "rose", "rose" }, { "rouge", "rouge" }, { "blanc", "blanc" },
	{ "red", "rouge" }, { "white", "blanc" },
};

/* Whole labels too short to search inside. */
static const struct {
	const char	*label;
	const char	*category;
} initials[] = {
	{ "r", "rouge" }, { "b", "blanc" }, { "rs", "rose" }, { "p", "petillant" },
};

const char *
isavigne_category(const char *label)
{
	char	norm[COLMAP_NAME_MAX];
	size_t	i;

	colmap_normalize(label, norm, sizeof(norm));
	for (i = 0; i < sizeof(initials) / sizeof(initials[0]); i++)
		if (strcmp(norm, initials[i].label) == 0)
			return initials[i].category;
	for (i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
		if (strstr(norm, categories[i].word) != NULL)
			return categories[i].category;
	return NULL;
}

static const struct {
	const char	*word;
	const char	*code;
} packagings[] = {
	{ "caisse de 12", "caisse12" }, { "carton de 12", "caisse12" },
	{ "caisse 12", "caisse12" }, { "carton 12", "caisse12" },
	{ "12 x 75", "caisse12" }, { "12x75", "caisse12" },
	{ "caisse de 6", "caisse6" }, { "carton de 6", "caisse6" },
	{ "caisse 6", "caisse6" }, { "carton 6", "caisse6" },
	{ "6 x 75", "caisse6" }, { "6x75", "caisse6" },
	{ "bib", "bib3l" }, { "bag in box", "bib3l" }, { "fontaine", "bib3l" },
	{ "jeroboam", "jeroboam" }, { "magnum", "magnum" },
	{ "demi", "demi" }, { "1/2", "demi" }, { "37,5", "demi" },
	{ "37.5", "demi" }, { "bouteille", "bouteille" }, { "75 cl", "bouteille" },
	{ "75cl", "bouteille" }, { "btl", "bouteille" }, { "bt", "bouteille" },
};

const char *
isavigne_packaging(const char *label, char *out, size_t len)
{
	char	norm[COLMAP_NAME_MAX];
	size_t	i, o = 0;

	colmap_normalize(label, norm, sizeof(norm));
	if (*norm == '\0')
		return NULL;
	for (i = 0; i < sizeof(packagings) / sizeof(packagings[0]); i++)
		if (strstr(norm, packagings[i].word) != NULL) {
			snprintf(out, len, "%s", packagings[i].code);
			return out;
		}
	/* An organisation's own code ("pot_50cl"): letters, digits, "_". */
	for (i = 0; norm[i] != '\0' && o + 1 < len && o < 40; i++)
		if ((norm[i] >= 'a' && norm[i] <= 'z') ||
		    (norm[i] >= '0' && norm[i] <= '9'))
			out[o++] = norm[i];
		else if (o > 0 && out[o - 1] != '_')
			out[o++] = '_';
	while (o > 0 && out[o - 1] == '_')
		o--;
	out[o] = '\0';
	return o > 0 ? out : NULL;
}

void
isavigne_split_name(const char *full, char *first, size_t flen, char *last,
    size_t llen)
{
	const char	*sp;

	while (*full == ' ')
		full++;
	if ((sp = strchr(full, ' ')) == NULL) {
		snprintf(first, flen, "%s", "");
		snprintf(last, llen, "%s", full);
		return;
	}
	snprintf(first, flen, "%.*s", (int)(sp - full), full);
	while (*sp == ' ')
		sp++;
	snprintf(last, llen, "%s", sp);
}

/* ---- the finish of each stream's records ----------------------------------- */

const char *
isavigne_finish_product(struct canon_record *r, const json_t *config,
    int *column)
{
	const char	*cat = NULL;
	char		 code[48];

	(void)config;
	(void)column;
	if (r->set[PROD_CATEGORY])
		cat = isavigne_category(r->text[PROD_CATEGORY]);
	canon_set_text(r, PROD_CATEGORY, cat != NULL ? cat : "autre");
	if (r->set[PROD_PACKAGING]) {
		if (isavigne_packaging(r->text[PROD_PACKAGING], code,
		    sizeof(code)) != NULL)
			canon_set_text(r, PROD_PACKAGING, code);
		else
			r->set[PROD_PACKAGING] = 0;
	}
	if (!r->set[PROD_ACTIVE])
		canon_set_num(r, PROD_ACTIVE, 1);
	if (r->set[PROD_VINTAGE] && (r->num[PROD_VINTAGE] < 1800 ||
	    r->num[PROD_VINTAGE] > 2200)) {
		*column = PROD_VINTAGE;
		return "Millésime invalide (une année entre 1800 et 2200).";
	}
	if (r->set[PROD_ALCOHOL] && r->num[PROD_ALCOHOL] > 10000) {
		*column = PROD_ALCOHOL;
		return "Degré d'alcool invalide (100 % au plus).";
	}
	return NULL;
}

const char *
isavigne_finish_customer(struct canon_record *r, const json_t *config,
    int *column)
{
	char	first[CANON_TEXT_MAX], last[CANON_TEXT_MAX];

	(void)config;
	(void)column;
	/* A full name alone is split on its first space. */
	if (r->set[CUST_FULL_NAME] && !r->set[CUST_FIRST_NAME] &&
	    !r->set[CUST_LAST_NAME]) {
		isavigne_split_name(r->text[CUST_FULL_NAME], first, sizeof(first),
		    last, sizeof(last));
		if (*first != '\0')
			canon_set_text(r, CUST_FIRST_NAME, first);
		if (*last != '\0')
			canon_set_text(r, CUST_LAST_NAME, last);
	}
	return NULL;
}

/* A line's key when the file has none: its order, product and
 * packaging (one order names a product once per packaging). */
const char *
isavigne_finish_sale(struct canon_record *r, const json_t *config,
    int *column)
{
	char	key[CANON_TEXT_MAX], code[48];

	(void)config;
	if (r->set[SALE_PACKAGING]) {
		if (isavigne_packaging(r->text[SALE_PACKAGING], code,
		    sizeof(code)) != NULL)
			canon_set_text(r, SALE_PACKAGING, code);
		else
			r->set[SALE_PACKAGING] = 0;
	}
	if (!r->set[SALE_SOURCE_KEY]) {
		if (!r->set[SALE_ORDER_REF]) {
			*column = SALE_ORDER_REF;
			return "Sans numéro de ligne, le numéro de commande est"
			    " nécessaire pour reconnaître la ligne.";
		}
		snprintf(key, sizeof(key), "%.300s/%.300s/%.40s",
		    r->text[SALE_ORDER_REF], r->text[SALE_PRODUCT_REF],
		    r->set[SALE_PACKAGING] ? r->text[SALE_PACKAGING] : "");
		canon_set_text(r, SALE_SOURCE_KEY, key);
	}
	/* One price from the other. */
	if (!r->set[SALE_TOTAL] && r->set[SALE_UNIT_PRICE])
		canon_set_num(r, SALE_TOTAL, (r->num[SALE_UNIT_PRICE] *
		    r->num[SALE_QUANTITY] + (r->num[SALE_UNIT_PRICE] *
		    r->num[SALE_QUANTITY] >= 0 ? 50 : -50)) / 100);
	else if (!r->set[SALE_UNIT_PRICE] && r->set[SALE_TOTAL] &&
	    r->num[SALE_QUANTITY] != 0)
		canon_set_num(r, SALE_UNIT_PRICE, r->num[SALE_TOTAL] * 100 /
		    r->num[SALE_QUANTITY]);
	return NULL;
}

/* A stock row is a product in a warehouse. */
const char *
isavigne_finish_stock(struct canon_record *r, const json_t *config,
    int *column)
{
	char	key[CANON_TEXT_MAX];

	(void)config;
	(void)column;
	snprintf(key, sizeof(key), "%.400s@%.200s", r->text[STOCK_PRODUCT_REF],
	    r->set[STOCK_WAREHOUSE] ? r->text[STOCK_WAREHOUSE] : "");
	canon_set_text(r, STOCK_SOURCE_KEY, key);
	if (!r->set[STOCK_RESERVED])
		canon_set_num(r, STOCK_RESERVED, 0);
	return NULL;
}
