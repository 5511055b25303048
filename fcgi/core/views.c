/* The views a worker renders with: templates, locales and the asset
 * version, loaded by the supervisor (at start and on SIGHUP) and, in
 * development, again by a worker when a file changes.  Neither the
 * supervisor nor the worker loop is known here. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "i18n.h"
#include "log.h"
#include "views.h"

int
views_load(struct worker *w, char *err, size_t errlen)
{
	char		 path[1024];
	tmpl_set	*t;
	struct i18n	*i;
	struct stat	 st;

	snprintf(path, sizeof(path), "%s/locales", w->cfg->templates);
	if ((i = i18n_load(path, err, errlen)) == NULL)
		return -1;
	t = tmpl_set_load_dir(w->cfg->templates,
	    TMPL_TRUSTED_RAW_ONLY | TMPL_STRICT_PARTIALS, err, errlen);
	if (t == NULL) {
		i18n_free(i);
		return -1;
	}
	tmpl_set_free(w->tmpl);
	i18n_free(w->i18n);
	w->tmpl = t;
	w->i18n = i;
	w->tmpl_loaded = time(NULL);
	/* Static files are cached for a year: their URLs change with each
	 * load of the views. */
	snprintf(path, sizeof(path), "%s/../static/css/app.css",
	    w->cfg->templates);
	snprintf(w->asset_version, sizeof(w->asset_version), "%lx",
	    stat(path, &st) == 0 ? (unsigned long)st.st_mtime :
	    (unsigned long)w->tmpl_loaded);
	return 0;
}

/* FNV-1a over a file's identity. */
static uint64_t
entry_hash(const char *name, const struct stat *st)
{
	uint64_t	h = 14695981039346656037ULL;
	uint64_t	v[4] = { (uint64_t)st->st_size, (uint64_t)st->st_ino,
			    (uint64_t)st->st_mtim.tv_sec,
			    (uint64_t)st->st_mtim.tv_nsec };
	const unsigned char *p;
	size_t		i;

	for (p = (const unsigned char *)name; *p != '\0'; p++)
		h = (h ^ *p) * 1099511628211ULL;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		h = (h ^ v[i]) * 1099511628211ULL;
	return h;
}

/* Entries are summed, so readdir's order does not matter; newest gets the
 * latest whole-second mtime. */
static uint64_t
tree_fingerprint(const char *dir, int depth, time_t *newest)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	char		 path[1024];
	uint64_t	 sum = 0;

	if (depth > 8 || (d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			sum += entry_hash(e->d_name, &st) * 31 +
			    tree_fingerprint(path, depth + 1, newest);
			continue;
		}
		sum += entry_hash(e->d_name, &st);
		if (st.st_mtime > *newest)
			*newest = st.st_mtime;
	}
	closedir(d);
	return sum;
}

/* The templates, the locales and the stylesheet whose mtime makes the
 * asset version (views_load), so a CSS edit reaches the browser
 * past its year-long cache too. */
static uint64_t
views_fingerprint(const struct worker *w, time_t *newest)
{
	char		path[1024];
	struct stat	st;
	uint64_t	sum = tree_fingerprint(w->cfg->templates, 0, newest);

	snprintf(path, sizeof(path), "%s/../static/css/app.css",
	    w->cfg->templates);
	if (stat(path, &st) == 0)
		sum += entry_hash("app.css", &st);
	return sum;
}

void
views_reload_if_changed(struct worker *w, struct views_watch *rl)
{
	char		err[512];
	time_t		now = time(NULL), newest = 0;
	uint64_t	fp;

	if (strcmp(w->cfg->env, "development") != 0 || now == rl->checked)
		return;
	rl->checked = now;
	fp = views_fingerprint(w, &newest);
	if (!rl->primed) {
		/* First look: the views the supervisor loaded are current
		 * unless a file is as recent as that load. */
		rl->primed = 1;
		rl->seen = fp;
		if (newest < w->tmpl_loaded)
			return;
	} else if (fp == rl->seen)
		return;
	/* Remembered even when loading fails: a broken template is
	 * reported once, and retried at its next change. */
	rl->seen = fp;
	if (views_load(w, err, sizeof(err)) == -1)
		log_error("templates not reloaded: %s", err);
	else
		log_info("templates reloaded");
}
