"""The trajectory part of the demo and benchmark data (issue 4): the inburgering duty, the brede
intake, the leerbaarheidstoets and the PIP decision, the course and its hours, afschalen to A2
after 600 counted hours, enforcement (a warning, then the municipal fine), the instruments (ZRM
and Participatieladder; Positieve Gezondheid where the municipality switched the module on) with
their summaries, the household plan, work and income, and the first-phase checklist.

A mixin of the builder in services.py. Dates are relative to `today` and follow each other as
they do in practice: permit, linked to the municipality, housed (registered in the BRP, DUO's
start signal), brede intake and leerbaarheidstoets, the PIP within about ten weeks (some later:
the radar shows them), the course a few weeks to four months after the PIP. Every stage has its
own random stream (`trajectory-...`), so the same seed and `today` give the same rows.

The volume of measurements and plan actions is set per client (`measurements_per_client`,
`actions_per_client`): the demo gets what a caseload looks like (one to four measurements per
instrument, two to five goals with one to four actions), the benchmark datasets about ten
measurements and five actions per client. These tables are written with `bulk.Rows` (COPY on
PostgreSQL): a national dataset holds millions of scores.

Rows are made as the services make them, without a query per row: the plan's frozen content
has the shape of `plans.selectors.snapshot` with the owner labels of `plans.selectors
.owner_label`; the instrument summaries are computed as `instruments.services
.summaries_recompute` computes them (a test recounts them with that function); every PIP
decision passes `pip.rules` (a test checks them all), an afschalen decision only after the
month in which `inburgering.selectors.hour_counters` counts 600 hours; the letter texts are
`pip.letters.letter_texts_for` of the municipality. Afschalen, enforcement and Positieve
Gezondheid draw from streams of their own: they change none of the other stages' draws.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from koers.clients.constants import ApplicableLaw, ClientStatus, Literacy, NetworkRole, TargetGroup
from koers.clients.models import HouseholdMember
from koers.inburgering.constants import AFSCHALEN_HOURS, MAP_THEME_FIELDS
from koers.pip.constants import lbt_cut_off_on
from koers.pip.rules import add_months

from .bulk import Rows
from .dossier import _at, _weighted

OPEN = (ClientStatus.AANGEMELD, ClientStatus.ACTIEF, ClientStatus.UITGESTROOMD)
CLOSED = (ClientStatus.VERHUISD, ClientStatus.AFGESLOTEN)

# The demo: a caseload as it looks (1-4 measurements per instrument, 2-5 goals of 1-4 actions).
DEFAULT_MEASUREMENTS_PER_CLIENT = 2.0
DEFAULT_ACTIONS_PER_CLIENT = 2.2
# How far back measurements go, and how often a round measures the ZRM besides the ladder.
MEASUREMENT_PERIOD_DAYS = 730
ZRM_SHARE = 0.85
CORRECTION_SHARE = 0.01

ZRM_START = {
    # domain code: (lowest, highest) score at the first measurement
    "financien": (1, 3),
    "werk-opleiding": (1, 2),
    "tijdsbesteding": (2, 3),
    "huisvesting": (2, 4),
    "huiselijke-relaties": (3, 5),
    "geestelijke-gezondheid": (2, 4),
    "lichamelijke-gezondheid": (3, 5),
    "middelengebruik": (4, 5),
    "basale-adl": (4, 5),
    "instrumentele-adl": (2, 3),
    "sociaal-netwerk": (2, 3),
    "maatschappelijke-participatie": (1, 3),
    "justitie": (5, 5),
}
LANGUAGE_FACTORS = ("taal-spreken", "taal-lezen", "taal-schrijven", "taal-verstaan")

PROVIDERS = {
    # route: (name, BoW quality mark) per provider; the municipality's name is added
    "B": (("Taalschool {town}", True), ("NT2 Instituut De Brug", True), ("Het Taalhuis", True)),
    "Z": (("Stichting Meedoen {town}", True), ("Taalschool {town}", True)),
    "O": (("ROC Rivierland", False), ("Hogeschool Waalstad, schakeljaar", False)),
}
HOURS_BOUGHT = {"B": (600, 1000), "Z": (800, 1600), "O": (500, 900)}
# Class hours a month: B1 route 12-15 a week, Z-route fewer plus participation, O more.
MONTH_HOURS = {"B": (40, 60), "Z": (16, 30), "O": (56, 80)}

INTAKE_ANSWERS = {
    "zelfredzaamheid": (
        "Regelt de boodschappen en afspraken zelf; post en digitale zaken nog met hulp.",
        "Heeft hulp nodig bij geldzaken en brieven van instanties.",
        "Redelijk zelfredzaam; vindt de weg in de stad en met het openbaar vervoer.",
    ),
    "taal": (
        "Spreekt een paar woorden Nederlands; leest en schrijft goed in de eigen taal.",
        "Volgde Nederlandse les in het azc; kan zich eenvoudig verstaanbaar maken.",
        "Geen Nederlands; leest en schrijft beperkt in de eigen taal.",
    ),
    "leerbaarheidstoets": (
        "Leerbaarheidstoets aangevraagd; de uitslag staat bij de toets.",
        "Toets afgenomen bij DUO; uitslag besproken.",
    ),
    "opleiding_werk": (
        "Middelbare school afgerond; werkte als kapper in eigen zaak.",
        "Zes jaar basisonderwijs; ervaring in de bouw en de landbouw.",
        "Universitaire opleiding (economie); werkte bij een bank.",
        "Geen formeel onderwijs; werkte in de textiel.",
        "Vakopleiding elektrotechniek; werkte als monteur.",
    ),
    "gezin": (
        "Woont met partner en kinderen; kinderopvang nodig tijdens de lessen.",
        "Alleenstaand; familie woont nog in het land van herkomst.",
        "Zorgt voor de kinderen; partner volgt later via nareis.",
    ),
    "sociaal_netwerk": (
        "Kent enkele landgenoten in de stad; nog weinig contact met buren.",
        "Gaat naar de moskee en het buurthuis; wil graag meer Nederlandse contacten.",
        "Heeft een taalmaatje via Humanitas.",
    ),
    "vve": (
        "Niet van toepassing: geen jonge kinderen.",
        "Jongste kind aangemeld voor een VVE-plek bij de peuterspeelzaal.",
    ),
    "perspectief": (
        "Wil zo snel mogelijk aan het werk, liefst in de techniek.",
        "Wil eerst de taal leren en daarna een opleiding in de zorg.",
        "Wil vrijwilligerswerk doen om Nederlands te oefenen.",
        "Wil op termijn een eigen bedrijf beginnen.",
    ),
}
HEALTH_ANSWERS = {
    "lichamelijke_gezondheid": (
        "Geen beperkingen genoemd die de lessen of het werk in de weg staan.",
        "Kan niet lang staan; rekening houden bij het zoeken naar werk.",
    ),
    "psychische_gezondheid": (
        "Geen bijzonderheden genoemd.",
        "Slaapt slecht door zorgen om familie; is aangemeld bij de huisarts.",
    ),
}
CONCLUSIONS = {
    "B": "B1-route met een taalaanbieder met keurmerk; MAP en PVT in het eerste jaar.",
    "Z": "Z-route: veel oefenen in de praktijk, taal naar het hoogst haalbare niveau.",
    "O": "Onderwijsroute: taalschakeltraject, daarna een mbo- of hbo-opleiding.",
}
SUPPORT = (
    "De regisseur bespreekt de voortgang elke drie maanden; kinderopvang wordt geregeld.",
    "Maatschappelijke begeleiding door VluchtelingenWerk; reiskosten naar de taalschool vergoed.",
)
MONITORING = "Voortgangsgesprek elke drie maanden met de regisseur en de taalaanbieder."
PVT_CONTENT = "Participatieverklaringstraject in het eerste half jaar, 12 uur met een excursie."
MAP_CONTENT = "Module arbeidsmarkt en participatie: 64 uur, waarvan 40 uur praktijk."
PRECONDITIONS = "Kinderopvang op de lesdagen."
MEETINGS = (
    "Voortgang besproken met de taalaanbieder: komt op tijd, maakt goede vorderingen.",
    "Aanwezigheid besproken; afspraken gemaakt over kinderopvang op de lesdagen.",
    "Toetsresultaten doorgenomen; lezen en luisteren gaan goed, spreken blijft lastig.",
)
PVT_ACTIVITIES = "Vier workshops over kernwaarden en een excursie naar het gemeentehuis."
MAP_PLACEMENTS = ("Kringloopwinkel De Vondst", "Zorgcentrum De Linde", "Supermarkt Hoogvliet")
LBT_SUPERVISORS = ("M. de Vries", "A. Bakker", "S. Yilmaz", "J. Visser")

HELP_QUESTIONS = (
    "Wij willen ons snel thuis voelen in de nieuwe woonplaats en de taal leren.",
    "Ik wil werk vinden en mijn gezin zelf kunnen onderhouden.",
    "Wij willen grip op onze geldzaken en de post.",
    "Ik wil mijn opleiding afmaken en daarna werken in de zorg.",
    "Wij willen dat de kinderen goed meekomen op school en wij meer mensen leren kennen.",
)
# Life domain: goal texts and actions (text, preferred owner) for it.
GOALS = {
    "werk_opleiding": (
        ("Binnen een jaar betaald werk, minstens 20 uur per week", "Een mbo-opleiding starten"),
        (
            ("Cv opstellen en oefenen met een sollicitatiegesprek", "klantmanager"),
            ("Diploma's laten waarderen bij IDW", "begeleider"),
            ("Proefplaatsing zoeken bij een werkgever in de buurt", "klantmanager"),
            ("Oriënteren op opleidingen in de zorg en de techniek", "client"),
            ("Samen vacatures bekijken en een brief oefenen", "taalmaatje"),
        ),
    ),
    "financien": (
        ("Zelf de geldzaken regelen zonder achterstanden",),
        (
            ("Toeslagen aanvragen en de beschikkingen controleren", "begeleider"),
            ("Budgetoverzicht maken met de vaste lasten", "begeleider"),
            ("Training financiële zelfredzaamheid volgen", "client"),
            ("Post van de afgelopen maand samen doornemen", "taalmaatje"),
        ),
    ),
    "tijdsbesteding": (
        ("Een vaste dagbesteding naast de taalles",),
        (
            ("Vrijwilligerswerk zoeken in de wijk", "taalmaatje"),
            ("Aanmelden bij het buurthuis voor de naaiclub", "client"),
            ("Sportvereniging zoeken voor het hele gezin", "regisseur"),
        ),
    ),
    "huisvesting": (
        ("Het huis is ingericht en de vaste lasten zijn geregeld",),
        (
            ("Inrichting van de woning afronden", "begeleider"),
            ("Energiecontract en meterstanden regelen", "begeleider"),
            ("Afspraak met de woningcorporatie over reparaties", "client"),
        ),
    ),
    "huiselijke_relaties": (
        ("Rust in het gezin na de gezinshereniging",),
        (
            ("Gesprek met het gezin over de taakverdeling thuis", "regisseur"),
            ("Aanmelden bij de oudercursus van het wijkteam", "regisseur"),
        ),
    ),
    "geestelijke_gezondheid": (
        ("Beter slapen en minder zorgen",),
        (
            ("Afspraak bij de huisarts maken over slaapproblemen", "begeleider"),
            ("Informatie over lotgenotengroepen geven", "regisseur"),
        ),
    ),
    "lichamelijke_gezondheid": (
        ("De gezondheid is op orde: huisarts, tandarts en verzekering",),
        (
            ("Inschrijven bij de tandarts", "begeleider"),
            ("Zwemles voor de kinderen regelen", "client"),
        ),
    ),
    "instrumentele_adl": (
        ("Zelf afspraken maken en de post lezen",),
        (
            ("Oefenen met DigiD en Mijn Overheid", "taalmaatje"),
            ("Fietsles volgen bij het buurthuis", "client"),
            ("Samen de agenda en de afspraken bijhouden", "taalmaatje"),
        ),
    ),
    "sociaal_netwerk": (
        ("Nieuwe contacten in de wijk, ook buiten de eigen gemeenschap",),
        (
            ("Samen naar het taalcafé in de bibliotheek", "taalmaatje"),
            ("Kennismaken met de buren", "client"),
            ("Koppeling aan een taalmaatje regelen", "regisseur"),
        ),
    ),
    "maatschappelijke_participatie": (
        ("Meedoen in de wijk en de school van de kinderen",),
        (
            ("Ouderavond op school bezoeken", "client"),
            ("Bibliotheekpas aanvragen en een activiteit kiezen", "taalmaatje"),
            ("Aanmelden voor vrijwilligerswerk bij de voedselbank", "klantmanager"),
        ),
    ),
}
GOAL_DOMAIN_WEIGHTS = (
    ("werk_opleiding", 30),
    ("financien", 18),
    ("sociaal_netwerk", 14),
    ("maatschappelijke_participatie", 10),
    ("instrumentele_adl", 10),
    ("huisvesting", 8),
    ("tijdsbesteding", 8),
    ("huiselijke_relaties", 4),
    ("lichamelijke_gezondheid", 3),
    ("geestelijke_gezondheid", 3),
)
DONE_NOTES = ("Gedaan.", "Samen geregeld.", "Afgerond, zie het contactmoment.", "")
REVIEW_NOTES = (
    "Voortgang besproken met het gezin; de doelen blijven staan.",
    "Werkdoel aangescherpt; de acties lopen.",
)

EMPLOYERS = (
    ("Bakkerij De Korenaar", "Productiemedewerker"),
    ("Zorgcentrum De Linde", "Helpende zorg"),
    ("Transportbedrijf Van Dijk", "Magazijnmedewerker"),
    ("Schoonmaakbedrijf Glans", "Schoonmaker"),
    ("Installatiebedrijf Brand", "Monteur in opleiding"),
    ("Supermarkt Hoogvliet", "Vakkenvuller"),
    ("Restaurant De Waal", "Keukenhulp"),
)
VOLUNTEER_WORK = (
    ("Voedselbank Lingebroek", "Vrijwilliger uitgifte"),
    ("Kringloopwinkel De Vondst", "Vrijwilliger winkel"),
    ("Buurthuis De Schakel", "Gastvrouw / gastheer"),
)
ENROLMENTS = (
    ("ROC Rivierland", "mbo2", "Helpende zorg en welzijn"),
    ("ROC Rivierland", "mbo3", "Eerste monteur elektrotechniek"),
    ("ROC Rivierland", "entree", "Entreeopleiding logistiek"),
    ("Hogeschool Waalstad", "hbo", "Bedrijfskunde"),
)

# Afschalen on the B1 route: of those whose counted hours (class hours at a BoW provider, remote
# hours for at most half) passed 600, the share for whom the municipality decides it, a few
# weeks after the month in which the count passed 600 (more in the demo regisseur's caseload).
AFSCHALEN_SHARE = 0.15
AFSCHALEN_SHARE_DEMO = 0.5
LANGUAGE_PARTS = (("LE", "reading"), ("LU", "listening"), ("SC", "writing"), ("SP", "speaking"))

# Enforcement of the duty to cooperate: a warning, and the municipal fine (at most EUR 800 under
# the Wi2021) when the client keeps away after it. For a few clients with unexcused absence from
# the lessons (most of those absent without excuse more than once) or a brede intake that
# stalled: the share of each (other caseloads, the demo regisseur's).
ENFORCEMENT_SHARES = {"repeated": (0.6, 0.9), "once": (0.05, 0.3), "intake": (0.1, 0.4)}
FINE_AMOUNTS = (Decimal("150.00"), Decimal("250.00"), Decimal("400.00"))
ABSENCE_WARNING = "Ongeoorloofd afwezig bij de taallessen in {month}."
ABSENCE_FINE = "Na de waarschuwing opnieuw ongeoorloofd afwezig bij de taallessen ({month})."
INTAKE_WARNING = "Niet verschenen op twee afspraken voor de brede intake."
INTAKE_FINE = "Na de waarschuwing niet meegewerkt aan de brede intake."
MONTH_NAMES = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

# Positieve Gezondheid, the optional module: switched on in every fourth municipality (the
# demo's Lingebroek is the first), and a conversation with a share of the adults measured there
# about twice a year.
PG = "positieve-gezondheid"
PG_EVERY = 4
PG_SHARE = 0.4
PG_MAX = 4
PG_START = {
    # dimension: (lowest, highest) mark at the first conversation
    "lichaamsfuncties": (5, 8),
    "mentaal-welbevinden": (3, 7),
    "zingeving": (4, 8),
    "kwaliteit-van-leven": (4, 7),
    "meedoen": (2, 5),
    "dagelijks-functioneren": (4, 7),
}
PG_NOTES = {
    "lichaamsfuncties": ("Rugklachten; afspraak bij de huisarts.", "Moe door slecht slapen."),
    "mentaal-welbevinden": ("Maakt zich zorgen om familie in het land van herkomst.",),
    "zingeving": ("Mist het eigen werk; wil weer iets betekenen.",),
    "kwaliteit-van-leven": ("Woning is klein voor het gezin.",),
    "meedoen": ("Wil graag meer mensen leren kennen.", "Zoekt vrijwilligerswerk in de wijk."),
    "dagelijks-functioneren": ("Post en afspraken lukken nog niet zelf.",),
}


def trajectory_models() -> list:
    """Every model the trajectory stage writes (the builder checks their foreign keys once,
    after writing them: bulk.foreign_keys_checked_once)."""
    from koers.checklist.models import Checklist, ChecklistTask
    from koers.inburgering import models as inburgering
    from koers.instruments.models import (
        ClientInstrumentSummary,
        ClientItemSummary,
        InstrumentSetting,
        Measurement,
        Score,
    )
    from koers.pip import models as pip
    from koers.plans.models import Action, Goal, Plan, PlanReview, PlanVersion
    from koers.profiles.models import LanguageLevel
    from koers.work.models import Benefit, EducationEnrolment, Job

    return [
        Plan,
        PlanVersion,
        PlanReview,
        Goal,
        Goal.members.through,
        Action,
        pip.Intake,
        pip.IntakeAnswer,
        pip.IntakeHealthAnswer,
        pip.LearnabilityTest,
        pip.PipDecision,
        pip.DecisionAppeal,
        inburgering.InburgeringDuty,
        inburgering.TermExtension,
        inburgering.Exemption,
        inburgering.Release,
        inburgering.Course,
        inburgering.CourseMonth,
        inburgering.ProgressMeeting,
        inburgering.ParticipationStatement,
        inburgering.LabourMarketModule,
        inburgering.ExamResult,
        inburgering.Ontzorgen,
        inburgering.EnforcementStep,
        LanguageLevel,
        InstrumentSetting,
        Measurement,
        Score,
        ClientInstrumentSummary,
        ClientItemSummary,
        Benefit,
        Job,
        EducationEnrolment,
        Checklist,
        ChecklistTask,
    ]


def _round(rng: random.Random, value: float) -> int:
    """A whole number with `value` as its expectation."""
    whole = int(value)
    return whole + (rng.random() < value - whole)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass
class _Path:
    """One adult's inburgering, planned before anything is written."""

    plan: object
    client: object
    regisseur: object  # the membership acting for the municipality
    duty_start: date
    registered: date | None
    signal: date | None
    status: str
    route: str = ""
    level: str = ""
    literacy: str = "NVT"
    lbt: tuple | None = None  # (registered, taken, score, cut_off, outcome) or ("exempt", date)
    intake: tuple | None = None  # (started, completed or None)
    pip_on: date | None = None  # the first adopted PIP's dagtekening
    draft: bool = False  # a draft decision, not adopted yet
    switch_on: date | None = None  # a route switch to the Z-route on this date
    other_on: date | None = None  # another change (same route) on this date
    exemption: tuple | None = None  # (kind, DUO's reason code, decided on)
    release: tuple | None = None  # (kind, decided on)
    # Known once written: the adopted decision in force (id, dagtekening), the afschalen
    # decision's dagtekening, the duty status and the months with unexcused absence.
    in_force: int | None = None
    in_force_on: date | None = None
    afschalen_on: date | None = None
    duty_status: str = ""
    unexcused: list[date] = field(default_factory=list)


