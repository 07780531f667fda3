"""demo_data and demo_logins: refusals, determinism, scale, and what each demo account sees."""

import hashlib
import random
from io import StringIO

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from stdnum.nl import bsn

from koers.accounts.constants import Role
from koers.accounts.models import Membership, User
from koers.clients.constants import NetworkRole, Section
from koers.clients.models import Client, Household
from koers.clients.permissions import clients_visible_to
from koers.clients.tests.factories import ClientFactory
from koers.demo import names
from koers.demo.services import DEMO_PASSWORD, DEMO_USERNAMES, HUMANITAS, VLUCHTELINGENWERK
from koers.network.models import Consent, Involvement
from koers.organisations.constants import LegalBasisKind
from koers.organisations.models import AreaTeam, LegalBasis, Municipality, Organisation, Region
from koers.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True
    return settings


@pytest.fixture
def demo(demo_mode):
    run("demo_data")


def membership(username, role=None) -> Membership:
    memberships = Membership.objects.filter(user__username=username)
    if role:
        memberships = memberships.filter(role=role)
    return memberships.select_related("organisation").get()


def visible(username, role=None) -> set[int]:
    return set(clients_visible_to(membership(username, role)).values_list("id", flat=True))


def client_ids(**filters) -> set[int]:
    return set(Client.objects.filter(**filters).values_list("id", flat=True))


def households_of(client_ids_: set[int]) -> set[int]:
    return set(Client.objects.filter(id__in=client_ids_).values_list("household_id", flat=True))


