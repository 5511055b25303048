#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "bundle.h"

int
bundle_is_zip(int fd)
{
	unsigned char	sig[4];
	ssize_t		n = pread(fd, sig, sizeof(sig), 0);

	return n == 4 && sig[0] == 'P' && sig[1] == 'K' && sig[2] == 3 &&
	    sig[3] == 4;
}

static int
fail(char *msg, size_t msglen, const char *why)
{
	snprintf(msg, msglen, "%s", why);
	return -1;
}

/* Not a file of the export: a folder, macOS's resource forks, a hidden
 * file. */
static int
skipped(const char *name)
{
	const char	*base = strrchr(name, '/');

	base = base != NULL ? base + 1 : name;
	return *base == '\0' || *base == '.' ||
	    strncmp(name, "__MACOSX/", 9) == 0;
}

/* Copy one member into an unnamed file: its descriptor, or -1. */
static int
extract(zip_t *z, zip_uint64_t i, long long max, char *msg, size_t msglen)
{
	char		 chunk[65536];
	zip_file_t	*zf;
	zip_int64_t	 n;
	long long	 total = 0;
	FILE		*tmp;
	int		 fd = -1;

	if ((zf = zip_fopen_index(z, i, 0)) == NULL) {
		fail(msg, msglen, "Archive zip illisible (fichier chiffré ou"
		    " méthode de compression inconnue).");
		return -1;
	}
	if ((tmp = tmpfile()) == NULL) {
		zip_fclose(zf);
		fail(msg, msglen, "Espace temporaire indisponible.");
		return -1;
	}
	while ((n = zip_fread(zf, chunk, sizeof(chunk))) > 0) {
		total += n;
		if (total > max) {
			fail(msg, msglen, "Un fichier de l'archive zip est trop"
			    " volumineux une fois décompressé.");
			goto out;
		}
		if (fwrite(chunk, 1, (size_t)n, tmp) != (size_t)n) {
			fail(msg, msglen, "Espace temporaire insuffisant.");
			goto out;
		}
	}
	if (n < 0) {
		fail(msg, msglen, "Archive zip endommagée : un fichier ne se"
		    " décompresse pas.");
		goto out;
	}
	if (fflush(tmp) == 0 && (fd = dup(fileno(tmp))) != -1)
		(void)lseek(fd, 0, SEEK_SET);
out:
	zip_fclose(zf);
	fclose(tmp);
	return fd;
}

int
bundle_each(int fd, long long member_max, bundle_fn fn, void *ctx,
    char *msg, size_t msglen)
{
	zip_t		*z;
	zip_stat_t	 st;
	zip_int64_t	 n, i;
	const char	*base;
	int		 zfd, err = 0, rc = 0, mfd, files = 0;

	*msg = '\0';
	if ((zfd = dup(fd)) == -1)
		return fail(msg, msglen, "Fichier illisible.");
	(void)lseek(zfd, 0, SEEK_SET);
	if ((z = zip_fdopen(zfd, ZIP_RDONLY | ZIP_CHECKCONS, &err)) == NULL) {
		close(zfd);
		return fail(msg, msglen, "Archive zip endommagée ou"
		    " incomplète.");
	}
	n = zip_get_num_entries(z, 0);
	for (i = 0; rc == 0 && i < n; i++) {
		if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) == -1 ||
		    !(st.valid & ZIP_STAT_NAME) || skipped(st.name))
			continue;
		if (++files > BUNDLE_MAX_MEMBERS) {
			rc = fail(msg, msglen, "L'archive zip contient trop de"
			    " fichiers.");
			break;
		}
		if ((st.valid & ZIP_STAT_SIZE) && (long long)st.size >
		    member_max) {
			rc = fail(msg, msglen, "Un fichier de l'archive zip est"
			    " trop volumineux une fois décompressé.");
			break;
		}
		if ((mfd = extract(z, (zip_uint64_t)i, member_max, msg,
		    msglen)) == -1) {
			rc = -1;
			break;
		}
		base = strrchr(st.name, '/');
		rc = fn(ctx, base != NULL ? base + 1 : st.name, mfd);
	}
	zip_discard(z);
	return rc;
}

int
bundle_make(const char *path, size_t n, const char *const *names,
    const char *const *paths, const char *const *datas, const size_t *sizes)
{
	zip_source_t	*src;
	zip_t		*z;
	size_t		 i;
	int		 err = 0;

	if ((z = zip_open(path, ZIP_CREATE | ZIP_EXCL, &err)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		src = paths[i] != NULL ? zip_source_file(z, paths[i], 0, -1) :
		    zip_source_buffer(z, datas[i], sizes[i], 0);
		if (src == NULL || zip_file_add(z, names[i], src,
		    ZIP_FL_ENC_UTF_8) < 0) {
			zip_source_free(src);
			zip_discard(z);
			(void)unlink(path);
			return -1;
		}
	}
	if (zip_close(z) == -1) {
		zip_discard(z);
		(void)unlink(path);
		return -1;
	}
	return 0;
}
