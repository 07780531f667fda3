"""Reads for the caseload, the team leader's queue and client search.

Every client comes from `clients_visible_to(membership)`: the caseload and the queue are the
access rule's visible set narrowed by the network (who is involved), never widened by it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import get_language

from koers.accounts.constants import ROLE_READ_SECTIONS, Role
from koers.accounts.models import Membership
from koers.clients.constants import ClientStatus, NetworkRole, Section
from koers.clients.models import Client, Household
from koers.clients.permissions import (
    ACCESS_FIELDS,
    access_scope,
    client_accesses,
    clients_visible_to,
)
from koers.clients.search import query_groups
from koers.core import sql
from koers.network.models import Consent, Delegation, Involvement
from koers.organisations.models import AreaTeam, Municipality
from koers.plans.selectors import open_action_counts
from koers.timeline.constants import ContactStatus
from koers.timeline.models import ContactMoment

from .radar import household_radar

# 20 households (about 60 clients) a page: readable on a phone, and each listed client costs an
# access check, an audit row and a dossier link (see docs/performance.md).
PAGE_SIZE = 20
MAX_PAGES = 40  # bounded pagination: a caseload is hundreds of households, never more
QUEUE_SIZE = 50
TEAM_CASELOAD_SIZE = 50  # households shown per regisseur on the team page (more: one at a time)
SEARCH_LIMIT = 50
SEARCH_CANDIDATES = 100  # per kind of match: the set a name search ranks (see client_search)
ENDING_SOON_DAYS = 30

SORTS = ("name", "contact", "appointment")
# What the lists show of a client, beside what the access rule reads: a page lists dozens.
LIST_FIELDS = (*ACCESS_FIELDS, "given_names", "family_name", "status")
LIST_FIELDS += ("birth_year", "birth_month", "birth_day", "applicable_law")  # for the radar


class Signal:
    NO_CONTACT = "no_contact"
    NO_REGISSEUR = "no_regisseur"
    CONSENT_ENDING = "consent_ending"
    ACCESS_ENDING = "access_ending"
    ALL = (NO_CONTACT, NO_REGISSEUR, CONSENT_ENDING, ACCESS_ENDING)


# --- who is involved ------------------------------------------------------------------------
def _current_regisseurs(today: date):
    """Regisseur involvements in force today. A handover ends the old one *today*
    (network.services.regisseur_assign), so an involvement ending today no longer counts: the
    household already belongs to the new regisseur."""
    return Involvement.objects.filter(role=NetworkRole.REGISSEUR, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=today)
    )


def _my_involvements(membership, today: date):
    """Involvements that put a household on this membership's caseload."""
    if membership.role == Role.REGISSEUR:
        # The delegations are read first (a few rows), so the involvements are found through
        # the (membership, household) index: an OR with a subquery would scan them all.
        standing_in_for = Delegation.objects.active(today).filter(to_membership=membership)
        memberships = [membership.pk, *standing_in_for.values_list("from_membership_id", flat=True)]
        return _current_regisseurs(today).filter(membership_id__in=memberships)
    mine = Q(membership=membership)
    if not membership.organisation.is_municipal:
        mine |= Q(organisation_id=membership.organisation_id)
    return Involvement.objects.active(today).filter(mine)


def has_caseload(membership) -> bool:
    return membership is not None and membership.role in (
        Role.REGISSEUR,
        Role.KLANTMANAGER,
        Role.BEGELEIDER,
    )


# --- the caseload ---------------------------------------------------------------------------
@dataclass
class CaseloadFilters:
    sort: str = "name"
    status: str = ""
    area_team: int | None = None
    signal: str = ""
    page: int = 1


@dataclass
class CaseloadRow:
    household: Household
    clients: list[Client]
    last_contact: datetime | None
    next_appointment: datetime | None
    days_since_contact: int | None
    signals: list[str] = field(default_factory=list)
    signal_labels: list[str] = field(default_factory=list)  # filled by the view, as shown
    radar: list = field(default_factory=list)  # the deadline radar's signals (caseload.radar)
    # Filled by open_actions_hook for households whose plan the user may read.
    open_actions: int | None = None
    overdue_actions: int | None = None

    @property
    def statuses(self) -> list[str]:
        """The distinct statuses of the household's clients, as shown."""
        labels = status_labels()
        seen: dict[str, str] = {}
        for client in self.clients:
            seen.setdefault(client.status, labels.get(client.status, client.status))
        return list(seen.values())


