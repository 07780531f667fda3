"""The access rule of product.md, in one place.

Every view, partial, API endpoint, search, export and report asks these functions which clients
the acting membership may see and which sections of each. Nothing else decides access.

- Municipal organisations act on the municipality's legal task, for the municipalities and area
  teams the membership serves; beyond that only through break-the-glass.
- Partner organisations see a client only while the organisation is involved in the household,
  and only on a legal basis in force for that municipality (processor, covenant), or on the
  client's own consent where the basis is consent.
- Volunteers see only the households they are assigned to, after their VOG and confidentiality
  agreement are recorded, within their task profile and the municipality's limit, until the
  assignment ends or a year has passed.
- The effective sections are the role's sections narrowed by all of the above.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.accounts.constants import ROLE_READ_SECTIONS, ROLE_WRITE_SECTIONS, Role
from koers.accounts.models import Membership
from koers.network.models import Consent, Involvement
from koers.organisations.constants import LegalBasisKind
from koers.organisations.models import AreaTeam, LegalBasis, Municipality, Organisation

from .constants import NetworkRole, Section
from .models import BreakGlassAccess, Client

VOLUNTEER_NETWORK_ROLES = (NetworkRole.VRIJWILLIGER, NetworkRole.TAALMAATJE)
ASSIGNMENT_BOUND_ROLES = {Role.VRIJWILLIGER, Role.COORDINATOR}


class Basis:
    """On what ground a membership sees a client: recorded in the audit log."""

    LEGAL_TASK = "legal_task"
    PROCESSOR = LegalBasisKind.PROCESSOR.value
    COVENANT = LegalBasisKind.COVENANT.value
    CONSENT = LegalBasisKind.CONSENT.value
    BREAK_GLASS = "break_glass"
    NONE = "none"

    LABELS = {
        LEGAL_TASK: _("Municipality's legal task"),
        PROCESSOR: _("Processor agreement"),
        COVENANT: _("Covenant"),
        CONSENT: _("Client's consent"),
        BREAK_GLASS: _("Break-the-glass"),
        NONE: _("No client data"),
    }


@dataclass(frozen=True)
class ClientAccess:
    read: Section
    write: Section
    basis: str
    basis_id: int | None = None

    def can_read(self, section: Section) -> bool:
        return bool(self.read) and section in self.read

    def can_write(self, section: Section) -> bool:
        return bool(self.write) and section in self.write


NO_ACCESS = ClientAccess(Section.none(), Section.none(), Basis.NONE)

# The client columns the access rule reads (access_many): a list that fetches fewer columns
# with .only() must fetch at least these, or each access check would load the rest per client.
ACCESS_FIELDS = ("id", "household_id", "municipality_id", "area_team_id", "access_ends_on")


class AccessScope:
    """What one membership may reach today; built once per request and reused for every client."""

    def __init__(self, membership, today: date | None = None):
        self.membership = membership
        self.organisation = membership.organisation
        self.role = membership.role
        self.today = today or timezone.localdate()

    # --- the membership's reach ------------------------------------------------------------
    @cached_property
    def _reach(self) -> tuple[frozenset[int], frozenset[int]]:
        """The municipalities a municipal membership serves and its area teams among them, read
        in one query: the organisation's municipalities, the membership's own narrowing, and
        the membership's area teams (with their municipality)."""
        if not self.organisation.is_municipal:
            return frozenset(), frozenset()
        served_table = Organisation.municipalities.through._meta.db_table
        own_table = Membership.municipalities.through._meta.db_table
        teams_table = Membership.area_teams.through._meta.db_table
        area_team_table = AreaTeam._meta.db_table
        # Table names come from the models; the ids are parameters.
        sql = (
            f"SELECT 'served', municipality_id, CAST(NULL AS BIGINT) FROM {served_table} "  # noqa: S608
            "WHERE organisation_id = %s "
            f"UNION ALL SELECT 'own', municipality_id, CAST(NULL AS BIGINT) FROM {own_table} "
            "WHERE membership_id = %s "
            f"UNION ALL SELECT 'team', team.municipality_id, link.areateam_id FROM {teams_table} "
            f"link JOIN {area_team_table} team ON team.id = link.areateam_id "
            "WHERE link.membership_id = %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.organisation.pk, self.membership.pk, self.membership.pk])
            rows = cursor.fetchall()
        served, own, teams = set(), set(), []
        for kind, municipality_id, team_id in rows:
            if kind == "served":
                served.add(municipality_id)
            elif kind == "own":
                own.add(municipality_id)
            else:
                teams.append((municipality_id, team_id))
        municipalities = frozenset(own & served if own else served)
        return municipalities, frozenset(t for m, t in teams if m in municipalities)

    @property
    def municipality_ids(self) -> frozenset[int]:
        """Municipal organisations: the municipalities this membership serves."""
        return self._reach[0]

    @property
    def area_team_ids(self) -> frozenset[int]:
        return self._reach[1]

    @cached_property
    def _bases(self) -> list[LegalBasis]:
        if self.organisation.is_municipal:
            return []
        return list(LegalBasis.objects.in_force(self.today).filter(organisation=self.organisation))

    @cached_property
    def basis_sections(self) -> dict[int, tuple[Section, int]]:
        """Per municipality: sections on a processor or covenant basis, and one basis id."""
        result: dict[int, tuple[Section, int]] = {}
        for basis in self._bases:
            if basis.kind == LegalBasisKind.CONSENT:
                continue
            sections, basis_id = result.get(basis.municipality_id, (Section.none(), basis.id))
            result[basis.municipality_id] = (sections | basis.sections, basis_id)
        return result

    @cached_property
    def consent_basis_sections(self) -> dict[int, tuple[Section, int]]:
        result: dict[int, tuple[Section, int]] = {}
        for basis in self._bases:
            if basis.kind != LegalBasisKind.CONSENT:
                continue
            sections, basis_id = result.get(basis.municipality_id, (Section.none(), basis.id))
            result[basis.municipality_id] = (sections | basis.sections, basis_id)
        return result

    @property
    def role_read(self) -> Section:
        return ROLE_READ_SECTIONS[self.role]

    @property
    def role_write(self) -> Section:
        return ROLE_WRITE_SECTIONS[self.role]

    @property
    def sees_clients(self) -> bool:
        if not self.role_read:
            return False
        screened = self.membership.volunteer_screening_complete
        return self.role != Role.VRIJWILLIGER or screened

    # --- the predicate -----------------------------------------------------------------------
    def _involvements(self):
        involvements = Involvement.objects.active(self.today).filter(
            household_id=OuterRef("household_id"), organisation=self.organisation
        )
        if self.role == Role.VRIJWILLIGER:
            cutoff = self.today - timedelta(days=settings.KOERS_VOLUNTEER_ACCESS_DAYS)
            involvements = involvements.filter(
                membership=self.membership, role__in=VOLUNTEER_NETWORK_ROLES
            ).filter(Q(start_date__gt=cutoff) | Q(renewed_on__gt=cutoff))
        return involvements

    def _active_consents(self):
        return Consent.objects.active(self.today).filter(
            client_id=OuterRef("pk"), organisation=self.organisation
        )

    def _break_glass(self):
        return BreakGlassAccess.objects.active().filter(membership=self.membership)

    @property
    def assignment_bound(self) -> bool:
        """Volunteers and their coordinators reach only households they are involved in, in a
        municipal organisation as much as in a partner."""
        return self.role in ASSIGNMENT_BOUND_ROLES

    def visible_clients(self) -> QuerySet[Client]:
        if not self.sees_clients:
            return Client.objects.none()
        if self.organisation.is_municipal:
            if self.area_team_ids:
                in_scope = Q(area_team_id__in=self.area_team_ids)
            else:
                in_scope = Q(municipality_id__in=self.municipality_ids)
            # After a move out, the old municipality's access ends on the date set.
            in_scope &= Q(access_ends_on__isnull=True) | Q(access_ends_on__gte=self.today)
            if self.assignment_bound:
                return Client.objects.filter(in_scope, Exists(self._involvements()))
            return Client.objects.filter(
                in_scope | Q(id__in=self._break_glass().values("client_id"))
            )
        on_basis = Q(municipality_id__in=list(self.basis_sections))
        if self.consent_basis_sections:
            on_basis |= Q(municipality_id__in=list(self.consent_basis_sections)) & Exists(
                self._active_consents()
            )
        return Client.objects.filter(on_basis, Exists(self._involvements()))

    # --- sections per client -----------------------------------------------------------------
    def _in_municipal_scope(self, client: Client) -> bool:
        if client.access_ends_on is not None and client.access_ends_on < self.today:
            return False
        if self.area_team_ids:
            return client.area_team_id in self.area_team_ids
        return client.municipality_id in self.municipality_ids

    def _municipal_grants(
        self, clients: list[Client]
    ) -> dict[int, tuple[Section, str, int | None]]:
        outside = [c.pk for c in clients if not self._in_municipal_scope(c)]
        break_glass = {}
        if outside and not self.assignment_bound:
            break_glass = dict(
                self._break_glass().filter(client_id__in=outside).values_list("client_id", "id")
            )
        grants = {}
        for client in clients:
            if self._in_municipal_scope(client):
                grants[client.pk] = (Section.all(), Basis.LEGAL_TASK, None)
            elif client.pk in break_glass:
                grants[client.pk] = (Section.all(), Basis.BREAK_GLASS, break_glass[client.pk])
        return grants

    def _partner_grants(self, clients: list[Client]) -> dict[int, tuple[Section, str, int | None]]:
        consents: dict[int, Section] = {}
        if self.consent_basis_sections:
            for client_id, sections in (
                Consent.objects.active(self.today)
                .filter(client_id__in=[c.pk for c in clients], organisation=self.organisation)
                .values_list("client_id", "sections")
            ):
                consents[client_id] = consents.get(client_id, Section.none()) | Section(sections)
        bases = {basis.id: basis.kind for basis in self._bases}
        grants = {}
        for client in clients:
            granted, basis, basis_id = Section.none(), Basis.NONE, None
            if client.municipality_id in self.basis_sections:
                granted, basis_id = self.basis_sections[client.municipality_id]
                basis = bases[basis_id]
            if client.pk in consents and client.municipality_id in self.consent_basis_sections:
                sections, consent_basis_id = self.consent_basis_sections[client.municipality_id]
                granted |= sections & consents[client.pk]
                if basis == Basis.NONE:
                    basis, basis_id = Basis.CONSENT, consent_basis_id
            if granted:
                grants[client.pk] = (granted, basis, basis_id)
        return grants

    def _volunteer_limits(self, clients: list[Client]) -> dict[int, Section]:
        """Per client: the municipality's volunteer limit narrowed by the task profile."""
        municipality_limits = dict(
            Municipality.objects.filter(id__in={c.municipality_id for c in clients}).values_list(
                "id", "volunteer_sections"
            )
        )
        task_profiles: dict[int, Section] = {}
        involvements = Involvement.objects.active(self.today).filter(
            household_id__in={c.household_id for c in clients},
            membership=self.membership,
            role__in=VOLUNTEER_NETWORK_ROLES,
        )
        for household_id, sections in involvements.values_list("household_id", "task_sections"):
            task_profiles[household_id] = task_profiles.get(household_id, Section.none()) | Section(
                sections
            )
        return {
            c.pk: Section(municipality_limits.get(c.municipality_id, 0))
            & task_profiles.get(c.household_id, Section.none())
            for c in clients
        }

    def access_many(self, clients: Iterable[Client]) -> dict[int, ClientAccess]:
        """Access per client for clients already known to be visible, in a constant number of
        queries however many clients there are."""
        clients = list(clients)
        if not clients or not self.sees_clients:
            return {client.pk: NO_ACCESS for client in clients}
        if self.organisation.is_municipal:
            grants = self._municipal_grants(clients)
        else:
            grants = self._partner_grants(clients)
        limits = self._volunteer_limits(clients) if self.role == Role.VRIJWILLIGER else None
        result: dict[int, ClientAccess] = {}
        for client in clients:
            if client.pk not in grants:
                result[client.pk] = NO_ACCESS
                continue
            granted, basis, basis_id = grants[client.pk]
            if limits is not None:
                granted &= limits[client.pk]
            read, write = self.role_read & granted, self.role_write & granted
            result[client.pk] = ClientAccess(read, write, basis, basis_id) if read else NO_ACCESS
        return result

    def access(self, client: Client) -> ClientAccess:
        return self.access_many([client])[client.pk]


def access_scope(membership) -> AccessScope:
    """The scope of a membership, cached on the object for the rest of the request."""
    scope = getattr(membership, "_access_scope", None)
    if scope is None:
        scope = AccessScope(membership)
        membership._access_scope = scope
    return scope


def clients_visible_to(membership) -> QuerySet[Client]:
    """Every client the membership may see at all: one indexed predicate on the client table."""
    if membership is None:
        return Client.objects.none()
    return access_scope(membership).visible_clients()


def client_access(membership, client: Client) -> ClientAccess:
    if membership is None:
        return NO_ACCESS
    return access_scope(membership).access(client)


def client_accesses(membership, clients: Iterable[Client]) -> dict[int, ClientAccess]:
    clients = list(clients)
    if membership is None:
        return {c.pk: NO_ACCESS for c in clients}
    return access_scope(membership).access_many(clients)


# Team figures. A team leader opens no dossier, but "reads team dashboards" (product.md): they
# may count, per regisseur or team, what these sections of the clients they may see say —
# never who is counted, and never the special categories (HEALTH, JUSTICE, ASYLUM, IDENTITY).
COUNT_SECTIONS = (
    Section.BASIS
    | Section.HOUSEHOLD
    | Section.PLAN
    | Section.MEASUREMENTS
    | Section.INBURGERING
    | Section.WORK_INCOME
)


def counting_accesses(membership, clients: Iterable[Client]) -> dict[int, ClientAccess]:
    """Accesses for figures that show counts only: the membership's own access, widened to
    COUNT_SECTIONS for a team leader, for the clients the access rule lets them see at all. A
    page that uses these must show no name, date or link next to what it counts."""
    accesses = client_accesses(membership, clients)
    if membership is None or membership.role != Role.TEAMLEIDER:
        return accesses
    return {
        pk: ClientAccess(
            access.read | COUNT_SECTIONS, Section.none(), access.basis, access.basis_id
        )
        if access.read
        else access
        for pk, access in accesses.items()
    }


def get_client_with_section(
    membership, pk, section: Section, *, write: bool = False
) -> tuple[Client, ClientAccess]:
    """The client and the membership's access to it, for a page of one dossier section: 404
    when the client is not visible or the section may not be read (or, with `write`, changed);
    not allowed looks the same as not found."""
    if membership is None or not membership.opens_dossiers:
        raise Http404
    client = get_client_for(membership, pk)
    access = client_access(membership, client)
    if not access.can_read(section) or (write and not access.can_write(section)):
        raise Http404
    return client, access


def can_view_section(membership, client: Client, section: Section) -> bool:
    return client_access(membership, client).can_read(section)


def can_edit_section(membership, client: Client, section: Section) -> bool:
    return client_access(membership, client).can_write(section)


def get_client_for(membership, pk, *, queryset: QuerySet[Client] | None = None) -> Client:
    """The only way to fetch a client for a user: 404 for both missing and forbidden."""
    base = clients_visible_to(membership)
    if queryset is not None:
        base = queryset & base
    try:
        return base.select_related("municipality", "area_team", "household").get(pk=int(pk))
    except (Client.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_break_glass(membership) -> bool:
    """Municipal roles that open dossiers may look outside their scope with a stated reason."""
    return bool(
        membership
        and membership.organisation.is_municipal
        and membership.opens_dossiers
        and membership.role not in ASSIGNMENT_BOUND_ROLES
    )


def break_glass_candidates(membership) -> QuerySet[Client]:
    """Clients a break-the-glass request may reach: the organisation's own municipalities."""
    if not can_break_glass(membership):
        return Client.objects.none()
    return Client.objects.filter(
        municipality_id__in=membership.organisation.municipalities.values("id")
    )


def can_read_confidential(
    membership, access: ClientAccess, *, section: Section, organisation_id: int
) -> bool:
    """Notes and contact moments: the section of their confidentiality level, and for
    "own organisation" the author's organisation must be the reader's."""
    if not access.can_read(section):
        return False
    if section == Section.NOTES_OWN_ORGANISATION:
        return membership is not None and membership.organisation_id == organisation_id
    return True
