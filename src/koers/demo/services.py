"""Demo and benchmark data: a fictitious region with its organisations, staff and clients.

Everything is fictitious: the municipalities carry CBS-style codes in the GM99xx range (never
issued to a real municipality), the client names come from names.py, staff names from Faker
nl_NL. The same seed and `today` give the same data, row for row.

The generator plans everything in memory first and writes with batched bulk_create (the
tables of millions of rows, the timeline and the trajectory, with bulk.Rows: COPY on
PostgreSQL), so the number of queries depends on the number of municipalities, tables and
batches, never on a query per client.
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from koers.accounts.constants import Role
from koers.accounts.models import Membership, User
from koers.clients.constants import ClientStatus, NetworkRole, Section
from koers.clients.models import Client, Household
from koers.clients.search import search_key_for
from koers.network.models import Consent, Involvement
from koers.organisations.constants import LegalBasisKind, OrganisationKind
from koers.organisations.models import AreaTeam, LegalBasis, Municipality, Organisation, Region
from koers.timeline.models import ContactMoment, Note

from . import names
from .bulk import bulk as _bulk
from .bulk import checked as _checked
from .bulk import foreign_keys_checked_once
from .dossier import BENCH_TEAMS, DossierMixin
from .names import Origin
from .trajectory import (
    DEFAULT_ACTIONS_PER_CLIENT,
    DEFAULT_MEASUREMENTS_PER_CLIENT,
    TrajectoryMixin,
    trajectory_models,
)

# One password for every demo account; it passes the password validators (12+ characters, not
# common, not numeric, not like a username).
DEMO_PASSWORD = "Koers-demo-regie"
DEFAULT_SEED = 1
DEFAULT_MUNICIPALITIES = 3
DEFAULT_CLIENTS = 200
# Timeline entries (contact moments and notes) per client: about ten contact moments per household.
DEFAULT_TIMELINE_PER_CLIENT = 5.0
MAX_MUNICIPALITIES = 99  # GM9901 .. GM9999
EMAIL_DOMAIN = "lingebroek.example"

# The region of the demo; further municipalities (benchmarks) get invented names below.
BASE_MUNICIPALITIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Lingebroek", ("Centrum", "Noord", "De Weerden")),
    ("Waalhoven", ("Oost", "West")),
    ("Dijkerveld", ("Stad", "Dorpen")),
)
_NAME_PARTS = (
    ("Vliet", "Beemd", "Kreek", "Wiel", "Gors", "Wadde", "Ruwen", "Klaver", "Zeger", "Braam"),
    ("broek", "hoven", "veld", "dam", "horst", "oord", "recht", "wolde", "kerk", "meer"),
)
_EXTRA_AREA_TEAMS = ("Noord", "Zuid", "Centrum")

VLUCHTELINGENWERK = "VluchtelingenWerk Lingebroek-Waal"
HUMANITAS = "Humanitas Lingebroek e.o."

# VluchtelingenWerk works as processor for the municipality on the maatschappelijke
# begeleiding: health and asylum/family reunification included, justice and work and income
# not (product.md: the begeleider needs neither).
PROCESSOR_SECTIONS = Section.all() & ~(Section.JUSTICE | Section.WORK_INCOME)
# Humanitas only on the client's consent, for a language buddy.
CONSENT_SECTIONS = (
    Section.BASIS
    | Section.CONTACT
    | Section.LANGUAGES
    | Section.TASKS
    | Section.NETWORK
    | Section.NOTES_NETWORK
)
# A welfare organisation as independent controller: never identity numbers (UAVG art. 46), and
# no special categories on a covenant.
COVENANT_SECTIONS = (
    Section.BASIS
    | Section.CONTACT
    | Section.HOUSEHOLD
    | Section.NETWORK
    | Section.LANGUAGES
    | Section.PLAN
    | Section.TASKS
    | Section.MEASUREMENTS
    | Section.NOTES_NETWORK
    | Section.NOTES_PROFESSIONALS
    | Section.NOTES_OWN_ORGANISATION
)
LANGUAGE_BUDDY_TASK = (
    Section.BASIS | Section.CONTACT | Section.LANGUAGES | Section.TASKS | Section.NOTES_NETWORK
)
HOME_VISIT_TASK = LANGUAGE_BUDDY_TASK | Section.NETWORK

ACTIVE_STATUSES = (ClientStatus.AANGEMELD, ClientStatus.ACTIEF)
CLOSED_STATUSES = (ClientStatus.VERHUISD, ClientStatus.AFGESLOTEN)


@dataclass(frozen=True)
class DemoLogin:
    """An account printed by demo_logins, with what it shows."""

    username: str
    hint: str


# The order demo_logins prints them in.
DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "regisseur",
        _(
            "Regisseur for area team Centrum in Lingebroek: open a household from your caseload "
            "and see every section of the dossier."
        ),
    ),
    DemoLogin(
        "regisseur2",
        _(
            "Regisseur in Waalhoven: open a client of Lingebroek (e.g. /clienten/1/) and see "
            '"Niet gevonden", exactly as for a number that does not exist.'
        ),
    ),
    DemoLogin(
        "regio",
        _("Regional service centre: sees the clients of all three municipalities of the region."),
    ),
    DemoLogin(
        "klantmanager",
        _("WerkBedrijf: work and income for the whole region, without health, justice or asylum."),
    ),
    DemoLogin(
        "begeleider",
        _(
            "VluchtelingenWerk: only households VluchtelingenWerk is involved in, on the processor "
            "agreement."
        ),
    ),
    DemoLogin(
        "coordinator",
        _("Humanitas: households with a volunteer, only for clients who gave their consent."),
    ),
    DemoLogin(
        "vrijwilliger",
        _(
            "Language buddy: only the assigned households, without identity numbers, health or "
            "documents. Try it on a phone."
        ),
    ),
    DemoLogin(
        "teamleider",
        _("Team leader in Lingebroek: names for assigning households, no dossier content."),
    ),
    DemoLogin(
        "privacy",
        _(
            "Privacy officer: the audit log and the review of break-the-glass access, no dossier "
            "content."
        ),
    ),
    DemoLogin(
        "beheer",
        _("Functional administrator: organisations, users and legal bases, no dossier content."),
    ),
    DemoLogin(
        "duo",
        _(
            "Two memberships: choose whether you act as VluchtelingenWerk professional or as "
            "Humanitas volunteer, and switch."
        ),
    ),
)
DEMO_USERNAMES = tuple(login.username for login in DEMO_LOGINS)


class DemoDataRefused(Exception):
    """The database is not the empty one demo data may be written to."""


@dataclass(frozen=True)
class DemoSummary:
    municipalities: int
    area_teams: int
    organisations: int
    legal_bases: int
    users: int
    memberships: int
    households: int
    clients: int
    involvements: int
    consents: int
    household_members: int = 0
    languages: int = 0
    contact_moments: int = 0
    notes: int = 0
    walk_in_sessions: int = 0
    inburgering_duties: int = 0
    pip_decisions: int = 0
    courses: int = 0
    course_months: int = 0
    measurements: int = 0
    scores: int = 0
    plans: int = 0
    goals: int = 0
    actions: int = 0
    benefits: int = 0
    jobs: int = 0
    enrolments: int = 0
    checklists: int = 0
    checklist_tasks: int = 0


def demo_data_present() -> bool:
    """Organisations or clients exist: demo data (or real data) is already there."""
    return (
        Organisation.objects.exists()
        or Client.objects.exists()
        or Municipality.objects.filter(code__startswith="GM99").exists()
    )


@transaction.atomic
def demo_data_create(
    *,
    seed: int = DEFAULT_SEED,
    today: date,
    municipalities: int = DEFAULT_MUNICIPALITIES,
    clients: int = DEFAULT_CLIENTS,
    timeline_per_client: float = DEFAULT_TIMELINE_PER_CLIENT,
    measurements_per_client: float = DEFAULT_MEASUREMENTS_PER_CLIENT,
    actions_per_client: float = DEFAULT_ACTIONS_PER_CLIENT,
    bench: bool = False,
) -> DemoSummary:
    """Fill an empty database with the demo region; all or nothing.

    `bench` adds what the benchmark acts as (see koers.demo.bench): two regisseurs with a
    caseload of about 15 and 150 clients in area teams of their own, and a regional regisseur
    who serves every municipality. A benchmark dataset may have a single municipality."""
    lowest = 1 if bench else 2
    if not lowest <= municipalities <= MAX_MUNICIPALITIES:
        raise ValueError(f"Choose between {lowest} and {MAX_MUNICIPALITIES} municipalities.")
    if clients < 1:
        raise ValueError("Choose at least one client.")
    if timeline_per_client < 0:
        raise ValueError("Choose zero or more timeline entries per client.")
    if measurements_per_client < 0 or actions_per_client < 0:
        raise ValueError("Choose zero or more measurements and actions per client.")
    if demo_data_present():
        raise DemoDataRefused(
            "The database already holds organisations or clients; demo data is only written "
            "to an empty database."
        )
    taken = set(User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True))
    if taken:
        raise DemoDataRefused(
            f"Users with demo usernames exist already: {', '.join(sorted(taken))}."
        )
    return _Builder(
        seed=seed,
        today=today,
        municipality_count=municipalities,
        client_count=clients,
        timeline_per_client=timeline_per_client,
        measurements_per_client=measurements_per_client,
        actions_per_client=actions_per_client,
        bench=bench,
    ).build()


# --- The builder ----------------------------------------------------------------------------------


@dataclass
class _Person:
    given_names: str
    family_name: str
    adult: bool
    female: bool = False


@dataclass
class _HouseholdPlan:
    municipality_index: int
    area_team: AreaTeam
    origin: Origin
    status: str
    members: list[_Person]
    name: str = ""
    household: Household | None = None
    clients: list[Client] = field(default_factory=list)


def _ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


class _Builder(DossierMixin, TrajectoryMixin):
    def __init__(
        self,
        *,
        seed: int,
        today: date,
        municipality_count: int,
        client_count: int,
        timeline_per_client: float = DEFAULT_TIMELINE_PER_CLIENT,
        measurements_per_client: float = DEFAULT_MEASUREMENTS_PER_CLIENT,
        actions_per_client: float = DEFAULT_ACTIONS_PER_CLIENT,
        bench: bool = False,
    ):
        self.seed = seed
        self.today = today
        self.municipality_count = municipality_count
        self.client_count = client_count
        self.timeline_per_client = timeline_per_client
        self.measurements_per_client = measurements_per_client
        self.actions_per_client = actions_per_client
        self.bench = bench
        self.bench_teams: list[AreaTeam] = []
        self.password_hash = make_password(DEMO_PASSWORD)
        self.usernames: set[str] = set(User.objects.values_list("username", flat=True))
        self.users: list[User] = []
        self.memberships: list[Membership] = []
        # membership -> municipalities / area teams, written as through rows after the insert.
        self.membership_scope: list[tuple[Membership, list[Municipality], list[AreaTeam]]] = []
        self.involvements: list[Involvement] = []
        self.consents: list[Consent] = []
        self.demo: dict[str, Membership] = {}

        from faker import Faker  # a dev dependency: demo and benchmark installations only

        self.faker = Faker("nl_NL")
        self.faker.seed_instance(seed)

    def rng(self, stage: str) -> random.Random:
        """A random stream per stage, so a change in one stage leaves the others as they were."""
        return random.Random(f"koers-demo:{self.seed}:{stage}")

    def days_ago(self, rng: random.Random, low: int, high: int) -> date:
        return self.today - timedelta(days=rng.randint(low, high))

    def build(self) -> DemoSummary:
        self._geography()
        self._organisations()
        self._legal_bases()
        self._plan_households()
        self._staff()
        self._write_staff()
        self._households_and_clients()
        self._dossier()
        self._network()
        self._external_contacts()
        _bulk(Involvement, self.involvements)
        _bulk(Consent, self.consents)
        # The million-row tables: their foreign keys are checked once, after writing.
        timeline = [ContactMoment, ContactMoment.clients.through, Note]
        with foreign_keys_checked_once(timeline + trajectory_models()):
            self._timeline()
            self._trajectory()
        counts = self.counts
        return DemoSummary(
            municipalities=len(self.municipalities),
            area_teams=sum(len(teams) for teams in self.area_teams),
            organisations=len(self.organisations),
            legal_bases=len(self.legal_bases),
            users=len(self.users),
            memberships=len(self.memberships),
            households=len(self.plans),
            clients=sum(len(plan.clients) for plan in self.plans),
            involvements=len(self.involvements),
            consents=len(self.consents),
            household_members=self.counts["household_members"],
            languages=self.counts["languages"],
            contact_moments=self.counts["contact_moments"],
            notes=self.counts["notes"],
            walk_in_sessions=self.counts["walk_in_sessions"],
            inburgering_duties=counts["inburgering_duties"],
            pip_decisions=counts["pip_decisions"],
            courses=counts["courses"],
            course_months=counts["course_months"],
            measurements=counts["measurements"],
            scores=counts["scores"],
            plans=counts["plans"],
            goals=counts["goals"],
            actions=counts["actions"],
            benefits=counts["benefits"],
            jobs=counts["jobs"],
            enrolments=counts["enrolments"],
            checklists=counts["checklists"],
            checklist_tasks=counts["checklist_tasks"],
        )

    # --- geography ---------------------------------------------------------------------------
    def _municipality_names(self) -> list[tuple[str, tuple[str, ...]]]:
        result = list(BASE_MUNICIPALITIES[: self.municipality_count])
        extra = [f"{a}{b}" for b in _NAME_PARTS[1] for a in _NAME_PARTS[0]]
        for index in range(len(result), self.municipality_count):
            name = extra[index - len(BASE_MUNICIPALITIES)]
            result.append((name, _EXTRA_AREA_TEAMS[: 2 + index % 2]))
        return result

    def _geography(self) -> None:
        plan = self._municipality_names()
        self.municipalities = _bulk(
            Municipality,
            [
                _checked(Municipality(code=f"GM99{index + 1:02d}", name=name))
                for index, (name, _teams) in enumerate(plan)
            ],
        )
        teams = [
            _checked(AreaTeam(municipality=municipality, name=team))
            for municipality, (_name, team_names) in zip(self.municipalities, plan, strict=True)
            for team in team_names
        ]
        if self.bench:
            # Area teams of their own for the benchmark's regisseurs (see _bench_caseloads).
            self.bench_teams = [
                _checked(AreaTeam(municipality=self.municipalities[0], name=name))
                for name in BENCH_TEAMS
            ]
        _bulk(AreaTeam, teams + self.bench_teams)
        self.area_teams: list[list[AreaTeam]] = [[] for _ in self.municipalities]
        for team in teams:
            self.area_teams[self.municipalities.index(team.municipality)].append(team)
        # Regions of three: a service centre and a WerkBedrijf serve each.
        self.region_members = [
            self.municipalities[start : start + 3]
            for start in range(0, len(self.municipalities), 3)
        ]
        self.regions = _bulk(
            Region,
            [_checked(Region(name=f"Regio {members[0].name}")) for members in self.region_members],
        )
        Through = Region.municipalities.through
        _bulk(
            Through,
            [
                Through(region_id=region.pk, municipality_id=municipality.pk)
                for region, members in zip(self.regions, self.region_members, strict=True)
                for municipality in members
            ],
        )

    def region_index(self, municipality_index: int) -> int:
        return municipality_index // 3

    # --- organisations and legal bases ---------------------------------------------------------
    def _organisations(self) -> None:
        municipal = OrganisationKind.MUNICIPAL
        partner = OrganisationKind.PARTNER
        served: list[tuple[Organisation, list[Municipality]]] = []
        self.gemeente = []
        for municipality in self.municipalities:
            org = Organisation(name=f"Gemeente {municipality.name}", kind=municipal)
            self.gemeente.append(org)
            served.append((org, [municipality]))
        self.service_centre, self.werkbedrijf = [], []
        for region, members in zip(self.regions, self.region_members, strict=True):
            area = region.name.removeprefix("Regio ")
            centre = Organisation(name=f"Regionaal Servicecentrum {area}", kind=municipal)
            werk = Organisation(name=f"WerkBedrijf {area} e.o.", kind=municipal)
            self.service_centre.append(centre)
            self.werkbedrijf.append(werk)
            served += [(centre, members), (werk, members)]
        self.vluchtelingenwerk = Organisation(name=VLUCHTELINGENWERK, kind=partner)
        self.humanitas = Organisation(name=HUMANITAS, kind=partner)
        # A welfare organisation works in the third municipality of each region.
        self.welfare_municipalities = [
            index for index in range(len(self.municipalities)) if index % 3 == 2
        ] or [len(self.municipalities) - 1]
        self.welfare = {
            index: Organisation(
                name=f"Stichting Welzijn {self.municipalities[index].name}", kind=partner
            )
            for index in self.welfare_municipalities
        }
        self.organisations = _bulk(
            Organisation,
            [
                _checked(org)
                for org in (
                    *self.gemeente,
                    *self.service_centre,
                    *self.werkbedrijf,
                    self.vluchtelingenwerk,
                    self.humanitas,
                    *self.welfare.values(),
                    *self._external_organisations(),
                    *self._bench_organisations(served),
                )
            ],
        )
        Through = Organisation.municipalities.through
        _bulk(
            Through,
            [
                Through(organisation_id=org.pk, municipality_id=municipality.pk)
                for org, members in served
                for municipality in members
            ],
        )

    def _legal_bases(self) -> None:
        year = self.today.year
        current = date(year - 1, 1, 1)
        bases = []
        for index, municipality in enumerate(self.municipalities):
            code = municipality.code
            if index == 0:
                # The agreement before the current one, without health: history to look at.
                bases.append(
                    LegalBasis(
                        organisation=self.vluchtelingenwerk,
                        municipality=municipality,
                        kind=LegalBasisKind.PROCESSOR,
                        sections=PROCESSOR_SECTIONS & ~Section.HEALTH,
                        agreement_reference=f"VWO-{code}-{year - 4}-01",
                        start_date=date(year - 4, 1, 1),
                        end_date=date(year - 2, 12, 31),
                        note="Verwerkersovereenkomst maatschappelijke begeleiding (vervangen).",
                    )
                )
            bases.append(
                LegalBasis(
                    organisation=self.vluchtelingenwerk,
                    municipality=municipality,
                    kind=LegalBasisKind.PROCESSOR,
                    sections=PROCESSOR_SECTIONS,
                    agreement_reference=f"VWO-{code}-{year - 1}-01",
                    start_date=current,
                    note="Verwerkersovereenkomst maatschappelijke begeleiding en gezinshereniging.",
                )
            )
            bases.append(
                LegalBasis(
                    organisation=self.humanitas,
                    municipality=municipality,
                    kind=LegalBasisKind.CONSENT,
                    sections=CONSENT_SECTIONS,
                    agreement_reference=f"HUM-TM-{code}-{year - 1}",
                    start_date=date(year - 1, 3, 1),
                    note="Taalmaatjes, alleen met toestemming van de deelnemer.",
                )
            )
            if index in self.welfare:
                bases.append(
                    LegalBasis(
                        organisation=self.welfare[index],
                        municipality=municipality,
                        kind=LegalBasisKind.COVENANT,
                        sections=COVENANT_SECTIONS,
                        agreement_reference=f"CONV-{code}-{year - 2}-03",
                        start_date=date(year - 2, 7, 1),
                        note="Convenant sociaal domein, zelfstandig verwerkingsverantwoordelijke.",
                    )
                )
        self.legal_bases = _bulk(LegalBasis, [_checked(basis) for basis in bases])

    # --- households -------------------------------------------------------------------------
    def _plan_households(self) -> None:
        rng = self.rng("households")
        weights = [4.0, 3.0, 2.5][: self.municipality_count]
        weights += [3.0] * (self.municipality_count - len(weights))
        statuses = list(ClientStatus.values)
        status_weights = {
            ClientStatus.AANGEMELD: 14,
            ClientStatus.ACTIEF: 60,
            ClientStatus.UITGESTROOMD: 12,
            ClientStatus.VERHUISD: 5,
            ClientStatus.AFGESLOTEN: 9,
        }
        self.plans: list[_HouseholdPlan] = []
        remaining = self.client_count
        while remaining > 0:
            index = rng.choices(range(self.municipality_count), weights)[0]
            origin = rng.choices(names.ORIGINS, names.ORIGIN_WEIGHTS)[0]
            members = _household_members(rng, origin)[:remaining]
            remaining -= len(members)
            head = members[0]
            if origin.convention == names.FAMILY and head.given_names:
                name = head.family_name
            else:
                name = " ".join(part for part in (head.given_names, head.family_name) if part)
            self.plans.append(
                _HouseholdPlan(
                    municipality_index=index,
                    area_team=rng.choice(self.area_teams[index]),
                    origin=origin,
                    status=rng.choices(statuses, [status_weights[s] for s in statuses])[0],
                    members=members,
                    name=name,
                )
            )
        if self.bench:
            self._bench_caseloads()

    def _households_and_clients(self) -> None:
        households = []
        for plan in self.plans:
            plan.household = _checked(
                Household(
                    municipality=self.municipalities[plan.municipality_index],
                    area_team=plan.area_team,
                    name=plan.name,
                    **self._address(plan),
                )
            )
            households.append(plan.household)
        _bulk(Household, households)
        clients = []
        for plan in self.plans:
            for person in plan.members:
                client = _checked(
                    Client(
                        household=plan.household,
                        municipality=plan.household.municipality,
                        area_team=plan.area_team,
                        given_names=person.given_names,
                        family_name=person.family_name,
                        search_key=search_key_for(person.given_names, person.family_name),
                        status=plan.status,
                        **self._client_details(plan, person),
                    )
                )
                plan.clients.append(client)
                clients.append(client)
        _bulk(Client, clients)

    # --- staff ---------------------------------------------------------------------------------
    def _user(self, username: str | None = None) -> User:
        first, last = self.faker.first_name(), self.faker.last_name()
        if username is None:
            base = f"{_ascii_slug(first)[:1]}.{_ascii_slug(last)}"
            username, number = base, 1
            while username in self.usernames:
                number += 1
                username = f"{base}{number}"
        self.usernames.add(username)
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@{EMAIL_DOMAIN}",
            password=self.password_hash,
        )
        self.users.append(user)
        return user

    def _membership(
        self,
        user: User,
        organisation: Organisation,
        role: str,
        *,
        title: str,
        municipalities=(),
        area_teams=(),
        volunteer=False,
        screened=True,
        rng: random.Random,
    ) -> Membership:
        membership = Membership(
            user=user,
            organisation=organisation,
            role=role,
            title=title,
            start_date=self.days_ago(rng, 90, 2400),
        )
        if volunteer and screened:
            membership.vog_checked_on = self.days_ago(rng, 30, 80)
            membership.confidentiality_signed_on = membership.vog_checked_on + timedelta(days=2)
        self.memberships.append(membership)
        self.membership_scope.append((membership, list(municipalities), list(area_teams)))
        return membership

    def _staff(self) -> None:
        rng = self.rng("staff")
        # A benchmark dataset may have one municipality: regisseur2 then works in it too.
        lingebroek, waalhoven = self.gemeente[0], self.gemeente[1 % len(self.gemeente)]
        region = self.region_members[0]
        m0, m1 = self.municipalities[0], self.municipalities[1 % len(self.municipalities)]
        demo = self.demo

        def add(username, organisation, role, title, **kwargs):
            demo[username] = self._membership(
                self._user(username), organisation, role, title=title, rng=rng, **kwargs
            )

        add(
            "regisseur",
            lingebroek,
            Role.REGISSEUR,
            "klantregisseur",
            municipalities=[m0],
            area_teams=[self.area_teams[0][0]],
        )
        add("regisseur2", waalhoven, Role.REGISSEUR, "klantregisseur", municipalities=[m1])
        add(
            "regio", self.service_centre[0], Role.REGISSEUR, "casusregisseur", municipalities=region
        )
        add(
            "klantmanager",
            self.werkbedrijf[0],
            Role.KLANTMANAGER,
            "participatiecoach",
            municipalities=region,
        )
        add("begeleider", self.vluchtelingenwerk, Role.BEGELEIDER, "maatschappelijk begeleider")
        add("coordinator", self.humanitas, Role.COORDINATOR, "vrijwilligerscoördinator")
        add("vrijwilliger", self.humanitas, Role.VRIJWILLIGER, "taalmaatje", volunteer=True)
        add("teamleider", lingebroek, Role.TEAMLEIDER, "teamleider integratie", municipalities=[m0])
        add(
            "privacy",
            lingebroek,
            Role.PRIVACY_OFFICER,
            "functionaris gegevensbescherming",
            municipalities=[m0],
        )
        add(
            "beheer",
            lingebroek,
            Role.FUNCTIONAL_ADMIN,
            "functioneel beheerder",
            municipalities=[m0],
        )
        duo = self._user("duo")
        demo["duo"] = self._membership(
            duo,
            self.vluchtelingenwerk,
            Role.BEGELEIDER,
            title="maatschappelijk begeleider",
            rng=rng,
        )
        demo["duo:vrijwilliger"] = self._membership(
            duo, self.humanitas, Role.VRIJWILLIGER, title="taalmaatje", volunteer=True, rng=rng
        )

        # Colleagues, sized to the caseload: about 45 households per regisseur.
        per_team: dict[int, int] = defaultdict(int)
        for plan in self.plans:
            per_team[id(plan.area_team)] += 1
        self.team_regisseurs: dict[int, list[Membership]] = {}
        for index, teams in enumerate(self.area_teams):
            for position, team in enumerate(teams):
                wanted = max(1, round(per_team[id(team)] / 45))
                if index == 0 and position == 0:
                    self.team_regisseurs[id(team)] = [demo["regisseur"]] + [
                        self._membership(
                            self._user(),
                            self.gemeente[0],
                            Role.REGISSEUR,
                            title="klantregisseur",
                            municipalities=[team.municipality],
                            area_teams=[team],
                            rng=rng,
                        )
                        for _ in range(wanted - 1)
                    ]
                    continue
                self.team_regisseurs[id(team)] = [
                    self._membership(
                        self._user(),
                        self.gemeente[index],
                        Role.REGISSEUR,
                        title="klantregisseur",
                        municipalities=[team.municipality],
                        area_teams=[team],
                        rng=rng,
                    )
                    for _ in range(wanted)
                ]
        households = len(self.plans)
        self.vwn_staff = [
            self._membership(
                self._user(),
                self.vluchtelingenwerk,
                Role.BEGELEIDER,
                title="maatschappelijk begeleider",
                rng=rng,
            )
            for _ in range(max(2, math.ceil(households * 0.7 / 30)))
        ]
        self.volunteers = [
            self._membership(
                self._user(),
                self.humanitas,
                Role.VRIJWILLIGER,
                title="taalmaatje",
                volunteer=True,
                screened=number % 10 != 9,
                rng=rng,
            )
            for number in range(max(2, math.ceil(households * 0.2 / 1.5)))
        ]
        self.klantmanagers = [
            [
                self._membership(
                    self._user(),
                    werk,
                    Role.KLANTMANAGER,
                    title="jobcoach",
                    municipalities=members,
                    rng=rng,
                )
                for _ in range(max(1, math.ceil(households * 0.3 / len(self.regions) / 60)))
            ]
            for werk, members in zip(self.werkbedrijf, self.region_members, strict=True)
        ]
        self.welfare_staff = {
            index: self._membership(
                self._user(), org, Role.BEGELEIDER, title="maatschappelijk werker", rng=rng
            )
            for index, org in self.welfare.items()
        }
        if self.bench:
            self._bench_staff(rng)

    def _write_staff(self) -> None:
        for user in self.users:
            if user.username in DEMO_USERNAMES:
                validate_password(DEMO_PASSWORD, user)  # the printed password must be a valid one
        _bulk(User, [_checked(user) for user in self.users])
        _bulk(Membership, [_checked(membership) for membership in self.memberships])
        Municipalities = Membership.municipalities.through
        AreaTeams = Membership.area_teams.through
        _bulk(
            Municipalities,
            [
                Municipalities(membership_id=membership.pk, municipality_id=municipality.pk)
                for membership, municipalities, _teams in self.membership_scope
                for municipality in municipalities
            ],
        )
        _bulk(
            AreaTeams,
            [
                AreaTeams(membership_id=membership.pk, areateam_id=team.pk)
                for membership, _municipalities, teams in self.membership_scope
                for team in teams
            ],
        )

    # --- the network around each household -----------------------------------------------------
    def _involve(
        self,
        plan: _HouseholdPlan,
        organisation: Organisation,
        role: str,
        membership: Membership | None,
        start: date,
        end: date | None = None,
        **kwargs,
    ) -> Involvement:
        involvement = _checked(
            Involvement(
                household=plan.household,
                organisation=organisation,
                membership=membership,
                role=role,
                start_date=start,
                end_date=end,
                **kwargs,
            )
        )
        self.involvements.append(involvement)
        return involvement

    def _span(self, rng: random.Random, plan: _HouseholdPlan, low: int, high: int):
        """Start and end of an involvement: closed households' involvements have ended."""
        start = self.days_ago(rng, low, high)
        if plan.status in CLOSED_STATUSES:
            start = self.days_ago(rng, max(low, 400), max(high, 900))
            end = min(start + timedelta(days=rng.randint(120, 360)), self.today - timedelta(days=7))
            return start, max(end, start)
        return start, None

    def _network(self) -> None:
        rng = self.rng("network")
        demo = self.demo
        for plan in self.plans:
            self._regisseur(rng, plan)
            index = plan.municipality_index
            region = self.region_index(index)
            # VluchtelingenWerk guides most households; half of the closed ones had it too.
            if (plan.status != ClientStatus.AFGESLOTEN or rng.random() < 0.5) and (
                rng.random() < 0.7
            ):
                if region == 0 and rng.random() < 0.35:
                    begeleider = demo["begeleider"]
                elif region == 0 and rng.random() < 0.08:
                    begeleider = demo["duo"]
                else:
                    begeleider = rng.choice(self.vwn_staff)
                start, end = self._span(rng, plan, 30, 700)
                self._involve(
                    plan, self.vluchtelingenwerk, NetworkRole.BEGELEIDER, begeleider, start, end
                )
            if plan.status in (ClientStatus.ACTIEF, ClientStatus.UITGESTROOMD) and (
                rng.random() < 0.35
            ):
                klantmanager = (
                    demo["klantmanager"]
                    if region == 0 and rng.random() < 0.6
                    else rng.choice(self.klantmanagers[region])
                )
                self._involve(
                    plan,
                    self.werkbedrijf[region],
                    NetworkRole.KLANTMANAGER,
                    klantmanager,
                    self.days_ago(rng, 20, 500),
                )
            if index in self.welfare and rng.random() < 0.3:
                start, end = self._span(rng, plan, 30, 600)
                self._involve(
                    plan,
                    self.welfare[index],
                    NetworkRole.BEGELEIDER,
                    self.welfare_staff[index] if rng.random() < 0.7 else None,
                    start,
                    end,
                )
        self._volunteers()

    def _regisseur(self, rng: random.Random, plan: _HouseholdPlan) -> None:
        demo = self.demo
        index = plan.municipality_index
        if plan.area_team in self.bench_teams:
            # The benchmark's caseloads: every household has the team's one regisseur.
            membership = self.team_regisseurs[id(plan.area_team)][0]
            start = self.days_ago(rng, 20, 900)
            self._involve(plan, self.gemeente[index], NetworkRole.REGISSEUR, membership, start)
            return
        if plan.status in ACTIVE_STATUSES + (ClientStatus.UITGESTROOMD,) and rng.random() < 0.07:
            return  # no regisseur: the signal a later issue raises
        candidates = self.team_regisseurs[id(plan.area_team)]
        organisation = self.gemeente[index]
        if index == 1 and rng.random() < 0.5:
            candidates = [demo["regisseur2"]]
        if self.region_index(index) == 0 and rng.random() < 0.1:
            candidates, organisation = [demo["regio"]], self.service_centre[0]
        membership = rng.choice(candidates)
        start, end = self._span(rng, plan, 20, 900)
        if end is None and rng.random() < 0.15:
            # A handover: the previous regisseur's involvement ended the day before.
            previous = rng.choice(self.team_regisseurs[id(plan.area_team)])
            first = start - timedelta(days=rng.randint(120, 500))
            self._involve(
                plan,
                self.gemeente[index],
                NetworkRole.REGISSEUR,
                previous,
                first,
                start - timedelta(days=1),
            )
        self._involve(plan, organisation, NetworkRole.REGISSEUR, membership, start, end)

    def _volunteers(self) -> None:
        """Humanitas language buddies: the demo volunteer and `duo` get households in the first
        municipality; every assignment rests on the adults' consent."""
        rng = self.rng("volunteers")
        coordinator = self.demo["coordinator"]
        eligible = [
            plan
            for plan in self.plans
            if plan.status in ACTIVE_STATUSES and any(p.adult for p in plan.members)
        ]
        # The demo regisseur's households first: the volunteer's actions show on their plans.
        regisseur = self.demo["regisseur"]
        theirs = {
            id(involvement.household)
            for involvement in self.involvements
            if involvement.membership is regisseur and involvement.end_date is None
        }
        first = sorted(
            (plan for plan in eligible if plan.municipality_index == 0),
            key=lambda plan: id(plan.household) not in theirs,
        )
        chosen = {id(plan) for plan in first[:6]}
        # Fixed assignments for the demo accounts: current ones, one renewed, one ended.
        fixed = [
            (self.demo["vrijwilliger"], "current"),
            (self.demo["vrijwilliger"], "current"),
            (self.demo["vrijwilliger"], "renewed"),
            (self.demo["vrijwilliger"], "ended"),
            (self.demo["duo:vrijwilliger"], "current"),
            (self.demo["duo:vrijwilliger"], "current"),
        ]
        assignments = list(zip(first[:6], fixed, strict=False))
        others = [plan for plan in eligible if id(plan) not in chosen]
        withdrawn_done = False
        for plan in others:
            if rng.random() < 0.2:
                kind = "current"
                if not withdrawn_done:
                    kind, withdrawn_done = "withdrawn", True
                assignments.append((plan, (rng.choice(self.volunteers), kind)))
        for plan, (volunteer, kind) in assignments:
            start = self.days_ago(rng, 10, 300)
            end = renewed = None
            if kind == "renewed":
                start, renewed = self.days_ago(rng, 400, 500), self.days_ago(rng, 20, 60)
            elif kind in ("ended", "withdrawn"):
                start = self.days_ago(rng, 200, 300)
                end = self.days_ago(rng, 10, 60)
            role = NetworkRole.TAALMAATJE if rng.random() < 0.7 else NetworkRole.VRIJWILLIGER
            task = LANGUAGE_BUDDY_TASK if role == NetworkRole.TAALMAATJE else HOME_VISIT_TASK
            self._involve(
                plan,
                self.humanitas,
                role,
                volunteer,
                start,
                end,
                task_sections=task,
                renewed_on=renewed,
            )
            given_on = start - timedelta(days=rng.randint(0, 14))
            for client, person in zip(plan.clients, plan.members, strict=True):
                if not person.adult:
                    continue
                self.consents.append(
                    _checked(
                        Consent(
                            client=client,
                            organisation=self.humanitas,
                            purpose="Taalmaatje"
                            if role == NetworkRole.TAALMAATJE
                            else "Thuisbegeleiding",
                            sections=CONSENT_SECTIONS,
                            text_version=f"HUM-{given_on.year}-1",
                            explained_in_language=plan.origin.language,
                            with_interpreter=rng.random() < plan.origin.interpreter_share,
                            how_given=(
                                Consent.HowGiven.SIGNED
                                if rng.random() < 0.75
                                else Consent.HowGiven.ORAL
                            ),
                            given_on=given_on,
                            ends_on=end if kind == "ended" else given_on + timedelta(days=730),
                            withdrawn_on=end if kind == "withdrawn" else None,
                            recorded_by=coordinator,
                        )
                    )
                )