def status_labels() -> dict[str, str]:
    """The client status labels in the active language."""
    return _status_labels(get_language())


@lru_cache(maxsize=8)
def _status_labels(language: str | None) -> dict[str, str]:
    """The status labels in a language, once (get_status_display per client is slow)."""
    return {value: str(label) for value, label in ClientStatus.choices}


@dataclass
class CaseloadPage:
    rows: list[CaseloadRow]
    page: int
    has_next: bool
    area_teams: list[AreaTeam]
    accesses: dict
    plan_sections: Section = Section.none()  # PLAN when open/overdue actions are shown


def _visible_households(membership) -> QuerySet[Household]:
    visible = clients_visible_to(membership).filter(household_id=OuterRef("pk"))
    return Household.objects.filter(Exists(visible))


def _is_stale(household: Household, municipalities: dict[int, int], now: datetime) -> bool:
    weeks = municipalities.get(household.municipality_id)
    reference = household.last_contact or household.created_at
    return weeks is not None and reference < now - timedelta(weeks=weeks)


def open_actions_hook(
    rows: list[CaseloadRow], accesses: dict, today: date
) -> tuple[Section, dict[int, tuple[int, int]] | None]:
    """Fill open_actions / overdue_actions for the households with a plan the user may read (a
    client of the household with PLAN), in one query for the page; the others show a dash.
    Returns the sections this added to the page (PLAN, or nothing) and the counts read (for
    the radar, which need not read them again)."""
    readable = [
        row.household.pk
        for row in rows
        if any(accesses[client.pk].can_read(Section.PLAN) for client in row.clients)
    ]
    if not readable:
        return Section.none(), None
    counts = open_action_counts(readable, today)  # households without a plan: a dash
    for row in rows:
        if row.household.pk in counts:
            row.open_actions, row.overdue_actions = counts[row.household.pk]
    return Section.PLAN, counts


_ORDER = {
    # Most days since contact first; never contacted first of all.
    "contact": "last_contact ASC NULLS FIRST, name, id",
    "appointment": "next_appointment ASC NULLS LAST, name, id",
    "name": "name, id",
}


def _caseload_sources(membership, today: date) -> tuple[str, list]:
    """The caseload's households as SQL: those the membership's involvements put on it, of
    which the access rule lets them see a client. The set comes from the ORM (the access rule
    is written once, in clients.permissions), driven by the involvements (index membership,
    household) so the database never scans the municipality's clients; the page's own query
    selects from it."""
    mine = _my_involvements(membership, today).values("household_id")
    visible = (
        clients_visible_to(membership)
        .filter(household_id__in=mine)
        .order_by()
        .values("household_id")
    )
    households, params = sql.subquery(visible)
    return f"h.id IN ({households})", list(params)


