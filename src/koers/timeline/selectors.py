"""Reads of the timeline that involve the acting membership. Access decisions come from
koers.clients.permissions; this module only narrows queries accordingly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from koers.accounts.constants import Role
from koers.accounts.models import Membership
from koers.clients.constants import Section
from koers.clients.permissions import (
    ClientAccess,
    access_scope,
    can_read_confidential,
    clients_visible_to,
)
from koers.organisations.models import LegalBasis, Municipality

from .constants import CONFIDENTIALITY_SECTIONS, Confidentiality, ContactStatus
from .models import ContactMoment, Note, WalkInSession

PAGE_SIZE = 25
NOTE_FILTER = "notitie"
NOTES_SECTIONS = (
    Section.NOTES_NETWORK | Section.NOTES_PROFESSIONALS | Section.NOTES_OWN_ORGANISATION
)
# Roles that see walk-in administration: municipal and partner professionals, not volunteers.
WALK_IN_ROLES = {Role.REGISSEUR, Role.KLANTMANAGER, Role.BEGELEIDER, Role.TEAMLEIDER}
UPCOMING_LIMIT = 50
WALK_IN_LIST_LIMIT = 50


def contact_summary(household_ids, *, now=None) -> dict[int, dict]:
    """Per household: the last contact that was held and the next planned one, in one query.
    For caseload lists; no note or summary text is read."""
    now = now or timezone.now()
    rows = (
        ContactMoment.objects.filter(household_id__in=list(household_ids))
        .values("household_id")
        .annotate(
            last_contact=Max("starts_at", filter=Q(status=ContactStatus.HELD, starts_at__lte=now)),
            next_appointment=Min(
                "starts_at", filter=Q(status=ContactStatus.PLANNED, starts_at__gte=now)
            ),
        )
    )
    return {row["household_id"]: row for row in rows}


def upcoming_appointments(membership, *, days: int = 14, now=None, limit: int = UPCOMING_LIMIT):
    """Planned contact moments in the coming `days` of the households the membership may see,
    soonest first, at most `limit`. Only when, what and where; never a summary."""
    now = now or timezone.now()
    households = clients_visible_to(membership).values("household_id")
    return list(
        ContactMoment.objects.filter(
            household_id__in=households,
            status=ContactStatus.PLANNED,
            starts_at__gte=now,
            starts_at__lte=now + timedelta(days=days),
        )
        .select_related("household", "organisation")
        .only("id", "kind", "starts_at", "household__id", "household__name", "organisation__name")
        .order_by("starts_at", "id")[:limit]
    )


# --- the timeline of one household ------------------------------------------------------------


def readable_levels(membership, access: ClientAccess) -> list[str]:
    """Confidentiality levels the membership may read in full, leaving "own organisation"'s
    organisation check to the caller."""
    return [
        level for level, section in CONFIDENTIALITY_SECTIONS.items() if access.can_read(section)
    ]


def writable_levels(access: ClientAccess) -> list[str]:
    return [
        level for level, section in CONFIDENTIALITY_SECTIONS.items() if access.can_write(section)
    ]


def can_open_timeline(membership, access: ClientAccess) -> bool:
    return membership.opens_dossiers and bool(access.read & NOTES_SECTIONS)


@dataclass
class Entry:
    """One line of the timeline: a contact moment or a note, in full or only its occurrence."""

    kind: str  # "contact" or "note"
    at: datetime
    obj: ContactMoment | Note
    full: bool

    @property
    def cursor(self) -> str:
        return f"{self.at.isoformat()}~{1 if self.kind == 'contact' else 0}~{self.obj.pk}"

    @property
    def section(self) -> Section:
        return CONFIDENTIALITY_SECTIONS[self.obj.confidentiality]


def parse_cursor(value: str | None) -> tuple[datetime, int, int] | None:
    if not value:
        return None
    try:
        at, rank, pk = value.split("~")
        moment = parse_datetime(at)
        if moment is None or rank not in ("0", "1"):
            return None
        return moment, int(rank), int(pk)
    except (ValueError, TypeError):
        return None


def _visible_notes(membership, access: ClientAccess):
    """Notes whose text the membership may read: decided in SQL so pages are never short."""
    allowed = Q(pk__in=[])
    for level, section in CONFIDENTIALITY_SECTIONS.items():
        if not access.can_read(section):
            continue
        if level == Confidentiality.OWN_ORGANISATION:
            allowed |= Q(confidentiality=level, organisation_id=membership.organisation_id)
        else:
            allowed |= Q(confidentiality=level)
    return Note.objects.filter(allowed)


def timeline_page(
    membership,
    access: ClientAccess,
    household_id: int,
    *,
    kinds: list[str] | None = None,
    organisation_id: int | None = None,
    author_id: int | None = None,
    cursor: str | None = None,
    size: int = PAGE_SIZE,
) -> tuple[list[Entry], str | None]:
    """Contact moments and notes of one household, newest first, merged with a keyset cursor
    over (moment, kind, id): no COUNT and no OFFSET, whatever the length of the timeline."""
    kinds = kinds or []
    want_notes = not kinds or NOTE_FILTER in kinds
    contact_kinds = [k for k in kinds if k != NOTE_FILTER]
    want_contacts = (not kinds or bool(contact_kinds)) and access.can_read(Section.NOTES_NETWORK)
    after = parse_cursor(cursor)
    by_whom = Q()
    if organisation_id:
        by_whom &= Q(organisation_id=organisation_id)
    if author_id:
        by_whom &= Q(author_id=author_id)

    contacts: list[ContactMoment] = []
    if want_contacts:
        query = ContactMoment.objects.filter(by_whom, household_id=household_id)
        if contact_kinds:
            query = query.filter(kind__in=contact_kinds)
        if after:
            at, rank, pk = after
            query = query.filter(
                Q(starts_at__lt=at) | Q(starts_at=at, id__lt=pk)
                if rank == 1
                else Q(starts_at__lt=at)
            )
        contacts = list(
            query.select_related("author__user", "organisation")
            .prefetch_related("clients")
            .order_by("-starts_at", "-id")[: size + 1]
        )
    notes: list[Note] = []
    if want_notes and access.read & NOTES_SECTIONS:
        query = _visible_notes(membership, access).filter(by_whom, household_id=household_id)
        if after:
            at, rank, pk = after
            query = query.filter(
                Q(created_at__lt=at)
                | (Q(created_at=at) if rank == 1 else Q(created_at=at, id__lt=pk))
            )
        notes = list(
            query.select_related("author__user", "organisation", "client", "corrects").order_by(
                "-created_at", "-id"
            )[: size + 1]
        )

    entries = [
        Entry(
            "contact",
            c.starts_at,
            c,
            can_read_confidential(
                membership,
                access,
                section=CONFIDENTIALITY_SECTIONS[c.confidentiality],
                organisation_id=c.organisation_id,
            ),
        )
        for c in contacts
    ] + [Entry("note", n.created_at, n, True) for n in notes]
    entries.sort(key=lambda e: (e.at, e.kind == "contact", e.obj.pk), reverse=True)
    page = entries[:size]
    next_cursor = page[-1].cursor if len(entries) > size else None
    return page, next_cursor


def timeline_filter_choices(household_id: int) -> tuple[list, list]:
    """Authors and organisations that wrote in this household's timeline, for the filters."""
    rows = set()
    for model in (ContactMoment, Note):
        rows |= set(
            model.objects.filter(household_id=household_id)
            .values_list(
                "author_id",
                "author__user__first_name",
                "author__user__last_name",
                "author__user__username",
                "organisation_id",
                "organisation__name",
            )
            .distinct()[:200]
        )
    authors = sorted(
        {(r[0], f"{r[1]} {r[2]}".strip() or r[3]) for r in rows}, key=lambda a: a[1].lower()
    )
    organisations = sorted({(r[4], r[5]) for r in rows}, key=lambda o: o[1].lower())
    return authors, organisations


