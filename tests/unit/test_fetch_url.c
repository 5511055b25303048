/* The address rule of file sources that fetch their file (fetch_url.h),
 * the header-value rule of their authorization, and both applied by the
 * form's validation of every CSV type; their reasons in both catalogues
 * (tests run from the repository root) and, for what the fetcher
 * records, in the French of fr.json. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include "connectors/connector.h"
#include "connectors/fetch.h"
#include "connectors/fetch_url.h"
#include "i18n.h"

static void
test_accepted(void **state)
{
	static const char *const ok[] = {
		"https://exports.example.com/uber.csv",
		"HTTPS://example.com",
		"https://example.com:8443/a/b.csv?token=1#x",
		"https://[2001:db8::1]/x.csv",
		"http://127.0.0.1:8000/x.csv",
		"http://localhost/x.csv",
		"http://LOCALHOST:9/x",
		"http://[::1]:8080/x.csv",
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (fetch_url_check(ok[i]) != NULL)
			fail_msg("%s refused: %s", ok[i], fetch_url_check(ok[i]));
}

/* Refused for a reason both catalogues word, the fetcher's French being
 * fr.json's. */
static void
reason_worded(const i18n *cat, const char *key)
{
	if (strcmp(i18n_get(cat, LANG_EN, key), key) == 0)
		fail_msg("%s: no message", key);
	assert_string_equal(fetch_url_french(key), i18n_get(cat, LANG_FR, key));
	assert_string_not_equal(i18n_get(cat, LANG_EN, key),
	    i18n_get(cat, LANG_FR, key));
}

static void
test_refused(void **state)
{
	static const char *const bad[] = {
		"", "example.com/x.csv", "ftp://example.com/x.csv",
		"file:///etc/passwd", "http://example.com/x.csv",
		"http://127.0.0.2/x.csv", "http://localhost.example.com/x",
		"http://127.0.0.1@evil.example/x", "https://user:pw@example.com/x",
		"https://example.com/a b.csv", "https://example.com/\r\nX: y",
		"https:///x.csv", "https://example.com:0/x", "https://example.com:70000/",
		"https://example.com:/x", "https://[::1/x", "https://example.com\\@x/",
	};
	size_t	i;

	char	err[256], long_url[FETCH_URL_MAX + 2];
	i18n	*cat = i18n_load("templates/locales", err, sizeof(err));

	(void)state;
	if (cat == NULL)
		fail_msg("%s", err);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (fetch_url_check(bad[i]) == NULL)
			fail_msg("%s accepted", bad[i]);
		else
			reason_worded(cat, fetch_url_check(bad[i]));
	reason_worded(cat, fetch_url_check(NULL));
	memset(long_url, 'a', sizeof(long_url) - 1);
	memcpy(long_url, "https://", 8);
	long_url[sizeof(long_url) - 1] = '\0';
	assert_string_equal(fetch_url_check(long_url),
	    "valid.sources.url_too_long");
	reason_worded(cat, fetch_url_check(long_url));
	reason_worded(cat, fetch_header_check("Bearer x\n"));
	assert_string_equal(fetch_url_french("sources.unknown"),
	    "sources.unknown");
	i18n_free(cat);
}

static void
test_host_and_file_name(void **state)
{
	char	out[256];

	(void)state;
	fetch_url_host("https://ex.com:8443/a/b.csv?t=secret", out, sizeof(out));
	assert_string_equal(out, "ex.com");
	fetch_url_host("http://[::1]:80/x", out, sizeof(out));
	assert_string_equal(out, "[::1]");
	fetch_url_file_name("https://ex.com/a/b.csv?t=secret", out, sizeof(out));
	assert_string_equal(out, "b.csv");
	fetch_url_file_name("https://ex.com/", out, sizeof(out));
	assert_string_equal(out, "fichier");
	fetch_url_file_name("https://ex.com", out, sizeof(out));
	assert_string_equal(out, "fichier");
}

static void
test_header_value(void **state)
{
	(void)state;
	assert_null(fetch_header_check("Bearer abc.def-ghi"));
	assert_null(fetch_header_check("Basic\tdXNlcjpwdw=="));
	assert_non_null(fetch_header_check("Bearer x\r\nX-Evil: 1"));
	assert_non_null(fetch_header_check("Bearer x\n"));
}

/* Every CSV type declares both fields, and validation applies the rules
 * (their messages' keys, worded where the request is known); the secret
 * lands among the secrets. */