def _caseload_households(
    membership,
    filters: CaseloadFilters,
    sources: tuple[str, list],
    weeks: dict[int, int],
    now,
    page: int,
) -> list[Household]:
    """One page of the caseload's households with their contact dates and signals, in one
    hand-written query (koers.core.sql): the ORM took longer to build it than the database to
    run it. Filters and sorting run in SQL on indexed columns."""
    today = timezone.localdate(now)
    soon = today + timedelta(days=ENDING_SOON_DAYS)
    at = sql.datetime_param(now)
    where, params = sources
    conditions, condition_params = [where], list(params)
    if filters.status:
        with_status, status_params = sql.subquery(
            clients_visible_to(membership)
            .filter(status=filters.status)
            .order_by()
            .values("household_id")
        )
        conditions.append(f"h.id IN ({with_status})")
        condition_params += status_params
    if filters.area_team:
        conditions.append("h.area_team_id = %s")
        condition_params.append(filters.area_team)
    outer, outer_params = "", []
    if filters.signal == Signal.NO_CONTACT:
        stale = [
            "(municipality_id = %s AND COALESCE(last_contact, created_at) < %s)" for _ in weeks
        ] or ["1 = 0"]
        outer = "WHERE " + " OR ".join(stale)
        for municipality_id, count in weeks.items():
            outer_params += [municipality_id, sql.datetime_param(now - timedelta(weeks=count))]
    elif filters.signal == Signal.NO_REGISSEUR:
        outer = "WHERE NOT has_regisseur"
    elif filters.signal == Signal.CONSENT_ENDING:
        outer = "WHERE consent_ending"
    elif filters.signal == Signal.ACCESS_ENDING:
        outer = "WHERE access_ending"
    moment, involvement = sql.table(ContactMoment), sql.table(Involvement)
    consent, client = sql.table(Consent), sql.table(Client)
    query = f"""
        SELECT * FROM (
            SELECT h.id, h.name, h.municipality_id, h.area_team_id, h.created_at,
                   t.name AS area_team_name,
                   (SELECT MAX(m.starts_at) FROM {moment} m
                    WHERE m.household_id = h.id AND m.status = %s AND m.starts_at <= %s)
                       AS last_contact,
                   (SELECT MIN(m.starts_at) FROM {moment} m
                    WHERE m.household_id = h.id AND m.status = %s AND m.starts_at >= %s)
                       AS next_appointment,
                   EXISTS (SELECT 1 FROM {involvement} i
                           WHERE i.household_id = h.id AND i.role = %s AND i.start_date <= %s
                             AND (i.end_date IS NULL OR i.end_date > %s)) AS has_regisseur,
                   EXISTS (SELECT 1 FROM {consent} co JOIN {client} c ON c.id = co.client_id
                           WHERE c.household_id = h.id AND co.given_on <= %s
                             AND co.withdrawn_on IS NULL AND co.ends_on >= %s
                             AND co.ends_on <= %s) AS consent_ending,
                   EXISTS (SELECT 1 FROM {client} c
                           WHERE c.household_id = h.id AND c.access_ends_on >= %s
                             AND c.access_ends_on <= %s) AS access_ending
            FROM {sql.table(Household)} h
            LEFT JOIN {sql.table(AreaTeam)} t ON t.id = h.area_team_id
            WHERE {" AND ".join(conditions)}
        ) caseload
        {outer}
        ORDER BY {_ORDER.get(filters.sort, _ORDER["name"])}
        LIMIT %s OFFSET %s
    """  # noqa: S608 - table names from the models, the access rule's SQL from the ORM
    rows = sql.fetch(
        query,
        [
            ContactStatus.HELD,
            at,
            ContactStatus.PLANNED,
            at,
            NetworkRole.REGISSEUR,
            today,
            today,
            today,
            today,
            soon,
            today,
            soon,
            *condition_params,
            *outer_params,
            PAGE_SIZE + 1,
            (page - 1) * PAGE_SIZE,
        ],
    )
    households = []
    for (
        pk,
        name,
        municipality_id,
        area_team_id,
        created_at,
        area_team_name,
        last_contact,
        next_appointment,
        has_regisseur,
        consent_ending,
        access_ending,
    ) in rows:
        household = Household(
            id=pk,
            name=name,
            municipality_id=municipality_id,
            area_team_id=area_team_id,
            created_at=sql.as_datetime(created_at),
        )
        household.area_team = (
            AreaTeam(id=area_team_id, municipality_id=municipality_id, name=area_team_name)
            if area_team_id is not None
            else None
        )
        household.last_contact = sql.as_datetime(last_contact)
        household.next_appointment = sql.as_datetime(next_appointment)
        household.has_regisseur = bool(has_regisseur)
        household.consent_ending = bool(consent_ending)
        household.access_ending = bool(access_ending)
        households.append(household)
    return households


