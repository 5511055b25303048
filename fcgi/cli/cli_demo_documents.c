/* Demo documents of tenant "demo": papers of the first vehicles and
 * drivers of the demo fleet, with small generated PDF and PNG files in the
 * data folder.  Expiry dates are offsets from the day of loading, so that
 * some documents are always to renew and some expired (the reminders have
 * something to show).  Loaded once: a tenant that has documents is left as
 * it is.  Runs as the owner role in one transaction; the files of a
 * transaction that fails are removed. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <libpq-fe.h>

#include "fleet/documents_file.h"
#include "buf.h"
#include "cli.h"

#define NVEHICLES	12
#define NDRIVERS	10
#define MAXFILES	(NVEHICLES * 4 + NDRIVERS * 4)

/* A document to make: its owner's index, type, expiry (days from today,
 * or NO_EXPIRY) and format. */
#define NO_EXPIRY	100000

struct made {
	char	tenant[40];
	char	keys[MAXFILES][DOCUMENTS_KEY_LEN + 1];
	int	nkeys;
};

static PGresult *
run(PGconn *c, const char *sql, int n, const char *const *v)
{
	return cli_exec(c, "demo documents", sql, n, v);
}

static int
command(PGconn *c, const char *sql)
{
	PGresult	*res;

	if ((res = run(c, sql, 0, NULL)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* ---- Files ------------------------------------------------------------ */

/* A one-page PDF saying what the document is (WinAnsi text, so that the
 * accents of the title are written as octal escapes). */
static int
make_pdf(buf *b, const char *title, const char *subject)
{
	size_t	off[6], xref;
	buf	content;
	int	k;

	buf_init(&content);
	buf_printf(&content, "BT /F1 20 Tf 72 760 Td (%s) Tj 0 -32 Td /F1 14 Tf"
	    " (%s) Tj 0 -24 Td (Document de d\\351monstration FleetCore) Tj ET\n",
	    title, subject);
	buf_clear(b);
	buf_puts(b, "%PDF-1.4\n");
	off[1] = b->len;
	buf_puts(b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	off[2] = b->len;
	buf_puts(b, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
	off[3] = b->len;
	buf_puts(b, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595"
	    " 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>\n"
	    "endobj\n");
	off[4] = b->len;
	buf_printf(b, "4 0 obj\n<< /Length %zu >>\nstream\n", content.len);
	buf_append(b, content.data, content.len);
	buf_puts(b, "endstream\nendobj\n");
	off[5] = b->len;
	buf_puts(b, "5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont"
	    " /Helvetica /Encoding /WinAnsiEncoding >>\nendobj\n");
	buf_free(&content);
	xref = b->len;
	buf_puts(b, "xref\n0 6\n0000000000 65535 f \n");
	for (k = 1; k < 6; k++)
		buf_printf(b, "%010zu 00000 n \n", off[k]);
	buf_printf(b, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n"
	    "%%%%EOF\n", xref);
	return b->oom ? -1 : 0;
}

static uint32_t
crc32_of(const unsigned char *p, size_t n)
{
	uint32_t	c = 0xffffffffu;
	int		k;

	while (n-- > 0) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return c ^ 0xffffffffu;
}

static void
put32(buf *b, uint32_t v)
{
	unsigned char	x[4] = { (unsigned char)(v >> 24),
			    (unsigned char)(v >> 16), (unsigned char)(v >> 8),
			    (unsigned char)v };

	buf_append(b, x, 4);
}

static void
chunk(buf *b, const char *type, const unsigned char *data, size_t n)
{
	size_t	start;

	put32(b, (uint32_t)n);
	start = b->len;
	buf_append(b, type, 4);
	buf_append(b, data, n);
	put32(b, crc32_of((const unsigned char *)b->data + start, n + 4));
}

/* A small PNG scan: a page of a colour with a darker band.  The image
 * data is deflated with "stored" blocks (no compression): no zlib needed
 * for a few kilobytes. */
#define PNG_W	96
#define PNG_H	64

static int
make_png(buf *b, unsigned char r, unsigned char g, unsigned char bl)
{
	unsigned char	 ihdr[13] = { 0, 0, 0, PNG_W, 0, 0, 0, PNG_H, 8, 2,
			    0, 0, 0 };
	unsigned char	 px[3];
	const unsigned char *raw;
	buf		 z, pixels;
	uint32_t	 a = 1, s = 0;
	size_t		 i, n, at, len;
	int		 x, y, dark;

	/* Rows of filter byte 0 then RGB pixels. */
	buf_init(&pixels);
	for (y = 0; y < PNG_H; y++) {
		buf_putc(&pixels, 0);
		dark = y > 8 && y < 20;
		px[0] = dark ? r / 2 : r;
		px[1] = dark ? g / 2 : g;
		px[2] = dark ? bl / 2 : bl;
		for (x = 0; x < PNG_W; x++)
			buf_append(&pixels, px, 3);
	}
	if (pixels.oom) {
		buf_free(&pixels);
		return -1;
	}
	raw = (const unsigned char *)pixels.data;
	n = pixels.len;
	for (i = 0; i < n; i++) {
		a = (a + raw[i]) % 65521;
		s = (s + a) % 65521;
	}
	buf_init(&z);
	buf_putc(&z, 0x78);
	buf_putc(&z, 0x01);
	for (at = 0; at < n; at += len) {
		unsigned char	h[5];

		len = n - at > 65535 ? 65535 : n - at;
		h[0] = at + len == n;
		h[1] = (unsigned char)len;
		h[2] = (unsigned char)(len >> 8);
		h[3] = (unsigned char)~len;
		h[4] = (unsigned char)(~len >> 8);
		buf_append(&z, h, 5);
		buf_append(&z, raw + at, len);
	}
	put32(&z, (s << 16) | a);
	buf_clear(b);
	buf_append(b, "\x89PNG\r\n\x1a\n", 8);
	chunk(b, "IHDR", ihdr, sizeof(ihdr));
	chunk(b, "IDAT", (const unsigned char *)z.data, z.len);
	chunk(b, "IEND", (const unsigned char *)"", 0);
	buf_free(&z);
	buf_free(&pixels);
	return b->oom ? -1 : 0;
}

/* ---- Documents --------------------------------------------------------- */

struct doc {
	const char	*owner;		/* "vehicle" or "driver" */
	const char	*owner_id;
	const char	*label;		/* plate or name, printed on the file */
	const char	*type;
	const char	*title;		/* ASCII or WinAnsi escapes */
	const char	*number;
	int		 issued;	/* days from today (negative) */
	int		 expires;	/* days from today, or NO_EXPIRY */
	int		 png;
	const char	*superseded_by;	/* for an older version */
};

static const char insert_sql[] =
	"INSERT INTO documents (tenant_id, vehicle_id, driver_id, type, number,"
	" issued_on, expires_on, file_name, content_type, size_bytes,"
	" storage_key, superseded_by) VALUES ($1::uuid,"
	" CASE WHEN $2 = 'vehicle' THEN $3::uuid END,"
	" CASE WHEN $2 = 'driver' THEN $3::uuid END, $4::document_type, $5,"
	" current_date + $6::int, CASE WHEN $7::int < 100000 THEN"
	" current_date + $7::int END, $8, $9, $10::bigint, $11, $12::uuid)"
	" RETURNING id";

static int
make_doc(PGconn *c, const struct config *cfg, struct made *m,
    const struct doc *d, char id[40])
{
	char		 issued[16], expires[16], size[24], name[128];
	const char	*v[12];
	PGresult	*res;
	buf		 file;
	int		 rc;

	buf_init(&file);
	rc = d->png ? make_png(&file, 70 + (unsigned char)(strlen(d->type) * 13),
	    150, 210) : make_pdf(&file, d->title, d->label);
	if (rc == -1 || m->nkeys == MAXFILES || documents_file_write(
	    cfg->data_dir, m->tenant, file.data, file.len, NULL,
	    m->keys[m->nkeys]) == -1) {
		fprintf(stderr, "fleetcore: demo documents: cannot write a file"
		    " under %s\n", cfg->data_dir);
		buf_free(&file);
		return -1;
	}
	snprintf(issued, sizeof(issued), "%d", d->issued);
	snprintf(expires, sizeof(expires), "%d", d->expires);
	snprintf(size, sizeof(size), "%zu", file.len);
	snprintf(name, sizeof(name), "%s-%s.%s", d->type, d->label,
	    d->png ? "png" : "pdf");
	buf_free(&file);
	v[0] = m->tenant;
	v[1] = d->owner;
	v[2] = d->owner_id;
	v[3] = d->type;
	v[4] = d->number;
	v[5] = issued;
	v[6] = expires;
	v[7] = name;
	v[8] = d->png ? "image/png" : "application/pdf";
	v[9] = size;
	v[10] = m->keys[m->nkeys++];
	v[11] = d->superseded_by;
	if ((res = run(c, insert_sql, 12, v)) == NULL)
		return -1;
	snprintf(id, 40, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* Expiries spread so that the reminders page has a little of
 * everything: vehicle i's insurance and inspection, driver i's cards. */
static const int insurance_in[NVEHICLES] = { 12, -9, 190, 250, 25, 310, 140,
	-2, 280, 60, 7, 330 };
static const int inspection_in[NVEHICLES] = { 400, 18, -30, 520, 90, 3, 610,
	200, 28, 700, 450, -60 };
static const int vtc_in[NDRIVERS] = { 21, 600, -4, 820, 15, 1000, 300, -40,
	70, 27 };
static const int licence_in[NDRIVERS] = { 3650, 2900, 4100, 9, 5200, 3100,
	-12, 4600, 2500, 3800 };

static int
vehicle_docs(PGconn *c, const struct config *cfg, struct made *m, int i,
    const char *vid, const char *plate)
{
	char		num[32], id[40], old[40];
	struct doc	d;

	snprintf(num, sizeof(num), "FR-%06d", 314159 + i * 7919);
	d = (struct doc){ "vehicle", vid, plate, "carte_grise",
	    "Certificat d'immatriculation", num, -700 - i * 40, NO_EXPIRY, 0,
	    NULL };
	if (make_doc(c, cfg, m, &d, id) == -1)
		return -1;
	snprintf(num, sizeof(num), "POL-%d-%04d", 2026, 1200 + i);
	d = (struct doc){ "vehicle", vid, plate, "assurance",
	    "Attestation d'assurance", num, insurance_in[i] - 365,
	    insurance_in[i], 0, NULL };
	if (make_doc(c, cfg, m, &d, id) == -1)
		return -1;
	/* The first vehicle's previous insurance: the history has a line. */
	if (i == 0) {
		d.number = "POL-2025-1200";
		d.issued -= 365;
		d.expires -= 365;
		d.superseded_by = id;
		if (make_doc(c, cfg, m, &d, old) == -1)
			return -1;
	}
	d = (struct doc){ "vehicle", vid, plate, "controle_technique",
	    "Proc\\350s-verbal de contr\\364le technique", NULL,
	    inspection_in[i] - 730, inspection_in[i], i % 3 == 1, NULL };
	return make_doc(c, cfg, m, &d, id);
}

static int
driver_docs(PGconn *c, const struct config *cfg, struct made *m, int i,
    const char *did, const char *name)
{
	char		num[32], id[40];
	struct doc	d;

	snprintf(num, sizeof(num), "VTC-075-%05d", 21000 + i * 37);
	d = (struct doc){ "driver", did, name, "carte_vtc",
	    "Carte professionnelle VTC", num, vtc_in[i] - 1825, vtc_in[i], 0,
	    NULL };
	if (make_doc(c, cfg, m, &d, id) == -1)
		return -1;
	snprintf(num, sizeof(num), "%02d%02dAB%05d", 10 + i, 6, 40000 + i * 11);
	d = (struct doc){ "driver", did, name, "permis", "Permis de conduire",
	    num, licence_in[i] - 5475, licence_in[i], i % 2 == 0, NULL };
	if (make_doc(c, cfg, m, &d, id) == -1)
		return -1;
	d = (struct doc){ "driver", did, name, "piece_identite",
	    "Carte nationale d'identit\\351", NULL, -1500 - i * 30,
	    2100 + i * 45, 1, NULL };
	if (make_doc(c, cfg, m, &d, id) == -1)
		return -1;
	d = (struct doc){ "driver", did, name, "rib",
	    "Relev\\351 d'identit\\351 bancaire", NULL, -200, NO_EXPIRY, 0,
	    NULL };
	return make_doc(c, cfg, m, &d, id);
}

/* The owners: the first vehicles by plate, the first active drivers by
 * name (the demo's own chauffeur among them when active). */
static int
build(PGconn *c, const struct config *cfg, struct made *m)
{
	const char	*v[1] = { m->tenant };
	PGresult	*res;
	int		 i, rc = 0;

	if ((res = run(c, "SELECT id, plate FROM vehicles WHERE tenant_id ="
	    " $1::uuid AND archived_at IS NULL ORDER BY plate LIMIT 12", 1,
	    v)) == NULL)
		return -1;
	for (i = 0; rc == 0 && i < PQntuples(res); i++)
		rc = vehicle_docs(c, cfg, m, i, PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1));
	PQclear(res);
	if (rc != 0 || (res = run(c, "SELECT id, first_name || ' ' ||"
	    " last_name FROM drivers WHERE tenant_id = $1::uuid AND status ="
	    " 'actif' AND archived_at IS NULL ORDER BY user_id IS NULL,"
	    " last_name, first_name LIMIT 10", 1, v)) == NULL)
		return -1;
	for (i = 0; rc == 0 && i < PQntuples(res); i++)
		rc = driver_docs(c, cfg, m, i, PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1));
	PQclear(res);
	return rc;
}

int
demo_documents(PGconn *c, const struct config *cfg)
{
	struct made		 m;
	PGresult		*res;
	int			 i, rc;

	memset(&m, 0, sizeof(m));
	if ((res = run(c, "SELECT t.id FROM tenants t WHERE t.slug = 'demo'"
	    " AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.tenant_id ="
	    " t.id)", 0, NULL)) == NULL)
		return 1;
	if (PQntuples(res) == 1)
		snprintf(m.tenant, sizeof(m.tenant), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (m.tenant[0] == '\0')
		return 0;	/* no demo tenant, or its documents are there */
	if (command(c, "BEGIN") == -1)
		return 1;
	rc = build(c, cfg, &m) == 0 && command(c, "COMMIT") == 0 ? 0 : 1;
	if (rc != 0) {
		command(c, "ROLLBACK");
		for (i = 0; i < m.nkeys; i++) {
			char	path[4096];

			snprintf(path, sizeof(path), "%s/documents/%s/%s",
			    cfg->data_dir, m.tenant, m.keys[i]);
			remove(path);
		}
		return 1;
	}
	fprintf(stderr, "demo: %d documents with their files\n", m.nkeys);
	return 0;
}
