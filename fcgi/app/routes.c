/* Every route of FleetCore, in one table: method, pattern, handler, the
 * least role allowed, flags.  The router, the metrics, the access tests
 * and the OpenAPI check all read this table. */
#include "app.h"
#include "fleet/assignments.h"
#include "fleet/assignments_api.h"
#include "fleet/assignments_web.h"
#include "fleet/documents_api.h"
#include "fleet/documents_web.h"
#include "fleet/drivers.h"
#include "fleet/drivers_onboarding.h"
#include "fleet/drivers_web.h"
#include "fleet/event_attachments.h"
#include "fleet/vehicle_events.h"
#include "fleet/vehicle_forms.h"
#include "fleet/vehicles.h"
#include "fleet/vehicles_web.h"
#include "finance/accounting_sync.h"
#include "finance/finance_web.h"
#include "finance/invoices.h"
#include "finance/invoices_api.h"
#include "finance/invoices_web.h"
#include "finance/ledger_entries.h"
#include "finance/ledger_web.h"
#include "finance/organisation_api.h"
#include "finance/organisation_web.h"
#include "finance/payouts_api.h"
#include "finance/payouts_web.h"
#include "finance/settlements.h"
#include "finance/settlements_api.h"
#include "finance/statement_pdf.h"
#include "identity/api_me.h"
#include "identity/auth.h"
#include "identity/members.h"
#include "identity/profile.h"
#include "identity/reset.h"
#include "identity/session.h"
#include "identity/tokens.h"
#include "dashboard/analytics_api.h"
#include "dashboard/dashboard_web.h"
#include "live/live.h"
#include "portal/portal.h"
#include "reports/reports_web.h"
#include "resource/resource_api.h"
#include "site/devtools.h"
#include "site/health.h"
#include "site/nav.h"
#include "site/openapi.h"
#include "site/prefs.h"
#include "site/settings.h"
#include "site/styleguide.h"
#include "sources/sources_api.h"
#include "sources/sources_mapping.h"
#include "sources/sources_page.h"
#include "sources/sources_session_web.h"
#include "sources/sources_web.h"
#include "sources/sync_runs_web.h"
#include "commerce/commerce.h"
#include "quality/quality.h"
#include "sources/trips.h"
#include "sources/trips_web.h"
#include "sources/unmatched.h"

#define P	ACCESS_PUBLIC
#define NO_TX	ROUTE_NO_TX
#define API	ROUTE_API
#define DEV	(ROUTE_DEV | ROUTE_NO_TX)
#define UPLOAD	ROUTE_UPLOAD
/* The resources whose routes the resource layer serves. */
#define VEHICLES	(&vehicle_resource)
#define DRIVERS		(&driver_resource)

/* A resource's pages: its list, its export and its import from a file
 * (before base/:id, which would take "export" and "import" for an id). */
#define RESOURCE_PAGES(base, res) \
	{ "GET", base, resource_index, ACCESS_VIEWER, 0, res }, \
	{ "GET", base "/export", resource_export, ACCESS_VIEWER, 0, res }, \
	{ "GET", base "/import", resource_import_form, ACCESS_MANAGER, 0, res }, \
	{ "GET", base "/import/template", resource_import_template, \
	    ACCESS_MANAGER, 0, res }, \
	{ "POST", base "/import", resource_import_preview, ACCESS_MANAGER, 0, \
	    res }, \
	{ "POST", base "/import/:token/confirm", resource_import_confirm, \
	    ACCESS_MANAGER, 0, res }, \
	{ "POST", base "/import/:token/cancel", resource_import_cancel, \
	    ACCESS_MANAGER, 0, res }
/* Its API: list and create, show, update and archive. */
#define RESOURCE_API(base, res) \
	{ "GET", base, resource_api_list, ACCESS_VIEWER, API, res }, \
	{ "POST", base, resource_api_create, ACCESS_MANAGER, API, res }, \
	{ "GET", base "/:id", resource_api_show, ACCESS_VIEWER, API, res }, \
	{ "PATCH", base "/:id", resource_api_update, ACCESS_MANAGER, API, \
	    res }, \
	{ "DELETE", base "/:id", resource_api_archive, ACCESS_MANAGER, API, \
	    res }