class TrajectoryMixin:
    """The `_trajectory` stage of services._Builder; see the module docstring."""

    def _trajectory(self) -> None:
        self.rows: dict[str, Rows] = {}
        self._trajectory_setup()
        self._trajectory_paths()
        self._trajectory_plans()
        self._trajectory_pip()
        self._trajectory_inburgering()
        self._trajectory_enforcement()
        self._trajectory_instruments()
        self._trajectory_work()
        self._trajectory_checklist()
        for rows in self.rows.values():
            rows.flush()
        for name, rows in self.rows.items():
            self.counts[name] = rows.count
        missing = {rows.model for rows in self.rows.values()} - set(trajectory_models())
        assert not missing, f"add {missing} to trajectory_models()"

    # --- setup ----------------------------------------------------------------------------------
    def _rows(self, key: str, model, fields, *, ids: bool = False, objects=None) -> Rows:
        """A writer of the stage, counted in the summary under `key`."""
        self.rows[key] = Rows(model, fields, ids=ids, objects=objects)
        return self.rows[key]

    def _trajectory_setup(self) -> None:
        today = self.today
        self.network: dict[int, list] = defaultdict(list)  # household pk -> active involvements
        self.regisseur_of: dict[int, object] = {}
        for involvement in self.involvements:
            if involvement.start_date > today or (
                involvement.end_date is not None and involvement.end_date < today
            ):
                continue
            household = involvement.household.pk
            self.network[household].append(involvement)
            if involvement.role == NetworkRole.REGISSEUR and involvement.membership is not None:
                self.regisseur_of[household] = involvement
        self.member_of = dict(
            HouseholdMember.objects.filter(client__isnull=False).values_list("client_id", "pk")
        )

    def _acting(self, plan):
        """The membership acting for the municipality in this household: its regisseur, else
        the area team's first regisseur."""
        involvement = self.regisseur_of.get(plan.household.pk)
        if involvement is not None:
            return involvement.membership
        return self.team_regisseurs[id(plan.area_team)][0]

    def _involved(self, plan, *roles):
        """The household's current involvements of people in Koers with one of `roles`."""
        return [
            involvement
            for involvement in self.network.get(plan.household.pk, ())
            if involvement.membership is not None and involvement.role in roles
        ]

    def _adults(self, plan):
        return [
            (client, person)
            for client, person in zip(plan.clients, plan.members, strict=True)
            if person.adult
        ]

    # --- the inburgering path of every adult under the Wi2021 ------------------------------------
    def _trajectory_paths(self) -> None:
        rng = self.rng("trajectory-paths")
        today = self.today
        self.paths: list[_Path] = []
        self.path_of: dict[int, _Path] = {}
        for plan in self.plans:
            for client, person in self._adults(plan):
                if client.applicable_law != ApplicableLaw.WI2021:
                    continue
                housed = client.housing_date
                signal = None
                if housed is not None and rng.random() < 0.9:
                    signal = min(housed + timedelta(days=rng.randint(0, 10)), today)
                path = _Path(
                    plan=plan,
                    client=client,
                    regisseur=self._acting(plan),
                    duty_start=client.permit_date,
                    registered=housed,
                    signal=signal,
                    status="plichtig",
                )
                self._plan_route(rng, path, person)
                self.paths.append(path)
                self.path_of[client.pk] = path

    def _plan_route(self, rng: random.Random, path: _Path, person) -> None:
        today = self.today
        client = path.client
        start = path.signal or path.registered
        draw = rng.random()
        if start is not None and draw < 0.03:
            decided = min(start + timedelta(days=rng.randint(20, 120)), today)
            path.exemption = ("geheel", rng.choice(("DIP", "DOC", "AVI")), decided)
            path.status = "vrijgesteld"
            return
        if start is not None and draw < 0.05:
            decided = min(start + timedelta(days=rng.randint(20, 120)), today)
            path.exemption = ("tijdelijk", rng.choice(("OPL", "INS")), decided)
            path.status = "tijdelijk_vrijgesteld"
            return
        if start is not None and draw < 0.07:
            decided = min(start + timedelta(days=rng.randint(30, 200)), today)
            path.release = ("geheel", decided)
            path.status = "ontheven"
            return
        if client.literacy == Literacy.ILLITERATE:
            path.literacy = "A"
        elif client.literacy == Literacy.OTHER_SCRIPT:
            path.literacy = "AA"
        age = person.age
        if client.literacy == Literacy.ILLITERATE and rng.random() < 0.7:
            route = "Z"
        elif age < 28 and client.literacy != Literacy.ILLITERATE and rng.random() < 0.2:
            route = "O"
        else:
            route = "B"
        if start is None:
            path.route = route
            return
        # The brede intake and the leerbaarheidstoets, then the PIP within 6-14 weeks.
        lag = rng.choice((6, 7, 8, 8, 9, 9, 10, 10, 10, 11, 12, 14)) * 7 + rng.randint(-3, 3)
        pip_on = max(start + timedelta(days=lag), path.duty_start, path.registered or start)
        # A few are stuck past the norm without a PIP (the radar shows them).
        # (More in the demo regisseur's caseload, so the demo shows them.)
        stuck = 0.2 if path.regisseur is self.demo["regisseur"] else 0.06
        waiting = pip_on > today or rng.random() < stuck
        intake_start = start + timedelta(days=rng.randint(7, 28))
        if intake_start <= today:
            completed = intake_start + timedelta(days=rng.randint(0, 10))
            if completed > today or completed >= pip_on or (waiting and rng.random() < 0.4):
                completed = None  # still a draft
            path.intake = (intake_start, completed)
        if route != "O" and intake_start <= today:
            if rng.random() < 0.015 and intake_start >= date(2023, 1, 1):
                path.lbt = ("exempt", intake_start)
            else:
                registered = start + timedelta(days=rng.randint(3, 14))
                taken = registered + timedelta(days=rng.randint(7, 21))
                if taken < pip_on and taken <= today:
                    cut_off = lbt_cut_off_on(taken)
                    score = Decimal(max(0, min(40, round(rng.gauss(30, 6))))).quantize(
                        Decimal("0.01")
                    )
                    outcome = "haalbaar" if score >= cut_off else "niet_haalbaar"
                    path.lbt = (registered, taken, score, cut_off, outcome)
                    if outcome == "niet_haalbaar" and route == "B" and rng.random() < 0.6:
                        route = "Z"
                elif registered <= today:
                    path.lbt = (registered, None, None, None, "")
        path.route = route
        path.level = "B1" if route == "B" else ""
        completed = path.intake is not None and path.intake[1] is not None
        if waiting or not completed:
            # No PIP yet: the 10-week clock runs, or ran out; half of those with a completed
            # intake have a draft decision.
            path.draft = completed and rng.random() < 0.6
            return
        path.pip_on = pip_on
        months = (today - pip_on).days / 30.4
        if route == "B" and months > 4 and rng.random() < 0.08:
            switch = add_months(pip_on, rng.randint(4, min(14, int(months))))
            if switch <= today:
                path.switch_on = switch
        elif months > 3 and rng.random() < 0.03:
            other = pip_on + timedelta(days=rng.randint(60, int(months * 30)))
            if other <= today:
                path.other_on = other

    # --- the household plan ----------------------------------------------------------------------
    def _trajectory_plans(self) -> None:
        from koers.plans.models import Action, Goal, Plan, PlanReview, PlanVersion

        rng = self.rng("trajectory-plans")
        writers = {
            "plans": self._rows(
                "plans", Plan, ("household", "help_question", "created_at", "created_by"), ids=True
            ),
            "versions": self._rows(
                "plan_versions",
                PlanVersion,
                (
                    "plan",
                    "number",
                    "status",
                    "based_on",
                    "created_at",
                    "created_by",
                    "established_on",
                    "established_by",
                    "review_due_on",
                    "content",
                ),
                ids=True,
            ),
            "reviews": self._rows(
                "plan_reviews",
                PlanReview,
                ("version", "reviewed_on", "outcome", "note", "next_review_on", "reviewed_by"),
            ),
            "goals": self._rows(
                "goals",
                Goal,
                (
                    "plan",
                    "life_domain",
                    "description",
                    "priority",
                    "target_score",
                    "status",
                    "closed_on",
                    "created_at",
                ),
                ids=True,
            ),
            "members": self._rows(
                "goal_members", Goal.members.through, ("goal_id", "householdmember_id")
            ),
            "actions": self._rows(
                "actions",
                Action,
                (
                    "plan",
                    "goal",
                    "description",
                    "owner_involvement",
                    "owner_organisation",
                    "owner_client",
                    "due_on",
                    "review_on",
                    "status",
                    "closed_on",
                    "closed_by",
                    "done_note",
                    "created_at",
                ),
                ids=True,
            ),
        }
        regisseur = self.demo["regisseur"]
        share = {ClientStatus.ACTIEF: 0.92, ClientStatus.UITGESTROOMD: 0.8}
        chosen = [
            plan
            for plan in self.plans
            if plan.status in OPEN
            and self.network.get(plan.household.pk)
            and rng.random()
            < (0.97 if self._acting(plan) is regisseur else share.get(plan.status, 0.5))
        ]
        wanted = self.actions_per_client * self.client_count
        self.actions_per_goal = wanted / max(1, len(chosen) * 3.5)
        self.owner_labels: dict[str, str] = {}
        # household pk -> [(plan version id, established on)]: what a PIP can adopt
        self.adoptable: dict[int, list[tuple[int, date]]] = defaultdict(list)
        for plan in chosen:
            self._household_plan(rng, plan, writers)

    def _household_plan(self, rng: random.Random, plan, writers) -> None:
        """One household's plan: dates, goals with their actions carried out since, and the
        versions with their frozen content and reviews."""
        today = self.today
        acting = self._acting(plan)
        household = plan.household.pk
        paths = [self.path_of[c.pk] for c in plan.clients if c.pk in self.path_of]
        first_pip = min((p.pip_on for p in paths if p.pip_on), default=None)
        begun = max(plan.clients[0].koppeling_date or today, today - timedelta(days=700))
        started = min(begun + timedelta(days=rng.randint(10, 40)), today)
        established = min(started + timedelta(days=rng.randint(7, 28)), today)
        if first_pip is not None and first_pip >= begun:
            # The PIP adopts the household's plan: established shortly before it.
            established = max(begun, first_pip - timedelta(days=rng.randint(0, 7)))
            started = max(begun, established - timedelta(days=rng.randint(5, 20)))
        concept_only = (today - started).days < 60 and rng.random() < 0.5
        revised = not concept_only and (today - established).days > 220 and rng.random() < 0.12
        second = established + timedelta(days=rng.randint(120, 200)) if revised else None
        help_question = rng.choice(HELP_QUESTIONS)
        plan_id = writers["plans"].add(household, help_question, _at(started, rng), acting.pk)
        network = self.network[household]
        adults = self._adults(plan)
        # As snapshot() writes them, with "later": added by the revision, not in version 1.
        goals, actions = [], []
        count = rng.randint(2, 5)
        for number in range(count):
            later = revised and number == count - 1  # added by the revision
            base = second if later else established
            created = second - timedelta(days=rng.randint(1, 14)) if later else started
            domain = _weighted(rng, GOAL_DOMAIN_WEIGHTS)
            texts, steps = GOALS[domain]
            members = []
            if adults and rng.random() < 0.5:
                client = rng.choice(adults)[0]
                if client.pk in self.member_of:
                    members = [self.member_of[client.pk]]
            reached = not concept_only and rng.random() < 0.1
            planned = []
            for _ in range(max(1, _round(rng, self.actions_per_goal * rng.uniform(0.4, 1.6)))):
                text, role = rng.choice(steps)
                owner = self._owner(rng, plan, role, network, adults)
                due = base + timedelta(days=rng.randint(14, 210))
                review = None
                if rng.random() < 0.3:
                    review = due - timedelta(days=rng.randint(7, 30))
                    review = review if review > base else None
                if concept_only:
                    status = "open"
                elif reached:
                    status = "gedaan"
                elif due < today:
                    status = _weighted(
                        rng, (("gedaan", 62), ("vervallen", 8), ("bezig", 12), ("open", 18))
                    )
                else:
                    status = _weighted(rng, (("gedaan", 20), ("bezig", 30), ("open", 50)))
                closed_on = closed_by = None
                note = ""
                if status in ("gedaan", "vervallen"):
                    span = max(0, (min(due + timedelta(days=14), today) - base).days)
                    closed_on = min(base + timedelta(days=rng.randint(0, span)), today)
                    person = owner.get("involvement")
                    closed_by = (
                        person.membership.pk
                        if person is not None and status == "gedaan"
                        else acting.pk
                    )
                    note = rng.choice(DONE_NOTES) if status == "gedaan" else ""
                planned.append((text, owner, due, review, status, closed_on, closed_by, note))
            closed = max(p[5] for p in planned) if reached else None
            goal = {
                "later": later,
                "life_domain": domain,
                "description": rng.choice(texts),
                "priority": _weighted(rng, (("hoog", 35), ("middel", 45), ("laag", 20))),
                "target_score": rng.randint(3, 5),
                "members": sorted(members),
            }
            goal["id"] = writers["goals"].add(
                plan_id,
                domain,
                goal["description"],
                goal["priority"],
                goal["target_score"],
                "bereikt" if reached else "open",
                closed,
                _at(created, rng),
            )
            goals.append(goal)
            for member in members:
                writers["members"].add(goal["id"], member)
            for text, owner, due, review, status, closed_on, closed_by, note in planned:
                key, label, owners = self._owner_fields(owner)
                action_id = writers["actions"].add(
                    plan_id,
                    goal["id"],
                    text,
                    *owners,
                    due,
                    review,
                    status,
                    closed_on,
                    closed_by,
                    note,
                    _at(created, rng),
                )
                actions.append(
                    {
                        "id": action_id,
                        "goal": goal["id"],
                        "description": text,
                        "owner": key,
                        "owner_label": label,
                        "due_on": due.isoformat(),
                        "review_on": review.isoformat() if review else None,
                        "later": later,
                    }
                )
        self._plan_versions(
            rng,
            writers,
            plan_id=plan_id,
            household=household,
            acting=acting,
            started=started,
            established=established,
            second=second,
            concept_only=concept_only,
            help_question=help_question,
            goals=goals,
            actions=actions,
        )

    def _owner(self, rng: random.Random, plan, role: str, network, adults) -> dict:
        """An owner of the preferred kind from the household's current network (the regisseur,
        VluchtelingenWerk's begeleider, the volunteer, the klantmanager), or the client; now and
        then the begeleider's organisation. Falls back to the regisseur."""
        if role == "client" and adults:
            return {"client": rng.choice(adults)[0]}
        roles = {
            "regisseur": (NetworkRole.REGISSEUR,),
            "begeleider": (NetworkRole.BEGELEIDER,),
            "taalmaatje": (NetworkRole.TAALMAATJE, NetworkRole.VRIJWILLIGER),
            "klantmanager": (NetworkRole.KLANTMANAGER,),
        }.get(role, ())
        people = [i for i in network if i.membership is not None and i.role in roles]
        if people:
            involvement = rng.choice(people)
            if role == "begeleider" and rng.random() < 0.15:
                return {"organisation": involvement.organisation}
            return {"involvement": involvement}
        regisseur = self.regisseur_of.get(plan.household.pk)
        if regisseur is not None:
            return {"involvement": regisseur}
        staffed = [i for i in network if i.membership is not None]
        if staffed:
            return {"involvement": rng.choice(staffed)}
        if adults:
            return {"client": rng.choice(adults)[0]}
        return {"organisation": network[0].organisation}

    def _owner_fields(self, owner: dict) -> tuple[str, str, tuple]:
        """The owner key and label as the plan's snapshot writes them (plans.selectors
        .owner_label, once per owner), and the three owner columns."""
        from koers.plans.constants import OWNER_CLIENT, OWNER_INVOLVEMENT, OWNER_ORGANISATION
        from koers.plans.models import Action
        from koers.plans.selectors import owner_label

        if "involvement" in owner:
            value = owner["involvement"]
            key, kwargs = f"{OWNER_INVOLVEMENT}:{value.pk}", {"owner_involvement": value}
            columns = (value.pk, None, None)
        elif "organisation" in owner:
            value = owner["organisation"]
            key, kwargs = f"{OWNER_ORGANISATION}:{value.pk}", {"owner_organisation": value}
            columns = (None, value.pk, None)
        else:
            value = owner["client"]
            key, kwargs = f"{OWNER_CLIENT}:{value.pk}", {"owner_client": value}
            columns = (None, None, value.pk)
        if key not in self.owner_labels:
            self.owner_labels[key] = owner_label(Action(**kwargs))
        return key, self.owner_labels[key], columns

    @staticmethod
    def _content(help_question: str, goals: list, actions: list, *, first: bool) -> dict:
        """The plan as it stood when a version was established (plans.selectors.snapshot):
        every goal and action open then; a first version of a revised plan without what the
        revision added."""
        keep = [g for g in goals if not (first and g["later"])]
        return {
            "help_question": help_question,
            "goals": [
                {
                    "id": g["id"],
                    "life_domain": g["life_domain"],
                    "description": g["description"],
                    "priority": g["priority"],
                    "target_score": g["target_score"],
                    "members": g["members"],
                    "status": "open",
                }
                for g in keep
            ],
            "actions": [
                {
                    "id": a["id"],
                    "goal": a["goal"],
                    "description": a["description"],
                    "owner": a["owner"],
                    "owner_label": a["owner_label"],
                    "due_on": a["due_on"],
                    "review_on": a["review_on"],
                    "status": "open",
                }
                for a in actions
                if not (first and a["later"])
            ],
        }

    def _plan_versions(
        self,
        rng,
        writers,
        *,
        plan_id,
        household,
        acting,
        started,
        established,
        second,
        concept_only,
        help_question,
        goals,
        actions,
    ) -> None:
        today = self.today
        versions, reviews = writers["versions"], writers["reviews"]
        created = _at(started, rng)
        if concept_only:
            versions.add(plan_id, 1, "concept", None, created, acting.pk, None, None, None, None)
            return
        content = self._content(help_question, goals, actions, first=second is not None)
        review_due = established + timedelta(days=rng.randint(90, 180))
        if second is not None:
            # Revised: the first version stays in force until the second is established.
            first = versions.add(
                plan_id,
                1,
                "herzien",
                None,
                created,
                acting.pk,
                established,
                acting.pk,
                None,
                content,
            )
            self.adoptable[household].append((first, established))
            reviewed = second - timedelta(days=rng.randint(5, 20))
            reviews.add(first, reviewed, "herzien", rng.choice(REVIEW_NOTES), None, acting.pk)
            if rng.random() < 0.7:
                due = second + timedelta(days=rng.randint(90, 180))
                full = self._content(help_question, goals, actions, first=False)
                version = versions.add(
                    plan_id,
                    2,
                    "vastgesteld",
                    first,
                    _at(reviewed, rng),
                    acting.pk,
                    second,
                    acting.pk,
                    due,
                    full,
                )
                self.adoptable[household].append((version, second))
            else:
                versions.add(
                    plan_id,
                    2,
                    "concept",
                    first,
                    _at(reviewed, rng),
                    acting.pk,
                    None,
                    None,
                    None,
                    None,
                )
            return
        history = []
        while review_due < today and rng.random() < 0.6:
            reviewed = min(review_due + timedelta(days=rng.randint(-10, 20)), today)
            reviewed = max(reviewed, established + timedelta(days=1))
            following = reviewed + timedelta(days=rng.randint(90, 180))
            history.append((reviewed, following))
            review_due = following
        version = versions.add(
            plan_id,
            1,
            "geevalueerd" if history else "vastgesteld",
            None,
            created,
            acting.pk,
            established,
            acting.pk,
            review_due,
            content,
        )
        self.adoptable[household].append((version, established))
        for reviewed, following in history:
            reviews.add(
                version, reviewed, "doorgaan", rng.choice(REVIEW_NOTES), following, acting.pk
            )

    # --- brede intake, leerbaarheidstoets, PIP decisions ---------------------------------------
    def _trajectory_pip(self) -> None:
        from koers.pip.letters import letter_texts_for
        from koers.pip.models import (
            DecisionAppeal,
            Intake,
            IntakeAnswer,
            IntakeHealthAnswer,
            LearnabilityTest,
            PipDecision,
        )

        rng = self.rng("trajectory-pip")
        self.letters = [letter_texts_for(municipality) for municipality in self.municipalities]
        intakes = self._rows(
            "intakes",
            Intake,
            (
                "client",
                "status",
                "started_on",
                "conducted_by",
                "completed_on",
                "completed_by",
                "dutch_level_estimate",
                "proposed_route",
                "proposed_level",
                "proposed_literacy",
                "conclusion",
            ),
            ids=True,
        )
        answers = self._rows("intake_answers", IntakeAnswer, ("intake", "topic", "answer"))
        health = self._rows(
            "intake_health_answers", IntakeHealthAnswer, ("intake", "topic", "answer")
        )
        tests = self._rows(
            "learnability_tests",
            LearnabilityTest,
            (
                "client",
                "registered_on",
                "supervisor_name",
                "exam_number",
                "outcome",
                "score",
                "cut_off",
                "taken_on",
                "exemption",
                "exempted_on",
                "recorded_by",
            ),
        )
        self.decisions = self._rows(
            "pip_decisions",
            PipDecision,
            (
                "client",
                "municipality",
                "reason",
                "status",
                "supersedes",
                "intake",
                "plan_version",
                "learning_route",
                "level",
                "estimated_intensity_hours",
                "may_finish_current_study",
                "literacy",
                "education_target_level",
                "preconditions",
                "support",
                "pvt_content",
                "map_content",
                "monitoring",
                "dagtekening",
                "handed_out_on",
                "reported_on",
                "created_by",
                "finalised_by",
                "finalised_at",
                "letter",
                "created_at",
            ),
            ids=True,
        )
        appeals = self._rows(
            "pip_appeals",
            DecisionAppeal,
            ("decision", "kind", "received_on", "decided_on", "outcome", "note", "recorded_by"),
        )
        for path in self.paths:
            client, acting = path.client, path.regisseur
            intake = None
            if path.intake is not None:
                started, completed = path.intake
                done = completed is not None
                intake = intakes.add(
                    client.pk,
                    "afgerond" if done else "concept",
                    started,
                    acting.pk,
                    completed,
                    acting.pk if done else None,
                    _weighted(rng, (("A0", 40), ("A1", 40), ("A2", 20))),
                    path.route if done else "",
                    path.level if done else "",
                    path.literacy if done else "",
                    CONCLUSIONS[path.route] if done else "",
                )
                topics = list(INTAKE_ANSWERS)
                for topic in topics if done else topics[: rng.randint(1, 5)]:
                    answers.add(intake, topic, rng.choice(INTAKE_ANSWERS[topic]))
                if done:
                    for topic, texts in HEALTH_ANSWERS.items():
                        health.add(intake, topic, rng.choice(texts))
            if path.lbt is not None:
                if path.lbt[0] == "exempt":
                    kind = rng.choice(("visueel", "auditief"))
                    tests.add(
                        client.pk, None, "", "", "", None, None, None, kind, path.lbt[1], acting.pk
                    )
                else:
                    registered, taken, score, cut_off, outcome = path.lbt
                    tests.add(
                        client.pk,
                        registered,
                        rng.choice(LBT_SUPERVISORS),
                        f"LBT{rng.randint(10_000_000, 99_999_999)}",
                        outcome,
                        score,
                        cut_off,
                        taken,
                        "",
                        None,
                        acting.pk,
                    )
            if path.pip_on is not None:
                self._decisions(rng, path, intake, appeals)
            elif path.draft:
                self._decision(rng, path, "eerste", None, None, intake, path.route, path.level)

    def _decision(self, rng, path, reason, on, supersedes, intake, route, level) -> int:
        """One decision: adopted on `on` (its status by how long ago), or a draft without. It
        supersedes the decision in force (`supersedes`, an id), if any."""
        today = self.today
        client, acting = path.client, path.regisseur
        household = path.plan.household.pk
        adopted = [
            version
            for version, established in self.adoptable.get(household, ())
            if on and established <= on
        ]
        hours = None
        if route == "B" and client.target_group in (TargetGroup.ASIEL, TargetGroup.NAREIZIGER):
            hours = rng.randint(300, 1200) if rng.random() < 0.7 else None
        children = any(not person.adult for person in path.plan.members)
        handed = reported = finalised = None
        status = "concept"
        if on is not None:
            age = (today - on).days
            finalised = _at(on, rng)
            if age < 3:
                status = "vastgesteld"
            else:
                handed = on + timedelta(days=rng.randint(0, min(age, 6)))
                status = "uitgereikt"
                if age >= 14:
                    reported = min(handed + timedelta(days=rng.randint(0, 7)), today)
                    status = "gemeld"
        created = _at(on - timedelta(days=rng.randint(1, 10)) if on else self.today, rng)
        return self.decisions.add(
            client.pk,
            self.municipalities[path.plan.municipality_index].pk,
            reason,
            status,
            supersedes,
            intake,
            adopted[-1] if adopted else None,
            route,
            level,
            hours,
            route == "O" and rng.random() < 0.3,
            path.literacy,
            rng.choice(("B1", "B2")) if route == "O" else "",
            PRECONDITIONS if children else "",
            rng.choice(SUPPORT),
            PVT_CONTENT,
            MAP_CONTENT if route != "O" else "",
            MONITORING,
            on,
            handed,
            reported,
            acting.pk,
            acting.pk if on else None,
            finalised,
            self.letters[path.plan.municipality_index] if on else {},
            created,
        )

    def _decisions(self, rng, path, intake, appeals) -> None:
        """The first PIP, and for a few a later decision that supersedes it: a switch from the
        B1 route to the Z-route within 18 months, or another change on the same route."""
        first = self._decision(
            rng, path, "eerste", path.pip_on, None, intake, path.route, path.level
        )
        latest, on = first, path.pip_on
        if path.switch_on is not None:
            latest = self._decision(
                rng, path, "leerroutewissel", path.switch_on, first, None, "Z", ""
            )
            on = path.switch_on
        elif path.other_on is not None:
            latest = self._decision(
                rng, path, "wijziging", path.other_on, first, None, path.route, path.level
            )
            on = path.other_on
        path.in_force, path.in_force_on = latest, on
        if rng.random() < 0.03:
            received = on + timedelta(days=rng.randint(10, 40))
            if received <= self.today:
                decided = received + timedelta(days=rng.randint(20, 60))
                decided = decided if decided <= self.today else None
                outcome = (
                    _weighted(rng, (("ongegrond", 70), ("gegrond", 15), ("ingetrokken", 15)))
                    if decided
                    else ""
                )
                appeals.add(latest, "bezwaar", received, decided, outcome, "", path.regisseur.pk)

    # --- the inburgering: duty, term, exemptions, course and hours, PVT, MAP, exams --------------
    def _trajectory_inburgering(self) -> None:
        from koers.inburgering.models import (
            Course,
            CourseMonth,
            ExamResult,
            Exemption,
            InburgeringDuty,
            LabourMarketModule,
            Ontzorgen,
            ParticipationStatement,
            ProgressMeeting,
            Release,
            TermExtension,
        )
        from koers.profiles.models import LanguageLevel

        rng = self.rng("trajectory-inburgering")
        # Afschalen draws from a stream of its own: the rest stays as it was without it.
        self.afschalen_rng = self.rng("trajectory-afschalen")
        today = self.today
        w = {
            "duties": self._rows(
                "inburgering_duties",
                InburgeringDuty,
                (
                    "client",
                    "status",
                    "duty_start_on",
                    "start_signal_on",
                    "municipality_registered_on",
                    "term_starts_on",
                    "term_ends_on",
                ),
            ),
            "extensions": self._rows(
                "term_extensions",
                TermExtension,
                ("client", "reason", "decided_on", "new_end_on", "previous_end_on"),
            ),
            "exemptions": self._rows(
                "exemptions",
                Exemption,
                ("client", "kind", "outcome", "decided_on", "reason", "starts_on", "ends_on"),
            ),
            "releases": self._rows(
                "releases",
                Release,
                ("client", "kind", "outcome", "decided_on", "ground", "exam_part"),
            ),
            "courses": self._rows(
                "courses",
                Course,
                (
                    "client",
                    "provider_name",
                    "provider_number",
                    "provider_bow",
                    "course_type",
                    "literacy",
                    "starts_on",
                    "ends_on",
                    "hours_bought",
                ),
                ids=True,
            ),
            "months": self._rows(
                "course_months",
                CourseMonth,
                (
                    "course",
                    "month",
                    "hours_attended",
                    "hours_remote",
                    "hours_participation",
                    "hours_absent",
                    "absence_reason",
                ),
            ),
            "meetings": self._rows(
                "progress_meetings",
                ProgressMeeting,
                ("client", "course", "held_on", "summary"),
            ),
            "pvt": self._rows(
                "pvts",
                ParticipationStatement,
                ("client", "provider", "hours", "activities", "signed_on"),
            ),
            "map": self._rows(
                "maps",
                LabourMarketModule,
                (
                    "client",
                    "placement",
                    "practical_hours",
                    *MAP_THEME_FIELDS,
                    "final_meeting_on",
                ),
            ),
            "exams": self._rows(
                "exam_results",
                ExamResult,
                ("client", "part", "level", "result", "no_result_reason", "exam_on"),
            ),
            "levels": self._rows(
                "language_levels",
                LanguageLevel,
                ("client", "skill", "level", "source", "assessed_on", "recorded_by"),
            ),
            "ontzorgen": self._rows(
                "ontzorgen",
                Ontzorgen,
                (
                    "client",
                    "starts_on",
                    "ends_on",
                    "pays_rent",
                    "pays_energy_water",
                    "pays_health_insurance",
                    "financial_training",
                ),
            ),
        }
        numbers: dict[str, str] = {}
        for path in self.paths:
            client = path.client
            if path.exemption is not None:
                kind, reason, decided = path.exemption
                period = (decided, add_months(decided, rng.choice((12, 18, 24))))
                w["exemptions"].add(
                    client.pk,
                    kind,
                    "toekenning",
                    decided,
                    reason,
                    *(period if kind == "tijdelijk" else (None, None)),
                )
            elif path.pip_on is not None and rng.random() < 0.01:
                w["exemptions"].add(
                    client.pk, "geheel", "afwijzing", path.pip_on, "AVI", None, None
                )
            if path.release is not None:
                w["releases"].add(client.pk, "geheel", "toekenning", path.release[1], "MED", "")
            elif path.pip_on is not None and rng.random() < 0.01:
                decided = path.pip_on + timedelta(days=rng.randint(30, 200))
                if decided <= today:
                    w["releases"].add(client.pk, "gedeeltelijk", "toekenning", decided, "MED", "SC")
            term_start = term_end = None
            if path.pip_on is not None and (today - path.pip_on).days > 28:
                term_start, term_end = path.pip_on, add_months(path.pip_on, 36)
                decided = add_months(term_start, rng.randint(12, 30))
                if decided <= today and rng.random() < 0.05:
                    reason = (
                        "alfabetisering"
                        if path.literacy == "A"
                        else rng.choice(("ziekte", "overig"))
                    )
                    new_end = add_months(term_end, rng.choice((6, 9, 12)))
                    w["extensions"].add(client.pk, reason, decided, new_end, term_end)
                    term_end = new_end
            status = path.status
            if path.pip_on is not None and self._course(rng, path, w, numbers):
                status = "voldaan"
            if path.registered is not None and path.status == "plichtig" and rng.random() < 0.4:
                starts = path.registered + timedelta(days=rng.randint(0, 30))
                if starts <= today:
                    ends = add_months(starts, rng.randint(6, 12))
                    w["ontzorgen"].add(
                        client.pk,
                        starts,
                        ends if ends <= today else None,
                        True,
                        rng.random() < 0.8,
                        rng.random() < 0.7,
                        rng.random() < 0.5,
                    )
            path.duty_status = status
            w["duties"].add(
                client.pk,
                status,
                path.duty_start,
                path.signal,
                path.registered,
                term_start,
                term_end,
            )

    def _course(self, rng, path, w, numbers) -> bool:
        """The courses after the PIP (a second one after a route switch), their hours per month,
        progress meetings, PVT, MAP and exams. True when the duty is met."""
        today = self.today
        client, acting = path.client, path.regisseur
        town = self.municipalities[path.plan.municipality_index].name
        routes = [(path.route, path.pip_on)]
        if path.switch_on is not None:
            routes.append(("Z", path.switch_on))
        first_start = None
        counted: list[tuple] = []  # (month, course number, in person, remote) at BoW providers
        b1_ends = None  # the end of the B1-route course
        if rng.random() < (0.15 if acting is self.demo["regisseur"] else 0.06):
            return False  # no course bought yet: the radar's "course not started"
        for number, (route, decided) in enumerate(routes):
            delay = _weighted(rng, (((14, 60), 70), ((61, 90), 18), ((91, 130), 12)))
            starts = decided + timedelta(days=rng.randint(*delay))
            switch_end = None
            if number == 0 and len(routes) > 1:
                switch_end = routes[1][1] - timedelta(days=1)  # ends with the route switch
            if starts > today or (switch_end is not None and starts > switch_end):
                continue
            first_start = first_start or starts
            span = (10, 12) if route == "O" else (18, 30)
            ends = add_months(starts, rng.randint(*span))
            if switch_end is not None:
                ends = switch_end
            name, bow = rng.choice(PROVIDERS[route])
            name = name.format(town=town)
            if name not in numbers:  # DUO's instellingsnummer: ten characters
                letters = "".join(rng.choices("ABCDEFGHJKLMNPRSTUVWXZ", k=2))
                numbers[name] = f"{rng.randint(10, 99)}{letters}{rng.randint(0, 999_999):06d}"
            course = w["courses"].add(
                client.pk,
                name,
                numbers[name],
                bow,
                route,
                path.literacy,
                starts,
                ends,
                rng.randint(*HOURS_BOUGHT[route]),
            )
            low, high = MONTH_HOURS[route]
            month = _month_start(starts)
            last = min(_month_start(ends), _month_start(today))
            while month <= last and month < _month_start(today):
                attended = rng.randint(low, high)
                if month == _month_start(starts):
                    attended = attended * (32 - min(starts.day, 31)) // 31
                absent, reason = 0, ""
                if rng.random() < 0.22:
                    absent = rng.randint(2, 12)
                    reason = _weighted(
                        rng,
                        (
                            ("ziek", 40),
                            ("kinderopvang", 15),
                            ("werk", 10),
                            ("afspraak", 20),
                            ("ongeoorloofd", 10),
                            ("overig", 5),
                        ),
                    )
                    attended = max(0, attended - absent)
                remote = rng.randint(0, attended // 4) if rng.random() < 0.4 else 0
                participation = rng.randint(8, 30) if route == "Z" else 0
                w["months"].add(course, month, attended, remote, participation, absent, reason)
                if bow:
                    counted.append((month, number, attended - remote, remote))
                if reason == "ongeoorloofd":
                    path.unexcused.append(month)
                month = _next_month(month)
            if route == "B":
                b1_ends = ends
            held = starts + timedelta(days=rng.randint(90, 150))
            while held <= min(ends, today):
                w["meetings"].add(client.pk, course, held, rng.choice(MEETINGS))
                held += timedelta(days=rng.randint(120, 200))
        if first_start is None:
            return False
        months = (today - first_start).days / 30.4
        signed = None
        if rng.random() < 0.65:
            if months > 4 and rng.random() < 0.85:
                signed = min(first_start + timedelta(days=rng.randint(60, 150)), today)
                hours = rng.randint(12, 16)
            else:
                hours = rng.randint(0, 10)
            w["pvt"].add(client.pk, name, hours, PVT_ACTIVITIES, signed)
        map_done = path.route == "O"
        if path.route != "O" and months > 4 and rng.random() < 0.5:
            hours = rng.randint(0, 70)
            themes = min(8, int(months * 0.8))
            done = hours >= 40 and themes == 8
            final = first_start + timedelta(days=rng.randint(300, 420)) if done else None
            final = final if final and final <= today else None
            map_done = final is not None
            w["map"].add(
                client.pk,
                rng.choice(MAP_PLACEMENTS),
                hours,
                *[position < themes for position in range(len(MAP_THEME_FIELDS))],
                final,
            )
        exams: list[tuple[str, str, date]] = []  # (part, result, date)
        sits = path.route == "B" and months >= 12 and path.switch_on is None
        if sits:
            knm_on = first_start + timedelta(days=rng.randint(300, 420))
            if knm_on <= today:
                exams.append(("KNM", _weighted(rng, (("geslaagd", 75), ("gezakt", 25))), knm_on))
            exam_on = first_start + timedelta(days=rng.randint(450, 600))
            if exam_on <= today:
                for part, _skill in LANGUAGE_PARTS:
                    result = _weighted(rng, (("geslaagd", 70), ("gezakt", 25), ("geen", 5)))
                    exams.append((part, result, exam_on))
        afschalen_on = self._afschalen(path, counted, b1_ends, exams)
        if afschalen_on is not None:
            exams += self._exams_after_afschalen(path, afschalen_on, exams)
        skills = dict(LANGUAGE_PARTS)
        passed = set()
        for part, result, on in exams:
            level = ""
            if part != "KNM":
                level = "A2" if afschalen_on is not None and on >= afschalen_on else path.level
            w["exams"].add(
                client.pk, part, level, result, "afgemeld" if result == "geen" else "", on
            )
            if result == "geslaagd":
                passed.add(part)
                if level:
                    w["levels"].add(client.pk, skills[part], level, "exam", on, acting.pk)
        return sits and len(passed) == 5 and signed is not None and map_done

    def _afschalen(self, path, counted, course_ends, exams) -> date | None:
        """For some B1-route clients whose counted hours passed 600 (inburgering.selectors
        .hour_counters: class hours at BoW providers, remote hours for at most as many as in
        person), the afschalen decision: a later PIP decision on the B1 route at level A2 that
        supersedes the one in force, dated after the month the count passed 600, while the course
        runs. Not for whom passed every B1 language exam before it. Its dagtekening, or None."""
        from koers.inburgering.selectors import afschalen_hours

        if path.route != "B" or path.level != "B1" or path.switch_on is not None:
            return None
        if path.in_force is None or course_ends is None:
            return None
        reached = None
        in_person = remote = 0
        for month, _number, hours, remote_hours in sorted(counted):
            in_person += hours
            remote += remote_hours
            if afschalen_hours(in_person, remote) >= AFSCHALEN_HOURS:
                reached = month
                break
        if reached is None:
            return None
        rng = self.afschalen_rng
        demo = path.regisseur is self.demo["regisseur"]
        if rng.random() >= (AFSCHALEN_SHARE_DEMO if demo else AFSCHALEN_SHARE):
            return None
        # The hours of a month are known when it ends; the progress meeting follows.
        on = _next_month(reached) + timedelta(days=rng.randint(5, 75))
        if on > self.today or on > course_ends or on <= path.in_force_on:
            return None
        before = [result for part, result, day in exams if part != "KNM" and day < on]
        if before and all(result == "geslaagd" for result in before):
            return None  # B1 reached already
        path.in_force = self._decision(rng, path, "afschalen", on, path.in_force, None, "B", "A2")
        path.in_force_on = path.afschalen_on = on
        return on

    def _exams_after_afschalen(self, path, on, exams) -> list[tuple[str, str, date]]:
        """The language parts not passed at B1 before afschalen, sat again at A2 a few months
        after it."""
        rng = self.afschalen_rng
        passed = {part for part, result, _day in exams if result == "geslaagd"}
        taken = {part for part, _result, day in exams if part != "KNM" and day < on}
        again = on + timedelta(days=rng.randint(45, 120))
        if not taken or again > self.today:
            return []
        return [
            (part, _weighted(rng, (("geslaagd", 85), ("gezakt", 15))), again)
            for part, _skill in LANGUAGE_PARTS
            if part in taken and part not in passed
        ]

    # --- enforcement: a warning, then the municipal fine ----------------------------------------
    def _trajectory_enforcement(self) -> None:
        """For a few clients who still have the duty and did not cooperate (unexcused absence from
        the lessons, a brede intake that stalled), a warning; a fine (with the decision's
        reference) only after it, when they kept away (inburgering.services.enforcement_record).
        Nothing before the municipal registration, nothing in the future."""
        from koers.inburgering.constants import EnforcementKind
        from koers.inburgering.models import EnforcementStep

        rng = self.rng("trajectory-enforcement")
        today = self.today
        steps = self._rows(
            "enforcement_steps",
            EnforcementStep,
            ("client", "kind", "on", "reason", "amount", "decision_reference"),
        )
        fines = []
        for path in self.paths:
            if path.duty_status != "plichtig" or path.registered is None:
                continue
            stalled = path.pip_on is None and path.intake is not None and path.intake[1] is None
            if not (path.unexcused or stalled):
                continue
            kind = "intake"
            if path.unexcused:
                kind = "repeated" if len(path.unexcused) > 1 else "once"
            demo = path.regisseur is self.demo["regisseur"]
            if rng.random() >= ENFORCEMENT_SHARES[kind][demo]:
                continue
            fine_on = None
            if path.unexcused:
                first = path.unexcused[0]
                month = f"{MONTH_NAMES[first.month - 1]} {first.year}"
                warned = _next_month(first) + timedelta(days=rng.randint(3, 20))
                warning = ABSENCE_WARNING.format(month=month)
                # Absent without excuse again in a month that ran on a week after the warning.
                again = [
                    day
                    for day in path.unexcused[1:]
                    if _next_month(day) > warned + timedelta(days=7)
                ]
                if again and rng.random() < 0.8:
                    fine_on = _next_month(again[0]) + timedelta(days=rng.randint(7, 30))
                    month = f"{MONTH_NAMES[again[0].month - 1]} {again[0].year}"
                    fine = ABSENCE_FINE.format(month=month)
            else:
                warned = path.intake[0] + timedelta(days=rng.randint(21, 42))
                warning = INTAKE_WARNING
                if rng.random() < 0.6:
                    fine_on = warned + timedelta(days=rng.randint(28, 56))
                    fine = INTAKE_FINE
            warned = max(warned, path.registered, path.duty_start)
            if warned > today:
                continue
            steps.add(path.client.pk, EnforcementKind.WARNING, warned, warning, None, "")
            if fine_on is None or fine_on > today or fine_on <= warned:
                continue
            municipality = self.municipalities[path.plan.municipality_index]
            fines.append(
                (municipality.code, fine_on, path.client.pk, fine, rng.choice(FINE_AMOUNTS))
            )
        # The fine decisions numbered per municipality and year, in date order.
        numbers: dict[tuple[str, int], int] = defaultdict(int)
        for code, on, client_id, reason, amount in sorted(fines):
            numbers[code, on.year] += 1
            reference = f"HH-{code}-{on.year}-{numbers[code, on.year]:03d}"
            steps.add(client_id, EnforcementKind.FINE, on, reason, amount, reference)

    # --- instruments: ZRM and Participatieladder, with the per-client summaries -----------------
    def _trajectory_instruments(self) -> None:
        from koers.instruments.models import (
            ClientInstrumentSummary,
            ClientItemSummary,
            Instrument,
            Item,
            Measurement,
            Score,
        )

        rng = self.rng("trajectory-instruments")
        today = self.today
        self.catalogue = {}
        codes = ["zrm", "participatieladder", PG]
        items = defaultdict(dict)
        for item in Item.objects.filter(version__instrument__code__in=codes):
            items[item.version_id][item.code] = item
        versions = {}
        for instrument in Instrument.objects.filter(code__in=codes):
            own = sorted(instrument.versions.all(), key=lambda v: v.valid_from)
            self.catalogue[instrument.code] = (instrument, own, items)
            versions.update((version.pk, version) for version in own)
        w = {
            "measurements": self._rows(
                "measurements",
                Measurement,
                (
                    "client",
                    "instrument",
                    "version",
                    "measured_on",
                    "assessor",
                    "assessor_name",
                    "assessor_organisation",
                    "recorded_at",
                    "corrects",
                    "correction_reason",
                    "is_current",
                ),
                ids=True,
                objects={"version": versions},
            ),
            "scores": self._rows("scores", Score, ("measurement", "item", "value", "note", "flag")),
            "summaries": self._rows(
                "instrument_summaries",
                ClientInstrumentSummary,
                (
                    "client",
                    "instrument",
                    "measurement_count",
                    "first_on",
                    "latest_on",
                    "latest_measurement",
                ),
            ),
            "item_summaries": self._rows(
                "item_summaries",
                ClientItemSummary,
                (
                    "client",
                    "instrument",
                    "item_code",
                    "item",
                    "section",
                    "first_value",
                    "first_on",
                    "first_measurement",
                    "latest_value",
                    "latest_on",
                    "latest_measurement",
                    "measurement_count",
                ),
            ),
        }
        # Who is measured and over which period; the number of rounds follows the period.
        measured = []
        for plan in self.plans:
            if plan.status not in OPEN:
                continue
            for client, person in self._adults(plan):
                known = client.koppeling_date or client.permit_date
                first = max(known, today - timedelta(days=MEASUREMENT_PERIOD_DAYS))
                first += timedelta(days=rng.randint(7, 30))
                if first > today:
                    continue
                if rng.random() < 0.22:  # not measured for more than six months: the radar
                    last = today - timedelta(days=rng.randint(190, 330))
                else:
                    last = today - timedelta(days=rng.randint(0, 120))
                last = max(first, last)
                measured.append((plan, client, person, first, last))
        rounds = self.measurements_per_client * self.client_count
        rounds /= (1 + ZRM_SHARE) * (1 + CORRECTION_SHARE)
        weight = sum((last - first).days + 60 for *_rest, first, last in measured) or 1
        per_day = rounds / weight
        self.assessors: dict[int, tuple[str, str]] = {}
        for plan, client, person, first, last in measured:
            count = max(1, _round(rng, per_day * ((last - first).days + 60)))
            self._measure(rng, w, plan, client, person, first, last, count)
        self._positive_health(w, measured)

    def _positive_health(self, w, measured) -> None:
        """Positieve Gezondheid, the optional module: switched on (instruments.InstrumentSetting)
        in every fourth municipality, and held with a share of the adults measured there, about
        twice a year, by the regisseur or VluchtelingenWerk's begeleider (both write HEALTH; a
        welfare organisation's begeleider does not).
        Six dimensions marked 0-10, lower ones flagged "wil ik over praten", now and then with
        a short note; the summaries as summaries_recompute writes them. Its own random stream,
        and not part of `measurements_per_client` (the ZRM and the ladder)."""
        from koers.instruments.models import InstrumentSetting

        rng = self.rng("trajectory-positive-health")
        today = self.today
        instrument, versions, items = self.catalogue[PG]
        settings = self._rows(
            "instrument_settings", InstrumentSetting, ("municipality", "instrument", "enabled")
        )
        enabled = set()
        for index, municipality in enumerate(self.municipalities):
            if index % PG_EVERY == 0:
                settings.add(municipality.pk, instrument.pk, True)
                enabled.add(municipality.pk)
        if not versions:
            return
        for plan, client, _person, first, last in measured:
            if client.municipality_id not in enabled or rng.random() >= PG_SHARE:
                continue
            first = max(first, versions[0].valid_from)
            if first > last:
                continue
            span = (last - first).days
            count = min(PG_MAX, 1 + span // rng.randint(150, 240))
            days = sorted(
                {
                    min(today, first + timedelta(days=span * n // max(1, count - 1)))
                    for n in range(count)
                }
            )
            marks = {code: rng.randint(low, high) for code, (low, high) in PG_START.items()}
            assessors = [self._acting(plan)] + [
                involvement.membership
                for involvement in self._involved(plan, NetworkRole.BEGELEIDER)
                if involvement.organisation.pk == self.vluchtelingenwerk.pk
            ]
            rows = []
            for number, day in enumerate(days):
                if number:
                    for code, value in marks.items():
                        if value < 10 and rng.random() < 0.35:
                            marks[code] = value + 1
                        elif value > 0 and rng.random() < 0.1:
                            marks[code] = value - 1
                assessor = assessors[0]
                if len(assessors) > 1 and rng.random() < 0.3:
                    assessor = rng.choice(assessors[1:])
                version = next(v for v in reversed(versions) if v.valid_from <= day)
                name, organisation = self._assessor(assessor)
                measurement = w["measurements"].add(
                    client.pk,
                    instrument.pk,
                    version.pk,
                    day,
                    assessor.pk,
                    name,
                    organisation,
                    _at(day, rng),
                    None,
                    "",
                    True,
                )
                scored = []
                for code, value in marks.items():
                    item = items[version.pk][code]
                    flag = bool(version.flag_label) and (
                        (value <= 5 and rng.random() < 0.6) or rng.random() < 0.05
                    )
                    note = ""
                    if flag and rng.random() < 0.3:
                        note = rng.choice(PG_NOTES[code])
                    w["scores"].add(measurement, item.pk, value, note, flag)
                    scored.append((item, value))
                rows.append((day, measurement, scored))
            self._summaries(w, client, PG, rows)

    def _assessor(self, membership) -> tuple[str, str]:
        if membership.pk not in self.assessors:
            user = membership.user
            self.assessors[membership.pk] = (
                (user.get_full_name() or user.get_username())[:150],
                membership.organisation.name[:200],
            )
        return self.assessors[membership.pk]

    def _measure(self, rng, w, plan, client, person, first, last, count) -> None:
        """A client's measurements: the ZRM's 13 domains improving slightly over time (the
        language factors with them), the ladder's rung climbing towards its potential; now and
        then a correction. Then the summaries, as summaries_recompute writes them."""
        acting = self._acting(plan)
        klantmanagers = self._involved(plan, NetworkRole.KLANTMANAGER)
        span = (last - first).days
        days = sorted(
            min(
                last,
                max(
                    first,
                    first
                    + timedelta(days=round(span * n / max(1, count - 1)) + rng.randint(-5, 5)),
                ),
            )
            for n in range(count)
        )
        zrm = {code: rng.randint(low, high) for code, (low, high) in ZRM_START.items()}
        if client.housing_date is None or client.housing_date > first:
            zrm["huisvesting"] = min(zrm["huisvesting"], 2)
        language = 3 if rng.random() < 0.7 else 2
        rung = _weighted(rng, ((1, 15), (2, 45), (3, 40)))
        potential = min(6, rung + rng.randint(1, 3))
        children = 1 if any(not p.adult for p in plan.members) else 2
        current = {"zrm": [], "participatieladder": []}
        for number, day in enumerate(days):
            if number:
                for code, value in zrm.items():
                    if value < 5 and rng.random() < 0.18:
                        zrm[code] = value + 1
                    elif value > 1 and rng.random() < 0.04:
                        zrm[code] = value - 1
                if language > 1 and rng.random() < 0.15:
                    language -= 1
                if rung < potential and rng.random() < 0.2:
                    rung += 1
                if potential < 6 and rng.random() < 0.05:
                    potential += 1
            if number == 0 or rng.random() < ZRM_SHARE:
                values = dict(zrm)
                if number == 0 or rng.random() < 0.25:
                    values["zorgverzekering"] = 1 if rng.random() < 0.93 else 2
                    values["zorg-voor-kinderen"] = children
                    values["digitale-vaardigheden"] = rng.choice((2, 3))
                    values.update(dict.fromkeys(LANGUAGE_FACTORS, language))
                self._measurement(rng, w, client, "zrm", day, acting, values, current)
            assessor = acting
            if klantmanagers and rng.random() < 0.4:
                assessor = rng.choice(klantmanagers).membership
            values = {"trede": rung, "groeipotentieel": potential}
            self._measurement(rng, w, client, "participatieladder", day, assessor, values, current)
        for code, rows in current.items():
            if rows:
                self._summaries(w, client, code, rows)

    def _measurement(self, rng, w, client, code, day, assessor, values, current) -> None:
        instrument, versions, items = self.catalogue[code]
        version = next(v for v in reversed(versions) if v.valid_from <= day)
        corrected = rng.random() < CORRECTION_SHARE
        name, organisation = self._assessor(assessor)
        recorded = _at(day, rng)
        measurement = w["measurements"].add(
            client.pk,
            instrument.pk,
            version.pk,
            day,
            assessor.pk,
            name,
            organisation,
            recorded,
            None,
            "",
            not corrected,
        )
        by_code = items[version.pk]
        scored = [(by_code[item_code], value) for item_code, value in values.items()]
        for item, value in scored:
            w["scores"].add(measurement, item.pk, value, "", False)
        if corrected:
            # A wrong score, corrected the same week by a new measurement that replaces it.
            if code == "participatieladder":
                fixed = [(i, max(1, v - 1) if i.code == "trede" else v) for i, v in scored]
            else:
                wrong = scored[rng.randrange(2)][0]
                fixed = [(i, v % 5 + 1 if i is wrong else v) for i, v in scored]
            day = min(day + timedelta(days=rng.randint(0, 3)), self.today)
            measurement_id = w["measurements"].add(
                client.pk,
                instrument.pk,
                version.pk,
                day,
                assessor.pk,
                name,
                organisation,
                recorded + timedelta(days=1),
                measurement,
                "Verkeerde score ingevoerd.",
                True,
            )
            for item, value in fixed:
                w["scores"].add(measurement_id, item.pk, value, "", False)
            measurement, scored = measurement_id, fixed
        current[code].append((day, measurement, scored))

    def _summaries(self, w, client, code, rows) -> None:
        """Per instrument and per item code: first and latest (by date, then by recording) and
        how often, over the current measurements: instruments.services.summaries_recompute."""
        instrument = self.catalogue[code][0]
        rows.sort(key=lambda row: (row[0], row[1]))
        per_code: dict[str, list] = {}
        for day, measurement, scored in rows:
            for item, value in scored:
                row = per_code.get(item.code)
                if row is None:
                    per_code[item.code] = [
                        item,
                        value,
                        day,
                        measurement,
                        value,
                        day,
                        measurement,
                        1,
                    ]
                    continue
                row[0] = item
                row[4:7] = [value, day, measurement]
                row[7] += 1
        for item_code, (item, *rest) in per_code.items():
            first_value, first_on, first_id, latest_value, latest_on, latest_id, times = rest
            w["item_summaries"].add(
                client.pk,
                instrument.pk,
                item_code,
                item.pk,
                item.section,
                first_value,
                first_on,
                first_id,
                latest_value,
                latest_on,
                latest_id,
                times,
            )
        w["summaries"].add(
            client.pk, instrument.pk, len(rows), rows[0][0], rows[-1][0], rows[-1][1]
        )

    # --- work, income and education -----------------------------------------------------------
    def _trajectory_work(self) -> None:
        from koers.work.models import Benefit, EducationEnrolment, Job

        rng = self.rng("trajectory-work")
        today = self.today
        benefits = self._rows(
            "benefits",
            Benefit,
            ("client", "kind", "top_up", "start_on", "end_on", "end_reason", "recorded_by"),
        )
        jobs = self._rows(
            "jobs",
            Job,
            (
                "client",
                "kind",
                "employer",
                "job_title",
                "hours_per_week",
                "contract",
                "wage_subsidy",
                "job_coach",
                "start_on",
                "end_on",
                "end_reason",
                "recorded_by",
            ),
        )
        enrolments = self._rows(
            "enrolments",
            EducationEnrolment,
            (
                "client",
                "school",
                "level",
                "programme",
                "start_on",
                "end_on",
                "result",
                "recorded_by",
            ),
        )

        def job(client, kind, start, end, by, *, hours, contract="", subsidy="geen", coach=False):
            employer, title = rng.choice(EMPLOYERS if kind == "betaald" else VOLUNTEER_WORK)
            if kind == "stage":
                title = f"Stagiair {title.lower()}"
            jobs.add(
                client.pk,
                kind,
                employer,
                title,
                Decimal(hours),
                contract,
                subsidy,
                coach,
                start,
                end,
                "einde_contract" if end else "",
                by,
            )

        for plan in self.plans:
            if plan.status == ClientStatus.AFGESLOTEN and rng.random() < 0.5:
                continue
            klantmanagers = self._involved(plan, NetworkRole.KLANTMANAGER)
            by = klantmanagers[0].membership.pk if klantmanagers else self._acting(plan).pk
            for client, person in zip(plan.clients, plan.members, strict=True):
                housed = client.housing_date
                if not person.adult:
                    if person.age >= 12 and housed is not None and rng.random() < 0.3:
                        start = min(housed + timedelta(days=rng.randint(14, 60)), today)
                        enrolments.add(
                            client.pk,
                            "ISK Lingebroek College",
                            "isk",
                            "Internationale schakelklas",
                            start,
                            None,
                            "lopend",
                            by,
                        )
                    continue
                if housed is None or rng.random() > 0.88:
                    continue  # in the azc (COA pays), or an income of their own
                start = min(housed + timedelta(days=rng.randint(0, 14)), today)
                months = (today - start).days / 30.4
                to_work = plan.status == ClientStatus.UITGESTROOMD and rng.random() < 0.9
                to_work = to_work or (
                    plan.status == ClientStatus.ACTIEF and months > 8 and rng.random() < 0.12
                )
                if plan.status in (ClientStatus.VERHUISD, ClientStatus.AFGESLOTEN):
                    end = start + timedelta(days=rng.randint(120, max(121, (today - start).days)))
                    end = min(end, today - timedelta(days=1))
                    reason = "verhuisd" if plan.status == ClientStatus.VERHUISD else "anders"
                    benefits.add(client.pk, "bijstand", False, start, max(end, start), reason, by)
                elif to_work and months > 3:
                    end = add_months(start, rng.randint(3, max(3, min(30, int(months) - 1))))
                    end = min(end, today - timedelta(days=1))
                    partial = rng.random() < 0.35
                    reason = "werk_deels" if partial else "werk_volledig"
                    benefits.add(client.pk, "bijstand", False, start, end, reason, by)
                    subsidy = "lks" if rng.random() < 0.25 else "geen"
                    contract = _weighted(
                        rng, (("tijdelijk", 50), ("uitzend", 20), ("vast", 15), ("oproep", 15))
                    )
                    job_start = max(start, end - timedelta(days=rng.randint(0, 14)))
                    job_end = None
                    if rng.random() < 0.15 and (today - job_start).days > 120:
                        job_end = job_start + timedelta(
                            days=rng.randint(90, (today - job_start).days)
                        )
                        job_end = min(job_end, today - timedelta(days=1))
                    hours = rng.randint(12, 28) if partial else rng.randint(32, 40)
                    job(
                        client,
                        "betaald",
                        job_start,
                        job_end,
                        by,
                        hours=hours,
                        contract=contract,
                        subsidy=subsidy,
                        coach=subsidy != "geen" and rng.random() < 0.7,
                    )
                    if partial:
                        top_up = min(end + timedelta(days=1), today)
                        benefits.add(client.pk, "bijstand", True, top_up, None, "", by)
                else:
                    benefits.add(client.pk, "bijstand", False, start, None, "", by)
                    if months > 4 and rng.random() < 0.14:
                        begun = start + timedelta(days=rng.randint(60, int(months * 30)))
                        job(
                            client,
                            "vrijwilligerswerk",
                            min(begun, today),
                            None,
                            by,
                            hours=rng.randint(4, 12),
                        )
                    elif months > 6 and rng.random() < 0.04:
                        begun = min(
                            start + timedelta(days=rng.randint(120, int(months * 30))), today
                        )
                        ends = begun + timedelta(days=rng.randint(60, 120))
                        job(
                            client,
                            "stage",
                            begun,
                            ends if ends < today else None,
                            by,
                            hours=rng.randint(16, 32),
                            contract="proefplaatsing" if rng.random() < 0.5 else "",
                        )
                path = self.path_of.get(client.pk)
                if path is not None and path.route == "O" and path.pip_on is not None:
                    begun = path.pip_on + timedelta(days=rng.randint(30, 90))
                    if begun <= today:
                        enrolments.add(
                            client.pk,
                            "ROC Rivierland",
                            "taalschakel",
                            "Taalschakeltraject",
                            begun,
                            None,
                            "lopend",
                            by,
                        )
                elif person.age < 35 and months > 12 and rng.random() < 0.04:
                    school, level, programme = rng.choice(ENROLMENTS)
                    begun = start + timedelta(days=rng.randint(180, int(months * 30)))
                    if begun <= today:
                        enrolments.add(
                            client.pk, school, level, programme, begun, None, "lopend", by
                        )

    # --- the first-phase checklist ------------------------------------------------------------
    def _trajectory_checklist(self) -> None:
        from koers.checklist.models import Checklist, ChecklistTask, ChecklistTemplate
        from koers.checklist.services import default_template

        rng = self.rng("trajectory-checklist")
        today = self.today
        checklists = self._rows(
            "checklists",
            Checklist,
            ("household", "template", "template_name", "housing_date", "started_on", "started_by"),
            ids=True,
        )
        tasks = self._rows(
            "checklist_tasks",
            ChecklistTask,
            (
                "checklist",
                "position",
                "title",
                "description",
                "extra_section",
                "owner_involvement",
                "due_on",
                "status",
                "done_on",
                "done_by",
            ),
        )
        # checklist.services.template_for for every municipality at once: its own template,
        # else the default.
        own = {
            template.municipality_id: template
            for template in ChecklistTemplate.objects.filter(
                municipality__in=self.municipalities
            ).prefetch_related("tasks")
        }
        default = default_template()
        default_tasks = list(default.tasks.order_by("position", "id"))
        templates = {}
        for index, municipality in enumerate(self.municipalities):
            template = own.get(municipality.pk)
            if template is None:
                templates[index] = (default, default_tasks)
            else:
                tasks = sorted(template.tasks.all(), key=lambda task: (task.position, task.pk))
                templates[index] = (template, tasks)
        every: dict[int, list] = defaultdict(list)
        for involvement in self.involvements:
            every[involvement.household.pk].append(involvement)
        volunteer_tasks = ("DigiD aanvragen", "Huisarts en tandarts")
        for plan in self.plans:
            housed = plan.clients[0].housing_date
            if plan.status not in OPEN or housed is None or (today - housed).days > 365:
                continue
            if rng.random() > 0.9:
                continue
            acting = self._acting(plan)
            started = min(housed - timedelta(days=rng.randint(0, 14)), today)
            # Per role, who gets the tasks: the current regisseur, else the longest-standing
            # involvement with that role (checklist.services._default_owners).
            owners: dict[str, object] = {}
            for involvement in sorted(every[plan.household.pk], key=lambda i: (i.start_date, i.pk)):
                if involvement.start_date > started or (
                    involvement.end_date is not None and involvement.end_date < started
                ):
                    continue
                if involvement.role == NetworkRole.REGISSEUR and involvement.end_date is None:
                    owners[involvement.role] = involvement
                owners.setdefault(involvement.role, involvement)
            volunteer = owners.get(NetworkRole.TAALMAATJE) or owners.get(NetworkRole.VRIJWILLIGER)
            ages = [person.age for person in plan.members if not person.adult]
            stuck = rng.random() < 0.4  # tasks past their due date still open
            template, template_tasks = templates[plan.municipality_index]
            checklist = checklists.add(
                plan.household.pk, template.pk, template.name, housed, started, acting.pk
            )
            for position, task in enumerate(template_tasks, 1):
                owner = owners.get(task.default_owner_role)
                if task.title in volunteer_tasks and volunteer and rng.random() < 0.5:
                    owner = volunteer
                due = housed + timedelta(days=task.due_within_days)
                title = task.title.lower()
                applies = True
                if "school" in title:
                    applies = any(age >= 4 for age in ages)
                elif "vve" in title:
                    applies = any(age < 4 for age in ages)
                elif "kinderbijslag" in title:
                    applies = bool(ages)
                elif "nareis" in title:
                    applies = rng.random() < 0.3
                if not applies:
                    status = "nvt"
                elif due < today and not stuck:
                    status = "gedaan"
                elif due < today:
                    status = _weighted(rng, (("gedaan", 60), ("bezig", 15), ("open", 25)))
                else:
                    status = _weighted(rng, (("gedaan", 30), ("bezig", 20), ("open", 50)))
                done_on = done_by = None
                if status in ("gedaan", "nvt"):
                    span = max(0, (min(today, due + timedelta(days=10)) - started).days)
                    done_on = started + timedelta(days=rng.randint(0, span))
                    person = owner.membership if owner is not None else None
                    done_by = (person or acting).pk
                tasks.add(
                    checklist,
                    position,
                    task.title,
                    task.description,
                    task.extra_section,
                    owner.pk if owner is not None else None,
                    due,
                    status,
                    done_on,
                    done_by,
                )
