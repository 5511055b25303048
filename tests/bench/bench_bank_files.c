/* Writing the bank file of a week's payouts: 2 000 transfers (French
 * names with accents, IBANs checked) as a SEPA pain.001.001.03 document
 * through libxml2's writer (sepa_write: checks, transliteration, XML),
 * and as a WPS salary file (wps_write).  The bound of the same run:
 * copying the finished file's bytes into a buffer, the least any writer
 * must do.  Best of several runs; peak RSS of the process at the end.
 *
 *   build/bench_bank_files [TRANSFERS]	(default 2000) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "buf.h"
#include "finance/sepa.h"
#include "finance/wps.h"

#define RUNS	20

static const char *const firsts[] = { "Émilie", "Zoë", "Jean-François",
	"Hélène", "Moussa", "Çağlar", "Anaïs", "Noé" };
static const char *const lasts[] = { "Lefèvre", "Ørsted & Cie", "Traoré",
	"Dupont-Aignan de la Forêt", "N'Diaye", "Müller", "Béranger", "Ŝkoda" };

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
die(const char *what)
{
	fprintf(stderr, "bench_bank_files: %s\n", what);
	exit(1);
}

/* The best of RUNS timings of f, in milliseconds. */
#define BEST(best, body) do {						\
	double	t0_;							\
	int	k_;							\
	best = 1e9;							\
	for (k_ = 0; k_ < RUNS; k_++) {					\
		t0_ = now();						\
		body;							\
		if ((now() - t0_) * 1e3 < best)				\
			best = (now() - t0_) * 1e3;			\
	}								\
} while (0)

int
main(int argc, char **argv)
{
	size_t			 n = argc > 1 ? strtoul(argv[1], NULL, 10) : 2000;
	struct sepa_transfer	*tx = calloc(n, sizeof(*tx));
	struct wps_employee	*emp = calloc(n, sizeof(*emp));
	char			(*ids)[40] = calloc(n, 40), (*names)[96] =
				    calloc(n, 96), (*pids)[24] = calloc(n, 24);
	struct sepa_batch	 b;
	struct wps_file		 w;
	struct sepa_error	 serr;
	struct wps_error	 werr;
	struct rusage		 ru;
	char			 sif[40];
	double			 sepa_ms, copy_ms, wps_ms, wcopy_ms;
	buf			 out, copy, file, wfile;
	size_t			 i;

	if (n == 0 || n > 1000000 || tx == NULL || emp == NULL || ids == NULL ||
	    names == NULL || pids == NULL)
		die("bad size or out of memory");
	for (i = 0; i < n; i++) {
		snprintf(ids[i], 40, "%032zx-1", i + 1);
		snprintf(names[i], 96, "%s %s", firsts[i % 8], lasts[(i / 8) % 8]);
		snprintf(pids[i], 24, "%zu", 10000000 + i % 90000000);
		tx[i] = (struct sepa_transfer){ ids[i], 1000 + (long long)i * 37,
		    names[i], "DE89370400440532013000", i % 2 ? "DEUTDEFF" : NULL,
		    "Règlement hebdomadaire 2026-W48 - VTC Démo Paris" };
		emp[i] = (struct wps_employee){ pids[i], "640110101",
		    "AE070331234567890123456", "2026-11-23", "2026-11-29",
		    1000 + (long long)i * 37, 0, 0 };
	}
	b = (struct sepa_batch){ "FCBENCH", "FCPBENCH", "2026-12-02T17:15:00",
	    "2026-12-03", "2026-12-02", "VTC Démo Paris",
	    "FR7630006000011234567890189", "BNPAFRPP", tx, n };
	w = (struct wps_file){ "9103", "302210101", "2026-12-02T17:15:00",
	    "AED", "bench", emp, n };

	buf_init(&file);
	if (sepa_write(&b, &file, &serr) == -1)
		die("sepa_write refused the batch");
	buf_init(&wfile);
	if (wps_write(&w, &wfile, sif, &werr) == -1)
		die("wps_write refused the file");
	buf_init(&out);
	buf_init(&copy);
	BEST(sepa_ms, { buf_clear(&out); if (sepa_write(&b, &out, &serr))
	    die("sepa_write"); });
	if (out.len != file.len || memcmp(out.data, file.data, out.len) != 0)
		die("two runs wrote different files");
	BEST(copy_ms, { buf_clear(&copy); buf_append(&copy, file.data,
	    file.len); });
	BEST(wps_ms, { buf_clear(&out); if (wps_write(&w, &out, sif, &werr))
	    die("wps_write"); });
	BEST(wcopy_ms, { buf_clear(&copy); buf_append(&copy, wfile.data,
	    wfile.len); });
	getrusage(RUSAGE_SELF, &ru);
	printf("| SEPA pain.001 (sepa_write) | %zu | %zu | %.2f ms | %.3f ms |\n",
	    n, file.len, sepa_ms, copy_ms);
	printf("| WPS SIF (wps_write) | %zu | %zu | %.2f ms | %.3f ms |\n", n,
	    wfile.len, wps_ms, wcopy_ms);
	printf("peak RSS %ld KiB\n", ru.ru_maxrss);
	buf_free(&out);
	buf_free(&copy);
	buf_free(&file);
	buf_free(&wfile);
	free(tx);
	free(emp);
	free(ids);
	free(names);
	free(pids);
	return 0;
}
