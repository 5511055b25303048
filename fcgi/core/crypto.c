#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "crypto.h"

int
secret_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void
secret_token_new(char out[SECRET_TOKEN_LEN + 1])
{
	unsigned char	raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, SECRET_TOKEN_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void
secret_token_hash(const char *token, char out[SECRET_HASH_HEX + 1])
{
	unsigned char	h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	out[0] = '\\';
	out[1] = 'x';
	sodium_bin2hex(out + 2, SECRET_HASH_HEX - 1, h, sizeof(h));
}

int
secret_password_hash(const char *pw, char out[SECRET_PWHASH_LEN])
{
	return crypto_pwhash_str(out, pw, strlen(pw),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0 ? 0 : -1;
}

int
secret_password_verify(const char *hash, const char *pw)
{
	if (hash == NULL || *hash == '\0')
		return 0;
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

int
secret_equal(const char *a, const char *b)
{
	size_t	n = strlen(a);

	if (n != strlen(b))
		return 0;
	return n == 0 || sodium_memcmp(a, b, n) == 0;
}

int
secret_load_key(const char *path, unsigned char key[SECRET_KEY_LEN])
{
	FILE	*f;
	size_t	 n;
	int	 extra;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	n = fread(key, 1, SECRET_KEY_LEN, f);
	extra = fgetc(f);
	fclose(f);
	return n == SECRET_KEY_LEN && extra == EOF ? 0 : -1;
}

int
secret_seal(const unsigned char key[SECRET_KEY_LEN], const char *plain,
    buf *out)
{
	size_t		 n = strlen(plain);
	size_t		 boxlen = crypto_secretbox_NONCEBYTES +
			    crypto_secretbox_MACBYTES + n;
	unsigned char	*box;
	size_t		 b64len = sodium_base64_ENCODED_LEN(boxlen,
			    sodium_base64_VARIANT_ORIGINAL);
	int		 rc = -1;

	if ((box = sodium_malloc(boxlen)) == NULL)
		return -1;
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES,
	    (const unsigned char *)plain, n, box, key);
	if (buf_reserve(out, b64len) == 0) {
		sodium_bin2base64(out->data + out->len, b64len, box, boxlen,
		    sodium_base64_VARIANT_ORIGINAL);
		out->len += strlen(out->data + out->len);
		rc = 0;
	}
	sodium_free(box);
	return rc;
}

int
secret_open(const unsigned char key[SECRET_KEY_LEN], const char *sealed,
    buf *out)
{
	size_t		 cap = strlen(sealed), boxlen;
	unsigned char	*box;
	int		 rc = -1;

	if ((box = sodium_malloc(cap + 1)) == NULL)
		return -1;
	if (sodium_base642bin(box, cap, sealed, strlen(sealed), NULL, &boxlen,
	    NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    boxlen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		goto out;
	if (buf_reserve(out, boxlen) == -1)
		goto out;
	if (crypto_secretbox_open_easy((unsigned char *)out->data + out->len,
	    box + crypto_secretbox_NONCEBYTES,
	    boxlen - crypto_secretbox_NONCEBYTES, box, key) != 0)
		goto out;
	out->len += boxlen - crypto_secretbox_NONCEBYTES -
	    crypto_secretbox_MACBYTES;
	out->data[out->len] = '\0';
	rc = 0;
out:
	sodium_free(box);
	return rc;
}