def _household_members(rng: random.Random, origin: Origin) -> list[_Person]:
    """Singles, couples, single parents and families, named by the origin's convention."""
    if origin is names.UKRAINIAN:
        weights = (25, 10, 40, 25)  # mostly mothers with children
    elif origin is names.TIGRINYA:
        weights = (45, 10, 15, 30)  # many young single adults
    else:
        weights = (28, 12, 13, 47)
    kind = rng.choices(("single", "couple", "single_parent", "family"), weights)[0]
    children = 0
    if kind == "single_parent":
        children = rng.choices((1, 2, 3), (45, 35, 20))[0]
    elif kind == "family":
        children = rng.choices((1, 2, 3, 4, 5), (20, 30, 25, 15, 10))[0]
    single_names = rng.random() < origin.single_name_share

    def person(female: bool, family: str, adult: bool = True) -> _Person:
        given = names.given_name(rng, origin, female=female)
        if single_names:
            return _Person(given_names="", family_name=given, adult=adult, female=female)
        return _Person(given_names=given, family_name=family, adult=adult, female=female)

    if origin.convention == names.PATRONYMIC:
        # A second name is the father's name; Somali names often carry the grandfather's too.
        def paternal() -> str:
            name = names.family_name(rng, origin)
            if origin is names.SOMALI and rng.random() < 0.4:
                name = f"{name} {names.family_name(rng, origin)}"
            return name

        head_female = kind == "single_parent" or (kind == "single" and rng.random() < 0.3)
        head = person(head_female, paternal())
        members = [head]
        if kind in ("couple", "family"):
            members.append(person(True, paternal()))
        father = (
            head.given_names if not head_female else names.given_name(rng, origin, female=False)
        )
        for _ in range(children):
            members.append(person(rng.random() < 0.5, father, adult=False))
        return members

    family = names.family_name(rng, origin)
    head_female = kind == "single_parent" or (kind == "single" and rng.random() < 0.35)
    members = [person(head_female, family)]
    if kind in ("couple", "family"):
        # Arab women keep their own family name; elsewhere the household shares one.
        partner_family = names.family_name(rng, origin) if origin is names.ARABIC else family
        members.append(person(True, partner_family))
    for _ in range(children):
        members.append(person(rng.random() < 0.5, family, adult=False))
    return members
