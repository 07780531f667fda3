"""The dossier part of the demo and benchmark data: personal details, household members,
languages, external contacts and the timeline (contact moments, notes, walk-in hours).

A mixin of the builder in services.py: it plans in memory and writes with bulk_create; the
timeline (a million entries at national scale) is written with bulk.Rows, in chunks, so it never
sits in memory at once. Every stage has
its own random stream, so the same seed and `today` give the same rows.

The texts are fictitious, in Dutch as a professional would write them, and carry no special
categories of personal data (no health, justice or asylum details).
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from koers.accounts.constants import Role
from koers.clients.constants import (
    ApplicableLaw,
    ClientStatus,
    Gender,
    Literacy,
    NetworkRole,
    Relation,
    ReunificationStatus,
    Script,
    TargetGroup,
)
from koers.clients.models import ClientLanguage, HouseholdMember
from koers.organisations.constants import OrganisationKind
from koers.organisations.models import Organisation
from koers.timeline.constants import Confidentiality, ContactKind, ContactStatus
from koers.timeline.models import ContactMoment, Note, WalkInSession

from . import names
from .bulk import Rows, bulk, checked

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# The benchmark's own area teams and the regisseurs acting in them (koers.demo.bench).
BENCH_TEAMS = ("Benchteam klein", "Benchteam groot")
BENCH_CASELOADS = (15, 150)
BENCH_SMALL, BENCH_LARGE, BENCH_REGION = "bench-klein", "bench-groot", "bench-regio"
BENCH_USERNAMES = (BENCH_SMALL, BENCH_LARGE, BENCH_REGION)
BENCH_ORGANISATION = "Landelijk Servicecentrum Statushouders"

OPEN_STATUSES = (ClientStatus.AANGEMELD, ClientStatus.ACTIEF, ClientStatus.UITGESTROOMD)

# Country of origin, with weights, per name origin.
COUNTRIES = {
    "arabic": (("SY", 60), ("IQ", 14), ("YE", 9), ("PS", 7), ("LB", 4), ("SD", 6)),
    "tigrinya": (("ER", 88), ("ET", 12)),
    "dari": (("AF", 90), ("IR", 10)),
    "somali": (("SO", 94), ("ET", 6)),
    "turkish": (("TR", 100),),
    "ukrainian": (("UA", 100),),
}
ARABIC_DIALECTS = {
    "SY": "Levantijns (Syrisch)",
    "PS": "Levantijns (Palestijns)",
    "LB": "Levantijns (Libanees)",
    "IQ": "Iraaks",
    "YE": "Jemenitisch",
    "SD": "Soedanees",
}
# Mother tongue (language, dialect, script) and further languages with their share.
LANGUAGE_PLANS = {
    "arabic": (
        ("ar", "", Script.ARABIC),
        (("ku", "Kurmanji", Script.ARABIC, 0.1), ("en", "", Script.LATIN, 0.15)),
    ),
    "tigrinya": (
        ("ti", "", Script.ETHIOPIC),
        (("am", "", Script.ETHIOPIC, 0.3), ("ar", "", Script.ARABIC, 0.1)),
    ),
    "dari": (
        ("prs", "Kaboels", Script.ARABIC),
        (("ps", "", Script.ARABIC, 0.25), ("fa", "", Script.ARABIC, 0.2)),
    ),
    "somali": (
        ("so", "Maxaa tiri", Script.LATIN),
        (("ar", "", Script.ARABIC, 0.2), ("en", "", Script.LATIN, 0.15)),
    ),
    "turkish": (
        ("tr", "", Script.LATIN),
        (("ku", "Kurmanji", Script.LATIN, 0.35), ("en", "", Script.LATIN, 0.1)),
    ),
    "ukrainian": (
        ("uk", "", Script.CYRILLIC),
        (("ru", "", Script.CYRILLIC, 0.6), ("en", "", Script.LATIN, 0.3)),
    ),
}
# How often the BRP knows only the year, or the year and month, per origin.
UNKNOWN_BIRTH_PARTS = {"tigrinya": 0.25, "dari": 0.3, "somali": 0.3}

STREETS = (
    "Dorpsstraat",
    "Kerkstraat",
    "Molenweg",
    "Lindelaan",
    "Beatrixstraat",
    "Julianalaan",
    "Vlietkade",
    "Meidoornhof",
    "Populierenlaan",
    "Zonnebloemstraat",
    "Waalstraat",
    "Dijkgraaf",
    "Kastanjeplein",
    "Vogelzang",
    "Rietkraag",
)
PRIMARY_SCHOOLS = ("Basisschool De Regenboog", "OBS Het Kompas", "CBS De Wegwijzer")
SECONDARY_SCHOOLS = ("ISK Lingebroek College", "ISK Het Baken", "Het Rivierland College")
CHILDCARE = ("Kinderopvang De Vlinder", "Peuterspeelzaal Het Nest", "Kinderdagverblijf Dikkertje")

HELD_SUMMARIES = (
    "Kennismakingsgesprek gevoerd; afspraken gemaakt over de eerste weken in de woning.",
    "Post doorgenomen: brief van de Belastingdienst over toeslagen uitgelegd.",
    "Samen de DigiD-aanvraag gedaan; activeringscode volgt per post.",
    "Budgetoverzicht gemaakt en de vaste lasten op een rij gezet.",
    "Voortgang van de taallessen besproken; gaat drie ochtenden per week naar school.",
    "Gesprek over werkervaring en wensen; interesse in de techniek en de zorg.",
    "Huisbezoek: woning is ingericht, vragen over de energierekening beantwoord.",
    "Uitleg gegeven over afval scheiden en de milieupas.",
    "Bibliotheekpas aangevraagd; taalcafé op donderdag besproken.",
    "Aanmelding bij de sportvereniging voor de kinderen geregeld.",
    "Brief van DUO over de inburgering samen gelezen en de termijnen uitgelegd.",
    "Zwemles voor de kinderen besproken; aanmelding volgt.",
    "Oefenen met Nederlands: boodschappenlijst en een gesprekje bij de bakker.",
    "Kennismaking met de buren georganiseerd; het contact is goed.",
    "Afspraken uit het plan doorgelopen; volgende stap is een proefplaatsing.",
    "Fietsles geregeld via het buurthuis.",
    "Vragen over de huurovereenkomst en de servicekosten beantwoord.",
    "Ouderavond op school voorbereid; tolk via school geregeld.",
)
MEETING_SUMMARIES = (
    "Netwerkoverleg: plan voor de komende drie maanden afgestemd met alle betrokkenen.",
    "MDO gehouden; taakverdeling tussen begeleider en klantmanager vastgelegd.",
)
NO_SHOW_SUMMARIES = (
    "Niet verschenen; nieuwe afspraak per brief voorgesteld.",
    "Niemand thuis bij het huisbezoek; kaartje achtergelaten.",
)
CANCELLED_SUMMARIES = (
    "Afgezegd door cliënt vanwege taalles; verzet naar volgende week.",
    "Afspraak vervallen door ziekte van de medewerker; opnieuw ingepland.",
)
PLANNED_SUMMARIES = (
    "",
    "Bespreken: voortgang inburgering en volgende stappen.",
    "Samen post doornemen.",
)
NOTES = (
    "Belt liever in de ochtend; 's middags is er taalles.",
    "Naam staat nog niet op de brievenbus; post kan zoekraken.",
    "Afspraak verzet op verzoek van de cliënt.",
    "Wil graag vrijwilligerswerk doen in de buurt.",
    "Heeft via de kringloop een fiets gekregen; fietsles gewenst.",
    "Maandelijks overleg met de taalschool afgesproken.",
    "Spreekt al redelijk Nederlands; gesprekken kunnen zonder tolk als het rustig gaat.",
    "Oudste kind helpt vaak met vertalen; liever niet op leunen.",
    "Geïnteresseerd in een opleiding tot buschauffeur.",
    "Contact met de woningcorporatie loopt via de begeleider.",
)


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _at(day: date, rng: random.Random) -> datetime:
    """A moment in office hours on `day`, Dutch time."""
    minutes = rng.randrange(9 * 60, 16 * 60 + 31, 15)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=AMSTERDAM)


class DossierMixin:
    """Stages of services._Builder for the dossier; see the module docstring."""

    # --- organisations -------------------------------------------------------------------------
    def _external_organisations(self) -> list[Organisation]:
        """A GP practice and a school per municipality: contacts outside Koers, who never
        see anything (they have no legal basis), recorded in the network with a name."""
        partner = OrganisationKind.PARTNER
        self.external_orgs = [
            (
                Organisation(name=f"Gezondheidscentrum {municipality.name}", kind=partner),
                Organisation(name=f"Scholengroep {municipality.name}", kind=partner),
            )
            for municipality in self.municipalities
        ]
        return [org for pair in self.external_orgs for org in pair]

    def _bench_organisations(self, served: list) -> list[Organisation]:
        if not self.bench:
            return []
        self.bench_organisation = Organisation(
            name=BENCH_ORGANISATION, kind=OrganisationKind.MUNICIPAL
        )
        served.append((self.bench_organisation, list(self.municipalities)))
        return [self.bench_organisation]

    # --- the benchmark's caseloads ---------------------------------------------------------
    def _bench_caseloads(self) -> None:
        """Move households of the first municipality into the bench teams until each holds
        exactly (or as near as the households allow) 15 and 150 clients."""
        taken: set[int] = set()
        for team, size in zip(self.bench_teams, BENCH_CASELOADS, strict=True):
            remaining = size
            for plan in self.plans:
                if remaining == 0:
                    break
                if (
                    plan.municipality_index == 0
                    and id(plan) not in taken
                    and plan.status in (ClientStatus.AANGEMELD, ClientStatus.ACTIEF)
                    and len(plan.members) <= remaining
                ):
                    plan.area_team = team
                    taken.add(id(plan))
                    remaining -= len(plan.members)

    def _bench_staff(self, rng: random.Random) -> None:
        m0 = self.municipalities[0]
        for username, team in zip((BENCH_SMALL, BENCH_LARGE), self.bench_teams, strict=True):
            membership = self._membership(
                self._user(username),
                self.gemeente[0],
                Role.REGISSEUR,
                title="klantregisseur",
                municipalities=[m0],
                area_teams=[team],
                rng=rng,
            )
            self.demo[username] = membership
            self.team_regisseurs[id(team)] = [membership]
        self.demo[BENCH_REGION] = self._membership(
            self._user(BENCH_REGION),
            self.bench_organisation,
            Role.REGISSEUR,
            title="casusregisseur",
            municipalities=self.municipalities,
            rng=rng,
        )

    # --- households and clients ----------------------------------------------------------------
    def _address(self, plan) -> dict:
        if not hasattr(self, "_address_rng"):
            self._address_rng = self.rng("addresses")
        rng = self._address_rng
        letters = "ABCDEGHJKLMNPRSTVWXZ"
        return {
            "street": rng.choice(STREETS),
            "house_number": str(rng.randint(1, 180)) + ("" if rng.random() < 0.8 else "a"),
            "postcode": f"{rng.randint(1000, 9999)} {rng.choice(letters)}{rng.choice(letters)}",
            "city": self.municipalities[plan.municipality_index].name,
        }

    def _household_facts(self, rng: random.Random, plan) -> dict:
        """What the members of a household share: country, and the dates of the asylum route
        in a plausible order (permit, linked to the municipality, housed)."""
        country = _weighted(rng, COUNTRIES[plan.origin.key])
        closed = plan.status in (ClientStatus.VERHUISD, ClientStatus.AFGESLOTEN)
        permit = self.today - timedelta(
            days=rng.randint(900, 2500) if closed else rng.randint(30, 1500)
        )
        koppeling = min(permit + timedelta(days=rng.randint(7, 90)), self.today)
        housing = None
        if plan.status != ClientStatus.AANGEMELD or rng.random() < 0.3:
            housing = koppeling + timedelta(days=rng.randint(20, 240))
            if housing > self.today:
                housing = None
        return {"country": country, "permit": permit, "koppeling": koppeling, "housing": housing}

    def _client_details(self, plan, person) -> dict:
        if not hasattr(self, "_client_rng"):
            self._client_rng = rng = self.rng("clients")
            count = min(self.client_count, names.MAX_SYNTHETIC_BSNS)
            self._bsns = iter(names.synthetic_bsns(rng, count))
            self._v_serial = 0
            self._facts: dict[int, dict] = {}
            self._position: dict[int, int] = defaultdict(int)
        rng = self._client_rng
        if id(plan) not in self._facts:
            self._facts[id(plan)] = self._household_facts(rng, plan)
        facts = self._facts[id(plan)]
        position = self._position[id(plan)]
        self._position[id(plan)] += 1

        age = rng.randint(19, 58) if person.adult else rng.randint(0, 17)
        birth_year = self.today.year - age
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        unknown = UNKNOWN_BIRTH_PARTS.get(plan.origin.key, 0.05)
        if rng.random() < unknown:
            day = None
            if rng.random() < 0.5:
                month = None
        gender = Gender.WOMAN if person.female else Gender.MAN
        if rng.random() < 0.01:
            gender = Gender.UNKNOWN

        mother, extras = LANGUAGE_PLANS[plan.origin.key]
        language, dialect, script = mother
        if language == "ar":
            dialect = ARABIC_DIALECTS.get(facts["country"], "")
        languages = [(language, dialect, script, True)]
        for code, extra_dialect, extra_script, share in extras:
            if rng.random() < share * (1 if person.adult else 0.5):
                languages.append((code, extra_dialect, extra_script, False))
        if rng.random() < (0.3 if person.adult else 0.7):
            languages.append(("nl", "", Script.LATIN, False))

        details = {
            "birth_year": birth_year,
            "birth_month": month,
            "birth_day": day,
            "gender": gender,
            "country_of_origin": facts["country"],
            "status_date": facts["housing"] or facts["koppeling"],
            "bsn": next(self._bsns, None),
            "permit_date": facts["permit"],
            "koppeling_date": facts["koppeling"],
            "housing_date": facts["housing"],
        }
        if rng.random() < 0.92:
            self._v_serial += 1
            details["v_number"] = f"{2_600_000_000 + self._v_serial * 7 + rng.randint(0, 6)}"
        # Members who came later (nareizigers) came on their own permit.
        target = TargetGroup.ASIEL
        if position > 0 and rng.random() < 0.3:
            target = TargetGroup.NAREIZIGER
            # Later, on their own permit; they move into the family's home on arrival.
            later = min(facts["permit"] + timedelta(days=rng.randint(150, 500)), self.today)
            arrived = min(later + timedelta(days=rng.randint(3, 30)), self.today)
            details["permit_date"], details["koppeling_date"] = later, arrived
            details["housing_date"] = arrived if facts["housing"] else None
            details["status_date"] = arrived
        elif rng.random() < 0.05:
            target = TargetGroup.GEZIN
        details["target_group"] = target
        if person.adult:
            literate = _weighted(
                rng,
                (
                    (Literacy.LITERATE if script == Script.LATIN else Literacy.OTHER_SCRIPT, 62),
                    (Literacy.LIMITED, 14),
                    (Literacy.ILLITERATE, 8),
                    (Literacy.UNKNOWN, 16),
                ),
            )
            interpreter = rng.random() < plan.origin.interpreter_share * 0.8
            details.update(
                literacy=literate,
                interpreter_needed=interpreter,
                interpreter_language=language if interpreter else "",
                applicable_law=_weighted(
                    rng,
                    (
                        (ApplicableLaw.WI2021, 86 if details["permit_date"].year >= 2022 else 5),
                        (ApplicableLaw.WI2013, 2 if details["permit_date"].year >= 2022 else 80),
                        (ApplicableLaw.NONE, 8),
                    ),
                ),
            )
            if rng.random() < 0.75:
                details["phone"] = f"06-{rng.randint(0, 99_999_999):08d}"
            if rng.random() < 0.3:
                handle = "".join(ch for ch in (person.given_names or person.family_name).lower())
                plain = "".join(ch for ch in handle if ch.isascii() and ch.isalnum()) or "client"
                details["email"] = f"{plain}{rng.randint(1, 999)}@voorbeeld.example"
        else:
            details["applicable_law"] = ApplicableLaw.NONE
        person.languages = languages
        person.age = age
        return details

    def _dossier(self) -> None:
        """Household members (every client, young children without a dossier, family abroad)
        and the clients' languages."""
        rng = self.rng("people")
        members, languages = [], []
        for plan in self.plans:
            head = plan.members[0]
            for position, (client, person) in enumerate(
                zip(plan.clients, plan.members, strict=True)
            ):
                relation = Relation.HEAD if position == 0 else Relation.CHILD
                if person.adult and position > 0:
                    relation = Relation.PARTNER if position == 1 else Relation.OTHER
                school = ""
                if not person.adult:
                    if person.age >= 12:
                        school = rng.choice(SECONDARY_SCHOOLS)
                    elif person.age >= 4:
                        school = rng.choice(PRIMARY_SCHOOLS)
                    elif rng.random() < 0.5:
                        school = rng.choice(CHILDCARE)
                members.append(
                    checked(
                        HouseholdMember(
                            household=plan.household,
                            client=client,
                            relation=relation,
                            school_or_childcare=school,
                        )
                    )
                )
                for language, dialect, script, mother in person.languages:
                    languages.append(
                        checked(
                            ClientLanguage(
                                client=client,
                                language=language,
                                dialect=dialect,
                                script=script,
                                is_mother_tongue=mother,
                            )
                        )
                    )
            family = head.family_name if plan.origin.convention == names.FAMILY else ""
            adults = sum(1 for person in plan.members if person.adult)
            # A baby born here, not (yet) in Koers.
            if adults and len(plan.members) > 1 and rng.random() < 0.15:
                born = self.today - timedelta(days=rng.randint(30, 1000))
                members.append(
                    checked(
                        HouseholdMember(
                            household=plan.household,
                            given_names=names.given_name(
                                rng, plan.origin, female=rng.random() < 0.5
                            ),
                            family_name=family or head.given_names or head.family_name,
                            birth_year=born.year,
                            birth_month=born.month,
                            birth_day=born.day,
                            relation=Relation.CHILD,
                            school_or_childcare=rng.choice(CHILDCARE) if rng.random() < 0.6 else "",
                        )
                    )
                )
            # Family abroad, awaiting reunification.
            if rng.random() < 0.12:
                relation = (
                    Relation.PARTNER
                    if adults == 1
                    else rng.choice((Relation.CHILD, Relation.PARENT, Relation.SIBLING))
                )
                age = {
                    Relation.PARTNER: rng.randint(20, 50),
                    Relation.CHILD: rng.randint(2, 17),
                    Relation.PARENT: rng.randint(50, 75),
                    Relation.SIBLING: rng.randint(12, 30),
                }[relation]
                members.append(
                    checked(
                        HouseholdMember(
                            household=plan.household,
                            given_names=names.given_name(
                                rng, plan.origin, female=rng.random() < 0.5
                            ),
                            family_name=family or names.family_name(rng, plan.origin),
                            birth_year=self.today.year - age,
                            relation=relation,
                            reunification_status=_weighted(
                                rng,
                                (
                                    (ReunificationStatus.PREPARING, 30),
                                    (ReunificationStatus.APPLIED, 40),
                                    (ReunificationStatus.GRANTED, 15),
                                    (ReunificationStatus.REFUSED, 15),
                                ),
                            ),
                        )
                    )
                )
        bulk(HouseholdMember, members)
        bulk(ClientLanguage, languages)
        self.counts = defaultdict(int)
        self.counts["household_members"] = len(members)
        self.counts["languages"] = len(languages)

    # --- external contacts ---------------------------------------------------------------------
    def _external_contacts(self) -> None:
        rng = self.rng("external")
        for plan in self.plans:
            gp, school = self.external_orgs[plan.municipality_index]
            if rng.random() < 0.4:
                start, end = self._span(rng, plan, 30, 900)
                self._involve(
                    plan,
                    gp,
                    NetworkRole.OTHER,
                    None,
                    start,
                    end,
                    person_name=self.faker.name(),
                    phone=f"0{rng.randint(100, 999)}-{rng.randint(100000, 999999)}",
                    note="Huisarts",
                )
            if (
                any(not person.adult and person.age >= 4 for person in plan.members)
                and rng.random() < 0.5
            ):
                start, end = self._span(rng, plan, 30, 600)
                self._involve(
                    plan,
                    school,
                    NetworkRole.OTHER,
                    None,
                    start,
                    end,
                    person_name=self.faker.name(),
                    phone=f"0{rng.randint(100, 999)}-{rng.randint(100000, 999999)}",
                    note="Mentor / leerkracht",
                )

    # --- timeline ----------------------------------------------------------------------------
    def _walk_in_sessions(self, rng: random.Random) -> dict[int, list[WalkInSession]]:
        sessions: dict[int, list[WalkInSession]] = {}
        present = []
        for index, municipality in enumerate(self.municipalities):
            regisseurs = [
                membership
                for team in self.area_teams[index]
                for membership in self.team_regisseurs[id(team)]
            ]
            weekday = index % 5
            first = self.today - timedelta(days=self.today.weekday() - weekday + 7 * 26)
            own = []
            for week in range(26):
                day = first + timedelta(days=7 * week)
                if day >= self.today:
                    break
                starts = datetime.combine(day, time(9, 30), tzinfo=AMSTERDAM)
                session = checked(
                    WalkInSession(
                        organisation=self.gemeente[index],
                        municipality=municipality,
                        location=f"Wijkcentrum De Schakel, {municipality.name}",
                        starts_at=starts,
                        ends_at=starts + timedelta(hours=2, minutes=30),
                        anonymous_visits=rng.randint(0, 9),
                    )
                )
                own.append(session)
                staff = rng.sample(regisseurs, min(2, len(regisseurs))) + [
                    rng.choice(self.vwn_staff)
                ]
                present.append((session, staff))
            sessions[index] = own
        bulk(WalkInSession, [s for own in sessions.values() for s in own])
        Through = WalkInSession.present.through
        bulk(
            Through,
            [
                Through(walkinsession_id=session.pk, membership_id=membership.pk)
                for session, staff in present
                for membership in {m.pk: m for m in staff}.values()
            ],
        )
        self.counts["walk_in_sessions"] = sum(len(own) for own in sessions.values())
        return sessions

    def _timeline(self) -> None:
        rng = self.rng("timeline")
        sessions = self._walk_in_sessions(rng)
        authors: dict[int, list] = defaultdict(list)
        for involvement in self.involvements:
            if involvement.membership is not None:
                authors[involvement.household.pk].append(involvement)
        moments = Rows(
            ContactMoment,
            (
                "household",
                "kind",
                "status",
                "starts_at",
                "others_present",
                "with_interpreter",
                "interpreter_language",
                "summary",
                "confidentiality",
                "walk_in_session",
                "author",
                "organisation",
            ),
            ids=True,
        )
        present = Rows(ContactMoment.clients.through, ("contactmoment_id", "client_id"))
        notes = Rows(
            Note,
            (
                "household",
                "client",
                "text",
                "confidentiality",
                "author",
                "organisation",
                "created_at",
            ),
        )
        for plan in self.plans:
            network = authors.get(plan.household.pk)
            if not network:
                continue
            wanted = self.timeline_per_client * len(plan.members)
            count = int(wanted) + (rng.random() < wanted - int(wanted))
            adults = [c for c, p in zip(plan.clients, plan.members, strict=True) if p.adult]
            adults = adults or plan.clients
            interpreter = next((c for c in adults if c.interpreter_needed), None)
            for _ in range(count):
                involvement = rng.choice(network)
                volunteer = involvement.role in (NetworkRole.VRIJWILLIGER, NetworkRole.TAALMAATJE)
                last = min(involvement.end_date or self.today, self.today)
                span = max((last - involvement.start_date).days, 0)
                day = involvement.start_date + timedelta(days=rng.randint(0, span))
                if volunteer:
                    confidentiality = Confidentiality.NETWORK
                else:
                    confidentiality = _weighted(
                        rng,
                        (
                            (Confidentiality.OWN_ORGANISATION, 40),
                            (Confidentiality.PROFESSIONALS, 45),
                            (Confidentiality.NETWORK, 15),
                        ),
                    )
                if rng.random() < 0.25:
                    client = rng.choice(plan.clients) if rng.random() < 0.6 else None
                    notes.add(
                        plan.household.pk,
                        client.pk if client is not None else None,
                        rng.choice(NOTES),
                        confidentiality,
                        involvement.membership.pk,
                        involvement.organisation.pk,
                        _at(day, rng),
                    )
                    continue
                values, clients = self._contact_moment(
                    rng,
                    plan,
                    involvement,
                    volunteer,
                    day,
                    confidentiality,
                    interpreter,
                    adults,
                    sessions,
                )
                moment = moments.add(*values)
                for client in clients:
                    present.add(moment, client.pk)
        for rows in (moments, present, notes):
            rows.flush()
        self.counts["contact_moments"] += moments.count
        self.counts["notes"] += notes.count

    def _contact_moment(
        self,
        rng,
        plan,
        involvement,
        volunteer,
        day,
        confidentiality,
        interpreter,
        adults,
        sessions,
    ) -> tuple[tuple, list]:
        """A contact moment's values (in the order _timeline writes them) and its clients."""
        walk_in = None
        if volunteer:
            kind = _weighted(rng, ((ContactKind.HOME_VISIT, 60), (ContactKind.PHONE, 40)))
        else:
            kind = _weighted(
                rng,
                (
                    (ContactKind.OFFICE, 25),
                    (ContactKind.HOME_VISIT, 25),
                    (ContactKind.PHONE, 25),
                    (ContactKind.NETWORK_MEETING, 6),
                    (ContactKind.EMAIL, 7),
                    (ContactKind.VIDEO, 4),
                    (ContactKind.WALK_IN, 8),
                ),
            )
        status = _weighted(
            rng,
            ((ContactStatus.HELD, 85), (ContactStatus.NO_SHOW, 8), (ContactStatus.CANCELLED, 7)),
        )
        if (
            involvement.end_date is None
            and plan.status in OPEN_STATUSES
            and kind != ContactKind.WALK_IN
            and rng.random() < 0.08
        ):
            status = ContactStatus.PLANNED
            day = self.today + timedelta(days=rng.randint(1, 21))
        if kind == ContactKind.WALK_IN:
            own = [s for s in sessions[plan.municipality_index] if s.starts_at.date() <= day]
            if own:
                walk_in = own[-1]
                day = walk_in.starts_at.date()
                status = ContactStatus.HELD
            else:
                kind = ContactKind.OFFICE
        summary = {
            ContactStatus.HELD: lambda: rng.choice(
                MEETING_SUMMARIES if kind == ContactKind.NETWORK_MEETING else HELD_SUMMARIES
            ),
            ContactStatus.NO_SHOW: lambda: rng.choice(NO_SHOW_SUMMARIES),
            ContactStatus.CANCELLED: lambda: rng.choice(CANCELLED_SUMMARIES),
            ContactStatus.PLANNED: lambda: rng.choice(PLANNED_SUMMARIES),
        }[status]()
        with_interpreter = (
            interpreter is not None
            and kind not in (ContactKind.EMAIL,)
            and not volunteer
            and rng.random() < 0.6
        )
        starts_at = (
            walk_in.starts_at + timedelta(minutes=rng.randrange(0, 150, 10))
            if (walk_in)
            else _at(day, rng)
        )
        values = (
            plan.household.pk,
            kind,
            status,
            starts_at,
            "Tolk (telefonisch)" if with_interpreter and rng.random() < 0.3 else "",
            with_interpreter,
            interpreter.interpreter_language if with_interpreter else "",
            summary,
            confidentiality,
            walk_in.pk if walk_in is not None else None,
            involvement.membership.pk,
            involvement.organisation.pk,
        )
        return values, rng.sample(adults, min(len(adults), rng.choice((1, 1, 2))))
