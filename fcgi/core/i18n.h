/* Locale catalogues and language negotiation.
 *
 * The catalogues are templates/locales/fr.json and en.json: nested objects
 * whose leaves are strings, e.g. {"nav": {"dashboard": "Tableau de bord"}}.
 * The app puts a whole catalogue into the view-model under "t", so
 * templates write {{t.nav.dashboard}}.  Loading is strict (every leaf a
 * string, both locales with exactly the same keys) so that a missing
 * translation is a start-up error, not a blank on some screen. */
#ifndef FC_I18N_H
#define FC_I18N_H

#include <stddef.h>
#include <jansson.h>

/* French first: LANG_FR is the default everywhere. */
typedef enum { LANG_FR = 0, LANG_EN = 1 } lang_id;
#define I18N_NLANG	2

/* Longest dotted key ("errors.404.title") a catalogue may hold. */
#define I18N_KEY_MAX	256

typedef struct i18n i18n;

/* Load dir/fr.json and dir/en.json.  NULL with a message naming the file
 * and the reason in err when a file is missing or not JSON, a leaf is not
 * a string, a key is not made of letters, digits, "_" and "-", a string
 * contains "{{" (catalogue strings are never expanded as templates), or a
 * dotted key is present in one locale and missing in the other. */
i18n		*i18n_load(const char *dir, char *err, size_t errlen);
void		 i18n_free(i18n *);
/* The whole catalogue, borrowed: valid until i18n_free, shared by every
 * request, so never modify it (json_object_set on a view takes its own
 * reference).  An unknown lang gives the French one. */
json_t		*i18n_catalogue(const i18n *, lang_id);
/* The string at a dotted key ("nav.dashboard") in lang, else in French,
 * else the key itself, so a gap shows up on screen rather than crashing. */
const char	*i18n_get(const i18n *, lang_id, const char *dotted_key);
/* i18n_get's string with each "#" replaced by the next of args
 * (catalogue sentences mark where their values go that way: "Au moins #
 * caractères."; both languages name them in the same order), written into
 * out; the string itself when it has no "#" or out is too small.  A "#"
 * beyond nargs stays. */
const char	*i18n_fill(const i18n *, lang_id, const char *dotted_key,
		    const char *const *args, size_t nargs, char *out,
		    size_t len);
/* i18n_fill with one number. */
const char	*i18n_number(const i18n *, lang_id, const char *dotted_key,
		    long long n, char *out, size_t len);
/* Language for a request: the user's own setting ("fr", "en", also
 * "en-GB"; NULL or unknown ignored) first, then the Accept-Language header
 * (q-values honoured, region subtags matched to their base language, "*"
 * matching any language not listed, malformed entries skipped), then
 * French. */
lang_id		 i18n_negotiate(const char *user_setting,
		    const char *accept_language);
/* "fr" or "en". */
const char	*i18n_code(lang_id);
/* Scan every *.mustache below templates_dir (recursively) for
 * interpolations {{t.x.y}}, {{{t.x.y}}} and {{&t.x.y}} and fail with
 * "FILE:LINE: ..." naming the first key that is in no locale or names a
 * group rather than a string (plus how many more problems there are).
 * Sections ({{#t.x}}) are not checked.  Set-delimiter tags are honoured. */
int		 i18n_check_keys(const i18n *, const char *templates_dir,
		    char *err, size_t errlen);

#endif
