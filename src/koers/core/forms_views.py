"""What a form page does with a submitted form, in one place for the dossier sections' pages:
save through the service, then the next page with a message, the 409 page when someone else
saved first, or the form again with the service's errors next to its fields.

The pages themselves still fetch the client through the access rule, audit their reads and
render their own templates: those differ per section."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

from koers.clients.services import VersionConflict


def add_validation_errors(form, error: ValidationError) -> None:
    """A service's validation errors next to the form's fields, the rest above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def save_form(
    request,
    form,
    save: Callable[[], object],
    *,
    done: Callable[[object], HttpResponse],
    conflict: Callable[[VersionConflict], HttpResponse] | None = None,
    refused: Callable[[object, ValidationError], None] = add_validation_errors,
) -> HttpResponse | None:
    """On a POST of a valid `form`, call `save()` (the service) and return the response to
    send: `done(result)` after the save, `conflict(error)` when the service raised
    VersionConflict (nothing was written). None means: show the form (again), for a GET, an
    invalid form, or a rule the service refused (`refused(form, error)` put it in the form).
    Without `conflict`, a VersionConflict is not this page's to handle and propagates."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save()
    except VersionConflict as error:
        if conflict is None:
            raise
        return conflict(error)
    except ValidationError as error:
        refused(form, error)
        return None
    return done(result)


def saved(request, message, to, *args, **kwargs) -> HttpResponse:
    """The message that the save succeeded, and the redirect to the next page (`to` and its
    arguments as for django.shortcuts.redirect)."""
    messages.success(request, message)
    return redirect(to, *args, **kwargs)
