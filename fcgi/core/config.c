#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

enum kind { STR, INT };

/* One row per setting: the variable, its default, and where it lands. */
struct setting {
	const char	*var;
	const char	*def;
	enum kind	 kind;
	size_t		 off;
	int		 secret;	/* a conninfo whose password is masked */
	int		 min, max;
	/* An outside service's address: outside production only may it
	 * differ from its default (tests and fakes on loopback). */
	int		 fixed_in_production;
};

#define S(var, def, field, secret) \
	{ var, def, STR, offsetof(struct config, field), secret, 0, 0, 0 }
#define I(var, def, field, lo, hi) \
	{ var, def, INT, offsetof(struct config, field), 0, lo, hi, 0 }
#define ENDPOINT(var, def, field) \
	{ var, def, STR, offsetof(struct config, field), 0, 0, 0, 1 }

static const struct setting settings[] = {
	S("FLEETCORE_ENV", "production", env, 0),
	S("FLEETCORE_DB", "dbname=fleetcore user=fleetcore_app", db, 1),
	S("FLEETCORE_DB_OWNER", "dbname=fleetcore user=fleetcore_owner", db_owner, 1),
	S("FLEETCORE_SOCKET", "var/run/fcgi.sock", socket, 0),
	S("FLEETCORE_TEMPLATES", "templates", templates, 0),
	S("FLEETCORE_MIGRATIONS", "sql/migrations", migrations, 0),
	S("FLEETCORE_DATA_DIR", "var/data", data_dir, 0),
	S("FLEETCORE_SECRET_KEY_FILE", "var/secret.key", secret_key_file, 0),
	S("FLEETCORE_BASE_URL", "https://localhost:8443", base_url, 0),
	I("FLEETCORE_WORKERS", "0", workers, 0, 256),
	I("FLEETCORE_MAX_BODY_MB", "32", max_body_mb, 1, 1024),
	I("FLEETCORE_MAX_UPLOAD_MB", "512", max_upload_mb, 1, 4096),
	I("FLEETCORE_SESSION_IDLE_HOURS", "8", session_idle_hours, 1, 720),
	/* 0: 300 s, or 5 s under FLEETCORE_ENV=test so that a test can wait
	 * for a server slower than that. */
	I("FLEETCORE_FETCH_TIMEOUT", "0", fetch_timeout, 0, 3600),
	ENDPOINT("FLEETCORE_ARMADO_URL", "https://api.myarmado.fr", armado_url),
	/* 0: 15 s and 10 attempts, or 2 s and 3 attempts under
	 * FLEETCORE_ENV=test (a test waits for a slow fake, and for a row
	 * to die, in seconds). */
	I("FLEETCORE_ARMADO_TIMEOUT", "0", armado_timeout, 0, 300),
	I("FLEETCORE_ARMADO_ATTEMPTS", "0", armado_attempts, 0, 40),
	/* Live sources' endpoints (fcgi/connectors/live.c). */
	ENDPOINT("FLEETCORE_BOLT_AUTH_URL", "https://oidc.bolt.eu/token",
	    bolt_auth_url),
	ENDPOINT("FLEETCORE_BOLT_API_URL",
	    "https://node.bolt.eu/fleet-integration-gateway", bolt_api_url),
	ENDPOINT("FLEETCORE_UBER_AUTH_URL", "https://login.uber.com/oauth/v2/token",
	    uber_auth_url),
	ENDPOINT("FLEETCORE_UBER_API_URL", "https://api.uber.com", uber_api_url),
	ENDPOINT("FLEETCORE_HEETCH_AUTH_URL", "https://auth-gw.heetch.com",
	    heetch_auth_url),
	ENDPOINT("FLEETCORE_HEETCH_API_URL", "https://driver.heetch.com",
	    heetch_api_url),
};