def digest() -> str:
    """The generated data by natural keys (primary keys differ between databases and runs)."""
    household_rank = {
        pk: n for n, pk in enumerate(Household.objects.order_by("pk").values_list("pk", flat=True))
    }
    client_rank = {
        pk: n for n, pk in enumerate(Client.objects.order_by("pk").values_list("pk", flat=True))
    }
    rows = [
        list(
            Municipality.objects.order_by("code").values_list("code", "name", "volunteer_sections")
        ),
        list(
            AreaTeam.objects.order_by("municipality__code", "name").values_list(
                "municipality__code", "name"
            )
        ),
        list(
            Region.objects.order_by("name", "municipalities__code").values_list(
                "name", "municipalities__code"
            )
        ),
        list(
            Organisation.objects.order_by("name", "municipalities__code").values_list(
                "name", "kind", "municipalities__code"
            )
        ),
        list(
            LegalBasis.objects.order_by(
                "organisation__name", "municipality__code", "start_date"
            ).values_list(
                "organisation__name",
                "municipality__code",
                "kind",
                "sections",
                "agreement_reference",
                "start_date",
                "end_date",
                "note",
            )
        ),
        list(
            User.objects.order_by("username").values_list(
                "username", "first_name", "last_name", "email"
            )
        ),
        list(
            Membership.objects.order_by(
                "user__username",
                "organisation__name",
                "role",
                "municipalities__code",
                "area_teams__name",
            ).values_list(
                "user__username",
                "organisation__name",
                "role",
                "title",
                "start_date",
                "vog_checked_on",
                "confidentiality_signed_on",
                "municipalities__code",
                "area_teams__name",
            )
        ),
        [
            (household_rank[pk], *rest)
            for pk, *rest in Household.objects.order_by("pk").values_list(
                "pk", "name", "municipality__code", "area_team__name"
            )
        ],
        [
            (household_rank[h], *rest)
            for h, *rest in Client.objects.order_by("pk").values_list(
                "household_id",
                "given_names",
                "family_name",
                "status",
                "municipality__code",
                "area_team__name",
            )
        ],
        [
            (household_rank[h], *rest)
            for h, *rest in Involvement.objects.order_by("pk").values_list(
                "household_id",
                "organisation__name",
                "membership__user__username",
                "membership__role",
                "role",
                "start_date",
                "end_date",
                "task_sections",
                "renewed_on",
            )
        ],
        [
            (client_rank[c], *rest)
            for c, *rest in Consent.objects.order_by("pk").values_list(
                "client_id",
                "organisation__name",
                "purpose",
                "sections",
                "text_version",
                "explained_in_language",
                "with_interpreter",
                "how_given",
                "given_on",
                "ends_on",
                "withdrawn_on",
                "recorded_by__user__username",
            )
        ],
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def generate_and_roll_back(*args) -> tuple[str, int]:
    """Run demo_data in a savepoint; return the digest and the number of queries it took."""
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            run("demo_data", *args)
        result = digest(), len(queries)
        transaction.set_rollback(True)
    assert not Organisation.objects.exists()
    return result


# --- refusals -------------------------------------------------------------------------------------


def test_demo_data_refuses_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        run("demo_data")
    assert not Organisation.objects.exists()
    assert not User.objects.exists()


def test_bench_flag_builds_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    run("demo_data", "--bench", "--clients", "30")
    assert Client.objects.count() == 30


@pytest.mark.parametrize("existing", ["organisation", "client"])
@pytest.mark.parametrize("flags", [[], ["--bench"]])
def test_demo_data_refuses_a_database_that_is_not_empty(demo_mode, existing, flags):
    OrganisationFactory() if existing == "organisation" else ClientFactory()
    before = (Organisation.objects.count(), Client.objects.count(), User.objects.count())
    with pytest.raises(CommandError, match="empty database"):
        run("demo_data", *flags)
    assert (Organisation.objects.count(), Client.objects.count(), User.objects.count()) == before


def test_if_empty_says_data_is_present_and_changes_nothing(demo):
    before = (Organisation.objects.count(), Client.objects.count(), User.objects.count())
    assert run("demo_data", "--if-empty").strip() == "demo data already present"
    assert (Organisation.objects.count(), Client.objects.count(), User.objects.count()) == before


def test_if_empty_fills_an_empty_database(demo_mode):
    run("demo_data", "--if-empty")
    assert Client.objects.count() == 200


def test_demo_data_is_all_or_nothing(demo_mode, monkeypatch):
    def fail(self):
        raise RuntimeError("boom")

    monkeypatch.setattr("koers.demo.services._Builder._volunteers", fail)
    with pytest.raises(RuntimeError):
        run("demo_data")
    assert not Organisation.objects.exists()
    assert not Client.objects.exists()
    assert not User.objects.exists()


def test_demo_data_rejects_a_malformed_date(demo_mode):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("demo_data", "--today", "23-11-2026")


# --- content --------------------------------------------------------------------------------------


def test_same_seed_and_today_give_identical_data(demo_mode):
    first, _ = generate_and_roll_back("--seed", "7", "--today", "2026-03-02")
    second, _ = generate_and_roll_back("--seed", "7", "--today", "2026-03-02")
    other_seed, _ = generate_and_roll_back("--seed", "8", "--today", "2026-03-02")
    other_day, _ = generate_and_roll_back("--seed", "7", "--today", "2026-03-03")
    assert first == second
    assert other_seed != first
    assert other_day != first


def test_default_run_builds_the_region(demo):
    assert list(Municipality.objects.order_by("code").values_list("code", "name")) == [
        ("GM9901", "Lingebroek"),
        ("GM9902", "Waalhoven"),
        ("GM9903", "Dijkerveld"),
    ]
    for municipality in Municipality.objects.all():
        assert 2 <= municipality.area_teams.count() <= 3
    region = Region.objects.get(name="Regio Lingebroek")
    assert region.municipalities.count() == 3
    assert Client.objects.count() == 200
    assert 50 <= Household.objects.count() <= 80
    sizes = {household.members.count() for household in Household.objects.all()}
    assert 1 in sizes and 2 in sizes and max(sizes) >= 4
    assert len(set(Client.objects.values_list("status", flat=True))) >= 4


def test_municipal_organisations_serve_their_municipalities(demo):
    municipal = Organisation.objects.filter(kind="municipal")
    assert municipal.count() == 5  # three gemeenten, the service centre, the WerkBedrijf
    for name in ("Regionaal Servicecentrum Lingebroek", "WerkBedrijf Lingebroek e.o."):
        assert municipal.get(name=name).municipalities.count() == 3


def test_legal_bases_are_valid_and_of_each_kind(demo):
    bases = LegalBasis.objects.select_related("organisation")
    for basis in bases:
        basis.full_clean()
        assert basis.agreement_reference and basis.start_date
    kinds = {basis.organisation.name: basis.kind for basis in bases.in_force()}
    assert kinds[VLUCHTELINGENWERK] == LegalBasisKind.PROCESSOR
    assert kinds[HUMANITAS] == LegalBasisKind.CONSENT
    covenant = bases.get(kind=LegalBasisKind.COVENANT)
    assert Section.IDENTITY not in covenant.sections
    processor = bases.in_force().filter(organisation__name=VLUCHTELINGENWERK).first()
    assert Section.HEALTH in processor.sections and Section.ASYLUM in processor.sections
    consent = bases.get(organisation__name=HUMANITAS, municipality__code="GM9901")
    assert consent.sections == (
        Section.BASIS
        | Section.CONTACT
        | Section.LANGUAGES
        | Section.TASKS
        | Section.NETWORK
        | Section.NOTES_NETWORK
    )


def test_most_households_have_one_active_regisseur_and_a_few_none(demo):
    active = Involvement.objects.active().filter(role=NetworkRole.REGISSEUR)
    counted = {}
    for household_id in active.values_list("household_id", flat=True):
        counted[household_id] = counted.get(household_id, 0) + 1
    assert set(counted.values()) == {1}
    open_households = (
        Household.objects.filter(members__status__in=["aangemeld", "actief"])
        .distinct()
        .values_list("id", flat=True)
    )
    without = [pk for pk in open_households if pk not in counted]
    assert 0 < len(without) < len(open_households) / 4
    assert active.filter(membership=membership("regisseur")).count() >= 5


def test_humanitas_assignments_rest_on_the_adults_consent(demo):
    assignments = Involvement.objects.active().filter(organisation__name=HUMANITAS)
    assert assignments.count() >= 5
    for involvement in assignments:
        assert involvement.membership.role == Role.VRIJWILLIGER
        assert involvement.task_sections and Section.IDENTITY not in involvement.task_sections
        assert (
            Consent.objects.active()
            .filter(client__household=involvement.household, organisation__name=HUMANITAS)
            .exists()
        )


def test_every_role_has_a_demo_user_with_the_demo_password(demo):
    demo_memberships = Membership.objects.filter(user__username__in=DEMO_USERNAMES)
    assert set(demo_memberships.values_list("role", flat=True)) == set(Role.values)
    for user in User.objects.filter(username__in=DEMO_USERNAMES):
        validate_password(DEMO_PASSWORD, user)
        assert user.check_password(DEMO_PASSWORD)
    assert set(
        User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True)
    ) == set(DEMO_USERNAMES)


