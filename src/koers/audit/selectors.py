"""Reading the audit log and the break-the-glass grants for the privacy officer.

The log can grow to many millions of rows, so every read here filters on the indexed columns
((client_id, at), (user_id, at), at), pages with a keyset cursor on (at, id) and never counts the
whole log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from koers.accounts.constants import Role
from koers.clients.constants import Section
from koers.clients.models import BreakGlassAccess
from koers.clients.permissions import Basis

from .constants import Action
from .models import AuditEvent

PAGE_SIZE = 50
BREAK_GLASS_PAGE_SIZE = 25
# What the privacy officer can filter on: the bases a client read can rest on.
FILTER_BASES = (Basis.LEGAL_TASK, Basis.PROCESSOR, Basis.COVENANT, Basis.CONSENT, Basis.BREAK_GLASS)
# The most rows of a grant's activity shown next to it; the full list is in the log.
GRANT_ACTIVITY_LIMIT = 200

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# --- the log -------------------------------------------------------------------------------------
def day_start(day: date) -> datetime:
    """Midnight at the start of `day` in Europe/Amsterdam (the project's time zone)."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def audit_log_queryset(filters: dict) -> QuerySet[AuditEvent]:
    """The log narrowed by the filter form's cleaned data, newest first.

    `user_ids` (resolved from a username by the form) and `client` use the (user_id, at) and
    (client_id, at) indexes; the period uses the at index; the other filters narrow those.
    """
    queryset = AuditEvent.objects.order_by("-at", "-id")
    if filters.get("user_ids") is not None:
        queryset = queryset.filter(user_id__in=filters["user_ids"])
    if filters.get("client"):
        queryset = queryset.filter(client_id=filters["client"])
    if filters.get("date_from"):
        queryset = queryset.filter(at__gte=day_start(filters["date_from"]))
    if filters.get("date_to"):
        queryset = queryset.filter(at__lt=day_start(filters["date_to"] + timedelta(days=1)))
    if filters.get("organisation"):
        queryset = queryset.filter(organisation_id=filters["organisation"].pk)
    if filters.get("membership"):
        queryset = queryset.filter(membership_id=filters["membership"])
    if filters.get("action"):
        queryset = queryset.filter(action=filters["action"])
    if filters.get("basis"):
        queryset = queryset.filter(basis=filters["basis"])
    return queryset


def encode_cursor(event: AuditEvent) -> str:
    micros = (event.at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}_{event.pk}"


def decode_cursor(value: str | None) -> tuple[datetime, int] | None:
    """The (at, id) a page continues after, or None for a missing or malformed cursor."""
    try:
        micros, pk = (int(part) for part in (value or "").split("_"))
        return _EPOCH + timedelta(microseconds=micros), pk
    except (ValueError, OverflowError):
        return None


def audit_log_page(
    filters: dict, *, after: tuple[datetime, int] | None = None, size: int = PAGE_SIZE
) -> tuple[list[AuditEvent], str | None]:
    """One page of the filtered log and the cursor of the next page (None on the last one)."""
    queryset = audit_log_queryset(filters)
    if after is not None:
        at, pk = after
        queryset = queryset.filter(Q(at__lt=at) | Q(at=at, id__lt=pk))
    rows = list(queryset[: size + 1])
    page = rows[:size]
    return page, encode_cursor(page[-1]) if len(rows) > size else None


def audit_log_exceeds(filters: dict, limit: int) -> bool:
    """Whether the filtered log holds more than `limit` rows, counting at most limit + 1."""
    return audit_log_queryset(filters).order_by()[: limit + 1].count() > limit


@dataclass(frozen=True)
class LogRow:
    """An audit row as the privacy officer reads it: labels instead of codes."""

    id: int
    at: datetime
    username: str
    organisation: str
    membership_id: int | None
    role: str
    action: str
    basis: str
    client_id: int | None
    sections: list[str]
    request_id: UUID | None
    detail: str


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def log_row(event: AuditEvent) -> LogRow:
    return LogRow(
        id=event.pk,
        at=timezone.localtime(event.at),
        username=event.username,
        organisation=event.organisation_name,
        membership_id=event.membership_id,
        role=_label(Role, event.role),
        action=_label(Action, event.action),
        basis=str(Basis.LABELS.get(event.basis, event.basis)),
        client_id=event.client_id,
        sections=Section(event.sections or 0).labels(),
        request_id=event.request_id,
        detail=event.detail,
    )


# --- break-the-glass -----------------------------------------------------------------------------
class ReviewStatus:
    UNREVIEWED = "open"
    REVIEWED = "beoordeeld"


def break_glass_queryset(membership) -> QuerySet[BreakGlassAccess]:
    """The grants the privacy officer reviews: those on clients of the municipalities their
    organisation serves (narrowed to the membership's own municipalities when it has any)."""
    municipalities = membership.organisation.municipalities.all()
    own = membership.municipalities.all()
    queryset = BreakGlassAccess.objects.filter(client__municipality__in=municipalities)
    if own.exists():
        queryset = queryset.filter(client__municipality__in=own)
    return queryset.select_related("membership__user", "membership__organisation", "reviewed_by")


# False (unreviewed) sorts before True (reviewed).
_UNREVIEWED_FIRST = Case(
    When(reviewed_at__isnull=True, then=Value(False)),
    default=Value(True),
    output_field=BooleanField(),
).asc()


def _grant_cursor(grant: BreakGlassAccess) -> str:
    micros = (grant.created_at - _EPOCH) // timedelta(microseconds=1)
    return f"{int(grant.reviewed_at is not None)}_{micros}_{grant.pk}"


def _decode_grant_cursor(value: str | None) -> tuple[bool, datetime, int] | None:
    try:
        reviewed, micros, pk = (int(part) for part in (value or "").split("_"))
        return bool(reviewed), _EPOCH + timedelta(microseconds=micros), pk
    except (ValueError, OverflowError):
        return None


def break_glass_page(
    membership, *, status: str = "", after: str | None = None, size: int = BREAK_GLASS_PAGE_SIZE
) -> tuple[list[BreakGlassAccess], str | None]:
    """Unreviewed grants first, each group newest first; keyset-paged, no count."""
    queryset = break_glass_queryset(membership)
    if status == ReviewStatus.UNREVIEWED:
        queryset = queryset.filter(reviewed_at__isnull=True)
    elif status == ReviewStatus.REVIEWED:
        queryset = queryset.filter(reviewed_at__isnull=False)
    queryset = queryset.order_by(_UNREVIEWED_FIRST, "-created_at", "-id")
    cursor = _decode_grant_cursor(after)
    if cursor is not None:
        reviewed, created_at, pk = cursor
        older = Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=pk)
        if reviewed:
            queryset = queryset.filter(Q(reviewed_at__isnull=False) & older)
        else:
            queryset = queryset.filter(
                Q(reviewed_at__isnull=False) | (Q(reviewed_at__isnull=True) & older)
            )
    rows = list(queryset[: size + 1])
    page = rows[:size]
    return page, _grant_cursor(page[-1]) if len(rows) > size else None


def grant_activity(grant: BreakGlassAccess) -> tuple[list[AuditEvent], bool]:
    """What was read through this grant: rows on its basis, found through the (client_id, at)
    index within the grant's lifetime. Returns at most GRANT_ACTIVITY_LIMIT rows, oldest first,
    and whether there were more."""
    rows = list(
        AuditEvent.objects.filter(
            client_id=grant.client_id,
            at__gte=grant.created_at,
            at__lte=grant.expires_at,
            basis=Basis.BREAK_GLASS,
            basis_id=grant.pk,
        ).order_by("at", "id")[: GRANT_ACTIVITY_LIMIT + 1]
    )
    return rows[:GRANT_ACTIVITY_LIMIT], len(rows) > GRANT_ACTIVITY_LIMIT