def readable_note(membership, access: ClientAccess, household_id: int, pk) -> Note | None:
    """A note of this household the membership may read (to refer a correction to)."""
    try:
        return _visible_notes(membership, access).filter(household_id=household_id).get(pk=int(pk))
    except (Note.DoesNotExist, ValueError, TypeError):
        return None


# --- walk-in hours --------------------------------------------------------------------------


def sees_walk_ins(membership) -> bool:
    return membership is not None and membership.role in WALK_IN_ROLES


def walk_in_municipality_ids(membership) -> frozenset[int]:
    """Municipal organisations: the municipalities served; partners: those where a legal basis
    is in force."""
    if not sees_walk_ins(membership):
        return frozenset()
    scope = access_scope(membership)
    if membership.organisation.is_municipal:
        return scope.municipality_ids
    return frozenset(scope.basis_sections) | frozenset(scope.consent_basis_sections)


def walk_in_municipalities(membership):
    return Municipality.objects.filter(id__in=walk_in_municipality_ids(membership))


def walk_in_sessions(membership, *, now=None):
    """Sessions of the membership's municipalities from a month ago on, soonest first, capped."""
    now = now or timezone.now()
    return list(
        WalkInSession.objects.filter(
            municipality_id__in=walk_in_municipality_ids(membership),
            ends_at__gte=now - timedelta(days=30),
        )
        .select_related("organisation", "municipality")
        .order_by("starts_at", "id")[:WALK_IN_LIST_LIMIT]
    )


def get_walk_in_for(membership, pk) -> WalkInSession:
    from django.http import Http404

    try:
        return WalkInSession.objects.select_related("organisation", "municipality").get(
            pk=int(pk), municipality_id__in=walk_in_municipality_ids(membership)
        )
    except (WalkInSession.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def network_members_for(municipality_ids):
    """Current memberships of organisations on a legal task or a legal basis in force in these
    municipalities, professionals only."""
    today = timezone.localdate()
    on_basis = LegalBasis.objects.in_force(today).filter(municipality_id__in=municipality_ids)
    return (
        Membership.objects.current(today)
        .filter(role__in=WALK_IN_ROLES)
        .filter(
            Q(organisation__municipalities__in=municipality_ids)
            | Q(organisation__in=on_basis.values("organisation_id"))
        )
        .select_related("user", "organisation")
        .distinct()
        .order_by("organisation__name", "user__last_name", "user__first_name")
    )


def walk_ins_for_contact(membership, household, *, now=None):
    """Sessions a contact moment of this household can be linked to: in its municipality,
    within a week either side."""
    now = now or timezone.now()
    return WalkInSession.objects.filter(
        municipality_id=household.municipality_id,
        starts_at__gte=now - timedelta(days=7),
        starts_at__lte=now + timedelta(days=7),
    ).order_by("starts_at")


def walk_in_open(session: WalkInSession, *, now=None) -> bool:
    now = now or timezone.now()
    return session.starts_at <= now <= session.ends_at
