from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from koers.organisations.models import AreaTeam, Municipality

from .constants import Section
from .models import Client, ClientLanguage, HouseholdMember
from .permissions import access_scope, clients_visible_to
from .search import search_key_for

PAGE_SIZE = 50


def client_page(membership, *, after: Client | None = None, size: int = PAGE_SIZE):
    """One page of the clients the membership may see, by name, with a keyset cursor: the cost
    does not grow with the page number and no COUNT(*) runs over the whole visible set."""
    queryset: QuerySet[Client] = (
        clients_visible_to(membership)
        .select_related("municipality", "area_team")
        .order_by("family_name", "given_names", "id")
    )
    if after is not None:
        queryset = queryset.filter(
            Q(family_name__gt=after.family_name)
            | Q(family_name=after.family_name, given_names__gt=after.given_names)
            | Q(family_name=after.family_name, given_names=after.given_names, id__gt=after.pk)
        )
    rows = list(queryset[: size + 1])
    return rows[:size], len(rows) > size


# --- registering --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationPlaces:
    """Where a membership may register households: the municipalities and area teams it serves
    on the municipality's legal task, with the sections it may fill in."""

    municipalities: QuerySet[Municipality]
    area_teams: QuerySet[AreaTeam]
    area_team_required: bool
    write: Section

    @property
    def allowed(self) -> bool:
        return Section.BASIS in self.write


def registration_places(membership) -> RegistrationPlaces:
    nothing = RegistrationPlaces(
        Municipality.objects.none(), AreaTeam.objects.none(), False, Section.none()
    )
    if membership is None:
        return nothing
    scope = access_scope(membership)
    if (
        not scope.sees_clients
        or not membership.organisation.is_municipal
        or scope.assignment_bound
        or Section.BASIS not in scope.role_write
        or not scope.municipality_ids
    ):
        return nothing
    municipalities = Municipality.objects.filter(id__in=scope.municipality_ids).order_by("name")
    if scope.area_team_ids:
        teams = AreaTeam.objects.filter(id__in=scope.area_team_ids)
    else:
        teams = AreaTeam.objects.filter(municipality_id__in=scope.municipality_ids)
    return RegistrationPlaces(
        municipalities,
        teams.select_related("municipality"),
        bool(scope.area_team_ids),
        scope.role_write,
    )


def _birth_compatible(client: Client, year, month, day) -> bool:
    """Parts known on both sides must agree; an unknown part matches anything."""
    pairs = ((client.birth_year, year), (client.birth_month, month), (client.birth_day, day))
    return all(a is None or b is None or a == b for a, b in pairs)


def possible_duplicates(membership, people: list[dict]) -> list[tuple[dict, list[Client]]]:
    """Clients the membership may see that may be one of `people` (dicts with given_names,
    family_name, birth_* and bsn): the same BSN, or the same folded name with compatible birth
    parts. Only visible clients are searched, so a match elsewhere is never revealed."""
    visible = clients_visible_to(membership)
    bsns = [p["bsn"] for p in people if p.get("bsn")]
    keys = {search_key_for(p.get("given_names", ""), p["family_name"]) for p in people}
    keys.discard("")
    condition = Q(search_key__in=keys)
    if bsns:
        condition |= Q(bsn__in=bsns)
    candidates = list(visible.filter(condition).select_related("household")[:50])
    result = []
    for person in people:
        key = search_key_for(person.get("given_names", ""), person["family_name"])
        matches = [
            c
            for c in candidates
            if (person.get("bsn") and c.bsn == person["bsn"])
            or (
                key
                and c.search_key == key
                and _birth_compatible(
                    c, person.get("birth_year"), person.get("birth_month"), person.get("birth_day")
                )
            )
        ]
        if matches:
            result.append((person, matches))
    return result


# --- the dossier page ---------------------------------------------------------------------------


