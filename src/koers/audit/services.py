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
        "membership_id": None,
        "organisation_id": None,
        "organisation_name": "",
        "role": "",
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
    (narrowed to what the access allowed). Flushed by AuditMiddleware in one insert. A queued
    read is a small list [sections, action, detail, basis, basis_id]: a page lists dozens of
    clients, and a model instance per row would cost more than the insert.
    """
    queue = getattr(request, _QUEUE_ATTR, None)
    if queue is None:
        queue = {}
        setattr(request, _QUEUE_ATTR, queue)
    action, detail = str(action), detail[:200]
    weight = _READ_WEIGHT.get(action, 0)
    narrow = None if sections is None else int(sections)
    for client_id, access in accesses.items():
        shown = int(access.read) if narrow is None else int(access.read) & narrow
        queued = queue.get(client_id)
        if queued is None:
            queue[client_id] = [shown, action, detail, access.basis, access.basis_id]
            continue
        # One row per (request, client): merge the sections, keep the weightiest action.
        queued[0] |= shown
        if weight > _READ_WEIGHT.get(queued[1], 0):
            queued[1], queued[2] = action, detail


_ACTOR_COLUMNS = (
    "request_id",
    "user_id",
    "username",
    "membership_id",
    "organisation_id",
    "organisation_name",
    "role",
)
# The per-row columns, in the order audit_flush passes them, with their PostgreSQL array types.
_READ_COLUMNS = ("client_id", "sections", "action", "detail", "basis", "basis_id")
_UNNEST_TYPES = "%s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::text[], %s::bigint[]"


def audit_flush(request) -> int:
    """Write the queued reads of this request in one statement and one transaction, however
    many clients a page showed (a commit per row would be a disk flush per listed client).

    On PostgreSQL the rows go as one array per column into `unnest`: a short statement that the
    driver parses once and that takes any number of rows in one round trip (a VALUES list of a
    thousand placeholders costs more to compose than to insert). SQLite has no round trips:
    executemany within the transaction.
    """
    queue = getattr(request, _QUEUE_ATTR, None)
    if not queue:
        return 0
    setattr(request, _QUEUE_ATTR, {})
    fields = {f.name: f for f in AuditEvent._meta.concrete_fields}
    actor = _actor_fields(request)
    # What every row shares is prepared once; the per-row values are plain numbers and text.
    shared = [fields["at"].get_db_prep_save(timezone.now(), connection)] + [
        fields[name].get_db_prep_save(actor[name], connection) for name in _ACTOR_COLUMNS
    ]
    rows = [
        (client_id, sections, action, detail, basis or "", basis_id)
        for client_id, (sections, action, detail, basis, basis_id) in queue.items()
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(fields[name].column) for name in ("at", *_ACTOR_COLUMNS, *_READ_COLUMNS)
    )
    table = quote(AuditEvent._meta.db_table)
    shared_placeholders = ", ".join(["%s"] * len(shared))
    # Identifiers come from the model, values are parameters.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "  # noqa: S608
                f"SELECT {shared_placeholders}, row.* FROM unnest({_UNNEST_TYPES}) AS row",
                [*shared, *(list(column) for column in zip(*rows, strict=True))],
            )
        else:
            row_placeholders = ", ".join(["%s"] * len(_READ_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) "  # noqa: S608
                f"VALUES ({shared_placeholders}, {row_placeholders})",
                [(*shared, *row) for row in rows],
            )
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
