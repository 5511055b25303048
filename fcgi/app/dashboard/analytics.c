#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analytics.h"
#include "db.h"
#include "fmt.h"
#include "worker.h"

static const struct db_stmt overview_stmt = { "analytics_overview",
	"SELECT analytics_overview($1::date, $2::date, $3::date,"
	" $4::date)::text" };

/* Howard Hinnant's days_from_civil, for the proleptic Gregorian calendar. */
long
analytics_days(int y, int m, int d)
{
	long	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil(long z, int *y, int *m, int *d)
{
	long	era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

const char *
analytics_iso(arena *a, long day)
{
	int	y, m, d;

	civil(day, &y, &m, &d);
	return arena_printf(a, "%04d-%02d-%02d", y, m, d);
}

long
analytics_today(void)
{
	struct tm	tm;

	fmt_paris_tm(time(NULL), &tm);
	return analytics_days(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Monday is 0: 1970-01-01 was a Thursday. */
static long
monday_of(long day)
{
	long	wd = ((day % 7) + 7 + 3) % 7;

	return day - wd;
}

static void
month_of(long day, struct period *p)
{
	int	y, m, d;

	civil(day, &y, &m, &d);
	p->from = analytics_days(y, m, 1);
	p->to = (m == 12 ? analytics_days(y + 1, 1, 1) :
	    analytics_days(y, m + 1, 1)) - 1;
}

static void
week_of(long day, struct period *p)
{
	p->from = monday_of(day);
	p->to = p->from + 6;
}

/* A query date: 1 when absent, 0 when read, -1 (field set) when bad. */
static int
query_day(struct request *r, const char *name, long *out, json_t *fields)
{
	const char	*s = http_query(r, name);
	int		 y, m, d;

	if (s == NULL || *s == '\0')
		return 1;
	if (fmt_parse_date(s, &y, &m, &d) == -1) {
		json_object_set_new(fields, name,
		    json_string(tr(r, "dashboard.errors.date")));
		return -1;
	}
	*out = analytics_days(y, m, d);
	return 0;
}

static const struct {
	const char		*name;
	enum period_kind	 kind;
} kinds[] = {
	{ "week", PERIOD_WEEK },
	{ "month", PERIOD_MONTH },
	{ "custom", PERIOD_CUSTOM },
};

static int
kind_of(struct request *r, struct period *p, int custom_default)
{
	const char	*s = http_query(r, "period");
	size_t		 i;

	p->kind = custom_default ? PERIOD_CUSTOM : PERIOD_WEEK;
	if (s == NULL || *s == '\0')
		return 0;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(s, kinds[i].name) == 0) {
			p->kind = kinds[i].kind;
			return 0;
		}
	return -1;
}

int
analytics_period(struct request *r, struct period *p, json_t **fields)
{
	long	from = analytics_today(), to = from;
	int	hf, ht;

	*fields = json_object();
	hf = query_day(r, "from", &from, *fields);
	ht = query_day(r, "to", &to, *fields);
	/* from and to together, without a period, are a custom range. */
	if (kind_of(r, p, hf == 0 && ht == 0) == -1)
		json_object_set_new(*fields, "period",
		    json_string(tr(r, "dashboard.errors.period")));
	if (json_object_size(*fields) > 0)
		return -1;
	if (p->kind == PERIOD_WEEK)
		week_of(from, p);
	else if (p->kind == PERIOD_MONTH)
		month_of(from, p);
	else if (hf != 0 || ht != 0) {
		json_object_set_new(*fields, hf != 0 ? "from" : "to",
		    json_string(tr(r, "dashboard.errors.required")));
		return -1;
	} else if (to < from) {
		json_object_set_new(*fields, "to",
		    json_string(tr(r, "dashboard.errors.order")));
		return -1;
	} else if (to - from + 1 > ANALYTICS_MAX_DAYS) {
		json_object_set_new(*fields, "to",
		    json_string(tr(r, "dashboard.errors.span")));
		return -1;
	} else {
		p->from = from;
		p->to = to;
	}
	json_decref(*fields);
	*fields = NULL;
	return 0;
}

void
analytics_shift(const struct period *p, int dir, struct period *out)
{
	long	len = p->to - p->from + 1;

	out->kind = p->kind;
	if (p->kind == PERIOD_MONTH)
		month_of(dir < 0 ? p->from - 1 : p->to + 1, out);
	else {
		out->from = p->from + dir * len;
		out->to = p->to + dir * len;
	}
}

json_t *
analytics_overview(struct request *r, const struct period *p, int *status)
{
	const char	*v[4];
	struct period	 prev;
	struct db_error	 err;
	PGresult	*res;
	json_t		*o;

	v[0] = analytics_iso(r->arena, p->from);
	v[1] = analytics_iso(r->arena, p->to);
	analytics_shift(p, -1, &prev);
	v[2] = analytics_iso(r->arena, prev.from);
	v[3] = analytics_iso(r->arena, prev.to);
	if ((res = db_exec(r->w->db, &overview_stmt, 4, v, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	o = json_loads(db_value(res, 0, 0), 0, NULL);
	PQclear(res);
	if (o == NULL)
		*status = 500;
	return o;
}

const char *
analytics_money(struct request *r, json_int_t cents)
{
	buf	b;
	char	*s;

	buf_init(&b);
	fmt_money(&b, cents, "EUR", r->lang);
	s = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return s;
}

const char *
analytics_count(struct request *r, json_int_t n)
{
	buf	b;
	char	*s;

	buf_init(&b);
	fmt_number(&b, n, r->lang);
	s = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return s;
}