def caseload_page(membership, filters: CaseloadFilters, *, now=None) -> CaseloadPage:
    """One page of the membership's caseload: households they direct (or stand in for through a
    delegation) as regisseur, or where they or their partner organisation are involved — within
    what the access rule lets them see. The number of queries does not depend on its size."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # Driven by the membership's own involvements (index membership, household): the caseload
    # is hundreds of households, never a probe per household of the municipality.
    sources = _caseload_sources(membership, today)
    # The filter options and the no-contact thresholds come from the caseload's own
    # households, in one query of a few rows.
    municipalities: dict[int, int] = {}
    area_teams: dict[int, AreaTeam] = {}
    query = f"""
        SELECT DISTINCT h.municipality_id, mu.no_contact_signal_weeks, h.area_team_id, t.name
        FROM {sql.table(Household)} h
        JOIN {sql.table(Municipality)} mu ON mu.id = h.municipality_id
        LEFT JOIN {sql.table(AreaTeam)} t ON t.id = h.area_team_id
        WHERE {sources[0]}
    """  # noqa: S608 - table names from the models, the access rule's SQL from the ORM
    for municipality_id, weeks, area_team_id, area_team_name in sql.fetch(query, sources[1]):
        municipalities[municipality_id] = weeks
        if area_team_id is not None:
            area_teams[area_team_id] = AreaTeam(
                id=area_team_id, municipality_id=municipality_id, name=area_team_name
            )
    page = max(1, min(filters.page, MAX_PAGES))
    households_page = _caseload_households(membership, filters, sources, municipalities, now, page)
    has_next = len(households_page) > PAGE_SIZE and page < MAX_PAGES
    households_page = households_page[:PAGE_SIZE]

    clients = list(
        clients_visible_to(membership)
        .filter(household_id__in=[h.pk for h in households_page])
        .only(*LIST_FIELDS)
        .order_by("family_name", "given_names", "id")
    )
    accesses = client_accesses(membership, clients)
    per_household: dict[int, list[Client]] = {}
    for client in clients:
        per_household.setdefault(client.household_id, []).append(client)

    rows = []
    for household in households_page:
        signals = []
        if _is_stale(household, municipalities, now):
            signals.append(Signal.NO_CONTACT)
        if not household.has_regisseur:
            signals.append(Signal.NO_REGISSEUR)
        if household.consent_ending:
            signals.append(Signal.CONSENT_ENDING)
        if household.access_ending:
            signals.append(Signal.ACCESS_ENDING)
        last = household.last_contact
        rows.append(
            CaseloadRow(
                household=household,
                clients=per_household.get(household.pk, []),
                last_contact=last,
                next_appointment=household.next_appointment,
                days_since_contact=(today - timezone.localdate(last)).days if last else None,
                signals=signals,
            )
        )
    plan_sections, counts = open_actions_hook(rows, accesses, today)
    radar = household_radar(clients, accesses, today, action_counts=counts)
    for row in rows:
        row.radar = radar.signals.get(row.household.pk, [])
    return CaseloadPage(
        rows=rows,
        page=page,
        has_next=has_next,
        area_teams=sorted(area_teams.values(), key=lambda team: (team.name, team.pk)),
        accesses=accesses,
        plan_sections=plan_sections | radar.sections,
    )


# --- the team leader ------------------------------------------------------------------------
def team_queue(membership, *, now=None) -> tuple[list[Household], dict]:
    """Households in the team leader's scope without a regisseur, oldest first, with the names
    of their (visible) clients. Returns the households and the clients' accesses."""
    today = timezone.localdate(now or timezone.now())
    households = list(
        _visible_households(membership)
        .filter(~Exists(_current_regisseurs(today).filter(household_id=OuterRef("pk"))))
        .select_related("area_team")
        .order_by("created_at", "id")[:QUEUE_SIZE]
    )
    clients = list(
        clients_visible_to(membership)
        .filter(household_id__in=[h.pk for h in households])
        .only(*LIST_FIELDS)
        .order_by("family_name", "given_names", "id")
    )
    accesses = client_accesses(membership, clients)
    per_household: dict[int, list[Client]] = {}
    for client in clients:
        per_household.setdefault(client.household_id, []).append(client)
    for household in households:
        household.visible_clients = per_household.get(household.pk, [])
    return households, accesses


def team_regisseurs(membership, *, now=None) -> list[Membership]:
    """The regisseurs of the team leader's organisation with the number of households each
    directs today: names and counts only."""
    today = timezone.localdate(now or timezone.now())
    return list(
        Membership.objects.current(today)
        .filter(organisation_id=membership.organisation_id, role=Role.REGISSEUR)
        .select_related("user")
        .annotate(
            caseload_size=Count(
                "involvements__household",
                filter=Q(
                    involvements__role=NetworkRole.REGISSEUR,
                    involvements__start_date__lte=today,
                )
                & (Q(involvements__end_date__isnull=True) | Q(involvements__end_date__gt=today)),
                distinct=True,
            )
        )
        .order_by("user__last_name", "user__first_name", "id")
    )