static int
parse_int(const char *s, int lo, int hi, int *out)
{
	char	*end;
	long	 v;

	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

int
config_load(struct config *c, char *err, size_t errlen)
{
	const struct setting	*s;
	const char		*v;
	size_t			 i;
	long			 cores;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		s = &settings[i];
		if ((v = getenv(s->var)) == NULL || *v == '\0')
			v = s->def;
		if (s->kind == STR) {
			*(const char **)((char *)c + s->off) = v;
			continue;
		}
		if (parse_int(v, s->min, s->max, (int *)((char *)c + s->off))) {
			snprintf(err, errlen, "%s: expected a whole number "
			    "from %d to %d, got \"%s\"", s->var, s->min, s->max, v);
			return -1;
		}
	}
	if (strcmp(c->env, "production") != 0 &&
	    strcmp(c->env, "development") != 0 && strcmp(c->env, "test") != 0) {
		snprintf(err, errlen, "FLEETCORE_ENV: expected production, "
		    "development or test, got \"%s\"", c->env);
		return -1;
	}
	if (c->fetch_timeout == 0)
		c->fetch_timeout = strcmp(c->env, "test") == 0 ? 5 : 300;
	if (c->armado_timeout == 0)
		c->armado_timeout = strcmp(c->env, "test") == 0 ? 2 : 15;
	if (c->armado_attempts == 0)
		c->armado_attempts = strcmp(c->env, "test") == 0 ? 3 : 10;
	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		s = &settings[i];
		if (s->fixed_in_production && config_is_production(c) &&
		    strcmp(*(const char **)((char *)c + s->off), s->def) != 0) {
			snprintf(err, errlen, "%s: fixed to %s in production "
			    "(FLEETCORE_ENV=production)", s->var, s->def);
			return -1;
		}
	}
	if (c->workers == 0) {
		cores = sysconf(_SC_NPROCESSORS_ONLN);
		c->workers = cores > 0 ? (int)cores : 2;
	}
	return 0;
}

int
config_is_production(const struct config *c)
{
	return strcmp(c->env, "production") == 0;
}

/* Append n bytes of s to out, truncating; out stays NUL-terminated. */
static void
put(char *out, size_t outlen, size_t *o, const char *s, size_t n)
{
	if (n > outlen - 1 - *o)
		n = outlen - 1 - *o;
	memcpy(out + *o, s, n);
	*o += n;
	out[*o] = '\0';
}

/* When p starts a "password = value" word of ci (or sslpassword), the
 * end of the value (quoted values may hold blanks and \' escapes) and its
 * start in *vs; otherwise NULL. */
static const char *
password_value(const char *ci, const char *p, const char **vs)
{
	const char	*v;

	if (p != ci && strchr(" \t\r\n?&", p[-1]) == NULL)
		return NULL;
	if (strncmp(p, "ssl", 3) == 0)
		p += 3;
	if (strncmp(p, "password", 8) != 0)
		return NULL;
	for (v = p + 8; *v == ' ' || *v == '\t'; v++)
		;
	if (*v++ != '=')
		return NULL;
	while (*v == ' ' || *v == '\t')
		v++;
	*vs = v;
	if (*v != '\'')
		return v + strcspn(v, " \t\r\n&");
	for (v++; *v != '\0' && *v != '\''; v++)
		if (*v == '\\' && v[1] != '\0')
			v++;
	return *v == '\'' ? v + 1 : v;
}

void
config_mask_conninfo(const char *ci, char *out, size_t outlen)
{
	const char	*p, *start = ci, *vs, *ve, *at, *colon;
	size_t		 o = 0;

	if (outlen == 0)
		return;
	out[0] = '\0';
	/* URI form: postgresql://user:password@host/db?password=... */
	if (strncmp(ci, "postgresql://", 13) == 0 ||
	    strncmp(ci, "postgres://", 11) == 0) {
		p = strstr(ci, "://") + 3;
		at = p + strcspn(p, "@/?");
		if (*at == '@' &&
		    (colon = memchr(p, ':', (size_t)(at - p))) != NULL) {
			put(out, outlen, &o, ci, (size_t)(colon + 1 - ci));
			put(out, outlen, &o, "****", 4);
			start = at;
		}
	}
	/* key=value words; only password= carries a secret. */
	for (p = start; *p != '\0';) {
		if ((ve = password_value(ci, p, &vs)) == NULL) {
			p++;
			continue;
		}
		put(out, outlen, &o, start, (size_t)(vs - start));
		put(out, outlen, &o, "****", 4);
		start = p = ve;
	}
	put(out, outlen, &o, start, strlen(start));
}

void
config_print(const struct config *c, FILE *f)
{
	const struct setting	*s;
	size_t			 i;
	char			 masked[1024];
	const char		*v;

	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		s = &settings[i];
		if (s->kind == INT) {
			fprintf(f, "%s=%d\n", s->var,
			    *(const int *)((const char *)c + s->off));
			continue;
		}
		v = *(const char *const *)((const char *)c + s->off);
		if (s->secret) {
			config_mask_conninfo(v, masked, sizeof(masked));
			v = masked;
		}
		fprintf(f, "%s=%s\n", s->var, v);
	}
}