def household_people(client: Client, membership=None) -> list[HouseholdMember]:
    """Everyone in the client's household, in one query; `openable` says whether the
    membership may open that member's dossier (never the client's own)."""
    people = HouseholdMember.objects.filter(household_id=client.household_id)
    if membership is not None:
        visible = clients_visible_to(membership).filter(pk=OuterRef("client_id"))
        people = people.annotate(openable=Exists(visible) & ~Q(client_id=client.pk))
    # Of a member who has a dossier the page shows the name and age only: the rest of that
    # client's row stays in the database.
    member_fields = [f.attname for f in HouseholdMember._meta.concrete_fields]
    client_fields = ["given_names", "family_name", "birth_year", "birth_month", "birth_day"]
    return list(
        people.select_related("client")
        .only(*member_fields, *(f"client__{name}" for name in client_fields))
        .order_by("id")
    )


def client_languages(client: Client) -> list[ClientLanguage]:
    return list(client.languages.order_by("-is_mother_tongue", "language"))


@dataclass(frozen=True)
class DossierCards:
    """Which cards the dossier's first screen shows; `sections` is exactly what they show."""

    basis: bool = False
    full_basis: bool = False  # date of birth, status, municipality (not on the volunteer view)
    profile: bool = False
    contact: bool = False
    household: bool = False
    household_details: bool = False  # relation, school or childcare
    reunification: bool = False
    languages: bool = False
    identity: bool = False
    inburgering: bool = False
    sub_pages: bool = False
    network: bool = False

    @property
    def sections(self) -> Section:
        shown = Section.none()
        for flag, section in (
            (self.basis, Section.BASIS),
            (self.profile, Section.PROFILE),
            (self.contact, Section.CONTACT),
            (self.household, Section.HOUSEHOLD),
            (self.reunification, Section.ASYLUM),
            (self.languages, Section.LANGUAGES),
            (self.identity, Section.IDENTITY),
            (self.inburgering, Section.INBURGERING),
            (self.network, Section.NETWORK),
        ):
            if flag:
                shown |= section
        return shown


def dossier_cards(membership, access, *, network_visible: bool) -> DossierCards:
    """A volunteer sees the volunteer view: name and age, contact, languages, the household's
    names and ages and who does what; never more, whatever the access would allow."""
    read = access.can_read
    if membership.is_volunteer:
        return DossierCards(
            basis=read(Section.BASIS),
            contact=read(Section.CONTACT),
            household=read(Section.HOUSEHOLD),
            languages=read(Section.LANGUAGES),
            network=network_visible,
        )
    return DossierCards(
        basis=read(Section.BASIS),
        full_basis=read(Section.BASIS),
        profile=read(Section.PROFILE),
        contact=read(Section.CONTACT),
        household=read(Section.HOUSEHOLD),
        household_details=read(Section.HOUSEHOLD),
        reunification=read(Section.HOUSEHOLD) and read(Section.ASYLUM),
        languages=read(Section.LANGUAGES),
        identity=read(Section.IDENTITY),
        inburgering=read(Section.INBURGERING),
        sub_pages=True,
        network=network_visible,
    )


def age_of(year, month, day, on) -> int | None:
    return Client(birth_year=year, birth_month=month, birth_day=day).age_on(on)


def mask(number: str | None) -> str:
    """A BSN as ******123: enough to compare with a letter, not enough to use."""
    if not number:
        return ""
    return "*" * max(len(number) - 3, 0) + number[-3:]


def dossier_breadcrumbs(client: Client, part: str, part_url_name: str, *labels) -> list[dict]:
    """Clients › the client › a part of the dossier (› a page of it): the part links to its
    overview when a page of it is shown."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    labels = [label for label in labels if label]
    crumbs = [
        {"label": _("Clients"), "url": reverse("clients:list")},
        {"label": client.full_name, "url": reverse("clients:detail", args=[client.pk])},
        {"label": part, "url": reverse(part_url_name, args=[client.pk]) if labels else ""},
    ]
    crumbs.extend({"label": label, "url": ""} for label in labels)
    return crumbs