@dataclass
class RegisseurCaseload:
    """Households one regisseur directs, as a team leader sees them: names only."""

    regisseur: Membership
    households: list[Household]
    has_more: bool = False


def team_caseloads(
    membership, regisseurs: list[Membership], *, only: int | None = None, page: int = 1, now=None
) -> tuple[list[RegisseurCaseload], dict]:
    """Per regisseur of the team leader's organisation, the households they direct today that
    the team leader may see, by name: at most TEAM_CASELOAD_SIZE each (one query, a row number
    per regisseur), or, with `only`, one page of that regisseur's households. Returns the lists
    and the accesses of the clients shown (for the audit log)."""
    today = timezone.localdate(now or timezone.now())
    if only is not None:
        regisseurs = [r for r in regisseurs if r.pk == only]
    if not regisseurs:
        return [], {}
    page = max(1, min(page, MAX_PAGES)) if only is not None else 1
    start = (page - 1) * TEAM_CASELOAD_SIZE
    visible = clients_visible_to(membership).filter(household_id=OuterRef("household_id"))
    involvements = (
        _current_regisseurs(today)
        .filter(membership_id__in=[r.pk for r in regisseurs])
        .filter(Exists(visible))
        .select_related("household__area_team")
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("membership_id")],
                order_by=[F("household__name").asc(), F("household_id").asc()],
            )
        )
        .filter(position__gt=start, position__lte=start + TEAM_CASELOAD_SIZE + 1)
        .order_by("membership_id", "position")
    )
    per_regisseur: dict[int, list[Household]] = {}
    for involvement in involvements:
        per_regisseur.setdefault(involvement.membership_id, []).append(involvement.household)
    households = [h for listed in per_regisseur.values() for h in listed[:TEAM_CASELOAD_SIZE]]
    clients = list(
        clients_visible_to(membership)
        .filter(household_id__in=[h.pk for h in households])
        .only(*LIST_FIELDS)
        .order_by("family_name", "given_names", "id")
    )
    names: dict[int, list[Client]] = {}
    for client in clients:
        names.setdefault(client.household_id, []).append(client)
    for household in households:
        household.visible_clients = names.get(household.pk, [])
    caseloads = []
    for regisseur in regisseurs:
        listed = per_regisseur.get(regisseur.pk, [])
        caseloads.append(
            RegisseurCaseload(
                regisseur=regisseur,
                households=listed[:TEAM_CASELOAD_SIZE],
                has_more=len(listed) > TEAM_CASELOAD_SIZE and (only is None or page < MAX_PAGES),
            )
        )
    return caseloads, client_accesses(membership, clients)


def assignable_households(membership) -> QuerySet[Household]:
    """Households a team leader may assign: those with a client in their scope."""
    return _visible_households(membership)


