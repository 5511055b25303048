/* The driver's « relevé hebdomadaire » as an A4 PDF (core/pdf.h): the
 * same data as the statement page (settlement_get), in the request's
 * language with French formatting of money and dates by default. */
#ifndef FC_FINANCE_STATEMENT_PDF_H
#define FC_FINANCE_STATEMENT_PDF_H

#include "http.h"

/* GET /api/v1/settlements/:id/statement.pdf and
 * /finance/settlements/:id/statement.pdf; a driver gets only their own
 * (row-level security), others are 404. */
int	statement_pdf(struct request *);

#endif
