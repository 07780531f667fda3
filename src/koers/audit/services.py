"""Writing the audit log. Reads are queued per request and written in one bulk insert at the end
of the request; changes are written at once, inside the caller's transaction, so a change and
its audit row commit or roll back together."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from koers.clients.constants import Section

from .constants import Action
from .models import AuditEvent, PurgePermit

_QUEUE_ATTR = "_koers_audit_queue"
_NO_SECTIONS = Section.none()
# When one request reads a client in several ways, its single row names the weightiest.
_READ_WEIGHT = {Action.LIST: 1, Action.SEARCH: 2, Action.VIEW: 3, Action.EXPORT: 4}


def _actor_fields(request) -> dict:
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    fields = {
        "request_id": getattr(request, "request_id", None),
        "user_id": user.pk if user is not None and user.is_authenticated else None,
        "username": user.get_username() if user is not None and user.is_authenticated else "",
    }
    if membership is not None:
        fields.update(
            membership_id=membership.pk,
            organisation_id=membership.organisation_id,
            organisation_name=membership.organisation.name,
            role=membership.role,
        )
    return fields


def audit_reads(
    request,
    accesses: Mapping,
    *,
    action: str = Action.VIEW,
    sections: Section | None = None,
    detail: str = "",
) -> None:
    """Queue one row per client read in this request.

    `accesses` maps client id to the ClientAccess used; `sections` is what the page showed
    (narrowed to what the access allowed). Flushed by AuditMiddleware in one insert.
    """
    queue = getattr(request, _QUEUE_ATTR, None)
    if queue is None:
        queue = {}
        setattr(request, _QUEUE_ATTR, queue)
    actor = _actor_fields(request)
    for client_id, access in accesses.items():
        shown = access.read if sections is None else access.read & sections
        key = client_id
        if key in queue:
            # One row per (request, client): merge the sections, keep the weightiest action.
            queued = queue[key]
            queued.sections = Section(int(queued.sections) | int(shown))
            if _READ_WEIGHT.get(str(action), 0) > _READ_WEIGHT.get(str(queued.action), 0):
                queued.action, queued.detail = action, detail[:200]
            continue
        queue[key] = AuditEvent(
            **actor,
            client_id=client_id,
            sections=shown,
            basis=access.basis,
            basis_id=access.basis_id,
            action=action,
            detail=detail[:200],
        )


def audit_flush(request) -> int:
    """Write the queued reads of this request in one statement, however many clients a page
    showed. (bulk_create would split a large page into several INSERTs on SQLite, whose
    parameter limit Django respects; executemany sends one prepared INSERT with many rows.)"""
    queue = getattr(request, _QUEUE_ATTR, None)
    if not queue:
        return 0
    setattr(request, _QUEUE_ATTR, {})
    now = timezone.now()
    rows = list(queue.values())
    for row in rows:
        row.at = now
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    # Identifiers come from the model, values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(AuditEvent._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    params = [
        [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields] for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(rows)


def audit_change(
    request,
    *,
    client_id: int | None,
    access=None,
    action: str,
    sections: Section = _NO_SECTIONS,
    detail: str = "",
) -> AuditEvent:
    """Record a change now, in the caller's transaction."""
    return AuditEvent.objects.create(
        **_actor_fields(request),
        client_id=client_id,
        sections=sections,
        basis=access.basis if access is not None else "",
        basis_id=access.basis_id if access is not None else None,
        action=action,
        detail=detail[:200],
    )


def audit_event(request, *, action: str, detail: str = "", client_id: int | None = None):
    """Record an event that concerns no dossier section (exports of the log, reviews)."""
    return audit_change(request, client_id=client_id, action=action, detail=detail)


@transaction.atomic
def audit_purge(*, before: datetime, performed_by: str) -> int:
    """Delete audit rows older than `before`; the purge itself is logged (and survives it).

    Only this function can delete rows: the database triggers allow a delete only while a purge
    permit exists, and the permit lives and dies inside this transaction.
    """
    permit = PurgePermit.objects.create(purge_before=before)
    deleted, _ = AuditEvent.objects.filter(at__lt=before).delete()
    permit.delete()
    AuditEvent.objects.create(
        username=performed_by[:150],
        action=Action.AUDIT_PURGE,
        detail=f"{deleted} rows before {before.isoformat()}"[:200],
    )
    return deleted
