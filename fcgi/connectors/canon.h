/* The canonical tables connectors fill (DESIGN §4): trips and earnings.
 * A connector turns what a platform sends into canon_record values, one
 * column table per canonical table; the loader (fcgi/jobs/sync_load.c)
 * writes them in the order of these tables.  Also the value parsers
 * every connector shares: money to cents, dates and times to UTC, whole
 * numbers, e-mails and phone numbers. */
#ifndef FC_CANON_H
#define FC_CANON_H

#include <stddef.h>

enum canon_table {
	CANON_TRIPS,
	CANON_EARNINGS,
	/* Filled by live sources (live.h). */
	CANON_PLATFORM_DRIVERS,
	CANON_PLATFORM_VEHICLES,
	CANON_DRIVER_STATES,
};

enum canon_kind {
	CK_TEXT,	/* trimmed text */
	CK_MONEY,	/* integer cents */
	CK_INT,		/* whole number >= 0 */
	CK_TIME,	/* an instant, written "YYYY-MM-DD HH:MM:SS+00" */
	CK_DATE,	/* a calendar day, "YYYY-MM-DD" */
	CK_EMAIL,	/* lower-cased */
	CK_PHONE,	/* E.164, "+33612345678" */
	CK_DISTANCE,	/* kilometres in the file, metres stored */
};

/* Columns of trips, in the order of the loader's staging table. */
enum trip_column {
	TRIP_SOURCE_KEY,
	TRIP_DRIVER_REF,	/* the platform's identifier of the driver */
	TRIP_DRIVER_NAME,
	TRIP_DRIVER_EMAIL,
	TRIP_DRIVER_PHONE,
	TRIP_VEHICLE_PLATE,
	TRIP_STATUS,		/* terminee, annulee, ajustement, autre */
	TRIP_PLATFORM_STATUS,	/* as the platform wrote it */
	TRIP_TRIP_REF,
	TRIP_STARTED_AT,
	TRIP_ENDED_AT,
	TRIP_DISTANCE_M,
	TRIP_PAYMENT_METHOD,	/* especes, carte, autre */
	TRIP_GROSS_FARE,
	TRIP_BOOKING_FEE,
	TRIP_TOLLS,
	TRIP_TIPS,
	TRIP_COMMISSION,
	TRIP_NET_EARNINGS,
	TRIP_CASH_COLLECTED,
	TRIP_PAYOUT,
	TRIP_CURRENCY,
	/* Bolt's order_price has these too (live sources, 0019). */
	TRIP_CANCELLATION_FEE,
	TRIP_CASH_DISCOUNT,
	TRIP_IN_APP_DISCOUNT,
	TRIP_NCOLUMNS
};

enum earnings_column {
	EARN_SOURCE_KEY,
	EARN_DRIVER_REF,
	EARN_DRIVER_NAME,
	EARN_DRIVER_EMAIL,
	EARN_DRIVER_PHONE,
	EARN_PERIOD,		/* jour, semaine, mois */
	EARN_PERIOD_START,
	EARN_PERIOD_END,
	EARN_GROSS,
	EARN_NET,
	EARN_CASH,
	EARN_CARD_GROSS,
	EARN_COMMISSION_CASH,
	EARN_COMMISSION_CARD,
	EARN_CANCELLATION,
	EARN_BONUSES,
	EARN_TIPS,
	EARN_RIDES_DONE,
	EARN_RIDES_CANCELLED,
	EARN_CURRENCY,
	EARN_NCOLUMNS
};

/* The drivers a platform lists (matched to ours like trips' drivers). */
enum platform_driver_column {
	PDRV_SOURCE_KEY,
	PDRV_DRIVER_REF,
	PDRV_DRIVER_NAME,
	PDRV_DRIVER_EMAIL,
	PDRV_DRIVER_PHONE,
	PDRV_STATE,
	PDRV_VEHICLE_PLATE,
	PDRV_NCOLUMNS
};

/* The vehicles it lists (matched to ours by plate). */
enum platform_vehicle_column {
	PVEH_SOURCE_KEY,
	PVEH_PLATE,
	PVEH_MODEL,
	PVEH_YEAR,
	PVEH_VIN,
	PVEH_STATE,
	PVEH_NCOLUMNS
};

