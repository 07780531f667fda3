import ipaddress
import logging
import time
import uuid

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from .logging import request_id_var

logger = logging.getLogger("koers.request")


def client_ip_address(request) -> str | None:
    """The client's address: the socket peer, or behind KOERS_TRUSTED_PROXY_COUNT proxies the
    entry in X-Forwarded-For that the outermost trusted proxy wrote. Entries to the left of it
    come from the client and can be forged, so they are never used.

    django-axes locks on this address (AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.KOERS_TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < proxies:
        return remote  # the request did not pass through every trusted proxy
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _trusted_request_id(request) -> uuid.UUID | None:
    if not settings.KOERS_TRUSTED_PROXY_COUNT:
        return None
    try:
        return uuid.UUID(request.headers.get("X-Request-ID", "")[:64])
    except ValueError:
        return None


class RequestIdMiddleware:
    """Gives each request an id (taken from a trusted proxy when it sends a valid one), puts it
    on the response and in every log line, and logs one line per request without its path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = _trusted_request_id(request) or uuid.uuid4()
        token = request_id_var.set(str(request.request_id))
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = str(request.request_id)
            match = getattr(request, "resolver_match", None)
            if not request.path.startswith(settings.STATIC_URL):
                logger.info(
                    "request",
                    extra={
                        "method": request.method,
                        "route": match.view_name if match else "",
                        "status": response.status_code,
                        "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            request_id_var.reset(token)


class NoStoreMiddleware:
    """No page of Koers may be kept by a browser or proxy cache: pages carry client data.
    Partials vary on HX-Request so a cache never serves a fragment as a page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, max-age=0"
            patch_vary_headers(response, ["HX-Request"])
        return response


class ChosenLanguageMiddleware:
    """Dutch unless the user chose English with the switch in the header. The browser's
    Accept-Language is ignored on purpose: a municipality's staff share one Dutch UI."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response
