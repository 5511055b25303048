#include <string.h>

#include "documents.h"
#include "documents_web.h"
#include "drivers.h"
#include "drivers_onboarding.h"
#include "drivers_view.h"
#include "i18n.h"
#include "page.h"
#include "valid.h"
#include "worker.h"
#include "resource/view.h"

#define LAST_STEP	3

/* Step 2 uploads the papers themselves under its own form (forms do not
 * nest); an upload comes back to the step. */
static int
add_documents(struct request *r, json_t *view, const char *id)
{
	json_t	*docs;
	int	 rc = 0;

	if ((docs = documents_for(r, DOCUMENTS_DRIVER, id, &rc)) == NULL)
		return rc;
	json_object_set_new(json_object_get(docs, "form"), "next",
	    json_string(DOCUMENTS_NEXT_ONBOARDING));
	json_object_set_new(view, "documents", docs);
	return 0;
}

/* The page of a step for driver d (NULL: a new driver, step 1). */
static int
step_page(struct request *r, int status, int step, json_t *d, json_t *errors)
{
	json_t	*empty = json_object(), *view;
	int	 rc;

	view = drivers_view_form(r, d ? d : empty, errors);
	json_decref(empty);
	json_object_set_new(view, "step", json_integer(step));
	json_object_set_new(view, "steps", drivers_view_steps(r, d, step));
	json_object_set_new(view, "step1", json_boolean(step == 1));
	json_object_set_new(view, "step2", json_boolean(step == 2));
	json_object_set_new(view, "step3", json_boolean(step == 3));
	json_object_set_new(view, "wizard", json_true());
	json_object_set_new(view, "last", json_boolean(step == LAST_STEP));
	json_object_set_new(view, "action", json_string(d == NULL ?
	    "/drivers/new" : arena_printf(r->arena,
	    "/drivers/%s/onboarding/%d", view_str(d, "id"), step)));
	if (d != NULL) {
		json_object_set_new(view, "driver", drivers_view_row(r, d));
		if (step > 1)
			json_object_set_new(view, "back_href", json_string(
			    arena_printf(r->arena, "/drivers/%s/onboarding/%d",
			    view_str(d, "id"), step - 1)));
	}
	if (d != NULL && step == 2 && (rc = add_documents(r, view,
	    view_str(d, "id"))) != 0) {
		json_decref(view);
		return rc;
	}
	if (http_query(r, "done") != NULL &&
	    strcmp(http_query(r, "done"), "document") == 0)
		json_object_set_new(view, "flash", json_pack("[{s:s, s:s}]",
		    "type", "success", "message", tr(r, "documents.added")));
	rc = page_render(r, status, "drivers/onboarding", view);
	return rc == 0 ? (status >= 400 ? status : 0) : rc;
}

int
drivers_onboarding_new(struct request *r)
{
	return step_page(r, 200, 1, NULL, NULL);
}

int
drivers_onboarding_create(struct request *r)
{
	json_t	*v, *errors, *stored;
	int	 rc = 422;

	v = driver_input(r, NULL, DRIVER_WIZARD, DRIVER_PERSONAL, &errors);
	if (errors == NULL) {
		json_object_set_new(v, "status", json_string("candidat"));
		json_object_set_new(v, "onboarding_step", json_integer(2));
		if ((stored = driver_insert(r, v, &rc, &errors)) != NULL) {
			json_decref(v);
			rc = http_redirect(r, 303, arena_printf(r->arena,
			    "/drivers/%s/onboarding/2", view_str(stored, "id")));
			json_decref(stored);
			return rc;
		}
		if (errors == NULL) {
			json_decref(v);
			return rc;
		}
	}
	json_decref(v);
	return step_page(r, rc, 1, NULL, errors);
}

static int
step_show(struct request *r, int step)
{
	json_t	*d;
	int	 rc;

	if ((d = driver_get(r, http_param_uuid(r, 0), &rc)) == NULL)
		return rc;
	rc = step_page(r, 200, step, d, NULL);
	json_decref(d);
	return rc;
}

/* Where a saved step leads: the next one, or the driver's page. */
static const char *
next_href(struct request *r, const char *id, int step, int finished)
{
	if (step < LAST_STEP)
		return arena_printf(r->arena, "/drivers/%s/onboarding/%d", id,
		    step + 1);
	return arena_printf(r->arena, "/drivers/%s?done=%s", id,
	    finished ? "onboarded" : "saved");
}

static int
step_save(struct request *r, int step)
{
	const char	*id = http_param_uuid(r, 0);
	json_t		*current, *v, *errors, *stored;
	json_int_t	 reached;
	int		 rc = 422, finishing;

	if ((current = driver_get(r, id, &rc)) == NULL)
		return rc;
	reached = json_integer_value(json_object_get(current, "onboarding_step"));
	finishing = step == LAST_STEP &&
	    strcmp(view_str(current, "status"), "candidat") == 0;
	v = driver_input(r, current, DRIVER_WIZARD, (enum driver_part)step,
	    &errors);
	/* A candidate becomes active with their documents recorded. */
	if (finishing && reached < LAST_STEP) {
		if (errors == NULL)
			errors = json_object();
		valid_fail(r, errors, "_", "valid.drivers.documents_first");
	}
	rc = 422;
	if (errors == NULL) {
		if (finishing) {
			json_object_set_new(v, "status", json_string("actif"));
			reached = 4;
		} else if (reached < step + 1)
			reached = step + 1;
		json_object_set_new(v, "onboarding_step", json_integer(reached));
		if ((stored = driver_update(r, id, v, &rc, &errors)) != NULL) {
			rc = finishing ? driver_activity(r, stored,
			    "driver.onboarded", "Intégration terminée") : 0;
			json_decref(stored);
			json_decref(current);
			json_decref(v);
			return rc != 0 ? rc : http_redirect(r, 303,
			    next_href(r, id, step, finishing));
		}
		if (errors == NULL) {
			json_decref(current);
			json_decref(v);
			return rc;
		}
	}
	json_decref(v);
	rc = step_page(r, rc, step, current, errors);
	json_decref(current);
	return rc;
}

int
drivers_onboarding_step1(struct request *r)
{
	return step_show(r, 1);
}

int
drivers_onboarding_save1(struct request *r)
{
	return step_save(r, 1);
}

int
drivers_onboarding_step2(struct request *r)
{
	return step_show(r, 2);
}

int
drivers_onboarding_save2(struct request *r)
{
	return step_save(r, 2);
}

int
drivers_onboarding_step3(struct request *r)
{
	return step_show(r, 3);
}

int
drivers_onboarding_save3(struct request *r)
{
	return step_save(r, 3);
}
