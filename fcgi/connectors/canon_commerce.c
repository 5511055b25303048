/* The commerce tables' canonical columns (migration 0021), and the value
 * parser only they need: yes or no.  (Decimals, which read like money,
 * are canon.c's.) */
#include <ctype.h>
#include <string.h>

#include "canon.h"

#define L(name)	"sources.canon." name

const struct canon_column canon_product_columns[PROD_NCOLUMNS] = {
	[PROD_SOURCE_KEY] = { "source_key", CK_TEXT, L("product_ref"), 1 },
	[PROD_NAME] = { "name", CK_TEXT, L("product_name"), 1 },
	[PROD_CATEGORY] = { "category", CK_TEXT, L("category"), 0 },
	[PROD_LIST_PRICE] = { "list_price_cents", CK_MONEY, L("list_price"), 0 },
	[PROD_COST_PRICE] = { "cost_price_cents", CK_MONEY, L("cost_price"), 0 },
	[PROD_PACKAGING] = { "packaging", CK_TEXT, L("packaging"), 0 },
	[PROD_GRAPES] = { "grapes", CK_TEXT, L("grapes"), 0 },
	[PROD_FLAVOURS] = { "flavours", CK_TEXT, L("flavours"), 0 },
	[PROD_VINTAGE] = { "vintage", CK_INT, L("vintage"), 0 },
	[PROD_REGION] = { "region", CK_TEXT, L("region"), 0 },
	[PROD_ALCOHOL] = { "alcohol", CK_DECIMAL, L("alcohol"), 0 },
	[PROD_BODY] = { "body", CK_TEXT, L("body"), 0 },
	[PROD_TANNINS] = { "tannins", CK_TEXT, L("tannins"), 0 },
	[PROD_ACTIVE] = { "active", CK_BOOL, L("active"), 0 },
};

const struct canon_column canon_customer_columns[CUST_NCOLUMNS] = {
	[CUST_SOURCE_KEY] = { "source_key", CK_TEXT, L("customer_ref"), 1 },
	[CUST_FIRST_NAME] = { "first_name", CK_TEXT, L("first_name"), 0 },
	[CUST_LAST_NAME] = { "last_name", CK_TEXT, L("last_name"), 0 },
	[CUST_FULL_NAME] = { "full_name", CK_TEXT, L("full_name"), 0 },
	[CUST_EMAIL] = { "email", CK_EMAIL, L("email"), 0 },
	[CUST_PHONE] = { "phone", CK_PHONE, L("phone"), 0 },
	[CUST_MOBILE] = { "mobile", CK_PHONE, L("mobile"), 0 },
	[CUST_ZIP] = { "zip", CK_TEXT, L("zip"), 0 },
	[CUST_CITY] = { "city", CK_TEXT, L("city"), 0 },
	[CUST_COUNTRY] = { "country", CK_TEXT, L("country"), 0 },
	[CUST_OPTOUT_EMAIL] = { "optout_email", CK_BOOL, L("optout_email"), 0 },
	[CUST_OPTOUT_SMS] = { "optout_sms", CK_BOOL, L("optout_sms"), 0 },
	[CUST_OPTOUT_PHONE] = { "optout_phone", CK_BOOL, L("optout_phone"), 0 },
};

const struct canon_column canon_sale_columns[SALE_NCOLUMNS] = {
	[SALE_SOURCE_KEY] = { "source_key", CK_TEXT, L("sale_ref"), 1 },
	[SALE_ORDER_REF] = { "order_ref", CK_TEXT, L("order_ref"), 0 },
	[SALE_CUSTOMER_REF] = { "customer_ref", CK_TEXT, L("customer_ref"), 0 },
	[SALE_PRODUCT_REF] = { "product_ref", CK_TEXT, L("product_ref"), 1 },
	[SALE_SOLD_ON] = { "sold_on", CK_DATE, L("sold_on"), 1 },
	[SALE_PACKAGING] = { "packaging", CK_TEXT, L("packaging"), 0 },
	[SALE_QUANTITY] = { "quantity", CK_DECIMAL, L("quantity"), 1 },
	[SALE_UNIT_PRICE] = { "unit_price_cents", CK_MONEY, L("unit_price"), 0 },
	[SALE_TOTAL] = { "total_cents", CK_MONEY, L("total"), 0 },
	[SALE_COST] = { "cost_cents", CK_MONEY, L("cost"), 0 },
	[SALE_CHANNEL] = { "channel", CK_TEXT, L("channel"), 0 },
};

const struct canon_column canon_stock_columns[STOCK_NCOLUMNS] = {
	[STOCK_SOURCE_KEY] = { "source_key", CK_TEXT, L("stock_ref"), 1 },
	[STOCK_PRODUCT_REF] = { "product_ref", CK_TEXT, L("product_ref"), 1 },
	[STOCK_WAREHOUSE] = { "warehouse", CK_TEXT, L("warehouse"), 0 },
	[STOCK_QUANTITY] = { "quantity", CK_DECIMAL, L("quantity"), 1 },
	[STOCK_RESERVED] = { "reserved", CK_DECIMAL, L("reserved"), 0 },
};

static const struct {
	const char	*word;
	int		 value;
} bools[] = {
	{ "oui", 1 }, { "o", 1 }, { "yes", 1 }, { "y", 1 }, { "x", 1 },
	{ "1", 1 }, { "vrai", 1 }, { "true", 1 }, { "non", 0 }, { "n", 0 },
	{ "no", 0 }, { "0", 0 }, { "faux", 0 }, { "false", 0 }, { "-", 0 },
};

const char *
canon_parse_bool(const char *in, long long *out)
{
	char	norm[32];
	size_t	i, n = 0;

	/* ASCII words only: lower case, without the spaces around. */
	while (*in == ' ')
		in++;
	for (; *in != '\0' && n + 1 < sizeof(norm); in++)
		norm[n++] = (char)tolower((unsigned char)*in);
	while (n > 0 && norm[n - 1] == ' ')
		n--;
	norm[n] = '\0';
	for (i = 0; i < sizeof(bools) / sizeof(bools[0]); i++)
		if (strcmp(norm, bools[i].word) == 0) {
			*out = bools[i].value;
			return NULL;
		}
	return "Oui ou non attendu.";
}