/* A list page, and the API's list and show, of a read-only resource. */
#define COMMERCE(page, api, res) \
	{ "GET", page, resource_index, ACCESS_VIEWER, 0, res }, \
	{ "GET", api, resource_api_list, ACCESS_VIEWER, API, res }, \
	{ "GET", api "/:id", resource_api_show, ACCESS_VIEWER, API, res }

static const struct route routes[] = {
	/* Platform */
	{ "GET", "/healthz", health_check, P, NO_TX },
	{ "GET", "/metrics", health_metrics, ACCESS_LOCAL, NO_TX },
	{ "GET", "/status", health_status_page, P, NO_TX },
	{ "GET", "/lang", prefs_language, P, NO_TX },

	/* Identity */
	{ "GET", "/login", session_login_form, P, 0 },
	{ "POST", "/login", session_login, P, 0 },
	{ "POST", "/logout", session_logout, ACCESS_DRIVER, 0 },
	{ "GET", "/orgs", session_orgs, ACCESS_DRIVER, 0 },
	{ "POST", "/orgs", session_switch_org, ACCESS_DRIVER, 0 },
	{ "GET", "/password/forgot", reset_request_form, P, 0 },
	{ "POST", "/password/forgot", reset_request, P, 0 },
	{ "GET", "/password/reset/:token", reset_form, P, 0 },
	{ "POST", "/password/reset/:token", reset_submit, P, 0 },
	{ "GET", "/invitations/:token", invitation_show, P, 0 },
	{ "POST", "/invitations/:token", invitation_accept, P, 0 },
	{ "GET", "/profile", profile_show, ACCESS_DRIVER, 0 },
	{ "POST", "/profile", profile_update, ACCESS_DRIVER, 0 },
	{ "POST", "/profile/password", profile_password, ACCESS_DRIVER, 0 },
	{ "GET", "/members", members_list, ACCESS_ADMIN, 0 },
	{ "POST", "/members", members_invite, ACCESS_ADMIN, 0 },
	{ "POST", "/members/:id/role", members_set_role, ACCESS_ADMIN, 0 },
	{ "POST", "/members/:id/remove", members_remove, ACCESS_ADMIN, 0 },
	{ "GET", "/outbox", members_outbox, ACCESS_ADMIN, 0 },
	{ "GET", "/tokens", tokens_list, ACCESS_ADMIN, 0 },
	{ "POST", "/tokens", tokens_create, ACCESS_ADMIN, 0 },
	{ "POST", "/tokens/:id/revoke", tokens_revoke, ACCESS_ADMIN, 0 },

	/* Screens */
	{ "GET", "/", dashboard_show, ACCESS_DRIVER, 0 },	/* a driver: the portal */
	{ "GET", "/settings", settings_show, ACCESS_VIEWER, 0 },

	/* The driver's own pages */
	{ "GET", "/portal", portal_home, ACCESS_DRIVER, 0 },
	{ "GET", "/portal/documents/:id/file", portal_document_file,
	    ACCESS_DRIVER, 0 },
	{ "GET", "/portal/statements/:id/statement.pdf", statement_pdf,
	    ACCESS_DRIVER, 0 },

	/* Fleet: vehicles */
	RESOURCE_PAGES("/vehicles", VEHICLES),
	{ "GET", "/vehicles/new", resource_new, ACCESS_MANAGER, 0, VEHICLES },
	{ "POST", "/vehicles", resource_create, ACCESS_MANAGER, 0, VEHICLES },
	{ "GET", "/vehicles/:id", vehicles_show, ACCESS_VIEWER, 0 },
	{ "GET", "/vehicles/:id/edit", resource_edit, ACCESS_MANAGER, 0,
	    VEHICLES },
	{ "POST", "/vehicles/:id", resource_save, ACCESS_MANAGER, 0, VEHICLES },
	{ "POST", "/vehicles/:id/archive", resource_archive_page,
	    ACCESS_MANAGER, 0, VEHICLES },
	{ "POST", "/vehicles/:id/events", vehicle_events_post,
	    ACCESS_MANAGER, 0 },
	{ "GET", "/event-attachments/:id/file", event_attachments_download,
	    ACCESS_VIEWER, 0 },

	/* Fleet: documents and assignments */
	{ "GET", "/documents/due", documents_due_page, ACCESS_VIEWER, 0 },
	{ "GET", "/documents/:id/file", documents_download, ACCESS_VIEWER, 0 },
	{ "POST", "/vehicles/:id/documents", documents_vehicle_post,
	    ACCESS_MANAGER, 0 },
	{ "POST", "/drivers/:id/documents", documents_driver_post,
	    ACCESS_MANAGER, 0 },
	{ "POST", "/vehicles/:id/assignments", assignments_vehicle_post,
	    ACCESS_MANAGER, 0 },
	{ "POST", "/assignments/:id/end", assignments_end_post, ACCESS_MANAGER,
	    0 },
	{ "GET", "/api/v1/vehicles/:id/documents", documents_api_vehicle_list,
	    ACCESS_VIEWER, API },
	{ "POST", "/api/v1/vehicles/:id/documents",
	    documents_api_vehicle_create, ACCESS_MANAGER, API },
	{ "GET", "/api/v1/drivers/:id/documents", documents_api_driver_list,
	    ACCESS_VIEWER, API },
	{ "POST", "/api/v1/drivers/:id/documents", documents_api_driver_create,
	    ACCESS_MANAGER, API },
	{ "GET", "/api/v1/documents/:id", documents_api_show, ACCESS_VIEWER,
	    API },
	{ "GET", "/api/v1/documents/:id/file", documents_api_file,
	    ACCESS_VIEWER, API },
	{ "GET", "/api/v1/assignments", resource_api_list, ACCESS_VIEWER,
	    API, &assignment_resource },
	{ "POST", "/api/v1/assignments", assignments_api_create, ACCESS_MANAGER,
	    API },
	{ "GET", "/api/v1/assignments/:id", resource_api_show, ACCESS_VIEWER,
	    API, &assignment_resource },
	{ "POST", "/api/v1/assignments/:id/end", assignments_api_end,
	    ACCESS_MANAGER, API },

	/* Fleet: drivers */
	RESOURCE_PAGES("/drivers", DRIVERS),
	{ "GET", "/drivers/new", drivers_onboarding_new, ACCESS_MANAGER, 0 },
	{ "POST", "/drivers/new", drivers_onboarding_create,
	    ACCESS_MANAGER, 0 },
	{ "GET", "/drivers/:id", drivers_show, ACCESS_VIEWER, 0 },
	{ "GET", "/drivers/:id/edit", resource_edit, ACCESS_MANAGER, 0,
	    DRIVERS },
	{ "POST", "/drivers/:id", resource_save, ACCESS_MANAGER, 0, DRIVERS },
	{ "POST", "/drivers/:id/archive", resource_archive_page, ACCESS_MANAGER,
	    0, DRIVERS },
	{ "POST", "/drivers/:id/invite", drivers_invite, ACCESS_MANAGER, 0 },
	{ "GET", "/drivers/:id/onboarding/1", drivers_onboarding_step1,
	    ACCESS_MANAGER, 0 },
	{ "POST", "/drivers/:id/onboarding/1", drivers_onboarding_save1,
	    ACCESS_MANAGER, 0 },
	{ "GET", "/drivers/:id/onboarding/2", drivers_onboarding_step2,
	    ACCESS_MANAGER, 0 },
	{ "POST", "/drivers/:id/onboarding/2", drivers_onboarding_save2,
	    ACCESS_MANAGER, 0 },
	{ "GET", "/drivers/:id/onboarding/3", drivers_onboarding_step3,
	    ACCESS_MANAGER, 0 },
	{ "POST", "/drivers/:id/onboarding/3", drivers_onboarding_save3,
	    ACCESS_MANAGER, 0 },

	/* Sources de données */
	{ "GET", "/sources", sources_index, ACCESS_VIEWER, 0 },
	{ "GET", "/sources/new", sources_new, ACCESS_MANAGER, 0 },
	{ "GET", "/sources/unmatched", unmatched_list, ACCESS_VIEWER, 0 },
	{ "POST", "/sources/unmatched", unmatched_assign, ACCESS_MANAGER, 0 },
	{ "POST", "/sources", sources_create, ACCESS_MANAGER, 0 },
	{ "GET", "/sources/:id", sources_show, ACCESS_VIEWER, 0 },
	{ "POST", "/sources/:id", sources_save, ACCESS_MANAGER, 0 },
	{ "GET", "/sources/:id/edit", sources_edit, ACCESS_MANAGER, 0 },
	{ "POST", "/sources/:id/check", sources_check_web, ACCESS_MANAGER,
	    UPLOAD },
	{ "POST", "/sources/:id/sync", sources_sync_web,
	    ACCESS_MANAGER, UPLOAD },
	{ "POST", "/sources/:id/pause", sources_pause, ACCESS_MANAGER, 0 },
	{ "POST", "/sources/:id/resume", sources_resume, ACCESS_MANAGER, 0 },
	{ "POST", "/sources/:id/auto", sources_auto, ACCESS_MANAGER, 0 },
	{ "POST", "/sources/:id/schedule", sources_schedule_web, ACCESS_MANAGER,
	    0 },
	{ "GET", "/sources/:id/runs", sources_runs, ACCESS_VIEWER, 0 },
	{ "GET", "/sources/:id/mapping", sources_mapping_form,
	    ACCESS_MANAGER, 0 },
	{ "POST", "/sources/:id/mapping", sources_mapping_save, ACCESS_MANAGER,
	    UPLOAD },
	/* The session of a portal source (Heetch). */
	{ "POST", "/sources/:id/login", sources_login_web, ACCESS_MANAGER, 0 },
	{ "GET", "/sync-runs/:id", sync_runs_show, ACCESS_VIEWER, 0 },
	{ "GET", "/sync-runs/:id/progress", sync_runs_progress,
	    ACCESS_VIEWER, 0 },
	{ "POST", "/sync-runs/:id/cancel", sync_runs_cancel_web, ACCESS_MANAGER,
	    0 },
	{ "POST", "/sync-runs/:id/retry", sync_runs_retry_web,
	    ACCESS_MANAGER, 0 },
	{ "GET", "/trips", trips_index, ACCESS_VIEWER, 0, &trip_resource },
	{ "GET", "/earnings", earnings_index, ACCESS_VIEWER, 0,
	    &earning_resource },

	/* Finance: the organisation's settings and payouts */
	{ "GET", "/settings/organisation", organisation_page, ACCESS_FINANCE,
	    0 },
	{ "POST", "/settings/organisation", organisation_save, ACCESS_ADMIN,
	    0 },
	{ "GET", "/finance/payouts", payouts_index, ACCESS_FINANCE, 0 },
	{ "POST", "/finance/payouts", payouts_create_web, ACCESS_FINANCE, 0 },
	{ "GET", "/finance/payouts/:id", payouts_show, ACCESS_FINANCE, 0 },
	{ "GET", "/finance/payouts/:id/file", payouts_file_web, ACCESS_FINANCE,
	    0 },
	{ "POST", "/finance/payouts/:id/sent", payouts_sent_web, ACCESS_FINANCE,
	    0 },
	{ "POST", "/finance/payouts/:id/lines/:line/paid", payouts_paid_web,
	    ACCESS_FINANCE, 0 },
	{ "POST", "/finance/payouts/:id/lines/:line/rejected",
	    payouts_rejected_web, ACCESS_FINANCE, 0 },
	/* Finance: invoices and their accounting sync.  Finance, admins and
	 * owners act (the handlers refuse managers, who read). */
	{ "GET", "/finance/settlements/:id/statement.pdf", statement_pdf,
	    ACCESS_FINANCE, 0 },
	{ "GET", "/finance/invoices", invoices_index, ACCESS_FINANCE, 0,
	    &invoice_resource },
	{ "GET", "/finance/invoices/:id", invoices_show, ACCESS_FINANCE, 0 },
	{ "POST", "/finance/invoices/:id/payments", invoices_pay_web,
	    ACCESS_FINANCE, 0 },
	{ "GET", "/finance/accounting-sync", accounting_sync_index,
	    ACCESS_FINANCE, 0, &accounting_sync_resource },
	{ "POST", "/finance/accounting-sync/:id/retry",
	    accounting_sync_retry_web, ACCESS_FINANCE, 0 },

	/* API */
	{ "GET", "/api/v1/openapi.json", openapi_document, P, API | NO_TX },
	{ "GET", "/api/v1/me", api_me, ACCESS_DRIVER, API },
	RESOURCE_API("/api/v1/vehicles", VEHICLES),
	{ "GET", "/api/v1/vehicles/:id/events", vehicle_events_api_list,
	    ACCESS_VIEWER, API },
	{ "POST", "/api/v1/vehicles/:id/events", vehicle_events_api_create,
	    ACCESS_MANAGER, API },
	{ "GET", "/api/v1/event-attachments/:id/file",
	    event_attachments_download, ACCESS_VIEWER, API },
	RESOURCE_API("/api/v1/drivers", DRIVERS),
	{ "GET", "/api/v1/sources", sources_api_list, ACCESS_VIEWER, API },
	{ "POST", "/api/v1/sources", sources_api_create, ACCESS_MANAGER, API },
	{ "GET", "/api/v1/sources/:id", sources_api_show, ACCESS_VIEWER, API },
	{ "POST", "/api/v1/sources/:id/check", sources_api_check, ACCESS_MANAGER,
	    API | UPLOAD },
	{ "POST", "/api/v1/sources/:id/sync", sources_api_sync, ACCESS_MANAGER,
	    API | UPLOAD },
	{ "POST", "/api/v1/sources/:id/login", sources_api_login,
	    ACCESS_MANAGER, API },
	{ "GET", "/api/v1/sync-runs/:id", sync_runs_api_show,
	    ACCESS_VIEWER, API },
	{ "GET", "/api/v1/trips", resource_api_list, ACCESS_VIEWER, API,
	    &trip_resource },
	{ "GET", "/api/v1/earnings", resource_api_list, ACCESS_VIEWER, API,
	    &earning_resource },
	/* Finance: the organisation's settings and payouts */
	{ "GET", "/api/v1/organisation", organisation_api_show, ACCESS_FINANCE,
	    API },
	{ "PATCH", "/api/v1/organisation", organisation_api_update,
	    ACCESS_ADMIN, API },
	{ "GET", "/api/v1/payout-batches", payouts_api_list, ACCESS_FINANCE,
	    API },
	{ "POST", "/api/v1/payout-batches", payouts_api_create, ACCESS_FINANCE,
	    API },
	{ "GET", "/api/v1/payout-batches/:id", payouts_api_show,
	    ACCESS_FINANCE, API },
	{ "GET", "/api/v1/payout-batches/:id/file", payouts_api_file,
	    ACCESS_FINANCE, API },
	{ "POST", "/api/v1/payout-batches/:id/sent", payouts_api_sent,
	    ACCESS_FINANCE, API },
	{ "POST", "/api/v1/payout-batches/:id/lines/:line/paid",
	    payouts_api_line_paid, ACCESS_FINANCE, API },
	{ "POST", "/api/v1/payout-batches/:id/lines/:line/rejected",
	    payouts_api_line_rejected, ACCESS_FINANCE, API },
	/* Finance: invoices and their accounting sync */
	{ "GET", "/api/v1/settlements/:id/statement.pdf", statement_pdf,
	    ACCESS_DRIVER, API },
	{ "GET", "/api/v1/invoices", resource_api_list, ACCESS_FINANCE, API,
	    &invoice_resource },
	{ "GET", "/api/v1/invoices/:id", resource_api_show, ACCESS_FINANCE,
	    API, &invoice_resource },
	{ "POST", "/api/v1/invoices/:id/payments", invoices_api_pay,
	    ACCESS_FINANCE, API },
	{ "GET", "/api/v1/accounting-sync", resource_api_list, ACCESS_FINANCE,
	    API, &accounting_sync_resource },
	{ "POST", "/api/v1/accounting-sync/:id/retry",
	    accounting_sync_api_retry, ACCESS_FINANCE, API },

	/* Finance: settlements and the ledger.  Finance, admins and the
	 * owner act (the handlers refuse managers, who read); a driver
	 * reads only their own settlements (row-level security). */
	{ "GET", "/finance", finance_week_page, ACCESS_FINANCE, 0,
	    &settlement_resource },
	{ "GET", "/finance/export", finance_week_export, ACCESS_FINANCE, 0,
	    &settlement_resource },
	{ "POST", "/finance/weeks/:week/validate", finance_validate_week,
	    ACCESS_FINANCE, 0 },
	{ "GET", "/finance/settlements/:id", finance_settlement_page,
	    ACCESS_FINANCE, 0 },
	{ "POST", "/finance/settlements/:id/validate",
	    finance_settlement_validate, ACCESS_FINANCE, 0 },
	{ "POST", "/finance/settlements/:id/lines", finance_settlement_line,
	    ACCESS_FINANCE, 0 },
	{ "GET", "/finance/ledger", ledger_page, ACCESS_FINANCE, 0,
	    &ledger_entry_resource },
	{ "GET", "/finance/ledger/export", resource_export, ACCESS_FINANCE, 0,
	    &ledger_entry_resource },
	{ "GET", "/api/v1/settlements", settlements_api_list, ACCESS_DRIVER,
	    API, &settlement_resource },
	{ "GET", "/api/v1/settlements/:id", settlements_api_show,
	    ACCESS_DRIVER, API, &settlement_resource },
	{ "POST", "/api/v1/settlements/:id/validate", settlements_api_validate,
	    ACCESS_FINANCE, API },
	{ "POST", "/api/v1/settlements/:id/lines", settlements_api_line,
	    ACCESS_FINANCE, API },
	{ "GET", "/api/v1/ledger/entries", resource_api_list, ACCESS_FINANCE,
	    API, &ledger_entry_resource },

	/* Dashboard */
	{ "GET", "/api/v1/analytics/overview", analytics_api_overview,
	    ACCESS_VIEWER, API },

	/* Reports */
	{ "GET", "/reports", reports_index, ACCESS_VIEWER, 0 },
	{ "GET", "/reports/:name", reports_show, ACCESS_VIEWER, 0 },
	{ "GET", "/api/v1/reports", reports_api_list, ACCESS_VIEWER, API },
	{ "GET", "/api/v1/reports/:name", reports_api_show, ACCESS_VIEWER,
	    API },

	/* « En direct » */
	{ "GET", "/live", live_show, ACCESS_VIEWER, 0 },
	{ "GET", "/live/board", live_board, ACCESS_VIEWER, 0 },
	{ "GET", "/api/v1/live", live_api, ACCESS_VIEWER, API },

	/* « Commerce »: what the commerce sources loaded */
	COMMERCE("/customers", "/api/v1/customers", &customer_resource),
	COMMERCE("/products", "/api/v1/products", &product_resource),
	COMMERCE("/sales-lines", "/api/v1/sales-lines", &sales_line_resource),
	COMMERCE("/stock-levels", "/api/v1/stock-levels", &stock_resource),
	COMMERCE("/contact-history", "/api/v1/contact-history",
	    &contact_resource),

	/* « Qualité des données » */
	{ "GET", "/quality", quality_index, ACCESS_VIEWER, 0 },
	{ "POST", "/quality/run", quality_run_web, ACCESS_MANAGER, 0 },
	{ "GET", "/quality/reports/:id", quality_show, ACCESS_VIEWER, 0 },
	{ "GET", "/api/v1/quality/reports", quality_api_list, ACCESS_VIEWER,
	    API },
	{ "POST", "/api/v1/quality/reports", quality_api_run, ACCESS_MANAGER,
	    API },
	{ "GET", "/api/v1/quality/reports/:id", quality_api_show,
	    ACCESS_VIEWER, API },

	/* Outside production only */
	{ "GET", "/_test/echo", devtools_echo, P, DEV },
	{ "POST", "/_test/echo", devtools_echo, P, DEV | API },
	{ "GET", "/_test/error", devtools_error, P, DEV },
	{ "GET", "/_test/sleep", devtools_sleep, P, DEV },
	{ "GET", "/_styleguide", styleguide_show, P, DEV },
};

const struct server_app fleetcore_app = {
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.authenticate = auth_authenticate,
	.check_csrf = auth_check_csrf,
	.decorate = nav_decorate,
};
