#include <stdio.h>
#include <string.h>

#include "app.h"
#include "driver_rules.h"
#include "drivers_view.h"
#include "fmt.h"
#include "i18n.h"
#include "resource/view.h"
#include "worker.h"

static const char *
status_tone(const char *status)
{
	static const struct {
		const char	*status, *tone;
	} tones[] = {
		{ "candidat", "info" }, { "actif", "ok" },
		{ "suspendu", "warn" }, { "parti", "danger" },
	};
	size_t	i;

	for (i = 0; i < sizeof(tones) / sizeof(tones[0]); i++)
		if (strcmp(tones[i].status, status) == 0)
			return tones[i].tone;
	return "info";
}

static const char *
percent(struct request *r, json_t *bp)
{
	const char	*s;
	buf		 b;

	if (!json_is_integer(bp))
		return "";
	buf_init(&b);
	fmt_percent(&b, (int64_t)json_integer_value(bp), (lang_id)r->lang);
	s = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return s ? s : "";
}

/* "Location · 150,00 € / semaine", "Commission · 12,5 %", "Salarié". */
static const char *
terms(struct request *r, json_t *d)
{
	const char	*c = view_str(d, "collaboration");
	const char	*label = view_label(r, "drivers.collaboration", c);

	if (strcmp(c, "location_auto_entrepreneur") == 0 &&
	    json_is_integer(json_object_get(d, "weekly_rent_cents")))
		return arena_printf(r->arena, "%s · %s %s", label, view_money(r,
		    json_object_get(d, "weekly_rent_cents"),
		    view_str(d, "currency")), tr(r, "drivers.per_week"));
	if (strcmp(c, "commission") == 0 &&
	    json_is_integer(json_object_get(d, "commission_rate_bp")))
		return arena_printf(r->arena, "%s · %s", label, percent(r,
		    json_object_get(d, "commission_rate_bp")));
	return label;
}

const char *
drivers_resume_href(struct request *r, json_t *d)
{
	json_int_t	step = json_integer_value(json_object_get(d,
			    "onboarding_step"));

	/* The wizard's steps are the manager's (routes.c): a role that
	 * cannot open them is not offered the link. */
	if (r->id.role < ACCESS_MANAGER ||
	    strcmp(view_str(d, "status"), "candidat") != 0 || step >= 4 ||
	    !json_is_null(json_object_get(d, "archived_at")))
		return NULL;
	return arena_printf(r->arena, "/drivers/%s/onboarding/%d",
	    view_str(d, "id"), step < 1 ? 1 : (int)step);
}

json_t *
drivers_view_row(struct request *r, json_t *d)
{
	json_t		*vehicle = json_object_get(d, "current_vehicle");
	const char	*resume = drivers_resume_href(r, d);
	char		 phone[40];
	json_t		*row;

	driver_phone_display(view_str(d, "phone"), phone, sizeof(phone));
	row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:s, s:I, s:b, s:b}",
	    "id", view_str(d, "id"),
	    "href", arena_printf(r->arena, "/drivers/%s", view_str(d, "id")),
	    "name", arena_printf(r->arena, "%s %s", view_str(d, "first_name"),
	    view_str(d, "last_name")),
	    "first_name", view_str(d, "first_name"),
	    "last_name", view_str(d, "last_name"),
	    "email", view_str(d, "email"),
	    "phone", phone,
	    "status", view_label(r, "drivers.status", view_str(d, "status")),
	    "status_tone", status_tone(view_str(d, "status")),
	    "terms", terms(r, d),
	    "start_date", view_date(r, json_object_get(d, "start_date")),
	    "documents_due", json_integer_value(json_object_get(d,
	    "documents_due")),
	    "has_portal", !json_is_null(json_object_get(d, "user_id")) &&
	    json_object_get(d, "user_id") != NULL,
	    "archived", !json_is_null(json_object_get(d, "archived_at")) &&
	    json_object_get(d, "archived_at") != NULL);
	if (row == NULL)
		return json_object();
	if (json_is_object(vehicle))
		json_object_set_new(row, "vehicle", json_pack("{s:s, s:s}",
		    "label", arena_printf(r->arena, "%s · %s %s",
		    view_str(vehicle, "plate"), view_str(vehicle, "make"),
		    view_str(vehicle, "model")),
		    "href", arena_printf(r->arena, "/vehicles/%s",
		    view_str(vehicle, "id"))));
	if (resume != NULL)
		json_object_set_new(row, "resume_href", json_string(resume));
	return row;
}

