from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect


def membership_required(view):
    """The user is signed in (and verified, see RequireVerifiedMiddleware) and acts in a chosen
    membership."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.membership is None:
            return redirect("accounts:choose_membership")
        return view(request, *args, **kwargs)

    return wrapper


def role_required(*roles):
    """Only these roles; others get 403 (pages without client data only; client pages 404 through
    the access rule)."""

    def decorator(view):
        @wraps(view)
        @membership_required
        def wrapper(request, *args, **kwargs):
            if request.membership.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
