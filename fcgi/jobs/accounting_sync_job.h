/* The job that marks a fully paid invoice paid in Armado: one row of the
 * accounting_sync outbox (0018_finance_invoices.sql), named by its
 * payload {"invoice_id": "<uuid>"} (one row per invoice).
 *
 * The bill is found by its reference (the invoice's number; its id is
 * kept for the next attempt), then marked paid with the payment type of
 * the method that completed the invoice and that payment's date.  PUT is
 * idempotent, so an attempt whose outcome was lost may be made again.
 *
 * Outcomes on the row: done; pending (waiting helps: 5xx, 408, 429,
 * timeouts, connection errors; the queue retries with exponential
 * backoff and jitter); dead once FLEETCORE_ARMADO_ATTEMPTS attempts have
 * failed so; failed (something must change first: no key, 401, 404,
 * 422, ...: never retried by itself, the row says what to fix and
 * « Relancer » makes a new job). */
#ifndef FC_JOBS_ACCOUNTING_SYNC_JOB_H
#define FC_JOBS_ACCOUNTING_SYNC_JOB_H

#include "runner.h"

#define ACCOUNTING_SYNC_KIND	"accounting_sync"

enum job_outcome	accounting_sync_run(struct job_ctx *);

#endif
