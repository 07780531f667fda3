import logging

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from koers.accounts.decorators import membership_required
from koers.accounts.home import home_url_for

logger = logging.getLogger("koers.health")


@require_GET
def healthz(request):
    """The process is up. Unauthenticated, not audited."""
    return JsonResponse({"status": "ok"})


@require_GET
def readyz(request):
    """The database is reachable and every migration is applied."""
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:  # noqa: BLE001 - any failure means not ready
        logger.warning("readyz: database unreachable", exc_info=True)
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    if pending:
        return JsonResponse({"status": "unavailable", "migrations": "pending"}, status=503)
    return JsonResponse({"status": "ok"})


@membership_required
def home(request):
    """Each role lands where its work starts."""
    return redirect(home_url_for(request.membership))


def not_found(request, exception=None):
    """One page for "does not exist" and "not allowed": the user cannot tell them apart."""
    from django.shortcuts import render

    from koers.clients.permissions import can_break_glass

    membership = getattr(request, "membership", None)
    return render(
        request,
        "404.html",
        {"offer_break_glass": can_break_glass(membership)},
        status=404,
    )


def forbidden(request, exception=None):
    from django.shortcuts import render

    return render(request, "403.html", status=403)
