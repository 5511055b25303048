/* tenant create, user add, token create, demo: administration as the
 * owner role (row-level security does not apply to the tables' owner). */
#include <stdio.h>
#include <string.h>
#include <libpq-fe.h>

#include "identity/tokens.h"
#include "cli.h"
#include "crypto.h"

#define DEMO_PASSWORD	"fleetcore-demo"

/* The value after --name in argv, or NULL. */
static const char *
opt(int argc, char **argv, const char *name)
{
	int	i;

	for (i = 1; i < argc - 1; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

static int
has_flag(int argc, char **argv, const char *name)
{
	int	i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

static PGconn *
connect_owner(const struct config *cfg)
{
	PGconn	*c = PQconnectdb(cfg->db_owner);

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "fleetcore: cannot connect: %s", PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	if (secret_init() == -1) {
		fprintf(stderr, "fleetcore: libsodium failed to start\n");
		PQfinish(c);
		return NULL;
	}
	return c;
}

static PGresult *
run(PGconn *c, const char *sql, int n, const char *const *v)
{
	return cli_exec(c, NULL, sql, n, v);
}

static int
tenant_create(PGconn *c, const char *name, const char *slug)
{
	const char	*v[2] = { name, slug };
	PGresult	*res;

	res = run(c, "INSERT INTO tenants (name, slug) VALUES ($1, $2)"
	    " RETURNING id", 2, v);
	if (res == NULL)
		return 1;
	printf("%s\n", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* Create the account when new (with the password, if any), then give it
 * the role in the tenant. */
static int
user_add(PGconn *c, const char *slug, const char *email, const char *role,
    const char *name, const char *password)
{
	char		 hash[SECRET_PWHASH_LEN] = "";
	const char	*v[5] = { email, name ? name : "", NULL, slug, role };
	PGresult	*res;

	if (password != NULL) {
		if (strlen(password) < 12) {
			fprintf(stderr, "fleetcore: a password has at least 12 "
			    "characters\n");
			return 1;
		}
		if (secret_password_hash(password, hash) == -1)
			return 1;
		v[2] = hash;
	}
	/* One transaction: an unknown organisation leaves no account behind. */
	if ((res = run(c, "BEGIN", 0, NULL)) == NULL)
		return 1;
	PQclear(res);
	res = run(c, "WITH u AS (INSERT INTO users (email, name, password_hash)"
	    " VALUES (lower($1), $2, $3) ON CONFLICT (email) DO UPDATE SET"
	    " password_hash = coalesce(EXCLUDED.password_hash, users.password_hash),"
	    " name = CASE WHEN EXCLUDED.name = '' THEN users.name ELSE EXCLUDED.name END"
	    " RETURNING id)"
	    " INSERT INTO memberships (tenant_id, user_id, role)"
	    " SELECT t.id, u.id, $5::member_role FROM tenants t, u WHERE t.slug = $4"
	    " ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = EXCLUDED.role"
	    " RETURNING user_id", 5, v);
	if (res == NULL || PQntuples(res) == 0) {
		if (res != NULL)
			fprintf(stderr, "fleetcore: no organisation \"%s\"\n", slug);
		PQclear(res);
		PQclear(run(c, "ROLLBACK", 0, NULL));
		return 1;
	}
	PQclear(res);
	if ((res = run(c, "COMMIT", 0, NULL)) == NULL)
		return 1;
	PQclear(res);
	return 0;
}

static int
token_create(PGconn *c, const char *slug, const char *email,
    const char *name, const char *scope)
{
	char		 token[TOKEN_MAX], hash[SECRET_HASH_HEX + 1];
	char		 prefix[TOKEN_PREFIX_LEN + 1];
	const char	*v[6] = { hash, prefix, name, scope, slug, email };
	PGresult	*res;

	tokens_new(token, hash, prefix);
	res = run(c, "INSERT INTO api_tokens (tenant_id, token_hash, prefix, name,"
	    " scope, created_by) SELECT t.id, $1::bytea, $2, $3, $4::token_scope,"
	    " u.id FROM tenants t JOIN memberships m ON m.tenant_id = t.id"
	    " JOIN users u ON u.id = m.user_id"
	    " WHERE t.slug = $5 AND u.email = lower($6) RETURNING id", 6, v);
	if (res == NULL)
		return 1;
	if (PQntuples(res) == 0) {
		fprintf(stderr, "fleetcore: %s is not a member of \"%s\"\n",
		    email, slug);
		PQclear(res);
		return 1;
	}
	PQclear(res);
	printf("%s\n", token);
	return 0;
}

static int
read_password(char *out, size_t n)
{
	size_t	len;

	if (fgets(out, (int)n, stdin) == NULL)
		return -1;
	len = strcspn(out, "\r\n");
	out[len] = '\0';
	return 0;
}

int
cli_tenant(int argc, char **argv, const struct config *cfg)
{
	const char	*name = opt(argc, argv, "--name");
	const char	*slug = opt(argc, argv, "--slug");
	PGconn		*c;
	int		 rc;

	if (argc < 2 || strcmp(argv[1], "create") != 0 || !name || !slug) {
		fprintf(stderr, "usage: fleetcore tenant create --name NAME "
		    "--slug SLUG\n");
		return 2;
	}
	if ((c = connect_owner(cfg)) == NULL)
		return 1;
	rc = tenant_create(c, name, slug);
	PQfinish(c);
	return rc;
}

int
cli_user(int argc, char **argv, const struct config *cfg)
{
	const char	*slug = opt(argc, argv, "--tenant");
	const char	*email = opt(argc, argv, "--email");
	const char	*role = opt(argc, argv, "--role");
	char		 pw[1024];
	PGconn		*c;
	int		 rc;

	if (argc < 2 || strcmp(argv[1], "add") != 0 || !slug || !email ||
	    !role) {
		fprintf(stderr, "usage: fleetcore user add --tenant SLUG --email "
		    "EMAIL --role ROLE [--name NAME] [--password-stdin]\n");
		return 2;
	}
	if (has_flag(argc, argv, "--password-stdin") &&
	    read_password(pw, sizeof(pw)) == -1) {
		fprintf(stderr, "fleetcore: no password on standard input\n");
		return 1;
	}
	if ((c = connect_owner(cfg)) == NULL)
		return 1;
	rc = user_add(c, slug, email, role, opt(argc, argv, "--name"),
	    has_flag(argc, argv, "--password-stdin") ? pw : NULL);
	PQfinish(c);
	return rc;
}

int
cli_token(int argc, char **argv, const struct config *cfg)
{
	const char	*slug = opt(argc, argv, "--tenant");
	const char	*email = opt(argc, argv, "--user");
	const char	*name = opt(argc, argv, "--name");
	const char	*scope = opt(argc, argv, "--scope");
	PGconn		*c;
	int		 rc;

	if (argc < 2 || strcmp(argv[1], "create") != 0 || !slug || !email ||
	    !name) {
		fprintf(stderr, "usage: fleetcore token create --tenant SLUG "
		    "--user EMAIL --name NAME [--scope read|write]\n");
		return 2;
	}
	if (scope == NULL)
		scope = "read";
	if (strcmp(scope, "read") != 0 && strcmp(scope, "write") != 0) {
		fprintf(stderr, "fleetcore: --scope is read or write\n");
		return 2;
	}
	if ((c = connect_owner(cfg)) == NULL)
		return 1;
	rc = token_create(c, slug, email, name, scope);
	PQfinish(c);
	return rc;
}

/* The demo organisations and people of the README. */
static const struct {
	const char	*slug, *email, *name, *role;
} demo_people[] = {
	{ "demo", "admin@demo.test", "Alice Martin", "owner" },
	{ "demo", "manager@demo.test", "Karim Benali", "manager" },
	{ "demo", "finance@demo.test", "Sophie Leroy", "finance" },
	{ "demo", "viewer@demo.test", "Lucas Petit", "viewer" },
	{ "demo", "chauffeur@demo.test", "Moussa Diallo", "driver" },
	{ "other", "admin@other.test", "Claire Moreau", "owner" },
};

/* What the demo organisation holds beyond its people, in the order each
 * needs the one before. */
static int
demo_data(PGconn *c, const struct config *cfg)
{
	if (cli_demo_fleet(c) != 0 || demo_documents(c, cfg) != 0)
		return 1;
	return demo_imports(c, cfg);
}

int
cli_demo(int argc, char **argv, const struct config *cfg)
{
	PGconn		*c;
	PGresult	*res;
	size_t		 i;
	int		 rc = 0;

	if ((c = connect_owner(cfg)) == NULL)
		return 1;
	res = run(c, "SELECT 1 FROM tenants WHERE slug = 'demo'", 0, NULL);
	if (res != NULL && PQntuples(res) > 0 && has_flag(argc, argv, "--once")) {
		PQclear(res);
		/* The fleet, its documents and the imports may come later than
		 * the people: each checks itself. */
		rc = demo_data(c, cfg);
		PQfinish(c);
		return rc;
	}
	PQclear(res);
	if ((res = run(c, "INSERT INTO tenants (name, slug) VALUES"
	    " ('VTC Démo Paris', 'demo'), ('Autre Flotte', 'other')"
	    " ON CONFLICT (slug) DO NOTHING", 0, NULL)) == NULL)
		rc = 1;
	PQclear(res);
	for (i = 0; rc == 0 && i < sizeof(demo_people) / sizeof(demo_people[0]); i++)
		rc = user_add(c, demo_people[i].slug, demo_people[i].email,
		    demo_people[i].role, demo_people[i].name, DEMO_PASSWORD);
	if (rc == 0)
		rc = demo_data(c, cfg);
	if (rc == 0)
		fprintf(stderr, "demo: organisations \"demo\" and \"other\" "
		    "ready (password %s)\n", DEMO_PASSWORD);
	PQfinish(c);
	return rc;
}