# --- search ---------------------------------------------------------------------------------
_BSN = re.compile(r"^\d{9}$")
_V_NUMBER = re.compile(r"^v?\d{10}$", re.IGNORECASE)
_DATE = re.compile(r"^(\d{2})-(\d{2})-(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass
class SearchResult:
    kind: str  # "name", "bsn", "v_number", "birth_date", "empty"
    clients: list[Client]
    accesses: dict
    identity_refused: bool = False


def _identity_scope(membership) -> Q | None:
    """Where the membership may read IDENTITY: a predicate on the client table, or None."""
    if Section.IDENTITY not in ROLE_READ_SECTIONS.get(membership.role, Section.none()):
        return None
    scope = access_scope(membership)
    if membership.organisation.is_municipal:
        return Q()  # within the visible set, a municipal grant covers every section
    municipalities = [
        m for m, (sections, _basis) in scope.basis_sections.items() if Section.IDENTITY in sections
    ]
    return Q(municipality_id__in=municipalities) if municipalities else None


def _search_base(membership) -> QuerySet[Client]:
    return (
        clients_visible_to(membership)
        .select_related("municipality")
        .only(*LIST_FIELDS, "municipality__name")
    )


def _finish(kind, membership, queryset, **extra) -> SearchResult:
    clients = list(queryset[:SEARCH_LIMIT])
    return SearchResult(kind, clients, client_accesses(membership, clients), **extra)


def client_search(membership, query: str) -> SearchResult:
    """Search by (part of) name, BSN, V-number or date of birth, always within the visible set
    (one predicate), at most SEARCH_LIMIT results, best first."""
    query = (query or "").strip()
    compact = query.replace(" ", "").replace(".", "")
    if not query:
        return SearchResult("empty", [], {})
    if _BSN.match(compact) or _V_NUMBER.match(compact):
        kind = "bsn" if _BSN.match(compact) else "v_number"
        identity = _identity_scope(membership)
        if identity is None:
            return SearchResult(kind, [], {}, identity_refused=True)
        if kind == "bsn":
            match = Q(bsn=compact)
        else:
            digits = compact.lstrip("vV")
            match = Q(v_number__in=[digits, f"V{digits}", f"v{digits}"])
        queryset = _search_base(membership).filter(identity, match).order_by("id")
        return _finish(kind, membership, queryset)
    date_match = _DATE.match(compact)
    year_match = _YEAR.match(compact)
    if date_match or year_match:
        if date_match:
            day, month, year = (int(part) for part in date_match.groups())
        else:
            day, month, year = 0, 0, int(year_match.group(1))
        predicate = Q(birth_year=year)
        exact = Q(birth_year=year)
        if month:
            predicate &= Q(birth_month=month) | Q(birth_month__isnull=True)
            exact &= Q(birth_month=month)
        if day:
            predicate &= Q(birth_day=day) | Q(birth_day__isnull=True)
            exact &= Q(birth_day=day)
        # Dates that match in full before those with unknown parts.
        exact = Case(When(exact, then=Value(1)), default=Value(0), output_field=IntegerField())
        queryset = (
            _search_base(membership)
            .filter(predicate)
            .annotate(rank=exact)
            .order_by("-rank", "family_name", "given_names", "id")
        )
        return _finish("birth_date", membership, queryset)

    groups = query_groups(query)
    if not groups:
        return SearchResult("empty", [], {})
    predicate = Q()
    exact_all = Q()
    exact_hits = []
    for alternatives in groups:
        group = Q()
        exact = Q()
        for token in sorted(alternatives):
            group |= Q(search_key__contains=f" {token}")
            exact |= Q(search_key__contains=f" {token} ")
        predicate &= group
        exact_all &= exact
        exact_hits.append(Case(When(exact, then=Value(1)), default=Value(0)))
    rank = exact_hits[0]
    for hit in exact_hits[1:]:
        rank = rank + hit
    # A short, common term ("Mo", "Ali") matches thousands of clients. Ranking all of them would
    # read every match; the ranking runs on a bounded candidate set instead: the first
    # SEARCH_CANDIDATES clients matching every part exactly, and the first SEARCH_CANDIDATES
    # matching them as prefixes (each an unordered scan that stops early; read as two lists
    # of ids, so the ranking query fetches its rows by primary key).
    visible = clients_visible_to(membership).order_by()
    candidates = {
        *visible.filter(exact_all).values_list("pk", flat=True)[:SEARCH_CANDIDATES],
        *visible.filter(predicate).values_list("pk", flat=True)[:SEARCH_CANDIDATES],
    }
    queryset = _search_base(membership).filter(pk__in=sorted(candidates)).annotate(rank=rank)
    order = ["-rank"]
    folded = " ".join(sorted(next(iter(sorted(g))) for g in groups))
    # Trigram similarity says nothing about a term shorter than a trigram.
    if connection.vendor == "postgresql" and len(folded) >= 3:
        from django.contrib.postgres.search import TrigramSimilarity

        queryset = queryset.annotate(similarity=TrigramSimilarity("search_key", folded))
        order.append("-similarity")
    queryset = queryset.order_by(*order, "family_name", "given_names", "id")
    return _finish("name", membership, queryset)


STATUS_CHOICES = ClientStatus.choices


def regisseur_choices(membership) -> QuerySet[Membership]:
    """Who a team leader can assign households to: current regisseurs of their organisation."""
    return (
        Membership.objects.current()
        .filter(organisation_id=membership.organisation_id, role=Role.REGISSEUR)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )
