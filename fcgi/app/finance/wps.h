/* UAE Wages Protection System: the Salary Information File (SIF) a bank
 * takes for an employer's salaries — ASCII comma-separated records, one
 * EDR (Employee Detail Record) per employee and one SCR (Salary Control
 * Record) as the last line, named after the employer and the moment it
 * was made.  A bank rejects a non-compliant file whole, so every rule of
 * the format is checked before a byte is written. */
#ifndef FC_APP_FINANCE_WPS_H
#define FC_APP_FINANCE_WPS_H

#include <stddef.h>

#include "buf.h"

#define WPS_EMPLOYER_LEN	13
#define WPS_ROUTING_LEN		9
#define WPS_PERSON_LEN		14
#define WPS_CARD_MAX		16
#define WPS_REFERENCE_MAX	35
/* "999999999999.99": the 15 characters of an amount field. */
#define WPS_AMOUNT_MAX		99999999999999LL

struct wps_employee {
	const char	*person_id;	/* MOHRE person ID, 1 to 14 digits */
	const char	*routing_code;	/* the employee's bank, 9 digits */
	const char	*account;	/* IBAN AE + 21 digits, or card ≤ 16 */
	const char	*pay_start;	/* YYYY-MM-DD */
	const char	*pay_end;
	long long	 fixed_cents;
	long long	 variable_cents;
	int		 leave_days;
};

struct wps_file {
	const char			*employer_id;	/* 1 to 13 digits */
	const char			*employer_routing; /* 9 digits */
	const char			*created;	/* "2026-12-02T17:15:09" */
	const char			*currency;	/* must be AED */
	const char			*reference;	/* may be NULL */
	const struct wps_employee	*emp;
	size_t				 n;
};

struct wps_error {
	long		 index;		/* employee, -1 for the file */
	const char	*field;
	const char	*key;		/* catalogue key of the reason */
};

/* 0 when the file can be written; -1 with err set. */
int	wps_check(const struct wps_file *, struct wps_error *);
/* Check, then write the records into out and the file's name
 * (EEEEEEEEEEEEEYYMMDDHHMMSS.SIF) into name.  0, or -1 with err. */
int	wps_write(const struct wps_file *, buf *out, char name[40],
	    struct wps_error *);
/* A driver's WPS identifiers as valid_check functions (valid.h): the
 * person ID (1 to 14 digits), a routing code (9 digits), a salary card
 * number (1 to 16 digits); spaces removed. */
const char	*wps_check_person(const char *in, char *out, size_t n);
const char	*wps_check_routing(const char *in, char *out, size_t n);
const char	*wps_check_card(const char *in, char *out, size_t n);
/* Days from start to end, both included; -1 when either is not a date
 * or end is before start. */
int	wps_days(const char *start, const char *end);

#endif
