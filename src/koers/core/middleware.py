import logging
import re
import time
import uuid

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from .logging import request_id_var

logger = logging.getLogger("koers.request")
_UUID = re.compile(r"^[0-9a-fA-F-]{32,36}$")


class RequestIdMiddleware:
    """Gives each request an id (taken from a trusted proxy when it sends a valid one), puts it
    on the response and in every log line, and logs one line per request without its path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        if settings.KOERS_TRUSTED_PROXY_COUNT and _UUID.match(incoming):
            request.request_id = uuid.UUID(incoming)
        else:
            request.request_id = uuid.uuid4()
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
