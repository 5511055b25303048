/* render TEMPLATE DATA.json [--templates DIR]: one template, one JSON
 * file, to stdout; for designers, fixtures and tests.  error-pages DIR:
 * the static pages nginx serves itself. */
#include <stdio.h>
#include <string.h>
#include <jansson.h>

#include "api.h"
#include "buf.h"
#include "cli.h"
#include "i18n.h"
#include "tmpl.h"

int
cli_render(int argc, char **argv, const struct config *cfg)
{
	const char	*dir = cfg->templates;
	json_t		*data;
	json_error_t	 jerr;
	tmpl_set	*set;
	char		 err[512];
	buf		 out;
	int		 rc = 1;

	if (argc == 5 && strcmp(argv[3], "--templates") == 0)
		dir = argv[4];
	else if (argc != 3) {
		fprintf(stderr, "usage: fleetcore render TEMPLATE DATA.json "
		    "[--templates DIR]\n");
		return 2;
	}
	if ((data = json_load_file(argv[2], 0, &jerr)) == NULL) {
		fprintf(stderr, "render: %s:%d:%d: %s\n", argv[2], jerr.line,
		    jerr.column, jerr.text);
		return 1;
	}
	set = tmpl_set_load_dir(dir, TMPL_TRUSTED_RAW_ONLY |
	    TMPL_STRICT_PARTIALS, err, sizeof(err));
	if (set == NULL) {
		fprintf(stderr, "render: %s\n", err);
		json_decref(data);
		return 1;
	}
	buf_init(&out);
	if (tmpl_render(set, argv[1], data, &out, err, sizeof(err)) == -1)
		fprintf(stderr, "render: %s\n", err);
	else if (fwrite(out.data, 1, out.len, stdout) == out.len)
		rc = 0;
	buf_free(&out);
	tmpl_set_free(set);
	json_decref(data);
	return rc;
}

/* The pages nginx answers with by itself (body too large, rate limit,
 * workers unreachable), rendered once from the same templates. */
static const int nginx_statuses[] = { 413, 429, 503 };

static int
write_file(const char *path, const char *data, size_t len)
{
	FILE	*f;
	int	 rc;

	if ((f = fopen(path, "w")) == NULL)
		return -1;
	rc = fwrite(data, 1, len, f) == len ? 0 : -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

static int
error_page(const tmpl_set *set, const struct i18n *loc, int status,
    const char *dir)
{
	char		 key[64], path[1024], err[256];
	const char	*title, *message;
	json_t		*view, *api;
	buf		 out;
	int		 rc = -1;

	snprintf(key, sizeof(key), "errors.%d.title", status);
	title = i18n_get(loc, LANG_FR, key);
	snprintf(key, sizeof(key), "errors.%d.message", status);
	message = i18n_get(loc, LANG_FR, key);
	view = json_pack("{s:i, s:s, s:s, s:O, s:s, s:s}", "status", status,
	    "title", title, "message", message, "t",
	    i18n_catalogue(loc, LANG_FR), "lang", "fr", "path", "/");
	api = json_pack("{s:b, s:{s:s, s:s}}", "success", 0, "error", "code",
	    api_code(status), "message", message);
	buf_init(&out);
	if (view == NULL || api == NULL ||
	    tmpl_render(set, "errors/error", view, &out, err, sizeof(err)) == -1)
		goto out;
	snprintf(path, sizeof(path), "%s/%d.html", dir, status);
	if (write_file(path, out.data, out.len) == -1)
		goto out;
	buf_clear(&out);
	snprintf(path, sizeof(path), "%s/%d.json", dir, status);
	if (api_dump(api, &out) == 0 && write_file(path, out.data, out.len) == 0)
		rc = 0;
out:
	if (rc == -1)
		fprintf(stderr, "error-pages: %d: %s\n", status, err);
	buf_free(&out);
	json_decref(view);
	json_decref(api);
	return rc;
}

int
cli_error_pages(int argc, char **argv, const struct config *cfg)
{
	char		 err[512], path[1024];
	tmpl_set	*set;
	struct i18n	*loc;
	size_t		 i;
	int		 rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: fleetcore error-pages DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/locales", cfg->templates);
	if ((loc = i18n_load(path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "error-pages: %s\n", err);
		return 1;
	}
	set = tmpl_set_load_dir(cfg->templates, TMPL_TRUSTED_RAW_ONLY |
	    TMPL_STRICT_PARTIALS, err, sizeof(err));
	if (set == NULL) {
		fprintf(stderr, "error-pages: %s\n", err);
		i18n_free(loc);
		return 1;
	}
	for (i = 0; i < sizeof(nginx_statuses) / sizeof(nginx_statuses[0]); i++)
		if (error_page(set, loc, nginx_statuses[i], argv[1]) == -1)
			rc = 1;
	tmpl_set_free(set);
	i18n_free(loc);
	return rc;
}