def test_duo_has_two_memberships_and_the_volunteers_are_screened(demo):
    duo = Membership.objects.filter(user__username="duo")
    assert set(duo.values_list("organisation__name", "role")) == {
        (VLUCHTELINGENWERK, Role.BEGELEIDER),
        (HUMANITAS, Role.VRIJWILLIGER),
    }
    for volunteer in (membership("vrijwilliger"), membership("duo", Role.VRIJWILLIGER)):
        assert volunteer.volunteer_screening_complete


def test_municipal_demo_users_serve_their_municipalities(demo):
    regisseur = membership("regisseur")
    assert list(regisseur.municipalities.values_list("code", flat=True)) == ["GM9901"]
    assert list(regisseur.area_teams.values_list("name", flat=True)) == ["Centrum"]
    assert sorted(membership("regio").municipalities.values_list("code", flat=True)) == [
        "GM9901",
        "GM9902",
        "GM9903",
    ]
    assert list(membership("regisseur2").municipalities.values_list("code", flat=True)) == [
        "GM9902"
    ]


# --- names and BSNs -------------------------------------------------------------------------------


def test_every_synthetic_bsn_is_valid_and_starts_with_999():
    every = names._all_synthetic_bsns()
    assert len(every) == names.MAX_SYNTHETIC_BSNS > 90_000
    assert all(number.startswith("999") and bsn.is_valid(number) for number in every)
    drawn = names.synthetic_bsns(random.Random(3), 5000)
    assert len(set(drawn)) == 5000
    assert all(names.is_synthetic_bsn(number) for number in drawn)
    assert names.synthetic_bsns(random.Random(3), 10) == names.synthetic_bsns(random.Random(3), 10)
    assert names.is_synthetic_bsn(names.synthetic_bsn(random.Random(4)))
    assert not names.is_synthetic_bsn("111222333")  # valid, but not in the test range
    with pytest.raises(ValueError):
        names.synthetic_bsns(random.Random(3), names.MAX_SYNTHETIC_BSNS + 1)


def test_client_names_come_in_spelling_variants(demo):
    given = set(Client.objects.values_list("given_names", flat=True))
    family = set(Client.objects.values_list("family_name", flat=True))
    spelled = given | family
    groups = [
        variants
        for origin in names.ORIGINS
        for variants in (*origin.male, *origin.female, *origin.family)
    ]
    assert any(len(set(variants) & spelled) >= 2 for variants in groups)
    rng = random.Random(1)
    drawn = {names.spelling(rng, ("Mohammed", "Mohamed", "Muhammad")) for _ in range(200)}
    assert drawn == {"Mohammed", "Mohamed", "Muhammad"}


# --- what each demo account sees ------------------------------------------------------------------


def test_regisseur_sees_exactly_the_own_area_team(demo):
    team = AreaTeam.objects.get(municipality__name="Lingebroek", name="Centrum")
    seen = visible("regisseur")
    assert seen and seen == client_ids(area_team=team)


def test_regisseur2_sees_none_of_the_first_municipality(demo):
    seen = visible("regisseur2")
    assert seen == client_ids(municipality__name="Waalhoven")
    assert not seen & client_ids(municipality__name="Lingebroek")