/* A driver's state change: inactive, waiting_orders, has_order, busy. */
enum driver_state_column {
	DST_SOURCE_KEY,
	DST_DRIVER_REF,
	DST_VEHICLE_REF,
	DST_STATE,
	DST_AT,
	DST_NCOLUMNS
};

#define CANON_MAX_COLUMNS	27
/* Columns past a table's own, for a connector's intermediate values (a
 * surname joined to the first name, an adjustment added to a total). */
#define CANON_SCRATCH0		25
#define CANON_SCRATCH1		26
#define CANON_TEXT_MAX		1024	/* 200 characters of 4 bytes and more */

struct canon_column {
	const char		*name;		/* SQL column of the staging table */
	enum canon_kind		 kind;
	const char		*label_key;	/* locale key, for the mapping screen */
	int			 required;	/* a record without it is rejected */
};

struct canon_table_def {
	const char			*name;	/* "trips", "earnings"… */
	const struct canon_column	*columns;
	size_t				 ncolumns;
};

/* One row for a canonical table.  Text kinds live in text[], numbers
 * (money, whole numbers, metres) in num[]; set[] tells which are present
 * (absent ones are stored as NULL).  Reused from row to row. */
struct canon_record {
	size_t		 line;		/* in the file, 1 = header */
	unsigned char	 set[CANON_MAX_COLUMNS];
	long long	 num[CANON_MAX_COLUMNS];
	char		 text[CANON_MAX_COLUMNS][CANON_TEXT_MAX];
};

const struct canon_table_def	*canon_table(enum canon_table);
/* The table called name ("trips"); -1 when there is none. */
int		 canon_table_by_name(const char *name, enum canon_table *);
/* The locale key of a canonical column by its name, in either table
 * ("gross_fare_cents" → "sources.canon.gross_fare"); NULL when none. */
const char	*canon_label_key(const char *column_name);
void		 canon_record_clear(struct canon_record *);
int		 canon_kind_is_number(enum canon_kind);
/* Set a text column (truncated to what fits, on a character boundary). */
void		 canon_set_text(struct canon_record *, int col, const char *);
void		 canon_set_num(struct canon_record *, int col, long long);

/* Value parsers: 0 and the value, or -1 with a French reason (static).
 * Empty input is the caller's business (an absent value).
 *
 * Money: "12,50", "-3.20", "1 234,56", "1.234,56", "1,234.56", "€ 12.50",
 * "12,50 €", "(3,20)" (negative).  decimal is ',' or '.' when known for
 * the file, 0 when not: then the last separator is decimal when both
 * appear, a separator that appears several times groups thousands, and a
 * lone separator followed by exactly three digits groups thousands too
 * (no money has three decimals); otherwise it is decimal.  *decimal_seen
 * (may be NULL) learns ',' or '.' when the value settles it.  More than
 * two decimals are rounded half away from zero. */
const char	*canon_parse_money(const char *, char decimal, long long *cents,
		    char *decimal_seen);
/* Whole numbers: "12", "1 234" ; "12,0" is accepted, "12,5" is not. */
const char	*canon_parse_int(const char *, long long *);
/* Kilometres ("12,4", "12.4 km") or metres ("850 m") to metres. */
const char	*canon_parse_distance(const char *, long long *metres);
/* An instant: ISO 8601 ("2026-11-22T14:35:07Z", "2026-11-22 14:35",
 * "+01:00"/"+0100" offsets, fractions of a second), French day-first
 * dates ("22/11/2026 14:35:07", "22-11-2026", "22.11.2026"), or Unix
 * seconds.  Without an offset the time is Europe/Paris wall time.  out
 * receives "YYYY-MM-DD HH:MM:SS+00" (UTC); outlen >= 25. */
const char	*canon_parse_time(const char *, char *out, size_t outlen);
/* A day: the same forms, time ignored; out "YYYY-MM-DD". */
const char	*canon_parse_date(const char *, char *out, size_t outlen);
const char	*canon_parse_email(const char *, char *out, size_t outlen);
/* E.164; French national numbers ("06 12 34 56 78") get +33. */
const char	*canon_parse_phone(const char *, char *out, size_t outlen);
/* Parse in by kind into column col of r; NULL or the reason. */
const char	*canon_parse_into(struct canon_record *, int col,
		    enum canon_kind, const char *in, char decimal,
		    char *decimal_seen);

#endif
