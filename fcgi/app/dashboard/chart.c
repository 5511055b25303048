#include "chart.h"

#define W	720
#define H	240
#define LEFT	8
#define BOTTOM	24
#define TOP	8

static int64_t
column_total(const struct chart_bars *c, size_t cat)
{
	int64_t	t = 0;
	size_t	s;

	for (s = 0; s < c->nseries; s++)
		if (c->values[cat * c->nseries + s] > 0)
			t += c->values[cat * c->nseries + s];
	return t;
}

static void
legend(buf *out, const struct chart_bars *c)
{
	size_t	s;
	int	x = LEFT;

	for (s = 0; s < c->nseries; s++) {
		buf_printf(out, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"10\""
		    " height=\"10\"/><text x=\"%d\" y=\"%d\" class=\"chart-label\">",
		    c->series[s].css, x, H - 10, x + 14, H - 1);
		buf_puts_html(out, c->series[s].label);
		buf_puts(out, "</text>");
		x += 110;
	}
}

int
chart_stacked_bars(buf *out, const struct chart_bars *c)
{
	int64_t	max = 0, t;
	size_t	cat, s;
	double	slot, scale, y;
	int	plot = H - BOTTOM - TOP - 14;

	if (c->nseries > CHART_MAX_SERIES)
		return -1;
	for (cat = 0; cat < c->ncats; cat++)
		if ((t = column_total(c, cat)) > max)
			max = t;
	slot = c->ncats ? (double)(W - LEFT * 2) / c->ncats : 0;
	scale = max > 0 ? (double)plot / max : 0;
	buf_printf(out, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\""
	    " aria-labelledby=\"%s-title %s-desc\" preserveAspectRatio="
	    "\"xMidYMid meet\"><title id=\"%s-title\">", W, H, c->id, c->id,
	    c->id);
	buf_puts_html(out, c->title);
	buf_printf(out, "</title><desc id=\"%s-desc\">", c->id);
	buf_puts_html(out, c->desc);
	buf_puts(out, "</desc>");
	buf_printf(out, "<line class=\"chart-axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\""
	    " y2=\"%d\"/>", LEFT, TOP + plot, W - LEFT, TOP + plot);
	for (cat = 0; cat < c->ncats; cat++) {
		y = TOP + plot;
		for (s = 0; s < c->nseries; s++) {
			t = c->values[cat * c->nseries + s];
			if (t <= 0)
				continue;
			y -= t * scale;
			buf_printf(out, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\""
			    " width=\"%.1f\" height=\"%.1f\"/>", c->series[s].css,
			    LEFT + cat * slot + slot * 0.15, y, slot * 0.7,
			    t * scale);
		}
		/* Labels only where they fit: every one up to 16 bars. */
		if (c->ncats <= 16 || cat % ((c->ncats + 15) / 16) == 0) {
			buf_printf(out, "<text class=\"chart-label\" x=\"%.1f\""
			    " y=\"%d\" text-anchor=\"middle\">", LEFT + cat * slot +
			    slot / 2, TOP + plot + 14);
			buf_puts_html(out, c->cats[cat]);
			buf_puts(out, "</text>");
		}
	}
	legend(out, c);
	return buf_puts(out, "</svg>");
}
