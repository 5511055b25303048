/* Charts as SVG written on the server: no script, no library.  Each has
 * role="img", a <title> and a <desc> naming what it shows, and the page
 * puts its data table next to it. */
#ifndef FC_APP_CHART_H
#define FC_APP_CHART_H

#include <stdint.h>

#include "buf.h"

#define CHART_MAX_SERIES	8

struct chart_series {
	const char	*label;
	const char	*css;		/* class of its bars, e.g. "s-uber" */
};

/* Bars stacked by series over ncats categories: values[cat * nseries +
 * series], in cents or units, never negative. */
struct chart_bars {
	const char			*id;	/* unique on the page */
	const char			*title;
	const char			*desc;
	const struct chart_series	*series;
	size_t				 nseries;
	const char *const		*cats;	/* labels under the bars */
	size_t				 ncats;
	const int64_t			*values;
};

/* Append the <svg> to out: 0, or -1 when out of memory or too many
 * series. */
int	chart_stacked_bars(buf *out, const struct chart_bars *);

#endif