/* The state of the card or licence (document_state in SQL, with the
 * organisation's threshold for its type): {label, tone}, or null. */
static json_t *
expiry_state(struct request *r, json_t *state)
{
	const char	*s = json_string_value(state);

	if (s == NULL || strcmp(s, "sans_echeance") == 0)
		return json_null();
	return json_pack("{s:s, s:s}", "label", view_label(r, "drivers.expiry",
	    s), "tone", strcmp(s, "expire") == 0 ? "danger" :
	    strcmp(s, "a_renouveler") == 0 ? "warn" : "ok");
}

json_t *
drivers_view_details(struct request *r, json_t *d)
{
	char		 iban[80];
	const char	*raw = view_str(d, "iban");

	/* The bank details pay the driver: finance and up read them whole. */
	if (r->id.role >= ACCESS_FINANCE)
		driver_iban_group(raw, iban, sizeof(iban));
	else
		driver_iban_mask(raw, iban, sizeof(iban));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:o, s:s,"
	    " s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "birth_date", view_date(r, json_object_get(d, "birth_date")),
	    "address", view_str(d, "address"),
	    "vtc_card_number", view_str(d, "vtc_card_number"),
	    "vtc_card_expiry", view_date(r, json_object_get(d,
	    "vtc_card_expiry")),
	    "licence_number", view_str(d, "licence_number"),
	    "vtc_card_state", expiry_state(r, json_object_get(d,
	    "vtc_card_state")),
	    "licence_expiry", view_date(r, json_object_get(d, "licence_expiry")),
	    "collaboration", view_label(r, "drivers.collaboration",
	    view_str(d, "collaboration")),
	    "licence_state", expiry_state(r, json_object_get(d,
	    "licence_state")),
	    "weekly_rent", view_money(r, json_object_get(d, "weekly_rent_cents"),
	    view_str(d, "currency")),
	    "commission_rate", percent(r, json_object_get(d,
	    "commission_rate_bp")),
	    "end_date", view_date(r, json_object_get(d, "end_date")),
	    "bolt_driver_uuid", view_str(d, "bolt_driver_uuid"),
	    "uber_driver_uuid", view_str(d, "uber_driver_uuid"),
	    "heetch_email", view_str(d, "heetch_email"),
	    "iban", iban, "bic", view_str(d, "bic"),
	    "notes", view_str(d, "notes"),
	    "created_at", view_date(r, json_object_get(d, "created_at")),
	    "onboarding_step", arena_printf(r->arena, "%lld",
	    (long long)json_integer_value(json_object_get(d,
	    "onboarding_step"))));
}

json_t *
drivers_view_steps(struct request *r, json_t *d, int current)
{
	static const char *const labels[] = { "drivers.step.personal",
	    "drivers.step.documents", "drivers.step.terms" };
	json_t		*steps = json_array();
	json_int_t	 reached = d ? json_integer_value(json_object_get(d,
			    "onboarding_step")) : 1;
	int		 n;

	for (n = 1; n <= 3; n++) {
		json_t	*s = json_pack("{s:i, s:s, s:b, s:b}", "number", n,
		    "label", tr(r, labels[n - 1]), "current", n == current,
		    "done", n < reached);
		/* A step already reached may be opened again. */
		if (s != NULL && d != NULL && n != current && n <= reached)
			json_object_set_new(s, "href", json_string(arena_printf(
			    r->arena, "/drivers/%s/onboarding/%d",
			    view_str(d, "id"), n)));
		if (s != NULL)
			json_array_append_new(steps, s);
	}
	return steps;
}

void
drivers_form_extra(struct request *r, json_t *d, json_t *view)
{
	json_t	*values = json_object_get(view, "values");
	char	 pct[32];

	/* The commission as the form writes it, "12,5", unless typed. */
	pct[0] = '\0';
	if (json_is_integer(json_object_get(d, "commission_rate_bp")))
		driver_percent_input(json_integer_value(json_object_get(d,
		    "commission_rate_bp")), pct, sizeof(pct));
	if (http_form(r, "commission_rate") == NULL)
		json_object_set_new(values, "commission_rate", json_string(pct));
	if (json_object_get(d, "id") != NULL)
		json_object_set_new(view, "driver", drivers_view_row(r, d));
}