static void
test_form_fields(void **state)
{
	json_t	*values, *config, *secrets, *errors;
	size_t	 i;

	(void)state;
	for (i = 0; i < connector_ntypes; i++) {
		/* A live type reads an API: it has no file address. */
		if (!connector_types[i]->file_based)
			continue;
		values = json_pack("{s:s, s:s, s:s, s:s}", "url",
		    "http://example.com/x.csv", "authorization", "Bearer a\nb",
		    "target", "trips", "platform", "autre");
		config = connector_config_input(connector_types[i], values, NULL,
		    NULL, &secrets, &errors);
		assert_non_null(errors);
		assert_string_equal(json_string_value(json_object_get(errors,
		    "url")), "valid.sources.url_plain");
		assert_string_equal(json_string_value(json_object_get(errors,
		    "authorization")), "valid.sources.header_control");
		json_decref(errors);
		json_decref(config);
		json_decref(secrets);
		json_object_set_new(values, "url", json_string(
		    "https://example.com/x.csv"));
		json_object_set_new(values, "authorization", json_string(
		    "Bearer s3cret"));
		config = connector_config_input(connector_types[i], values, NULL,
		    NULL, &secrets, &errors);
		assert_null(errors);
		assert_string_equal(json_string_value(json_object_get(config,
		    "url")), "https://example.com/x.csv");
		assert_null(json_object_get(config, "authorization"));
		assert_string_equal(json_string_value(json_object_get(secrets,
		    "authorization")), "Bearer s3cret");
		json_decref(config);
		json_decref(secrets);
		json_decref(values);
	}
}

static int
is_public(const char *text)
{
	struct sockaddr_in	v4;
	struct sockaddr_in6	v6;

	memset(&v4, 0, sizeof(v4));
	memset(&v6, 0, sizeof(v6));
	if (inet_pton(AF_INET, text, &v4.sin_addr) == 1) {
		v4.sin_family = AF_INET;
		return fetch_address_is_public((struct sockaddr *)&v4);
	}
	assert_int_equal(inet_pton(AF_INET6, text, &v6.sin6_addr), 1);
	v6.sin6_family = AF_INET6;
	return fetch_address_is_public((struct sockaddr *)&v6);
}

static void
test_only_public_addresses(void **state)
{
	static const char *const inside[] = { "127.0.0.1", "127.8.9.1",
	    "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.10",
	    "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1",
	    "255.255.255.255", "192.0.2.7", "198.18.0.1", "::1", "::",
	    "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1",
	    "::ffff:127.0.0.1", "::ffff:10.0.0.1" };
	static const char *const outside[] = { "8.8.8.8", "172.32.0.1",
	    "172.15.255.255", "100.128.0.1", "193.0.2.1", "2a00:1450::1",
	    "::ffff:8.8.4.4" };
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(inside) / sizeof(inside[0]); i++)
		if (is_public(inside[i]))
			fail_msg("%s counted as public", inside[i]);
	for (i = 0; i < sizeof(outside) / sizeof(outside[0]); i++)
		if (!is_public(outside[i]))
			fail_msg("%s counted as internal", outside[i]);
}

/* A real transfer to this machine: refused before connecting when
 * internal addresses are not allowed, tried (and refused by the closed
 * port, a passing failure) when they are. */
static void
test_internal_addresses_are_not_fetched_in_production(void **state)
{
	struct fetch_options		 opt = { 5, 1024, NULL, NULL, 0, 0 };
	struct connector_outcome	 out;
	size_t				 bytes;
	int				 fd;

	(void)state;
	assert_true((fd = dup(1)) >= 0);
	/* Recorded in a run: French, like every run's message. */
	connector_outcome_init(&out);
	fetch_to_fd("ftp://example.com/x.csv", NULL, &opt, fd, &bytes, &out);
	assert_int_equal(out.result, CONN_CONFIG);
	assert_string_equal(out.message,
	    "L'adresse doit commencer par https://.");
	connector_outcome_clear(&out);
	connector_outcome_init(&out);
	fetch_to_fd("http://127.0.0.1:9/x.csv", NULL, &opt, fd, &bytes, &out);
	assert_int_equal(out.result, CONN_CONFIG);
	assert_non_null(strstr(out.message, "réseau interne"));
	connector_outcome_clear(&out);
	opt.allow_internal = 1;
	connector_outcome_init(&out);
	fetch_to_fd("http://127.0.0.1:9/x.csv", NULL, &opt, fd, &bytes, &out);
	assert_int_equal(out.result, CONN_TRANSIENT);
	assert_null(strstr(out.message, "réseau interne"));
	connector_outcome_clear(&out);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_host_and_file_name),
		cmocka_unit_test(test_header_value),
		cmocka_unit_test(test_form_fields),
		cmocka_unit_test(test_only_public_addresses),
		cmocka_unit_test(test_internal_addresses_are_not_fetched_in_production),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
