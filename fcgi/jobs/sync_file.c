#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "sync_file.h"

static int
make_dirs(const char *data_dir, const char *tenant_id)
{
	char	dir[4096];

	if (snprintf(dir, sizeof(dir), "%s/sources", data_dir) >=
	    (int)sizeof(dir) || (mkdir(dir, 0700) == -1 && errno != EEXIST))
		return -1;
	if (snprintf(dir, sizeof(dir), "%s/sources/%s", data_dir, tenant_id) >=
	    (int)sizeof(dir) || (mkdir(dir, 0700) == -1 && errno != EEXIST))
		return -1;
	return 0;
}

int
sync_file_path(const char *data_dir, const char *tenant_id, const char *key,
    char *out, size_t outlen)
{
	if (!files_is_key(key, SYNC_FILE_KEY_LEN) || !files_is_uuid(tenant_id))
		return -1;
	return snprintf(out, outlen, "%s/sources/%s/%s.dat", data_dir,
	    tenant_id, key) >= (int)outlen ? -1 : 0;
}

static int
copy_fd(int from, int to)
{
	char	chunk[65536];
	ssize_t	n;

	while ((n = read(from, chunk, sizeof(chunk))) > 0)
		if (files_write_all(to, chunk, (size_t)n) == -1)
			return -1;
	return n < 0 ? -1 : 0;
}

/* A new key and its path; the file does not exist yet. */
static int
new_path(const char *data_dir, const char *tenant_id,
    char key[SYNC_FILE_KEY_LEN + 1], char *path, size_t len)
{
	if (!files_is_uuid(tenant_id) || make_dirs(data_dir, tenant_id) == -1)
		return -1;
	secret_token_new(key);
	return sync_file_path(data_dir, tenant_id, key, path, len);
}

int
sync_file_keep(const char *data_dir, const char *tenant_id, struct upload *u,
    char key[SYNC_FILE_KEY_LEN + 1])
{
	char	path[4096];
	int	fd, rc;

	if (new_path(data_dir, tenant_id, key, path, sizeof(path)) == -1)
		return -1;
	if (u->path != NULL) {
		/* Spooled under the same data folder: a rename, not a copy. */
		if (rename(u->path, path) == 0) {
			u->path = NULL;
			return 0;
		}
		return sync_file_keep_path(data_dir, tenant_id, u->path, key);
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1)
		return -1;
	rc = files_write_all(fd, u->data, u->size);
	if (close(fd) == -1 || rc == -1) {
		unlink(path);
		return -1;
	}
	return 0;
}

int
sync_file_keep_path(const char *data_dir, const char *tenant_id,
    const char *from, char key[SYNC_FILE_KEY_LEN + 1])
{
	char	path[4096];
	int	in, out, rc;

	if (new_path(data_dir, tenant_id, key, path, sizeof(path)) == -1)
		return -1;
	if ((in = open(from, O_RDONLY)) == -1)
		return -1;
	if ((out = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
		close(in);
		return -1;
	}
	rc = copy_fd(in, out);
	close(in);
	if (close(out) == -1 || rc == -1) {
		unlink(path);
		return -1;
	}
	return 0;
}