def test_region_and_werkbedrijf_see_all_three_municipalities(demo):
    assert visible("regio") == client_ids() == visible("klantmanager")


def test_teamleider_sees_the_own_municipality(demo):
    assert visible("teamleider") == client_ids(municipality__name="Lingebroek")


@pytest.mark.parametrize("username", ["privacy", "beheer"])
def test_privacy_officer_and_functional_admin_see_no_clients(demo, username):
    assert visible(username) == set()


def test_begeleider_sees_only_households_vluchtelingenwerk_is_involved_in(demo):
    involved = set(
        Involvement.objects.active()
        .filter(organisation__name=VLUCHTELINGENWERK)
        .values_list("household_id", flat=True)
    )
    seen = visible("begeleider")
    assert seen == client_ids(household_id__in=involved)
    assert 0 < len(seen) < Client.objects.count()
    assert visible("duo", Role.BEGELEIDER) == seen


def test_coordinator_sees_only_consenting_clients_of_humanitas_households(demo):
    involved = set(
        Involvement.objects.active()
        .filter(organisation__name=HUMANITAS)
        .values_list("household_id", flat=True)
    )
    consenting = set(
        Consent.objects.active()
        .filter(organisation__name=HUMANITAS)
        .values_list("client_id", flat=True)
    )
    seen = visible("coordinator")
    assert seen and seen == client_ids(household_id__in=involved) & consenting


@pytest.mark.parametrize(("username", "role"), [("vrijwilliger", None), ("duo", Role.VRIJWILLIGER)])
def test_volunteer_sees_only_assigned_households(demo, username, role):
    volunteer = membership(username, role)
    assigned = set(
        Involvement.objects.active()
        .filter(membership=volunteer)
        .values_list("household_id", flat=True)
    )
    seen = visible(username, role)
    assert seen and households_of(seen) == assigned
    consenting = set(
        Consent.objects.active().filter(client_id__in=seen).values_list("client_id", flat=True)
    )
    assert seen == consenting


def test_volunteer_no_longer_sees_the_household_of_an_ended_assignment(demo):
    ended = Involvement.objects.filter(
        membership=membership("vrijwilliger"), end_date__isnull=False
    ).get()
    assert not visible("vrijwilliger") & client_ids(household=ended.household)


def test_volunteer_without_vog_sees_nothing(demo):
    unscreened = Membership.objects.filter(role=Role.VRIJWILLIGER, vog_checked_on__isnull=True)
    assert unscreened.exists()
    for volunteer in unscreened:
        assert not clients_visible_to(volunteer).exists()


# --- scale ----------------------------------------------------------------------------------------


def test_queries_do_not_grow_per_client(demo_mode):
    # The timeline is measured on its own below: on SQLite its wide rows go 70 to a batch.
    _, small = generate_and_roll_back("--clients", "200", "--timeline-per-client", "0")
    _, large = generate_and_roll_back("--clients", "2000", "--timeline-per-client", "0")
    # A statement per table (about 30 of them in the trajectory) and per batch or chunk.
    assert large < 2000 / 10 + 50
    # Only extra bulk_create batches (their size depends on how wide the tables are and on
    # SQLite's variable limit), never a query per client: that would add 1,800 or more.
    assert large - small < (2000 - 200) / 10


def test_more_municipalities_get_codes_in_the_test_range(demo_mode):
    run("demo_data", "--municipalities", "7", "--clients", "300")
    codes = list(Municipality.objects.order_by("code").values_list("code", flat=True))
    assert codes == [f"GM99{n:02d}" for n in range(1, 8)]
    assert Region.objects.count() == 3
    assert len(set(Municipality.objects.values_list("name", flat=True))) == 7
    assert set(Client.objects.values_list("municipality__code", flat=True)) == set(codes)


# --- demo_logins ----------------------------------------------------------------------------------


def test_demo_logins_refuses_outside_demo_mode(demo, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        run("demo_logins")


def test_demo_logins_refuses_without_demo_data(demo_mode):
    with pytest.raises(CommandError, match="demo_data"):
        run("demo_logins")


def test_demo_logins_prints_every_account_in_dutch(demo):
    output = run("demo_logins")
    assert "http://127.0.0.1:8000" in output
    assert "Gebruikersnaam" in output and "Wachtwoord" in output and "Probeer:" in output
    assert DEMO_PASSWORD in output
    lines = output.splitlines()
    for username in DEMO_USERNAMES:
        assert any(line.startswith(f"{username} ") for line in lines)
    assert "Functioneel beheerder" in output and "Gemeente Lingebroek" in output
    assert sum(line.startswith("duo ") for line in lines) == 2
