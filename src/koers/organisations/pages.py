"""What every administration page (beheer) shares: breadcrumbs from the administration index,
the context the shell needs, and the form page that creates, changes or ends one thing.

The organisation pages use it, and so do the user and membership pages in accounts."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from koers.core.forms_views import add_validation_errors

from .services import StaleStateError

FORM_PAGE = "organisations/form_page.html"


def crumbs(*items) -> list[dict]:
    """Breadcrumbs from the administration index down; the last item is the current page."""
    trail = [{"label": _("Administration"), "url": reverse("organisations:index")}]
    for label, url in items:
        trail.append({"label": label, "url": url})
    trail[-1] = {"label": trail[-1]["label"], "url": None}
    return trail


def page_context(breadcrumbs, **context) -> dict:
    return {"breadcrumbs": breadcrumbs, "active_nav": "beheer", **context}


def form_page(
    request,
    form,
    *,
    save: Callable[[Any], Any],
    success_message: str | Callable[[Any], str],
    success_url: str | Callable[[Any], str],
    context: Callable[[], dict],
    reload: Callable[[], Any] | None = None,
    template: str = FORM_PAGE,
):
    """Show `form`; on a valid POST, `save(form)` through a service, then confirm and redirect.

    success_message, success_url: a value, or a function of what `save` returned.
    Validation errors from the service land next to the form's fields. A save over someone
    else's change (StaleStateError) answers 409 with `reload()`: a fresh form from the database.
    `context()` gives the rest of the page (see page_context). It is called only after the form
    has been processed: validating a model form writes the posted values onto its instance,
    and the page has always shown the instance as the form left it."""
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except ValidationError as error:
            add_validation_errors(form, error)
        except StaleStateError:
            if reload is None:
                raise
            stale, form = True, reload()
        else:
            messages.success(request, _for(saved, success_message))
            return redirect(_for(saved, success_url))
    return render(
        request,
        template,
        {**context(), "form": form, "stale": stale},
        status=409 if stale else 200,
    )


def _for(saved, value):
    return value(saved) if callable(value) else value
