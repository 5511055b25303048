#include <stdio.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>

#include "fetch_url.h"

#define HTTPS	"https://"
#define HTTP	"http://"

/* Where the authority starts, and whether the scheme is http (not s). */
static const char *
authority(const char *url, int *plain)
{
	if (strncasecmp(url, HTTPS, strlen(HTTPS)) == 0) {
		*plain = 0;
		return url + strlen(HTTPS);
	}
	if (strncasecmp(url, HTTP, strlen(HTTP)) == 0) {
		*plain = 1;
		return url + strlen(HTTP);
	}
	return NULL;
}

/* Length of the authority (up to /, ? or #). */
static size_t
authority_len(const char *a)
{
	return strcspn(a, "/?#");
}

/* The host part of an authority of n bytes (without the port). */
static void
host_of(const char *a, size_t n, char *out, size_t outlen)
{
	size_t	h = n;
	const char *rb;

	if (n > 0 && a[0] == '[') {
		rb = memchr(a, ']', n);
		h = rb != NULL ? (size_t)(rb - a) + 1 : n;
	} else if (memchr(a, ':', n) != NULL)
		h = (size_t)((const char *)memchr(a, ':', n) - a);
	if (h >= outlen)
		h = outlen - 1;
	memcpy(out, a, h);
	out[h] = '\0';
}

static int
is_local(const char *host)
{
	return strcmp(host, "127.0.0.1") == 0 ||
	    strcasecmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0;
}

static int
has_bad_char(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f || *s == '\\')
			return 1;
	return 0;
}

/* Port digits after ':' (if any) must be 1-65535. */
static int
port_ok(const char *a, size_t n)
{
	const char	*p = a, *end = a + n;
	long		 port = 0;

	if (n > 0 && a[0] == '[') {
		if ((p = memchr(a, ']', n)) == NULL)
			return 0;
		p++;
		if (p == end)
			return 1;
		if (*p != ':')
			return 0;
	} else if ((p = memchr(a, ':', n)) == NULL)
		return 1;
	if (++p == end)
		return 0;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		if ((port = port * 10 + (*p - '0')) > 65535)
			return 0;
	}
	return port > 0;
}

const char *
fetch_url_check(const char *url)
{
	const char	*a;
	char		 host[256];
	size_t		 n;
	int		 plain;

	if (url == NULL || *url == '\0')
		return "valid.sources.url_missing";
	if (strlen(url) > FETCH_URL_MAX)
		return "valid.sources.url_too_long";
	if (has_bad_char(url))
		return "valid.sources.url_chars";
	if ((a = authority(url, &plain)) == NULL)
		return "valid.sources.url_scheme";
	n = authority_len(a);
	if (memchr(a, '@', n) != NULL)
		return "valid.sources.url_credentials";
	host_of(a, n, host, sizeof(host));
	if (host[0] == '\0' || strcmp(host, "[]") == 0)
		return "valid.sources.url_host";
	if (!port_ok(a, n))
		return "valid.sources.url_port";
	if (plain && !is_local(host))
		return "valid.sources.url_plain";
	return NULL;
}

const char *
fetch_header_check(const char *value)
{
	const unsigned char	*p = (const unsigned char *)value;

	for (; p != NULL && *p != '\0'; p++)
		if ((*p < ' ' && *p != '\t') || *p == 0x7f)
			return "valid.sources.header_control";
	return NULL;
}

/* The fetcher runs without the catalogue, so the runs it records keep
 * these words; test_fetch_url checks they are fr.json's. */
static const struct {
	const char	*key;
	const char	*french;
} reasons[] = {
	{ "valid.sources.url_missing", "Adresse manquante." },
	{ "valid.sources.url_too_long", "Adresse trop longue." },
	{ "valid.sources.url_chars", "L'adresse ne doit contenir ni espace ni "
	    "caractère de contrôle." },
	{ "valid.sources.url_scheme", "L'adresse doit commencer par https://." },
	{ "valid.sources.url_credentials", "Pas d'identifiants dans l'adresse "
	    ": utilisez l'en-tête d'autorisation." },
	{ "valid.sources.url_host", "Adresse sans nom de serveur." },
	{ "valid.sources.url_port", "Port invalide dans l'adresse." },
	{ "valid.sources.url_plain", "L'adresse doit commencer par https:// "
	    "(http:// n'est accepté que pour cette machine : localhost, "
	    "127.0.0.1)." },
	{ "valid.sources.header_control", "Caractère de contrôle interdit dans "
	    "l'en-tête." },
};

const char *
fetch_url_french(const char *key)
{
	size_t	i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (strcmp(reasons[i].key, key) == 0)
			return reasons[i].french;
	return key;
}

void
fetch_url_host(const char *url, char *out, size_t outlen)
{
	const char	*a;
	int		 plain;

	out[0] = '\0';
	if (url == NULL || (a = authority(url, &plain)) == NULL)
		return;
	host_of(a, authority_len(a), out, outlen);
}

void
fetch_url_file_name(const char *url, char *out, size_t outlen)
{
	const char	*a, *path, *seg, *p;
	size_t		 n;
	int		 plain;

	snprintf(out, outlen, "fichier");
	if (url == NULL || (a = authority(url, &plain)) == NULL)
		return;
	path = a + authority_len(a);
	n = strcspn(path, "?#");
	seg = path;
	for (p = path; p < path + n; p++)
		if (*p == '/')
			seg = p + 1;
	n = (size_t)(path + n - seg);
	if (n == 0)
		return;
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, seg, n);
	out[n] = '\0';
}

static int
ipv4_is_public(const unsigned char *a)
{
	if (a[0] == 0 || a[0] == 10 || a[0] == 127 || a[0] >= 224)
		return 0;		/* this network, private, loopback,
					 * multicast, reserved, broadcast */
	if (a[0] == 100 && (a[1] & 0xc0) == 64)
		return 0;		/* shared (carrier-grade NAT) */
	if (a[0] == 169 && a[1] == 254)
		return 0;		/* link-local, cloud metadata */
	if (a[0] == 172 && (a[1] & 0xf0) == 16)
		return 0;
	if (a[0] == 192 && a[1] == 168)
		return 0;
	if (a[0] == 192 && a[1] == 0 && (a[2] == 0 || a[2] == 2))
		return 0;		/* protocol assignments, documentation */
	if (a[0] == 198 && (a[1] & 0xfe) == 18)
		return 0;		/* benchmarking */
	return 1;
}

int
fetch_address_is_public(const struct sockaddr *addr)
{
	static const unsigned char	 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0,
					    0, 0, 0xff, 0xff };
	const unsigned char		*a;

	if (addr->sa_family == AF_INET)
		return ipv4_is_public((const unsigned char *)
		    &((const struct sockaddr_in *)(const void *)addr)->sin_addr);
	if (addr->sa_family != AF_INET6)
		return 0;
	a = ((const struct sockaddr_in6 *)(const void *)addr)->sin6_addr.s6_addr;
	if (memcmp(a, mapped, sizeof(mapped)) == 0)
		return ipv4_is_public(a + 12);
	if ((a[0] & 0xfe) == 0xfc || a[0] == 0xff ||
	    (a[0] == 0xfe && (a[1] & 0xc0) == 0x80))
		return 0;		/* unique local, multicast, link-local */
	/* :: and ::1 (and the rest of ::/96, deprecated IPv4-compatible) */
	return memcmp(a, mapped, 10) != 0 || a[10] != 0 || a[11] != 0 ? 1 : 0;
}
