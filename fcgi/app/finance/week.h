/* ISO weeks as the settlements use them ("2026-W48": the week whose
 * Monday is 2026-11-23): parsing, the Monday's date, the week of a day,
 * neighbours.  Pure arithmetic on the proleptic Gregorian calendar; the
 * time zone (Europe/Paris) is PostgreSQL's business. */
#ifndef FC_FINANCE_WEEK_H
#define FC_FINANCE_WEEK_H

struct iso_week {
	int	year;
	int	week;	/* 1 to 52 or 53 */
};

/* "2026-W48" → 0; -1 when malformed or when the year has no such week. */
int	week_parse(const char *s, struct iso_week *w);
/* "2026-W48" into out (at least 9 bytes). */
void	week_format(const struct iso_week *w, char *out, unsigned size);
/* The number of ISO weeks of a year: 52 or 53. */
int	week_count(int year);
/* The Monday of a week as "YYYY-MM-DD" into out (11 bytes). */
void	week_monday(const struct iso_week *w, char *out, unsigned size);
/* The week of a day "YYYY-MM-DD": 0, or -1 when not a real day. */
int	week_of_date(const char *date, struct iso_week *w);
/* The week n weeks later (earlier when n < 0). */
void	week_add(struct iso_week *w, int n);

#endif
