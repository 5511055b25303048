/* The checks of « Qualité des données », as data: each names its
 * dimension, its table, and the SQL of its failing rows (a condition on
 * the table's row r) or, for the checks of a source's runs, a statement
 * of its own; the report (quality_job.c) runs them all the same way.
 * Every statement reads $1, the source's id. */
#ifndef FC_QUALITY_CHECKS_H
#define FC_QUALITY_CHECKS_H

#include <stddef.h>

struct quality_check {
	const char	*code;		/* "customers_email_valid" */
	const char	*dimension;	/* completude, unicite, validite… */
	const char	*table;		/* the table its rows are in */
	/* A row check: the rows of the source that fail, as a condition
	 * on r, and what a sample shows of one (an expression on r). */
	const char	*fails;
	const char	*value;
	/* A run check: a statement answering (total, failing, observed,
	 * samples as JSON) on its own; NULL for a row check. */
	const char	*sql;
	double		 warn_pct, fail_pct;	/* defaults */
};

extern const struct quality_check quality_checks[];
extern const size_t quality_nchecks;

#endif
