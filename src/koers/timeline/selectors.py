"""Reads of the timeline that involve the acting membership. Access decisions come from
koers.clients.permissions; this module only narrows queries accordingly."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, Max, Min, OuterRef, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from koers.accounts.constants import Role
from koers.accounts.models import Membership
from koers.clients.constants import Section
from koers.clients.permissions import (
    NO_ACCESS,
    ClientAccess,
    access_scope,
    can_read_confidential,
    client_accesses,
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
    """One line of the timeline: a contact moment or a note, in full or only its occurrence.
    `about` holds the clients it concerns; empty for an entry about the household as a whole."""

    kind: str  # "contact" or "note"
    at: datetime
    obj: ContactMoment | Note
    full: bool
    about: tuple[int, ...] = ()

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


def _readers(accesses: Mapping[int, ClientAccess], section: Section) -> list[int]:
    """The household members for whom the membership may read `section`."""
    return sorted(client_id for client_id, access in accesses.items() if access.can_read(section))


def _visible_notes(membership, access: ClientAccess, accesses: Mapping[int, ClientAccess]):
    """Notes whose text the membership may read: decided in SQL so pages are never short. A note
    about the household as a whole follows `access` (the client the page is opened through); a
    note about one member follows the access to that member (`accesses`, per member)."""
    allowed = Q(pk__in=[])
    for level, section in CONFIDENTIALITY_SECTIONS.items():
        whose = Q(pk__in=[])
        readers = _readers(accesses, section)
        if readers:
            whose |= Q(client_id__in=readers)
        if access.can_read(section):
            whose |= Q(client__isnull=True)
        level_q = Q(confidentiality=level)
        if level == Confidentiality.OWN_ORGANISATION:
            level_q &= Q(organisation_id=membership.organisation_id)
        allowed |= level_q & whose
    return Note.objects.filter(allowed)


def _contact_is_full(membership, access, accesses, contact: ContactMoment) -> bool:
    """The content of a contact moment: for one with members, readable for every member it was
    with; for one with the household as a whole, readable through `access`."""
    section = CONFIDENTIALITY_SECTIONS[contact.confidentiality]
    with_ids = [person.pk for person in contact.clients.all()]
    readers = [accesses.get(pk, NO_ACCESS) for pk in with_ids] if with_ids else [access]
    return all(
        can_read_confidential(
            membership, reader, section=section, organisation_id=contact.organisation_id
        )
        for reader in readers
    )


def timeline_page(
    membership,
    access: ClientAccess,
    household_id: int,
    *,
    accesses: Mapping[int, ClientAccess] | None = None,
    kinds: list[str] | None = None,
    organisation_id: int | None = None,
    author_id: int | None = None,
    cursor: str | None = None,
    size: int = PAGE_SIZE,
) -> tuple[list[Entry], str | None]:
    """Contact moments and notes of one household, newest first, merged with a keyset cursor
    over (moment, kind, id): no COUNT and no OFFSET, whatever the length of the timeline.

    `accesses` maps every visible member of the household to its access (client_accesses); an
    entry about one member is shown only as far as that member's access allows. Without it, the
    members are looked up here."""
    if accesses is None:
        accesses = client_accesses(
            membership, clients_visible_to(membership).filter(household_id=household_id)
        )
    kinds = kinds or []
    want_notes = not kinds or NOTE_FILTER in kinds
    contact_kinds = [k for k in kinds if k != NOTE_FILTER]
    # That a contact took place is network-level information: shown for a contact with the
    # household through `access`, for one with members when any of them is readable.
    network_readers = _readers(accesses, Section.NOTES_NETWORK)
    household_contacts = access.can_read(Section.NOTES_NETWORK)
    want_contacts = (not kinds or bool(contact_kinds)) and (
        household_contacts or bool(network_readers)
    )
    after = parse_cursor(cursor)
    by_whom = Q()
    if organisation_id:
        by_whom &= Q(organisation_id=organisation_id)
    if author_id:
        by_whom &= Q(author_id=author_id)

    contacts: list[ContactMoment] = []
    if want_contacts:
        linked = ContactMoment.clients.through.objects.filter(contactmoment_id=OuterRef("pk"))
        concerns = Q(pk__in=[])
        if network_readers:
            concerns |= Q(Exists(linked.filter(client_id__in=network_readers)))
        if household_contacts:
            concerns |= ~Q(Exists(linked))
        query = ContactMoment.objects.filter(by_whom, concerns, household_id=household_id)
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
    if want_notes and any(a.read & NOTES_SECTIONS for a in (access, *accesses.values())):
        query = _visible_notes(membership, access, accesses).filter(
            by_whom, household_id=household_id
        )
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
            _contact_is_full(membership, access, accesses, c),
            tuple(person.pk for person in c.clients.all()),
        )
        for c in contacts
    ] + [Entry("note", n.created_at, n, True, (n.client_id,) if n.client_id else ()) for n in notes]
    entries.sort(key=lambda e: (e.at, e.kind == "contact", e.obj.pk), reverse=True)
    page = entries[:size]
    next_cursor = page[-1].cursor if len(entries) > size else None
    return page, next_cursor


def timeline_read_sections(entries: list[Entry], accesses: Mapping[int, ClientAccess]):
    """Per member: the sections a timeline page showed about them, for the audit log. The names
    of the members are on the page (BASIS); an entry about the household counts for every
    member, an entry about members only for those members."""
    household = Section.BASIS
    per_client = {client_id: Section.none() for client_id in accesses}
    for entry in entries:
        shown = entry.section if entry.full else Section.NOTES_NETWORK
        if not entry.about:
            household |= shown
            continue
        for client_id in entry.about:
            if client_id in per_client:
                per_client[client_id] |= shown
    return {client_id: household | sections for client_id, sections in per_client.items()}


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


def readable_note(
    membership,
    access: ClientAccess,
    household_id: int,
    pk,
    *,
    accesses: Mapping[int, ClientAccess] | None = None,
) -> Note | None:
    """A note of this household the membership may read (to refer a correction to); a note
    about one member only when that member's notes are readable (`accesses`, per member)."""
    if accesses is None:
        accesses = client_accesses(
            membership, clients_visible_to(membership).filter(household_id=household_id)
        )
    try:
        return (
            _visible_notes(membership, access, accesses)
            .filter(household_id=household_id)
            .get(pk=int(pk))
        )
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
