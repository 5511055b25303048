/* Secrets, with libsodium: random tokens stored only as hashes,
 * argon2id passwords, and sealed connector secrets (secretbox under a key
 * file outside the database).  Prefix secret_: libsodium owns crypto_. */
#ifndef FC_CRYPTO_H
#define FC_CRYPTO_H

#include <stddef.h>

#include "buf.h"

#define SECRET_TOKEN_LEN	43	/* 32 random bytes, base64url */
#define SECRET_HASH_HEX		(2 + 64)	/* "\\x" + SHA-256 in hex */
#define SECRET_PWHASH_LEN	128
#define SECRET_KEY_LEN		32

/* Call once per process before anything else here. */
int	secret_init(void);
/* A new random token: SECRET_TOKEN_LEN characters and a NUL. */
void	secret_token_new(char out[SECRET_TOKEN_LEN + 1]);
/* SHA-256 of a token as a PostgreSQL bytea literal ("\\x…"), what the
 * database stores instead of the token. */
void	secret_token_hash(const char *token, char out[SECRET_HASH_HEX + 1]);
/* argon2id; -1 when out of memory. */
int	secret_password_hash(const char *password, char out[SECRET_PWHASH_LEN]);
/* 1 when password matches hash. */
int	secret_password_verify(const char *hash, const char *password);
/* Constant-time comparison of two NUL-terminated strings. */
int	secret_equal(const char *, const char *);
/* The key file: exactly 32 bytes.  -1 when missing or malformed. */
int	secret_load_key(const char *path, unsigned char key[SECRET_KEY_LEN]);
/* Seal plaintext as base64(nonce || box) into out; open it back. */
int	secret_seal(const unsigned char key[SECRET_KEY_LEN], const char *plain,
	    buf *out);
int	secret_open(const unsigned char key[SECRET_KEY_LEN], const char *sealed,
	    buf *out);

#endif
