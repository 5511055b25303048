/* Mustache templates: our own engine, compiled once, rendered into a buf
 * from a jansson view-model.
 *
 * A set holds named templates; partials ({{>name}}) and parents
 * ({{<name}}) resolve only within the set, never from data.  Names are
 * paths relative to the loaded folder without the ".mustache" suffix
 * ("layout", "partials/field", "vehicles/list"). */
#ifndef FC_TMPL_H
#define FC_TMPL_H

#include <stddef.h>
#include <jansson.h>

#include "buf.h"

typedef struct tmpl_set tmpl_set;

enum tmpl_flags {
	/* Raw output ({{{x}}}, {{&x}}) is written unescaped only when the
	 * last segment of the name ends in "_html": the code marks trusted
	 * HTML by naming it so.  Anything else is escaped. */
	TMPL_TRUSTED_RAW_ONLY = 1 << 0,
	/* Loading fails when a partial or parent names no template of the
	 * set (the spec itself renders a missing partial as nothing). */
	TMPL_STRICT_PARTIALS = 1 << 1,
};

tmpl_set	*tmpl_set_new(int flags);
void		 tmpl_set_free(tmpl_set *);
/* Compile one template from memory.  On error returns -1 and writes
 * "NAME:LINE:COL: message" into err. */
int		 tmpl_set_add(tmpl_set *, const char *name, const char *src,
		    size_t len, char *err, size_t errlen);
/* Verify cross-template references (strict mode); -1 with err as above. */
int		 tmpl_set_check(const tmpl_set *, char *err, size_t errlen);
/* Load every *.mustache below dir, recursively, then check. */
tmpl_set	*tmpl_set_load_dir(const char *dir, int flags, char *err,
		    size_t errlen);
int		 tmpl_set_has(const tmpl_set *, const char *name);
/* Render template `name` with `data` appended to out.  -1 with err when the
 * name is unknown or memory ran out. */
int		 tmpl_render(const tmpl_set *, const char *name, json_t *data,
		    buf *out, char *err, size_t errlen);
/* Names of templates in the set, for tools and tests. */
size_t		 tmpl_set_count(const tmpl_set *);
const char	*tmpl_set_name(const tmpl_set *, size_t);

#endif
