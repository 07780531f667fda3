from .services import audit_flush


class AuditMiddleware:
    """Writes the client reads a request queued, in one insert, whatever the response was."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            audit_flush(request)
